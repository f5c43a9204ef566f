//! Scanning one item: decode, match, locate, and the item-level part of the filter stage.
//! Every source (files, stdin, git blobs, staged blobs) ends here, so every source gets the
//! same decoders, rules and allows.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::decode::{decode, is_binary, DecodeOptions, DecodeReport, Segment};
use crate::engine::{Engine, KeywordHits, RawMatch, Reuse, WindowResults};
use crate::filter::{is_allowed_inline, location_kind, Filter, Reason};
use crate::finding::{Finding, Location, LINE_CONTEXT_BYTES};
use crate::item::{Item, Origin};
use crate::report::line_hash::line_hashes;
use crate::rules::Confidence;
use crate::text::{CopiedSpan, LineIndex};

/// Default `--max-file-size`: larger files are skipped and counted.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// The engine plus the limits of what a scan reads.
pub struct Scanner {
    pub engine: Engine,
    /// Items larger than this are skipped and counted (model files keep their header).
    pub max_file_size: u64,
    /// Limits for archives and other containers (depth, decompressed sizes).
    pub decode: DecodeOptions,
    /// Gather what verifiers need beside each secret (`Finding::companions`): only when
    /// the run verifies, so a plain scan holds no partner secrets or key files.
    pub companions: bool,
}

/// Counters for the summary line. Atomic so parallel workers share one set.
#[derive(Debug, Default)]
pub struct Stats {
    /// Items read and scanned.
    pub items: AtomicU64,
    pub bytes: AtomicU64,
    /// Git blobs whose scan the scan cache held, so they were not read (not in `items`).
    pub cached: AtomicU64,
    pub skipped_binary: AtomicU64,
    pub skipped_oversize: AtomicU64,
    pub skipped_unreadable: AtomicU64,
    /// Tree entries never read: FIFOs, sockets, devices and symlinks.
    pub skipped_special: AtomicU64,
    /// The entries skipped, by name and reason, the first [`MAX_KEPT_NOTES`] kept (for
    /// `--verbose`).
    pub skipped_names: Mutex<Vec<String>>,
    /// Archive members decoded (at any depth).
    pub members: AtomicU64,
    /// Archive members skipped as binary data no decoder understands.
    pub skipped_binary_members: AtomicU64,
    /// Items or members not scanned: malformed, encrypted, too deep, over budget.
    pub skipped_malformed: AtomicU64,
    /// Members cut short at the decompressed size cap, and the bytes cut.
    pub cut_members: AtomicU64,
    pub cut_bytes: AtomicU64,
    /// Members cut whose full size is unknown (not in `cut_bytes`).
    pub cut_unknown: AtomicU64,
    /// Decoder notes (what was odd and where), the first [`MAX_KEPT_NOTES`] kept.
    pub notes: Mutex<Vec<String>>,
    pub notes_total: AtomicU64,
}

/// Notes kept for display; the rest are only counted.
pub const MAX_KEPT_NOTES: usize = 50;

impl Stats {
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }

    /// Adds what decoding one item reported.
    pub fn absorb(&self, report: DecodeReport) {
        if report.binary {
            Self::add(&self.skipped_binary, 1);
        }
        Self::add(&self.members, report.members);
        Self::add(&self.skipped_binary_members, report.members_binary);
        Self::add(&self.skipped_malformed, report.skipped);
        Self::add(&self.cut_members, report.members_cut);
        Self::add(&self.cut_bytes, report.bytes_cut);
        Self::add(&self.cut_unknown, report.members_cut_unknown);
        let total = report.notes.len() as u64 + report.notes_dropped;
        if total > 0 {
            Self::add(&self.notes_total, total);
            let mut kept = self.notes.lock().unwrap_or_else(|e| e.into_inner());
            let room = MAX_KEPT_NOTES.saturating_sub(kept.len());
            kept.extend(report.notes.into_iter().take(room));
        }
    }

    /// Moves the counts out into a new set, leaving this one zeroed (for counters a progress
    /// display shared while the scan ran).
    pub fn take(&self) -> Stats {
        let take = |c: &AtomicU64| AtomicU64::new(c.swap(0, Ordering::Relaxed));
        let notes = std::mem::take(&mut *self.notes.lock().unwrap_or_else(|e| e.into_inner()));
        Stats {
            items: take(&self.items),
            bytes: take(&self.bytes),
            cached: take(&self.cached),
            skipped_binary: take(&self.skipped_binary),
            skipped_oversize: take(&self.skipped_oversize),
            skipped_unreadable: take(&self.skipped_unreadable),
            skipped_special: take(&self.skipped_special),
            skipped_names: Mutex::new(std::mem::take(
                &mut *self.skipped_names.lock().unwrap_or_else(|e| e.into_inner()),
            )),
            members: take(&self.members),
            skipped_binary_members: take(&self.skipped_binary_members),
            skipped_malformed: take(&self.skipped_malformed),
            cut_members: take(&self.cut_members),
            cut_bytes: take(&self.cut_bytes),
            cut_unknown: take(&self.cut_unknown),
            notes: Mutex::new(notes),
            notes_total: take(&self.notes_total),
        }
    }

    /// Counts one skipped entry in `counter` and keeps its name (the first
    /// [`MAX_KEPT_NOTES`]) so `--verbose` can say which it was.
    pub fn skip_named(&self, counter: &AtomicU64, why: &str, what: impl std::fmt::Debug) {
        Self::add(counter, 1);
        let mut names = self.skipped_names.lock().unwrap_or_else(|e| e.into_inner());
        if names.len() < MAX_KEPT_NOTES {
            names.push(format!("skipped ({why}): {what:?}"));
        }
    }

    /// The skipped entries kept, sorted.
    pub fn skipped_names(&self) -> Vec<String> {
        let mut names = self
            .skipped_names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        names.sort();
        names
    }

    /// The decoder notes kept, sorted (workers add them in any order).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.notes.lock().unwrap_or_else(|e| e.into_inner()).clone();
        notes.sort();
        notes
    }

    /// One line for stderr: what was scanned and what was skipped, and why.
    pub fn summary(&self, findings: usize, elapsed: std::time::Duration) -> String {
        let bytes = Self::get(&self.bytes);
        let secs = elapsed.as_secs_f64();
        let members = Self::get(&self.members);
        let members = if members > 0 {
            format!(" and {members} archive members")
        } else {
            String::new()
        };
        let items = Self::get(&self.items);
        // A rate over a few kilobytes says nothing; show it once there is a megabyte.
        let rate = if secs > 0.0 && bytes >= 1_000_000 {
            format!(" ({:.0} MB/s)", bytes as f64 / 1e6 / secs)
        } else {
            String::new()
        };
        let mut line = format!(
            "scanned {items} item{}{members} ({:.1} MB) in {:.2}s{rate}: {findings} finding{}",
            if items == 1 { "" } else { "s" },
            bytes as f64 / 1e6,
            secs,
            if findings == 1 { "" } else { "s" },
        );
        let cached = Self::get(&self.cached);
        if cached > 0 {
            line.push_str(&format!(
                "; {cached} blob{} cached (not read again)",
                if cached == 1 { "" } else { "s" }
            ));
        }
        let skipped: Vec<String> = [
            (Self::get(&self.skipped_binary), "binary"),
            (Self::get(&self.skipped_oversize), "over size limit"),
            (Self::get(&self.skipped_unreadable), "unreadable"),
            (Self::get(&self.skipped_special), "special or symlinked"),
            (Self::get(&self.skipped_binary_members), "binary members"),
            (
                Self::get(&self.skipped_malformed),
                "malformed or unsupported",
            ),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("{n} {why}"))
        .collect();
        if !skipped.is_empty() {
            line.push_str(&format!("; skipped {}", skipped.join(", ")));
        }
        let cut = Self::get(&self.cut_members);
        if cut > 0 {
            let unknown = Self::get(&self.cut_unknown);
            let bytes = Self::get(&self.cut_bytes);
            // A gzip stream declares no size: what was cut of it is unknown, never "1 byte".
            let not_scanned = match (bytes, unknown) {
                (b, 0) => format!("{b} bytes not scanned"),
                (0, _) => "bytes beyond the cap not scanned, total unknown".to_string(),
                (b, _) => format!("at least {b} bytes not scanned"),
            };
            line.push_str(&format!(
                "; cut {cut} member{} short at the size cap ({not_scanned})",
                if cut == 1 { "" } else { "s" },
            ));
        }
        let notes = Self::get(&self.notes_total);
        if notes > 0 {
            line.push_str(&format!(
                "; {notes} note{}",
                if notes == 1 { "" } else { "s" }
            ));
        }
        line
    }
}

/// The most keyword hits kept for a text (1.5 MB of them): whoever keeps them holds many
/// texts' at once (a delta family its chain of ancestors'), and a crafted keyword-dense
/// text has several per byte. A text with more searches its own.
const MOST_KEPT_HITS: usize = 1 << 16;

impl Scanner {
    pub fn new(engine: Engine) -> Self {
        Scanner {
            engine,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            decode: DecodeOptions::default(),
            companions: false,
        }
    }

    /// Scans one item and returns the findings `filter` lets through, counting the item in
    /// `stats` and what it suppressed in the filter.
    pub fn scan(&self, item: Item<'_>, filter: &Filter, stats: &Stats) -> Vec<Finding> {
        self.scan_counted(item, filter, stats).0
    }

    /// [`Scanner::scan`], also saying what locating the findings cost (tests hold it to
    /// work linear in the item).
    pub fn scan_counted(
        &self,
        item: Item<'_>,
        filter: &Filter,
        stats: &Stats,
    ) -> (Vec<Finding>, ScanWork) {
        Stats::add(&stats.items, 1);
        Stats::add(&stats.bytes, item.bytes.len() as u64);
        let (raw, work) = self.scan_raw(&item.origin.display(), item.bytes);
        (self.apply(raw, item.origin, filter, stats), work)
    }

    /// The keyword hits of an item's bytes, for [`Scanner::scan_raw_reusing`]; `None` for
    /// bytes that would not be searched as they are (binary, or over the size limit).
    pub fn keyword_hits(&self, bytes: &[u8]) -> Option<KeywordHits> {
        self.hits_worth_keeping(bytes, || self.engine.keyword_hits(bytes))
    }

    /// The keyword hits of `bytes`, rebuilt by `copies` from bytes whose hits are `base`
    /// (see [`Engine::derive_keyword_hits`]); `None` as for [`Scanner::keyword_hits`].
    pub fn derive_keyword_hits(
        &self,
        base: &KeywordHits,
        copies: &[CopiedSpan],
        bytes: &[u8],
    ) -> Option<KeywordHits> {
        self.hits_worth_keeping(bytes, || {
            self.engine.derive_keyword_hits(base, copies, bytes)
        })
    }

    /// What `find` gives, when a scan would search `bytes` themselves (a text item within
    /// the size limit) and there are few enough hits to keep.
    fn hits_worth_keeping(
        &self,
        bytes: &[u8],
        find: impl FnOnce() -> KeywordHits,
    ) -> Option<KeywordHits> {
        let searched_whole = bytes.len() as u64 <= self.max_file_size && !is_binary(bytes);
        searched_whole
            .then(find)
            .filter(|hits| hits.len() <= MOST_KEPT_HITS)
    }

    /// The key a scan cache keeps a raw scan under besides the blob: what the item's name
    /// tells the decoders ([`crate::decode::format_key`]), and the name itself when a rule
    /// reads files of that name whole (`config/master.key`).
    pub fn format_key(&self, name: &str) -> String {
        let key = crate::decode::format_key(name);
        match self.engine.file_name_read(name) {
            Some(file) => format!("{key}|file:{file}"),
            None => key,
        }
    }

    /// The half of a scan that depends only on the item's bytes and on what its name says
    /// about its format (see [`crate::decode::format_key`]): decoding, matching, locating,
    /// excerpts and line hashes, with nothing filtered yet. Its result can be kept for a
    /// content-addressed item (a git blob) and replayed through [`Scanner::apply`] under
    /// another path, allowlist or baseline. `name` is the item's display path (it picks the
    /// decoder and names the item in notes).
    pub fn scan_raw(&self, name: &str, bytes: &[u8]) -> (RawScan, ScanWork) {
        let (raw, work, _) = self.scan_raw_reusing(name, bytes, Reuse::default());
        (raw, work)
    }

    /// [`Scanner::scan_raw`], taking what `reuse` offers from the scan of the bytes these
    /// were rebuilt from (keyword hits from [`Scanner::keyword_hits`] or
    /// [`Scanner::derive_keyword_hits`], the base's window results): it stands in for work on
    /// the item's own text, not on what decoders make of it. With `reuse.keep_windows`, also
    /// gives the window results of the item's own text, if it was searched as text.
    pub fn scan_raw_reusing(
        &self,
        name: &str,
        bytes: &[u8],
        reuse: Reuse<'_>,
    ) -> (RawScan, ScanWork, Option<WindowResults>) {
        let mut findings = Vec::new();
        let mut work = ScanWork::default();
        let mut own_windows = None;
        let report = decode(name, bytes, &self.decode, &mut |segment| {
            let mut lines = None;
            let own_text = segment.path_suffix.is_empty()
                && segment.text.as_ptr() == bytes.as_ptr()
                && segment.text.len() == bytes.len();
            // A member is named by its own path; the item itself by its display path.
            let path = match segment.path_suffix.is_empty() {
                true => name,
                false => segment.path_suffix.as_str(),
            };
            let (matches, windows) = self.engine.find_in_file_reusing(
                &segment.text,
                path,
                if own_text { reuse } else { Reuse::default() },
                &mut lines,
                &mut work.engine,
            );
            if own_text {
                own_windows = windows;
            }
            let Some(index) = lines.filter(|_| !matches.is_empty()) else {
                return;
            };
            let member = segment.path_suffix.strip_prefix('!').map(str::to_string);
            let located = Located::new(&segment.text, &index, &matches, &mut work);
            for (i, m) in matches.iter().enumerate() {
                let mut f = raw_finding(&segment, &located, i, m, member.clone());
                if self.companions {
                    f.companions = self.companions_of(&segment.text, &matches, m);
                }
                work.line_bytes += f.line_text.len() as u64;
                findings.push(f);
            }
        });
        attach_line_hashes(bytes, &mut findings);
        (RawScan { findings, report }, work, own_windows)
    }

    /// What the verifier of `m`'s rule needs from the text around it.
    fn companions_of(
        &self,
        text: &[u8],
        matches: &[RawMatch],
        m: &RawMatch,
    ) -> Vec<(String, String)> {
        let Some(spec) = &self.engine.rule(m.rule).verify else {
            return Vec::new();
        };
        let needs = spec.needs();
        if needs.is_empty() {
            return Vec::new();
        }
        let others: Vec<(&str, std::ops::Range<usize>)> = matches
            .iter()
            .map(|o| (self.engine.rule(o.rule).id.as_str(), o.secret.clone()))
            .collect();
        crate::verify::companions::gather(text, &m.secret, &others, &needs)
    }

    /// The other half: the item-level filter stage over what [`Scanner::scan_raw`] found
    /// in the item at `origin` (path allowlist, inline markers, secret allowlists, the
    /// confidence floor, test paths, repeats), and the findings it lets through, each
    /// carrying `origin` (or its archive member). Adds the decode report to `stats`.
    pub fn apply(
        &self,
        raw: RawScan,
        origin: &Origin,
        filter: &Filter,
        stats: &Stats,
    ) -> Vec<Finding> {
        let RawScan {
            findings: raw_findings,
            mut report,
        } = raw;
        if filter.allows_path(origin.allowlist_path()) {
            // Still decoded and counted (the summary should say the file was seen), but
            // nothing in it is reported; the user said this path is not theirs to fix
            // (fixtures, vendored files), so its oddities are counted but not worth a note
            // each.
            filter.count(Reason::Path, raw_findings.len() as u64);
            report.notes.clear();
            report.notes_dropped = 0;
            stats.absorb(report);
            return Vec::new();
        }
        let mut findings = Vec::new();
        // Per finding, whether its rule is generic (for collapsing repeats below).
        let mut generic = Vec::new();
        for raw in raw_findings {
            if raw.rule >= self.engine.rules().len() {
                continue;
            }
            let is_generic = self.engine.rule(raw.rule).generic;
            if let Some(f) = self.to_finding(origin, raw, filter) {
                findings.push(f);
                generic.push(is_generic);
            }
        }
        let repeats = collapse_repeats(&mut findings, &generic);
        filter.count(Reason::Repeat, repeats);
        stats.absorb(report);
        findings
    }

    fn to_finding(&self, origin: &Origin, raw: RawFinding, filter: &Filter) -> Option<Finding> {
        let rule = self.engine.rule(raw.rule);
        let suppressed =
            filter.suppresses_match(&rule.id, origin.allowlist_path(), &raw.secret, raw.inline);
        if suppressed.is_some() {
            return None;
        }
        let kind = location_kind(origin.allowlist_path());
        if filter.suppresses_finding(raw.confidence, kind).is_some() {
            return None;
        }
        let mut metadata = raw.metadata;
        if let Some(kind) = kind {
            metadata.insert("location_kind".into(), kind.into());
        }
        let origin = match &raw.member {
            Some(member) => origin.member(member),
            None => origin.clone(),
        };
        let l = raw.location;
        let location = Location {
            path: origin.display(),
            line: l.line,
            column: l.column,
            end_line: l.end_line,
            end_column: l.end_column,
            column_utf16: l.column_utf16,
            end_column_utf16: l.end_column_utf16,
            start_byte: l.start_byte,
            end_byte: l.end_byte,
        };
        Some(Finding {
            line_text: raw.line_text,
            line_secret_at: Some(raw.line_secret_at),
            line_others: raw.line_others,
            line_cut: raw.line_cut,
            line_hash: raw.line_hash,
            companions: raw.companions,
            metadata,
            origin,
            ..Finding::new(
                rule.id.as_str(),
                rule.name.as_str(),
                raw.confidence,
                rule.severity,
                location,
                raw.secret,
            )
        })
    }
}

/// What [`Scanner::scan_raw`] found in one item: every match located, none filtered, and
/// what decoding reported. Serialisable so a scan cache can keep it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawScan {
    pub findings: Vec<RawFinding>,
    pub report: DecodeReport,
}

/// One match as [`Scanner::scan_raw`] located it: everything a [`Finding`] holds that the
/// item's bytes decide. What its path decides (the display path, `location_kind`, whether
/// an allowlist applies) is added by [`Scanner::apply`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawFinding {
    /// Index into the engine's rules (a cache keeps raw scans per rule set, so the index
    /// means the same rule whenever it is read back).
    pub rule: usize,
    pub confidence: Confidence,
    pub secret: String,
    /// The archive member the match is in (its path inside the item), if any.
    pub member: Option<String>,
    /// The line (or the one above it) carries an inline allow marker.
    pub inline: bool,
    pub location: RawLocation,
    /// What the rule, validator and decoder said (not yet `location_kind`).
    pub metadata: BTreeMap<String, String>,
    pub line_text: String,
    pub line_secret_at: usize,
    pub line_others: Vec<std::ops::Range<usize>>,
    pub line_cut: (bool, bool),
    pub line_hash: Option<String>,
    /// What the rule's verifier needs beside the secret (see `Finding::companions`),
    /// gathered only when the scanner was asked to; the cache keeps those scans apart.
    #[serde(default)]
    pub companions: Vec<(String, String)>,
}

/// [`Location`] without the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawLocation {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub column_utf16: usize,
    pub end_column_utf16: usize,
    pub start_byte: usize,
    pub end_byte: usize,
}

/// Match `i` of a segment, located, with its excerpt and the metadata its bytes decide.
fn raw_finding(
    segment: &Segment<'_>,
    located: &Located<'_>,
    i: usize,
    m: &RawMatch,
    member: Option<String>,
) -> RawFinding {
    let text: &[u8] = &segment.text;
    let start = located.position(m.secret.start);
    let end = located.position(m.secret.end);
    let secret = String::from_utf8_lossy(&text[m.secret.clone()]).into_owned();
    let inline = located.allowed_inline(start.line);
    let mut metadata = m.metadata.clone();
    if let Some(label) = &segment.label {
        metadata.insert("segment".into(), label.clone());
    }
    // A decoder that joined pieces from apart (notebook strings, pickle constants) maps
    // each back to the item's line; the decoded line is kept as the segment line (the
    // line within a notebook cell, say).
    let piece = segment.piece_at(m.secret.start);
    let item_line = |at: usize, decoded: usize| {
        segment
            .piece_at(at)
            .and_then(|p| p.line)
            .unwrap_or(decoded + segment.line_offset)
    };
    let line = item_line(m.secret.start, start.line);
    let end_line = item_line(m.secret.end.saturating_sub(1).max(m.secret.start), end.line);
    if !segment.pieces.is_empty() {
        metadata.insert("segment_line".into(), start.line.to_string());
    }
    if let Some(offset) = piece.and_then(|p| p.offset) {
        metadata.insert("offset".into(), offset.to_string());
    }
    let excerpt = located.excerpt(i, start.line);
    RawFinding {
        rule: m.rule,
        confidence: m.confidence,
        secret,
        member,
        inline,
        location: RawLocation {
            line,
            column: start.column,
            end_line,
            end_column: end.column,
            column_utf16: start.column_utf16,
            end_column_utf16: end.column_utf16,
            start_byte: m.secret.start,
            end_byte: m.secret.end,
        },
        metadata,
        line_text: excerpt.text,
        line_secret_at: excerpt.secret_at,
        line_others: excerpt.others,
        line_cut: excerpt.cut,
        line_hash: None,
        companions: Vec::new(),
    }
}

/// What scanning one item cost beyond decoding, in bytes: tests hold each to a multiple of
/// the item's size, whatever its shape (one long line with thousands of findings).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanWork {
    pub engine: crate::engine::Work,
    /// Bytes walked to count columns.
    pub column_bytes: u64,
    /// Bytes searched for inline allow markers.
    pub marker_bytes: u64,
    /// Bytes of line excerpts copied into findings.
    pub line_bytes: u64,
}

/// One segment's matches located: every position computed in one pass over each line, the
/// inline markers of each line looked up once, the secrets of each line known.
struct Located<'t> {
    text: &'t [u8],
    index: &'t LineIndex,
    /// Every match boundary, sorted, and its position.
    offsets: Vec<usize>,
    positions: Vec<crate::text::Position>,
    /// Secret ranges in match order (sorted by start), with the running maximum of ends.
    secrets: Vec<std::ops::Range<usize>>,
    max_end: Vec<usize>,
    /// Per line with a match: allowed by an inline marker.
    inline: std::collections::HashMap<usize, bool>,
}

/// A line excerpt for one finding.
struct Excerpt {
    text: String,
    secret_at: usize,
    others: Vec<std::ops::Range<usize>>,
    cut: (bool, bool),
}

impl<'t> Located<'t> {
    fn new(
        text: &'t [u8],
        index: &'t LineIndex,
        matches: &[RawMatch],
        work: &mut ScanWork,
    ) -> Self {
        let mut offsets: Vec<usize> = matches
            .iter()
            .flat_map(|m| [m.secret.start, m.secret.end])
            .collect();
        offsets.sort_unstable();
        offsets.dedup();
        let positions = index.positions(text, &offsets);
        // Walked from one offset to the next on each line: at most the text once, plus a
        // few bytes per offset to find a character boundary.
        work.column_bytes += offsets
            .windows(2)
            .filter(|w| index.line_of(w[0]) == index.line_of(w[1]))
            .map(|w| (w[1] - w[0]) as u64)
            .sum::<u64>();
        // The engine returns matches sorted by position.
        debug_assert!(matches
            .windows(2)
            .all(|w| w[0].secret.start <= w[1].secret.start));
        let secrets: Vec<_> = matches.iter().map(|m| m.secret.clone()).collect();
        let max_end = secrets
            .iter()
            .scan(0, |max, r| {
                *max = (*max).max(r.end);
                Some(*max)
            })
            .collect();
        let mut inline = std::collections::HashMap::new();
        for p in &positions {
            inline.entry(p.line).or_insert_with(|| {
                let line = &text[index.line_range(text, p.line)];
                let previous = (p.line > 1).then(|| &text[index.line_range(text, p.line - 1)]);
                work.marker_bytes += (line.len() + previous.map_or(0, <[u8]>::len)) as u64;
                is_allowed_inline(line, previous)
            });
        }
        Located {
            text,
            index,
            offsets,
            positions,
            secrets,
            max_end,
            inline,
        }
    }

    fn position(&self, offset: usize) -> crate::text::Position {
        let i = self.offsets.partition_point(|&o| o < offset);
        self.positions[i]
    }

    fn allowed_inline(&self, line: usize) -> bool {
        self.inline.get(&line).copied().unwrap_or(false)
    }

    /// The excerpt of `line` around match `i`: at most [`LINE_CONTEXT_BYTES`] each side of
    /// the secret's first line, with the other secrets on it.
    fn excerpt(&self, i: usize, line: usize) -> Excerpt {
        let text = self.text;
        let range = self.index.line_range(text, line);
        let at = self.secrets[i].clone();
        let secret_start = at.start.clamp(range.start, range.end);
        let secret_end = at.end.clamp(secret_start, range.end);
        let from = range
            .start
            .max(secret_start.saturating_sub(LINE_CONTEXT_BYTES));
        let to = range.end.min(secret_end.saturating_add(LINE_CONTEXT_BYTES));
        // Other secrets touching the excerpt: those starting inside it, and those starting
        // before it whose end reaches in (found through the running maximum of ends).
        let mut cuts: Vec<usize> = vec![secret_start];
        let mut others_raw = Vec::new();
        let first_inside = self.secrets.partition_point(|r| r.start < from);
        let mut k = first_inside;
        while k > 0 && self.max_end[k - 1] > from {
            k -= 1;
            let r = &self.secrets[k];
            if r.end > from && *r != at {
                others_raw.push(r.start.max(from)..r.end.min(to));
            }
        }
        for r in self.secrets[first_inside..]
            .iter()
            .take_while(|r| r.start < to)
        {
            if *r != at {
                others_raw.push(r.start..r.end.min(to));
            }
        }
        for r in &others_raw {
            cuts.push(r.start);
            cuts.push(r.end);
        }
        cuts.sort_unstable();
        cuts.dedup();
        // Converted piece by piece so each cut point's place in the (lossy) text is known.
        let mut out = String::new();
        let mut place = std::collections::HashMap::new();
        let mut pos = from;
        for &c in cuts.iter().filter(|&&c| c >= from && c <= to) {
            out.push_str(&String::from_utf8_lossy(&text[pos..c]));
            place.insert(c, out.len());
            pos = c;
        }
        out.push_str(&String::from_utf8_lossy(&text[pos..to]));
        let others = others_raw
            .iter()
            .filter_map(|r| Some(*place.get(&r.start)?..*place.get(&r.end)?))
            .collect();
        Excerpt {
            secret_at: place.get(&secret_start).copied().unwrap_or(0),
            text: out,
            others,
            cut: (from > range.start, to < range.end),
        }
    }
}

/// Reports a value that a generic rule found several times in one item once, at its first
/// place, with `occurrences` in its metadata: a test file that repeats one fixture token ten
/// times holds one thing to review, not ten. Provider rules keep every place (each is a line
/// to clean). Returns how many findings were folded.
fn collapse_repeats(findings: &mut Vec<Finding>, generic: &[bool]) -> u64 {
    let mut counts: std::collections::HashMap<(String, String, String), u64> =
        std::collections::HashMap::new();
    for (f, _) in findings.iter().zip(generic).filter(|(_, g)| **g) {
        let key = (f.rule_id.clone(), f.secret.clone(), f.origin.display());
        *counts.entry(key).or_default() += 1;
    }
    if counts.values().all(|&n| n == 1) {
        return 0;
    }
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(findings.len());
    let mut folded = 0;
    for (mut f, is_generic) in std::mem::take(findings).into_iter().zip(generic) {
        if *is_generic {
            let key = (f.rule_id.clone(), f.secret.clone(), f.origin.display());
            let n = counts[&key];
            if !seen.insert(key) {
                folded += 1;
                continue;
            }
            if n > 1 {
                f.metadata.insert("occurrences".into(), n.to_string());
            }
        }
        kept.push(f);
    }
    *findings = kept;
    folded
}

/// Fills in GitHub's line hash for findings on lines of the item itself (not of a member
/// inside it): the hash reads the raw bytes GitHub would read.
fn attach_line_hashes(bytes: &[u8], findings: &mut [RawFinding]) {
    let lines: BTreeSet<usize> = findings
        .iter()
        .filter(|f| f.member.is_none())
        .map(|f| f.location.line)
        .collect();
    if lines.is_empty() {
        return;
    }
    let hashes = line_hashes(bytes, &lines);
    for f in findings.iter_mut().filter(|f| f.member.is_none()) {
        f.line_hash = hashes.get(&f.location.line).cloned();
    }
}

/// `text` with every secret `engine` finds in it redacted: for what a report shows that is
/// no scanned line (paths, ref names, commit summaries), where a secret is just as exposed.
pub fn redact_found(engine: &Engine, text: &str) -> String {
    let mut ranges: Vec<std::ops::Range<usize>> = engine
        .find(text.as_bytes())
        .into_iter()
        .map(|m| m.secret)
        .collect();
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_by_key(|r| r.start);
    crate::finding::redact_ranges(text, 0, &ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_hits_are_kept_only_for_text_with_few_enough_of_them() {
        let scanner = Scanner::new(Engine::builtin());
        let hits = scanner.keyword_hits(b"api_key = lookup()\n").unwrap();
        assert!(!hits.is_empty());
        assert!(scanner.keyword_hits(b"\0binary api_key").is_none());
        let dense = "pass ".repeat(MOST_KEPT_HITS + 1);
        assert!(scanner.keyword_hits(dense.as_bytes()).is_none());
    }
}
