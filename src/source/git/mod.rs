//! Git sources: the full-history audit (every unique blob of every ref, scanned once), the
//! commit-range scan for CI and the staged scan for pre-commit hooks.
//!
//! The split follows the cost model in DESIGN.md: [`enumerate`] walks refs, commits and
//! trees once and streams each new blob to [`blobs`], whose workers (each with its own
//! `git2::Repository`, which is not `Sync`) read and scan them in parallel. [`added`] turns
//! diffs into the set of added lines that range and staged scans report on. [`metadata`]
//! reads a commit's author and summary only for commits that introduced a finding.

pub mod added;
pub mod blobs;
pub mod enumerate;
pub mod group;
pub mod metadata;
pub mod provenance;
pub mod range;
pub mod staged;

use std::path::Path;

use git2::{ErrorCode, Repository, RepositoryOpenFlags};

use crate::error::Error;

/// Opens the repository at `path`, or the one containing it (as `git` itself does). Works for
/// bare repositories. Not a repository: a message naming the path.
pub fn open_repo(path: &Path) -> Result<Repository, Error> {
    if std::fs::metadata(path).is_err() {
        return Err(Error::PathNotFound(path.to_path_buf()));
    }
    Repository::open_ext(
        path,
        RepositoryOpenFlags::empty(),
        &[] as &[&std::ffi::OsStr],
    )
    .map_err(|e| match e.code() {
        ErrorCode::NotFound => Error::Usage(format!(
            "{}: not a git repository (or any of its parent directories)",
            path.display()
        )),
        _ => git_error(format!("{}: cannot open repository", path.display()), e),
    })
}

/// Wraps a libgit2 error with what keyhound was doing.
pub fn git_error(context: impl Into<String>, source: git2::Error) -> Error {
    Error::Git {
        context: context.into(),
        source,
    }
}

/// True when libgit2 says the object is not in the object database (partial clones, broken
/// repositories): such objects are skipped and counted, never fatal.
pub fn is_missing(e: &git2::Error) -> bool {
    e.code() == ErrorCode::NotFound
}

/// A path inside a repository as keyhound displays it (git paths are bytes; non-UTF-8 bytes
/// become U+FFFD rather than an error).
pub fn path_string(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
