//! The line around a finding, as a snippet a report may carry: the secret redacted (unless
//! `--show-secrets`) and the line cut short around it, so a minified megabyte-long line does
//! not end up in the file GitHub has to accept.

use crate::finding::Finding;
#[cfg(test)]
use crate::finding::{redact, LINE_CONTEXT_CHARS as CONTEXT_CHARS};

/// The finding's line with every secret on it shown as a report may show it, cut short
/// around the secret, or `None` when the line is not known (see [`Finding::display_line`]).
pub fn line_snippet(f: &Finding, show_secrets: bool) -> Option<String> {
    f.display_line(show_secrets)
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
