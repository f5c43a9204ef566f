//! `keyhound rules list` and `keyhound rules check`.

use crate::common::workflow::{keyhound, write};

const USER_RULE: &str = r#"
disabled_rules = ["generic-secret-assignment"]

[[rule]]
id = "acme-api-key"
name = "Acme API key"
description = "An Acme Corp API key."
provider = "Acme"
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''
confidence = "medium"
severity = "low"
examples = ["ACME_KEY=acme_q8x2m4v7k1z9w3r6t5y0p2n8"]
negative_examples = ["ACME_KEY=acme_short"]
"#;

#[test]
fn list_shows_every_rule_as_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = keyhound(dir.path())
        .args(["rules", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    for column in [
        "ID",
        "NAME",
        "PROVIDER",
        "CONFIDENCE",
        "SEVERITY",
        "VERIFIER",
        "KEYWORDS",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let row = text
        .lines()
        .find(|l| l.starts_with("huggingface-user-token "))
        .expect("HF rule listed");
    assert!(row.contains("HuggingFace") && row.contains("hf_"), "{row}");
    assert!(row.contains("huggingface.co"), "the verifier's host: {row}");
}

#[test]
fn list_json_includes_config_rules_and_disabled_state() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keyhound.toml", USER_RULE);
    let out = keyhound(dir.path())
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let builtin = keyhound::rules::builtin_rules().len();
    assert_eq!(rows.len(), builtin + 1);
    let acme = rows.iter().find(|r| r["id"] == "acme-api-key").unwrap();
    assert_eq!(acme["name"], "Acme API key");
    assert_eq!(acme["provider"], "Acme");
    assert_eq!(acme["keywords"], serde_json::json!(["acme_"]));
    assert_eq!(acme["confidence"], "medium");
    assert_eq!(acme["severity"], "low");
    assert_eq!(acme["source"], ".keyhound.toml");
    let generic = rows
        .iter()
        .find(|r| r["id"] == "generic-secret-assignment")
        .unwrap();
    assert_eq!(generic["enabled"], false);
    assert_eq!(generic["source"], "builtin");
}

#[test]
fn check_passes_bundled_and_valid_user_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "k.toml", USER_RULE);
    let out = keyhound(dir.path())
        .args(["rules", "check", "--config", "k.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(1 from k.toml): 0 failures"), "{stderr}");
}

#[test]
fn check_lists_every_failure_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let broken = USER_RULE
        .replace(
            "acme_q8x2m4v7k1z9w3r6t5y0p2n8\"]",
            "acme_q8x2\", \"acme_\"]",
        )
        .replace("acme_short", "acme_z8x2m4v7k1z9w3r6t5y0p2n8");
    write(dir.path(), "k.toml", &broken);
    let out = keyhound(dir.path())
        .args(["rules", "check", "--config", "k.toml"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with(
        "k.toml:13:13: rule[0].examples[0]: rule acme-api-key: example does not match"
    ));
    assert!(lines[1].starts_with("k.toml:13:35: rule[0].examples[1]"));
    assert!(lines[2].starts_with(
        "k.toml:14:22: rule[0].negative_examples[0]: rule acme-api-key: negative example matches"
    ));
    // A scan with the same config refuses to run: exit 2, same location.
    write(dir.path(), "a.txt", "x\n");
    let out = keyhound(dir.path())
        .args(["scan", ".", "--config", "k.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("keyhound: error: k.toml:13:13:"));
}
