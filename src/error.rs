//! The library's error type. Messages name the thing and the problem; `main` prints them and
//! exits with code 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {message}")]
    Config { path: String, message: String },

    /// Problems located in a config file, one `file:line:column: message` per line.
    #[error("{}", display_lines(.0))]
    ConfigAt(Vec<crate::diagnostic::Diagnostic>),

    #[error("rule {id}: {message}")]
    Rule { id: String, message: String },

    #[error("{}: no such file or directory", .0.display())]
    PathNotFound(PathBuf),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}")]
    Usage(String),

    #[error("{context}: {source}")]
    Git {
        context: String,
        #[source]
        source: git2::Error,
    },
}

fn display_lines(diagnostics: &[crate::diagnostic::Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The first meaningful line of a message that draws a caret diagram over several lines (the
/// regex crate's errors), for messages that must stay one line (`file:line:col: ...`).
pub fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '^' || c == ' '))
        .collect();
    match lines.last() {
        // regex: "regex parse error:", the pattern, then "error: what is wrong".
        Some(last) if lines.len() > 1 => last.trim_start_matches("error: ").to_string(),
        _ => message.trim().to_string(),
    }
}
