//! Turning byte offsets into the lines and columns people and SARIF consumers read: the one
//! line index every stage uses (the scanner locating findings, decoders mapping joined
//! strings back to their lines, config diagnostics).

use memchr::memchr_iter;

/// Line starts of a text, built once per item that has findings (most items have none, so
/// most items never pay for it).
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A 1-based line and column, in both column units reports need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    /// Unicode scalar values before the position, plus one.
    pub column: usize,
    /// UTF-16 code units before the position, plus one.
    pub column_utf16: usize,
}

/// Pushes the line start after every newline in whole 64-byte blocks of `text`, and returns
/// where the blocks end. One mask per block replaces a memchr call per line.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn newline_blocks(text: &[u8], starts: &mut Vec<usize>) -> usize {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let newline = _mm_set1_epi8(b'\n' as i8);
    let mut at = 0;
    while at + 64 <= text.len() {
        let mut mask = 0u64;
        for lane in 0..4 {
            // SAFETY: `at + 64 <= text.len()`, so the 16 bytes at `at + 16 * lane` are in `text`.
            let bytes = unsafe { _mm_loadu_si128(text.as_ptr().add(at + 16 * lane).cast()) };
            let hits = _mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)) as u16;
            mask |= u64::from(hits) << (16 * lane);
        }
        while mask != 0 {
            starts.push(at + mask.trailing_zeros() as usize + 1);
            mask &= mask - 1;
        }
        at += 64;
    }
    at
}

#[cfg(not(target_arch = "x86_64"))]
fn newline_blocks(_text: &[u8], _starts: &mut Vec<usize>) -> usize {
    0
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        // One SSE2 compare-and-mask per 16 bytes, then a bit loop over the newlines of each
        // 64-byte block: on lines of 30-40 bytes this beat a memchr call per line, which was
        // 19% of the engine's time on real code (`LineIndex::new` in `perf`). memchr finishes
        // the last partial block.
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        starts.push(0);
        // SAFETY: SSE2 is part of the x86_64 baseline, so every x86_64 CPU runs it (elsewhere
        // the fallback is a safe function, hence the allow).
        #[allow(unused_unsafe)]
        let done = unsafe { newline_blocks(text, &mut starts) };
        starts.extend(memchr_iter(b'\n', &text[done..]).map(|i| done + i + 1));
        LineIndex { starts }
    }

    /// Position of byte `offset` (clamped to the text). Invalid UTF-8 counts one column per
    /// byte that does not decode, so columns stay monotonic on any input.
    pub fn position(&self, text: &[u8], offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (column, column_utf16) = count_columns(&text[start..offset]);
        Position {
            line,
            column: column + 1,
            column_utf16: column_utf16 + 1,
        }
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where line `line` (1-based) starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// Byte offset one past the last byte of line `line` (1-based), before its newline.
    pub fn line_end(&self, text: &[u8], line: usize) -> usize {
        self.starts.get(line).map_or(text.len(), |&s| s - 1)
    }

    /// Positions of many offsets in one pass: `offsets` sorted ascending, the positions
    /// returned in the same order. Each column is counted from the previous offset on the
    /// same line rather than from the line start, so a long line with thousands of findings
    /// is walked once, not once per finding.
    pub fn positions(&self, text: &[u8], offsets: &[usize]) -> Vec<Position> {
        debug_assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
        let mut out = Vec::with_capacity(offsets.len());
        // A point known to split no character, with its counts (columns are additive there).
        let mut cursor = (usize::MAX, 0, 1, 1); // (line, offset, column, column_utf16)
        for &offset in offsets {
            let offset = offset.min(text.len());
            let line = self.line_of(offset);
            if cursor.0 != line {
                cursor = (line, self.starts[line - 1], 1, 1);
            }
            // The last char boundary at or before `offset` (within 4 bytes), where the
            // cursor may move: counting across a split character would differ.
            let boundary = (offset.saturating_sub(4).max(cursor.1)..=offset)
                .rev()
                .find(|&i| i == text.len() || (text[i] & 0xC0) != 0x80);
            if let Some(b) = boundary {
                let (c, u) = count_columns(&text[cursor.1..b]);
                cursor = (line, b, cursor.2 + c, cursor.3 + u);
                let (c, u) = count_columns(&text[b..offset]);
                out.push(Position {
                    line,
                    column: cursor.2 + c,
                    column_utf16: cursor.3 + u,
                });
            } else {
                let (c, u) = count_columns(&text[cursor.1..offset]);
                out.push(Position {
                    line,
                    column: cursor.2 + c,
                    column_utf16: cursor.3 + u,
                });
            }
        }
        out
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// Byte range of line `line` (1-based), without its newline (or `\r\n`).
    pub fn line_range(&self, text: &[u8], line: usize) -> std::ops::Range<usize> {
        let start = self.starts[line - 1];
        let mut end = self.starts.get(line).map_or(text.len(), |&s| s - 1);
        if end > start && text[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }
}

/// Unicode scalar values and UTF-16 units in `bytes`; each byte that does not decode counts
/// one of each, so columns stay monotonic on any input.
fn count_columns(bytes: &[u8]) -> (usize, usize) {
    let (mut column, mut column_utf16) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            column += 1;
            column_utf16 += c.len_utf16();
        }
        column += chunk.invalid().len();
        column_utf16 += chunk.invalid().len();
    }
    (column, column_utf16)
}

/// A span of a text that is a byte-for-byte copy of a span of another (a git delta's copy
/// op): whatever depends only on those bytes can be carried over instead of recomputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopiedSpan {
    /// Where the copy starts in this text.
    pub at: usize,
    /// Where it was copied from in the other.
    pub from: usize,
    pub len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_match_a_byte_by_byte_count_across_chunk_edges() {
        for len in [0usize, 1, 63, 64, 65, 127, 128, 200] {
            for step in [1usize, 3, 63, 64, 65] {
                let text: Vec<u8> = (0..len)
                    .map(|i| if i % step == step - 1 { b'\n' } else { b'x' })
                    .collect();
                let expected: Vec<usize> = std::iter::once(0)
                    .chain(
                        text.iter()
                            .enumerate()
                            .filter(|(_, &b)| b == b'\n')
                            .map(|(i, _)| i + 1),
                    )
                    .collect();
                assert_eq!(
                    LineIndex::new(&text).starts,
                    expected,
                    "len {len} step {step}"
                );
            }
        }
    }

    #[test]
    fn positions_count_chars_and_utf16_units() {
        let text = "ab\nçé𝄞x\n".as_bytes();
        let index = LineIndex::new(text);
        let x = text.iter().position(|&b| b == b'x').unwrap();
        let p = index.position(text, x);
        assert_eq!(p.line, 2);
        assert_eq!(p.column, 4); // ç é 𝄞 then x
        assert_eq!(p.column_utf16, 5); // 𝄞 is two UTF-16 units
        assert_eq!(index.position(text, 0).line, 1);
        assert_eq!(&text[index.line_range(text, 1)], b"ab");
    }

    #[test]
    fn batched_positions_equal_single_ones() {
        let mut text = "ab\nçé𝄞x y\n".as_bytes().to_vec();
        text.extend_from_slice(b"\xff z\x80\x80\x80\x80\x80 ");
        text.extend_from_slice(b"\xe2\x82 q\xe2\x82\xac");
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..=text.len()).collect();
        let batched = index.positions(&text, &offsets);
        for (&o, p) in offsets.iter().zip(&batched) {
            assert_eq!(*p, index.position(&text, o), "offset {o}");
        }
    }

    #[test]
    fn invalid_utf8_does_not_break_columns() {
        let text = b"\xff\xfeAB";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2).column, 3);
    }
}
