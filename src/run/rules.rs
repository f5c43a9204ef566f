//! `keyhound rules list` and `keyhound rules check`, as data: the command line formats it.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::plan::{load_config, user_rule_problems};
use crate::rules::{definition_problems, lint, load_rule_dir, Confidence, Rule, Severity};

/// One row of `rules list`.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub provider: Option<String>,
    pub keywords: Vec<String>,
    pub confidence: Confidence,
    pub severity: Severity,
    /// `builtin`, or the config file that defines the rule.
    pub source: String,
    pub enabled: bool,
    /// The host `--verify` sends this rule's secrets to; `unverifiable` when the rule says
    /// no honest check exists; `None` without a verifier.
    pub verifier: Option<String>,
}

/// Every rule, bundled and the config's own (`config`, else `.keyhound.toml` here), with
/// whether it is enabled.
pub fn list(config: Option<&Path>) -> Result<Vec<Row>, Error> {
    let (config, _) = load_config(config, Path::new("."))?;
    let user: HashSet<&str> = config.rules.iter().map(|r| r.id.as_str()).collect();
    let disabled: HashSet<&str> = config.disabled_rules.iter().map(String::as_str).collect();
    Ok(config
        .all_rules()
        .iter()
        .map(|r| Row {
            id: r.id.clone(),
            name: r.name.clone(),
            provider: r.provider.clone(),
            keywords: r.keywords.clone(),
            confidence: r.confidence,
            severity: r.severity,
            source: if user.contains(r.id.as_str()) {
                config.display_name()
            } else {
                "builtin".into()
            },
            enabled: !disabled.contains(r.id.as_str()),
            verifier: r
                .verify
                .as_ref()
                .map(|v| v.host().unwrap_or_else(|| "unverifiable".to_string())),
        })
        .collect())
}

/// What `rules check` found.
#[derive(Debug)]
pub struct Checked {
    /// One line per problem: definitions, examples, negative examples, lint.
    pub failures: Vec<String>,
    /// Rules checked, and how many of them the config defines.
    pub rules: usize,
    pub user_rules: usize,
    /// Where the user rules came from (the config file's name).
    pub config_name: String,
}

/// Runs every rule's examples and negative examples: the bundled rules and the config's own,
/// or (`patterns`) the rule files of a directory; all but the config's own are linted too.
/// Every problem is listed, not only the first.
pub fn check(config: Option<&Path>, patterns: Option<&Path>) -> Result<Checked, Error> {
    let (config, rules, origin) = match patterns {
        Some(dir) => (
            crate::config::Config::default(),
            load_rule_dir(dir)?,
            dir.display().to_string(),
        ),
        None => {
            let (config, _) = load_config(config, Path::new("."))?;
            let rules = config.all_rules();
            (config, rules, "builtin".to_string())
        }
    };
    let mut failures: Vec<String> = Vec::new();
    // The rules behind definition problems are left out of the engine so the others can
    // still be run against their examples.
    let mut broken: HashSet<String> = HashSet::new();
    for problem in definition_problems(&rules) {
        if let Error::Rule { id, .. } = &problem {
            broken.insert(id.clone());
        }
        failures.push(format!("{problem}"));
    }
    let runnable: Vec<Rule> = rules
        .iter()
        .filter(|r| !broken.contains(&r.id))
        .cloned()
        .collect();
    let engine = Engine::new(runnable)?;
    let user: HashSet<&str> = config.rules.iter().map(|r| r.id.as_str()).collect();
    for (index, rule) in engine.rules().enumerate() {
        if user.contains(rule.id.as_str()) {
            continue; // below, with file:line:column
        }
        for failure in engine.rule_failures(index) {
            failures.push(format!("rule {} ({origin}): {failure}", rule.id));
        }
        for problem in lint(rule) {
            failures.push(format!("rule {} ({origin}): {problem}", rule.id));
        }
    }
    for problem in user_rule_problems(&config, &engine) {
        failures.push(config.diagnostic(&problem).to_string());
    }
    let checked = engine.rules().len();
    Ok(Checked {
        failures,
        rules: checked,
        user_rules: config.rules.len(),
        config_name: config.display_name(),
    })
}
