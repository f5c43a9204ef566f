//! JSON and JSONL: one record per finding, stable field names for machines.
//!
//! The record is a contract: `schema/findings.schema.json` (also `keyhound schema`) lists
//! every field with its unit, and the tests validate real output against it. Each record
//! carries [`SCHEMA_VERSION`]; fields may be added within a version, and anything else
//! (a removal, a change of meaning or unit) bumps it.

use std::io::Write;

use serde_json::{json, Value};

use crate::finding::Finding;

/// The version of the record format, written in every record as `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

/// The JSON Schema of one record (draft-07).
pub const SCHEMA: &str = include_str!("../../schema/findings.schema.json");

/// The JSON record of one finding. The secret is redacted unless `show_secrets`.
pub fn record(f: &Finding, show_secrets: bool) -> Value {
    let l = &f.location;
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "confidence": f.confidence,
        "severity": f.severity,
        "path": l.path,
        "line": l.line,
        "column": l.column,
        "end_line": l.end_line,
        "end_column": l.end_column,
        "start_byte": l.start_byte,
        "end_byte": l.end_byte,
        "secret": f.display_secret(show_secrets),
        "fingerprint": f.fingerprint,
        "metadata": f.metadata,
    });
    if let Some(p) = &f.provenance {
        v["provenance"] = json!(p);
    }
    if let Some(verified) = &f.verified {
        v["verified"] = verified_record(verified);
    }
    v
}

/// A verification result as JSON and SARIF write it: `{status, reason, reach}`.
pub fn verified_record(outcome: &crate::verify::Outcome) -> Value {
    let reach: serde_json::Map<String, Value> = outcome
        .reach
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "status": outcome.liveness,
        "reason": outcome.reason,
        "reach": reach,
    })
}

pub fn write_array(out: &mut dyn Write, findings: &[Finding], show: bool) -> std::io::Result<()> {
    let records: Vec<Value> = findings.iter().map(|f| record(f, show)).collect();
    serde_json::to_writer_pretty(&mut *out, &records)?;
    writeln!(out)
}

pub fn write_lines(out: &mut dyn Write, findings: &[Finding], show: bool) -> std::io::Result<()> {
    for f in findings {
        serde_json::to_writer(&mut *out, &record(f, show))?;
        writeln!(out)?;
    }
    Ok(())
}
