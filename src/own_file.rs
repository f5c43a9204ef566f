//! Reading the files keyhound reads for itself (config, baseline, rule files, ignore
//! files): each may sit in a tree from a stranger's pull request, so each is checked before
//! it is read. A FIFO would hang the scan and `/dev/zero` would read until memory runs out,
//! so only regular files are read, and only through a size cap.

use std::io::Read;
use std::path::Path;

/// Cap on a config, baseline or rule file (far above any real one).
pub const MAX_OWN_FILE: u64 = 64 << 20;

/// Reads `path` as text if it is a regular file (a symlink to one is followed) of at most
/// `cap` bytes. `Ok(None)` when it does not exist; an error naming the problem when it is
/// no regular file, is larger than `cap`, or is not UTF-8.
pub fn read_own_file(path: &Path, cap: u64) -> std::io::Result<Option<String>> {
    use std::io::{Error, ErrorKind};
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or directory is never read)",
        ));
    }
    let file = std::fs::File::open(path)?;
    // And again through the handle, in case the path was swapped in between.
    if !file.metadata()?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("larger than {cap} bytes, the most keyhound reads of its own files"),
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_oversized_files_are_refused() {
        assert!(read_own_file(Path::new("/dev/zero"), 10).is_err());
        assert!(read_own_file(Path::new("/nonexistent/x"), 10)
            .unwrap()
            .is_none());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "0123456789x").unwrap();
        assert!(read_own_file(&path, 10).is_err());
        assert_eq!(
            read_own_file(&path, 11).unwrap().as_deref(),
            Some("0123456789x")
        );
    }
}
