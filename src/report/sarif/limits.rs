//! GitHub's upload limits, and which results keyhound keeps when a scan exceeds them.
//!
//! GitHub rejects a run with more than 25,000 results and a file over 10 MB once gzipped
//! (and shows only the 5,000 highest-severity results of a run). A rejected upload shows
//! nothing at all, so keyhound writes the most severe results that fit and says on stderr,
//! and in the run's invocation notifications, what it left out.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::rules::{Confidence, Severity};

/// The most results GitHub accepts in one run.
pub const GITHUB_MAX_RESULTS: usize = 25_000;
/// The largest gzipped SARIF file GitHub accepts: "10 MB", read as the smaller 10^7 bytes
/// since GitHub does not say which megabyte it means.
pub const GITHUB_MAX_GZIP_BYTES: usize = 10_000_000;
/// How many results of a run GitHub shows (the most severe).
pub const GITHUB_SHOWN_RESULTS: usize = 5_000;

/// The limits a SARIF file is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_results: usize,
    pub max_gzip_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_results: GITHUB_MAX_RESULTS,
            max_gzip_bytes: GITHUB_MAX_GZIP_BYTES,
        }
    }
}

/// What a report left out to fit the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    pub total: usize,
    pub kept: usize,
    /// Results left out, by severity (most severe first when displayed).
    pub dropped: BTreeMap<Severity, usize>,
    pub limits: Limits,
}

impl fmt::Display for Truncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SARIF output left out {} of {} results to stay within GitHub's upload limits \
             ({} results per run, {} gzipped); it keeps the most severe",
            self.total - self.kept,
            self.total,
            self.limits.max_results,
            size(self.limits.max_gzip_bytes),
        )?;
        let by_severity: Vec<String> = self
            .dropped
            .iter()
            .rev()
            .map(|(severity, n)| format!("{n} {}", format!("{severity:?}").to_lowercase()))
            .collect();
        if !by_severity.is_empty() {
            write!(f, " (left out: {})", by_severity.join(", "))?;
        }
        write!(f, "; use another format for the complete list")
    }
}

/// `10 MB` for GitHub's limit, bytes for anything else.
fn size(bytes: usize) -> String {
    const MB: usize = 1_000_000;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Indices of `items` (severity, confidence) from most to least important; ties keep report
/// order, so the choice is deterministic.
pub fn priority_order(items: &[(Severity, Confidence)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[b].cmp(&items[a]).then(a.cmp(&b)));
    order
}

/// The `k` most important indices, back in report order.
pub fn top(order: &[usize], k: usize) -> Vec<usize> {
    let mut kept = order[..k.min(order.len())].to_vec();
    kept.sort_unstable();
    kept
}

/// The largest `k` in `0..=upper` for which `fits(k)` holds, given that it holds for 0 and
/// that a smaller `k` never fits worse. `fits` renders and measures, so it is called about
/// log2(upper) times.
pub fn largest_fitting(upper: usize, mut fits: impl FnMut(usize) -> bool) -> usize {
    if fits(upper) {
        return upper;
    }
    let (mut lo, mut hi) = (0, upper); // fits(lo), !fits(hi)
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Whether `bytes` gzip to at most `limit` bytes. Only compresses when the raw size could
/// exceed it; uses fast compression, which compresses less than the upload does, so the
/// check errs on the safe side.
pub fn fits_gzipped(bytes: &[u8], limit: usize) -> bool {
    if bytes.len() <= limit {
        return true;
    }
    let mut encoder = GzEncoder::new(CountingSink(0), Compression::fast());
    if encoder.write_all(bytes).is_err() {
        return false;
    }
    encoder.finish().is_ok_and(|sink| sink.0 <= limit)
}

/// Counts bytes written and keeps none.
struct CountingSink(usize);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_is_severity_then_confidence_then_report_order() {
        let items = [
            (Severity::Low, Confidence::High),
            (Severity::Critical, Confidence::Low),
            (Severity::High, Confidence::High),
            (Severity::Critical, Confidence::High),
            (Severity::Low, Confidence::High),
        ];
        let order = priority_order(&items);
        assert_eq!(order, [3, 1, 2, 0, 4]);
        assert_eq!(top(&order, 3), [1, 2, 3]);
        assert_eq!(top(&order, 99), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn binary_search_finds_the_largest_fit() {
        let mut calls = 0;
        let k = largest_fitting(1000, |k| {
            calls += 1;
            k <= 637
        });
        assert_eq!(k, 637);
        assert!(calls <= 12, "{calls}");
        assert_eq!(largest_fitting(10, |_| true), 10);
        assert_eq!(largest_fitting(10, |k| k == 0), 0);
    }

    #[test]
    fn gzip_check_measures_compressed_size() {
        let repetitive = vec![b'a'; 100_000];
        assert!(fits_gzipped(&repetitive, 10_000));
        // Incompressible bytes do not shrink below their size.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let noise: Vec<u8> = (0..100_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        assert!(!fits_gzipped(&noise, 50_000));
        assert!(fits_gzipped(&noise, 200_000));
    }

    #[test]
    fn message_says_what_was_left_out() {
        let t = Truncation {
            total: 10,
            kept: 7,
            dropped: BTreeMap::from([(Severity::Low, 2), (Severity::Medium, 1)]),
            limits: Limits {
                max_results: 7,
                max_gzip_bytes: 100,
            },
        };
        let s = t.to_string();
        assert!(s.contains("left out 3 of 10 results"), "{s}");
        assert!(s.contains("(left out: 1 medium, 2 low)"), "{s}");
        assert!(s.contains("7 results per run, 100 bytes gzipped"), "{s}");
        assert_eq!(size(GITHUB_MAX_GZIP_BYTES), "10 MB");
    }
}
