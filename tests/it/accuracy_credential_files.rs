//! Passwords where the file format says "password" (issue 11): `corpus/accuracy/
//! credential-files/` holds one realistic file per format (dotenv, Rails database.yml and
//! mongoid.yml, Spring properties and YAML, wp-config.php, .htpasswd, shadow, ProFTPD passwd,
//! Sublime sftp-config.json, .ftpconfig, .remote-sync.json, .vscode/sftp.json, FileZilla,
//! WinSCP, Web.config, JetBrains webServers.xml, a shell script, an SQL dump, an .http file,
//! .npmrc, .s3cfg, a PuTTY key whose comment is `dummy-key`, a Terraform variable default, a
//! Gradle BuildConfig field, a .NET NetworkCredential) with references and stand-ins beside the planted values, and
//! `docs/negatives.md`, a page of look-alikes. Every planted value is found, exactly, by the
//! right rule on the right line, and nothing else is reported.

use std::collections::BTreeSet;

use crate::common::{corpus, jsonl, keyhound, root};

/// (path, line, rule id, the exact secret) of every planted credential.
const EXPECTED: &[(&str, u64, &str, &str)] = &[
    (".env", 5, "dotenv-password", "Winter2024!"),
    (".env", 6, "dotenv-password", "mq7-Lx2v-Pz"),
    (".ftpconfig", 6, "json-config-password", "hG6-vw2Rk8"),
    (".htpasswd", 1, "password-hash-entry", "$apr1$Rk3x9Lq2$W0bQyY7uV8mN1pZcT4sEk."),
    (".idea/webServers.xml", 7, "xml-config-password", "pT4-vr8Kw"),
    (".npmrc", 3, "npmrc-password", "V3E5I3ZMbTJUeg=="),
    (".remote-sync.json", 6, "json-config-password", "Rs9#mq2Vx"),
    (".s3cfg", 2, "aws-access-key-id", "AKIAQ3EGTRS2KMV4PLXN"),
    (".s3cfg", 3, "generic-secret-assignment", "q8Lr3Tz9Wm2Kx7VbN4pZ6sYt1Hc5Jd0Fg8Ka2Mx"),
    (".vscode/sftp.json", 7, "json-config-password", "Vs7-Lk2qTz"),
    ("app/Web.config", 5, "xml-config-password", "Hx7!qm2Lz"),
    ("config/database.yml", 15, "config-file-password", "Tr0ub4dor-3x"),
    ("config/mongoid.yml", 9, "config-file-password", "Mg0-kq7Rw2"),
    ("android/build.gradle", 5, "gradle-build-config-secret", "Wq8Zr2Lm7Xv4Tn9Pk3Bc"),
    ("db/dump.sql", 3, "sql-identified-by", "Fq7#wz2Lk"),
    ("db/dump.sql", 8, "sql-insert-password", "hunter2-xyz"),
    ("db/dump.sql", 10, "sql-insert-password", "Lq2!vm8Zr"),
    ("db/dump.sql", 12, "sql-insert-password", "Rt6#pw3Nx"),
    (
        "db/dump.sql",
        13,
        "sql-insert-password-hash",
        "pbkdf2_sha256$600000$Qm7Tz2Lw9Xv4$Kc8Rn3Pq6Ys1Hd5Jf0Gb2Mt7Vw9Zx4Lk1Nc3Qe8Ra6U=",
    ),
    // Decrypted with DBeaver's built-in key; the plaintext is one line.
    (".dbeaver/credentials-config.json", 1, "dbeaver-saved-credentials", "Db7!vq2Lx"),
    (".dbeaver/data-sources.json", 15, "json-config-password", "An4#lyst-Rq8"),
    ("robo3t/robo3t.json", 14, "json-config-password", "Mo9!rd2Qx"),
    ("config/monitoring.yml", 5, "provider-section-key", "8c2e71f04b9a4d36a5e0c19f7b3d62e8"),
    ("config/monitoring.yml", 8, "provider-section-key", "Dq7Lm2Xv8Rt4Wp6Yb1Nc5Hd0"),
    // A DSN under `sentry:` is the Sentry rule's, not reported twice.
    (
        "config/monitoring.yml",
        10,
        "sentry-dsn",
        "https://4f7c2a9e1b8d46e3a0c5f9b2d7e1a6c4@o40213.ingest.sentry.io/5532",
    ),
    ("config/alerts.toml", 3, "provider-section-key-toml", "e49a0c7d15b84f2a9c6e3b0d71f58a24"),
    ("config/alerts.toml", 7, "provider-section-key-toml", "Vn3Qz8Lk2Rw7Tx5Mb9Pc4Hj6"),
    ("deploy/setup.sh", 3, "cli-password-flag", "Kq8!vL2zx"),
    ("dotnet/Mailer.cs", 8, "dotnet-network-credential", "Sm7!tp2Qx9"),
    ("deploy/setup.sh", 4, "cli-password-flag", "h7Vw-2pLq9"),
    ("deploy/setup.sh", 7, "curl-user-password", "Cu7#rl2Qx9"),
    ("deploy/setup.sh", 9, "curl-oauth2-bearer", "Qx8mT2vL9rK4wZ7pN3bY6cH1"),
    ("logs/requests.log", 2, "http-bearer-token", "Lg5nP8qZ2wX7rT4vK9mB3cY6"),
    ("logs/requests.log", 3, "http-basic-auth", "YmlsbGluZzpSZjQjbHExOHpY"),
    ("etc/ftpd.passwd", 1, "password-hash-entry", "$1$Lq8Rt2Zx$Ab3Cd4Ef5Gh6Ij7Kl8Mn9."),
    (
        "etc/shadow",
        3,
        "password-hash-entry",
        "$6$Xy7pQ2rL$k8Vb3NmQz1Lw9Tx4Ry6Up2Sd5Fg7Hj0Kl3Zx8Cv1Bn4Mq6Wr9Ey2Ti5Oa7Ps0Df3Gh6Jk9Lz2Xc5Vb8Nm1",
    ),
    ("filezilla/sitemanager.xml", 9, "filezilla-password", "V3E5I3ZMbTJUeg=="),
    ("home/.esmtprc", 4, "esmtprc-password", "Er9!mt4Zq2"),
    ("http/api.http", 3, "http-basic-auth", "ZGVwbG95OlZxOCNMcjJ4WnQ3bQ=="),
    ("infra/variables.tf", 10, "terraform-variable-default-secret", "Tf4#pq9Lz2"),
    // The whole key file; its comment is `dummy-key`, which must not reject the key.
    ("keys/deploy.ppk", 1, "private-key-putty", "@keys/deploy.ppk"),
    ("http/api.http", 7, "http-bearer-token", "7f3kQ9zLm2Xv8Rt4Wp6Yb1Nc5Hd0Js"),
    ("sftp-config.json", 8, "json-config-password", "Lm4!pQ9zTx"),
    (
        "src/main/resources/application.properties",
        4,
        "config-file-password",
        "Qw7!zR2x-Lm9",
    ),
    ("src/main/resources/application.yml", 5, "config-file-password", "Inv3nt0ry#Pw"),
    ("winscp/WinSCP.ini", 4, "config-file-password", "A35C455E6D3E3A1E2F3D"),
    ("wordpress/wp-config.php", 5, "php-define-password", "xT9#kq2Lm"),
    (
        "wordpress/wp-config.php",
        8,
        "wordpress-auth-salt",
        "G|q8`3T)w+Uj$Kx7^mB2@zR!e4%Lp9*Nv",
    ),
];

const ROOT: &str = "credential-files/";

fn relative(path: &str) -> String {
    let path = path.replace('\\', "/");
    match path.rfind(ROOT) {
        Some(i) => path[i + ROOT.len()..].to_string(),
        None => path,
    }
}

#[test]
fn finds_every_password_in_its_file_format_and_nothing_else() {
    let dir = corpus("accuracy/credential-files");
    let out = keyhound(
        &root(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--quiet",
            "--show-secrets",
            dir.to_str().unwrap(),
        ],
    );
    let records = jsonl(&out);
    let found: BTreeSet<(String, u64, String, String)> = records
        .iter()
        .map(|r| {
            (
                relative(r["path"].as_str().unwrap()),
                r["line"].as_u64().unwrap(),
                r["rule_id"].as_str().unwrap().to_string(),
                r["secret"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found.len(),
        records.len(),
        "duplicate findings: {records:#?}"
    );
    // `@path`: the secret is that whole file (a key block).
    let secret = |s: &str| match s.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(dir.join(path))
            .unwrap()
            .trim_end()
            .to_string(),
        None => s.to_string(),
    };
    let expected: BTreeSet<(String, u64, String, String)> = EXPECTED
        .iter()
        .map(|(p, l, r, s)| (p.to_string(), *l, r.to_string(), secret(s)))
        .collect();
    crate::common::assert_exactly(&expected, &found);
    // Decoded values name their user; password hashes are their own, lower severity.
    // The finding's secret stays the base64 as written (its location, fingerprint and
    // baseline entry are those of the text in the file); the decoded user is named beside it.
    let users: BTreeSet<&str> = records
        .iter()
        .filter(|r| r["rule_id"] == "http-basic-auth" || r["rule_id"] == "curl-user-password")
        .map(|r| r["metadata"]["username"].as_str().unwrap())
        .collect();
    assert_eq!(users, BTreeSet::from(["deploy", "billing"]));
    let hash = records
        .iter()
        .find(|r| r["rule_id"] == "password-hash-entry")
        .unwrap();
    assert_eq!(hash["severity"], "medium");
    // An INSERT's password names its column; its hashes are their own, lower severity.
    let by_rule = |id: &'static str| records.iter().filter(move |r| r["rule_id"] == id);
    assert!(by_rule("sql-insert-password")
        .all(|r| r["severity"] == "high" && r["metadata"]["column"].is_string()));
    let sql_hash = by_rule("sql-insert-password-hash").next().unwrap();
    assert_eq!(sql_hash["severity"], "medium");
    assert_eq!(sql_hash["metadata"]["column"], "password_hash");
    // DBeaver's decrypted credentials name their user.
    let dbeaver = by_rule("dbeaver-saved-credentials").next().unwrap();
    assert_eq!(dbeaver["metadata"]["username"], "report");
    // A key under a provider's section is reported with that provider, at medium confidence.
    let sections: BTreeSet<String> = by_rule("provider-section-key")
        .chain(by_rule("provider-section-key-toml"))
        .map(|r| {
            assert_eq!(r["confidence"], "medium");
            r["metadata"]["section"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        sections,
        BTreeSet::from(["pagerduty".to_string(), "datadog".to_string()])
    );
}

#[test]
fn the_page_of_look_alikes_reports_nothing() {
    let page = corpus("accuracy/credential-files/docs/negatives.md");
    let out = keyhound(
        &root(),
        &[
            "scan",
            "--format",
            "jsonl",
            "--quiet",
            page.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:#?}", jsonl(&out));
}
