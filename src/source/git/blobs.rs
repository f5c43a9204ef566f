//! Scanning the blobs an enumeration listed, in parallel, each inflated once.
//!
//! Blobs the scan cache holds are replayed without reading. The rest are located in their
//! packs and planned as delta families ([`Forest`]); a worker takes a family at a time and
//! rebuilds it depth-first, so every object on a delta chain is inflated exactly once
//! however the chain is shared. Blobs no pack here holds (loose objects, alternates) are
//! read through libgit2; each worker opens its own `git2::Repository` for them (it is
//! `Send` but not `Sync`) when it first needs one.

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use git2::{ObjectType, Repository};

use super::enumerate::{BlobJob, BlobSeq};
use super::pack::{Forest, Kind, Location, Packs, Reader, Resolved};
use super::{git_error, is_missing, limit_heap_arenas, objects_dir};
use crate::cache::ScanCache;
use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::Origin;
use crate::scanner::{Scanner, Stats};

/// Blobs per unit of work a worker takes among those libgit2 reads.
const RUN: usize = 256;
/// Each read covers this much of the pack (an object larger than that gets a second read
/// of its size). A family's objects are often neighbours, so one read may serve several;
/// but on rails' history 32 KiB reads copied 6.8 GB out of a 380 MB pack, which 8 KiB reads
/// cut to 2.9 GB and the audit's system time by about a third.
const BLOB_READ_SIZE: usize = 8 << 10;
/// Planning reads only entry headers, in pack order.
const PLAN_READ_SIZE: usize = 16 << 10;

/// A finding from history (its origin names the blob and what reached it), before its
/// provenance is described.
#[derive(Debug, Clone)]
pub struct Hit {
    pub finding: Finding,
    /// Order of first sight of the blob (lower is earlier in history).
    pub seq: BlobSeq,
}

/// What the blob workers share: the scanner, the filter, the counters and the scan cache
/// (if one is used).
#[derive(Clone, Copy)]
pub struct BlobScan<'a> {
    pub scanner: &'a Scanner,
    pub filter: &'a Filter,
    pub stats: &'a Stats,
    pub counters: &'a BlobCounters,
    pub cache: Option<&'a ScanCache>,
}

/// Blob-level counts the item statistics do not cover.
#[derive(Debug, Default)]
pub struct BlobCounters {
    /// Blobs named by a tree but absent from the object database (partial clones).
    pub missing: AtomicU64,
}

/// Scans every job on `threads` workers (0: one per core).
pub fn scan_jobs(
    repo: &Repository,
    scan: BlobScan<'_>,
    threads: usize,
    jobs: &[BlobJob],
) -> Result<Vec<Hit>, Error> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if threads == 0 { cores } else { threads };
    // The walk's thread and the workers: no more run at once than there are cores.
    limit_heap_arenas(threads.min(cores) + 1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} worker threads: {e}")))?;
    let hits = Mutex::new(Vec::new());
    // What the scan cache holds is replayed without reading; only the rest is planned.
    let unscanned: Vec<usize> = match scan.cache {
        None => (0..jobs.len()).collect(),
        Some(_) => pool.install(|| {
            use rayon::prelude::*;
            // In blob id order, the cache's key order: neighbouring lookups then share the
            // store's pages, where in walk order nearly every lookup read a page of its own.
            let mut by_id: Vec<usize> = (0..jobs.len()).collect();
            by_id.par_sort_unstable_by(|&a, &b| {
                jobs[a].blob.as_bytes().cmp(jobs[b].blob.as_bytes())
            });
            by_id
                .into_par_iter()
                .filter(|&i| {
                    let job = &jobs[i];
                    let origin = origin_of(job);
                    match from_cache(job.blob, &origin, &origin.display(), scan) {
                        Some(findings) => {
                            add_hits(&hits, job, findings);
                            false
                        }
                        None => true,
                    }
                })
                .collect()
        }),
    };
    let mut packs = Packs::open(&objects_dir(repo));
    let mut packed: Vec<(Location, usize)> = Vec::with_capacity(unscanned.len());
    let mut elsewhere: Vec<usize> = Vec::new();
    for i in unscanned {
        match packs.locate(jobs[i].blob) {
            Some(at) => packed.push((at, i)),
            None => elsewhere.push(i),
        }
    }
    packed.sort_unstable();
    let forest = Forest::plan(&mut Reader::new(&packs, 0, PLAN_READ_SIZE), &packed)?;
    drop(packed);
    elsewhere.extend(&forest.unplanned);
    packs.forget_indexes();
    let elsewhere: Vec<&[usize]> = elsewhere.chunks(RUN).collect();
    let git_dir = repo.path();
    let next = AtomicUsize::new(0);
    let units = forest.len() + elsewhere.len();
    let worker_error: Mutex<Option<Error>> = Mutex::new(None);
    pool.broadcast(|_| {
        let mut worker = Worker {
            git_dir,
            reader: Reader::new(&packs, 0, BLOB_READ_SIZE),
            odb_repo: None,
            scan,
        };
        loop {
            let unit = next.fetch_add(1, Ordering::Relaxed);
            let done = if unit < forest.len() {
                worker.family(&forest, unit, jobs, &hits)
            } else if let Some(run) = elsewhere.get(unit - forest.len()) {
                worker.through_libgit2(run, jobs, &hits)
            } else {
                return;
            };
            if let Err(e) = done {
                worker_error
                    .lock()
                    .expect("no worker panics")
                    .get_or_insert(e);
                // The others stop at their next unit.
                next.store(units, Ordering::Relaxed);
                return;
            }
        }
    });
    if let Some(e) = worker_error.into_inner().expect("no worker panics") {
        return Err(e);
    }
    Ok(hits.into_inner().expect("no worker panics"))
}

fn origin_of(job: &BlobJob) -> Origin {
    Origin::Blob {
        blob: job.blob,
        path: job.path.to_string(),
        root: job.root.clone(),
    }
}

fn add_hits(hits: &Mutex<Vec<Hit>>, job: &BlobJob, findings: Vec<Finding>) {
    if !findings.is_empty() {
        let mut hits = hits.lock().expect("no worker panics");
        hits.extend(findings.into_iter().map(|finding| Hit {
            finding,
            seq: job.seq,
        }));
    }
}

struct Worker<'a, 'p> {
    git_dir: &'a Path,
    reader: Reader<'p>,
    /// Opened at the first blob the packs do not serve.
    odb_repo: Option<Repository>,
    scan: BlobScan<'a>,
}

impl Worker<'_, '_> {
    /// Rebuilds one delta family, scanning the blobs of it that were asked for.
    fn family(
        &mut self,
        forest: &Forest,
        family: usize,
        jobs: &[BlobJob],
        hits: &Mutex<Vec<Hit>>,
    ) -> Result<(), Error> {
        let scan = self.scan;
        let mut odd = Vec::new();
        forest.resolve(
            family,
            &mut self.reader,
            scan.scanner.max_file_size,
            &mut |i, resolved| {
                let job = &jobs[i];
                match resolved {
                    Resolved::Object(Kind::Blob, bytes) => {
                        let origin = origin_of(job);
                        let name = origin.display();
                        add_hits(hits, job, scan_bytes(job.blob, &origin, &name, bytes, scan));
                    }
                    Resolved::TooLarge => Stats::add(&scan.stats.skipped_oversize, 1),
                    // Another kind under a blob's id (libgit2 decides what it is), or too
                    // deep in a crafted delta chain to rebuild here.
                    Resolved::Object(..) | Resolved::Deferred => odd.push(i),
                }
                Ok(())
            },
        )?;
        self.through_libgit2(&odd, jobs, hits)
    }

    /// Reads and scans blobs the packs do not serve.
    fn through_libgit2(
        &mut self,
        run: &[usize],
        jobs: &[BlobJob],
        hits: &Mutex<Vec<Hit>>,
    ) -> Result<(), Error> {
        if run.is_empty() {
            return Ok(());
        }
        if self.odb_repo.is_none() {
            let opened = Repository::open(self.git_dir)
                .map_err(|e| git_error(format!("{}: cannot open", self.git_dir.display()), e))?;
            self.odb_repo = Some(opened);
        }
        let repo = self.odb_repo.as_ref().expect("opened above");
        let odb = repo
            .odb()
            .map_err(|e| git_error("cannot open object database", e))?;
        for &i in run {
            let job = &jobs[i];
            let origin = origin_of(job);
            let name = origin.display();
            let findings = read_and_scan(&odb, job.blob, &origin, &name, self.scan)?;
            add_hits(hits, job, findings);
        }
        Ok(())
    }
}

/// The blob's findings replayed from the scan cache (through this run's filter, under the
/// path this run reached it at), if the cache holds it.
fn from_cache(
    blob: git2::Oid,
    origin: &Origin,
    name: &str,
    scan: BlobScan<'_>,
) -> Option<Vec<Finding>> {
    let cache = scan.cache?;
    let raw = cache.get(blob, &scan.scanner.format_key(name), name)?;
    Stats::add(&scan.stats.cached, 1);
    Some(scan.scanner.apply(raw, origin, scan.filter, scan.stats))
}

/// Scans a blob's bytes, adding the raw result to the scan cache.
fn scan_bytes(
    blob: git2::Oid,
    origin: &Origin,
    name: &str,
    bytes: &[u8],
    scan: BlobScan<'_>,
) -> Vec<Finding> {
    Stats::add(&scan.stats.items, 1);
    Stats::add(&scan.stats.bytes, bytes.len() as u64);
    let (raw, _) = scan.scanner.scan_raw(name, bytes);
    if let Some(cache) = scan.cache {
        cache.put(blob, &scan.scanner.format_key(name), name, &raw);
    }
    scan.scanner.apply(raw, origin, scan.filter, scan.stats)
}

/// Reads a blob through libgit2 and scans it. Oversized blobs are skipped by their header,
/// before inflating.
fn read_and_scan(
    odb: &git2::Odb<'_>,
    blob: git2::Oid,
    origin: &Origin,
    name: &str,
    scan: BlobScan<'_>,
) -> Result<Vec<Finding>, Error> {
    match odb.read_header(blob) {
        Ok((size, ObjectType::Blob)) if size as u64 > scan.scanner.max_file_size => {
            Stats::add(&scan.stats.skipped_oversize, 1);
            return Ok(Vec::new());
        }
        Ok(_) => {}
        Err(e) if is_missing(&e) => {
            scan.counters.missing.fetch_add(1, Ordering::Relaxed);
            return Ok(Vec::new());
        }
        Err(e) => return Err(git_error(format!("cannot read blob {blob}"), e)),
    }
    let object = match odb.read(blob) {
        Ok(object) => object,
        Err(e) if is_missing(&e) => {
            scan.counters.missing.fetch_add(1, Ordering::Relaxed);
            return Ok(Vec::new());
        }
        Err(e) => return Err(git_error(format!("cannot read blob {blob}"), e)),
    };
    Ok(scan_bytes(blob, origin, name, object.data(), scan))
}

/// Scans one blob outside the audit's pipeline (range and staged scans, which read few).
pub fn scan_blob(
    repo: &Repository,
    origin: &Origin,
    scan: BlobScan<'_>,
) -> Result<Vec<Finding>, Error> {
    let odb = repo
        .odb()
        .map_err(|e| git_error("cannot open object database", e))?;
    let Some((blob, _)) = origin.blob() else {
        return Ok(Vec::new());
    };
    let name = origin.display();
    if let Some(replayed) = from_cache(blob, origin, &name, scan) {
        return Ok(replayed);
    }
    read_and_scan(&odb, blob, origin, &name, scan)
}
