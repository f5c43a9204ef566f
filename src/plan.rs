//! The plan: everything a scan needs, resolved once from the configuration and the flags
//! every scanning command shares ([`Settings`]).
//!
//! This is the one place that knows how the stages are put together: which config file
//! applies, how flags override it, which rules the engine runs (the config's own rules must
//! pass their examples first), the allowlist (compiled once, its problems located in the
//! config), and the baseline. Commands build a [`Plan`] and hand it to a driver.

use std::path::{Path, PathBuf};

use crate::config::{Config, CONFIG_FILE_NAME};
use crate::decode::DEFAULT_MAX_DEPTH;
use crate::diagnostic::{KeyPath, Problem};
use crate::engine::{Engine, RuleFailure};
use crate::error::Error;
use crate::filter::{Allowlist, Baseline, Filter};
/// Confidence levels, for the commands that set a floor (`--min-confidence`).
pub use crate::rules::Confidence;
use crate::scanner::{Scanner, DEFAULT_MAX_FILE_SIZE};

/// What every scanning command lets the user set, as data. The command line fills it in.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--config FILE`; else `.keyhound.toml` where the command looks for it.
    pub config: Option<PathBuf>,
    /// `--max-file-size`; else the config's `[limits]`, else 10 MiB.
    pub max_file_size: Option<u64>,
    /// Archive layers to open (`--max-depth`).
    pub max_depth: usize,
    /// Worker threads; 0 means all cores.
    pub threads: usize,
    /// `--baseline FILE`; else the config's `baseline`.
    pub baseline: Option<PathBuf>,
    /// Whether to suppress what a baseline accepts. Off for commands that write a baseline.
    pub use_baseline: bool,
    /// `--min-confidence`; else the config's `[findings] min_confidence`, else every finding.
    pub min_confidence: Option<Confidence>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: None,
            max_file_size: None,
            max_depth: DEFAULT_MAX_DEPTH,
            threads: 0,
            baseline: None,
            use_baseline: true,
            min_confidence: None,
        }
    }
}

/// A scan, ready to run.
pub struct Plan {
    pub config: Config,
    pub scanner: Scanner,
    pub filter: Filter,
    pub threads: usize,
}

impl Plan {
    /// Resolves `settings` with the config found in `config_root` (a directory).
    pub fn build(settings: &Settings, config_root: &Path) -> Result<Plan, Error> {
        let (config, allowlist) = load_config(settings.config.as_deref(), config_root)?;
        let engine = engine(&config)?;
        let mut scanner = Scanner::new(engine);
        scanner.max_file_size = settings
            .max_file_size
            .or(config.limits.max_file_size.map(|s| s.0))
            .unwrap_or(DEFAULT_MAX_FILE_SIZE);
        // A decompressed archive member is held to the same size as a file on disk.
        scanner.decode.max_member_bytes = scanner.max_file_size;
        scanner.decode.max_depth = settings.max_depth;
        let baseline = if settings.use_baseline {
            load_baseline(settings.baseline.as_deref(), &config)?
        } else {
            None
        };
        Ok(Plan {
            filter: Filter::new(allowlist, baseline)
                .with_min_confidence(settings.min_confidence.or(config.findings.min_confidence))
                .with_skip_test_paths(config.findings.skip_test_paths),
            config,
            scanner,
            threads: settings.threads,
        })
    }
}

/// The config a command runs with: `explicit` (`--config FILE`) if given, else
/// `.keyhound.toml` in `root` if present, else the defaults; checked whole (every problem,
/// the allowlist's included, located in the file), with its allowlist compiled.
pub fn load_config(explicit: Option<&Path>, root: &Path) -> Result<(Config, Allowlist), Error> {
    let config = match explicit {
        Some(path) if !path.is_file() => {
            return Err(Error::Usage(format!(
                "{}: config file not found",
                path.display()
            )))
        }
        Some(path) => Config::read(path)?,
        None => {
            let candidate = root.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                Config::read(&candidate)?
            } else {
                Config::default()
            }
        }
    };
    let mut problems = config.problems();
    let allowlist = match Allowlist::new(&config.allowlist) {
        Ok(allowlist) => allowlist,
        Err(found) => {
            problems.extend(found);
            Allowlist::empty()
        }
    };
    if problems.is_empty() {
        Ok((config, allowlist))
    } else {
        Err(config.located(problems))
    }
}

/// The engine over the config's rules (bundled plus its own, minus disabled ones), after
/// running the examples of its own enabled rules: a rule whose examples fail is a config
/// error pointing at the failing example.
pub fn engine(config: &Config) -> Result<Engine, Error> {
    let engine = Engine::new(config.rules())?;
    let problems = user_rule_problems(config, &engine);
    if problems.is_empty() {
        Ok(engine)
    } else {
        Err(config.located(problems))
    }
}

/// The failures of the config's own rules in `engine` (which must hold them), by key path.
pub fn user_rule_problems(config: &Config, engine: &Engine) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (user_index, rule) in config.rules.iter().enumerate() {
        let Some(engine_index) = engine.rules().position(|r| r.id == rule.id) else {
            continue; // disabled
        };
        let at = KeyPath::new().key("rule").index(user_index);
        for failure in engine.rule_failures(engine_index) {
            let path = match &failure {
                RuleFailure::Regex(_) => at.key("regex"),
                RuleFailure::NoExamples => at.clone(),
                RuleFailure::NoNegativeExamples => at.clone(),
                RuleFailure::ExampleMissed { index, .. }
                | RuleFailure::WrongSecret { index, .. } => at.key("examples").index(*index),
                RuleFailure::NegativeMatched { index, .. } => {
                    at.key("negative_examples").index(*index)
                }
            };
            let message = match &failure {
                RuleFailure::Regex(e) => {
                    format!("regex does not compile: {}", crate::error::one_line(e))
                }
                other => other.to_string(),
            };
            problems.push(Problem::new(path, format!("rule {}: {message}", rule.id)));
        }
    }
    problems
}

/// The baseline to apply, if any: `explicit` (`--baseline FILE`), else the config's
/// `baseline` key (a missing file is an error pointing at that key).
pub fn load_baseline(explicit: Option<&Path>, config: &Config) -> Result<Option<Baseline>, Error> {
    if let Some(path) = explicit {
        return Baseline::load(path).map(Some);
    }
    let Some(path) = config.baseline_path() else {
        return Ok(None);
    };
    if !path.is_file() {
        // Point at the config line that names the file, not just the file.
        return Err(config.located(vec![Problem::new(
            KeyPath::new().key("baseline"),
            format!(
                "baseline file {} not found (create it with `keyhound baseline create`)",
                path.display()
            ),
        )]));
    }
    Baseline::load(&path).map(Some)
}
