//! The verification step of a run (`--verify`): after the filter stage, each reported
//! secret is checked once with its provider, and the answer recorded on its findings.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::plan::{Plan, VerifyOptions};
use crate::rules::Rule;
use crate::verify::{Job, Liveness, Outcome};

/// What verification found, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub live: usize,
    pub revoked: usize,
    pub unknown: usize,
    /// Distinct secrets checked (each once, however often it was found).
    pub checked: usize,
    /// Requests sent.
    pub requests: usize,
}

impl Tally {
    /// `; verified: 2 live, 1 revoked, 3 unknown (4 secrets, 4 requests)`.
    pub fn summary(&self) -> String {
        format!(
            "; verified: {} live, {} revoked, {} unknown ({} secret{}, {} request{})",
            self.live,
            self.revoked,
            self.unknown,
            self.checked,
            if self.checked == 1 { "" } else { "s" },
            self.requests,
            if self.requests == 1 { "" } else { "s" },
        )
    }
}

/// Verifies `findings` (already filtered) and, with `only_live`, keeps only live ones.
pub fn verify(plan: &Plan, options: &VerifyOptions, findings: &mut Vec<Finding>) -> Tally {
    let rules: HashMap<&str, &Rule> = plan
        .scanner
        .engine
        .rules()
        .map(|r| (r.id.as_str(), r))
        .collect();
    // One job per fingerprint (rule and secret): the first finding's companions serve.
    let mut slot_of: HashMap<&str, usize> = HashMap::new();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let mut slots: Vec<Option<usize>> = Vec::with_capacity(findings.len());
    for f in findings.iter() {
        let Some((rule, spec)) = rules
            .get(f.rule_id.as_str())
            .and_then(|r| r.verify.as_ref().map(|spec| (r, spec)))
        else {
            slots.push(None);
            continue;
        };
        let slot = *slot_of.entry(f.fingerprint.as_str()).or_insert_with(|| {
            jobs.push(Job {
                rule_id: &rule.id,
                provider: rule.provider.as_deref(),
                spec,
                secret: &f.secret,
                companions: &f.companions,
            });
            jobs.len() - 1
        });
        slots.push(Some(slot));
    }
    let (outcomes, sent) = crate::verify::pool::check_all(&jobs, options);
    let mut tally = Tally {
        checked: jobs.len(),
        requests: sent.requests,
        ..Tally::default()
    };
    drop(jobs);
    for (f, slot) in findings.iter_mut().zip(slots) {
        let outcome = match slot {
            Some(i) => outcomes[i].clone(),
            None => Outcome::unknown("no verifier for this rule"),
        };
        match outcome.liveness {
            Liveness::Live => tally.live += 1,
            Liveness::Revoked => tally.revoked += 1,
            Liveness::Unknown => tally.unknown += 1,
        }
        f.verified = Some(outcome);
        // What was gathered for the check is not kept past it.
        f.companions = Vec::new();
    }
    if options.only_live {
        findings.retain(|f| {
            f.verified
                .as_ref()
                .is_some_and(|v| v.liveness == Liveness::Live)
        });
    }
    tally
}
