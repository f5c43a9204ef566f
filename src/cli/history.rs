//! `keyhound history`: the full-history audit, and with `--range`/`--since` the CI scan of
//! what a range of commits adds.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::args::{BaselineFlag, OutputFlags, ScanFlags, VerifyFlags};
use super::conclude;
use super::progress::{wanted, with_progress};
use crate::error::Error;
use crate::plan::Plan;
use crate::run::history::{config_root, open, AuditOptions, Progress, Refs, Scope};
use crate::run::{self, Outcome, Sink};

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
    /// Also scan every blob of the object database that no ref reaches (force-pushed or
    /// amended commits, fetched pull requests, dropped stashes), once; their findings say
    /// they are unreachable.
    #[arg(long, conflicts_with_all = ["range", "since", "branch"])]
    pub all_objects: bool,
    /// Record every finding of this scan as accepted in FILE (a baseline, as `baseline
    /// create` writes for the working tree) instead of reporting them; exits 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Neither read nor write the scan cache (`keyhound cache path` shows where it is): every
    /// blob is read and scanned.
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub flags: ScanFlags,
    #[command(flatten)]
    pub baseline: BaselineFlag,
    #[command(flatten)]
    pub verify: VerifyFlags,
    #[command(flatten)]
    pub output: OutputFlags,
}

pub fn run(args: HistoryArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let started = Instant::now();
    let repo = open(&args.repo)?;
    // Writing a baseline records what is there; it applies none.
    let baseline = args.write_baseline.is_none().then_some(&args.baseline);
    let mut settings = args.flags.settings(baseline);
    args.verify.apply(&mut settings);
    let plan = Plan::build(&settings, config_root(&repo))?;
    let scope = Scope::from_flags(
        args.range.as_deref(),
        args.since.as_deref(),
        args.branch.as_deref(),
    )?;
    let sarif = args.output.is_sarif();
    let html = args.output.format == super::args::FormatArg::Html;
    let sink = match &args.write_baseline {
        Some(path) => Sink::baseline(path.clone())?,
        None => args.output.sink()?,
    };
    let (cache, mut cache_warning) = if args.no_cache || run::cache::disabled_by_env() {
        (None, None)
    } else {
        match run::cache::open_for(&repo, &plan.scanner) {
            Ok(cache) => (Some(cache), None),
            Err(warning) => (None, Some(warning)),
        }
    };
    let scanned = match scope {
        Scope::Range { base, head } => {
            run::history::range(&plan, &repo, (&base, &head), sarif, cache.as_ref())?
        }
        Scope::Audit { branch } => {
            let options = AuditOptions {
                refs: branch.clone().map_or(Refs::All, Refs::Only),
                all_provenance: args.all_provenance,
                all_objects: args.all_objects,
                // The revision SARIF names as scanned: the audited branch, or HEAD.
                describe_revision: (sarif || html).then_some(branch),
                head_state: html,
            };
            let progress = Progress::default();
            with_progress(
                wanted(args.output.quiet),
                || progress.snapshot(),
                || run::history::audit(&plan, &repo, &options, &progress, started, cache.as_ref()),
            )?
        }
    };
    let mut cache_detail = None;
    if let Some(cache) = cache {
        cache_warning = cache.finish();
        let walk = match cache.walk_use() {
            Some(run::cache::WalkUse::Replayed) => {
                "; the walk over commits and trees replayed from it (no ref moved)".to_string()
            }
            Some(run::cache::WalkUse::Resumed { commits }) => format!(
                "; the walk over commits and trees continued from it ({commits} new commit{})",
                if commits == 1 { "" } else { "s" }
            ),
            Some(run::cache::WalkUse::Recorded) => {
                "; the walk over commits and trees recorded in it".to_string()
            }
            None => String::new(),
        };
        cache_detail = Some(format!(
            "scan cache {}: {} blobs read from it, {} entries written{walk}",
            cache.path().display(),
            cache.hits(),
            cache.written()
        ));
    }
    let mut conclusion = run::finish(&plan, scanned, &sink)?;
    conclusion.warnings.extend(cache_warning);
    conclusion.details.extend(cache_detail);
    Ok(conclude(
        conclusion,
        args.output.quiet,
        args.flags.verbose > 0,
    ))
}
