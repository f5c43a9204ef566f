//! Accuracy on realistic fixtures for the code/package/CI, SaaS/messaging and structural rule
//! families: `corpus/accuracy/saas-structural/` holds config files, compose files, a
//! kubeconfig, credential files, lockfiles, framework settings and a README full of
//! placeholders. Every planted fake must be found by the right rule on the right line, and
//! nothing else may be reported: no placeholders, environment references, documentation
//! samples, hashes, git SHAs, integrity strings, public keys or LFS pointers.

use std::collections::BTreeSet;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn corpus() -> PathBuf {
    crate::common::corpus("accuracy/saas-structural")
}

/// (path relative to the corpus, line, rule id) of every planted credential.
const EXPECTED: &[(&str, u64, &str)] = &[
    (".env.production", 4, "postgres-connection-string"),
    (".env.production", 5, "redis-connection-string"),
    (".env.production", 6, "stripe-secret-key"),
    (".env.production", 8, "stripe-webhook-secret"),
    (".env.production", 9, "sendgrid-api-key"),
    (".env.production", 10, "slack-bot-token"),
    (".env.production", 11, "slack-webhook-url"),
    (".env.production", 14, "twilio-auth-token"),
    (".env.production", 15, "datadog-api-key"),
    (".env.production", 17, "sentry-dsn"),
    (".git-credentials", 1, "gitlab-routable-token"),
    (".git-credentials", 2, "url-credentials"),
    (".gitlab-ci.yml", 11, "gitlab-pipeline-trigger-token"),
    (".gitlab-ci.yml", 12, "pypi-api-token"),
    (".netrc", 3, "netrc-credentials"),
    (".npmrc", 3, "npm-access-token"),
    (".npmrc", 5, "npmrc-auth-token"),
    (".pgpass", 2, "pgpass-credentials"),
    ("app/api_client.py", 4, "jwt"),
    ("app/integrations.py", 5, "linear-api-key"),
    ("app/integrations.py", 6, "notion-integration-token"),
    ("app/integrations.py", 7, "figma-access-token"),
    ("app/integrations.py", 8, "postman-api-key"),
    ("app/integrations.py", 9, "shopify-access-token"),
    ("app/integrations.py", 10, "okta-api-token"),
    ("app/integrations.py", 11, "auth0-client-secret"),
    ("app/integrations.py", 12, "atlassian-api-token"),
    ("app/integrations.py", 13, "mapbox-secret-token"),
    (
        "app/integrations.py",
        14,
        "onepassword-service-account-token",
    ),
    ("app/integrations.py", 15, "sentry-org-token"),
    ("app/monitoring.py", 13, "newrelic-license-key"),
    ("app/monitoring.py", 14, "grafana-service-account-token"),
    ("app/monitoring.py", 15, "pagerduty-integration-key"),
    ("bot/discord_bot.py", 12, "discord-bot-token"),
    ("bot/notify.py", 3, "telegram-bot-token"),
    ("bot/notify.py", 4, "teams-incoming-webhook-url"),
    ("config/flask_app.py", 4, "flask-secret-key"),
    ("config/flask_app.py", 5, "mysql-connection-string"),
    ("config/settings.py", 7, "django-secret-key"),
    ("deploy/deploy.sh", 5, "vault-service-token"),
    ("deploy/deploy.sh", 6, "terraform-cloud-token"),
    ("deploy/deploy.sh", 7, "doppler-token"),
    ("deploy/registry.env", 3, "docker-hub-access-token"),
    ("deploy/registry.env", 4, "circleci-personal-token"),
    ("deploy/registry.env", 5, "rubygems-api-key"),
    ("deploy/registry.env", 6, "crates-io-api-token"),
    ("deploy/registry.env", 7, "nuget-api-key"),
    ("docker-compose.yml", 30, "amqp-connection-string"),
    ("docker/config.json", 4, "docker-config-auth"),
    ("frontend/src/config.ts", 7, "sentry-dsn"),
    ("keys/release-signing.asc", 1, "pgp-private-key"),
    ("kube/config", 18, "kubeconfig-client-key"),
    ("kube/config", 21, "kubeconfig-user-token"),
    ("laravel/.env", 3, "laravel-app-key"),
    ("rails/config/secrets.yml", 8, "rails-secret-key-base"),
    // 32 hex digits alone in the file: only its name says what they are.
    ("rails/config/master.key", 1, "rails-master-key-file"),
    (
        "rails/config/credentials/production.key",
        1,
        "rails-master-key-file",
    ),
];

/// Runs `keyhound scan` on the corpus and returns stdout's JSONL records.
fn scan() -> (Vec<Value>, String) {
    let output = Command::cargo_bin("keyhound")
        .unwrap()
        .args(["scan", "--format", "jsonl", "--quiet"])
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings exit with 1; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let records = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (records, stdout)
}

fn relative(path: &str) -> String {
    let path = path.replace('\\', "/");
    const ROOT: &str = "accuracy/saas-structural/";
    match path.rfind(ROOT) {
        Some(i) => path[i + ROOT.len()..].to_string(),
        None => path,
    }
}

#[test]
fn finds_every_planted_credential_and_nothing_else() {
    let (records, _) = scan();
    let found: BTreeSet<(String, u64, String)> = records
        .iter()
        .map(|r| {
            (
                relative(r["path"].as_str().unwrap()),
                r["line"].as_u64().unwrap(),
                r["rule_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found.len(),
        records.len(),
        "duplicate findings: {records:#?}"
    );
    let expected: BTreeSet<(String, u64, String)> = EXPECTED
        .iter()
        .map(|(p, l, r)| (p.to_string(), *l, r.to_string()))
        .collect();
    crate::common::assert_exactly(&expected, &found);
}

#[test]
fn offline_validation_raises_confidence_and_keeps_payloads_out() {
    let (records, stdout) = scan();
    let by_rule = |id: &str| {
        records
            .iter()
            .find(|r| r["rule_id"] == id)
            .unwrap_or_else(|| panic!("no {id} finding"))
    };
    for id in [
        "npm-access-token",
        "gitlab-routable-token",
        "pypi-api-token",
        "grafana-service-account-token",
        "atlassian-api-token",
        "discord-bot-token",
        "onepassword-service-account-token",
    ] {
        let r = by_rule(id);
        assert_eq!(r["metadata"]["checksum"], "valid", "{id}: {r}");
        assert_eq!(r["confidence"], "high", "{id}");
    }
    // A JWT's header decodes for every JWT and its signature cannot be checked offline: the
    // generic rule's structure is `medium`, not proof (issue 11).
    assert_eq!(by_rule("jwt")["confidence"], "medium");
    assert_eq!(by_rule("jwt")["metadata"]["jwt_alg"], "RS256");
    assert_eq!(
        by_rule("pypi-api-token")["metadata"]["macaroon_location"],
        "pypi.org"
    );
    assert!(by_rule("gitlab-routable-token")["metadata"]["gitlab_org_id"].is_string());
    // The 1Password token's payload embeds the account's Secret Key: only key names may leak
    // into reports, and the redacted secret must not either.
    let op = by_rule("onepassword-service-account-token");
    assert!(op["metadata"]["payload_keys"]
        .as_str()
        .unwrap()
        .contains("secretKey"));
    assert!(!stdout.contains("\"A3-"), "a Secret Key value leaked");
    // Secrets are redacted without --show-secrets.
    let env = std::fs::read_to_string(corpus().join(".env.production")).unwrap();
    let stripe = env
        .lines()
        .find_map(|l| l.strip_prefix("STRIPE_SECRET_KEY="))
        .unwrap();
    assert!(!stdout.contains(stripe), "unredacted secret in report");
}
