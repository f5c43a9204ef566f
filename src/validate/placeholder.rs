//! Rejection of placeholders, documentation examples and references to secrets kept elsewhere.
//!
//! These are the false positives that make people uninstall a scanner: `hf_xxxx...` in a
//! README, `AKIAIOSFODNN7EXAMPLE` from the AWS docs, `password: ${DB_PASSWORD}` in a compose
//! file, `api_key = os.environ["OPENAI_API_KEY"]` in a training script.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// Substrings (lowercase) that mark a value as a stand-in rather than a credential.
const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "<your",
    "insert_",
    "insert-",
    "replace_me",
    "replaceme",
    "redacted",
    "dummy",
    "xxxxxx",
    "******",
    "......",
    "000000000000",
    "123456789",
    "abcdefgh",
    "lorem",
    "fake_",
    "_fake",
    "notreal",
    "not_a_real",
    "sample_",
];

/// Prefixes and fragments that make a value a reference to a secret stored elsewhere: an
/// environment variable, a template variable, a secret manager lookup or a function call.
const REFERENCE_MARKERS: &[&str] = &[
    "${",
    "$(",
    "{{",
    "}}",
    "%(",
    "os.environ",
    "os.getenv",
    "getenv(",
    "process.env",
    "env(",
    "env[",
    "env.",
    "secrets.",
    "vault:",
    "ref+",
    "(",
    "[",
];

/// One case-insensitive automaton over every marker: candidates are checked in one pass, not
/// one substring search per marker (this runs on every regex match, so it is on the hot path).
fn markers() -> &'static AhoCorasick {
    static MARKERS: OnceLock<AhoCorasick> = OnceLock::new();
    MARKERS.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(PLACEHOLDER_MARKERS.iter().chain(REFERENCE_MARKERS))
            .expect("static markers build")
    })
}

/// True when `secret` looks like a placeholder, example or reference rather than a credential.
pub fn is_placeholder(secret: &str) -> bool {
    if super::known_examples::is_documented(secret) {
        return true;
    }
    if secret.starts_with(['$', '<', '%']) || markers().is_match(secret) {
        return true;
    }
    // Documentation truncates keys to show their shape: `sk-ant-api03-...`, `hf_…`.
    if secret.ends_with("...") || secret.contains('…') {
        return true;
    }
    // Judge the body, not a provider prefix such as `hf_` or `sk-proj-`.
    let body = strip_prefix(secret);
    if body.len() >= 8 && (mostly_one_char(body) || mostly_sequential(body)) {
        return true;
    }
    false
}

/// The part after the last `_` or `-` of a leading type marker (`ghp_`, `sk-proj-`), if the
/// marker is short; otherwise the whole value.
fn strip_prefix(secret: &str) -> &str {
    // Clamp to a char boundary: secrets from generic rules may hold any UTF-8.
    let mut end = secret.len().min(12);
    while !secret.is_char_boundary(end) {
        end -= 1;
    }
    let head = &secret[..end];
    match head.rfind(['_', '-']) {
        Some(i) => &secret[i + 1..],
        None => secret,
    }
}

/// More than half of the characters are one character: `hf_xxxxxxxxxxxxxxxx`, `aaaa1aaaa`.
fn mostly_one_char(body: &str) -> bool {
    let mut counts = [0usize; 256];
    for b in body.bytes() {
        counts[b as usize] += 1;
    }
    let max = counts.iter().copied().max().unwrap_or(0);
    max * 2 > body.len()
}

/// Most neighbouring characters step by one: `abcdefghij`, `0123456789`, `ABCDEF123456`.
fn mostly_sequential(body: &str) -> bool {
    let bytes = body.as_bytes();
    let steps = bytes
        .windows(2)
        .filter(|w| w[1] == w[0].wrapping_add(1))
        .count();
    steps * 10 >= (bytes.len() - 1) * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_documented_stand_ins() {
        for s in [
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "<YOUR_API_KEY>",
            "${OPENAI_API_KEY}",
            "os.environ[\"HF_TOKEN\"]",
            "changeme",
            "sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa",
            "ghp_abcdefghijklmnopqrstuvwxyz0123",
            "0123456789abcdef",
            "process.env.STRIPE_KEY",
            "{{ secrets.TOKEN }}",
            "sk-ant-api03-...",
            "hf_Qm7T…",
        ] {
            assert!(is_placeholder(s), "{s} should be a placeholder");
        }
    }

    #[test]
    fn non_ascii_values_do_not_panic() {
        assert!(!is_placeholder("BEGC7VL*mG0\u{fffd}Ms9q"));
        assert!(!is_placeholder("pässwörd-Zk8#qL2"));
    }

    #[test]
    fn keeps_random_tokens() {
        for s in [
            "hf_Qm7TzK2pW9vXcR4nB8yL1sD6fG3hJ0aEkUo",
            "ghp_R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs8Gk2Ma",
            "Zx9Qw8Er7Ty6Ui5Op4As",
            "AKIAQ3EGTRS2KMV4PLXN", // keyhound:allow (test fixture)
        ] {
            assert!(!is_placeholder(s), "{s} should not be a placeholder");
        }
    }
}
