//! Decoding: turning an item's bytes into the text segments the engine searches.
//!
//! Plain text passes through untouched and borrowed (no copy). Container formats (notebooks,
//! archives, model files) get decoders that produce segments with a map back to where each
//! byte came from. Decoders are chosen by extension and magic bytes, so ordinary text pays
//! for nothing but that choice (a few byte comparisons).
//!
//! Segments are handed to a sink one at a time instead of being collected, so an archive's
//! members are scanned and dropped one by one: memory stays bounded by one member, not by
//! the whole decompressed archive.
//!
//! Decoders never fail: malformed input of any kind becomes a note in the [`DecodeReport`]
//! and a skipped (counted) member, because one corrupt file must not stop a scan.

mod dbeaver;
mod gguf;
mod gzip;
mod json;
mod notebook;
mod pickle;
mod safetensors;
mod tar;
mod zip;

use std::borrow::Cow;
use std::io::Read;

/// How far into an item keyhound looks for a NUL byte to call it binary (as git does).
pub const BINARY_SNIFF_LEN: usize = 8192;

/// Default `--max-depth`: how many archive layers are opened (`a.zip!b.zip!c.txt` is 2).
pub const DEFAULT_MAX_DEPTH: usize = 2;
/// The most archive layers ever opened, whatever `--max-depth` says: decoding a layer
/// recurses, so a zip nested 3000 deep with `--max-depth 1000` overflowed the stack.
pub const MAX_DEPTH_CEILING: usize = 16;
/// Longest member name kept (bytes); a longer one is cut and marked `…`. Every finding in
/// a member carries its name, and a GNU tar long name can be hundreds of megabytes.
pub const MAX_MEMBER_NAME: usize = 1024;
/// Default cap on one decompressed archive member.
pub const DEFAULT_MAX_MEMBER_BYTES: u64 = 10 * 1024 * 1024;
/// Default cap on all bytes decompressed from one item, nested archives included.
pub const DEFAULT_MAX_ARCHIVE_BYTES: u64 = 256 * 1024 * 1024;
/// Default cap on members listed by one archive.
pub const DEFAULT_MAX_MEMBERS: u64 = 100_000;
/// Most notes kept per item; the rest are only counted.
const MAX_NOTES_PER_ITEM: usize = 16;

/// Limits that keep decoding bounded whatever the input (compression bombs, deep nesting).
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// Archive layers opened; members of deeper archives are skipped with a note.
    pub max_depth: usize,
    /// Decompressed bytes kept from one member; a longer member is cut short and counted.
    pub max_member_bytes: u64,
    /// Decompressed bytes per top-level item across all its members and layers.
    pub max_archive_bytes: u64,
    /// Members looked at per archive.
    pub max_members: u64,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_depth: DEFAULT_MAX_DEPTH,
            max_member_bytes: DEFAULT_MAX_MEMBER_BYTES,
            max_archive_bytes: DEFAULT_MAX_ARCHIVE_BYTES,
            max_members: DEFAULT_MAX_MEMBERS,
        }
    }
}

/// A run of text to search, and where it sits in the item it came from.
#[derive(Debug, Clone)]
pub struct Segment<'a> {
    pub text: Cow<'a, [u8]>,
    /// Appended to the item's path for findings in this segment (`!member/path` for an
    /// archive member); empty for plain text.
    pub path_suffix: String,
    /// Line of the item on which this segment's first line sits, minus one (0 for plain text).
    pub line_offset: usize,
    /// Where inside the item, for humans: `cell 3 (code) source`. `None` for plain text.
    pub label: Option<String>,
    /// Where the pieces of a decoded text came from, sorted by `start`. Empty when the text's
    /// lines are the item's lines (shifted by `line_offset`). A decoder fills this when it
    /// joins strings that sit apart in the item (notebook source lines, pickle constants).
    pub pieces: Vec<Piece>,
}

/// A stretch of decoded text that came from one place in the item, from `start` up to the
/// next piece's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset in the segment's text where this piece begins.
    pub start: usize,
    /// 1-based line of the item (or member) holding this piece, when the item has lines.
    pub line: Option<usize>,
    /// Byte offset in the item (or member) where this piece was read, for binary formats.
    pub offset: Option<u64>,
}

impl<'a> Segment<'a> {
    /// The whole item as one plain-text segment.
    pub fn plain(bytes: &'a [u8]) -> Self {
        Segment {
            text: Cow::Borrowed(bytes),
            path_suffix: String::new(),
            line_offset: 0,
            label: None,
            pieces: Vec::new(),
        }
    }

    /// The piece holding byte `at` of the text, if the decoder recorded pieces.
    pub fn piece_at(&self, at: usize) -> Option<&Piece> {
        let after = self.pieces.partition_point(|p| p.start <= at);
        after.checked_sub(1).map(|i| &self.pieces[i])
    }
}

/// What decoding an item found besides text: whether it was binary, and what was skipped,
/// cut or odd about it. Summed into the scan's statistics, and kept by the scan cache.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DecodeReport {
    /// The item is binary data no decoder understands (skipped).
    pub binary: bool,
    /// Archive members decoded (at any depth).
    pub members: u64,
    /// Archive members skipped as binary data no decoder understands.
    pub members_binary: u64,
    /// Items or members not scanned: malformed, encrypted, unsupported, too deep, over
    /// budget. Each has a note saying why.
    pub skipped: u64,
    /// Members cut short at the size cap (the part before the cut was scanned).
    pub members_cut: u64,
    /// Decompressed bytes not scanned because of the caps (as declared by the archive).
    pub bytes_cut: u64,
    /// Members cut whose full size nobody declared (a gzip stream): their cut bytes are
    /// unknown, and not in `bytes_cut`, so the summary says "at least".
    pub members_cut_unknown: u64,
    /// Notes beyond [`MAX_NOTES_PER_ITEM`] are counted here but not kept.
    pub notes_dropped: u64,
    /// What was odd, e.g. `model.safetensors: header length 900 is beyond the file (120 bytes)`.
    pub notes: Vec<String>,
}

/// Decodes one item and hands each text segment to `sink`. `path` (the item's display path)
/// picks a decoder by extension and names the item in notes.
pub fn decode(
    path: &str,
    bytes: &[u8],
    options: &DecodeOptions,
    sink: &mut dyn for<'s> FnMut(Segment<'s>),
) -> DecodeReport {
    let capped;
    let options = if options.max_depth > MAX_DEPTH_CEILING {
        capped = DecodeOptions {
            max_depth: MAX_DEPTH_CEILING,
            ..options.clone()
        };
        &capped
    } else {
        options
    };
    let mut ctx = Ctx {
        options,
        item: path,
        budget: options.max_archive_bytes,
        report: DecodeReport::default(),
        sink,
    };
    ctx.decode_member(path, "", bytes, 0);
    ctx.report
}

/// Model files are often gigabytes, far past `--max-file-size`, yet what keyhound reads of
/// them is small. For such a file this reads just what its decoder needs, at most about
/// `max` bytes: a safetensors header (by its declared length, up to 100 MB); the first
/// `max` bytes of a GGUF file (its key-value metadata comes first) or of a legacy pickled
/// PyTorch file (its pickles come before the tensor data); for a zip checkpoint, its `.pkl`
/// members repacked into a small stored zip (tensor members are never read), which decodes
/// to the same `file.pt!archive/data.pkl` findings. `None` for every other file, which is
/// then skipped as oversized.
pub fn read_model_header(path: &std::path::Path, max: u64) -> Option<std::io::Result<Vec<u8>>> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let ext = name.rsplit_once('.')?.1;
    if !matches!(ext, "safetensors" | "gguf" | "pt" | "pth" | "ckpt" | "bin") {
        return None;
    }
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => return Some(Err(e)),
    };
    let mut head = Vec::new();
    if let Err(e) = (&mut file).take(8).read_to_end(&mut head) {
        return Some(Err(e));
    }
    let want = match ext {
        "safetensors" => head
            .get(..8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .min(safetensors::MAX_HEADER + 1),
        "gguf" if head.starts_with(GGUF_MAGIC) => max,
        "gguf" => return None,
        _ if is_zip(&head) => return Some(zip::checkpoint_pickles(file, max)),
        _ if head.first() == Some(&PICKLE_PROTO) => max,
        _ => return None,
    };
    Some(file.take(want).read_to_end(&mut head).map(|_| head))
}

/// Whether an item named `name` that starts with `head` is binary data no decoder claims:
/// then its first [`BINARY_SNIFF_LEN`] bytes decide it is skipped, and the rest need not be
/// read at all.
pub fn is_unclaimed_binary(name: &str, head: &[u8]) -> bool {
    detect(name, head) == Format::Text && is_binary(head)
}

/// A member's name as findings carry it: at most [`MAX_MEMBER_NAME`] bytes.
fn member_name(name: &[u8]) -> String {
    if name.len() <= MAX_MEMBER_NAME {
        return String::from_utf8_lossy(name).into_owned();
    }
    let mut kept = String::from_utf8_lossy(&name[..MAX_MEMBER_NAME]).into_owned();
    kept.push('…');
    kept
}

/// A NUL byte near the start means binary, as git and ripgrep decide it.
pub fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_LEN)]).is_some()
}

/// What an item's name tells the decoders, as a key: two names with the same key decode the
/// same bytes to the same segments and notes (apart from the item's name at the start of
/// each note). Decoders are picked by the extensions of the last path component (`!` counts
/// as a separator, as in [`detect`]; `.gz` is stripped and the rest decides again), so this
/// is everything after that component's first dot, lowercased (`tar.gz` for
/// `Backup.TAR.GZ`, `py` for `train.py`, `env` for `.env`, empty for `Makefile`). More
/// than the decoders need, never less. A scan cache keeps a blob's raw scan under its id
/// and this key.
pub fn format_key(name: &str) -> String {
    let base = base_name(name);
    // A decoder claimed by the whole name (DBeaver's credentials file), not its extension.
    if base.eq_ignore_ascii_case(dbeaver::FILE_NAME) {
        return format!("name:{}", base.to_ascii_lowercase());
    }
    match base.split_once('.') {
        Some((_, extensions)) => extensions.to_ascii_lowercase(),
        None => String::new(),
    }
}

/// The decoder an item gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Notebook,
    Safetensors,
    Gguf,
    Pickle,
    Zip,
    Tar,
    TarGz,
    Gzip,
    DbeaverCredentials,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// An empty zip is only an end-of-central-directory record.
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const GZIP_MAGIC: &[u8] = b"\x1f\x8b";
const GGUF_MAGIC: &[u8] = b"GGUF";
/// Pickle protocol 2+ starts with PROTO and the protocol number.
const PICKLE_PROTO: u8 = 0x80;

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC)
}

/// The last component of an item's name (`a/b.zip!c/d.json` gives `d.json`).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '!']).next().unwrap_or(name)
}

/// Picks a decoder by extension, confirmed by magic bytes where the format has them. Items
/// with no known extension are sniffed for zip and gzip magic only (4 bytes compared), so
/// ordinary text costs nothing more.
fn detect(name: &str, bytes: &[u8]) -> Format {
    let base = base_name(name);
    let ext = match base.rsplit_once('.') {
        Some((_, ext)) if ext.len() <= 11 => ext.to_ascii_lowercase(),
        _ => String::new(),
    };
    if base.eq_ignore_ascii_case(dbeaver::FILE_NAME) && dbeaver::is_encrypted(bytes) {
        return Format::DbeaverCredentials;
    }
    match ext.as_str() {
        "ipynb" => Format::Notebook,
        "safetensors" => Format::Safetensors,
        "gguf" if bytes.starts_with(GGUF_MAGIC) => Format::Gguf,
        "pkl" | "pickle" | "joblib" if bytes.starts_with(GZIP_MAGIC) => Format::Gzip,
        "pkl" | "pickle" | "joblib" => Format::Pickle,
        "pt" | "pth" | "ckpt" | "bin" if is_zip(bytes) => Format::Zip,
        "pt" | "pth" | "ckpt" | "bin" if bytes.first() == Some(&PICKLE_PROTO) => Format::Pickle,
        "zip" | "whl" | "jar" | "nupkg" if is_zip(bytes) => Format::Zip,
        "tar" => Format::Tar,
        "tgz" if bytes.starts_with(GZIP_MAGIC) => Format::TarGz,
        "gz" if bytes.starts_with(GZIP_MAGIC) => {
            let stem = &base[..base.len() - 3];
            if stem.to_ascii_lowercase().ends_with(".tar") {
                Format::TarGz
            } else {
                Format::Gzip
            }
        }
        _ if is_zip(bytes) => Format::Zip,
        _ if bytes.starts_with(GZIP_MAGIC) => Format::Gzip,
        _ => Format::Text,
    }
}

/// Decoding state for one top-level item: limits, what is left of the byte budget, the
/// report, and where segments go.
struct Ctx<'o, 'k> {
    options: &'o DecodeOptions,
    /// The item's display path, for notes.
    item: &'o str,
    /// Decompressed bytes still allowed for this item.
    budget: u64,
    report: DecodeReport,
    sink: &'k mut dyn for<'s> FnMut(Segment<'s>),
}

impl Ctx<'_, '_> {
    /// Records a note about `suffix` (a member path, or empty for the item itself).
    fn note(&mut self, suffix: &str, message: impl std::fmt::Display) {
        if self.report.notes.len() >= MAX_NOTES_PER_ITEM {
            self.report.notes_dropped += 1;
            return;
        }
        self.report
            .notes
            .push(format!("{}{}: {}", self.item, suffix, message));
    }

    /// Emits a joiner's text, noting when it was cut at its cap.
    fn emit_joined(&mut self, j: Joiner, suffix: &str, label: String) {
        if j.cut {
            self.report.skipped += 1;
            self.note(
                suffix,
                format_args!(
                    "{label}: decoded text cut at {} bytes (twice the input, plus 64 KiB)",
                    j.budget
                ),
            );
        }
        self.emit(j.into_segment(suffix, label));
    }

    fn emit(&mut self, segment: Segment<'_>) {
        if !segment.text.is_empty() {
            (self.sink)(segment);
        }
    }

    /// Decodes the item itself (`depth` 0) or one archive member at `depth` layers down.
    /// `name` picks the decoder; `suffix` is the member's path suffix (`!inner/path`).
    fn decode_member(&mut self, name: &str, suffix: &str, bytes: &[u8], depth: usize) {
        if depth > 0 {
            self.report.members += 1;
        }
        match detect(name, bytes) {
            Format::Text => self.text(suffix, bytes, depth),
            Format::Notebook => notebook::decode(self, suffix, bytes),
            Format::Safetensors => safetensors::decode(self, suffix, bytes),
            Format::Gguf => gguf::decode(self, suffix, bytes),
            Format::Pickle => pickle::decode(self, suffix, bytes),
            Format::DbeaverCredentials => dbeaver::decode(self, suffix, bytes),
            format @ (Format::Zip | Format::Tar | Format::TarGz | Format::Gzip) => {
                if depth >= self.options.max_depth {
                    self.report.skipped += 1;
                    self.note(
                        suffix,
                        format_args!(
                            "archive not opened: nested deeper than --max-depth {}",
                            self.options.max_depth
                        ),
                    );
                    return;
                }
                match format {
                    Format::Zip => zip::decode(self, suffix, bytes, depth + 1),
                    Format::Tar => tar::decode(self, suffix, bytes, depth + 1, false),
                    Format::TarGz => tar::decode(self, suffix, bytes, depth + 1, true),
                    _ => gzip::decode(self, name, suffix, bytes, depth + 1),
                }
            }
        }
    }

    /// Plain text, or binary that is skipped and counted.
    fn text(&mut self, suffix: &str, bytes: &[u8], depth: usize) {
        if is_binary(bytes) {
            if depth == 0 {
                self.report.binary = true;
            } else {
                self.report.members_binary += 1;
            }
            return;
        }
        let mut segment = Segment::plain(bytes);
        segment.path_suffix = suffix.to_string();
        self.emit(segment);
    }

    /// Decodes one archive member read from `reader`. The first few KiB are read first: a
    /// member that no decoder claims and that is binary (tensor data in a checkpoint, say)
    /// is counted and skipped without decompressing the rest.
    fn member(
        &mut self,
        name: &str,
        suffix: &str,
        reader: &mut dyn Read,
        declared: Option<u64>,
        depth: usize,
    ) {
        if self.budget == 0 {
            self.report.skipped += 1;
            self.note(
                suffix,
                "not scanned: the item's decompression budget is spent",
            );
            return;
        }
        let mut head = Vec::new();
        let sniff = (BINARY_SNIFF_LEN as u64).min(self.options.max_member_bytes);
        let head_result = reader.take(sniff).read_to_end(&mut head);
        if head_result.is_ok() && detect(name, &head) == Format::Text && is_binary(&head) {
            self.report.members += 1;
            self.report.members_binary += 1;
            self.budget = self.budget.saturating_sub(head.len() as u64);
            return;
        }
        let mut rest = head.as_slice().chain(reader);
        if let Some(data) = self.read_member(suffix, &mut rest, declared) {
            self.decode_member(name, suffix, &data, depth);
        }
    }

    /// Reads one member from a decompressing reader, keeping at most the per-member cap and
    /// what is left of the item's budget. Returns the bytes and whether the member was cut;
    /// a cut member is counted (with `declared` size, when known, for the bytes cut). A read
    /// error keeps what was read before it, with a note.
    fn read_member(
        &mut self,
        suffix: &str,
        reader: &mut dyn Read,
        declared: Option<u64>,
    ) -> Option<Vec<u8>> {
        let cap = self.options.max_member_bytes.min(self.budget);
        if cap == 0 {
            self.report.skipped += 1;
            self.note(
                suffix,
                "not scanned: the item's decompression budget is spent",
            );
            return None;
        }
        // Never trust a declared size for allocation: it is attacker-controlled.
        let hint = declared.unwrap_or(0).min(cap).min(1 << 20) as usize;
        let mut out = Vec::with_capacity(hint);
        let result = reader.take(cap + 1).read_to_end(&mut out);
        self.budget = self.budget.saturating_sub(out.len() as u64);
        if let Err(e) = result {
            self.note(
                suffix,
                format_args!("read error after {} bytes (scanned those): {e}", out.len()),
            );
        }
        if out.len() as u64 > cap {
            out.truncate(cap as usize);
            self.report.members_cut += 1;
            match declared {
                Some(d) => self.report.bytes_cut += d.saturating_sub(cap).max(1),
                None => self.report.members_cut_unknown += 1,
            }
            self.note(
                suffix,
                format_args!("cut short at {cap} bytes (decompressed size cap)"),
            );
        }
        Some(out)
    }
}

/// Builds a segment from strings joined by the decoder, recording a piece for each.
///
/// The text is capped in proportion to the input it was decoded from: a decoder that
/// repeats something per element (a key per array element of a GGUF file or a notebook's
/// JSON output) would otherwise turn a few megabytes into gigabytes. Past the cap pieces are
/// dropped, and the item gets a note.
struct Joiner {
    text: Vec<u8>,
    pieces: Vec<Piece>,
    budget: usize,
    cut: bool,
    /// The last key written in full, by address: a long key repeated for every element of
    /// one array is written once.
    last_key: Option<(usize, usize)>,
}

/// Keys up to this long are repeated before every value (rules want the name beside the
/// value); a longer one is written once per run of values under it.
const REPEATED_KEY_MAX: usize = 256;

impl Joiner {
    /// A joiner for text decoded from `input_len` bytes.
    fn new(input_len: usize) -> Self {
        Joiner {
            text: Vec::new(),
            pieces: Vec::new(),
            budget: input_len.saturating_mul(2).saturating_add(64 << 10),
            cut: false,
            last_key: None,
        }
    }

    fn room(&mut self, n: usize) -> bool {
        if self.cut || self.text.len() + n > self.budget {
            self.cut = true;
            return false;
        }
        true
    }

    /// Appends `s` as a piece from `line`/`offset` of the item.
    fn push(&mut self, s: &[u8], line: Option<usize>, offset: Option<u64>) {
        if !self.room(s.len()) {
            return;
        }
        self.pieces.push(Piece {
            start: self.text.len(),
            line,
            offset,
        });
        self.text.extend_from_slice(s);
    }

    /// Appends a separator that belongs to the previous piece.
    fn sep(&mut self, s: &[u8]) {
        if self.room(s.len()) {
            self.text.extend_from_slice(s);
        }
    }

    /// Appends `key = value` as one piece, or only `value` when `key` is long and was the
    /// key just written (the same bytes, not merely equal ones: no comparison per element).
    fn push_keyed(&mut self, key: &[u8], value: &[u8], line: Option<usize>, offset: Option<u64>) {
        let id = (key.as_ptr() as usize, key.len());
        if key.len() > REPEATED_KEY_MAX && self.last_key == Some(id) {
            self.push(value, line, offset);
        } else {
            self.push(key, line, offset);
            self.sep(b" = ");
            self.sep(value);
            self.last_key = Some(id);
        }
        self.sep(b"\n");
    }

    fn into_segment(self, suffix: &str, label: String) -> Segment<'static> {
        Segment {
            text: Cow::Owned(self.text),
            path_suffix: suffix.to_string(),
            line_offset: 0,
            label: Some(label),
            pieces: self.pieces,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_with_one_format_key_get_one_decoder() {
        use super::{detect, format_key};
        assert_eq!(format_key("a/Backup.TAR.GZ"), "tar.gz");
        assert_eq!(format_key("x.zip!inner/train.py"), "py");
        assert_eq!(format_key("dir.d/Makefile"), "");
        assert_eq!(format_key(".env"), "env");
        let gz = b"\x1f\x8b\x08\x00";
        let zip = b"PK\x03\x04";
        for (a, b) in [
            ("m.PKL.gz", "other/dir/x.pkl.GZ"),
            ("a.tar.gz", "b/c.TAR.gz"),
            ("n.ipynb", "deep/m.IPYNB"),
            ("w.whl", "w2.whl"),
        ] {
            assert_eq!(format_key(a), format_key(b));
            for bytes in [&gz[..], &zip[..], b"text"] {
                assert_eq!(detect(a, bytes), detect(b, bytes), "{a} {b}");
            }
        }
        // Names that decode differently never share a key.
        assert_ne!(format_key("a.pkl.gz"), format_key("a.gz"));
        assert_ne!(format_key("n.ipynb"), format_key("n.json"));
        assert_ne!(
            format_key(".dbeaver/credentials-config.json"),
            format_key("config.json")
        );
    }

    use super::*;
    use crate::text::LineIndex;

    fn segments(path: &str, bytes: &[u8]) -> (Vec<Segment<'static>>, DecodeReport) {
        let mut out = Vec::new();
        let report = decode(path, bytes, &DecodeOptions::default(), &mut |s| {
            out.push(Segment {
                text: Cow::Owned(s.text.into_owned()),
                path_suffix: s.path_suffix,
                line_offset: s.line_offset,
                label: s.label,
                pieces: s.pieces,
            })
        });
        (out, report)
    }

    #[test]
    fn text_passes_through_borrowed() {
        let bytes = b"password = hunter2";
        let mut borrowed = false;
        let report = decode("a.txt", bytes, &DecodeOptions::default(), &mut |s| {
            borrowed = matches!(s.text, Cow::Borrowed(_));
        });
        assert!(borrowed);
        assert!(!report.binary);
    }

    #[test]
    fn nul_byte_means_binary() {
        let (segments, report) = segments("a.bin", b"\x7fELF\x00\x01");
        assert!(segments.is_empty());
        assert!(report.binary);
    }

    #[test]
    fn detection_uses_extension_and_magic() {
        assert_eq!(detect("a/b.txt", b"hello"), Format::Text);
        assert_eq!(detect("a/B.IPYNB", b"{}"), Format::Notebook);
        assert_eq!(detect("m.gguf", b"GGUF\x03"), Format::Gguf);
        assert_eq!(detect("m.gguf", b"not gguf"), Format::Text);
        assert_eq!(detect("m.pt", b"PK\x03\x04"), Format::Zip);
        assert_eq!(detect("m.pt", b"\x80\x02"), Format::Pickle);
        assert_eq!(detect("m.pt", b"text"), Format::Text);
        assert_eq!(detect("a.tar.gz", b"\x1f\x8b"), Format::TarGz);
        assert_eq!(detect("a.txt.gz", b"\x1f\x8b"), Format::Gzip);
        assert_eq!(detect("a.gz", b"plain"), Format::Text);
        assert_eq!(detect("x.zip!inner.tgz", b"\x1f\x8b"), Format::TarGz);
        assert_eq!(detect("noext", b"PK\x03\x04"), Format::Zip);
    }

    #[test]
    fn pieces_map_offsets() {
        let mut j = Joiner::new(16);
        j.push(b"abc", Some(4), None);
        j.sep(b"\n");
        j.push(b"def", Some(9), None);
        let s = j.into_segment("", "x".into());
        assert_eq!(s.piece_at(0).unwrap().line, Some(4));
        assert_eq!(s.piece_at(3).unwrap().line, Some(4));
        assert_eq!(s.piece_at(4).unwrap().line, Some(9));
        assert_eq!(s.piece_at(100).unwrap().line, Some(9));
    }

    #[test]
    fn lines_of_offsets() {
        let l = LineIndex::new(b"a\nbc\n\nd");
        assert_eq!(l.line_of(0), 1);
        assert_eq!(l.line_of(1), 1);
        assert_eq!(l.line_of(2), 2);
        assert_eq!(l.line_of(6), 4);
    }
}
