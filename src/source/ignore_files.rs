//! `.gitignore`, `.ignore` and git's exclude files, read by keyhound itself.
//!
//! The walker crate would open each ignore file it meets and read it to the end. In a tree
//! from a pull request that is hostile: a FIFO named `.gitignore` hangs the scan, and a
//! committed symlink `.gitignore -> /dev/zero` (it survives `git clone`) reads until memory
//! runs out. So ignore files are read here, through [`read_own_file`]: regular files only
//! (git itself no longer follows a symlinked `.gitignore`), at most [`MAX_IGNORE_FILE`]
//! bytes. One that fails those checks is not used, and the scan says so.
//!
//! Precedence follows git and ripgrep: a deeper directory's files decide before a shallower
//! one's, `.ignore` before `.gitignore` in one directory, then `.git/info/exclude`, then the
//! user's global excludes file. The first match (ignore or `!` whitelist) decides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use crate::own_file::read_own_file;
use crate::scanner::Stats;

/// Largest ignore file read; a longer one is not used (and the scan says so).
pub const MAX_IGNORE_FILE: u64 = 1 << 20;

/// The ignore files of one walk, each read once, shared by the walker's threads.
pub struct IgnoreFiles {
    /// The scan root, as the walker names its entries.
    root: PathBuf,
    /// The scan root's absolute form, to match files from directories above it.
    absolute_root: PathBuf,
    /// Matchers from directories above the root (up to the repository root), deepest first,
    /// then the exclude files; they match absolute paths.
    outer: Vec<Arc<Gitignore>>,
    /// Per directory at or under the root: the matchers that decide for its entries, its own
    /// `.ignore` and `.gitignore` first, then each parent's up to the root. Built once per
    /// directory, so a file costs one lookup: walking each file's ancestors, a lock and a
    /// path hash apiece, was 8% of a tree scan's instructions.
    chains: Mutex<HashMap<PathBuf, Chain>>,
    /// Ignore files not used, and why (handed to the scan's statistics after the walk).
    refused: Mutex<Vec<String>>,
}

impl IgnoreFiles {
    /// The ignore files that apply under `root`, with `stats` told of any not used.
    pub fn new(root: &Path) -> Self {
        let refused = Mutex::new(Vec::new());
        let absolute_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut outer = Vec::new();
        // Directories above the root, up to the repository's top (where `.git` is).
        let repo_top = absolute_root
            .ancestors()
            .find(|d| d.join(".git").exists())
            .map(Path::to_path_buf);
        if let Some(top) = &repo_top {
            for dir in absolute_root.ancestors().skip(1) {
                if !dir.starts_with(top) {
                    break;
                }
                outer.extend(load_dir(dir, &refused).into_iter().map(Arc::new));
            }
            // (In a linked worktree `.git` is a file, and the exclude file is the main one's.)
            let git_dir = match git2::Repository::open(top) {
                Ok(repo) => repo.commondir().to_path_buf(),
                Err(_) => top.join(".git"),
            };
            let exclude = git_dir.join("info/exclude");
            outer.extend(load_file(top, &exclude, &refused).map(Arc::new));
        }
        if let Some(global) = global_excludes() {
            let base = repo_top.as_deref().unwrap_or(&absolute_root);
            outer.extend(load_file(base, &global, &refused).map(Arc::new));
        }
        IgnoreFiles {
            root: root.to_path_buf(),
            absolute_root,
            // Matchers without a pattern (git's stock `info/exclude` is all comments) decide
            // nothing, and would cost every path a join to an absolute path.
            outer: outer.into_iter().filter(|m| !m.is_empty()).collect(),
            chains: Mutex::new(HashMap::new()),
            refused,
        }
    }

    /// Counts and names, in `stats`, the ignore files that were not used.
    pub fn report(&self, stats: &Stats) {
        for refused in self.refused.lock().expect("no worker panics").drain(..) {
            stats.skip_named(&stats.skipped_unreadable, "ignore file not used", refused);
        }
    }

    /// Whether the walk should skip `path` (a directory when `is_dir`).
    pub fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        if let Some(dir) = path.parent().filter(|dir| dir.starts_with(&self.root)) {
            for matcher in self.chain(dir).iter() {
                match matcher.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        if self.outer.is_empty() {
            return false;
        }
        let absolute = match path.strip_prefix(&self.root) {
            Ok(rel) => self.absolute_root.join(rel),
            Err(_) => return false,
        };
        for matcher in &self.outer {
            match matcher.matched(&absolute, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    /// The matchers deciding for the entries of `dir` (at or under the root), deepest first.
    fn chain(&self, dir: &Path) -> Chain {
        if let Some(found) = self.chains.lock().expect("no worker panics").get(dir) {
            return found.clone();
        }
        // Built outside the lock; two threads may both build a directory's, harmlessly. The
        // walker visits a directory before its entries, so the parent's is nearly always
        // cached already.
        let mut chain: Vec<Arc<Gitignore>> = load_dir(dir, &self.refused)
            .into_iter()
            .filter(|m| !m.is_empty())
            .map(Arc::new)
            .collect();
        if dir != self.root {
            if let Some(parent) = dir.parent().filter(|p| p.starts_with(&self.root)) {
                chain.extend(self.chain(parent).iter().cloned());
            }
        }
        self.chains
            .lock()
            .expect("no worker panics")
            .entry(dir.to_path_buf())
            .or_insert_with(|| Arc::new(chain))
            .clone()
    }
}

/// The matchers for one directory's entries, deepest directory first.
type Chain = Arc<Vec<Arc<Gitignore>>>;

/// A directory's `.ignore` then `.gitignore`, those that exist and may be read.
fn load_dir(dir: &Path, refused: &Mutex<Vec<String>>) -> Vec<Gitignore> {
    [".ignore", ".gitignore"]
        .iter()
        .filter_map(|name| load_file(dir, &dir.join(name), refused))
        .collect()
}

/// One ignore file, its patterns relative to `base`; `None` when it is absent, or not a
/// regular file, or too large (both counted and named).
fn load_file(base: &Path, path: &Path, refused: &Mutex<Vec<String>>) -> Option<Gitignore> {
    let text = match read_own_file(path, MAX_IGNORE_FILE) {
        Ok(Some(text)) => text,
        Ok(None) => return None,
        Err(e) => {
            let mut refused = refused.lock().expect("no worker panics");
            refused.push(format!("{}: {e}", path.display()));
            return None;
        }
    };
    let mut builder = GitignoreBuilder::new(base);
    for line in text.lines() {
        // A malformed pattern is skipped, as git skips it.
        let _ = builder.add_line(Some(path.to_path_buf()), line);
    }
    builder.build().ok()
}

/// The user's global excludes file: `core.excludesFile`, else `$XDG_CONFIG_HOME/git/ignore`.
fn global_excludes() -> Option<PathBuf> {
    let configured = git2::Config::open_default()
        .ok()
        .and_then(|c| c.get_path("core.excludesfile").ok());
    configured.or_else(|| {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("git/ignore"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn deeper_files_decide_first_and_ignore_before_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".gitignore", "*.env\nbuild/\n");
        write(root, ".ignore", "!special.env\n");
        write(root, "keep/.gitignore", "!*.env\n");
        write(root, "keep/deeper/.gitignore", "# only a comment\n");
        write(root, "keep/deeper/more/.gitignore", "local.env\n");
        let ignores = IgnoreFiles::new(root);
        let ignored = |path: &str, is_dir: bool| ignores.ignores(&root.join(path), is_dir);
        assert!(ignored("a.env", false));
        assert!(ignored("other/b.env", false));
        assert!(
            !ignored("special.env", false),
            ".ignore decides before .gitignore"
        );
        assert!(
            !ignored("keep/c.env", false),
            "the deeper whitelist decides"
        );
        assert!(
            !ignored("keep/deeper/d.env", false),
            "through a directory matching nothing"
        );
        assert!(
            ignored("keep/deeper/more/local.env", false),
            "the deepest file first"
        );
        assert!(!ignored("keep/deeper/more/other.env", false));
        assert!(ignored("build", true));
        assert!(
            !ignored("build", false),
            "a directory pattern skips directories only"
        );
        assert!(!ignored("main.py", false));
        // The root itself is judged by no file under it.
        assert!(!ignores.ignores(root, true));
    }
}
