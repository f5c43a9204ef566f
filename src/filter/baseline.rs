//! Baselines: findings a team has accepted (to fix later, or never), suppressed by identity.
//!
//! Identity is the content fingerprint (rule id + secret, hashed), never the line: a
//! baselined secret stays suppressed when lines move or files are renamed, and a *different*
//! secret later written on a baselined line is a different fingerprint and is reported.
//!
//! The file is written for version control: entries sorted by rule then fingerprint, no
//! timestamps, no line numbers, pretty-printed one field per line, so regenerating it on an
//! unchanged tree gives the same bytes and it does not cause merge conflicts. Each entry says
//! where the secret was seen (for humans reviewing it; not part of its identity) and shows it
//! only redacted, so the file holds no raw secrets.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::finding::{redact, Finding};

/// Default baseline file name, at the repository root.
pub const DEFAULT_BASELINE_FILE: &str = ".keyhound-baseline.json";

/// The format version this build reads and writes.
const VERSION: u32 = 1;

/// A baseline: accepted findings by fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeMap<String, Entry>,
}

/// One accepted secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Hex SHA-256 of rule id and secret: the identity.
    pub fingerprint: String,
    pub rule_id: String,
    /// The secret as reports show it (a type prefix at most), so a reader can tell entries
    /// apart.
    pub redacted: String,
    /// Paths where the secret was seen when the baseline was made, sorted. Informational.
    pub seen_in: BTreeSet<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    keyhound_baseline: u32,
    findings: Vec<Entry>,
}

impl Baseline {
    /// A baseline accepting every one of `findings`.
    pub fn from_findings(findings: &[Finding]) -> Self {
        let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
        for f in findings {
            entries
                .entry(f.fingerprint.clone())
                .or_insert_with(|| Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule_id: f.rule_id.clone(),
                    redacted: redact(&f.secret),
                    seen_in: BTreeSet::new(),
                })
                .seen_in
                .insert(f.location.path.clone());
        }
        Baseline { entries }
    }

    /// Reads a baseline file; a malformed one is an error naming file, line and column.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = match crate::own_file::read_own_file(path, crate::own_file::MAX_OWN_FILE) {
            Ok(Some(text)) => text,
            Ok(None) => {
                return Err(Error::Usage(format!(
                "{}: baseline file not found (create one with `keyhound baseline create -o {}`)",
                path.display(),
                path.display()
            )))
            }
            Err(e) => return Err(Error::io(path, e)),
        };
        Baseline::parse(&text).map_err(|(line, column, message)| {
            Error::ConfigAt(vec![Diagnostic {
                file: path.display().to_string(),
                line,
                column,
                message,
            }])
        })
    }

    /// Parses baseline JSON; an error carries its 1-based line and column.
    pub fn parse(text: &str) -> Result<Self, (usize, usize, String)> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            let message = e.to_string();
            // serde_json appends " at line L column C", which the location already says.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            (
                e.line(),
                e.column(),
                format!("not a keyhound baseline: {message}"),
            )
        })?;
        if file.keyhound_baseline != VERSION {
            return Err((
                1,
                1,
                format!(
                    "baseline format version {} is not supported (this keyhound reads version {VERSION})",
                    file.keyhound_baseline
                ),
            ));
        }
        let entries = file
            .findings
            .into_iter()
            .map(|e| (e.fingerprint.clone(), e))
            .collect();
        Ok(Baseline { entries })
    }

    /// The file's text: sorted, pretty, newline-terminated, byte-identical for equal input.
    pub fn to_json(&self) -> String {
        let mut findings: Vec<Entry> = self.entries.values().cloned().collect();
        findings.sort_by(|a, b| (&a.rule_id, &a.fingerprint).cmp(&(&b.rule_id, &b.fingerprint)));
        let file = File {
            keyhound_baseline: VERSION,
            findings,
        };
        let mut text = serde_json::to_string_pretty(&file).expect("baseline serialises");
        text.push('\n');
        text
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    /// True when the finding with this fingerprint is accepted.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.entries.contains_key(fingerprint)
    }

    /// Drops accepted findings from `findings`; returns how many were dropped.
    pub fn suppress(&self, findings: &mut Vec<Finding>) -> usize {
        let before = findings.len();
        findings.retain(|f| !self.contains(&f.fingerprint));
        before - findings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use crate::rules::{Confidence, Severity};

    fn finding(rule: &str, secret: &str, path: &str, line: usize) -> Finding {
        let location = Location {
            end_byte: 1,
            ..Location::on_line(path, line, 1, 2)
        };
        Finding::new(
            rule,
            rule,
            Confidence::High,
            Severity::High,
            location,
            secret,
        )
    }

    #[test]
    fn identity_is_rule_and_secret_not_place() {
        let made = Baseline::from_findings(&[finding("r", "Qm9vLmZha2Uuc2VjcmV0", "a.env", 3)]);
        let mut later = vec![
            finding("r", "Qm9vLmZha2Uuc2VjcmV0", "moved/b.env", 40),
            finding("r", "T3RoZXIuZmFrZS5zZWNy", "a.env", 3),
        ];
        assert_eq!(made.suppress(&mut later), 1);
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].secret, "T3RoZXIuZmFrZS5zZWNy");
    }

    #[test]
    fn file_is_stable_sorted_and_holds_no_secret() {
        let a = finding("z-rule", "Qm9vLmZha2Uuc2VjcmV0", "b.env", 9);
        let b = finding("a-rule", "T3RoZXIuZmFrZS5zZWNy", "a.env", 1);
        let c = finding("z-rule", "Qm9vLmZha2Uuc2VjcmV0", "a.env", 2);
        let one = Baseline::from_findings(&[a.clone(), b.clone(), c.clone()]).to_json();
        let two = Baseline::from_findings(&[c, b, a]).to_json();
        assert_eq!(one, two);
        assert!(!one.contains("Qm9vLmZha2Uuc2VjcmV0"));
        assert!(one.find("a-rule").unwrap() < one.find("z-rule").unwrap());
        assert!(!one.contains("\"line\""));
        let parsed = Baseline::parse(&one).unwrap();
        assert_eq!(parsed.to_json(), one);
        assert_eq!(parsed.len(), 2);
    }

    #[test]
    fn malformed_files_are_located() {
        let e =
            Baseline::parse("{\n  \"keyhound_baseline\": 1,\n  \"findings\": [1]\n}").unwrap_err();
        assert_eq!((e.0, e.1), (3, 16), "{e:?}");
        assert!(!e.2.contains("at line"), "{e:?}");
        let e = Baseline::parse("{\"keyhound_baseline\": 7, \"findings\": []}").unwrap_err();
        assert!(e.2.contains("version 7"), "{e:?}");
    }
}
