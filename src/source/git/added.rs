//! Added lines: what a commit (or the index) adds, per file, from a zero-context diff.
//!
//! Range and staged scans read each new blob whole (a multi-line key needs its context) and
//! then keep only the matches whose lines touch an added line, so a PEM key whose `BEGIN` line
//! is old but whose body is new is still reported, and an old secret in a file that merely
//! changed elsewhere is not.

use std::cell::RefCell;

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, Oid};

use super::{git_error, path_string};
use crate::error::Error;

/// Lines a change adds to a file (1-based), or the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedLines {
    /// New file, or a binary change whose lines git cannot tell: everything counts as added.
    All,
    /// Sorted, disjoint, inclusive line ranges.
    Ranges(Vec<(usize, usize)>),
}

impl AddedLines {
    /// True when any line from `start` to `end` (inclusive) was added.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        match self {
            AddedLines::All => true,
            AddedLines::Ranges(ranges) => ranges.iter().any(|&(a, b)| a <= end && start <= b),
        }
    }

    /// Whether a finding touches an added line (a range or staged scan reports only those).
    pub fn keeps(&self, finding: &crate::finding::Finding) -> bool {
        let l = &finding.location;
        self.touches(l.line, l.end_line.max(l.line))
    }

    pub fn is_empty(&self) -> bool {
        matches!(self, AddedLines::Ranges(r) if r.is_empty())
    }

    /// Lines added in both: a merge adds only what is new relative to every parent.
    pub fn intersect(&self, other: &AddedLines) -> AddedLines {
        match (self, other) {
            (AddedLines::All, x) | (x, AddedLines::All) => x.clone(),
            (AddedLines::Ranges(a), AddedLines::Ranges(b)) => {
                let mut out = Vec::new();
                for &(a0, a1) in a {
                    for &(b0, b1) in b {
                        let (lo, hi) = (a0.max(b0), a1.min(b1));
                        if lo <= hi {
                            out.push((lo, hi));
                        }
                    }
                }
                out.sort_unstable();
                AddedLines::Ranges(out)
            }
        }
    }

    /// Lines added in either (the same blob added by two commits).
    pub fn union(&self, other: &AddedLines) -> AddedLines {
        match (self, other) {
            (AddedLines::All, _) | (_, AddedLines::All) => AddedLines::All,
            (AddedLines::Ranges(a), AddedLines::Ranges(b)) => {
                let mut all: Vec<(usize, usize)> = a.iter().chain(b).copied().collect();
                all.sort_unstable();
                let mut out: Vec<(usize, usize)> = Vec::with_capacity(all.len());
                for (lo, hi) in all {
                    match out.last_mut() {
                        Some(last) if lo <= last.1 + 1 => last.1 = last.1.max(hi),
                        _ => out.push((lo, hi)),
                    }
                }
                AddedLines::Ranges(out)
            }
        }
    }
}

/// One file a change adds lines to: its new path and blob, and which lines are new.
#[derive(Debug, Clone)]
pub struct AddedFile {
    pub path: String,
    pub blob: Oid,
    pub lines: AddedLines,
}

/// Diff options for added-line extraction: no context lines, so every hunk's new side is
/// exactly the added lines; submodules are not content keyhound can read.
pub fn diff_options() -> DiffOptions {
    let mut options = DiffOptions::new();
    options
        .context_lines(0)
        .interhunk_lines(0)
        .ignore_submodules(true)
        .include_typechange(true);
    options
}

/// Detects renames so a moved file does not count as all-new lines (its old secrets were
/// reported when they were added). Exact renames are cheap; similar ones read both blobs.
pub fn find_renames(diff: &mut Diff<'_>) -> Result<(), Error> {
    let mut find = DiffFindOptions::new();
    find.renames(true);
    diff.find_similar(Some(&mut find))
        .map_err(|e| git_error("cannot detect renames", e))
}

/// The files a diff adds lines to, with their added lines.
pub fn added_files(diff: &Diff<'_>) -> Result<Vec<AddedFile>, Error> {
    // Callbacks are separate closures over the same list; RefCell lets each push to it.
    let files: RefCell<Vec<Option<AddedFile>>> = RefCell::new(Vec::new());
    let mut on_file = |delta: git2::DiffDelta<'_>, _progress: f32| {
        let new = delta.new_file();
        let keep = matches!(
            delta.status(),
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) && new.mode() != git2::FileMode::Commit
            && !new.id().is_zero();
        let entry = keep.then(|| AddedFile {
            path: new.path_bytes().map(path_string).unwrap_or_default(),
            blob: new.id(),
            lines: if delta.status() == Delta::Added || delta.flags().is_binary() {
                AddedLines::All
            } else {
                AddedLines::Ranges(Vec::new())
            },
        });
        files.borrow_mut().push(entry);
        true
    };
    let mut on_binary = |_: git2::DiffDelta<'_>, _: git2::DiffBinary<'_>| {
        if let Some(Some(file)) = files.borrow_mut().last_mut() {
            file.lines = AddedLines::All;
        }
        true
    };
    let mut on_hunk = |_: git2::DiffDelta<'_>, hunk: git2::DiffHunk<'_>| {
        if hunk.new_lines() > 0 {
            if let Some(Some(file)) = files.borrow_mut().last_mut() {
                if let AddedLines::Ranges(ranges) = &mut file.lines {
                    let start = hunk.new_start() as usize;
                    ranges.push((start, start + hunk.new_lines() as usize - 1));
                }
            }
        }
        true
    };
    diff.foreach(&mut on_file, Some(&mut on_binary), Some(&mut on_hunk), None)
        .map_err(|e| git_error("cannot compute diff", e))?;
    Ok(files
        .into_inner()
        .into_iter()
        .flatten()
        .filter(|f| !f.lines.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::AddedLines::{All, Ranges};

    #[test]
    fn touches_any_line_of_a_span() {
        let added = Ranges(vec![(3, 4), (10, 10)]);
        assert!(added.touches(1, 3));
        assert!(added.touches(10, 12));
        assert!(!added.touches(5, 9));
        assert!(!added.touches(1, 2));
        assert!(All.touches(1000, 1000));
    }

    #[test]
    fn intersect_and_union() {
        let a = Ranges(vec![(1, 5), (8, 9)]);
        let b = Ranges(vec![(4, 8)]);
        assert_eq!(a.intersect(&b), Ranges(vec![(4, 5), (8, 8)]));
        assert_eq!(a.intersect(&All), a);
        assert_eq!(a.union(&b), Ranges(vec![(1, 9)]));
        assert_eq!(
            Ranges(vec![(1, 2)]).union(&Ranges(vec![(4, 4)])),
            Ranges(vec![(1, 2), (4, 4)])
        );
        assert!(Ranges(vec![]).is_empty());
    }
}
