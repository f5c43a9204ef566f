//! The service-account parser, the signed token request (its JWT checked with the public
//! half of a throwaway key) and the judgement of Google's answers.

use super::*;
use ring::signature::{KeyPair as _, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use std::time::Duration;

/// A 2048-bit RSA key generated for these tests only (`openssl genpkey -algorithm RSA`, then
/// `openssl pkcs8 -topk8 -nocrypt`: PKCS#8 DER in base64). It belongs to no account anywhere.
const TEST_KEY_PKCS8: &str = "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDXub3HG/TlALQ1XR8hcaPBd7qNUPaFdcHj4HnraVR3GimMEiHTw/UE3sOlLfVvp0iLQ9lB7vQkwIGbo8lWcyLXMQSfWKuPaltj65SKmb61cZo6mdSYmNYRumJA0r6yBGMNGEJ9m+u66PypuSQYMvz5BS+8yCMSU8I+23J+6JHE4EjmnxwtuvY7y19EvEcfNM6woCsPwzlgwE+hoh3ckQgMN65X7oB4XF7BQw4PUqmVGc06iVrB2Wa1WNEQxi7BFSmn41DxEp4Q94WJQmem3ncmjTfPGbI9Qj0Rj1YjVLj4NJH0HZ1T4ADXIjgtSKMRyeo1dDR33a+8d/4oTuTCycHHAgMBAAECggEAG3cyil8s1ts4FnM8u21UhBVSUxuzx1ouzWyPGUHX1zIliAfm9qdEUtJp5mXrkcOioNiKmLJrsyIvXjmEMNWH4g4DoKYRcbkA2b/ssZjRhxhnon5jaupKlwc76zTpwpB8a/ZiwMtRQALZ6GICDnKvcqUOZuK0VGkFmismcLH7nS0VOWMonvlZwpf9/AdNZh6uzuLDedwkso28obhX4Z+ntB9r/MFZzK0YUvgUXJ8j3gtXfC7+lqCvLjh5bA+Ks/O6v8NhDt/+NYgI5XeQlWALwgkTMr3FhC+x+DjQsvgs9wQF9QfPGKpNPRxrxJ4/AKFxvIJeZ/pAxEcqHxo2m5vgQQKBgQDz2unL3RqQTnleO2vIlEm39MO8BvYnAR0WdwuA4juhQdtqJw1ZQGrXS1FRjyX3FnbG2YlxyV5jCkhjHuMlfoBtLYEpZ1fK31a1V+FNhoXa5mYvIoq160fuNvAhEIJnUCrDkrhfAktgBFcTQoO3u+SD8tZgzKFZNMJN0q7ftqBPgwKBgQDieC7+RUaK3ktb+TLAZrZphg9p+83aNNr26aNTxlA02VwEfgf6XMtU5ZwYpOJP6W4VnHG2PH3IDvih1xqLfBA8P4iqC8iozsRzfbLlNDU7PFKQCwaChN7f6j64BoW97D3u/g73H/UnGa0sP6G1ngsgICDOMnTEiPBmQ1Q/SPTNbQKBgQCO1VQKQCkWC5EVe/KnGwyO/oRDt0QpFoLmLLaFOH469ytA4zzzYULzdj9caV+Qegz6bmMOTifGFTjPLkFYLd+lk3jLOqf2wZi1QZNLaJcw37FMvIvJANYyFuXSSCxJvXA++8qYg+yIgiJKurQSQ7EXBH9DVbjQWpHRKa2ahgsiZwKBgQCq5mcQGtcRFI9p6LQT3W7qUvBu2kaN1DUo/0bxgUYlm6GFAlai6EPI3TzenA7snwsj49sr2ppQzntyJhEyEX1u+cL4D8xtFxvIy6KktLE28l6btLZE6GAIOYz68nEa0ZwrLi2877DgwM+eBKbTl2Bt7dDTyd+0MGK5yTVaTIPwQQKBgCk0SyuOb50vUTrkoAv4NXI7WdCSsih5ZgLaF2vyYbMhUb0Q1iGE8CazDATDKhvaimHWoDwLsZUEq2kekckq43QVicBvO5hWKBdafXw5cdlPBxmCCgMSaT3uWrsJbAi2fkABz/TPDAR5YLJuGIDzI4P5k3vaQUzddnhhYA7dcd6c"; // keyhound:allow (throwaway test key)

const EMAIL: &str = "scanner-test@keyhound-tests.iam.gserviceaccount.com";
const KEY_ID: &str = "0123456789abcdef0123456789abcdef01234567";

/// The test key as a key file writes it: PEM, 64 characters a line.
fn test_pem() -> String {
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for chunk in TEST_KEY_PKCS8.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    pem
}

/// A key file as Google issues it, with `token_uri` as given.
fn key_file(token_uri: &str) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "type": "service_account",
        "project_id": "keyhound-tests",
        "private_key_id": KEY_ID,
        "private_key": test_pem(),
        "client_email": EMAIL,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
    }))
    .unwrap()
}

fn test_account() -> ServiceAccount {
    parse(&key_file(TOKEN_URI)).expect("the key file parses")
}

#[test]
fn a_key_file_parses_to_its_fields() {
    let sa = test_account();
    assert_eq!(sa.client_email, EMAIL);
    assert_eq!(sa.private_key_id, KEY_ID);
    assert_eq!(sa.private_key_pem, test_pem());
    assert_eq!(sa.token_uri, TOKEN_URI);
}

#[test]
fn a_key_file_inside_other_text_parses() {
    let code = format!(
        "import json\n# paste from the console {{ braces }}\nCREDS = {}\nclient = make(CREDS)\n",
        key_file(TOKEN_URI)
    );
    assert_eq!(parse(&code), Some(test_account()));
}

#[test]
fn a_key_file_held_in_a_string_parses_at_any_depth() {
    let file = key_file(TOKEN_URI);
    // As a JSON string value inside a JSON document (a CI secret, a Terraform state).
    let nested = serde_json::json!({ "env": [{ "name": "GOOGLE_CREDENTIALS", "value": file }] });
    assert_eq!(parse(&nested.to_string()), Some(test_account()));
    // As an escaped string in YAML: once escaped, and escaped twice.
    let once = serde_json::to_string(&file).unwrap();
    assert!(once.contains("\\\"type\\\""));
    assert_eq!(
        parse(&format!("credentials: {once}\n")),
        Some(test_account())
    );
    let twice = serde_json::to_string(&once).unwrap();
    assert_eq!(parse(&format!("payload: {twice}\n")), Some(test_account()));
}

#[test]
fn the_request_goes_to_google_whatever_token_uri_the_document_names() {
    for named in [
        TOKEN_URI,
        LEGACY_TOKEN_URI,
        "https://oauth2.googleapis.com.attacker.example/token",
        "http://169.254.169.254/token",
    ] {
        let sa = parse(&key_file(named)).expect(named);
        assert_eq!(sa.token_uri, TOKEN_URI, "{named}");
        let request = token_request(&sa, UNIX_EPOCH + Duration::from_secs(1)).unwrap();
        assert_eq!(request.url, TOKEN_URI, "{named}");
    }
}

#[test]
fn texts_without_a_usable_service_account_key_are_none() {
    let full: serde_json::Value = serde_json::from_str(&key_file(TOKEN_URI)).unwrap();
    let without = |field: &str| {
        let mut v = full.clone();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    let mut authorized_user = full.clone();
    authorized_user["type"] = "authorized_user".into();
    let mut not_pem = full.clone();
    not_pem["private_key"] = "-----BEGIN PRIVATE KEY-----..."
        .replace("BEGIN", "BEGUN")
        .into();
    for text in [
        without("private_key"),
        without("client_email"),
        without("private_key_id"),
        authorized_user.to_string(),
        not_pem.to_string(),
        "service_account".to_string(),
        "{\"type\": \"service_account\"".to_string(),
        String::new(),
    ] {
        assert_eq!(parse(&text), None, "{text}");
    }
}

#[test]
fn a_hostile_text_full_of_markers_and_braces_ends_with_none() {
    // Every marker has many braces before it and none is a key object: the attempts are
    // capped, so this returns (with None) instead of parsing quadratically.
    let hostile = "{\"a\":{\"service_account\":[{".repeat(20_000) + &"\\\"".repeat(1000);
    assert_eq!(parse(&hostile), None);
}

#[test]
fn debug_output_never_shows_the_private_key() {
    let shown = format!("{:?}", test_account());
    assert!(shown.contains(EMAIL));
    assert!(!shown.contains(&TEST_KEY_PKCS8[..40]));
    assert!(!shown.contains("BEGIN PRIVATE KEY"));
}

/// 2026-12-01T12:00:00Z.
const NOW: u64 = 1_796_126_400;

fn decode_segment(segment: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

fn public_key() -> Vec<u8> {
    let der = STANDARD.decode(TEST_KEY_PKCS8).unwrap();
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    pair.public_key().as_ref().to_vec()
}

#[test]
fn the_token_request_is_a_signed_jwt_bearer_grant() {
    let request = token_request(&test_account(), UNIX_EPOCH + Duration::from_secs(NOW)).unwrap();
    assert_eq!(request.method, "POST");
    assert_eq!(request.url, "https://oauth2.googleapis.com/token");
    assert_eq!(
        request.headers,
        [(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string()
        )]
    );
    let body = String::from_utf8(request.body).unwrap();
    let assertion = body
        .strip_prefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=")
        .expect("the grant type comes first");
    // A JWT is three base64url segments: nothing in it needs form-encoding.
    assert!(assertion
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')));
    let segments: Vec<&str> = assertion.split('.').collect();
    assert_eq!(segments.len(), 3);
    assert_eq!(
        decode_segment(segments[0]),
        serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": KEY_ID })
    );
    assert_eq!(
        decode_segment(segments[1]),
        serde_json::json!({
            "iss": EMAIL,
            "scope": "https://www.googleapis.com/auth/cloud-platform.read-only",
            "aud": "https://oauth2.googleapis.com/token",
            "iat": NOW,
            "exp": NOW + 3600,
        })
    );

    let public = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key());
    let signed = format!("{}.{}", segments[0], segments[1]);
    let signature = URL_SAFE_NO_PAD.decode(segments[2]).unwrap();
    assert_eq!(signature.len(), 256);
    public
        .verify(signed.as_bytes(), &signature)
        .expect("the signature verifies with the key's public half");
    // And it covers the claims: one changed claim no longer verifies.
    let forged_claims = URL_SAFE_NO_PAD.encode(
        serde_json::json!({ "iss": "someone-else@example.com", "iat": NOW, "exp": NOW + 3600 })
            .to_string(),
    );
    let forged = format!("{}.{forged_claims}", segments[0]);
    assert!(public.verify(forged.as_bytes(), &signature).is_err());
}

#[test]
fn a_pem_with_literal_backslash_n_still_signs() {
    let mut sa = test_account();
    sa.private_key_pem = sa.private_key_pem.replace('\n', "\\n");
    assert!(token_request(&sa, UNIX_EPOCH + Duration::from_secs(NOW)).is_ok());
}

#[test]
fn a_bad_key_is_an_error_that_names_the_problem_and_holds_no_key_material() {
    let good = test_account();
    let body_start = &TEST_KEY_PKCS8[..24];
    let cases = [
        ("no PEM at all".to_string(), "not a PKCS#8 PEM"),
        (
            format!("-----BEGIN PRIVATE KEY-----\n{body_start}!!\n-----END PRIVATE KEY-----\n"),
            "not valid base64",
        ),
        (
            // Valid base64, a truncated key: ring rejects the encoding.
            format!(
                "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
                &TEST_KEY_PKCS8[..800]
            ),
            "not a PKCS#8 RSA key",
        ),
    ];
    for (pem, expected) in cases {
        let sa = ServiceAccount {
            private_key_pem: pem,
            ..good.clone()
        };
        let error = token_request(&sa, UNIX_EPOCH + Duration::from_secs(NOW)).unwrap_err();
        assert!(error.contains(expected), "{error}");
        assert!(!error.contains(body_start), "{error}");
    }
}

fn answer(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body: body.as_bytes().to_vec(),
    }
}

const ACCESS_TOKEN: &str = "ya29.c.fake-access-token-for-tests";

#[test]
fn a_granted_token_is_live_and_the_token_is_never_repeated() {
    let body = format!(
        "{{\"access_token\":\"{ACCESS_TOKEN}\",\"expires_in\":3599,\"token_type\":\"Bearer\"}}"
    );
    let outcome = judge_token_for(&test_account(), &answer(200, &body));
    assert_eq!(outcome.liveness, Liveness::Live);
    assert_eq!(
        outcome.reach,
        [
            ("account".to_string(), EMAIL.to_string()),
            ("scope".to_string(), SCOPE.to_string()),
            ("expires in".to_string(), "3599 s".to_string()),
        ]
    );
    assert!(!format!("{outcome:?}").contains(ACCESS_TOKEN));
    // Without the account, the same judgement.
    let plain = judge_token(&answer(200, &body));
    assert_eq!(plain.liveness, Liveness::Live);
    assert_eq!(plain.reach[0].0, "scope");
}

#[test]
fn invalid_grant_is_revoked_with_googles_description() {
    for description in ["Invalid JWT Signature.", "Invalid grant: account not found"] {
        let body =
            format!("{{\"error\":\"invalid_grant\",\"error_description\":\"{description}\"}}");
        for status in [400, 401] {
            let outcome = judge_token(&answer(status, &body));
            assert_eq!(outcome.liveness, Liveness::Revoked, "{description}");
            assert_eq!(outcome.reason, format!("invalid_grant: {description}"));
            assert!(outcome.reach.is_empty());
        }
    }
}

#[test]
fn an_assertion_outside_its_time_window_is_unknown_not_revoked() {
    let body = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT: Token must be a \
                short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and \
                exp values in the JWT claim.\"}";
    let outcome = judge_token(&answer(400, body));
    assert_eq!(outcome.liveness, Liveness::Unknown);
    assert!(
        outcome.reason.starts_with("clock skew?"),
        "{}",
        outcome.reason
    );
}

#[test]
fn rate_limits_outages_other_errors_and_odd_bodies_are_unknown() {
    let invalid_grant =
        "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}";
    for (status, body, reason) in [
        (429, invalid_grant, "rate limited"),
        (503, invalid_grant, "HTTP 503"),
        (500, "", "HTTP 500"),
        (
            400,
            "{\"error\":\"invalid_scope\",\"error_description\":\"Bad scope\"}",
            "HTTP 400: invalid_scope: Bad scope",
        ),
        (403, "{}", "HTTP 403"),
        (
            400,
            "<html>Bad Request</html>",
            "HTTP 400: not a token answer",
        ),
        (200, "[1, 2]", "HTTP 200: not a token answer"),
        (
            200,
            "{\"access_token\":\"\"}",
            "HTTP 200 without an access token",
        ),
        (
            200,
            "{\"token_type\":\"Bearer\"}",
            "HTTP 200 without an access token",
        ),
    ] {
        let outcome = judge_token(&answer(status, body));
        assert_eq!(outcome.liveness, Liveness::Unknown, "{status} {body}");
        assert_eq!(outcome.reason, reason, "{status} {body}");
    }
}
