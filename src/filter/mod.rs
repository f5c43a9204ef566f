//! The filter stage: everything that decides a match is not reported, in one place, counted
//! by reason so the summary can say what was suppressed and why.
//!
//! Suppression happens at two moments but through this one type: while an item is scanned
//! (path allowlist, inline markers, secret allowlists, which need the item's text), and once
//! a whole scan has finished (exact repeats, then the baseline, which need every finding).

pub mod allowlist;
pub mod baseline;
pub mod inline;
pub mod test_path;

use std::sync::atomic::{AtomicU64, Ordering};

pub use allowlist::Allowlist;
pub use baseline::Baseline;
pub use inline::is_allowed_inline;
pub use test_path::location_kind;

use git2::Oid;

use crate::finding::Finding;
use crate::rules::Confidence;

/// Why a match was not reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The item's path is on the allowlist.
    Path,
    /// A `keyhound:allow` (or compatible) marker on or above the line.
    Inline,
    /// The secret, or the rule and path, is on the allowlist.
    Allowlist,
    /// The same secret at the same place, found twice (a file named twice on the command line).
    Repeat,
    /// The baseline accepts the secret.
    Baseline,
    /// Below `--min-confidence` (or the config's `[findings] min_confidence`).
    Confidence,
    /// In a test, fixture, example or docs location, with `[findings] skip_test_paths` on.
    TestPath,
}

/// How many matches each reason suppressed. Atomic: scan workers share one set.
#[derive(Debug, Default)]
pub struct Suppressed {
    path: AtomicU64,
    inline: AtomicU64,
    allowlist: AtomicU64,
    repeat: AtomicU64,
    baseline: AtomicU64,
    confidence: AtomicU64,
    test_path: AtomicU64,
}

impl Suppressed {
    fn counter(&self, reason: Reason) -> &AtomicU64 {
        match reason {
            Reason::Path => &self.path,
            Reason::Inline => &self.inline,
            Reason::Allowlist => &self.allowlist,
            Reason::Repeat => &self.repeat,
            Reason::Baseline => &self.baseline,
            Reason::Confidence => &self.confidence,
            Reason::TestPath => &self.test_path,
        }
    }

    pub fn add(&self, reason: Reason, n: u64) {
        self.counter(reason).fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(&self, reason: Reason) -> u64 {
        self.counter(reason).load(Ordering::Relaxed)
    }

    /// The summary's account of what was suppressed: `; 5 allowed (3 inline, 2 by config)`,
    /// `; 2 in baseline`; empty when nothing was.
    pub fn summary(&self) -> String {
        let inline = self.get(Reason::Inline);
        let config = self.get(Reason::Path) + self.get(Reason::Allowlist);
        let mut out = String::new();
        if inline + config > 0 {
            let parts: Vec<String> = [(inline, "inline"), (config, "by config")]
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, how)| format!("{n} {how}"))
                .collect();
            out.push_str(&format!(
                "; {} allowed ({})",
                inline + config,
                parts.join(", ")
            ));
        }
        let baseline = self.get(Reason::Baseline);
        if baseline > 0 {
            out.push_str(&format!("; {baseline} in baseline"));
        }
        let confidence = self.get(Reason::Confidence);
        if confidence > 0 {
            out.push_str(&format!("; {confidence} below the minimum confidence"));
        }
        let test_path = self.get(Reason::TestPath);
        if test_path > 0 {
            out.push_str(&format!(
                "; {test_path} in test, fixture, example or docs paths"
            ));
        }
        out
    }
}

/// The filter stage of one scan: the compiled allowlist, the baseline if any, the confidence
/// floor, whether test locations are left out, and the counts.
pub struct Filter {
    allowlist: Allowlist,
    baseline: Option<Baseline>,
    min_confidence: Option<Confidence>,
    skip_test_paths: bool,
    pub suppressed: Suppressed,
}

impl Default for Filter {
    fn default() -> Self {
        Filter::new(Allowlist::empty(), None)
    }
}

impl Filter {
    pub fn new(allowlist: Allowlist, baseline: Option<Baseline>) -> Self {
        Filter {
            allowlist,
            baseline,
            min_confidence: None,
            skip_test_paths: false,
            suppressed: Suppressed::default(),
        }
    }

    /// Suppresses findings below `min` (none when `None`).
    pub fn with_min_confidence(mut self, min: Option<Confidence>) -> Self {
        self.min_confidence = min;
        self
    }

    /// Suppresses findings in test, fixture, example and docs locations when `skip` is set.
    pub fn with_skip_test_paths(mut self, skip: bool) -> Self {
        self.skip_test_paths = skip;
        self
    }

    /// True when nothing found in the item at `allowlist_path` is reported (it is still
    /// decoded and counted, so the summary says it was seen). Counts nothing: the caller
    /// counts the matches it drops with [`Filter::count`].
    pub fn allows_path(&self, allowlist_path: &str) -> bool {
        self.allowlist.allows_path(allowlist_path)
    }

    /// Records `n` matches suppressed for `reason`.
    pub fn count(&self, reason: Reason, n: u64) {
        self.suppressed.add(reason, n);
    }

    /// Whether a match of `rule_id` for `secret` in the item at `allowlist_path`, on a line
    /// that an inline marker allows (`inline`, from [`is_allowed_inline`], which the caller
    /// asks once per line rather than once per match), is suppressed; counts it if so.
    pub fn suppresses_match(
        &self,
        rule_id: &str,
        allowlist_path: &str,
        secret: &str,
        inline: bool,
    ) -> Option<Reason> {
        let reason = if inline {
            Reason::Inline
        } else if self.allowlist.allows(rule_id, allowlist_path, secret) {
            Reason::Allowlist
        } else {
            return None;
        };
        self.count(reason, 1);
        Some(reason)
    }

    /// Whether a finding of `confidence` in a location of `kind` (see [`location_kind`]) is
    /// suppressed by the confidence floor or the test-path switch; counts it if so.
    pub fn suppresses_finding(&self, confidence: Confidence, kind: Option<&str>) -> Option<Reason> {
        let reason = if self.min_confidence.is_some_and(|min| confidence < min) {
            Reason::Confidence
        } else if self.skip_test_paths && kind.is_some() {
            Reason::TestPath
        } else {
            return None;
        };
        self.count(reason, 1);
        Some(reason)
    }

    /// The end of a scan: findings sorted into report order, exact repeats (same secret,
    /// rule and place) dropped, then those the baseline accepts.
    pub fn finish(&self, findings: &mut Vec<Finding>) {
        sort_for_report(findings);
        let before = findings.len();
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.location == b.location);
        self.count(Reason::Repeat, (before - findings.len()) as u64);
        if let Some(baseline) = &self.baseline {
            let dropped = baseline.suppress(findings);
            self.count(Reason::Baseline, dropped as u64);
        }
    }
}

/// Report order: by path, line, column, then rule; then by secret and by where history has
/// it, so that two findings at one place (two secrets on one line in two versions of a
/// file) come out in the same order whatever order the parallel scan found them in.
pub fn sort_for_report(findings: &mut [Finding]) {
    findings.sort_by(|a, b| report_key(a).cmp(&report_key(b)));
}

type ReportKey<'a> = (
    &'a str,
    usize,
    usize,
    &'a str,
    &'a str,
    Option<(Option<Oid>, Oid)>,
);

fn report_key(f: &Finding) -> ReportKey<'_> {
    (
        &f.location.path,
        f.location.line,
        f.location.column,
        &f.rule_id,
        &f.fingerprint,
        f.provenance.as_ref().map(|p| (p.commit, p.blob)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_at_one_place_sort_the_same_whichever_came_first() {
        use crate::finding::Location;
        use crate::rules::{Confidence, Severity};
        let at = |secret: &str, line| {
            Finding::new(
                "r",
                "r",
                Confidence::High,
                Severity::High,
                Location::on_line("a.md", line, 1, 2),
                secret,
            )
        };
        let secrets = |f: &[Finding]| f.iter().map(|f| f.secret.clone()).collect::<Vec<_>>();
        let mut one = vec![
            at("Rmlyc3QuZmFrZQ", 7),
            at("U2Vjb25kLmZha2U", 7),
            at("Zmlyc3Q", 2),
        ];
        let mut other = vec![one[1].clone(), one[0].clone(), one[2].clone()];
        sort_for_report(&mut one);
        sort_for_report(&mut other);
        assert_eq!(secrets(&one), secrets(&other));
        assert_eq!(one[0].secret, "Zmlyc3Q");
    }

    #[test]
    fn summary_names_each_reason() {
        let s = Suppressed::default();
        assert_eq!(s.summary(), "");
        s.add(Reason::Inline, 3);
        s.add(Reason::Path, 1);
        s.add(Reason::Allowlist, 1);
        s.add(Reason::Baseline, 2);
        assert_eq!(
            s.summary(),
            "; 5 allowed (3 inline, 2 by config); 2 in baseline"
        );
        s.add(Reason::Confidence, 4);
        s.add(Reason::TestPath, 1);
        assert!(s.summary().ends_with(
            "; 4 below the minimum confidence; 1 in test, fixture, example or docs paths"
        ));
    }

    #[test]
    fn confidence_floor_and_test_paths() {
        let filter = Filter::default().with_min_confidence(Some(Confidence::Medium));
        assert_eq!(
            filter.suppresses_finding(Confidence::Low, None),
            Some(Reason::Confidence)
        );
        assert_eq!(
            filter.suppresses_finding(Confidence::Medium, Some("test")),
            None
        );
        let filter = Filter::default().with_skip_test_paths(true);
        assert_eq!(
            filter.suppresses_finding(Confidence::Low, Some("docs")),
            Some(Reason::TestPath)
        );
        assert_eq!(filter.suppresses_finding(Confidence::Low, None), None);
        assert_eq!(filter.suppressed.get(Reason::TestPath), 1);
    }
}
