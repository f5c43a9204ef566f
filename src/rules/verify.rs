//! `[rule.verify]`: how a rule's secrets are checked live, declared beside the rule.
//!
//! A verifier is data for the common case: one read-only HTTP call (a whoami, a key-info or
//! a list-models endpoint) whose answer says live or revoked by its status, sometimes by a
//! JSON field too (Slack answers 200 with `"ok": false`). Verifiers that need signing or a
//! token exchange name a [`CodeVerifier`] instead; the code lives in `crate::verify`.
//! Nothing here touches the network: `keyhound rules check` validates these tables in
//! every build.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One rule's verifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifySpec {
    /// A verifier written in code (signing, a token exchange) instead of the HTTP fields.
    #[serde(default)]
    pub code: Option<CodeVerifier>,
    /// No honest read-only check exists for this credential: the reason, reported as the
    /// `unknown` outcome of every such finding. Nothing is sent.
    #[serde(default)]
    pub unverifiable: Option<String>,
    /// `GET` (the default) or `POST` (a read-only query some APIs take only as a POST).
    #[serde(default)]
    pub method: Method,
    /// The `https://` URL. `{host}` stands for a host found beside the secret (a
    /// Databricks workspace), which must match one of [`VerifySpec::hosts`].
    #[serde(default)]
    pub url: Option<String>,
    /// Host patterns (`*.cloud.databricks.com`) a `{host}` found beside the secret must
    /// match; only with `{host}` in the URL.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// How the secret is sent.
    #[serde(default)]
    pub auth: Option<Auth>,
    /// Other headers the provider requires (an API version), sent as given.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// A request body (a read-only GraphQL query), sent as given.
    #[serde(default)]
    pub body: Option<String>,
    /// Secrets of other rules found beside this one that the call needs too (a Datadog
    /// application key is checked with the API key next to it).
    #[serde(default)]
    pub companions: Vec<CompanionHeader>,
    /// Statuses that mean live (with [`VerifySpec::live_if`], only when it holds too).
    #[serde(default)]
    pub live: Vec<u16>,
    /// Statuses that mean revoked (with [`VerifySpec::revoked_if`], only when it holds).
    /// Never 429 or 5xx: those say nothing about the secret.
    #[serde(default)]
    pub revoked: Vec<u16>,
    /// Said with every `revoked` outcome, where a refusal has a caveat (a token of a
    /// self-managed GitLab is refused by gitlab.com too).
    #[serde(default)]
    pub revoked_note: Option<String>,
    /// A JSON field that must hold for a live status to mean live.
    #[serde(default)]
    pub live_if: Option<Condition>,
    /// A JSON field that must hold for a revoked status to mean revoked.
    #[serde(default)]
    pub revoked_if: Option<Condition>,
    /// What a live answer says about reach: `"/json/pointer"` into the body, or
    /// `"header:NAME"` for a response header.
    #[serde(default)]
    pub reach: BTreeMap<ReachKey, String>,
}

/// HTTP methods a verifier may use: only ones that read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Method {
    #[default]
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// How the secret is sent. `auth = "bearer"`, `auth = { header = "x-api-key" }`, ...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    /// `Authorization: Bearer SECRET`.
    Bearer,
    /// `NAME: SECRET`.
    Header(String),
    /// HTTP basic auth with the secret as the user name and no password (Stripe).
    BasicUser,
    /// HTTP basic auth with this user name and the secret as the password (W&B: `api`).
    BasicPassword(String),
    /// A query parameter: only where the provider documents no other way.
    Query(String),
}

/// Verifiers written in code, each one match arm in `crate::verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeVerifier {
    /// AWS STS `GetCallerIdentity`, SigV4-signed with the secret and its access key id.
    AwsSts,
    /// A GCP service account's OAuth token exchange (an RS256-signed JWT assertion), from
    /// the key file around the finding.
    GcpToken,
}

/// The material a verifier needs besides the secret, gathered from the scanned text at scan
/// time (and never serialised): see `Finding::companions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// The raw secret of the nearest finding of this rule in the same text.
    Rule(String),
    /// The text around the match (up to [`DOCUMENT_BYTES`]), under the name `document`.
    Document,
    /// A host matching one of these patterns, under the name `host`.
    Host(Vec<String>),
}

/// How much text around a match a `document` companion keeps, in bytes.
pub const DOCUMENT_BYTES: usize = 8 * 1024;

impl CodeVerifier {
    /// The host the verifier calls (for `rules list` and the README).
    pub fn host(self) -> &'static str {
        match self {
            CodeVerifier::AwsSts => "sts.amazonaws.com",
            CodeVerifier::GcpToken => "oauth2.googleapis.com",
        }
    }

    /// What it needs from the finding.
    pub fn needs(self) -> Vec<Need> {
        match self {
            // The session token only for temporary (`ASIA`) keys, when one is beside it.
            CodeVerifier::AwsSts => vec![
                Need::Rule("aws-access-key-id".into()),
                Need::Rule("aws-session-token".into()),
            ],
            CodeVerifier::GcpToken => vec![Need::Document],
        }
    }
}

/// A companion secret sent in a header of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanionHeader {
    /// The rule whose secret is needed.
    pub rule: String,
    /// The header it is sent in.
    pub header: String,
}

/// A condition on a JSON answer: the value at `pointer` equals `equals`, or is one of
/// `one_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub pointer: String,
    #[serde(default)]
    pub equals: Option<serde_json::Value>,
    #[serde(default)]
    pub one_of: Vec<serde_json::Value>,
}

impl Condition {
    /// Whether `body` satisfies it (an absent field does not).
    pub fn holds(&self, body: &serde_json::Value) -> bool {
        body.pointer(&self.pointer).is_some_and(|found| {
            self.equals.as_ref().is_some_and(|v| v == found) || self.one_of.contains(found)
        })
    }
}

/// The reach facts a verifier may report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReachKey {
    Account,
    User,
    Org,
    Scopes,
    Expiry,
}

impl ReachKey {
    pub fn as_str(self) -> &'static str {
        match self {
            ReachKey::Account => "account",
            ReachKey::User => "user",
            ReachKey::Org => "org",
            ReachKey::Scopes => "scopes",
            ReachKey::Expiry => "expiry",
        }
    }
}

impl VerifySpec {
    /// The host the secret is sent to, for `rules list`: the URL's, or the code verifier's;
    /// `None` for an unverifiable rule.
    pub fn host(&self) -> Option<String> {
        if let Some(code) = self.code {
            return Some(code.host().to_string());
        }
        let url = self.url.as_deref()?;
        if url.contains("{host}") {
            return Some(self.hosts.join("|"));
        }
        url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
    }

    /// What this verifier needs gathered beside the secret at scan time.
    pub fn needs(&self) -> Vec<Need> {
        if let Some(code) = self.code {
            return code.needs();
        }
        let mut needs: Vec<Need> = self
            .companions
            .iter()
            .map(|c| Need::Rule(c.rule.clone()))
            .collect();
        if self.url.as_deref().is_some_and(|u| u.contains("{host}")) {
            needs.push(Need::Host(self.hosts.clone()));
        }
        needs
    }

    /// What is wrong with this table, if anything (checked with the other rule definitions).
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let kinds = [
            self.code.is_some(),
            self.unverifiable.is_some(),
            self.url.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            problems.push("verify needs exactly one of `code`, `unverifiable` or `url`".into());
            return problems;
        }
        let Some(url) = &self.url else {
            return problems;
        };
        let templated = url.contains("{host}");
        match url::Url::parse(&url.replace("{host}", "example.com")) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some() => {}
            _ => problems.push(format!("verify.url {url:?} must be an https:// URL")),
        }
        if templated == self.hosts.is_empty() {
            problems.push("verify.hosts goes with a {host} in verify.url, and only then".into());
        }
        if self.auth.is_none() {
            problems.push("verify.auth must say how the secret is sent".into());
        }
        if self.live.is_empty() {
            problems.push("verify.live must list the statuses that mean live".into());
        }
        for status in &self.revoked {
            if *status == 429 || *status >= 500 || (300..400).contains(status) {
                problems.push(format!(
                    "verify.revoked lists {status}, which says nothing about the secret"
                ));
            }
            if self.live.contains(status) && self.revoked_if.is_none() {
                problems.push(format!(
                    "status {status} is both live and revoked; revoked_if must tell them apart"
                ));
            }
        }
        for condition in self.live_if.iter().chain(&self.revoked_if) {
            if !condition.pointer.starts_with('/') {
                problems.push(format!(
                    "condition pointer {:?} must be a JSON pointer",
                    condition.pointer
                ));
            }
            if condition.equals.is_none() && condition.one_of.is_empty() {
                problems.push("a condition needs `equals` or `one_of`".into());
            }
        }
        for (key, source) in &self.reach {
            if !(source.starts_with('/') || source.starts_with("header:")) {
                problems.push(format!(
                    "verify.reach.{} must be a JSON pointer or header:NAME",
                    key.as_str()
                ));
            }
        }
        problems
    }
}
