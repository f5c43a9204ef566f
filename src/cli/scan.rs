//! `keyhound scan`: the working-tree scan.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::baseline::BaselineArgs;
use super::{Outcome, OutputArgs};
use crate::config::Config;
use crate::decode::DEFAULT_MAX_DEPTH;
use crate::error::Error;
use crate::filter::Allowlist;
use crate::finding::Finding;
use crate::report::{workspace, Format, ReportContext};
use crate::scan::{sort_and_dedup, Scanner, Stats, DEFAULT_MAX_FILE_SIZE};
use crate::source::stdin::scan_stdin;
use crate::source::walk::{scan_paths, WalkOptions};

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What to scan and how: shared by `scan` and `baseline create`, so a baseline is made from
/// exactly the scan it will later be applied to.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan files that .gitignore/.ignore would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this many bytes [default: `[limits] max_file_size` from the
    /// config, else 10 MiB].
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Archive layers to open: `a.zip!b.zip!c.txt` needs 2; 0 scans no archive members.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,
    /// Configuration file (default: .keyhound.toml in the first PATH, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

impl TargetArgs {
    /// The config these arguments name: `--config FILE`, else `.keyhound.toml` in the first
    /// PATH when it is a directory, else in the current directory.
    pub fn load_config(&self) -> Result<Config, Error> {
        let root = self
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        let config_root = if root.is_dir() {
            root
        } else {
            PathBuf::from(".")
        };
        Config::discover(self.config.as_deref(), &config_root)
    }

    /// The scanner `config` describes, with this command line's limits.
    pub fn scanner(&self, config: &Config) -> Result<Scanner, Error> {
        let mut scanner = build_scanner(config, self.max_file_size)?;
        scanner.decode.max_depth = self.max_depth;
        Ok(scanner)
    }

    /// Scans every path with `scanner`; returns the findings sorted and deduplicated.
    pub fn scan(&self, scanner: &Scanner, stats: &Stats) -> Result<Vec<Finding>, Error> {
        let mut findings = if self.paths.len() == 1 && self.paths[0].as_os_str() == "-" {
            scan_stdin(scanner, stats)?
        } else {
            if self.paths.iter().any(|p| p.as_os_str() == "-") {
                return Err(Error::Usage(
                    "`-` (stdin) cannot be combined with other paths".into(),
                ));
            }
            let walk = WalkOptions {
                respect_ignore: !self.no_ignore,
                threads: self.threads,
            };
            scan_paths(scanner, &self.paths, &walk, stats)?
        };
        sort_and_dedup(&mut findings);
        Ok(findings)
    }
}

pub fn run(args: ScanArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let started = Instant::now();
    let stats = Stats::default();
    let config = args.target.load_config()?;
    let scanner = args.target.scanner(&config)?;
    let mut findings = args.target.scan(&scanner, &stats)?;
    let baselined = args.baseline.apply(&config, &mut findings)?;
    let mut context = ReportContext::new(scanner.engine.rules());
    let root = args.target.paths.first().cloned().unwrap_or_default();
    if args.output.format == Format::Sarif && root.as_os_str() != "-" {
        (context.src_root, context.version_control) = workspace::discover(&root);
    }
    args.output.emit(&findings, &context)?;
    let summary = stats.summary(findings.len(), started.elapsed());
    args.output
        .summarize(&format!("{summary}{}", super::baseline::note(baselined)));
    args.output.notes(&stats);
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The scanner a config describes: bundled rules plus the config's own (whose examples must
/// pass), minus disabled ones, with its allowlists and limits. `max_file_size` from the
/// command line wins over the config's `[limits]`; pass `None` when the flag was not given
/// (a plain `u64` also works, and always wins).
pub fn build_scanner(
    config: &Config,
    max_file_size: impl Into<Option<u64>>,
) -> Result<Scanner, Error> {
    let mut scanner = Scanner::new(config.engine()?);
    scanner.allowlist = Allowlist::new(&config.allowlist).map_err(|p| config.located(p))?;
    scanner.max_file_size = max_file_size
        .into()
        .or(config.limits.max_file_size.map(|s| s.0))
        .unwrap_or(DEFAULT_MAX_FILE_SIZE);
    // A decompressed archive member is held to the same size as a file on disk.
    scanner.decode.max_member_bytes = scanner.max_file_size;
    Ok(scanner)
}
