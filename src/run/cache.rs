//! The scan cache as commands use it: opened for one repository's scan (or not, with the
//! warning to show), and the `keyhound cache` maintenance commands.

use std::path::{Path, PathBuf};

use git2::Repository;

use crate::cache::{default_dir, identity, is_inside, ScanCache};
pub use crate::cache::{CacheInfo, WalkUse};
use crate::error::Error;
use crate::scanner::Scanner;

/// The scan cache for scanning `repo` with `scanner`, or the one-line warning that says why
/// the scan runs without it (no cache directory, one inside the repository, a file in use
/// by another run or unreadable). Never an error: a cache problem must not fail a scan.
pub fn open_for(repo: &Repository, scanner: &Scanner) -> Result<ScanCache, String> {
    let dir = directory().ok_or_else(|| {
        "warning: no cache directory is known (set KEYHOUND_CACHE_DIR); scanning without the scan cache"
            .to_string()
    })?;
    let mut repo_dirs: Vec<&Path> = vec![repo.path(), repo.commondir()];
    repo_dirs.extend(repo.workdir());
    if is_inside(&dir, &repo_dirs) {
        return Err(format!(
            "warning: the cache directory {} is inside the scanned repository; scanning without the scan cache",
            dir.display()
        ));
    }
    ScanCache::open(&dir, &identity(scanner))
}

/// `KEYHOUND_NO_CACHE` set (to anything but empty or `0`): as `--no-cache` (for CI
/// jobs that should leave nothing behind, and this crate's own tests).
pub fn disabled_by_env() -> bool {
    std::env::var_os(NO_CACHE_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

/// The environment variable that turns the scan cache off.
pub const NO_CACHE_ENV: &str = "KEYHOUND_NO_CACHE";

/// The cache directory (`KEYHOUND_CACHE_DIR`, else the user's cache directory).
pub fn directory() -> Option<PathBuf> {
    default_dir()
}

/// The directory, or the error a maintenance command reports.
fn required_directory() -> Result<PathBuf, Error> {
    directory().ok_or_else(|| {
        Error::Usage("no cache directory is known: set KEYHOUND_CACHE_DIR (or HOME)".into())
    })
}

/// `keyhound cache info`.
pub fn info() -> Result<CacheInfo, Error> {
    crate::cache::info(&required_directory()?)
}

/// `keyhound cache clear`: deletes the cache file; returns its path and whether there was one.
pub fn clear() -> Result<(PathBuf, bool), Error> {
    let dir = required_directory()?;
    let removed = crate::cache::clear(&dir)?;
    Ok((crate::cache::file_in(&dir), removed))
}

/// The cache file's path (it may not exist yet).
pub fn path() -> Result<PathBuf, Error> {
    Ok(crate::cache::file_in(&required_directory()?))
}
