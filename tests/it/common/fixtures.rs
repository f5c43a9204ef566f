//! Checksummed fake tokens are generated at test time, never committed: a GitHub or npm token
//! with a valid CRC32 looks real to hosting providers' push protection whoever made it.
//! Corpus files hold `{{crc32:PREFIX_BODY}}` (BODY: the token's 30 random characters); the
//! tests scan a copy of `corpus/` in which each placeholder becomes the token with its
//! checksum, `PREFIX_BODY` + the CRC32 of BODY in 6 base62 digits (GitHub's 2021 format,
//! which npm adopted).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `prefix_body` + its checksum, e.g. `checksummed("ghp_", "GurL…thg")`.
pub fn checksummed(prefix: &str, body: &str) -> String {
    let mut n = crc32fast::hash(body.as_bytes());
    let mut digits = Vec::new();
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < 6 {
        digits.push(b'0');
    }
    digits.reverse();
    format!("{prefix}{body}{}", String::from_utf8(digits).unwrap())
}

/// `text` with every `{{crc32:PREFIX_BODY}}` replaced by its token.
pub fn expand(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{crc32:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{crc32:".len()..];
        let end = after.find("}}").expect("placeholder closes with }}");
        let token = &after[..end];
        let (prefix, body) = token.split_at(token.find('_').expect("PREFIX_BODY") + 1);
        assert_eq!(body.len(), 30, "{token}: BODY must be 30 characters");
        out.push_str(&checksummed(prefix, body));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The materialized copy of `corpus/`, made once per test process (in the system temporary
/// directory, outside any repository, like the committed corpus is scanned).
pub fn materialized_corpus() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = std::env::temp_dir();
        // Copies left by earlier runs (each run makes one) are removed once they are old.
        if let Ok(entries) = std::fs::read_dir(&base) {
            for entry in entries.flatten() {
                let stale = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 6 * 3600);
                let name = entry.file_name();
                if stale && name.to_string_lossy().starts_with("keyhound-corpus-") {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let dir = base.join(format!("keyhound-corpus-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy(&super::root().join("corpus"), &dir);
        dir
    })
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            copy(&src, &dst);
        } else {
            let bytes = std::fs::read(&src).unwrap();
            match String::from_utf8(bytes) {
                Ok(text) if text.contains("{{crc32:") => std::fs::write(&dst, expand(&text)),
                Ok(text) => std::fs::write(&dst, text),
                Err(e) => std::fs::write(&dst, e.into_bytes()),
            }
            .unwrap();
        }
    }
}

#[test]
fn expansion_rebuilds_a_known_valid_token() {
    // The same construction as the validator's own test vector.
    let token = checksummed("ghp_", "R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs");
    assert_eq!(token.len(), 40);
    assert_eq!(
        expand("x {{crc32:ghp_R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs}} y"),
        format!("x {token} y")
    );
}
