//! `keyhound staged`: the pre-commit hook. Scans what the index adds relative to HEAD.

use std::path::PathBuf;

use clap::Args;

use super::args::{BaselineFlag, OutputFlags, ScanFlags, VerifyFlags};
use super::conclude;
use crate::error::Error;
use crate::run::{self, Outcome};

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
    pub verify: VerifyFlags,
    #[command(flatten)]
    pub output: OutputFlags,
}

pub fn run(args: StagedArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let mut settings = args.flags.settings(Some(&args.baseline));
    args.verify.apply(&mut settings);
    let sink = args.output.sink()?;
    let conclusion = run::staged::run(&settings, &args.repo, None, &sink, args.output.is_sarif())?;
    Ok(conclude(
        conclusion,
        args.output.quiet,
        args.flags.verbose > 0,
    ))
}
