//! Finding the repository around a scanned path: its root (what SARIF paths are relative
//! to) and the revision checked out there (SARIF `versionControlProvenance`).
//!
//! Best effort by design: a directory that is not a git repository, or a repository with no
//! remote, still gets a valid report, with paths relative to the current directory and no
//! provenance.

use std::path::{Path, PathBuf};

use git2::Repository;
use url::Url;

use super::context::{SrcRoot, VersionControl};
use super::sarif::uri::directory_uri;

/// The source root and revision for a scan of `paths`, run from the current directory. The
/// root is the work tree of the repository holding the first path when every path is in
/// it, else the deepest directory holding them all (the scanned directory itself, for one):
/// every finding's URI is then relative to `%SRCROOT%`.
pub fn discover(paths: &[PathBuf]) -> (SrcRoot, Option<VersionControl>) {
    let Ok(cwd) = std::env::current_dir().and_then(|d| d.canonicalize()) else {
        return (SrcRoot::Given, None);
    };
    let scanned: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            let full = cwd.join(p);
            full.canonicalize().unwrap_or(full)
        })
        .collect();
    let holds_all = |root: &Path| scanned.iter().all(|p| p.starts_with(root));
    let repo = scanned
        .first()
        .and_then(|first| Repository::discover(first).ok());
    let workdir = repo
        .as_ref()
        .and_then(|r| r.workdir())
        .and_then(|w| w.canonicalize().ok())
        .filter(|w| holds_all(w));
    let root = workdir.unwrap_or_else(|| common_dir(&scanned));
    let version_control = repo.as_ref().and_then(|r| describe(r, None));
    (SrcRoot::Dir { root, cwd }, version_control)
}

/// The deepest directory holding every path in `paths` (a file counts by its directory).
fn common_dir(paths: &[PathBuf]) -> PathBuf {
    let dir_of = |p: &PathBuf| {
        if p.is_dir() {
            p.clone()
        } else {
            p.parent().map_or_else(|| p.clone(), Path::to_path_buf)
        }
    };
    let mut dirs = paths.iter().map(dir_of);
    let Some(mut common) = dirs.next() else {
        return PathBuf::from("/");
    };
    for dir in dirs {
        while !dir.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// `revision` (a revision spec, e.g. a range's head; default `HEAD`) of `repo`, named by its
/// remote's URL, or, for a repository with no network remote (a local clone, a mirror on
/// disk), by its own directory as a `file:` URI: the commit scanned is always recorded.
pub fn describe(repo: &Repository, revision: Option<&str>) -> Option<VersionControl> {
    let remote_uri = repo
        .find_remote("origin")
        .ok()
        .or_else(|| {
            let names = repo.remotes().ok()?;
            let first = names.iter().flatten().next()?.to_string();
            repo.find_remote(&first).ok()
        })
        .and_then(|remote| remote.url().and_then(sanitize_remote_url));
    let repository_uri = remote_uri.unwrap_or_else(|| {
        let dir = repo.workdir().unwrap_or(repo.path());
        directory_uri(&dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()))
    });
    let spec = revision.unwrap_or("HEAD");
    let revision_id = repo
        .revparse_single(spec)
        .and_then(|o| o.peel_to_commit())
        .ok()
        .map(|c| c.id().to_string());
    // The branch name, when the revision is a branch (or HEAD on one).
    let reference = if spec == "HEAD" {
        repo.head().ok()
    } else {
        repo.resolve_reference_from_short_name(spec).ok()
    };
    let branch = reference
        .as_ref()
        .filter(|r| r.is_branch() || r.is_remote())
        .and_then(|r| r.shorthand().map(str::to_string));
    Some(VersionControl {
        repository_uri,
        revision_id,
        branch,
    })
}

/// A remote URL as an absolute URI with no user name, password, query or fragment (a CI checkout may embed a
/// token in it, and a report must never carry one). `git@host:owner/repo` becomes
/// `ssh://host/owner/repo`. Local paths give `None`: they name nothing outside this machine.
pub fn sanitize_remote_url(remote: &str) -> Option<String> {
    let parsed = match Url::parse(remote) {
        Ok(url) if url.has_host() => url,
        _ => {
            // scp-like syntax: [user@]host:path, with no scheme and no slash before the colon.
            let (host, path) = remote.split_once(':')?;
            if host.len() < 2 || host.contains('/') || path.starts_with("//") {
                // (A one-letter "host" is a Windows drive.)
                return None;
            }
            let host = host.rsplit('@').next()?;
            Url::parse(&format!("ssh://{host}/{}", path.trim_start_matches('/'))).ok()?
        }
    };
    let mut url = parsed;
    url.set_username("").ok()?;
    url.set_password(None).ok()?;
    // A token may ride in the query or fragment as well (`?access_token=...`).
    url.set_query(None);
    url.set_fragment(None);
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_lose_credentials() {
        assert_eq!(
            // keyhound:allow-next-line
            sanitize_remote_url("https://x-access-token:abc123@github.com/o/r.git").as_deref(),
            Some("https://github.com/o/r.git")
        );
        assert_eq!(
            sanitize_remote_url("git@github.com:o/r.git").as_deref(),
            Some("ssh://github.com/o/r.git")
        );
        assert_eq!(
            sanitize_remote_url("ssh://git@example.com:2222/o/r").as_deref(),
            Some("ssh://example.com:2222/o/r")
        );
        assert_eq!(
            // keyhound:allow-next-line
            sanitize_remote_url("https://git.example.test/o/r.git?token=Zq8Wm3Xr7Tp2#frag=x")
                .as_deref(),
            Some("https://git.example.test/o/r.git")
        );
        assert_eq!(sanitize_remote_url("/srv/git/r.git"), None);
        assert_eq!(sanitize_remote_url("../r"), None);
    }
}
