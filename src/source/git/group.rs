//! One finding per secret: history carries the same secret in many blobs (every edit of a
//! file makes a new blob), and an auditor should review it once. Hits are grouped by
//! fingerprint; the earliest becomes the finding and the rest are listed as its occurrences.

use std::collections::HashMap;

use super::blobs::Hit;
use crate::finding::{Finding, Occurrence};

/// Groups hits by fingerprint. The primary finding of a group is the one first seen in
/// history (then by path and position, so the choice is deterministic).
pub fn group_by_secret(hits: Vec<Hit>) -> Vec<Finding> {
    let mut groups: HashMap<String, Vec<Hit>> = HashMap::new();
    for hit in hits {
        groups
            .entry(hit.finding.fingerprint.clone())
            .or_default()
            .push(hit);
    }
    let mut findings = Vec::with_capacity(groups.len());
    for (_, mut group) in groups {
        group.sort_by(|a, b| {
            let key = |h: &Hit| {
                (
                    h.seq,
                    h.finding.location.path.clone(),
                    h.finding.location.line,
                    h.finding.location.column,
                )
            };
            key(a).cmp(&key(b))
        });
        let mut rest = group.into_iter().map(|h| h.finding);
        let Some(mut primary) = rest.next() else {
            continue;
        };
        let mut occurrences: Vec<Occurrence> = Vec::new();
        for other in rest {
            occurrences.extend(occurrence_of(&other));
            if let Some(p) = other.provenance {
                occurrences.extend(p.occurrences);
            }
        }
        if let Some(p) = primary.provenance.as_mut() {
            occurrences.append(&mut p.occurrences);
            let own = occurrence_of_parts(p.commit, &primary.location, p.blob);
            occurrences.sort();
            occurrences.dedup();
            occurrences.retain(|o| *o != own);
            p.occurrences = occurrences;
        }
        findings.push(primary);
    }
    findings
}

/// Where a finding sits, as an occurrence of its secret.
/// Where a finding sits, as an occurrence of its secret; `None` outside history.
pub fn occurrence_of(f: &Finding) -> Option<Occurrence> {
    let p = f.provenance.as_ref()?;
    Some(occurrence_of_parts(p.commit, &f.location, p.blob))
}

fn occurrence_of_parts(
    commit: Option<git2::Oid>,
    location: &crate::finding::Location,
    blob: git2::Oid,
) -> Occurrence {
    Occurrence {
        commit,
        path: location.path.clone(),
        line: location.line,
        column: location.column,
        blob,
    }
}
