//! Git's delta encoding: an object rebuilt from a base by copying ranges of it and inserting
//! literal bytes. Every length and range is checked, so a damaged delta is an error rather
//! than a panic or an oversized allocation.

use crate::text::CopiedSpan;

/// The sizes a delta starts with: what its base must be, and what it rebuilds.
pub fn sizes(delta: &[u8]) -> Result<(u64, u64, usize), String> {
    let mut at = 0;
    let base = varint(delta, &mut at)?;
    let result = varint(delta, &mut at)?;
    Ok((base, result, at))
}

/// Rebuilds the object `delta` describes from `base`. A result over `limit` bytes is an
/// error before anything is allocated.
pub fn apply(base: &[u8], delta: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    apply_noting(base, delta, limit, None)
}

/// [`apply`], also listing in `copies` (emptied first) the spans of the result copied from
/// the base, in order: what the blob scan needs to reuse the base's keyword hits.
pub fn apply_noting_copies(
    base: &[u8],
    delta: &[u8],
    limit: u64,
    copies: &mut Vec<CopiedSpan>,
) -> Result<Vec<u8>, String> {
    copies.clear();
    apply_noting(base, delta, limit, Some(copies))
}

fn apply_noting(
    base: &[u8],
    delta: &[u8],
    limit: u64,
    mut copies: Option<&mut Vec<CopiedSpan>>,
) -> Result<Vec<u8>, String> {
    let (base_len, result_len, mut at) = sizes(delta)?;
    if base_len != base.len() as u64 {
        return Err(format!(
            "delta expects a base of {base_len} bytes, found {}",
            base.len()
        ));
    }
    // A delta cannot insert more bytes than it holds or copy more than 2^24 per op, so a
    // result claiming more than that is damaged; this also bounds the allocation.
    let most = (delta.len() as u64).saturating_mul(1 << 24);
    if result_len > most {
        return Err(format!("delta claims an impossible {result_len} bytes"));
    }
    if result_len > limit {
        return Err(format!(
            "delta rebuilds {result_len} bytes, over the {limit}-byte limit"
        ));
    }
    let mut out = Vec::with_capacity(result_len as usize);
    while at < delta.len() {
        let op = delta[at];
        at += 1;
        if op & 0x80 != 0 {
            let mut take = |bit: u8, shift: u32| -> Result<usize, String> {
                if op & bit == 0 {
                    return Ok(0);
                }
                let byte = *delta.get(at).ok_or("delta ends inside a copy")?;
                at += 1;
                Ok((byte as usize) << shift)
            };
            let offset = take(0x01, 0)? | take(0x02, 8)? | take(0x04, 16)? | take(0x08, 24)?;
            let mut len = take(0x10, 0)? | take(0x20, 8)? | take(0x40, 16)?;
            if len == 0 {
                len = 0x10000;
            }
            let range = base
                .get(offset..offset.saturating_add(len))
                .ok_or("delta copies past the end of its base")?;
            if let Some(copies) = copies.as_deref_mut() {
                copies.push(CopiedSpan {
                    at: out.len(),
                    from: offset,
                    len,
                });
            }
            out.extend_from_slice(range);
        } else if op != 0 {
            let len = op as usize;
            let literal = delta
                .get(at..at + len)
                .ok_or("delta ends inside an insert")?;
            out.extend_from_slice(literal);
            at += len;
        } else {
            return Err("delta holds the reserved op 0".into());
        }
        if out.len() as u64 > result_len {
            return Err("delta rebuilds more than it claims".into());
        }
    }
    if out.len() as u64 != result_len {
        return Err(format!(
            "delta rebuilds {} of the {result_len} bytes it claims",
            out.len()
        ));
    }
    Ok(out)
}

/// A little-endian base-128 number, as delta headers store sizes.
fn varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(*at).ok_or("delta ends inside its header")?;
        *at += 1;
        if shift > 63 {
            return Err("delta size does not fit 64 bits".into());
        }
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn push_varint(out: &mut Vec<u8>, mut value: u64) {
        loop {
            let byte = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    /// A delta that copies `base[offset..offset + len]` and then inserts `tail`.
    pub(crate) fn copy_then_insert(
        base_len: usize,
        offset: usize,
        len: usize,
        tail: &[u8],
    ) -> Vec<u8> {
        let mut delta = Vec::new();
        push_varint(&mut delta, base_len as u64);
        push_varint(&mut delta, (len + tail.len()) as u64);
        let mut op = 0x80u8;
        let mut args = Vec::new();
        for (i, byte) in (offset as u32).to_le_bytes().into_iter().enumerate() {
            if byte != 0 {
                op |= 1 << i;
                args.push(byte);
            }
        }
        for (i, byte) in (len as u32).to_le_bytes().into_iter().take(3).enumerate() {
            if byte != 0 {
                op |= 0x10 << i;
                args.push(byte);
            }
        }
        delta.push(op);
        delta.extend(args);
        for chunk in tail.chunks(127) {
            delta.push(chunk.len() as u8);
            delta.extend(chunk);
        }
        delta
    }

    #[test]
    fn copies_and_inserts() {
        let base = b"hello, brave new world";
        let delta = copy_then_insert(base.len(), 7, 5, b" cat");
        assert_eq!(apply(base, &delta, 1 << 20).unwrap(), b"brave cat");
        let long_tail = vec![b'x'; 300];
        let delta = copy_then_insert(base.len(), 0, 5, &long_tail);
        let out = apply(base, &delta, 1 << 20).unwrap();
        assert_eq!(&out[..5], b"hello");
        assert_eq!(out.len(), 305);
    }

    #[test]
    fn notes_where_each_copy_landed() {
        let base = b"hello, brave new world";
        let mut copies = vec![CopiedSpan {
            at: 9,
            from: 9,
            len: 9,
        }];
        // Copy "brave" and insert " cat"; what the list held before is gone.
        let delta = copy_then_insert(base.len(), 7, 5, b" cat");
        let out = apply_noting_copies(base, &delta, 1 << 20, &mut copies).unwrap();
        assert_eq!(out, b"brave cat");
        assert_eq!(
            copies,
            [CopiedSpan {
                at: 0,
                from: 7,
                len: 5
            }]
        );
        let delta = copy_then_insert(base.len(), 0, 5, b"");
        apply_noting_copies(base, &delta, 1 << 20, &mut copies).unwrap();
        assert_eq!(
            copies,
            [CopiedSpan {
                at: 0,
                from: 0,
                len: 5
            }]
        );
    }

    #[test]
    fn copy_of_length_zero_means_64_kib() {
        let base = vec![3u8; 0x10000];
        let mut delta = Vec::new();
        push_varint(&mut delta, base.len() as u64);
        push_varint(&mut delta, 0x10000);
        delta.push(0x80);
        assert_eq!(apply(&base, &delta, 1 << 20).unwrap(), base);
    }

    #[test]
    fn damaged_deltas_are_errors() {
        let base = b"0123456789";
        let copy_past_end = copy_then_insert(base.len(), 8, 5, b"");
        assert!(apply(base, &copy_past_end, 99)
            .unwrap_err()
            .contains("past the end"));
        let wrong_base = copy_then_insert(4, 0, 2, b"");
        assert!(apply(base, &wrong_base, 99)
            .unwrap_err()
            .contains("base of 4"));
        let mut short = copy_then_insert(base.len(), 0, 2, b"abc");
        short.pop();
        assert!(apply(base, &short, 99).is_err());
        let mut reserved = Vec::new();
        push_varint(&mut reserved, base.len() as u64);
        push_varint(&mut reserved, 1);
        reserved.push(0);
        assert!(apply(base, &reserved, 99).unwrap_err().contains("reserved"));
        let mut huge = Vec::new();
        push_varint(&mut huge, base.len() as u64);
        push_varint(&mut huge, u64::MAX >> 1);
        assert!(apply(base, &huge, 99).unwrap_err().contains("impossible"));
        assert!(sizes(&[0x80, 0x80]).is_err());
        let over_limit = copy_then_insert(base.len(), 0, 10, b"");
        assert!(apply(base, &over_limit, 9).unwrap_err().contains("limit"));
    }
}
