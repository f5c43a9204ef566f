//! The generic layer on the shapes that fooled it on real repositories (issue 11): ML code
//! (tokenizers, model ids, package pins), Rails tests and guides (CSRF tokens, webhook nonces,
//! query strings), OAuth test stand-ins, JWT attestations; and the secret names it used to
//! drop by substring. Also the report side: `--min-confidence`, repeats, test locations.

use std::path::Path;

use crate::common::{jsonl, keyhound, stderr};

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn scan(dir: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, String) {
    let mut args = vec!["scan", "--format", "jsonl", "--show-secrets"];
    args.extend_from_slice(extra);
    args.push(".");
    let out = keyhound(dir, &args);
    (jsonl(&out), stderr(&out))
}

/// Lines from huggingface/diffusers, huggingface_hub and rails/rails (values re-typed) that
/// are not credentials.
const NOT_SECRETS: &str = r#"
# tokenizers: "huggingface-hub==0.8.0"
    tokenizer: Qwen2VLProcessor,
TINY_TOKENIZER_REPO = "hf-internal-testing/tiny-random-Gemma3ForCausalLM"
pipe.load_textual_inversion("sd-concepts/x", weight_name="w.pt", token="unaestheticXLv31")
{"token": "Slovenčina", "count": 12}
_mock_response({"access_token": "hf_oauth_123", "refresh_token": "rt_123", "expires_in": 2592000}),
mock.return_value = {"api_token": "hf_api_123456"}
#   form_tag('http://far.away.com/form', authenticity_token: "cf50faa3fe97702ca1ae")
Parameters: {"utf8"=>"✓", "authenticity_token"=>"XLveDrKzF1SwaiNRPTaMtkrsTzedtebPPkmxEFIU0ordLjICSnXsSNfrdMa4ccyBjuGwnnEiQhEoMN6H1Gtz3A=="}
"QUERY_STRING" => "secret=bd4f21f&genuine=%5BFILTERED%5D",
#   api_key: a1B2c3D4e5F6
      scrambled_password = scramble411( passwd, @scramble_buff )
  xhr.withCredentials = true if settings.withCredentials?
secret ‘0x0dkfj3927dkc7djdh36rkckdfzsg...’ is the key
      post url, params: {
        timestamp: 1539112500,
        token: "7VwW7k6Ak7zcTwoSoNm7aTtbk1g67MKAnsYLfUB7PdszbgR5Xi",
        signature: "ef24c5225322217bb065b80bb54eb4f9206d764e3e16abab07f0a64d1cf477cc",
      }
verifyToken: eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJoYXNoIjoiMDhhNjg5YzNiZGQ1YTIyYTAwZGUwOWEzZTRiYzdjM2QzYjA3ZTUxNDM1NjE1MTUyMjE1MGY1YzEzMjRjYzVjYiIsInZlcnNpb24iOjF9.EH5JJo8EEFwU7oWhaSzGNUuIGE13PsYFABvyLfXT6T0wmG5tCz4XdlGUXjXQBQ
"#;

#[test]
fn real_repository_look_alikes_are_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/pipeline.py", NOT_SECRETS);
    let (findings, err) = scan(dir.path(), &[]);
    assert!(findings.is_empty(), "{findings:#?}\n{err}");
}

#[test]
fn secret_names_are_judged_by_word_not_substring() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/settings.rb",
        "ADMIN_PASSWORD: 'Zk8#qL2!vX9@mN4w',\n\
         oauth_refresh_token: \"q8Lr3Tz9Wm2Kx7Vb\",\n\
         config.active_record.encryption.key_derivation_salt = \"g7Q66StqUQDQk9SJ81sWbYZXgiRogBwS\"\n\
         Rails.application.config.secret_key_base = \"3f9a8b7c6d5e4f30a1b2c3d4e5f60718\"\n",
    );
    let (findings, err) = scan(dir.path(), &[]);
    let secrets: Vec<&str> = findings
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert_eq!(
        secrets,
        [
            "Zk8#qL2!vX9@mN4w",
            "q8Lr3Tz9Wm2Kx7Vb",
            "g7Q66StqUQDQk9SJ81sWbYZXgiRogBwS",
            "3f9a8b7c6d5e4f30a1b2c3d4e5f60718"
        ],
        "{err}"
    );
}

#[test]
fn a_value_repeated_in_one_file_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let line = "  secret = \"b3c631c314c0bbca50c1b2843150fe33\"\n";
    write(dir.path(), "lib/cookies.rb", &line.repeat(4));
    write(dir.path(), "lib/other.rb", line);
    let (findings, _) = scan(dir.path(), &[]);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let cookies = findings
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("cookies.rb"))
        .unwrap();
    assert_eq!(cookies["line"], 1);
    assert_eq!(cookies["metadata"]["occurrences"], "4");
}

#[test]
fn min_confidence_and_test_locations() {
    let dir = tempfile::tempdir().unwrap();
    // low: a generic secret; medium: a password in a .env file; high: a password hash.
    write(
        dir.path(),
        "app/config.py",
        "api_key = \"9g77y1bOeCvu0oEhOxjvoVdl\"\n",
    );
    write(dir.path(), ".env", "DB_PASSWORD=Winter2024!\n");
    write(
        dir.path(),
        "tests/fixtures/.htpasswd",
        "deploy:$apr1$Rk3x9Lq2$W0bQyY7uV8mN1pZcT4sEk.\n",
    );
    let (all, _) = scan(dir.path(), &[]);
    assert_eq!(all.len(), 3, "{all:#?}");
    let hash = all
        .iter()
        .find(|f| f["rule_id"] == "password-hash-entry")
        .unwrap();
    assert_eq!(hash["metadata"]["location_kind"], "fixture");
    assert!(all
        .iter()
        .filter(|f| f["rule_id"] != "password-hash-entry")
        .all(|f| f["metadata"].get("location_kind").is_none()));

    let (medium, err) = scan(dir.path(), &["--min-confidence", "medium"]);
    let rules: Vec<&str> = medium
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["dotenv-password", "password-hash-entry"]);
    assert!(err.contains("1 below the minimum confidence"), "{err}");
    let (high, _) = scan(dir.path(), &["--min-confidence", "high"]);
    assert_eq!(high.len(), 1);

    write(
        dir.path(),
        ".keyhound.toml",
        "[findings]\nskip_test_paths = true\n",
    );
    let (kept, err) = scan(dir.path(), &[]);
    assert_eq!(kept.len(), 2, "{kept:#?}");
    assert!(
        err.contains("1 in test, fixture, example or docs paths"),
        "{err}"
    );
    // The flag wins over the config's floor.
    write(
        dir.path(),
        ".keyhound.toml",
        "[findings]\nmin_confidence = \"high\"\n",
    );
    let (floor, _) = scan(dir.path(), &[]);
    assert_eq!(floor.len(), 1);
    let (flag, _) = scan(dir.path(), &["--min-confidence", "low"]);
    assert_eq!(flag.len(), 3);
}

#[test]
fn every_scanning_command_takes_min_confidence() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        &["scan", "--min-confidence", "bogus", "."][..],
        &["history", "--min-confidence", "bogus", "."],
        &["staged", "--min-confidence", "bogus"],
        &["baseline", "create", "--min-confidence", "bogus"],
    ] {
        let out = keyhound(dir.path(), command);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&out).contains("bogus"),
            "{command:?}: {}",
            stderr(&out)
        );
    }
}
