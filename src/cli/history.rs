//! `keyhound history`: the full-history audit, and with `--range`/`--since` the CI scan of
//! what a range of commits adds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Args;
use git2::{Oid, Repository};

use super::baseline::{write_baseline, BaselineArgs};
use super::progress::{wanted, with_progress};
use super::scan::build_scanner;
use super::{Outcome, OutputArgs};
use crate::config::Config;
use crate::error::Error;
use crate::filter::baseline::Baseline;
use crate::finding::Finding;
use crate::report::{workspace, Format, ReportContext};
use crate::scan::{sort_and_dedup, Scanner, Stats};
use crate::source::git::added::AddedLines;
use crate::source::git::blobs::{scan_stream, BlobCounters, Hit};
use crate::source::git::enumerate::{enumerate, BlobJob, Counters, RefSelection, Root};
use crate::source::git::group::group_by_secret;
use crate::source::git::metadata::fill_provenance;
use crate::source::git::range::{added_by_commit, parse_range, resolve_range};
use crate::source::git::{open_repo, provenance};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The repository (a work tree, a directory inside one, or a bare repository).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Audit only what this ref or revision reaches (default: every ref and HEAD).
    #[arg(long, value_name = "REF", conflicts_with_all = ["range", "since"])]
    pub branch: Option<String>,
    /// Scan only the lines the commits in BASE..HEAD add (for CI). A BASE of all zeros (a
    /// newly pushed branch) scans the commits on no other remote branch.
    #[arg(long, value_name = "BASE..HEAD", conflicts_with = "since")]
    pub range: Option<String>,
    /// Shorthand for `--range REV..HEAD`.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// List every commit and path that introduced each secret's blobs, not only the first.
    #[arg(long)]
    pub all_provenance: bool,
    /// Skip blobs larger than this many bytes [default: `[limits] max_file_size` from
    /// the config, else 10 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Configuration file (default: .keyhound.toml at the top of the work tree, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Record every finding of this scan as accepted in FILE (a baseline, as `baseline
    /// create` writes for the working tree) instead of reporting them; exits 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: HistoryArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let started = Instant::now();
    crate::source::git::tune_for_streaming();
    let repo = open_repo(&args.repo)?;
    let config = Config::discover(args.config.as_deref(), config_root(&repo))?;
    let scanner = build_scanner(&config, args.max_file_size)?;
    let range = match (&args.range, &args.since) {
        (Some(spec), _) => Some(parse_range(spec)?),
        (None, Some(rev)) => Some((rev.clone(), "HEAD".to_string())),
        (None, None) => None,
    };
    // The revision SARIF names as scanned: the range's head, the audited branch, or HEAD.
    let scanned = match &range {
        Some((_, head)) => Some(head.clone()),
        None => args.branch.clone(),
    };
    let stats = Stats::default();
    let (mut findings, mut summary) = match range {
        Some((base, head)) => scan_range(&repo, &scanner, &args, &base, &head, &stats, started)?,
        None => audit(&repo, &scanner, &args, &stats, started)?,
    };
    sort_and_dedup(&mut findings);
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_findings(&findings);
        write_baseline(path, &baseline)?;
        args.output.summarize(&format!(
            "{summary}; wrote {} baselined secret{} to {}",
            baseline.len(),
            if baseline.len() == 1 { "" } else { "s" },
            path.display()
        ));
        return Ok(Outcome::Clean);
    }
    let baselined = args.baseline.apply(&config, &mut findings)?;
    if baselined > 0 {
        summary.push_str(&format!("; {baselined} in baseline"));
    }
    // Paths inside commits are already relative to the repository root.
    let mut context = ReportContext::new(scanner.engine.rules());
    if args.output.format == Format::Sarif {
        context.version_control = workspace::describe(&repo, scanned.as_deref());
    }
    args.output.emit(&findings, &context)?;
    args.output.summarize(&summary);
    args.output.notes(&stats);
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The full audit: every unique blob of the selected refs.
fn audit(
    repo: &Repository,
    scanner: &Scanner,
    args: &HistoryArgs,
    stats: &Stats,
    started: Instant,
) -> Result<(Vec<Finding>, String), Error> {
    let refs = match &args.branch {
        Some(b) => RefSelection::Only(b.clone()),
        None => RefSelection::All,
    };
    let counters = Counters::default();
    let blob_counters = BlobCounters::default();
    let render = || {
        let secs = started.elapsed().as_secs_f64().max(1e-3);
        let bytes = Stats::get(&stats.bytes) as f64 / 1e6;
        format!(
            "{} commits, {} blobs found, {} scanned ({bytes:.1} MB, {:.0} MB/s)",
            counters.commits.load(Ordering::Relaxed),
            counters.blobs.load(Ordering::Relaxed),
            Stats::get(&stats.items),
            bytes / secs
        )
    };
    let mut hits = with_progress(wanted(args.output.quiet), render, || {
        scan_stream(repo, scanner, stats, &blob_counters, args.threads, |emit| {
            enumerate(repo, &refs, &counters, emit)
        })
    })?;
    fill_provenance(repo, &mut hits);
    if args.all_provenance && !hits.is_empty() {
        provenance::add_all_introductions(repo, &refs, &mut hits)?;
    }
    let findings = group_by_secret(hits);
    let missing =
        counters.missing.load(Ordering::Relaxed) + blob_counters.missing.load(Ordering::Relaxed);
    let mut summary = format!(
        "history: {} commits, {} unique blobs; {}",
        counters.commits.load(Ordering::Relaxed),
        counters.blobs.load(Ordering::Relaxed),
        stats.summary(findings.len(), started.elapsed())
    );
    push_repo_notes(
        &mut summary,
        repo,
        missing,
        counters.submodules.load(Ordering::Relaxed),
        counters.broken_refs.load(Ordering::Relaxed),
    );
    Ok((findings, summary))
}

/// Missing objects, skipped submodules, broken refs and a shallow history, when there are any.
fn push_repo_notes(
    summary: &mut String,
    repo: &Repository,
    missing: u64,
    submodules: u64,
    broken_refs: u64,
) {
    if missing > 0 {
        summary.push_str(&format!(
            "; {missing} missing object{} skipped (partial clone?)",
            plural(missing)
        ));
    }
    if submodules > 0 {
        summary.push_str(&format!(
            "; {submodules} submodule entr{} skipped",
            if submodules == 1 { "y" } else { "ies" }
        ));
    }
    if broken_refs > 0 {
        summary.push_str(&format!(
            "; {broken_refs} unresolvable ref{} skipped",
            plural(broken_refs)
        ));
    }
    if repo.is_shallow() {
        summary.push_str("; history is truncated (shallow clone): older commits were not scanned");
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The CI scan: blobs the range's commits add, whole, keeping matches on added lines.
fn scan_range(
    repo: &Repository,
    scanner: &Scanner,
    args: &HistoryArgs,
    base: &str,
    head: &str,
    stats: &Stats,
    started: Instant,
) -> Result<(Vec<Finding>, String), Error> {
    let range = resolve_range(repo, base, head)?;
    if !args.output.quiet {
        eprintln!("keyhound: {}", range.description);
    }
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
                        path: file.path.clone(),
                        seq: seq as u64,
                    };
                    (job, file.lines.clone())
                });
        }
    }
    let mut jobs: Vec<BlobJob> = blobs.values().map(|(job, _)| job.clone()).collect();
    jobs.sort_by_key(|j| j.seq);
    let blob_counters = BlobCounters::default();
    let hits = scan_stream(repo, scanner, stats, &blob_counters, args.threads, |emit| {
        jobs.into_iter().for_each(emit);
        Ok(())
    })?;
    let mut hits: Vec<Hit> = hits
        .into_iter()
        .filter(|hit| on_added_line(hit, &blobs))
        .collect();
    fill_provenance(repo, &mut hits);
    let findings = group_by_secret(hits);
    let mut summary = format!(
        "{} commit{}, {} new blobs; {}",
        range.commits.len(),
        plural(range.commits.len() as u64),
        blobs.len(),
        stats.summary(findings.len(), started.elapsed())
    );
    push_repo_notes(
        &mut summary,
        repo,
        blob_counters.missing.load(Ordering::Relaxed),
        0,
        0,
    );
    Ok((findings, summary))
}

fn on_added_line(hit: &Hit, blobs: &HashMap<Oid, (BlobJob, AddedLines)>) -> bool {
    let Some(blob) = hit
        .finding
        .provenance
        .as_ref()
        .and_then(|p| Oid::from_str(&p.blob).ok())
    else {
        return false;
    };
    let l = &hit.finding.location;
    blobs
        .get(&blob)
        .is_some_and(|(_, lines)| lines.touches(l.line, l.end_line.max(l.line)))
}

/// The directory a repository's config is looked for in (its work tree, else the git dir).
pub fn config_root(repo: &Repository) -> &Path {
    repo.workdir().unwrap_or(repo.path())
}
