//! The `generic-secret` check: is a value assigned to a secret-named key really a secret?
//!
//! Generic rules are where scanners drown their users in false positives. The check judges
//! two things, each the way a reader would:
//!
//! - **The key**, parsed into its words ([`key_segments`]: snake, kebab, dot and camel case).
//!   A key is secret-named when one of its words is a secret word (`password`, `token`,
//!   `api` + `key`, ...), and it is not when a word after that one makes the value metadata
//!   about a secret (`api_key_id`, `token_url`, `password_hash`), when it names a form or
//!   anti-forgery token (`authenticity_token`, `csrf_token`), or when `token` is the NLP word
//!   (`tokenizer`, `max_tokens`, `pad_token`). Words, not substrings: `admin_password` is not
//!   rejected for containing `n_`, nor `oauth_refresh_token` for containing `_ref`.
//! - **The value**: references, paths, URLs, identifiers, type names, package pins, `org/name`
//!   ids, code, non-ASCII text and the stand-ins people type into tests and docs
//!   (`hf_oauth_123`, `a1B2c3D4e5F6`) are not secrets. Every rejection corresponds to a common
//!   shape in real code and configuration.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::verdict::{Strength, Verdict};

/// Words that make a key secret-named on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "passcode",
    "secret",
    "secrets",
    "token",
    "credential",
    "credentials",
    "apikey",
    "salt",
];

/// Words that, written together into one word (`dbpassword`, `accesstoken`), still end in a
/// secret word.
const SECRET_SUFFIXES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "credentials",
    "privatekey",
    "accesskey",
    "secretkey",
];

/// First words of two-word secret names ending in `key`: `api_key`, `signing_key`, ...
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "auth",
    "private",
    "secret",
    "encryption",
    "signing",
    "deterministic",
    "master",
    "hmac",
];

/// Words that, after the secret word, make the value metadata about a secret, not the secret.
const METADATA_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "checksum",
    "digest",
    "fingerprint",
    "url",
    "uri",
    "endpoint",
    "host",
    "file",
    "path",
    "dir",
    "name",
    "names",
    "type",
    "id",
    "ids",
    "env",
    "var",
    "len",
    "length",
    "count",
    "size",
    "limit",
    "field",
    "header",
    "prefix",
    "suffix",
    "format",
    "ttl",
    "expiry",
    "expires",
    "expiration",
    "expire",
    "version",
    "provider",
    "class",
    "mode",
    "kind",
    "label",
    "policy",
    "ref",
    "arn",
    "source",
    "template",
    "location",
    "repo",
    "model",
    "processor",
    "regex",
    "pattern",
    "placeholder",
    "hint",
    "description",
    "param",
    "column",
    "widget",
    "input",
    "manager",
    "service",
    "store",
    "strategy",
    "validator",
    "generator",
    "helper",
    "handler",
    "factory",
    "style",
];

/// Extensions that make a dotted key a file's name (`"src/token.rs": "<sha256>"`,
/// `"lib/libwinapi_...-credentials-l1-1-0.a": "<sha256>"` in a `.cargo-checksum.json`): the
/// value is that file's checksum.
const FILE_EXTENSIONS: &[&str] = &[
    "rs", "py", "go", "js", "ts", "rb", "json", "yml", "yaml", "toml", "txt", "md", "html", "java",
    "kt", "cpp", "hpp", "c", "h", "a", "so", "dll", "lib", "dylib", "o",
];

/// Words that, anywhere in the key, make the value something other than a secret.
const MODIFIER_WORDS: &[&str] = &[
    "public",
    "pub",
    "pubkey",
    "max",
    "min",
    "num",
    "n",
    "per",
    "is",
    "has",
    "use",
    "show",
    "hide",
    "enable",
    "enabled",
    "require",
    "required",
    "encrypted",
    "integrity",
    // WebRTC's ICE credentials (`a=ice-pwd:` in SDP): made up per session by the peers, and
    // dead when the call ends.
    "ice",
];

/// Words beside `token` that make it the NLP word: a unit of text, not a credential.
const NLP_WORDS: &[&str] = &[
    "tokenizer",
    "tokenizers",
    "tokenize",
    "tokenized",
    "tokenization",
    "tokens",
    "pad",
    "bos",
    "eos",
    "unk",
    "sep",
    "cls",
    "mask",
    "special",
    "trigger",
    "vocab",
    "embedding",
    "embeddings",
    "logits",
    "prompt",
    "word",
    "text",
    "image",
    "audio",
    "video",
    "vision",
    "start",
    "end",
    "added",
];

/// Words beside `token` that make it a pagination cursor (`pageToken`, `NextToken`,
/// `continuation_token`): where a listing resumes, not a credential.
const PAGING_WORDS: &[&str] = &[
    "page",
    "paging",
    "pagination",
    "next",
    "continuation",
    "cursor",
];

/// Words naming an anti-forgery or form token: it protects a form, it grants nothing.
const FORM_TOKEN_WORDS: &[&str] = &[
    "authenticity",
    "forgery",
    "antiforgery",
    "csrf",
    "xsrf",
    "requestverificationtoken",
    "csrftoken",
    "xsrftoken",
    "csrfmiddlewaretoken",
    "nonce",
];

/// Words (lowercase) that, inside a value, show it describes a secret instead of being one.
const DESCRIPTIVE_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "credential",
    "://",
    "::",
    "->",
];

pub fn check(value: &str, context: &str) -> Verdict {
    if is_secret_name(context) && is_secret_value(value) {
        Verdict::pass(Strength::Plausible)
    } else {
        Verdict::Invalid
    }
}

/// First words of a `*_key` that make it no credential: public keys (a publishable or
/// reCAPTCHA site key), and the database, cache and message keys configuration names too.
const NON_SECRET_KEY_WORDS: &[&str] = &[
    "public",
    "publishable",
    "pub",
    "site",
    "primary",
    "foreign",
    "cache",
    "sort",
    "partition",
    "lookup",
    "idempotency",
    "dedup",
    "dedupe",
    "unique",
    "index",
    "group",
    "row",
    "column",
    "tag",
    "metric",
    "log",
    "map",
    "hash",
    "ssh",
    "gpg",
    "pgp",
];

/// `section-key`: a `*_key`, `*_token` or `*_secret` setting under a section named after a
/// provider (`pagerduty:` → `routing_key:`, `[datadog]` → `api_key =`). The section says
/// whose key it is, which the key's own name (`routing_key`, `service_key`) does not, so any
/// `*_key` qualifies; the value must still look like something a provider issued (the rule
/// sets a length and entropy floor) and not like a placeholder or reference.
pub fn section_key(value: &str, key: &str) -> Verdict {
    let words = key_segments(key);
    let named = words
        .last()
        .is_some_and(|w| ["key", "token", "secret", "apikey"].contains(&w.as_str()));
    let public = words.iter().any(|w| {
        NON_SECRET_KEY_WORDS.contains(&w.as_str()) || MODIFIER_WORDS.contains(&w.as_str())
    });
    let mixed =
        value.bytes().any(|b| b.is_ascii_alphabetic()) && value.bytes().any(|b| b.is_ascii_digit());
    if named && !public && mixed && is_secret_value(value) {
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

/// The words of a key name, lowercase: `TINY_TOKENIZER_REPO` → `tiny tokenizer repo`,
/// `oauthRefreshToken` → `oauth refresh token`, `APIKey` → `api key`, `db.password` →
/// `db password`. Digits stay with their word (`sha256`, `oauth2`).
pub fn key_segments(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut segments = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                segments.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            // `apiKey` splits before `K`; `APIKey` splits before the `K` that starts `Key`.
            let boundary = c.is_ascii_uppercase()
                && (prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower));
            if boundary {
                segments.push(std::mem::take(&mut current));
            }
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

/// Whether word `i` (with the word after it) names a secret, and where that name ends.
fn secret_word_at(segments: &[String], i: usize) -> Option<usize> {
    let word = segments[i].as_str();
    if SECRET_WORDS.contains(&word) || SECRET_SUFFIXES.iter().any(|s| word.ends_with(s)) {
        return Some(i);
    }
    let next_is_key = segments
        .get(i + 1)
        .is_some_and(|n| n == "key" || n == "keys");
    (KEY_QUALIFIERS.contains(&word) && next_is_key).then_some(i + 1)
}

/// Whether `key` names a secret, judged word by word.
pub fn is_secret_name(key: &str) -> bool {
    if key
        .rsplit_once('.')
        .is_some_and(|(_, ext)| FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
    {
        return false;
    }
    // A JSON `\u0026` escape before the name (`\u0026pageToken=` in a recorded URL) is not
    // part of it.
    let segments: Vec<String> = key_segments(key)
        .into_iter()
        .map(|s| match s.strip_prefix("u00") {
            Some(rest)
                if rest.len() > 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit) =>
            {
                rest[2..].to_string()
            }
            _ => s,
        })
        .collect();
    let Some(last_secret) = (0..segments.len())
        .filter_map(|i| secret_word_at(&segments, i))
        .max()
    else {
        return false;
    };
    let has = |words: &[&str]| segments.iter().any(|s| words.contains(&s.as_str()));
    if has(FORM_TOKEN_WORDS)
        || segments
            .iter()
            .any(|s| s.contains("csrf") || s.contains("xsrf"))
    {
        return false;
    }
    if has(MODIFIER_WORDS) {
        return false;
    }
    let names_token = segments
        .iter()
        .any(|s| s == "token" || s.ends_with("token"));
    if names_token && (has(NLP_WORDS) || has(PAGING_WORDS)) {
        return false;
    }
    !segments[last_secret + 1..]
        .iter()
        .any(|s| METADATA_WORDS.contains(&s.as_str()))
}

/// Whether `value` could be a secret someone assigned (the key is judged separately).
pub fn is_secret_value(value: &str) -> bool {
    static VALUE_WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    if value.len() > MAX_GENERIC_LEN
        || !value.is_ascii()
        || value.starts_with(['/', '~', '.', '@', '!', '&', '*', '#', ':'])
        || value.ends_with("...")
        || is_uuid(value)
        || is_attribute_path(value)
        || is_package_pin(value)
        || is_repo_id(value)
        || is_identifier(value)
        || is_word_and_counter(value)
        || is_alternation(value)
        || is_code(value)
        || is_constant_name(value)
        || is_chained_assignment(value)
    {
        return false;
    }
    // `L@stWr!t3T0k3n` spells its own name: read as letters, it describes a token.
    if automaton(&VALUE_WORDS, DESCRIPTIVE_WORDS).is_match(value)
        || automaton(&VALUE_WORDS, DESCRIPTIVE_WORDS).is_match(&unleet(value))
    {
        return false;
    }
    let has_letter = value.bytes().any(|b| b.is_ascii_alphabetic());
    let has_digit = value.bytes().any(|b| b.is_ascii_digit());
    let has_symbol = value.bytes().any(|b| !b.is_ascii_alphanumeric());
    let has_upper = value.bytes().any(|b| b.is_ascii_uppercase());
    let has_lower = value.bytes().any(|b| b.is_ascii_lowercase());
    // Words joined by `_` and nothing else (`yaml_FOLDED_SCALAR_STYLE`,
    // `global___MapStringKeyStringValue`) are names: the `_` separates, it is no symbol.
    let only_underscores = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if only_underscores && !has_digit {
        return false;
    }
    // Word-like values (`PasswordInputWidget`, `bearer`) have letters only; random ones mix.
    has_letter && (has_digit || (has_symbol && has_upper && has_lower))
}

/// A webhook's signed payload carries a one-time `token` beside its `timestamp` and
/// `signature` (Mailgun, Slack's legacy verification): a nonce, not a credential. `around` is
/// the text of the lines near the assignment.
/// (The engine asks the two questions apart, the cheap one first.)
#[cfg(test)]
fn is_webhook_nonce(key: &str, around: &str) -> bool {
    names_a_nonce(key) && signs_a_payload(around)
}

/// A key that is just `token` or `nonce`: the only names a webhook nonce goes by. Checked
/// first, because it rejects nearly every generic match before their neighbouring lines are
/// read.
pub fn names_a_nonce(key: &str) -> bool {
    let segments = key_segments(key);
    segments == ["token"] || segments == ["nonce"]
}

/// Text that carries a webhook's `timestamp` and `signature`.
pub fn signs_a_payload(around: &str) -> bool {
    let lower = around.to_ascii_lowercase();
    lower.contains("timestamp") && lower.contains("signature")
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

/// `huggingface-hub==0.8.0`, `tokenizers>=0.13`: a requirement, not a value. Base64 padding
/// (`...A==`) is not followed by a version.
fn is_package_pin(value: &str) -> bool {
    ["==", ">=", "<=", "~=", "!="].iter().any(|op| {
        value.match_indices(op).any(|(i, _)| {
            let rest = value[i + 2..].trim_start_matches('v');
            i > 0 && rest.bytes().next().is_some_and(|b| b.is_ascii_digit())
        })
    })
}

/// `hf-internal-testing/tiny-random-bert`, `stabilityai/sdxl-turbo`: a model or repository
/// id. Base64 has no word separators and often `+` or `=`.
fn is_repo_id(value: &str) -> bool {
    let Some((org, name)) = value.split_once('/') else {
        return false;
    };
    let part_ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let separated = |p: &str| p.contains(['-', '_', '.']);
    part_ok(org) && part_ok(name) && (separated(org) || separated(name))
}

/// A type or class name (`Qwen2VLProcessor`, `CLIPTextModel`) or a snake/kebab-case name
/// made of words (`tiny_random_model`, `my-app-prod`): code, not a value.
fn is_identifier(value: &str) -> bool {
    let bytes = value.as_bytes();
    // PascalCase ending in a capitalised word of five or more letters (`...Processor`).
    let alnum = bytes.iter().all(u8::is_ascii_alphanumeric);
    if alnum && bytes[0].is_ascii_uppercase() {
        let tail_lower = bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let before = bytes.len().checked_sub(tail_lower + 1);
        if tail_lower >= 4 && before.is_some_and(|i| bytes[i].is_ascii_uppercase()) {
            return true;
        }
    }
    // Lowercase words joined by `_` or `-`, each all letters or all digits.
    let parts: Vec<&str> = value.split(['_', '-']).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && (p.bytes().all(|b| b.is_ascii_lowercase())
                    || p.bytes().all(|b| b.is_ascii_digit()))
        })
        && parts.iter().filter(|p| p.len() >= 3).count() >= 2
}

/// A word followed by a counter: `hf_oauth_123`, `rt_123`, `hf_api_123456`, `key2`,
/// `unaestheticXLv31`. A stand-in typed into a test or a prompt, not a generated value.
fn is_word_and_counter(value: &str) -> bool {
    let digits = value.bytes().rev().take_while(u8::is_ascii_digit).count();
    let head = &value[..value.len() - digits];
    (1..=6).contains(&digits)
        && head.bytes().any(|b| b.is_ascii_alphabetic())
        && head
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'_' || b == b'-')
}

/// Letters and digits taking turns with the letters in alphabetical order (`a1B2c3D4e5F6`,
/// `a1b2c3d4`): a pattern someone typed to look random.
fn is_alternation(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() < 6 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let alternates = bytes
        .windows(2)
        .all(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit());
    let letters: Vec<u8> = bytes
        .iter()
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    let ordered = letters.windows(2).all(|w| w[1] == w[0] + 1);
    alternates && ordered
}

/// Code rather than a value: a Ruby predicate (`respond_to?`, `withCredentials?`), a
/// namespace or arrow, a comparison.
/// A constant or type name (`D3D12_STENCIL_OP`, `WBEM_128BITS`, `MSV1_0_CREDENTIAL_KEY`):
/// parts joined by `_`, each an upper-case word with maybe a few digits, a lower-case word, a
/// capitalised word or a number, and at least one a real word. A generated value's parts mix
/// cases and run long.
fn is_constant_name(value: &str) -> bool {
    let parts: Vec<&str> = value.split('_').filter(|p| !p.is_empty()).collect();
    let uniform = |p: &str| {
        let b = p.as_bytes();
        let upper = b.len() <= 10
            && b.iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let lower = b.iter().all(u8::is_ascii_lowercase);
        let capital = b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase);
        let number = b.iter().all(u8::is_ascii_digit);
        upper || lower || capital || number
    };
    let word = |p: &&str| p.len() >= 3 && p.bytes().all(|c| c.is_ascii_alphabetic());
    parts.len() >= 2
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && parts.iter().all(|p| uniform(p))
        && parts.iter().any(word)
}

/// Minified code: `Ve.enableSticky=Ve.disableSticky=...`, an attribute path assigned on
/// (base64 padding is `=` only at the end).
fn is_chained_assignment(value: &str) -> bool {
    match value.split_once('=') {
        Some((head, rest)) => {
            rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && (is_attribute_path(head) || is_identifier(head))
        }
        None => false,
    }
}

/// `value` with digits and symbols read as the letters they stand in for (`T0k3n` → `token`,
/// `P@ss` → `pass`), for the descriptive-word check.
fn unleet(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            c => c,
        })
        .collect()
}

fn is_code(value: &str) -> bool {
    value.ends_with('?')
        && value[..value.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_secret_like(value: &str, key: &str) -> bool {
        matches!(check(value, key), Verdict::Valid(_))
    }

    #[test]
    fn accepts_random_values() {
        assert!(is_secret_like("Zk8#qL2!vX9@mN4w", "DB_PASSWORD"));
        assert!(is_secret_like("9g77y1bOeCvu0oEhOxjvoVdl", "api_key"));
        assert!(is_secret_like(
            "LQvH/nO69othB9KpGzU3HEEmXL1uhLsc",
            "client_secret"
        ));
        assert!(is_secret_like("rcHu+HzSFw89Ypyhn/896A==", "token"));
    }

    #[test]
    fn splits_keys_into_words() {
        assert_eq!(
            key_segments("TINY_TOKENIZER_REPO"),
            ["tiny", "tokenizer", "repo"]
        );
        assert_eq!(
            key_segments("oauthRefreshToken"),
            ["oauth", "refresh", "token"]
        );
        assert_eq!(key_segments("APIKey"), ["api", "key"]);
        assert_eq!(key_segments("db.password-v2"), ["db", "password", "v2"]);
        assert_eq!(key_segments("sha256Digest"), ["sha256", "digest"]);
    }

    #[test]
    fn judges_key_names_by_word_not_substring() {
        // Recall: `n_`, `_id` and `_ref` inside other words reject nothing any more.
        for key in [
            "ADMIN_PASSWORD",
            "LOGIN_PASSWORD",
            "ACCESS_TOKEN_SECRET",
            "oauth_token_secret",
            "oauth_refresh_token",
            "identity_token",
            "encryption_key",
            "signingKey",
            "key_derivation_salt",
            "DB_PASS",
            "Pwd",
            "passphrase",
            "config.secret_key_base",
            "dbpassword",
            "device_password",
        ] {
            assert!(is_secret_name(key), "{key} should be secret-named");
        }
        for key in [
            "tokenizer",
            "TINY_TOKENIZER_REPO",
            "max_tokens",
            "token_ids",
            "pad_token",
            "authenticity_token",
            "csrf_token",
            "X-CSRF-Token",
            "api_key_id",
            "token_url",
            "password_hash",
            "public_key",
            "passthrough",
            "bypass",
            "monkey",
            "secret_name",
            "primary_key",
            "ice-pwd",
        ] {
            assert!(!is_secret_name(key), "{key} should not be secret-named");
        }
    }

    #[test]
    fn rejects_shapes_that_are_not_secrets() {
        assert!(!is_secret_like(
            "123e4567-e89b-12d3-a456-426614174000",
            "api_key"
        ));
        assert!(!is_secret_like("config.openai.api_key", "api_key"));
        assert!(!is_secret_like("8u32.to_le_bytes", "secret"));
        assert!(!is_secret_like("PasswordInputWidget", "password"));
        assert!(!is_secret_like("https://x.org/token", "token"));
        assert!(!is_secret_like("my_password_123", "password"));
        assert!(!is_secret_like("/run/secrets/x1", "secret"));
        // `super::credential::basic_auth_b64`: a path, seen from its `credential` segment.
        assert!(!is_secret_like(":basic_auth_b64", "credential"));
        for value in [
            "huggingface-hub==0.8.0",
            "tokenizers>=0.13.2",
            "hf-internal-testing/tiny-random-Gemma3ForCausalLM",
            "Qwen2VLProcessor",
            "CLIPTextModel",
            "respond_to?",
            "withCredentials?",
            "Slovenčina2",
            "hf_oauth_123",
            "rt_123456",
            "hf_api_123456",
            "unaestheticXLv31",
            "a1B2c3D4e5F6",
            "sk-abc123...",
            "tiny_random_model_2",
            // Constants, types and names in vendored code (wandb/wandb's history).
            "D3D12_STENCIL_OP",
            "WBEM_128BITS",
            "MSV1_0_CREDENTIAL_KEY",
            "CRYPT_PKCS8_IMPORT_PARAMS",
            "Uri_PROPERTY",
            "yaml_FOLDED_SCALAR_STYLE",
            "global___MapStringKeyStringValue",
            "X-Amz-Credential",
            "v4aCredentialProvider",
            "Ve.enableSticky=Ve.disableSticky=Ve.SUPPORT_STICKY",
            "L@stWr!t3T0k3n",
        ] {
            assert!(
                !is_secret_value(value),
                "{value} should not be a secret value"
            );
        }
        // Generated values with underscores, digits and padding still are.
        for value in [
            "xk_prod_4eC39HqLyjWDarjtT1zdp7dc", // keyhound:allow (fake)
            "q8Lr3Tz9_Wm2Kx7VbN4pZ",
            "dGhpcyBpcyBhIHRlc3Q=",
            "Zk8#qL2!vX9@mN4w",
        ] {
            assert!(is_secret_value(value), "{value} should be a secret value");
        }
        // A cursor and a checksummed file are not secrets.
        assert!(!is_secret_name("pageToken"));
        assert!(!is_secret_name("NextToken"));
        assert!(!is_secret_name("token.rs"));
        assert!(!is_secret_name(
            "lib/libwinapi_security-credentials-l1-1-0.a"
        ));
        assert!(!is_secret_name("u0026pageToken"));
        assert!(is_secret_name("secret.key"));
        assert!(is_secret_name("u0026access_token"));
        assert!(is_secret_name("nextauth_secret"));
    }

    #[test]
    fn keys_under_a_provider_section() {
        let pass = |v: &str, k: &str| matches!(section_key(v, k), Verdict::Valid(_));
        assert!(pass("b186506ebaaa122c7e29f5895bf06069", "routing_key"));
        assert!(pass("q8Lr3Tz9Wm2Kx7VbN4pZ6sYt", "serviceKey"));
        assert!(pass("q8Lr3Tz9Wm2Kx7VbN4pZ6sYt", "api_token"));
        for key in [
            "public_key",
            "site_key",
            "primary_key",
            "cache_key",
            "key_id",
            "key_file",
        ] {
            assert!(!pass("q8Lr3Tz9Wm2Kx7VbN4pZ6sYt", key), "{key}");
        }
        for value in [
            "my-routing-key-goes-here",
            "ENV.fetch(KEY)",
            "abcdefghijklmnopqr",
        ] {
            assert!(!pass(value, "routing_key"), "{value}");
        }
    }

    #[test]
    fn webhook_nonces_are_not_credentials() {
        let payload = "timestamp: 1539112500,\ntoken: \"7VwW7k6Ak7\",\nsignature: \"ef24\"";
        assert!(is_webhook_nonce("token", payload));
        assert!(!is_webhook_nonce("api_token", payload));
        assert!(!is_webhook_nonce("token", "token: \"7VwW7k6Ak7\""));
    }
}
