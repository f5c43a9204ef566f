//! `--format html`: one self-contained audit report (inline CSS, no script, no network, no
//! external asset) answering what a security lead asks first: what was found, by provider
//! and severity; which secrets are still in HEAD and which live only in history; when each
//! entered; the commits, authors and paths involved; how to rotate each one. Secrets are
//! redacted unless `--show-secrets`, as in every format. Every value from the scan is
//! HTML-escaped: file names, commit summaries and lines are attacker-controlled.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write;

use super::context::ReportContext;
use crate::finding::Finding;
use crate::rules::Severity;

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;\
color:#1d2330;padding:0 1em}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccd}\
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #d5d9e2;\
padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef1f6}\
code{font:12px ui-monospace,monospace;word-break:break-all}.critical{color:#fff;background:#8b0000}\
.high{color:#fff;background:#c0392b}.medium{background:#f0ad4e}.low{background:#d9edf7}\
.sev{padding:0 .4em;border-radius:3px;font-weight:600}.head{color:#8b0000;font-weight:600}\
.gone{color:#476}.bar{height:10px;background:#c0392b;border-radius:2px}\
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccd;border-radius:6px;\
padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.8em}";

/// Whether a finding's secret is still in the checked-out tree: `Some` when the audit could
/// tell (HEAD's blobs were listed), else `None`.
fn in_head(f: &Finding, context: &ReportContext) -> Option<bool> {
    let head = context.head_blobs.as_ref()?;
    let p = f.provenance.as_ref()?;
    Some(head.contains(&p.blob) || p.occurrences.iter().any(|o| head.contains(&o.blob)))
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
    }
}

/// Writes the report.
pub fn write(
    out: &mut dyn Write,
    findings: &[Finding],
    show_secrets: bool,
    context: &ReportContext,
) -> std::io::Result<()> {
    let mut h = String::new();
    let title = "keyhound secret audit";
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n"
    );
    if let Some(vc) = &context.version_control {
        let _ = writeln!(
            h,
            "<p id=\"scope\">Repository <code>{}</code>{}{}</p>",
            escape(&vc.repository_uri),
            vc.branch
                .as_ref()
                .map(|b| format!(", branch <code>{}</code>", escape(b)))
                .unwrap_or_default(),
            vc.revision_id
                .as_ref()
                .map(|r| format!(", at commit <code>{}</code>", escape(r)))
                .unwrap_or_default(),
        );
    }
    summary(&mut h, findings, context);
    by_provider(&mut h, findings, context);
    timeline(&mut h, findings);
    secrets(&mut h, findings, show_secrets, context);
    people_and_places(&mut h, findings);
    rotation(&mut h, findings, context);
    let _ = writeln!(
        h,
        "<footer><p>keyhound {} &middot; secrets {}</p></footer></body></html>",
        env!("CARGO_PKG_VERSION"),
        if show_secrets {
            "shown in full (--show-secrets)"
        } else {
            "redacted"
        }
    );
    out.write_all(h.as_bytes())
}

fn summary(h: &mut String, findings: &[Finding], context: &ReportContext) {
    let head = findings
        .iter()
        .filter(|f| in_head(f, context) == Some(true))
        .count();
    let gone = findings
        .iter()
        .filter(|f| in_head(f, context) == Some(false))
        .count();
    let _ = write!(
        h,
        "<section id=\"summary\" class=\"cards\"><div class=\"card\"><b>{}</b>secrets</div>",
        findings.len()
    );
    if context.head_blobs.is_some() {
        let _ = write!(
            h,
            "<div class=\"card\"><b id=\"in-head-count\">{head}</b>still in HEAD</div>\
             <div class=\"card\"><b id=\"history-only-count\">{gone}</b>only in history</div>"
        );
    }
    h.push_str("</section>\n");
    if findings.is_empty() {
        h.push_str("<p id=\"clean\">No secrets found.</p>\n");
    }
}

fn by_provider(h: &mut String, findings: &[Finding], context: &ReportContext) {
    let order = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];
    let mut counts: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for f in findings {
        let provider = context
            .rule(&f.rule_id)
            .and_then(|r| r.provider.clone())
            .unwrap_or_else(|| "(generic)".to_string());
        let i = order.iter().position(|s| *s == f.severity).unwrap_or(3);
        counts.entry(provider).or_default()[i] += 1;
    }
    h.push_str(
        "<h2>By provider and severity</h2>\n<table id=\"by-provider\"><tr><th>provider</th>",
    );
    for s in order {
        let _ = write!(h, "<th>{}</th>", severity_name(s));
    }
    h.push_str("<th>total</th></tr>\n");
    for (provider, row) in &counts {
        let _ = write!(h, "<tr><td>{}</td>", escape(provider));
        for n in row {
            let _ = write!(h, "<td>{n}</td>");
        }
        let _ = writeln!(h, "<td>{}</td></tr>", row.iter().sum::<usize>());
    }
    h.push_str("</table>\n");
}

/// When each secret entered history: a bar per secret from its first commit's date to the
/// latest entry date in the report. (When it left is not computed: the audit knows whether
/// it is still in HEAD, not the commit that removed it.)
fn timeline(h: &mut String, findings: &[Finding]) {
    let dated: Vec<(&str, &Finding)> = findings
        .iter()
        .filter_map(|f| f.provenance.as_ref().map(|p| (p.date.as_str(), f)))
        .filter(|(d, _)| !d.is_empty())
        .collect();
    if dated.is_empty() {
        return;
    }
    let day = |d: &str| d.get(..10).unwrap_or(d).to_string();
    let first = dated.iter().map(|(d, _)| day(d)).min().unwrap_or_default();
    let last = dated.iter().map(|(d, _)| day(d)).max().unwrap_or_default();
    let days = |d: &str| -> i64 {
        // Days since 0000-03-01 of a YYYY-MM-DD date (a civil-calendar day count).
        let y: i64 = d.get(..4).and_then(|s| s.parse().ok()).unwrap_or(0);
        let m: i64 = d.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
        let dd: i64 = d.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(1);
        let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + dd
    };
    let span = (days(&last) - days(&first)).max(1) as f64;
    let _ = writeln!(
        h,
        "<h2>Timeline</h2>\n<p>When each secret entered the history, {} to {}.</p>\n\
         <table id=\"timeline\"><tr><th>entered</th><th>secret</th><th style=\"width:50%\">\
         since then</th></tr>",
        escape(&first),
        escape(&last)
    );
    let mut sorted = dated.clone();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (date, f) in sorted {
        let offset = (days(&day(date)) - days(&first)) as f64 / span * 100.0;
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} <code>{}</code></td><td><div class=\"bar\" \
             style=\"margin-left:{offset:.1}%;width:{:.1}%\"></div></td></tr>",
            escape(&day(date)),
            escape(&f.rule_id),
            escape(&f.location.path),
            (100.0 - offset).max(0.5)
        );
    }
    h.push_str("</table>\n");
}

fn secrets(h: &mut String, findings: &[Finding], show: bool, context: &ReportContext) {
    if findings.is_empty() {
        return;
    }
    h.push_str(
        "<h2>Secrets</h2>\n<table id=\"findings\"><tr><th>severity</th><th>rule</th>\
         <th>where</th><th>secret</th><th>introduced</th><th>status</th></tr>\n",
    );
    for f in findings {
        let sev = severity_name(f.severity);
        let introduced = f.provenance.as_ref().map_or_else(String::new, |p| {
            format!(
                "<code>{}</code> {} &lt;{}&gt; {}<br>{}",
                escape(
                    &p.commit
                        .map(|c| c.to_string()[..12].to_string())
                        .unwrap_or_default()
                ),
                escape(&p.author_name),
                escape(&p.author_email),
                escape(p.date.get(..10).unwrap_or(&p.date)),
                escape(&p.summary)
            )
        });
        let status = match in_head(f, context) {
            Some(true) => "<span class=\"head\">still in HEAD</span>",
            Some(false) => "<span class=\"gone\">only in history</span>",
            None => "",
        };
        let also = f.provenance.as_ref().map_or(0, |p| p.occurrences.len());
        // With --verify: what the provider said (its words escaped like everything else).
        let verified = f.verified.as_ref().map_or_else(String::new, |v| {
            format!("<br>verified: {}", escape(&v.describe()))
        });
        let _ = writeln!(
            h,
            "<tr class=\"finding\" data-rule=\"{rule}\"><td><span class=\"sev {sev}\">{sev}</span>\
             </td><td>{name}<br><code>{rule}</code></td><td><code>{path}:{line}</code>{also}</td>\
             <td><code class=\"secret\">{secret}</code></td><td>{introduced}</td><td>{status}{verified}</td></tr>",
            rule = escape(&f.rule_id),
            name = escape(&f.rule_name),
            path = escape(&f.location.path),
            line = f.location.line,
            also = if also > 0 {
                format!("<br>and {also} more place{}", if also == 1 { "" } else { "s" })
            } else {
                String::new()
            },
            secret = escape(&f.display_secret(show)),
        );
    }
    h.push_str("</table>\n");
}

fn people_and_places(h: &mut String, findings: &[Finding]) {
    let mut commits: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    let mut authors: BTreeMap<String, usize> = BTreeMap::new();
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for f in findings {
        paths.insert(f.location.path.clone());
        let Some(p) = &f.provenance else { continue };
        if let Some(c) = p.commit {
            commits
                .entry(c.to_string())
                .or_insert_with(|| (p.author_name.clone(), p.date.clone(), p.summary.clone()));
        }
        *authors
            .entry(format!("{} <{}>", p.author_name, p.author_email))
            .or_default() += 1;
        for o in &p.occurrences {
            paths.insert(o.path.clone());
        }
    }
    if !commits.is_empty() {
        h.push_str(
            "<h2>Commits</h2>\n<table id=\"commits\"><tr><th>commit</th><th>author</th>\
             <th>date</th><th>summary</th></tr>\n",
        );
        for (id, (author, date, summary)) in &commits {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(id),
                escape(author),
                escape(date),
                escape(summary)
            );
        }
        h.push_str("</table>\n");
    }
    if !authors.is_empty() {
        h.push_str("<h2>Authors</h2>\n<table id=\"authors\"><tr><th>author</th><th>secrets introduced</th></tr>\n");
        for (author, n) in &authors {
            let _ = writeln!(h, "<tr><td>{}</td><td>{n}</td></tr>", escape(author));
        }
        h.push_str("</table>\n");
    }
    if !paths.is_empty() {
        h.push_str("<h2>Paths</h2>\n<ul id=\"paths\">");
        for path in &paths {
            let _ = write!(h, "<li><code>{}</code></li>", escape(path));
        }
        h.push_str("</ul>\n");
    }
}

fn rotation(h: &mut String, findings: &[Finding], context: &ReportContext) {
    let rules: BTreeSet<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
    if rules.is_empty() {
        return;
    }
    h.push_str("<h2>How to rotate</h2>\n<dl id=\"rotation\">\n");
    for id in rules {
        let rule = context.rule(id);
        let name = rule.map_or(id, |r| r.name.as_str());
        let advice = rule
            .and_then(|r| r.remediation.as_deref())
            .unwrap_or("Revoke the credential with its issuer, issue a new one, and move it to a secret store or the environment.");
        let links: String = rule
            .map(|r| {
                r.references
                    .iter()
                    .map(|u| format!(" <code>{}</code>", escape(u)))
                    .collect()
            })
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<dt data-rule=\"{}\">{}</dt><dd>{}{}</dd>",
            escape(id),
            escape(name),
            escape(advice.trim()),
            links
        );
    }
    h.push_str(
        "</dl>\n<p>Removing a secret from the history does not revoke it: rotate first.</p>\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("<img src=x onerror=\"a\">&'\u{1b}]52;"),
            "&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;\u{fffd}]52;"
        );
    }
}
