//! Scanning the blobs an enumeration listed, in parallel, each inflated once.
//!
//! Blobs the scan cache holds are replayed without reading. The rest are located in their
//! packs and planned as delta families ([`Forest`]); a worker takes a family at a time and
//! rebuilds it depth-first, so every object on a delta chain is inflated exactly once
//! however the chain is shared. Blobs no pack here holds (loose objects, alternates) are
//! read through libgit2; each worker opens its own `git2::Repository` for them (it is
//! `Send` but not `Sync`) when it first needs one.

use std::cell::OnceCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use git2::{ObjectType, Repository};

use super::enumerate::{BlobJob, BlobSeq};
use super::pack::{Base, Derive, Forest, Kind, Location, Packs, Reader, Resolved};
use super::{git_error, is_missing, limit_heap_arenas, objects_dir};
use crate::cache::ScanCache;
use crate::engine::{KeywordHits, Reuse, WindowResults};
use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::Origin;
use crate::scanner::{Scanner, Stats};
use crate::text::CopiedSpan;

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
            &mut CarriedDownFamilies(scan.scanner),
            &mut |i, resolved| {
                let job = &jobs[i];
                match resolved {
                    Resolved::Object {
                        kind: Kind::Blob,
                        data,
                        value,
                        base,
                    } => {
                        let origin = origin_of(job);
                        let name = origin.display();
                        let reuse = Carried::reuse(value, base);
                        let (found, windows) =
                            scan_bytes(job.blob, &origin, &name, data, reuse, scan);
                        Carried::keep(value, windows);
                        add_hits(hits, job, found);
                    }
                    Resolved::TooLarge => Stats::add(&scan.stats.skipped_oversize, 1),
                    // Another kind under a blob's id (libgit2 decides what it is), or too
                    // deep in a crafted delta chain to rebuild here.
                    Resolved::Object { .. } | Resolved::Deferred => odd.push(i),
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

/// What a blob's scan leaves for the blobs its deltas rebuild from it: its keyword hits,
/// and, once it is scanned, what each rule's regex found in its windows (see
/// `engine::reuse`). Set in the visit, after the value was made.
struct Carried {
    hits: KeywordHits,
    windows: OnceCell<WindowResults>,
}

impl Carried {
    /// What a blob's scan takes from its own value and its base's (if the base was
    /// scanned here too), keeping its window results when it has a value to keep them in.
    fn reuse<'a>(value: &'a Option<Carried>, base: Option<Base<'a, Option<Carried>>>) -> Reuse<'a> {
        Reuse {
            hits: value.as_ref().map(|v| &v.hits),
            base: base.and_then(|base| Some((base.value.as_ref()?.windows.get()?, base.copies))),
            keep_windows: value.is_some(),
        }
    }

    /// Keeps a scanned blob's window results in its value, for its deltas.
    fn keep(value: &Option<Carried>, windows: Option<WindowResults>) {
        if let (Some(value), Some(windows)) = (value, windows) {
            // Set once: each object is visited once.
            let _ = value.windows.set(windows);
        }
    }
}

/// Carries scan results down each delta family: a blob's keyword hits are derived from its
/// base's, so a delta's copied bytes are not searched again (`engine::prefilter::derive`),
/// and its windows that the copies carried over unchanged take the base's regex results.
struct CarriedDownFamilies<'s>(&'s Scanner);

impl CarriedDownFamilies<'_> {
    fn carried(hits: Option<KeywordHits>) -> Option<Carried> {
        hits.map(|hits| Carried {
            hits,
            windows: OnceCell::new(),
        })
    }
}

impl Derive for CarriedDownFamilies<'_> {
    /// `None` where the scan will not search the bytes (binary, oversized).
    type Value = Option<Carried>;

    fn whole(&mut self, data: &[u8]) -> Option<Carried> {
        Self::carried(self.0.keyword_hits(data))
    }

    fn derived(
        &mut self,
        base: &Option<Carried>,
        copies: &[CopiedSpan],
        data: &[u8],
    ) -> Option<Carried> {
        match base {
            Some(base) => Self::carried(self.0.derive_keyword_hits(&base.hits, copies, data)),
            None => self.whole(data),
        }
    }
}

/// Scans a blob's bytes (taking what `reuse` offers), adding the raw result to the scan
/// cache; also gives the blob's window results when `reuse` asks to keep them.
fn scan_bytes(
    blob: git2::Oid,
    origin: &Origin,
    name: &str,
    bytes: &[u8],
    reuse: Reuse<'_>,
    scan: BlobScan<'_>,
) -> (Vec<Finding>, Option<WindowResults>) {
    Stats::add(&scan.stats.items, 1);
    Stats::add(&scan.stats.bytes, bytes.len() as u64);
    let (raw, _, windows) = scan.scanner.scan_raw_reusing(name, bytes, reuse);
    if let Some(cache) = scan.cache {
        cache.put(blob, &scan.scanner.format_key(name), name, &raw);
    }
    let findings = scan.scanner.apply(raw, origin, scan.filter, scan.stats);
    (findings, windows)
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
    let (findings, _) = scan_bytes(blob, origin, name, object.data(), Reuse::default(), scan);
    Ok(findings)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::source::git::test_git::{every_blob, git, plan_families};

    /// A packed history of one keyword-dense file: each version edits a line (some edits
    /// add a fake key, some drop one), so git stores most versions as deltas that copy
    /// secrets from their base and insert others.
    fn packed_history() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        let mut lines: Vec<String> = (0..200)
            .map(|i| format!("token_{i} = lookup('api_key', {i})  # password rotated"))
            .collect();
        for i in 0..30 {
            let at = i * 37 % 200;
            lines[at] = if i % 3 == 0 {
                // Fake HuggingFace-shaped tokens (not real credentials), one per edit.
                let fake = "kQvXrTzLmWpYcNbJsEdFgHuAiOeUyRtWqZ".replacen('Q', &i.to_string(), 1);
                format!("HF_TOKEN = \"hf_{}\"", &fake[..34])
            } else {
                format!("edited in commit {i}: api_key rotated")
            };
            std::fs::write(root.join("settings.py"), lines.join("\n")).unwrap();
            git(root, &["add", "-A"]);
            git(root, &["commit", "-q", "-m", &format!("edit {i}")]);
        }
        git(root, &["gc", "-q", "--aggressive"]);
        dir
    }

    #[test]
    fn blobs_scanned_with_results_carried_down_deltas_find_what_a_full_search_finds() {
        let dir = packed_history();
        let repo = Repository::open(dir.path()).unwrap();
        let scanner = Scanner::new(Engine::builtin());
        let blobs = every_blob(&repo);
        let packs = Packs::open(&dir.path().join(".git/objects"));
        let forest = plan_families(&packs, &blobs);
        // Most versions are deltas: far fewer families than blobs.
        assert!(forest.len() * 3 < blobs.len(), "{} families", forest.len());
        let mut reader = Reader::new(&packs, 0, 4096);
        let (mut scanned, mut with_findings) = (0, 0);
        let (mut window_bytes, mut carried_bytes) = (0, 0);
        let mut rules_found = std::collections::BTreeSet::new();
        for family in 0..forest.len() {
            let mut check = |_: usize, resolved: Resolved<'_, Option<Carried>>| {
                let Resolved::Object {
                    data, value, base, ..
                } = resolved
                else {
                    panic!("every blob here is small");
                };
                let reuse = Reuse {
                    keep_windows: true,
                    ..Carried::reuse(value, base)
                };
                let (carried, work, windows) = scanner.scan_raw_reusing("settings.py", data, reuse);
                window_bytes += work.engine.regex_bytes;
                carried_bytes += work.engine.carried_bytes;
                if let (Some(value), Some(windows)) = (value, windows) {
                    value.windows.set(windows).unwrap();
                }
                let (searched, _) = scanner.scan_raw("settings.py", data);
                assert_eq!(carried, searched);
                assert_eq!(
                    value.as_ref().map(|v| &v.hits),
                    scanner.keyword_hits(data).as_ref()
                );
                scanned += 1;
                with_findings += usize::from(!searched.findings.is_empty());
                for f in &searched.findings {
                    rules_found.insert(scanner.engine.rule(f.rule).id.clone());
                }
                Ok(())
            };
            let mut derive = CarriedDownFamilies(&scanner);
            forest
                .resolve(family, &mut reader, u64::MAX, &mut derive, &mut check)
                .unwrap();
        }
        assert_eq!(scanned, blobs.len());
        assert!(with_findings > 10, "{with_findings} blobs with findings");
        assert!(
            rules_found.contains("huggingface-user-token"),
            "{rules_found:?}"
        );
        // Most window bytes took their results from a base.
        assert!(
            carried_bytes * 2 > window_bytes,
            "{carried_bytes} of {window_bytes} window bytes carried"
        );
    }
}
