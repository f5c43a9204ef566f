//! Tokens whose body is structured data rather than bare randomness, so a string that has the
//! right prefix but not the structure is a look-alike, not a credential.
//!
//! - `base64-json`: the first base64 segment starting `eyJ` (the encoding of `{"`) decodes to
//!   a JSON object: 1Password service-account tokens (`ops_`), Sentry organization tokens
//!   (`sntrys_`), Grafana Cloud tokens (`glc_`) and legacy Grafana API keys, Mapbox tokens
//!   (`sk.eyJ…`). Only the payload's key names are kept as facts; its values can be secret
//!   (a 1Password token embeds the account's Secret Key).
//! - `discord-bot-token`: a Discord bot token's first segment is the bot's user id (a
//!   snowflake, 17 to 20 decimal digits) in base64.

use std::collections::BTreeMap;

use super::encoding as b64;
use super::verdict::{Strength, Verdict};

/// `base64-json`.
pub fn base64_json(secret: &str) -> Verdict {
    let Some(start) = secret.find("eyJ") else {
        return Verdict::Invalid;
    };
    let rest = &secret[start..];
    let standard = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
    let url_safe = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=';
    for allowed in [&standard as &dyn Fn(u8) -> bool, &url_safe] {
        let end = rest.bytes().position(|b| !allowed(b)).unwrap_or(rest.len());
        if let Some(object) = b64::decode_json_object(&rest[..end]) {
            if object.is_empty() {
                return Verdict::Invalid;
            }
            let keys: Vec<&str> = object.keys().map(String::as_str).collect();
            return Verdict::with_facts(
                Strength::Structure,
                BTreeMap::from([("payload_keys".to_string(), keys.join(","))]),
            );
        }
    }
    Verdict::Invalid
}

/// `discord-bot-token`.
pub fn discord_bot_token(secret: &str) -> Verdict {
    let Some((first, _)) = secret.split_once('.') else {
        return Verdict::Invalid;
    };
    match b64::decode(first) {
        Some(id) if (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit) => {
            Verdict::with_facts(
                Strength::Structure,
                BTreeMap::from([(
                    "discord_user_id".to_string(),
                    String::from_utf8(id).expect("digits are ASCII"),
                )]),
            )
        }
        _ => Verdict::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Proof;

    #[test]
    fn base64_json_finds_the_payload_segment() {
        // {"iat":1,"org":"acme"} in standard base64, between a prefix and a secret.
        let sentry = "sntrys_eyJpYXQiOjEsIm9yZyI6ImFjbWUifQ==_Zk8qL2vX9mN4wQm7TzK2pW9vXcR4nB8yL1s";
        let Verdict::Valid(Proof { facts, .. }) = base64_json(sentry) else {
            panic!("sentry token rejected")
        };
        assert_eq!(facts["payload_keys"], "iat,org");
        assert!(!facts.values().any(|v| v.contains("acme")));
        assert!(matches!(base64_json("ops_eyJhIjoxfQ"), Verdict::Valid(_)));
        assert!(matches!(
            base64_json("sk.eyJ1IjoibWUiLCJhIjoieCJ9.c2ln"),
            Verdict::Valid(_)
        ));
        assert_eq!(base64_json("ops_eyJhIjoxf"), Verdict::Invalid);
        assert_eq!(base64_json("ops_notjson"), Verdict::Invalid);
        assert_eq!(base64_json("ops_e30"), Verdict::Invalid); // {}
    }

    #[test]
    fn discord_first_segment_is_a_snowflake() {
        // base64("1234567890123456789")
        let token = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhQk2a.Zk8qL2vX9mN4wQm7TzK2pW9vXcR4nB8yL1s"; // keyhound:allow (test fixture)
        let Verdict::Valid(Proof { facts, .. }) = discord_bot_token(token) else {
            panic!("discord token rejected")
        };
        assert_eq!(facts["discord_user_id"], "1234567890123456789");
        assert_eq!(
            discord_bot_token("aGVsbG8gd29ybGQgaGVsbG8.GhQk2a.Zk8qL2vX9mN4wQm7TzK2pW9"),
            Verdict::Invalid
        );
    }
}
