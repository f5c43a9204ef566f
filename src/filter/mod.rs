//! Filtering: what the user has said should not be reported.

pub mod allowlist;
pub mod inline;

pub use allowlist::Allowlist;
pub use inline::is_allowed_inline;
