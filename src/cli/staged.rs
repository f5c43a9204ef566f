//! `keyhound staged`: the pre-commit hook. Scans what the index adds relative to HEAD.

use std::path::PathBuf;

use clap::Args;

use super::args::{BaselineFlag, OutputFlags, ScanFlags};
use super::conclude;
use crate::error::Error;
use crate::plan::Plan;
use crate::report::ReportContext;
use crate::run::history::config_root;
use crate::run::staged::{blocked_advice, NOTHING_STAGED};
use crate::run::{self, Outcome, Sink};
use crate::source::git::{open_repo, staged::staged_changes, tune_for_streaming};

#[derive(Debug, Args)]
pub struct StagedArgs {
    /// The repository (its work tree or a directory inside it).
    #[arg(value_name = "REPO", default_value = ".")]
    pub repo: PathBuf,
    #[command(flatten)]
    pub flags: ScanFlags,
    #[command(flatten)]
    pub baseline: BaselineFlag,
    #[command(flatten)]
    pub output: OutputFlags,
}

pub fn run(args: StagedArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    // Every tree of HEAD is read once to diff against the index: no caching, no re-hashing.
    tune_for_streaming();
    let repo = open_repo(&args.repo)?;
    let staged = staged_changes(&repo)?;
    let sink = args.output.sink();
    if staged.changes == 0 {
        // Never silently scan nothing: a hook that saw no changes says so.
        if !args.output.quiet {
            eprintln!("keyhound: {NOTHING_STAGED}");
        }
        if let Sink::Report { options, path } = &sink {
            let empty = ReportContext::default();
            run::write_findings(&[], options, &empty, path.as_deref())?;
        }
        return Ok(Outcome::Clean);
    }
    let settings = args.flags.settings(Some(&args.baseline));
    let plan = Plan::build(&settings, config_root(&repo))?;
    let scanned = run::staged::scan(&plan, &repo, &staged, args.output.is_sarif())?;
    let mut conclusion = run::finish(&plan, scanned, &sink)?;
    if conclusion.reported > 0 {
        conclusion.advice = Some(blocked_advice(conclusion.reported));
    }
    Ok(conclude(conclusion, args.output.quiet))
}
