//! Path and secret allowlists from configuration.

use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::AllowlistConfig;
use crate::error::Error;

/// The compiled allowlist. Path globs use gitignore syntax (the one users already know),
/// matched against paths relative to the scan root.
pub struct Allowlist {
    paths: Gitignore,
    secrets: Vec<String>,
}

impl Allowlist {
    pub fn new(config: &AllowlistConfig, origin: &str) -> Result<Self, Error> {
        let mut builder = GitignoreBuilder::new("");
        for glob in &config.paths {
            builder.add_line(None, glob).map_err(|e| Error::Config {
                path: origin.to_string(),
                message: format!("allowlist path {glob:?}: {e}"),
            })?;
        }
        let paths = builder.build().map_err(|e| Error::Config {
            path: origin.to_string(),
            message: e.to_string(),
        })?;
        Ok(Allowlist {
            paths,
            secrets: config.secrets.clone(),
        })
    }

    pub fn empty() -> Self {
        Allowlist {
            paths: Gitignore::empty(),
            secrets: Vec::new(),
        }
    }

    /// True when findings in `relative_path` are not reported.
    pub fn allows_path(&self, relative_path: &str) -> bool {
        let path = Path::new(relative_path.split('!').next().unwrap_or(relative_path));
        self.paths
            .matched_path_or_any_parents(path, false)
            .is_ignore()
    }

    pub fn allows_secret(&self, secret: &str) -> bool {
        self.secrets.iter().any(|s| s == secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_files_and_directories() {
        let config = AllowlistConfig {
            paths: vec![
                "corpus/".into(),
                "*.lock".into(),
                "docs/**/example.md".into(),
            ],
            secrets: vec!["s3cr3t-fixture".into()],
        };
        let a = Allowlist::new(&config, "t").unwrap();
        assert!(a.allows_path("corpus/aws/creds.env"));
        assert!(a.allows_path("sub/Cargo.lock"));
        assert!(a.allows_path("docs/a/b/example.md"));
        assert!(a.allows_path("corpus/bundle.zip!inner/x.env"));
        assert!(!a.allows_path("src/main.rs"));
        assert!(a.allows_secret("s3cr3t-fixture"));
        assert!(!a.allows_secret("other"));
    }
}
