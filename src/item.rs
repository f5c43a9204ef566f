//! What flows from a source into the pipeline: an [`Item`], bytes with an [`Origin`].
//!
//! The origin travels with every finding made from the item, so later stages ask it rather
//! than re-parse strings: the filter asks for the path allowlists match, the git drivers for
//! the blob and the commit that introduced it, the report for the path to show.

use std::sync::Arc;

use git2::Oid;

/// One thing to scan.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    pub origin: &'a Origin,
    pub bytes: &'a [u8],
}

/// Where the bytes of an item (or of a part of one) came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of a working tree.
    File {
        /// As shown in reports: the path as given on the command line, forward slashes, no
        /// leading `./`.
        display: String,
        /// Relative to the scan root it was found under, for allowlist globs.
        relative: String,
    },
    /// Standard input (`keyhound scan -`).
    Stdin,
    /// A blob of history, reached first at `path` through `root`.
    Blob { blob: Oid, path: String, root: Root },
    /// A blob staged in the index, at `path`.
    Staged { blob: Oid, path: String },
    /// A member of an archive (or other container) that `parent` holds. `path` is the
    /// member's path inside it, nested members joined by `!` as the decoder names them.
    Member { parent: Box<Origin>, path: String },
}

/// How history reaches a blob: through a commit, or through a ref that points straight at a
/// tree or blob (no commit introduced it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Root {
    /// A commit: the provenance reported.
    Commit(Oid),
    /// A ref that points straight at a tree or blob (an annotated tag of a tree, a
    /// `refs/replace/*` entry), with no commit above it. Shared by every blob under it.
    Ref(Arc<str>),
    /// A commit that no ref reaches (force-pushed over, amended, a fetched pull request),
    /// still in the object database: `history --all-objects` walks it.
    Dangling(Oid),
    /// A blob that no commit or ref reaches at all (`git hash-object -w`, a dropped stash's
    /// leftovers): found only by listing the object database.
    Unreachable,
}

impl Root {
    /// True when no ref reaches what this root leads to.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Root::Dangling(_) | Root::Unreachable)
    }
}

/// Display name of the stdin item.
pub const STDIN_NAME: &str = "-";

impl Origin {
    /// The path reports show: `archive.zip!inner/path` for a member.
    pub fn display(&self) -> String {
        match self {
            Origin::File { display, .. } => display.clone(),
            Origin::Stdin => STDIN_NAME.to_string(),
            Origin::Blob { path, .. } | Origin::Staged { path, .. } => path.clone(),
            Origin::Member { parent, path } => format!("{}!{path}", parent.display()),
        }
    }

    /// The path allowlist globs are matched against: relative to the scan root (history and
    /// index paths are relative to the repository root already). A member is allowed by its
    /// outermost container's path.
    pub fn allowlist_path(&self) -> &str {
        match self {
            Origin::File { relative, .. } => relative,
            Origin::Stdin => STDIN_NAME,
            Origin::Blob { path, .. } | Origin::Staged { path, .. } => path,
            Origin::Member { parent, .. } => parent.allowlist_path(),
        }
    }

    /// This origin's member at `path` (as the decoder names it).
    pub fn member(&self, path: &str) -> Origin {
        Origin::Member {
            parent: Box::new(self.clone()),
            path: path.to_string(),
        }
    }

    /// True for the item itself, false for a member inside it: GitHub's line hash is computed
    /// over lines GitHub can read, which a member's are not.
    pub fn is_member(&self) -> bool {
        matches!(self, Origin::Member { .. })
    }

    /// The blob of history this origin is (or is inside), and how history reached it.
    pub fn blob(&self) -> Option<(Oid, Option<&Root>)> {
        match self {
            Origin::Blob { blob, root, .. } => Some((*blob, Some(root))),
            Origin::Staged { blob, .. } => Some((*blob, None)),
            Origin::Member { parent, .. } => parent.blob(),
            Origin::File { .. } | Origin::Stdin => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_show_and_allow_by_their_container() {
        let file = Origin::File {
            display: "corpus/bundle.zip".into(),
            relative: "bundle.zip".into(),
        };
        let inner = file.member("inner/a.zip!b.env");
        assert_eq!(inner.display(), "corpus/bundle.zip!inner/a.zip!b.env");
        assert_eq!(inner.allowlist_path(), "bundle.zip");
        assert!(inner.is_member() && !file.is_member());
        assert_eq!(inner.blob(), None);
        let blob = Origin::Blob {
            blob: Oid::zero(),
            path: "a/b.txt".into(),
            root: Root::Ref(Arc::from("refs/tags/t")),
        };
        assert_eq!(blob.member("x").blob().map(|b| b.0), Some(Oid::zero()));
    }
}
