//! A deterministic generator of "ordinary source code" for benchmarks: Python (ML training
//! scripts), Rust, YAML and JS lines with the words that make secret scanners slow (`token`,
//! `key`, `secret`, `password`) at realistic frequency, and no secrets at all. Generated,
//! not committed, so the repository stays small and every machine benches the same bytes.

#![allow(dead_code)] // each bench binary uses a different part of this module

/// xorshift64*: tiny, deterministic, good enough to vary identifiers.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

const IDENTS: &[&str] = &[
    "model",
    "batch",
    "logits",
    "labels",
    "hidden",
    "encoder",
    "decoder",
    "optimizer",
    "step",
    "epoch",
    "dataset",
    "loader",
    "config",
    "args",
    "layer",
    "weights",
    "scale",
    "output",
    "input_ids",
    "attention_mask",
    "vocab_size",
    "lr",
    "scheduler",
    "device",
    "buffer",
    "path",
];

const TEMPLATES: &[&str] = &[
    "    {a} = self.{b}({c}, dim=-1)",
    "def {a}_{b}(self, {c}, {a}=None):",
    "    tokenizer = AutoTokenizer.from_pretrained({a}.model_name)",
    "    # compute the token embeddings for {a} and {b}",
    "    loss = criterion({a}.view(-1, {N}), {b}.view(-1))",
    "    for {a} in range({N}):",
    "        {a}[{b}] += {c} * {N}.0",
    "let {a} = {b}.get(&{c}).cloned().unwrap_or_default();",
    "    pub fn {a}_{b}(&self, key: &str) -> Option<&{c}> {{",
    "impl {a} for {b} {{ fn {c}(&self) -> usize {{ {N} }} }}",
    "  {a}: {N}",
    "  {a}_{b}: \"{c}\"",
    "const {a} = require('./{b}/{c}');",
    "    if (!{a}.{b}) {{ throw new Error('missing {c}'); }}",
    "import {a}.{b} as {c}",
    "    max_tokens = {a}.get('max_tokens', {N})",
    "    api_key = os.environ.get(\"{A}_API_KEY\")",
    "    password_field = forms.CharField(widget=forms.PasswordInput, label=\"{a}\")",
    "    secret_name: {a}-{b}-credentials",
    "    \"integrity\": \"sha512-{a}{b}{c}{N}\",",
    "{a}_token_count = len({b}.encode({c}))",
    "    return {{\"{a}\": {b}, \"{c}\": {N}}}",
    "",
    "}}",
];

/// About `bytes` of generated source text.
pub fn source_code(bytes: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(bytes + 256);
    while out.len() < bytes {
        let template = rng.pick(TEMPLATES);
        let (a, b, c) = (rng.pick(IDENTS), rng.pick(IDENTS), rng.pick(IDENTS));
        let n = (rng.next_u64() % 4096).to_string();
        let line = template
            .replace("{a}", a)
            .replace("{b}", b)
            .replace("{c}", c)
            .replace("{A}", &a.to_ascii_uppercase())
            .replace("{N}", &n)
            .replace("{{", "{")
            .replace("}}", "}");
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// Concatenated `.rs` files from cargo's registry sources, in a stable (sorted) order.
pub fn real_rust_source(limit: usize) -> Vec<u8> {
    real_rust_files(limit)
        .into_iter()
        .flat_map(|(_, b)| b)
        .collect()
}

/// `.rs` files (path, contents) from cargo's registry sources, sorted, up to `limit` bytes.
pub fn real_rust_files(limit: usize) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")));
    let Some(root) = home.map(|h| h.join("registry").join("src")) else {
        return Vec::new();
    };
    let mut files: Vec<_> = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut total = 0;
    for file in files {
        if total >= limit {
            break;
        }
        if let Ok(bytes) = std::fs::read(&file) {
            total += bytes.len();
            out.push((file, bytes));
        }
    }
    out
}
