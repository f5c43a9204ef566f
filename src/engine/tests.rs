use super::*;
use crate::rules::{parse_rule_file, Severity};

fn engine(toml: &str) -> Engine {
    Engine::new(parse_rule_file("test.toml", toml).unwrap()).unwrap()
}

const TOKEN_RULE: &str = r#"
[[rule]]
id = "demo-token"
name = "Demo token"
description = "d"
keywords = ["demo_"]
regex = '''\b(?P<secret>demo_[A-Za-z0-9]{20})\b'''
min_entropy = 3.0
confidence = "medium"
severity = "high"
examples = ["x = demo_Qm7TzK2pW9vXcR4nB8yL"]
negative_examples = ["x = demo_short"]
"#;

#[test]
fn finds_only_near_keywords_and_reports_secret_range() {
    let e = engine(TOKEN_RULE);
    let text = b"first line\nkey = DEMO_nope demo_Qm7TzK2pW9vXcR4nB8yL end\n";
    let found = e.find(text);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].secret.clone()], b"demo_Qm7TzK2pW9vXcR4nB8yL");
    assert_eq!(e.rule(found[0].rule).severity, Severity::High);
    assert!(e.find(b"no keyword here at all").is_empty());
}

#[test]
fn entropy_and_placeholders_reject() {
    let e = engine(TOKEN_RULE);
    assert!(e.find(b"demo_aaaaaaaaaaaaaaaaaaaa").is_empty());
    assert!(e.find(b"demo_EXAMPLEEXAMPLEEXAMPL").is_empty());
}

#[test]
fn regex_compiles_lazily() {
    let bad = TOKEN_RULE.replace(r"(?P<secret>demo_", r"(?P<secret>demo_(");
    let e = engine(&bad);
    // No keyword hit: the broken regex is never compiled, nothing fails.
    assert!(e.find(b"nothing").is_empty());
    assert!(!e.check_rule(0).is_empty());
}

#[test]
fn check_rule_reports_failing_examples() {
    let e = engine(TOKEN_RULE);
    assert!(e.check_rule(0).is_empty(), "{:?}", e.check_rule(0));
    let wrong = TOKEN_RULE.replace("x = demo_short", "x = demo_Zx9Qw8Er7Ty6Ui5Op4As");
    let e = engine(&wrong);
    assert_eq!(e.check_rule(0).len(), 1);
}

#[test]
fn an_example_naming_its_secret_fails_on_a_wrong_capture() {
    let named = TOKEN_RULE.replace(
        r#"examples = ["x = demo_Qm7TzK2pW9vXcR4nB8yL"]"#,
        // keyhound:allow-next-line (a fake rule's example)
        r#"examples = [{ text = "x = demo_Qm7TzK2pW9vXcR4nB8yL", secret = "demo_Qm7TzK2pW9vXcR4nB8yL" }]"#,
    );
    let e = engine(&named);
    assert!(e.check_rule(0).is_empty(), "{:?}", e.check_rule(0));
    // An example naming more than the rule captures (or less) is a failure, even though the
    // rule still fires.
    let short = named.replace(
        r#"secret = "demo_Qm7TzK2pW9vXcR4nB8yL""#, // keyhound:allow
        // keyhound:allow-next-line (a fake rule's example)
        r#"secret = "x = demo_Qm7TzK2pW9vXcR4nB8yL""#,
    );
    let e = engine(&short);
    let failures = e.rule_failures(0);
    assert!(
        matches!(
            failures.as_slice(),
            [RuleFailure::WrongSecret { index: 0, .. }]
        ),
        "{failures:?}"
    );
}

#[test]
fn rejects_bad_definitions() {
    for (from, to) in [("demo-token", "Demo Token"), ("[\"demo_\"]", "[]")] {
        let rules = parse_rule_file("t", &TOKEN_RULE.replace(from, to)).unwrap();
        assert!(Engine::new(rules).is_err(), "{to}");
    }
    assert!(parse_rule_file("t", &TOKEN_RULE.replace("keywords", "keywordz")).is_err());
    // An unknown check is a parse error (a typed enum), not a silent pass.
    let unknown = TOKEN_RULE.replace(
        "severity = \"high\"",
        "severity = \"high\"\nvalidate = \"nope\"",
    );
    let e = parse_rule_file("t", &unknown).unwrap_err().to_string();
    assert!(e.contains("unknown variant `nope`"), "{e}");
}

#[test]
fn pairing_links_and_require_pair_drops() {
    let rules = r#"
[[rule]]
id = "key-id"
name = "id"
description = "d"
keywords = ["KID"]
regex = '''(?P<secret>KID[0-9A-Z]{8})'''
confidence = "high"
severity = "high"
[[rule]]
id = "key-secret"
name = "secret"
description = "d"
keywords = ["KID"]
window_lines = 2
pair_lines = 2
regex = '''(?:(?P<context>secret =) |(?:^|[^A-Za-z0-9/+]))(?P<secret>[A-Za-z0-9/+]{16})(?:[^A-Za-z0-9/+=]|$)'''
pair_with = "key-id"
require_context = true
confidence = "medium"
severity = "high"
"#;
    let e = engine(rules);
    let text = b"id = KID7QW2ER3T\nsecret = 9f/Kq2Lz8Xw+Vb4N\n"; // keyhound:allow
    let found = e.find(text);
    let secret = found.iter().find(|m| m.rule == 1).expect("paired secret");
    assert_eq!(secret.confidence, Confidence::High);
    assert!(secret.metadata["paired_with"].starts_with("key-id "));
    assert_eq!(secret.metadata["paired_line_offset"], "-1");
    let far = b"id = KID7QW2ER3T\n\n\n\n\nsecret = 9f/Kq2Lz8Xw+Vb4N\n"; // keyhound:allow
    assert!(e.find(far).iter().all(|m| m.rule == 0));
}

#[test]
fn require_context_without_pair_needs_the_context_group() {
    let rules = r#"
[[rule]]
id = "hex-key"
name = "hex"
description = "d"
keywords = ["acme"]
window_lines = 1
regex = '''(?:(?P<context>(?i:acme[_a-z]*)\s*=\s*)|\b)(?P<secret>[0-9a-f]{32})\b'''
require_context = true
confidence = "medium"
severity = "high"
"#;
    let e = engine(rules);
    let named = b"ACME_KEY = 3f9a8b7c6d5e4f30a1b2c3d4e5f60718"; // keyhound:allow
    assert_eq!(e.find(named).len(), 1);
    let nearby_only = b"# acme\nchecksum = 3f9a8b7c6d5e4f30a1b2c3d4e5f60718"; // keyhound:allow
    assert!(e.find(nearby_only).is_empty());
}

#[test]
fn claimed_ranges_answer_overlap_like_a_scan() {
    let ranges = vec![10..20, 0..5, 30..100, 40..45, 7..8];
    let claimed = ClaimedRanges::new(ranges.clone());
    for start in 0..110 {
        for len in 1..12 {
            let probe = start..start + len;
            let scan = ranges
                .iter()
                .any(|s| s.start < probe.end && probe.start < s.end);
            assert_eq!(claimed.overlaps(&probe), scan, "{probe:?}");
        }
    }
}

const FILE_RULE: &str = r#"
[[rule]]
id = "demo-key-file"
name = "Demo key file"
description = "d"
keywords = []
file_names = ["demo.key"]
regex = '''(?-m)\A\s*(?P<secret>[0-9a-f]{32})\s*\z'''
confidence = "high"
severity = "critical"
examples = ["9c4e1f7a2b8d5063e7a1c9f4b2d8e605"]
negative_examples = ["zz"]
"#;

#[test]
fn file_name_rules_run_on_their_files_only() {
    let e = engine(FILE_RULE);
    let text = b"9c4e1f7a2b8d5063e7a1c9f4b2d8e605\n";
    let find = |path: &str| e.find_in_file(text, path, &mut None, &mut Work::default());
    assert_eq!(find("app/config/demo.key").len(), 1);
    assert_eq!(find("bundle.zip!config/demo.key").len(), 1);
    assert_eq!(find("C:\\app\\demo.key").len(), 1);
    // Another name, or no name at all, is no reason to read the file.
    assert!(find("app/config/demo.key.txt").is_empty());
    assert!(find("notdemo.key").is_empty());
    assert!(e.find(text).is_empty());
    assert!(e.check_rule(0).is_empty(), "{:?}", e.check_rule(0));
    // What a scan cache must key on besides the bytes and the extension.
    assert_eq!(e.file_name_read("app/config/demo.key"), Some("demo.key"));
    assert_eq!(e.file_name_read("app/config/other.key"), None);
}

#[test]
fn a_rule_needs_keywords_or_file_names() {
    let no_trigger = FILE_RULE.replace("file_names = [\"demo.key\"]", "");
    let rules = parse_rule_file("test.toml", &no_trigger).unwrap();
    assert!(Engine::new(rules).is_err());
    let with_dir = FILE_RULE.replace("[\"demo.key\"]", "[\"config/demo.key\"]");
    let rules = parse_rule_file("test.toml", &with_dir).unwrap();
    assert!(Engine::new(rules).is_err());
}

#[test]
fn window_results_are_kept_for_deltas_only_up_to_a_bound() {
    let e = engine(TOKEN_RULE);
    let keep = Reuse {
        keep_windows: true,
        ..Reuse::default()
    };
    let kept = |text: &[u8]| {
        let (_, results) = e.find_in_file_reusing(text, "", keep, &mut None, &mut Work::default());
        results.map(|r| r.len())
    };
    // One window per keyword, far enough apart not to merge.
    let spaced = |hits: usize| "demo_x\n\n\n\n\n\n\n\n".repeat(hits).into_bytes();
    assert_eq!(kept(&spaced(10)), Some(10));
    assert_eq!(kept(b"nothing here"), Some(0));
    assert_eq!(kept(&spaced(reuse::MOST_KEPT_WINDOWS + 1)), None);
    // Not asked: nothing kept.
    let (_, results) = e.find_in_file_reusing(
        &spaced(3),
        "",
        Reuse::default(),
        &mut None,
        &mut Work::default(),
    );
    assert!(results.is_none());
}
