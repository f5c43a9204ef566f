//! A recorded enumeration: every blob a full audit's walk emitted, in order, with the walk's
//! counters, so that an audit of refs that have not moved can replay it instead of reading
//! every commit and tree again (on a 13,800-commit history the walk is about a tenth of a
//! first audit, and all of a second one once the scan cache holds every blob).
//!
//! What the walk emits depends only on the objects the refs reach, which their ids name, so
//! a fingerprint of the refs ([`refs_fingerprint`]) decides whether a record still holds.
//! The record is a compact binary encoding (written once per walk, read once per replay; a
//! large history's record is tens of megabytes, so no per-job allocation while recording).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use git2::{Oid, Repository};
use sha2::{Digest, Sha256};

use super::enumerate::{BlobJob, Counters, PathSet, RefSelection};
use super::path_string;
use crate::item::Root;

/// Bumped when the encoding changes: a record of another version is not replayed.
const VERSION: u8 = 1;

/// Version, fingerprint, seven counters, the job count.
const HEADER_LEN: usize = 1 + 32 + 7 * 8 + 8;

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
    field(&std::fs::read(repo.path().join("shallow")).unwrap_or_default());
    Some(hash.finalize().into())
}

/// Records a walk as it emits: counters last, jobs as they come.
pub struct Recorder {
    jobs: Vec<u8>,
    count: u64,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::new()
    }
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder {
            // The header is filled in by `finish`, so the record is never copied whole.
            jobs: vec![0; HEADER_LEN],
            count: 0,
        }
    }

    pub fn add(&mut self, job: &BlobJob) {
        let out = &mut self.jobs;
        put_oid(out, job.blob);
        match &job.root {
            Root::Commit(oid) => {
                out.push(0);
                put_oid(out, *oid);
            }
            Root::Ref(name) => {
                out.push(1);
                put_bytes(out, name.as_bytes());
            }
            Root::Dangling(oid) => {
                out.push(2);
                put_oid(out, *oid);
            }
            Root::Unreachable => out.push(3),
        }
        put_bytes(out, job.path.as_bytes());
        out.extend_from_slice(&job.seq.to_le_bytes());
        self.count += 1;
    }

    /// The record: `fingerprint`, the walk's counters, the jobs.
    pub fn finish(self, fingerprint: &[u8; 32], counters: &Counters) -> Vec<u8> {
        let mut header = Vec::with_capacity(HEADER_LEN);
        header.push(VERSION);
        header.extend_from_slice(fingerprint);
        for n in counter_values(counters) {
            header.extend_from_slice(&n.to_le_bytes());
        }
        header.extend_from_slice(&self.count.to_le_bytes());
        debug_assert_eq!(header.len(), HEADER_LEN);
        let mut out = self.jobs;
        out[..HEADER_LEN].copy_from_slice(&header);
        out
    }
}

/// Replays `record` if it was made for `fingerprint`: sets `counters` as the walk left them
/// and emits every job in order. Returns false (emitting nothing) for a record of other
/// refs, another version, or one that does not decode.
pub fn replay(
    record: &[u8],
    fingerprint: &[u8; 32],
    counters: &Counters,
    emit: &mut dyn FnMut(BlobJob),
) -> bool {
    let mut r = Reader { bytes: record };
    let header = (|| {
        if r.u8()? != VERSION || r.take(32)? != fingerprint {
            return None;
        }
        let mut values = [0u64; 7];
        for v in &mut values {
            *v = r.u64()?;
        }
        Some((values, r.u64()?))
    })();
    let Some((values, count)) = header else {
        return false;
    };
    // Checked whole before anything is emitted (a damaged record must emit nothing), then
    // decoded again as it is emitted, so no list of every job is ever held.
    let jobs = r.bytes;
    let mut check = Reader { bytes: jobs };
    let mut paths = PathSet::default();
    if (0..count).any(|_| check.job(&mut paths).is_none()) || !check.bytes.is_empty() {
        return false;
    }
    for (counter, value) in counter_refs(counters).into_iter().zip(values) {
        counter.store(value, Ordering::Relaxed);
    }
    let mut r = Reader { bytes: jobs };
    while let Some(job) = r.job(&mut paths) {
        emit(job);
    }
    true
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

fn put_oid(out: &mut Vec<u8>, oid: Oid) {
    put_bytes(out, oid.as_bytes());
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
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
        Oid::from_bytes(self.bytes()?).ok()
    }

    fn job(&mut self, paths: &mut PathSet) -> Option<BlobJob> {
        let blob = self.oid()?;
        let root = match self.u8()? {
            0 => Root::Commit(self.oid()?),
            1 => Root::Ref(Arc::from(path_string(self.bytes()?))),
            2 => Root::Dangling(self.oid()?),
            3 => Root::Unreachable,
            _ => return None,
        };
        let path = paths.intern(&path_string(self.bytes()?));
        let seq = self.u64()?;
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
            path: format!("dir/file-{n}.txt").into(),
            seq: u64::from(n),
        }
    }

    #[test]
    fn a_record_replays_what_was_recorded_and_nothing_else() {
        let jobs = [
            job(1, Root::Commit(Oid::from_bytes(&[9; 20]).unwrap())),
            job(2, Root::Ref(Arc::from("refs/tags/tree"))),
            job(3, Root::Unreachable),
        ];
        let counters = Counters::default();
        counters.commits.store(5, Ordering::Relaxed);
        counters.blobs.store(3, Ordering::Relaxed);
        let mut recorder = Recorder::new();
        jobs.iter().for_each(|j| recorder.add(j));
        let record = recorder.finish(&[1; 32], &counters);

        let replayed_counters = Counters::default();
        let mut replayed = Vec::new();
        assert!(replay(&record, &[1; 32], &replayed_counters, &mut |j| {
            replayed.push(j)
        }));
        assert_eq!(replayed_counters.commits.load(Ordering::Relaxed), 5);
        assert_eq!(replayed_counters.blobs.load(Ordering::Relaxed), 3);
        let key = |j: &BlobJob| (j.blob, j.root.clone(), j.path.clone(), j.seq);
        assert_eq!(
            replayed.iter().map(key).collect::<Vec<_>>(),
            jobs.iter().map(key).collect::<Vec<_>>()
        );
        // Other refs, or a damaged record: nothing is emitted.
        let mut none = 0;
        assert!(!replay(
            &record,
            &[2; 32],
            &Counters::default(),
            &mut |_| none += 1
        ));
        assert!(!replay(
            &record[..record.len() - 3],
            &[1; 32],
            &Counters::default(),
            &mut |_| none += 1
        ));
        assert_eq!(none, 0);
    }
}
