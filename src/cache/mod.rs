//! The persistent scan cache: what scanning each git blob found, kept between runs so that a
//! second `keyhound history` of a repository reads and scans only the blobs it has not seen.
//!
//! A blob id names its content, so a blob's raw scan ([`RawScan`]: every match located,
//! nothing filtered) depends only on that content, on what its name tells the decoders
//! ([`crate::decode::format_key`]) and on the scan's identity: the rule set, the decode limits
//! and keyhound's version ([`identity`]). Entries are kept under all three, so one cache
//! serves every repository, and a rule change or a new keyhound simply misses. Everything a
//! run may change without rescanning (allowlists, inline markers' effect, the confidence floor,
//! the baseline, the path and commit that reached the blob) is applied after the cache.
//!
//! The store is one `redb` file: ACID transactions with copy-on-write pages (a crash mid-write
//! leaves the last committed state), and an exclusive file lock, so a second run that finds
//! the cache in use scans without it instead of waiting or corrupting it. The cache holds raw
//! secrets (the excerpts reports need), so its directory is created `0700` and its file
//! `0600`; it is never placed inside the scanned repository.

mod store;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use store::{clear, info, CacheInfo, ScanCache, WalkUse};

use crate::scanner::Scanner;

/// The environment variable that names the cache directory (tests, CI, a shared disk).
pub const CACHE_DIR_ENV: &str = "KEYHOUND_CACHE_DIR";

/// The cache file's name inside the cache directory.
pub const CACHE_FILE_NAME: &str = "scan-cache.redb";

/// Bumped whenever what a [`RawScan`] holds or means changes in a way the crate version
/// would not show (a development build): entries of another format are never read.
///
/// [`RawScan`]: crate::scanner::RawScan
const FORMAT: u32 = 1;

/// Identities kept: the most recently used ones (one per rule set a user runs, say a
/// repository with its own rules and the defaults); older ones are pruned.
pub const KEPT_IDENTITIES: usize = 4;

/// The cache directory: `$KEYHOUND_CACHE_DIR`, else the user's cache directory
/// (`$XDG_CACHE_HOME/keyhound` or `~/.cache/keyhound` on Linux, `~/Library/Caches/keyhound`
/// on macOS, `%LOCALAPPDATA%\keyhound` on Windows). `None` when neither is known.
pub fn default_dir() -> Option<PathBuf> {
    match std::env::var_os(CACHE_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::cache_dir().map(|d| d.join("keyhound")),
    }
}

/// The cache file in `dir`.
pub fn file_in(dir: &Path) -> PathBuf {
    dir.join(CACHE_FILE_NAME)
}

/// The scan identity: a hash of everything that can change what scanning a blob finds, so
/// that entries made under other rules or limits are never read. That is keyhound's version,
/// the hash of the sources it was built from and the cache format, every rule the engine runs (bundled and the config's own, in order,
/// with every field of its definition), the size limit and the decode limits.
pub fn identity(scanner: &Scanner) -> [u8; 32] {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    // The build's sources: a development build changes code without changing the version.
    field(env!("KEYHOUND_SOURCE_HASH").as_bytes());
    field(&FORMAT.to_le_bytes());
    for rule in scanner.engine.rules() {
        // Serialisation never fails for a rule (strings, numbers, lists).
        field(&serde_json::to_vec(rule).unwrap_or_default());
    }
    field(&scanner.max_file_size.to_le_bytes());
    let d = &scanner.decode;
    for n in [
        d.max_depth as u64,
        d.max_member_bytes,
        d.max_archive_bytes,
        d.max_members,
    ] {
        field(&n.to_le_bytes());
    }
    hash.finalize().into()
}

/// Whether `dir` lies inside any of `repo_dirs` (a work tree, a git directory): the cache
/// must never be written into what is scanned.
pub fn is_inside(dir: &Path, repo_dirs: &[&Path]) -> bool {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    // The directory may not exist yet: judge its nearest existing ancestor.
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .map(canonical)
        .unwrap_or_default();
    let missing = dir
        .strip_prefix(
            dir.ancestors()
                .find(|a| a.exists())
                .unwrap_or(Path::new("")),
        )
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let dir = existing.join(missing);
    repo_dirs
        .iter()
        .map(|r| canonical(r))
        .any(|repo| dir.starts_with(&repo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Engine;

    #[test]
    fn identity_follows_rules_and_limits() {
        let base = Scanner::new(Engine::builtin());
        let id = identity(&base);
        assert_eq!(id, identity(&Scanner::new(Engine::builtin())));
        let mut smaller = Scanner::new(Engine::builtin());
        smaller.max_file_size = 1;
        assert_ne!(id, identity(&smaller));
        let mut shallow = Scanner::new(Engine::builtin());
        shallow.decode.max_depth = 0;
        assert_ne!(id, identity(&shallow));
        let mut rules = crate::rules::builtin_rules();
        rules[0].regex.push('x');
        let changed = Scanner::new(Engine::new(rules).unwrap());
        assert_ne!(id, identity(&changed));
    }

    #[test]
    fn inside_a_repository_is_refused() {
        let repo = tempfile::tempdir().unwrap();
        let inside = repo.path().join(".git/keyhound-cache");
        assert!(is_inside(&inside, &[repo.path()]));
        let other = tempfile::tempdir().unwrap();
        assert!(!is_inside(other.path(), &[repo.path()]));
    }
}
