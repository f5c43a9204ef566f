//! Commit ranges for CI: which commits `BASE..HEAD` holds, and what lines they add.
//!
//! A GitHub Actions push that creates a branch sends a BASE of all zeros. Then there is no
//! base commit: keyhound scans the commits no other remote-tracking branch has (what the push
//! actually brought), or, when no other remote branch is known (a depth-1 checkout), HEAD's
//! own commit. It always says which.

use std::collections::HashMap;

use git2::{Commit, Oid, Repository};

use super::added::{added_files, diff_options, find_renames, AddedFile, AddedLines};
use super::{git_error, is_missing};
use crate::error::Error;

/// The commits to scan, oldest first, and how they were chosen (for the summary).
#[derive(Debug, Clone)]
pub struct RangeCommits {
    pub commits: Vec<Oid>,
    pub description: String,
}

/// Splits `BASE..HEAD`. Both sides are required; `...` is refused rather than misread.
pub fn parse_range(spec: &str) -> Result<(String, String), Error> {
    let bad = || {
        Error::Usage(format!(
            "--range {spec}: expected BASE..HEAD (two revisions joined by `..`)"
        ))
    };
    if spec.contains("...") {
        return Err(bad());
    }
    let (base, head) = spec.split_once("..").ok_or_else(bad)?;
    if base.is_empty() || head.is_empty() {
        return Err(bad());
    }
    Ok((base.to_string(), head.to_string()))
}

/// True for the all-zeros id GitHub sends as the "before" of a newly pushed branch.
pub fn is_zero_id(rev: &str) -> bool {
    (rev.len() == 40 || rev.len() == 64) && rev.bytes().all(|b| b == b'0')
}

fn resolve_commit<'r>(repo: &'r Repository, rev: &str, role: &str) -> Result<Commit<'r>, Error> {
    repo.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| {
            Error::Usage(format!(
                "{role} {rev}: not a commit in this repository ({}); in CI, a shallow checkout \
                 may lack it: fetch more history (actions/checkout: fetch-depth: 0)",
                e.message()
            ))
        })
}

/// Resolves `base..head` to the commits it holds, oldest first.
pub fn resolve_range(repo: &Repository, base: &str, head: &str) -> Result<RangeCommits, Error> {
    let head_commit = resolve_commit(repo, head, "HEAD of range")?;
    let head_id = head_commit.id();
    let short = |oid: Oid| oid.to_string()[..12].to_string();
    if is_zero_id(base) {
        let hidden = other_remote_branches(repo, head)?;
        if hidden.is_empty() {
            let mut description = format!(
                "BASE is all zeros (a new branch) and no other remote branch is known: \
                 scanning HEAD's own commit {} only",
                short(head_id)
            );
            if head_commit.parent_count() == 0 || head_commit.parent(0).is_err() {
                description.push_str(if repo.is_shallow() {
                    "; its parent is not in this shallow clone, so its whole tree counts as \
                     added (fetch at least 2 commits deep to scan only what it changed)"
                } else {
                    "; it is a root commit, so its whole tree counts as added"
                });
            }
            return Ok(RangeCommits {
                commits: vec![head_id],
                description,
            });
        }
        let commits = walk(repo, head_id, &hidden)?;
        let description = format!(
            "BASE is all zeros (a new branch): scanning the {} commit{} not on any other \
             remote branch",
            commits.len(),
            if commits.len() == 1 { "" } else { "s" }
        );
        return Ok(RangeCommits {
            commits,
            description,
        });
    }
    let base_commit = resolve_commit(repo, base, "BASE of range")?;
    let commits = walk(repo, head_id, &[base_commit.id()])?;
    let description = format!(
        "range {}..{}: {} commit{}",
        short(base_commit.id()),
        short(head_id),
        commits.len(),
        if commits.len() == 1 { "" } else { "s" }
    );
    Ok(RangeCommits {
        commits,
        description,
    })
}

/// Tips of remote-tracking branches other than the one being pushed (named like HEAD's branch,
/// or `GITHUB_REF_NAME` in GitHub Actions), and other than `<remote>/HEAD` aliases.
fn other_remote_branches(repo: &Repository, head: &str) -> Result<Vec<Oid>, Error> {
    let mut own: Vec<String> = Vec::new();
    if let Ok(name) = std::env::var("GITHUB_REF_NAME") {
        own.push(name);
    }
    if let Ok(reference) = repo.find_reference("HEAD").and_then(|r| r.resolve()) {
        if let Some(name) = reference.shorthand() {
            own.push(name.to_string());
        }
    }
    if let Some(name) = head.strip_prefix("refs/heads/") {
        own.push(name.to_string());
    }
    let references = repo
        .references_glob("refs/remotes/*")
        .map_err(|e| git_error("cannot list remote-tracking refs", e))?;
    let mut tips = Vec::new();
    for reference in references.flatten() {
        if reference.kind() == Some(git2::ReferenceType::Symbolic) {
            continue;
        }
        let Some(name) = reference.shorthand() else {
            continue;
        };
        // `origin/feature/x` is branch `feature/x` of remote `origin`.
        let branch = name.split_once('/').map_or(name, |(_, b)| b);
        if branch == "HEAD" || own.iter().any(|o| o == branch) {
            continue;
        }
        if let Ok(commit) = reference.peel_to_commit() {
            tips.push(commit.id());
        }
    }
    Ok(tips)
}

fn walk(repo: &Repository, head: Oid, hide: &[Oid]) -> Result<Vec<Oid>, Error> {
    let mut walk = super::parents_first_walk(repo)?;
    walk.push(head)
        .map_err(|e| git_error("cannot walk history", e))?;
    for &oid in hide {
        walk.hide(oid)
            .map_err(|e| git_error(format!("cannot walk history (hiding {oid})"), e))?;
    }
    walk.collect::<Result<Vec<_>, _>>()
        .map_err(|e| git_error("cannot walk history", e))
}

/// Commit `oid` and its tree, or an error naming which could not be read.
fn commit_and_tree(repo: &Repository, oid: Oid) -> Result<(Commit<'_>, git2::Tree<'_>), Error> {
    let commit = repo
        .find_commit(oid)
        .map_err(|e| git_error(format!("cannot read commit {oid}"), e))?;
    let tree = commit
        .tree()
        .map_err(|e| git_error(format!("cannot read the tree of commit {oid}"), e))?;
    Ok((commit, tree))
}

/// Every path commit `oid` changes against its first parent (or the empty tree): added,
/// modified, renamed (both names) or deleted. Only names are compared, no content is read.
pub fn changed_paths(repo: &Repository, oid: Oid) -> Result<Vec<String>, Error> {
    let (commit, tree) = commit_and_tree(repo, oid)?;
    let parent = match commit.parents().next().map(|p| p.tree()) {
        Some(Ok(t)) => Some(t),
        Some(Err(e)) if is_missing(&e) => None,
        Some(Err(e)) => return Err(git_error(format!("cannot read a parent of {oid}"), e)),
        None => None,
    };
    let diff = repo
        .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
        .map_err(|e| git_error(format!("cannot diff commit {oid}"), e))?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(path) = file.path().and_then(|p| p.to_str()) {
                if !paths.iter().any(|p| p == path) {
                    paths.push(path.to_string());
                }
            }
        }
    }
    Ok(paths)
}

/// What one commit adds: against its parent, against the empty tree for a root commit, and for
/// a merge only the lines new relative to every parent (a conflict resolution), so merging a
/// branch does not report that branch's old content again.
pub fn added_by_commit(repo: &Repository, oid: Oid) -> Result<Vec<AddedFile>, Error> {
    let (commit, tree) = commit_and_tree(repo, oid)?;
    let mut parent_trees = Vec::new();
    for parent in commit.parents() {
        match parent.tree() {
            Ok(t) => parent_trees.push(t),
            Err(e) if is_missing(&e) => {}
            Err(e) => return Err(git_error(format!("cannot read a parent of {oid}"), e)),
        }
    }
    let diff_against = |parent: Option<&git2::Tree<'_>>| -> Result<Vec<AddedFile>, Error> {
        let mut diff = repo
            .diff_tree_to_tree(parent, Some(&tree), Some(&mut diff_options()))
            .map_err(|e| git_error(format!("cannot diff commit {oid}"), e))?;
        find_renames(&mut diff)?;
        added_files(&diff)
    };
    let Some((first, others)) = parent_trees.split_first() else {
        return diff_against(None);
    };
    let mut files = diff_against(Some(first))?;
    for other in others {
        let against: HashMap<String, AddedFile> = diff_against(Some(other))?
            .into_iter()
            .map(|f| (f.path.clone(), f))
            .collect();
        for file in &mut files {
            file.lines = match against.get(&file.path) {
                Some(o) if o.blob == file.blob => file.lines.intersect(&o.lines),
                // Unchanged relative to this parent: the merge adds nothing to it.
                _ => AddedLines::Ranges(Vec::new()),
            };
        }
        files.retain(|f| !f.lines.is_empty());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ranges() {
        assert_eq!(
            parse_range("main..HEAD").unwrap(),
            ("main".into(), "HEAD".into())
        );
        assert!(parse_range("main").is_err());
        assert!(parse_range("a...b").is_err());
        assert!(parse_range("..b").is_err());
        assert!(is_zero_id(&"0".repeat(40)));
        assert!(!is_zero_id("0000"));
    }
}
