//! `git` for tests that build repositories: isolated from the user's and the system's
//! configuration (no signing prompts, a fixed default branch), with the identity and any
//! extra environment (fixed dates, for golden commit ids) each test file needs.

use std::path::Path;
use std::process::Command;

/// Who commits: (name, email).
pub type Identity<'a> = (&'a str, &'a str);

/// Runs `git args` in `dir` as `identity`, with `env` added; panics with git's stderr on
/// failure and returns stdout, trimmed.
pub fn run_git(dir: &Path, identity: Identity<'_>, env: &[(&str, &str)], args: &[&str]) -> String {
    let (name, email) = identity;
    let out = Command::new("git")
        .args([
            "-c",
            &format!("user.name={name}"),
            "-c",
            &format!("user.email={email}"),
        ])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "protocol.file.allow=always",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .envs(env.iter().copied())
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
