//! Decoding: turning an item's bytes into the text segments the engine searches.
//!
//! Plain text passes through untouched and borrowed (no copy). Container formats (notebooks,
//! archives, model files) get decoders that produce segments with a map back to where each
//! byte came from. Decoders are chosen by extension and magic bytes, so ordinary text pays
//! for nothing but that choice.

use std::borrow::Cow;

/// How far into an item keyhound looks for a NUL byte to call it binary (as git does).
pub const BINARY_SNIFF_LEN: usize = 8192;

/// A run of text to search, and where it sits in the item it came from.
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    pub text: Cow<'a, [u8]>,
    /// Appended to the item's path for findings in this segment (`!member/path` for an
    /// archive member); empty for plain text.
    pub path_suffix: String,
    /// Line of the item on which this segment's first line sits, minus one (0 for plain text).
    pub line_offset: usize,
    /// Where inside the item, for humans: `cell 3 (code) source`. `None` for plain text.
    pub label: Option<String>,
}

impl<'a> Segment<'a> {
    /// The whole item as one plain-text segment.
    pub fn plain(bytes: &'a [u8]) -> Self {
        Segment {
            text: Cow::Borrowed(bytes),
            path_suffix: String::new(),
            line_offset: 0,
            label: None,
        }
    }
}

/// What decoding made of an item.
#[derive(Debug)]
pub enum Decoded<'a> {
    Segments(Vec<Segment<'a>>),
    /// Binary data no decoder understands: skipped and counted.
    Binary,
}

/// Decodes one item. `path` is used only to pick a decoder by extension.
pub fn decode<'a>(_path: &str, bytes: &'a [u8]) -> Decoded<'a> {
    if is_binary(bytes) {
        return Decoded::Binary;
    }
    Decoded::Segments(vec![Segment::plain(bytes)])
}

/// A NUL byte near the start means binary, as git and ripgrep decide it.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_passes_through_borrowed() {
        let bytes = b"password = hunter2";
        match decode("a.txt", bytes) {
            Decoded::Segments(s) => {
                assert_eq!(s.len(), 1);
                assert!(matches!(s[0].text, Cow::Borrowed(_)));
            }
            Decoded::Binary => panic!("text called binary"),
        }
    }

    #[test]
    fn nul_byte_means_binary() {
        assert!(matches!(
            decode("a.bin", b"\x7fELF\x00\x01"),
            Decoded::Binary
        ));
    }
}
