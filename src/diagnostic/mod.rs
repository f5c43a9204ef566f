//! Problems in files the user wrote (a config, a baseline, a rule file), located as
//! `file:line:column: message`, the form editors and terminals link.
//!
//! A leaf module: configuration, baselines and errors all report through it, and it depends on
//! none of them.

pub mod span;

use std::fmt;

pub use span::KeyPath;

/// A problem found in a TOML file (a config), raised against the key path of the value at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: KeyPath,
    pub message: String,
}

impl Problem {
    pub fn new(path: KeyPath, message: impl Into<String>) -> Self {
        Problem {
            path,
            message: message.into(),
        }
    }
}

/// A located problem: `file:line:column: message`, the form editors and terminals link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}
