//! Baselines through the binary: identity by content, stable files, no raw secrets.

use std::path::Path;

use crate::common::workflow::{git, hf_token, init_repo, keyhound, scan_json, write};

fn create(dir: &Path) -> String {
    keyhound(dir)
        .args(["baseline", "create", ".", "-o", "base.json"])
        .assert()
        .success();
    std::fs::read_to_string(dir.join("base.json")).unwrap()
}

fn scan_with_baseline(dir: &Path) -> (i32, Vec<serde_json::Value>, String) {
    scan_json(dir, &["--baseline", "base.json"])
}

#[test]
fn baselined_secrets_stay_suppressed_across_line_moves_and_renames() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hf_token(21), hf_token(22));
    write(
        dir.path(),
        "app/settings.py",
        &format!("A = \"{a}\"\nB = \"{b}\"\n"),
    );
    let text = create(dir.path());
    assert!(text.contains("app/settings.py"), "{text}");
    assert_eq!(scan_with_baseline(dir.path()).0, 0);

    // Lines above, lines swapped, then the file renamed and moved.
    write(
        dir.path(),
        "app/settings.py",
        &format!("# new header\nimport os\n\nB = \"{b}\"\n\nA = \"{a}\"\n"),
    );
    let (code, findings, stderr) = scan_with_baseline(dir.path());
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    assert!(stderr.contains("2 in baseline"), "{stderr}");

    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::rename(
        dir.path().join("app/settings.py"),
        dir.path().join("config/prod_settings.py"),
    )
    .unwrap();
    let (code, findings, _) = scan_with_baseline(dir.path());
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
    // Without the baseline both are still there: the test above could have failed.
    assert_eq!(scan_json(dir.path(), &[]).1.len(), 2);
}

#[test]
fn a_different_secret_on_a_baselined_line_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (hf_token(31), hf_token(32));
    write(dir.path(), "deploy.env", &format!("HF_TOKEN={old}\n"));
    create(dir.path());
    write(dir.path(), "deploy.env", &format!("HF_TOKEN={new}\n"));
    let (code, findings, _) = scan_with_baseline(dir.path());
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 1);
    let out = keyhound(dir.path())
        .args(["scan", ".", "--baseline", "base.json", "--show-secrets"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(&new));
}

#[test]
fn the_file_is_stable_sorted_and_holds_no_raw_secret() {
    let dir = tempfile::tempdir().unwrap();
    let tokens: Vec<String> = (40..44).map(hf_token).collect();
    write(dir.path(), "b.py", &format!("T = \"{}\"\n", tokens[0]));
    write(
        dir.path(),
        "a.py",
        &format!("T = \"{}\"\nU = \"{}\"\n", tokens[1], tokens[2]),
    );
    write(
        dir.path(),
        "c/d.py",
        &format!("X = \"{}\"\nY = \"{}\"\n", tokens[3], tokens[0]),
    );
    let first = create(dir.path());
    // Same tree, same bytes (parallel walk order must not leak into the file).
    for _ in 0..3 {
        assert_eq!(create(dir.path()), first);
    }
    // Moving lines does not change the file either: it records no line numbers.
    write(
        dir.path(),
        "a.py",
        &format!("\n\nU = \"{}\"\nT = \"{}\"\n", tokens[2], tokens[1]),
    );
    assert_eq!(create(dir.path()), first);

    for t in &tokens {
        assert!(
            !first.contains(t.as_str()),
            "raw secret in baseline:\n{first}"
        );
    }
    assert!(!first.contains("\"line\""));
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    let entries = json["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "one entry per secret: {first}");
    let fps: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    let mut sorted = fps.clone();
    sorted.sort();
    assert_eq!(fps, sorted);
    // tokens[0] was seen in two files; both are recorded, sorted.
    let seen: Vec<Vec<&str>> = entries
        .iter()
        .map(|e| {
            e["seen_in"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect()
        })
        .collect();
    assert!(seen.contains(&vec!["b.py", "c/d.py"]), "{first}");

    // The baseline file itself scans clean.
    let (code, findings, _) = scan_json(dir.path(), &["--baseline", "base.json"]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn bad_or_missing_baselines_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", "nothing\n");
    let out = keyhound(dir.path())
        .args(["scan", ".", "--baseline", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json: baseline file not found"));

    write(
        dir.path(),
        "bad.json",
        "{\n  \"keyhound_baseline\": 1,\n  \"findings\": [\n    42\n",
    );
    let out = keyhound(dir.path())
        .args(["scan", ".", "--baseline", "bad.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.json:4:"), "{stderr}");
}

#[test]
fn create_writes_the_default_file_and_stdout() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.env", &format!("HF={}\n", hf_token(50)));
    keyhound(dir.path())
        .args(["baseline", "create"])
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join(".keyhound-baseline.json")).unwrap();
    let out = keyhound(dir.path())
        .args(["baseline", "create", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
    assert!(text.contains("huggingface-user-token"));
}

#[test]
fn a_baseline_named_in_the_config_is_written_and_applied_without_flags() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".keyhound.toml",
        "baseline = \"security/baseline.json\"\n",
    );
    write(dir.path(), "a.env", &format!("HF={}\n", hf_token(60)));
    // Not created yet: the error points at the config line that names it.
    let out = keyhound(dir.path()).args(["scan", "."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("keyhound: error: .keyhound.toml:1:12: baseline:"),
        "{stderr}"
    );

    std::fs::create_dir_all(dir.path().join("security")).unwrap();
    keyhound(dir.path())
        .args(["baseline", "create"])
        .assert()
        .success();
    assert!(dir.path().join("security/baseline.json").is_file());
    let (code, findings, stderr) = scan_json(dir.path(), &[]);
    assert_eq!((code, findings.len()), (0, 0), "{stderr}");
    assert!(stderr.contains("1 in baseline"), "{stderr}");
    // A new secret is still reported.
    write(dir.path(), "b.env", &format!("HF={}\n", hf_token(61)));
    assert_eq!(scan_json(dir.path(), &[]).1.len(), 1);
}

/// Runs `keyhound ARGS` in `dir`; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = keyhound(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn staged_and_history_apply_the_baseline_too() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init_repo(repo);
    let (old, new) = (hf_token(70), hf_token(71));
    write(repo, "svc/settings.py", &format!("HF_TOKEN = \"{old}\"\n"));
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "old secret"]);

    // History finds the committed secret; with the baseline it does not.
    assert_eq!(run(repo, &["history", "."]).0, 1);
    write(
        repo,
        ".keyhound.toml",
        "baseline = \".keyhound-baseline.json\"\n",
    );
    run(repo, &["baseline", "create", "."]);
    let (code, stdout, stderr) = run(repo, &["history", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("1 in baseline"), "{stderr}");

    // Moving the baselined line into another file adds it as far as git is concerned; the
    // staged scan (the pre-commit hook) still lets it through.
    write(repo, "svc/settings.py", "DEBUG = False\n");
    write(
        repo,
        "svc/config.py",
        &format!("import os\n\nHF_TOKEN = \"{old}\"\n"),
    );
    git(repo, &["add", "."]);
    let (code, stdout, stderr) = run(repo, &["staged"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("1 in baseline"), "{stderr}");
    // Control: without the config's baseline the same staged change is reported.
    std::fs::remove_file(repo.join(".keyhound.toml")).unwrap();
    assert_eq!(run(repo, &["staged"]).0, 1);
    write(
        repo,
        ".keyhound.toml",
        "baseline = \".keyhound-baseline.json\"\n",
    );

    // A new secret on the same line is reported, by staged and by history --baseline.
    write(
        repo,
        "svc/config.py",
        &format!("import os\n\nHF_TOKEN = \"{new}\"\n"),
    );
    git(repo, &["add", "."]);
    let (code, stdout, _) = run(repo, &["staged", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout)
            .unwrap()
            .len(),
        1
    );
    git(repo, &["commit", "-q", "--no-verify", "-m", "new secret"]);
    let (code, stdout, _) = run(
        repo,
        &[
            "history",
            ".",
            "--baseline",
            ".keyhound-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["path"], "svc/config.py");
}

#[test]
fn history_can_write_a_baseline_of_secrets_only_history_holds() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    init_repo(repo);
    // A secret committed and then deleted: the working tree is clean, history is not, so
    // `baseline create` (a working-tree scan) cannot record it.
    write(
        repo,
        "train.py",
        &format!("HF_TOKEN = \"{}\"\n", hf_token(80)),
    );
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "add"]);
    write(repo, "train.py", "HF_TOKEN = None\n");
    git(repo, &["commit", "-qam", "remove"]);
    assert_eq!(run(repo, &["history", "."]).0, 1);

    let (code, _, stderr) = run(repo, &["history", ".", "--write-baseline", "hist.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("wrote 1 baselined secret"), "{stderr}");
    let (code, _, stderr) = run(repo, &["history", ".", "--baseline", "hist.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 in baseline"), "{stderr}");

    // A secret committed later is still reported.
    write(
        repo,
        "eval.py",
        &format!("HF_TOKEN = \"{}\"\n", hf_token(81)),
    );
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "another"]);
    assert_eq!(run(repo, &["history", ".", "--baseline", "hist.json"]).0, 1);
}
