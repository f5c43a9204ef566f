//! Provenance: a history finding's commit, author, date and summary, described in one step
//! after the scan from the finding's origin. Commit metadata is read once per commit that
//! introduced a finding (never per blob, so a clean history pays nothing for it).

use std::collections::HashMap;

use git2::{Oid, Repository};

use super::blobs::Hit;
use crate::finding::{Occurrence, Provenance};
use crate::item::Root;

/// Every `(commit, path)` that introduced a blob, for `--all-provenance`.
pub type Introductions = HashMap<Oid, Vec<(Oid, String)>>;

/// What a report says about a commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitInfo {
    pub author_name: String,
    pub author_email: String,
    /// RFC 3339, in the author's own time zone.
    pub date: String,
    pub summary: String,
}

/// Reads one commit's metadata; a missing commit yields empty fields, not an error.
pub fn commit_info(repo: &Repository, oid: Oid) -> CommitInfo {
    let Ok(commit) = repo.find_commit(oid) else {
        return CommitInfo::default();
    };
    let author = commit.author();
    let when = author.when();
    CommitInfo {
        author_name: capped(author.name_bytes()),
        author_email: capped(author.email_bytes()),
        date: rfc3339(when.seconds(), when.offset_minutes()),
        summary: commit.summary_bytes().map(capped).unwrap_or_default(),
    }
}

/// Characters of a commit's summary, author or email that findings carry: every finding a
/// commit introduced holds a copy, so a 20 MB one-line message must not be copied whole.
pub const MAX_COMMIT_TEXT_CHARS: usize = 200;

/// The first [`MAX_COMMIT_TEXT_CHARS`] characters of `bytes`, marked `…` when cut.
pub fn capped(bytes: &[u8]) -> String {
    // Four bytes a character at most: never decode more than could be kept.
    let head = &bytes[..bytes.len().min(4 * MAX_COMMIT_TEXT_CHARS + 4)];
    let text = String::from_utf8_lossy(head);
    let mut kept: String = text.chars().take(MAX_COMMIT_TEXT_CHARS).collect();
    if head.len() < bytes.len() || text.chars().nth(MAX_COMMIT_TEXT_CHARS).is_some() {
        kept.push('…');
    }
    kept
}

/// Describes every hit's provenance from its origin (a blob of history and what reached it),
/// reading each commit once; `introductions` adds, for `--all-provenance`, every other commit
/// and path that introduced the same blob. Hits whose origin is no history blob (the index)
/// get none.
pub fn describe(repo: &Repository, hits: &mut [Hit], introductions: Option<&Introductions>) {
    let mut cache: HashMap<Oid, CommitInfo> = HashMap::new();
    for hit in hits {
        let finding = &mut hit.finding;
        let Some((blob, Some(root))) = finding.origin.blob() else {
            continue;
        };
        let (commit, info) = match root {
            Root::Commit(oid) | Root::Dangling(oid) => {
                let info = cache.entry(*oid).or_insert_with(|| commit_info(repo, *oid));
                (Some(*oid), info.clone())
            }
            Root::Unreachable => (
                None,
                CommitInfo {
                    summary: "unreachable: no commit or ref reaches this blob".into(),
                    ..CommitInfo::default()
                },
            ),
            Root::Ref(name) => (
                None,
                CommitInfo {
                    summary: format!(
                        "reachable only from ref {}, which points past any commit",
                        capped(name.as_bytes())
                    ),
                    ..CommitInfo::default()
                },
            ),
        };
        let occurrences = introductions
            .and_then(|all| all.get(&blob))
            .into_iter()
            .flatten()
            .map(|(commit, path)| Occurrence {
                commit: Some(*commit),
                path: path.clone(),
                line: finding.location.line,
                column: finding.location.column,
                blob,
            })
            .collect();
        finding.provenance = Some(Provenance {
            commit,
            blob,
            author_name: info.author_name,
            author_email: info.author_email,
            date: info.date,
            summary: info.summary,
            unreachable: root.is_unreachable(),
            occurrences,
        });
    }
}

/// Formats seconds since the epoch with an offset as RFC 3339 (kept in [`crate::date`], a
/// leaf, so the verifiers can date their signatures without depending on `source`).
pub use crate::date::rfc3339;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_with_offsets() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00+00:00");
        // 2024-02-29T23:30:00Z, shown at +02:00 and at -05:30.
        assert_eq!(rfc3339(1_709_249_400, 120), "2024-03-01T01:30:00+02:00");
        assert_eq!(rfc3339(1_709_249_400, -330), "2024-02-29T18:00:00-05:30");
        assert_eq!(rfc3339(-1, 0), "1969-12-31T23:59:59+00:00");
    }
}
