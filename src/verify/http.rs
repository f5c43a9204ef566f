//! The declared verifiers: a `[rule.verify]` table turned into the request for one secret,
//! and the provider's answer judged. Pure: no network, so tests assert the exact request.

use base64::Engine as _;
use serde_json::Value;

use super::endpoint::{authority, Override};
use super::{Job, Liveness, Outcome, Request, Response};
use crate::rules::{Auth, VerifySpec};

/// A request ready for the transport, and the host it may go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub request: Request,
    /// `host` or `host:port`: the transport refuses the request if its URL names another.
    pub host: String,
    /// Plain `http://` is allowed: only for a loopback `--verify-endpoint`.
    pub plain_http: bool,
}

/// What a job comes to before anything is sent: a request, or already an outcome (the
/// rule cannot be checked, a companion is missing).
pub fn prepare(
    job: &Job<'_>,
    endpoints: &[Override],
    now: std::time::SystemTime,
) -> Result<Prepared, Outcome> {
    let (request, declared) = match (job.spec.code, &job.spec.unverifiable) {
        // A code verifier's URL is built by code (perhaps from what the scanned file
        // says, such as a key file's `token_uri`): it must still name the one host the
        // verifier declares.
        (Some(code), _) => (
            super::code::request(code, job, now)?,
            code.host().to_string(),
        ),
        (None, Some(reason)) => return Err(Outcome::unknown(format!("not checkable: {reason}"))),
        (None, None) => {
            let request = declared_request(job)?;
            let host = url::Url::parse(&request.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            (request, host)
        }
    };
    route(request, &declared, job, endpoints)
}

/// Judges the answer to a prepared job.
pub fn judge(job: &Job<'_>, response: &Response) -> Outcome {
    match job.spec.code {
        Some(code) => super::code::judge(code, job, response),
        None => judge_declared(job.spec, response),
    }
}

/// The request a `[rule.verify]` table describes for `job`'s secret.
fn declared_request(job: &Job<'_>) -> Result<Request, Outcome> {
    let spec = job.spec;
    let template = spec.url.as_deref().unwrap_or_default();
    let url = if template.contains("{host}") {
        let host = job
            .companion("host")
            .filter(|h| spec.hosts.iter().any(|p| host_matches(h, p)))
            .ok_or_else(|| {
                Outcome::unknown(format!(
                    "no {} host found beside the secret",
                    spec.hosts.join(" or ")
                ))
            })?;
        template.replace("{host}", host)
    } else {
        template.to_string()
    };
    let mut url = url::Url::parse(&url).map_err(|_| Outcome::unknown("bad verifier URL"))?;
    let mut headers = vec![("user-agent".to_string(), user_agent())];
    match spec.auth.as_ref() {
        Some(Auth::Bearer) => {
            headers.push(("authorization".into(), format!("Bearer {}", job.secret)))
        }
        Some(Auth::Header(name)) => {
            headers.push((name.to_ascii_lowercase(), job.secret.to_string()))
        }
        Some(Auth::BasicUser) => headers.push(("authorization".into(), basic(job.secret, ""))),
        Some(Auth::BasicPassword(user)) => {
            headers.push(("authorization".into(), basic(user, job.secret)))
        }
        Some(Auth::Query(param)) => {
            url.query_pairs_mut().append_pair(param, job.secret);
        }
        None => return Err(Outcome::unknown("bad verifier: no auth")),
    }
    for needed in &spec.companions {
        let value = job.companion(&needed.rule).ok_or_else(|| {
            Outcome::unknown(format!("needs a {} beside it; none was found", needed.rule))
        })?;
        headers.push((needed.header.to_ascii_lowercase(), value.to_string()));
    }
    for (name, value) in &spec.headers {
        headers.push((name.to_ascii_lowercase(), value.clone()));
    }
    Ok(Request {
        method: spec.method.as_str(),
        url: url.to_string(),
        headers,
        body: spec.body.clone().unwrap_or_default().into_bytes(),
    })
}

/// Points `request` at a `--verify-endpoint` standing in for its host, if one does, and
/// says which host the transport must see.
fn route(
    request: Request,
    declared: &str,
    job: &Job<'_>,
    endpoints: &[Override],
) -> Result<Prepared, Outcome> {
    let mut url =
        url::Url::parse(&request.url).map_err(|_| Outcome::unknown("bad verifier URL"))?;
    let host = url.host_str().unwrap_or_default().to_string();
    if url.scheme() != "https" || host != declared || url.port().is_some() {
        return Err(Outcome::unknown("refused: not the verifier's host"));
    }
    let Some(stand_in) = endpoints
        .iter()
        .find(|o| o.covers(job.rule_id, job.provider, &host))
    else {
        return Ok(Prepared {
            host: authority(&url),
            request,
            plain_http: false,
        });
    };
    // Both schemes are "special" in the URL standard, so these cannot fail between them.
    let _ = url.set_scheme(stand_in.base.scheme());
    let _ = url.set_host(stand_in.base.host_str());
    let _ = url.set_port(stand_in.base.port());
    Ok(Prepared {
        host: stand_in.authority(),
        plain_http: stand_in.base.scheme() == "http",
        request: Request {
            url: url.to_string(),
            ..request
        },
    })
}

/// The value found beside the secret under `name`.
/// Whether `host` matches `pattern`: `*.suffix` (one or more labels before it) or exact.
pub fn host_matches(host: &str, pattern: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let label_ok =
        |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|labels| labels.split('.').all(label_ok)),
        None => host == pattern,
    }
}

fn basic(user: &str, password: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {encoded}")
}

/// What keyhound calls itself to providers.
pub fn user_agent() -> String {
    format!("keyhound/{}", env!("CARGO_PKG_VERSION"))
}

/// The judgement a `[rule.verify]` table describes.
fn judge_declared(spec: &VerifySpec, response: &Response) -> Outcome {
    let status = response.status;
    if let Some(outcome) = super::unknown_by_status(status) {
        return outcome;
    }
    let listed = spec.live.contains(&status) || spec.revoked.contains(&status);
    if !listed {
        return Outcome::unknown(format!("unexpected answer (HTTP {status})"));
    }
    // Every provider here answers JSON; a listed status with a body that is not JSON is
    // not the provider's API speaking (a captive portal, a proxy's page).
    let Ok(body) = serde_json::from_slice::<Value>(&response.body) else {
        return Outcome::unknown(format!("malformed answer (HTTP {status})"));
    };
    if spec.live.contains(&status) && spec.live_if.as_ref().is_none_or(|c| c.holds(&body)) {
        return Outcome {
            liveness: Liveness::Live,
            reason: format!("HTTP {status}"),
            reach: reach(spec, response, &body),
        };
    }
    if spec.revoked.contains(&status) {
        match &spec.revoked_if {
            None => return revoked(spec, format!("HTTP {status}")),
            Some(c) if c.holds(&body) => {
                // The value is one the rule itself lists, so it is safe to repeat.
                let value = body
                    .pointer(&c.pointer)
                    .map(Value::to_string)
                    .unwrap_or_default();
                return revoked(spec, format!("HTTP {status}, {} = {value}", c.pointer));
            }
            Some(_) => {}
        }
    }
    Outcome::unknown(format!("unexpected answer (HTTP {status})"))
}

/// A revoked outcome for `reason`, with the verifier's caveat if it has one.
fn revoked(spec: &VerifySpec, reason: String) -> Outcome {
    Outcome {
        liveness: Liveness::Revoked,
        reason: match &spec.revoked_note {
            Some(note) => format!("{reason}; {note}"),
            None => reason,
        },
        reach: Vec::new(),
    }
}

/// The most characters of one reach fact kept.
const MAX_REACH_CHARS: usize = 200;

/// The reach facts the answer gives, in the table's order.
fn reach(spec: &VerifySpec, response: &Response, body: &Value) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    for (key, source) in &spec.reach {
        let value = match source.strip_prefix("header:") {
            Some(name) => response
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string()),
            None => body.pointer(source).and_then(fact),
        };
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let value: String = value.chars().take(MAX_REACH_CHARS).collect();
            facts.push((key.as_str().to_string(), value));
        }
    }
    facts
}

/// A JSON value as a reach fact: strings as they are, lists joined with commas.
fn fact(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(fact).collect();
            Some(parts.join(","))
        }
        Value::Object(map) => map.get("name").and_then(fact),
        Value::Null => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Condition, ReachKey};

    fn spec(toml_text: &str) -> VerifySpec {
        toml::from_str(toml_text).unwrap()
    }

    fn job<'a>(spec: &'a VerifySpec, companions: &'a [(String, String)]) -> Job<'a> {
        Job {
            rule_id: "r",
            provider: Some("P"),
            spec,
            secret: "s3cret-value", // keyhound:allow
            companions,
        }
    }

    fn answer(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("x-scopes".into(), "repo, gist".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn each_auth_style_sends_the_secret_where_declared() {
        let now = std::time::SystemTime::UNIX_EPOCH;
        let cases = [
            (
                "auth = \"bearer\"",
                ("authorization", "Bearer s3cret-value"),
            ),
            (
                "auth = { header = \"X-Api-Key\" }",
                ("x-api-key", "s3cret-value"),
            ),
            (
                "auth = \"basic-user\"",
                ("authorization", "Basic czNjcmV0LXZhbHVlOg=="),
            ),
            (
                "auth = { basic-password = \"api\" }",
                ("authorization", "Basic YXBpOnMzY3JldC12YWx1ZQ=="), // keyhound:allow
            ),
        ];
        for (auth, (name, value)) in cases {
            let s = spec(&format!(
                "url = \"https://api.example.com/me\"\n{auth}\nlive = [200]"
            ));
            let p = prepare(&job(&s, &[]), &[], now).unwrap();
            assert_eq!(p.host, "api.example.com");
            assert!(!p.plain_http);
            assert!(
                p.request
                    .headers
                    .contains(&(name.to_string(), value.to_string())),
                "{auth}: {:?}",
                p.request.headers
            );
        }
        let s = spec(
            "url = \"https://api.example.com/me?a=1\"\nauth = { query = \"key\" }\nlive = [200]",
        );
        let p = prepare(&job(&s, &[]), &[], now).unwrap();
        assert_eq!(
            p.request.url,
            "https://api.example.com/me?a=1&key=s3cret-value"
        );
    }

    #[test]
    fn a_stand_in_endpoint_keeps_the_path_and_is_the_only_host_allowed() {
        let s =
            spec("url = \"https://api.example.com/v1/me?x=y\"\nauth = \"bearer\"\nlive = [200]");
        let o = Override::parse("p=http://127.0.0.1:4000").unwrap();
        let p = prepare(&job(&s, &[]), &[o], std::time::SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(p.request.url, "http://127.0.0.1:4000/v1/me?x=y");
        assert_eq!(p.host, "127.0.0.1:4000");
        assert!(p.plain_http);
    }

    #[test]
    fn templated_hosts_must_match_the_declared_patterns() {
        let s = spec(
            "url = \"https://{host}/api/me\"\nhosts = [\"*.cloud.databricks.com\"]\nauth = \"bearer\"\nlive = [200]",
        );
        let now = std::time::SystemTime::UNIX_EPOCH;
        let found = [("host".to_string(), "dbc-1.cloud.databricks.com".to_string())];
        let p = prepare(&job(&s, &found), &[], now).unwrap();
        assert_eq!(p.request.url, "https://dbc-1.cloud.databricks.com/api/me");
        let evil = [(
            "host".to_string(),
            "evil.example/x.cloud.databricks.com".to_string(),
        )];
        let e = prepare(&job(&s, &evil), &[], now).unwrap_err();
        assert_eq!(e.liveness, Liveness::Unknown);
        assert!(prepare(&job(&s, &[]), &[], now)
            .unwrap_err()
            .reason
            .contains("no "));
        assert!(host_matches(
            "a.b.cloud.databricks.com",
            "*.cloud.databricks.com"
        ));
        assert!(!host_matches(
            "cloud.databricks.com",
            "*.cloud.databricks.com"
        ));
        assert!(!host_matches(
            "evilcloud.databricks.com",
            "*.cloud.databricks.com"
        ));
    }

    #[test]
    fn judging_follows_status_and_conditions_and_never_revokes_on_errors() {
        let mut s = spec("url = \"https://slack.com/api/auth.test\"\nauth = \"bearer\"\nlive = [200]\nrevoked = [200, 401]");
        s.live_if = Some(Condition {
            pointer: "/ok".into(),
            equals: Some(Value::Bool(true)),
            one_of: vec![],
        });
        s.revoked_if = Some(Condition {
            pointer: "/error".into(),
            equals: None,
            one_of: vec![Value::String("invalid_auth".into())],
        });
        s.reach.insert(ReachKey::User, "/user".into());
        s.reach.insert(ReachKey::Scopes, "header:X-Scopes".into());
        let live = judge_declared(&s, &answer(200, r#"{"ok":true,"user":"alice"}"#));
        assert_eq!(live.liveness, Liveness::Live);
        assert_eq!(
            live.reach,
            vec![
                ("user".into(), "alice".into()),
                ("scopes".into(), "repo, gist".into())
            ]
        );
        assert_eq!(live.describe(), "live (user alice, scopes repo, gist)");
        let bad = judge_declared(&s, &answer(200, r#"{"ok":false,"error":"invalid_auth"}"#));
        assert_eq!(bad.liveness, Liveness::Revoked);
        assert_eq!(bad.reason, "HTTP 200, /error = \"invalid_auth\"");
        let other = judge_declared(&s, &answer(200, r#"{"ok":false,"error":"ratelimited"}"#));
        assert_eq!(other.liveness, Liveness::Unknown);
        for (status, body) in [
            (429, "{}"),
            (500, "{}"),
            (503, ""),
            (302, ""),
            (200, "<html>"),
            (418, "{}"),
        ] {
            assert_eq!(
                judge_declared(&s, &answer(status, body)).liveness,
                Liveness::Unknown,
                "{status}"
            );
        }
    }

    #[test]
    fn a_request_off_the_declared_host_is_refused_before_the_transport() {
        let s = spec("url = \"https://api.example.com/me\"\nauth = \"bearer\"\nlive = [200]");
        let request = |url: &str| Request {
            method: "GET",
            url: url.into(),
            headers: vec![],
            body: vec![],
        };
        for url in [
            "https://token.evil.example/token",
            "https://api.example.com:8443/me",
            "http://api.example.com/me",
        ] {
            let e = route(request(url), "api.example.com", &job(&s, &[]), &[]).unwrap_err();
            assert!(e.reason.starts_with("refused"), "{url}: {e:?}");
        }
        assert!(route(
            request("https://api.example.com/me"),
            "api.example.com",
            &job(&s, &[]),
            &[]
        )
        .is_ok());
    }

    #[test]
    fn unverifiable_rules_send_nothing() {
        let s = spec("unverifiable = \"no read-only endpoint\"");
        let e = prepare(&job(&s, &[]), &[], std::time::SystemTime::UNIX_EPOCH).unwrap_err();
        assert_eq!(e.liveness, Liveness::Unknown);
        assert!(e.reason.contains("no read-only endpoint"));
    }
}
