//! `.safetensors` model files: an 8-byte little-endian header length, a JSON header, then
//! tensor data. Only the header is read; tensor data is never touched. Of the header, only
//! `__metadata__` (free-form string pairs, where training scripts put run configuration) can
//! hold a secret; tensor names, shapes and offsets cannot.

use serde::Deserialize;
use serde_json::Value;

use super::{Ctx, Joiner};

/// Headers larger than this are refused (the reference implementation caps them at 100 MB).
pub(super) const MAX_HEADER: u64 = 100_000_000;

#[derive(Deserialize)]
struct Header {
    #[serde(rename = "__metadata__", default)]
    metadata: serde_json::Map<String, Value>,
}

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8]) {
    let Some(len) = bytes.get(..8) else {
        ctx.skipped_part(suffix, "too short for a safetensors header; not scanned");
        return;
    };
    let declared = u64::from_le_bytes(len.try_into().expect("8 bytes"));
    let available = bytes.len() as u64 - 8;
    if declared > available || declared > MAX_HEADER {
        ctx.skipped_part(
            suffix,
            format_args!(
                "safetensors header length {declared} is beyond the file ({available} bytes after the length); not scanned"
            ),
        );
        return;
    }
    let header = &bytes[8..8 + declared as usize];
    let header: Header = match serde_json::from_slice(header) {
        Ok(h) => h,
        Err(e) => {
            ctx.skipped_part(
                suffix,
                format_args!("safetensors header is not valid JSON ({e}); not scanned"),
            );
            return;
        }
    };
    let mut j = Joiner::new(bytes.len());
    for (key, value) in &header.metadata {
        j.push(key.as_bytes(), None, Some(8));
        j.sep(b" = ");
        match value {
            Value::String(s) => j.sep(s.as_bytes()),
            other => j.sep(other.to_string().as_bytes()),
        }
        j.sep(b"\n");
    }
    ctx.emit_joined(j, suffix, "safetensors __metadata__".into());
}

#[cfg(test)]
mod tests {
    use super::super::{decode as decode_item, DecodeOptions, DecodeReport};

    fn file(header: &str) -> Vec<u8> {
        let mut v = (header.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(header.as_bytes());
        v.extend_from_slice(&[0u8; 16]);
        v
    }

    fn run(bytes: &[u8]) -> (Vec<String>, DecodeReport) {
        let mut out = Vec::new();
        let report = decode_item(
            "m.safetensors",
            bytes,
            &DecodeOptions::default(),
            &mut |s| out.push(String::from_utf8_lossy(&s.text).into_owned()),
        );
        (out, report)
    }

    #[test]
    fn metadata_is_scanned() {
        let (s, r) = run(&file(
            r#"{"__metadata__": {"format": "pt", "wandb_key": "abc"}, "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#,
        ));
        assert_eq!(s, vec!["format = pt\nwandb_key = abc\n"]);
        assert!(r.notes.is_empty());
    }

    #[test]
    fn bad_lengths_are_notes() {
        let mut bytes = 1_000_000u64.to_le_bytes().to_vec();
        bytes.extend_from_slice(b"{}");
        let (s, r) = run(&bytes);
        assert!(s.is_empty());
        assert_eq!(r.skipped, 1);
        assert!(r.notes[0].contains("beyond the file"), "{:?}", r.notes);
        let (_, r) = run(b"abc");
        assert_eq!(r.skipped, 1);
        let (_, r) = run(&file("{not json"));
        assert!(r.notes[0].contains("not valid JSON"));
    }
}
