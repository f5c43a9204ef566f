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

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr_iter(b'\n', text).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Position of byte `offset` (clamped to the text). Invalid UTF-8 counts one column per
    /// byte that does not decode, so columns stay monotonic on any input.
    pub fn position(&self, text: &[u8], offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let (mut column, mut column_utf16) = (1, 1);
        for chunk in text[start..offset].utf8_chunks() {
            for c in chunk.valid().chars() {
                column += 1;
                column_utf16 += c.len_utf16();
            }
            column += chunk.invalid().len();
            column_utf16 += chunk.invalid().len();
        }
        Position {
            line,
            column,
            column_utf16,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn invalid_utf8_does_not_break_columns() {
        let text = b"\xff\xfeAB";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2).column, 3);
    }
}
