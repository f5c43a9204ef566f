//! The cache file: one `redb` database, one table per scan identity (`scan-<hex>`), keyed by
//! blob id and format key, plus a table of when each identity was last used (for pruning).
//!
//! Nothing here fails a scan: a cache that cannot be opened, read or written becomes a
//! one-line warning and the scan goes on without it (a lookup that fails is a miss, a write
//! that fails stops further writes).

use std::fs::{DirBuilder, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use git2::Oid;
use redb::{
    Database, DatabaseError, ReadOnlyTable, ReadableTable, ReadableTableMetadata, TableDefinition,
    TableError, TableHandle,
};

use super::{file_in, KEPT_IDENTITIES};
use crate::decode::DecodeReport;
use crate::error::Error;
use crate::scanner::RawScan;

type Blobs<'a> = TableDefinition<'a, &'static [u8], &'static [u8]>;

/// When each identity's table was last used (seconds since the epoch).
const USED: TableDefinition<&str, u64> = TableDefinition::new("identities");

/// Entries written per transaction: few enough commits that the first run of a large history
/// pays almost nothing for them, and an interrupted run keeps what it had committed.
const BATCH: usize = 8192;

/// Recorded walks (see `source::git::walk_record`), by repository and ref selection, and when
/// each was last used.
const WALKS: TableDefinition<&str, &[u8]> = TableDefinition::new("walks");
const WALKS_USED: TableDefinition<&str, u64> = TableDefinition::new("walks-used");

/// Repositories whose walk is kept: the most recently audited.
const KEPT_WALKS: usize = 16;

/// redb's page cache (its default is 1 GiB): lookups touch each page about once per run, so
/// a small cache costs nothing and keeps the audit's memory flat.
const CACHE_BYTES: usize = 4 << 20;

/// Prefix of the per-identity tables.
const TABLE_PREFIX: &str = "scan-";

/// An open cache for one scan identity, shared by the scan's workers.
pub struct ScanCache {
    db: Database,
    path: PathBuf,
    table: String,
    /// The identity's table as it was when the run started (`None`: nothing cached yet).
    read: Option<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    /// The walks table as the run started, until the one walk an audit needs is read: redb
    /// keeps a large value's pages (a rails walk is 14 MB) for as long as the table is open.
    walks: Mutex<Option<ReadOnlyTable<&'static str, &'static [u8]>>>,
    pending: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
    /// The first problem met while reading or writing; writing stops after one.
    problem: Mutex<Option<String>>,
    hits: AtomicU64,
    written: AtomicU64,
    /// What happened to the audit's walk: replayed from a record, or recorded.
    walk_use: Mutex<Option<WalkUse>>,
}

/// Whether an audit replayed its walk from the cache, continued it from the new commits
/// (this many), or recorded it there (for `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkUse {
    Replayed,
    Resumed { commits: usize },
    Recorded,
}

impl ScanCache {
    /// Opens (creating if need be) the cache in `dir` for scans of `identity`. The error is
    /// the warning to show: the cache is then not used.
    pub fn open(dir: &Path, identity: &[u8; 32]) -> Result<ScanCache, String> {
        let path = file_in(dir);
        let warning = |reason: String| {
            format!(
                "warning: scan cache {}: {reason}; scanning without it",
                path.display()
            )
        };
        let db = open_db(dir, &path).map_err(warning)?;
        let table = format!("{TABLE_PREFIX}{}", hex(identity));
        let (read, walks) = {
            let txn = db.begin_read().map_err(|e| warning(unreadable(e)))?;
            let read = match txn.open_table(Blobs::new(&table)) {
                Ok(t) => Some(t),
                Err(TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(warning(unreadable(e))),
            };
            let walks = match txn.open_table(WALKS) {
                Ok(t) => Some(t),
                Err(TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(warning(unreadable(e))),
            };
            (read, walks)
        };
        Ok(ScanCache {
            db,
            path,
            table,
            read,
            walks: Mutex::new(walks),
            pending: Mutex::new(Vec::new()),
            problem: Mutex::new(None),
            hits: AtomicU64::new(0),
            written: AtomicU64::new(0),
            walk_use: Mutex::new(None),
        })
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What scanning `blob` under a name of format key `format` found, if the cache holds
    /// it. `name` (the item's display path now) is put back at the start of each decoder
    /// note, which the cache keeps without it.
    pub fn get(&self, blob: Oid, format: &str, name: &str) -> Option<RawScan> {
        let table = self.read.as_ref()?;
        let guard = match table.get(key(blob, format).as_slice()) {
            Ok(found) => found?,
            Err(e) => {
                self.note_problem(format!("cannot read an entry ({e})"));
                return None;
            }
        };
        let bytes = guard.value();
        let mut raw = if bytes.is_empty() {
            RawScan::default()
        } else {
            match serde_json::from_slice::<RawScan>(bytes) {
                Ok(raw) => raw,
                Err(e) => {
                    self.note_problem(format!("an entry does not decode ({e})"));
                    return None;
                }
            }
        };
        for note in &mut raw.report.notes {
            note.insert_str(0, name);
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(raw)
    }

    /// Keeps what scanning `blob` (named `name`, of format key `format`) found. Written in
    /// batches; [`ScanCache::finish`] writes the rest.
    pub fn put(&self, blob: Oid, format: &str, name: &str, raw: &RawScan) {
        let value = if raw.findings.is_empty() && raw.report == DecodeReport::default() {
            // The common case: a blob seen, nothing in it. Stored as an empty value.
            Vec::new()
        } else {
            let mut stored = raw.clone();
            for note in &mut stored.report.notes {
                match note.strip_prefix(name) {
                    Some(rest) => *note = rest.to_string(),
                    // A note that does not start with the item's name cannot be renamed on
                    // the way back: scan this blob again next time rather than guess.
                    None => return,
                }
            }
            match serde_json::to_vec(&stored) {
                Ok(v) => v,
                Err(_) => return,
            }
        };
        let full = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.push((key(blob, format), value));
            (pending.len() >= BATCH).then(|| std::mem::take(&mut *pending))
        };
        if let Some(batch) = full {
            self.write(batch);
        }
    }

    /// The walk recorded for `repo` (a repository and ref selection), if any. Read once:
    /// later calls find nothing.
    pub fn walk(&self, repo: &str) -> Option<Vec<u8>> {
        let table = self
            .walks
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        match table.get(repo) {
            Ok(found) => found.map(|g| g.value().to_vec()),
            Err(e) => {
                self.note_problem(format!("cannot read a recorded walk ({e})"));
                None
            }
        }
    }

    /// Keeps `record` as the walk of `repo`, dropping the walks of all but the
    /// [`KEPT_WALKS`] most recently recorded repositories. False if it could not be kept.
    pub fn put_walk(&self, repo: &str, record: &[u8]) -> bool {
        if self.problem().is_some() {
            return false;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        // redb's error is large, but this runs once per batch, not per blob.
        #[allow(clippy::result_large_err)]
        let result = (|| -> Result<(), redb::Error> {
            let txn = self.db.begin_write()?;
            {
                let mut walks = txn.open_table(WALKS)?;
                let mut used = txn.open_table(WALKS_USED)?;
                walks.insert(repo, record)?;
                used.insert(repo, now)?;
                let by_age = newest_first(&used)?;
                for (_, old) in by_age.iter().skip(KEPT_WALKS) {
                    if old != repo {
                        walks.remove(old.as_str())?;
                        used.remove(old.as_str())?;
                    }
                }
            }
            txn.commit()?;
            Ok(())
        })();
        match result {
            Ok(()) => true,
            Err(e) => {
                self.note_problem(format!("cannot record the walk ({e})"));
                false
            }
        }
    }

    /// Records what the audit did with its walk.
    pub fn note_walk(&self, used: WalkUse) {
        *self.walk_use.lock().unwrap_or_else(|e| e.into_inner()) = Some(used);
    }

    /// What the audit did with its walk, if it used the cache for it.
    pub fn walk_use(&self) -> Option<WalkUse> {
        *self.walk_use.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blobs served from the cache so far.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Entries written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Writes what is pending, marks this identity used now and prunes the tables of all
    /// but the [`KEPT_IDENTITIES`] most recently used identities. Returns the warning to
    /// show, if reading or writing met a problem.
    pub fn finish(&self) -> Option<String> {
        let rest = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()));
        self.write(rest);
        if self.problem().is_none() {
            if let Err(e) = self.mark_used_and_prune() {
                self.note_problem(format!("cannot record its use ({e})"));
            }
        }
        self.problem().map(|p| {
            format!(
                "warning: scan cache {}: {p}; the scan itself is complete",
                self.path.display()
            )
        })
    }

    fn problem(&self) -> Option<String> {
        self.problem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn note_problem(&self, problem: String) {
        self.problem
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert(problem);
    }

    /// One transaction for `batch`; after a failure nothing more is written.
    fn write(&self, batch: Vec<(Vec<u8>, Vec<u8>)>) {
        if batch.is_empty() || self.problem().is_some() {
            return;
        }
        // redb's error is large, but this runs once per batch, not per blob.
        #[allow(clippy::result_large_err)]
        let result = (|| -> Result<(), redb::Error> {
            let txn = self.db.begin_write()?;
            {
                let mut table = txn.open_table(Blobs::new(&self.table))?;
                for (k, v) in &batch {
                    table.insert(k.as_slice(), v.as_slice())?;
                }
            }
            txn.commit()?;
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.written
                    .fetch_add(batch.len() as u64, Ordering::Relaxed);
            }
            Err(e) => self.note_problem(format!("cannot write ({e})")),
        }
    }

    #[allow(clippy::result_large_err)] // Once per run.
    fn mark_used_and_prune(&self) -> Result<(), redb::Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let txn = self.db.begin_write()?;
        {
            let mut used = txn.open_table(USED)?;
            used.insert(self.table.as_str(), now)?;
            // This run's identity is among the newest, so always kept.
            let by_age = newest_first(&used)?;
            let kept: Vec<String> = by_age
                .iter()
                .take(KEPT_IDENTITIES)
                .map(|(_, name)| name.clone())
                .collect();
            if !kept.contains(&self.table) {
                // Clocks go backwards; never prune the table just written.
                return Ok(());
            }
            for (_, name) in by_age.iter().skip(KEPT_IDENTITIES) {
                used.remove(name.as_str())?;
            }
            let stale: Vec<String> = txn
                .list_tables()?
                .map(|t| t.name().to_string())
                .filter(|name| name.starts_with(TABLE_PREFIX) && !kept.contains(name))
                .collect();
            for name in stale {
                txn.delete_table(Blobs::new(&name))?;
            }
        }
        txn.commit()?;
        Ok(())
    }
}

/// The key of a blob's entry: its id's bytes, a zero byte, its format key.
fn key(blob: Oid, format: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(blob.as_bytes().len() + 1 + format.len());
    key.extend_from_slice(blob.as_bytes());
    key.push(0);
    key.extend_from_slice(format.as_bytes());
    key
}

/// Creates `dir` (owner-only) and the cache file in it (owner read and write only), and
/// opens the database.
fn open_db(dir: &Path, path: &Path) -> Result<Database, String> {
    let problem = |what: &str, e: std::io::Error| format!("{what} {} ({e})", dir.display());
    let file_problem = |what: &str, e: std::io::Error| format!("{what} ({e})");
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| problem("cannot create the cache directory", e))?;
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .map_err(|e| file_problem("cannot open it", e))?;
    restrict(path, 0o600).map_err(|e| file_problem("cannot restrict it to its owner", e))?;
    if is_own_private_dir_candidate(dir, path) {
        restrict(dir, 0o700).map_err(|e| problem("cannot restrict the cache directory", e))?;
    }
    Database::builder()
        .set_cache_size(CACHE_BYTES)
        .create_file(file)
        .map_err(|e| match e {
            DatabaseError::DatabaseAlreadyOpen => "in use by another keyhound run".to_string(),
            other => unreadable(other),
        })
}

/// Why a cache file cannot be used, and the way out.
fn unreadable(e: impl std::fmt::Display) -> String {
    format!("cannot be read ({e}); `keyhound cache clear` resets it")
}

/// Takes away every permission beyond `mode` (a directory a user made wider keeps working;
/// group and others lose access to what holds secrets).
#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = std::fs::metadata(path)?.permissions().mode();
    if current & 0o777 & !mode != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(current & mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

/// Whether `dir` is keyhound's to narrow to `0700`: owned by whoever owns the cache file just
/// opened in it (this user), and not a shared directory with the sticky bit (`/tmp`, which a
/// `KEYHOUND_CACHE_DIR=/tmp` must never make private). Otherwise the directory is left as
/// it is; the file is `0600` either way.
#[cfg(unix)]
fn is_own_private_dir_candidate(dir: &Path, file: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(dir), std::fs::metadata(file)) {
        (Ok(d), Ok(f)) => d.uid() == f.uid() && d.mode() & 0o1000 == 0,
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_own_private_dir_candidate(_: &Path, _: &Path) -> bool {
    false
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What `keyhound cache info` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheInfo {
    pub path: PathBuf,
    /// `None` when there is no cache file.
    pub bytes: Option<u64>,
    /// Entries per identity (its hash's first 12 hex digits), most recently used first.
    pub identities: Vec<(String, u64)>,
    /// Repositories whose walk is recorded.
    pub walks: u64,
}

/// What the cache in `dir` holds. A cache that cannot be read is an error naming it.
pub fn info(dir: &Path) -> Result<CacheInfo, Error> {
    let path = file_in(dir);
    let bytes = match std::fs::metadata(&path) {
        Ok(m) => Some(m.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&path, e)),
    };
    let mut identities = Vec::new();
    let mut walks = 0;
    if bytes.is_some() {
        let failed = |e: &dyn std::fmt::Display| {
            Error::Usage(format!(
                "scan cache {}: cannot read it ({e}); `keyhound cache clear` resets it",
                path.display()
            ))
        };
        let db = Database::builder().open(&path).map_err(|e| failed(&e))?;
        let txn = db.begin_read().map_err(|e| failed(&e))?;
        let used: Vec<(u64, String)> = match txn.open_table(USED) {
            Ok(t) => t
                .iter()
                .map_err(|e| failed(&e))?
                .filter_map(Result::ok)
                .map(|(k, v)| (v.value(), k.value().to_string()))
                .collect(),
            Err(TableError::TableDoesNotExist(_)) => Vec::new(),
            Err(e) => return Err(failed(&e)),
        };
        let mut tables: Vec<(u64, String)> = txn
            .list_tables()
            .map_err(|e| failed(&e))?
            .map(|t| t.name().to_string())
            .filter(|n| n.starts_with(TABLE_PREFIX))
            .map(|n| {
                let when = used.iter().find(|(_, u)| *u == n).map_or(0, |(w, _)| *w);
                (when, n)
            })
            .collect();
        tables.sort_by(|a, b| b.cmp(a));
        for (_, name) in tables {
            let table = txn.open_table(Blobs::new(&name)).map_err(|e| failed(&e))?;
            let entries = table.len().map_err(|e| failed(&e))?;
            let short: String = name[TABLE_PREFIX.len()..].chars().take(12).collect();
            identities.push((short, entries));
        }
        walks = match txn.open_table(WALKS) {
            Ok(t) => t.len().map_err(|e| failed(&e))?,
            Err(TableError::TableDoesNotExist(_)) => 0,
            Err(e) => return Err(failed(&e)),
        };
    }
    Ok(CacheInfo {
        path,
        bytes,
        identities,
        walks,
    })
}

/// Deletes the cache file in `dir` (whatever state it is in); returns whether there was one.
pub fn clear(dir: &Path) -> Result<bool, Error> {
    let path = file_in(dir);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::io(&path, e)),
    }
}

/// A last-used table's keys with their times, newest first.
fn newest_first(
    used: &impl ReadableTable<&'static str, u64>,
) -> Result<Vec<(u64, String)>, redb::StorageError> {
    let mut by_age: Vec<(u64, String)> = used
        .iter()?
        .filter_map(Result::ok)
        .map(|(k, v)| (v.value(), k.value().to_string()))
        .collect();
    by_age.sort_by(|a, b| b.cmp(a));
    Ok(by_age)
}
