//! Validators: the checks a `secret` capture must pass after its regex matched.
//!
//! Regexes describe the shape of a credential; validators decide whether a match that has the
//! shape is worth a human's attention: is it random enough, is it a placeholder or a
//! documentation example, and, where the format carries one, does its checksum hold.
//!
//! [`Check`] names each offline check; each lives in the module of its format, and all of them
//! build on [`encoding`] (base64, base62/base36 digits, CRC schemes) and return a [`Verdict`]
//! whose [`Strength`] says how much a pass proves.

mod aws;
mod check;
mod crc_hex;
mod credential;
pub(crate) mod encoding;
mod entropy;
mod extract;
mod generic;
mod github;
mod gitlab;
mod jwt;
mod known_examples;
mod npm;
mod payload;
mod placeholder;
mod pypi;
mod sql;
mod structured;
mod verdict;

pub use check::Check;
pub use entropy::shannon_entropy;
pub use extract::Extract;
pub use generic::{names_a_nonce, signs_a_payload};
pub use placeholder::is_placeholder;
#[cfg(test)]
pub use verdict::Proof;
pub use verdict::{Strength, Verdict};
