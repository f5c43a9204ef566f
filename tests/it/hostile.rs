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

/// Runs keyhound, killed after a minute: a regression to a hang (a FIFO opened, a spin)
/// fails the test instead of stalling the suite.
fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    keyhound(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("keyhound runs")
}

/// Opens `fifo` for reading without blocking, so a writer thread stuck opening it (because
/// keyhound never did) can finish and be joined.
fn release_writer(fifo: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    const O_NONBLOCK: i32 = 0o4000; // Linux
    let _ = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(fifo);
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
    // SARIF describes every enabled rule whatever was found: that part is not the message's.
    let empty = tempfile::tempdir().unwrap();
    let rules_part = stdout(&run(empty.path(), &["scan", ".", "-f", "sarif"])).len();
    for format in ["text", "json", "sarif"] {
        let out = run(dir.path(), &["history", "-f", format]);
        let text = stdout(&out);
        let own = if format == "sarif" { rules_part } else { 0 };
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
            text.len() < own + 64 * 1024,
            "{format} report is {} bytes",
            text.len()
        );
        assert!(
            !text.contains(&"x".repeat(4096)),
            "{format} copies the message"
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

// ---- 7, 8, 10, 18, 23. What keyhound reads: types checked, sizes capped ------------------

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn item7_reads_are_capped_whatever_the_size_says() {
    // A reader that claims nothing and never ends stands for `/proc/self/pagemap`.
    let endless = std::io::repeat(b'a');
    match keyhound::source::walk::read_capped(endless, "x.txt", 1000).unwrap() {
        keyhound::source::walk::Capped::Over => {}
        _ => panic!("an endless input must be over the cap"),
    }
    // Binary data no decoder claims is recognised from its head; the rest is never read.
    let mut binary = vec![0u8; 64];
    binary.resize(1 << 20, b'x');
    let counted = CountingReader {
        inner: std::io::Cursor::new(binary),
        read: 0,
    };
    let mut counted = counted;
    match keyhound::source::walk::read_capped(&mut counted, "blob.dat", 10 << 20).unwrap() {
        keyhound::source::walk::Capped::Head(head) => assert!(head.len() <= 8192),
        _ => panic!("binary data is skipped from its head"),
    }
    assert!(
        counted.read <= 8192,
        "read {} bytes of a binary file",
        counted.read
    );
}

struct CountingReader<R> {
    inner: R,
    read: usize,
}

impl<R: std::io::Read> std::io::Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n;
        Ok(n)
    }
}

#[test]
fn item8_hostile_ignore_files_neither_hang_nor_exhaust_memory() {
    let dir = tempfile::tempdir().unwrap();
    let token = hf_token(21);
    write(dir.path(), "a/secret.env", &format!("HF_TOKEN={token}\n"));
    write(
        dir.path(),
        "b/secret.env",
        &format!("HF_TOKEN={}\n", hf_token(22)),
    );
    write(dir.path(), "c/.gitignore", "ignored.env\n");
    write(
        dir.path(),
        "c/ignored.env",
        &format!("HF_TOKEN={}\n", hf_token(23)),
    );
    // A FIFO named `.gitignore` (hung the scan) and a symlink to `/dev/zero` (read until the
    // process aborted).
    mkfifo(&dir.path().join("a/.gitignore"));
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("b/.gitignore")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".ignore")).unwrap();
    let out = run(dir.path(), &["scan", ".", "-f", "json", "-v"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    // Good ignore files still apply; the hostile ones are not used, and the scan says so.
    assert_eq!(paths, ["a/secret.env", "b/secret.env"], "{stderr}");
    assert!(stderr.contains("ignore file not used"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn item10_baseline_and_config_must_be_regular_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "x.txt", "nothing\n");
    let out = run(dir.path(), &["scan", ".", "--baseline", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    let fifo = dir.path().join("baseline.fifo");
    mkfifo(&fifo);
    let out = run(
        dir.path(),
        &["scan", "x.txt", "--baseline", fifo.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    // A config that is no regular file is never read, named or found.
    let out = run(dir.path(), &["scan", "x.txt", "--config", "/dev/zero"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".keyhound.toml")).unwrap();
    let out = run(dir.path(), &["scan", "x.txt"]);
    assert_ne!(out.status.code(), None, "the scan ends");
}

#[test]
fn item18_a_named_fifo_is_read_through_the_cap_and_tree_fifos_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let token = hf_token(31);
    let writer = {
        let fifo = fifo.clone();
        let token = token.clone();
        // Its result is not asserted: if keyhound never reads, the assertions below say so.
        std::thread::spawn(move || {
            let _ = std::fs::write(fifo, format!("HF_TOKEN={token}\n"));
        })
    };
    let out = run(dir.path(), &["scan", "pipe", "-f", "json"]);
    release_writer(&fifo);
    writer.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings.len(), 1);
    // Inside a tree a FIFO is never opened: skipped, counted, and named with -v.
    let tree = tempfile::tempdir().unwrap();
    mkfifo(&tree.path().join("trap"));
    write(tree.path(), "ok.txt", "fine\n");
    let out = run(tree.path(), &["scan", ".", "-v"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 special or symlinked"), "{stderr}");
    assert!(stderr.contains("trap"), "{stderr}");
}

#[test]
fn item23_permission_denied_is_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    // Root reads any file, so an unreadable path is one under a file (ENOTDIR), which is
    // no "not found" either; as a user, a mode-000 file gives EACCES the same way.
    write(dir.path(), "plain", "x\n");
    let out = run(dir.path(), &["scan", "plain/inner"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("no such file"), "{stderr}");
    assert!(
        stderr.to_lowercase().contains("not a directory"),
        "{stderr}"
    );
}

// ---- 17. Fail-open on an unreadable repository --------------------------------------------

#[test]
fn item17_an_unreadable_pack_is_an_error_not_a_clean_history() {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(dir.path(), "a.env", &format!("HF_TOKEN={}\n", hf_token(41)));
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "add"]);
    git(dir.path(), &["gc", "-q"]);
    let pack_dir = dir.path().join(".git/objects/pack");
    for entry in std::fs::read_dir(&pack_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "pack") {
            // Damaged past its header: libgit2 cannot read the objects in it.
            let mut bytes = std::fs::read(&path).unwrap();
            let end = bytes.len() - 20;
            for b in &mut bytes[12..end] {
                *b ^= 0x55;
            }
            std::fs::write(&path, bytes).unwrap();
        }
    }
    for args in [&["history"][..], &["staged"][..]] {
        let out = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("cannot"), "{stderr}");
    }
}

// ---- 2-6, 24. Decoder amplification, names, depth, honest counts -------------------------

use keyhound::decode::{decode, DecodeOptions, DecodeReport};

/// Decodes `bytes` as `name`; returns the bytes of text emitted, the text, and the report.
fn decoded(name: &str, bytes: &[u8], options: &DecodeOptions) -> (usize, String, DecodeReport) {
    let mut total = 0;
    let mut text = String::new();
    let report = decode(name, bytes, options, &mut |segment| {
        total += segment.text.len();
        if text.len() < 1 << 20 {
            text.push_str(&String::from_utf8_lossy(&segment.text));
        }
    });
    (total, text, report)
}

/// What every non-archive decoder may emit: linear in its input.
fn assert_decoded_linear(n: usize, emitted: usize) {
    assert!(
        emitted <= 2 * n + (64 << 10) + 64,
        "{emitted} bytes decoded from {n}"
    );
}

/// A GGUF v3 file whose one key-value is an array of `count` strings under `key`.
fn gguf_array(key: &str, count: usize, element: &str) -> Vec<u8> {
    let mut v = b"GGUF".to_vec();
    v.extend_from_slice(&3u32.to_le_bytes());
    v.extend_from_slice(&0u64.to_le_bytes());
    v.extend_from_slice(&1u64.to_le_bytes());
    v.extend_from_slice(&(key.len() as u64).to_le_bytes());
    v.extend_from_slice(key.as_bytes());
    v.extend_from_slice(&9u32.to_le_bytes()); // array
    v.extend_from_slice(&8u32.to_le_bytes()); // of strings
    v.extend_from_slice(&(count as u64).to_le_bytes());
    for _ in 0..count {
        v.extend_from_slice(&(element.len() as u64).to_le_bytes());
        v.extend_from_slice(element.as_bytes());
    }
    v
}

/// A notebook whose one output holds `{key: [count × element]}` as JSON data.
fn notebook_output(key: &str, count: usize, element: &str) -> String {
    let list = vec![format!("{element:?}"); count].join(",");
    format!(
        r#"{{"cells":[{{"cell_type":"code","source":[],"outputs":[{{"output_type":"execute_result","data":{{"application/json":{{{key:?}:[{list}]}}}}}}]}}],"metadata":{{}},"nbformat":4,"nbformat_minor":5}}"#
    )
}

#[test]
fn item2_a_gguf_array_does_not_copy_its_key_per_element() {
    // A 64 KiB key over 100k strings: copied per element it was 6.4 GB.
    let key = "k".repeat(64 << 10);
    let bytes = gguf_array(&key, 100_000, "");
    let (emitted, _, _) = decoded("m.gguf", &bytes, &DecodeOptions::default());
    assert_decoded_linear(bytes.len(), emitted);
    // Short keys are still written beside each value, so rules see the name.
    let token = hf_token(51);
    let bytes = gguf_array("general.hf_token", 3, &token);
    let (_, text, _) = decoded("m.gguf", &bytes, &DecodeOptions::default());
    assert_eq!(text.matches("general.hf_token = ").count(), 3, "{text}");
}

#[test]
fn item3_notebook_json_output_does_not_copy_its_key_per_string() {
    let key = "k".repeat(64 << 10);
    let nb = notebook_output(&key, 100_000, "");
    let (emitted, _, _) = decoded("x.ipynb", nb.as_bytes(), &DecodeOptions::default());
    assert_decoded_linear(nb.len(), emitted);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// The GGUF and notebook decoders emit text linear in their input, whatever the key
    /// length, element count and element size.
    #[test]
    fn decoders_emit_text_linear_in_the_input(
        key_len in 0usize..5000,
        count in 0usize..5000,
        element in "[a-z]{0,8}",
    ) {
        let key = "k".repeat(key_len);
        let bytes = gguf_array(&key, count, &element);
        let (emitted, _, _) = decoded("m.gguf", &bytes, &DecodeOptions::default());
        assert_decoded_linear(bytes.len(), emitted);
        let nb = notebook_output(&key, count, &element);
        let (emitted, _, _) = decoded("x.ipynb", nb.as_bytes(), &DecodeOptions::default());
        assert_decoded_linear(nb.len(), emitted);
    }
}

#[test]
fn item4_a_huge_tar_member_name_is_not_copied_into_findings() {
    let long = format!("{}secret.env", "d/".repeat(200_000));
    let data = format!("HF_TOKEN={}\n", hf_token(52));
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, &long, data.as_bytes())
        .unwrap();
    let bytes = builder.into_inner().unwrap();
    let origin = Origin::File {
        display: "x.tar".into(),
        relative: "x.tar".into(),
    };
    let findings = scanner().scan(
        Item {
            origin: &origin,
            bytes: &bytes,
        },
        &Filter::default(),
        &Stats::default(),
    );
    assert_eq!(findings.len(), 1);
    let path = &findings[0].location.path;
    assert!(
        path.len() <= keyhound::decode::MAX_MEMBER_NAME + 16,
        "{}",
        path.len()
    );
    assert!(path.starts_with("x.tar!d/d/") && path.ends_with('…'));
}

use crate::common::zip_of;

#[test]
fn item6_nesting_has_a_ceiling_and_never_overflows_the_stack() {
    let mut bytes = format!("HF_TOKEN={}\n", hf_token(53)).into_bytes();
    bytes = zip_of("deep.env", &bytes);
    for _ in 0..300 {
        bytes = zip_of("inner.zip", &bytes);
    }
    let options = DecodeOptions {
        max_depth: 1000,
        ..DecodeOptions::default()
    };
    // Decoded on a thread with a small stack: 300 layers of recursion overflowed it.
    let (_, text, report) = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || decoded("x.zip", &bytes, &options))
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(!text.contains("HF_TOKEN"));
    assert_eq!(report.members as usize, keyhound::decode::MAX_DEPTH_CEILING);
    assert!(
        report.notes.iter().any(|n| n.contains("--max-depth 16")),
        "{:?}",
        report.notes
    );
    // The command line refuses a depth past the ceiling, with a clear message.
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["scan", ".", "--max-depth", "1000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("most layers"));
}

#[test]
fn item24_a_gzip_bomb_is_not_called_one_byte() {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b'a'; 1 << 20];
    for _ in 0..8 {
        gz.write_all(&zeros).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bomb.txt.gz"), gz.finish().unwrap()).unwrap();
    let out = run(dir.path(), &["scan", ".", "--max-file-size", "1MB"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cut 1 member short"), "{stderr}");
    assert!(!stderr.contains("(1 bytes not scanned)"), "{stderr}");
    assert!(stderr.contains("total unknown"), "{stderr}");
}

#[test]
fn item24_a_secret_nested_too_deep_in_notebook_json_is_noted_and_counted() {
    let token = hf_token(54);
    let deep = format!(
        "{}{{\"token\": {token:?}}}{}",
        "{\"a\":".repeat(40),
        "}".repeat(40)
    );
    let nb = format!(
        r#"{{"cells":[{{"cell_type":"code","source":[],"outputs":[{{"output_type":"execute_result","data":{{"application/json":{deep}}}}}]}}],"metadata":{{}},"nbformat":4,"nbformat_minor":5}}"#
    );
    let (_, _, report) = decoded("x.ipynb", nb.as_bytes(), &DecodeOptions::default());
    assert!(report.skipped >= 1, "{report:?}");
    assert!(
        report.notes.iter().any(|n| n.contains("deeper than 32")),
        "{:?}",
        report.notes
    );
}

// ---- 19, 21, 22. Clobbering and pipes ------------------------------------------------------

#[test]
fn item19_baseline_create_never_writes_through_a_planted_temp_symlink() {
    let outer = tempfile::tempdir().unwrap();
    let victim = outer.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    let tree = outer.path().join("tree");
    write(&tree, "a.env", &format!("HF_TOKEN={}\n", hf_token(61)));
    std::os::unix::fs::symlink("../victim", tree.join(".keyhound-baseline.json.tmp")).unwrap();
    // And the destination itself a symlink: replaced, not written through.
    std::os::unix::fs::symlink("../victim", tree.join(".keyhound-baseline.json")).unwrap();
    let out = run(&tree, &["baseline", "create"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let written = std::fs::symlink_metadata(tree.join(".keyhound-baseline.json")).unwrap();
    assert!(written.is_file());
}

#[test]
fn item21_an_unwritable_output_fails_before_the_scan() {
    let dir = tempfile::tempdir().unwrap();
    // A FIFO nobody reads: were it scanned before the output was checked, this would hang.
    mkfifo(&dir.path().join("trap"));
    let out = run(
        dir.path(),
        &["scan", "trap", "-o", "no/such/dir/report.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir/report.json"));
    // A good path gets the report, and no temporary file is left beside it.
    write(dir.path(), "a.env", &format!("HF_TOKEN={}\n", hf_token(62)));
    let out = run(dir.path(), &["scan", "a.env", "-o", "report.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::read_to_string(dir.path().join("report.txt"))
        .unwrap()
        .contains("a.env"));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn item22_a_closed_pipe_is_not_a_failure() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2000 {
        write(
            dir.path(),
            &format!("f{i}.env"),
            &format!("HF_TOKEN={}\n", hf_token(1000 + i)),
        );
    }
    // A rule directory whose every rule fails its examples: `rules check` prints thousands
    // of failure lines (it panicked at the first write into a closed pipe).
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    let mut file = String::new();
    for i in 0..1500 {
        file.push_str(&format!(
            "[[rule]]\nid = \"failing-{i}\"\nname = \"f\"\ndescription = \"d\"\n\
             keywords = [\"zq_\"]\nregex = '(?P<secret>zq_[a-z]{{8}})'\n\
             confidence = \"low\"\nseverity = \"low\"\n\
             examples = [\"no match here\"]\nnegative_examples = [\"zq_abcdefgh\"]\n\n"
        ));
    }
    std::fs::write(rules.join("many.toml"), file).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("keyhound");
    let patterns = rules.to_str().unwrap().to_string();
    for args in [
        &["baseline", "create", "-o", "-"][..],
        &["scan", "."][..],
        &["rules", "check", "--patterns", &patterns][..],
    ] {
        let mut child = Command::new(&bin)
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // stdout is closed here, like `| head -c 16`.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(2), "{args:?}: {stderr}");
    }
}

// ---- 9. A truncated loose object ---------------------------------------------------------

#[test]
fn item9_a_truncated_loose_object_is_an_error_not_a_spin() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(dir.path(), "big.txt", &"x".repeat(5000));
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "big"]);
    let oid = git(dir.path(), &["rev-parse", "HEAD:big.txt"]);
    let oid = oid.trim();
    let path = dir
        .path()
        .join(".git/objects")
        .join(&oid[..2])
        .join(&oid[2..]);
    // The blob re-deflated and cut 8 bytes short of its end: libgit2 spins on it forever.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(format!("blob 5000\0{}", "x".repeat(5000)).as_bytes())
        .unwrap();
    let whole = z.finish().unwrap();
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 8]).unwrap();
    for args in [
        &["history"][..],
        &["history", "--range", "HEAD~1..HEAD"][..],
        &["staged"][..],
    ] {
        let out = run(dir.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(oid) && stderr.contains("damaged"),
            "{stderr}"
        );
    }
}
