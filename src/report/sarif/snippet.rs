//! The line around a finding, as a snippet a report may carry: the secret redacted (unless
//! `--show-secrets`) and the line cut short around it, so a minified megabyte-long line does
//! not end up in the file GitHub has to accept.

use crate::finding::{redact, Finding};

/// Characters of context kept on each side of the secret.
const CONTEXT_CHARS: usize = 80;

/// The finding's line with the secret shown as a report may show it, or `None` when the line
/// is not known. Built from the text around the secret rather than by search-and-replace, so
/// no part of the secret leaks even when only its first line is on the line (a PEM block).
pub fn line_snippet(f: &Finding, show_secrets: bool) -> Option<String> {
    if f.line_text.is_empty() || f.secret.is_empty() {
        return None;
    }
    let first_part = f.secret.split('\n').next().unwrap_or_default();
    let first_part = first_part.strip_suffix('\r').unwrap_or(first_part);
    let single_line = first_part.len() == f.secret.len();
    let split = f
        .line_text
        .chars()
        .take(f.location.column.saturating_sub(1));
    let prefix_len: usize = split.map(char::len_utf8).sum();
    let (prefix, rest) = f.line_text.split_at(prefix_len);
    let Some(after) = rest.strip_prefix(first_part) else {
        // The line does not hold the secret where the location says (a decoder mapped it):
        // show the secret alone rather than guess.
        return Some(f.display_secret(show_secrets));
    };
    let suffix = if single_line { after } else { "" };
    let shown = if show_secrets {
        first_part.to_string()
    } else {
        redact(&f.secret)
    };
    let (mut prefix, mut suffix) = (tail(prefix), head(suffix));
    if !show_secrets {
        // The same secret twice on one line.
        let redacted = redact(&f.secret);
        prefix = prefix.replace(&f.secret, &redacted);
        suffix = suffix.replace(&f.secret, &redacted);
    }
    Some(format!("{prefix}{shown}{suffix}"))
}

/// The last [`CONTEXT_CHARS`] characters, marked when cut.
fn tail(text: &str) -> String {
    let count = text.chars().count();
    if count <= CONTEXT_CHARS {
        return text.to_string();
    }
    let kept: String = text.chars().skip(count - CONTEXT_CHARS).collect();
    format!("…{kept}")
}

/// The first [`CONTEXT_CHARS`] characters, marked when cut.
fn head(text: &str) -> String {
    if text.chars().count() <= CONTEXT_CHARS {
        return text.to_string();
    }
    let kept: String = text.chars().take(CONTEXT_CHARS).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::rules::{Confidence, Severity};

    const SECRET: &str = "Zq8Wm3Xr7Tp2Lk9Vb4Nc6Hd1"; // keyhound:allow

    fn finding(line: &str, column: usize, secret: &str) -> Finding {
        Finding {
            line_text: line.into(),
            ..Finding::new(
                "r",
                "R",
                Confidence::High,
                Severity::High,
                Location::on_line("a", 1, column, column),
                secret,
            )
        }
    }

    #[test]
    fn redacts_every_occurrence_and_keeps_context() {
        let line = format!("ключ = \"{SECRET}\" # again {SECRET}");
        let f = finding(&line, 9, SECRET);
        let s = line_snippet(&f, false).unwrap();
        assert!(!s.contains(SECRET), "{s}");
        assert!(s.starts_with("ключ = \"Zq8W…[24 chars redacted]\""), "{s}");
        assert_eq!(line_snippet(&f, true).unwrap(), line);
    }

    #[test]
    fn multi_line_secret_shows_only_redacted_start() {
        let pem = "-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----";
        let f = finding("key = -----BEGIN KEY-----", 7, pem);
        let s = line_snippet(&f, false).unwrap();
        assert!(s.starts_with("key = ----…["), "{s}");
        assert!(!s.contains("BEGIN KEY"));
    }

    #[test]
    fn long_lines_are_cut_around_the_secret() {
        let line = format!("{}{SECRET}{}", "x".repeat(5000), "y".repeat(5000));
        let f = finding(&line, 5001, SECRET);
        let s = line_snippet(&f, false).unwrap();
        assert!(s.chars().count() < 2 * CONTEXT_CHARS + 40, "{}", s.len());
        assert!(s.starts_with('…') && s.ends_with('…'));
    }

    #[test]
    fn a_misplaced_column_never_leaks() {
        let f = finding(&format!("zz {SECRET}"), 1, SECRET);
        assert_eq!(line_snippet(&f, false).unwrap(), redact(SECRET));
    }
}
