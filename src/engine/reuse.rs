//! What the scan of a text rebuilt from another by copies (a git delta of its base) takes
//! from the base's scan: the keyword hits ([`super::prefilter`] derives them) and what each
//! rule's regex found in the windows the copies carried over unchanged.
//!
//! Once the prefilter stopped searching copied bytes, rule regexes (and their screens) on
//! keyword windows were the largest cost of a history audit: each version of a file ran
//! them again on windows its base had already run them on. A regex's result depends only on
//! the bytes of its window. A window of the text that lies inside one copied span, with
//! exactly the bounds the base had a window of the same rule at at the copy's source, holds
//! the base window's bytes, so the base's captures are taken as they are. Every other window
//! is searched. The checks that follow a capture (entropy, placeholders, pairing) still run
//! on the text itself.

use std::ops::Range;

use super::KeywordHits;
use crate::text::CopiedSpan;

/// One regex match in a window: each capture group's span, by group index, relative to
/// the window's start.
pub(super) type GroupSpans = Box<[Option<(usize, usize)>]>;

/// The span of `group` in `spans` as a range of the window.
pub(super) fn group_range(spans: &[Option<(usize, usize)>], group: usize) -> Option<Range<usize>> {
    let (start, end) = (*spans.get(group)?)?;
    Some(start..end)
}

/// The most windows whose results a text keeps for its deltas: a delta family holds its
/// chain of ancestors' results at once, and a crafted keyword-dense text could otherwise
/// hold megabytes on each. A text with more is searched in full by its deltas.
pub(super) const MOST_KEPT_WINDOWS: usize = 1 << 12;

/// What each rule's regex found in each window of one text (nothing, in most).
#[derive(Debug, Default)]
pub struct WindowResults {
    /// Sorted by rule, then window.
    windows: Vec<WindowResult>,
}

#[derive(Debug)]
struct WindowResult {
    rule: usize,
    start: usize,
    end: usize,
    matches: Vec<GroupSpans>,
}

impl WindowResults {
    /// Records rule `rule`'s matches in window `start..end`. Windows come in order: by rule,
    /// then by position, as the engine searches them.
    pub(super) fn push(&mut self, rule: usize, start: usize, end: usize, matches: Vec<GroupSpans>) {
        debug_assert!(self
            .windows
            .last()
            .is_none_or(|w| (w.rule, w.start) < (rule, start)));
        self.windows.push(WindowResult {
            rule,
            start,
            end,
            matches,
        });
    }

    pub(super) fn len(&self) -> usize {
        self.windows.len()
    }

    /// The matches these results (a base's) hold for rule `rule`'s window `start..end` of a
    /// text rebuilt from the base by `copies`, when one copy holds the whole window and the
    /// base had that very window at its source.
    pub(super) fn carried(
        &self,
        copies: &[CopiedSpan],
        rule: usize,
        start: usize,
        end: usize,
    ) -> Option<&[GroupSpans]> {
        let copy = copies[..copies.partition_point(|c| c.at <= start)].last()?;
        if end > copy.at + copy.len {
            return None;
        }
        let source = (rule, start - copy.at + copy.from, end - copy.at + copy.from);
        self.windows
            .binary_search_by(|w| (w.rule, w.start, w.end).cmp(&source))
            .ok()
            .map(|at| &self.windows[at].matches[..])
    }
}

/// What a text's scan may take from the scan of the text it was rebuilt from.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reuse<'a> {
    /// The text's own keyword hits, if known.
    pub hits: Option<&'a KeywordHits>,
    /// The base's window results, and the spans of this text copied from the base.
    pub base: Option<(&'a WindowResults, &'a [CopiedSpan])>,
    /// Keep this text's window results, for texts rebuilt from it.
    pub keep_windows: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(start: usize, end: usize) -> GroupSpans {
        vec![Some((start, end)), None].into_boxed_slice()
    }

    #[test]
    fn a_window_is_carried_only_whole_inside_one_copy_and_at_the_bases_exact_bounds() {
        let mut base = WindowResults::default();
        base.push(3, 100, 160, vec![spans(5, 25)]);
        base.push(3, 400, 420, Vec::new());
        base.push(7, 100, 160, Vec::new());
        // The base's bytes 90..200 are this text's 10..120.
        let copies = [CopiedSpan {
            at: 10,
            from: 90,
            len: 110,
        }];
        let carried = base
            .carried(&copies, 3, 20, 80)
            .expect("same bounds at the source");
        assert_eq!(carried.len(), 1);
        assert_eq!(group_range(&carried[0], 0), Some(5..25));
        assert_eq!(group_range(&carried[0], 1), None);
        assert!(base.carried(&copies, 7, 20, 80).unwrap().is_empty());
        // Other bounds, another rule, or a window reaching past the copy: searched again.
        assert!(base.carried(&copies, 3, 20, 81).is_none());
        assert!(base.carried(&copies, 5, 20, 80).is_none());
        assert!(base.carried(&copies, 3, 5, 80).is_none());
        assert!(base.carried(&copies, 3, 100, 121).is_none());
        assert!(base.carried(&[], 3, 20, 80).is_none());
    }
}
