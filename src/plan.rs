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
    /// `--no-repo-config`: ignore `.keyhound.toml` files in the scanned tree (in CI, a pull
    /// request could otherwise add one that switches the scan off).
    pub no_repo_config: bool,
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
            no_repo_config: false,
            min_confidence: None,
        }
    }
}

/// A scan, ready to run.
pub struct Plan {
    pub config: Config,
    /// Which config applies and why (`-v` shows it).
    pub config_source: ConfigSource,
    pub scanner: Scanner,
    pub filter: Filter,
    pub threads: usize,
}

impl Plan {
    /// Resolves `settings` with the config found in `config_root` (a directory).
    pub fn build(settings: &Settings, config_root: &Path) -> Result<Plan, Error> {
        let source = find_config(settings, config_root);
        let (config, allowlist) = load_source(&source)?;
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
            config_source: source,
            scanner,
            threads: settings.threads,
        })
    }
}

/// Where a scan's config comes from, in order of precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// `--config FILE`.
    Flag(PathBuf),
    /// The file `KEYHOUND_CONFIG` names.
    Env(PathBuf),
    /// The nearest `.keyhound.toml` from the scanned directory up to the repository root.
    Repository(PathBuf),
    /// The user's own config (`$XDG_CONFIG_HOME/keyhound/config.toml`, or
    /// `~/.config/keyhound/config.toml`).
    User(PathBuf),
    /// None found: the bundled defaults. `repo_config_ignored` when `--no-repo-config`
    /// skipped a repository config that was there.
    Defaults {
        repo_config_ignored: Option<PathBuf>,
    },
}

impl ConfigSource {
    /// The file to read, if any.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ConfigSource::Flag(p)
            | ConfigSource::Env(p)
            | ConfigSource::Repository(p)
            | ConfigSource::User(p) => Some(p),
            ConfigSource::Defaults { .. } => None,
        }
    }
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::Flag(p) => write!(f, "config {} (--config)", p.display()),
            ConfigSource::Env(p) => write!(f, "config {} (KEYHOUND_CONFIG)", p.display()),
            ConfigSource::Repository(p) => write!(f, "config {} (repository)", p.display()),
            ConfigSource::User(p) => write!(f, "config {} (user-wide)", p.display()),
            ConfigSource::Defaults {
                repo_config_ignored: Some(p),
            } => write!(
                f,
                "config: built-in defaults (--no-repo-config ignored {})",
                p.display()
            ),
            ConfigSource::Defaults { .. } => write!(f, "config: built-in defaults (none found)"),
        }
    }
}

/// Which config applies to a scan starting in `start` (a directory): `--config`, else
/// `KEYHOUND_CONFIG`, else the repository's (unless `--no-repo-config`), else the user's,
/// else the defaults. One file applies whole; files are not merged, so what a scan runs
/// with is always one file a person can read.
pub fn find_config(settings: &Settings, start: &Path) -> ConfigSource {
    if let Some(path) = &settings.config {
        return ConfigSource::Flag(path.clone());
    }
    if let Some(path) = std::env::var_os("KEYHOUND_CONFIG").filter(|p| !p.is_empty()) {
        return ConfigSource::Env(PathBuf::from(path));
    }
    let repo = repository_config(start);
    if let (Some(path), false) = (&repo, settings.no_repo_config) {
        return ConfigSource::Repository(path.clone());
    }
    if let Some(path) = user_config().filter(|p| p.is_file()) {
        return ConfigSource::User(path);
    }
    ConfigSource::Defaults {
        repo_config_ignored: repo,
    }
}

/// The nearest `.keyhound.toml` from `start` up to the root of the repository holding it (a
/// directory with `.git`). Outside any repository only `start` itself is looked in, so a
/// scan of a download never picks up a config from a parent directory it has nothing to do
/// with.
pub fn repository_config(start: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .unwrap_or_default();
    let absolute = cwd.join(start);
    let absolute = absolute.canonicalize().unwrap_or(absolute);
    // Named as people type it: relative to the current directory when under it.
    let shown = |dir: &Path| match dir.strip_prefix(&cwd) {
        Ok(rel) => rel.join(CONFIG_FILE_NAME),
        Err(_) => dir.join(CONFIG_FILE_NAME),
    };
    let mut nearest = None;
    for dir in absolute.ancestors() {
        if nearest.is_none() && dir.join(CONFIG_FILE_NAME).is_file() {
            nearest = Some(shown(dir));
        }
        if dir.join(".git").exists() {
            return nearest;
        }
    }
    // No repository above: only a config in `start` itself counts.
    absolute
        .join(CONFIG_FILE_NAME)
        .is_file()
        .then(|| shown(&absolute))
}

/// The user-wide config file's path (it may not exist).
pub fn user_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("keyhound").join("config.toml"))
}

/// The config a command that runs no scan (`rules list`, `rules check`) uses: found as a
/// scan starting in `root` would find it ([`find_config`]: `explicit`, `KEYHOUND_CONFIG`,
/// the repository's, the user's), checked whole, with its allowlist compiled.
pub fn load_config(explicit: Option<&Path>, root: &Path) -> Result<(Config, Allowlist), Error> {
    let settings = Settings {
        config: explicit.map(Path::to_path_buf),
        ..Settings::default()
    };
    load_source(&find_config(&settings, root))
}

/// Reads and checks the config `source` names (see [`load_config`]).
pub fn load_source(source: &ConfigSource) -> Result<(Config, Allowlist), Error> {
    let config = match source.path() {
        Some(path) if !path.is_file() => {
            return Err(Error::Usage(format!(
                "{}: config file not found ({})",
                path.display(),
                match source {
                    ConfigSource::Env(_) => "named by KEYHOUND_CONFIG",
                    _ => "named by --config",
                }
            )))
        }
        Some(path) => Config::read(path)?,
        None => Config::default(),
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
    let engine = Engine::from_rules(config.rules())?;
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
