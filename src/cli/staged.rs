//! `keyhound staged`: the pre-commit hook. Scans what the index adds relative to HEAD.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::baseline::BaselineArgs;
use super::history::config_root;
use super::scan::build_scanner;
use super::{Outcome, OutputArgs};
use crate::config::Config;
use crate::error::Error;
use crate::report::{workspace, Format, ReportContext};
use crate::scan::{sort_and_dedup, Stats};
use crate::source::git::blobs::{scan_blob, BlobCounters};
use crate::source::git::open_repo;
use crate::source::git::staged::staged_changes;

#[derive(Debug, Args)]
pub struct StagedArgs {
    /// The repository (its work tree or a directory inside it).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    /// Skip staged files larger than this many bytes [default: `[limits] max_file_size` from
    /// the config, else 10 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Configuration file (default: .keyhound.toml at the top of the work tree, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: StagedArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let started = Instant::now();
    // Every tree of HEAD is read once to diff against the index: no caching, no re-hashing.
    crate::source::git::tune_for_streaming();
    let repo = open_repo(&args.repo)?;
    let staged = staged_changes(&repo)?;
    if staged.changes == 0 {
        // Never silently scan nothing: a hook that saw no changes says so.
        args.output
            .summarize("nothing is staged: no changes to scan (stage files with `git add`)");
        args.output.emit(&[], &ReportContext::default())?;
        return Ok(Outcome::Clean);
    }
    let config = Config::discover(args.config.as_deref(), config_root(&repo))?;
    let scanner = build_scanner(&config, args.max_file_size)?;
    let stats = Stats::default();
    let counters = BlobCounters::default();
    let mut findings = Vec::new();
    for file in &staged.files {
        let found = scan_blob(
            &repo, file.blob, &file.path, None, &scanner, &stats, &counters,
        )?;
        findings.extend(found.into_iter().filter(|f| {
            let l = &f.location;
            file.lines.touches(l.line, l.end_line.max(l.line))
        }));
    }
    sort_and_dedup(&mut findings);
    let baselined = args.baseline.apply(&config, &mut findings)?;
    // Index paths are relative to the repository root.
    let mut context = ReportContext::new(scanner.engine.rules());
    if args.output.format == Format::Sarif {
        context.version_control = workspace::describe(&repo, None);
    }
    args.output.emit(&findings, &context)?;
    let against = if staged.has_head {
        "HEAD"
    } else {
        "the empty tree (first commit)"
    };
    let mut summary = format!(
        "staged: {} change{} against {against}, {} file{} with added lines; {}",
        staged.changes,
        if staged.changes == 1 { "" } else { "s" },
        staged.files.len(),
        if staged.files.len() == 1 { "" } else { "s" },
        stats.summary(findings.len(), started.elapsed())
    );
    if baselined > 0 {
        summary.push_str(&format!("; {baselined} in baseline"));
    }
    args.output.summarize(&summary);
    args.output.notes(&stats);
    if !findings.is_empty() {
        // Shown even with --quiet: a blocked commit must say how to proceed.
        eprintln!(
            "keyhound: commit blocked. Remove the secret{s} (and rotate {it}: it may already \
             be in your shell history or a remote). For a false positive, add \
             `keyhound:allow` in a comment on that line, or list the path or value under \
             [allowlist] in .keyhound.toml. `git commit --no-verify` bypasses this hook.",
            s = if findings.len() == 1 { "" } else { "s" },
            it = if findings.len() == 1 { "it" } else { "them" },
        );
    }
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
