//! Rules: the bundled `patterns/*.toml`, user rules, and the checks every rule must pass
//! before the engine will take it.

mod schema;
mod verify;

pub use schema::{Confidence, Example, Rule, RuleFile, Severity};
pub use verify::{
    Auth, CodeVerifier, CompanionHeader, Condition, Method, Need, ReachKey, VerifySpec,
    DOCUMENT_BYTES,
};

use std::borrow::Borrow;
use std::collections::HashSet;

use crate::error::Error;

include!(concat!(env!("OUT_DIR"), "/embedded_patterns.rs"));

/// Parses one rule file. `origin` names it in errors (a path, or `patterns/aws.toml`).
pub fn parse_rule_file(origin: &str, text: &str) -> Result<Vec<Rule>, Error> {
    let file: RuleFile = toml::from_str(text).map_err(|e| Error::Config {
        path: origin.to_string(),
        message: e.to_string(),
    })?;
    Ok(file.rules)
}

/// Every rule in the `*.toml` files of `dir`, in file-name then definition order: what a
/// rule author checks with `keyhound rules check --patterns DIR` before the files are
/// bundled (bundling needs a rebuild; checking a directory does not).
pub fn load_rule_dir(dir: &std::path::Path) -> Result<Vec<Rule>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    let mut rules = Vec::new();
    for path in files {
        let text = crate::own_file::read_own_file(&path, crate::own_file::MAX_OWN_FILE)
            .and_then(|t| t.ok_or_else(|| std::io::ErrorKind::NotFound.into()))
            .map_err(|e| Error::io(&path, e))?;
        rules.extend(parse_rule_file(&path.display().to_string(), &text)?);
    }
    Ok(rules)
}

/// Every bundled rule, in file then definition order.
pub fn builtin_rules() -> Vec<Rule> {
    bundled_rules().to_vec()
}

/// Every bundled rule, parsed once per process: the embedded rules are about 1 MB, and a
/// scan with a config needs the rules more than once (checking ids, then building the engine).
pub fn bundled_rules() -> &'static [Rule] {
    static RULES: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        EMBEDDED_RULE_FILES
            .iter()
            .flat_map(|(name, json)| {
                // Bundled files are checked by tests; a broken one is a build defect, not user
                // input.
                let file: RuleFile = serde_json::from_str(json).unwrap_or_else(|e| {
                    panic!("bundled rule file patterns/{name} is invalid: {e}")
                });
                file.rules
            })
            .collect()
    })
}

/// Checks what can be checked without running a rule: ids well-formed and unique, keywords
/// present, validators known, pairings pointing at real rules. Regexes are compiled by
/// [`crate::engine::Engine::check_rule`], which also runs the examples.
pub fn check_definitions<R: Borrow<Rule>>(rules: &[R]) -> Result<(), Error> {
    match definition_problems(rules).into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Every definition problem of `rules`, not only the first, so `rules check` can list them
/// all at once.
pub fn definition_problems<R: Borrow<Rule>>(rules: &[R]) -> Vec<Error> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let ids: HashSet<&str> = rules.iter().map(|r| r.borrow().id.as_str()).collect();
    for rule in rules.iter().map(Borrow::borrow) {
        let mut bad = |message: String| {
            problems.push(Error::Rule {
                id: rule.id.clone(),
                message,
            })
        };
        if rule.id.is_empty()
            || !rule
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            bad("id must be kebab-case (a-z, 0-9, -)".into());
        }
        if !seen.insert(rule.id.as_str()) {
            bad("duplicate rule id".into());
        }
        let no_trigger = rule.keywords.is_empty() && rule.file_names.is_empty();
        if no_trigger || rule.keywords.iter().any(|k| k.trim().len() < 2) {
            bad(
                "every rule needs keywords of at least 2 characters (the prefilter runs a rule only near one) or file_names"
                    .into(),
            );
        }
        if rule
            .file_names
            .iter()
            .any(|n| n.is_empty() || n.contains(['/', '\\', '!']))
        {
            bad("file_names are bare file names (no directories)".into());
        }
        if let Some(other) = &rule.pair_with {
            if !ids.contains(other.as_str()) {
                bad(format!("pair_with names unknown rule {other:?}"));
            }
        }
        if rule.require_context && !rule.regex.contains("(?P<context>") {
            bad("require_context needs a (?P<context>...) group in the regex".into());
        }
        if let Some(spec) = &rule.verify {
            for problem in spec.problems() {
                bad(problem);
            }
            for need in spec.needs() {
                if let Need::Rule(other) = need {
                    if !ids.contains(other.as_str()) {
                        bad(format!("verify needs the secret of unknown rule {other:?}"));
                    }
                }
            }
        }
    }
    problems
}

/// Style problems a reviewer would raise: a long regex written on one line. `(?x)` lets it
/// be laid out and commented, so each part can be read in review.
pub fn lint(rule: &Rule) -> Vec<String> {
    let mut problems = Vec::new();
    if rule.regex.len() > LONG_REGEX && !rule.regex.contains("(?x)") {
        problems.push(format!(
            "regex is {} characters on one line; write it with (?x) and lay it out",
            rule.regex.len()
        ));
    }
    problems
}

/// Regexes longer than this must use `(?x)`.
pub const LONG_REGEX: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    /// The build converts the rule files to JSON; what a scan loads must be exactly what the
    /// TOML says.
    #[test]
    fn bundled_rules_are_the_rule_files_as_written() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
        let from_toml = load_rule_dir(&dir).expect("patterns/ parses");
        let as_json = |rules: &[Rule]| serde_json::to_value(rules).expect("rules serialise");
        assert!(from_toml.len() > 500);
        assert_eq!(as_json(bundled_rules()), as_json(&from_toml));
    }
}
