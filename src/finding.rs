//! A finding: one secret at one place, with the identity that baselines and SARIF track.

use std::collections::BTreeMap;

use git2::Oid;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::item::Origin;
use crate::rules::{Confidence, Severity};

/// Where a finding sits. Lines and columns are 1-based; `column`/`end_column` count Unicode
/// scalar values and the `_utf16` twins count UTF-16 code units (what SARIF consumers such as
/// GitHub expect by default), so non-ASCII lines are located correctly either way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Display path: relative to the scan root where possible, forward slashes, `-` for stdin.
    /// An archive member is `archive.zip!inner/path`.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(skip)]
    pub column_utf16: usize,
    #[serde(skip)]
    pub end_column_utf16: usize,
    /// Byte range of the secret within the scanned item (after decoding, if a decoder ran).
    pub start_byte: usize,
    pub end_byte: usize,
}

/// Where a history finding came from: the commit that first introduced the blob. Built once,
/// after the scan, from the finding's [`Origin`] and the commit's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The commit; `None` when the blob is reachable only from a ref that points at a tree
    /// or blob (then `summary` names the ref). Serialised as hex, `""` for `None`.
    #[serde(serialize_with = "hex_or_empty")]
    pub commit: Option<Oid>,
    #[serde(serialize_with = "oid_hex")]
    pub blob: Oid,
    pub author_name: String,
    pub author_email: String,
    /// RFC 3339 author date.
    pub date: String,
    pub summary: String,
    /// No ref reaches the blob (`history --all-objects`): it lives only in this clone's object
    /// database (force-pushed, amended, a pull request's objects), and in every clone that
    /// fetched it.
    #[serde(skip_serializing_if = "is_false")]
    pub unreachable: bool,
    /// Every other place the same secret (same fingerprint) was seen: other blobs, and with
    /// `--all-provenance` every commit and path that introduced one of them. History reports
    /// one finding per secret so it is reviewed once; this keeps every place visible.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub occurrences: Vec<Occurrence>,
}

/// One more place a secret was seen in history.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Occurrence {
    #[serde(serialize_with = "hex_or_empty")]
    pub commit: Option<Oid>,
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(serialize_with = "oid_hex")]
    pub blob: Oid,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A commit id as reports write it: hex, or `""` when there is none.
fn hex_or_empty<S: serde::Serializer>(oid: &Option<Oid>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&oid.map(|o| o.to_string()).unwrap_or_default())
}

fn oid_hex<S: serde::Serializer>(oid: &Oid, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(oid)
}

/// The first 12 hex digits of an id, as reports abbreviate commits and blobs.
pub fn short_id(oid: &Oid) -> String {
    oid.to_string()[..12].to_string()
}

impl Location {
    /// A location within one line of ASCII text: columns count the same in every unit, and
    /// the byte range is unknown (0..0). For findings built outside a scan (tests, benches).
    pub fn on_line(path: impl Into<String>, line: usize, column: usize, end_column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            end_line: line,
            end_column,
            column_utf16: column,
            end_column_utf16: end_column,
            start_byte: 0,
            end_byte: 0,
        }
    }
}

/// One reported secret.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub confidence: Confidence,
    pub severity: Severity,
    pub location: Location,
    /// The raw secret. Never serialised directly: reports call [`Finding::display_secret`].
    #[serde(skip)]
    pub secret: String,
    /// The line holding the secret (its first line, for a secret spanning several), raw;
    /// reports redact it. Scans keep an excerpt of at most [`LINE_CONTEXT_BYTES`] on each
    /// side of the secret, so a finding on a megabyte-long line does not copy the line.
    #[serde(skip)]
    pub line_text: String,
    /// Where in `line_text` the secret starts (bytes), when the scan knew it; otherwise the
    /// column says (findings built outside a scan).
    #[serde(skip)]
    pub line_secret_at: Option<usize>,
    /// Byte ranges within `line_text` of the other secrets found on that line, which every
    /// rendering of the line redacts along with this one (an AWS key id beside its secret).
    #[serde(skip)]
    pub line_others: Vec<std::ops::Range<usize>>,
    /// Whether `line_text` was cut from a longer line before and after the secret.
    #[serde(skip)]
    pub line_cut: (bool, bool),
    /// Hex SHA-256 of rule id and secret: survives line moves, renames and rebases.
    pub fingerprint: String,
    /// GitHub's `primaryLocationLineHash` for the finding's line, computed at scan time from
    /// the item's raw bytes (see `report::line_hash`); `None` where the line is not a line
    /// of a file GitHub could read (an archive member).
    #[serde(skip)]
    pub line_hash: Option<String>,
    /// Facts a rule or validator derived (AWS account id, checksum verdict, notebook cell,
    /// the paired key id, ...). Sorted so output is deterministic.
    pub metadata: BTreeMap<String, String>,
    pub provenance: Option<Provenance>,
    /// Where the scanned bytes came from (the item, or the archive member inside it). Not
    /// serialised: reports show `location.path` and `provenance`, derived from it.
    #[serde(skip)]
    pub origin: Origin,
    /// What a verifier needs besides the secret, gathered at scan time only for rules
    /// whose verifier asks and only when the run verifies: (`aws-access-key-id`, the raw
    /// key id), (`document`, the text around a key file's match), (`host`, a workspace).
    /// Raw secrets: never serialised, never shown.
    #[serde(skip)]
    pub companions: Vec<(String, String)>,
    /// The provider's answer, with `--verify`.
    #[serde(skip)]
    pub verified: Option<crate::verify::Outcome>,
}

impl Finding {
    /// A finding of rule `rule_id` for `secret` at `location`. The fingerprint is derived
    /// here, never passed in, so it cannot disagree with the rule and secret it stands for.
    /// Line text, line hash, metadata and provenance start empty; the origin is the file the
    /// location names (scans replace it with the item's real origin).
    pub fn new(
        rule_id: impl Into<String>,
        rule_name: impl Into<String>,
        confidence: Confidence,
        severity: Severity,
        location: Location,
        secret: impl Into<String>,
    ) -> Self {
        let rule_id = rule_id.into();
        let secret = secret.into();
        let origin = Origin::File {
            display: location.path.clone(),
            relative: location.path.clone(),
        };
        Finding {
            origin,
            fingerprint: fingerprint(&rule_id, &secret),
            rule_id,
            rule_name: rule_name.into(),
            confidence,
            severity,
            location,
            secret,
            line_text: String::new(),
            line_secret_at: None,
            line_others: Vec::new(),
            line_cut: (false, false),
            line_hash: None,
            metadata: BTreeMap::new(),
            provenance: None,
            companions: Vec::new(),
            verified: None,
        }
    }

    /// The secret as a report may show it.
    pub fn display_secret(&self, show_secrets: bool) -> String {
        if show_secrets {
            self.secret.clone()
        } else {
            redact(&self.secret)
        }
    }

    /// The line around the secret as a report may show it: every secret found on the line
    /// redacted (unless `show_secrets`), at most [`LINE_CONTEXT_CHARS`] characters kept on
    /// each side, cuts marked with `…`; `None` when the line is not known. Built from the
    /// text around the secret rather than by search-and-replace, so no part of the secret
    /// leaks even when only its first line is on the line (a PEM block whose base64 starts
    /// on the `BEGIN` line).
    pub fn display_line(&self, show_secrets: bool) -> Option<String> {
        let line = &self.line_text;
        if line.is_empty() || self.secret.is_empty() {
            return None;
        }
        let first_part = self.secret.split('\n').next().unwrap_or_default();
        let first_part = first_part.strip_suffix('\r').unwrap_or(first_part);
        let single_line = first_part.len() == self.secret.len();
        let at = self.line_secret_at.unwrap_or_else(|| {
            line.chars()
                .take(self.location.column.saturating_sub(1))
                .map(char::len_utf8)
                .sum()
        });
        let holds_secret = line.is_char_boundary(at)
            && line[at..].starts_with(first_part)
            && !first_part.is_empty();
        if !holds_secret {
            // The line does not hold the secret where the finding says (a decoder mapped
            // it): show the secret alone rather than guess.
            return Some(self.display_secret(show_secrets));
        }
        let after = at + first_part.len();
        let (prefix, suffix) = (&line[..at], if single_line { &line[after..] } else { "" });
        let (prefix, shown, suffix) = if show_secrets {
            (
                prefix.to_string(),
                first_part.to_string(),
                suffix.to_string(),
            )
        } else {
            let redacted = redact(&self.secret);
            // The same secret twice on one line, and every other secret found on it.
            let prefix =
                redact_ranges(prefix, 0, &self.line_others).replace(&self.secret, &redacted);
            let suffix =
                redact_ranges(suffix, after, &self.line_others).replace(&self.secret, &redacted);
            (prefix, redacted, suffix)
        };
        Some(format!(
            "{}{shown}{}",
            tail(&prefix, self.line_cut.0),
            head(&suffix, self.line_cut.1 && single_line)
        ))
    }
}

/// Characters of the line kept on each side of a secret when a line is shown.
pub const LINE_CONTEXT_CHARS: usize = 80;
/// Bytes of the line a scan keeps on each side of a secret (enough for
/// [`LINE_CONTEXT_CHARS`] characters of any width).
pub const LINE_CONTEXT_BYTES: usize = 4 * LINE_CONTEXT_CHARS;

/// The last [`LINE_CONTEXT_CHARS`] characters, marked when cut (or when `cut` already).
fn tail(text: &str, cut: bool) -> String {
    let count = text.chars().count();
    if count <= LINE_CONTEXT_CHARS && !cut {
        return text.to_string();
    }
    let kept: String = text
        .chars()
        .skip(count.saturating_sub(LINE_CONTEXT_CHARS))
        .collect();
    format!("…{kept}")
}

/// The first [`LINE_CONTEXT_CHARS`] characters, marked when cut (or when `cut` already).
fn head(text: &str, cut: bool) -> String {
    let count = text.chars().count();
    if count <= LINE_CONTEXT_CHARS && !cut {
        return text.to_string();
    }
    let kept: String = text.chars().take(LINE_CONTEXT_CHARS).collect();
    format!("{kept}…")
}

/// `text` (which starts at byte `base` of the line) with each of `ranges` (line bytes)
/// that falls in it redacted; ranges are widened to character boundaries.
pub fn redact_ranges(text: &str, base: usize, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for r in ranges {
        let mut start = r.start.saturating_sub(base).clamp(pos, text.len());
        let mut end = r.end.saturating_sub(base).min(text.len());
        if r.end <= base || end <= start {
            continue;
        }
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let start = start.max(pos);
        out.push_str(&text[pos..start]);
        out.push_str(&redact(&text[start..end]));
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The content fingerprint: a hash of the rule id and the secret, not of where it is.
pub fn fingerprint(rule_id: &str, secret: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update([0u8]);
    hasher.update(secret.as_bytes());
    hex(&hasher.finalize())
}

/// Hex SHA-256 of the secret alone (for baselines and allowlists that must not store it).
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Redacts a secret for display. Long secrets keep a short prefix, which for most tokens is
/// the public type marker (`ghp_`, `hf_`, `AKIA`) and lets a reader tell findings apart;
/// short ones (passwords) keep nothing, since a few characters of a short secret matter.
pub fn redact(secret: &str) -> String {
    let chars = secret.chars().count();
    let keep = match chars {
        0..=11 => 0,
        12..=19 => 2,
        _ => 4,
    };
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}…[{chars} chars redacted]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_depends_on_rule_and_secret_only() {
        let a = fingerprint("rule-a", "s3cr3t");
        assert_eq!(a, fingerprint("rule-a", "s3cr3t"));
        assert_ne!(a, fingerprint("rule-b", "s3cr3t"));
        assert_ne!(a, fingerprint("rule-a", "s3cr3t2"));
        // The separator keeps ("ab","c") and ("a","bc") apart.
        assert_ne!(fingerprint("ab", "c"), fingerprint("a", "bc"));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn redaction_never_shows_short_secrets() {
        assert_eq!(redact("hunter2x"), "…[8 chars redacted]");
        let r = redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
        assert!(r.starts_with("ghp_…"));
        assert!(!r.contains("abcdef"));
    }

    #[test]
    fn display_line_redacts_every_occurrence() {
        let f = Finding {
            line_text: "a=Zx9Qw8Er7Ty6Ui5Op4As b=Zx9Qw8Er7Ty6Ui5Op4As".into(), // keyhound:allow
            ..Finding::new(
                "r",
                "R",
                Confidence::High,
                Severity::High,
                Location::on_line("a", 1, 3, 23),
                "Zx9Qw8Er7Ty6Ui5Op4As", // keyhound:allow
            )
        };
        let shown = f.display_line(false).unwrap();
        assert!(!shown.contains("Zx9Qw8Er7Ty6Ui5Op4As"), "{shown}");
        assert!(f
            .display_line(true)
            .unwrap()
            .contains("Zx9Qw8Er7Ty6Ui5Op4As"));
    }
}
