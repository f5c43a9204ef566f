//! Python pickles (`.pkl`, `.pickle`, `.joblib`, legacy `torch.save` files, and the
//! `data.pkl` inside a PyTorch zip checkpoint).
//!
//! Unpickling runs arbitrary code, so this never unpickles: it walks the opcode stream,
//! skipping each opcode's argument by its documented length, and collects the string
//! constants. Nothing is executed, imported or even built. Hyper-parameter dicts saved with
//! checkpoints (`{"wandb_api_key": "…"}`) show up as a key string directly followed by a
//! value string, so such pairs are emitted as one `key = value` line, which lets rules that
//! want a name next to the value see one. Every other string gets a line of its own.

use super::{is_binary, Ctx, Joiner};

/// Longest newline-terminated argument (protocol 0 text opcodes) looked for.
const MAX_LINE: usize = 1 << 20;

/// One thing the walk saw, in stream order.
enum Event {
    /// A text constant and the offset of its opcode.
    Str(u64, Vec<u8>),
    /// Any opcode that builds or changes a value (breaks a key-value pair).
    Other,
}

/// Where the walk stopped early and why.
struct Corrupt {
    offset: usize,
    reason: &'static str,
}

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8]) {
    let mut events = Vec::new();
    let result = walk(bytes, &mut events);
    let strings = events
        .iter()
        .filter(|e| matches!(e, Event::Str(..)))
        .count();
    if let Err(c) = result {
        if strings == 0 && bytes.first() != Some(&0x80) && !is_binary(bytes) {
            // Not a pickle after all (a text file with a pickle's extension, no PROTO
            // opcode): scan it as the text it is.
            ctx.note(
                suffix,
                format_args!(
                    "not a valid pickle ({} at byte {}); scanned as plain text",
                    c.reason, c.offset
                ),
            );
            ctx.text(suffix, bytes, 0);
            return;
        }
        if strings == 0 {
            ctx.report.skipped += 1;
        }
        ctx.note(
            suffix,
            format_args!(
                "pickle is corrupt at byte {} ({}); scanned the {strings} strings before it",
                c.offset, c.reason
            ),
        );
    }
    let mut j = Joiner::new(bytes.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Str(offset, text) = &events[i] {
            j.push(text, None, Some(*offset));
            if let Some(Event::Str(_, value)) = events.get(i + 1) {
                if is_key(text) {
                    j.sep(b" = ");
                    j.sep(value);
                    i += 1;
                }
            }
            j.sep(b"\n");
        }
        i += 1;
    }
    ctx.emit_joined(j, suffix, "pickle strings".into());
}

/// A string that looks like a dict key or attribute name.
fn is_key(s: &[u8]) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && (s[0].is_ascii_alphabetic() || s[0] == b'_')
        && s.iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Bytes constants are kept only when they read as text.
fn is_text(b: &[u8]) -> bool {
    std::str::from_utf8(b).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    })
}

/// Walks the opcodes of the pickles in `bytes` (several may follow one another, as in a
/// legacy `torch.save` file), pushing events. Stops at the first STOP not followed by
/// another pickle, or at the first thing that is not a valid opcode stream.
fn walk(bytes: &[u8], events: &mut Vec<Event>) -> Result<(), Corrupt> {
    let mut r = Reader {
        bytes,
        pos: 0,
        op: 0,
    };
    loop {
        let at = r.pos;
        r.op = at;
        let Some(op) = r.byte() else {
            return Err(r.corrupt("ends without a STOP opcode"));
        };
        let mut push_str = |s: Vec<u8>| events.push(Event::Str(at as u64, s));
        match op {
            // STOP: another pickle may follow (PROTO opcode); anything else is not pickle.
            b'.' => {
                if r.peek() != Some(0x80) {
                    return Ok(());
                }
                continue;
            }
            // Memo stores and framing do not change values (a key stays next to its value).
            0x94 => continue,
            b'q' => {
                r.skip(1)?;
                continue;
            }
            b'r' => {
                r.skip(4)?;
                continue;
            }
            b'p' => {
                r.line()?;
                continue;
            }
            0x95 => {
                r.skip(8)?;
                continue;
            }
            // Memo fetches push a value.
            b'h' => r.skip(1)?,
            b'j' => r.skip(4)?,
            b'g' => {
                r.line()?;
            }
            // No argument.
            b'(' | b'0' | b'1' | b'2' | b'N' | b'Q' | b'R' | b'a' | b'b' | b'd' | b'}' | b'e'
            | b'l' | b']' | b'o' | b's' | b't' | b')' | b'u' | 0x81 | 0x85 | 0x86 | 0x87 | 0x88
            | 0x89 | 0x8f | 0x90 | 0x91 | 0x92 | 0x93 | 0x97 | 0x98 => {}
            // Fixed-size arguments.
            b'K' | 0x80 | 0x82 => r.skip(1)?,
            b'M' | 0x83 => r.skip(2)?,
            b'J' | 0x84 => r.skip(4)?,
            b'G' => r.skip(8)?,
            // Newline-terminated arguments.
            b'I' | b'L' | b'F' | b'P' => {
                r.line()?;
            }
            b'c' | b'i' => {
                r.line()?;
                r.line()?;
            }
            // Length-prefixed integers.
            0x8a => {
                let n = r.len(1)?;
                r.skip(n)?;
            }
            0x8b => {
                let n = r.len(4)?;
                r.skip(n)?;
            }
            // Strings: STRING (quoted repr), UNICODE (raw-unicode-escape).
            b'S' => {
                let line = r.line()?;
                push_str(unquote(line));
                continue;
            }
            b'V' => {
                let line = r.line()?;
                push_str(raw_unicode_unescape(line));
                continue;
            }
            // Length-prefixed text: BINSTRING, SHORT_BINSTRING, BINUNICODE, SHORT_BINUNICODE,
            // BINUNICODE8.
            b'T' | b'U' | b'X' | 0x8c | 0x8d => {
                let n = r.len(match op {
                    b'U' | 0x8c => 1,
                    b'T' | b'X' => 4,
                    _ => 8,
                })?;
                let s = r.take(n)?;
                push_str(String::from_utf8_lossy(s).into_owned().into_bytes());
                continue;
            }
            // Length-prefixed bytes: BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8. Kept
            // only when they read as text.
            b'B' | b'C' | 0x8e | 0x96 => {
                let n = r.len(match op {
                    b'C' => 1,
                    b'B' => 4,
                    _ => 8,
                })?;
                let s = r.take(n)?;
                if is_text(s) {
                    push_str(s.to_vec());
                    continue;
                }
            }
            _ => {
                return Err(Corrupt {
                    offset: at,
                    reason: "unknown opcode",
                })
            }
        }
        events.push(Event::Other);
    }
}

/// A bounds-checked cursor: every read that would pass the end is a [`Corrupt`].
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Offset of the opcode being read, which is what a note names.
    op: usize,
}

impl<'a> Reader<'a> {
    fn corrupt(&self, reason: &'static str) -> Corrupt {
        Corrupt {
            offset: self.op,
            reason,
        }
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Corrupt> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| self.corrupt("argument runs past the end"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn skip(&mut self, n: usize) -> Result<(), Corrupt> {
        self.take(n).map(|_| ())
    }

    /// A little-endian length of `width` bytes.
    fn len(&mut self, width: usize) -> Result<usize, Corrupt> {
        let raw = self.take(width)?;
        let mut buf = [0u8; 8];
        buf[..width].copy_from_slice(raw);
        usize::try_from(u64::from_le_bytes(buf))
            .map_err(|_| self.corrupt("length does not fit in memory"))
    }

    /// A newline-terminated argument, without the newline.
    fn line(&mut self) -> Result<&'a [u8], Corrupt> {
        let rest = &self.bytes[self.pos..];
        let window = &rest[..rest.len().min(MAX_LINE)];
        let n = memchr::memchr(b'\n', window)
            .ok_or_else(|| self.corrupt("text argument has no newline"))?;
        self.pos += n + 1;
        Ok(&rest[..n])
    }
}

/// Decodes a protocol-0 STRING argument: a Python bytes repr such as `'a\'b\n'`.
fn unquote(line: &[u8]) -> Vec<u8> {
    let inner = match line {
        [q @ (b'\'' | b'"'), inner @ .., last] if last == q => inner,
        other => other,
    };
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let b = inner[i];
        i += 1;
        if b != b'\\' || i == inner.len() {
            out.push(b);
            continue;
        }
        let e = inner[i];
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'x' => match inner.get(i..i + 2).and_then(hex) {
                Some(v) => {
                    out.push(v as u8);
                    i += 2;
                }
                None => out.extend_from_slice(b"\\x"),
            },
            b'\\' | b'\'' | b'"' => out.push(e),
            other => out.extend_from_slice(&[b'\\', other]),
        }
    }
    out
}

/// Decodes a protocol-0 UNICODE argument: latin-1 text where `\uXXXX` and `\UXXXXXXXX` are
/// the only escapes.
fn raw_unicode_unescape(line: &[u8]) -> Vec<u8> {
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i] == b'\\' {
            let width = match line.get(i + 1) {
                Some(b'u') => 4,
                Some(b'U') => 8,
                _ => 0,
            };
            if width > 0 {
                if let Some(c) = line
                    .get(i + 2..i + 2 + width)
                    .and_then(hex)
                    .and_then(char::from_u32)
                {
                    out.push(c);
                    i += 2 + width;
                    continue;
                }
            }
        }
        out.push(char::from(line[i]));
        i += 1;
    }
    out.into_bytes()
}

fn hex(digits: &[u8]) -> Option<u32> {
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::super::{decode as decode_item, DecodeOptions, DecodeReport};

    fn run(bytes: &[u8]) -> (String, DecodeReport) {
        let mut out = String::new();
        let report = decode_item("x.pkl", bytes, &DecodeOptions::default(), &mut |s| {
            out.push_str(&String::from_utf8_lossy(&s.text))
        });
        (out, report)
    }

    #[test]
    fn protocol_4_dict() {
        // pickle.dumps({'api_key': 'v4lue', 'lr': 0.1, 'tags': ['a', 'b']}, protocol=4)
        let p = b"\x80\x04\x95*\x00\x00\x00\x00\x00\x00\x00}\x94(\x8c\x07api_key\x94\x8c\x05v4lue\x94\x8c\x02lr\x94G?\xb9\x99\x99\x99\x99\x99\x9a\x8c\x04tags\x94]\x94(\x8c\x01a\x94\x8c\x01b\x94eu.";
        let (text, report) = run(p);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        assert_eq!(text, "api_key = v4lue\nlr\ntags\na = b\n");
    }

    #[test]
    fn protocol_0_strings() {
        // pickle.dumps({'k': 'v\u0041'}, protocol=0) and a bytes-style STRING.
        let p = b"(dp0\nVk\np1\nVv\\u0041\np2\nsS'x\\'y\\n'\np3\n.";
        let (text, report) = run(p);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        assert_eq!(text, "k = vA\nx'y\n\n");
    }

    #[test]
    fn corrupt_pickles_are_notes() {
        let (text, report) = run(b"\x80\x04\x8c\x05abc");
        assert!(text.is_empty());
        assert_eq!(report.skipped, 1);
        assert!(
            report.notes[0].contains("corrupt at byte 2"),
            "{:?}",
            report.notes
        );
        let (_, report) = run(b"\x80\x04\xff");
        assert!(report.notes[0].contains("unknown opcode"));
        let (text, report) = run(b"just text named .pkl");
        assert_eq!(text, "just text named .pkl");
        assert!(report.notes[0].contains("scanned as plain text"));
        let (_, report) = run(b"\x80\x04\x8d\xff\xff\xff\xff\xff\xff\xff\xff");
        assert!(report.notes[0].contains("corrupt"));
    }

    #[test]
    fn binary_bytes_are_not_strings() {
        let (text, _) = run(b"\x80\x03C\x03\x00\x01\x02C\x03abc.");
        assert_eq!(text, "abc\n");
    }
}
