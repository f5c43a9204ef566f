//! What the full bundled rule set costs compared with the first rules keyhound shipped (17)
//! and with the 208 it had before provider coverage II (`benches/rules-208.txt`).
//! Run with `cargo bench --bench ruleset`; it also prints each set's keyword hits per MiB.
//!
//! The engines run on the same bytes in the same process, one after the other, so load on a
//! shared machine hits them alike; compare their throughputs, not absolute figures. Inputs:
//! - `real-rust`: real Rust source from cargo's registry (ordinary code), up to 32 MiB;
//! - `keyword-dense`: benches/common's generated source code, dense in `token`, `secret`,
//!   `password` and `api_key` (the adversarial case for the generic rule);
//! - `config-heavy`: the accuracy fixtures under corpus/accuracy/ (env files, compose files,
//!   kubeconfigs, lockfiles, settings, READMEs) repeated to 4 MiB: dense in the URLs, `eyJ`,
//!   `secret_` and `token:` that the newer rules' keywords hit.

mod common;
use common as corpus;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use keyhound::rules::builtin_rules;
use keyhound::Engine;

/// The rules of keyhound's first rule set (AWS, Hugging Face, OpenAI, Anthropic, GitHub,
/// private keys, generic), by id.
const FIRST_RULES: &[&str] = &[
    "github-classic-token",
    "github-fine-grained-token",
    "private-key",
    "private-key-encrypted",
    "private-key-openssh",
    "private-key-putty",
    "aws-access-key-id",
    "aws-secret-access-key",
    "huggingface-user-token",
    "huggingface-org-token",
    "openai-project-key",
    "openai-service-account-key",
    "openai-admin-key",
    "openai-legacy-key",
    "anthropic-api-key",
    "anthropic-admin-key",
    "generic-secret-assignment",
];

fn config_heavy(limit: usize) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/accuracy");
    let mut files: Vec<_> = ignore::WalkBuilder::new(&root)
        .hidden(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut one = Vec::new();
    for f in files {
        one.extend(std::fs::read(f).unwrap_or_default());
        one.push(b'\n');
    }
    let mut out = Vec::with_capacity(limit);
    while !one.is_empty() && out.len() < limit {
        out.extend_from_slice(&one);
    }
    out
}

/// The engine over the bundled rules whose ids are in `ids`.
fn subset(ids: &[&str]) -> Engine {
    let engine = Engine::new(
        builtin_rules()
            .into_iter()
            .filter(|r| ids.contains(&r.id.as_str()))
            .collect(),
    )
    .expect("rule subset builds");
    assert_eq!(engine.rules().len(), ids.len(), "a rule was renamed");
    engine
}

fn ruleset_throughput(c: &mut Criterion) {
    let all = Engine::builtin();
    let first = subset(FIRST_RULES);
    let listed = include_str!("rules-208.txt");
    let ids208: Vec<&str> = listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let r208 = subset(&ids208);
    let mut inputs = vec![
        ("keyword-dense", corpus::source_code(8 << 20, 42)),
        ("config-heavy", config_heavy(4 << 20)),
    ];
    let real = corpus::real_rust_source(32 << 20);
    if !real.is_empty() {
        inputs.insert(0, ("real-rust", real));
    }
    let engines = [("first-17", &first), ("208", &r208), ("all", &all)];
    for (name, text) in &inputs {
        let mib = text.len() as f64 / f64::from(1 << 20);
        for (rules, engine) in engines {
            eprintln!(
                "ruleset: {name}: {rules} ({} rules): {:.0} keyword hits per MiB",
                engine.rules().len(),
                engine.prefilter_hits(text) as f64 / mib
            );
        }
    }
    let mut group = c.benchmark_group("ruleset");
    group.sample_size(10);
    for (name, text) in &inputs {
        // Warm the lazy regexes so the measurement is steady-state.
        for (_, engine) in engines {
            engine.find(text);
        }
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (rules, engine) in engines {
            group.bench_with_input(BenchmarkId::new(rules, name), text, |b, text| {
                b.iter(|| engine.find(text))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, ruleset_throughput);
criterion_main!(benches);
