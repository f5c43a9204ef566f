//! Helpers for the workflow integration tests: the built binary isolated from the user's git
//! configuration, fake secrets, temp git repos.

use std::path::Path;
use std::process::Command as StdCommand;

use assert_cmd::Command;

/// The built `keyhound`, isolated from the user's git configuration.
pub fn keyhound(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("keyhound").expect("binary built");
    cmd.current_dir(dir);
    isolate(cmd.env("NO_COLOR", "1"));
    // Not inside a commit or a framework run, and no config from outside the test.
    for var in [
        "GIT_INDEX_FILE",
        "KEYHOUND_CONFIG",
        "PRE_COMMIT_FROM_REF",
        "PRE_COMMIT_TO_REF",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("XDG_CONFIG_HOME", dir.join(".no-user-config"));
    cmd
}

fn isolate<C: EnvSet>(cmd: &mut C) {
    cmd.set("GIT_CONFIG_GLOBAL", "/dev/null");
    cmd.set("GIT_CONFIG_NOSYSTEM", "1");
    cmd.set("GIT_AUTHOR_NAME", "Test");
    cmd.set("GIT_AUTHOR_EMAIL", "test@example.invalid");
    cmd.set("GIT_COMMITTER_NAME", "Test");
    cmd.set("GIT_COMMITTER_EMAIL", "test@example.invalid");
}

trait EnvSet {
    fn set(&mut self, k: &str, v: &str);
}
impl EnvSet for Command {
    fn set(&mut self, k: &str, v: &str) {
        self.env(k, v);
    }
}
impl EnvSet for StdCommand {
    fn set(&mut self, k: &str, v: &str) {
        self.env(k, v);
    }
}

/// Runs `git args` in `dir`, isolated from the user's configuration; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `git args` in `dir` and returns its output, whatever the exit status.
pub fn git_output(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = StdCommand::new("git");
    cmd.current_dir(dir).args(args);
    isolate(&mut cmd);
    // The hook finds the binary by the absolute path written at install; also put it on PATH.
    let bin = assert_cmd::cargo::cargo_bin("keyhound");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin.parent().expect("bin dir").to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    cmd.env("PATH", std::env::join_paths(dirs).expect("PATH"));
    cmd.output().expect("git runs")
}

/// A fresh repository with one empty commit.
pub fn init_repo(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", "root"]);
}

/// A fake Hugging Face user token (`hf_` + 34 letters), different for each seed. Generated,
/// so it is no real credential; mixed-case letters give it the entropy the rule wants.
pub fn hf_token(seed: u64) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let body: String = (0..34)
        .map(|_| {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let r = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            LETTERS[(r >> 58) as usize % LETTERS.len()] as char
        })
        .collect();
    format!("hf_{body}")
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// Runs `keyhound scan . --format json` in `dir` with `extra` args; returns (exit code,
/// findings, stderr).
pub fn scan_json(dir: &Path, extra: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let out = keyhound(dir)
        .args(["scan", ".", "--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().expect("exit code");
    let findings = if code == 2 {
        Vec::new()
    } else {
        serde_json::from_slice::<Vec<serde_json::Value>>(&out.stdout)
            .unwrap_or_else(|e| panic!("json report: {e}; stderr: {stderr}"))
    };
    (code, findings, stderr)
}

/// A custom rule whose examples pass: `acme_` + 24 lowercase letters and digits.
pub const ACME_RULE: &str = r#"
[[rule]]
id = "acme-api-key"
name = "Acme API key"
description = "An Acme Corp API key."
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''
min_entropy = 3.0
confidence = "high"
severity = "high"
examples = ["ACME_KEY=acme_q8x2m4v7k1z9w3r6t5y0p2n8"]
negative_examples = ["ACME_KEY=acme_short", "acme_xxxxxxxxxxxxxxxxxxxxxxxx"]
"#;
