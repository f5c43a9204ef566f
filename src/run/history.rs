//! History scans (`keyhound history`): the full audit of every unique blob of the selected
//! refs, and the CI scan of what a range of commits adds.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use git2::{Oid, Repository};

use super::Scanned;
use crate::cache::{ScanCache, WalkUse};
use crate::config::CONFIG_FILE_NAME;
use crate::error::Error;
use crate::filter::baseline::DEFAULT_BASELINE_FILE;
use crate::item::Root;
use crate::plan::Plan;
use crate::report::{workspace, ReportContext};
use crate::scanner::Stats;
use crate::source::git::added::AddedLines;
use crate::source::git::blobs::{scan_jobs, BlobCounters, BlobScan, Hit};
use crate::source::git::enumerate::{enumerate, BlobJob, BlobSeq, Counters, RefSelection};
use crate::source::git::group::group_by_secret;
use crate::source::git::metadata::describe;
use crate::source::git::provenance::all_introductions;
use crate::source::git::range::{added_by_commit, changed_paths, parse_range, resolve_range};
use crate::source::git::resume::resume;
use crate::source::git::walk_record::{refs_fingerprint, shallow_digest, Recorded, Recorder};
use crate::source::git::{open_repo, release_freed_memory, tune_for_streaming};

pub use crate::source::git::enumerate::RefSelection as Refs;

/// Opens the repository at `path` (a work tree, a directory inside one, or a bare
/// repository), with libgit2 tuned for reading a whole history once.
pub fn open(path: &Path) -> Result<Repository, Error> {
    tune_for_streaming();
    open_repo(path)
}

/// What a history scan covers: a range (`--range BASE..HEAD`, `--since REV`), or else the
/// full audit of `branch` (every ref when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Range { base: String, head: String },
    Audit { branch: Option<String> },
}

impl Scope {
    /// The scope the flags ask for; a malformed range is a usage error.
    pub fn from_flags(
        range: Option<&str>,
        since: Option<&str>,
        branch: Option<&str>,
    ) -> Result<Scope, Error> {
        Ok(match (range, since) {
            (Some(spec), _) => {
                let (base, head) = parse_range(spec)?;
                Scope::Range { base, head }
            }
            (None, Some(rev)) => Scope::Range {
                base: rev.to_string(),
                head: "HEAD".to_string(),
            },
            (None, None) => Scope::Audit {
                branch: branch.map(str::to_string),
            },
        })
    }
}

/// What the full audit covers.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub refs: RefSelection,
    /// List every commit and path that introduced each secret's blobs.
    pub all_provenance: bool,
    /// Also scan every blob in the object database that no ref reaches.
    pub all_objects: bool,
    /// Describe the repository for SARIF (`versionControlProvenance`) at this revision.
    pub describe_revision: Option<Option<String>>,
    /// List the blobs of the audited revision's tree, so the report can tell which secrets
    /// are still there (the HTML report).
    pub head_state: bool,
}

/// What a running audit has done so far, for a progress display.
#[derive(Debug, Default)]
pub struct Progress {
    pub enumeration: Counters,
    pub stats: Stats,
    /// Set once every blob to scan is known (the total a progress bar needs).
    pub listing_done: std::sync::atomic::AtomicBool,
}

/// One reading of [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressSnapshot {
    pub commits: u64,
    pub blobs_found: u64,
    pub blobs_scanned: u64,
    pub bytes: u64,
    /// `blobs_found` is the final total.
    pub listing_done: bool,
}

impl Progress {
    /// The counters now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            commits: self.enumeration.commits.load(Ordering::Relaxed),
            blobs_found: self.enumeration.blobs.load(Ordering::Relaxed),
            blobs_scanned: Stats::get(&self.stats.items) + Stats::get(&self.stats.cached),
            bytes: Stats::get(&self.stats.bytes),
            listing_done: self.listing_done.load(Ordering::Relaxed),
        }
    }
}

/// The full audit: every unique blob of the selected refs, once. `progress` is updated as it
/// runs (another thread may render it) and its counters become the scan's statistics.
/// With a scan `cache`, blobs it holds are not read again and those scanned are added to it.
pub fn audit<'p>(
    plan: &'p Plan,
    repo: &Repository,
    options: &AuditOptions,
    progress: &Progress,
    started: Instant,
    cache: Option<&ScanCache>,
) -> Result<Scanned<'p>, Error> {
    let blob_counters = BlobCounters::default();
    let scan = BlobScan {
        scanner: &plan.scanner,
        filter: &plan.filter,
        stats: &progress.stats,
        counters: &blob_counters,
        cache,
    };
    let counters = &progress.enumeration;
    // The whole list comes first: scanning in pack order needs every blob's place known.
    let jobs = list_jobs(repo, options, plan.threads, counters, cache)?;
    progress.listing_done.store(true, Ordering::Relaxed);
    release_freed_memory();
    let mut hits = scan_jobs(repo, scan, plan.threads, &jobs)?;
    drop(jobs);
    release_freed_memory();
    let introductions = if options.all_provenance && !hits.is_empty() {
        Some(all_introductions(repo, &options.refs, &hits)?)
    } else {
        None
    };
    describe(repo, &mut hits, introductions.as_ref());
    let findings = group_by_secret(hits);
    let missing =
        counters.missing.load(Ordering::Relaxed) + blob_counters.missing.load(Ordering::Relaxed);
    let mut trailer = repo_notes(
        repo,
        missing,
        counters.submodules.load(Ordering::Relaxed),
        counters.broken_refs.load(Ordering::Relaxed),
    );
    if options.all_objects {
        let commits = counters.unreachable_commits.load(Ordering::Relaxed);
        let blobs = counters.unreachable_blobs.load(Ordering::Relaxed);
        trailer.push_str(&format!(
            "; all objects: {commits} commit{} and {blobs} blob{} no ref reaches",
            plural(commits),
            plural(blobs)
        ));
    }
    Ok(Scanned {
        findings,
        heading: Some(format!(
            "history: {} commits, {} unique blobs",
            counters.commits.load(Ordering::Relaxed),
            counters.blobs.load(Ordering::Relaxed),
        )),
        trailer,
        preamble: Vec::new(),
        context: {
            let mut context = context(plan, repo, options.describe_revision.as_ref());
            if options.head_state {
                let revision = options.describe_revision.clone().flatten();
                context.head_blobs = Some(tree_blobs(repo, revision.as_deref())?);
            }
            context
        },
        stats: progress.stats.take(),
        started,
    })
}

/// Every blob the audit scans, in order of first sight. With the scan cache, the walk is
/// recorded there, replayed while no ref has moved, and continued from the new commits when
/// the refs have only moved on (not with `--all-objects`: what no ref reaches changes
/// without any ref moving).
fn list_jobs(
    repo: &Repository,
    options: &AuditOptions,
    threads: usize,
    counters: &Counters,
    cache: Option<&ScanCache>,
) -> Result<Vec<BlobJob>, Error> {
    let recordable = cache
        .filter(|_| !options.all_objects)
        .and_then(|cache| refs_fingerprint(repo, &options.refs).map(|f| (cache, f)));
    let Some((cache, fingerprint)) = recordable else {
        let mut jobs = Vec::new();
        enumerate(
            repo,
            &options.refs,
            options.all_objects,
            threads,
            counters,
            &mut jobs,
        )?;
        return Ok(jobs);
    };
    let key = walk_key(repo, &options.refs);
    let stored = cache.walk(&key);
    let mut recorder = Recorder::new();
    let resumed = match stored.as_deref().and_then(Recorded::parse) {
        Some(recorded) if recorded.fingerprint == fingerprint => {
            recorded.restore_counters(counters);
            cache.note_walk(WalkUse::Replayed);
            return Ok(recorded.jobs().collect());
        }
        Some(recorded) => resume(repo, &options.refs, &recorded, counters, &mut recorder)?,
        None => None,
    };
    if resumed.is_none() {
        enumerate(repo, &options.refs, false, threads, counters, &mut recorder)?;
    }
    drop(stored);
    // A walk that met missing trees or commits may differ once they are fetched.
    if counters.missing.load(Ordering::Relaxed) > 0 {
        return Ok(recorder.into_jobs());
    }
    let (record, jobs) = recorder.finish(&fingerprint, &shallow_digest(repo), counters);
    if cache.put_walk(&key, &record) {
        cache.note_walk(match resumed {
            Some(commits) => WalkUse::Resumed { commits },
            None => WalkUse::Recorded,
        });
    }
    Ok(jobs)
}

/// Names a repository's recorded walk: its object database's directory and the refs audited.
fn walk_key(repo: &Repository, refs: &RefSelection) -> String {
    let dir = repo.commondir();
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let refs = match refs {
        RefSelection::All => "all refs".to_string(),
        RefSelection::Only(spec) => format!("only {spec}"),
    };
    format!("{}\n{refs}", dir.display())
}

/// The CI scan: blobs the range's commits add, read whole, keeping matches on added lines.
/// A scan `cache` serves and keeps the blobs' raw scans, as in the audit.
pub fn range<'p>(
    plan: &'p Plan,
    repo: &Repository,
    (base, head): (&str, &str),
    describe_repository: bool,
    cache: Option<&ScanCache>,
) -> Result<Scanned<'p>, Error> {
    let started = Instant::now();
    let range = resolve_range(repo, base, head)?;
    // Each new blob once, with the first commit that added lines to it and every line any
    // commit of the range added to it.
    let mut blobs: HashMap<Oid, (BlobJob, AddedLines)> = HashMap::new();
    for (seq, &commit) in range.commits.iter().enumerate() {
        for file in added_by_commit(repo, commit)? {
            blobs
                .entry(file.blob)
                .and_modify(|(_, lines)| *lines = lines.union(&file.lines))
                .or_insert_with(|| {
                    let job = BlobJob {
                        blob: file.blob,
                        root: Root::Commit(commit),
                        path: file.path.as_str().into(),
                        seq: seq as BlobSeq,
                    };
                    (job, file.lines.clone())
                });
        }
    }
    let warnings = scan_settings_changes(plan, repo, &range.commits)?;
    let mut jobs: Vec<BlobJob> = blobs.values().map(|(job, _)| job.clone()).collect();
    jobs.sort_by_key(|j| j.seq);
    let stats = Stats::default();
    let blob_counters = BlobCounters::default();
    let scan = BlobScan {
        scanner: &plan.scanner,
        filter: &plan.filter,
        stats: &stats,
        counters: &blob_counters,
        cache,
    };
    let hits = scan_jobs(repo, scan, plan.threads, &jobs)?;
    let mut hits: Vec<Hit> = hits
        .into_iter()
        .filter(|hit| {
            let blob = hit.finding.origin.blob().map(|(blob, _)| blob);
            blob.and_then(|b| blobs.get(&b))
                .is_some_and(|(_, lines)| lines.keeps(&hit.finding))
        })
        .collect();
    describe(repo, &mut hits, None);
    let findings = group_by_secret(hits);
    let commits = range.commits.len() as u64;
    let revision = Some(Some(head.to_string()));
    Ok(Scanned {
        findings,
        heading: Some(format!(
            "{commits} commit{}, {} new blobs",
            plural(commits),
            blobs.len(),
        )),
        trailer: repo_notes(repo, blob_counters.missing.load(Ordering::Relaxed), 0, 0),
        preamble: vec![range.description],
        context: {
            let mut context = if describe_repository {
                context(plan, repo, revision.as_ref())
            } else {
                ReportContext::new(plan.scanner.engine.rules())
            };
            context.warnings = warnings;
            context
        },
        stats,
        started,
    })
}

/// Warnings for commits of the range that change what decides the scan itself: any
/// `.keyhound.toml`, or the baseline (the config's, and the default name). A pull request
/// that edits them could switch its own scan off, so a reviewer must hear of it even when
/// the scan passes (and `--no-repo-config` keeps such a config from applying).
fn scan_settings_changes(
    plan: &Plan,
    repo: &Repository,
    commits: &[Oid],
) -> Result<Vec<String>, Error> {
    let baseline_name = plan
        .config
        .baseline_path()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let watched = |path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        name == CONFIG_FILE_NAME
            || name == DEFAULT_BASELINE_FILE
            || baseline_name.as_deref() == Some(name)
    };
    let mut touched: Vec<(String, Oid)> = Vec::new();
    for &commit in commits {
        for path in changed_paths(repo, commit)? {
            if watched(&path) && !touched.iter().any(|(p, _)| *p == path) {
                touched.push((path, commit));
            }
        }
    }
    Ok(touched
        .into_iter()
        .map(|(path, commit)| {
            format!(
                "warning: this range changes {path} (first in commit {}), which configures                  keyhound's own scan; review that change (CI: --no-repo-config keeps a                  changed config from applying)",
                &commit.to_string()[..12]
            )
        })
        .collect())
}

/// Every blob in the tree of `revision` (default HEAD); empty for an unborn HEAD.
fn tree_blobs(
    repo: &Repository,
    revision: Option<&str>,
) -> Result<std::collections::HashSet<Oid>, Error> {
    let mut blobs = std::collections::HashSet::new();
    let Ok(tree) = repo
        .revparse_single(revision.unwrap_or("HEAD"))
        .and_then(|o| o.peel_to_tree())
    else {
        return Ok(blobs);
    };
    tree.walk(git2::TreeWalkMode::PreOrder, |_, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob) {
            blobs.insert(entry.id());
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(|e| crate::source::git::git_error("cannot list the blobs of HEAD's tree", e))?;
    Ok(blobs)
}

/// Paths inside commits are already relative to the repository root; SARIF also names the
/// repository and the revision scanned, when asked.
fn context<'p>(
    plan: &'p Plan,
    repo: &Repository,
    describe_revision: Option<&Option<String>>,
) -> ReportContext<'p> {
    let mut context = ReportContext::new(plan.scanner.engine.rules());
    if let Some(revision) = describe_revision {
        context.version_control = workspace::describe(repo, revision.as_deref());
        context.locate(repo.workdir().map(Path::to_path_buf));
    }
    context
}

/// Missing objects, skipped submodules, broken refs and a shallow history, when there are any.
fn repo_notes(repo: &Repository, missing: u64, submodules: u64, broken_refs: u64) -> String {
    let mut notes = String::new();
    if missing > 0 {
        notes.push_str(&format!(
            "; {missing} missing object{} skipped (partial clone?)",
            plural(missing)
        ));
    }
    if submodules > 0 {
        notes.push_str(&format!(
            "; {submodules} submodule entr{} skipped",
            if submodules == 1 { "y" } else { "ies" }
        ));
    }
    if broken_refs > 0 {
        notes.push_str(&format!(
            "; {broken_refs} unresolvable ref{} skipped",
            plural(broken_refs)
        ));
    }
    if repo.is_shallow() {
        notes.push_str("; history is truncated (shallow clone): older commits were not scanned");
    }
    notes
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The directory a repository's config is looked for in (its work tree, else the git dir).
pub fn config_root(repo: &Repository) -> &Path {
    repo.workdir().unwrap_or(repo.path())
}
