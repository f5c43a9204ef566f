//! The only code in keyhound that opens a network connection, and the rules it keeps:
//!
//! - TLS only (rustls), except to a loopback `--verify-endpoint`;
//! - the request's host must be the one its verifier declared;
//! - redirects are never followed (a 3xx is returned as it is, and judged `unknown`);
//! - a connect timeout, a per-request timeout, and a run-wide deadline;
//! - a global rate (requests started per second) and a per-host concurrency cap;
//! - the answer's body is capped;
//! - `HTTPS_PROXY`/`https_proxy` is honoured, except for hosts `NO_PROXY` lists;
//! - failures are fixed short phrases, never an error's text: errors can quote the URL,
//!   which may hold a query-parameter secret.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use ureq::config::AutoHeaderValue;
use ureq::Agent;

use super::endpoint::{authority, is_loopback};
use super::http::Prepared;
use super::{Options, Response};

/// The most of an answer's body read; a whoami answer is a few KB.
pub const MAX_BODY_BYTES: u64 = 256 * 1024;

/// Sends prepared requests under the limits of one run.
pub struct Transport {
    direct: Agent,
    /// With the proxy from the environment, and the hosts `NO_PROXY` exempts.
    proxied: Option<(Agent, Vec<String>)>,
    /// For loopback `--verify-endpoint` servers: plain HTTP allowed, never proxied.
    local: Agent,
    timeout: Duration,
    deadline: Instant,
    /// When the next request may start (the global rate).
    next_start: Mutex<Instant>,
    interval: Duration,
    per_host: usize,
    in_flight: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

impl Transport {
    /// A transport for one run; the deadline starts now.
    pub fn new(options: &Options) -> Transport {
        let agent = |https_only: bool, proxy: Option<ureq::Proxy>| -> Agent {
            Agent::config_builder()
                .https_only(https_only)
                .proxy(proxy)
                .max_redirects(0)
                .http_status_as_error(false)
                .timeout_connect(Some(options.timeout))
                .timeout_global(Some(options.timeout))
                .user_agent(AutoHeaderValue::None)
                .build()
                .new_agent()
        };
        let proxied = proxy_from_env().map(|(proxy, exempt)| (agent(true, Some(proxy)), exempt));
        let now = Instant::now();
        Transport {
            direct: agent(true, None),
            proxied,
            local: agent(false, None),
            timeout: options.timeout,
            deadline: now + options.deadline,
            next_start: Mutex::new(now),
            interval: Duration::from_secs_f64(1.0 / options.rate.max(0.001)),
            per_host: options.per_host.max(1),
            in_flight: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// Whether the run's deadline has passed.
    pub fn past_deadline(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Sends `prepared`; a failure is a short fixed phrase.
    pub fn send(&self, prepared: &Prepared) -> Result<Response, &'static str> {
        let url = url::Url::parse(&prepared.request.url).map_err(|_| "bad request URL")?;
        let host = url.host_str().unwrap_or_default();
        let local = prepared.plain_http && is_loopback(host);
        match url.scheme() {
            "https" => {}
            "http" if local => {}
            _ => return Err("refused: not https"),
        }
        if authority(&url) != prepared.host {
            return Err("refused: not the verifier's host");
        }
        self.wait_for_start()?;
        let _slot = self.host_slot(&prepared.host)?;
        let remaining = self.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err("deadline");
        }
        // A loopback test server is never reached through a proxy.
        let agent = if local || is_loopback(host) {
            &self.local
        } else {
            match &self.proxied {
                Some((agent, exempt)) if !exempt.iter().any(|e| no_proxy_covers(e, host)) => agent,
                _ => &self.direct,
            }
        };
        self.exchange(agent, prepared, self.timeout.min(remaining))
    }

    fn exchange(
        &self,
        agent: &Agent,
        prepared: &Prepared,
        timeout: Duration,
    ) -> Result<Response, &'static str> {
        let request = &prepared.request;
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        let http_request = builder
            .body(request.body.clone())
            .map_err(|_| "bad request")?;
        let http_request = agent
            .configure_request(http_request)
            .timeout_global(Some(timeout))
            .build();
        let mut response = agent.run(http_request).map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(failure)?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// Waits for the global rate to allow one more request.
    fn wait_for_start(&self) -> Result<(), &'static str> {
        let start = {
            let mut next = self.next_start.lock().unwrap_or_else(|e| e.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + self.interval;
            start
        };
        if start >= self.deadline {
            return Err("deadline");
        }
        std::thread::sleep(start.saturating_duration_since(Instant::now()));
        Ok(())
    }

    /// Waits for a free slot for `host` (at most `per_host` requests in flight to it).
    fn host_slot(&self, host: &str) -> Result<HostSlot<'_>, &'static str> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let count = in_flight.entry(host.to_string()).or_default();
            if *count < self.per_host {
                *count += 1;
                return Ok(HostSlot {
                    transport: self,
                    host: host.to_string(),
                });
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err("deadline");
            }
            in_flight = self
                .freed
                .wait_timeout(in_flight, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// How many requests are in flight to `host` now (tests hold it to `per_host`).
    pub fn in_flight(&self, host: &str) -> usize {
        let in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        in_flight.get(host).copied().unwrap_or(0)
    }
}

/// One request's claim on its host's concurrency; released when dropped.
struct HostSlot<'t> {
    transport: &'t Transport,
    host: String,
}

impl Drop for HostSlot<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .transport
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = in_flight.get_mut(&self.host) {
            *count = count.saturating_sub(1);
        }
        self.transport.freed.notify_all();
    }
}

/// A client error as a fixed phrase: never its text, which may quote the URL.
fn failure(error: ureq::Error) -> &'static str {
    use ureq::Error as E;
    match error {
        E::Timeout(_) => "timed out",
        E::HostNotFound => "host not found",
        E::ConnectionFailed => "connection failed",
        E::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => "timed out",
        E::Io(_) => "network error",
        E::BodyExceedsLimit(_) => "answer too large",
        E::Tls(_) | E::Rustls(_) | E::Pem(_) | E::TlsRequired => "TLS failed",
        E::ConnectProxyFailed(_) | E::InvalidProxyUrl => "proxy failed",
        E::TooManyRedirects | E::RedirectFailed => "redirected, not followed",
        E::RequireHttpsOnly(_) => "refused: not https",
        E::Protocol(_) | E::LargeResponseHeader(..) | E::BodyStalled => "malformed answer",
        _ => "request failed",
    }
}

/// The proxy `HTTPS_PROXY` (or `https_proxy`) names, and the `NO_PROXY` (`no_proxy`)
/// entries; `None` without one, or when it cannot be parsed (then connections go direct,
/// which is what a client without the variable does).
fn proxy_from_env() -> Option<(ureq::Proxy, Vec<String>)> {
    let var = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
    };
    let proxy = var(&["HTTPS_PROXY", "https_proxy"])?;
    let proxy = ureq::Proxy::new(proxy.trim()).ok()?;
    let exempt = var(&["NO_PROXY", "no_proxy"])
        .map(|list| {
            list.split(',')
                .map(|e| e.trim().to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Some((proxy, exempt))
}

/// Whether a `NO_PROXY` entry covers `host`: `*`, the host itself, or a domain it is in
/// (`example.com`, `.example.com` and `*.example.com` all cover `api.example.com`). A port
/// on the entry is ignored.
pub fn no_proxy_covers(entry: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let entry = entry.rsplit_once(':').map_or(entry, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) && !h.contains(':') {
            h
        } else {
            entry
        }
    });
    if entry == "*" {
        return true;
    }
    let domain = entry.trim_start_matches('*').trim_start_matches('.');
    host == domain || host.ends_with(&format!(".{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_entries_cover_hosts_and_their_subdomains() {
        assert!(no_proxy_covers("*", "api.openai.com"));
        assert!(no_proxy_covers("openai.com", "api.openai.com"));
        assert!(no_proxy_covers(".openai.com", "api.openai.com"));
        assert!(no_proxy_covers("*.openai.com", "api.openai.com"));
        assert!(no_proxy_covers("api.openai.com:443", "api.openai.com"));
        assert!(!no_proxy_covers("openai.com", "notopenai.com"));
        assert!(!no_proxy_covers("huggingface.co", "api.openai.com"));
    }

    #[test]
    fn requests_off_their_declared_host_or_off_tls_are_refused_unsent() {
        let transport = Transport::new(&Options::default());
        let prepared = |url: &str, host: &str, plain_http: bool| Prepared {
            request: super::super::Request {
                method: "GET",
                url: url.into(),
                headers: vec![],
                body: vec![],
            },
            host: host.into(),
            plain_http,
        };
        let cases = [
            prepared("http://api.example.com/x", "api.example.com", false),
            prepared("http://api.example.com/x", "api.example.com", true),
            prepared("https://evil.example/x", "api.example.com", false),
            prepared(
                "https://api.example.com.evil.example/x",
                "api.example.com",
                false,
            ),
        ];
        for p in &cases {
            let e = transport.send(p).unwrap_err();
            assert!(e.starts_with("refused"), "{}: {e}", p.request.url);
        }
    }

    #[test]
    fn nothing_is_sent_after_the_deadline() {
        let options = Options {
            deadline: Duration::ZERO,
            ..Options::default()
        };
        let transport = Transport::new(&options);
        let p = Prepared {
            request: super::super::Request {
                method: "GET",
                url: "https://api.example.com/x".into(),
                headers: vec![],
                body: vec![],
            },
            host: "api.example.com".into(),
            plain_http: false,
        };
        assert!(transport.past_deadline());
        assert_eq!(transport.send(&p).unwrap_err(), "deadline");
    }
}
