//! JSON and JSONL: one record per finding, stable field names for machines.

use std::io::Write;

use serde_json::{json, Value};

use crate::finding::Finding;

/// The JSON record of one finding. The secret is redacted unless `show_secrets`.
pub fn record(f: &Finding, show_secrets: bool) -> Value {
    let l = &f.location;
    let mut v = json!({
        "rule_id": f.rule_id,
        "rule_name": f.rule_name,
        "confidence": f.confidence,
        "severity": f.severity,
        "path": l.path,
        "line": l.line,
        "column": l.column,
        "end_line": l.end_line,
        "end_column": l.end_column,
        "secret": f.display_secret(show_secrets),
        "fingerprint": f.fingerprint,
        "metadata": f.metadata,
    });
    if let Some(p) = &f.provenance {
        v["provenance"] = json!(p);
    }
    v
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
