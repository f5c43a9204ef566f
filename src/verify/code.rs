//! Verifiers written in code: one match arm each, for the checks a table cannot describe
//! (request signing, a token exchange). Each builds its request from the finding's secret
//! and companions (`Job::companions`: `aws-access-key-id`, `document`) and judges the answer;
//! the transport, limits and `--verify-endpoint` routing are shared with declared verifiers.
//! The request must be `https://` to exactly `CodeVerifier::host()` (in `rules/verify.rs`),
//! on the default port, or it is refused unsent: a key file's own `token_uri` cannot send
//! its key elsewhere.

use super::{Job, Outcome, Request, Response};
use crate::rules::CodeVerifier;

/// The request `code` sends for `job`, or the outcome when none can be sent.
pub fn request(
    code: CodeVerifier,
    job: &Job<'_>,
    _now: std::time::SystemTime,
) -> Result<Request, Outcome> {
    match code {
        // To wire in (under `#[cfg(feature = "verify")]`, as sigv4 is):
        // `Ok(super::sigv4::get_caller_identity(key_id, job.secret,
        //     companion(job, "aws-session-token"), _now))`, `key_id` being the companion below.
        CodeVerifier::AwsSts => {
            companion(job, "aws-access-key-id").ok_or_else(|| {
                Outcome::unknown("needs the access key id beside it; none was found")
            })?;
            Err(Outcome::unknown(
                "AWS verification is not in this build yet",
            ))
        }
        // To wire in (under `#[cfg(feature = "verify")]`): `super::gcp::parse(document)`
        // (`None` -> unknown "no service-account key in the file"), then
        // `super::gcp::token_request(&account, _now)` (its `Err` -> a fixed unknown reason).
        CodeVerifier::GcpToken => {
            companion(job, "document")
                .ok_or_else(|| Outcome::unknown("the key file around the finding was not kept"))?;
            Err(Outcome::unknown(
                "GCP verification is not in this build yet",
            ))
        }
    }
}

/// Judges the answer to [`request`]'s request (the job again, for what the judgement may
/// add: the service account a GCP key belongs to).
pub fn judge(code: CodeVerifier, _job: &Job<'_>, response: &Response) -> Outcome {
    if let Some(outcome) = super::unknown_by_status(response.status) {
        return outcome;
    }
    match code {
        // To wire in: `super::sigv4::judge_caller_identity(response)`.
        CodeVerifier::AwsSts => Outcome::unknown("AWS verification is not in this build yet"),
        // To wire in: `super::gcp::judge_token_for(&account, response)`, the account parsed
        // again from `companion(job, "document")` (or `judge_token(response)`).
        CodeVerifier::GcpToken => Outcome::unknown("GCP verification is not in this build yet"),
    }
}

/// The value found beside the secret under `name`.
fn companion<'a>(job: &'a Job<'_>, name: &str) -> Option<&'a str> {
    job.companions
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}
