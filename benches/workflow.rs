//! What the everyday-workflow layer adds to every scan (and so to every pre-commit hook run):
//! loading a `.keyhound.toml` with a custom rule (whose examples run at load), and applying a
//! large baseline.
//!
//! Run: `cargo bench --bench workflow`

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use keyhound::config::Config;
use keyhound::filter::Baseline;
use keyhound::finding::{Finding, Location};
use keyhound::rules::{Confidence, Severity};

const CONFIG: &str = r#"
disabled_rules = ["generic-secret-assignment"]
[limits]
max_file_size = "2 MiB"
[allowlist]
paths = ["tests/fixtures/", "*.lock", "docs/**/examples/"]
secrets = ["not-a-real-secret-123"]
secret_regexes = ['^sk-test-[0-9a-f]+$']
[allowlist.rule.huggingface-user-token]
paths = ["notebooks/demo/"]

[[rule]]
id = "acme-api-key"
name = "Acme API key"
description = "An Acme Corp API key."
keywords = ["acme_"]
regex = '''\b(?P<secret>acme_[a-z0-9]{24})\b'''
confidence = "high"
severity = "high"
examples = ["ACME_KEY=acme_q8x2m4v7k1z9w3r6t5y0p2n8"]
negative_examples = ["ACME_KEY=acme_short"]
"#;

fn finding(i: usize) -> Finding {
    let secret = format!("fake-secret-{i:08}-Zq8Xw2");
    let location = Location {
        end_byte: 29,
        ..Location::on_line(
            format!("src/module_{}/file_{i}.py", i % 97),
            i % 500 + 1,
            1,
            30,
        )
    };
    Finding::new(
        "bench-rule",
        "Bench",
        Confidence::High,
        Severity::High,
        location,
        secret,
    )
}

fn bench(c: &mut Criterion) {
    // The floor any scan pays with no config at all, for comparison.
    c.bench_function("no config: bundled rules parsed + engine built", |b| {
        b.iter(|| keyhound::plan::engine(&Config::default()).unwrap())
    });
    c.bench_function("config: parse + check + engine with a custom rule", |b| {
        b.iter(|| {
            let config = Config::parse(Path::new(".keyhound.toml"), CONFIG.to_string()).unwrap();
            keyhound::plan::engine(&config).unwrap()
        })
    });

    let accepted: Vec<Finding> = (0..10_000).map(finding).collect();
    let json = Baseline::from_findings(&accepted).to_json();
    let current: Vec<Finding> = (5_000..15_000).map(finding).collect();
    c.bench_function("baseline: load 10k entries + filter 10k findings", |b| {
        b.iter_batched(
            || current.clone(),
            |mut findings| {
                let baseline = Baseline::parse(&json).unwrap();
                let dropped = baseline.suppress(&mut findings);
                assert_eq!(dropped, 5_000);
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
