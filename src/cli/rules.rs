//! `keyhound rules list` and `keyhound rules check`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Outcome;
use crate::error::Error;
use crate::run::{self, rules::Row};

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show every rule: bundled ones and the config's own.
    List(ListArgs),
    /// Run every rule's examples and negative examples (including the config's own rules);
    /// exit 1 listing each failure.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Configuration file (default: .keyhound.toml in the current directory, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Configuration file (default: .keyhound.toml in the current directory, if present).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Check the rule files in DIR (`*.toml`, the schema of `patterns/`) instead of the
    /// bundled rules: for writing rules without rebuilding keyhound. Problems of every rule
    /// are listed at once, lint included (long regexes must use `(?x)`).
    #[arg(long, value_name = "DIR")]
    pub patterns: Option<PathBuf>,
}

pub fn run(args: RulesArgs) -> Result<Outcome, Error> {
    match args.command {
        RulesCommand::List(args) => list(args),
        RulesCommand::Check(args) => check(args),
    }
}

fn list(args: ListArgs) -> Result<Outcome, Error> {
    let rows = run::rules::list(args.config.as_deref())?;
    let text = match args.format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&rows).expect("rows serialise");
            s.push('\n');
            s
        }
        ListFormat::Text => table(&rows),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| Error::io("<stdout>", e))?,
    }
    Ok(Outcome::Clean)
}

/// An aligned text table; disabled rules are marked so the list still shows every rule.
fn table(rows: &[Row]) -> String {
    let header = [
        "ID",
        "NAME",
        "PROVIDER",
        "CONFIDENCE",
        "SEVERITY",
        "VERIFIER",
        "KEYWORDS",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                if r.enabled {
                    r.id.to_string()
                } else {
                    format!("{} (disabled)", r.id)
                },
                r.name.to_string(),
                r.provider.as_deref().unwrap_or("-").to_string(),
                format!("{:?}", r.confidence).to_lowercase(),
                format!("{:?}", r.severity).to_lowercase(),
                r.verifier.as_deref().unwrap_or("-").to_string(),
                r.keywords.join(","),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let header: [String; 7] = header.map(String::from);
    for row in std::iter::once(&header).chain(&cells) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn check(args: CheckArgs) -> Result<Outcome, Error> {
    let checked = run::rules::check(args.config.as_deref(), args.patterns.as_deref())?;
    let mut text = String::new();
    for failure in &checked.failures {
        text.push_str(&format!("{failure}\n"));
    }
    // `rules check | head -1` closes the pipe early: normal, not a panic.
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(Error::io("<stdout>", e))
        }
        _ => {}
    }
    let n = checked.failures.len();
    eprintln!(
        "keyhound: checked {} rules ({} from {}): {n} failure{}",
        checked.rules,
        checked.user_rules,
        checked.config_name,
        if n == 1 { "" } else { "s" }
    );
    Ok(if n == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
