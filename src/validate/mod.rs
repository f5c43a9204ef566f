//! Validators: the checks a `secret` capture must pass after its regex matched.
//!
//! Regexes describe the shape of a credential; validators decide whether a match that has the
//! shape is worth a human's attention: is it random enough, is it a placeholder or a
//! documentation example, and, where the format carries one, does its checksum hold.

pub mod checks;
pub mod entropy;
pub mod generic;
pub mod payload;
pub mod placeholder;

pub use checks::{run_check, Verdict, CHECK_NAMES};
pub use entropy::shannon_entropy;
pub use placeholder::is_placeholder;
