//! Checks for passwords that sit in structure (a URL's userinfo, a `.pgpass` line, a Docker
//! `auth` field, a framework's secret-key setting) rather than in a provider's token format.
//!
//! Such values are chosen by people, so the shape alone proves nothing: these checks reject the
//! stand-ins that documentation, compose files and tutorials are full of (`user:password@`,
//! `postgres:postgres@`, `${DB_PASSWORD}`, `<password>`, `****`), and keep what looks chosen.

use std::collections::BTreeMap;

use super::encoding as b64;
use super::placeholder::is_placeholder;
use super::verdict::{Strength, Verdict};

/// Passwords that tutorials, default images and compose files use; never reported.
const STAND_INS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "changeme",
    "admin",
    "root",
    "guest",
    "test",
    "testing",
    "user",
    "username",
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "rabbitmq",
    "mongo",
    "mongodb",
    "default",
    "letmein",
    "qwerty",
    "hunter2",
    "foobar",
    "foo",
    "bar",
    "demo",
    "dev",
    "local",
    "localhost",
    "sa",
    "oracle",
    "docker",
    "airflow",
    "superset",
    "minio",
    "minioadmin",
    "sonar",
    "keycloak",
    "grafana",
    "elastic",
    "kibana",
    "neo4j",
    "secretpassword",
    "mypassword",
    "mysecretpassword",
    "yourpassword",
    "pa55word",
    "p@ssw0rd",
    "passw0rd",
    "s3cr3t",
    "xxx",
    "s3cret",
    "secret123",
    "password1",
    "password123",
    "pass123",
    "admin123",
    "root123",
    "test123",
    "123456",
    "12345678",
    "changeit",
    "pa$$word",
    "pa$$w0rd",
];

/// Words whose presence makes a value a description of a credential, not one.
const DESCRIPTIVE: &[&str] = &[
    "password", "passwd", "secret", "token", "changeme", "example",
];

/// `url-password`: the password part of `scheme://user:password@host` (or a `.pgpass` or
/// `.netrc` line); `user` is the rule's `context` group when it has one.
pub fn url_password(password: &str, user: Option<&str>) -> Verdict {
    let decoded = percent_decode(password);
    let p = decoded.as_str();
    let lower = p.to_ascii_lowercase();
    let rejected = p.len() < 4
        || is_placeholder(p)
        || STAND_INS.contains(&lower.as_str())
        || user.is_some_and(|u| u.eq_ignore_ascii_case(p))
        || DESCRIPTIVE.iter().any(|w| lower.contains(w))
        || p.starts_with([':', '{', '<', '*', '$', '%'])
        || p.bytes().all(|b| b == b'*' || b == b'x' || b == b'X' || b == b'.')
        // A short word (`hunter`, `Airflow`, `TOKEN`) is a default, not a generated password.
        || (p.len() < 10 && p.bytes().all(|b| b.is_ascii_alphabetic()));
    if rejected {
        return Verdict::Invalid;
    }
    let mut facts = BTreeMap::new();
    if let Some(user) = user {
        facts.insert("username".to_string(), user.to_string());
    }
    Verdict::with_facts(Strength::Plausible, facts)
}

/// `password`: a value that a file's own structure marks as a password (a `.env`
/// `*_PASSWORD`, a YAML or properties `password`, a PHP `define`, `IDENTIFIED BY`). Reported
/// whatever its entropy: a weak password committed in a credential file is still a leak. Only
/// references, empty values, stand-ins, and code (an identifier, an attribute path, a call)
/// are not.
pub fn password(value: &str) -> Verdict {
    let is_code = {
        let snake = value.contains('_')
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let path = value.contains('.')
            && value.split('.').all(|p| {
                !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            })
            && value
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic());
        let word = value.trim_end_matches([';', ',']).to_ascii_lowercase();
        let literal =
            ["true", "false", "null", "none", "nil", "undefined"].contains(&word.as_str());
        // A hex integer (`_NSS_BUFLEN_PASSWD = 0x400` in a Go constant block) is a number.
        let hex_int = value
            .strip_prefix("0x")
            .or_else(|| value.strip_prefix("0X"))
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()));
        // A statement (`this.password = null;`) or a call is code, not a value.
        snake || path || literal || hex_int || value.ends_with([')', ',', ';'])
    };
    // `(`, `[`, `@`: code; a backtick: shell command substitution (`oldpwd=`pwd``).
    if is_code || value.starts_with(['(', '[', '@', '`']) {
        return Verdict::Invalid;
    }
    url_password(value, None)
}

/// `base64-password`: a password stored base64-encoded (FileZilla's `<Pass
/// encoding="base64">`, `.npmrc`'s `_password`), judged decoded as [`password`].
pub fn base64_password(secret: &str) -> Verdict {
    let Some(text) = b64::decode(secret).and_then(|b| String::from_utf8(b).ok()) else {
        return Verdict::Invalid;
    };
    if text.is_empty() || text.chars().any(char::is_control) {
        return Verdict::Invalid;
    }
    password(&text)
}

/// `basic-auth-b64`: base64 of `user:password`, as in Docker's `config.json` `auth` field and
/// npm's `_auth`. The decoded password must pass [`url_password`]; the user name is a fact.
pub fn basic_auth_b64(secret: &str) -> Verdict {
    let Some(bytes) = b64::decode(secret) else {
        return Verdict::Invalid;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Verdict::Invalid;
    };
    let Some((user, password)) = text.split_once(':') else {
        return Verdict::Invalid;
    };
    if user.is_empty() || password.contains(['\n', '\r']) {
        return Verdict::Invalid;
    }
    url_password(password, Some(user))
}

/// `opaque-token`: a registry or bearer token stored in a config file (`.npmrc`'s
/// `_authToken`, a kubeconfig `token:`), whose format is the registry's own. It must mix
/// letters and digits and must not describe itself (`NPM_TOKEN_HERE`, `my-secret-token`).
pub fn opaque_token(secret: &str) -> Verdict {
    let lower = secret.to_ascii_lowercase();
    let mixed = secret.bytes().any(|b| b.is_ascii_alphabetic())
        && secret.bytes().any(|b| b.is_ascii_digit());
    if !mixed || is_placeholder(secret) || DESCRIPTIVE.iter().any(|w| lower.contains(w)) {
        return Verdict::Invalid;
    }
    Verdict::pass(Strength::Plausible)
}

/// `framework-secret`: a web framework's signing key (Django and Flask `SECRET_KEY`). These
/// keys legitimately contain `(`, `$` and `%`, which the general placeholder check treats as
/// code, so rules using this check set `allow_placeholders` and this check does the rest.
pub fn framework_secret(secret: &str) -> Verdict {
    let lower = secret.to_ascii_lowercase();
    const MARKERS: &[&str] = &[
        "os.environ",
        "getenv",
        "env(",
        "env.",
        "config(",
        "${",
        "{{",
        "changeme",
        "change-me",
        "change_me",
        "change-this",
        "change_this",
        "your",
        "example",
        "placeholder",
        "dummy",
        "replace",
        "not-secret",
        "notsecret",
        "not_secret",
        "secret-key",
        "secret_key",
        "secretkey",
        "xxxxxx",
        "******",
        "todo",
        "fixme",
        "<",
        ">",
        "unique phrase",
    ];
    let mut distinct = [false; 256];
    for b in secret.bytes() {
        distinct[b as usize] = true;
    }
    let distinct = distinct.iter().filter(|&&d| d).count();
    if secret.len() < 16 || distinct < 10 || MARKERS.iter().any(|m| lower.contains(m)) {
        return Verdict::Invalid;
    }
    let mut facts = BTreeMap::new();
    if lower.starts_with("django-insecure-") {
        facts.insert("django_insecure".to_string(), "true".to_string());
    }
    Verdict::with_facts(Strength::Plausible, facts)
}

/// Decodes `%XX` escapes (URLs carry reserved characters of passwords encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Proof;

    #[test]
    fn url_passwords_keep_chosen_values() {
        assert!(matches!(
            url_password("Xk9#mQ2vLp", Some("app")),
            Verdict::Valid(_)
        ));
        assert!(matches!(
            url_password("s%40fe-Pa55%21x", Some("svc")),
            Verdict::Valid(_)
        ));
        assert!(matches!(
            url_password("correcthorsebattery", None),
            Verdict::Valid(_)
        ));
    }

    #[test]
    fn url_passwords_reject_stand_ins() {
        for (p, u) in [
            ("password", Some("user")),
            ("postgres", Some("postgres")),
            ("Admin", None),
            ("${DB_PASSWORD}", Some("app")),
            ("<password>", None),
            ("****", None),
            ("xxxxxxxx", None),
            ("hunter", None),
            ("samepass1", Some("samepass1")),
            ("my-password-1", None),
            ("%s", None),
            ("TOKEN", None),
            ("s3cret", Some("admin")),
            ("mysecret-1", None),
        ] {
            assert_eq!(url_password(p, u), Verdict::Invalid, "{p}");
        }
    }

    #[test]
    fn basic_auth_decodes_user_and_password() {
        // base64("deploy:Vq8#Lr2xZt7m")
        let Verdict::Valid(Proof { facts, .. }) = basic_auth_b64("ZGVwbG95OlZxOCNMcjJ4WnQ3bQ==")
        else {
            panic!("rejected")
        };
        assert_eq!(facts["username"], "deploy");
        // base64("user:password")
        assert_eq!(basic_auth_b64("dXNlcjpwYXNzd29yZA=="), Verdict::Invalid);
        assert_eq!(basic_auth_b64("bm8tY29sb24taGVyZQ=="), Verdict::Invalid);
    }

    #[test]
    fn passwords_in_credential_files() {
        for p in [
            "Winter2024!",
            "Qw7!zR2x-Lm9",
            "correcthorsebattery",
            "s3cr3t-Pw",
        ] {
            assert!(matches!(password(p), Verdict::Valid(_)), "{p}");
        }
        for p in [
            "${DB_PASSWORD}",
            "<%= ENV['DB_PASSWORD'] %>",
            "db_password_from_env",
            "settings.db.password",
            "get_password()",
            "String",
            "changeme",
            "true",
            "null;",
            "",
            "0x400",
            "`pwd`",
        ] {
            assert_eq!(password(p), Verdict::Invalid, "{p}");
        }
        // base64("Wq9#vLm2Tz") and base64("password")
        assert!(matches!(
            base64_password("V3E5I3ZMbTJUeg=="),
            Verdict::Valid(_)
        ));
        assert_eq!(base64_password("cGFzc3dvcmQ="), Verdict::Invalid);
    }

    #[test]
    fn opaque_tokens() {
        assert!(matches!(
            opaque_token("3f2c9a1e-7b4d-4e8a-9c6f-0d1e2f3a4b5c"),
            Verdict::Valid(_)
        ));
        assert_eq!(opaque_token("NPM_TOKEN_HERE"), Verdict::Invalid);
        assert_eq!(opaque_token("abcdefghijklmnopq"), Verdict::Invalid);
    }

    #[test]
    fn framework_secrets() {
        assert!(matches!(
            framework_secret("django-insecure-q8#v(2kz!m4^w7b@x0r$l3t%y6n*e1p-s9u&f5h"),
            Verdict::Valid(_)
        ));
        assert_eq!(
            framework_secret("change-me-in-production"),
            Verdict::Invalid
        );
        assert_eq!(
            framework_secret("os.environ.get('SECRET_KEY')"),
            Verdict::Invalid
        );
        assert_eq!(
            framework_secret("aaaaaaaaaaaaaaaaaaaaaaaa"),
            Verdict::Invalid
        );
    }
}
