//! Keyword hits of a text rebuilt from another by copying spans of it (a git delta), worked
//! out from the other text's hits instead of searching every byte again.
//!
//! Most blobs of a history are deltas of another version of the same file, and most of
//! their bytes are copies: on rails, the prefilter was a quarter of a history audit's CPU,
//! searching bytes it had already searched in the base. A keyword occurrence lying wholly
//! inside one copied span is an occurrence in the base at the span's source, so it is
//! carried over. Every other occurrence overlaps a byte no copy covers, or crosses the edge
//! between two copies; either way it lies within a keyword's length of such a byte or edge,
//! and only those stretches are searched. The result is exactly [`Prefilter::hits`] of the
//! text (a property test compares them on random deltas).

use super::{Hit, Prefilter};
use crate::text::CopiedSpan;

impl Prefilter {
    /// Every keyword occurrence in `text`, sorted as [`Prefilter::hits`] sorts them, given
    /// `base_hits`, the hits of the text the copies come from, and `copies`, the spans of
    /// `text` copied from it, in order and disjoint. The caller vouches that `base_hits`
    /// and `copies` describe `text` (as a delta's base and ops do).
    pub fn derived_hits(&self, base_hits: &[Hit], copies: &[CopiedSpan], text: &[u8]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for copy in copies {
            let end = copy.from + copy.len;
            let first = base_hits.partition_point(|h| h.start < copy.from);
            for hit in base_hits[first..].iter().take_while(|h| h.start < end) {
                if hit.start + hit.len <= end {
                    hits.push(Hit {
                        start: hit.start - copy.from + copy.at,
                        ..*hit
                    });
                }
            }
        }
        let mut found = Vec::new();
        for (from, to) in stretches_to_search(copies, text.len(), self.longest - 1) {
            self.hits_within(text, from, to, &mut found);
        }
        hits.extend(
            found
                .into_iter()
                .filter(|hit| !inside_one_copy(copies, hit)),
        );
        hits.sort_unstable_by_key(|h| (h.start, h.len, h.keyword));
        hits
    }
}

/// The disjoint stretches of a text of `len` bytes that hold every keyword occurrence not
/// inside one copy: each uncovered run of bytes, and each edge between two copies, widened
/// by `margin` (the longest keyword's length less one) on both sides, overlaps merged.
fn stretches_to_search(copies: &[CopiedSpan], len: usize, margin: usize) -> Vec<(usize, usize)> {
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    let mut add = |gap_start: usize, gap_end: usize| {
        // No occurrence crosses the text's own ends.
        if gap_start == gap_end && (gap_start == 0 || gap_end == len) {
            return;
        }
        let from = gap_start.saturating_sub(margin);
        let to = (gap_end + margin).min(len);
        match stretches.last_mut() {
            Some((_, last_to)) if from <= *last_to => *last_to = (*last_to).max(to),
            _ => stretches.push((from, to)),
        }
    };
    let mut covered_to = 0;
    for copy in copies {
        add(covered_to, copy.at);
        covered_to = copy.at + copy.len;
    }
    add(covered_to, len);
    stretches
}

/// Whether `hit` lies wholly inside one of `copies` (sorted and disjoint): then it was
/// carried over from the base.
fn inside_one_copy(copies: &[CopiedSpan], hit: &Hit) -> bool {
    let after = copies.partition_point(|c| c.at <= hit.start);
    after > 0 && {
        let copy = &copies[after - 1];
        hit.start + hit.len <= copy.at + copy.len
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::every_kernel;
    use super::*;
    use proptest::prelude::*;

    const KEYWORDS: &[&str] = &["q~", "hf_", "key", "token", "api_key", "password", "AKIA"];

    /// A text rebuilt from `base` by `ops` (copy `(from, len)` or insert bytes), as a delta
    /// rebuilds one, with the copies it made.
    fn rebuild(base: &[u8], ops: &[Op]) -> (Vec<u8>, Vec<CopiedSpan>) {
        let mut text = Vec::new();
        let mut copies = Vec::new();
        for op in ops {
            match op {
                Op::Copy(from, len) if !base.is_empty() => {
                    let from = from % base.len();
                    let len = (*len).clamp(1, base.len() - from);
                    copies.push(CopiedSpan {
                        at: text.len(),
                        from,
                        len,
                    });
                    text.extend_from_slice(&base[from..from + len]);
                }
                Op::Copy(..) => {}
                Op::Insert(bytes) => text.extend_from_slice(bytes),
            }
        }
        (text, copies)
    }

    #[derive(Debug, Clone)]
    enum Op {
        Copy(usize, usize),
        Insert(Vec<u8>),
    }

    /// Pieces of keywords (and separators) that random texts are made of.
    const PIECES: &[&[u8]] = &[
        b"key", b"KEY", b"api_", b"tok", b"en", b"hf_", b"q~", b"pass", b"word", b"AKIA", b" ",
        b"\n",
    ];

    /// Texts dense in keyword pieces, so hits cross every kind of edge.
    fn keywordy() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            proptest::sample::select(PIECES).prop_map(<[u8]>::to_vec),
            proptest::collection::vec(any::<u8>(), 1..4),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        let op = prop_oneof![
            (0usize..400, 1usize..40).prop_map(|(f, l)| Op::Copy(f, l)),
            keywordy().prop_map(Op::Insert),
        ];
        proptest::collection::vec(op, 0..12)
    }

    proptest! {
        /// A stretch of a longer text is searched as if it were the whole text, though the
        /// vector kernel reads past its end.
        #[test]
        fn hits_within_a_stretch_are_the_stretchs_own(
            parts in proptest::collection::vec(keywordy(), 1..6),
            cut in any::<(usize, usize)>(),
        ) {
            let text = parts.concat();
            let (a, b) = (cut.0 % (text.len() + 1), cut.1 % (text.len() + 1));
            let (from, to) = (a.min(b), a.max(b));
            for (kernel, filter) in every_kernel(KEYWORDS) {
                let mut within = Vec::new();
                filter.hits_within(&text, from, to, &mut within);
                within.sort_unstable_by_key(|h| (h.start, h.len, h.keyword));
                let own: Vec<Hit> = filter
                    .hits(&text[from..to])
                    .into_iter()
                    .map(|hit| Hit { start: hit.start + from, ..hit })
                    .collect();
                prop_assert_eq!(&within, &own, "{:?} {}..{}", kernel, from, to);
            }
        }

        #[test]
        fn derived_hits_are_the_texts_own(base in keywordy(), ops in ops()) {
            let (text, copies) = rebuild(&base, &ops);
            for (kernel, filter) in every_kernel(KEYWORDS) {
                let derived = filter.derived_hits(&filter.hits(&base), &copies, &text);
                prop_assert_eq!(&derived, &filter.hits(&text), "{:?}", kernel);
            }
        }
    }

    #[test]
    fn a_longest_keyword_cut_anywhere_by_an_edge_or_an_insert_is_found() {
        let base = b"header password = x\n";
        let at = 7; // where "password", the longest keyword, starts
        for cut in 1..8 {
            let edge = at + cut;
            // Two adjacent copies whose edge cuts the keyword: the text is the base again.
            let split = [
                CopiedSpan {
                    at: 0,
                    from: 0,
                    len: edge,
                },
                CopiedSpan {
                    at: edge,
                    from: edge,
                    len: base.len() - edge,
                },
            ];
            // One byte of the keyword inserted instead of copied.
            let patched = [
                CopiedSpan {
                    at: 0,
                    from: 0,
                    len: edge,
                },
                CopiedSpan {
                    at: edge + 1,
                    from: edge + 1,
                    len: base.len() - edge - 1,
                },
            ];
            for (kernel, filter) in every_kernel(KEYWORDS) {
                let base_hits = filter.hits(base);
                for copies in [&split[..], &patched[..]] {
                    let derived = filter.derived_hits(&base_hits, copies, base);
                    assert_eq!(derived, base_hits, "{kernel:?}, cut after {cut}");
                }
            }
        }
    }

    #[test]
    fn only_the_stretches_around_changes_are_searched() {
        // Two copies with a 3-byte insert between them, in a 100-byte text; margin 4.
        let copies = [
            CopiedSpan {
                at: 0,
                from: 0,
                len: 50,
            },
            CopiedSpan {
                at: 53,
                from: 60,
                len: 47,
            },
        ];
        assert_eq!(stretches_to_search(&copies, 100, 4), [(46, 57)]);
        // Adjacent copies leave an edge; copies covering both ends leave none there.
        let adjacent = [
            CopiedSpan {
                at: 0,
                from: 10,
                len: 30,
            },
            CopiedSpan {
                at: 30,
                from: 0,
                len: 10,
            },
        ];
        assert_eq!(stretches_to_search(&adjacent, 40, 4), [(26, 34)]);
        // Nothing copied: the whole text.
        assert_eq!(stretches_to_search(&[], 40, 4), [(0, 40)]);
        assert!(stretches_to_search(&[], 0, 4).is_empty());
    }
}
