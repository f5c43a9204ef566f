//! Helpers shared by the integration tests: run the built binary, parse its JSON output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The crate root, where `corpus/` lives.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `corpus/<path>` as the tests scan it: a copy with its checksummed fake tokens generated
/// (see [`fixtures`]).
pub fn corpus(path: &str) -> PathBuf {
    fixtures::materialized_corpus().join(path)
}

/// `keyhound` with the given arguments, run from `cwd`.
pub fn keyhound(cwd: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("keyhound")
        .expect("binary built")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("keyhound runs")
}

/// Parses JSONL output into one value per finding.
pub fn jsonl(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// (path, line, rule id) of each finding, sorted.
pub fn locations(findings: &[Value]) -> Vec<(String, u64, String)> {
    let mut out: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Helpers for the workflow tests (config, baselines, hooks): a `Command` builder, temp git
/// repositories, generated fake tokens.
/// Asserts a corpus scan found exactly what its fixtures plant: every expected finding
/// (recall) and nothing else (precision), listing what differs.
pub fn assert_exactly<T: Ord + std::fmt::Debug>(
    expected: &std::collections::BTreeSet<T>,
    found: &std::collections::BTreeSet<T>,
) {
    let missed: Vec<_> = expected.difference(found).collect();
    let unexpected: Vec<_> = found.difference(expected).collect();
    assert!(
        missed.is_empty() && unexpected.is_empty(),
        "missed (recall): {missed:#?}\nunexpected (precision): {unexpected:#?}"
    );
}

/// A zip holding one stored member `name` with `data`.
pub fn zip_of(name: &str, data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file(name, options).unwrap();
    zip.write_all(data).unwrap();
    zip.finish().unwrap().into_inner()
}

pub mod fixtures;
pub mod git;
pub mod mock;
pub mod workflow;
