//! `keyhound install-hook`, the hook it writes, and `.pre-commit-hooks.yaml`.

use std::path::Path;

use crate::common::workflow::{git, git_output, hf_token, init_repo, keyhound, write};

fn install(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = keyhound(dir)
        .arg("install-hook")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn installs_into_git_hooks_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("installed pre-commit hook"), "{stderr}");
    let hook = dir.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.starts_with("#!/bin/sh\n"));
    assert!(script.contains("exec \"$KEYHOUND\" staged"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&hook).unwrap().permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "hook not executable: {mode:o}");
    }
    // Again: keyhound's own hook is updated, not refused.
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("updated keyhound's pre-commit hook"),
        "{stderr}"
    );
}

#[test]
fn never_overwrites_a_foreign_hook_without_force() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let theirs = "#!/bin/sh\necho their checks\n";
    write(dir.path(), ".git/hooks/pre-commit", theirs);
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let hooks = dir.path().join(".git/hooks");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit")).unwrap(),
        theirs
    );

    let (code, stderr) = install(dir.path(), &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("replaced") && stderr.contains("keyhound-backup"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-commit.keyhound-backup")).unwrap(),
        theirs
    );
    assert!(std::fs::read_to_string(hooks.join("pre-commit"))
        .unwrap()
        .contains("keyhound-managed-hook"));
}

#[test]
fn respects_core_hooks_path() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    git(dir.path(), &["config", "core.hooksPath", ".githooks"]);
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    // Run from a subdirectory: the relative hooksPath is still taken from the top.
    let (code, stderr) = install(&dir.path().join("sub"), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        dir.path().join(".githooks/pre-commit").is_file(),
        "{stderr}"
    );
    assert!(!dir.path().join(".git/hooks/pre-commit").exists());
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

#[test]
fn the_hook_blocks_a_commit_that_adds_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");

    write(
        dir.path(),
        "settings.py",
        &format!("HF_TOKEN = \"{}\"\n", hf_token(77)),
    );
    git(dir.path(), &["add", "settings.py"]);
    let out = git_output(dir.path(), &["commit", "-m", "add settings"]);
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "commit went through:\n{output}");
    assert!(output.contains("huggingface-user-token"), "{output}");
    // Nothing was committed.
    assert_eq!(
        git(dir.path(), &["rev-list", "--count", "HEAD"]).trim(),
        "1"
    );

    // A clean change commits through the same hook.
    write(
        dir.path(),
        "settings.py",
        "HF_TOKEN = os.environ[\"HF_TOKEN\"]\n",
    );
    git(dir.path(), &["add", "settings.py"]);
    git(dir.path(), &["commit", "-q", "-m", "read token from env"]);
    assert_eq!(
        git(dir.path(), &["rev-list", "--count", "HEAD"]).trim(),
        "2"
    );
}

#[test]
fn pre_commit_framework_manifest_runs_staged_without_filenames() {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hooks: Vec<&str> = manifest.split("\n- id: ").skip(1).collect();
    assert_eq!(hooks.len(), 2, "{manifest}");
    for hook in hooks {
        assert!(hook.contains("\n  entry: keyhound staged\n"), "{hook}");
        assert!(hook.contains("\n  pass_filenames: false\n"), "{hook}");
        assert!(
            hook.contains("\n  language: rust\n") || hook.contains("\n  language: system\n"),
            "{hook}"
        );
    }
}
