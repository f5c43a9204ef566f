//! Embeds every `patterns/*.toml` file in the binary, so adding a rule file needs no code
//! change; and names the build by a hash of its sources, so the scan cache never serves
//! entries made by a binary built from other code (a development build keeps the crate's
//! version).
//!
//! The rule files are converted to JSON here, at build time: parsing ~1 MB of TOML cost 12 ms
//! on every start, which a pre-commit hook pays on every commit, and the same data as JSON
//! parses in about 3 ms. The TOML stays the source of truth; a file that does not parse fails
//! the build, naming it.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("patterns");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let out_dir = env::var("OUT_DIR").unwrap();
    let mut out =
        String::from("/// Bundled rule files: (file name, contents as JSON), sorted by name.\n");
    out.push_str("pub const EMBEDDED_RULE_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text =
            fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read patterns/{name}: {e}"));
        let value: toml::Value = toml::from_str(&text)
            .unwrap_or_else(|e| panic!("patterns/{name} is not valid TOML: {e}"));
        let json = Path::new(&out_dir).join(format!("{name}.json"));
        fs::write(&json, serde_json::to_string(&value).unwrap()).unwrap();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            json.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(Path::new(&out_dir).join("embedded_patterns.rs"), out).unwrap();
    common_grams(Path::new(&out_dir));
    source_hash(Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()));
}

/// Converts `src/engine/prefilter/common_grams.txt` (hex grams with their counts, most
/// frequent first) into `common_grams.bin`: 8 bytes per gram (the gram's 4 bytes, then its
/// count as a little-endian u32), sorted by the gram read as a little-endian u32. The
/// prefilter binary-searches it where it is embedded: parsing 65,536 lines into a map at
/// start-up cost a scan of one file 8 ms, which a pre-commit hook pays on every commit.
fn common_grams(out_dir: &Path) {
    let source = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("src/engine/prefilter/common_grams.txt");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    let mut grams: Vec<(u32, u32)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let parsed = line.split_once(' ').and_then(|(gram, count)| {
                let gram = u32::from_str_radix(gram, 16)
                    .ok()
                    .filter(|_| gram.len() == 8)?;
                // The hex spells the bytes in text order; the prefilter reads them as a
                // little-endian u32.
                Some((gram.swap_bytes(), count.trim().parse::<u32>().ok()?))
            });
            parsed.unwrap_or_else(|| panic!("common_grams.txt: not `hex count`: {line:?}"))
        })
        .collect();
    grams.sort_unstable();
    let mut bytes = Vec::with_capacity(grams.len() * 8);
    for (gram, count) in grams {
        bytes.extend_from_slice(&gram.to_le_bytes());
        bytes.extend_from_slice(&count.to_le_bytes());
    }
    fs::write(out_dir.join("common_grams.bin"), bytes).unwrap();
}

/// Sets `KEYHOUND_SOURCE_HASH`: an FNV-1a hash of every file under `src/` and `patterns/`
/// (paths and contents, in sorted order). Part of the scan cache's identity.
fn source_hash(root: &Path) {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    for dir in ["src", "patterns"] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        walk(&dir, &mut files);
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let rel = file.strip_prefix(root).unwrap_or(file);
        feed(rel.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&fs::read(file).unwrap_or_default());
        feed(&[0]);
    }
    println!("cargo:rustc-env=KEYHOUND_SOURCE_HASH={hash:016x}");
}
