//! Reports: findings to text, JSON, JSONL or SARIF.
//!
//! A report is written to any `Write`; where it goes (stdout, `-o FILE`) is the caller's
//! business, and nothing here prints: what a reader must be told about the report (results
//! left out) comes back as warnings. Findings arrive sorted, so whole-document formats are
//! deterministic.

pub mod context;
pub mod html;
pub mod json;
pub mod line_hash;
pub mod sarif;
pub mod text;
pub mod workspace;

use std::io::Write;

pub use context::{ReportContext, SrcRoot, VersionControl};

use crate::finding::Finding;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Human-readable, one block per finding.
    Text,
    /// One JSON array of findings.
    Json,
    /// One JSON object per line, for streaming into other tools.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// One self-contained HTML audit report.
    Html,
}

/// What a report may show and how.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub format: Format,
    pub show_secrets: bool,
    /// ANSI colour (text only; on when writing to a terminal).
    pub color: bool,
    /// SARIF `automationDetails.id` (`--sarif-category`).
    pub sarif_category: Option<String>,
}

/// Writes `findings` (already sorted) in the chosen format. `context` carries the rules
/// (SARIF describes each one that has results) and where the repository root is. Returns
/// what the reader must be told whatever `--quiet` says (results a SARIF file had to leave
/// out), one line each.
pub fn write_report(
    out: &mut dyn Write,
    findings: &[Finding],
    options: &ReportOptions,
    context: &ReportContext,
) -> std::io::Result<Vec<String>> {
    match options.format {
        Format::Text => text::write(out, findings, options).map(|_| Vec::new()),
        Format::Json => json::write_array(out, findings, options.show_secrets).map(|_| Vec::new()),
        Format::Jsonl => json::write_lines(out, findings, options.show_secrets).map(|_| Vec::new()),
        Format::Html => {
            html::write(out, findings, options.show_secrets, context).map(|_| Vec::new())
        }
        Format::Sarif => {
            let sarif_options = sarif::SarifOptions {
                show_secrets: options.show_secrets,
                category: options.sarif_category.clone(),
                limits: sarif::limits::Limits::default(),
            };
            let truncation = sarif::write(out, findings, &sarif_options, context)?;
            // A report that silently lacks results would be read as complete.
            let kept = truncation.as_ref().map_or(findings.len(), |t| t.kept);
            let mut warnings = Vec::new();
            if let Some(t) = truncation {
                warnings.push(format!("warning: {t}"));
            }
            if kept > sarif::limits::GITHUB_SHOWN_RESULTS {
                warnings.push(format!(
                    "note: GitHub shows only the {} most severe of a run's {kept} results",
                    sarif::limits::GITHUB_SHOWN_RESULTS
                ));
            }
            Ok(warnings)
        }
    }
}
