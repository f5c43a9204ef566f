//! Artifact URIs: a finding's path as SARIF and GitHub want it.
//!
//! GitHub resolves `artifactLocation.uri` against the repository root (`%SRCROOT%`) and
//! URI-decodes it, so a path must be relative to that root, use forward slashes, and have
//! every character that is not allowed in a URI path percent-encoded (spaces, `#`, `%`,
//! `?`, non-ASCII as UTF-8 bytes). The root is chosen to hold every scanned path (see
//! `report::workspace::discover`), so a `file://` URI, valid SARIF that GitHub rejects, is
//! only the last resort for a path that escapes it.

use std::path::{Component, Path, PathBuf};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::report::context::SrcRoot;

/// The `uriBaseId` for paths relative to the repository root, as GitHub documents it.
pub const SRCROOT: &str = "%SRCROOT%";

/// What a relative path keeps literally: RFC 3986 `unreserved`, `sub-delims`, `@` and `/`.
/// `:` is encoded too, so a first segment such as `c:x` cannot be read as a URI scheme.
const RELATIVE_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b':');

/// For `file://` URIs, where a drive letter's `:` must stay as it is.
const ABSOLUTE_PATH: &AsciiSet = &RELATIVE_PATH.remove(b':');

/// A finding's path as a URI, and the base it is relative to (`None` for absolute URIs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactUri {
    pub uri: String,
    pub base: Option<&'static str>,
}

/// Maps a report path (see `Location::path`) to its artifact URI under `root`.
pub fn artifact_uri(path: &str, root: &SrcRoot) -> ArtifactUri {
    match root {
        SrcRoot::Given => {
            if Path::new(path).is_absolute() {
                absolute(Path::new(path))
            } else {
                relative(path.trim_start_matches("./"))
            }
        }
        SrcRoot::Dir { root, cwd } => {
            let full = normalize(&cwd.join(path));
            if let Ok(rel) = full.strip_prefix(root) {
                return relative(&slashed(rel));
            }
            // Reached through a symlink: the real path may be under the root.
            let real = full.canonicalize().unwrap_or_else(|_| full.clone());
            match real.strip_prefix(root) {
                Ok(rel) => relative(&slashed(rel)),
                Err(_) => absolute(&full),
            }
        }
    }
}

/// A directory as an absolute `file:` URI ending in `/` (what `originalUriBaseIds` and
/// `workingDirectory` hold).
pub fn directory_uri(dir: &Path) -> String {
    let mut uri = absolute(dir).uri;
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encodes a relative path.
pub fn encode_relative(path: &str) -> String {
    utf8_percent_encode(path, RELATIVE_PATH).to_string()
}

fn relative(path: &str) -> ArtifactUri {
    ArtifactUri {
        uri: encode_relative(path),
        base: Some(SRCROOT),
    }
}

fn absolute(path: &Path) -> ArtifactUri {
    let mut text = slashed(path);
    if !text.starts_with('/') {
        // A Windows drive path: file:///C:/...
        text.insert(0, '/');
    }
    ArtifactUri {
        uri: format!("file://{}", utf8_percent_encode(&text, ABSOLUTE_PATH)),
        base: None,
    }
}

/// A path with `/` separators, whatever the platform.
fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Resolves `.` and `..` without touching the file system (the file may be a git blob that
/// does not exist on disk).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(root: &str, cwd: &str) -> SrcRoot {
        SrcRoot::Dir {
            root: PathBuf::from(root),
            cwd: PathBuf::from(cwd),
        }
    }

    #[test]
    fn encodes_what_a_uri_path_cannot_hold() {
        let uri = artifact_uri("docs/my notes#1%?.md", &SrcRoot::Given);
        assert_eq!(uri.uri, "docs/my%20notes%231%25%3F.md");
        assert_eq!(uri.base, Some(SRCROOT));
        assert_eq!(
            artifact_uri("ünï/c:d", &SrcRoot::Given).uri,
            "%C3%BCn%C3%AF/c%3Ad"
        );
        // Sub-delims and archive member separators stay readable.
        assert_eq!(
            artifact_uri("./a.zip!inner/x(1)+y.txt", &SrcRoot::Given).uri,
            "a.zip!inner/x(1)+y.txt"
        );
    }

    #[test]
    fn rebases_onto_the_repository_root() {
        let root = dir("/repo", "/repo/sub");
        assert_eq!(artifact_uri("a/b.py", &root).uri, "sub/a/b.py");
        assert_eq!(artifact_uri("../top.txt", &root).uri, "top.txt");
        assert_eq!(artifact_uri("/repo/x/y", &root).uri, "x/y");
        let outside = artifact_uri("/elsewhere/my file", &root);
        assert_eq!(outside.uri, "file:///elsewhere/my%20file");
        assert_eq!(outside.base, None);
    }
}
