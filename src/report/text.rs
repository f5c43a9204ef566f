//! The human report: readable at a glance, colour only on a terminal.

use std::io::Write;

use super::ReportOptions;
use crate::finding::short_id;
use crate::finding::Finding;
use crate::rules::Severity;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
    }
}

pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    options: &ReportOptions,
) -> std::io::Result<()> {
    let paint = |code: &'static str| if options.color { code } else { "" };
    for f in findings {
        let l = &f.location;
        writeln!(
            out,
            "{}{}:{}:{}{}  {}{:?}{}  {} ({})",
            paint(BOLD),
            l.path,
            l.line,
            l.column,
            paint(RESET),
            paint(severity_colour(f.severity)),
            f.severity,
            paint(RESET),
            f.rule_name,
            f.rule_id,
        )?;
        writeln!(
            out,
            "    secret:      {}",
            f.display_secret(options.show_secrets)
        )?;
        let line = f.display_line(options.show_secrets);
        let line = line.trim();
        if !line.is_empty() {
            let shown: String = line.chars().take(160).collect();
            let more = if line.chars().count() > 160 {
                "…"
            } else {
                ""
            };
            writeln!(
                out,
                "    line:        {}{shown}{more}{}",
                paint(DIM),
                paint(RESET)
            )?;
        }
        writeln!(out, "    confidence:  {:?}", f.confidence)?;
        for (key, value) in &f.metadata {
            writeln!(out, "    {key}: {value}")?;
        }
        if let Some(p) = &f.provenance {
            writeln!(
                out,
                "    commit:      {} {} <{}> {}  {}",
                p.commit.map(|c| c.to_string()).unwrap_or_default(),
                p.author_name,
                p.author_email,
                p.date,
                p.summary
            )?;
            if p.unreachable {
                writeln!(
                    out,
                    "    unreachable: no ref reaches this blob; it is in this clone's objects \
                     (and any clone that fetched them)"
                )?;
            }
            write_occurrences(out, &p.occurrences)?;
        }
        writeln!(out, "    fingerprint: {}", f.fingerprint)?;
        writeln!(out)?;
    }
    Ok(())
}

/// How many other places of one secret the text report lists; JSON lists them all.
const MAX_OCCURRENCES_SHOWN: usize = 10;

/// The other places a history secret was seen, so it is reviewed once but found everywhere.
fn write_occurrences(
    out: &mut dyn Write,
    occurrences: &[crate::finding::Occurrence],
) -> std::io::Result<()> {
    if occurrences.is_empty() {
        return Ok(());
    }
    writeln!(out, "    also at:     {} more place(s)", occurrences.len())?;
    for o in occurrences.iter().take(MAX_OCCURRENCES_SHOWN) {
        let commit = o.commit.as_ref().map(short_id).unwrap_or_default();
        writeln!(
            out,
            "                 {}:{}:{}  {commit}",
            o.path, o.line, o.column
        )?;
    }
    if occurrences.len() > MAX_OCCURRENCES_SHOWN {
        writeln!(
            out,
            "                 … and {} more (--format json lists all)",
            occurrences.len() - MAX_OCCURRENCES_SHOWN
        )?;
    }
    Ok(())
}
