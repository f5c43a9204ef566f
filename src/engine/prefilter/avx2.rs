//! The prefilter's per-position test on AVX2, eight positions per step.
//!
//! The scalar loop costs about eight instructions per byte: a load, the fold, a multiply, a
//! shift, a bit-set load, a bit test and a branch, all for one position. Here one 16-byte
//! load and a byte shuffle build the eight overlapping 4-byte grams that start in its first
//! eight bytes, one vector multiply hashes them, one gather fetches their bit-set words and
//! a variable shift moves each position's bit to its lane's sign, so a step that finds no
//! candidate (nearly every step: about 0.2% of positions on source code are candidates)
//! costs about a dozen instructions for eight bytes.
//!
//! Two-byte keywords are tested in the same step by comparing each lane's first two bytes,
//! which replaced one full memchr pass over the text per spelling.

use std::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_broadcastsi128_si256, _mm256_castsi256_ps,
    _mm256_cmpeq_epi32, _mm256_i32gather_epi32, _mm256_movemask_ps, _mm256_mullo_epi32,
    _mm256_or_si256, _mm256_set1_epi32, _mm256_setr_epi8, _mm256_shuffle_epi8, _mm256_sllv_epi32,
    _mm256_srli_epi32, _mm256_sub_epi32, _mm_loadu_si128,
};

use super::{BitSet, GRAM_MULTIPLIER, LOG_BITS};

/// How far right a gram's hash is shifted to give its slot in the bit set.
const SLOT_SHIFT: i32 = 32 - LOG_BITS as i32;

/// Calls `candidate(at)`, in increasing order, for every position `at` below the returned
/// bound whose folded 4-byte gram has its bit set in `bits`, or whose folded first two bytes
/// are one of `pairs` (`u16::from_le_bytes` of the folded pair). Positions from the
/// returned bound on, where fewer than 16 bytes remain, are the caller's to test.
///
/// A candidate is only a position worth a full comparison: the caller confirms it.
#[target_feature(enable = "avx2")]
pub(super) fn candidates(
    bits: &BitSet,
    pairs: &[u16],
    text: &[u8],
    mut candidate: impl FnMut(usize),
) -> usize {
    // Lane i (a 32-bit gram) takes bytes i..i+4 of the 16 loaded; the 128-bit load is copied
    // to both halves because a byte shuffle never crosses them.
    let spread: __m256i = _mm256_setr_epi8(
        0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, //
        4, 5, 6, 7, 5, 6, 7, 8, 6, 7, 8, 9, 7, 8, 9, 10,
    );
    let fold = _mm256_set1_epi32(0x2020_2020);
    let multiplier = _mm256_set1_epi32(GRAM_MULTIPLIER as i32);
    let low_five = _mm256_set1_epi32(31);
    let low_pair = _mm256_set1_epi32(0xFFFF);
    let words: *const i32 = bits.as_ptr().cast();
    let mut at = 0;
    while at + 16 <= text.len() {
        // SAFETY: `at + 16 <= text.len()`, so all 16 bytes read lie inside `text`.
        let chunk = unsafe { _mm_loadu_si128(text.as_ptr().add(at).cast()) };
        let grams = _mm256_or_si256(
            _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(chunk), spread),
            fold,
        );
        let slots = _mm256_srli_epi32::<SLOT_SHIFT>(_mm256_mullo_epi32(grams, multiplier));
        // SAFETY: every slot is below 2^LOG_BITS, so `slot >> 5` indexes one of the
        // 2^(LOG_BITS - 5) 32-bit words of `bits`, which is that many words long.
        let gathered = unsafe { _mm256_i32gather_epi32::<4>(words, _mm256_srli_epi32::<5>(slots)) };
        // Bit `slot & 31` of each word, shifted up to the sign bit.
        let tested = _mm256_sllv_epi32(
            gathered,
            _mm256_sub_epi32(low_five, _mm256_and_si256(slots, low_five)),
        );
        let mut found = _mm256_movemask_ps(_mm256_castsi256_ps(tested)) as u32;
        for &pair in pairs {
            let same = _mm256_cmpeq_epi32(
                _mm256_and_si256(grams, low_pair),
                _mm256_set1_epi32(i32::from(pair)),
            );
            found |= _mm256_movemask_ps(_mm256_castsi256_ps(same)) as u32;
        }
        while found != 0 {
            candidate(at + found.trailing_zeros() as usize);
            found &= found - 1;
        }
        at += 8;
    }
    at
}
