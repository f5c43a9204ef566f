//! Reading objects straight from a repository's packs, without libgit2.
//!
//! A full audit reads every tree and every unique blob once. Through libgit2 that cost a
//! third of the audit in the kernel (its pack windows are mapped and unmapped over and over,
//! and each unmap is a TLB shoot-down across the workers) and most of the rest in zlib and
//! delta resolution repeated for objects read out of pack order. Here:
//! - packs are read with positioned reads into a window each reader owns, so nothing is
//!   mapped and neighbouring entries (which pack order makes common) cost one read;
//! - each reader keeps its recently rebuilt objects, so a delta chain walked in pack order
//!   is inflated once rather than once per object on it;
//! - an entry is inflated whole by libdeflate, 1.6 to 2 times as fast as zlib-rs streaming
//!   it; zlib-rs (through flate2) takes what libdeflate refuses and names the damage.
//!
//! Anything this reader cannot serve (loose objects, alternates, a version 1 index, a base
//! of a thin pack) is reported as [`Read::Elsewhere`] and the caller asks libgit2, so the set
//! of objects an audit sees does not depend on this module.

mod delta;
mod family;
mod index;
pub use family::{Base, Derive, Forest, Resolved};

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::{Decompress, FlushDecompress, Status};
use git2::Oid;

use crate::error::Error;
use index::Index;

/// A delta chain longer than this is treated as damage (git's own default depth is 50, and
/// `--depth` above 4095 is refused), which also stops a cycle of ref-deltas.
const MAX_CHAIN: usize = 10_000;
/// Objects larger than this are never rebuilt, whatever a caller allows: it bounds what a
/// damaged header can make the reader allocate.
pub const MAX_OBJECT: u64 = 1 << 30;
/// The trailing checksum of a pack file.
const PACK_TRAILER: u64 = 20;

/// What a packed object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl Kind {
    /// The kind libgit2 reports, if it is one of the four kinds of object.
    pub fn of(kind: git2::ObjectType) -> Option<Kind> {
        match kind {
            git2::ObjectType::Commit => Some(Kind::Commit),
            git2::ObjectType::Tree => Some(Kind::Tree),
            git2::ObjectType::Blob => Some(Kind::Blob),
            git2::ObjectType::Tag => Some(Kind::Tag),
            _ => None,
        }
    }

    /// As git names it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Commit => "commit",
            Kind::Tree => "tree",
            Kind::Blob => "blob",
            Kind::Tag => "tag",
        }
    }
}

/// Where an object starts: which pack, and the offset of its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Location {
    pub pack: u32,
    pub offset: u64,
}

/// Locations are already well spread (offsets are distinct); SipHash on every cache lookup
/// and plan step is wasted. One multiply mixes them.
#[derive(Default)]
pub struct LocationHasher(u64);

impl std::hash::Hasher for LocationHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 ^= u64::from(n) << 48;
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

/// A map keyed by pack location.
pub type LocationMap<V> = HashMap<Location, V, std::hash::BuildHasherDefault<LocationHasher>>;

/// An object rebuilt from a pack. The bytes are shared with the reader's cache.
#[derive(Debug, Clone)]
pub struct Object {
    pub kind: Kind,
    pub data: Rc<Vec<u8>>,
}

/// What [`Reader::read`] found.
#[derive(Debug)]
pub enum Read {
    Object(Object),
    /// Larger than the caller's limit (known from headers, before inflating the object): its
    /// size.
    TooLarge(#[cfg_attr(not(test), allow(dead_code))] u64),
    /// Not something this reader can rebuild (a ref-delta whose base is in no pack here).
    Elsewhere,
}

/// Every pack of a repository that this reader can read.
#[derive(Debug)]
pub struct Packs {
    packs: Vec<Pack>,
    /// Indexes found but not read (their objects are libgit2's to serve).
    skipped: usize,
}

#[derive(Debug)]
struct Pack {
    path: PathBuf,
    file: File,
    /// Where entries end: the trailing checksum follows.
    end: u64,
    index: Index,
}

impl Packs {
    /// Opens the packs under `objects/pack` that have a readable version 2 index and a pack
    /// file that agrees with it. A pack that does not is left out, not refused: libgit2 then
    /// reads its objects (or reports the damage in its own words).
    pub fn open(objects: &Path) -> Packs {
        let mut packs = Vec::new();
        let mut skipped = 0;
        let Ok(dir) = std::fs::read_dir(objects.join("pack")) else {
            return Packs { packs, skipped };
        };
        let mut indexes: Vec<PathBuf> = dir
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "idx"))
            .collect();
        indexes.sort();
        for idx in indexes {
            match Pack::open(&idx) {
                Some(pack) => packs.push(pack),
                None => skipped += 1,
            }
        }
        Packs { packs, skipped }
    }

    /// Where `oid` is packed, if in a pack this reader holds.
    pub fn locate(&self, oid: Oid) -> Option<Location> {
        let oid: &[u8; 20] = oid.as_bytes().try_into().ok()?;
        self.packs.iter().enumerate().find_map(|(i, pack)| {
            pack.index.find(oid).map(|offset| Location {
                pack: i as u32,
                offset,
            })
        })
    }

    /// Whether every pack index of the object directory was read (else some packed objects
    /// are only libgit2's to list).
    pub fn reads_every_pack(&self) -> bool {
        self.skipped == 0
    }

    /// Calls `f` on the id of every object the packs hold.
    pub fn each_id(&self, mut f: impl FnMut(&[u8; 20])) {
        for pack in &self.packs {
            for i in 0..pack.index.len() {
                f(pack.index.oid(i));
            }
        }
    }

    /// Frees the indexes (a large pack's is tens of megabytes) once every object to read is
    /// located. Afterwards nothing is found by id: a ref-delta's base is then
    /// [`Read::Elsewhere`], for libgit2 to rebuild.
    pub fn forget_indexes(&mut self) {
        for pack in &mut self.packs {
            pack.index = Index::empty();
        }
    }

    /// How many objects the readable packs hold.
    #[cfg(test)]
    pub fn objects(&self) -> usize {
        self.packs.iter().map(|p| p.index.len()).sum()
    }
}

impl Pack {
    fn open(idx: &Path) -> Option<Pack> {
        let path = idx.with_extension("pack");
        let index = Index::map(&File::open(idx).ok()?).ok()?;
        let file = File::open(&path).ok()?;
        let len = file.metadata().ok()?.len();
        let mut header = [0u8; 12];
        read_at(&file, &mut header, 0).ok()?;
        let version = u32::from_be_bytes(header[4..8].try_into().expect("4 bytes"));
        let count = u32::from_be_bytes(header[8..12].try_into().expect("4 bytes"));
        let agrees = &header[..4] == b"PACK"
            && (version == 2 || version == 3)
            && count as usize == index.len()
            && len >= 12 + PACK_TRAILER;
        agrees.then(|| Pack {
            path,
            file,
            end: len - PACK_TRAILER,
            index,
        })
    }
}

/// A pack entry's header: what follows it, and where its compressed data starts.
#[derive(Debug, Clone, Copy)]
struct Entry {
    kind: EntryKind,
    /// The inflated size of the entry's data (for a delta, of the delta itself).
    size: u64,
    data_start: u64,
}

#[derive(Debug, Clone, Copy)]
enum EntryKind {
    Whole(Kind),
    /// A delta, and where its base starts: `None` when the base (a ref-delta's, named by id)
    /// is in no pack this reader holds.
    Delta(Option<Location>),
}

/// An entry header as stored, before its base is located.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Whole(Kind),
    /// A delta on the entry this many bytes before it.
    OffsetDelta(u64),
    /// A delta on the object with this id.
    RefDelta([u8; 20]),
}

/// Parses an entry header from `bytes` (which start at the entry): what it is, the inflated
/// size of its data, and the header's length.
fn parse_header(bytes: &[u8]) -> Result<(Header, u64, usize), String> {
    let mut at = 0;
    let mut next = || -> Result<u8, String> {
        let byte = *bytes.get(at).ok_or("header runs past the pack")?;
        at += 1;
        Ok(byte)
    };
    let mut byte = next()?;
    let kind = (byte >> 4) & 7;
    let mut size = u64::from(byte & 0x0f);
    let mut shift = 4;
    while byte & 0x80 != 0 {
        byte = next()?;
        if shift > 60 {
            return Err("entry size does not fit 64 bits".into());
        }
        size |= u64::from(byte & 0x7f) << shift;
        shift += 7;
    }
    let header = match kind {
        1 => Header::Whole(Kind::Commit),
        2 => Header::Whole(Kind::Tree),
        3 => Header::Whole(Kind::Blob),
        4 => Header::Whole(Kind::Tag),
        6 => {
            let mut byte = next()?;
            let mut back = u64::from(byte & 0x7f);
            while byte & 0x80 != 0 {
                byte = next()?;
                back = back
                    .checked_add(1)
                    .and_then(|b| b.checked_mul(128))
                    .ok_or("delta base offset does not fit 64 bits")?
                    | u64::from(byte & 0x7f);
            }
            Header::OffsetDelta(back)
        }
        7 => {
            let mut oid = [0u8; 20];
            for byte in &mut oid {
                *byte = next()?;
            }
            Header::RefDelta(oid)
        }
        other => return Err(format!("unknown entry type {other}")),
    };
    Ok((header, size, at))
}

/// Reads objects from [`Packs`]; one per thread (it owns its buffers and cache).
pub struct Reader<'p> {
    packs: &'p Packs,
    cache: RecentObjects,
    inflater: Decompress,
    whole: libdeflater::Decompressor,
    /// Bytes of `window_pack` read from `window_start` on.
    window: Vec<u8>,
    window_pack: u32,
    window_start: u64,
    /// How much to read when an entry is not in the window.
    read_size: usize,
}

impl<'p> Reader<'p> {
    /// A reader keeping up to `cache_bytes` of rebuilt objects and reading `read_size`
    /// bytes at a time (larger suits reading in pack order, smaller random access).
    pub fn new(packs: &'p Packs, cache_bytes: usize, read_size: usize) -> Reader<'p> {
        Reader {
            packs,
            cache: RecentObjects::new(cache_bytes),
            inflater: Decompress::new(true),
            whole: libdeflater::Decompressor::new(),
            window: Vec::with_capacity(read_size),
            window_pack: u32::MAX,
            window_start: 0,
            read_size: read_size.max(64),
        }
    }

    /// The object at `at`, unless it is larger than `max` bytes. It and the delta bases
    /// rebuilt on the way are kept for later reads.
    pub fn read(&mut self, at: Location, max: u64) -> Result<Read, Error> {
        self.read_keeping(at, max, true)
    }

    /// Like [`read`](Self::read), but the object itself is not kept (it will not be a base
    /// of what is read next: a commit, say), so it does not push useful bases out.
    pub fn read_once(&mut self, at: Location, max: u64) -> Result<Read, Error> {
        self.read_keeping(at, max, false)
    }

    fn read_keeping(&mut self, at: Location, max: u64, keep: bool) -> Result<Read, Error> {
        if let Some(hit) = self.cache.get(at) {
            return Ok(fits(hit, max));
        }
        let mut chain: Vec<(Location, Vec<u8>)> = Vec::new();
        let mut current = at;
        let base = loop {
            let entry = self.entry(current)?;
            let next = match entry.kind {
                EntryKind::Whole(kind) => {
                    if chain.is_empty() && entry.size > max {
                        return Ok(Read::TooLarge(entry.size));
                    }
                    let data = self.inflate(current, &entry)?;
                    let object = Object {
                        kind,
                        data: Rc::new(data),
                    };
                    if keep || current != at {
                        self.cache.put(current, &object);
                    }
                    break object;
                }
                EntryKind::Delta(Some(base)) => base,
                EntryKind::Delta(None) => return Ok(Read::Elsewhere),
            };
            let delta = self.inflate(current, &entry)?;
            if chain.is_empty() {
                let (_, size, _) =
                    delta::sizes(&delta).map_err(|why| self.damaged(current, why))?;
                if size > max {
                    return Ok(Read::TooLarge(size));
                }
            }
            chain.push((current, delta));
            if chain.len() > MAX_CHAIN {
                return Err(self.damaged(at, format!("delta chain longer than {MAX_CHAIN}")));
            }
            if let Some(hit) = self.cache.get(next) {
                break hit;
            }
            current = next;
        };
        let mut object = base;
        while let Some((location, delta)) = chain.pop() {
            let data = delta::apply(&object.data, &delta, MAX_OBJECT)
                .map_err(|why| self.damaged(location, why))?;
            object = Object {
                kind: object.kind,
                data: Rc::new(data),
            };
            if keep || location != at {
                self.cache.put(location, &object);
            }
        }
        Ok(Read::Object(object))
    }

    /// What kind of object starts at `at`, from entry headers alone (a delta is the kind of
    /// the whole object at the end of its chain); `None` when its chain leaves the packs.
    /// The walk back stops at any entry of the chain that `known` holds, and adds the
    /// chain's entries to it: each step back is usually a read of its own, and neighbours in
    /// pack order share their chains (classifying a diffusers clone's 334,000 unreached
    /// objects chain by chain took 1.1 s of its 6 s `--all-objects` audit).
    ///
    /// Only the entry at `at` is read with this reader; the steps back go through `steps`.
    /// A caller asking in pack order then keeps its window moving forward, where the next
    /// entries are: with one reader each chain moved the window away, and on rails 258,000
    /// reads became 162,000.
    pub fn kind_remembering(
        &mut self,
        at: Location,
        known: &mut LocationMap<Kind>,
        steps: &mut Reader<'p>,
    ) -> Result<Option<Kind>, Error> {
        let mut chain = Vec::new();
        let mut current = at;
        let kind = loop {
            if let Some(&kind) = known.get(&current) {
                break kind;
            }
            if chain.len() > MAX_CHAIN {
                return Err(self.damaged(at, format!("delta chain longer than {MAX_CHAIN}")));
            }
            chain.push(current);
            let reader = if chain.len() == 1 {
                &mut *self
            } else {
                &mut *steps
            };
            current = match reader.entry(current)?.kind {
                EntryKind::Whole(kind) => break kind,
                EntryKind::Delta(Some(base)) => base,
                EntryKind::Delta(None) => return Ok(None),
            };
        };
        known.extend(chain.into_iter().map(|at| (at, kind)));
        Ok(Some(kind))
    }

    /// Parses the entry header at `at`, reading into the window if it is not there.
    fn entry(&mut self, at: Location) -> Result<Entry, Error> {
        const LONGEST_HEADER: u64 = 10 + 20;
        let pack = &self.packs.packs[at.pack as usize];
        if at.offset < 12 || at.offset >= pack.end {
            return Err(self.damaged(at, "offset outside the pack"));
        }
        let in_window = at.pack == self.window_pack
            && at.offset >= self.window_start
            && at.offset + LONGEST_HEADER.min(pack.end - at.offset)
                <= self.window_start + self.window.len() as u64;
        if !in_window {
            self.fill(at.pack, at.offset, self.read_size)?;
        }
        let bytes = &self.window[(at.offset - self.window_start) as usize..];
        let (header, size, header_len) =
            parse_header(bytes).map_err(|why| self.damaged(at, why))?;
        let kind = match header {
            Header::Whole(kind) => EntryKind::Whole(kind),
            Header::OffsetDelta(back) if back == 0 || back > at.offset - 12 => {
                return Err(self.damaged(at, "delta base offset points outside the pack"));
            }
            Header::OffsetDelta(back) => EntryKind::Delta(Some(Location {
                pack: at.pack,
                offset: at.offset - back,
            })),
            Header::RefDelta(oid) => {
                EntryKind::Delta(self.packs.locate(Oid::from_bytes(&oid).expect("20 bytes")))
            }
        };
        if size > MAX_OBJECT {
            return Err(self.damaged(at, format!("entry claims {size} bytes")));
        }
        Ok(Entry {
            kind,
            size,
            data_start: at.offset + header_len as u64,
        })
    }

    /// Inflates an entry's data, which must be exactly `entry.size` bytes.
    ///
    /// libdeflate inflates a whole stream held in memory 1.6 to 2 times as fast as zlib-rs
    /// streams it (on rails' and diffusers' files compressed as git does); it stops at the
    /// stream's end and checks its Adler-32. It is tried on what the window already holds,
    /// then on a window reaching as far as zlib can take to compress the entry; whatever it
    /// refuses (damage, or a stream longer than zlib writes) goes to the streaming inflater,
    /// which names the problem.
    fn inflate(&mut self, at: Location, entry: &Entry) -> Result<Vec<u8>, Error> {
        let start = entry.data_start;
        let pack_end = self.packs.packs[at.pack as usize].end;
        let stream_end =
            start + longest_zlib_stream(entry.size).min(pack_end - start.min(pack_end));
        let mut out = vec![0u8; entry.size as usize];
        if self.window_holds(at.pack, start, start + 1) && self.inflate_whole(start, &mut out) {
            return Ok(out);
        }
        if !self.window_holds(at.pack, start, stream_end) {
            let len = ((stream_end - start) as usize).max(self.read_size);
            self.fill(at.pack, start, len)?;
            if self.inflate_whole(start, &mut out) {
                return Ok(out);
            }
        }
        self.inflate_streaming(at, entry)
    }

    /// Whether the window holds bytes `from..to` of pack `pack`.
    fn window_holds(&self, pack: u32, from: u64, to: u64) -> bool {
        pack == self.window_pack
            && from >= self.window_start
            && to <= self.window_start + self.window.len() as u64
    }

    /// Inflates the zlib stream starting at `start` in the window into all of `out`, with
    /// libdeflate; false if it does not fill `out` exactly.
    fn inflate_whole(&mut self, start: u64, out: &mut [u8]) -> bool {
        let input = &self.window[(start - self.window_start) as usize..];
        matches!(self.whole.zlib_decompress(input, out), Ok(written) if written == out.len())
    }

    /// [`inflate`](Self::inflate) for what libdeflate refused: zlib-rs, a window at a time.
    fn inflate_streaming(&mut self, at: Location, entry: &Entry) -> Result<Vec<u8>, Error> {
        let size = entry.size as usize;
        // One spare byte: data longer than the header says shows as output past `size`.
        let mut out = Vec::with_capacity(size + 1);
        self.inflater.reset(true);
        let mut from = entry.data_start;
        loop {
            let window_end = self.window_start + self.window.len() as u64;
            if from >= window_end {
                // What is left, at a guess: compressed data is rarely larger than raw.
                let want = (size as u64 + 64 - self.inflater.total_in().min(size as u64)) as usize;
                self.fill(at.pack, from, want.max(self.read_size))?;
            }
            let input = &self.window[(from - self.window_start) as usize..];
            let (before_in, before_out) = (self.inflater.total_in(), self.inflater.total_out());
            let status = self
                .inflater
                .decompress_vec(input, &mut out, FlushDecompress::None)
                .map_err(|e| self.damaged(at, format!("does not inflate ({e})")))?;
            from += self.inflater.total_in() - before_in;
            if out.len() > size {
                return Err(self.damaged(at, format!("inflates past its {size} bytes")));
            }
            match status {
                Status::StreamEnd => break,
                _ if self.inflater.total_in() == before_in
                    && self.inflater.total_out() == before_out
                    && from < self.window_start + self.window.len() as u64 =>
                {
                    return Err(self.damaged(at, "zlib stream stalls"));
                }
                _ => {}
            }
        }
        if out.len() != size {
            return Err(self.damaged(at, format!("inflates to {} of its {size} bytes", out.len())));
        }
        Ok(out)
    }

    /// Reads `len` bytes (fewer at the pack's end) of pack `pack` from `offset` into the
    /// window.
    fn fill(&mut self, pack: u32, offset: u64, len: usize) -> Result<(), Error> {
        let file = &self.packs.packs[pack as usize];
        let len = len.min((file.end - offset.min(file.end)) as usize);
        if len == 0 {
            return Err(self.damaged(
                Location { pack, offset },
                "entry runs past the end of the pack",
            ));
        }
        self.window.clear();
        // A large object grows the window to its size; do not keep that for small ones.
        if self.window.capacity() > 4 * self.read_size.max(len) {
            self.window.shrink_to(self.read_size.max(len));
        }
        self.window.resize(len, 0);
        read_at(&file.file, &mut self.window, offset).map_err(|e| Error::io(&file.path, e))?;
        self.window_pack = pack;
        self.window_start = offset;
        Ok(())
    }

    fn damaged(&self, at: Location, why: impl std::fmt::Display) -> Error {
        let pack = &self.packs.packs[at.pack as usize];
        Error::io(
            &pack.path,
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "cannot read the entry at offset {}: damaged pack ({why}); `git fsck` names what is lost",
                    at.offset
                ),
            ),
        )
    }
}

/// The most bytes zlib takes to compress `size` bytes (its `compressBound`: stored blocks'
/// headers, the stream's header and its checksum).
fn longest_zlib_stream(size: u64) -> u64 {
    size + (size >> 12) + (size >> 14) + (size >> 25) + 13
}

fn fits(object: Object, max: u64) -> Read {
    let size = object.data.len() as u64;
    if size > max {
        Read::TooLarge(size)
    } else {
        Read::Object(object)
    }
}

/// The objects a reader used most recently, up to a byte budget, least recently used out
/// first. Git writes a delta family base first and then its descendants depth-first, so in
/// pack order a delta's base is one of the few objects touched last; keeping it fresh on
/// every use is what lets a small budget serve a whole family.
struct RecentObjects {
    /// Each object with the tick of its last use.
    map: LocationMap<(Object, u64)>,
    /// Uses in order; an entry whose tick is older than its object's is stale and skipped.
    uses: VecDeque<(Location, u64)>,
    tick: u64,
    bytes: usize,
    budget: usize,
}

impl RecentObjects {
    fn new(budget: usize) -> RecentObjects {
        RecentObjects {
            map: LocationMap::default(),
            uses: VecDeque::new(),
            tick: 0,
            bytes: 0,
            budget,
        }
    }

    fn get(&mut self, at: Location) -> Option<Object> {
        let tick = self.next_tick();
        let (object, used) = self.map.get_mut(&at)?;
        *used = tick;
        let object = object.clone();
        self.uses.push_back((at, tick));
        self.compact();
        Some(object)
    }

    fn put(&mut self, at: Location, object: &Object) {
        let size = object.data.len();
        // One object may not take over the whole budget.
        if size > self.budget / 4 || self.map.contains_key(&at) {
            return;
        }
        let tick = self.next_tick();
        self.map.insert(at, (object.clone(), tick));
        self.uses.push_back((at, tick));
        self.bytes += size;
        while self.bytes > self.budget {
            let Some((old, used)) = self.uses.pop_front() else {
                break;
            };
            if self.map.get(&old).is_some_and(|(_, last)| *last == used) {
                let (gone, _) = self.map.remove(&old).expect("present");
                self.bytes -= gone.data.len();
            }
        }
    }

    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    /// Drops stale uses once they outnumber live objects, so the queue stays in proportion.
    fn compact(&mut self) {
        if self.uses.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.uses
                .retain(|(at, used)| map.get(at).is_some_and(|(_, last)| last == used));
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
