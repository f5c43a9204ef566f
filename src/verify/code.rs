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
        // To wire in: `sigv4::get_caller_identity(key_id, job.secret, _now)` with the key id
        // from `companion(job, "aws-access-key-id")` (unknown when it is missing).
        CodeVerifier::AwsSts => {
            companion(job, "aws-access-key-id").ok_or_else(|| {
                Outcome::unknown("needs the access key id beside it; none was found")
            })?;
            Err(Outcome::unknown(
                "AWS verification is not in this build yet",
            ))
        }
        // To wire in: parse `companion(job, "document")` as a service-account key, then
        // `gcp::token_request(&account, _now)`.
        CodeVerifier::GcpToken => {
            companion(job, "document")
                .ok_or_else(|| Outcome::unknown("the key file around the finding was not kept"))?;
            Err(Outcome::unknown(
                "GCP verification is not in this build yet",
            ))
        }
    }
}

/// Judges the answer to [`request`]'s request.
pub fn judge(code: CodeVerifier, response: &Response) -> Outcome {
    if let Some(outcome) = super::unknown_by_status(response.status) {
        return outcome;
    }
    match code {
        // To wire in: `sigv4::judge_caller_identity(response)`.
        CodeVerifier::AwsSts => Outcome::unknown("AWS verification is not in this build yet"),
        // To wire in: `gcp::judge_token(response)`.
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
