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
            escape(&l.path),
            l.line,
            l.column,
            paint(RESET),
            paint(severity_colour(f.severity)),
            f.severity,
            paint(RESET),
            escape(&f.rule_name),
            escape(&f.rule_id),
        )?;
        // A shown multi-line secret (a PEM key) keeps its line breaks so it can be copied;
        // every other control character is escaped.
        let secret = f.display_secret(options.show_secrets);
        let secret: Vec<_> = secret.split('\n').map(escape).collect();
        writeln!(out, "    secret:      {}", secret.join("\n"))?;
        // Every secret on the line redacted, the line cut around this one.
        let line = f.display_line(options.show_secrets).unwrap_or_default();
        let line = escape(line.trim());
        if !line.is_empty() {
            writeln!(out, "    line:        {}{line}{}", paint(DIM), paint(RESET))?;
        }
        writeln!(out, "    confidence:  {:?}", f.confidence)?;
        if let Some(verified) = &f.verified {
            // Reach facts are the provider's words: escaped like everything else shown.
            writeln!(out, "    verified:    {}", escape(&verified.describe()))?;
        }
        for (key, value) in &f.metadata {
            writeln!(out, "    {}: {}", escape(key), escape(value))?;
        }
        if let Some(p) = &f.provenance {
            writeln!(
                out,
                "    commit:      {} {} <{}> {}  {}",
                p.commit.map(|c| c.to_string()).unwrap_or_default(),
                escape(&p.author_name),
                escape(&p.author_email),
                escape(&p.date),
                escape(&p.summary)
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
            escape(&o.path),
            o.line,
            o.column
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

/// `text` safe to write to a terminal: control characters (escape sequences such as an
/// OSC 52 clipboard write or a screen clear, carriage returns and newlines that could forge
/// a finding block) and the bidirectional overrides that reorder what is shown, written as
/// visible `\u{..}` escapes.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = |c: char| c.is_control() || is_bidi_control(c);
    if !text.chars().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Unicode's explicit bidirectional formatting characters (the "Trojan Source" set).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape("plain/path.txt"), "plain/path.txt");
        let hostile = "a\x1b]52;c;ZXZpbA==\x07b\nc\rd\u{202e}e";
        let shown = escape(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown}");
        assert_eq!(shown, "a\\u{1b}]52;c;ZXZpbA==\\u{7}b\\nc\\rd\\u{202e}e");
    }
}
