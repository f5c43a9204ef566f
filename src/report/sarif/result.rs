//! One finding as a SARIF `result`: what was found and where, the identity GitHub tracks it
//! by, and for history findings the commit that introduced it.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::descriptor::level;
use super::model::{ArtifactLocation, Location, Message, PhysicalLocation, Region, SarifResult};
use super::snippet::line_snippet;
use super::uri::artifact_uri;
use crate::finding::Finding;
use crate::report::context::SrcRoot;
use crate::rules::Severity;

/// The `partialFingerprints` key GitHub computes and tracks alerts by.
pub const LINE_HASH_KEY: &str = "primaryLocationLineHash";
/// keyhound's own fingerprint: rule id and secret, so an alert survives the line moving.
pub const CONTENT_KEY: &str = "keyhoundFingerprint/v1";

/// Characters of a commit id a message shows (the properties carry all of it).
const SHORT_COMMIT: usize = 12;

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
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.uri,
                    uri_base_id: uri.base,
                },
                region,
                context_region,
            },
        }],
        partial_fingerprints,
        properties: properties(f),
    }
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
        let short: String = p.commit.chars().take(SHORT_COMMIT).collect();
        text.push_str(&format!(", introduced in commit {short}"));
        if !p.author_name.is_empty() {
            text.push_str(&format!(" by {}", p.author_name));
        }
        if !p.date.is_empty() {
            text.push_str(&format!(" on {}", p.date));
        }
        if !p.summary.is_empty() {
            text.push_str(&format!(" (\"{}\")", p.summary));
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
        props.insert("commit".to_string(), json!(p.commit));
        props.insert("blob".to_string(), json!(p.blob));
        props.insert("author".to_string(), json!(p.author_name));
        props.insert("authorEmail".to_string(), json!(p.author_email));
        props.insert("date".to_string(), json!(p.date));
        props.insert("commitSummary".to_string(), json!(p.summary));
    }
    props
}
