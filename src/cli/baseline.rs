//! `keyhound baseline create` and the `--baseline FILE` flag every scanning command takes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Args, Subcommand};

use super::scan::TargetArgs;
use super::Outcome;
use crate::config::Config;
use crate::error::Error;
use crate::filter::baseline::{self, Baseline, DEFAULT_BASELINE_FILE};
use crate::finding::Finding;
use crate::scan::Stats;

/// `--baseline FILE`: flatten into any command that reports findings, then call
/// [`BaselineArgs::apply`] on its findings before emitting them.
#[derive(Debug, Clone, Args)]
pub struct BaselineArgs {
    /// Do not report findings recorded in this baseline file (see `keyhound baseline create`)
    /// [default: `baseline` in the config, if set].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

impl BaselineArgs {
    /// Drops the findings accepted by `--baseline FILE`, else by the config's `baseline`;
    /// returns how many were dropped.
    pub fn apply(&self, config: &Config, findings: &mut Vec<Finding>) -> Result<usize, Error> {
        baseline::apply(self.baseline.as_deref(), config, findings)
    }
}

/// The summary's note on baselined findings: `"; N in baseline"`, or nothing.
pub fn note(baselined: usize) -> String {
    if baselined == 0 {
        String::new()
    } else {
        format!("; {baselined} in baseline")
    }
}

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
    let started = Instant::now();
    let stats = Stats::default();
    let config = args.target.load_config()?;
    let output = args
        .output
        .clone()
        .or_else(|| config.baseline_path())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_BASELINE_FILE));
    let findings = args.target.scan(&args.target.scanner(&config)?, &stats)?;
    let baseline = Baseline::from_findings(&findings);
    write_baseline(&output, &baseline)?;
    if !args.quiet {
        eprintln!(
            "keyhound: {}; wrote {} baselined secret{} to {}",
            stats.summary(findings.len(), started.elapsed()),
            baseline.len(),
            if baseline.len() == 1 { "" } else { "s" },
            output.display()
        );
    }
    // Recording findings is what was asked; it is not a failure.
    Ok(Outcome::Clean)
}

/// Writes `baseline` to `output` (`-` for stdout).
pub(super) fn write_baseline(output: &Path, baseline: &Baseline) -> Result<(), Error> {
    let text = baseline.to_json();
    if output.as_os_str() == "-" {
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("<stdout>", e))
    } else {
        write_atomically(output, &text)
    }
}

/// Writes via a temporary file and a rename, so an interrupted run never leaves a truncated
/// baseline behind (which would un-suppress everything).
fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
