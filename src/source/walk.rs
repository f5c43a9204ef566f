//! Working-tree source: a parallel, gitignore-aware walk.
//!
//! Hidden files are scanned (`.env`, `.aws/credentials` and `.npmrc` are where secrets live);
//! `.git/` never is (history has its own, blob-based source).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::{Item, Origin};
use crate::scanner::{Scanner, Stats};
use crate::source::ignore_files::IgnoreFiles;

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
    // A path named on the command line is checked before anything is scanned: one that
    // does not exist, or cannot be read, is an error (exit 2), not a silent skip.
    let mut special = Vec::new();
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::PathNotFound(root.clone()))
            }
            Err(e) => return Err(Error::io(root, e)),
        };
        if meta.is_dir() {
            std::fs::read_dir(root).map_err(|e| Error::io(root, e))?;
        } else if meta.is_file() {
            std::fs::File::open(root).map_err(|e| Error::io(root, e))?;
        } else {
            // Opened once, when read: opening a FIFO to check it would consume its writer.
            special.push(root.clone());
        }
    }
    let findings = Mutex::new(Vec::new());
    // A FIFO, `<(...)` or `/dev/stdin` named on the command line is what the user asked to
    // scan: it is read through the size cap, as stdin is.
    for root in &special {
        let found = scan_stream(scanner, filter, root, stats)?;
        findings.lock().expect("no worker panics").extend(found);
    }
    for root in roots.iter().filter(|r| !special.contains(r)) {
        // Ignore files are read by keyhound itself, checked and capped (see
        // `ignore_files`): the walker crate would read a FIFO or `/dev/zero` to the end.
        let ignores = options
            .respect_ignore
            .then(|| std::sync::Arc::new(IgnoreFiles::new(root)));
        let filter_ignores = ignores.clone();
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .ignore(false)
            .parents(false)
            .require_git(false)
            .follow_links(false)
            .threads(walker_threads(options.threads))
            .filter_entry(move |entry| {
                if entry.file_name() == ".git" {
                    return false;
                }
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !filter_ignores
                    .as_ref()
                    .is_some_and(|i| i.ignores(entry.path(), is_dir))
            })
            .build_parallel();
        walker.run(|| {
            Box::new(|entry| {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(e) => {
                        stats.skip_named(&stats.skipped_unreadable, "unreadable", e.to_string());
                        return WalkState::Continue;
                    }
                };
                match entry.file_type() {
                    Some(t) if t.is_file() => {}
                    Some(t) if t.is_dir() => return WalkState::Continue,
                    // Symlinks are not followed; FIFOs, sockets and devices inside a tree
                    // are never read (a FIFO would hang the scan, a device never end).
                    _ => {
                        stats.skip_named(
                            &stats.skipped_special,
                            "special file or symlink",
                            entry.path(),
                        );
                        return WalkState::Continue;
                    }
                }
                let found = scan_file(scanner, filter, root, entry.path(), stats);
                if !found.is_empty() {
                    findings.lock().expect("no worker panics").extend(found);
                }
                WalkState::Continue
            })
        });
        if let Some(ignores) = &ignores {
            ignores.report(stats);
        }
    }
    Ok(findings.into_inner().expect("no worker panics"))
}

/// The walker's thread count for `requested` (0: all cores). The walker crate reads 0 as
/// two threads, whatever the machine, so "all cores" is resolved here.
fn walker_threads(requested: usize) -> usize {
    match requested {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    }
}

/// Reads and scans one file. Oversized and unreadable files are counted, never fatal.
fn scan_file(
    scanner: &Scanner,
    filter: &Filter,
    root: &Path,
    path: &Path,
    stats: &Stats,
) -> Vec<Finding> {
    let unreadable = |e: std::io::Error| {
        stats.skip_named(
            &stats.skipped_unreadable,
            "unreadable",
            format!("{}: {e}", path.display()),
        );
        Vec::new()
    };
    // Opened once and checked through the handle: the entry may have been swapped for a
    // FIFO or a device since the walk saw it.
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return unreadable(e),
    };
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(e) => return unreadable(e),
    };
    if !meta.is_file() {
        stats.skip_named(&stats.skipped_special, "special file or symlink", path);
        return Vec::new();
    }
    let origin = Origin::File {
        display: display_path(path),
        relative: relative_path(root, path),
    };
    let bytes = if meta.len() > scanner.max_file_size {
        // A large model file still gets its metadata header scanned.
        match crate::decode::read_model_header(path, scanner.max_file_size) {
            Some(Ok(bytes)) => bytes,
            Some(Err(e)) => return unreadable(e),
            None => {
                stats.skip_named(&stats.skipped_oversize, "over size limit", path);
                return Vec::new();
            }
        }
    } else {
        // Read through the cap whatever the size says (`/proc` files report 0 or lie).
        match read_capped_sized(file, &origin.display(), scanner.max_file_size, meta.len()) {
            Ok(Capped::Whole(bytes) | Capped::Head(bytes)) => bytes,
            Ok(Capped::Over) => {
                stats.skip_named(&stats.skipped_oversize, "over size limit", path);
                return Vec::new();
            }
            Err(e) => return unreadable(e),
        }
    };
    let item = Item {
        origin: &origin,
        bytes: &bytes,
    };
    scanner.scan(item, filter, stats)
}

/// Reads and scans a FIFO or device named on the command line, through the size cap.
fn scan_stream(
    scanner: &Scanner,
    filter: &Filter,
    path: &Path,
    stats: &Stats,
) -> Result<Vec<Finding>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let origin = Origin::File {
        display: display_path(path),
        relative: display_path(path),
    };
    scan_capped(scanner, filter, &origin, file, stats).map_err(|e| Error::io(path, e))
}

/// Reads a stream (stdin, a FIFO) through the size cap and scans it as the item `origin`;
/// one larger than the cap is skipped and counted.
pub(crate) fn scan_capped(
    scanner: &Scanner,
    filter: &Filter,
    origin: &Origin,
    reader: impl Read,
    stats: &Stats,
) -> std::io::Result<Vec<Finding>> {
    let display = origin.display();
    match read_capped(reader, &display, scanner.max_file_size)? {
        Capped::Whole(bytes) | Capped::Head(bytes) => {
            let item = Item {
                origin,
                bytes: &bytes,
            };
            Ok(scanner.scan(item, filter, stats))
        }
        Capped::Over => {
            stats.skip_named(&stats.skipped_oversize, "over size limit", display);
            Ok(Vec::new())
        }
    }
}

/// What a capped read got.
pub enum Capped {
    /// The whole input, at most the cap.
    Whole(Vec<u8>),
    /// Only the first bytes: binary data no decoder claims, which they suffice to skip.
    Head(Vec<u8>),
    /// More than the cap.
    Over,
}

/// Reads `reader` (an item named `name`) keeping at most `cap` bytes: the first
/// [`BINARY_SNIFF_LEN`](crate::decode::BINARY_SNIFF_LEN) bytes first, and no more when they
/// show binary data no decoder claims. Memory never exceeds `cap + 1` bytes, whatever the
/// input claims its size is.
pub fn read_capped(reader: impl Read, name: &str, cap: u64) -> std::io::Result<Capped> {
    read_capped_sized(reader, name, cap, 0)
}

/// [`read_capped`] for an input that says it holds `size` bytes (a regular file's length):
/// the buffer is sized for that once, where growing it as the bytes came cost 3.6% of a tree
/// scan's instructions in reallocation (and as much again in copying). The size is only a
/// hint: the cap holds whatever the input turns out to hold.
pub fn read_capped_sized(
    reader: impl Read,
    name: &str,
    cap: u64,
    size: u64,
) -> std::io::Result<Capped> {
    let mut reader = reader;
    let sniff = (crate::decode::BINARY_SNIFF_LEN as u64).min(cap + 1);
    // The whole size at once, not the sniff first: growing the buffer after the sniff
    // copied every file's head (1.3% of a tree scan's instructions). A binary file stopped
    // at the sniff only touches the pages it read.
    let mut bytes = Vec::with_capacity(size.min(cap).max(sniff.min(size)) as usize);
    (&mut reader).take(sniff).read_to_end(&mut bytes)?;
    if crate::decode::is_unclaimed_binary(name, &bytes) {
        return Ok(Capped::Head(bytes));
    }
    if (bytes.len() as u64) < sniff {
        // The sniff stopped short of its limit, so the input ended: asking again would be
        // a read syscall per small file that returns nothing.
        return Ok(Capped::Whole(bytes));
    }
    bytes.reserve_exact(size.min(cap).saturating_sub(bytes.len() as u64) as usize);
    let rest = (cap + 1).saturating_sub(bytes.len() as u64);
    reader.take(rest).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Ok(Capped::Over);
    }
    Ok(Capped::Whole(bytes))
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

    #[test]
    fn all_cores_means_all_cores_not_the_walkers_default_two() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        assert_eq!(walker_threads(0), cores);
        assert_eq!(walker_threads(3), 3);
    }

    /// A reader handing out at most `chunk` bytes per call, counting the calls.
    struct Counted<'a> {
        data: &'a [u8],
        chunk: usize,
        calls: usize,
    }

    impl Read for Counted<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            let n = buf.len().min(self.chunk).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn whole(capped: Capped) -> Vec<u8> {
        match capped {
            Capped::Whole(bytes) => bytes,
            Capped::Head(_) => panic!("read as binary"),
            Capped::Over => panic!("read as over the cap"),
        }
    }

    #[test]
    fn capped_reads_keep_every_byte_whatever_the_size_hint_says() {
        let text = b"token = 1\n".repeat(2000);
        for hint in [0, 5, text.len() as u64, 10 * text.len() as u64] {
            let mut reader = Counted {
                data: &text,
                chunk: 700,
                calls: 0,
            };
            let got = whole(read_capped_sized(&mut reader, "a.txt", 1 << 20, hint).unwrap());
            assert_eq!(got, text, "size hint {hint}");
        }
        let mut reader = Counted {
            data: &text,
            chunk: 700,
            calls: 0,
        };
        let over = read_capped_sized(&mut reader, "a.txt", 100, text.len() as u64).unwrap();
        assert!(matches!(over, Capped::Over));
    }

    #[test]
    fn a_short_input_is_not_asked_again_after_it_ends() {
        let text = b"short file\n";
        let mut reader = Counted {
            data: text,
            chunk: usize::MAX,
            calls: 0,
        };
        let got = whole(read_capped_sized(&mut reader, "a.txt", 1 << 20, 11).unwrap());
        assert_eq!(got, text);
        // One read for the bytes and one that says the input ended.
        assert_eq!(reader.calls, 2);
    }
}
