//! `keyhound scan -`: scan what an editor or a pipe sends.

use std::io::Read;

use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::{Item, Origin};
use crate::scanner::{Scanner, Stats};

/// Reads standard input (up to the size limit) and scans it as one item.
pub fn scan_stdin(
    scanner: &Scanner,
    filter: &Filter,
    stats: &Stats,
) -> Result<Vec<Finding>, Error> {
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
    let item = Item {
        origin: &Origin::Stdin,
        bytes: &bytes,
    };
    Ok(scanner.scan(item, filter, stats))
}
