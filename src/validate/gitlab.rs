//! GitLab routable tokens (GitLab 17.x onwards): `<prefix><base64url payload>.<version>.<payload
//! length><crc>`, where the payload is 16 random bytes, the routing pairs (`o:<org id>`, ...)
//! and one byte of their length; the version is 2 base-36 digits (absent in the first
//! release); the length is the base64 payload's length in 2 base-36 digits; and the CRC is the
//! CRC32 of everything before it, prefix included, in 7 base-36 digits.
//! Source: GitLab's routable-token design document and its generator,
//! `lib/authn/token_field/generator/routable_token.rb`.
//!
//! Legacy GitLab tokens (`glpat-` + 20 characters) carry no checksum and never reach here.

use std::collections::BTreeMap;

use super::encoding::{self as b64, base36};
use super::verdict::{Strength, Verdict};

const CRC_LEN: usize = 7;

pub fn check(secret: &str) -> Verdict {
    match parse(secret) {
        Some(facts) => Verdict::with_facts(Strength::Checksum, facts),
        None => Verdict::Invalid,
    }
}

fn parse(secret: &str) -> Option<BTreeMap<String, String>> {
    if !secret.is_ascii() || secret.len() <= CRC_LEN + 3 {
        return None;
    }
    let (signed, crc) = secret.split_at(secret.len() - CRC_LEN);
    if base36(crc32fast::hash(signed.as_bytes()), CRC_LEN) != crc {
        return None;
    }
    // `signed` ends with `.<len2>` (first release) or `.<ver2>.<len2>`.
    let (rest, length) = signed.split_at(signed.len() - 2);
    let length = usize::from_str_radix(length, 36).ok()?;
    let rest = rest.strip_suffix('.')?;
    let payload_end = match rest.len().checked_sub(3) {
        Some(i) if rest.as_bytes()[i] == b'.' && rest[i + 1..].bytes().all(is_base36) => i,
        _ => rest.len(),
    };
    let payload = rest.get(payload_end.checked_sub(length)?..payload_end)?;
    let mut facts = BTreeMap::new();
    if let Some(routing) = routing_pairs(payload) {
        for (key, name) in [
            ("o", "gitlab_org_id"),
            ("u", "gitlab_user_id"),
            ("c", "gitlab_cell"),
        ] {
            if let Some(value) = routing.get(key) {
                facts.insert(name.to_string(), value.clone());
            }
        }
    }
    Some(facts)
}

/// The routing pairs inside a decoded payload: random bytes, `k:v` lines, their length byte.
/// Numeric values are base 36 in the token; they are reported in decimal, as GitLab shows ids.
fn routing_pairs(payload: &str) -> Option<BTreeMap<String, String>> {
    let bytes = b64::decode(payload)?;
    let (&size, body) = bytes.split_last()?;
    let text = std::str::from_utf8(body.get(body.len().checked_sub(usize::from(size))?..)?).ok()?;
    let mut pairs = BTreeMap::new();
    for line in text.lines() {
        let (k, v) = line.split_once(':')?;
        let v = match u64::from_str_radix(v, 36) {
            Ok(n) if k != "c" => n.to_string(),
            _ => v.to_string(),
        };
        pairs.insert(k.to_string(), v);
    }
    Some(pairs)
}

fn is_base36(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Proof;
    use base64::Engine as _;

    fn token(prefix: &str, routing: &str, versioned: bool) -> String {
        let mut raw = vec![0x5au8; 16];
        raw.extend(routing.as_bytes());
        raw.push(routing.len() as u8);
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
        let version = if versioned { ".01" } else { "" };
        let signed = format!(
            "{prefix}{payload}{version}.{}",
            base36(payload.len() as u32, 2)
        );
        format!("{signed}{}", base36(crc32fast::hash(signed.as_bytes()), 7))
    }

    #[test]
    fn validates_both_releases_and_decodes_routing() {
        for versioned in [false, true] {
            let t = token("glpat-", "o:2n\nu:9ix", versioned);
            let Verdict::Valid(Proof { strength, facts }) = check(&t) else {
                panic!("{t} rejected")
            };
            assert_eq!(strength, Strength::Checksum);
            assert_eq!(facts["gitlab_org_id"], "95");
            assert_eq!(facts["gitlab_user_id"], "12345");
        }
        assert!(matches!(
            check(&token("glrt-t1_", "o:1", true)),
            Verdict::Valid(_)
        ));
    }

    #[test]
    fn rejects_bad_checksums() {
        let t = token("glpat-", "o:2n", true);
        assert_eq!(check(&t.replacen("glpat-", "gldt-", 1)), Verdict::Invalid);
        let mut tampered = t.clone().into_bytes();
        tampered[8] ^= 1;
        assert_eq!(
            check(&String::from_utf8(tampered).unwrap()),
            Verdict::Invalid
        );
        assert_eq!(check("glpat-short"), Verdict::Invalid);
    }
}
