//! `keyhound scan` on the fixture tree in corpus/tree: exact findings, ignores, binaries,
//! redaction, output files, stdin and exit codes.

use crate::common::{corpus, jsonl, keyhound, locations, root, stderr};

fn expected_tree_findings() -> Vec<(String, u64, String)> {
    let mut v: Vec<(String, u64, String)> = [
        (".aws/credentials", 2, "aws-access-key-id"),
        (".aws/credentials", 3, "aws-secret-access-key"),
        (".env", 2, "openai-project-key"),
        (".env", 3, "huggingface-user-token"),
        // A `*_PASSWORD` in a .env file is a password in a credential file (issue 11): the
        // dotenv rule reports it at medium, where the generic rule said low.
        (".env", 4, "dotenv-password"),
        ("data/latin1.txt", 2, "huggingface-user-token"),
        ("docs/notes_ünïcode.md", 1, "anthropic-api-key"),
        ("keys/deploy_key.pem", 1, "private-key"),
        ("train.py", 15, "github-classic-token"),
    ]
    .iter()
    .map(|(p, l, r)| (p.to_string(), *l, r.to_string()))
    .collect();
    v.sort();
    v
}

#[test]
fn finds_exactly_the_planted_secrets() {
    let out = keyhound(&corpus("tree"), &["scan", ".", "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(locations(&jsonl(&out)), expected_tree_findings());
}

#[test]
fn summary_counts_the_skipped_binary() {
    let out = keyhound(&corpus("tree"), &["scan", ".", "--format", "jsonl"]);
    let err = stderr(&out);
    assert!(err.contains("skipped 1 binary"), "{err}");
    assert!(err.contains("9 findings"), "{err}");
}

#[test]
fn no_ignore_also_scans_ignored_paths() {
    let out = keyhound(
        &corpus("tree"),
        &["scan", ".", "--no-ignore", "-f", "jsonl"],
    );
    let found = locations(&jsonl(&out));
    assert!(found.contains(&("ignored/local.env".into(), 1, "github-classic-token".into())));
    assert_eq!(found.len(), expected_tree_findings().len() + 1);
}

#[test]
fn columns_count_characters_on_non_ascii_lines() {
    let out = keyhound(&corpus("tree"), &["scan", "docs", "-f", "jsonl"]);
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["column"], 22);
}

#[test]
fn aws_pair_is_reported_together_with_the_account() {
    let out = keyhound(&corpus("tree"), &["scan", ".aws", "-f", "jsonl"]);
    let findings = jsonl(&out);
    let secret = findings
        .iter()
        .find(|f| f["rule_id"] == "aws-secret-access-key")
        .unwrap();
    assert_eq!(secret["confidence"], "high");
    assert!(secret["metadata"]["paired_with"]
        .as_str()
        .unwrap()
        .starts_with("aws-access-key-id AKIA"));
    let id = findings
        .iter()
        .find(|f| f["rule_id"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(id["metadata"]["aws_account_id"].as_str().unwrap().len(), 12);
}

/// The raw values of the planted secrets, read back with --show-secrets.
fn raw_secrets() -> Vec<String> {
    let out = keyhound(
        &corpus("tree"),
        &["scan", ".", "-f", "jsonl", "--show-secrets"],
    );
    jsonl(&out)
        .iter()
        .map(|f| f["secret"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn secrets_are_redacted_in_every_format_unless_asked() {
    let secrets = raw_secrets();
    assert_eq!(secrets.len(), expected_tree_findings().len());
    for format in ["text", "json", "jsonl"] {
        let out = keyhound(&corpus("tree"), &["scan", ".", "-f", format]);
        let text = String::from_utf8_lossy(&out.stdout);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{format} leaks a secret");
        }
    }
    let shown = keyhound(
        &corpus("tree"),
        &["scan", ".", "-f", "text", "--show-secrets"],
    );
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(secrets.iter().all(|s| text.contains(s.as_str())));
}

#[test]
fn json_records_carry_the_documented_fields() {
    let out = keyhound(&corpus("tree"), &["scan", "train.py", "-f", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &doc.as_array().unwrap()[0];
    for field in [
        "rule_id",
        "rule_name",
        "confidence",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "secret",
        "fingerprint",
    ] {
        assert!(!f[field].is_null(), "missing {field}");
    }
    assert_eq!(f["path"], "train.py");
    assert_eq!(f["fingerprint"].as_str().unwrap().len(), 64);
    assert_eq!(
        f["end_column"].as_u64().unwrap() - f["column"].as_u64().unwrap(),
        40
    );
}

#[test]
fn fingerprint_is_stable_across_location() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = raw_secrets();
    let hf = secrets.iter().find(|s| s.starts_with("hf_")).unwrap();
    std::fs::write(dir.path().join("a.env"), format!("HF_TOKEN={hf}\n")).unwrap();
    std::fs::write(dir.path().join("b.py"), format!("\n\n  token = '{hf}'\n")).unwrap();
    let out = keyhound(dir.path(), &["scan", ".", "-f", "jsonl"]);
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = keyhound(
        &corpus("tree"),
        &["scan", ".", "-f", "json", "-o", report.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    assert_eq!(
        doc.as_array().unwrap().len(),
        expected_tree_findings().len()
    );
}

/// `-o` naming a FIFO (or a character device such as `/dev/null`) writes into it: renaming a
/// temporary file over it would replace the node itself (as root, `-o /dev/null` once turned
/// the machine's `/dev/null` into a regular file).
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_into_not_replaced() {
    use std::io::Read;
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    // (Not tested on `/dev/null` itself: a regression would break the machine's.)
    const O_NONBLOCK: i32 = 0o4000; // Linux
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Held open for reading and writing (never blocks on Linux), so keyhound's open for
    // writing does not block and its report waits in the pipe; if keyhound replaced the
    // node instead, this reads nothing (and nothing hangs).
    let mut reader = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let out = keyhound(
        &corpus("tree"),
        &[
            "scan",
            "train.py",
            "-f",
            "json",
            "-o",
            fifo.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let mut report = vec![0u8; 1 << 16];
    let n = reader.read(&mut report).unwrap_or(0);
    let report = String::from_utf8_lossy(&report[..n]);
    assert!(report.trim_start().starts_with('['), "{report}");
    assert!(report.contains("\"rule_id\""), "{report}");
}

#[test]
fn stdin_is_scanned_with_dash() {
    let secrets = raw_secrets();
    let token = secrets.iter().find(|s| s.starts_with("ghp_")).unwrap();
    let out = assert_cmd::Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan", "-", "-f", "jsonl"])
        .write_stdin(format!("line one\nexport GH={token}\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["path"], "-");
    assert_eq!(findings[0]["line"], 2);
}

#[test]
fn placeholders_and_references_are_not_reported() {
    let out = keyhound(
        &corpus("tree"),
        &["scan", "config", "docs/README.md", "-f", "jsonl"],
    );
    assert_eq!(out.status.code(), Some(0), "{:?}", jsonl(&out));
}

#[test]
fn oversized_files_are_skipped_and_counted() {
    let out = keyhound(&corpus("tree"), &["scan", ".", "--max-file-size", "300"]);
    let err = stderr(&out);
    assert!(err.contains("over size limit"), "{err}");
}

#[test]
fn missing_path_is_a_clear_error_with_exit_2() {
    let out = keyhound(&root(), &["scan", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no/such/dir") && err.contains("no such file"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(
        keyhound(&root(), &["scan", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(keyhound(&root(), &["frobnicate"]).status.code(), Some(2));
}

#[test]
fn clean_directory_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.py"), "print('hello')\n").unwrap();
    let out = keyhound(dir.path(), &["scan", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn gitignore_is_respected_and_git_dir_never_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = raw_secrets();
    let token = secrets.iter().find(|s| s.starts_with("ghp_")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "build/\n").unwrap();
    std::fs::create_dir_all(dir.path().join("build")).unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("build/out.txt"), format!("t={token}\n")).unwrap();
    std::fs::write(dir.path().join(".git/config"), format!("t={token}\n")).unwrap();
    assert_eq!(keyhound(dir.path(), &["scan", "."]).status.code(), Some(0));
    let all = keyhound(dir.path(), &["scan", ".", "--no-ignore", "-f", "jsonl"]);
    assert_eq!(
        locations(&jsonl(&all)),
        vec![(
            "build/out.txt".to_string(),
            1,
            "github-classic-token".to_string()
        )]
    );
}

#[test]
fn keyhound_scanning_its_own_repository_finds_nothing() {
    let out = keyhound(&root(), &["scan", ".", "-f", "jsonl"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "self-scan findings: {:?}",
        jsonl(&out)
    );
}
