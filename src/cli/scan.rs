//! `keyhound scan`: the working-tree scan.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use super::{Outcome, OutputArgs};
use crate::config::Config;
use crate::decode::DEFAULT_MAX_DEPTH;
use crate::engine::Engine;
use crate::error::Error;
use crate::filter::Allowlist;
use crate::rules::builtin_rules;
use crate::scan::{sort_and_dedup, Scanner, Stats, DEFAULT_MAX_FILE_SIZE};
use crate::source::stdin::scan_stdin;
use crate::source::walk::{scan_paths, WalkOptions};

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scan files that .gitignore/.ignore would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Archive layers to open: `a.zip!b.zip!c.txt` needs 2; 0 scans no archive members.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DEPTH)]
    pub max_depth: usize,
    /// Configuration file (default: .keyhound.toml in the first PATH, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: ScanArgs) -> Result<Outcome, Error> {
    let started = Instant::now();
    let root = args
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let config_root = if root.is_dir() {
        root.clone()
    } else {
        PathBuf::from(".")
    };
    let config = Config::discover(args.config.as_deref(), &config_root)?;
    let mut scanner = build_scanner(&config, args.max_file_size)?;
    scanner.decode.max_depth = args.max_depth;
    let stats = Stats::default();
    let mut findings = if args.paths.len() == 1 && args.paths[0].as_os_str() == "-" {
        scan_stdin(&scanner, &stats)?
    } else {
        if args.paths.iter().any(|p| p.as_os_str() == "-") {
            return Err(Error::Usage(
                "`-` (stdin) cannot be combined with other paths".into(),
            ));
        }
        let walk = WalkOptions {
            respect_ignore: !args.no_ignore,
            threads: args.threads,
        };
        scan_paths(&scanner, &args.paths, &walk, &stats)?
    };
    sort_and_dedup(&mut findings);
    args.output.emit(&findings)?;
    args.output
        .summarize(&stats.summary(findings.len(), started.elapsed()));
    args.output.notes(&stats);
    Ok(if findings.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// The scanner a config describes: bundled rules minus disabled ones, plus its allowlists.
pub fn build_scanner(config: &Config, max_file_size: u64) -> Result<Scanner, Error> {
    let origin = config
        .source
        .as_ref()
        .map_or_else(|| "<defaults>".to_string(), |p| p.display().to_string());
    let rules = builtin_rules()
        .into_iter()
        .filter(|r| !config.disabled_rules.contains(&r.id))
        .collect();
    let mut scanner = Scanner::new(Engine::new(rules)?);
    scanner.allowlist = Allowlist::new(&config.allowlist, &origin)?;
    scanner.max_file_size = max_file_size;
    // A decompressed archive member is held to the same size as a file on disk.
    scanner.decode.max_member_bytes = max_file_size;
    Ok(scanner)
}
