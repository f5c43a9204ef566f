//! Where a value sits in a TOML file, so config errors can say `file:line:column`.
//!
//! serde gives spans only for syntax and type errors. Errors found after parsing (a regex that
//! does not compile, an unknown rule id, a custom rule whose example fails) are raised against
//! a key path such as `rule[2].examples[0]`; this module re-reads the text with `toml_edit`,
//! which keeps every item's byte span, and turns the path into a position.

use std::fmt;
use std::ops::Range;

use toml_edit::{ImDocument, Item};

use crate::text::LineIndex;

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Name(String),
    Index(usize),
}

/// A path to a value in a TOML document, e.g. `allowlist.secret_regexes[1]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Key>);

impl KeyPath {
    pub fn new() -> Self {
        KeyPath(Vec::new())
    }

    /// This path extended by a table key.
    pub fn key(&self, name: &str) -> Self {
        let mut path = self.clone();
        path.0.push(Key::Name(name.to_string()));
        path
    }

    /// This path extended by an array index.
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.0.push(Key::Index(index));
        path
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, key) in self.0.iter().enumerate() {
            match key {
                Key::Name(name) if i == 0 => write!(f, "{name}")?,
                Key::Name(name) => write!(f, ".{name}")?,
                Key::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// The byte span of the value at `path`, or of its nearest ancestor that has one (a table
/// header when the value itself is missing).
pub fn locate(text: &str, path: &KeyPath) -> Option<Range<usize>> {
    let doc = ImDocument::parse(text).ok()?;
    let mut item: &Item = doc.as_item();
    let mut best = None;
    for key in &path.0 {
        let next = match key {
            Key::Name(name) => item.get(name.as_str()),
            Key::Index(index) => item.get(*index),
        };
        match next {
            Some(next) => {
                item = next;
                if let Some(span) = item.span() {
                    best = Some(span);
                }
            }
            None => break,
        }
    }
    best
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let position = LineIndex::new(text.as_bytes()).position(text.as_bytes(), offset);
    (position.line, position.column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "disabled_rules = [\"a\", \"b\"]\n\n[allowlist]\nsecret_regexes = ['''ok''', '''(bad''']\n\n[[rule]]\nid = \"x\"\n\n[[rule]]\nid = \"y\"\nexamples = [\"e0\", \"e1\"]\n";

    fn at(path: &KeyPath) -> (usize, usize) {
        let span = locate(TEXT, path).expect("located");
        line_column(TEXT, span.start)
    }

    #[test]
    fn locates_array_elements_and_nested_keys() {
        let root = KeyPath::new();
        assert_eq!(at(&root.key("disabled_rules").index(1)), (1, 24));
        assert_eq!(
            at(&root.key("allowlist").key("secret_regexes").index(1)),
            (4, 29)
        );
        assert_eq!(at(&root.key("rule").index(1).key("id")), (10, 6));
        assert_eq!(
            at(&root.key("rule").index(1).key("examples").index(1)),
            (11, 19)
        );
    }

    #[test]
    fn falls_back_to_the_nearest_located_ancestor() {
        let path = KeyPath::new().key("rule").index(0).key("regex");
        let (line, _) = at(&path);
        assert!((6..=7).contains(&line), "line {line}");
    }

    #[test]
    fn displays_paths_as_written() {
        let path = KeyPath::new().key("rule").index(2).key("examples").index(0);
        assert_eq!(path.to_string(), "rule[2].examples[0]");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("é = 1\nab", 7), (2, 1));
        assert_eq!(line_column("é = 1", 2), (1, 2));
    }
}
