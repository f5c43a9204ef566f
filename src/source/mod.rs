//! Sources decide what to scan and hand each item's bytes to the scanner; they know nothing
//! of rules.

pub(crate) mod git;
pub mod stdin;
pub mod walk;
