//! The flags every scanning command shares, defined once: adding a flag to `scan`, `history`,
//! `staged` and `baseline create` means adding it to [`ScanFlags`] (and to
//! [`crate::plan::Settings`], which it fills in).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use crate::config::ByteSize;
use crate::decode::DEFAULT_MAX_DEPTH;
use crate::error::Error;
use crate::plan::{Confidence, Settings, VerifyEndpoint, VerifyOptions};
use crate::report::{Format, ReportOptions};
use crate::run::Sink;

/// How a scan reads: config, limits, threads.
#[derive(Debug, Clone, Args)]
pub struct ScanFlags {
    /// Configuration file. Default, first found: `KEYHOUND_CONFIG`, the nearest
    /// .keyhound.toml from the scanned directory up to the repository root, the user-wide
    /// `~/.config/keyhound/config.toml` (`$XDG_CONFIG_HOME`), else built-in defaults.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore .keyhound.toml files in the scanned tree (for CI on untrusted changes: a pull
    /// request cannot then add a config that switches rules off); --config and
    /// KEYHOUND_CONFIG still apply.
    #[arg(long)]
    pub no_repo_config: bool,
    /// Say more on stderr: which config applies, and each entry that was skipped
    /// (unreadable, special, symlinked, oversized).
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Skip files larger than this: bytes, or with a unit (`10MiB`, `512KiB`) [default:
    /// `[limits] max_file_size` from the config, else 10 MiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Archive layers to open: `a.zip!b.zip!c.txt` needs 2; 0 scans no archive members; at
    /// most 16.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DEPTH, value_parser = parse_depth)]
    pub max_depth: usize,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Report only findings at least this confident: `high` (a checksum or a provider's own
    /// format), `medium` (a strong value in a secret-named slot, a password in a credential
    /// file) or `low` (everything) [default: `[findings] min_confidence` from the config, else
    /// low].
    #[arg(long, value_name = "LEVEL", value_enum)]
    pub min_confidence: Option<ConfidenceArg>,
}

/// Confidence levels, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ConfidenceArg {
    Low,
    Medium,
    High,
}

impl From<ConfidenceArg> for Confidence {
    fn from(arg: ConfidenceArg) -> Confidence {
        match arg {
            ConfidenceArg::Low => Confidence::Low,
            ConfidenceArg::Medium => Confidence::Medium,
            ConfidenceArg::High => Confidence::High,
        }
    }
}

fn parse_size(text: &str) -> Result<u64, String> {
    ByteSize::parse(text).map(|s| s.0)
}

/// `--baseline FILE`, on every command that reports findings.
#[derive(Debug, Clone, Args)]
pub struct BaselineFlag {
    /// Do not report findings recorded in this baseline file (see `keyhound baseline create`)
    /// [default: `baseline` in the config, if set].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

impl ScanFlags {
    /// The plan settings these flags ask for, applying `baseline` (or none).
    pub fn settings(&self, baseline: Option<&BaselineFlag>) -> Settings {
        Settings {
            config: self.config.clone(),
            max_file_size: self.max_file_size,
            max_depth: self.max_depth,
            threads: self.threads,
            baseline: baseline.and_then(|b| b.baseline.clone()),
            use_baseline: baseline.is_some(),
            no_repo_config: self.no_repo_config,
            min_confidence: self.min_confidence.map(Confidence::from),
            ..Settings::default()
        }
    }
}

/// `--verify` and its limits, on `scan`, `history` and `staged`.
#[derive(Debug, Clone, Args)]
pub struct VerifyFlags {
    /// Check each reported secret live with its provider's own API (a read-only whoami or
    /// list-models call, once per secret), and record live/revoked/unknown on the finding.
    /// Sends the secrets to their providers; off unless given (or `verify = true`).
    #[arg(long)]
    pub verify: bool,
    /// Report only findings verified live (implies --verify); the exit code follows what
    /// is reported.
    #[arg(long)]
    pub only_live: bool,
    /// FOR TESTING ONLY: send the verifier of PROVIDER (a provider name, a rule id, a
    /// provider host, or `*` for all) to a local test server instead, e.g.
    /// `huggingface=http://127.0.0.1:8080`. Loopback addresses only; plain http only there.
    #[arg(long, value_name = "PROVIDER=URL", value_parser = VerifyEndpoint::parse)]
    pub verify_endpoint: Vec<VerifyEndpoint>,
    /// Seconds one verification request may take, connecting included [default: 10].
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub verify_timeout: Option<f64>,
    /// Seconds the whole run's verification may take; checks not started by then are
    /// `unknown: deadline` [default: 120].
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub verify_deadline: Option<f64>,
    /// Verification requests started per second, across all providers [default: 10].
    #[arg(long, value_name = "N", value_parser = parse_rate)]
    pub verify_rate: Option<f64>,
    /// Verification requests in flight to one host at once [default: 2].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub verify_per_host: Option<u16>,
}

impl VerifyFlags {
    /// Adds what these flags ask to `settings`.
    pub fn apply(&self, settings: &mut Settings) {
        settings.verify = self.verify || self.only_live;
        let defaults = VerifyOptions::default();
        let seconds =
            |s: Option<f64>, default| s.map_or(default, std::time::Duration::from_secs_f64);
        settings.verify_options = VerifyOptions {
            only_live: self.only_live,
            timeout: seconds(self.verify_timeout, defaults.timeout),
            deadline: seconds(self.verify_deadline, defaults.deadline),
            rate: self.verify_rate.unwrap_or(defaults.rate),
            per_host: self.verify_per_host.map_or(defaults.per_host, usize::from),
            endpoints: self.verify_endpoint.clone(),
            ..defaults
        };
    }
}

/// A number of seconds: 0 or more, at most a day.
fn parse_seconds(text: &str) -> Result<f64, String> {
    let n: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if !(0.0..=86_400.0).contains(&n) {
        return Err(format!("{text} is not between 0 and 86400 seconds"));
    }
    Ok(n)
}

/// Requests per second: more than 0, at most 1000.
fn parse_rate(text: &str) -> Result<f64, String> {
    let n: f64 = text.parse().map_err(|e| format!("{e}"))?;
    if !(n > 0.0 && n <= 1000.0) {
        return Err(format!(
            "{text} is not a rate between 0 (exclusive) and 1000"
        ));
    }
    Ok(n)
}

/// How and where a command reports.
#[derive(Debug, Clone, Args)]
pub struct OutputFlags {
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// SARIF only: the analysis category (`automationDetails.id`), so several keyhound jobs in
    /// one repository keep separate alerts.
    #[arg(long, value_name = "CATEGORY")]
    pub sarif_category: Option<String>,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,
    /// Colour the text report: auto (on a terminal), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Print no summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Report formats, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Human-readable, one block per finding.
    Text,
    /// One JSON array of findings.
    Json,
    /// One JSON object per line, for streaming into other tools.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// One self-contained HTML audit report (best with `history`).
    Html,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Html => Format::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl OutputFlags {
    /// Rejects option combinations that cannot mean what the user wants. Commands call this
    /// before scanning, so a typo costs nothing.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(category) = &self.sarif_category {
            if self.format != FormatArg::Sarif {
                return Err(Error::Usage(
                    "--sarif-category only applies to --format sarif".into(),
                ));
            }
            if category.trim().is_empty() {
                return Err(Error::Usage("--sarif-category must not be empty".into()));
            }
        }
        Ok(())
    }

    pub fn is_sarif(&self) -> bool {
        self.format == FormatArg::Sarif
    }

    /// Where the report goes, and how it looks (colour only on a terminal, unless forced).
    /// An output file is opened here, before the scan, so a bad `-o` fails at once.
    pub fn sink(&self) -> Result<Sink, Error> {
        let to_terminal = self.output.is_none() && std::io::stdout().is_terminal();
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => super::terminal::color_wanted(to_terminal),
        };
        let options = ReportOptions {
            format: self.format.into(),
            show_secrets: self.show_secrets,
            color,
            sarif_category: self.sarif_category.clone(),
        };
        Sink::report(options, self.output.clone())
    }
}

/// `--max-depth`: a number up to the decoders' ceiling (each layer is a level of recursion).
fn parse_depth(text: &str) -> Result<usize, String> {
    let n: usize = text.parse().map_err(|e| format!("{e}"))?;
    let ceiling = crate::decode::MAX_DEPTH_CEILING;
    if n > ceiling {
        return Err(format!(
            "{n} is more than {ceiling}, the most layers keyhound opens"
        ));
    }
    Ok(n)
}
