//! Scanning blobs in parallel as the enumeration streams them.
//!
//! Jobs travel in small batches through a bounded channel, so memory holds at most a few
//! batches of ids and paths plus one blob per worker, however large the history. Each worker
//! owns a `git2::Repository` (it is `Send` but not `Sync`), opened before any job is sent so
//! that a failure to open is an error, not a stalled pipeline.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;

use git2::{ObjectType, Repository};

use super::enumerate::BlobJob;
use super::{git_error, is_missing};
use crate::cache::ScanCache;
use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::Origin;
use crate::scanner::{Scanner, Stats};

/// Jobs per batch: enough to make channel traffic negligible, few enough that neighbouring
/// blobs (often deltas of one another in a pack) are read by the same worker close in time.
const BATCH: usize = 32;

/// A finding from history (its origin names the blob and what reached it), before its
/// provenance is described.
#[derive(Debug, Clone)]
pub struct Hit {
    pub finding: Finding,
    /// Order of first sight of the blob (lower is earlier in history).
    pub seq: u64,
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

/// Runs `produce` on this thread, scanning every job it emits on `threads` workers.
pub fn scan_stream(
    repo: &Repository,
    scan: BlobScan<'_>,
    threads: usize,
    produce: impl FnOnce(&mut dyn FnMut(BlobJob)) -> Result<(), Error>,
) -> Result<Vec<Hit>, Error> {
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    let mut handles = Vec::with_capacity(threads);
    for _ in 0..threads {
        handles.push(
            Repository::open(repo.path())
                .map_err(|e| git_error(format!("{}: cannot open", repo.path().display()), e))?,
        );
    }
    let handles = Mutex::new(handles);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} worker threads: {e}")))?;
    let (sender, receiver) = sync_channel::<Vec<BlobJob>>(threads * 4);
    let receiver = Mutex::new(receiver);
    let hits = Mutex::new(Vec::new());
    let worker_error: Mutex<Option<Error>> = Mutex::new(None);

    let produced = std::thread::scope(|scope| {
        scope.spawn(|| {
            pool.broadcast(|_| {
                let repo = handles.lock().expect("no worker panics").pop();
                let Some(repo) = repo else { return };
                if let Err(e) = work(&repo, &receiver, scan, &hits) {
                    worker_error
                        .lock()
                        .expect("no worker panics")
                        .get_or_insert(e);
                    // Keep draining so the producer never blocks on a full channel.
                    while receiver.lock().expect("no worker panics").recv().is_ok() {}
                }
            });
        });
        let mut batch = Vec::with_capacity(BATCH);
        let mut open = true;
        let result = produce(&mut |job| {
            if !open {
                return;
            }
            batch.push(job);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                open = sender.send(full).is_ok();
            }
        });
        if !batch.is_empty() && open {
            let _ = sender.send(batch);
        }
        drop(sender);
        result
    });
    produced?;
    if let Some(e) = worker_error.into_inner().expect("no worker panics") {
        return Err(e);
    }
    Ok(hits.into_inner().expect("no worker panics"))
}

fn work(
    repo: &Repository,
    receiver: &Mutex<Receiver<Vec<BlobJob>>>,
    scan: BlobScan<'_>,
    hits: &Mutex<Vec<Hit>>,
) -> Result<(), Error> {
    let odb = repo
        .odb()
        .map_err(|e| git_error("cannot open object database", e))?;
    loop {
        // The lock is held only while taking one batch.
        let batch = receiver.lock().expect("no worker panics").recv();
        let Ok(batch) = batch else { return Ok(()) };
        for job in batch {
            let origin = Origin::Blob {
                blob: job.blob,
                path: job.path,
                root: job.root,
            };
            let found = scan_one(&odb, job.blob, &origin, scan)?;
            if !found.is_empty() {
                let mut hits = hits.lock().expect("no worker panics");
                hits.extend(found.into_iter().map(|finding| Hit {
                    finding,
                    seq: job.seq,
                }));
            }
        }
    }
}

/// Reads and scans one blob. Oversized blobs are skipped by their header, before inflating.
/// A blob the scan cache holds is not read at all: its raw scan is replayed through this
/// run's filter, under the path this run reached it at.
fn scan_one(
    odb: &git2::Odb<'_>,
    blob: git2::Oid,
    origin: &Origin,
    scan: BlobScan<'_>,
) -> Result<Vec<Finding>, Error> {
    let name = origin.display();
    let format = scan.cache.map(|_| scan.scanner.format_key(&name));
    if let (Some(cache), Some(format)) = (scan.cache, &format) {
        if let Some(raw) = cache.get(blob, format, &name) {
            Stats::add(&scan.stats.cached, 1);
            return Ok(scan.scanner.apply(raw, origin, scan.filter, scan.stats));
        }
    }
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
    let bytes = object.data();
    Stats::add(&scan.stats.items, 1);
    Stats::add(&scan.stats.bytes, bytes.len() as u64);
    let (raw, _) = scan.scanner.scan_raw(&name, bytes);
    if let (Some(cache), Some(format)) = (scan.cache, &format) {
        cache.put(blob, format, &name, &raw);
    }
    Ok(scan.scanner.apply(raw, origin, scan.filter, scan.stats))
}

/// Scans one blob outside the streaming pipeline (range and staged scans, which read few).
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
    scan_one(&odb, blob, origin, scan)
}
