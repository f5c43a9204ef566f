//! GitHub's `primaryLocationLineHash`: the partial fingerprint code scanning uses to follow an
//! alert across runs while the lines around it change.
//!
//! `github/codeql-action` (`src/fingerprints.ts`) computes it when a SARIF file arrives
//! without one, and warns when a tool sent a value that differs from its own. So keyhound
//! computes the same value the same way: a rolling polynomial hash (base 37, wrapping 64-bit
//! arithmetic) over the first 100 characters from the start of the line, counted in UTF-16
//! code units, skipping spaces and tabs, with `\r\n` and `\r` read as `\n` and the hash of
//! the end of the file padded with a 0xFFFF marker and zeros; then `hex:n`, where `n` counts
//! how many earlier lines of the file had the same hash. Because the window runs past the
//! end of a short line, the hash covers the line and what follows it, not just the line.
//!
//! One known difference: codeql-action also counts a lone `\r` (old Mac line endings) as a
//! line break, while keyhound's lines, like SARIF's default `newlineSequences`, end at `\n`.
//! In a file with lone `\r`s the two line numbers drift apart, GitHub warns that the hash is
//! inconsistent, and keeps keyhound's.
//!
//! It is computed at scan time, because only then are the item's bytes at hand (stdin and
//! git blobs cannot be read again when the report is written). It needs the whole item: the
//! occurrence counter depends on every line before the finding.

use std::collections::{BTreeMap, BTreeSet, HashMap};

const BLOCK_SIZE: usize = 100;
const MOD: u64 = 37;
const TAB: u16 = b'\t' as u16;
const SPACE: u16 = b' ' as u16;
const LF: u16 = b'\n' as u16;
const CR: u16 = b'\r' as u16;
/// What codeql-action feeds after the last character.
const EOF: u16 = 0xFFFF;

/// The hashes of the 1-based `lines` of `text`, keyed by line. Lines past the end are absent.
/// Stops hashing once the last wanted line is known.
///
/// History audits hash every version of a file with a finding (each version of a changelog
/// holding one fake key), so this runs over megabytes: only wanted lines are formatted, and
/// ASCII text (nearly all of it) is fed byte by byte without decoding to UTF-16 first.
pub fn line_hashes(text: &[u8], lines: &BTreeSet<usize>) -> BTreeMap<usize, String> {
    let mut found = BTreeMap::new();
    let Some(&last) = lines.last() else {
        return found;
    };
    let mut hasher = RollingHash::new();
    let mut emit = |line: usize, hash: u64, count: usize| {
        if lines.contains(&line) {
            found.insert(line, format!("{hash:x}:{count}"));
        }
        line >= last
    };
    let done = if text.is_ascii() {
        text.iter()
            .any(|&byte| hasher.process(u16::from(byte), &mut emit))
    } else {
        // Node reads the file as UTF-8 (invalid sequences become U+FFFD, as here) and walks
        // it in UTF-16 code units.
        String::from_utf8_lossy(text)
            .encode_utf16()
            .any(|unit| hasher.process(unit, &mut emit))
    };
    if !done {
        hasher.finish(&mut emit);
    }
    found
}

/// The rolling state of codeql-action's hash, one UTF-16 code unit at a time.
struct RollingHash {
    window: [u64; BLOCK_SIZE],
    /// For each window slot, the line that starts there (0: none).
    line_starts: [usize; BLOCK_SIZE],
    hash: u64,
    /// `MOD^BLOCK_SIZE`, to take the character leaving the window out of the hash.
    first_mod: u64,
    index: usize,
    line: usize,
    at_line_start: bool,
    previous_cr: bool,
    seen: HashMap<u64, usize>,
}

impl RollingHash {
    fn new() -> Self {
        RollingHash {
            window: [0; BLOCK_SIZE],
            line_starts: [0; BLOCK_SIZE],
            hash: 0,
            first_mod: (0..BLOCK_SIZE).fold(1u64, |m, _| m.wrapping_mul(MOD)),
            index: 0,
            line: 0,
            at_line_start: true,
            previous_cr: false,
            seen: HashMap::new(),
        }
    }

    /// Feeds one code unit; returns what `emit` returned for a line completed by it (true
    /// means the caller has all it wants).
    fn process(&mut self, unit: u16, emit: &mut impl FnMut(usize, u64, usize) -> bool) -> bool {
        if unit == SPACE || unit == TAB || (self.previous_cr && unit == LF) {
            self.previous_cr = false;
            return false;
        }
        let unit = if unit == CR {
            self.previous_cr = true;
            LF
        } else {
            self.previous_cr = false;
            unit
        };
        let mut done = false;
        if self.line_starts[self.index] != 0 {
            done = self.output(emit);
        }
        if self.at_line_start {
            self.at_line_start = false;
            self.line += 1;
            self.line_starts[self.index] = self.line;
        }
        if unit == LF {
            self.at_line_start = true;
        }
        self.update(u64::from(unit));
        done
    }

    /// Feeds the end-of-file marker and flushes the lines still in the window.
    fn finish(&mut self, emit: &mut impl FnMut(usize, u64, usize) -> bool) {
        if self.process(EOF, emit) {
            return;
        }
        for _ in 0..BLOCK_SIZE {
            if self.line_starts[self.index] != 0 && self.output(emit) {
                return;
            }
            self.update(0);
        }
    }

    fn output(&mut self, emit: &mut impl FnMut(usize, u64, usize) -> bool) -> bool {
        let count = self.seen.entry(self.hash).or_insert(0);
        *count += 1;
        let line = self.line_starts[self.index];
        self.line_starts[self.index] = 0;
        emit(line, self.hash, *count)
    }

    fn update(&mut self, current: u64) {
        let leaving = self.window[self.index];
        self.window[self.index] = current;
        self.hash = MOD
            .wrapping_mul(self.hash)
            .wrapping_add(current)
            .wrapping_sub(self.first_mod.wrapping_mul(leaving));
        self.index += 1;
        if self.index == BLOCK_SIZE {
            self.index = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line's hash, in order, as codeql-action's callback would see them.
    fn all(text: &str) -> Vec<String> {
        let wanted: BTreeSet<usize> = (1..=text.len() + 1).collect();
        line_hashes(text.as_bytes(), &wanted)
            .into_values()
            .collect()
    }

    // Expected values are the published test vectors of codeql-action's fingerprints test,
    // so a difference here means GitHub would compute another hash and warn.
    #[test]
    fn matches_codeql_action_vectors() {
        assert_eq!(all(""), ["c129715d7a2bc9a3:1"]);
        assert_eq!(
            all(" a\nb\n  \t\tc\n d"),
            [
                "271789c17abda88f:1",
                "54703d4cd895b18:1",
                "180aee12dab6264:1",
                "a23a3dc5e078b07b:1"
            ]
        );
        let expected = [
            "e9496ae3ebfced30:1",
            "fb7c023a8b9ccb3f:1",
            "ce8ba1a563dcdaca:1",
            "e20e36e16fcb0cc8:1",
            "b3edc88f2938467e:1",
            "c8e28b0b4002a3a0:1",
            "c129715d7a2bc9a3:1",
        ];
        assert_eq!(
            all(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n"),
            expected
        );
        assert_eq!(
            all(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n"),
            expected
        );
        assert_eq!(
            all(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n"),
            expected
        );
    }

    #[test]
    fn repeated_lines_count_occurrences() {
        let text = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let hashes = all(&text);
        assert_eq!(hashes[0], "a7f2ff13bc495cf2:1");
        assert_eq!(hashes[5], "a7f2ff13bc495cf2:6");
        assert_eq!(hashes[6], "a7f2ff1481e87703:1");
        assert_eq!(hashes[10], "c129715d7a2bc9a3:1");
    }

    #[test]
    fn asks_only_for_wanted_lines_and_stops_early() {
        let text = "Lorem ipsum dolor sit amet.\n".repeat(10);
        let wanted = BTreeSet::from([2, 7, 99]);
        let got = line_hashes(text.as_bytes(), &wanted);
        assert_eq!(got.get(&2).map(String::as_str), Some("a7f2ff13bc495cf2:2"));
        assert_eq!(got.get(&7).map(String::as_str), Some("a7f2ff1481e87703:1"));
        assert!(!got.contains_key(&99));
        assert!(line_hashes(b"x", &BTreeSet::new()).is_empty());
    }

    /// The UTF-16 route for any text, as codeql-action walks it.
    fn via_utf16(text: &str) -> Vec<String> {
        let mut hasher = RollingHash::new();
        let mut out = Vec::new();
        let mut emit = |_: usize, hash: u64, count: usize| {
            out.push(format!("{hash:x}:{count}"));
            false
        };
        for unit in text.encode_utf16() {
            hasher.process(unit, &mut emit);
        }
        hasher.finish(&mut emit);
        out
    }

    #[test]
    fn ascii_bytes_hash_as_their_utf16_units() {
        let text = " key = 1\r\n\tkey = 1\r\rnext\n\n".repeat(30);
        assert_eq!(all(&text), via_utf16(&text));
        let mixed = format!("{text}é\n{text}");
        assert_eq!(all(&mixed), via_utf16(&mixed));
    }

    #[test]
    fn non_ascii_counts_utf16_units() {
        // 𝄞 is two UTF-16 units; the hash must differ from a one-unit character's.
        let a = all("𝄞x\n");
        let b = all("éx\n");
        assert_ne!(a[0], b[0]);
        assert_eq!(a.len(), 2);
    }
}
