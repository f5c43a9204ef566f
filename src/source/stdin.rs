//! `keyhound scan -`: scan what an editor or a pipe sends.

use crate::error::Error;
use crate::filter::Filter;
use crate::finding::Finding;
use crate::item::Origin;
use crate::scanner::{Scanner, Stats};

/// Reads standard input (up to the size limit) and scans it as one item.
pub fn scan_stdin(
    scanner: &Scanner,
    filter: &Filter,
    stats: &Stats,
) -> Result<Vec<Finding>, Error> {
    let stdin = std::io::stdin().lock();
    super::walk::scan_capped(scanner, filter, &Origin::Stdin, stdin, stats)
        .map_err(|e| Error::io("<stdin>", e))
}
