//! Enumerating what a full-history audit scans: every blob reachable from the selected refs,
//! each exactly once, with the first `(commit, path)` that carried it.
//!
//! Commits are walked parents-first ([`super::order`]), so the first commit that reaches a
//! blob is one that introduced it. A tree id already seen holds nothing new and is not read
//! again, which is what makes a full audit cost about the size of the unique blobs rather
//! than commits × files. Commits and trees come from the pack reader ([`super::objects`]);
//! libgit2 serves only what no pack here holds, and lists the refs.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use git2::{Oid, Repository};

use super::objects::ObjectSource;
use super::order::{parents_first, shallow_commits, Walked};
use super::pack::{Kind, Location, LocationMap, Packs, Reader};
use super::split_walk::{walk_commits, Reached, Split};
use super::tree::{self, EntryKind};
use super::{git_error, objects_dir, path_string};
use crate::error::Error;
use crate::item::Root;

/// One blob to scan, as first seen.
#[derive(Debug, Clone)]
pub struct BlobJob {
    pub blob: Oid,
    pub root: Root,
    /// The blob's path in `root`'s tree (the ref name for a ref to a blob). Shared: a large
    /// history lists hundreds of thousands of blobs under far fewer paths (a file's every
    /// version has the same one).
    pub path: Arc<str>,
    /// Order of first sight: lower means earlier in history.
    pub seq: BlobSeq,
}

/// A blob's place in the order of first sight. 32 bits keep a [`BlobJob`] at 64 bytes, not
/// 72: an `--all-objects` audit of rails lists 292,000 jobs in a vector grown to 2^19, 4 MB
/// of its peak. A pack index counts its objects in 32 bits, so no real history has more.
pub type BlobSeq = u32;

/// How many pack entries' kinds the classification of unreached objects remembers at once
/// by each classifying thread (under 0.5 MB, at the audit's memory peak): as fast on
/// diffusers and rails as 65,536.
const KNOWN_KINDS: usize = 1 << 13;

/// Each read of the unreached objects' own headers, which are asked for in pack order: on
/// rails 16 KiB reads cover several of them where 2 KiB reads covered about one.
const CLASSIFY_READ_SIZE: usize = 16 << 10;

/// Which refs to audit.
#[derive(Debug, Clone)]
pub enum RefSelection {
    /// Every ref (branches, tags, remote-tracking refs, notes, stash, replace refs) and HEAD.
    All,
    /// One revision (`--branch`), as `git rev-parse` understands it.
    Only(String),
}

/// Counters shared with the progress display.
#[derive(Debug, Default)]
pub struct Counters {
    pub commits: AtomicU64,
    pub trees: AtomicU64,
    pub blobs: AtomicU64,
    /// Objects named by a ref or tree but absent from the object database.
    pub missing: AtomicU64,
    pub submodules: AtomicU64,
    /// Refs that could not be resolved (dangling symbolic refs, broken packed refs).
    pub broken_refs: AtomicU64,
    /// With `--all-objects`: commits no ref reaches that were walked, and blobs that no
    /// commit or ref reaches.
    pub unreachable_commits: AtomicU64,
    pub unreachable_blobs: AtomicU64,
}

impl Counters {
    pub(super) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Object ids are already uniformly random: hashing them again (SipHash) is wasted work on
/// the hottest set in the enumeration. This hasher keeps 8 bytes of the id.
#[derive(Default)]
pub struct OidHasher(u64);

impl Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        if bytes.len() >= 8 {
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[..8]);
            self.0 ^= u64::from_le_bytes(word);
        } else {
            for &b in bytes {
                self.0 = self.0.rotate_left(8) ^ u64::from(b);
            }
        }
    }
    fn write_usize(&mut self, _: usize) {
        // The slice length prefix Hash adds for `[u8; 20]`: the same for every id.
    }
}

/// A set of object ids.
pub type OidSet = HashSet<Oid, BuildHasherDefault<OidHasher>>;

/// A set of raw object ids, for the walk's hottest lookups: comparing `git2::Oid`s is a call
/// into libgit2, comparing arrays is inlined.
pub(super) type RawOidSet = HashSet<[u8; 20], BuildHasherDefault<OidHasher>>;

pub(super) fn raw(oid: &Oid) -> [u8; 20] {
    oid.as_bytes().try_into().expect("20-byte object ids")
}

/// What a walk hands on as it goes: every unique blob, and for a record of the walk (see
/// [`super::walk_record`]) what it needs to be continued later.
pub trait WalkSink {
    /// A blob seen for the first time.
    fn blob(&mut self, job: BlobJob);
    /// A commit the refs reach, after its parents.
    fn commit(&mut self, _walked: Walked<'_>) {}
    /// The refs that name trees or blobs rather than commits, as [`Roots::ref_objects`].
    fn ref_objects(&mut self, _digest: [u8; 32]) {}
}

impl WalkSink for Vec<BlobJob> {
    fn blob(&mut self, job: BlobJob) {
        self.push(job);
    }
}

/// Walks the selected refs and hands `sink` each unique blob, in order of first sight. The
/// commits' trees are read on up to `threads` threads (0: one per core), with the result of
/// one ([`super::split_walk`]).
/// With `all_objects`, then also every blob of the object database that no ref reaches:
/// first those of commits no ref reaches (with their commit and path), then the rest.
pub fn enumerate(
    repo: &Repository,
    refs: &RefSelection,
    all_objects: bool,
    threads: usize,
    counters: &Counters,
    sink: &mut dyn WalkSink,
) -> Result<(), Error> {
    let split = |commits, keep_trees| Split::for_commits(commits, threads, keep_trees);
    enumerate_split(repo, refs, all_objects, &split, counters, sink)
}

/// [`enumerate`], with the split of the commits' tree walk that `split` gives for the
/// number of commits and [`Split::keep_trees`].
pub(super) fn enumerate_split(
    repo: &Repository,
    refs: &RefSelection,
    all_objects: bool,
    split: &dyn Fn(usize, bool) -> Split,
    counters: &Counters,
    sink: &mut dyn WalkSink,
) -> Result<(), Error> {
    // A handle of the walk's own: libgit2 keeps a pack's index mapped (tens of megabytes of
    // resident memory on a large history) while any handle that read from it lives, and the
    // blob scan that follows has no use for it.
    let own = Repository::open(repo.path())
        .map_err(|e| git_error(format!("{}: cannot open", repo.path().display()), e))?;
    let repo = &own;
    let packs = Packs::open(&objects_dir(repo));
    let mut objects = ObjectSource::new(repo, &packs)?;
    let roots = collect_roots(repo, &mut objects, refs, counters)?;
    sink.ref_objects(roots.ref_objects());
    let mut walker = TreeWalker::new(repo, objects, counters, sink);
    let shallow = shallow_commits(repo.commondir());
    // Read on as many threads as a long walk's trees would be.
    let readers = split(usize::MAX, false).workers;
    let order = parents_first(
        repo.path(),
        &packs,
        readers,
        &roots.commits,
        &shallow,
        &|_| false,
        counters,
    )?;
    let walks_follow = all_objects || !roots.trees.is_empty();
    walk_commits(
        &mut walker,
        repo,
        &packs,
        &order,
        Reached::FromRefs,
        split(order.len(), walks_follow),
    )?;
    // With --all-objects, what the refs reach is left out of the walk of what they do not.
    // Sorted ids, not a hash set: built while the walk's sets are at their largest (the
    // audit's peak), where rails' 119,000 commits take 2.4 MB, against 5.5 MB in a set.
    let walked_commits: Vec<[u8; 20]> = if all_objects {
        let mut commits: Vec<[u8; 20]> = order.iter().map(|walked| raw(&walked.commit)).collect();
        commits.sort_unstable();
        commits
    } else {
        Vec::new()
    };
    // Megabytes on a large history, and what follows needs none of it.
    drop(order);
    for (tree, name) in roots.trees {
        walker.walk_tree(tree, &Root::Ref(name))?;
    }
    for (blob, name) in roots.blobs {
        let path = name.to_string();
        walker.see_blob(blob, &Root::Ref(name), path);
    }
    if all_objects {
        walker.unreachable(&walked_commits, &shallow, split)?;
    }
    Ok(())
}

/// Where enumeration starts: commits to walk, and refs that point past any commit.
#[derive(Debug, Default)]
pub(crate) struct Roots {
    pub(crate) commits: Vec<Oid>,
    trees: Vec<(Oid, Arc<str>)>,
    blobs: Vec<(Oid, Arc<str>)>,
}

impl Roots {
    /// A digest of the refs that name trees or blobs, names and targets: a recorded walk
    /// is continued only while these are the same (their blobs come after every commit's).
    pub(crate) fn ref_objects(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        for (kind, list) in [(b"tree", &self.trees), (b"blob", &self.blobs)] {
            for (oid, name) in list {
                hash.update(kind);
                hash.update(oid.as_bytes());
                hash.update((name.len() as u64).to_le_bytes());
                hash.update(name.as_bytes());
            }
        }
        hash.finalize().into()
    }

    /// Adds what ref `name` (naming `oid`) finally points at. A ref whose object cannot be
    /// read is an error, never a skip: a partial clone lacks blobs and trees, not the
    /// commits its refs name, so an unreadable ref target means a pack that cannot be read
    /// (and a scan that reported "0 commits, 0 findings" over a repository holding secrets).
    fn add(&mut self, objects: &mut ObjectSource<'_>, oid: Oid, name: &str) -> Result<(), Error> {
        let unreadable = || {
            git_error(
                format!("ref {name} names object {oid}, which cannot be read (damaged or unreadable pack?)"),
                git2::Error::from_str("object not found"),
            )
        };
        // Annotated tags (possibly of tags) are peeled to what they finally name.
        let (kind, target) = objects.peel(oid)?.ok_or_else(unreadable)?;
        match kind {
            Kind::Commit => self.commits.push(target),
            Kind::Tree => self.trees.push((target, name.into())),
            Kind::Blob => self.blobs.push((target, name.into())),
            Kind::Tag => {}
        }
        Ok(())
    }
}

pub(crate) fn collect_roots(
    repo: &Repository,
    objects: &mut ObjectSource<'_>,
    refs: &RefSelection,
    counters: &Counters,
) -> Result<Roots, Error> {
    let mut roots = Roots::default();
    match refs {
        RefSelection::Only(spec) => {
            let object = repo.revparse_single(spec).map_err(|e| {
                Error::Usage(format!(
                    "--branch {spec}: no such ref or revision in this repository ({})",
                    e.message()
                ))
            })?;
            roots.add(objects, object.id(), spec)?;
        }
        RefSelection::All => {
            let references = repo
                .references()
                .map_err(|e| git_error("cannot list refs", e))?;
            for reference in references {
                let Ok(reference) = reference else {
                    Counters::bump(&counters.broken_refs);
                    continue;
                };
                let Ok(resolved) = reference.resolve() else {
                    Counters::bump(&counters.broken_refs);
                    continue;
                };
                let (Some(oid), name) = (resolved.target(), reference.name_bytes()) else {
                    continue;
                };
                roots.add(objects, oid, &path_string(name))?;
            }
            // A detached HEAD may name a commit no ref reaches; an unborn HEAD names nothing.
            if let Ok(head) = repo.head() {
                if let Some(oid) = head.target() {
                    roots.add(objects, oid, "HEAD")?;
                }
            }
        }
    }
    Ok(roots)
}

/// The walk over trees: each tree and blob id once, blobs handed to the sink with the
/// origin and path they were first seen at.
pub(super) struct TreeWalker<'a, 'e> {
    repo: &'a Repository,
    pub(super) objects: ObjectSource<'a>,
    pub(super) counters: &'a Counters,
    pub(super) seen_trees: RawOidSet,
    pub(super) seen_blobs: RawOidSet,
    /// The next blob's `seq`.
    pub(super) seq: BlobSeq,
    pub(super) paths: PathSet,
    pub(super) sink: &'e mut dyn WalkSink,
}

/// Every path given to a blob so far, each held once.
#[derive(Default)]
pub(crate) struct PathSet(HashSet<Arc<str>>);

impl PathSet {
    /// `path`, shared with earlier blobs at the same path.
    pub(crate) fn intern(&mut self, path: &str) -> Arc<str> {
        if let Some(known) = self.0.get(path) {
            return known.clone();
        }
        let path: Arc<str> = path.into();
        self.0.insert(path.clone());
        path
    }

    /// `path` as held here: an equal path given before, else `path` itself, kept.
    pub(crate) fn intern_shared(&mut self, path: Arc<str>) -> Arc<str> {
        if let Some(known) = self.0.get(&*path) {
            return known.clone();
        }
        self.0.insert(path.clone());
        path
    }
}

impl<'a, 'e> TreeWalker<'a, 'e> {
    pub(super) fn new(
        repo: &'a Repository,
        objects: ObjectSource<'a>,
        counters: &'a Counters,
        sink: &'e mut dyn WalkSink,
    ) -> TreeWalker<'a, 'e> {
        TreeWalker {
            repo,
            objects,
            counters,
            seen_trees: RawOidSet::default(),
            seen_blobs: RawOidSet::default(),
            seq: 0,
            paths: PathSet::default(),
            sink,
        }
    }

    /// Visits `root` and every subtree not seen before, emitting blobs not seen before.
    pub(super) fn walk_tree(&mut self, root: Oid, origin: &Root) -> Result<(), Error> {
        let mut found = Emit {
            counters: self.counters,
            seq: &mut self.seq,
            paths: &mut self.paths,
            sink: &mut *self.sink,
            origin,
        };
        walk_unseen(
            &mut self.objects,
            &Seen::default(),
            &mut self.seen_trees,
            &mut self.seen_blobs,
            root,
            &mut found,
        )
    }

    /// The objects no ref reaches: commits (walked parents first, each tree once, so their
    /// blobs get a commit and a path), then blobs no tree walked so far names. `reachable`:
    /// the commits walked already, sorted.
    fn unreachable(
        &mut self,
        reachable: &[[u8; 20]],
        shallow: &OidSet,
        split: &dyn Fn(usize, bool) -> Split,
    ) -> Result<(), Error> {
        let mut unseen: Vec<Oid> = Vec::new();
        // The commits walked already are left out too (rails has 119,000, and each cost a
        // read of its kind only to be skipped by the walk of dangling commits).
        let mut keep_unseen = |id: &[u8; 20], seen_blobs: &RawOidSet, seen_trees: &RawOidSet| {
            // Raw ids: comparing `git2::Oid`s is a call into libgit2, and this runs for
            // every object of the database.
            if !seen_blobs.contains(id)
                && !seen_trees.contains(id)
                && reachable.binary_search(id).is_err()
            {
                unseen.push(Oid::from_bytes(id).expect("20 bytes"));
            }
        };
        let dir = objects_dir(self.repo);
        if dir.join("info/alternates").exists() || !self.objects.reads_every_pack() {
            // Objects of other repositories, or of packs this reader cannot read: only
            // libgit2 lists those.
            let odb = self
                .repo
                .odb()
                .map_err(|e| git_error("cannot open object database", e))?;
            odb.foreach(|oid| {
                keep_unseen(&raw(oid), &self.seen_blobs, &self.seen_trees);
                true
            })
            .map_err(|e| git_error("cannot list the object database", e))?;
        } else {
            // The packs' own indexes and the loose files, without libgit2 mapping every
            // index again (tens of megabytes resident on a large history).
            self.objects
                .each_packed_id(|id| keep_unseen(id, &self.seen_blobs, &self.seen_trees));
            for oid in super::loose::loose_object_ids(&dir) {
                keep_unseen(&raw(&oid), &self.seen_blobs, &self.seen_trees);
            }
        }
        // An object may be both packed and loose, or in two packs.
        unseen.sort_unstable();
        unseen.dedup();
        // Kinds are read from entry headers in pack order, where neighbours share a read:
        // in id order each header cost a read of its own (on rails, 1.3 million reads and
        // most of `--all-objects`' extra system time). Loose objects sort first.
        let packs = self.objects.packs();
        let mut located: Vec<(Option<Location>, Oid)> =
            unseen.iter().map(|&oid| (packs.locate(oid), oid)).collect();
        drop(unseen);
        located.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.as_bytes().cmp(b.1.as_bytes()))
        });
        let readers = split(usize::MAX, false).workers;
        let (commits, mut blobs) = classify(
            self.repo.path(),
            self.objects.packs(),
            &located,
            readers,
            self.counters,
        )?;
        drop(located);
        // Commits stay in pack order, which decides the order they are walked in (parents
        // first): a pull request's commits and trees lie together in the pack, so its trees'
        // delta bases are still cached when the next commit is walked. In id order each
        // commit started a delta chain of its own: on rails, 580,000 inflates for 207,000
        // dangling trees, against 290,000, and 4 s of a 17.7 s audit's CPU. Blobs no commit
        // reaches are reported in id order.
        blobs.sort_unstable();
        // Walked already: only what no ref reaches is left.
        let dangling = parents_first(
            self.repo.path(),
            self.objects.packs(),
            split(usize::MAX, false).workers,
            &commits,
            shallow,
            &|c| reachable.binary_search(&raw(c)).is_ok(),
            self.counters,
        )?;
        let (repo, packs) = (self.repo, self.objects.packs());
        // Only blobs are looked up after this walk: its trees need not be kept.
        let split = split(dangling.len(), false);
        walk_commits(self, repo, packs, &dangling, Reached::Dangling, split)?;
        for blob in blobs {
            if !self.seen_blobs.contains(&raw(&blob)) {
                Counters::bump(&self.counters.unreachable_blobs);
                self.see_blob(blob, &Root::Unreachable, format!("unreachable blob {blob}"));
            }
        }
        Ok(())
    }

    pub(super) fn see_blob(&mut self, blob: Oid, origin: &Root, path: String) {
        if !self.seen_blobs.insert(raw(&blob)) {
            return;
        }
        let path = self.paths.intern(&path);
        self.emit(blob, origin, path);
    }

    /// Hands on a blob seen for the first time, with the next `seq`.
    pub(super) fn emit(&mut self, blob: Oid, origin: &Root, path: Arc<str>) {
        emit_blob(
            self.counters,
            &mut self.seq,
            &mut *self.sink,
            blob,
            origin,
            path,
        );
    }
}

/// Commits and blobs, each in the order met.
type CommitsAndBlobs = (Vec<Oid>, Vec<Oid>);

/// The commits and blobs among `located` (objects in pack order, loose ones first), in that
/// order; missing ones are counted. Entry headers are read on up to `threads` threads, each
/// a contiguous run of the list with a reader and a repository handle of its own.
fn classify(
    git_dir: &std::path::Path,
    packs: &Packs,
    located: &[(Option<Location>, Oid)],
    threads: usize,
    counters: &Counters,
) -> Result<CommitsAndBlobs, Error> {
    let run = |part: &[(Option<Location>, Oid)]| -> Result<CommitsAndBlobs, Error> {
        let own = Repository::open(git_dir)
            .map_err(|e| git_error(format!("{}: cannot open", git_dir.display()), e))?;
        let mut objects = ObjectSource::new(&own, packs)?;
        let mut headers = Reader::new(packs, 0, CLASSIFY_READ_SIZE);
        // Kinds of the entries met, bounded: chains are shared by neighbours in pack order,
        // and what is far back in the pack is rarely met again.
        let mut known = LocationMap::default();
        let (mut commits, mut blobs) = (Vec::new(), Vec::new());
        for &(at, oid) in part {
            if known.len() >= KNOWN_KINDS {
                known.clear();
            }
            match objects.kind(oid, at, &mut known, &mut headers)? {
                Some(Kind::Commit) => commits.push(oid),
                Some(Kind::Blob) => blobs.push(oid),
                Some(_) => {}
                None => Counters::bump(&counters.missing),
            }
        }
        Ok((commits, blobs))
    };
    let chunk = located.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Result<CommitsAndBlobs, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = located
            .chunks(chunk)
            .map(|part| scope.spawn(move || run(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("no classifier panics"))
            .collect()
    });
    let (mut commits, mut blobs) = (Vec::new(), Vec::new());
    for part in parts {
        let (c, b) = part?;
        commits.extend(c);
        blobs.extend(b);
    }
    Ok((commits, blobs))
}

fn emit_blob(
    counters: &Counters,
    seq: &mut BlobSeq,
    sink: &mut dyn WalkSink,
    blob: Oid,
    origin: &Root,
    path: Arc<str>,
) {
    Counters::bump(&counters.blobs);
    let job = BlobJob {
        blob,
        root: origin.clone(),
        path,
        seq: *seq,
    };
    *seq = seq.saturating_add(1);
    sink.blob(job);
}

/// What a tree walk reports as it goes.
pub(super) trait TreeVisitor {
    /// A blob no tree walked before held, at `path` under the walk's root.
    fn blob(&mut self, blob: Oid, path: String);
    /// A tree the object database lacks (a partial clone).
    fn missing_tree(&mut self, tree: Oid);
    /// A tree read.
    fn tree_read(&mut self) {}
    /// A submodule entry of tree `tree`.
    fn submodule(&mut self, _tree: Oid) {}
}

/// The sequential walker's visitor: each blob goes straight to the sink.
struct Emit<'w, 'e> {
    counters: &'w Counters,
    seq: &'w mut BlobSeq,
    paths: &'w mut PathSet,
    sink: &'w mut (dyn WalkSink + 'e),
    origin: &'w Root,
}

impl TreeVisitor for Emit<'_, '_> {
    fn blob(&mut self, blob: Oid, path: String) {
        let path = self.paths.intern(&path);
        emit_blob(self.counters, self.seq, self.sink, blob, self.origin, path);
    }
    fn missing_tree(&mut self, _: Oid) {
        Counters::bump(&self.counters.missing);
    }
    fn tree_read(&mut self) {
        Counters::bump(&self.counters.trees);
    }
    fn submodule(&mut self, _: Oid) {
        Counters::bump(&self.counters.submodules);
    }
}

/// Trees and blobs a walk has seen.
#[derive(Debug, Default)]
pub(super) struct Seen {
    pub(super) trees: RawOidSet,
    pub(super) blobs: RawOidSet,
}

/// Depth-first from tree `root`: every tree not in `seen_trees` is read and added to it, and
/// every blob entry not in `seen_blobs` is added and handed to `visitor`. A tree is marked
/// seen only as it is pushed to be read, and a walk always finishes what it pushed, so every
/// tree in `seen_trees` had all its blobs added to `seen_blobs`: a tree seen before holds
/// nothing new.
///
/// `before` holds what an earlier walk saw, which counts as seen without being added to
/// `seen_trees` and `seen_blobs`.
pub(super) fn walk_unseen(
    objects: &mut ObjectSource<'_>,
    before: &Seen,
    seen_trees: &mut RawOidSet,
    seen_blobs: &mut RawOidSet,
    root: Oid,
    visitor: &mut dyn TreeVisitor,
) -> Result<(), Error> {
    let root_id = raw(&root);
    if before.trees.contains(&root_id) || !seen_trees.insert(root_id) {
        return Ok(());
    }
    let mut stack: Vec<(Oid, String)> = vec![(root, String::new())];
    while let Some((oid, prefix)) = stack.pop() {
        let Some(tree) = objects.tree(oid)? else {
            visitor.missing_tree(oid);
            continue;
        };
        visitor.tree_read();
        for entry in tree::entries(&tree) {
            let entry = entry.map_err(|why| tree::damaged(oid, why))?;
            let id = entry.id;
            match entry.kind {
                EntryKind::Tree => {
                    if !before.trees.contains(&id) && seen_trees.insert(id) {
                        stack.push((entry.oid(), join(&prefix, entry.name)));
                    }
                }
                EntryKind::Blob => {
                    if !before.blobs.contains(&id) && seen_blobs.insert(id) {
                        visitor.blob(entry.oid(), join(&prefix, entry.name));
                    }
                }
                EntryKind::Gitlink => visitor.submodule(oid),
            }
        }
    }
    Ok(())
}

pub(super) fn join(prefix: &str, name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    if prefix.is_empty() {
        name.into_owned()
    } else {
        let mut path = String::with_capacity(prefix.len() + 1 + name.len());
        path.push_str(prefix);
        path.push('/');
        path.push_str(&name);
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The job list is an audit's largest allocation: growing a job past 64 bytes shows in
    /// every large audit's peak memory (see [`BlobSeq`]).
    #[test]
    fn a_blob_job_fits_in_64_bytes() {
        assert!(std::mem::size_of::<BlobJob>() <= 64);
    }
}
