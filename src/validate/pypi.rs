//! PyPI API tokens: `pypi-` + a base64 macaroon in libmacaroons' v2 binary format, whose
//! location is the index that issued it (`pypi.org`, `test.pypi.org`).
//! Source: <https://pypi.org/help/#apitoken> and the macaroon v2 serialisation
//! (version byte 2; fields of type, varint length, data; sections ended by a 0 byte; a
//! 32-byte signature last).
//!
//! Parsing the whole macaroon, not just its first bytes, is what rejects a string that merely
//! starts like one (a truncated token, a prefix pasted into documentation).

use std::collections::BTreeMap;

use super::encoding as b64;
use super::verdict::{Strength, Verdict};

const FIELD_EOS: u8 = 0;
const FIELD_LOCATION: u8 = 1;
const FIELD_IDENTIFIER: u8 = 2;
const FIELD_SIGNATURE: u8 = 6;

pub fn check(secret: &str) -> Verdict {
    let Some(body) = secret.strip_prefix("pypi-") else {
        return Verdict::Invalid;
    };
    let Some(bytes) = b64::decode(body) else {
        return Verdict::Invalid;
    };
    match parse(&bytes) {
        Some(location) if location.ends_with("pypi.org") => Verdict::with_facts(
            Strength::Structure,
            BTreeMap::from([("macaroon_location".to_string(), location)]),
        ),
        _ => Verdict::Invalid,
    }
}

/// Parses a v2 binary macaroon; returns its location if the structure is complete.
fn parse(bytes: &[u8]) -> Option<String> {
    let mut reader = Reader { bytes, pos: 0 };
    if reader.byte()? != 2 {
        return None;
    }
    // Header section: optional location, then the identifier.
    let mut location = None;
    let mut has_identifier = false;
    loop {
        match reader.field()? {
            (FIELD_EOS, _) => break,
            (FIELD_LOCATION, data) => location = Some(String::from_utf8(data.to_vec()).ok()?),
            (FIELD_IDENTIFIER, _) => has_identifier = true,
            _ => return None,
        }
    }
    if !has_identifier {
        return None;
    }
    // Caveat sections, each ended by EOS; an empty section ends the list.
    loop {
        let mut fields = 0;
        loop {
            match reader.field()? {
                (FIELD_EOS, _) => break,
                (FIELD_SIGNATURE, _) => return None,
                _ => fields += 1,
            }
        }
        if fields == 0 {
            break;
        }
    }
    match reader.field()? {
        (FIELD_SIGNATURE, sig) if sig.len() == 32 && reader.pos == bytes.len() => location,
        _ => None,
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// One field: its type and data. EOS has no length or data.
    fn field(&mut self) -> Option<(u8, &'a [u8])> {
        let kind = self.byte()?;
        if kind == FIELD_EOS {
            return Some((FIELD_EOS, &[]));
        }
        let mut len: usize = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            len |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                let data = self.bytes.get(self.pos..self.pos.checked_add(len)?)?;
                self.pos += len;
                return Some((kind, data));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Proof;
    use base64::Engine as _;

    fn macaroon(location: &str, caveats: &[&str], sig_len: usize) -> String {
        let mut m = vec![2u8, FIELD_LOCATION, location.len() as u8];
        m.extend(location.as_bytes());
        m.extend([FIELD_IDENTIFIER, 4]);
        m.extend(b"id01");
        m.push(FIELD_EOS);
        for c in caveats {
            m.extend([FIELD_IDENTIFIER, c.len() as u8]);
            m.extend(c.as_bytes());
            m.push(FIELD_EOS);
        }
        m.push(FIELD_EOS);
        m.extend([FIELD_SIGNATURE, sig_len as u8]);
        m.extend(std::iter::repeat_n(7u8, sig_len));
        format!(
            "pypi-{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(m)
        )
    }

    #[test]
    fn parses_complete_macaroons() {
        let token = macaroon("pypi.org", &["{\"version\": 1}"], 32);
        let Verdict::Valid(Proof { facts, .. }) = check(&token) else {
            panic!("{token} rejected")
        };
        assert_eq!(facts["macaroon_location"], "pypi.org");
        assert!(matches!(
            check(&macaroon("test.pypi.org", &[], 32)),
            Verdict::Valid(_)
        ));
    }

    #[test]
    fn rejects_truncated_or_foreign_macaroons() {
        let token = macaroon("pypi.org", &["c1"], 32);
        assert_eq!(check(&token[..token.len() - 10]), Verdict::Invalid);
        assert_eq!(check(&macaroon("pypi.org", &[], 16)), Verdict::Invalid);
        assert_eq!(check(&macaroon("example.org", &[], 32)), Verdict::Invalid);
        assert_eq!(check("pypi-AgEIcHlwaS5vcmc"), Verdict::Invalid);
    }
}
