//! The working-tree scan (`keyhound scan`, `keyhound baseline create`): files and
//! directories, or standard input.

use std::path::PathBuf;
use std::time::Instant;

use super::Scanned;
use crate::error::Error;
use crate::plan::Plan;
use crate::report::{workspace, ReportContext};
use crate::scanner::Stats;
use crate::source::stdin::scan_stdin;
use crate::source::walk::{scan_paths, WalkOptions};

/// What to scan.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Files or directories; a single `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// Respect .gitignore, .ignore and git's exclude files.
    pub respect_ignore: bool,
}

impl Targets {
    /// The directory the config is looked for from (upward to the repository root): the
    /// first path when it is a directory, a file's own directory, else the current one.
    pub fn config_root(&self) -> PathBuf {
        match self.paths.first() {
            Some(first) if first.is_dir() => first.clone(),
            Some(first) if first.is_file() => match first.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
                _ => PathBuf::from("."),
            },
            _ => PathBuf::from("."),
        }
    }

    fn is_stdin(&self) -> bool {
        self.paths.len() == 1 && self.paths[0].as_os_str() == "-"
    }
}

/// Scans `targets` with `plan`. `describe_workspace` asks for the repository around the
/// first path (what SARIF paths are relative to, and its revision).
pub fn scan<'p>(
    plan: &'p Plan,
    targets: &Targets,
    describe_workspace: bool,
) -> Result<Scanned<'p>, Error> {
    let started = Instant::now();
    let stats = Stats::default();
    let findings = if targets.is_stdin() {
        scan_stdin(&plan.scanner, &plan.filter, &stats)?
    } else {
        if targets.paths.iter().any(|p| p.as_os_str() == "-") {
            return Err(Error::Usage(
                "`-` (stdin) cannot be combined with other paths".into(),
            ));
        }
        let walk = WalkOptions {
            respect_ignore: targets.respect_ignore,
            threads: plan.threads,
        };
        scan_paths(&plan.scanner, &plan.filter, &targets.paths, &walk, &stats)?
    };
    let mut context = ReportContext::new(plan.scanner.engine.rules());
    if describe_workspace && !targets.is_stdin() {
        (context.src_root, context.version_control) = workspace::discover(&targets.paths);
        if let crate::report::SrcRoot::Dir { root, .. } = &context.src_root {
            let root = root.clone();
            context.locate(Some(root));
        }
    }
    Ok(Scanned {
        findings,
        heading: None,
        trailer: String::new(),
        preamble: Vec::new(),
        context,
        stats,
        started,
    })
}
