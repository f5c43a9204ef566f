//! `.keyhound.toml`: what a repository says about its own scan.
//!
//! Configuration is data: [`Config::load`] parses the file and checks what needs nothing
//! else (unknown keys, rule ids, rule definitions). What needs the other stages (compiling
//! the allowlist, running the config's own rule examples, building the engine) is done once,
//! by [`crate::plan`], which reports through the same located diagnostics. Every problem is
//! reported as `file:line:column: message`, pointing at the offending value.

mod limits;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{span, Diagnostic, KeyPath, Problem};
use crate::error::Error;
use std::borrow::Cow;

use crate::rules::{builtin_rules, bundled_rules, check_definitions, Confidence, Rule};

pub use limits::{ByteSize, Limits};

/// File name looked for at the root of what is scanned.
pub const CONFIG_FILE_NAME: &str = ".keyhound.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Rule ids not to run (bundled or the config's own).
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    #[serde(default)]
    pub allowlist: AllowlistConfig,
    #[serde(default)]
    pub limits: Limits,
    /// Which findings are reported at all: a confidence floor, and test locations.
    #[serde(default)]
    pub findings: FindingsConfig,
    /// Baseline file applied by every scanning command (and written by `baseline create`),
    /// relative to the config file's directory. `--baseline FILE` wins over it. Set here, the
    /// pre-commit hook honours it too.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
    /// The repository's own rules: `[[rule]]` tables with the schema of `patterns/*.toml`.
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
    /// Where the config was read from; not part of the file.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// `[findings]`: which findings a scan reports.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsConfig {
    /// Report only findings at least this confident (`low`, `medium`, `high`);
    /// `--min-confidence` wins over it.
    #[serde(default)]
    pub min_confidence: Option<Confidence>,
    /// Leave out findings in test, fixture, example and docs locations (`tests/`,
    /// `fixtures/`, `spec/`, `examples/`, `docs/`, cassettes, `test_*.py`, ...). Every
    /// finding records its location's kind as `location_kind` either way.
    #[serde(default)]
    pub skip_test_paths: bool,
}

/// The file a config came from and its text, kept to locate problems found after parsing.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub text: String,
}

/// What is never reported: everywhere (`[allowlist]`) or for one rule
/// (`[allowlist.rule.RULE-ID]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistConfig {
    /// Gitignore-style globs, relative to the scan root, whose files are not reported.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Exact secret values never reported (shared test fixtures, documented dummy keys).
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Regexes; a secret any of them matches (unanchored, use `^...$` for a whole match) is
    /// not reported.
    #[serde(default)]
    pub secret_regexes: Vec<String>,
    /// Allowlists that apply to one rule's findings only, keyed by rule id.
    #[serde(default, rename = "rule")]
    pub per_rule: BTreeMap<String, RuleAllowlistConfig>,
}

/// `[allowlist.rule.RULE-ID]`: the same lists, applied to that rule's findings only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleAllowlistConfig {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(default)]
    pub secret_regexes: Vec<String>,
}

impl Config {
    /// Reads and parses `path`: syntax, types and unknown keys, located. What else can be
    /// wrong is listed by [`Config::problems`] (and, for what needs other stages, by
    /// [`crate::plan::load_config`]).
    pub fn read(path: &Path) -> Result<Config, Error> {
        let text = crate::own_file::read_own_file(path, crate::own_file::MAX_OWN_FILE)
            .and_then(|t| t.ok_or_else(|| std::io::ErrorKind::NotFound.into()))
            .map_err(|e| Error::io(path, e))?;
        Config::from_text(path, text)
    }

    /// Parses config `text` read from `path` and checks it with [`Config::problems`].
    pub fn parse(path: &Path, text: String) -> Result<Config, Error> {
        let config = Config::from_text(path, text)?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(config.located(problems))
        }
    }

    /// Parses config `text` read from `path`: syntax, types and unknown keys only.
    pub fn from_text(path: &Path, text: String) -> Result<Config, Error> {
        let mut config: Config = match toml::from_str(&text) {
            Ok(config) => config,
            Err(e) => {
                let (line, column) = e
                    .span()
                    .map_or((1, 1), |s| span::line_column(&text, s.start));
                return Err(Error::ConfigAt(vec![Diagnostic {
                    file: display_path(path),
                    line,
                    column,
                    message: e
                        .message()
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .collect::<Vec<_>>()
                        .join(": "),
                }]));
            }
        };
        config.origin = Some(Origin {
            path: path.to_path_buf(),
            text,
        });
        Ok(config)
    }

    /// The file name used in messages.
    pub fn display_name(&self) -> String {
        self.origin
            .as_ref()
            .map_or_else(|| "<defaults>".to_string(), |o| display_path(&o.path))
    }

    /// The rules a scan runs: bundled (borrowed, not copied) then the config's own, minus
    /// disabled ones.
    pub fn rules(&self) -> Vec<Cow<'static, Rule>> {
        let disabled: HashSet<&str> = self.disabled_rules.iter().map(String::as_str).collect();
        bundled_rules()
            .iter()
            .map(Cow::Borrowed)
            .chain(self.rules.iter().cloned().map(Cow::Owned))
            .filter(|r| !disabled.contains(r.id.as_str()))
            .collect()
    }

    /// Every rule, disabled or not (for `rules list` and `rules check`).
    pub fn all_rules(&self) -> Vec<Rule> {
        builtin_rules()
            .into_iter()
            .chain(self.rules.iter().cloned())
            .collect()
    }

    /// The configured baseline file, resolved against the config file's directory.
    pub fn baseline_path(&self) -> Option<PathBuf> {
        let path = self.baseline.as_ref()?;
        let dir = self
            .origin
            .as_ref()
            .and_then(|o| o.path.parent())
            .unwrap_or(Path::new(""));
        Some(dir.join(path))
    }

    /// Turns problems into an error whose lines read `file:line:column: message`.
    pub fn located(&self, problems: Vec<Problem>) -> Error {
        let mut diagnostics: Vec<Diagnostic> =
            problems.iter().map(|p| self.diagnostic(p)).collect();
        diagnostics.sort_by_key(|d| (d.line, d.column));
        Error::ConfigAt(diagnostics)
    }

    /// Locates one problem in the config's text.
    pub fn diagnostic(&self, problem: &Problem) -> Diagnostic {
        let (line, column) = self
            .origin
            .as_ref()
            .and_then(|o| {
                span::locate(&o.text, &problem.path).map(|s| span::line_column(&o.text, s.start))
            })
            .unwrap_or((1, 1));
        Diagnostic {
            file: self.display_name(),
            line,
            column,
            message: format!("{}: {}", problem.path, problem.message),
        }
    }

    /// Everything wrong with a parsed config that the config alone shows (rule ids and
    /// definitions); the allowlist's globs and regexes are checked where they are compiled.
    pub fn problems(&self) -> Vec<Problem> {
        let root = KeyPath::new();
        let mut problems = Vec::new();
        let builtin = bundled_rules();
        let builtin_ids: HashSet<&str> = builtin.iter().map(|r| r.id.as_str()).collect();
        for (i, rule) in self.rules.iter().enumerate() {
            if builtin_ids.contains(rule.id.as_str()) {
                problems.push(Problem::new(
                    root.key("rule").index(i).key("id"),
                    format!(
                        "rule id {:?} is already a bundled rule; pick another id \
                         (or disable the bundled one and use a new id)",
                        rule.id
                    ),
                ));
            }
        }
        if problems.is_empty() && !self.rules.is_empty() {
            let all: Vec<Rule> = builtin.iter().cloned().chain(self.rules.clone()).collect();
            if let Err(Error::Rule { id, message }) = check_definitions(&all) {
                let index = self.rules.iter().rposition(|r| r.id == id);
                let path = index.map_or_else(|| root.key("rule"), |i| root.key("rule").index(i));
                problems.push(Problem::new(path, format!("rule {id}: {message}")));
            }
        }
        let known: HashSet<&str> = builtin_ids
            .iter()
            .copied()
            .chain(self.rules.iter().map(|r| r.id.as_str()))
            .collect();
        for (i, id) in self.disabled_rules.iter().enumerate() {
            if !known.contains(id.as_str()) {
                problems.push(Problem::new(
                    root.key("disabled_rules").index(i),
                    format!("unknown rule id {id:?} (`keyhound rules list` shows every id)"),
                ));
            }
        }
        for id in self.allowlist.per_rule.keys() {
            if !known.contains(id.as_str()) {
                problems.push(Problem::new(
                    root.key("allowlist").key("rule").key(id),
                    format!("unknown rule id {id:?} (`keyhound rules list` shows every id)"),
                ));
            }
        }
        problems
    }
}

/// A path as people type it: no leading `./`.
fn display_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown.strip_prefix("./").unwrap_or(&shown).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("k.toml"), text.to_string()).map_err(|e| e.to_string())
    }

    #[test]
    fn full_config_parses() {
        let config = parse(
            r#"
disabled_rules = ["generic-secret-assignment"]
[limits]
max_file_size = "2 MiB"
[allowlist]
paths = ["fixtures/"]
secrets = ["exact"]
secret_regexes = ['^test-']
[allowlist.rule.huggingface-user-token]
paths = ["docs/"]
"#,
        )
        .unwrap();
        assert_eq!(config.limits.max_file_size, Some(ByteSize(2 << 20)));
        assert_eq!(config.allowlist.per_rule.len(), 1);
        assert!(!config
            .rules()
            .iter()
            .any(|r| r.id == "generic-secret-assignment"));
    }

    #[test]
    fn problems_name_file_line_and_column() {
        let e = parse("\ndisabled_rules = [\"no-such-rule\"]\n").unwrap_err();
        assert!(e.starts_with("k.toml:2:19: disabled_rules[0]"), "{e}");
        let e = parse("[allowlist]\npaths = []\nbogus = 1\n").unwrap_err();
        assert!(e.starts_with("k.toml:3:1: unknown field `bogus`"), "{e}");
        let e = parse("[limits]\nmax_file_size = \"10 parsecs\"\n").unwrap_err();
        assert!(e.starts_with("k.toml:2:17: unknown size unit"), "{e}");
    }
}
