//! Delta families: the objects to read, arranged as the trees their deltas form, so each
//! object is inflated and rebuilt exactly once.
//!
//! Git writes a family as a base, then its deltas and theirs, siblings together. A reader
//! that walks the pack in order with a cache of recent objects loses a base whenever one of
//! its earlier children has a large subtree, and then rebuilds the base's whole chain again
//! (on rails' history, two inflations per blob). Planning first costs one header read per
//! object; then a depth-first walk of each family from its whole object keeps exactly the
//! chain of ancestors it is inside, which is all that any delta below needs.

use super::{delta, EntryKind, Kind, Location, LocationMap, Reader, MAX_CHAIN, MAX_OBJECT};
use crate::error::Error;
use crate::text::CopiedSpan;

/// No node: the end of a child or sibling list, or an object nobody asked for.
const NONE: u32 = u32::MAX;

/// The families of a set of wanted objects, with whatever bases they need.
#[derive(Debug)]
pub struct Forest {
    nodes: Vec<Node>,
    /// One per family: its whole (not delta) object.
    roots: Vec<u32>,
    /// Wanted objects this reader cannot rebuild (their chain reaches a ref-delta base no
    /// pack holds, or loops): their job numbers, for the caller to read another way.
    pub unplanned: Vec<usize>,
    /// [`MAX_HELD_BYTES`], lower in tests.
    max_held: usize,
}

/// 24 bytes (a `Location` would pad it to 32): a large history plans hundreds of thousands.
#[derive(Debug, Clone, Copy)]
struct Node {
    offset: u64,
    pack: u32,
    /// The caller's job number, or [`NONE`] for a base read only for its children.
    job: u32,
    first_child: u32,
    next_sibling: u32,
}

impl Node {
    fn at(&self) -> Location {
        Location {
            pack: self.pack,
            offset: self.offset,
        }
    }
}

/// What a family's reader works out for each wanted object it rebuilds, kept with the
/// object while its deltas are rebuilt, so that a delta's is worked out from its base's and
/// the copies the delta makes of it (the blob scan's keyword hits: a delta mostly copies its
/// base, and what is copied need not be searched again). Bases read only for their deltas
/// get none: working one out would cost what it saves (a scan-cache audit rebuilds long
/// chains of such bases for a few new blobs).
pub trait Derive {
    type Value;
    /// For an object rebuilt from nothing (a family's whole object).
    fn whole(&mut self, data: &[u8]) -> Self::Value;
    /// For `data`, rebuilt by a delta from a base whose value is `base`; `copies` are the
    /// spans of `data` copied from that base, in order.
    fn derived(&mut self, base: &Self::Value, copies: &[CopiedSpan], data: &[u8]) -> Self::Value;
}

/// What [`Forest::resolve`] hands over for a wanted object.
pub enum Resolved<'a, V> {
    Object {
        kind: Kind,
        data: &'a [u8],
        /// What [`Derive`] gave for it.
        value: &'a V,
        /// For a delta whose base was wanted too: the base's value, and the spans of `data`
        /// copied from the base (what the base's visit left in its value can be reused).
        base: Option<Base<'a, V>>,
    },
    /// Over the caller's limit; not rebuilt unless a delta below needed it.
    TooLarge,
    /// Below more rebuilt ancestors than [`MAX_HELD_BYTES`] holds: for the caller to read
    /// another way.
    Deferred,
}

/// A delta's wanted base, as its delta's visit sees it.
pub struct Base<'a, V> {
    pub value: &'a V,
    pub copies: &'a [CopiedSpan],
}

/// A rebuilt object whose deltas are being rebuilt: its bytes, what [`Derive`] gave for it,
/// and its next child to rebuild.
struct Ancestor<V> {
    data: Vec<u8>,
    /// `None` for a base nobody asked for, or an object over the size limit.
    value: Option<V>,
    next_child: u32,
}

/// What `derive` gives for `node`'s `data`, if it is wanted and within `max` bytes: from
/// its base's value and the delta's `copies` when the base has one, else from the bytes.
fn wanted_value<D: Derive>(
    node: Node,
    data: &[u8],
    max: u64,
    derive: &mut D,
    base: Option<&D::Value>,
    copies: &[CopiedSpan],
) -> Option<D::Value> {
    if node.job == NONE || data.len() as u64 > max {
        return None;
    }
    Some(match base {
        Some(base) => derive.derived(base, copies, data),
        None => derive.whole(data),
    })
}

/// What [`Forest::resolve`] calls with each wanted object's job number.
pub type Visit<'v, V> = dyn FnMut(usize, Resolved<'_, V>) -> Result<(), Error> + 'v;

/// The most a family walk holds in rebuilt ancestors at once. Git's chains are 50 deep by
/// default, so this is only reached by a crafted pack (a deep chain of large objects), whose
/// deeper objects are then left to the caller instead of exhausting memory.
pub const MAX_HELD_BYTES: usize = 512 << 20;

impl Forest {
    /// Plans reading `wanted` (locations with job numbers), reading each entry's header and
    /// those of the bases its chain needs.
    pub fn plan(reader: &mut Reader<'_>, wanted: &[(Location, usize)]) -> Result<Forest, Error> {
        let mut ids: LocationMap<u32> = LocationMap::default();
        ids.reserve(wanted.len());
        let mut nodes: Vec<Node> = Vec::with_capacity(wanted.len());
        let mut roots = Vec::new();
        let add = |nodes: &mut Vec<Node>, at: Location, job: u32| {
            nodes.push(Node {
                offset: at.offset,
                pack: at.pack,
                job,
                first_child: NONE,
                next_sibling: NONE,
            });
            (nodes.len() - 1) as u32
        };
        for &(at, job) in wanted {
            if let Some(&id) = ids.get(&at) {
                nodes[id as usize].job = job as u32;
                continue;
            }
            let mut node = add(&mut nodes, at, job as u32);
            ids.insert(at, node);
            let mut current = at;
            for steps in 0.. {
                if steps > MAX_CHAIN {
                    return Err(reader.damaged(at, format!("delta chain longer than {MAX_CHAIN}")));
                }
                let base = match reader.entry(current)?.kind {
                    EntryKind::Whole(_) => {
                        roots.push(node);
                        break;
                    }
                    EntryKind::Delta(Some(base)) => base,
                    // A base in no pack here: not planned, left to the caller below.
                    EntryKind::Delta(None) => break,
                };
                let (base_id, known) = match ids.get(&base) {
                    Some(&id) => (id, true),
                    None => {
                        let id = add(&mut nodes, base, NONE);
                        ids.insert(base, id);
                        (id, false)
                    }
                };
                nodes[node as usize].next_sibling = nodes[base_id as usize].first_child;
                nodes[base_id as usize].first_child = node;
                if known {
                    break;
                }
                node = base_id;
                current = base;
            }
        }
        let mut forest = Forest {
            nodes,
            roots,
            unplanned: Vec::new(),
            max_held: MAX_HELD_BYTES,
        };
        // Whatever no family reaches (below an orphan, or in a loop of ref-deltas, which
        // only a damaged pack can hold) is left to the caller.
        let mut reached = vec![false; forest.nodes.len()];
        for &root in &forest.roots {
            forest.each_below(root, |id| reached[id as usize] = true, false);
        }
        forest.unplanned = forest
            .nodes
            .iter()
            .zip(&reached)
            .filter(|(node, reached)| !**reached && node.job != NONE)
            .map(|(node, _)| node.job as usize)
            .collect();
        Ok(forest)
    }

    /// The same plan, holding at most `bytes` of ancestors (to test what a crafted pack does).
    #[cfg(test)]
    pub fn holding_at_most(mut self, bytes: usize) -> Forest {
        self.max_held = bytes;
        self
    }

    /// How many families there are.
    pub fn len(&self) -> usize {
        self.roots.len()
    }

    /// Rebuilds family `family` depth-first, handing each wanted object (by job number) to
    /// `visit`: as bytes with what `derive` gave for them, or as too large when over `max`
    /// bytes.
    pub fn resolve<D: Derive>(
        &self,
        family: usize,
        reader: &mut Reader<'_>,
        max: u64,
        derive: &mut D,
        visit: &mut Visit<'_, D::Value>,
    ) -> Result<(), Error> {
        let root_id = self.roots[family];
        let root = self.nodes[root_id as usize];
        let entry = reader.entry(root.at())?;
        let EntryKind::Whole(kind) = entry.kind else {
            return Err(reader.damaged(root.at(), "a family's base turned out to be a delta"));
        };
        if root.first_child == NONE && entry.size > max {
            return self.visit_too_large(root, visit);
        }
        let data = reader.inflate(root.at(), &entry)?;
        let value = wanted_value(root, &data, max, derive, None, &[]);
        self.visit(root, kind, &data, value.as_ref(), None, visit)?;
        // The chain of ancestors of what is rebuilt next, each with its next child to do.
        let mut held = data.len();
        let mut stack: Vec<Ancestor<D::Value>> = vec![Ancestor {
            data,
            value,
            next_child: root.first_child,
        }];
        let mut copies = Vec::new();
        while let Some(top) = stack.last_mut() {
            let child_id = top.next_child;
            if child_id == NONE {
                if let Some(done) = stack.pop() {
                    held -= done.data.len();
                }
                continue;
            }
            let child = self.nodes[child_id as usize];
            top.next_child = child.next_sibling;
            let entry = reader.entry(child.at())?;
            let delta = reader.inflate(child.at(), &entry)?;
            let (_, size, _) =
                delta::sizes(&delta).map_err(|why| reader.damaged(child.at(), why))?;
            if child.first_child == NONE && size > max {
                self.visit_too_large(child, visit)?;
                continue;
            }
            let base = stack.last().expect("not empty");
            let data = delta::apply_noting_copies(&base.data, &delta, MAX_OBJECT, &mut copies)
                .map_err(|why| reader.damaged(child.at(), why))?;
            let value = wanted_value(child, &data, max, derive, base.value.as_ref(), &copies);
            let base = base.value.as_ref().map(|value| Base {
                value,
                copies: &copies,
            });
            self.visit(child, kind, &data, value.as_ref(), base, visit)?;
            if child.first_child == NONE {
                continue;
            }
            if held + data.len() > self.max_held {
                let mut deferred = Vec::new();
                self.each_below(child.first_child, |id| deferred.push(id), true);
                for id in deferred {
                    let node = self.nodes[id as usize];
                    if node.job != NONE {
                        visit(node.job as usize, Resolved::Deferred)?;
                    }
                }
                continue;
            }
            held += data.len();
            stack.push(Ancestor {
                data,
                value,
                next_child: child.first_child,
            });
        }
        Ok(())
    }

    /// Hands a rebuilt object to `visit` if it is wanted: as bytes with its value, or as
    /// too large when it has none (a wanted object's value is missing only then).
    fn visit<V>(
        &self,
        node: Node,
        kind: Kind,
        data: &[u8],
        value: Option<&V>,
        base: Option<Base<'_, V>>,
        visit: &mut Visit<'_, V>,
    ) -> Result<(), Error> {
        match (node.job, value) {
            (NONE, _) => Ok(()),
            (job, Some(value)) => visit(
                job as usize,
                Resolved::Object {
                    kind,
                    data,
                    value,
                    base,
                },
            ),
            (job, _) => visit(job as usize, Resolved::TooLarge),
        }
    }

    fn visit_too_large<V>(&self, node: Node, visit: &mut Visit<'_, V>) -> Result<(), Error> {
        match node.job {
            NONE => Ok(()),
            job => visit(job as usize, Resolved::TooLarge),
        }
    }

    /// Calls `f` on `id` and every node below it (with `siblings`, also on `id`'s later
    /// siblings and what is below them: a whole child list).
    fn each_below(&self, id: u32, mut f: impl FnMut(u32), siblings: bool) {
        let mut pending = vec![id];
        if siblings {
            let mut next = self.nodes[id as usize].next_sibling;
            while next != NONE {
                pending.push(next);
                next = self.nodes[next as usize].next_sibling;
            }
        }
        while let Some(id) = pending.pop() {
            f(id);
            let mut child = self.nodes[id as usize].first_child;
            while child != NONE {
                pending.push(child);
                child = self.nodes[child as usize].next_sibling;
            }
        }
    }
}
