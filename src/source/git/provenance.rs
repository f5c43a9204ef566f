//! `--all-provenance`: every commit and path that introduced a blob holding a finding.
//!
//! The audit records only a blob's first `(commit, path)`. Listing the others (the same file
//! cherry-picked onto another branch, renamed, deleted and re-added) takes a second walk,
//! paid only when asked for and only when there are findings. Each tree is read once and
//! memoised as the list of target blobs beneath it, so the walk costs one pass over the trees,
//! and a commit introduces a `(path, blob)` when none of its parents carries it.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use super::blobs::Hit;
use super::enumerate::{collect_roots, Counters, OidSet, RefSelection};
use super::metadata::Introductions;
use super::objects::ObjectSource;
use super::pack::Packs;
use super::{git_error, objects_dir, parents_first_walk, path_string};
use crate::error::Error;

type Carried = Rc<Vec<(String, Oid)>>;

/// Every introduction of each hit's blob.
pub fn all_introductions(
    repo: &Repository,
    refs: &RefSelection,
    hits: &[Hit],
) -> Result<Introductions, Error> {
    let targets: OidSet = hits
        .iter()
        .filter_map(|h| h.finding.origin.blob())
        .map(|(blob, _)| blob)
        .collect();
    introductions(repo, refs, &targets)
}

/// For each target blob, the `(commit, path)` pairs that introduced it.
fn introductions(
    repo: &Repository,
    refs: &RefSelection,
    targets: &OidSet,
) -> Result<HashMap<Oid, Vec<(Oid, String)>>, Error> {
    let packs = Packs::open(&objects_dir(repo));
    let mut objects = ObjectSource::new(repo, &packs)?;
    let roots = collect_roots(repo, &mut objects, refs, &Counters::default())?;
    let mut walk = parents_first_walk(repo)?;
    for commit in roots.commits {
        let _ = walk.push(commit);
    }
    let mut memo: HashMap<Oid, Carried> = HashMap::new();
    let empty: Carried = Rc::new(Vec::new());
    let mut tree_of: HashMap<Oid, Oid> = HashMap::new();
    let mut found: HashMap<Oid, Vec<(Oid, String)>> = HashMap::new();
    for oid in walk {
        let oid = oid.map_err(|e| git_error("cannot walk history", e))?;
        let Ok(commit) = repo.find_commit(oid) else {
            continue;
        };
        let tree = commit.tree_id();
        tree_of.insert(oid, tree);
        let carried = carried(repo, tree, targets, &mut memo, &empty);
        if carried.is_empty() {
            continue;
        }
        let mut in_parents: HashSet<(String, Oid)> = HashSet::new();
        for parent in commit.parent_ids() {
            if let Some(&parent_tree) = tree_of.get(&parent) {
                let list = carried_cached(&memo, parent_tree, &empty);
                in_parents.extend(list.iter().cloned());
            }
        }
        for (path, blob) in carried.iter() {
            if !in_parents.contains(&(path.clone(), *blob)) {
                found.entry(*blob).or_default().push((oid, path.clone()));
            }
        }
    }
    Ok(found)
}

fn carried_cached(memo: &HashMap<Oid, Carried>, tree: Oid, empty: &Carried) -> Carried {
    memo.get(&tree).cloned().unwrap_or_else(|| empty.clone())
}

/// The target blobs under `tree`, with their paths relative to it (memoised per tree id).
fn carried(
    repo: &Repository,
    tree: Oid,
    targets: &OidSet,
    memo: &mut HashMap<Oid, Carried>,
    empty: &Carried,
) -> Carried {
    if let Some(known) = memo.get(&tree) {
        return known.clone();
    }
    let mut list: Vec<(String, Oid)> = Vec::new();
    if let Ok(object) = repo.find_tree(tree) {
        for entry in object.iter() {
            let name = path_string(entry.name_bytes());
            match entry.kind() {
                Some(ObjectType::Blob) if targets.contains(&entry.id()) => {
                    list.push((name, entry.id()));
                }
                Some(ObjectType::Tree) => {
                    let below = carried(repo, entry.id(), targets, memo, empty);
                    list.extend(below.iter().map(|(p, b)| (format!("{name}/{p}"), *b)));
                }
                _ => {}
            }
        }
    }
    let result = if list.is_empty() {
        empty.clone()
    } else {
        Rc::new(list)
    };
    memo.insert(tree, result.clone());
    result
}
