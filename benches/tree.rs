//! Whole-tree scan: walk + read + engine on all cores, the way `keyhound scan .` runs.
//! Builds a ~50 MB source tree in a temp dir from real Rust sources (cargo's registry), or
//! from generated code where those are absent, then benches `scan_paths` over it.
//! Run with `cargo bench --bench tree`.

mod common;

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use keyhound::filter::Filter;
use keyhound::scanner::{Scanner, Stats};
use keyhound::source::walk::{scan_paths, WalkOptions};
use keyhound::Engine;

const TREE_BYTES: usize = 50 << 20;

fn build_tree(dir: &std::path::Path) -> usize {
    let mut files = common::real_rust_files(TREE_BYTES);
    if files.is_empty() {
        let text = common::source_code(TREE_BYTES, 7);
        files = text
            .chunks(24 << 10)
            .enumerate()
            .map(|(i, c)| (PathBuf::from(format!("gen{i}.py")), c.to_vec()))
            .collect();
    }
    let mut total = 0;
    for (i, (_, bytes)) in files.iter().enumerate() {
        let sub = dir.join(format!("d{:03}", i % 200));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("f{i}.rs")), bytes).unwrap();
        total += bytes.len();
    }
    total
}

fn tree_scan(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let bytes = build_tree(dir.path());
    let scanner = Scanner::new(Engine::builtin());
    let roots = vec![dir.path().to_path_buf()];
    let options = WalkOptions::default();
    let mut group = c.benchmark_group("tree");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("scan-50MB-all-cores", |b| {
        b.iter(|| {
            scan_paths(
                &scanner,
                &Filter::default(),
                &roots,
                &options,
                &Stats::default(),
            )
            .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, tree_scan);
criterion_main!(benches);
