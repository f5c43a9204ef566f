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

/// The hooks `.pre-commit-hooks.yaml` declares, each as (id, its lines).
fn manifest_hooks() -> Vec<(String, String)> {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    manifest
        .split("\n- id: ")
        .skip(1)
        .map(|hook| {
            let id = hook.lines().next().unwrap().trim().to_string();
            (id, format!("\n{hook}"))
        })
        .collect()
}

#[test]
fn pre_commit_framework_manifest_passes_file_names_and_covers_push() {
    let hooks = manifest_hooks();
    let ids: Vec<&str> = hooks.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "keyhound",
            "keyhound-system",
            "keyhound-docker",
            "keyhound-pre-push",
            "keyhound-pre-push-system"
        ]
    );
    for (id, hook) in &hooks {
        if id.contains("pre-push") {
            assert!(hook.contains("\n  entry: keyhound pre-push\n"), "{hook}");
            assert!(hook.contains("\n  stages: [pre-push]\n"), "{hook}");
            // The range comes from the environment, not from file names.
            assert!(hook.contains("\n  pass_filenames: false\n"), "{hook}");
            assert!(hook.contains("\n  always_run: true\n"), "{hook}");
        } else {
            assert!(hook.contains(" pre-commit\n  language: "), "{hook}");
            // The files pre-commit names are scanned, so `run --all-files` scans them all.
            assert!(!hook.contains("pass_filenames: false"), "{hook}");
            assert!(hook.contains("\n  stages: [pre-commit]\n"), "{hook}");
        }
    }
    let docker = &hooks[2].1;
    assert!(docker.contains("\n  language: docker_image\n"), "{docker}");
    // The image tag is the crate's version: a release publishes both.
    let tag = format!(":v{} pre-commit\n", env!("CARGO_PKG_VERSION"));
    assert!(docker.contains(&tag), "{docker} lacks {tag}");
}

/// A repository whose history holds a committed token in `settings.py` (clean otherwise).
fn repo_with_committed_token() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(
        dir.path(),
        "settings.py",
        &format!("HF_TOKEN = \"{}\"\n", hf_token(31)),
    );
    write(dir.path(), "README.md", "# app\n");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "settings"]);
    dir
}

fn run_hook(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: &str) -> (i32, String, String) {
    let mut cmd = keyhound(dir);
    cmd.args(args).write_stdin(stdin);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn pre_commit_run_all_files_scans_the_named_files_whole() {
    let dir = repo_with_committed_token();
    // `pre-commit run --all-files` names every tracked file; nothing is staged and git is not
    // committing (no GIT_INDEX_FILE). Once this reported "Passed".
    let (code, stdout, stderr) = run_hook(
        dir.path(),
        &["pre-commit", "README.md", "settings.py"],
        &[],
        "",
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("huggingface-user-token"), "{stdout}");
    assert!(stderr.contains("2 files named, scanned whole"), "{stderr}");
    // `--files README.md`: only that file, which is clean.
    let (code, _, stderr) = run_hook(dir.path(), &["pre-commit", "README.md"], &[], "");
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn inside_a_commit_only_the_staged_lines_of_the_named_files_count() {
    let dir = repo_with_committed_token();
    let index = dir.path().join(".git/index");
    let index = index.to_str().unwrap();
    // The old token is not this commit's doing; a staged clean change passes.
    write(dir.path(), "README.md", "# app\nmore\n");
    git(dir.path(), &["add", "README.md"]);
    let (code, _, stderr) = run_hook(
        dir.path(),
        &["pre-commit", "README.md"],
        &[("GIT_INDEX_FILE", index)],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    // A staged new token is blocked, and only among the files named (pre-commit's filters).
    write(
        dir.path(),
        "new.py",
        &format!("TOKEN = \"{}\"\n", hf_token(32)),
    );
    git(dir.path(), &["add", "new.py"]);
    let named = |files: &[&str]| {
        let args: Vec<&str> = ["pre-commit"].iter().chain(files).copied().collect();
        run_hook(dir.path(), &args, &[("GIT_INDEX_FILE", index)], "")
    };
    let (code, stdout, stderr) = named(&["README.md", "new.py", "settings.py"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("new.py") && !stdout.contains("settings.py"),
        "{stdout}"
    );
    assert!(stderr.contains("commit blocked"), "{stderr}");
    let (code, _, stderr) = named(&["README.md"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn commit_all_is_scanned_through_gits_temporary_index() {
    // `git commit -a` stages into a temporary index it names in GIT_INDEX_FILE; reading
    // .git/index instead saw nothing staged and let the token through.
    let dir = repo_with_committed_token();
    let (code, stderr) = install(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    write(
        dir.path(),
        "README.md",
        &format!("# app\nHF = \"{}\"\n", hf_token(33)),
    );
    let out = git_output(dir.path(), &["commit", "-a", "-m", "oops"]);
    let output =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "commit -a went through:\n{output}");
    assert!(output.contains("huggingface-user-token"), "{output}");
}

#[test]
fn pre_push_scans_the_pushed_commits_from_git_or_the_framework() {
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare"]);
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let url = remote.path().to_str().unwrap();
    git(dir.path(), &["remote", "add", "origin", url]);
    git(dir.path(), &["push", "-q", "origin", "main"]);
    let pushed = git(dir.path(), &["rev-parse", "HEAD"]).trim().to_string();
    write(
        dir.path(),
        "cfg.py",
        &format!("TOKEN = \"{}\"\n", hf_token(34)),
    );
    git(dir.path(), &["add", "cfg.py"]);
    git(dir.path(), &["commit", "-q", "-m", "cfg"]);
    let head = git(dir.path(), &["rev-parse", "HEAD"]).trim().to_string();

    // The pre-commit framework's variables.
    let (code, stdout, stderr) = run_hook(
        dir.path(),
        &["pre-push"],
        &[
            ("PRE_COMMIT_FROM_REF", &pushed),
            ("PRE_COMMIT_TO_REF", &head),
        ],
        "",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("cfg.py"), "{stdout}");
    assert!(stderr.contains("push blocked"), "{stderr}");
    // Nothing new since the pushed commit: clean.
    let (code, _, stderr) = run_hook(
        dir.path(),
        &["pre-push"],
        &[
            ("PRE_COMMIT_FROM_REF", &pushed),
            ("PRE_COMMIT_TO_REF", &pushed),
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");

    // As git's own pre-push hook: git runs it with the remote and the refs on stdin.
    let hook = dir.path().join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\nexec keyhound pre-push \"$@\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = git_output(dir.path(), &["push", "origin", "main"]);
    let output =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "push went through:\n{output}");
    assert!(output.contains("huggingface-user-token"), "{output}");
    let remote_head = git(remote.path(), &["rev-parse", "main"]);
    assert_eq!(remote_head.trim(), pushed, "the remote got the commit");

    // Deleting a ref pushes nothing; a garbled line is refused, not passed.
    let zero = "0".repeat(40);
    let deletion = format!("(delete) {zero} refs/heads/old {pushed}\n");
    let (code, _, stderr) = run_hook(dir.path(), &["pre-push", "origin", url], &[], &deletion);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("only deletes refs"), "{stderr}");
    let (code, _, stderr) = run_hook(dir.path(), &["pre-push"], &[], "garbage\n");
    assert_eq!(code, 2, "{stderr}");
}
