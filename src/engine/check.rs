//! Checking a rule against its own examples, with failures that say which example failed so
//! a config error can point at it.

use std::fmt;

use super::Engine;

/// Why a rule fails its own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleFailure {
    /// The regex does not compile (or lacks the `secret` group).
    Regex(String),
    NoExamples,
    NoNegativeExamples,
    /// `examples[index]` produced no finding of this rule.
    ExampleMissed {
        index: usize,
        example: String,
    },
    /// `examples[index]` names a secret, and this rule reported others but not it.
    WrongSecret {
        index: usize,
        example: String,
        expected: String,
        found: Vec<String>,
    },
    /// `negative_examples[index]` produced a finding of this rule.
    NegativeMatched {
        index: usize,
        example: String,
    },
}

impl fmt::Display for RuleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleFailure::Regex(e) => write!(f, "regex does not compile: {e}"),
            RuleFailure::NoExamples => f.write_str("has no examples"),
            RuleFailure::NoNegativeExamples => f.write_str("has no negative examples"),
            RuleFailure::ExampleMissed { example, .. } => {
                write!(f, "example does not match: {example:?}")
            }
            RuleFailure::WrongSecret {
                example,
                expected,
                found,
                ..
            } => write!(
                f,
                "example captures {found:?}, not the secret it names ({expected:?}): {example:?}"
            ),
            RuleFailure::NegativeMatched { example, .. } => {
                write!(f, "negative example matches: {example:?}")
            }
        }
    }
}

impl Engine {
    /// Compiles rule `index`'s regex and runs its examples: each example must produce a
    /// finding of this rule, each negative example none. Returns every failure found.
    pub fn rule_failures(&self, index: usize) -> Vec<RuleFailure> {
        let compiled = &self.rules[index];
        if let Err(e) = compiled.regex() {
            return vec![RuleFailure::Regex(e.to_string())];
        }
        let rule = &compiled.rule;
        let mut failures = Vec::new();
        if rule.examples.is_empty() {
            failures.push(RuleFailure::NoExamples);
        }
        if rule.negative_examples.is_empty() {
            failures.push(RuleFailure::NoNegativeExamples);
        }
        // A rule that runs on named files is shown its examples as the first such file.
        let file = rule.file_names.first().map_or("", String::as_str);
        let secrets = |text: &str| -> Vec<String> {
            self.find_in_file(
                text.as_bytes(),
                file,
                &mut None,
                &mut super::Work::default(),
            )
            .iter()
            .filter(|m| m.rule == index)
            .map(|m| String::from_utf8_lossy(&text.as_bytes()[m.secret.clone()]).into_owned())
            .collect()
        };
        let reports = |text: &str| !secrets(text).is_empty();
        for (i, example) in rule.examples.iter().enumerate() {
            let found = secrets(example.text());
            if found.is_empty() {
                failures.push(RuleFailure::ExampleMissed {
                    index: i,
                    example: example.text().to_string(),
                });
            } else if let Some(expected) = example.secret() {
                if !found.iter().any(|s| s == expected) {
                    failures.push(RuleFailure::WrongSecret {
                        index: i,
                        example: example.text().to_string(),
                        expected: expected.to_string(),
                        found,
                    });
                }
            }
        }
        for (i, example) in rule.negative_examples.iter().enumerate() {
            if reports(example) {
                failures.push(RuleFailure::NegativeMatched {
                    index: i,
                    example: example.clone(),
                });
            }
        }
        failures
    }
}
