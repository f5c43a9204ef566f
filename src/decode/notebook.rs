//! Jupyter notebooks (`.ipynb`, nbformat 3 and 4).
//!
//! A notebook is JSON: each cell's source and outputs are JSON strings (often an array of
//! one string per line), so a token written `hf_ab\u0063…`, or split across two array
//! elements, hides from a plain-text regex. Each cell's source and each text output becomes
//! one segment of decoded text; every string is a piece that maps back to its file line.
//!
//! Image, audio and other binary outputs are never scanned: base64 blobs are a classic
//! source of false positives and cannot hold a typed secret.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json::{leaves, offset_in, string, string_or_list, MAX_DEPTH};
use super::{Ctx, Joiner};
use crate::text::LineIndex as Lines;

#[derive(Deserialize)]
struct Notebook<'a> {
    #[serde(borrow, default)]
    cells: Vec<&'a RawValue>,
    /// nbformat 3 keeps cells in worksheets.
    #[serde(borrow, default)]
    worksheets: Vec<Worksheet<'a>>,
}

#[derive(Deserialize)]
struct Worksheet<'a> {
    #[serde(borrow, default)]
    cells: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Cell<'a> {
    #[serde(default)]
    cell_type: String,
    #[serde(borrow)]
    source: Option<&'a RawValue>,
    /// nbformat 3 name of a code cell's source.
    #[serde(borrow)]
    input: Option<&'a RawValue>,
    #[serde(borrow, default)]
    outputs: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Output<'a> {
    #[serde(default)]
    output_type: String,
    /// Stream output (and nbformat 3 `pyout`).
    #[serde(borrow)]
    text: Option<&'a RawValue>,
    /// Rich output: MIME type to value.
    #[serde(borrow, default)]
    data: BTreeMap<String, &'a RawValue>,
    #[serde(borrow)]
    ename: Option<&'a RawValue>,
    #[serde(borrow)]
    evalue: Option<&'a RawValue>,
    #[serde(borrow)]
    traceback: Option<&'a RawValue>,
}

/// Decodes a notebook; text that is not a notebook is scanned as plain text, with a note.
pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8]) {
    let parsed = std::str::from_utf8(bytes)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<Notebook<'_>>(text)
                .map(|nb| (text, nb))
                .map_err(|e| e.to_string())
        });
    let (text, notebook) = match parsed {
        Ok(ok) => ok,
        Err(e) => {
            ctx.note(
                suffix,
                format_args!("not a valid notebook ({e}); scanned as plain text"),
            );
            ctx.text(suffix, bytes, usize::from(!suffix.is_empty()));
            return;
        }
    };
    let lines = Lines::new(bytes);
    let cells = notebook
        .cells
        .iter()
        .chain(notebook.worksheets.iter().flat_map(|w| w.cells.iter()));
    for (index, raw) in cells.enumerate() {
        let number = index + 1;
        let cell: Cell<'_> = match serde_json::from_str(raw.get()) {
            Ok(cell) => cell,
            Err(e) => {
                ctx.skipped_part(suffix, format_args!("cell {number} is malformed: {e}"));
                continue;
            }
        };
        let kind = if cell.cell_type.is_empty() {
            "unknown"
        } else {
            &cell.cell_type
        };
        if let Some(source) = cell.source.or(cell.input) {
            let mut j = Joiner::new(text.len());
            for (raw, s) in string_or_list(source) {
                j.push(s.as_bytes(), Some(line(text, &lines, raw)), None);
            }
            ctx.emit_joined(j, suffix, format!("cell {number} ({kind}) source"));
        }
        for (out_index, raw) in cell.outputs.iter().enumerate() {
            let label = format!("cell {number} ({kind}) output {}", out_index + 1);
            match serde_json::from_str::<Output<'_>>(raw.get()) {
                Ok(output) => output_segments(ctx, suffix, text, &lines, &output, &label),
                Err(e) => ctx.skipped_part(suffix, format_args!("{label} is malformed: {e}")),
            }
        }
    }
}

/// The segments of one output: stream text, error name/value/traceback, and each textual
/// MIME representation (never images or other binary data).
fn output_segments(
    ctx: &mut Ctx<'_, '_>,
    suffix: &str,
    text: &str,
    lines: &Lines,
    output: &Output<'_>,
    label: &str,
) {
    let kind = &output.output_type;
    if let Some(raw) = output.text {
        let mut j = Joiner::new(text.len());
        for (raw, s) in string_or_list(raw) {
            j.push(s.as_bytes(), Some(line(text, lines, raw)), None);
        }
        ctx.emit_joined(j, suffix, format!("{label} ({kind})"));
    }
    if output.ename.is_some() || output.evalue.is_some() || output.traceback.is_some() {
        let mut j = Joiner::new(text.len());
        for raw in [output.ename, output.evalue].into_iter().flatten() {
            if let Some(s) = string(raw) {
                j.push(s.as_bytes(), Some(line(text, lines, raw)), None);
                j.sep(b"\n");
            }
        }
        if let Some(raw) = output.traceback {
            for (raw, s) in string_or_list(raw) {
                j.push(s.as_bytes(), Some(line(text, lines, raw)), None);
                j.sep(b"\n");
            }
        }
        ctx.emit_joined(j, suffix, format!("{label} ({kind})"));
    }
    for (mime, raw) in &output.data {
        if !is_textual(mime) {
            continue;
        }
        let mut j = Joiner::new(text.len());
        if mime.ends_with("json") {
            // Structured data: one `key = value` line per string, so rules that want a
            // name next to the value (`api_key = …`) still see one.
            let (leaves, too_deep) = leaves(raw);
            if too_deep {
                ctx.skipped_part(
                    suffix,
                    format_args!("{label} ({kind}) {mime}: JSON nested deeper than {MAX_DEPTH} levels; the deeper values not scanned"),
                );
            }
            for (key, raw, s) in leaves {
                let at = Some(line(text, lines, raw));
                match key {
                    Some(key) => j.push_keyed(key.as_bytes(), s.as_bytes(), at, None),
                    None => {
                        j.push(s.as_bytes(), at, None);
                        j.sep(b"\n");
                    }
                }
            }
        } else {
            for (raw, s) in string_or_list(raw) {
                j.push(s.as_bytes(), Some(line(text, lines, raw)), None);
            }
        }
        ctx.emit_joined(j, suffix, format!("{label} ({kind}) {mime}"));
    }
}

/// Textual MIME types are scanned; images, audio, video, PDFs and the like are not.
fn is_textual(mime: &str) -> bool {
    mime.starts_with("text/") || mime.ends_with("json") || mime == "application/javascript"
}

fn line(text: &str, lines: &Lines, raw: &RawValue) -> usize {
    lines.line_of(offset_in(text, raw))
}

impl Ctx<'_, '_> {
    /// A part of an item that could not be decoded: counted as skipped, with a note.
    pub(super) fn skipped_part(&mut self, suffix: &str, message: impl std::fmt::Display) {
        self.report.skipped += 1;
        self.note(suffix, message);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{decode as decode_item, DecodeOptions, DecodeReport};

    /// Text, label and piece lines of one segment.
    type Seg = (String, String, Vec<Option<usize>>);

    fn run(bytes: &[u8]) -> (Vec<Seg>, DecodeReport) {
        let mut out = Vec::new();
        let report = decode_item("nb.ipynb", bytes, &DecodeOptions::default(), &mut |s| {
            out.push((
                String::from_utf8_lossy(&s.text).into_owned(),
                s.label.clone().unwrap_or_default(),
                s.pieces.iter().map(|p| p.line).collect(),
            ))
        });
        (out, report)
    }

    #[test]
    fn cells_and_outputs_are_decoded_and_located() {
        let nb = br#"{
 "cells": [
  {
   "cell_type": "code",
   "source": [
    "tok = \"ab\u0063\"\n",
    "print(tok)"
   ],
   "outputs": [
    {"output_type": "stream", "name": "stdout", "text": ["abc\n"]},
    {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<img>"]}},
    {"output_type": "error", "ename": "ValueError", "evalue": "bad", "traceback": ["line 1", "line 2"]}
   ]
  }
 ],
 "nbformat": 4
}"#;
        let (segments, report) = run(nb);
        assert!(report.notes.is_empty(), "{:?}", report.notes);
        assert_eq!(segments[0].0, "tok = \"abc\"\nprint(tok)");
        assert_eq!(segments[0].1, "cell 1 (code) source");
        assert_eq!(segments[0].2, vec![Some(6), Some(7)]);
        assert_eq!(segments[1].0, "abc\n");
        assert_eq!(segments[1].1, "cell 1 (code) output 1 (stream)");
        assert_eq!(segments[2].0, "<img>");
        assert_eq!(
            segments[2].1,
            "cell 1 (code) output 2 (display_data) text/plain"
        );
        assert_eq!(segments[3].0, "ValueError\nbad\nline 1\nline 2\n");
        assert_eq!(segments.len(), 4, "the image output must not be scanned");
    }

    #[test]
    fn invalid_json_falls_back_to_text() {
        let (segments, report) = run(b"{\"cells\": [ nope");
        assert_eq!(segments.len(), 1);
        assert_eq!(segments[0].0, "{\"cells\": [ nope");
        assert_eq!(report.notes.len(), 1);
        assert!(report.notes[0].contains("not a valid notebook"));
    }

    #[test]
    fn json_output_becomes_key_value_lines() {
        let nb = br#"{"cells": [{"cell_type": "code", "source": "",
  "outputs": [{"output_type": "execute_result", "data": {"application/json": {"cfg": {"api_key": "v1"}}}}]}]}"#;
        let (segments, _) = run(nb);
        assert_eq!(segments[0].0, "api_key = v1\n");
        assert_eq!(segments[0].2, vec![Some(2)]);
    }
}
