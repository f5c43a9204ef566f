//! The rule schema: what a `patterns/*.toml` file (or a user's `.keyhound.toml`) may say.
//!
//! Rules are data so that adding a provider never touches the engine, and so that every rule
//! carries the examples that prove it matches what it should and nothing it should not.

use serde::{Deserialize, Serialize};

use crate::validate::{Check, Extract, Strength};

/// How sure keyhound is that a match is a live credential, before any offline validation.
/// A validated checksum raises a finding to `High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// How bad a leak of this credential is. Drives SARIF `security-severity` and report ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

/// One file of rules: `[[rule]]` tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
}

/// One detection rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable kebab-case identifier, e.g. `huggingface-user-token`. Part of every fingerprint,
    /// so it must never change once released.
    pub id: String,
    pub name: String,
    pub description: String,
    /// Provider or family, for tags and grouping (e.g. "AWS", "HuggingFace").
    #[serde(default)]
    pub provider: Option<String>,
    /// Literal strings, matched ASCII-case-insensitively by the prefilter. A rule's regex only
    /// runs near one of these, so they must be present in (or next to) every real match.
    pub keywords: Vec<String>,
    /// File names (the last path component, exact) on which this rule also runs over the
    /// whole item, keyword or not: for credentials a file holds with nothing around them to
    /// name them (Rails' `config/master.key` is 32 hex digits and a newline).
    #[serde(default)]
    pub file_names: Vec<String>,
    /// Regex with a named group `secret`. Compiled lazily on its first candidate window, and
    /// byte-oriented: `\s`, `\w`, `.`, negated classes and `(?i)` are ASCII (a negated class
    /// matches any other byte); write `(?u:...)` where a rule needs Unicode classes.
    pub regex: String,
    /// Minimum Shannon entropy (bits per byte) of the `secret` capture.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// An offline check (see [`Check`]), e.g. `github-crc32`. An unknown name fails to parse.
    #[serde(default)]
    pub validate: Option<Check>,
    /// An extractor (see [`Extract`]) for formats where the regex captures a whole structure
    /// (an SQL `INSERT`) and code must say which parts of it are secrets; each part is then
    /// validated as its own capture. An unknown name fails to parse.
    #[serde(default)]
    pub extract: Option<Extract>,
    pub confidence: Confidence,
    pub severity: Severity,
    /// How many lines around a keyword hit the regex may see. 0 (the default) is the hit's
    /// own line; multi-line secrets (PEM blocks) or context-dependent ones (an AWS secret
    /// next to its key id) declare more.
    #[serde(default)]
    pub window_lines: usize,
    /// Skip the placeholder/example heuristics (for rules whose secrets are structural, such
    /// as private-key blocks where the body carries its own checks).
    #[serde(default)]
    pub allow_placeholders: bool,
    /// The id of a rule whose findings pair with this one within `window_lines` (an AWS
    /// secret key with its access key id). A paired finding says so and gains confidence.
    #[serde(default)]
    pub pair_with: Option<String>,
    /// How many lines apart a pair may be (default 5).
    #[serde(default = "default_pair_lines")]
    pub pair_lines: usize,
    /// Only report this rule's matches when the regex's optional `context` group matched (the
    /// provider's name next to the value) or, with `pair_with`, when the partner is near.
    /// Context-dependent formats (32 hex characters, 40 base64 characters) must set this.
    #[serde(default)]
    pub require_context: bool,
    /// A generic rule (a secret-named assignment) yields to any specific rule whose secret
    /// overlaps its own, so `token = "ghp_..."` is reported once, as a GitHub token.
    #[serde(default)]
    pub generic: bool,
    /// How to revoke and rotate this credential with its provider (shown in SARIF help and
    /// text reports). Plain text, a sentence or two.
    #[serde(default)]
    pub remediation: Option<String>,
    /// Provider documentation: how the credential looks, how to revoke it.
    #[serde(default)]
    pub references: Vec<String>,
    /// Extra tags (SARIF `properties.tags`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Texts in which this rule must report at least one finding: a plain string, or
    /// `{ text = "...", secret = "..." }` naming the exact secret it must capture, so a
    /// capture that swallows a quote or stops short fails the rule's own test.
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Texts in which this rule must report nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// How `--verify` checks this rule's secrets with the provider (see
    /// [`super::verify::VerifySpec`]); none means it cannot be checked live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<super::verify::VerifySpec>,
}

/// One positive example of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Example {
    /// The rule must report something in this text.
    Text(String),
    /// The rule must report exactly `secret` in `text`.
    Expect { text: String, secret: String },
}

impl Rule {
    /// The confidence a finding of this rule reaches after passing a check of `strength`.
    ///
    /// `high` means the format is proven: a checksum holds, or a provider's rule sees its own
    /// structure (a PyPI macaroon naming pypi.org, a Discord token whose first part decodes to
    /// a user id). A structure a generic rule sees proves less: a JWT's header decodes for
    /// every JWT, issued credential or signed attestation alike, and its signature cannot be
    /// checked offline; it lifts a generic finding to `medium` at most.
    pub fn confidence_after(&self, strength: Strength) -> Confidence {
        match strength {
            Strength::Checksum => Confidence::High,
            Strength::Structure if self.generic => self.confidence.max(Confidence::Medium),
            Strength::Structure => Confidence::High,
            Strength::Plausible => self.confidence,
        }
    }

    /// The confidence this rule's findings reach when its check passes (or its own, without
    /// one): what SARIF's `precision` says before any finding is seen.
    pub fn validated_confidence(&self) -> Confidence {
        self.validate.map_or(self.confidence, |check| {
            self.confidence_after(check.strength())
        })
    }
}

impl Example {
    /// The text the rule runs on.
    pub fn text(&self) -> &str {
        match self {
            Example::Text(text) | Example::Expect { text, .. } => text,
        }
    }

    /// The secret the rule must capture, when the example names one.
    pub fn secret(&self) -> Option<&str> {
        match self {
            Example::Text(_) => None,
            Example::Expect { secret, .. } => Some(secret),
        }
    }
}

impl From<&str> for Example {
    fn from(text: &str) -> Self {
        Example::Text(text.to_string())
    }
}

fn default_pair_lines() -> usize {
    5
}
