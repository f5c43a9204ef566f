//! Working-tree source: a parallel, gitignore-aware walk.
//!
//! Hidden files are scanned (`.env`, `.aws/credentials` and `.npmrc` are where secrets live);
//! `.git/` never is (history has its own, blob-based source).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::{Item, Origin};
use crate::scanner::{Scanner, Stats};

/// How to walk.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Respect .gitignore, .ignore and git's exclude files.
    pub respect_ignore: bool,
    /// Worker threads; 0 lets the walker choose (all cores).
    pub threads: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            respect_ignore: true,
            threads: 0,
        }
    }
}

/// Scans every file under `roots` (files or directories) in parallel.
pub fn scan_paths(
    scanner: &Scanner,
    filter: &Filter,
    roots: &[PathBuf],
    options: &WalkOptions,
    stats: &Stats,
) -> Result<Vec<Finding>, Error> {
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(Error::PathNotFound(root.clone()));
        }
    }
    let findings = Mutex::new(Vec::new());
    for root in roots {
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(options.respect_ignore)
            .git_global(options.respect_ignore)
            .git_exclude(options.respect_ignore)
            .ignore(options.respect_ignore)
            .parents(options.respect_ignore)
            .require_git(false)
            .follow_links(false)
            .threads(options.threads)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build_parallel();
        walker.run(|| {
            Box::new(|entry| {
                let Ok(entry) = entry else {
                    Stats::add(&stats.skipped_unreadable, 1);
                    return WalkState::Continue;
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let found = scan_file(scanner, filter, root, entry.path(), stats);
                if !found.is_empty() {
                    findings.lock().expect("no worker panics").extend(found);
                }
                WalkState::Continue
            })
        });
    }
    Ok(findings.into_inner().expect("no worker panics"))
}

/// Reads and scans one file. Oversized and unreadable files are counted, never fatal.
fn scan_file(
    scanner: &Scanner,
    filter: &Filter,
    root: &Path,
    path: &Path,
    stats: &Stats,
) -> Vec<Finding> {
    let Ok(meta) = std::fs::metadata(path) else {
        Stats::add(&stats.skipped_unreadable, 1);
        return Vec::new();
    };
    let read = if meta.len() > scanner.max_file_size {
        // A large model file still gets its metadata header scanned.
        match crate::decode::read_model_header(path, scanner.max_file_size) {
            Some(read) => read,
            None => {
                Stats::add(&stats.skipped_oversize, 1);
                return Vec::new();
            }
        }
    } else {
        std::fs::read(path)
    };
    let Ok(bytes) = read else {
        Stats::add(&stats.skipped_unreadable, 1);
        return Vec::new();
    };
    let origin = Origin::File {
        display: display_path(path),
        relative: relative_path(root, path),
    };
    let item = Item {
        origin: &origin,
        bytes: &bytes,
    };
    scanner.scan(item, filter, stats)
}

/// Forward slashes, no leading `./`: the form people paste and SARIF wants.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

/// `path` relative to `root` when it is under it (for allowlist globs); else its display form.
fn relative_path(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => display_path(rel),
        _ => display_path(path.file_name().map(Path::new).unwrap_or(path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_clean() {
        assert_eq!(display_path(Path::new("./a/b.txt")), "a/b.txt");
        assert_eq!(display_path(Path::new("a/b.txt")), "a/b.txt");
        assert_eq!(
            relative_path(Path::new("root"), Path::new("root/x/y")),
            "x/y"
        );
        assert_eq!(relative_path(Path::new("root/f"), Path::new("root/f")), "f");
    }
}
