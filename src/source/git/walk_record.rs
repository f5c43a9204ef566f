//! A recorded enumeration: every blob a full audit's walk emitted, in order, with the walk's
//! counters, so that an audit of refs that have not moved can replay it instead of reading
//! every commit and tree again (on a 13,800-commit history the walk is about a tenth of a
//! first audit, and all of a second one once the scan cache holds every blob).
//!
//! What the walk emits depends only on the objects the refs reach, which their ids name, so
//! a fingerprint of the refs ([`refs_fingerprint`]) decides whether a record still holds.
//! When refs have moved, the record's commit graph (each commit walked, its tree and its
//! parents) lets [`super::resume`] continue it from the new commits alone.
//! The record is a compact binary encoding (written once per walk, read once per replay; a
//! large history's record is tens of megabytes, so no per-job allocation while recording).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use git2::{Oid, Repository};
use sha2::{Digest, Sha256};

use super::enumerate::{BlobJob, BlobSeq, Counters, OidHasher, RefSelection, WalkSink};
use super::order::{Order, Walked};
use super::path_string;
use crate::item::Root;

/// Bumped when the encoding changes: a record of another version is not replayed.
const VERSION: u8 = 2;

/// Version; the refs' fingerprint, the shallow boundary's and the ref objects' digests;
/// seven counters; the commit, path and blob counts.
const HEADER_LEN: usize = 1 + 3 * 32 + 7 * 8 + 3 * 8;

/// A hash of where the walk starts: every ref's name and target (and HEAD's), or the one
/// revision `--branch` names, and the shallow boundary. Equal fingerprints mean the same
/// commits, trees and blobs are reachable, so the same walk. `None` when a ref cannot be
/// read (then nothing is recorded or replayed).
pub fn refs_fingerprint(repo: &Repository, refs: &RefSelection) -> Option<[u8; 32]> {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(&[VERSION]);
    match refs {
        RefSelection::Only(spec) => {
            field(b"only");
            field(spec.as_bytes());
            field(repo.revparse_single(spec).ok()?.id().as_bytes());
        }
        RefSelection::All => {
            field(b"all");
            for reference in repo.references().ok()? {
                let reference = reference.ok()?;
                field(reference.name_bytes());
                match reference.resolve().ok().and_then(|r| r.target()) {
                    Some(oid) => field(oid.as_bytes()),
                    None => field(b"unresolved"),
                }
            }
            match repo.head().ok().and_then(|h| h.target()) {
                Some(oid) => field(oid.as_bytes()),
                None => field(b"no head"),
            }
        }
    }
    // A shallow clone's boundary commits: deepening it changes what is walked.
    field(&shallow_digest(repo));
    Some(hash.finalize().into())
}

/// A digest of a shallow clone's boundary (`shallow` in the git directory; empty when the
/// history is whole): a record is continued only across walks with the same boundary.
pub fn shallow_digest(repo: &Repository) -> [u8; 32] {
    let boundary = std::fs::read(repo.commondir().join("shallow")).unwrap_or_default();
    Sha256::digest(boundary).into()
}

/// A reference to a commit that is not in the record's own table (never written by a walk,
/// whose blobs and parents always name commits walked before them; kept so any input
/// encodes).
const OUTSIDE: u32 = u32::MAX;

/// Records a walk as it goes, and hands every blob on to the scan's job list.
///
/// The record is three tables after the header: commits (id, tree, parents as indexes of
/// earlier commits), paths (each once), and blobs (id, how it was reached: a commit's index
/// or a ref's name, and a path's index). A blob's `seq` is its place in the table. On a
/// 119,000-commit, 226,000-blob history that is about 14 MB.
pub struct Recorder {
    commits: Vec<u8>,
    commit_index: HashMap<Oid, u32, BuildHasherDefault<OidHasher>>,
    ref_objects: [u8; 32],
    /// The blobs as jobs, for the scan.
    list: Vec<BlobJob>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl WalkSink for Recorder {
    fn blob(&mut self, job: BlobJob) {
        // Encoded by `finish`, once the walk's own memory is freed: the walk's peak is an
        // audit's, and the list is needed for the scan anyway.
        debug_assert_eq!(
            job.seq as usize,
            self.list.len(),
            "a blob's seq is its place"
        );
        self.list.push(job);
    }

    fn commit(&mut self, walked: Walked<'_>) {
        let out = &mut self.commits;
        out.extend_from_slice(walked.commit.as_bytes());
        out.extend_from_slice(walked.tree.as_bytes());
        put_u32(out, walked.parents.len() as u32);
        for parent in walked.parents {
            match self.commit_index.get(parent) {
                Some(&index) => put_u32(out, index),
                None => {
                    put_u32(out, OUTSIDE);
                    out.extend_from_slice(parent.as_bytes());
                }
            }
        }
        let next = self.commit_index.len() as u32;
        self.commit_index.entry(walked.commit).or_insert(next);
    }

    fn ref_objects(&mut self, digest: [u8; 32]) {
        self.ref_objects = digest;
    }
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder {
            commits: Vec::new(),
            commit_index: HashMap::default(),
            ref_objects: [0; 32],
            list: Vec::new(),
        }
    }

    /// The record (for `fingerprint` and the shallow boundary `shallow`, with the walk's
    /// counters), and the blobs to scan.
    pub fn finish(
        self,
        fingerprint: &[u8; 32],
        shallow: &[u8; 32],
        counters: &Counters,
    ) -> (Vec<u8>, Vec<BlobJob>) {
        let mut path_index: HashMap<&str, u32> = HashMap::new();
        let mut paths = Vec::new();
        for job in &self.list {
            let next = path_index.len() as u32;
            path_index.entry(&job.path).or_insert_with(|| {
                put_bytes(&mut paths, job.path.as_bytes());
                next
            });
        }
        let mut out = Vec::with_capacity(
            HEADER_LEN + self.commits.len() + paths.len() + self.list.len() * 29,
        );
        out.push(VERSION);
        out.extend_from_slice(fingerprint);
        out.extend_from_slice(shallow);
        out.extend_from_slice(&self.ref_objects);
        for n in counter_values(counters) {
            out.extend_from_slice(&n.to_le_bytes());
        }
        let counts = [self.commit_index.len(), path_index.len(), self.list.len()];
        for n in counts {
            out.extend_from_slice(&(n as u64).to_le_bytes());
        }
        debug_assert_eq!(out.len(), HEADER_LEN);
        out.extend_from_slice(&self.commits);
        drop(self.commits);
        out.extend_from_slice(&paths);
        drop(paths);
        for job in &self.list {
            out.extend_from_slice(job.blob.as_bytes());
            match &job.root {
                Root::Commit(oid) => match self.commit_index.get(oid) {
                    Some(&index) => {
                        out.push(0);
                        put_u32(&mut out, index);
                    }
                    None => {
                        out.push(4);
                        out.extend_from_slice(oid.as_bytes());
                    }
                },
                Root::Ref(name) => {
                    out.push(1);
                    put_bytes(&mut out, name.as_bytes());
                }
                Root::Dangling(oid) => {
                    out.push(2);
                    out.extend_from_slice(oid.as_bytes());
                }
                Root::Unreachable => out.push(3),
            }
            put_u32(&mut out, path_index[&*job.path]);
        }
        drop(path_index);
        (out, self.list)
    }

    /// The blobs handed on so far, for a walk that is not recorded after all.
    pub fn into_jobs(self) -> Vec<BlobJob> {
        self.list
    }
}

/// A record, checked whole and read in place. Its blobs are decoded as they are handed on,
/// not held decoded: a continued walk hands each straight to the scan's list, and a
/// decoded copy beside that list raised rails' peak by 17 MB.
pub struct Recorded<'a> {
    pub fingerprint: &'a [u8],
    pub shallow: &'a [u8],
    pub ref_objects: &'a [u8],
    counters: [u64; 7],
    commit_ids: Vec<Oid>,
    commits: &'a [u8],
    paths: Vec<Arc<str>>,
    job_count: BlobSeq,
    jobs: &'a [u8],
}

impl<'a> Recorded<'a> {
    /// `record` read, or `None` for a record of another version or one that does not
    /// decode whole (a damaged record must not be half used).
    pub fn parse(record: &'a [u8]) -> Option<Recorded<'a>> {
        let mut r = Reader { bytes: record };
        if r.u8()? != VERSION {
            return None;
        }
        let (fingerprint, shallow, ref_objects) = (r.take(32)?, r.take(32)?, r.take(32)?);
        let mut counters = [0u64; 7];
        for v in &mut counters {
            *v = r.u64()?;
        }
        let (commit_count, path_count, job_count) = (r.u64()?, r.u64()?, r.u64()?);
        // Every count is checked against the bytes left before anything is reserved for it.
        let at_most = |count: u64, min_size: usize, r: &Reader<'_>| {
            (count <= (r.bytes.len() / min_size) as u64).then_some(count as usize)
        };

        let commits = r.bytes;
        let mut commit_ids = Vec::with_capacity(at_most(commit_count, 44, &r)?);
        let mut parents = Vec::new();
        for i in 0..commit_count as u32 {
            parents.clear();
            let (commit, _) = r.commit(&commit_ids, i, &mut parents)?;
            commit_ids.push(commit);
        }
        let commits = &commits[..commits.len() - r.bytes.len()];
        let mut paths = Vec::with_capacity(at_most(path_count, 4, &r)?);
        for _ in 0..path_count {
            paths.push(Arc::from(path_string(r.bytes()?)));
        }
        let jobs = r.bytes;
        at_most(job_count, 25, &r)?;
        let job_count = BlobSeq::try_from(job_count).ok()?;
        let mut check = Reader { bytes: jobs };
        if (0..job_count).any(|seq| check.job(&commit_ids, &paths, seq).is_none())
            || !check.bytes.is_empty()
        {
            return None;
        }
        Some(Recorded {
            fingerprint,
            shallow,
            ref_objects,
            counters,
            commit_ids,
            commits,
            paths,
            job_count,
            jobs,
        })
    }

    /// Sets `counters` as the recorded walk left them.
    pub fn restore_counters(&self, counters: &Counters) {
        for (counter, value) in counter_refs(counters).into_iter().zip(self.counters) {
            counter.store(value, Ordering::Relaxed);
        }
    }

    /// The recorded blobs, in the order they were first seen.
    pub fn jobs(&self) -> impl Iterator<Item = BlobJob> + '_ {
        let mut r = Reader { bytes: self.jobs };
        (0..self.job_count).map_while(move |seq| r.job(&self.commit_ids, &self.paths, seq))
    }

    /// The recorded commits, parents first.
    pub fn commits(&self) -> Order {
        let mut r = Reader {
            bytes: self.commits,
        };
        let mut order = Order::default();
        let mut parents = Vec::new();
        for i in 0..self.commit_ids.len() as u32 {
            parents.clear();
            // Checked whole by `parse`.
            let Some((commit, tree)) = r.commit(&self.commit_ids, i, &mut parents) else {
                break;
            };
            order.push(commit, tree, &parents);
        }
        order
    }
}

fn counter_refs(c: &Counters) -> [&std::sync::atomic::AtomicU64; 7] {
    [
        &c.commits,
        &c.trees,
        &c.blobs,
        &c.missing,
        &c.submodules,
        &c.broken_refs,
        &c.unreachable_commits,
    ]
}

fn counter_values(c: &Counters) -> [u64; 7] {
    counter_refs(c).map(|a| a.load(Ordering::Relaxed))
}

fn put_u32(out: &mut Vec<u8>, n: u32) {
    out.extend_from_slice(&n.to_le_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, bytes.len() as u32);
    out.extend_from_slice(bytes);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    fn oid(&mut self) -> Option<Oid> {
        Oid::from_bytes(self.take(20)?).ok()
    }

    /// A commit table's `index`th entry: its id and tree; its parents (which name commits
    /// before it in `ids`) are added to `parents`.
    fn commit(&mut self, ids: &[Oid], index: u32, parents: &mut Vec<Oid>) -> Option<(Oid, Oid)> {
        let (commit, tree) = (self.oid()?, self.oid()?);
        let count = self.u32()? as usize;
        // Checked before allocating: a damaged count must not reserve gigabytes.
        if self.bytes.len() < count.checked_mul(4)? {
            return None;
        }
        parents.reserve(count);
        for _ in 0..count {
            parents.push(match self.u32()? {
                OUTSIDE => self.oid()?,
                earlier if earlier < index => *ids.get(earlier as usize)?,
                _ => return None,
            });
        }
        Some((commit, tree))
    }

    fn job(&mut self, commits: &[Oid], paths: &[Arc<str>], seq: BlobSeq) -> Option<BlobJob> {
        let blob = self.oid()?;
        let root = match self.u8()? {
            0 => Root::Commit(*commits.get(self.u32()? as usize)?),
            1 => Root::Ref(Arc::from(path_string(self.bytes()?))),
            2 => Root::Dangling(self.oid()?),
            3 => Root::Unreachable,
            4 => Root::Commit(self.oid()?),
            _ => return None,
        };
        let path = paths.get(self.u32()? as usize)?.clone();
        Some(BlobJob {
            blob,
            root,
            path,
            seq,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(n: u8, root: Root) -> BlobJob {
        BlobJob {
            blob: Oid::from_bytes(&[n; 20]).unwrap(),
            root,
            path: format!("dir/file-{}.txt", n % 2).into(),
            seq: BlobSeq::from(n - 1),
        }
    }

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    #[test]
    fn a_record_reads_back_what_was_recorded_and_a_damaged_one_not_at_all() {
        let jobs = [
            job(1, Root::Commit(oid(9))),
            job(2, Root::Ref(Arc::from("refs/tags/tree"))),
            job(3, Root::Unreachable),
            job(4, Root::Commit(oid(14))),
        ];
        let mut commits = Order::default();
        commits.push(oid(9), oid(10), &[]);
        commits.push(oid(11), oid(12), &[oid(9), oid(13)]);
        let counters = Counters::default();
        counters.commits.store(5, Ordering::Relaxed);
        counters.blobs.store(3, Ordering::Relaxed);
        let mut recorder = Recorder::new();
        commits.iter().for_each(|c| recorder.commit(c));
        jobs.iter().for_each(|j| recorder.blob(j.clone()));
        recorder.ref_objects([7; 32]);
        let (record, handed_on) = recorder.finish(&[1; 32], &[2; 32], &counters);
        let key = |j: &BlobJob| (j.blob, j.root.clone(), j.path.clone(), j.seq);
        assert_eq!(
            handed_on.iter().map(key).collect::<Vec<_>>(),
            jobs.iter().map(key).collect::<Vec<_>>()
        );

        let recorded = Recorded::parse(&record).expect("decodes");
        assert_eq!(recorded.fingerprint, &[1; 32]);
        assert_eq!(recorded.shallow, &[2; 32]);
        assert_eq!(recorded.ref_objects, &[7; 32]);
        let restored = Counters::default();
        recorded.restore_counters(&restored);
        assert_eq!(restored.commits.load(Ordering::Relaxed), 5);
        assert_eq!(restored.blobs.load(Ordering::Relaxed), 3);
        assert_eq!(
            recorded.jobs().map(|j| key(&j)).collect::<Vec<_>>(),
            jobs.iter().map(key).collect::<Vec<_>>()
        );
        assert_eq!(
            recorded.commits().iter().collect::<Vec<_>>(),
            commits.iter().collect::<Vec<_>>()
        );
        assert_eq!(recorded.commits().len(), 2);
        // Cut short, one byte more, or another version: nothing is read.
        assert!(Recorded::parse(&record[..record.len() - 3]).is_none());
        let mut longer = record.clone();
        longer.push(0);
        assert!(Recorded::parse(&longer).is_none());
        let mut other_version = record.clone();
        other_version[0] = VERSION + 1;
        assert!(Recorded::parse(&other_version).is_none());
        // A parent count claiming more than the record holds is damage, not an allocation;
        // so is a parent that is not an earlier commit.
        let second_count_at = HEADER_LEN + 44 + 40;
        let mut huge = record.clone();
        huge[second_count_at..second_count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Recorded::parse(&huge).is_none());
        let mut later = record;
        later[second_count_at + 4..second_count_at + 8].copy_from_slice(&1u32.to_le_bytes());
        assert!(Recorded::parse(&later).is_none());
    }
}
