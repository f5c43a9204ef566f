//! One place to read commits, trees and tags by id for the history walk: the pack reader
//! first, libgit2 for what it cannot serve (loose objects, alternates, unreadable indexes), so
//! the walk sees exactly the objects libgit2 would.

use std::rc::Rc;

use git2::{ObjectType, Oid};

use super::pack::{self, Kind, Location, LocationMap, Object, Packs, Read, Reader};
use super::{git_error, is_missing};
use crate::error::Error;

/// Rebuilt trees kept for the walk. Trees are small and a walk in commit order reads each
/// at the far end of its delta chain, so the chain's intermediates are worth keeping. On
/// rails (two workers), 2 MB per worker costs no more CPU than 4 or 16, while 256 KB costs
/// 5% more and 32 KB 20%; the walk is an `--all-objects` audit's memory peak, so no more.
const WALK_CACHE_BYTES: usize = 4 << 20;
/// Reads near each other in the walk are rarely adjacent in the pack: read little.
const WALK_READ_SIZE: usize = 2 << 10;

/// Reads objects for one thread.
pub struct ObjectSource<'r> {
    reader: Reader<'r>,
    packs: &'r Packs,
    odb: git2::Odb<'r>,
}

impl<'r> ObjectSource<'r> {
    pub fn new(repo: &'r git2::Repository, packs: &'r Packs) -> Result<ObjectSource<'r>, Error> {
        ObjectSource::sharing(repo, packs, 1)
    }

    /// A source for one of `readers` threads walking at once: they share the cache budget
    /// of one, so the walk's memory does not grow with its threads.
    pub fn sharing(
        repo: &'r git2::Repository,
        packs: &'r Packs,
        readers: usize,
    ) -> Result<ObjectSource<'r>, Error> {
        let odb = repo
            .odb()
            .map_err(|e| git_error("cannot open object database", e))?;
        Ok(ObjectSource {
            reader: Reader::new(packs, WALK_CACHE_BYTES / readers.max(1), WALK_READ_SIZE),
            packs,
            odb,
        })
    }

    /// The tree and parents commit `oid` records; `None` when the repository lacks it.
    pub fn commit(&mut self, oid: Oid) -> Result<Option<CommitLinks>, Error> {
        let Some(bytes) = self.object(oid, Kind::Commit)? else {
            return Ok(None);
        };
        parse_commit(&bytes).map(Some).ok_or_else(|| {
            git_error(
                format!("cannot read commit {oid}"),
                git2::Error::from_str("damaged commit: no tree line"),
            )
        })
    }

    /// The stored bytes of tree `oid`; `None` when the repository lacks it (a partial
    /// clone). An object of another kind under that id is an error.
    pub fn tree(&mut self, oid: Oid) -> Result<Option<Rc<Vec<u8>>>, Error> {
        self.object(oid, Kind::Tree)
    }

    /// Follows annotated tags (possibly of tags) from `oid` to what they finally name: its
    /// kind and id. `None` when an object on the way is missing; a damaged tag is an error.
    pub fn peel(&mut self, oid: Oid) -> Result<Option<(Kind, Oid)>, Error> {
        let mut current = oid;
        // Tags of tags are legal but never deep; a longer chain is damage or a trap.
        for _ in 0..64 {
            let Some(object) = self.any(current, false)? else {
                return Ok(None);
            };
            if object.kind != Kind::Tag {
                return Ok(Some((object.kind, current)));
            }
            // A tag starts `object <hex id>`.
            current = id_after(&object.data, b"object ").ok_or_else(|| {
                git_error(
                    format!("cannot read tag {current}"),
                    git2::Error::from_str("damaged tag: no object line"),
                )
            })?;
        }
        Err(git_error(
            format!("cannot peel {oid}"),
            git2::Error::from_str("tags nested more than 64 deep"),
        ))
    }

    /// The packs this source reads.
    pub fn packs(&self) -> &'r Packs {
        self.packs
    }

    /// Whether every pack is read here (see [`Packs::reads_every_pack`]).
    pub fn reads_every_pack(&self) -> bool {
        self.packs.reads_every_pack()
    }

    /// Calls `f` on the id of every packed object this source reads itself.
    pub fn each_packed_id(&self, f: impl FnMut(&[u8; 20])) {
        self.packs.each_id(f);
    }

    /// The kind of object `oid` is, from headers when it is packed; `None` when missing.
    /// `located` is where [`Packs::locate`] puts it, which the caller has already asked;
    /// `known` holds the kinds of pack entries met so far, and `headers` reads the entry at
    /// `located` itself (see [`Reader::kind_remembering`]).
    pub fn kind(
        &mut self,
        oid: Oid,
        located: Option<Location>,
        known: &mut LocationMap<Kind>,
        headers: &mut Reader<'r>,
    ) -> Result<Option<Kind>, Error> {
        if let Some(at) = located {
            if let Some(kind) = headers.kind_remembering(at, known, &mut self.reader)? {
                return Ok(Some(kind));
            }
        }
        match self.odb.read_header(oid) {
            Ok((_, kind)) => known_kind(oid, kind).map(Some),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(git_error(format!("cannot read object {oid}"), e)),
        }
    }

    fn object(&mut self, oid: Oid, kind: Kind) -> Result<Option<Rc<Vec<u8>>>, Error> {
        // Commits are read once and are nobody's delta base; trees are both.
        match self.any(oid, kind == Kind::Tree)? {
            Some(object) if object.kind == kind => Ok(Some(object.data)),
            Some(_) => Err(wrong_kind(oid, kind)),
            None => Ok(None),
        }
    }

    /// Any object: from the packs if they hold it, else through libgit2. `keep`: worth
    /// keeping as a delta base for what is read next.
    fn any(&mut self, oid: Oid, keep: bool) -> Result<Option<Object>, Error> {
        if let Some(at) = self.packs.locate(oid) {
            let read = if keep {
                self.reader.read(at, pack::MAX_OBJECT)?
            } else {
                self.reader.read_once(at, pack::MAX_OBJECT)?
            };
            if let Read::Object(object) = read {
                return Ok(Some(object));
            }
        }
        let object = match self.odb.read(oid) {
            Ok(object) => object,
            Err(e) if is_missing(&e) => return Ok(None),
            Err(e) => return Err(git_error(format!("cannot read object {oid}"), e)),
        };
        Ok(Some(Object {
            kind: known_kind(oid, object.kind())?,
            data: Rc::new(object.data().to_vec()),
        }))
    }
}

/// What the walk needs of a commit: its tree and its parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLinks {
    pub tree: Oid,
    pub parents: Vec<Oid>,
}

/// A commit's header starts `tree <hex>` and then has a `parent <hex>` line per parent;
/// git writes nothing between them.
fn parse_commit(bytes: &[u8]) -> Option<CommitLinks> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let tree = id_after(lines.next()?, b"tree ")?;
    let parents = lines.map_while(|line| id_after(line, b"parent ")).collect();
    Some(CommitLinks { tree, parents })
}

/// The hex id that follows `key` at the start of `line` (commit and tag headers).
fn id_after(line: &[u8], key: &[u8]) -> Option<Oid> {
    let hex = line.strip_prefix(key)?.get(..40)?;
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

/// The kind of an object libgit2 read; any other type is an error naming the object.
fn known_kind(oid: Oid, kind: ObjectType) -> Result<Kind, Error> {
    Kind::of(kind).ok_or_else(|| {
        git_error(
            format!("cannot read object {oid}"),
            git2::Error::from_str(&format!("unexpected object type {kind:?}")),
        )
    })
}

fn wrong_kind(oid: Oid, kind: Kind) -> Error {
    let kind = kind.name();
    git_error(
        format!("cannot read {kind} {oid}"),
        git2::Error::from_str(&format!("the object is not a {kind}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tree_and_parents_of_a_commit() {
        let (t, p1, p2) = ("1".repeat(40), "2".repeat(40), "3".repeat(40));
        let merge =
            format!("tree {t}\nparent {p1}\nparent {p2}\nauthor a <a@b> 1 +0000\n\nparent {t}\n");
        let links = parse_commit(merge.as_bytes()).unwrap();
        assert_eq!(links.tree, Oid::from_str(&t).unwrap());
        // The message's "parent" line is not a parent: the header ended before it.
        assert_eq!(
            links.parents,
            [Oid::from_str(&p1).unwrap(), Oid::from_str(&p2).unwrap()]
        );
        let root = format!("tree {t}\nauthor a <a@b> 1 +0000\n\nfirst\n");
        assert!(parse_commit(root.as_bytes()).unwrap().parents.is_empty());
        assert!(parse_commit(b"author a\n").is_none());
        assert!(parse_commit(b"tree 12\n").is_none());
    }
}
