//! `--verify-endpoint KEY=URL`: a test server standing in for a provider.
//!
//! This exists so verifiers can be exercised against a local mock (keyhound's own tests, a
//! rule author's). It is loopback-only by construction: a secret can be sent to a server
//! on this machine, never to another host, whatever the flag says.

use std::net::IpAddr;

/// One override: requests a verifier would send to the provider go to `base` instead
/// (scheme, host and port replaced; the path and query kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// What it stands in for, lower case: `*` (every verifier), a rule id, a provider name
    /// (`huggingface`) or a provider host (`api.openai.com`).
    pub key: String,
    pub base: url::Url,
}

impl Override {
    /// Parses `KEY=URL`; the URL must be `http://` or `https://` on a loopback address.
    pub fn parse(text: &str) -> Result<Override, String> {
        let (key, url) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?} is not KEY=URL"))?;
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() {
            return Err(format!("{text:?} names no provider before `=`"));
        }
        let base = url::Url::parse(url.trim()).map_err(|e| format!("{url:?}: {e}"))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(format!("{url:?} must be an http:// or https:// URL"));
        }
        if !is_loopback(base.host_str().unwrap_or_default()) {
            return Err(format!(
                "{url:?} is not a loopback address (127.0.0.1, ::1, localhost): \
                 --verify-endpoint is for local test servers only"
            ));
        }
        Ok(Override { key, base })
    }

    /// Whether this override stands in for the verifier of `rule_id` (of `provider`) that
    /// calls `host`.
    pub fn covers(&self, rule_id: &str, provider: Option<&str>, host: &str) -> bool {
        self.key == "*"
            || self.key == rule_id
            || self.key == host
            || provider.is_some_and(|p| p.to_ascii_lowercase() == self.key)
    }

    /// The host (and port) requests then go to, as the transport checks it.
    pub fn authority(&self) -> String {
        authority(&self.base)
    }
}

/// `host` or `host:port`, as a URL names it.
pub fn authority(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Whether `host` (as a URL writes it: IPv6 in brackets) is this machine.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_servers_may_stand_in() {
        let o = Override::parse("HuggingFace=http://127.0.0.1:8080").unwrap();
        assert_eq!(o.key, "huggingface");
        assert_eq!(o.authority(), "127.0.0.1:8080");
        assert!(o.covers(
            "huggingface-user-token",
            Some("HuggingFace"),
            "huggingface.co"
        ));
        assert!(!o.covers("openai-project-key", Some("OpenAI"), "api.openai.com"));
        assert!(Override::parse("*=http://[::1]:9").is_ok());
        assert!(Override::parse("*=http://localhost:9").is_ok());
        for bad in [
            "*=http://10.0.0.1:80",
            "*=https://evil.example",
            "*=ftp://127.0.0.1",
            "http://127.0.0.1:80",
            "=http://127.0.0.1:80",
        ] {
            assert!(Override::parse(bad).is_err(), "{bad}");
        }
    }
}
