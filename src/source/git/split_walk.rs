//! The commits' tree walk on several threads, with exactly the one-thread result.
//!
//! Reading trees (inflating them and rebuilding their deltas) is most of a full audit's walk,
//! and it ran on one core while the others waited for the blob list: 5.4 of rails' 13 s. Here
//! the commit order is cut into chunks, and workers walk whole chunks, each chunk starting
//! from empty seen-sets. The main thread merges the chunks in order, and keeps each blob
//! that no earlier chunk already gave.
//!
//! That merge is the sequential walk, blob for blob, `(commit, path)` for
//! `(commit, path)`, in the same order, because a worker's seen-sets only ever hold trees
//! and blobs that the sequential walk has also seen by then:
//! - A tree counts as seen only when the walk has reached all of its blobs
//!   ([`walk_unseen`]). Where a chunk reads a tree the sequential walk skips, every blob
//!   under that tree was already given by an earlier commit. The merge drops those blobs.
//! - A blob that the sequential walk first meets at commit `c` under path `p` has every
//!   tree on that path unseen there. Those trees are then unseen in the chunk too, so it
//!   meets the blob at `c`, under `p`. It cannot meet the blob at an earlier commit, or at an
//!   earlier path of `c`: the tree that blocked that path in the sequential walk holds the
//!   blob, so the blob would have been given before `c`.
//! - The walk is a stack, and extra trees pushed onto it do not change the order in which
//!   it pops the others.
//!
//! The cost is the trees read twice: a chunk's first commit reads its whole tree, which
//! earlier chunks had mostly read already (rails' newest tree has 1,106 trees, of the
//! 788,000 in its history). Sets that start empty per chunk keep a worker's memory to what
//! one chunk sees, where sets kept across chunks grew to most of the history's trees on
//! every worker (over 20 MB each on rails).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use git2::{Oid, Repository};

use super::enumerate::{
    raw, walk_unseen, Counters, OidHasher, PathSet, RawOidSet, Seen, TreeVisitor, TreeWalker,
};
use super::git_error;
use super::objects::ObjectSource;
use super::order::{Order, Walked};
use super::pack::Packs;
use crate::error::Error;
use crate::item::Root;

/// How to split a walk: `workers` threads, `chunk` commits per task.
#[derive(Debug, Clone, Copy)]
pub(super) struct Split {
    pub workers: usize,
    pub chunk: usize,
    /// Whether the walker must know every tree the commits reached afterwards (for walks
    /// still to come); else the chunks' tree sets are dropped, not merged (tens of
    /// megabytes on a large history).
    pub keep_trees: bool,
}

impl Split {
    /// For `commits` commits on `threads` threads (0: one per core). There are never more
    /// workers than cores: a worker's seen-sets cost memory, and workers that cannot run at
    /// once only add trees read twice. Each worker gets about eight chunks, so one that
    /// drew a heavy part of history does not leave the others idle at the end.
    pub(super) fn for_commits(commits: usize, threads: usize, keep_trees: bool) -> Split {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = if threads == 0 {
            cores
        } else {
            threads.min(cores)
        };
        // Below a few thousand commits, the walk takes milliseconds: not worth threads.
        let workers = if commits < 2_000 { 1 } else { workers };
        Split {
            workers,
            chunk: commits.div_ceil(workers * 8).max(1),
            keep_trees,
        }
    }
}

/// Which commits a walk is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reached {
    /// Commits the refs reach: each is handed to the sink and counted as a commit.
    FromRefs,
    /// Commits no ref reaches (`--all-objects`): their blobs are given [`Root::Dangling`],
    /// and they are counted apart.
    Dangling,
}

impl Reached {
    fn root(self, commit: Oid) -> Root {
        match self {
            Reached::FromRefs => Root::Commit(commit),
            Reached::Dangling => Root::Dangling(commit),
        }
    }

    /// Counts `walked` and hands it to the sink, as the walk reaches it.
    fn visit(self, walker: &mut TreeWalker<'_, '_>, walked: Walked<'_>) {
        match self {
            Reached::FromRefs => {
                Counters::bump(&walker.counters.commits);
                walker.sink.commit(walked);
            }
            Reached::Dangling => Counters::bump(&walker.counters.unreachable_commits),
        }
    }
}

/// What one chunk's walk found.
struct ChunkWalk {
    /// For each commit of the chunk in order, the end of its blobs in `blobs`.
    ends: Vec<usize>,
    /// Blobs new to the chunk, in the order it met them.
    blobs: Vec<(Oid, Arc<str>)>,
    /// The trees it read, when the walker keeps them ([`Split::keep_trees`]).
    trees: Option<RawOidSet>,
    /// Trees it found missing, and the submodule entries of each tree it read that has any:
    /// counted by tree id in the merge, since two chunks may read one tree.
    missing: Vec<[u8; 20]>,
    submodules: Vec<([u8; 20], u64)>,
}

/// How many submodule entries each tree holds, of those holding any.
type SubmodulesByTree = HashMap<[u8; 20], u64, BuildHasherDefault<OidHasher>>;

type ChunkResult = (usize, Result<ChunkWalk, Error>);

/// Walks the trees of every commit of `order`, in order, into `walker` (its sink, seen-sets
/// and counters), as `walker.walk_tree` would commit by commit, on `split.workers` threads.
/// The seen-sets may already hold what an earlier walk saw (the refs' commits, before the
/// dangling ones): a chunk starting from empty sets still gives exactly what is new.
pub(super) fn walk_commits(
    walker: &mut TreeWalker<'_, '_>,
    repo: &Repository,
    packs: &Packs,
    order: &Order,
    reached: Reached,
    split: Split,
) -> Result<(), Error> {
    if split.workers <= 1 {
        for walked in order.iter() {
            reached.visit(walker, walked);
            walker.walk_tree(walked.tree, &reached.root(walked.commit))?;
        }
        return Ok(());
    }
    // The workers and the merging thread: no more heap arenas than that.
    super::limit_heap_arenas(split.workers + 1);
    // What earlier walks saw, read by every worker while this walk runs; the walker's sets
    // hold only what is new until the walk ends.
    let before = Seen {
        trees: std::mem::take(&mut walker.seen_trees),
        blobs: std::mem::take(&mut walker.seen_blobs),
    };
    let tasks = Tasks {
        order,
        split,
        before,
        chunks: order.len().div_ceil(split.chunk),
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    let counters = walker.counters;
    let path = repo.path();
    let (sender, results) = mpsc::channel::<ChunkResult>();
    let walked = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..split.workers)
            .map(|_| {
                let sender = sender.clone();
                let tasks = &tasks;
                scope.spawn(move || work(path, packs, tasks, counters, sender))
            })
            .collect();
        drop(sender);
        let merged = merge(walker, &tasks, reached, &results);
        if !matches!(merged, Ok(true)) {
            tasks.stop.store(true, Ordering::Relaxed);
        }
        // A worker still walking then fails to send, and stops.
        drop(results);
        for handle in workers {
            match handle.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        if merged? {
            Ok(())
        } else {
            Err(git_error(
                "the tree walk",
                git2::Error::from_str("its workers stopped before the last commit"),
            ))
        }
    });
    let Seen { trees, blobs } = tasks.before;
    if split.keep_trees {
        union_into(&mut walker.seen_trees, trees);
    } else {
        // Nothing walks trees after this walk: the sets of what it read are not needed
        // (growing one more would briefly hold two copies of tens of megabytes).
        walker.seen_trees = trees;
    }
    union_into(&mut walker.seen_blobs, blobs);
    // What the workers freed stays in their heap arenas until handed back; the walks still
    // to come (--all-objects) would be measured on top of it.
    super::release_freed_memory();
    walked
}

/// Adds `other` to `set`, inserting the smaller into the larger.
fn union_into(set: &mut RawOidSet, mut other: RawOidSet) {
    if other.len() > set.len() {
        std::mem::swap(set, &mut other);
    }
    set.extend(other);
}

/// The chunks to walk, shared by the workers.
struct Tasks<'o> {
    order: &'o Order,
    split: Split,
    /// What the walker had seen before this walk: each chunk counts it as seen, so a
    /// later walk over commits that share most of their trees with those walked already,
    /// as dangling commits do, reads and hands on only what is new.
    before: Seen,
    chunks: usize,
    /// The next chunk to take.
    next: AtomicUsize,
    /// Set when the merge failed: the workers stop.
    stop: AtomicBool,
}

/// Hands chunks to `walker` in order as they arrive, each blob once. `false` when the
/// workers stopped before the last chunk (one failed to start, or panicked).
fn merge(
    walker: &mut TreeWalker<'_, '_>,
    tasks: &Tasks<'_>,
    reached: Reached,
    results: &mpsc::Receiver<ChunkResult>,
) -> Result<bool, Error> {
    let mut pending: BTreeMap<usize, ChunkWalk> = BTreeMap::new();
    let mut missing = RawOidSet::default();
    let mut submodules = SubmodulesByTree::default();
    for index in 0..tasks.chunks {
        let walked_chunk = loop {
            if let Some(ready) = pending.remove(&index) {
                break ready;
            }
            let Ok((arrived, walked)) = results.recv() else {
                return Ok(false);
            };
            pending.insert(arrived, walked?);
        };
        let first = index * tasks.split.chunk;
        let mut start = 0;
        for (offset, &end) in walked_chunk.ends.iter().enumerate() {
            let walked = tasks.order.get(first + offset);
            reached.visit(walker, walked);
            let origin = reached.root(walked.commit);
            for (blob, path) in &walked_chunk.blobs[start..end] {
                let id = raw(blob);
                if !tasks.before.blobs.contains(&id) && walker.seen_blobs.insert(id) {
                    let path = walker.paths.intern_shared(path.clone());
                    walker.emit(*blob, &origin, path);
                }
            }
            start = end;
        }
        missing.extend(walked_chunk.missing);
        submodules.extend(walked_chunk.submodules);
        if let Some(trees) = walked_chunk.trees {
            walker.seen_trees.extend(trees);
        }
    }
    let counters = walker.counters;
    counters
        .missing
        .fetch_add(missing.len() as u64, Ordering::Relaxed);
    let entries: u64 = submodules.values().sum();
    counters.submodules.fetch_add(entries, Ordering::Relaxed);
    Ok(true)
}

/// One worker: takes the next chunk until none is left (or the merge failed).
fn work(
    repo: &Path,
    packs: &Packs,
    tasks: &Tasks<'_>,
    counters: &Counters,
    results: mpsc::Sender<ChunkResult>,
) -> Result<(), Error> {
    // git2::Repository is not Sync: a handle of the worker's own, for what no pack serves.
    let own = Repository::open(repo)
        .map_err(|e| git_error(format!("{}: cannot open", repo.display()), e))?;
    let mut objects = ObjectSource::sharing(&own, packs, tasks.split.workers)?;
    let mut seen_trees = RawOidSet::default();
    let mut seen_blobs = RawOidSet::default();
    while !tasks.stop.load(Ordering::Relaxed) {
        let index = tasks.next.fetch_add(1, Ordering::Relaxed);
        if index >= tasks.chunks {
            break;
        }
        let chunk = tasks.split.chunk;
        let range = index * chunk..((index + 1) * chunk).min(tasks.order.len());
        // Empty sets, keeping their capacity: see the module's comment.
        seen_trees.clear();
        seen_blobs.clear();
        let mut visitor = Collect {
            counters,
            paths: PathSet::default(),
            blobs: Vec::new(),
            missing: Vec::new(),
            submodules: Vec::new(),
        };
        let mut ends = Vec::with_capacity(range.len());
        let mut walked = Ok(());
        for at in range {
            let tree = tasks.order.get(at).tree;
            walked = walk_unseen(
                &mut objects,
                &tasks.before,
                &mut seen_trees,
                &mut seen_blobs,
                tree,
                &mut visitor,
            );
            if walked.is_err() {
                break;
            }
            ends.push(visitor.blobs.len());
        }
        let failed = walked.is_err();
        let result = walked.map(|()| ChunkWalk {
            ends,
            blobs: visitor.blobs,
            trees: tasks
                .split
                .keep_trees
                .then(|| std::mem::take(&mut seen_trees)),
            missing: visitor.missing,
            submodules: visitor.submodules,
        });
        if results.send((index, result)).is_err() || failed {
            break;
        }
    }
    Ok(())
}

/// A worker's visitor: collects a chunk's blobs, missing trees and submodule entries.
struct Collect<'c> {
    counters: &'c Counters,
    paths: PathSet,
    blobs: Vec<(Oid, Arc<str>)>,
    missing: Vec<[u8; 20]>,
    submodules: Vec<([u8; 20], u64)>,
}

impl TreeVisitor for Collect<'_> {
    fn blob(&mut self, blob: Oid, path: String) {
        let path = self.paths.intern(&path);
        self.blobs.push((blob, path));
    }
    fn missing_tree(&mut self, tree: Oid) {
        self.missing.push(raw(&tree));
    }
    fn tree_read(&mut self) {
        Counters::bump(&self.counters.trees);
    }
    fn submodule(&mut self, tree: Oid) {
        let tree = raw(&tree);
        match self.submodules.last_mut() {
            // A tree's entries come together.
            Some((last, count)) if *last == tree => *count += 1,
            _ => self.submodules.push((tree, 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::source::git::enumerate::{
        enumerate_split, BlobJob, BlobSeq, RefSelection, WalkSink,
    };
    use crate::source::git::test_git::{commit_all as commit, git, write};

    /// Everything a walk hands its sink, in order.
    #[derive(Debug, Default, PartialEq)]
    struct Events(Vec<Event>);

    #[derive(Debug, PartialEq)]
    enum Event {
        Commit(Oid, Oid, Vec<Oid>),
        Blob(Oid, Root, String, BlobSeq),
        RefObjects([u8; 32]),
    }

    impl WalkSink for Events {
        fn blob(&mut self, job: BlobJob) {
            let BlobJob {
                blob,
                root,
                path,
                seq,
            } = job;
            self.0.push(Event::Blob(blob, root, path.to_string(), seq));
        }
        fn commit(&mut self, walked: Walked<'_>) {
            let parents = walked.parents.to_vec();
            self.0
                .push(Event::Commit(walked.commit, walked.tree, parents));
        }
        fn ref_objects(&mut self, digest: [u8; 32]) {
            self.0.push(Event::RefObjects(digest));
        }
    }

    /// The events and the counters a walk with `split` ends with.
    fn walk(root: &Path, all_objects: bool, split: Split) -> (Events, [u64; 5]) {
        let repo = Repository::open(root).unwrap();
        let counters = Counters::default();
        let mut events = Events::default();
        let keep = |_: usize, keep_trees: bool| Split {
            keep_trees,
            ..split
        };
        enumerate_split(
            &repo,
            &RefSelection::All,
            all_objects,
            &keep,
            &counters,
            &mut events,
        )
        .unwrap();
        let load = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
        let counts = [
            load(&counters.commits),
            load(&counters.blobs),
            load(&counters.missing),
            load(&counters.submodules),
            load(&counters.unreachable_blobs),
        ];
        (events, counts)
    }

    /// A history where trees come back, blobs move and repeat, branches merge and a
    /// submodule entry sits in a subdirectory: what could make a chunk's view differ.
    fn tangled_history(root: &Path) {
        git(root, &["init", "-q", "-b", "main"]);
        write(root, "vendor/README", "vendored code");
        for step in 0..24 {
            write(
                root,
                &format!("src/mod{}/a.txt", step % 5),
                &format!("a {step}"),
            );
            write(root, "src/shared.txt", &format!("shared {}", step % 3));
            if step % 4 == 0 {
                // The same bytes under a second path, and a directory that comes and goes
                // (its tree id repeats once it comes back).
                write(
                    root,
                    &format!("copy{step}/shared.txt"),
                    &format!("shared {}", step % 3),
                );
                write(root, "flip/deep/x.txt", "flip");
            } else if step % 4 == 2 {
                let _ = std::fs::remove_dir_all(root.join("flip"));
            }
            git(root, &["add", "-A"]);
            if step >= 7 {
                // A submodule entry in a tree that stays the same from here on, so chunks
                // starting later all read it again.
                let gitlink = "160000,1111111111111111111111111111111111111111,vendor/lib";
                git(root, &["update-index", "--add", "--cacheinfo", gitlink]);
            }
            git(
                root,
                &[
                    "commit",
                    "-q",
                    "--allow-empty",
                    "-m",
                    &format!("step {step}"),
                ],
            );
            if step == 10 {
                git(root, &["checkout", "-q", "-b", "side"]);
                write(root, "side/only.txt", "side");
                // Bytes main also has, under another path.
                write(root, "side/a.txt", "a 1");
                commit(root, "side work");
                git(root, &["checkout", "-q", "main"]);
            }
            if step == 15 {
                git(
                    root,
                    &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
                );
            }
        }
        // A tree a tag names straight, and a commit no ref reaches.
        let tree = git(root, &["rev-parse", "HEAD~3^{tree}"]);
        git(root, &["tag", "-a", "-m", "tree", "a-tree", tree.trim()]);
        for lost in 0..3 {
            write(root, "lost/secret.txt", &format!("dangling {lost}"));
            write(root, &format!("src/mod{lost}/a.txt"), "a 1");
            commit(root, "to be dropped");
        }
        git(root, &["reset", "-q", "--hard", "HEAD~3"]);
    }

    #[test]
    fn every_split_walks_what_one_thread_walks() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tangled_history(root);
        // With the tag of a tree, the walker keeps the chunks' trees for the walk after
        // the commits' (`keep_trees`); without it, and without --all-objects, it drops them.
        for (all_objects, drop_tag) in [(false, false), (true, false), (false, true)] {
            if drop_tag {
                git(root, &["tag", "-d", "a-tree"]);
            }
            let one = Split {
                workers: 1,
                chunk: 1,
                keep_trees: false,
            };
            let (expected, expected_counts) = walk(root, all_objects, one);
            let blobs = expected
                .0
                .iter()
                .filter(|e| matches!(e, Event::Blob(..)))
                .count();
            assert!(blobs > 20, "the history has blobs to list ({blobs})");
            assert_eq!(expected_counts[3], 1, "the submodule entry is counted once");
            let walked = (expected, expected_counts);
            assert_splits_walk(root, all_objects, &walked, &[2, 3], &[1, 2, 3, 7, 100]);
        }
    }

    /// Asserts that every split of `workers` and `chunks` walks what one thread walked.
    fn assert_splits_walk(
        root: &Path,
        all_objects: bool,
        one_thread: &(Events, [u64; 5]),
        workers: &[usize],
        chunks: &[usize],
    ) {
        for &workers in workers {
            for &chunk in chunks {
                let split = Split {
                    workers,
                    chunk,
                    keep_trees: false,
                };
                let (events, counts) = walk(root, all_objects, split);
                assert_eq!(
                    events, one_thread.0,
                    "{split:?}, all objects: {all_objects}"
                );
                assert_eq!(
                    counts, one_thread.1,
                    "{split:?}, all objects: {all_objects}"
                );
            }
        }
    }

    #[test]
    fn a_missing_tree_is_counted_once_however_the_walk_is_split() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        tangled_history(root);
        // Drop a subtree that several commits share (a partial clone lacks such trees).
        let tree = git(root, &["rev-parse", "HEAD~5:src/mod2"]);
        let tree = tree.trim();
        std::fs::remove_file(root.join(format!(".git/objects/{}/{}", &tree[..2], &tree[2..])))
            .unwrap();
        let one = Split {
            workers: 1,
            chunk: 1,
            keep_trees: false,
        };
        let walked = walk(root, false, one);
        assert_eq!(walked.1[2], 1, "one tree is missing");
        assert_splits_walk(root, false, &walked, &[2], &[1, 4]);
    }

    #[test]
    fn large_histories_get_one_worker_per_core_and_small_ones_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(Split::for_commits(100, 0, false).workers, 1);
        let large = Split::for_commits(100_000, 0, false);
        assert_eq!(large.workers, cores);
        assert!(large.chunk * large.workers * 8 >= 100_000);
        assert_eq!(Split::for_commits(100_000, 64, false).workers, cores);
        assert_eq!(Split::for_commits(100_000, 1, false).workers, 1);
    }
}
