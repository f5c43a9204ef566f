//! The command line: argument definitions and dispatch, and nothing else. Each subcommand
//! parses its flags into the library's types, calls a driver in [`crate::run`], and shows
//! what it concluded; this module turns that into exit codes.

mod args;
mod baseline;
mod cache;
mod extras;
mod githooks;
mod history;
mod hook;
mod progress;
mod rules;
mod scan;
mod staged;
mod terminal;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::run::Conclusion;
pub use crate::run::Outcome;

/// Exit code: nothing found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: bad arguments, unreadable config, not a repository, ...
pub const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "keyhound",
    version,
    about = "Find hardcoded credentials in working trees and git history",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories (default: the current directory); `-` reads stdin.
    Scan(scan::ScanArgs),
    /// Audit a repository's full history (every unique blob of every ref, once), or with
    /// `--range BASE..HEAD` only the lines those commits add (for CI).
    History(history::HistoryArgs),
    /// Scan what is staged for the next commit (for a pre-commit hook): added lines only.
    Staged(staged::StagedArgs),
    /// Record accepted findings so later scans (`--baseline FILE`) report only new ones.
    Baseline(baseline::BaselineCommandArgs),
    /// List the rules, or check every rule against its own examples.
    Rules(rules::RulesArgs),
    /// The scan cache `history` keeps between runs: `clear`, `info`, `path`.
    Cache(cache::CacheArgs),
    /// Install a git pre-commit hook that runs `keyhound staged`.
    InstallHook(hook::InstallHookArgs),
    /// The pre-commit hook's entry point: inside `git commit`, the staged lines the named
    /// files add; outside (`pre-commit run --all-files`), the named files whole.
    PreCommit(githooks::PreCommitArgs),
    /// The pre-push hook's entry point: what the pushed commits add.
    PrePush(githooks::PrePushArgs),
    /// Print the JSON Schema of the `--format json`/`jsonl` records.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(extras::CompletionsArgs),
    /// Print the man page (roff) on stdout.
    Man,
}

/// Shows what a run concluded on stderr (`--quiet` keeps only what must be said) and
/// returns its outcome.
fn conclude(conclusion: Conclusion, quiet: bool, verbose: bool) -> Outcome {
    if verbose {
        // Skipped entries are named by their paths, which a stranger chose.
        for line in &conclusion.details {
            eprintln!("keyhound: {}", crate::report::text::escape(line));
        }
    }
    for line in &conclusion.warnings {
        eprintln!("keyhound: {line}");
    }
    if !quiet {
        for line in &conclusion.preamble {
            eprintln!("keyhound: {line}");
        }
        eprintln!("keyhound: {}", conclusion.summary);
        for note in &conclusion.notes {
            eprintln!("keyhound: note: {}", crate::report::text::escape(note));
        }
    }
    if let Some(advice) = &conclusion.advice {
        eprintln!("keyhound: {advice}");
    }
    conclusion.outcome
}

/// `keyhound .` or `keyhound src/`: a path where a command was expected gets a hint.
fn path_hint(e: &clap::Error) -> Option<String> {
    if e.kind() != clap::error::ErrorKind::InvalidSubcommand {
        return None;
    }
    let first = std::env::args_os().nth(1)?;
    let path = std::path::Path::new(&first);
    (first == "-" || path.exists())
        .then(|| format!("hint: did you mean `keyhound scan {}`?", path.display()))
}

/// Parses arguments, runs the command, and maps the result to keyhound's exit codes.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = e.print();
            if let Some(hint) = path_hint(&e) {
                eprintln!("{hint}");
            }
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(args),
        Command::History(args) => history::run(args),
        Command::Staged(args) => staged::run(args),
        Command::Baseline(args) => baseline::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Cache(args) => cache::run(args),
        Command::InstallHook(args) => hook::run(args),
        Command::PreCommit(args) => githooks::run_pre_commit(args),
        Command::PrePush(args) => githooks::run_pre_push(args),
        Command::Schema => extras::schema(),
        Command::Completions(args) => extras::completions(args),
        Command::Man => extras::man(),
    };
    match result {
        Ok(Outcome::Clean) => ExitCode::from(EXIT_CLEAN),
        Ok(Outcome::Findings) => ExitCode::from(EXIT_FINDINGS),
        Err(e) => {
            eprintln!("keyhound: error: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
