//! `keyhound scan`: the working-tree scan.

use std::path::PathBuf;

use clap::Args;

use super::args::{BaselineFlag, OutputFlags, ScanFlags, VerifyFlags};
use super::conclude;
use crate::error::Error;
use crate::plan::Plan;
use crate::run::{self, tree::Targets, Outcome};

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub flags: ScanFlags,
    #[command(flatten)]
    pub baseline: BaselineFlag,
    #[command(flatten)]
    pub verify: VerifyFlags,
    #[command(flatten)]
    pub output: OutputFlags,
}

/// What to scan: shared by `scan` and `baseline create`, so a baseline is made from exactly
/// the scan it will later be applied to.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan files that .gitignore/.ignore would skip.
    #[arg(long)]
    pub no_ignore: bool,
}

impl TargetArgs {
    pub fn targets(&self) -> Targets {
        Targets {
            paths: self.paths.clone(),
            respect_ignore: !self.no_ignore,
        }
    }
}

pub fn run(args: ScanArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let sink = args.output.sink()?;
    let targets = args.target.targets();
    let mut settings = args.flags.settings(Some(&args.baseline));
    args.verify.apply(&mut settings);
    let plan = Plan::build(&settings, &targets.config_root())?;
    let scanned = run::tree::scan(&plan, &targets, args.output.is_sarif())?;
    let conclusion = run::finish(&plan, scanned, &sink)?;
    Ok(conclude(
        conclusion,
        args.output.quiet,
        args.flags.verbose > 0,
    ))
}
