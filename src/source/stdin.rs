//! `keyhound scan -`: scan what an editor or a pipe sends.

use std::io::Read;

use crate::error::Error;
use crate::finding::Finding;
use crate::scan::{ItemName, Scanner, Stats};

/// Display name of the stdin item.
pub const STDIN_NAME: &str = "-";

pub fn scan_stdin(scanner: &Scanner, stats: &Stats) -> Result<Vec<Finding>, Error> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(scanner.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("<stdin>", e))?;
    if bytes.len() as u64 > scanner.max_file_size {
        Stats::add(&stats.skipped_oversize, 1);
        return Ok(Vec::new());
    }
    let name = ItemName {
        display: STDIN_NAME,
        relative: STDIN_NAME,
    };
    Ok(scanner.scan_item(name, &bytes, None, stats))
}
