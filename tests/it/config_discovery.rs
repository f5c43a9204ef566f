//! Which config applies: `--config`, `KEYHOUND_CONFIG`, the nearest `.keyhound.toml` up to
//! the repository root, the user-wide file, the defaults; `--no-repo-config` for CI; `-v`
//! says which; a range that edits the config or baseline is called out.

use std::path::Path;

use crate::common::workflow::{git, hf_token, init_repo, keyhound, write};

/// Disables the rule the planted token trips, so "which config applied" is visible in the
/// exit code.
const SILENCE: &str = "disabled_rules = [\"huggingface-user-token\"]\n";

fn scan(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = keyhound(dir);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A repository with the silencing config at its root and a token in `src/`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(dir.path(), ".keyhound.toml", SILENCE);
    write(
        dir.path(),
        "src/app.py",
        &format!("T = \"{}\"\n", hf_token(41)),
    );
    dir
}

#[test]
fn the_repository_root_config_applies_to_a_subdirectory_scan() {
    let dir = repo();
    // `scan src` from the root once ignored the root's .keyhound.toml.
    let (code, stderr) = scan(dir.path(), &["scan", "src", "-v"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(".keyhound.toml (repository)"), "{stderr}");
    // From inside the subdirectory too.
    let (code, stderr) = scan(&dir.path().join("src"), &["scan", ".", "-v"], &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn no_repo_config_ignores_it_and_says_so() {
    let dir = repo();
    let (code, stderr) = scan(dir.path(), &["scan", "src", "--no-repo-config", "-v"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("built-in defaults (--no-repo-config ignored"),
        "{stderr}"
    );
}

#[test]
fn outside_a_repository_parent_configs_do_not_apply() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keyhound.toml", SILENCE);
    write(
        dir.path(),
        "download/app.py",
        &format!("T = \"{}\"\n", hf_token(42)),
    );
    let (code, stderr) = scan(&dir.path().join("download"), &["scan", ".", "-v"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("built-in defaults (none found)"),
        "{stderr}"
    );
}

#[test]
fn precedence_flag_then_env_then_repository_then_user() {
    let dir = repo();
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "loud.toml", "disabled_rules = []\n");
    write(elsewhere.path(), "quiet.toml", SILENCE);
    let loud = elsewhere.path().join("loud.toml");
    let loud = loud.to_str().unwrap();
    // KEYHOUND_CONFIG beats the repository's config...
    let (code, stderr) = scan(
        dir.path(),
        &["scan", "src", "-v"],
        &[("KEYHOUND_CONFIG", loud)],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("(KEYHOUND_CONFIG)"), "{stderr}");
    // ...and --config beats KEYHOUND_CONFIG.
    let quiet = elsewhere.path().join("quiet.toml");
    let (code, stderr) = scan(
        dir.path(),
        &["scan", "src", "-v", "--config", quiet.to_str().unwrap()],
        &[("KEYHOUND_CONFIG", loud)],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("(--config)"), "{stderr}");
    // A missing KEYHOUND_CONFIG file is an error, not the defaults.
    let (code, stderr) = scan(
        dir.path(),
        &["scan", "src"],
        &[("KEYHOUND_CONFIG", "/nonexistent/keyhound.toml")],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("KEYHOUND_CONFIG"), "{stderr}");
    // The user-wide config applies where the repository has none (or it is ignored).
    let user = tempfile::tempdir().unwrap();
    write(user.path(), "keyhound/config.toml", SILENCE);
    let xdg = user.path().to_str().unwrap();
    let (code, stderr) = scan(
        dir.path(),
        &["scan", "src", "-v", "--no-repo-config"],
        &[("XDG_CONFIG_HOME", xdg)],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("(user-wide)"), "{stderr}");
}

#[test]
fn a_range_that_edits_the_scans_own_config_is_called_out() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let base = git(dir.path(), &["rev-parse", "HEAD"]).trim().to_string();
    // The pull request adds a config that switches the rule off, and the token.
    write(dir.path(), ".keyhound.toml", SILENCE);
    write(dir.path(), "a.py", &format!("T = \"{}\"\n", hf_token(43)));
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "innocent"]);
    let range = format!("{base}..HEAD");
    let (code, stderr) = scan(dir.path(), &["history", "--range", &range, "-q"], &[]);
    // The config applied (exit 0), but the warning is there even with -q.
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("this range changes .keyhound.toml"),
        "{stderr}"
    );
    // In CI, --no-repo-config keeps it from applying.
    let (code, stderr) = scan(
        dir.path(),
        &["history", "--range", &range, "--no-repo-config", "-q"],
        &[],
    );
    assert_eq!(code, 1, "{stderr}");
    // SARIF carries the warning as a notification.
    let out = keyhound(dir.path())
        .args(["history", "--range", &range, "--format", "sarif", "-q"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "warning");
    assert!(note["message"]["text"]
        .as_str()
        .unwrap()
        .contains(".keyhound.toml"));
}

#[test]
fn a_path_where_a_command_belongs_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = scan(dir.path(), &["."], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `keyhound scan .`"),
        "{stderr}"
    );
}
