//! Sources decide what to scan and hand each item's bytes to the scanner; they know nothing
//! of rules.

pub mod git;
pub mod ignore_files;
pub mod stdin;
pub mod walk;
