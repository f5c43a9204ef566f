//! Filtering: what the user has said should not be reported.

pub mod allowlist;
pub mod baseline;
pub mod inline;

pub use allowlist::Allowlist;
pub use baseline::Baseline;
pub use inline::is_allowed_inline;
