//! One finding as a SARIF `result`: what was found and where, the identity GitHub tracks it
//! by, and for history findings the commit that introduced it.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::descriptor::level;
use super::model::{ArtifactLocation, Location, Message, PhysicalLocation, Region, SarifResult};
use super::snippet::line_snippet;
use super::uri::artifact_uri;
use crate::finding::short_id;
use crate::finding::Finding;
use crate::report::context::SrcRoot;
use crate::rules::Severity;

/// The `partialFingerprints` key GitHub computes and tracks alerts by.
pub const LINE_HASH_KEY: &str = "primaryLocationLineHash";
/// keyhound's own fingerprint: rule id and secret, so an alert survives the line moving.
pub const CONTENT_KEY: &str = "keyhoundFingerprint/v1";

/// Related locations listed per result; `properties.occurrences` counts them all.
const MAX_RELATED: usize = 100;

/// Builds the result for `f`, reported under rule number `rule_index` at `severity`.
pub fn result(
    f: &Finding,
    rule_index: usize,
    severity: Severity,
    src_root: &SrcRoot,
    show_secrets: bool,
) -> SarifResult {
    let l = &f.location;
    let uri = artifact_uri(&l.path, src_root);
    let region = Region {
        start_line: l.line,
        start_column: Some(l.column_utf16),
        end_line: l.end_line,
        end_column: Some(l.end_column_utf16),
        snippet: Some(Message::new(f.display_secret(show_secrets))),
    };
    // The whole line around a one-line secret; a multi-line secret's region says enough.
    let context_region = (l.end_line == l.line)
        .then(|| line_snippet(f, show_secrets))
        .flatten()
        .map(|line| Region {
            start_line: l.line,
            start_column: None,
            end_line: l.line,
            end_column: None,
            snippet: Some(Message::new(line)),
        });
    let mut partial_fingerprints = BTreeMap::new();
    if let Some(hash) = &f.line_hash {
        partial_fingerprints.insert(LINE_HASH_KEY.to_string(), hash.clone());
    }
    partial_fingerprints.insert(CONTENT_KEY.to_string(), f.fingerprint.clone());
    SarifResult {
        rule_id: f.rule_id.clone(),
        rule_index,
        level: level(severity),
        message: Message::new(message(f, show_secrets)),
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.uri,
                    uri_base_id: uri.base,
                },
                region,
                context_region,
            },
            message: None,
        }],
        related_locations: related_locations(f, src_root),
        partial_fingerprints,
        properties: properties(f),
    }
}

/// The other places a history secret was seen, at most [`MAX_RELATED`]. Lines only:
/// occurrence columns count characters, not the UTF-16 units the run declares.
fn related_locations(f: &Finding, src_root: &SrcRoot) -> Vec<Location> {
    let Some(p) = &f.provenance else {
        return Vec::new();
    };
    p.occurrences
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(id, o)| {
            let uri = artifact_uri(&o.path, src_root);
            let mut text = String::from("The same secret");
            if let Some(commit) = &o.commit {
                text.push_str(&format!(" in commit {}", short_id(commit)));
            }
            text.push_str(&format!(" (blob {})", short_id(&o.blob)));
            text.push('.');
            Location {
                id: Some(id + 1),
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri.uri,
                        uri_base_id: uri.base,
                    },
                    region: Region {
                        start_line: o.line.max(1),
                        start_column: None,
                        end_line: o.line.max(1),
                        end_column: None,
                        snippet: None,
                    },
                    context_region: None,
                },
                message: Some(Message::new(text)),
            }
        })
        .collect()
}

/// What was found and where, with the secret as the report may show it; for history, the
/// commit that introduced it.
fn message(f: &Finding, show_secrets: bool) -> String {
    let l = &f.location;
    let mut text = format!(
        "{} {} in {} at line {}, column {}",
        f.rule_name,
        f.display_secret(show_secrets),
        l.path,
        l.line,
        l.column
    );
    if let Some(p) = &f.provenance {
        match &p.commit {
            Some(commit) if p.unreachable => text.push_str(&format!(
                ", in commit {} (no ref reaches it)",
                short_id(commit)
            )),
            Some(commit) => text.push_str(&format!(", introduced in commit {}", short_id(commit))),
            // A blob no commit reaches (a ref that points at a tree or blob).
            None => text.push_str(&format!(", in blob {}", short_id(&p.blob))),
        }
        if !p.author_name.is_empty() {
            text.push_str(&format!(" by {}", p.author_name));
        }
        if !p.date.is_empty() {
            text.push_str(&format!(" on {}", p.date));
        }
        if !p.summary.is_empty() {
            text.push_str(&format!(" (\"{}\")", p.summary));
        }
        match p.occurrences.len() {
            0 => {}
            1 => text.push_str("; also seen in 1 other place"),
            n => text.push_str(&format!("; also seen in {n} other places")),
        }
    }
    text.push('.');
    text
}

/// Confidence, what validators derived, and the introducing commit of a history finding.
fn properties(f: &Finding) -> BTreeMap<String, Value> {
    let mut props = BTreeMap::new();
    props.insert("confidence".to_string(), json!(f.confidence));
    if !f.metadata.is_empty() {
        props.insert("metadata".to_string(), json!(f.metadata));
    }
    if let Some(p) = &f.provenance {
        let commit = p.commit.map(|c| c.to_string()).unwrap_or_default();
        let blob = p.blob.to_string();
        let fields = [
            ("commit", &commit),
            ("blob", &blob),
            ("author", &p.author_name),
            ("authorEmail", &p.author_email),
            ("date", &p.date),
            ("commitSummary", &p.summary),
        ];
        for (key, value) in fields {
            if !value.is_empty() {
                props.insert(key.to_string(), json!(value));
            }
        }
        if !p.occurrences.is_empty() {
            props.insert("occurrences".to_string(), json!(p.occurrences.len()));
        }
        if p.unreachable {
            props.insert("unreachable".to_string(), json!(true));
        }
    }
    if let Some(verified) = &f.verified {
        props.insert(
            "verified".to_string(),
            crate::report::json::verified_record(verified),
        );
    }
    props
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Location, Provenance};
    use crate::rules::Confidence;

    const SECRET: &str = "Qx7Lm2Vb9Tr4Wn8Kp3Zs6Hd"; // keyhound:allow

    fn finding(provenance: Option<Provenance>) -> Finding {
        // Columns differ by unit here (a non-BMP character earlier on the line).
        let location = Location {
            column_utf16: 6,
            end_column_utf16: 29,
            ..Location::on_line("a b/c.txt", 3, 5, 28)
        };
        Finding {
            line_text: format!("k = {SECRET}"),
            fingerprint: "f".repeat(64),
            line_hash: Some("abc:1".into()),
            provenance,
            ..Finding::new(
                "r",
                "Some token",
                Confidence::High,
                Severity::High,
                location,
                SECRET,
            )
        }
    }

    #[test]
    fn message_names_what_and_where_redacted() {
        let r = result(&finding(None), 0, Severity::High, &SrcRoot::Given, false);
        assert_eq!(
            r.message.text,
            "Some token Qx7L…[23 chars redacted] in a b/c.txt at line 3, column 5."
        );
        assert_eq!(r.partial_fingerprints[LINE_HASH_KEY], "abc:1");
        let region = &r.locations[0].physical_location.region;
        assert_eq!(
            (region.start_column, region.end_column),
            (Some(6), Some(29))
        );
        assert!(!r.properties.contains_key("commit"));
    }

    #[test]
    fn history_message_names_the_commit_or_the_blob() {
        let oid = |hex: &str| git2::Oid::from_str(hex).unwrap();
        let p = Provenance {
            commit: Some(oid("0123456789abcdef0123456789abcdef01234567")),
            blob: oid("fedcba9876543210fedcba9876543210fedcba98"),
            author_name: "Ana".into(),
            author_email: "ana@example.test".into(),
            date: "2024-01-02T03:04:05Z".into(),
            summary: "Add config".into(),
            unreachable: false,
            occurrences: Vec::new(),
        };
        let r = result(
            &finding(Some(p.clone())),
            0,
            Severity::High,
            &SrcRoot::Given,
            false,
        );
        assert!(r.message.text.ends_with(
            ", introduced in commit 0123456789ab by Ana on 2024-01-02T03:04:05Z (\"Add config\")."
        ));
        assert_eq!(r.properties["blob"], p.blob.to_string().as_str());
        let orphan = Provenance { commit: None, ..p };
        let r = result(
            &finding(Some(orphan)),
            0,
            Severity::High,
            &SrcRoot::Given,
            false,
        );
        assert!(
            r.message.text.contains(", in blob fedcba987654"),
            "{}",
            r.message.text
        );
        assert!(!r.properties.contains_key("commit"));
    }
}
