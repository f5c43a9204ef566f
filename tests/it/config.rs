//! `.keyhound.toml`: what each setting does, and bad configs rejected with file:line:column
//! and exit code 2.

use crate::common::workflow::{hf_token, keyhound, scan_json, write, ACME_RULE};

#[test]
fn custom_rules_report_their_secrets() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keyhound.toml", ACME_RULE);
    write(
        dir.path(),
        "app.env",
        "ACME=acme_h3k9d2m7q1w8e5r4t6y0u2i9\n",
    );
    let (code, findings, stderr) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    // The config's own examples are not reported: the config file is always allowlisted.
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule_id"], "acme-api-key");
    assert_eq!(findings[0]["path"], "app.env");
}

#[test]
fn disabled_rules_and_explicit_config_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", &format!("T = \"{}\"\n", hf_token(1)));
    write(
        dir.path(),
        "elsewhere/k.toml",
        "disabled_rules = [\"huggingface-user-token\"]\n",
    );
    assert_eq!(scan_json(dir.path(), &[]).0, 1);
    let (code, findings, _) = scan_json(dir.path(), &["--config", "elsewhere/k.toml"]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn allowlists_by_path_secret_regex_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let tokens: Vec<String> = (10..16).map(hf_token).collect();
    write(
        dir.path(),
        "fixtures/deep/a.py",
        &format!("T = \"{}\"\n", tokens[0]),
    );
    write(dir.path(), "exact.py", &format!("T = \"{}\"\n", tokens[1]));
    write(dir.path(), "regex.py", &format!("T = \"{}\"\n", tokens[2]));
    write(
        dir.path(),
        "docs/per_rule.md",
        &format!("`{}`\n", tokens[3]),
    );
    write(dir.path(), "kept.py", &format!("T = \"{}\"\n", tokens[4]));
    // The per-rule path allowlist is for another rule: the HF token there is still reported.
    write(
        dir.path(),
        "other/x.py",
        &format!("T = \"{}\"\n", tokens[5]),
    );
    let prefix = &tokens[2][..10];
    write(
        dir.path(),
        ".keyhound.toml",
        &format!(
            r#"
[allowlist]
paths = ["fixtures/"]
secrets = ["{}"]
secret_regexes = ['^{prefix}']

[allowlist.rule.huggingface-user-token]
paths = ["docs/*.md"]

[allowlist.rule.github-classic-token]
paths = ["other/"]
"#,
            tokens[1]
        ),
    );
    let (code, findings, stderr) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let mut paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["kept.py", "other/x.py"], "{findings:#?}");
    assert!(stderr.contains("5 allowed"), "{stderr}");
}

#[test]
fn size_limit_from_config_and_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut big = format!("T = \"{}\"\n", hf_token(3));
    big.push_str(&"# padding\n".repeat(300)); // about 3 KB
    write(dir.path(), "big.py", &big);
    write(
        dir.path(),
        ".keyhound.toml",
        "[limits]\nmax_file_size = \"2 KiB\"\n",
    );
    let (code, _, stderr) = scan_json(dir.path(), &[]);
    assert_eq!(code, 0);
    assert!(stderr.contains("1 over size limit"), "{stderr}");
    // The command line wins over the config.
    let (code, findings, _) = scan_json(dir.path(), &["--max-file-size", "100000"]);
    assert_eq!((code, findings.len()), (1, 1));
}

/// Runs a scan with `config` and asserts exit 2 and an error starting `at`.
fn assert_bad_config(config: &str, at: &str, mentions: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keyhound.toml", config);
    write(dir.path(), "a.txt", "nothing here\n");
    let out = keyhound(dir.path()).args(["scan", "."]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let first = stderr.lines().next().unwrap_or_default();
    let expected = format!("keyhound: error: {at}");
    assert!(
        first.starts_with(&expected),
        "want {expected:?}, got:\n{stderr}"
    );
    assert!(stderr.contains(mentions), "want {mentions:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_key_is_located() {
    assert_bad_config(
        "[allowlist]\npaths = []\npath = [\"x\"]\n",
        ".keyhound.toml:3:1:",
        "unknown field `path`",
    );
    assert_bad_config(
        "colour = true\n",
        ".keyhound.toml:1:1:",
        "unknown field `colour`",
    );
}

#[test]
fn unknown_key_in_a_custom_rule_is_located() {
    let config = ACME_RULE.replace("min_entropy", "minimum_entropy");
    assert_bad_config(
        &config,
        ".keyhound.toml:8:1:",
        "unknown field `minimum_entropy`",
    );
}

#[test]
fn allowlist_regex_that_does_not_compile_is_located() {
    assert_bad_config(
        "[allowlist]\nsecret_regexes = [\n  '^ok$',\n  '[unclosed',\n]\n",
        ".keyhound.toml:4:3: allowlist.secret_regexes[1]",
        "regex does not compile",
    );
    assert_bad_config(
        "[allowlist.rule.huggingface-user-token]\nsecret_regexes = ['a(b']\n",
        ".keyhound.toml:2:19: allowlist.rule.huggingface-user-token.secret_regexes[0]",
        "regex does not compile",
    );
}

#[test]
fn custom_rule_regex_that_does_not_compile_is_located() {
    let config = ACME_RULE.replace(
        r"regex = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''",
        r"regex = '''(?P<secret>acme_[a-z0-9]{24'''",
    );
    assert_bad_config(
        &config,
        ".keyhound.toml:7:9: rule[0].regex",
        "regex does not compile",
    );
}

#[test]
fn custom_rule_with_failing_examples_is_located() {
    let config = ACME_RULE.replace(
        "negative_examples = [\"ACME_KEY=acme_short\"",
        "negative_examples = [\"ACME_KEY=acme_z8x2m4v7k1z9w3r6t5y0p2n8\"",
    );
    assert_bad_config(
        &config,
        ".keyhound.toml:12:22: rule[0].negative_examples[0]",
        "negative example matches",
    );
    let config = ACME_RULE.replace("acme_q8x2m4v7k1z9w3r6t5y0p2n8", "acme_q8x2");
    assert_bad_config(
        &config,
        ".keyhound.toml:11:13: rule[0].examples[0]",
        "example does not match",
    );
}

#[test]
fn unknown_rule_ids_are_located() {
    assert_bad_config(
        "disabled_rules = [\n  \"huggingface-user-token\",\n  \"no-such-rule\",\n]\n",
        ".keyhound.toml:3:3: disabled_rules[1]",
        "unknown rule id \"no-such-rule\"",
    );
    assert_bad_config(
        "\n[allowlist.rule.no-such-rule]\npaths = [\"x\"]\n",
        ".keyhound.toml:2:",
        "unknown rule id \"no-such-rule\"",
    );
}

#[test]
fn custom_rule_clashing_with_a_bundled_id_is_located() {
    let config = ACME_RULE.replace("\"acme-api-key\"", "\"huggingface-user-token\"");
    assert_bad_config(
        &config,
        ".keyhound.toml:3:6: rule[0].id",
        "already a bundled rule",
    );
}

#[test]
fn toml_syntax_and_type_errors_are_located() {
    assert_bad_config("[allowlist\n", ".keyhound.toml:1:", "");
    assert_bad_config(
        "[limits]\nmax_file_size = \"ten\"\n",
        ".keyhound.toml:2:17:",
        "not a size",
    );
    assert_bad_config(
        "disabled_rules = \"x\"\n",
        ".keyhound.toml:1:18:",
        "sequence",
    );
}

#[test]
fn missing_explicit_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = keyhound(dir.path())
        .args(["scan", ".", "--config", "nope.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.toml: config file not found"));
}

/// The example configuration in the README is valid and does what it says.
#[test]
fn readme_example_config_loads() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let start = readme
        .find("```toml\ndisabled_rules")
        .expect("README has the example config")
        + "```toml\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".keyhound.toml", &readme[start..end]);
    write(
        dir.path(),
        "app.env",
        "ACME=acme_h3k9d2m7q1w8e5r4t6y0u2i9\n",
    );
    let (code, findings, stderr) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(findings[0]["rule_id"], "acme-api-key");
}
