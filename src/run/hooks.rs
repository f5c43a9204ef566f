//! The git hooks as drivers: `keyhound pre-commit [FILES...]` and `keyhound pre-push`.
//!
//! A hook must never pass falsely. The pre-commit framework passes file names both when git
//! runs the hook for a commit and for `pre-commit run --all-files` / `--files X`; only the
//! first is a commit, and git says so by setting `GIT_INDEX_FILE` for its commit hooks. So:
//! inside a commit, the staged lines those files add are scanned (old lines are not the
//! commit's business); outside one, the named files are scanned whole, as `scan` would.

use std::path::{Path, PathBuf};

use super::{finish, history, staged, tree, Conclusion, Outcome, Sink};
use crate::error::Error;
use crate::plan::{Plan, Settings};
use crate::source::git::open_repo;
use crate::source::git::range::is_zero_id;

/// What a pre-commit run scans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreCommitScope {
    /// Inside `git commit`: the lines the index adds, among `only` when names were passed.
    Staged { only: Option<Vec<PathBuf>> },
    /// `pre-commit run --all-files` or `--files X`: these files, whole.
    Files(Vec<PathBuf>),
}

impl PreCommitScope {
    /// The scope for `files` (what the framework passed), `in_commit` when git runs the hook
    /// for a commit. No names at all (a plain git hook) means the staged changes.
    pub fn new(files: Vec<PathBuf>, in_commit: bool) -> PreCommitScope {
        if files.is_empty() {
            PreCommitScope::Staged { only: None }
        } else if in_commit {
            PreCommitScope::Staged { only: Some(files) }
        } else {
            PreCommitScope::Files(files)
        }
    }
}

/// Runs the pre-commit hook in the repository holding `repo` (normally `.`).
pub fn pre_commit(
    settings: &Settings,
    repo: &Path,
    scope: &PreCommitScope,
    sink: &Sink,
    sarif: bool,
) -> Result<Conclusion, Error> {
    match scope {
        PreCommitScope::Staged { only } => {
            staged::run(settings, repo, only.as_deref(), sink, sarif).map(blocked)
        }
        PreCommitScope::Files(files) => {
            // The config is the repository's, wherever the named files are.
            let root = open_repo(repo)
                .ok()
                .and_then(|r| r.workdir().map(Path::to_path_buf))
                .unwrap_or_else(|| repo.to_path_buf());
            let plan = Plan::build(settings, &root)?;
            let targets = tree::Targets {
                paths: files.clone(),
                respect_ignore: true,
            };
            let mut scanned = tree::scan(&plan, &targets, sarif)?;
            scanned.heading = Some(format!(
                "pre-commit: {} file{} named, scanned whole (not inside a commit)",
                files.len(),
                if files.len() == 1 { "" } else { "s" }
            ));
            let mut conclusion = finish(&plan, scanned, sink)?;
            if conclusion.reported > 0 {
                conclusion.advice =
                    Some(format!(
                    "the named files hold {n} secret{s}. Remove {them} and rotate {them}: {it} \
                     may already be in the history (`keyhound history` finds every copy). For \
                     a false positive, add `keyhound:allow` in a comment on that line, or list \
                     the path or value under [allowlist] in .keyhound.toml.",
                    n = conclusion.reported,
                    s = if conclusion.reported == 1 { "" } else { "s" },
                    them = if conclusion.reported == 1 { "it" } else { "them" },
                    it = if conclusion.reported == 1 { "it" } else { "they" },
                ));
            }
            Ok(conclusion)
        }
    }
}

/// Tells the author what to do when the hook found something.
fn blocked(mut conclusion: Conclusion) -> Conclusion {
    if conclusion.reported > 0 {
        conclusion.advice = Some(staged::blocked_advice(conclusion.reported));
    }
    conclusion
}

/// One ref a push updates: scan `base..head` (`base` all zeros for a new branch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedRange {
    pub base: String,
    pub head: String,
}

/// The ranges in git's pre-push standard input (`<local ref> <local oid> <remote ref>
/// <remote oid>` per line). Deleting a ref pushes nothing and is skipped; a malformed line
/// is an error rather than a push let through unscanned.
pub fn parse_pre_push(input: &str) -> Result<Vec<PushedRange>, Error> {
    let mut ranges = Vec::new();
    for line in input.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, local, _, remote] = fields[..] else {
            return Err(Error::Usage(format!(
                "pre-push: expected `<local ref> <local oid> <remote ref> <remote oid>` on \
                 standard input, got {line:?}"
            )));
        };
        if is_zero_id(local) {
            continue;
        }
        ranges.push(PushedRange {
            base: remote.to_string(),
            head: local.to_string(),
        });
    }
    Ok(ranges)
}

/// The pre-push hook: what each pushed range adds, as `history --range` scans it. Several
/// ranges (a push of several refs) are scanned one after the other, with one summary each.
pub fn pre_push(
    settings: &Settings,
    repo: &Path,
    ranges: &[PushedRange],
    sink: &Sink,
    sarif: bool,
) -> Result<Conclusion, Error> {
    if ranges.len() > 1 {
        if let Sink::Report { options, to } = sink {
            if options.format != crate::report::Format::Text || !to.is_stdout() {
                return Err(Error::Usage(
                    "pre-push: this push updates several refs; their reports can only go to \
                     stdout as text (drop --format/-o, or push one ref at a time)"
                        .into(),
                ));
            }
        }
    }
    let repo = history::open(repo)?;
    let plan = Plan::build(settings, history::config_root(&repo))?;
    let mut combined: Option<Conclusion> = None;
    for range in ranges {
        let scanned = history::range(&plan, &repo, (&range.base, &range.head), sarif, None)?;
        let conclusion = finish(&plan, scanned, sink)?;
        combined = Some(match combined {
            None => conclusion,
            Some(mut all) => {
                all.preamble.extend(conclusion.preamble);
                all.summary = format!("{}\n{}", all.summary, conclusion.summary);
                all.warnings.extend(conclusion.warnings);
                all.notes.extend(conclusion.notes);
                all.reported += conclusion.reported;
                if conclusion.outcome == Outcome::Findings {
                    all.outcome = Outcome::Findings;
                }
                all
            }
        });
    }
    let Some(mut conclusion) = combined else {
        return Ok(Conclusion {
            outcome: Outcome::Clean,
            preamble: Vec::new(),
            summary: "pre-push: the push only deletes refs; nothing to scan".into(),
            notes: Vec::new(),
            warnings: Vec::new(),
            advice: None,
            reported: 0,
            details: vec![plan.config_source.to_string()],
        });
    };
    if conclusion.reported > 0 {
        conclusion.advice = Some(format!(
            "push blocked: the commits being pushed add {} secret{}. Rewrite them out of those \
             commits (e.g. `git rebase -i`), and rotate what was exposed. `git push \
             --no-verify` bypasses this hook.",
            conclusion.reported,
            if conclusion.reported == 1 { "" } else { "s" }
        ));
    }
    Ok(conclusion)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_follows_what_was_passed_and_where() {
        assert_eq!(
            PreCommitScope::new(vec![], false),
            PreCommitScope::Staged { only: None }
        );
        let files = vec![PathBuf::from("a.py")];
        assert_eq!(
            PreCommitScope::new(files.clone(), true),
            PreCommitScope::Staged {
                only: Some(files.clone())
            }
        );
        assert_eq!(
            PreCommitScope::new(files.clone(), false),
            PreCommitScope::Files(files)
        );
    }

    #[test]
    fn pre_push_input_skips_deletions_and_refuses_garbage() {
        let zero = "0".repeat(40);
        let a = "a".repeat(40);
        let b = "b".repeat(40);
        let input = format!(
            "refs/heads/x {a} refs/heads/x {b}\nrefs/heads/gone {zero} refs/heads/gone {b}\n\
             refs/heads/new {a} refs/heads/new {zero}\n"
        );
        let ranges = parse_pre_push(&input).unwrap();
        assert_eq!(
            ranges,
            vec![
                PushedRange {
                    base: b.clone(),
                    head: a.clone()
                },
                PushedRange {
                    base: zero,
                    head: a
                }
            ]
        );
        assert!(parse_pre_push("just one field\n").is_err());
        assert!(parse_pre_push("").unwrap().is_empty());
    }
}
