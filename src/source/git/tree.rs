//! Git tree objects as stored: entries of `mode SP name NUL id`, read without libgit2 so the
//! history walk can take trees straight from the pack reader.

use git2::Oid;

/// What a tree entry's mode says it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Tree,
    /// A commit of another repository (a submodule).
    Gitlink,
    /// Files and symbolic links: what a blob holds.
    Blob,
}

/// One entry of a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeEntry<'a> {
    pub kind: EntryKind,
    pub name: &'a [u8],
    /// The raw id: the walk compares millions of these, and a `git2::Oid` compares through
    /// a call into libgit2.
    pub id: [u8; 20],
}

impl TreeEntry<'_> {
    pub fn oid(&self) -> Oid {
        Oid::from_bytes(&self.id).expect("20 bytes")
    }
}

/// The error for tree `oid` whose entries do not parse (`why` says how).
pub fn damaged(oid: Oid, why: String) -> crate::error::Error {
    super::git_error(
        format!("cannot read tree {oid}"),
        git2::Error::from_str(&format!("damaged tree: {why}")),
    )
}

/// The entries of the tree whose stored bytes are `bytes`, in order. A malformed entry ends
/// the iteration with an error that says what is wrong.
pub fn entries(bytes: &[u8]) -> impl Iterator<Item = Result<TreeEntry<'_>, String>> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let parsed = parse_entry(rest);
        match parsed {
            Ok((entry, tail)) => {
                rest = tail;
                Some(Ok(entry))
            }
            Err(why) => {
                rest = &[];
                Some(Err(why))
            }
        }
    })
}

fn parse_entry(bytes: &[u8]) -> Result<(TreeEntry<'_>, &[u8]), String> {
    let space = memchr::memchr(b' ', bytes).ok_or("tree entry without a mode")?;
    let mode = std::str::from_utf8(&bytes[..space])
        .ok()
        .and_then(|m| u32::from_str_radix(m, 8).ok())
        .ok_or("tree entry with a malformed mode")?;
    let after_mode = &bytes[space + 1..];
    let nul = memchr::memchr(0, after_mode).ok_or("tree entry without a name")?;
    let name = &after_mode[..nul];
    let id_bytes = after_mode
        .get(nul + 1..nul + 21)
        .ok_or("tree entry cut short inside its id")?;
    let id: [u8; 20] = id_bytes.try_into().expect("20 bytes");
    // As git reads modes: the file-type bits decide, permission bits do not.
    let kind = match mode & 0o170000 {
        0o040000 => EntryKind::Tree,
        0o160000 => EntryKind::Gitlink,
        _ => EntryKind::Blob,
    };
    Ok((TreeEntry { kind, name, id }, &after_mode[nul + 21..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id: u8) -> Vec<u8> {
        let mut out = format!("{mode} {name}\0").into_bytes();
        out.extend([id; 20]);
        out
    }

    #[test]
    fn reads_every_kind_of_entry() {
        let mut tree = entry("100644", "a.txt", 1);
        tree.extend(entry("100755", "run.sh", 2));
        tree.extend(entry("120000", "link", 3));
        tree.extend(entry("40000", "src", 4));
        tree.extend(entry("160000", "vendor", 5));
        let got: Vec<_> = entries(&tree).map(Result::unwrap).collect();
        let kinds: Vec<_> = got.iter().map(|e| (e.kind, e.name)).collect();
        assert_eq!(
            kinds,
            [
                (EntryKind::Blob, &b"a.txt"[..]),
                (EntryKind::Blob, b"run.sh"),
                (EntryKind::Blob, b"link"),
                (EntryKind::Tree, b"src"),
                (EntryKind::Gitlink, b"vendor"),
            ]
        );
        assert_eq!(got[3].oid(), Oid::from_bytes(&[4; 20]).unwrap());
        assert_eq!(entries(b"").count(), 0);
    }

    #[test]
    fn a_malformed_tree_is_an_error_and_ends_the_entries() {
        let good = entry("100644", "a", 1);
        let cut = &good[..good.len() - 3];
        let results: Vec<_> = entries(cut).collect();
        assert_eq!(results.len(), 1);
        assert!(results[0].as_ref().unwrap_err().contains("cut short"));
        assert!(entries(b"10x644 a\0").next().unwrap().is_err());
        assert!(entries(b"100644").next().unwrap().is_err());
        let mut then_junk = good.clone();
        then_junk.extend(b"junk");
        let results: Vec<_> = entries(&then_junk).collect();
        assert!(results[0].is_ok() && results[1].is_err());
    }
}
