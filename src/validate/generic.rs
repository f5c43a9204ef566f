//! The `generic-secret` check: is a value assigned to a secret-named key really a secret?
//!
//! Generic rules are where scanners drown their users in false positives. Every rejection
//! here corresponds to a common shape in real code and configuration that is not a secret.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::verdict::{Strength, Verdict};

/// Parts of a key name that make its value metadata about a secret, not the secret.
const METADATA_NAME_PARTS: &[&str] = &[
    "hash",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "checksum",
    "digest",
    "fingerprint",
    "public",
    "pubkey",
    "integrity",
    "_url",
    "_uri",
    "_endpoint",
    "_file",
    "_path",
    "_dir",
    "_name",
    "_type",
    "_id",
    "_env",
    "_var",
    "_len",
    "_length",
    "_count",
    "_size",
    "_limit",
    "_field",
    "_header",
    "_prefix",
    "_format",
    "_ttl",
    "_expir",
    "_version",
    "_provider",
    "_class",
    "_mode",
    "_kind",
    "_label",
    "_policy",
    "_ref",
    "_arn",
    "_source",
    "_template",
    "_location",
    "max_",
    "min_",
    "num_",
    "n_",
    "_per_",
];

/// Words (lowercase) that, inside a value, show it describes a secret instead of being one.
const DESCRIPTIVE_WORDS: &[&str] = &[
    "password", "passwd", "secret", "token", "apikey", "api_key", "://", "::", "->",
];

pub fn check(value: &str, context: &str) -> Verdict {
    if is_secret_like(value, context) {
        Verdict::pass(Strength::Plausible)
    } else {
        Verdict::Invalid
    }
}

/// Longer values are data (base64 blobs, minified code), not something a person assigned.
const MAX_GENERIC_LEN: usize = 200;

/// Automatons built once: this check runs on every generic regex match.
fn automaton(cell: &'static OnceLock<AhoCorasick>, words: &[&str]) -> &'static AhoCorasick {
    cell.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("static words build")
    })
}

fn is_secret_like(value: &str, context: &str) -> bool {
    static NAME_PARTS: OnceLock<AhoCorasick> = OnceLock::new();
    static VALUE_WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    if value.len() > MAX_GENERIC_LEN
        || value.starts_with(['/', '~', '.', '@', '!', '&', '*', '#', ':'])
        || is_uuid(value)
        || is_attribute_path(value)
    {
        return false;
    }
    if automaton(&VALUE_WORDS, DESCRIPTIVE_WORDS).is_match(value) {
        return false;
    }
    // Key names use `-`, `.` and `_` interchangeably; compare them in one spelling.
    let name: String = context
        .bytes()
        .map(|b| {
            if b == b'-' || b == b'.' {
                '_'
            } else {
                b as char
            }
        })
        .collect();
    if automaton(&NAME_PARTS, METADATA_NAME_PARTS).is_match(&name) {
        return false;
    }
    let has_letter = value.bytes().any(|b| b.is_ascii_alphabetic());
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_symbol = value.bytes().any(|b| !b.is_ascii_alphanumeric());
    let has_upper = value.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = value.bytes().any(|b| b.is_ascii_lowercase());
    // Word-like values (`PasswordInputWidget`, `bearer`) have letters only; random ones mix.
    has_letter && (has_digit || (has_symbol && has_upper && has_lower))
}

/// 8-4-4-4-12 hex: an identifier, not a secret, when generic rules see it.
fn is_uuid(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `config.openai.api_key`, `AccessTokenProvider.default`, `self.secret`: code, not a value.
/// The receiver may be a literal (`8u32.to_le_bytes`, `0.5f.toString`); every later part is
/// an identifier.
fn is_attribute_path(value: &str) -> bool {
    let is_word = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    let mut parts = value.split('.');
    let receiver = parts.next().unwrap_or_default();
    value.contains('.')
        && is_word(receiver)
        && parts.all(|part| {
            is_word(part)
                && part
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_random_values() {
        assert!(is_secret_like("Zk8#qL2!vX9@mN4w", "DB_PASSWORD"));
        assert!(is_secret_like("9g77y1bOeCvu0oEhOxjvoVdl", "api_key"));
    }

    #[test]
    fn rejects_shapes_that_are_not_secrets() {
        assert!(!is_secret_like(
            "123e4567-e89b-12d3-a456-426614174000",
            "api_key"
        ));
        assert!(!is_secret_like("config.openai.api_key", "api_key"));
        assert!(!is_secret_like("8u32.to_le_bytes", "tokens"));
        assert!(!is_secret_like("PasswordInputWidget", "password_widget"));
        assert!(!is_secret_like(
            "e3b0c44298fc1c149afbf4c8996fb924",
            "password_hash"
        ));
        assert!(!is_secret_like("https://x.org/token", "token"));
        assert!(!is_secret_like("my_password_123", "password"));
        assert!(!is_secret_like("/run/secrets/x1", "secret"));
        // `super::credential::basic_auth_b64`: a path, seen from its `credential` segment.
        assert!(!is_secret_like(":basic_auth_b64", "credential"));
    }
}
