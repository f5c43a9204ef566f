//! Opt-in live verification: asks a provider's own API whether a found secret still works.
//!
//! Nothing here runs unless the user passes `--verify` (or sets `verify = true`), and none
//! of it is compiled without the `verify` cargo feature, so a `--no-default-features` build
//! holds no network code at all.
//!
//! The types below are the seam between the verifiers (which build a request for one
//! secret and judge the answer, without touching the network) and the transport (which
//! sends requests under the safety rules: TLS, documented hosts only, limits, deadline).
//! Keeping the verifiers pure is what lets tests assert the exact request each one sends.

pub mod gcp;
pub mod sigv4;

/// An HTTP request a verifier wants sent. The transport refuses any whose host is not the
/// verifier's documented host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET` or `POST`: verifiers only make read-only calls.
    pub method: &'static str,
    /// The full `https://` URL.
    pub url: String,
    /// Header names and values, in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// The request body, empty for `GET`.
    pub body: Vec<u8>,
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, capped by the transport.
    pub body: Vec<u8>,
}

/// Whether the secret works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Liveness {
    /// The provider accepted it.
    Live,
    /// The provider said it is not valid (revoked, deleted, never valid).
    Revoked,
    /// No answer that says either: a network failure, a timeout, a 5xx, a rate limit, an
    /// answer the verifier does not understand. Never reported as revoked.
    Unknown,
}

/// A verifier's judgement of one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub liveness: Liveness,
    /// A short reason: `"HTTP 401"`, `"whoami: user alice"`, `"timed out"`. Never holds
    /// the secret.
    pub reason: String,
    /// For live secrets, what the provider says about reach: account, user, organisation,
    /// scopes, expiry (name, value), when it says so.
    pub reach: Vec<(String, String)>,
}
