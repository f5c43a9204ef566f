//! `keyhound rules list` and `keyhound rules check`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::Outcome;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::Error;
use crate::plan::{load_config, user_rule_problems};
use crate::rules::{Confidence, Severity};

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
    /// bundled rules: for writing rules without rebuilding keyhound.
    #[arg(long, value_name = "DIR")]
    pub patterns: Option<PathBuf>,
}

pub fn run(args: RulesArgs) -> Result<Outcome, Error> {
    match args.command {
        RulesCommand::List(args) => list(args),
        RulesCommand::Check(args) => check(args),
    }
}

/// One row of `rules list`.
#[derive(Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    provider: Option<&'a str>,
    keywords: &'a [String],
    confidence: Confidence,
    severity: Severity,
    /// `builtin`, or the config file that defines the rule.
    source: String,
    enabled: bool,
}

fn list(args: ListArgs) -> Result<Outcome, Error> {
    let (config, _) = load_config(args.config.as_deref(), Path::new("."))?;
    let rules = config.all_rules();
    let user: HashSet<&str> = config.rules.iter().map(|r| r.id.as_str()).collect();
    let disabled: HashSet<&str> = config.disabled_rules.iter().map(String::as_str).collect();
    let rows: Vec<Row> = rules
        .iter()
        .map(|r| Row {
            id: &r.id,
            name: &r.name,
            provider: r.provider.as_deref(),
            keywords: &r.keywords,
            confidence: r.confidence,
            severity: r.severity,
            source: if user.contains(r.id.as_str()) {
                config.display_name()
            } else {
                "builtin".into()
            },
            enabled: !disabled.contains(r.id.as_str()),
        })
        .collect();
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
        "KEYWORDS",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                if r.enabled {
                    r.id.to_string()
                } else {
                    format!("{} (disabled)", r.id)
                },
                r.name.to_string(),
                r.provider.unwrap_or("-").to_string(),
                format!("{:?}", r.confidence).to_lowercase(),
                format!("{:?}", r.severity).to_lowercase(),
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
    let header: [String; 6] = header.map(String::from);
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
    let (config, rules, origin) = match &args.patterns {
        Some(dir) => (
            Config::default(),
            crate::rules::load_rule_dir(dir)?,
            dir.display().to_string(),
        ),
        None => {
            let (config, _) = load_config(args.config.as_deref(), Path::new("."))?;
            let rules = config.all_rules();
            (config, rules, "builtin".to_string())
        }
    };
    let mut failures: Vec<String> = Vec::new();
    // Every definition problem is listed; the rules behind them are left out of the engine
    // so the others can still be run against their examples.
    let mut broken: HashSet<String> = HashSet::new();
    for problem in crate::rules::definition_problems(&rules) {
        if let Error::Rule { id, .. } = &problem {
            broken.insert(id.clone());
        }
        failures.push(format!("{problem}"));
    }
    let runnable: Vec<_> = rules
        .iter()
        .filter(|r| !broken.contains(&r.id))
        .cloned()
        .collect();
    let engine = Engine::new(runnable)?;
    let user: HashSet<&str> = config.rules.iter().map(|r| r.id.as_str()).collect();
    for (index, rule) in engine.rules().enumerate() {
        if user.contains(rule.id.as_str()) {
            continue; // below, with file:line:column
        }
        for failure in engine.rule_failures(index) {
            failures.push(format!("rule {} ({origin}): {failure}", rule.id));
        }
        if args.patterns.is_some() {
            for problem in crate::rules::lint(rule) {
                failures.push(format!("rule {} ({origin}): {problem}", rule.id));
            }
        }
    }
    for problem in user_rule_problems(&config, &engine) {
        failures.push(config.diagnostic(&problem).to_string());
    }
    for failure in &failures {
        println!("{failure}");
    }
    eprintln!(
        "keyhound: checked {} rules ({} from {}): {} failure{}",
        engine.rules().len(),
        config.rules.len(),
        config.display_name(),
        failures.len(),
        if failures.len() == 1 { "" } else { "s" }
    );
    Ok(if failures.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}
