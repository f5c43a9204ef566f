//! Live verification against a mock provider on 127.0.0.1: every declared verifier's exact
//! request, the answers that must never read as revoked, the cache, the deadline, and that
//! nothing is sent without `--verify`. No test here depends on timing: each asserts on the
//! requests the mock saw and the outcomes reported.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::common::mock::{Mock, Recorded, Reply};
use crate::common::{jsonl, keyhound, stderr};
use keyhound::rules::{builtin_rules, Auth, Need, Rule, VerifySpec};

/// A made-up Hugging Face token, assembled so this file holds none whole.
fn hf_token(n: u8) -> String {
    format!(
        "hf_{}{}",
        "AIxNKuiSGNPRVdDXRZJzzzzgEOzdmenC",
        ['k', 'q', 'w', 'z', 'x', 'y'][n as usize % 6]
    ) + "h"
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// `keyhound scan DIR/src --format jsonl` (unless another format is asked) with the given extra arguments, an empty config.
fn scan(dir: &Path, extra: &[&str]) -> std::process::Output {
    let config = dir.join("keyhound-empty.toml");
    std::fs::write(&config, "").unwrap();
    let config = config.display().to_string();
    let target = dir.join("src").display().to_string();
    let mut args = vec!["scan", target.as_str(), "-c", config.as_str()];
    if !extra.contains(&"--format") {
        args.extend(["--format", "jsonl"]);
    }
    args.extend_from_slice(extra);
    keyhound(dir, &args)
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    dir
}

fn src(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("src")
}

/// The rules whose verifiers are declared HTTP calls (code verifiers are the lead's, and
/// unverifiable rules send nothing).
fn declared() -> Vec<Rule> {
    builtin_rules()
        .into_iter()
        .filter(|r| {
            r.verify
                .as_ref()
                .is_some_and(|v| v.code.is_none() && v.unverifiable.is_none())
        })
        .collect()
}

/// A JSON body that sets `pointer` to `value` (objects all the way; array indexes too).
fn set_pointer(body: &mut Value, pointer: &str, value: Value) {
    let mut at = body;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next = if last { value.clone() } else { json!({}) };
        at = match at {
            Value::Object(map) => map.entry(part.to_string()).or_insert(next),
            _ => unreachable!(),
        };
        if last {
            *at = value.clone();
        }
    }
}

/// What the mock answers for `spec`: live (a live status, its condition met, every reach
/// fact present as `fact-KEY`) or revoked.
fn answer(spec: &VerifySpec, live: bool) -> Reply {
    let mut body = json!({});
    let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
    let status = if live {
        if let Some(c) = &spec.live_if {
            let v = c.equals.clone().unwrap_or_else(|| c.one_of[0].clone());
            set_pointer(&mut body, &c.pointer, v);
        }
        for (key, source) in &spec.reach {
            let value = format!("fact-{}", key.as_str());
            match source.strip_prefix("header:") {
                Some(name) => headers.push((name.to_string(), value)),
                None => set_pointer(&mut body, source, Value::String(value)),
            }
        }
        spec.live[0]
    } else {
        if let Some(c) = &spec.revoked_if {
            let v = c.equals.clone().unwrap_or_else(|| c.one_of[0].clone());
            set_pointer(&mut body, &c.pointer, v);
        }
        spec.revoked[0]
    };
    Reply {
        status,
        headers,
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

/// The example text of `rule` that names its secret, and that secret.
fn example(rule: &Rule) -> (String, String) {
    rule.examples
        .iter()
        .find_map(|e| e.secret().map(|s| (e.text().to_string(), s.to_string())))
        .unwrap_or_else(|| panic!("{} has an example naming its secret", rule.id))
}

/// The path and query `spec` calls.
fn path_of(spec: &VerifySpec) -> String {
    let url = url::Url::parse(&spec.url.as_ref().unwrap().replace("{host}", "h.example")).unwrap();
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// Whether `request` is `spec`'s call carrying `secret` the way its `auth` sends it.
fn carries(request: &Recorded, spec: &VerifySpec, secret: &str) -> bool {
    if request.path.split('?').next() != path_of(spec).split('?').next() {
        return false;
    }
    let auth = request.header("authorization").unwrap_or_default();
    match spec.auth.as_ref().unwrap() {
        Auth::Bearer => auth == format!("Bearer {secret}"),
        Auth::Header(name) => request.header(&name.to_ascii_lowercase()) == Some(secret),
        Auth::BasicUser | Auth::BasicPassword(_) => {
            let decoded = auth
                .strip_prefix("Basic ")
                .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            match spec.auth.as_ref().unwrap() {
                Auth::BasicUser => decoded == format!("{secret}:"),
                Auth::BasicPassword(user) => decoded == format!("{user}:{secret}"),
                _ => unreachable!(),
            }
        }
        Auth::Query(param) => request.path.contains(&format!("{param}={secret}")),
    }
}

/// Every declared verifier, each in its own file, scanned once answering live and once
/// answering revoked: each sends exactly its documented request (method, path and query,
/// auth, required headers, companions, body) to the mock, once, and reads both answers.
#[test]
fn every_declared_verifier_sends_its_request_and_reads_live_and_revoked() {
    let rules = declared();
    assert!(rules.len() >= 30, "verifiers declared: {}", rules.len());
    let by_id: BTreeMap<String, Rule> = builtin_rules()
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let dir = project();
    let mut secrets = BTreeMap::new();
    for rule in &rules {
        let (mut text, secret) = example(rule);
        for need in rule.verify.as_ref().unwrap().needs() {
            match need {
                Need::Rule(other) => text.push_str(&format!("\n{}\n", example(&by_id[&other]).0)),
                Need::Host(_) => text.push_str("\nhost = https://dbc-1234.cloud.databricks.com\n"),
                Need::Document => {}
            }
        }
        write(
            &src(&dir),
            &format!("{}.txt", rule.id),
            &format!("{text}\n"),
        );
        secrets.insert(rule.id.clone(), secret);
    }
    // The mock answers each request as the verifier whose secret it carries expects.
    let live = Arc::new(AtomicBool::new(true));
    let specs: Vec<(String, VerifySpec)> = rules
        .iter()
        .map(|r| (secrets[&r.id].clone(), r.verify.clone().unwrap()))
        .collect();
    let mock = {
        let live = live.clone();
        Mock::start(move |request| {
            let mode = live.load(Ordering::SeqCst);
            specs
                .iter()
                .find(|(secret, spec)| carries(request, spec, secret))
                .map(|(_, spec)| {
                    if !mode && spec.revoked.is_empty() {
                        Reply::json(401, "{}")
                    } else {
                        answer(spec, mode)
                    }
                })
                .unwrap_or_else(|| Reply::json(404, "{}"))
        })
    };
    let endpoint = mock.endpoint_all();
    let args = [
        "--verify",
        "--verify-endpoint",
        &endpoint,
        "--verify-rate",
        "1000",
        "--show-secrets",
    ];
    for mode in [true, false] {
        live.store(mode, Ordering::SeqCst);
        let before = mock.requests().len();
        let out = scan(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let findings = jsonl(&out);
        let requests = mock.requests()[before..].to_vec();
        for rule in &rules {
            let spec = rule.verify.as_ref().unwrap();
            let secret = &secrets[&rule.id];
            let file = format!("{}.txt", rule.id);
            let f = findings
                .iter()
                .find(|f| {
                    f["rule_id"] == rule.id.as_str() && f["path"].as_str().unwrap().ends_with(&file)
                })
                .unwrap_or_else(|| panic!("{}: its example is found", rule.id));
            let sent: Vec<&Recorded> = requests
                .iter()
                .filter(|r| carries(r, spec, secret))
                .collect();
            assert_eq!(
                sent.len(),
                1,
                "{}: one request carrying the secret",
                rule.id
            );
            let r = sent[0];
            let want_path = path_of(spec);
            assert_eq!(r.method, spec.method.as_str(), "{}", rule.id);
            assert_eq!(r.path, want_path, "{}", rule.id);
            assert!(
                r.header("user-agent")
                    .is_some_and(|ua| ua.starts_with("keyhound/")),
                "{}",
                rule.id
            );
            for (name, value) in &spec.headers {
                assert_eq!(
                    r.header(&name.to_ascii_lowercase()),
                    Some(value.as_str()),
                    "{}: {name}",
                    rule.id
                );
            }
            for c in &spec.companions {
                let partner = example(&by_id[&c.rule]).1;
                assert_eq!(
                    r.header(&c.header.to_ascii_lowercase()),
                    Some(partner.as_str()),
                    "{}",
                    rule.id
                );
            }
            assert_eq!(
                r.body,
                spec.body.clone().unwrap_or_default().into_bytes(),
                "{}",
                rule.id
            );
            let verified = &f["verified"];
            let expected = match (mode, spec.revoked.is_empty()) {
                (true, _) => "live",
                (false, false) => "revoked",
                // A verifier with no revoking status (the Datadog app key: a 401 may be its
                // API key's) never says revoked.
                (false, true) => "unknown",
            };
            assert_eq!(verified["status"], expected, "{}: {verified}", rule.id);
            if mode {
                for key in spec.reach.keys() {
                    let k = key.as_str();
                    assert_eq!(
                        verified["reach"][k],
                        format!("fact-{k}"),
                        "{}: {verified}",
                        rule.id
                    );
                }
            }
        }
    }
}

/// One Hugging Face token answered with `reply`: its finding's verification, what the mock
/// saw, and everything keyhound printed.
fn one_token(reply: Reply, extra: &[&str]) -> (Value, Vec<Recorded>, String) {
    let dir = project();
    let token = hf_token(0);
    write(
        &src(&dir),
        "train.py",
        &format!("login(token=\"{token}\")\n"),
    );
    let mock = Mock::start(move |_| reply.clone());
    let endpoint = format!("huggingface={}", mock.url());
    let mut args = vec!["--verify", "--verify-endpoint", endpoint.as_str()];
    args.extend_from_slice(extra);
    let out = scan(dir.path(), &args);
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(
        !printed.contains(&token),
        "the secret is printed nowhere: {printed}"
    );
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 1, "{printed}");
    (findings[0]["verified"].clone(), mock.requests(), printed)
}

#[test]
fn answers_that_say_nothing_about_the_secret_are_unknown_never_revoked() {
    let redirect = Reply {
        status: 302,
        headers: vec![("location".into(), "/followed".into())],
        body: String::new(),
        delay: Duration::ZERO,
    };
    let cases = [
        (Reply::json(429, "{}"), "rate limited"),
        (Reply::json(500, "{}"), "provider error"),
        (Reply::json(503, "upstream down"), "provider error"),
        (redirect, "redirected"),
        (Reply::json(200, "<html>captive portal</html>"), "malformed"),
        (Reply::json(418, "{}"), "unexpected"),
        // Past the body cap (256 KiB): not read to the end, not judged.
        (
            Reply::json(200, &format!("{{\"name\":\"{}\"}}", "a".repeat(300_000))),
            "too large",
        ),
    ];
    for (reply, reason) in cases {
        let status = reply.status;
        let (verified, requests, _) = one_token(reply, &[]);
        assert_eq!(verified["status"], "unknown", "{status}: {verified}");
        assert!(
            verified["reason"].as_str().unwrap().contains(reason),
            "{status}: {verified}"
        );
        // A redirect is never followed: the mock saw the one request, not `/followed`.
        assert_eq!(requests.len(), 1, "{status}");
        assert_eq!(requests[0].path, "/api/whoami-v2");
    }
}

#[test]
fn a_slow_provider_times_out_as_unknown() {
    let slow = Reply {
        delay: Duration::from_secs(5),
        ..Reply::json(200, r#"{"name":"alice"}"#)
    };
    let (verified, requests, _) = one_token(slow, &["--verify-timeout", "0.3"]);
    assert_eq!(verified["status"], "unknown", "{verified}");
    assert_eq!(verified["reason"], "timed out", "{verified}");
    assert_eq!(requests.len(), 1);
}

#[test]
fn live_and_revoked_are_reported_with_reach_in_every_format() {
    let alice = Reply::json(
        200,
        r#"{"name":"alice","type":"user","orgs":[{"name":"acme"}],"auth":{"accessToken":{"role":"write"}}}"#,
    );
    let (verified, requests, _) = one_token(alice.clone(), &[]);
    assert_eq!(verified["status"], "live");
    assert_eq!(verified["reach"]["user"], "alice");
    assert_eq!(verified["reach"]["org"], "acme");
    assert_eq!(verified["reach"]["scopes"], "write");
    assert_eq!(requests[0].method, "GET");
    assert!(requests[0]
        .header("authorization")
        .unwrap()
        .starts_with("Bearer hf_"));
    let (verified, _, _) = one_token(Reply::json(401, r#"{"error":"Invalid credentials"}"#), &[]);
    assert_eq!(verified["status"], "revoked");
    assert_eq!(verified["reason"], "HTTP 401");
    // A record with `verified` still validates against the published schema.
    let text =
        std::fs::read_to_string(crate::common::root().join("schema/findings.schema.json")).unwrap();
    let schema = jsonschema::draft7::new(&serde_json::from_str::<Value>(&text).unwrap()).unwrap();
    let record = json!({
        "schema_version": 1, "rule_id": "r", "rule_name": "R", "confidence": "high",
        "severity": "high", "path": "a", "line": 1, "column": 1, "end_line": 1,
        "end_column": 2, "start_byte": 0, "end_byte": 1, "secret": "x", "fingerprint": "ab",
        "metadata": {}, "verified": verified,
    });
    assert!(schema.is_valid(&record), "{record}");
    let mut bad = record.clone();
    bad["verified"]["status"] = json!("maybe");
    assert!(!schema.is_valid(&bad));

    // The text report and SARIF say the same.
    let dir = project();
    write(&src(&dir), "a.py", &format!("t = \"{}\"\n", hf_token(1)));
    let mock = Mock::start(move |_| alice.clone());
    let endpoint = mock.endpoint_all();
    let scan_as = |format: &str| {
        scan(
            dir.path(),
            &[
                "--verify",
                "--verify-endpoint",
                &endpoint,
                "--format",
                format,
            ],
        )
    };
    let out = scan_as("text");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("verified:    live (account user, user alice, org acme, scopes write)"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("verified: 1 live, 0 revoked, 0 unknown (1 secret, 1 request)"),
        "{}",
        stderr(&out)
    );
    let out = scan_as("sarif");
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = &sarif["runs"][0]["results"][0]["properties"];
    assert_eq!(props["verified"]["status"], "live", "{props}");
    assert_eq!(props["verified"]["reach"]["user"], "alice", "{props}");
    let out = scan_as("html");
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.contains("verified: live (account user, user alice"),
        "html report"
    );
}

#[test]
fn each_secret_is_checked_once_however_often_it_is_found() {
    let dir = project();
    let token = hf_token(2);
    for i in 0..5 {
        write(
            &src(&dir),
            &format!("f{i}.py"),
            &format!("t = \"{token}\"\n"),
        );
    }
    let mock = Mock::start(|_| Reply::json(200, r#"{"name":"alice"}"#));
    let endpoint = mock.endpoint_all();
    let out = scan(dir.path(), &["--verify", "--verify-endpoint", &endpoint]);
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 5);
    assert!(findings.iter().all(|f| f["verified"]["status"] == "live"));
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn nothing_is_sent_without_verify_or_after_the_deadline() {
    let dir = project();
    write(&src(&dir), "a.py", &format!("t = \"{}\"\n", hf_token(3)));
    let mock = Mock::start(|_| Reply::json(200, r#"{"name":"alice"}"#));
    let endpoint = mock.endpoint_all();
    // Without --verify, even with an endpoint named: no connection, no `verified`.
    let out = scan(dir.path(), &["--verify-endpoint", &endpoint]);
    assert_eq!(out.status.code(), Some(1));
    assert!(jsonl(&out)[0].get("verified").is_none());
    assert!(!stderr(&out).contains("verified"));
    assert_eq!(mock.requests().len(), 0);
    // A deadline already past: every check is unknown, nothing sent.
    let out = scan(
        dir.path(),
        &[
            "--verify",
            "--verify-endpoint",
            &endpoint,
            "--verify-deadline",
            "0",
        ],
    );
    let f = &jsonl(&out)[0];
    assert_eq!(f["verified"]["status"], "unknown");
    assert_eq!(f["verified"]["reason"], "deadline");
    assert_eq!(mock.requests().len(), 0);
}

#[test]
fn only_live_reports_live_findings_and_the_exit_code_follows() {
    let dir = project();
    let (live, dead) = (hf_token(4), hf_token(5));
    write(
        &src(&dir),
        "a.py",
        &format!("a = \"{live}\"\nb = \"{dead}\"\n"),
    );
    let live_auth = format!("Bearer {live}");
    let mock = Mock::start(move |r| {
        if r.header("authorization") == Some(live_auth.as_str()) {
            Reply::json(200, r#"{"name":"alice"}"#)
        } else {
            Reply::json(401, "{}")
        }
    });
    let endpoint = mock.endpoint_all();
    let out = scan(dir.path(), &["--only-live", "--verify-endpoint", &endpoint]);
    assert_eq!(out.status.code(), Some(1));
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["verified"]["status"], "live");
    assert_eq!(findings[0]["line"], 1);

    // Only revoked secrets: nothing reported, a clean exit.
    write(&src(&dir), "a.py", &format!("b = \"{dead}\"\n"));
    let out = scan(dir.path(), &["--only-live", "--verify-endpoint", &endpoint]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(jsonl(&out).is_empty());
}

#[test]
fn the_config_can_turn_verification_on() {
    let dir = project();
    write(&src(&dir), "a.py", &format!("t = \"{}\"\n", hf_token(0)));
    let config = dir.path().join("verify.toml");
    std::fs::write(&config, "verify = true\n").unwrap();
    let mock = Mock::start(|_| Reply::json(401, "{}"));
    let endpoint = mock.endpoint_all();
    let target = src(&dir).display().to_string();
    let out = keyhound(
        dir.path(),
        &[
            "scan",
            &target,
            "-c",
            &config.display().to_string(),
            "--format",
            "jsonl",
            "--verify-endpoint",
            &endpoint,
        ],
    );
    assert_eq!(
        jsonl(&out)[0]["verified"]["status"],
        "revoked",
        "{}",
        stderr(&out)
    );
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn pypi_tokens_have_no_honest_check_and_send_nothing() {
    let dir = project();
    let rule = |id: &str| builtin_rules().into_iter().find(|r| r.id == id).unwrap();
    write(
        &src(&dir),
        "pypirc",
        &format!("{}\n", example(&rule("pypi-api-token")).0),
    );
    let mock = Mock::start(|_| Reply::json(200, "{}"));
    let out = scan(
        dir.path(),
        &["--verify", "--verify-endpoint", &mock.endpoint_all()],
    );
    let findings = jsonl(&out);
    let p = &findings
        .iter()
        .find(|f| f["rule_id"] == "pypi-api-token")
        .expect("pypi finding")["verified"];
    assert_eq!(p["status"], "unknown");
    assert!(
        p["reason"].as_str().unwrap().contains("not checkable"),
        "{p}"
    );
    assert_eq!(mock.requests().len(), 0);
}

/// A throwaway 2048-bit RSA key generated for these tests (PKCS#8, base64 of the DER).
const TEST_RSA_KEY_PKCS8: &str = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDXub3HG/TlALQ1XR8hcaPBd7qNUPaFdcHj4HnraVR3GimMEiHTw/UE3sOlLfVvp0iLQ9lB7vQkwIGbo8lWcyLXMQSfWKuPaltj65SKmb61cZo6mdSYmNYRumJA0r6yBGMNGEJ9m+u66PypuSQYMvz5BS+8yCMSU8I+23J+6JHE4EjmnxwtuvY7y19EvEcfNM6woCsPwzlgwE+hoh3ckQgMN65X7oB4XF7BQw4PUqmVGc06iVrB2Wa1WNEQxi7BFSmn41DxEp4Q94WJQmem3ncmjTfPGbI9Qj0Rj1YjVLj4NJH0HZ1T4ADXIjgtSKMRyeo1dDR33a+8d/4oTuTCycHHAgMBAAECggEAG3cyil8s1ts4FnM8u21UhBVSUxuzx1ouzWyPGUHX1zIliAfm9qdEUtJp5mXrkcOioNiKmLJrsyIvXjmEMNWH4g4DoKYRcbkA2b/ssZjRhxhnon5jaupKlwc76zTpwpB8a/ZiwMtRQALZ6GICDnKvcqUOZuK0VGkFmismcLH7nS0VOWMonvlZwpf9/AdNZh6uzuLDedwkso28obhX4Z+ntB9r/MFZzK0YUvgUXJ8j3gtXfC7+lqCvLjh5bA+Ks/O6v8NhDt/+NYgI5XeQlWALwgkTMr3FhC+x+DjQsvgs9wQF9QfPGKpNPRxrxJ4/AKFxvIJeZ/pAxEcqHxo2m5vgQQKBgQDz2unL3RqQTnleO2vIlEm39MO8BvYnAR0WdwuA4juhQdtqJw1ZQGrXS1FRjyX3FnbG2YlxyV5jCkhjHuMlfoBtLYEpZ1fK31a1V+FNhoXa5mYvIoq160fuNvAhEIJnUCrDkrhfAktgBFcTQoO3u+SD8tZgzKFZNMJN0q7ftqBPgwKBgQDieC7+RUaK3ktb+TLAZrZphg9p+83aNNr26aNTxlA02VwEfgf6XMtU5ZwYpOJP6W4VnHG2PH3IDvih1xqLfBA8P4iqC8iozsRzfbLlNDU7PFKQCwaChN7f6j64BoW97D3u/g73H/UnGa0sP6G1ngsgICDOMnTEiPBmQ1Q/SPTNbQKBgQCO1VQKQCkWC5EVe/KnGwyO/oRDt0QpFoLmLLaFOH469ytA4zzzYULzdj9caV+Qegz6bmMOTifGFTjPLkFYLd+lk3jLOqf2wZi1QZNLaJcw37FMvIvJANYyFuXSSCxJvXA++8qYg+yIgiJKurQSQ7EXBH9DVbjQWpHRKa2ahgsiZwKBgQCq5mcQGtcRFI9p6LQT3W7qUvBu2kaN1DUo/0bxgUYlm6GFAlai6EPI3TzenA7snwsj49sr2ppQzntyJhEyEX1u+cL4D8xtFxvIy6KktLE28l6btLZE6GAIOYz68nEa0ZwrLi2877DgwM+eBKbTl2Bt7dDTyd+0MGK5yTVaTIPwQQKBgCk0SyuOb50vUTrkoAv4NXI7WdCSsih5ZgLaF2vyYbMhUb0Q1iGE8CazDATDKhvaimHWoDwLsZUEq2kekckq43QVicBvO5hWKBdafXw5cdlPBxmCCgMSaT3uWrsJbAi2fkABz/TPDAR5YLJuGIDzI4P5k3vaQUzddnhhYA7dcd6c";

/// A project holding an AWS key pair and a GCP service-account key file.
fn signed_project() -> (tempfile::TempDir, String) {
    let dir = project();
    let rule = |id: &str| builtin_rules().into_iter().find(|r| r.id == id).unwrap();
    let (key_id_line, key_id) = example(&rule("aws-access-key-id"));
    let secret_line = example(&rule("aws-secret-access-key")).0;
    write(
        &src(&dir),
        "creds",
        &format!("{key_id_line}\n{secret_line}\n"),
    );
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\\n");
    for line in TEST_RSA_KEY_PKCS8.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push_str("\\n");
    }
    pem.push_str("-----END PRIVATE KEY-----\\n");
    let key_file = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"ml-training\",\n  \"private_key_id\": \"9f2c4e6a8b0d1f3a5c7e9b1d3f5a7c9e1b3d5f7a\",\n  \"private_key\": \"{pem}\",\n  \"client_email\": \"trainer@ml-training.iam.gserviceaccount.com\",\n  \"token_uri\": \"https://oauth2.googleapis.com/token\"\n}}\n"
    );
    write(&src(&dir), "sa.json", &key_file);
    (dir, key_id)
}

fn verified_of(findings: &[serde_json::Value], id: &str) -> serde_json::Value {
    findings
        .iter()
        .find(|f| f["rule_id"] == id)
        .unwrap_or_else(|| panic!("no {id} finding in {findings:?}"))["verified"]
        .clone()
}

#[test]
fn aws_pairs_and_gcp_key_files_are_checked_with_signed_requests() {
    let (dir, key_id) = signed_project();
    let mock = Mock::start(|r| {
        let body = String::from_utf8_lossy(&r.body).into_owned();
        if body.contains("Action=GetCallerIdentity") {
            Reply::xml(
                200,
                "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLEUSERID</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>",
            )
        } else if body.contains("grant_type=") {
            Reply::json(
                200,
                r#"{"access_token":"ya29.fake","expires_in":3599,"token_type":"Bearer"}"#,
            )
        } else {
            Reply::json(404, "{}")
        }
    });
    let out = scan(
        dir.path(),
        &["--verify", "--verify-endpoint", &mock.endpoint_all()],
    );
    let findings = jsonl(&out);
    let aws = verified_of(&findings, "aws-secret-access-key");
    assert_eq!(aws["status"], "live", "{aws}");
    assert!(aws.to_string().contains("123456789012"), "{aws}");
    let gcp = verified_of(&findings, "gcp-service-account-key");
    assert_eq!(gcp["status"], "live", "{gcp}");
    assert!(
        gcp.to_string()
            .contains("trainer@ml-training.iam.gserviceaccount.com"),
        "{gcp}"
    );
    let requests = mock.requests();
    let sts = requests
        .iter()
        .find(|r| String::from_utf8_lossy(&r.body).contains("GetCallerIdentity"))
        .expect("an STS request");
    assert_eq!((sts.method.as_str(), sts.path.as_str()), ("POST", "/"));
    assert_eq!(
        String::from_utf8_lossy(&sts.body),
        "Action=GetCallerIdentity&Version=2011-06-15"
    );
    let auth = sts.header("authorization").expect("a signed request");
    assert!(
        auth.starts_with(&format!("AWS4-HMAC-SHA256 Credential={key_id}/")),
        "{auth}"
    );
    assert!(auth.contains("/us-east-1/sts/aws4_request"), "{auth}");
    assert!(sts.header("x-amz-date").is_some());
    let token = requests
        .iter()
        .find(|r| String::from_utf8_lossy(&r.body).contains("grant_type="))
        .expect("a token exchange");
    assert_eq!(
        (token.method.as_str(), token.path.as_str()),
        ("POST", "/token")
    );
    let body = String::from_utf8_lossy(&token.body);
    assert!(
        body.starts_with(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="
        ),
        "{body}"
    );
    // The assertion is a JWT (three dot-separated parts) and the key itself is never sent.
    let assertion = body.split("assertion=").nth(1).unwrap();
    assert_eq!(assertion.split('.').count(), 3, "{assertion}");
    assert!(!body.contains("MIIEvgIBADANBg"));
    assert_eq!(requests.len(), 2);
}

#[test]
fn rejected_aws_and_gcp_credentials_are_revoked() {
    let (dir, _) = signed_project();
    let mock = Mock::start(|r| {
        let body = String::from_utf8_lossy(&r.body).into_owned();
        if body.contains("Action=GetCallerIdentity") {
            Reply::xml(
                403,
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>",
            )
        } else {
            Reply::json(
                400,
                r#"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#,
            )
        }
    });
    let out = scan(
        dir.path(),
        &["--verify", "--verify-endpoint", &mock.endpoint_all()],
    );
    let findings = jsonl(&out);
    for id in ["aws-secret-access-key", "gcp-service-account-key"] {
        let v = verified_of(&findings, id);
        assert_eq!(v["status"], "revoked", "{id}: {v}");
    }
}

#[test]
fn endpoints_off_loopback_are_refused() {
    let dir = project();
    for bad in [
        "*=http://10.1.2.3:80",
        "*=https://collector.example",
        "nonsense",
    ] {
        let out = scan(dir.path(), &["--verify", "--verify-endpoint", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&out).contains("--verify-endpoint"),
            "{bad}: {}",
            stderr(&out)
        );
    }
}

/// With `HTTPS_PROXY` set, a provider is reached through it (a `CONNECT`), so the mock
/// standing in as the proxy sees the tunnel request and nothing reaches the network.
#[test]
fn the_proxy_from_the_environment_is_used() {
    let dir = project();
    write(&src(&dir), "a.py", &format!("t = \"{}\"\n", hf_token(1)));
    let proxy = Mock::start(|_| Reply::json(403, "{}"));
    let config = dir.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let out = assert_cmd::Command::cargo_bin("keyhound")
        .unwrap()
        .current_dir(dir.path())
        .env("HTTPS_PROXY", proxy.url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args([
            "scan",
            "src",
            "-c",
            &config.display().to_string(),
            "--format",
            "jsonl",
            "--verify",
        ])
        .output()
        .unwrap();
    let f = &jsonl(&out)[0];
    assert_eq!(f["verified"]["status"], "unknown", "{f}");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "CONNECT");
    assert!(
        requests[0].path.starts_with("huggingface.co:443"),
        "{:?}",
        requests[0]
    );
    // The tunnel request carries no secret: that would go inside TLS.
    assert!(!format!("{:?}", requests[0]).contains("hf_"));
}

/// `--verify-per-host 1`: however many workers, the mock never has two requests at once.
#[test]
fn the_per_host_limit_holds_requests_in_flight() {
    use std::sync::atomic::AtomicUsize;
    let dir = project();
    for i in 0..4u8 {
        write(
            &src(&dir),
            &format!("f{i}.py"),
            &format!("t = \"{}\"\n", hf_token(i)),
        );
    }
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let mock = {
        let (now, most) = (now.clone(), most.clone());
        Mock::start(move |_| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(n, Ordering::SeqCst);
            // Held open long enough that a second request, were it allowed, would overlap.
            std::thread::sleep(Duration::from_millis(150));
            now.fetch_sub(1, Ordering::SeqCst);
            Reply::json(200, r#"{"name":"alice"}"#)
        })
    };
    let endpoint = mock.endpoint_all();
    let out = scan(
        dir.path(),
        &[
            "--verify",
            "--verify-endpoint",
            &endpoint,
            "--verify-per-host",
            "1",
            "--verify-rate",
            "1000",
        ],
    );
    assert_eq!(jsonl(&out).len(), 4);
    assert!(jsonl(&out)
        .iter()
        .all(|f| f["verified"]["status"] == "live"));
    assert_eq!(mock.requests().len(), 4);
    assert_eq!(most.load(Ordering::SeqCst), 1);
}

/// `history --verify` verifies what the audit reports, once per secret.
#[test]
fn history_verifies_too() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .current_dir(repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::write(repo.join("a.py"), format!("t = \"{}\"\n", hf_token(2))).unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "add"]);
    std::fs::write(repo.join("a.py"), "t = None\n").unwrap();
    git(&["commit", "-qam", "remove"]);
    let mock = Mock::start(|_| Reply::json(401, "{}"));
    let endpoint = mock.endpoint_all();
    let config = dir.path().join(".git").join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let out = keyhound(
        repo,
        &[
            "history",
            ".",
            "-c",
            &config.display().to_string(),
            "--format",
            "jsonl",
            "--verify",
            "--verify-endpoint",
            &endpoint,
        ],
    );
    let findings = jsonl(&out);
    assert_eq!(findings.len(), 1, "{}", stderr(&out));
    assert_eq!(findings[0]["verified"]["status"], "revoked");
    assert_eq!(mock.requests().len(), 1);
}
