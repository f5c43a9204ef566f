//! Path and secret allowlists from configuration, global or per rule.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use regex::Regex;

use crate::config::{AllowlistConfig, CONFIG_FILE_NAME};
use crate::diagnostic::{KeyPath, Problem};

/// One set of allow conditions: path globs, exact secrets, secret regexes.
struct Matchers {
    /// Gitignore syntax (the one users already know), matched against paths relative to the
    /// scan root.
    paths: Gitignore,
    secrets: HashSet<String>,
    secret_regexes: Vec<Regex>,
}

impl Matchers {
    fn empty() -> Self {
        Matchers {
            paths: Gitignore::empty(),
            secrets: HashSet::new(),
            secret_regexes: Vec::new(),
        }
    }

    fn build(
        at: &KeyPath,
        always_allow_config: bool,
        paths: &[String],
        secrets: &[String],
        regexes: &[String],
        problems: &mut Vec<Problem>,
    ) -> Self {
        let mut builder = GitignoreBuilder::new("");
        if always_allow_config {
            // The config file holds rule examples and allowlisted values by design (gitleaks
            // treats its own config the same way).
            builder
                .add_line(None, CONFIG_FILE_NAME)
                .expect("a plain file name is a valid glob");
        }
        for (i, glob) in paths.iter().enumerate() {
            if let Err(e) = builder.add_line(None, glob) {
                problems.push(Problem::new(
                    at.key("paths").index(i),
                    format!("bad path glob {glob:?}: {e}"),
                ));
            }
        }
        let paths = builder.build().unwrap_or_else(|e| {
            problems.push(Problem::new(at.key("paths"), e.to_string()));
            Gitignore::empty()
        });
        let mut secret_regexes = Vec::new();
        for (i, pattern) in regexes.iter().enumerate() {
            match Regex::new(pattern) {
                Ok(regex) => secret_regexes.push(regex),
                Err(e) => problems.push(Problem::new(
                    at.key("secret_regexes").index(i),
                    format!(
                        "regex does not compile: {}",
                        crate::error::one_line(&e.to_string())
                    ),
                )),
            }
        }
        Matchers {
            paths,
            secrets: secrets.iter().cloned().collect(),
            secret_regexes,
        }
    }

    fn allows_path(&self, relative_path: &str) -> bool {
        // An archive member (`bundle.zip!inner/x`) is allowed by its archive's path.
        let path = Path::new(relative_path.split('!').next().unwrap_or(relative_path));
        self.paths
            .matched_path_or_any_parents(path, false)
            .is_ignore()
    }

    fn allows_secret(&self, secret: &str) -> bool {
        self.secrets.contains(secret) || self.secret_regexes.iter().any(|r| r.is_match(secret))
    }
}

/// The compiled allowlist.
pub struct Allowlist {
    global: Matchers,
    per_rule: HashMap<String, Matchers>,
}

impl Allowlist {
    /// Compiles `config`. Every bad glob or regex is returned, located by its key path.
    pub fn new(config: &AllowlistConfig) -> Result<Self, Vec<Problem>> {
        let at = KeyPath::new().key("allowlist");
        let mut problems = Vec::new();
        let global = Matchers::build(
            &at,
            true,
            &config.paths,
            &config.secrets,
            &config.secret_regexes,
            &mut problems,
        );
        let per_rule = config
            .per_rule
            .iter()
            .map(|(id, rule)| {
                let at = at.key("rule").key(id);
                let matchers = Matchers::build(
                    &at,
                    false,
                    &rule.paths,
                    &rule.secrets,
                    &rule.secret_regexes,
                    &mut problems,
                );
                (id.clone(), matchers)
            })
            .collect();
        if problems.is_empty() {
            Ok(Allowlist { global, per_rule })
        } else {
            Err(problems)
        }
    }

    pub fn empty() -> Self {
        Allowlist {
            global: Matchers::empty(),
            per_rule: HashMap::new(),
        }
    }

    /// True when nothing in `relative_path` is reported, whatever the rule (lets a scan skip
    /// matching the file's findings against anything else).
    pub fn allows_path(&self, relative_path: &str) -> bool {
        self.global.allows_path(relative_path)
    }

    /// True when `secret`, found by `rule_id` in `relative_path`, is not reported.
    pub fn allows(&self, rule_id: &str, relative_path: &str, secret: &str) -> bool {
        if self.global.allows_secret(secret) {
            return true;
        }
        self.per_rule
            .get(rule_id)
            .is_some_and(|m| m.allows_path(relative_path) || m.allows_secret(secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleAllowlistConfig;

    #[test]
    fn globs_match_files_and_directories() {
        let config = AllowlistConfig {
            paths: vec![
                "corpus/".into(),
                "*.lock".into(),
                "docs/**/example.md".into(),
            ],
            secrets: vec!["s3cr3t-fixture".into()],
            ..AllowlistConfig::default()
        };
        let a = Allowlist::new(&config).unwrap();
        assert!(a.allows_path("corpus/aws/creds.env"));
        assert!(a.allows_path("sub/Cargo.lock"));
        assert!(a.allows_path("docs/a/b/example.md"));
        assert!(a.allows_path("corpus/bundle.zip!inner/x.env"));
        assert!(!a.allows_path("src/main.rs"));
        assert!(a.allows_path("sub/.keyhound.toml"));
        assert!(a.allows("any-rule", "src/x", "s3cr3t-fixture"));
        assert!(!a.allows("any-rule", "src/x", "other"));
    }

    #[test]
    fn regexes_and_per_rule_lists() {
        let mut config = AllowlistConfig {
            secret_regexes: vec!["^test-[a-z]+$".into()],
            ..AllowlistConfig::default()
        };
        config.per_rule.insert(
            "rule-a".into(),
            RuleAllowlistConfig {
                paths: vec!["docs/".into()],
                secrets: vec!["only-for-a".into()],
                secret_regexes: vec![],
            },
        );
        let a = Allowlist::new(&config).unwrap();
        assert!(a.allows("rule-b", "src/x", "test-abc"));
        assert!(!a.allows("rule-b", "src/x", "test-abc9"));
        assert!(a.allows("rule-a", "src/x", "only-for-a"));
        assert!(!a.allows("rule-b", "src/x", "only-for-a"));
        assert!(a.allows("rule-a", "docs/readme.md", "anything"));
        assert!(!a.allows("rule-b", "docs/readme.md", "anything"));
        assert!(!a.allows_path("docs/readme.md"));
    }

    #[test]
    fn bad_regexes_are_located() {
        let config = AllowlistConfig {
            secret_regexes: vec!["ok".into(), "(unclosed".into()],
            ..AllowlistConfig::default()
        };
        let problems = Allowlist::new(&config).err().unwrap();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path.to_string(), "allowlist.secret_regexes[1]");
        assert!(!problems[0].message.contains('\n'));
    }
}
