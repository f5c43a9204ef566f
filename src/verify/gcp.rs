//! The Google Cloud service-account key check: an OAuth 2.0 JWT-bearer token exchange.
//!
//! A service-account key file holds an RSA private key. The only way to learn whether
//! Google still honours it is to use it: sign a short JWT assertion with the key and ask
//! Google's token endpoint for an access token. That exchange changes no state, costs
//! nothing, and asks only for the read-only cloud-platform scope; the access token that
//! comes back is never used, stored or shown.
//!
//! The key goes (as a signature, never itself) only to Google's token endpoint: whatever
//! `token_uri` a document names, the request goes to [`TOKEN_URI`].
//!
//! Pure: no network, no clock (the caller passes the time).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use serde_json::Value;

use super::{printable, Liveness, Outcome, Request, Response};

/// Google's OAuth 2.0 token endpoint, and the audience every assertion names.
pub const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// The endpoint older key files name; Google still documents it. Accepted in a document, but
/// the request goes to [`TOKEN_URI`] (Google's documented audience for every token request).
pub const LEGACY_TOKEN_URI: &str = "https://accounts.google.com/o/oauth2/token";
/// The narrowest scope that covers the whole project read-only.
pub const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform.read-only";
/// Assertions live as long as Google allows, one hour.
const LIFETIME_SECONDS: u64 = 3600;
/// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, form-encoded.
const GRANT: &str = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer";

/// How many candidate objects [`parse`] tries before it gives up on a text: bounds the work
/// a large or hostile document can cause.
const MAX_ATTEMPTS: usize = 256;
/// How many levels of string escaping [`parse`] undoes (a key file inside a JSON string
/// inside another).
const MAX_ESCAPE_LEVELS: usize = 2;

/// What the check needs from a service-account key file.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceAccount {
    pub client_email: String,
    /// The PEM of the PKCS#8 RSA private key (`-----BEGIN PRIVATE KEY-----`).
    pub private_key_pem: String,
    pub private_key_id: String,
    /// Always [`TOKEN_URI`]: see the module documentation.
    pub token_uri: String,
}

/// Never prints the private key.
impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_email", &self.client_email)
            .field("private_key_pem", &"<redacted>")
            .field("private_key_id", &self.private_key_id)
            .field("token_uri", &self.token_uri)
            .finish()
    }
}

/// Finds a service-account key object in `document`: the whole text as JSON, an object
/// inside other text (code, YAML, a log), or one held in a string with escaped quotes
/// (`"{\"type\": \"service_account\", ...}"`), at any depth of JSON. `None` when there is
/// none with a client email, a PEM private key and a key id.
pub fn parse(document: &str) -> Option<ServiceAccount> {
    let mut attempts = 0;
    let mut text = std::borrow::Cow::Borrowed(document);
    for _ in 0..=MAX_ESCAPE_LEVELS {
        if let Some(found) = find_in_text(&text, &mut attempts) {
            return Some(found);
        }
        if !text.contains("\\\"") || attempts >= MAX_ATTEMPTS {
            return None;
        }
        text = std::borrow::Cow::Owned(unescape(&text));
    }
    None
}

/// The whole text as JSON, else each JSON object that starts at one of the last few `{`
/// before a `service_account` marker.
fn find_in_text(text: &str, attempts: &mut usize) -> Option<ServiceAccount> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        *attempts += 1;
        if let Some(found) = find_in_value(&value, 0, attempts) {
            return Some(found);
        }
    }
    const LOOK_BACK: usize = 16;
    for (marker, _) in text.match_indices("service_account") {
        let starts: Vec<usize> = text[..marker]
            .rmatch_indices('{')
            .take(LOOK_BACK)
            .map(|(i, _)| i)
            .collect();
        for start in starts {
            if *attempts >= MAX_ATTEMPTS {
                return None;
            }
            *attempts += 1;
            let mut values =
                serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
            if let Some(Ok(value)) = values.next() {
                if let Some(found) = find_in_value(&value, 0, attempts) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// A key object in `value` or nested in it; a string holding a key file is parsed in turn.
fn find_in_value(value: &Value, depth: usize, attempts: &mut usize) -> Option<ServiceAccount> {
    const MAX_DEPTH: usize = 16;
    if depth > MAX_DEPTH || *attempts >= MAX_ATTEMPTS {
        return None;
    }
    match value {
        Value::Object(map) => {
            if let Some(found) = service_account(map) {
                return Some(found);
            }
            map.values()
                .find_map(|v| find_in_value(v, depth + 1, attempts))
        }
        Value::Array(items) => items
            .iter()
            .find_map(|v| find_in_value(v, depth + 1, attempts)),
        Value::String(s) if s.contains("service_account") => {
            *attempts += 1;
            let inner = serde_json::from_str::<Value>(s).ok()?;
            find_in_value(&inner, depth + 1, attempts)
        }
        _ => None,
    }
}

fn service_account(map: &serde_json::Map<String, Value>) -> Option<ServiceAccount> {
    let field = |name: &str| map.get(name).and_then(Value::as_str).map(str::trim);
    if field("type").is_some_and(|t| t != "service_account") {
        return None;
    }
    let client_email = field("client_email").filter(|e| e.contains('@'))?;
    let private_key = map.get("private_key").and_then(Value::as_str)?;
    if !private_key.contains("-----BEGIN PRIVATE KEY-----") {
        return None;
    }
    let private_key_id = field("private_key_id").filter(|id| !id.is_empty())?;
    Some(ServiceAccount {
        client_email: client_email.to_string(),
        private_key_pem: private_key.to_string(),
        private_key_id: private_key_id.to_string(),
        token_uri: TOKEN_URI.to_string(),
    })
}

/// Undoes one level of JSON string escaping over a whole text: `\"`, `\\`, `\/`, `\n`,
/// `\r`, `\t` and `\uXXXX`; any other backslash is kept.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let rest = chars.as_str();
        match rest.chars().next() {
            Some(e @ ('"' | '\\' | '/')) => {
                out.push(e);
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('u') => match rest
                .get(1..5)
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32)
            {
                Some(decoded) => {
                    out.push(decoded);
                    for _ in 0..5 {
                        chars.next();
                    }
                }
                None => out.push('\\'),
            },
            _ => out.push('\\'),
        }
    }
    out
}

/// The token request: an RS256 JWT assertion for the read-only cloud-platform scope, signed
/// with the account's key, in a form POST to [`TOKEN_URI`]. Errors name the problem, never
/// any part of the key.
pub fn token_request(sa: &ServiceAccount, now: SystemTime) -> Result<Request, String> {
    let iat = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the clock reads before 1970".to_string())?
        .as_secs();
    let header = serde_json::json!({ "alg": "RS256", "typ": "JWT", "kid": sa.private_key_id });
    let claims = serde_json::json!({
        "iss": sa.client_email,
        "scope": SCOPE,
        "aud": TOKEN_URI,
        "iat": iat,
        "exp": iat + LIFETIME_SECONDS,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let der = pem_body(&sa.private_key_pem)?;
    let key = RsaKeyPair::from_pkcs8(&der).map_err(|rejected| {
        format!("the service account's private key is not a PKCS#8 RSA key ({rejected})")
    })?;
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        signing_input.as_bytes(),
        &mut signature,
    )
    .map_err(|_| "signing the token assertion failed".to_string())?;
    let assertion = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    Ok(Request {
        method: "POST",
        url: TOKEN_URI.to_string(),
        headers: vec![(
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        )],
        body: format!("{GRANT}&assertion={assertion}").into_bytes(),
    })
}

/// The DER inside a `-----BEGIN PRIVATE KEY-----` PEM. Tolerates a PEM whose line breaks are
/// still written as the two characters `\n` (a key copied out of a JSON string by hand).
fn pem_body(pem: &str) -> Result<Vec<u8>, String> {
    const BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
    const END: &str = "-----END PRIVATE KEY-----";
    let not_pem = || "the service account's private key is not a PKCS#8 PEM".to_string();
    let start = pem.find(BEGIN).ok_or_else(not_pem)? + BEGIN.len();
    let len = pem[start..].find(END).ok_or_else(not_pem)?;
    let body: String = pem[start..start + len]
        .replace("\\n", "")
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    STANDARD
        .decode(body)
        .map_err(|_| "the service account's private key is not valid base64".to_string())
}

/// Judges Google's answer to the token request.
///
/// Live when Google grants a token. Revoked only on `invalid_grant` (a deleted or disabled
/// account or key: "Invalid JWT Signature.", "account not found"), except when Google says
/// the assertion's times are off, which is this machine's clock, not the key. Everything
/// else (429, 5xx, other errors, a body that is not JSON) is unknown.
pub fn judge_token(r: &Response) -> Outcome {
    if r.status == 429 {
        return Outcome::unknown("rate limited");
    }
    if r.status >= 500 {
        return Outcome::unknown(format!("HTTP {}", r.status));
    }
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(&r.body) else {
        return Outcome::unknown(format!("HTTP {}: not a token answer", r.status));
    };
    let text = |name: &str| body.get(name).and_then(Value::as_str);
    if r.status == 200 {
        if text("access_token").is_none_or(str::is_empty) {
            return Outcome::unknown("HTTP 200 without an access token");
        }
        let mut reach = vec![(
            "scope".to_string(),
            printable(text("scope").unwrap_or(SCOPE)),
        )];
        if let Some(seconds) = body.get("expires_in").and_then(Value::as_u64) {
            reach.push(("expires in".to_string(), format!("{seconds} s")));
        }
        return Outcome {
            liveness: Liveness::Live,
            reason: "token exchange: access token granted".into(),
            reach,
        };
    }
    let error = text("error").unwrap_or("");
    let description = printable(text("error_description").unwrap_or(""));
    let detail = if description.is_empty() {
        printable(error)
    } else {
        format!("{}: {description}", printable(error))
    };
    match (r.status, error) {
        (400 | 401, "invalid_grant") if is_about_time(&description) => {
            Outcome::unknown(format!("clock skew? {detail}"))
        }
        (400 | 401, "invalid_grant") => Outcome {
            liveness: Liveness::Revoked,
            reason: detail,
            reach: Vec::new(),
        },
        (status, "") => Outcome::unknown(format!("HTTP {status}")),
        (status, _) => Outcome::unknown(format!("HTTP {status}: {detail}")),
    }
}

/// [`judge_token`] with the account the key belongs to added to a live outcome's reach
/// (Google's answer does not name it).
pub fn judge_token_for(sa: &ServiceAccount, r: &Response) -> Outcome {
    let mut outcome = judge_token(r);
    if outcome.liveness == Liveness::Live {
        outcome
            .reach
            .insert(0, ("account".to_string(), sa.client_email.clone()));
    }
    outcome
}

/// Google's `invalid_grant` for an assertion outside its time window ("Token must be a
/// short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp
/// values in the JWT claim.").
fn is_about_time(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    d.contains("timeframe")
        || d.contains("short-lived")
        || d.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word == "iat" || word == "exp")
}

#[cfg(test)]
mod tests;
