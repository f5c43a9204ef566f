//! Validators: the checks a `secret` capture must pass after its regex matched.
//!
//! Regexes describe the shape of a credential; validators decide whether a match that has the
//! shape is worth a human's attention: is it random enough, is it a placeholder or a
//! documentation example, and, where the format carries one, does its checksum hold.

mod b64;
pub mod checks;
pub mod crc_hex;
pub mod credential;
pub mod entropy;
pub mod generic;
pub mod gitlab;
pub mod jwt;
pub mod known_examples;
pub mod npm;
pub mod payload;
pub mod placeholder;
pub mod pypi;
pub mod structured;

pub use checks::{run_check, Verdict, CHECK_NAMES};
pub use entropy::shannon_entropy;
pub use placeholder::is_placeholder;
