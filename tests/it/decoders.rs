//! The decoders end to end: `keyhound scan` over the fixtures in `corpus/artifacts/` (made by
//! `corpus/artifacts/generate.py`) must report exactly these findings at exactly these
//! places, and must not report the fake tokens planted where scanning would be wrong
//! (image outputs, tensor data, tokenizer vocabularies, members beyond `--max-depth`).

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "corpus/artifacts";

/// (path under DIR, line, secret, segment label) of one finding.
type Expected = (&'static str, usize, &'static str, Option<&'static str>);

const EXPECTED: &[Expected] = &[
    (
        "bomb.zip!after.txt",
        1,
        "hf_qfM2oeq3hDavJA76rNicHTp8hkqdlm7tOt",
        None,
    ),
    (
        "bomb.zip!big.txt",
        1,
        "hf_HWnsCGRlrwZbqcabUGJmGEp7CgQ0PBQFI1",
        None,
    ),
    (
        "bundle.tar.gz!pkg/config.env",
        2,
        "hf_ZEG8pSH4487q7J58m1CiAhzCueQpBenQtY",
        None,
    ),
    (
        "bundle.tar.gz!pkg/creds.txt.gz",
        1,
        "hf_h5Xj8TPQxjq4i9DoV8gz4FkQ1okTBGzvAm",
        None,
    ),
    (
        "bundle.zip!README.md",
        3,
        "hf_5HA064GiIjHGb3CXlMaXZjljENUhJduRHH",
        None,
    ),
    (
        "bundle.zip!nested/inner.zip!deep/secret.txt",
        2,
        "hf_JEYXg4JdpmrcXgGCJbW56eCuNGMGmSrCGI",
        None,
    ),
    (
        "checkpoint.pt!checkpoint/data.pkl",
        4,
        "hf_9wMxEhh2FDEEtfjgVvVqE1SkHbn88HxjSI",
        Some("pickle strings"),
    ),
    (
        "config.pkl",
        2,
        "hf_zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv",
        Some("pickle strings"),
    ),
    (
        "corrupt.pkl",
        1,
        "hf_GPmpGXafq0fjzLczbttOofL9H2WjQ5TY4M",
        Some("pickle strings"),
    ),
    (
        "legacy.pkl",
        2,
        "hf_nEN5N1aE6PwZPf1Qh6yYTWmE4lBYOvfZ8U",
        Some("pickle strings"),
    ),
    (
        "model.gguf",
        2,
        "hf_zDzV8fUkkibjL5DZPjN0MEQ7wjJJibaZUP",
        Some("gguf metadata"),
    ),
    (
        "model.safetensors",
        2,
        "hf_LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzz",
        Some("safetensors __metadata__"),
    ),
    (
        "not-json.ipynb",
        2,
        "hf_yWuUFjsUNPjc01T5GOBUSZGi6HWGK10Zb0",
        None,
    ),
    (
        "notebook.ipynb",
        16,
        "hf_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL",
        Some("cell 2 (code) source"),
    ),
    (
        "notebook.ipynb",
        24,
        "hf_NnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehG",
        Some("cell 2 (code) output 1 (stream)"),
    ),
    (
        "notebook.ipynb",
        44,
        "hf_8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd",
        Some("cell 3 (code) source"),
    ),
    (
        "notebook.ipynb",
        51,
        "hf_QedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz",
        Some("cell 3 (code) output 1 (error)"),
    ),
    (
        "notebook.ipynb",
        64,
        "hf_63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1",
        Some("cell 3 (code) output 2 (execute_result) application/json"),
    ),
    (
        "notes.txt.gz",
        2,
        "hf_Wi0B26R08qzjI6GKFSufrdZSlB5er8bOfZ",
        None,
    ),
    (
        "plain.tar!a.txt",
        1,
        "hf_wufUxbvJDCTbyvHNsG9eh6Yo4gfqrc5Xlr",
        None,
    ),
    (
        "truncated.zip!first.txt",
        1,
        "hf_GQsMpSscDlkrCaqx9vJupc94tnwlavyfEr",
        None,
    ),
];

/// Planted where they must never be found.
const NEVER: &[&str] = &[
    "hf_AkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES", // image/png output
    "hf_zzgEOzdmenCkhvMdgaKjIg8xNbe3nNyjOq", // safetensors tensor data
    "hf_6bWHtP3fS2qHx6kwXoIIXGvOoNZYW2mZp0", // checkpoint tensor storage (binary member)
    "hf_gHV7iB3m03nbqnsGpWLuqIA1id6Vw5DQL0", // GGUF tokenizer vocabulary
    "hf_4zGtSnovm14TUOizwd1iaeOV4qBkdfQ1y3", // three archive layers down
];

struct Run {
    findings: Vec<Value>,
    stderr: String,
}

/// Scans every fixture (not the generator script, whose source holds the tokens). The size
/// cap is lowered to 1 MB so the 12 MiB bomb member is cut quickly in debug builds.
fn scan(extra: &[&str]) -> Run {
    let mut files: Vec<String> = std::fs::read_dir(DIR)
        .expect("corpus/artifacts exists")
        .map(|e| e.expect("readable").path().display().to_string())
        .filter(|p| !p.ends_with(".py"))
        .collect();
    files.sort();
    let out = Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan", "--format", "jsonl", "--show-secrets"])
        .args(["--max-file-size", "1000000"])
        .args(extra)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(1),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let findings = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        findings,
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn key(f: &Value) -> (String, usize, String, Option<String>) {
    let path = f["path"].as_str().unwrap();
    let path = path.strip_prefix(&format!("{DIR}/")).unwrap_or(path);
    (
        path.to_string(),
        f["line"].as_u64().unwrap() as usize,
        f["secret"].as_str().unwrap().to_string(),
        f["metadata"]["segment"].as_str().map(str::to_string),
    )
}

#[test]
fn every_format_reports_exact_findings_and_places() {
    assert!(Path::new(DIR).join("notebook.ipynb").exists());
    let run = scan(&[]);
    let mut got: Vec<_> = run.findings.iter().map(key).collect();
    got.sort();
    let mut want: Vec<_> = EXPECTED
        .iter()
        .map(|(p, l, s, seg)| (p.to_string(), *l, s.to_string(), seg.map(str::to_string)))
        .collect();
    want.sort();
    assert_eq!(got, want, "stderr:\n{}", run.stderr);
    for never in NEVER {
        assert!(
            run.findings.iter().all(|f| f["secret"] != *never),
            "{never} must not be reported"
        );
    }
}

#[test]
fn notebook_findings_carry_the_line_within_the_cell() {
    let run = scan(&[]);
    let split = run
        .findings
        .iter()
        .find(|f| f["secret"] == "hf_8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKd")
        .expect("the token split across two source strings is found");
    assert_eq!(split["metadata"]["segment_line"], "1");
    let escaped = run
        .findings
        .iter()
        .find(|f| f["secret"] == "hf_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL")
        .expect("the \\u0063-escaped token is found");
    assert_eq!(escaped["metadata"]["segment_line"], "2");
    let pickled = run
        .findings
        .iter()
        .find(|f| f["secret"] == "hf_zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmv")
        .unwrap();
    assert_eq!(
        pickled["metadata"]["offset"], "29",
        "byte offset of the opcode"
    );
}

#[test]
fn malformed_and_cut_input_is_noted_and_counted() {
    let run = scan(&[]);
    for needle in [
        "bad-header.safetensors: safetensors header length 10000 is beyond the file",
        "bomb.zip!big.txt: cut short at 1000000 bytes",
        "corrupt.pkl: pickle is corrupt at byte 64 (unknown opcode)",
        "deep.zip!l2.zip!l3.zip: archive not opened: nested deeper than --max-depth 2",
        "not-json.ipynb: not a valid notebook",
        "truncated.zip: zip directory unreadable",
    ] {
        assert!(
            run.stderr.contains(needle),
            "missing {needle:?} in:\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("skipped 2 binary members"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("cut 1 member short"), "{}", run.stderr);
}

#[test]
fn max_depth_opens_more_or_fewer_layers() {
    let deeper = scan(&["--max-depth", "3"]);
    let deep: Vec<_> = deeper
        .findings
        .iter()
        .filter(|f| f["secret"] == "hf_4zGtSnovm14TUOizwd1iaeOV4qBkdfQ1y3")
        .map(key)
        .collect();
    assert_eq!(deep.len(), 1);
    assert_eq!(deep[0].0, "deep.zip!l2.zip!l3.zip!secret.txt");

    let none = scan(&["--max-depth", "0"]);
    assert!(none
        .findings
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains('!')));
    // Model files and notebooks are not archives: still decoded at depth 0.
    assert!(none
        .findings
        .iter()
        .any(|f| f["path"].as_str().unwrap().ends_with("model.safetensors")));
}

#[test]
fn secrets_inside_archives_are_redacted_by_default() {
    let out = Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan", "--format", "jsonl", &format!("{DIR}/bundle.zip")])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("bundle.zip!README.md"));
    assert!(!stdout.contains("hf_5HA064GiIjHGb3CXlMaXZjljENUhJduRHH"));
}

#[test]
fn a_clean_tree_reports_no_members() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "nothing here\n").unwrap();
    let out = Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("archive members"), "{stderr}");
    assert!(!stderr.contains("note"), "{stderr}");
}

#[test]
fn large_model_files_get_their_header_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let header = br#"{"__metadata__": {"hub_token": "hf_JEYXg4JdpmrcXgGCJbW56eCuNGMGmSrCGI"}}"#;
    let mut st = (header.len() as u64).to_le_bytes().to_vec();
    st.extend_from_slice(header);
    st.extend(vec![0u8; 50_000]); // tensor data, past --max-file-size
    std::fs::write(dir.path().join("big.safetensors"), &st).unwrap();
    std::fs::write(dir.path().join("big.txt"), vec![b'a'; 50_000]).unwrap();
    // A pickle holding {"hub_token": <token>} (BINUNICODE strings), as torch.save writes.
    let token = b"hf_5HA064GiIjHGb3CXlMaXZjljENUhJduRHH";
    let mut pkl = b"\x80\x02}q\x00X\x09\x00\x00\x00hub_tokenq\x01X\x25\x00\x00\x00".to_vec();
    pkl.extend_from_slice(token);
    pkl.extend_from_slice(b"q\x02s.");
    // A zip checkpoint whose tensor member pushes it past the size limit.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("ckpt/data/0", stored).unwrap();
    std::io::Write::write_all(&mut zip, &[7u8; 50_000]).unwrap();
    zip.start_file("ckpt/data.pkl", stored).unwrap();
    std::io::Write::write_all(&mut zip, &pkl).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    std::fs::write(dir.path().join("big.pt"), zip).unwrap();
    // A legacy (non-zip) torch file: pickles, then raw tensor bytes.
    let mut legacy = pkl.clone();
    legacy.extend(vec![0u8; 50_000]);
    std::fs::write(dir.path().join("legacy.pth"), legacy).unwrap();
    let out = Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan", "--format", "jsonl", "--max-file-size", "10000"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let mut paths: Vec<String> = stdout
        .lines()
        .map(|l| {
            let f: Value = serde_json::from_str(l).unwrap();
            let p = f["path"].as_str().unwrap();
            let root = format!("{}/", dir.path().display());
            p.strip_prefix(&root).unwrap_or(p).to_string()
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["big.pt!ckpt/data.pkl", "big.safetensors", "legacy.pth"],
        "{stderr}"
    );
    // The text file is still skipped as oversized.
    assert!(stderr.contains("1 over size limit"), "{stderr}");
}

#[test]
fn history_blobs_are_decoded_too() {
    use crate::common::workflow::{git, init_repo, keyhound};
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    for name in ["bundle.zip", "notebook.ipynb"] {
        std::fs::copy(Path::new(DIR).join(name), dir.path().join(name)).unwrap();
    }
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "add"]);
    // Deleted from the tree: only history holds them now.
    git(dir.path(), &["rm", "-q", "bundle.zip", "notebook.ipynb"]);
    git(dir.path(), &["commit", "-q", "-m", "remove"]);
    let out = keyhound(dir.path())
        .args(["history", "--format", "jsonl", "--show-secrets"])
        .output()
        .unwrap();
    let mut got: Vec<(String, usize, Option<String>)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Value = serde_json::from_str(l).unwrap();
            let (path, line, _, segment) = key(&f);
            (path, line, segment)
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, usize, Option<String>)> = EXPECTED
        .iter()
        .filter(|(p, ..)| p.starts_with("bundle.zip!") || p.starts_with("notebook.ipynb"))
        .map(|(p, l, _, seg)| (p.to_string(), *l, seg.map(str::to_string)))
        .collect();
    want.sort();
    assert_eq!(got, want, "{}", String::from_utf8_lossy(&out.stderr));
}
