//! Gathering what a verifier needs from the text around a match, at scan time: the
//! partner secret (an AWS key id), the key file around a match, a workspace host. Done only
//! for rules whose verifier asks and only when the run verifies, so a plain scan keeps no
//! raw partner secrets.

use std::ops::Range;

use super::http::host_matches;
use crate::rules::{Need, DOCUMENT_BYTES};

/// What `needs` asks for, found in `text` around the match at `at`; `others` are every
/// match in the same text (rule id and range). What is not found is left out (the verifier
/// then says what it missed).
pub fn gather(
    text: &[u8],
    at: &Range<usize>,
    others: &[(&str, Range<usize>)],
    needs: &[Need],
) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let half = DOCUMENT_BYTES / 2;
    let window = at.start.saturating_sub(half)..(at.end + half).min(text.len());
    for need in needs {
        match need {
            Need::Rule(rule) => {
                let nearest = others
                    .iter()
                    .filter(|(id, range)| id == rule && range != at)
                    .min_by_key(|(_, range)| range.start.abs_diff(at.start));
                if let Some((_, range)) = nearest {
                    found.push((
                        rule.clone(),
                        String::from_utf8_lossy(&text[range.clone()]).into_owned(),
                    ));
                }
            }
            Need::Document => found.push((
                "document".into(),
                String::from_utf8_lossy(&text[window.clone()]).into_owned(),
            )),
            Need::Host(patterns) => {
                if let Some(host) = nearest_host(text, window.clone(), at.start, patterns) {
                    found.push(("host".into(), host));
                }
            }
        }
    }
    found
}

/// The host matching one of `patterns` (`*.cloud.databricks.com`) nearest to `near`.
fn nearest_host(
    text: &[u8],
    window: Range<usize>,
    near: usize,
    patterns: &[String],
) -> Option<String> {
    let hay = &text[window.clone()];
    let is_host_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
    let mut best: Option<(usize, String)> = None;
    for pattern in patterns {
        let suffix = pattern.trim_start_matches('*');
        for (i, _) in hay
            .windows(suffix.len().max(1))
            .enumerate()
            .filter(|(_, w)| w.eq_ignore_ascii_case(suffix.as_bytes()))
        {
            let end = i + suffix.len();
            // The host must end here: not `x.cloud.databricks.com.evil.example` (a dot
            // that ends a sentence is not a longer name).
            let label = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-');
            if label(hay.get(end)) || (hay.get(end) == Some(&b'.') && label(hay.get(end + 1))) {
                continue;
            }
            let start = hay[..i]
                .iter()
                .rposition(|b| !is_host_byte(*b))
                .map_or(0, |p| p + 1);
            let host = String::from_utf8_lossy(&hay[start..end]).to_ascii_lowercase();
            if !host_matches(&host, pattern) {
                continue;
            }
            let distance = (window.start + start).abs_diff(near);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, host));
            }
        }
    }
    best.map(|(_, host)| host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_document_and_host_are_found_beside_the_match() {
        let text = b"host = https://adb-12.3.azuredatabricks.net/\nid = AKIAX\nkey = SECRETVALUE\n";
        let at = 62..73;
        let others = [
            ("aws-access-key-id", 50..55),
            ("aws-secret-access-key", at.clone()),
        ];
        let needs = [
            Need::Rule("aws-access-key-id".into()),
            Need::Host(vec!["*.azuredatabricks.net".into()]),
            Need::Document,
        ];
        let found = gather(text, &at, &others, &needs);
        assert_eq!(found[0], ("aws-access-key-id".into(), "AKIAX".into()));
        assert_eq!(
            found[1],
            ("host".into(), "adb-12.3.azuredatabricks.net".into())
        );
        assert_eq!(found[2].0, "document");
        assert!(found[2].1.contains("SECRETVALUE"));
    }

    #[test]
    fn a_lookalike_host_is_not_taken() {
        let text = b"url = https://x.cloud.databricks.com.evil.example token=T";
        let found = gather(
            text,
            &(56..57),
            &[],
            &[Need::Host(vec!["*.cloud.databricks.com".into()])],
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
