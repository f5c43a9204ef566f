//! Embeds every `patterns/*.toml` file in the binary, so adding a rule file needs no code
//! change.
//!
//! The files are converted to JSON here, at build time: parsing ~1 MB of TOML cost 12 ms on
//! every start, which a pre-commit hook pays on every commit, and the same data as JSON
//! parses in about 3 ms. The TOML stays the source of truth; a file that does not parse
//! fails the build, naming it.

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
}
