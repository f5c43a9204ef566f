//! Candidate windows: the slices of an item a rule's regex is allowed to see.
//!
//! Running a regex over a whole file for every rule is what makes naive scanners slow. The
//! prefilter instead reports keyword hits, and each hit opens a window around itself: the
//! hit's line, widened by the rule's `window_lines`. Windows of one rule that touch are merged
//! so no byte is searched twice by the same regex.

use crate::text::LineIndex;

/// Lines longer than this (minified JS, base64 blobs, notebook outputs on one line) are not
/// searched whole: the window is clamped around the hit instead.
const MAX_LINE_WINDOW: usize = 4096;
/// On a clamped line, how far before the hit a secret may start (the name of a generic
/// `password = "..."` assignment precedes the value).
const CLAMP_BEFORE: usize = 256;
/// On a clamped line, how far after the hit a secret may end.
const CLAMP_AFTER: usize = 1024;

/// Byte range of the window for a hit at `pos` whose keyword is `len` bytes long.
///
/// Line bounds come from `lines` (built once per text), so a window costs two binary
/// searches however long its line is: searching for the line's ends from each hit made one
/// long line with many hits (minified JSON full of `access_token` keys) quadratic.
pub fn around(
    text: &[u8],
    lines: &LineIndex,
    pos: usize,
    len: usize,
    extra_lines: usize,
) -> (usize, usize) {
    HitLines::new(text, lines, pos, len).window(extra_lines)
}

/// The lines a hit spans, looked up once and then widened for each rule its keyword names
/// (one keyword can name dozens of rules).
pub struct HitLines<'a> {
    text: &'a [u8],
    lines: &'a LineIndex,
    pos: usize,
    hit_end: usize,
    first: usize,
    last: usize,
}

impl<'a> HitLines<'a> {
    pub fn new(text: &'a [u8], lines: &'a LineIndex, pos: usize, len: usize) -> Self {
        let pos = pos.min(text.len());
        let hit_end = (pos + len).min(text.len());
        HitLines {
            text,
            lines,
            pos,
            hit_end,
            first: lines.line_of(pos),
            last: lines.line_of(hit_end),
        }
    }

    /// The window widened by `extra_lines` on each side (see [`around`]).
    pub fn window(&self, extra_lines: usize) -> (usize, usize) {
        let lines = self.lines;
        if extra_lines == 0 {
            let start = lines.line_start(self.first);
            let end = lines.line_end(self.text, self.last);
            if end - start > MAX_LINE_WINDOW {
                return (
                    start.max(self.pos.saturating_sub(CLAMP_BEFORE)),
                    end.min(self.hit_end + CLAMP_AFTER),
                );
            }
            return (start, end);
        }
        let first = self.first.saturating_sub(extra_lines).max(1);
        let last = (self.last + extra_lines).min(lines.line_count());
        (lines.line_start(first), lines.line_end(self.text, last))
    }
}

/// Adds a window to a list kept sorted and disjoint, merging it with the last one when they
/// overlap or touch. Hits arrive in text order, so only the last window can overlap.
pub fn push_merged(windows: &mut Vec<(usize, usize)>, window: (usize, usize)) {
    if let Some(last) = windows.last_mut() {
        if window.0 <= last.1 + 1 && window.1 >= last.0 {
            last.0 = last.0.min(window.0);
            last.1 = last.1.max(window.1);
            return;
        }
    }
    windows.push(window);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_the_hit_line() {
        let text = b"one\ntwo KEY three\nfour";
        let (s, e) = around(text, &LineIndex::new(text), 8, 3, 0);
        assert_eq!(&text[s..e], b"two KEY three");
    }

    #[test]
    fn window_widens_by_lines() {
        let text = b"a\nb\nc KEY\nd\ne";
        let lines = LineIndex::new(text);
        let (s, e) = around(text, &lines, 6, 3, 1);
        assert_eq!(&text[s..e], b"b\nc KEY\nd");
        let (s, e) = around(text, &lines, 6, 3, 10);
        assert_eq!(&text[s..e], &text[..]);
    }

    #[test]
    fn long_lines_are_clamped() {
        let mut text = vec![b'a'; 10_000];
        text[5000..5003].copy_from_slice(b"KEY");
        let (s, e) = around(&text, &LineIndex::new(&text), 5000, 3, 0);
        assert_eq!((s, e), (5000 - CLAMP_BEFORE, 5003 + CLAMP_AFTER));
    }

    #[test]
    fn merging_keeps_windows_disjoint() {
        let mut w = vec![];
        push_merged(&mut w, (0, 10));
        push_merged(&mut w, (5, 20));
        push_merged(&mut w, (21, 30));
        push_merged(&mut w, (40, 50));
        assert_eq!(w, vec![(0, 30), (40, 50)]);
    }
}
