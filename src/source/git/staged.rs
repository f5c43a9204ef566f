//! The staged scan for pre-commit hooks: what the index adds relative to HEAD.
//!
//! Before the first commit there is no HEAD; the index is then compared with the empty tree,
//! so the very first commit of a repository is scanned too.

use git2::{ErrorCode, Repository};

use super::added::{added_files, diff_options, find_renames, AddedFile};
use super::git_error;
use crate::error::Error;

/// What is staged: files with added lines, and how many changes were staged at all.
#[derive(Debug)]
pub struct Staged {
    pub files: Vec<AddedFile>,
    /// Staged changes of any kind (deletions and mode changes included).
    pub changes: usize,
    /// False before the first commit.
    pub has_head: bool,
}

/// The index the commit being made will record. `git commit -a` and `git commit PATHS` stage
/// into a temporary index and name it in `GIT_INDEX_FILE` for their hooks (plain `git commit`
/// names the usual one); libgit2 does not read that variable itself, so a hook reading
/// `.git/index` would scan what was staged before `-a` and pass the commit unscanned.
fn commit_index(repo: &Repository) -> Result<git2::Index, Error> {
    match std::env::var_os("GIT_INDEX_FILE").filter(|p| !p.is_empty()) {
        Some(path) => git2::Index::open(std::path::Path::new(&path)).map_err(|e| {
            git_error(
                format!(
                    "cannot read the index {} (GIT_INDEX_FILE)",
                    path.to_string_lossy()
                ),
                e,
            )
        }),
        None => repo
            .index()
            .map_err(|e| git_error("cannot read the index", e)),
    }
}

pub fn staged_changes(repo: &Repository) -> Result<Staged, Error> {
    if repo.is_bare() {
        return Err(Error::Usage(format!(
            "{}: a bare repository has no index to scan (use `keyhound history`)",
            repo.path().display()
        )));
    }
    let head_tree = match repo.head() {
        Ok(head) => Some(
            head.peel_to_tree()
                .map_err(|e| git_error("cannot read HEAD's tree", e))?,
        ),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => return Err(git_error("cannot read HEAD", e)),
    };
    let index = commit_index(repo)?;
    let mut diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), Some(&mut diff_options()))
        .map_err(|e| git_error("cannot diff the index against HEAD", e))?;
    let changes = diff.deltas().len();
    if changes > 0 {
        find_renames(&mut diff)?;
    }
    Ok(Staged {
        files: added_files(&diff)?,
        changes,
        has_head: head_tree.is_some(),
    })
}
