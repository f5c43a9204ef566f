//! Fuzzing every decoder with proptest: arbitrary bytes under every decoder's extension,
//! mutated (overwritten, truncated, spliced) copies of the valid fixtures in
//! `corpus/artifacts/`, and streams built from each format's own vocabulary (pickle opcodes,
//! GGUF value types). Whatever the input, decoding must return (no panic, no hang), and
//! what it returns must be well formed.
//!
//! The case count is small so `cargo test` stays fast; run longer sessions with e.g.
//! `PROPTEST_CASES=20000 cargo test --release --test it fuzz_decoders`.

use std::sync::OnceLock;

use keyhound::decode::{decode, read_model_header, DecodeOptions, DecodeReport};
use proptest::prelude::*;

/// Every extension that selects a decoder, plus one that does not.
const NAMES: &[&str] = &[
    "x.ipynb",
    "x.safetensors",
    "x.gguf",
    "x.pkl",
    "x.joblib",
    "x.pt",
    "x.bin",
    "x.zip",
    "x.whl",
    "x.tar",
    "x.tar.gz",
    "x.tgz",
    "x.txt.gz",
    "x.txt",
];

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Small caps so a mutated length field cannot make a case slow.
fn options() -> DecodeOptions {
    DecodeOptions {
        max_depth: 3,
        max_member_bytes: 256 * 1024,
        max_archive_bytes: 1024 * 1024,
        max_members: 1000,
    }
}

/// Decodes and checks what came out is well formed.
fn check(name: &str, bytes: &[u8]) -> DecodeReport {
    let mut total = 0usize;
    let report = decode(name, bytes, &options(), &mut |segment| {
        let len = segment.text.len();
        total += len;
        let mut last = 0;
        for piece in &segment.pieces {
            assert!(piece.start >= last, "pieces out of order in {name}");
            assert!(piece.start <= len, "piece past the text in {name}");
            assert_ne!(piece.line, Some(0), "lines are 1-based");
            last = piece.start;
        }
    });
    assert!(report.notes.len() <= 16);
    // Decoded text can outgrow the input (key = value lines), but never past the caps.
    assert!(total as u64 <= 4 * (1024 * 1024 + bytes.len() as u64));
    report
}

fn fixtures() -> &'static Vec<(String, Vec<u8>)> {
    static FIXTURES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut all: Vec<(String, Vec<u8>)> = std::fs::read_dir("corpus/artifacts")
            .expect("corpus/artifacts exists")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e != "py"))
            // The bomb is 12 KiB compressed but 12 MiB inflated: too slow to mutate often.
            .filter(|p| !p.ends_with("bomb.zip"))
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        all.sort();
        assert!(all.len() >= 10, "fixtures missing");
        all
    })
}

/// An edit to a valid file.
#[derive(Debug, Clone)]
enum Mutation {
    Overwrite(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
    /// Writes a little-endian u64 (a length field, say) at an offset.
    Length(usize, u64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Overwrite(i, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        2 => (any::<usize>(), prop_oneof![any::<u64>(), 0u64..4096])
            .prop_map(|(i, v)| Mutation::Length(i, v)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match m {
        Mutation::Overwrite(i, b) => {
            let n = bytes.len();
            bytes[i % n] = *b;
        }
        Mutation::Truncate(i) => bytes.truncate(i % bytes.len()),
        Mutation::Insert(i, v) => {
            let at = i % bytes.len();
            bytes.splice(at..at, v.iter().copied());
        }
        Mutation::Length(i, v) => {
            let at = i % bytes.len();
            for (k, b) in v.to_le_bytes().iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at + k) {
                    *slot = *b;
                }
            }
        }
    }
}

/// Bytes drawn mostly from pickle opcodes and small lengths, so walks go deep.
fn pickle_stream() -> impl Strategy<Value = Vec<u8>> {
    let ops: Vec<u8> = b"(.012NQRabd}el]ost)uKMJGIFLSVcTUXBCqhrjpg"
        .iter()
        .copied()
        .chain(0x80..=0x98)
        .collect();
    let piece = prop_oneof![
        3 => prop::sample::select(ops),
        1 => any::<u8>(),
        1 => Just(b'\n'),
        1 => 0u8..8,
    ];
    prop::collection::vec(piece, 0..512).prop_map(|mut v| {
        v.insert(0, 0x80);
        v
    })
}

/// A GGUF header followed by key-values of random types and lengths.
fn gguf_stream() -> impl Strategy<Value = Vec<u8>> {
    let kv = (
        0u64..40,
        0u32..14,
        prop_oneof![0u64..64, any::<u64>()],
        prop::collection::vec(any::<u8>(), 0..64),
    );
    (1u32..4, any::<u64>(), prop::collection::vec(kv, 0..8)).prop_map(|(version, count, kvs)| {
        let mut v = b"GGUF".to_vec();
        v.extend_from_slice(&version.to_le_bytes());
        v.extend_from_slice(&0u64.to_le_bytes());
        v.extend_from_slice(&(count % 16).to_le_bytes());
        for (klen, kind, n, rest) in kvs {
            v.extend_from_slice(&klen.to_le_bytes());
            v.extend(vec![b'k'; klen as usize]);
            v.extend_from_slice(&kind.to_le_bytes());
            v.extend_from_slice(&n.to_le_bytes());
            v.extend_from_slice(&rest);
        }
        v
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(name in prop::sample::select(NAMES), bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(name, &bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_magic(
        name in prop::sample::select(NAMES),
        magic in prop::sample::select(vec![&b"PK\x03\x04"[..], b"PK\x05\x06", b"\x1f\x8b\x08\x00", b"GGUF", b"\x80\x04", b"{\"cells\": ["]),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut input = magic.to_vec();
        input.extend_from_slice(&bytes);
        check(name, &input);
    }

    #[test]
    fn mutated_fixtures(pick in any::<prop::sample::Index>(), edits in prop::collection::vec(mutation(), 1..6)) {
        let (name, original) = pick.get(fixtures());
        let mut bytes = original.clone();
        for m in &edits {
            apply(&mut bytes, m);
        }
        check(name, &bytes);
    }

    /// Oversized model files are read in part (header, or a checkpoint's pickles repacked);
    /// whatever that returns must decode like any item.
    #[test]
    fn partial_reads_of_model_files(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec(mutation(), 0..4),
        ext in prop::sample::select(vec!["pt", "safetensors", "gguf", "bin"]),
        max in 0u64..4096,
    ) {
        let (_, original) = pick.get(fixtures());
        let mut bytes = original.clone();
        for m in &edits {
            apply(&mut bytes, m);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("model.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        if let Some(Ok(part)) = read_model_header(&path, max) {
            prop_assert!(part.len() as u64 <= max + 2 * bytes.len() as u64 + 1024);
            check(&format!("model.{ext}"), &part);
        }
    }

    #[test]
    fn pickle_opcode_streams(bytes in pickle_stream(), name in prop::sample::select(vec!["x.pkl", "x.pt"])) {
        check(name, &bytes);
    }

    #[test]
    fn gguf_key_values(bytes in gguf_stream()) {
        check("x.gguf", &bytes);
    }
}

#[test]
fn deep_nesting_stops_at_max_depth() {
    // 40 layers of gzip: each layer is one more level, so decoding stops at --max-depth.
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut data = b"token hf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n".to_vec();
    for _ in 0..40 {
        let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&data).unwrap();
        data = enc.finish().unwrap();
    }
    let report = check("x.txt.gz", &data);
    assert_eq!(report.skipped, 1);
    assert!(
        report.notes[0].contains("--max-depth 3"),
        "{:?}",
        report.notes
    );
}
