//! Inline allow comments: a reviewed false positive is marked where it lives.
//!
//! Markers are matched as plain substrings, so they work in every comment style (`#`, `//`,
//! `--`, `/* */`, `<!-- -->`) and inside notebook JSON strings. Markers of other tools are
//! honoured so teams can migrate without touching every allow.

/// Markers that allow the line they are on.
const SAME_LINE: &[&str] = &[
    "keyhound:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
];
/// Markers that allow the line after the one they are on.
const NEXT_LINE: &[&str] = &[
    "keyhound:allow-next-line",
    "pragma: allowlist nextline secret",
];

/// True when the finding on `line` is allowed, by a marker on it or on `previous_line`.
pub fn is_allowed_inline(line: &[u8], previous_line: Option<&[u8]>) -> bool {
    let has = |hay: &[u8], needles: &[&str]| {
        needles
            .iter()
            .any(|n| memchr::memmem::find(hay, n.as_bytes()).is_some())
    };
    (has(line, SAME_LINE) && !has(line, NEXT_LINE))
        || previous_line.is_some_and(|p| has(p, NEXT_LINE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_line_markers_in_any_comment_style() {
        for line in [
            "token = 'abc' # keyhound:allow",
            "const t = 'abc'; // gitleaks:allow",
            "secret: abc  # pragma: allowlist secret",
            "<!-- keyhound:allow --> abc",
        ] {
            assert!(is_allowed_inline(line.as_bytes(), None), "{line}");
        }
        assert!(!is_allowed_inline(b"token = 'abc'", None));
    }

    #[test]
    fn next_line_markers_allow_only_the_next_line() {
        let marker = b"# pragma: allowlist nextline secret";
        assert!(is_allowed_inline(b"token = 'abc'", Some(marker)));
        assert!(!is_allowed_inline(marker, None));
        assert!(is_allowed_inline(
            b"x",
            Some(b"// keyhound:allow-next-line")
        ));
    }
}
