//! SARIF 2.1.0 for GitHub code scanning: one run, one result per finding, one rule
//! descriptor per enabled rule (whether or not it fired, so a rule's index and description
//! are the same in every run of the same rule set), and paths relative to `%SRCROOT%`, which
//! `originalUriBaseIds` and `invocations[0].workingDirectory` pin down.
//!
//! The output is a pure function of the findings, the rules and the options (no timestamps,
//! no absolute paths under the repository, sorted rules and property bags), so the same scan
//! writes byte-identical files. Column numbers are UTF-16 code units (`columnKind`
//! `utf16CodeUnits`, GitHub's default), taken from `Location::column_utf16`.

pub mod descriptor;
pub mod help;
pub mod limits;
pub mod model;
pub mod result;
pub mod snippet;
pub mod uri;

use std::collections::BTreeMap;
use std::io::Write;

use self::descriptor::{describe, describe_unknown, effective_severity};
use self::limits::{fits_gzipped, largest_fitting, priority_order, top, Limits, Truncation};
use self::model::{
    AutomationDetails, BaseUri, Driver, Invocation, Level, Log, Message, Notification, Run, Tool,
    VersionControlDetails, SCHEMA_URI,
};
use super::context::ReportContext;
use crate::finding::Finding;
use crate::rules::Severity;

/// What the SARIF writer is asked for, beyond the findings and their context.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    pub show_secrets: bool,
    /// `--sarif-category`: keeps several keyhound jobs in one repository from replacing each
    /// other's alerts.
    pub category: Option<String>,
    pub limits: Limits,
}

/// A rendered SARIF file, and what was left out of it.
#[derive(Debug)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub truncation: Option<Truncation>,
}

/// Renders `findings` (in report order) as a SARIF file within `options.limits`.
pub fn render(findings: &[Finding], options: &SarifOptions, context: &ReportContext) -> Rendered {
    let severities: Vec<Severity> = findings
        .iter()
        .map(|f| {
            context
                .rule(&f.rule_id)
                .map_or(f.severity, effective_severity)
        })
        .collect();
    let ranked: Vec<_> = findings
        .iter()
        .zip(&severities)
        .map(|(f, s)| (*s, f.confidence))
        .collect();
    let order = priority_order(&ranked);
    let by_count = findings.len().min(options.limits.max_results);
    let render_top = |k: usize| {
        let kept = top(&order, k);
        let truncation = (k < findings.len()).then(|| {
            let mut dropped = BTreeMap::new();
            for &i in &order[k..] {
                *dropped.entry(severities[i]).or_insert(0) += 1;
            }
            Truncation {
                total: findings.len(),
                kept: k,
                dropped,
                limits: options.limits,
            }
        });
        let log = build(
            findings,
            &severities,
            &kept,
            truncation.as_ref(),
            options,
            context,
        );
        let mut bytes = serde_json::to_vec_pretty(&log).expect("SARIF model always serialises");
        bytes.push(b'\n');
        Rendered { bytes, truncation }
    };
    let rendered = render_top(by_count);
    if fits_gzipped(&rendered.bytes, options.limits.max_gzip_bytes) {
        return rendered;
    }
    // `by_count` does not fit; start the search one below it.
    let k = largest_fitting(by_count.saturating_sub(1), |k| {
        fits_gzipped(&render_top(k).bytes, options.limits.max_gzip_bytes)
    });
    render_top(k)
}

/// Writes `findings` as SARIF; returns what was left out to fit GitHub's limits.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    options: &SarifOptions,
    context: &ReportContext,
) -> std::io::Result<Option<Truncation>> {
    let rendered = render(findings, options, context);
    out.write_all(&rendered.bytes)?;
    Ok(rendered.truncation)
}

/// The SARIF log for the findings at indices `kept` (ascending).
fn build(
    findings: &[Finding],
    severities: &[Severity],
    kept: &[usize],
    truncation: Option<&Truncation>,
    options: &SarifOptions,
    context: &ReportContext,
) -> Log {
    // One descriptor per enabled rule, sorted by id, then any rule the context does not know
    // (sorted); results point at them by index.
    let mut rule_ids: Vec<&str> = context.rule_ids().collect();
    let mut unknown: Vec<&str> = kept
        .iter()
        .map(|&i| findings[i].rule_id.as_str())
        .filter(|id| context.rule(id).is_none())
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    rule_ids.extend(unknown);
    let index_of: BTreeMap<&str, usize> = rule_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let rules = rule_ids
        .iter()
        .map(|id| match context.rule(id) {
            Some(rule) => describe(rule),
            None => {
                let first = kept
                    .iter()
                    .map(|&i| &findings[i])
                    .find(|f| f.rule_id == *id)
                    .expect("every id comes from a kept finding");
                describe_unknown(first)
            }
        })
        .collect();
    let results = kept
        .iter()
        .map(|&i| {
            let f = &findings[i];
            result::result(
                f,
                index_of[f.rule_id.as_str()],
                severities[i],
                &context.src_root,
                options.show_secrets,
            )
        })
        .collect();
    let notifications = truncation
        .map(ToString::to_string)
        .into_iter()
        .chain(context.warnings.iter().cloned())
        .map(|text| Notification {
            level: Level::Warning,
            message: Message::new(text),
        })
        .collect();
    let original_uri_base_ids = context
        .root_dir
        .iter()
        .map(|dir| {
            (
                uri::SRCROOT,
                BaseUri {
                    uri: uri::directory_uri(dir),
                },
            )
        })
        .collect();
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "keyhound",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: true,
                working_directory: context.working_directory.as_deref().map(|dir| BaseUri {
                    uri: uri::directory_uri(dir),
                }),
                tool_execution_notifications: notifications,
            }],
            automation_details: options.category.as_deref().map(automation_id),
            original_uri_base_ids,
            version_control_provenance: context
                .version_control
                .iter()
                .map(|vc| VersionControlDetails {
                    repository_uri: vc.repository_uri.clone(),
                    revision_id: vc.revision_id.clone(),
                    branch: vc.branch.clone(),
                })
                .collect(),
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
}

/// GitHub reads the category as everything up to the last `/` of the id, and
/// `upload-sarif` adds a trailing `/` to its own `category` input; keyhound does the same, so
/// `--sarif-category` and the action's input name the same category.
fn automation_id(category: &str) -> AutomationDetails {
    let mut id = category.to_string();
    if !id.ends_with('/') {
        id.push('/');
    }
    AutomationDetails { id }
}
