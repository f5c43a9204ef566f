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
mod objects;
mod order;
mod pack;
pub mod provenance;
pub mod range;
pub mod resume;
mod split_walk;
pub mod staged;
#[cfg(test)]
mod test_git;
mod tree;
pub mod walk_record;

use std::path::Path;

mod loose;

use git2::{ErrorCode, Repository, RepositoryOpenFlags};

use crate::error::Error;

/// Opens the repository at `path`, or the one containing it (as `git` itself does). Works for
/// bare repositories. Not a repository: a message naming the path.
pub fn open_repo(path: &Path) -> Result<Repository, Error> {
    if std::fs::metadata(path).is_err() {
        return Err(Error::PathNotFound(path.to_path_buf()));
    }
    let repo = Repository::open_ext(
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
    })?;
    // Before libgit2 reads any object: one truncated loose object makes it spin forever.
    loose::check_loose_objects(&objects_dir(&repo))?;
    Ok(repo)
}

/// The object directory of `repo` (shared by all its worktrees).
pub(crate) fn objects_dir(repo: &Repository) -> std::path::PathBuf {
    repo.commondir().join("objects")
}

/// A walk of commits parents-first (topological, reversed): every history walk keyhound makes
/// needs the commit that introduced something to come before the ones that inherit it.
pub fn parents_first_walk(repo: &Repository) -> Result<git2::Revwalk<'_>, Error> {
    let mut walk = repo
        .revwalk()
        .map_err(|e| git_error("cannot walk history", e))?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
        .map_err(|e| git_error("cannot walk history", e))?;
    Ok(walk)
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

/// Bytes of pack files libgit2 may keep mapped at once, across all repository handles.
/// Mapped pack pages count as resident memory; libgit2's default (8 GiB) would let a full
/// audit of a large repository map all its packs. Windows past the limit are unmapped, least
/// recently used first. The audit reads its commits, trees and blobs with its own pack
/// reader, so libgit2 is left the few objects of range and staged scans and those no pack
/// here holds: small windows serve them.
pub const PACK_MAPPED_LIMIT: usize = 32 << 20;
/// Size of one mapped pack window (libgit2's default is 1 GiB on 64-bit systems).
pub const PACK_WINDOW_SIZE: usize = 4 << 20;

/// Tunes libgit2 for streaming a whole history once: no object cache (every tree and commit
/// is read exactly once, so caching them only grows memory, up to 256 MiB by default), no
/// re-hashing of every object read (libgit2's collision-detecting SHA-1 cost about 30% of a
/// full audit's CPU in profiles; `git cat-file` does not verify either, and keyhound reads,
/// it does not vouch for integrity), and bounded pack mappings. Call before opening
/// repositories, while no other thread uses git.
pub fn tune_for_streaming() {
    git2::opts::enable_caching(false);
    git2::opts::strict_hash_verification(false);
    // SAFETY: these set libgit2 globals; keyhound calls this once, at start-up, before any
    // thread touches a repository.
    unsafe {
        let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_LIMIT);
        let _ = git2::opts::set_mwindow_size(PACK_WINDOW_SIZE);
    }
}

/// Hands the heap pages freed so far back to the system. A full audit frees its walk's
/// bookkeeping (tens of megabytes of small allocations) before it scans, and the scan's
/// buffers before it reports; glibc would otherwise keep them resident, and peak memory is
/// the sum of the phases instead of the largest. Elsewhere a no-op.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks and trims glibc's own arenas; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Caps glibc's heap arenas at `threads`. glibc gives threads arenas of their own, up to
/// eight per core, and each keeps the memory its thread freed: with `-j 8` on two cores a
/// full audit of rails peaked at 205 MB against 165 MB with two arenas, for the same time
/// (more threads than cores never run at once, so they gain nothing from more arenas).
/// Call before starting the workers. Elsewhere a no-op.
pub fn limit_heap_arenas(threads: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt sets a glibc tunable; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, threads.clamp(1, 64) as libc::c_int);
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = threads;
}
