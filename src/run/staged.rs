//! The staged scan (`keyhound staged`, the pre-commit hook): what the index adds against HEAD.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::time::Instant;

use git2::Repository;

use super::{finish, write_findings, Conclusion, Outcome, Scanned, Sink};
use crate::error::Error;
use crate::item::Origin;
use crate::plan::{Plan, Settings};
use crate::report::{workspace, ReportContext};
use crate::scanner::Stats;
use crate::source::git::blobs::{scan_blob, BlobCounters, BlobScan};
use crate::source::git::staged::{staged_changes, Staged};
use crate::source::git::{open_repo, tune_for_streaming};

/// `keyhound staged`: opens the repository at `repo`, scans what its index adds with the
/// plan `settings` describe, and reports to `sink`. `describe_repository` names the
/// repository in SARIF. With `only`, just the staged files among those paths are scanned
/// (the pre-commit framework names the files its filters kept, maybe in several batches).
pub fn run(
    settings: &Settings,
    repo: &Path,
    only: Option<&[PathBuf]>,
    sink: &Sink,
    describe_repository: bool,
) -> Result<Conclusion, Error> {
    // Every tree of HEAD is read once to diff against the index: no caching, no re-hashing.
    tune_for_streaming();
    let repo = open_repo(repo)?;
    let mut staged = staged_changes(&repo)?;
    if let Some(paths) = only {
        let wanted = repo_relative(&repo, paths);
        staged.files.retain(|f| wanted.contains(&f.path));
    }
    if staged.changes == 0 {
        // Never silently scan nothing: a hook that saw no changes says so.
        if let Sink::Report { options, to } = sink {
            write_findings(&[], options, &ReportContext::default(), to)?;
        }
        return Ok(Conclusion {
            outcome: Outcome::Clean,
            preamble: Vec::new(),
            summary: NOTHING_STAGED.to_string(),
            notes: Vec::new(),
            warnings: Vec::new(),
            advice: None,
            reported: 0,
            details: Vec::new(),
        });
    }
    let plan = Plan::build(settings, super::history::config_root(&repo))?;
    let scanned = scan(&plan, &repo, &staged, describe_repository)?;
    let mut conclusion = finish(&plan, scanned, sink)?;
    if conclusion.reported > 0 {
        conclusion.advice = Some(blocked_advice(conclusion.reported));
    }
    Ok(conclusion)
}

/// `paths` (relative to the current directory, or absolute) as index paths: relative to the
/// work tree's root, with `/` separators.
fn repo_relative(repo: &Repository, paths: &[PathBuf]) -> HashSet<String> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = repo.workdir().unwrap_or(repo.path());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    paths
        .iter()
        .filter_map(|p| {
            let full = cwd.join(p);
            // The file itself may be gone (deleted in the work tree); its directory is not.
            let full = match (full.parent(), full.file_name()) {
                (Some(dir), Some(name)) => dir
                    .canonicalize()
                    .map_or_else(|_| full.clone(), |d| d.join(name)),
                _ => full.clone(),
            };
            let rel = full.strip_prefix(&root).ok()?;
            let parts: Vec<String> = rel
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            Some(parts.join("/"))
        })
        .collect()
}

/// Shown when the index adds nothing: a hook that saw no changes says so.
pub const NOTHING_STAGED: &str =
    "nothing is staged: no changes to scan (stage files with `git add`)";

/// Scans the files of `staged` with added lines, keeping findings on those lines. SARIF
/// names the repository when `describe_repository`.
pub fn scan<'p>(
    plan: &'p Plan,
    repo: &Repository,
    staged: &Staged,
    describe_repository: bool,
) -> Result<Scanned<'p>, Error> {
    let started = Instant::now();
    let stats = Stats::default();
    let counters = BlobCounters::default();
    let scan = BlobScan {
        scanner: &plan.scanner,
        filter: &plan.filter,
        stats: &stats,
        counters: &counters,
        cache: None,
    };
    let mut findings = Vec::new();
    for file in &staged.files {
        let origin = Origin::Staged {
            blob: file.blob,
            path: file.path.clone(),
        };
        let found = scan_blob(repo, &origin, scan)?;
        findings.extend(found.into_iter().filter(|f| file.lines.keeps(f)));
    }
    // Index paths are relative to the repository root.
    let mut context = ReportContext::new(plan.scanner.engine.rules());
    if describe_repository {
        context.version_control = workspace::describe(repo, None);
        context.locate(repo.workdir().map(Path::to_path_buf));
    }
    let against = if staged.has_head {
        "HEAD"
    } else {
        "the empty tree (first commit)"
    };
    let heading = format!(
        "staged: {} change{} against {against}, {} file{} with added lines",
        staged.changes,
        if staged.changes == 1 { "" } else { "s" },
        staged.files.len(),
        if staged.files.len() == 1 { "" } else { "s" },
    );
    Ok(Scanned {
        findings,
        heading: Some(heading),
        trailer: String::new(),
        preamble: Vec::new(),
        context,
        stats,
        started,
    })
}

/// What a blocked commit tells its author (shown even with `--quiet`).
pub fn blocked_advice(findings: usize) -> String {
    format!(
        "commit blocked. Remove the secret{s} (and rotate {it}: it may already be in your \
         shell history or a remote). For a false positive, add `keyhound:allow` in a comment \
         on that line, or list the path or value under [allowlist] in .keyhound.toml. \
         `git commit --no-verify` bypasses this hook.",
        s = if findings == 1 { "" } else { "s" },
        it = if findings == 1 { "it" } else { "them" },
    )
}
