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

/// Windows for the keyword hits of one text, in text order, found without a line index
/// while that is cheaper.
///
/// Most texts with a keyword hit hold no secret, and a line index reads the whole text (4%
/// of a tree scan's instructions) where a hit's window needs only the newlines next to it.
/// So each window is found by scanning from its hit for those newlines, and the index is
/// built only once the scans have read half the text's length (keyword-dense text, many hits
/// on long lines), which keeps the cost linear. Either way a window is the same bytes.
pub struct HitWindows<'a> {
    text: &'a [u8],
    index: &'a mut Option<LineIndex>,
    /// Bytes read looking for newlines so far.
    scanned: usize,
}

impl<'a> HitWindows<'a> {
    /// Windows in `text`, using `index` if it is built and building it there if needed.
    pub fn new(text: &'a [u8], index: &'a mut Option<LineIndex>) -> Self {
        HitWindows {
            text,
            index,
            scanned: 0,
        }
    }

    /// The window for a hit at `pos` of a keyword `len` bytes long, widened by
    /// `extra_lines` (see [`around`]).
    pub fn window(&mut self, pos: usize, len: usize, extra_lines: usize) -> (usize, usize) {
        if self.index.is_none() && self.scanned > self.text.len() / 2 {
            *self.index = Some(LineIndex::new(self.text));
        }
        if let Some(index) = self.index.as_ref() {
            return around(self.text, index, pos, len, extra_lines);
        }
        let text = self.text;
        let pos = pos.min(text.len());
        let hit_end = (pos + len).min(text.len());
        if extra_lines > 0 {
            // Whole lines, however long: the (n+1)th newline each way.
            let mut before = memchr::memrchr_iter(b'\n', &text[..pos]);
            let start = before.nth(extra_lines).map_or(0, |i| i + 1);
            let mut after = memchr::memchr_iter(b'\n', &text[hit_end..]);
            let end = after.nth(extra_lines).map_or(text.len(), |i| hit_end + i);
            self.scanned += (pos - start) + (end - hit_end);
            return (start, end);
        }
        // The hit's line, looked for no farther than a line that would be clamped reaches.
        let from = pos.saturating_sub(MAX_LINE_WINDOW + 1);
        let to = (hit_end + MAX_LINE_WINDOW + 1).min(text.len());
        let start = match memchr::memrchr(b'\n', &text[from..pos]) {
            Some(i) => Some(from + i + 1),
            None => (from == 0).then_some(0),
        };
        let end = match memchr::memchr(b'\n', &text[hit_end..to]) {
            Some(i) => Some(hit_end + i),
            None => (to == text.len()).then_some(text.len()),
        };
        self.scanned += (pos - start.unwrap_or(from)) + (end.unwrap_or(to) - hit_end);
        match (start, end) {
            (Some(start), Some(end)) if end - start <= MAX_LINE_WINDOW => (start, end),
            // A line longer than a window: an end not found is beyond the clamp.
            _ => (
                start.unwrap_or(0).max(pos.saturating_sub(CLAMP_BEFORE)),
                end.unwrap_or(usize::MAX).min(hit_end + CLAMP_AFTER),
            ),
        }
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

    /// Every hit position, keyword length and widening on `text`: the scanned window must
    /// be the one the line index gives.
    fn scanned_windows_match_indexed(text: &[u8]) {
        let index = LineIndex::new(text);
        for pos in 0..=text.len() {
            for len in [0, 1, 3] {
                for extra in [0, 1, 2] {
                    let mut none = None;
                    let scanned = HitWindows::new(text, &mut none).window(pos, len, extra);
                    assert!(none.is_none(), "one scan builds no index");
                    let indexed = around(text, &index, pos, len, extra);
                    assert_eq!(scanned, indexed, "pos {pos} len {len} extra {extra}");
                }
            }
        }
    }

    #[test]
    fn scanning_for_newlines_finds_the_indexed_windows() {
        scanned_windows_match_indexed(b"");
        scanned_windows_match_indexed(b"\n\n");
        scanned_windows_match_indexed(b"one\ntwo KEY three\n\nfour\nfive");
        // Lines about the clamp's length, either side of it, and one far longer.
        for long in [
            MAX_LINE_WINDOW - 2,
            MAX_LINE_WINDOW,
            MAX_LINE_WINDOW + 1,
            9000,
        ] {
            let mut text = b"head\n".to_vec();
            text.extend(std::iter::repeat_n(b'x', long));
            text.extend_from_slice(b"\nmid\n");
            text.extend(std::iter::repeat_n(b'y', long));
            let index = LineIndex::new(&text);
            for pos in (0..text.len()).step_by(97).chain([5, 6, text.len() - 1]) {
                for extra in [0, 1] {
                    let mut none = None;
                    let scanned = HitWindows::new(&text, &mut none).window(pos, 3, extra);
                    assert_eq!(
                        scanned,
                        around(&text, &index, pos, 3, extra),
                        "{long} {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn dense_hits_switch_to_the_index() {
        let text = b"KEY KEY KEY KEY\n".repeat(100);
        let mut index = None;
        let mut windows = HitWindows::new(&text, &mut index);
        for pos in (0..text.len()).step_by(4) {
            windows.window(pos, 3, 1);
        }
        assert!(
            index.is_some(),
            "scans re-read the text, so the index was built"
        );
        let mut index = None;
        let mut windows = HitWindows::new(&text, &mut index);
        windows.window(0, 3, 0);
        windows.window(800, 3, 0);
        assert!(index.is_none(), "two hits scan two lines");
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
