//! Opt-in live verification: asks a provider's own API whether a found secret still works.
//!
//! Nothing here runs unless the user passes `--verify` (or sets `verify = true`). The
//! network code (`transport`, and `pool` which drives it) is compiled only with the `verify`
//! cargo feature, so a `--no-default-features` build holds no HTTP client at all; the rest
//! is pure and always built, because findings carry an [`Outcome`] and `rules check`
//! validates every rule's verifier table in every build.
//!
//! The types below are the seam between the verifiers (which build a request for one
//! secret and judge the answer, without touching the network: [`http`] for the tables
//! declared beside the rules, `code` for the ones written in code) and the transport
//! (which sends requests under the safety rules: TLS, documented hosts only, limits,
//! deadline). Keeping the verifiers pure is what lets tests assert the exact request each
//! one sends.

// The signing verifiers need ring, which only the `verify` feature brings.
#[cfg(feature = "verify")]
pub mod gcp;
#[cfg(feature = "verify")]
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

mod code;
pub mod companions;
pub mod endpoint;
pub mod http;
#[cfg(feature = "verify")]
pub mod pool;
#[cfg(feature = "verify")]
pub mod transport;

pub use endpoint::Override;

/// A provider's string made safe for a one-line reason: control characters dropped, at most
/// 200 characters. (The signing verifiers use it, so it is built with them.)
#[cfg(feature = "verify")]
pub(crate) fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(200).collect()
}

impl Job<'_> {
    /// The value found beside the secret under `name` (`aws-access-key-id`, `document`).
    pub fn companion(&self, name: &str) -> Option<&str> {
        self.companions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Outcome {
    /// An answer that says neither live nor revoked, for `reason` (a fixed phrase).
    pub fn unknown(reason: impl Into<String>) -> Outcome {
        Outcome {
            liveness: Liveness::Unknown,
            reason: reason.into(),
            reach: Vec::new(),
        }
    }

    /// How the text report shows it: `live (user alice, scopes repo)`, `revoked (HTTP 401)`.
    pub fn describe(&self) -> String {
        let status = self.liveness.as_str();
        let mut details: Vec<String> = self
            .reach
            .iter()
            .map(|(key, value)| format!("{key} {value}"))
            .collect();
        if details.is_empty() || self.liveness != Liveness::Live {
            details.insert(0, self.reason.clone());
        }
        details.retain(|d| !d.is_empty());
        if details.is_empty() {
            status.to_string()
        } else {
            format!("{status} ({})", details.join(", "))
        }
    }
}

/// What every verifier makes of a status that says nothing about the secret.
pub fn unknown_by_status(status: u16) -> Option<Outcome> {
    match status {
        300..=399 => Some(Outcome::unknown(format!(
            "redirected (HTTP {status}), not followed"
        ))),
        429 => Some(Outcome::unknown("rate limited (HTTP 429)")),
        500..=599 => Some(Outcome::unknown(format!("provider error (HTTP {status})"))),
        _ => None,
    }
}

impl Liveness {
    pub fn as_str(self) -> &'static str {
        match self {
            Liveness::Live => "live",
            Liveness::Revoked => "revoked",
            Liveness::Unknown => "unknown",
        }
    }
}

/// How a run verifies: what `--verify` and its companion flags (or `verify = true`) ask.
#[derive(Debug, Clone)]
pub struct Options {
    /// Report only findings verified live.
    pub only_live: bool,
    /// Per request: connecting, then the whole exchange.
    pub timeout: std::time::Duration,
    /// For the whole run's verification; checks not started by then are `unknown: deadline`.
    pub deadline: std::time::Duration,
    /// Requests started per second, across every provider.
    pub rate: f64,
    /// Requests in flight to one host at once.
    pub per_host: usize,
    /// Requests in flight at once, in all.
    pub workers: usize,
    /// `--verify-endpoint`: test servers standing in for providers (loopback only).
    pub endpoints: Vec<Override>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            only_live: false,
            timeout: std::time::Duration::from_secs(10),
            deadline: std::time::Duration::from_secs(120),
            rate: 10.0,
            per_host: 2,
            workers: 8,
            endpoints: Vec::new(),
        }
    }
}

/// One check to make: a verifier, the secret and what was found beside it.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    pub rule_id: &'a str,
    /// The rule's provider (`HuggingFace`), which `--verify-endpoint` may name.
    pub provider: Option<&'a str>,
    pub spec: &'a crate::rules::VerifySpec,
    pub secret: &'a str,
    pub companions: &'a [(String, String)],
}
