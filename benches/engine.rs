//! Engine throughput: the cost every byte of a scan pays. Criterion reports bytes/second.
//! Run with `cargo bench --bench engine`; `find/*` is the whole engine, `prefilter/*` the
//! keyword prefilter alone.
//!
//! - `real-rust`: real source code, the Rust files of the crates cargo has downloaded
//!   (`$CARGO_HOME/registry/src`, present wherever this project was built), up to 32 MiB.
//! - `keyword-dense`: generated code in which every few lines assign to names containing
//!   `token`, `secret`, `password` or `api_key` (the adversarial case for the prefilter: it
//!   sends most lines to the generic rule's regex), with and without sprinkled secrets.
//! - `engine-minified`: that code on one line (minified JavaScript's shape), at 1 and 4 MiB:
//!   equal throughput at both sizes means the work is linear in the line's length.

mod common;
use common as corpus;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use keyhound::Engine;

fn engine_throughput(c: &mut Criterion) {
    let engine = Engine::builtin();
    let clean = corpus::source_code(8 << 20, 42);
    let mut seeded = clean.clone();
    // One fake token roughly every 64 KiB.
    let token = b"\nHF_TOKEN=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\n"; // keyhound:allow
    let mut at = 0;
    while at + 65_536 < seeded.len() {
        at += 65_536;
        let line_end = at + seeded[at..].iter().position(|&b| b == b'\n').unwrap_or(0);
        seeded.splice(line_end..line_end, token.iter().copied());
    }
    // Warm the lazy regexes so the measurement is steady-state.
    engine.find(&seeded);

    let real = corpus::real_rust_source(32 << 20);
    engine.find(&real);

    let mut group = c.benchmark_group("engine");
    group.sample_size(20);
    let mut inputs = vec![
        ("keyword-dense", &clean),
        ("keyword-dense-with-secrets", &seeded),
    ];
    if !real.is_empty() {
        inputs.insert(0, ("real-rust", &real));
    }
    for (name, text) in inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("find", name), text, |b, text| {
            b.iter(|| engine.find(text))
        });
        // The keyword prefilter alone: the floor every byte of a scan pays.
        group.bench_with_input(BenchmarkId::new("prefilter", name), text, |b, text| {
            b.iter(|| engine.prefilter_hits(text))
        });
    }
    group.finish();

    // Minified single-line JavaScript: the ordinary code joined into one line, as a bundler
    // emits it. Two sizes, so the throughput shows whether work stays linear in the length
    // of one line (windows on a long line are clamped around each hit).
    let mut group = c.benchmark_group("engine-minified");
    group.sample_size(10);
    for mib in [1usize, 4] {
        let line = minified(&corpus::source_code(mib << 20, 7));
        engine.find(&line);
        group.throughput(Throughput::Bytes(line.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("find", format!("{mib}MiB")),
            &line,
            |b, l| b.iter(|| engine.find(l)),
        );
    }
    group.finish();
}

/// `code` on one line: newlines become `;`, runs of indentation collapse.
fn minified(code: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(code.len());
    for &b in code {
        match b {
            b'\n' => out.push(b';'),
            b' ' if out.last() == Some(&b' ') => {}
            _ => out.push(b),
        }
    }
    out
}

fn engine_startup(c: &mut Criterion) {
    c.bench_function("engine/build-builtin", |b| b.iter(Engine::builtin));
}

criterion_group!(benches, engine_throughput, engine_startup);
criterion_main!(benches);
