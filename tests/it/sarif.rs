//! SARIF output: golden files, the official schema, and what GitHub relies on.
//!
//! Fixtures live in `corpus/sarif/` (fake secrets only). Tree scans run the binary on a copy
//! of `corpus/sarif/tree` in a temporary directory, so paths do not depend on where the
//! checkout is or whether it is a git repository. Golden files are in
//! `corpus/sarif/expected/`; `KEYHOUND_UPDATE_GOLDEN=1 cargo test --test it sarif` rewrites them.
//!
//! The schema is `../shared/sarif/sarif-schema-2.1.0.json` relative to the crate root (CI
//! keeps it beside the checkout), or the file `KEYHOUND_SARIF_SCHEMA` names. Without it the
//! schema check is skipped with a warning banner on the test process's stderr (not captured),
//! or fails when `KEYHOUND_REQUIRE_SARIF_SCHEMA` is set; the structural checks still run. The
//! 110 KB schema is not vendored: it is the OASIS file, not keyhound's to copy.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

use keyhound::engine::Engine;
use keyhound::filter::Filter;
use keyhound::finding::{Finding, Provenance};
use keyhound::item::{Item, Origin};
use keyhound::report::sarif::limits::Limits;
use keyhound::report::sarif::{render, SarifOptions};
use keyhound::report::{ReportContext, VersionControl};
use keyhound::scanner::{Scanner, Stats};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> PathBuf {
    crate_root().join("corpus/sarif")
}

// ---------------------------------------------------------------------------------------
// Validation

/// The compiled official schema, or `None` (with a note) when the file is not there.
fn schema() -> Option<&'static jsonschema::Validator> {
    static SCHEMA: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    SCHEMA
        .get_or_init(|| {
            let path = std::env::var_os("KEYHOUND_SARIF_SCHEMA")
                .map(PathBuf::from)
                .unwrap_or_else(|| crate_root().join("../shared/sarif/sarif-schema-2.1.0.json"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                let message = format!(
                    "{} not found: SARIF SCHEMA VALIDATION IS SKIPPED (structural checks still \
                     run). Point KEYHOUND_SARIF_SCHEMA at the official schema, or set \
                     KEYHOUND_REQUIRE_SARIF_SCHEMA=1 to make this a failure.",
                    path.display()
                );
                if std::env::var_os("KEYHOUND_REQUIRE_SARIF_SCHEMA").is_some() {
                    panic!("{message}");
                }
                // Straight to the process's stderr: the test harness captures `eprintln!`
                // of passing tests, and a skip nobody sees reads as a pass.
                use std::io::Write;
                let banner = "=".repeat(78);
                let _ = writeln!(
                    std::io::stderr(),
                    "\n{banner}\nWARNING: {message}\n{banner}"
                );
                return None;
            };
            let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
            let validator = jsonschema::draft4::options()
                .should_validate_formats(true)
                .build(&schema)
                .expect("the SARIF schema compiles");
            Some(validator)
        })
        .as_ref()
}

/// Fails unless `sarif` is valid against the official schema (when present) and has every
/// field GitHub needs.
fn check(sarif: &Value) {
    if let Some(validator) = schema() {
        let errors: Vec<String> = validator
            .iter_errors(sarif)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(
            errors.is_empty(),
            "SARIF is invalid against the 2.1.0 schema:\n{}",
            errors.join("\n")
        );
    }
    structural(sarif);
}

fn text_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing string at {pointer} in {v:#}"))
}

/// The fields the issue and GitHub require, checked without the schema.
fn structural(sarif: &Value) {
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].is_string());
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    for key in ["name", "version", "semanticVersion", "informationUri"] {
        text_at(run, &format!("/tool/driver/{key}"));
    }
    assert_eq!(run["tool"]["driver"]["name"], "keyhound");
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let mut ids = HashSet::new();
    for rule in rules {
        let id = text_at(rule, "/id");
        assert!(ids.insert(id.to_string()), "duplicate rule {id}");
        // SARIF1001: an id and a name that differ only in case are confusable.
        assert!(
            !text_at(rule, "/name").eq_ignore_ascii_case(id),
            "{id}: name differs from the id only in case"
        );
        for pointer in [
            "/name",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
            "/help/markdown",
        ] {
            assert!(!text_at(rule, pointer).is_empty(), "{id}: empty {pointer}");
        }
        let level = text_at(rule, "/defaultConfiguration/level");
        assert!(["note", "warning", "error"].contains(&level));
        let tags: Vec<&str> = rule["properties"]["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"secret"),
            "{tags:?}"
        );
        assert!(tags.len() <= 10);
        let precision = text_at(rule, "/properties/precision");
        assert!(["very-high", "high", "medium", "low"].contains(&precision));
        let score: f64 = text_at(rule, "/properties/security-severity")
            .parse()
            .expect("security-severity is a number in a string");
        assert!((0.0..=10.0).contains(&score));
    }
    let results = run["results"].as_array().expect("results");
    let mut used = HashSet::new();
    for result in results {
        let rule_id = text_at(result, "/ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], rule_id,
            "ruleIndex points at another rule"
        );
        used.insert(rule_id.to_string());
        assert!(["note", "warning", "error"].contains(&text_at(result, "/level")));
        assert!(!text_at(result, "/message/text").is_empty());
        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = text_at(physical, "/artifactLocation/uri");
        assert!(
            !uri.contains([' ', '\\']) && !uri.starts_with('/'),
            "bad uri {uri}"
        );
        assert_eq!(
            text_at(physical, "/artifactLocation/uriBaseId"),
            "%SRCROOT%"
        );
        let region = &physical["region"];
        let n = |k: &str| region[k].as_u64().unwrap_or_else(|| panic!("region.{k}"));
        assert!(n("startLine") >= 1 && n("startColumn") >= 1);
        assert!(n("endLine") >= n("startLine"));
        if n("endLine") == n("startLine") {
            assert!(n("endColumn") > n("startColumn"));
        }
        text_at(result, "/partialFingerprints/keyhoundFingerprint~1v1");
    }
    assert!(used.is_subset(&ids), "every result has its rule");
}

// ---------------------------------------------------------------------------------------
// Running the binary

struct Output {
    stdout: Vec<u8>,
    stderr: String,
    code: i32,
}

fn keyhound(dir: &Path, args: &[&str]) -> Output {
    let out = Command::cargo_bin("keyhound")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    Output {
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of `corpus/sarif/<name>` in a fresh temporary directory.
fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus().join(name), dir.path());
    dir
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("SARIF output is JSON")
}

/// What a golden file keeps of a SARIF log: everything, except that the machine's absolute
/// directories (`originalUriBaseIds`, `workingDirectory`, a local `repositoryUri`) read
/// `file:///<dir>/`, and the descriptors of rules with no result are cut to their ids (every
/// enabled rule is listed, so their order and indexes stay checked, without committing a
/// megabyte of rule help per golden file).
fn golden_view(actual: &[u8]) -> String {
    let mut log = parse(actual);
    for run in log["runs"].as_array_mut().unwrap() {
        let used: HashSet<u64> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["ruleIndex"].as_u64())
            .collect();
        let rules = run["tool"]["driver"]["rules"].as_array_mut().unwrap();
        for (i, rule) in rules.iter_mut().enumerate() {
            if !used.contains(&(i as u64)) {
                *rule = serde_json::json!({ "id": rule["id"].clone() });
            }
        }
        for pointer in [
            "/originalUriBaseIds/%SRCROOT%/uri",
            "/invocations/0/workingDirectory/uri",
            "/versionControlProvenance/0/repositoryUri",
        ] {
            if let Some(uri) = run.pointer_mut(pointer) {
                if uri.as_str().is_some_and(|u| u.starts_with("file:///")) {
                    *uri = Value::from("file:///<dir>/");
                }
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&log).unwrap();
    text.push('\n');
    text.replace(&format!("\"{VERSION}\""), "\"<keyhound-version>\"")
}

/// Compares with `corpus/sarif/expected/<name>` (see [`golden_view`]).
fn golden(name: &str, actual: &[u8]) {
    let actual = golden_view(actual);
    let path = corpus().join("expected").join(name);
    if std::env::var_os("KEYHOUND_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (KEYHOUND_UPDATE_GOLDEN=1 writes it)",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the output (KEYHOUND_UPDATE_GOLDEN=1 rewrites it); output:\n{actual}",
        path.display()
    );
}

/// The raw secrets a scan of `dir` finds, read from `--show-secrets` JSON.
fn raw_secrets(dir: &Path) -> Vec<String> {
    let out = keyhound(
        dir,
        &["scan", ".", "--format", "json", "--show-secrets", "-q"],
    );
    let records: Value = serde_json::from_slice(&out.stdout).unwrap();
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["secret"].as_str().unwrap().to_string())
        .collect()
}

// ---------------------------------------------------------------------------------------
// Tree scans

const TREE_ARGS: &[&str] = &[
    "scan",
    ".",
    "--format",
    "sarif",
    "--sarif-category",
    "keyhound/tree",
    "-q",
];

#[test]
fn tree_scan_matches_golden_and_schema() {
    let dir = fixture("tree");
    let out = keyhound(dir.path(), TREE_ARGS);
    assert_eq!(out.code, 1, "findings exit 1; stderr: {}", out.stderr);
    let sarif = parse(&out.stdout);
    check(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "keyhound/tree/");
    assert_eq!(run["results"].as_array().unwrap().len(), 4);
    for result in run["results"].as_array().unwrap() {
        let hash = text_at(result, "/partialFingerprints/primaryLocationLineHash");
        let (hex, count) = hash.split_once(':').unwrap();
        assert!(u64::from_str_radix(hex, 16).is_ok() && count.parse::<u32>().is_ok());
    }
    golden("tree.sarif", &out.stdout);
}

#[test]
fn same_scan_gives_byte_identical_sarif() {
    let dir = fixture("tree");
    let first = keyhound(dir.path(), TREE_ARGS).stdout;
    let second = keyhound(dir.path(), &[TREE_ARGS, &["-j", "1"]].concat()).stdout;
    assert!(!first.is_empty());
    assert!(first == second, "two runs of one scan differ");
}

#[test]
fn columns_on_a_non_ascii_line_count_utf16_units() {
    let dir = fixture("tree");
    let sarif = parse(&keyhound(dir.path(), TREE_ARGS).stdout);
    let text = std::fs::read_to_string(dir.path().join("app/settings.py")).unwrap();
    let (number, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("hf_"))
        .unwrap();
    assert!(
        !line.is_ascii(),
        "the fixture line must hold non-ASCII text"
    );
    let start = line.find("hf_").unwrap();
    let token_len = 37;
    let expected_start = line[..start].encode_utf16().count() + 1;
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "huggingface-user-token")
        .unwrap();
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], number + 1);
    assert_eq!(region["startColumn"], expected_start);
    assert_eq!(region["endColumn"], expected_start + token_len);
    // The character column differs (𝄞 is one character, two UTF-16 units): the region must
    // not have used it.
    assert_ne!(line[..start].chars().count() + 1, expected_start);
}

#[test]
fn a_path_with_spaces_is_percent_encoded() {
    let dir = fixture("tree");
    let sarif = parse(&keyhound(dir.path(), TREE_ARGS).stdout);
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| text_at(r, "/locations/0/physicalLocation/artifactLocation/uri"))
        .collect();
    assert!(uris.contains(&"docs/setup%20notes/README.md"), "{uris:?}");
    assert!(uris.contains(&"app/settings.py"), "{uris:?}");
}

#[test]
fn paths_are_relative_to_the_repository_root_and_remotes_lose_credentials() {
    let dir = fixture("tree");
    let repo = git2::Repository::init(dir.path()).unwrap();
    repo.remote(
        "origin",
        "https://ci-user:s3cr3t-t0ken@github.com/example/app.git",
    )
    .unwrap();
    // Run from a subdirectory, scanning a sibling: the URI is still repository-relative.
    let out = keyhound(
        &dir.path().join("app"),
        &["scan", "../docs", "--format", "sarif", "-q"],
    );
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let sarif = parse(&out.stdout);
    check(&sarif);
    assert_eq!(
        text_at(
            &sarif,
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri"
        ),
        "docs/setup%20notes/README.md"
    );
    assert_eq!(
        text_at(&sarif, "/runs/0/versionControlProvenance/0/repositoryUri"),
        "https://github.com/example/app.git"
    );
    assert!(!text.contains("s3cr3t-t0ken") && !text.contains("ci-user"));
}

#[test]
fn the_raw_secret_never_appears_unless_asked() {
    let dir = fixture("tree");
    let secrets = raw_secrets(dir.path());
    assert_eq!(secrets.len(), 4);
    let redacted = String::from_utf8(keyhound(dir.path(), TREE_ARGS).stdout).unwrap();
    for secret in &secrets {
        assert!(!redacted.contains(secret.as_str()), "leaked {secret}");
        // Nor a long piece of it.
        let piece: String = secret.chars().skip(4).take(12).collect();
        assert!(!redacted.contains(&piece), "leaked part of {secret}");
    }
    let shown = keyhound(dir.path(), &[TREE_ARGS, &["--show-secrets"]].concat());
    let shown_text = String::from_utf8(shown.stdout.clone()).unwrap();
    check(&parse(&shown.stdout));
    for secret in &secrets {
        assert!(
            shown_text.contains(secret.as_str()),
            "--show-secrets hid {secret}"
        );
    }
}

#[test]
fn an_empty_scan_is_valid_sarif_with_zero_results() {
    let dir = fixture("empty");
    let out = keyhound(dir.path(), &["scan", ".", "--format", "sarif", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sarif = parse(&out.stdout);
    check(&sarif);
    assert_eq!(sarif["runs"][0]["results"], Value::Array(vec![]));
    // No result, yet every enabled rule is described (indexes stay stable across runs).
    assert!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            > 100
    );
    assert!(sarif["runs"][0].get("automationDetails").is_none());
}

#[test]
fn sarif_category_needs_the_sarif_format() {
    let dir = fixture("empty");
    let out = keyhound(dir.path(), &["scan", ".", "--sarif-category", "x"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--sarif-category"), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------
// History scans

/// Runs `git` in `dir` with a fixed identity and dates, isolated from the user's config, so
/// commit ids (and so the golden file) are the same on every machine.
fn git(dir: &Path, args: &[&str]) -> String {
    const DATE: &str = "2024-02-29T12:34:56+01:00";
    crate::common::git::run_git(
        dir,
        ("Zoë Example", "zoe@example.test"),
        &[("GIT_AUTHOR_DATE", DATE), ("GIT_COMMITTER_DATE", DATE)],
        args,
    )
}

/// A repository whose first commit adds the tree corpus and whose second moves the Hugging
/// Face token down a line (a second blob with the same secret) and adds a new file.
/// Returns the directory and both commit ids.
fn history_repo() -> (tempfile::TempDir, String, String) {
    let dir = fixture("tree");
    let path = dir.path();
    git(path, &["init", "-q"]);
    git(
        path,
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/example/app.git",
        ],
    );
    git(path, &["add", "-A"]);
    git(path, &["commit", "-q", "-m", "Add settings"]);
    let first = git(path, &["rev-parse", "HEAD"]);
    let settings = path.join("app/settings.py");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("# moved\n{text}")).unwrap();
    let llm = std::fs::read_to_string(path.join("app/llm.toml")).unwrap();
    std::fs::write(path.join("app/copy of llm.toml"), llm).unwrap();
    git(path, &["add", "-A"]);
    git(path, &["commit", "-q", "-m", "Move settings"]);
    let second = git(path, &["rev-parse", "HEAD"]);
    (dir, first, second)
}

#[test]
fn history_audit_matches_golden_and_schema() {
    let (dir, first, _) = history_repo();
    let out = keyhound(
        dir.path(),
        &[
            "history",
            "--format",
            "sarif",
            "--sarif-category",
            "keyhound/history",
            "-q",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif = parse(&out.stdout);
    check(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(
        text_at(run, "/versionControlProvenance/0/repositoryUri"),
        "https://github.com/example/app.git"
    );
    assert_eq!(text_at(run, "/versionControlProvenance/0/branch"), "main");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "one result per secret");
    for result in results {
        // Every secret was introduced by the first commit.
        assert_eq!(result["properties"]["commit"], first.as_str());
        assert!(text_at(result, "/message/text").contains(&first[..12]));
        assert_eq!(result["properties"]["author"], "Zoë Example");
        assert!(result["properties"]["blob"].is_string());
        assert!(result["properties"]["date"].is_string());
    }
    // The moved token and the copied key were seen again: related locations say where.
    let hf = results
        .iter()
        .find(|r| r["ruleId"] == "huggingface-user-token")
        .unwrap();
    assert_eq!(hf["properties"]["occurrences"], 1);
    assert_eq!(
        hf["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    golden("history.sarif", &out.stdout);
}

#[test]
fn history_range_names_the_commit_that_added_the_line() {
    let (dir, first, second) = history_repo();
    let range = format!("{first}..{second}");
    let out = keyhound(
        dir.path(),
        &["history", "--range", &range, "--format", "sarif", "-q"],
    );
    let sarif = parse(&out.stdout);
    check(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(
        text_at(run, "/versionControlProvenance/0/revisionId"),
        second
    );
    let results = run["results"].as_array().unwrap();
    // Only the copied key is on a line the second commit added.
    assert_eq!(results.len(), 1, "{results:#?}");
    let result = &results[0];
    assert_eq!(
        text_at(result, "/locations/0/physicalLocation/artifactLocation/uri"),
        "app/copy%20of%20llm.toml"
    );
    assert!(text_at(result, "/message/text").contains(&format!("commit {}", &second[..12])));
    assert_eq!(result["properties"]["commit"], second.as_str());
}

// ---------------------------------------------------------------------------------------
// Library-level: history findings and GitHub's limits

/// Findings for the tree corpus files, scanned as items (optionally as git blobs).
fn scanned(provenance: Option<&Provenance>) -> (Engine, Vec<Finding>) {
    let scanner = Scanner::new(Engine::builtin());
    let stats = Stats::default();
    let mut findings = Vec::new();
    for path in [
        "app/llm.toml",
        "app/settings.py",
        "docs/setup notes/README.md",
    ] {
        let bytes = std::fs::read(corpus().join("tree").join(path)).unwrap();
        let origin = Origin::File {
            display: path.into(),
            relative: path.into(),
        };
        let item = Item {
            origin: &origin,
            bytes: &bytes,
        };
        let found = scanner.scan(item, &Filter::default(), &stats);
        findings.extend(found.into_iter().map(|mut f| {
            f.provenance = provenance.cloned();
            f
        }));
    }
    Filter::default().finish(&mut findings);
    (scanner.engine, findings)
}

fn provenance() -> Provenance {
    Provenance {
        commit: Some(oid("4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39")),
        blob: oid("9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807"),
        author_name: "Zoë Example".into(),
        author_email: "zoe@example.test".into(),
        date: "2024-02-29T12:34:56+01:00".into(),
        summary: "Add settings".into(),
        unreachable: false,
        occurrences: Vec::new(),
    }
}

fn oid(hex: &str) -> git2::Oid {
    git2::Oid::from_str(hex).unwrap()
}

#[test]
fn library_history_findings_name_their_commit_and_match_golden() {
    let (engine, findings) = scanned(Some(&provenance()));
    let mut context = ReportContext::new(engine.rules());
    context.version_control = Some(VersionControl {
        repository_uri: "https://github.com/example/app.git".into(),
        revision_id: Some("0123456789abcdef0123456789abcdef01234567".into()),
        branch: Some("main".into()),
    });
    let options = SarifOptions {
        category: Some("keyhound/history".into()),
        ..SarifOptions::default()
    };
    let rendered = render(&findings, &options, &context);
    assert!(rendered.truncation.is_none());
    let sarif = parse(&rendered.bytes);
    check(&sarif);
    let run = &sarif["runs"][0];
    assert_eq!(
        run["versionControlProvenance"][0]["revisionId"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    for result in run["results"].as_array().unwrap() {
        assert!(text_at(result, "/message/text").contains("commit 4f2a9c1e8b7d"));
        assert_eq!(
            result["properties"]["commit"],
            provenance().commit.unwrap().to_string()
        );
        assert_eq!(result["properties"]["blob"], provenance().blob.to_string());
        assert_eq!(result["properties"]["author"], "Zoë Example");
        assert_eq!(result["properties"]["date"], provenance().date);
    }
    golden("history-library.sarif", &rendered.bytes);
}

#[test]
fn over_the_result_limit_keeps_the_most_severe() {
    let (engine, findings) = scanned(None);
    assert_eq!(findings.len(), 4);
    let context = ReportContext::new(engine.rules());
    let options = SarifOptions {
        limits: Limits {
            max_results: 2,
            max_gzip_bytes: 10 << 20,
        },
        ..SarifOptions::default()
    };
    let rendered = render(&findings, &options, &context);
    let sarif = parse(&rendered.bytes);
    check(&sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    // The medium-severity generic finding goes first; ties keep report order.
    assert!(results
        .iter()
        .all(|r| r["ruleId"] != "generic-secret-assignment"));
    let truncation = rendered.truncation.expect("truncation reported");
    assert_eq!((truncation.total, truncation.kept), (4, 2));
    assert!(truncation.to_string().contains("left out 2 of 4 results"));
    let note = text_at(
        &sarif,
        "/runs/0/invocations/0/toolExecutionNotifications/0/message/text",
    );
    assert!(note.contains("left out 2 of 4"));
}

#[test]
fn over_the_size_limit_still_writes_a_valid_smaller_file() {
    let (engine, findings) = scanned(None);
    let context = ReportContext::new(engine.rules());
    let gzipped = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, bytes).unwrap();
        gz.finish().unwrap().len()
    };
    let full = gzipped(&render(&findings, &SarifOptions::default(), &context).bytes);
    // The rule descriptors alone (every enabled rule) take most of the file; a limit half
    // way between them and the full file forces a real gzip measurement and a cut.
    let descriptors_only = gzipped(&render(&[], &SarifOptions::default(), &context).bytes);
    let limit = descriptors_only + (full - descriptors_only) / 2;
    assert!(full > limit);
    let options = SarifOptions {
        limits: Limits {
            max_results: 25_000,
            max_gzip_bytes: limit,
        },
        ..SarifOptions::default()
    };
    let rendered = render(&findings, &options, &context);
    check(&parse(&rendered.bytes));
    let truncation = rendered.truncation.expect("something was left out");
    assert!(truncation.kept < 4);
    assert!(gzipped(&rendered.bytes) <= limit);
}

#[test]
fn the_schema_check_can_fail() {
    let Some(validator) = schema() else {
        return;
    };
    let dir = fixture("tree");
    let mut sarif = parse(&keyhound(dir.path(), TREE_ARGS).stdout);
    assert!(validator.is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&sarif));
    sarif["runs"][0]["results"][0]["level"] = Value::from("error");
    sarif["runs"][0]["columnKind"] = Value::from("bytes");
    assert!(!validator.is_valid(&sarif));
}

/// Every enabled rule is described, in one order, whether it fired or not: a rule's index and
/// text are the same in a clean run, a run with results, and the next run.
#[test]
fn every_enabled_rule_is_listed_with_stable_indexes() {
    let ids = |sarif: &Value| -> Vec<String> {
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let empty = tempfile::tempdir().unwrap();
    let clean = parse(&keyhound(empty.path(), &["scan", ".", "--format", "sarif", "-q"]).stdout);
    let dir = fixture("tree");
    let found = parse(&keyhound(dir.path(), TREE_ARGS).stdout);
    let listed = ids(&clean);
    assert!(listed.len() > 100, "only {} rules listed", listed.len());
    assert_eq!(listed, ids(&found), "rule order differs between runs");
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted, "rules are sorted by id");
    assert!(listed.iter().any(|id| id == "jwt"));
    // A disabled rule is not described.
    std::fs::write(
        empty.path().join(".keyhound.toml"),
        "disabled_rules = [\"jwt\"]\n",
    )
    .unwrap();
    let fewer = ids(&parse(
        &keyhound(empty.path(), &["scan", ".", "--format", "sarif", "-q"]).stdout,
    ));
    assert_eq!(fewer.len() + 1, listed.len());
    assert!(!fewer.iter().any(|id| id == "jwt"));
}

/// A directory outside the current directory and outside any repository still gets paths
/// relative to `%SRCROOT%`, which `originalUriBaseIds` and `workingDirectory` pin down:
/// GitHub rejects absolute `file:` result URIs (GH1006).
#[test]
fn paths_are_relative_even_outside_a_repository_and_the_current_directory() {
    let dir = fixture("tree");
    let elsewhere = tempfile::tempdir().unwrap();
    let target = dir.path().to_str().unwrap().to_string();
    let out = keyhound(
        elsewhere.path(),
        &["scan", &target, "--format", "sarif", "-q"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif = parse(&out.stdout);
    check(&sarif);
    let run = &sarif["runs"][0];
    let base = text_at(run, "/originalUriBaseIds/%SRCROOT%/uri");
    let canonical = dir.path().canonicalize().unwrap();
    assert_eq!(base, format!("file://{}/", canonical.display()));
    let cwd = text_at(run, "/invocations/0/workingDirectory/uri");
    assert_eq!(
        cwd,
        format!(
            "file://{}/",
            elsewhere.path().canonicalize().unwrap().display()
        )
    );
    for result in run["results"].as_array().unwrap() {
        let uri = text_at(result, "/locations/0/physicalLocation/artifactLocation/uri");
        assert!(uri.starts_with("app/") || uri.starts_with("docs/"), "{uri}");
    }
}

/// A repository with no network remote (a local clone, a mirror on disk) still records the
/// commit a history scan looked at.
#[test]
fn history_without_a_remote_still_writes_version_control_provenance() {
    let (dir, _, second) = history_repo();
    git(dir.path(), &["remote", "remove", "origin"]);
    let out = keyhound(dir.path(), &["history", "--format", "sarif", "-q"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif = parse(&out.stdout);
    check(&sarif);
    let run = &sarif["runs"][0];
    let uri = text_at(run, "/versionControlProvenance/0/repositoryUri");
    let root = dir.path().canonicalize().unwrap();
    assert_eq!(uri, format!("file://{}/", root.display()));
    assert_eq!(
        text_at(run, "/versionControlProvenance/0/revisionId"),
        second.trim()
    );
    assert_eq!(text_at(run, "/originalUriBaseIds/%SRCROOT%/uri"), uri);
}
