//! GGUF model files (llama.cpp): a header of typed key-value metadata, then tensor info and
//! data. Only the metadata is read, and of it only string values (and arrays of strings),
//! emitted as `key = value` lines. The tokenizer vocabulary (`tokenizer.ggml.*` arrays, often
//! 100k+ tokens) is skipped: it is not configuration and only breeds false positives.

use super::{Ctx, Joiner};

/// Nested arrays deeper than this are treated as corrupt.
const MAX_NESTING: usize = 4;

struct Corrupt(&'static str);

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// GGUF version 1 used 32-bit lengths and counts; later versions 64-bit.
    wide: bool,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: u64) -> Result<&'a [u8], Corrupt> {
        let n = usize::try_from(n).map_err(|_| Corrupt("length does not fit in memory"))?;
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(Corrupt("value runs past the end of the file"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, Corrupt> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, Corrupt> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    /// A length or count: 32-bit in version 1, 64-bit after.
    fn count(&mut self) -> Result<u64, Corrupt> {
        if self.wide {
            self.u64()
        } else {
            self.u32().map(u64::from)
        }
    }

    fn string(&mut self) -> Result<&'a [u8], Corrupt> {
        let n = self.count()?;
        self.take(n)
    }
}

/// Size of a fixed-width value type, or `None` for strings and arrays.
fn fixed_size(kind: u32) -> Result<Option<u64>, Corrupt> {
    Ok(match kind {
        0 | 1 | 7 => Some(1),
        2 | 3 => Some(2),
        4..=6 => Some(4),
        10..=12 => Some(8),
        8 | 9 => None,
        _ => return Err(Corrupt("unknown value type")),
    })
}

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8]) {
    let mut j = Joiner::new(bytes.len());
    if let Err((Corrupt(reason), at)) = read(bytes, &mut j) {
        ctx.note(
            suffix,
            format_args!(
                "GGUF metadata is corrupt at byte {at} ({reason}); scanned what came before"
            ),
        );
    }
    ctx.emit_joined(j, suffix, "gguf metadata".into());
}

fn read(bytes: &[u8], j: &mut Joiner) -> Result<(), (Corrupt, usize)> {
    let mut r = Reader {
        bytes,
        pos: 4,
        wide: true,
    };
    let header = |r: &mut Reader<'_>| -> Result<u64, Corrupt> {
        let version = r.u32()?;
        r.wide = version >= 2;
        let _tensors = r.count()?;
        r.count()
    };
    let kv_count = header(&mut r).map_err(|c| (c, r.pos))?;
    for _ in 0..kv_count {
        let at = r.pos;
        let result = (|| {
            let key = r.string()?;
            let kind = r.u32()?;
            let vocab = key.starts_with(b"tokenizer.ggml.");
            value(&mut r, kind, key, at as u64, !vocab, j, 0)
        })();
        result.map_err(|c| (c, r.pos))?;
    }
    Ok(())
}

/// Reads (or skips) one value of type `kind`, emitting strings when `keep`.
fn value(
    r: &mut Reader<'_>,
    kind: u32,
    key: &[u8],
    at: u64,
    keep: bool,
    j: &mut Joiner,
    depth: usize,
) -> Result<(), Corrupt> {
    match kind {
        8 => {
            let s = r.string()?;
            if keep {
                j.push_keyed(key, s, None, Some(at));
            }
        }
        9 => {
            if depth >= MAX_NESTING {
                return Err(Corrupt("arrays nested too deep"));
            }
            let item = r.u32()?;
            let n = r.count()?;
            if let Some(size) = fixed_size(item)? {
                let total = n.checked_mul(size).ok_or(Corrupt("array too large"))?;
                r.take(total)?;
            } else {
                // Every element takes at least one byte, so a count beyond the bytes left
                // is corrupt; this bounds the loop by the file size.
                if n > (r.bytes.len() - r.pos) as u64 {
                    return Err(Corrupt("array count beyond the end of the file"));
                }
                for _ in 0..n {
                    value(r, item, key, at, keep, j, depth + 1)?;
                }
            }
        }
        other => {
            let size = fixed_size(other)?.expect("fixed-size type");
            r.take(size)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{decode as decode_item, DecodeOptions, DecodeReport};

    fn gguf(kvs: &[(&str, u32, Vec<u8>)]) -> Vec<u8> {
        let mut v = b"GGUF".to_vec();
        v.extend_from_slice(&3u32.to_le_bytes());
        v.extend_from_slice(&0u64.to_le_bytes());
        v.extend_from_slice(&(kvs.len() as u64).to_le_bytes());
        for (k, kind, val) in kvs {
            v.extend_from_slice(&(k.len() as u64).to_le_bytes());
            v.extend_from_slice(k.as_bytes());
            v.extend_from_slice(&kind.to_le_bytes());
            v.extend_from_slice(val);
        }
        v
    }

    fn s(x: &str) -> Vec<u8> {
        let mut v = (x.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(x.as_bytes());
        v
    }

    fn run(bytes: &[u8]) -> (String, DecodeReport) {
        let mut out = String::new();
        let report = decode_item("m.gguf", bytes, &DecodeOptions::default(), &mut |seg| {
            out.push_str(&String::from_utf8_lossy(&seg.text))
        });
        (out, report)
    }

    #[test]
    fn strings_are_read_and_vocab_skipped() {
        let mut vocab = 8u32.to_le_bytes().to_vec();
        vocab.extend_from_slice(&2u64.to_le_bytes());
        vocab.extend(s("tok1"));
        vocab.extend(s("tok2"));
        let bytes = gguf(&[
            ("general.name", 8, s("tiny")),
            ("general.alignment", 4, 32u32.to_le_bytes().to_vec()),
            ("tokenizer.ggml.tokens", 9, vocab),
            ("general.url", 8, s("https://x")),
        ]);
        let (text, report) = run(&bytes);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        assert_eq!(text, "general.name = tiny\ngeneral.url = https://x\n");
    }

    #[test]
    fn truncation_is_a_note() {
        let bytes = gguf(&[("general.name", 8, s("tiny"))]);
        let (text, report) = run(&bytes[..bytes.len() - 2]);
        assert!(text.is_empty());
        assert!(report.notes[0].contains("corrupt"), "{:?}", report.notes);
        let mut huge = gguf(&[]);
        huge[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
        let (_, report) = run(&huge);
        assert_eq!(report.notes.len(), 1);
    }
}
