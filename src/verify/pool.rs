//! Runs a batch of checks in parallel under one transport's limits.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::http::{judge, prepare};
use super::transport::Transport;
use super::{Job, Liveness, Options, Outcome};

/// What a batch cost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    /// Requests that reached the transport and were answered or failed on the wire.
    pub requests: usize,
}

/// Checks every job (each a distinct secret: callers deduplicate) and returns the outcomes
/// in job order. Jobs not started by the deadline are `unknown: deadline`.
pub fn check_all(jobs: &[Job<'_>], options: &Options) -> (Vec<Outcome>, Sent) {
    let transport = Transport::new(options);
    let next = AtomicUsize::new(0);
    let sent = AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<Outcome>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let workers = options.workers.clamp(1, jobs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                let outcome = check(job, options, &transport, &sent);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
            });
        }
    });
    let outcomes = results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Outcome::unknown("not checked"))
        })
        .collect();
    (
        outcomes,
        Sent {
            requests: sent.into_inner(),
        },
    )
}

/// One check: prepare, send, judge, and scrub.
fn check(job: &Job<'_>, options: &Options, transport: &Transport, sent: &AtomicUsize) -> Outcome {
    let prepared = match prepare(job, &options.endpoints, std::time::SystemTime::now()) {
        Ok(prepared) => prepared,
        Err(outcome) => return scrub(outcome, job),
    };
    if transport.past_deadline() {
        return Outcome::unknown("deadline");
    }
    let outcome = match transport.send(&prepared) {
        Ok(response) => {
            sent.fetch_add(1, Ordering::Relaxed);
            judge(job, &response)
        }
        Err("deadline") => Outcome::unknown("deadline"),
        Err(reason) => {
            if !reason.starts_with("refused") {
                sent.fetch_add(1, Ordering::Relaxed);
            }
            Outcome::unknown(reason)
        }
    };
    scrub(outcome, job)
}

/// Makes sure no outcome repeats the secret or a companion: a provider could echo one in a
/// field a verifier reports. Such a fact is dropped; such a reason is replaced.
fn scrub(mut outcome: Outcome, job: &Job<'_>) -> Outcome {
    let secrets: Vec<&str> = std::iter::once(job.secret)
        .chain(
            job.companions
                .iter()
                .filter(|(name, _)| name != "document" && name != "host")
                .map(|(_, v)| v.as_str()),
        )
        .filter(|s| s.len() >= 4)
        .collect();
    let leaks = |text: &str| secrets.iter().any(|s| text.contains(s));
    outcome.reach.retain(|(_, value)| !leaks(value));
    if leaks(&outcome.reason) {
        outcome.reason = match outcome.liveness {
            Liveness::Live => "live".into(),
            Liveness::Revoked => "revoked".into(),
            Liveness::Unknown => "unknown".into(),
        };
    }
    outcome
}
