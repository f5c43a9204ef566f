//! Reports: findings to text, JSON or JSONL (and SARIF, which builds on the same records).
//!
//! Reports go to stdout or `-o FILE`; logs and progress go to stderr, so a report can always
//! be piped. Findings arrive sorted, so whole-document formats are deterministic.

pub mod json;
pub mod text;

use std::io::Write;

use crate::finding::Finding;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, one block per finding.
    Text,
    /// One JSON array of findings.
    Json,
    /// One JSON object per line, for streaming into other tools.
    Jsonl,
}

/// What a report may show and how.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions {
    pub format: Format,
    pub show_secrets: bool,
    /// ANSI colour (text only; on when writing to a terminal).
    pub color: bool,
}

/// Writes `findings` (already sorted) in the chosen format.
pub fn write_report(
    out: &mut dyn Write,
    findings: &[Finding],
    options: &ReportOptions,
) -> std::io::Result<()> {
    match options.format {
        Format::Text => text::write(out, findings, options),
        Format::Json => json::write_array(out, findings, options.show_secrets),
        Format::Jsonl => json::write_lines(out, findings, options.show_secrets),
    }
}
