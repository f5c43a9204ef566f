//! The JSON/JSONL contract: every record keyhound writes validates against the schema in
//! `schema/findings.schema.json`, which `keyhound schema` prints, and carries its version.

use std::path::Path;

use serde_json::Value;

use crate::common::workflow::{git, hf_token, init_repo, keyhound, write};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/findings.schema.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft7::new(&schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, record: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(record)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\nin {record:#}");
    assert_eq!(record["schema_version"], 1);
}

/// A tree with a few kinds of findings, and a repository holding it in two commits.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(
        dir.path(),
        "app/settings.py",
        &format!("HF_TOKEN = \"{}\"\n", hf_token(5)),
    );
    write(
        dir.path(),
        "docs/ünïcode notes.md",
        &format!("über: token = \"{}\"\n", hf_token(6)),
    );
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "add"]);
    write(
        dir.path(),
        "app/copy.py",
        &format!("# again\nX = \"{}\"\n", hf_token(5)),
    );
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "copy"]);
    dir
}

fn records(dir: &Path, args: &[&str]) -> Vec<Value> {
    let out = keyhound(dir).args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if args.contains(&"jsonl") {
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    } else {
        match serde_json::from_str(&text).unwrap() {
            Value::Array(records) => records,
            other => panic!("not an array: {other}"),
        }
    }
}

#[test]
fn tree_and_history_records_validate_against_the_schema() {
    let validator = validator();
    let dir = repo();
    let mut checked = 0;
    for args in [
        &["scan", ".", "--format", "json", "-q"][..],
        &["scan", ".", "--format", "jsonl", "-q"],
        &["history", "--format", "json", "-q"],
        &["history", "--format", "jsonl", "-q", "--all-provenance"],
    ] {
        let found = records(dir.path(), args);
        assert!(!found.is_empty(), "{args:?} found nothing");
        for record in &found {
            assert_valid(&validator, record);
            checked += 1;
        }
        if args[0] == "history" {
            assert!(
                found.iter().all(|r| r["provenance"].is_object()),
                "{args:?}"
            );
        }
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn columns_count_characters_and_bytes_count_bytes() {
    let dir = repo();
    let found = records(dir.path(), &["scan", "docs", "--format", "json", "-q"]);
    let record = &found[0];
    // `über: token = "` is 15 characters and 16 bytes before the secret.
    assert_eq!(record["column"], 16, "{record:#}");
    assert_eq!(record["start_byte"], 16, "{record:#}");
    assert_eq!(
        record["end_byte"].as_u64().unwrap() - record["start_byte"].as_u64().unwrap(),
        37
    );
}

#[test]
fn the_schema_rejects_what_breaks_the_contract() {
    let validator = validator();
    let dir = repo();
    let good = records(dir.path(), &["scan", ".", "--format", "json", "-q"])[0].clone();
    let mut unknown = good.clone();
    unknown["surprise"] = Value::from(1);
    let mut versioned = good.clone();
    versioned["schema_version"] = Value::from(2);
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("fingerprint");
    for bad in [unknown, versioned, missing] {
        assert!(!validator.is_valid(&bad), "accepted {bad:#}");
    }
}

#[test]
fn keyhound_schema_prints_the_schema_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = keyhound(dir.path()).arg("schema").output().unwrap();
    assert!(out.status.success());
    let file =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/findings.schema.json"))
            .unwrap();
    assert_eq!(out.stdout, file);
}
