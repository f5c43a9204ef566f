//! The full rule set against the 208 rules keyhound had before provider coverage II, on the
//! same real source code, interleaved: round after round each engine scans the same bytes,
//! and the best round of each counts. Load on a shared machine then hits both alike, which a
//! sequential benchmark cannot promise. Prints MiB/s, the ratio and keyword hits per MiB.
//! Run with `cargo bench --bench ruleset_ab`.
//!
//! `RULESET_AB_WITHOUT=id,id,...` compares against the full set without those rules instead
//! of the 208: what a change adding those rules costs ordinary source, on the same engine.

mod common;

use std::time::Instant;

use keyhound::rules::builtin_rules;
use keyhound::Engine;

const ROUNDS: usize = 7;

fn main() {
    let text = common::real_rust_source(32 << 20);
    if text.is_empty() {
        eprintln!("ruleset_ab: no real Rust source found under $CARGO_HOME/registry/src");
        return;
    }
    let listed = include_str!("rules-208.txt");
    let ids208: Vec<&str> = listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let all = builtin_rules();
    let without = std::env::var("RULESET_AB_WITHOUT").ok();
    let (base_name, old): (&str, Vec<_>) = match &without {
        Some(ids) => {
            let ids: Vec<&str> = ids.split(',').map(str::trim).collect();
            let kept = all
                .iter()
                .filter(|r| !ids.contains(&r.id.as_str()))
                .cloned()
                .collect();
            ("without RULESET_AB_WITHOUT", kept)
        }
        None => (
            "208 rules",
            all.iter()
                .filter(|r| ids208.contains(&r.id.as_str()))
                .cloned()
                .collect(),
        ),
    };
    let engines = [
        (base_name, Engine::new(old).expect("base rules build")),
        ("all rules", Engine::new(all).expect("bundled rules build")),
    ];
    for (_, engine) in &engines {
        engine.find(&text); // compile the regexes the text needs
    }
    let mut best = [f64::MAX; 2];
    let mut automaton = [f64::MAX; 2];
    for _ in 0..ROUNDS {
        for (i, (_, engine)) in engines.iter().enumerate() {
            let started = Instant::now();
            std::hint::black_box(engine.find(&text));
            best[i] = best[i].min(started.elapsed().as_secs_f64());
            let started = Instant::now();
            std::hint::black_box(engine.prefilter_hits(&text));
            automaton[i] = automaton[i].min(started.elapsed().as_secs_f64());
        }
    }
    let mib = text.len() as f64 / f64::from(1 << 20);
    for (i, (name, engine)) in engines.iter().enumerate() {
        println!(
            "{name} ({}): {:.0} MiB/s ({:.0} MiB/s in the keyword automaton alone), {:.0} keyword hits per MiB",
            engine.rules().len(),
            mib / best[i],
            mib / automaton[i],
            engine.prefilter_hits(&text) as f64 / mib
        );
    }
    println!(
        "all / {base_name} throughput: {:.2} (best of {ROUNDS} interleaved rounds on {mib:.0} MiB of real Rust)",
        best[0] / best[1]
    );
}
