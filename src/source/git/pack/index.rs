//! A pack's index (`.idx`, version 2): which objects the pack holds and where each starts.
//!
//! The file is mapped and read in place, as git does: its sorted id table is searched
//! within the range its fan-out names, so a lookup touches a few cache lines and nothing is
//! decoded up front (a walk continued from a record looks up a handful of ids in a 35 MB
//! index; reading it whole cost that much memory). Version 1 indexes (git before 1.5.2) and SHA-256 repositories are not
//! read here; [`Index::parse`] says why and the caller falls back to libgit2.

const MAGIC: [u8; 4] = [0xff, b't', b'O', b'c'];
const HEADER_LEN: usize = 8;
const FANOUT_LEN: usize = 256 * 4;
const OID_LEN: usize = 20;
/// The pack's and the index's own checksums close the file.
const TRAILER_LEN: usize = 2 * OID_LEN;
/// An offset entry with this bit set indexes the table of 64-bit offsets instead.
const LARGE_OFFSET: u32 = 0x8000_0000;

/// A parsed `.idx` file.
#[derive(Debug)]
pub struct Index {
    bytes: Bytes,
    count: usize,
    large_offsets: usize,
}

/// An index's bytes: the file mapped, or (in tests, and for an empty index) in memory.
#[derive(Debug)]
enum Bytes {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Owned(bytes) => bytes,
            Bytes::Mapped(map) => map,
        }
    }
}

impl Index {
    /// Checks the layout of `bytes` (an `.idx` file's contents) so that every later read is
    /// in bounds. The error says what is wrong with the file.
    #[cfg(test)]
    pub fn parse(bytes: Vec<u8>) -> Result<Index, String> {
        Index::check(Bytes::Owned(bytes))
    }

    /// Maps the index file `file` and checks it as [`Index::parse`] does.
    pub fn map(file: &std::fs::File) -> Result<Index, String> {
        // SAFETY: git never rewrites an index in place (it writes a new file and renames
        // it), and a removed file stays readable while mapped; git and libgit2 map them too.
        let map = unsafe { memmap2::Mmap::map(file) }.map_err(|e| e.to_string())?;
        Index::check(Bytes::Mapped(map))
    }

    fn check(bytes: Bytes) -> Result<Index, String> {
        if bytes.len() < HEADER_LEN + FANOUT_LEN + TRAILER_LEN || bytes[..4] != MAGIC {
            return Err("not a version 2 pack index".into());
        }
        let version = u32::from_be_bytes(bytes[4..8].try_into().expect("4 bytes"));
        if version != 2 {
            return Err(format!("pack index version {version} is not supported"));
        }
        let fanout = |i: usize| {
            let at = HEADER_LEN + 4 * i;
            u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize
        };
        if (1..256).any(|i| fanout(i) < fanout(i - 1)) {
            return Err("pack index fan-out is not sorted".into());
        }
        let count = fanout(255);
        let fixed = HEADER_LEN + FANOUT_LEN + count * (OID_LEN + 4 + 4) + TRAILER_LEN;
        let rest = bytes
            .len()
            .checked_sub(fixed)
            .ok_or("pack index is truncated")?;
        if rest % 8 != 0 {
            // Also what a SHA-256 repository's index looks like to this reader.
            return Err("pack index has an unexpected length (SHA-256 repository?)".into());
        }
        // A 64-bit offset entry that names a missing slot is found when it is looked up:
        // checking every entry here would read the whole offset table of every index.
        Ok(Index {
            bytes,
            count,
            large_offsets: rest / 8,
        })
    }

    /// An index holding nothing.
    pub fn empty() -> Index {
        Index {
            bytes: Bytes::Owned(Vec::new()),
            count: 0,
            large_offsets: 0,
        }
    }

    /// How many objects the pack holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Where the object `oid` starts in the pack, if the pack holds it.
    pub fn find(&self, oid: &[u8; OID_LEN]) -> Option<u64> {
        if self.count == 0 {
            return None;
        }
        let first = oid[0] as usize;
        let mut low = if first == 0 {
            0
        } else {
            self.fanout(first - 1)
        };
        let mut high = self.fanout(first);
        if low == high {
            return None;
        }
        // Ids are uniformly random, so the bytes after the first say nearly where an id sits
        // in its fan-out range: start there and gallop outwards. On a large pack that is a
        // few neighbouring cache lines instead of a dozen scattered binary-search probes.
        let key = |bytes: &[u8]| u64::from_be_bytes(bytes[1..9].try_into().expect("8 bytes"));
        let wanted = key(oid);
        let compare = |i: usize| {
            let here = self.oid(i);
            key(here)
                .cmp(&wanted)
                .then_with(|| here[9..].cmp(&oid[9..]))
        };
        let guess = low + ((u128::from(wanted) * (high - low) as u128) >> 64) as usize;
        match compare(guess) {
            std::cmp::Ordering::Equal => return self.offset(guess),
            std::cmp::Ordering::Less => {
                let mut step = 1;
                low = guess + 1;
                while low + step < high && compare(low + step - 1) == std::cmp::Ordering::Less {
                    low += step;
                    step *= 2;
                }
                high = high.min(low + step);
            }
            std::cmp::Ordering::Greater => {
                let mut step = 1;
                high = guess;
                while high >= low + step && compare(high - step) == std::cmp::Ordering::Greater {
                    high -= step;
                    step *= 2;
                }
                low = low.max(high.saturating_sub(step));
            }
        }
        while low < high {
            let mid = low + (high - low) / 2;
            match compare(mid) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return self.offset(mid),
            }
        }
        None
    }

    /// The `i`th object id in sorted order.
    pub fn oid(&self, i: usize) -> &[u8; OID_LEN] {
        let at = HEADER_LEN + FANOUT_LEN + i * OID_LEN;
        self.bytes[at..at + OID_LEN].try_into().expect("20 bytes")
    }

    /// The pack offset of the `i`th object id; `None` when the entry names a 64-bit
    /// offset the index lacks (damage: the object is then libgit2's to read or refuse).
    pub fn offset(&self, i: usize) -> Option<u64> {
        let raw = self.raw_offset(i);
        if raw & LARGE_OFFSET == 0 {
            return Some(u64::from(raw));
        }
        let slot = (raw & !LARGE_OFFSET) as usize;
        if slot >= self.large_offsets {
            return None;
        }
        let at = self.large_offsets_start() + 8 * slot;
        Some(u64::from_be_bytes(
            self.bytes[at..at + 8].try_into().expect("8 bytes"),
        ))
    }

    fn fanout(&self, i: usize) -> usize {
        let at = HEADER_LEN + 4 * i;
        u32::from_be_bytes(self.bytes[at..at + 4].try_into().expect("4 bytes")) as usize
    }

    fn raw_offset(&self, i: usize) -> u32 {
        let at = HEADER_LEN + FANOUT_LEN + self.count * (OID_LEN + 4) + 4 * i;
        u32::from_be_bytes(self.bytes[at..at + 4].try_into().expect("4 bytes"))
    }

    fn large_offsets_start(&self) -> usize {
        HEADER_LEN + FANOUT_LEN + self.count * (OID_LEN + 4 + 4)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds a version 2 index over `(oid, offset)` pairs, as git would lay it out.
    pub(crate) fn build(entries: &[([u8; 20], u64)]) -> Vec<u8> {
        let mut sorted = entries.to_vec();
        sorted.sort();
        let mut out = MAGIC.to_vec();
        out.extend(2u32.to_be_bytes());
        for byte in 0..256usize {
            let n = sorted.iter().filter(|(o, _)| o[0] as usize <= byte).count();
            out.extend((n as u32).to_be_bytes());
        }
        for (oid, _) in &sorted {
            out.extend(oid);
        }
        out.extend(std::iter::repeat_n(0u8, 4 * sorted.len()));
        let mut large = Vec::new();
        for (_, offset) in &sorted {
            if *offset >= u64::from(LARGE_OFFSET) {
                out.extend((LARGE_OFFSET | large.len() as u32).to_be_bytes());
                large.push(*offset);
            } else {
                out.extend((*offset as u32).to_be_bytes());
            }
        }
        for offset in large {
            out.extend(offset.to_be_bytes());
        }
        out.extend([0u8; TRAILER_LEN]);
        out
    }

    fn oid(first: u8, last: u8) -> [u8; 20] {
        let mut oid = [7u8; 20];
        oid[0] = first;
        oid[19] = last;
        oid
    }

    #[test]
    fn finds_every_entry_and_nothing_else() {
        let entries = [
            (oid(0, 1), 12),
            (oid(0, 2), 99),
            (oid(0x80, 0), 5000),
            (oid(0xff, 9), 7 << 32),
        ];
        let index = Index::parse(build(&entries)).unwrap();
        assert_eq!(index.len(), 4);
        for (oid, offset) in entries {
            assert_eq!(index.find(&oid), Some(offset));
        }
        assert_eq!(index.find(&oid(0, 3)), None);
        assert_eq!(index.find(&oid(0x7f, 0)), None);
        assert_eq!(index.find(&oid(0xff, 8)), None);
    }

    #[test]
    fn finds_every_id_of_a_large_index_and_rejects_near_misses() {
        // Random ids (a fixed xorshift), plus runs of ids close together, where guessing a
        // position from the id is furthest off.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut entries = Vec::new();
        for i in 0..6000u64 {
            let mut oid = [0u8; 20];
            for chunk in oid.chunks_mut(8) {
                let bytes = next().to_be_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
            if i % 10 == 0 {
                oid[1..].fill(0);
                oid[19] = (i / 10) as u8;
            }
            entries.push((oid, 12 + i * 100));
        }
        entries.sort();
        entries.dedup_by_key(|(oid, _)| *oid);
        let index = Index::parse(build(&entries)).unwrap();
        for (oid, offset) in &entries {
            assert_eq!(index.find(oid), Some(*offset));
            let mut near = *oid;
            near[19] ^= 0x80;
            if entries.binary_search_by_key(&near, |(o, _)| *o).is_err() {
                assert_eq!(index.find(&near), None);
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_read_safely() {
        let good = build(&[(oid(1, 1), 12)]);
        let mut wrong_magic = good.clone();
        wrong_magic[1] = b'x';
        assert!(Index::parse(wrong_magic).unwrap_err().contains("version 2"));
        let mut v3 = good.clone();
        v3[7] = 3;
        assert!(Index::parse(v3).unwrap_err().contains("version 3"));
        let truncated = good[..good.len() - 30].to_vec();
        assert!(Index::parse(truncated).is_err());
        // A 64-bit offset slot the index lacks: that entry is not found, nothing panics.
        let mut dangling = good.clone();
        let at = HEADER_LEN + FANOUT_LEN + 20 + 4;
        dangling[at..at + 4].copy_from_slice(&(LARGE_OFFSET | 3).to_be_bytes());
        assert_eq!(Index::parse(dangling).unwrap().find(&oid(1, 1)), None);
        assert_eq!(Index::parse(good).unwrap().find(&oid(1, 1)), Some(12));
    }
}
