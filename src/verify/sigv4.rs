//! AWS Signature Version 4, and the one AWS call keyhound makes with it: STS
//! `GetCallerIdentity`, which any valid key may call (no IAM permission can deny it), which
//! changes nothing and costs nothing, and whose answer names the account, user and ARN.
//!
//! The signer is general (any method, path, query, headers and payload) so that it can be
//! checked against the published AWS SigV4 test suite; the verifier only ever signs one
//! fixed request. Everything here is pure: no network, no clock (the caller passes the time).
//!
//! HMAC-SHA256 comes from `ring` (the crypto rustls already uses, so no second library), the
//! payload and canonical-request hashes from `sha2`.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use ring::hmac;
use sha2::{Digest, Sha256};

use super::{printable, Liveness, Outcome, Request, Response};

/// The signing algorithm's name, as it appears in the string to sign and the header.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// STS's global endpoint, signed for us-east-1.
pub const STS_HOST: &str = "sts.amazonaws.com";
const STS_REGION: &str = "us-east-1";
const STS_SERVICE: &str = "sts";
/// The whole `GetCallerIdentity` call: a form body, no parameters.
pub const CALLER_IDENTITY_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Who signs: an access key id, its secret, and for temporary credentials the session token.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub key_id: &'a str,
    pub secret: &'a str,
    pub session_token: Option<&'a str>,
}

/// A request to sign, as it will be sent.
#[derive(Debug, Clone, Copy)]
pub struct Unsigned<'a> {
    pub method: &'a str,
    /// The path, not yet percent-encoded (`/`, `/example space/`); dot segments and repeated
    /// slashes are normalised away as AWS does for every service but S3.
    pub path: &'a str,
    /// The query string as it appears in the URL, without `?` (may already hold `%XX`).
    pub query: &'a str,
    /// The headers to sign, `Host` among them. `X-Amz-Date` and `X-Amz-Security-Token` are
    /// added by the signer.
    pub headers: &'a [(&'a str, &'a str)],
    pub payload: &'a [u8],
}

/// The result of signing, with every intermediate the test suite publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// `YYYYMMDD'T'HHMMSS'Z'`, the `X-Amz-Date` value.
    pub amz_date: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    /// Lower-case hex HMAC of the string to sign.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
    /// The headers the signer adds to the request, in the order to send them:
    /// `X-Amz-Date`, then `X-Amz-Security-Token` when there is one, then `Authorization`.
    pub added_headers: Vec<(String, String)>,
}

/// Signs `request` for `region` and `service` at `time`.
pub fn sign(
    request: &Unsigned<'_>,
    credentials: &Credentials<'_>,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Signed {
    let amz_date = amz_date(time);
    let date = &amz_date[..8];

    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), canonical_value(value)))
        .collect();
    headers.push(("x-amz-date".into(), amz_date.clone()));
    if let Some(token) = credentials.session_token {
        headers.push(("x-amz-security-token".into(), canonical_value(token)));
    }
    // Sort by name only (stable), so repeated headers keep their order when joined below.
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let mut canonical_headers = String::new();
    let mut signed_headers = String::new();
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(name.as_str()) {
            canonical_headers.push(',');
        } else {
            if previous.is_some() {
                canonical_headers.push('\n');
                signed_headers.push(';');
            }
            canonical_headers.push_str(name);
            canonical_headers.push(':');
            signed_headers.push_str(name);
        }
        canonical_headers.push_str(value);
        previous = Some(name.as_str());
    }
    canonical_headers.push('\n');

    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(request.path),
        canonical_query(request.query),
        canonical_headers,
        signed_headers,
        hex(&Sha256::digest(request.payload)),
    );
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );

    let key = signing_key(credentials.secret, date, region, service);
    let signature = hex(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.key_id
    );

    let mut added_headers = vec![("X-Amz-Date".to_string(), amz_date.clone())];
    if let Some(token) = credentials.session_token {
        added_headers.push(("X-Amz-Security-Token".to_string(), token.to_string()));
    }
    added_headers.push(("Authorization".to_string(), authorization.clone()));

    Signed {
        amz_date,
        canonical_request,
        string_to_sign,
        signature,
        authorization,
        added_headers,
    }
}

/// The key derived from the secret for one day, region and service: the HMAC chain
/// `"AWS4" + secret` -> date -> region -> service -> `aws4_request`.
fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> hmac::Key {
    let mut key = hmac::Key::new(hmac::HMAC_SHA256, format!("AWS4{secret}").as_bytes());
    for part in [date, region, service, "aws4_request"] {
        let tag = hmac::sign(&key, part.as_bytes());
        key = hmac::Key::new(hmac::HMAC_SHA256, tag.as_ref());
    }
    key
}

/// A header value as signed: trimmed, with each run of spaces collapsed to one.
fn canonical_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The path with `.`/`..` segments resolved and empty segments dropped, each segment
/// percent-encoded; a trailing slash is kept.
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_into(&mut out, segment.as_bytes());
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// The query's parameters decoded, re-encoded the SigV4 way and sorted by name, then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                encode(&percent_decode(name)),
                encode(&percent_decode(value)),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    encode_into(&mut out, bytes);
    out
}

/// SigV4's URI encoding: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX` (upper case).
fn encode_into(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// `time` as `YYYYMMDD'T'HHMMSS'Z'` (UTC); times before 1970 are clamped to the epoch (no
/// real clock reads that, and a signature for them would be refused anyway).
fn amz_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2));
    // "2015-08-30T12:36:00+00:00" -> "20150830T123600Z"
    let rfc = crate::date::rfc3339(seconds, 0);
    let mut out: String = rfc[..19]
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    out.push('Z');
    out
}

/// The signed STS `GetCallerIdentity` request for a key id and secret (and session token,
/// for temporary `ASIA...` credentials). The `Host` header is part of the signature, so the
/// transport must send it as given (it equals the URL's host) and add no other.
pub fn get_caller_identity(
    key_id: &str,
    secret: &str,
    session_token: Option<&str>,
    time: SystemTime,
) -> Request {
    const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
    let headers = [("Host", STS_HOST), ("Content-Type", CONTENT_TYPE)];
    let signed = sign(
        &Unsigned {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            payload: CALLER_IDENTITY_BODY.as_bytes(),
        },
        &Credentials {
            key_id,
            secret,
            session_token,
        },
        STS_REGION,
        STS_SERVICE,
        time,
    );
    let mut all: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    all.extend(signed.added_headers);
    Request {
        method: "POST",
        url: format!("https://{STS_HOST}/"),
        headers: all,
        body: CALLER_IDENTITY_BODY.as_bytes().to_vec(),
    }
}

/// Judges STS's answer to `GetCallerIdentity`.
///
/// Only an answer that says so is `revoked`: AWS's error codes for an unknown key id, a
/// secret that does not match it, or an expired session token. Throttling, 5xx, other
/// errors and anything that is not the XML STS sends are `unknown`.
pub fn judge_caller_identity(r: &Response) -> Outcome {
    let body = String::from_utf8_lossy(&r.body);
    let looks_like_xml = body.trim_start().starts_with('<');
    if r.status >= 500 {
        return Outcome::unknown(format!("HTTP {}", r.status));
    }
    if !looks_like_xml {
        return Outcome::unknown(format!("HTTP {}: not an STS answer", r.status));
    }
    if r.status == 200 {
        let (Some(arn), Some(account), Some(user_id)) = (
            element(&body, "Arn"),
            element(&body, "Account"),
            element(&body, "UserId"),
        ) else {
            return Outcome::unknown("HTTP 200 without a caller identity");
        };
        return Outcome {
            liveness: Liveness::Live,
            reason: format!("caller identity: {arn}"),
            reach: vec![
                ("account".into(), account),
                ("arn".into(), arn),
                ("user id".into(), user_id),
            ],
        };
    }
    let code = element(&body, "Code").unwrap_or_default();
    let revoked = |reason: &str| Outcome {
        liveness: Liveness::Revoked,
        reason: reason.to_string(),
        reach: Vec::new(),
    };
    match (r.status, code.as_str()) {
        (400..=499, "InvalidClientTokenId") => revoked("key id not valid"),
        (400..=499, "SignatureDoesNotMatch") => revoked("secret does not match key id"),
        (400..=499, "ExpiredToken") => revoked("session token expired"),
        (_, "Throttling" | "ThrottlingException" | "RequestLimitExceeded") => {
            Outcome::unknown("rate limited")
        }
        (status, "") => Outcome::unknown(format!("HTTP {status}")),
        (status, code) => Outcome::unknown(format!("HTTP {status}: {}", printable(code))),
    }
}

/// The text of the first `<name>...</name>` element (entities decoded, trimmed), when it is
/// there and holds no markup. Enough for STS's flat, known answers; not a general parser.
fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let len = xml[start..].find(&close)?;
    let text = xml[start..start + len].trim();
    if text.is_empty() || text.contains('<') {
        return None;
    }
    Some(printable(&unescape_xml(text)))
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests;
