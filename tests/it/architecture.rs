//! The shape of the code, checked: the module graph the pipeline draws has no cycles, the
//! command line only parses and calls the library, and the library does not print.
//!
//! `cargo test --test it architecture -- --nocapture` prints the module graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`, with its module path (`["run", "history"]`).
fn sources() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = crate::common::root().join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&src).unwrap().with_extension("");
            let mut module: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            (module, without_tests_and_comments(&text))
        })
        .collect()
}

/// The text before a file's `#[cfg(test)]` module, with `//` comments removed: tests may
/// reach anywhere, and doc comments mention modules they do not use.
fn without_tests_and_comments(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    code.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file names through `crate::a::b` paths (also inside `crate::{a, b::c}`) and
/// `super::x`, cut to `depth` components.
fn references(module: &[String], text: &str, depth: usize) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut add = |path: Vec<String>| {
        if !path.is_empty() {
            found.insert(path.into_iter().take(depth).collect::<Vec<_>>().join("::"));
        }
    };
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|p| p.trim().to_string())
            .take_while(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                add(ident(part));
            }
        } else {
            add(ident(rest));
        }
    }
    for (i, _) in text.match_indices("super::") {
        let rest = &text[i + "super::".len()..];
        let mut path: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
        path.extend(ident(rest));
        add(path);
    }
    found
}

/// The graph between modules at `depth`, restricted to modules that exist.
fn graph(depth: usize) -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files
        .iter()
        .filter(|(m, _)| !m.is_empty())
        .flat_map(|(m, _)| (1..=depth.min(m.len())).map(move |d| m[..d].join("::")))
        .collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &files {
        if module.is_empty() {
            continue; // lib.rs and main.rs declare every module
        }
        let from = module
            .iter()
            .take(depth)
            .cloned()
            .collect::<Vec<_>>()
            .join("::");
        for to in references(module, text, depth) {
            if to != from && modules.contains(&to) {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    edges
}

/// The cycles of a graph: its strongly connected components of more than one node.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reaches = |from: &String| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            for next in edges.get(&n).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reaches(n))).collect();
    let mut found: BTreeSet<Vec<String>> = BTreeSet::new();
    for n in &nodes {
        let component: Vec<String> = nodes
            .iter()
            .filter(|m| reach[n].contains(**m) && reach[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if component.len() > 1 {
            found.insert(component);
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_module_graph_has_no_cycles() {
    let top = graph(1);
    for (from, to) in &top {
        println!(
            "{from} -> {}",
            to.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    assert_eq!(
        cycles(&top),
        Vec::<Vec<String>>::new(),
        "top-level module cycles"
    );
    let inner = graph(2);
    assert_eq!(
        cycles(&inner),
        Vec::<Vec<String>>::new(),
        "second-level module cycles"
    );
}

#[test]
fn the_checker_sees_a_cycle_when_there_is_one() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert!(cycles(&edges).is_empty());
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        cycles(&edges),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
    let refs = references(
        &["run".into(), "tree".into()],
        "use super::Scanned;\nuse crate::{plan::Plan, error::Error};\n",
        1,
    );
    assert_eq!(refs, ["error", "plan", "run"].map(String::from).into());
}

#[test]
fn the_command_line_only_parses_and_calls_the_library() {
    // What `src/cli/` may name: the drivers and their settings, and the types its flags
    // parse into. Matching, decoding, sources and the scanner belong behind `run`.
    let allowed: BTreeSet<&str> = [
        "cli", "config", "decode", "error", "filter", "hook", "plan", "report", "run",
    ]
    .into();
    let top = graph(1);
    let used: BTreeSet<&str> = top["cli"].iter().map(String::as_str).collect();
    let extra: Vec<&&str> = used.difference(&allowed).collect();
    assert!(
        extra.is_empty(),
        "cli reaches past the library's front: {extra:?}"
    );
}

#[test]
fn the_library_does_not_print_and_reports_know_no_clap() {
    for (module, text) in sources() {
        let first = module.first().map(String::as_str).unwrap_or("");
        if matches!(first, "" | "cli") {
            continue; // main.rs and the command line own the terminal
        }
        for forbidden in ["println!", "eprintln!", "print!(", "eprint!("] {
            assert!(
                !text.contains(forbidden),
                "src/{} prints ({forbidden}); return what should be said instead",
                module.join("/")
            );
        }
        if first == "report" {
            assert!(
                !text.contains("clap::"),
                "src/{} uses clap",
                module.join("/")
            );
        }
    }
}
