//! A rule as SARIF describes it (`reportingDescriptor`): the text GitHub shows on an alert
//! and the properties it ranks alerts by.

use super::help::{help, RuleText};
use super::model::{Configuration, Help, Level, Message, ReportingDescriptor, RuleProperties};
use crate::finding::Finding;
use crate::rules::{Confidence, Rule, Severity};
use crate::validate::Strength;

/// GitHub shows at most this many tags per rule (it rejects more than 20).
const MAX_TAGS: usize = 10;

/// Rule tags that mark a credential for infrastructure or a model hub: a live one is at least
/// high severity whatever the rule file says.
const HIGH_IMPACT_TAGS: &[&str] = &["cloud", "model-hub"];

/// The SARIF level for a severity: GitHub shows `error` as an error, and so on.
pub fn level(severity: Severity) -> Level {
    match severity {
        Severity::Critical | Severity::High => Level::Error,
        Severity::Medium => Level::Warning,
        Severity::Low => Level::Note,
    }
}

/// The severity a rule is reported at: its own, raised to high for cloud and model-hub
/// credentials.
pub fn effective_severity(rule: &Rule) -> Severity {
    let high_impact = rule
        .tags
        .iter()
        .any(|t| HIGH_IMPACT_TAGS.contains(&t.as_str()));
    if high_impact {
        rule.severity.max(Severity::High)
    } else {
        rule.severity
    }
}

/// `security-severity`: GitHub reads > 9.0 as critical, 7.0 to 8.9 high, 4.0 to 6.9 medium,
/// below that low. Each value sits inside its band.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "2.0",
    }
}

/// `precision`: how often a result of this rule is a real credential, from the confidence
/// its findings reach (after their offline check): the same scale `--min-confidence` filters
/// on. A rule whose check proves the format (a checksum, a provider's structure) is
/// `very-high`.
fn precision(confidence: Confidence, proven: bool) -> &'static str {
    if proven && confidence == Confidence::High {
        return "very-high";
    }
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// `security`, `secret`, CWE-798 (hard-coded credentials), the provider, then the rule's own
/// tags; lower-case, no repeats, at most [`MAX_TAGS`].
fn tags(provider: Option<&str>, own: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = vec![
        "security".into(),
        "secret".into(),
        "external/cwe/cwe-798".into(),
    ];
    let provider = provider.iter().map(|p| p.to_lowercase());
    for tag in provider.chain(own.iter().map(|t| t.to_lowercase())) {
        if !tags.contains(&tag) && tags.len() < MAX_TAGS {
            tags.push(tag);
        }
    }
    tags
}

/// `huggingface-user-token` → `HuggingfaceUserToken`: SARIF wants `name` to be an
/// identifier; the readable name goes in `shortDescription`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The rule's `name`: its id in PascalCase, unless that differs from the id only in case
/// (`jwt` → `Jwt`), which SARIF1001 flags as confusable; then its readable name in
/// PascalCase (`JsonWebToken`), or failing that the id with a suffix.
fn identifier(about: &RuleText<'_>) -> String {
    let from_id = pascal_case(about.id);
    if !from_id.eq_ignore_ascii_case(about.id) {
        return from_id;
    }
    let from_name = pascal_case(about.name);
    if !from_name.is_empty() && !from_name.eq_ignore_ascii_case(about.id) {
        return from_name;
    }
    format!("{from_id}Secret")
}

/// The descriptor of a rule keyhound knows.
pub fn describe(rule: &Rule) -> ReportingDescriptor {
    let severity = effective_severity(rule);
    build(
        &RuleText::from(rule),
        severity,
        RuleProperties {
            tags: tags(rule.provider.as_deref(), &rule.tags),
            precision: precision(
                rule.validated_confidence(),
                rule.validate
                    .is_some_and(|c| c.strength() > Strength::Plausible),
            ),
            security_severity: security_severity(severity),
        },
    )
}

/// The descriptor of a rule the report context does not know (a finding from a rule set the
/// caller did not pass): built from what the finding itself says.
pub fn describe_unknown(finding: &Finding) -> ReportingDescriptor {
    let description = format!("{} (a hardcoded credential).", finding.rule_name);
    let about = RuleText {
        id: &finding.rule_id,
        name: &finding.rule_name,
        description: &description,
        provider: None,
        remediation: None,
        references: &[],
    };
    build(
        &about,
        finding.severity,
        RuleProperties {
            tags: tags(None, &[]),
            precision: precision(finding.confidence, false),
            security_severity: security_severity(finding.severity),
        },
    )
}

fn build(
    about: &RuleText<'_>,
    severity: Severity,
    properties: RuleProperties,
) -> ReportingDescriptor {
    let (text, markdown) = help(about);
    ReportingDescriptor {
        id: about.id.to_string(),
        name: identifier(about),
        short_description: Message::new(about.name.trim()),
        full_description: Message::new(about.description.trim()),
        help: Help { text, markdown },
        help_uri: about.references.first().cloned(),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_rules;

    fn rule(id: &str) -> Rule {
        builtin_rules().into_iter().find(|r| r.id == id).unwrap()
    }

    #[test]
    fn names_are_identifiers() {
        assert_eq!(
            pascal_case("huggingface-user-token"),
            "HuggingfaceUserToken"
        );
        assert_eq!(pascal_case("aws-access-key-id"), "AwsAccessKeyId");
    }

    #[test]
    fn cloud_and_model_hub_credentials_are_high_or_critical() {
        for r in builtin_rules() {
            let d = describe(&r);
            let score: f64 = d.properties.security_severity.parse().unwrap();
            assert!((0.0..=10.0).contains(&score));
            if r.tags.iter().any(|t| t == "cloud" || t == "model-hub") {
                assert!(score >= 7.0, "{} scored {score}", r.id);
            }
        }
        let mut weak = rule("huggingface-user-token");
        weak.severity = Severity::Low;
        assert_eq!(effective_severity(&weak), Severity::High);
    }

    #[test]
    fn tags_lead_with_security_and_secret_and_name_the_provider() {
        let d = describe(&rule("aws-access-key-id"));
        assert_eq!(&d.properties.tags[..2], ["security", "secret"]);
        assert!(d.properties.tags.contains(&"aws".to_string()));
        assert!(d.properties.tags.len() <= MAX_TAGS);
        assert_eq!(d.default_configuration.level, Level::Error);
    }
}
