//! keyhound: finds hardcoded credentials in working trees and git history.
//!
//! The pipeline (see DESIGN.md) is `source → decode → match → filter → report`, one module
//! per stage. `main.rs` only parses arguments and calls into here.

pub mod cli;
pub mod config;
pub mod decode;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod filter;
pub mod finding;
pub mod hook;
pub mod item;
pub mod own_file;
pub mod plan;
pub mod report;
pub mod rules;
pub mod run;
pub mod scanner;
pub mod source;
pub mod text;
pub mod validate;

pub use engine::Engine;
pub use error::Error;
pub use finding::Finding;
