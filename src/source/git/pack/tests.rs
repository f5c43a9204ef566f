//! The reader against libgit2, object by object, on packs git itself wrote.

use std::path::Path;

use super::*;
use crate::source::git::test_git::{every_blob, every_object, git, plan_families};
use crate::text::CopiedSpan;

/// A repository whose history is one pack with long delta chains: a file edited in many
/// commits, a large file (stored whole), an empty file and a binary one.
fn packed_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    // Each commit edits one more line, so each version is closest to its neighbours and git
    // chains the deltas version to version.
    let mut lines: Vec<String> = (0..300)
        .map(|i| format!("line {i}: the quick brown fox jumps over the lazy dog"))
        .collect();
    for i in 0..40 {
        lines[i * 37 % 300] = format!("edited in commit {i}");
        let text = lines.join("\n");
        std::fs::write(root.join("notes.txt"), &text).unwrap();
        std::fs::create_dir_all(root.join("src/deep")).unwrap();
        std::fs::write(
            root.join("src/deep/config.py"),
            format!("VERSION = {i}\n{text}"),
        )
        .unwrap();
        if i == 3 {
            let big: String = (0..20_000).map(|n| format!("{n:08}\n")).collect();
            std::fs::write(root.join("big.txt"), big).unwrap();
            std::fs::write(root.join("empty"), "").unwrap();
            std::fs::write(
                root.join("blob.bin"),
                (0..=255u8).cycle().take(5000).collect::<Vec<_>>(),
            )
            .unwrap();
        }
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", &format!("edit {i}")]);
    }
    git(root, &["gc", "-q", "--aggressive"]);
    dir
}

/// Reads every object with a reader of `cache_bytes` and `read_size`, checking each against
/// libgit2. Returns how many were read.
fn read_all_and_compare(root: &Path, cache_bytes: usize, read_size: usize) -> usize {
    let repo = git2::Repository::open(root).unwrap();
    let odb = repo.odb().unwrap();
    let packs = Packs::open(&root.join(".git/objects"));
    let mut reader = Reader::new(&packs, cache_bytes, read_size);
    let all = every_object(&repo);
    assert!(all.len() > 100, "{} objects", all.len());
    // Kinds remembered across the whole pass, as the unreached-object listing keeps them.
    let mut known = LocationMap::default();
    let mut steps = Reader::new(&packs, 0, read_size);
    for &oid in &all {
        let at = packs
            .locate(oid)
            .unwrap_or_else(|| panic!("{oid} is packed"));
        let Read::Object(object) = reader.read(at, u64::MAX).unwrap() else {
            panic!("{oid} not read");
        };
        let expected = odb.read(oid).unwrap();
        assert_eq!(object.kind, Kind::of(expected.kind()).unwrap(), "{oid}");
        for remembered in [&mut LocationMap::default(), &mut known] {
            assert_eq!(
                reader.kind_remembering(at, remembered, &mut steps).unwrap(),
                Some(object.kind),
                "{oid}: kind from headers"
            );
        }
        assert!(object.data.as_slice() == expected.data(), "{oid} differs");
    }
    all.len()
}

#[test]
fn every_object_of_a_gc_pack_reads_as_libgit2_reads_it() {
    let dir = packed_repo();
    let verify = git(
        dir.path(),
        &[
            "verify-pack",
            "-v",
            &glob_one(&dir.path().join(".git/objects/pack"), "idx"),
        ],
    );
    // Git reports delta chains as "chain length = N: K objects"; the test needs some.
    assert!(
        verify.contains("chain length = 5"),
        "no long delta chains:\n{verify}"
    );
    let packs = Packs::open(&dir.path().join(".git/objects"));
    assert_eq!(packs.packs.len(), 1);
    let read = read_all_and_compare(dir.path(), 8 << 20, 64 << 10);
    assert_eq!(packs.objects(), read, "every object is in the one pack");
}

#[test]
fn a_reader_without_cache_or_window_reads_the_same() {
    let dir = packed_repo();
    read_all_and_compare(dir.path(), 0, 64);
}

#[test]
fn too_large_is_known_before_inflating() {
    let dir = packed_repo();
    let repo = git2::Repository::open(dir.path()).unwrap();
    let big = repo.revparse_single("HEAD:big.txt").unwrap().id();
    let packs = Packs::open(&dir.path().join(".git/objects"));
    let mut reader = Reader::new(&packs, 1 << 20, 4096);
    let at = packs.locate(big).unwrap();
    assert!(matches!(
        reader.read(at, 1000).unwrap(),
        Read::TooLarge(180_000)
    ));
    // A delta's size comes from its own header, not its base's.
    let notes = repo.revparse_single("HEAD~30:notes.txt").unwrap().id();
    let notes_len = repo.find_blob(notes).unwrap().content().len() as u64;
    let at = packs.locate(notes).unwrap();
    assert!(matches!(reader.read(at, notes_len - 1).unwrap(), Read::TooLarge(n) if n == notes_len));
    assert!(matches!(
        reader.read(at, notes_len).unwrap(),
        Read::Object(_)
    ));
}

#[test]
fn objects_not_in_a_pack_are_not_found() {
    let dir = packed_repo();
    std::fs::write(dir.path().join("loose.txt"), "only loose\n").unwrap();
    let loose = git(dir.path(), &["hash-object", "-w", "loose.txt"]);
    let packs = Packs::open(&dir.path().join(".git/objects"));
    assert_eq!(packs.locate(Oid::from_str(loose.trim()).unwrap()), None);
    assert_eq!(Packs::open(&dir.path().join("no-such-dir")).objects(), 0);
}

#[test]
fn a_damaged_pack_is_an_error_never_a_panic_or_a_wrong_object() {
    let dir = packed_repo();
    let repo = git2::Repository::open(dir.path()).unwrap();
    let all = every_object(&repo);
    let expected: Vec<Vec<u8>> = all
        .iter()
        .map(|&oid| repo.odb().unwrap().read(oid).unwrap().data().to_vec())
        .collect();
    let pack = glob_one(&dir.path().join(".git/objects/pack"), "pack");
    let mut bytes = std::fs::read(&pack).unwrap();
    let len = bytes.len();
    for at in (12..len - 20).step_by(97) {
        bytes[at] ^= 0x5a;
    }
    let mut permissions = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&pack, permissions).unwrap();
    std::fs::write(&pack, &bytes).unwrap();
    let packs = Packs::open(&dir.path().join(".git/objects"));
    let mut reader = Reader::new(&packs, 1 << 20, 4096);
    let mut errors = 0;
    for (oid, expected) in all.iter().zip(&expected) {
        let at = packs.locate(*oid).unwrap();
        match reader.read(at, u64::MAX) {
            Ok(Read::Object(object)) => assert!(
                object.data.as_slice() == expected.as_slice(),
                "{oid}: wrong bytes, no error"
            ),
            // A damaged header can name a ref-delta base no pack holds: libgit2 then decides.
            Ok(Read::Elsewhere) => {}
            Ok(other) => panic!("{oid}: {other:?}"),
            Err(e) => {
                assert!(e.to_string().contains("damaged pack"), "{e}");
                errors += 1;
            }
        }
    }
    assert!(errors > 0);
}

/// A zlib stream longer than zlib itself writes (a stored block per byte: valid deflate all
/// the same) still reads, whatever the read size: libdeflate is given at most zlib's bound,
/// and what it refuses goes to the streaming inflater.
#[test]
fn an_entry_longer_than_zlib_would_write_still_reads() {
    use flate2::{Compress, Compression, FlushCompress};
    let content: Vec<u8> = b"keyhound ".iter().copied().cycle().take(2000).collect();
    let mut zlib = Compress::new(Compression::none(), true);
    let mut stream = Vec::with_capacity(content.len() * 16 + 64);
    for byte in &content {
        zlib.compress_vec(std::slice::from_ref(byte), &mut stream, FlushCompress::Full)
            .unwrap();
    }
    zlib.compress_vec(&[], &mut stream, FlushCompress::Finish)
        .unwrap();
    assert!(stream.len() as u64 > longest_zlib_stream(content.len() as u64));

    // A one-blob pack and its version 2 index, by hand (no checksum is checked).
    let oid = Oid::hash_object(git2::ObjectType::Blob, &content).unwrap();
    let mut pack = b"PACK".to_vec();
    pack.extend(2u32.to_be_bytes());
    pack.extend(1u32.to_be_bytes());
    let size = content.len();
    pack.push(0x80 | (3 << 4) | (size & 0xf) as u8);
    assert!(size >> 4 < 0x80);
    pack.push((size >> 4) as u8);
    pack.extend(&stream);
    pack.extend([0u8; 20]);
    let mut idx = vec![0xff, b't', b'O', b'c'];
    idx.extend(2u32.to_be_bytes());
    for first in 0..256usize {
        idx.extend(u32::from(first >= usize::from(oid.as_bytes()[0])).to_be_bytes());
    }
    idx.extend(oid.as_bytes());
    idx.extend([0u8; 4]); // crc32
    idx.extend(12u32.to_be_bytes());
    idx.extend([0u8; 40]);
    let dir = tempfile::tempdir().unwrap();
    let pack_dir = dir.path().join("pack");
    std::fs::create_dir_all(&pack_dir).unwrap();
    std::fs::write(pack_dir.join("pack-test.pack"), &pack).unwrap();
    std::fs::write(pack_dir.join("pack-test.idx"), &idx).unwrap();

    let packs = Packs::open(dir.path());
    let at = packs.locate(oid).unwrap();
    for read_size in [64, 4096, 1 << 20] {
        let mut reader = Reader::new(&packs, 0, read_size);
        match reader.read(at, u64::MAX).unwrap() {
            Read::Object(object) => assert_eq!(object.data.as_slice(), content.as_slice()),
            other => panic!("read size {read_size}: {other:?}"),
        }
    }
}

fn glob_one(dir: &Path, extension: &str) -> String {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap()
        .display()
        .to_string()
}

/// [`packed_repo`] repacked with ref-deltas (bases named by id) instead of offset deltas.
fn ref_delta_repo() -> tempfile::TempDir {
    let dir = packed_repo();
    let no_offsets = "repack.useDeltaBaseOffset=false";
    git(
        dir.path(),
        &["-c", no_offsets, "repack", "-q", "-a", "-d", "-f"],
    );
    dir
}

#[test]
fn ref_deltas_read_through_the_index_and_go_elsewhere_once_it_is_forgotten() {
    let dir = ref_delta_repo();
    read_all_and_compare(dir.path(), 1 << 20, 4096);
    let repo = git2::Repository::open(dir.path()).unwrap();
    let all = every_object(&repo);
    let mut packs = Packs::open(&dir.path().join(".git/objects"));
    let located: Vec<Location> = all.iter().map(|&oid| packs.locate(oid).unwrap()).collect();
    packs.forget_indexes();
    assert_eq!(packs.locate(all[0]), None);
    let mut reader = Reader::new(&packs, 1 << 20, 4096);
    let (mut whole, mut elsewhere) = (0, 0);
    for at in located {
        match reader.read_once(at, u64::MAX).unwrap() {
            Read::Object(_) => whole += 1,
            Read::Elsewhere => elsewhere += 1,
            Read::TooLarge(_) => unreachable!(),
        }
    }
    assert!(
        whole > 0 && elsewhere > 0,
        "{whole} whole, {elsewhere} ref-deltas"
    );
}

#[test]
fn recent_objects_keep_what_was_used_last() {
    let object = |n: usize| Object {
        kind: Kind::Blob,
        data: Rc::new(vec![0; n]),
    };
    let at = |offset: u64| Location { pack: 0, offset };
    let mut recent = RecentObjects::new(400);
    recent.put(at(1), &object(100));
    recent.put(at(2), &object(100));
    recent.put(at(3), &object(100));
    // Using 1 makes 2 the least recently used, so it goes when the budget overflows.
    assert!(recent.get(at(1)).is_some());
    recent.put(at(4), &object(100));
    recent.put(at(5), &object(100));
    assert!(recent.get(at(2)).is_none());
    for kept in [1, 3, 4, 5] {
        assert!(recent.get(at(kept)).is_some(), "{kept}");
    }
    assert!(recent.bytes <= 400);
    // Over a quarter of the budget is never kept.
    recent.put(at(6), &object(101));
    assert!(recent.get(at(6)).is_none());
    // Many uses of one object do not grow the queue without bound.
    for _ in 0..10_000 {
        recent.get(at(5));
    }
    assert!(recent.uses.len() < 100, "{}", recent.uses.len());
}

/// Plans and resolves `wanted` (a subset of the repository's blobs), checking every one is
/// handed over exactly once with libgit2's bytes, or as too large. Returns how many
/// families there were and how many blobs came out too large.
fn resolve_and_compare(root: &Path, every: usize, max: u64) -> (usize, usize) {
    let (families, too_large, deferred) = resolve_holding(root, every, max, usize::MAX);
    assert_eq!(deferred, 0);
    (families, too_large)
}

/// [`resolve_and_compare`] with at most `held` bytes of ancestors; also returns how many
/// blobs were deferred.
fn resolve_holding(root: &Path, every: usize, max: u64, held: usize) -> (usize, usize, usize) {
    let repo = git2::Repository::open(root).unwrap();
    let odb = repo.odb().unwrap();
    let blobs: Vec<Oid> = every_blob(&repo).into_iter().step_by(every).collect();
    let packs = Packs::open(&root.join(".git/objects"));
    let forest = plan_families(&packs, &blobs).holding_at_most(held);
    assert!(forest.unplanned.is_empty());
    let mut deferred = 0;
    let mut bases = 0;
    let mut seen = vec![0; blobs.len()];
    let mut too_large = 0;
    let mut reader = Reader::new(&packs, 0, 4096);
    for family in 0..forest.len() {
        forest
            .resolve(
                family,
                &mut reader,
                max,
                &mut CopiesMatch,
                &mut |i, resolved| {
                    seen[i] += 1;
                    let expected = odb.read(blobs[i]).unwrap();
                    match resolved {
                        Resolved::Object {
                            kind,
                            data,
                            value,
                            base,
                        } => {
                            assert_eq!(kind, Kind::Blob);
                            assert!(data == expected.data(), "{} differs", blobs[i]);
                            assert!(value == data, "{}: derived from another", blobs[i]);
                            if let Some(base) = base {
                                // The base handed over is the one the copies came from.
                                for copy in base.copies {
                                    assert_eq!(
                                        data[copy.at..copy.at + copy.len],
                                        base.value[copy.from..copy.from + copy.len]
                                    );
                                }
                                bases += 1;
                            }
                        }
                        Resolved::TooLarge => {
                            assert!(expected.data().len() as u64 > max);
                            too_large += 1;
                        }
                        Resolved::Deferred => deferred += 1,
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
    assert!(seen.iter().all(|&n| n == 1), "{seen:?}");
    // Wanted deltas of wanted bases are told their base.
    assert!(bases > 0 || every > 1, "no delta was told its base");
    (forest.len(), too_large, deferred)
}

/// A [`Derive`] that keeps each object's bytes and checks that every span a delta says it
/// copied is the base's bytes at the span's source.
struct CopiesMatch;

impl Derive for CopiesMatch {
    type Value = Vec<u8>;
    fn whole(&mut self, data: &[u8]) -> Vec<u8> {
        data.to_vec()
    }
    fn derived(&mut self, base: &Vec<u8>, copies: &[CopiedSpan], data: &[u8]) -> Vec<u8> {
        let mut covered_to = 0;
        for copy in copies {
            assert!(copy.at >= covered_to, "copies out of order: {copies:?}");
            assert_eq!(
                data[copy.at..copy.at + copy.len],
                base[copy.from..copy.from + copy.len]
            );
            covered_to = copy.at + copy.len;
        }
        data.to_vec()
    }
}

#[test]
fn a_chain_too_deep_to_hold_defers_what_is_below_and_still_hands_over_each_blob_once() {
    let dir = packed_repo();
    let (_, _, deferred) = resolve_holding(dir.path(), 1, u64::MAX, 40_000);
    assert!(deferred > 0);
}

#[test]
fn families_hand_over_every_wanted_blob_once_whole_or_too_large() {
    let dir = packed_repo();
    let (families, too_large) = resolve_and_compare(dir.path(), 1, u64::MAX);
    assert_eq!(too_large, 0);
    // notes.txt's versions and config.py's are two families, plus the unrelated blobs.
    assert!(families < 20, "{families} families");
    // Asking for every third blob still plans the bases the others needed.
    resolve_and_compare(dir.path(), 3, u64::MAX);
    let (_, too_large) = resolve_and_compare(dir.path(), 1, 100_000);
    assert_eq!(too_large, 1, "big.txt only");
}

#[test]
fn ref_delta_families_are_planned_through_the_index() {
    let dir = ref_delta_repo();
    resolve_and_compare(dir.path(), 1, u64::MAX);
    resolve_and_compare(dir.path(), 2, u64::MAX);
}
