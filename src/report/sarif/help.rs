//! A rule's help, as GitHub shows it on every alert: what the credential is, why a leak
//! matters, how to revoke and rotate it with its provider, and how to allow a false
//! positive. Plain text and Markdown say the same thing.

use std::fmt::Write;

use crate::rules::Rule;

/// What the help says about a rule: borrowed from a [`Rule`], or made up from a finding
/// whose rule the report was not given.
#[derive(Debug, Clone, Copy)]
pub struct RuleText<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub provider: Option<&'a str>,
    pub remediation: Option<&'a str>,
    pub references: &'a [String],
}

impl<'a> From<&'a Rule> for RuleText<'a> {
    fn from(rule: &'a Rule) -> Self {
        RuleText {
            id: &rule.id,
            name: &rule.name,
            description: &rule.description,
            provider: rule.provider.as_deref(),
            remediation: rule.remediation.as_deref(),
            references: &rule.references,
        }
    }
}

/// Said of every leaked credential; the reason to act even after deleting the line.
const WHY: &str = "Anyone who can read this repository, a clone or fork of it, or anything \
built from it can use this credential with its owner's permissions. Deleting the line does \
not undo the leak: the value stays in git history and in every existing clone, so treat it \
as compromised.";

/// The help text and Markdown for `rule`.
pub fn help(rule: &RuleText<'_>) -> (String, String) {
    (text(rule), markdown(rule))
}

/// How to revoke this credential: the rule's own remediation, or a provider-neutral one.
fn revoke(rule: &RuleText<'_>) -> String {
    if let Some(remediation) = rule.remediation.map(str::trim).filter(|r| !r.is_empty()) {
        return remediation.to_string();
    }
    match rule.provider {
        Some(provider) => format!(
            "Revoke or delete this credential where {provider} issued it (its console, CLI or \
             API), create a replacement with only the permissions it needs, and update \
             whatever used the old one."
        ),
        None => "Change this secret wherever it is accepted (the service, database or account \
                 it belongs to), then update whatever used the old value."
            .to_string(),
    }
}

fn audit(rule: &RuleText<'_>) -> String {
    let whose = rule
        .provider
        .map_or_else(|| "the service's".to_string(), |p| format!("{p}'s"));
    format!(
        "Check {whose} access or audit logs for use you do not recognise since the commit \
         that added it."
    )
}

const RELOAD: &str = "Load the new value at run time (a secret manager, your CI's secret \
store, or an environment variable) instead of committing it.";

fn text(rule: &RuleText<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", rule.name, rule.description.trim());
    let _ = writeln!(out, "\nWhy it matters: {WHY}");
    let _ = writeln!(out, "\nWhat to do:");
    let _ = writeln!(out, "1. Revoke and rotate it. {}", revoke(rule));
    let _ = writeln!(out, "2. {}", audit(rule));
    let _ = writeln!(out, "3. {RELOAD}");
    if !rule.references.is_empty() {
        let _ = writeln!(out, "\nReferences:");
        for reference in rule.references {
            let _ = writeln!(out, "- {reference}");
        }
    }
    let _ = writeln!(
        out,
        "\nIf this is not a real secret (a test fixture, an example value):\n\
         - put a comment containing keyhound:allow on the line (or keyhound:allow-next-line \
         on the line before), or\n\
         - list the file's path under [allowlist] paths in .keyhound.toml, or\n\
         - turn the rule off with disabled_rules = [\"{}\"] in .keyhound.toml.",
        rule.id
    );
    out.trim_end().to_string()
}

fn markdown(rule: &RuleText<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", rule.name);
    let _ = writeln!(out, "{}\n", rule.description.trim());
    if let Some(provider) = rule.provider {
        let _ = writeln!(out, "Provider: **{provider}**. Rule id: `{}`.\n", rule.id);
    } else {
        let _ = writeln!(out, "Rule id: `{}`.\n", rule.id);
    }
    let _ = writeln!(out, "## Why it matters\n\n{WHY}\n");
    let _ = writeln!(out, "## What to do\n");
    let _ = writeln!(out, "1. **Revoke and rotate it.** {}", revoke(rule));
    let _ = writeln!(out, "2. {}", audit(rule));
    let _ = writeln!(out, "3. {RELOAD}\n");
    if !rule.references.is_empty() {
        let _ = writeln!(out, "## References\n");
        for reference in rule.references {
            let _ = writeln!(out, "- <{reference}>");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "## If this is a false positive\n\n\
         For a test fixture or an example value, do one of these:\n\n\
         - Mark the line with a comment containing `keyhound:allow` (or put \
         `keyhound:allow-next-line` on the line before it):\n\n\
         \x20 ```python\n\
         \x20 EXAMPLE_TOKEN = \"...\"  # keyhound:allow\n\
         \x20 ```\n\n\
         - Allowlist the path in `.keyhound.toml` at the repository root:\n\n\
         \x20 ```toml\n\
         \x20 [allowlist]\n\
         \x20 paths = [\"tests/fixtures/\"]\n\
         \x20 ```\n\n\
         - Turn the rule off: `disabled_rules = [\"{}\"]` in `.keyhound.toml`.",
        rule.id
    );
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin_rules;

    #[test]
    fn help_covers_what_why_how_and_allowing() {
        let rules = builtin_rules();
        let rule = rules
            .iter()
            .find(|r| r.id == "huggingface-user-token")
            .unwrap();
        let (text, markdown) = help(&rule.into());
        for doc in [&text, &markdown] {
            assert!(doc.contains(rule.description.trim()), "{doc}");
            assert!(doc.contains("git history"));
            assert!(doc.contains("HuggingFace"));
            assert!(doc.contains("keyhound:allow"));
            assert!(doc.contains(".keyhound.toml"));
            assert!(doc.contains("https://huggingface.co/docs/hub/security-tokens"));
        }
        assert!(markdown.contains("## What to do"));
    }

    #[test]
    fn remediation_text_wins_over_the_generic_one() {
        let rule = builtin_rules().remove(0);
        let mut about = RuleText::from(&rule);
        about.remediation = Some("Delete it at https://example.test/keys.");
        assert!(text(&about).contains("Delete it at https://example.test/keys."));
        about.remediation = None;
        about.provider = None;
        assert!(text(&about).contains("wherever it is accepted"));
    }
}
