//! `keyhound pre-commit [FILES...]` and `keyhound pre-push`: the entry points the
//! pre-commit framework's hooks (and hand-written git hooks) call.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use clap::Args;

use super::args::{BaselineFlag, OutputFlags, ScanFlags};
use super::conclude;
use crate::error::Error;
use crate::run::history::Scope;
use crate::run::hooks::{parse_pre_push, pre_commit, pre_push, PreCommitScope, PushedRange};
use crate::run::Outcome;

#[derive(Debug, Args)]
pub struct PreCommitArgs {
    /// Files the pre-commit framework names. Inside `git commit` (git sets GIT_INDEX_FILE)
    /// only the staged lines they add are scanned; otherwise (`pre-commit run --all-files`,
    /// `--files X`) they are scanned whole. None: the staged changes.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub flags: ScanFlags,
    #[command(flatten)]
    pub baseline: BaselineFlag,
    #[command(flatten)]
    pub output: OutputFlags,
}

pub fn run_pre_commit(args: PreCommitArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let in_commit = std::env::var_os("GIT_INDEX_FILE").is_some_and(|v| !v.is_empty());
    let scope = PreCommitScope::new(args.files, in_commit);
    let conclusion = pre_commit(
        &args.flags.settings(Some(&args.baseline)),
        std::path::Path::new("."),
        &scope,
        &args.output.sink()?,
        args.output.is_sarif(),
    )?;
    Ok(conclude(
        conclusion,
        args.output.quiet,
        args.flags.verbose > 0,
    ))
}

#[derive(Debug, Args)]
pub struct PrePushArgs {
    /// The pushed range, BASE..HEAD. Default: PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF (the
    /// pre-commit framework), else the refs git's pre-push hook lists on standard input,
    /// else HEAD as a new branch (the commits no remote-tracking branch has).
    #[arg(long, value_name = "BASE..HEAD")]
    pub range: Option<String>,
    /// Ignored: git passes the remote's name and URL to a pre-push hook.
    #[arg(value_name = "REMOTE", hide = true)]
    pub remote: Vec<String>,
    #[command(flatten)]
    pub flags: ScanFlags,
    #[command(flatten)]
    pub baseline: BaselineFlag,
    #[command(flatten)]
    pub output: OutputFlags,
}

pub fn run_pre_push(args: PrePushArgs) -> Result<Outcome, Error> {
    args.output.check()?;
    let ranges = pushed_ranges(args.range.as_deref())?;
    let conclusion = pre_push(
        &args.flags.settings(Some(&args.baseline)),
        std::path::Path::new("."),
        &ranges,
        &args.output.sink()?,
        args.output.is_sarif(),
    )?;
    Ok(conclude(
        conclusion,
        args.output.quiet,
        args.flags.verbose > 0,
    ))
}

/// What the push sends, from the flag, the framework's variables, or git's standard input.
fn pushed_ranges(range: Option<&str>) -> Result<Vec<PushedRange>, Error> {
    let zeros = "0".repeat(40);
    if let Some(spec) = range {
        return match Scope::from_flags(Some(spec), None, None)? {
            Scope::Range { base, head } => Ok(vec![PushedRange { base, head }]),
            Scope::Audit { .. } => Err(Error::Usage(format!("--range {spec}: not a range"))),
        };
    }
    let from = std::env::var("PRE_COMMIT_FROM_REF")
        .ok()
        .filter(|v| !v.is_empty());
    let to = std::env::var("PRE_COMMIT_TO_REF")
        .ok()
        .filter(|v| !v.is_empty());
    if let Some(head) = to {
        return Ok(vec![PushedRange {
            base: from.unwrap_or(zeros),
            head,
        }]);
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut input = String::new();
        // A pre-push hook's input is one short line per ref; 1 MiB is far beyond any push.
        stdin
            .lock()
            .take(1 << 20)
            .read_to_string(&mut input)
            .map_err(|e| Error::io("<stdin>", e))?;
        if !input.trim().is_empty() {
            return parse_pre_push(&input);
        }
    }
    // Nothing says what is pushed: scan HEAD as a new branch rather than pass unscanned.
    Ok(vec![PushedRange {
        base: zeros,
        head: "HEAD".into(),
    }])
}
