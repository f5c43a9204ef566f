//! Hostile input (issue 13): keyhound runs in CI on strangers' pull requests, so every input
//! is built here to hurt it. Each test names the issue item it holds, builds its input in
//! the test (nothing big is committed), and asserts on work done or on what reaches the
//! report, never on wall time.

use std::path::Path;

use keyhound::engine::Engine;
use keyhound::filter::Filter;
use keyhound::item::{Item, Origin};
use keyhound::scanner::{ScanWork, Scanner, Stats};
use proptest::prelude::*;

use crate::common::workflow::{git, hf_token, init_repo, keyhound, write};

fn scanner() -> &'static Scanner {
    static SCANNER: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    SCANNER.get_or_init(|| Scanner::new(Engine::builtin()))
}

/// Scans `bytes` as stdin through the library; returns the findings and the work done.
fn scan(bytes: &[u8]) -> (Vec<keyhound::finding::Finding>, ScanWork) {
    let stats = Stats::default();
    scanner().scan_counted(
        Item {
            origin: &Origin::Stdin,
            bytes,
        },
        &Filter::default(),
        &stats,
    )
}

/// The work of one scan held to a multiple of the input: windows per rule are disjoint,
/// columns are walked once per line, each line's markers are searched once, and each finding
/// copies a bounded excerpt.
fn assert_linear(n: usize, findings: usize, work: &ScanWork) {
    let n = n as u64 + 1;
    let rules = scanner().engine.rules().len() as u64;
    assert!(
        work.engine.regex_bytes <= rules * n,
        "regex bytes {work:?} for {n}"
    );
    assert!(work.column_bytes <= n, "column bytes {work:?} for {n}");
    assert!(work.marker_bytes <= 2 * n, "marker bytes {work:?} for {n}");
    let excerpt = 2 * keyhound::finding::LINE_CONTEXT_BYTES as u64 + 512;
    assert!(
        work.line_bytes <= findings as u64 * excerpt,
        "line bytes {work:?} for {findings} findings"
    );
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    keyhound(dir).args(args).output().expect("keyhound runs")
}

// ---- 1. One long line with many keyword hits --------------------------------------------

#[test]
fn item1_one_long_line_of_keyword_hits_is_linear() {
    // 1.2 MB on one line, a keyword hit every 6 bytes: searching the line's bounds from
    // each hit made this quadratic (hours at 9.6 MB).
    let line = "token=".repeat(200_000);
    let (findings, work) = scan(line.as_bytes());
    assert_linear(line.len(), findings.len(), &work);
    // The same for the minified-JSON shape.
    let json = format!("[{}]", r#"{"access_token":"x"},"#.repeat(50_000));
    let (findings, work) = scan(json.as_bytes());
    assert_linear(json.len(), findings.len(), &work);
}

#[test]
fn item1_thousands_of_findings_on_one_line_copy_no_line_each() {
    let tokens: Vec<String> = (0..8000).map(hf_token).collect();
    let line = tokens.join("  ");
    let (findings, work) = scan(line.as_bytes());
    assert_eq!(findings.len(), tokens.len());
    assert_linear(line.len(), findings.len(), &work);
    for f in &findings {
        assert!(f.line_text.len() <= 2 * keyhound::finding::LINE_CONTEXT_BYTES + 64);
    }
    // Columns are still right at the far end of the line.
    let last = findings.last().unwrap();
    assert_eq!(last.location.column, line.len() - 36);
    // Each finding's line shows its neighbours redacted.
    let shown = findings[100].display_line(false).unwrap();
    for t in &tokens[95..105] {
        assert!(!shown.contains(t.as_str()), "{shown}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the shape (line lengths, keyword density, tokens), the engine and the
    /// scanner do work linear in the input.
    #[test]
    fn scanning_does_work_linear_in_the_input(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("token=".to_string()),
                Just("password: ".to_string()),
                Just("\n".to_string()),
                Just("AKIAGO6MVN6A6WFHYM6L ".to_string()),
                Just("-----BEGIN RSA PRIVATE KEY-----".to_string()),
                (0u64..1000).prop_map(hf_token),
                "[a-z ]{0,40}",
            ],
            0..3000,
        ),
    ) {
        let text = parts.concat();
        let (findings, work) = scan(text.as_bytes());
        assert_linear(text.len(), findings.len(), &work);
    }
}

// ---- 11, 12. Every secret on a line redacted before the line is shown -------------------

const AWS_ID: &str = "AKIAGO6MVN6A6WFHYM6L";
const AWS_SECRET: &str = "1qhT61qtc4xatws8phP9nhFyJfm5di4PzJ59FHz5";

#[test]
fn item11_a_second_secret_on_the_line_is_redacted_in_text_and_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hf_token(1), hf_token(2));
    write(
        dir.path(),
        "creds.env",
        &format!("aws_access_key_id={AWS_ID} aws_secret_access_key={AWS_SECRET}\nHF={a} HF2={b}\n"),
    );
    for format in ["text", "sarif", "json"] {
        let out = run(dir.path(), &["scan", ".", "-f", format]);
        let text = stdout(&out);
        assert!(text.contains("creds.env"), "{format}: {text}");
        for secret in [AWS_ID, AWS_SECRET, a.as_str(), b.as_str()] {
            assert!(!text.contains(secret), "{format} leaks {secret}: {text}");
        }
    }
}

#[test]
fn item12_pem_base64_on_the_begin_line_is_not_shown() {
    let dir = tempfile::tempdir().unwrap();
    let body = "5xgUskL+6GgebhbkXNNv/hOV48vsoUu19X5IQLJhQbtN2FWXWD5KaPHI2ufKssJ+";
    let more = "Sk/WzDNhY7AGbX6lTiDYHP9zyBylxLUTZtFf+VnV7ktOdSJcmeA/BHJ2m5qGeRzx";
    write(
        dir.path(),
        "key.pem",
        &format!("-----BEGIN RSA PRIVATE KEY----- {body}\n{more}\n-----END RSA PRIVATE KEY-----\n"),
    );
    for format in ["text", "sarif"] {
        let out = run(dir.path(), &["scan", ".", "-f", format]);
        let text = stdout(&out);
        assert!(text.contains("key.pem"), "{format}: {text}");
        assert!(
            !text.contains(&body[..16]),
            "{format} shows key material: {text}"
        );
        assert!(
            !text.contains(&more[..16]),
            "{format} shows key material: {text}"
        );
    }
}

// ---- 13, 14. Commit summaries, paths and ref names --------------------------------------

#[test]
fn item13_item5_commit_summaries_are_redacted_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    let token = hf_token(7);
    let leaked = hf_token(8);
    write(dir.path(), "a.env", &format!("HF_TOKEN={token}\n"));
    write(dir.path(), "b.env", &format!("HF_TOKEN={}\n", hf_token(9)));
    git(dir.path(), &["add", "."]);
    // A one-line message of 1 MB, with a secret in it: copied into every finding, it made a
    // 2 GB report from a small repository.
    let message = format!("add token {leaked} {}", "x".repeat(1 << 20));
    let msg_file = dir.path().join("msg");
    std::fs::write(&msg_file, &message).unwrap();
    git(
        dir.path(),
        &["commit", "-q", "-F", msg_file.to_str().unwrap()],
    );
    std::fs::remove_file(&msg_file).unwrap();
    for format in ["text", "json", "sarif"] {
        let out = run(dir.path(), &["history", "-f", format]);
        let text = stdout(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !text.contains(&leaked),
            "{format} leaks the summary's secret"
        );
        assert!(
            text.len() < 64 * 1024,
            "{format} report is {} bytes",
            text.len()
        );
    }
}

#[test]
fn item14_a_secret_in_a_path_is_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let in_name = hf_token(11);
    write(
        dir.path(),
        &format!("backup-{in_name}.env"),
        &format!("HF_TOKEN={}\n", hf_token(12)),
    );
    for format in ["text", "json", "sarif"] {
        let out = run(dir.path(), &["scan", ".", "-f", format]);
        let text = stdout(&out);
        assert!(text.contains("backup-"), "{format}: {text}");
        assert!(!text.contains(&in_name), "{format} leaks the path's secret");
    }
}

// ---- 16. Terminal escapes -----------------------------------------------------------------

#[test]
fn item16_control_characters_in_names_and_lines_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    // A newline in a file name that would forge a finding block, an OSC 52 clipboard write
    // and a clear-screen on the line.
    let name = "x\nforged.py:1:1  Critical  Fake (fake)\x1b]52;c;ZXZpbA==\x07.env";
    write(
        dir.path(),
        name,
        &format!("\x1b[2J\rHF_TOKEN={} \x1b]52;c;aGk=\x07\n", hf_token(13)),
    );
    let out = run(dir.path(), &["scan", ".", "-f", "text"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        !text.contains('\x1b') && !text.contains('\r') && !text.contains('\x07'),
        "{text:?}"
    );
    assert!(!text.lines().any(|l| l.starts_with("forged.py")), "{text}");
    assert!(text.contains("\\u{1b}]52"), "{text}");
}
