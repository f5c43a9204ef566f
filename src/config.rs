//! `.keyhound.toml`: what a repository says about its own scan.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;

/// File name looked for at the root of what is scanned.
pub const CONFIG_FILE_NAME: &str = ".keyhound.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allowlist: AllowlistConfig,
    /// Rule ids not to run.
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    /// Where the config was read from, for messages; not part of the file.
    #[serde(skip)]
    pub source: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowlistConfig {
    /// Gitignore-style globs, relative to the scan root, whose files are not reported.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Exact secret values never reported (for shared test fixtures).
    #[serde(default)]
    pub secrets: Vec<String>,
}

impl Config {
    /// Reads and parses `path`. Errors name the file, and TOML errors carry line and column.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        config.source = Some(path.to_path_buf());
        Ok(config)
    }

    /// The explicit `--config` file if given; else `.keyhound.toml` in `root` if present;
    /// else the empty config.
    pub fn discover(explicit: Option<&Path>, root: &Path) -> Result<Config, Error> {
        if let Some(path) = explicit {
            return Config::load(path);
        }
        let candidate = root.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            Config::load(&candidate)
        } else {
            Ok(Config::default())
        }
    }
}
