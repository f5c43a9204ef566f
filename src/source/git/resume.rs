//! Continuing a recorded walk after refs moved: the blobs of the new commits only.
//!
//! A push adds commits on top of ones already audited. Their blobs are what is new, and the
//! recorded walk (see [`super::walk_record`]) already holds every blob and commit before
//! them, so the audit replays the record and walks only the new commits. Each is compared
//! with its parents: a subtree whose id is the one a parent has at the same path holds only
//! blobs walked with that parent, so only the changed spine of each commit's tree is read.
//!
//! A record is continued only when every commit it walked is still reachable (a deleted or
//! rewritten branch takes blobs out of the audit, and a replay cannot leave them out) and
//! nothing else that decides the walk changed: the shallow boundary, and the refs that name
//! trees or blobs. Anything else is a full walk.
//!
//! Blobs keep the commit and path they were recorded with, and a new blob is credited to the
//! first new commit (parents first) that has it. A fresh walk can credit a blob that several
//! branches added to another of those commits: both introduced it.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use git2::{Oid, Repository};

use super::enumerate::{
    collect_roots, join, raw, Counters, OidHasher, RefSelection, TreeWalker, WalkSink,
};
use super::objects::ObjectSource;
use super::order::{parents_first, shallow_commits, Order};
use super::pack::Packs;
use super::tree::{self, EntryKind};
use super::walk_record::{shallow_digest, Recorded};
use super::{git_error, objects_dir};
use crate::error::Error;
use crate::item::Root;

type Index = HashMap<Oid, usize, BuildHasherDefault<OidHasher>>;

/// A tree's entries by name: what each names, and its id.
type EntriesByName<'a> = HashMap<&'a [u8], (EntryKind, [u8; 20])>;

/// Continues `recorded` to the refs as they are now: hands `sink` the recorded walk, then
/// what the new commits add, and sets `counters` as a full walk would. Returns the number of
/// new commits, or `None` (having handed on nothing and counted nothing) when the record
/// cannot be continued and the refs must be walked in full.
pub fn resume(
    repo: &Repository,
    refs: &RefSelection,
    recorded: &Recorded<'_>,
    counters: &Counters,
    sink: &mut dyn WalkSink,
) -> Result<Option<usize>, Error> {
    if recorded.shallow != shallow_digest(repo) {
        return Ok(None);
    }
    // A handle of the walk's own, as in the full walk (its pack mappings go with it).
    let own = Repository::open(repo.path())
        .map_err(|e| git_error(format!("{}: cannot open", repo.path().display()), e))?;
    let repo = &own;
    let packs = Packs::open(&objects_dir(repo));
    let mut objects = ObjectSource::new(repo, &packs)?;
    // Counted apart until the record is known to hold, so a refusal counts nothing.
    let scratch = Counters::default();
    let roots = collect_roots(repo, &mut objects, refs, &scratch)?;
    let ref_objects = roots.ref_objects();
    if recorded.ref_objects != ref_objects {
        return Ok(None);
    }
    let graph = recorded.commits();
    let index: Index = graph
        .iter()
        .enumerate()
        .map(|(i, w)| (w.commit, i))
        .collect();
    let shallow = shallow_commits(repo.commondir());
    let recorded_before = |c: &Oid| index.contains_key(c);
    // Only the new commits are read: one reader.
    let new = parents_first(
        repo.path(),
        &packs,
        1,
        &roots.commits,
        &shallow,
        &recorded_before,
        &scratch,
    )?;
    if !all_still_reached(&graph, &index, &roots.commits, &new) {
        return Ok(None);
    }

    recorded.restore_counters(counters);
    for (counter, extra) in [
        (&counters.broken_refs, &scratch.broken_refs),
        (&counters.missing, &scratch.missing),
    ] {
        counter.fetch_add(extra.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    for walked in graph.iter() {
        sink.commit(walked);
    }
    sink.ref_objects(ref_objects);
    let mut walker = TreeWalker::new(repo, objects, counters, sink);
    for job in recorded.jobs() {
        walker.seen_blobs.insert(raw(&job.blob));
        walker.seq = walker.seq.max(job.seq + 1);
        walker.sink.blob(job);
    }
    // The trees of the new commits' parents, recorded or new.
    let mut trees: HashMap<Oid, Oid, BuildHasherDefault<OidHasher>> = HashMap::default();
    for walked in new.iter() {
        let bases: Vec<Oid> = walked
            .parents
            .iter()
            .filter_map(|p| {
                let recorded = || index.get(p).map(|&i| graph.get(i).tree);
                trees.get(p).copied().or_else(recorded)
            })
            .collect();
        Counters::bump(&counters.commits);
        walker.sink.commit(walked);
        walker.walk_changes(walked.tree, bases, &Root::Commit(walked.commit))?;
        trees.insert(walked.commit, walked.tree);
    }
    Ok(Some(new.len()))
}

/// Whether every recorded commit is still reached: from the tips the refs name now, and
/// from the new commits' parents.
fn all_still_reached(graph: &Order, index: &Index, tips: &[Oid], new: &Order) -> bool {
    let mut reached = vec![false; graph.len()];
    let starts = tips.iter().chain(new.iter().flat_map(|w| w.parents.iter()));
    let mut stack: Vec<usize> = starts.filter_map(|c| index.get(c).copied()).collect();
    let mut count = 0;
    while let Some(node) = stack.pop() {
        if std::mem::replace(&mut reached[node], true) {
            continue;
        }
        count += 1;
        stack.extend(
            graph
                .get(node)
                .parents
                .iter()
                .filter_map(|p| index.get(p).copied()),
        );
    }
    count == graph.len()
}

impl TreeWalker<'_, '_> {
    /// Visits what tree `root` changes from the trees `bases` (its commit's parents'):
    /// entries a base has at the same path with the same id are passed over, since that
    /// base's walk saw them. A base that cannot be read compares as empty (more is walked,
    /// nothing is missed).
    fn walk_changes(&mut self, root: Oid, bases: Vec<Oid>, origin: &Root) -> Result<(), Error> {
        if !self.seen_trees.insert(raw(&root)) {
            return Ok(());
        }
        let mut stack: Vec<(Oid, String, Vec<Oid>)> = vec![(root, String::new(), bases)];
        while let Some((oid, prefix, bases)) = stack.pop() {
            let Some(bytes) = self.objects.tree(oid)? else {
                Counters::bump(&self.counters.missing);
                continue;
            };
            Counters::bump(&self.counters.trees);
            let mut base_trees: Vec<Rc<Vec<u8>>> = Vec::with_capacity(bases.len());
            for base in &bases {
                base_trees.extend(self.objects.tree(*base)?);
            }
            let base_entries: Vec<EntriesByName<'_>> = base_trees
                .iter()
                .map(|b| {
                    tree::entries(b)
                        .map_while(Result::ok)
                        .map(|e| (e.name, (e.kind, e.id)))
                        .collect()
                })
                .collect();
            for entry in tree::entries(&bytes) {
                let entry = entry.map_err(|why| tree::damaged(oid, why))?;
                let in_bases = base_entries.iter().filter_map(|b| b.get(entry.name));
                match entry.kind {
                    // Counted in every tree read, as the full walk does.
                    EntryKind::Gitlink => Counters::bump(&self.counters.submodules),
                    _ if in_bases.clone().any(|&(_, id)| id == entry.id) => {}
                    EntryKind::Tree => {
                        if self.seen_trees.insert(entry.id) {
                            let sub_bases = in_bases
                                .filter(|(kind, _)| *kind == EntryKind::Tree)
                                .map(|(_, id)| Oid::from_bytes(id).expect("20 bytes"))
                                .collect();
                            stack.push((entry.oid(), join(&prefix, entry.name), sub_bases));
                        }
                    }
                    EntryKind::Blob => {
                        if !self.seen_blobs.contains(&entry.id) {
                            let path = join(&prefix, entry.name);
                            self.see_blob(entry.oid(), origin, path);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::source::git::enumerate::{enumerate, BlobJob};
    use crate::source::git::test_git::{commit_all as commit, git, write};
    use crate::source::git::walk_record::{refs_fingerprint, Recorder};

    /// A record of the walk of every ref as they are now.
    fn record(repo: &Repository) -> Vec<u8> {
        let counters = Counters::default();
        let mut recorder = Recorder::new();
        enumerate(repo, &RefSelection::All, false, 0, &counters, &mut recorder).unwrap();
        let fingerprint = refs_fingerprint(repo, &RefSelection::All).unwrap();
        recorder
            .finish(&fingerprint, &shallow_digest(repo), &counters)
            .0
    }

    /// The blobs a walk lists, each with the path it was listed at.
    fn listed(jobs: &[BlobJob]) -> BTreeMap<Oid, String> {
        let listed: BTreeMap<Oid, String> =
            jobs.iter().map(|j| (j.blob, j.path.to_string())).collect();
        assert_eq!(listed.len(), jobs.len(), "a blob listed twice");
        listed
    }

    /// Each job's commit has its blob at its path: the credit is an honest one.
    fn assert_credited_truly(repo: &Repository, jobs: &[BlobJob]) {
        for job in jobs {
            let Root::Commit(commit) = job.root else {
                continue;
            };
            let tree = repo.find_commit(commit).unwrap().tree().unwrap();
            let entry = tree.get_path(Path::new(&*job.path)).unwrap();
            assert_eq!(entry.id(), job.blob, "{}", job.path);
        }
    }

    fn resumed(repo: &Repository, record: &[u8]) -> Option<(Vec<BlobJob>, Counters, usize)> {
        let recorded = Recorded::parse(record).unwrap();
        let counters = Counters::default();
        let mut jobs = Vec::new();
        let new = resume(repo, &RefSelection::All, &recorded, &counters, &mut jobs).unwrap()?;
        Some((jobs, counters, new))
    }

    fn full(repo: &Repository) -> (Vec<BlobJob>, Counters) {
        let counters = Counters::default();
        let mut jobs = Vec::new();
        enumerate(repo, &RefSelection::All, false, 0, &counters, &mut jobs).unwrap();
        (jobs, counters)
    }

    fn get(counter: &std::sync::atomic::AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    fn new_repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"]);
        dir
    }

    #[test]
    fn a_continued_walk_lists_what_a_full_walk_lists() {
        let dir = new_repo();
        let root = dir.path();
        write(root, "src/a.py", "a = 1\n");
        write(root, "src/deep/b.py", "b = 1\n");
        write(root, "docs/readme.md", "docs\n");
        commit(root, "base");
        git(root, &["branch", "topic"]);
        let repo = Repository::open(root).unwrap();
        let before = record(&repo);

        // On main: an edit deep down, a rename, a file that becomes a directory, a blob
        // that an older commit had (reverted), an empty commit.
        write(root, "src/deep/b.py", "b = 2\n");
        commit(root, "edit");
        git(root, &["mv", "docs/readme.md", "README.md"]);
        commit(root, "rename");
        std::fs::remove_file(root.join("src/a.py")).unwrap();
        write(root, "src/a.py/inner.py", "inner = 1\n");
        commit(root, "file to directory");
        write(root, "src/deep/b.py", "b = 1\n");
        commit(root, "revert");
        commit(root, "empty");
        // On topic: its own change, then merged into main with a change of the merge's own.
        git(root, &["checkout", "-q", "topic"]);
        write(root, "topic.txt", "topic\n");
        write(root, "src/deep/c.py", "c = 1\n");
        commit(root, "topic work");
        git(root, &["checkout", "-q", "main"]);
        git(root, &["merge", "-q", "--no-ff", "--no-commit", "topic"]);
        write(root, "merge-only.txt", "resolved\n");
        commit(root, "merge");
        // A new branch from an old commit, and a tag: tips the record never saw.
        git(root, &["branch", "side", "HEAD~4"]);
        git(root, &["tag", "v1", "HEAD~2"]);

        let (jobs, counters, new) = resumed(&repo, &before).expect("continued");
        let (full_jobs, full_counters) = full(&repo);
        assert_eq!(new, 7);
        assert_eq!(listed(&jobs), listed(&full_jobs));
        assert_credited_truly(&repo, &jobs);
        for (a, b) in [
            (&counters.commits, &full_counters.commits),
            (&counters.blobs, &full_counters.blobs),
            (&counters.missing, &full_counters.missing),
        ] {
            assert_eq!(get(a), get(b));
        }
        // Recorded blobs come first, as they were; the rest in the new commits' order.
        let recorded = Recorded::parse(&before).unwrap();
        let old: Vec<Oid> = recorded.jobs().map(|j| j.blob).collect();
        assert_eq!(
            jobs[..old.len()].iter().map(|j| j.blob).collect::<Vec<_>>(),
            old
        );
        assert!(jobs.windows(2).all(|w| w[0].seq < w[1].seq));
    }

    #[test]
    fn a_record_is_not_continued_once_its_commits_are_not_all_reached() {
        let dir = new_repo();
        let root = dir.path();
        write(root, "a.txt", "a\n");
        commit(root, "a");
        write(root, "b.txt", "b\n");
        commit(root, "b");
        git(root, &["branch", "gone"]);
        let repo = Repository::open(root).unwrap();
        let before = record(&repo);
        // A rewritten tip: its old commit is reached by the other branch, so that holds...
        git(root, &["commit", "-q", "--amend", "-m", "b, amended"]);
        assert!(resumed(&repo, &before).is_some());
        // ...until that branch is deleted too: `b` is out of the audit now.
        git(root, &["branch", "-q", "-D", "gone"]);
        assert!(resumed(&repo, &before).is_none());
        // A ref to a tree: its blobs come after every commit's, so the walk is redone.
        let again = record(&repo);
        let tree = git(root, &["rev-parse", "HEAD^{tree}"]);
        git(root, &["tag", "tree-tag", tree.trim()]);
        assert!(resumed(&repo, &again).is_none());
        // A shallow boundary that moved: what lies past it changed.
        let before_boundary = record(&repo);
        assert!(resumed(&repo, &before_boundary).is_some());
        let head = git(root, &["rev-parse", "HEAD"]);
        std::fs::write(root.join(".git/shallow"), head).unwrap();
        assert!(resumed(&repo, &before_boundary).is_none());
    }
}
