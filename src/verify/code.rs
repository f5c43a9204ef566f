//! Verifiers written in code: one match arm each, for the checks a table cannot describe
//! (request signing, a token exchange). Each builds its request from the finding's secret
//! and companions (`Job::companion`: `aws-access-key-id`, `document`) and judges the answer;
//! the transport, limits and `--verify-endpoint` routing are shared with declared verifiers.
//! The request must be `https://` to exactly `CodeVerifier::host()` (in `rules/verify.rs`),
//! on the default port, or it is refused unsent: a key file's own `token_uri` cannot send
//! its key elsewhere.
//!
//! The signing code (`sigv4`, `gcp`) needs `ring`, which only the `verify` feature brings;
//! without it nothing is ever sent, so these arms only say so.

use super::{Job, Outcome, Request, Response};
use crate::rules::CodeVerifier;

/// The request `code` sends for `job`, or the outcome when none can be sent.
pub fn request(
    code: CodeVerifier,
    job: &Job<'_>,
    now: std::time::SystemTime,
) -> Result<Request, Outcome> {
    match code {
        CodeVerifier::AwsSts => {
            let key_id = job.companion("aws-access-key-id").ok_or_else(|| {
                Outcome::unknown("needs the access key id beside it; none was found")
            })?;
            signed_caller_identity(key_id, job, now)
        }
        CodeVerifier::GcpToken => {
            let document = job
                .companion("document")
                .ok_or_else(|| Outcome::unknown("the key file around the finding was not kept"))?;
            token_exchange(document, now)
        }
    }
}

/// Judges the answer to [`request`]'s request (the job again, for what the judgement may
/// add: the service account a GCP key belongs to).
pub fn judge(code: CodeVerifier, job: &Job<'_>, response: &Response) -> Outcome {
    if let Some(outcome) = super::unknown_by_status(response.status) {
        return outcome;
    }
    judge_signed(code, job, response)
}

#[cfg(feature = "verify")]
fn signed_caller_identity(
    key_id: &str,
    job: &Job<'_>,
    now: std::time::SystemTime,
) -> Result<Request, Outcome> {
    let session_token = job.companion("aws-session-token");
    Ok(super::sigv4::get_caller_identity(
        key_id,
        job.secret,
        session_token,
        now,
    ))
}

#[cfg(feature = "verify")]
fn token_exchange(document: &str, now: std::time::SystemTime) -> Result<Request, Outcome> {
    let account = super::gcp::parse(document)
        .ok_or_else(|| Outcome::unknown("no service-account key in the file"))?;
    // The error names what failed (a key that does not parse, say), never the key.
    super::gcp::token_request(&account, now).map_err(Outcome::unknown)
}

#[cfg(feature = "verify")]
fn judge_signed(code: CodeVerifier, job: &Job<'_>, response: &Response) -> Outcome {
    match code {
        CodeVerifier::AwsSts => super::sigv4::judge_caller_identity(response),
        CodeVerifier::GcpToken => match job.companion("document").and_then(super::gcp::parse) {
            Some(account) => super::gcp::judge_token_for(&account, response),
            None => super::gcp::judge_token(response),
        },
    }
}

#[cfg(not(feature = "verify"))]
fn signed_caller_identity(
    _key_id: &str,
    _job: &Job<'_>,
    _now: std::time::SystemTime,
) -> Result<Request, Outcome> {
    Err(Outcome::unknown("built without the verify feature"))
}

#[cfg(not(feature = "verify"))]
fn token_exchange(_document: &str, _now: std::time::SystemTime) -> Result<Request, Outcome> {
    Err(Outcome::unknown("built without the verify feature"))
}

#[cfg(not(feature = "verify"))]
fn judge_signed(_code: CodeVerifier, _job: &Job<'_>, _response: &Response) -> Outcome {
    Outcome::unknown("built without the verify feature")
}
