//! Named offline checks a rule can ask for with `validate = "..."`.
//!
//! Where a token format carries its own redundancy (a checksum, a structured payload), keyhound
//! checks it without any network access: a pass raises confidence, a failure drops the match,
//! because a token that fails its own checksum was never issued.

use std::collections::BTreeMap;

/// The outcome of an offline check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The format's own redundancy holds: report with high confidence, plus derived facts.
    Valid(BTreeMap<String, String>),
    /// The format's own redundancy fails: not a real credential, drop it.
    Invalid,
}

/// Every name a rule may give in `validate`; rule loading rejects any other.
pub const CHECK_NAMES: &[&str] = &[
    "github-crc32",
    "aws-key-id",
    "generic-secret",
    "aws-bedrock-api-key",
    "neptune-token",
    "supabase-service-role",
    "npm-crc32",
    "jwt",
    "pypi-macaroon",
    "gitlab-routable",
    "grafana-sa-crc32",
    "atlassian-crc32",
    "base64-json",
    "discord-bot-token",
    "url-password",
    "basic-auth-b64",
    "framework-secret",
    "opaque-token",
];

/// Runs the check `name` on `secret`; `context` is the text of the rule's `context` group (the
/// key a generic value is assigned to), if it matched. Unknown names are rejected when rules
/// load, so here they cannot occur; treat one as a pass without facts rather than panic.
pub fn run_check(name: &str, secret: &str, context: Option<&str>) -> Verdict {
    match name {
        "github-crc32" => github_crc32(secret),
        "aws-key-id" => aws_key_id(secret),
        "generic-secret" => super::generic::check(secret, context.unwrap_or("")),
        "aws-bedrock-api-key" => super::payload::bedrock_api_key(secret),
        "neptune-token" => super::payload::neptune_token(secret),
        "supabase-service-role" => super::payload::supabase_service_role(secret),
        "npm-crc32" => super::npm::check(secret),
        "jwt" => super::jwt::check(secret),
        "pypi-macaroon" => super::pypi::check(secret),
        "gitlab-routable" => super::gitlab::check(secret),
        "grafana-sa-crc32" => super::crc_hex::grafana_service_account(secret),
        "atlassian-crc32" => super::crc_hex::atlassian(secret),
        "base64-json" => super::structured::base64_json(secret),
        "discord-bot-token" => super::structured::discord_bot_token(secret),
        "url-password" => super::credential::url_password(secret, context),
        "basic-auth-b64" => super::credential::basic_auth_b64(secret),
        "framework-secret" => super::credential::framework_secret(secret),
        "opaque-token" => super::credential::opaque_token(secret),
        _ => Verdict::Valid(BTreeMap::new()),
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Base62 of `n`, left-padded with `0` to `width` digits.
pub fn base62(n: u32, width: usize) -> String {
    padded_digits(n, BASE62, width)
}

/// `n` written with `digits` (its length is the base), left-padded with the zero digit to
/// `width`: the form checksummed tokens carry their CRC32 in.
pub fn padded_digits(mut n: u32, digits: &[u8], width: usize) -> String {
    let base = digits.len() as u32;
    let mut out = Vec::with_capacity(width);
    while n > 0 {
        out.push(digits[(n % base) as usize]);
        n /= base;
    }
    while out.len() < width {
        out.push(digits[0]);
    }
    out.reverse();
    String::from_utf8(out).expect("digit alphabets are ASCII")
}

/// GitHub's token format (2021): `<prefix>_` + 30 random base62 characters + the CRC32 of
/// those 30 characters in 6 base62 digits. npm's `npm_` tokens use the same scheme.
fn github_crc32(secret: &str) -> Verdict {
    let Some((_, body)) = secret.split_once('_') else {
        return Verdict::Invalid;
    };
    if body.len() != 36 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Verdict::Invalid;
    }
    let (random, checksum) = body.split_at(30);
    if base62(crc32fast::hash(random.as_bytes()), 6) == checksum {
        let mut facts = BTreeMap::new();
        facts.insert("checksum".to_string(), "valid".to_string());
        Verdict::Valid(facts)
    } else {
        Verdict::Invalid
    }
}

/// AWS access key ids encode the owning account: after the 4-character prefix, the first
/// 6 bytes of the base32-decoded rest hold the account id shifted left by 7 bits (a published
/// fact, see "A short note on AWS KEY ID" by Tal Be'ery). It tells an auditor whose key it is.
fn aws_key_id(secret: &str) -> Verdict {
    let mut facts = BTreeMap::new();
    if let Some(account) = aws_account_id(secret) {
        facts.insert("aws_account_id".to_string(), account);
    }
    Verdict::Valid(facts)
}

/// The 12-digit account id encoded in an access key id, if it decodes.
pub fn aws_account_id(key_id: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let encoded = key_id.get(4..14)?;
    let mut value: u64 = 0;
    for b in encoded.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == b)? as u64;
        value = (value << 5) | digit;
    }
    // 10 base32 digits = 50 bits, of which the first 48 are the 6 bytes that matter.
    let six_bytes = value >> 2;
    let account = (six_bytes & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn github_token(prefix: &str, random: &str) -> String {
        format!(
            "{prefix}_{random}{}",
            base62(crc32fast::hash(random.as_bytes()), 6)
        )
    }

    #[test]
    fn base62_pads_and_encodes() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 2), "10");
    }

    #[test]
    fn github_checksum_accepts_valid_and_rejects_tampered() {
        let token = github_token("ghp", "R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs");
        assert!(matches!(
            run_check("github-crc32", &token, None),
            Verdict::Valid(_)
        ));
        let mut tampered = token.clone().into_bytes();
        tampered[10] = if tampered[10] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(run_check("github-crc32", &tampered, None), Verdict::Invalid);
        assert_eq!(
            run_check("github-crc32", "ghp_short", None),
            Verdict::Invalid
        );
    }

    #[test]
    fn aws_account_id_decodes() {
        // AKIA + base32 of (account << 7 | noise) for account 123456789012.
        let account: u64 = 123_456_789_012;
        let value = ((account << 7) | 0x55) << 2;
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut encoded = String::new();
        for i in (0..10).rev() {
            encoded.push(ALPHABET[((value >> (i * 5)) & 31) as usize] as char);
        }
        let key = format!("AKIA{encoded}QRSTUV");
        assert_eq!(key.len(), 20);
        assert_eq!(aws_account_id(&key).as_deref(), Some("123456789012"));
        assert_eq!(aws_account_id("AKIA"), None);
    }
}
