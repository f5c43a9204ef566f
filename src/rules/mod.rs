//! Rules: the bundled `patterns/*.toml`, user rules, and the checks every rule must pass
//! before the engine will take it.

mod schema;

pub use schema::{Confidence, Rule, RuleFile, Severity};

use std::collections::HashSet;

use crate::error::Error;
use crate::validate::CHECK_NAMES;

include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));

/// Parses one rule file. `origin` names it in errors (a path, or `patterns/aws.toml`).
pub fn parse_rule_file(origin: &str, text: &str) -> Result<Vec<Rule>, Error> {
    let file: RuleFile = toml::from_str(text).map_err(|e| Error::Config {
        path: origin.to_string(),
        message: e.to_string(),
    })?;
    Ok(file.rules)
}

/// Every bundled rule, in file then definition order.
pub fn builtin_rules() -> Vec<Rule> {
    bundled_rules().to_vec()
}

/// Every bundled rule, parsed once per process: the embedded TOML is hundreds of KB, and a
/// scan with a config needs the rules more than once (checking ids, then building the engine).
pub fn bundled_rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        EMBEDDED_RULE_FILES
            .iter()
            .flat_map(|(name, text)| {
                // Bundled files are checked by tests; a broken one is a build defect, not user
                // input.
                parse_rule_file(name, text)
                    .unwrap_or_else(|e| panic!("bundled rule file patterns/{name} is invalid: {e}"))
            })
            .collect()
    })
}

/// Checks what can be checked without running a rule: ids well-formed and unique, keywords
/// present, validators known, pairings pointing at real rules. Regexes are compiled by
/// [`crate::engine::Engine::check_rule`], which also runs the examples.
pub fn check_definitions(rules: &[Rule]) -> Result<(), Error> {
    let mut seen = HashSet::new();
    let ids: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for rule in rules {
        let bad = |message: String| Error::Rule {
            id: rule.id.clone(),
            message,
        };
        if rule.id.is_empty()
            || !rule
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(bad("id must be kebab-case (a-z, 0-9, -)".into()));
        }
        if !seen.insert(rule.id.as_str()) {
            return Err(bad("duplicate rule id".into()));
        }
        if rule.keywords.is_empty() || rule.keywords.iter().any(|k| k.trim().len() < 2) {
            return Err(bad(
                "every rule needs keywords of at least 2 characters (the prefilter runs a rule only near one)"
                    .into(),
            ));
        }
        if let Some(check) = &rule.validate {
            if !CHECK_NAMES.contains(&check.as_str()) {
                return Err(bad(format!(
                    "unknown validator {check:?}; known: {}",
                    CHECK_NAMES.join(", ")
                )));
            }
        }
        if let Some(other) = &rule.pair_with {
            if !ids.contains(other.as_str()) {
                return Err(bad(format!("pair_with names unknown rule {other:?}")));
            }
        }
        if rule.require_context && !rule.regex.contains("(?P<context>") {
            return Err(bad(
                "require_context needs a (?P<context>...) group in the regex".into(),
            ));
        }
    }
    Ok(())
}
