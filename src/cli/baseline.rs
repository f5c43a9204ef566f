//! `keyhound baseline create`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::args::ScanFlags;
use super::conclude;
use super::scan::TargetArgs;
use crate::error::Error;
use crate::filter::baseline::DEFAULT_BASELINE_FILE;
use crate::plan::Plan;
use crate::run::{self, Outcome, Sink};

#[derive(Debug, Args)]
pub struct BaselineCommandArgs {
    #[command(subcommand)]
    pub command: BaselineCommand,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan, and record every finding as accepted in a baseline file (overwriting it).
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub flags: ScanFlags,
    /// Baseline file to write; `-` writes to stdout [default: `baseline` in the config if
    /// set, else .keyhound-baseline.json].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print no summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: BaselineCommandArgs) -> Result<Outcome, Error> {
    match args.command {
        BaselineCommand::Create(args) => create(args),
    }
}

fn create(args: CreateArgs) -> Result<Outcome, Error> {
    let targets = args.target.targets();
    let plan = Plan::build(&args.flags.settings(None), &targets.config_root())?;
    let path = args
        .output
        .clone()
        .or_else(|| plan.config.baseline_path())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_BASELINE_FILE));
    let sink = Sink::baseline(path)?;
    let scanned = run::tree::scan(&plan, &targets, false)?;
    let conclusion = run::finish(&plan, scanned, &sink)?;
    Ok(conclude(conclusion, args.quiet, args.flags.verbose > 0))
}
