//! keyhound: finds hardcoded credentials in working trees and git history.
//!
//! The pipeline (see DESIGN.md and ARCHITECTURE.md) is `source → decode → match → filter →
//! report`:
//!
//! - a [`source`] turns files, stdin, history blobs or the index into [`item::Item`]s, each
//!   with an [`item::Origin`];
//! - the [`scanner`] decodes an item ([`decode`]: notebooks, model files, archives), runs the
//!   [`engine`] (keyword prefilter, rule regexes, offline checks) and locates each match;
//! - the [`filter`] stage drops what the user allowed (inline markers, allowlists, baseline);
//! - a [`report`] writes the findings as text, JSON, JSONL or SARIF.
//!
//! A [`plan::Plan`] holds everything a scan needs, resolved once from the configuration
//! and the flags; the drivers in [`run`] run a plan over a source and finish the same way.
//! The command line ([`cli`]) only parses arguments and calls them.
//!
//! Scanning bytes from a program:
//!
//! ```
//! use keyhound::filter::Filter;
//! use keyhound::item::{Item, Origin};
//! use keyhound::scanner::{Scanner, Stats};
//! use keyhound::Engine;
//!
//! let scanner = Scanner::new(Engine::builtin());
//! let origin = Origin::File {
//!     display: "train.py".into(),
//!     relative: "train.py".into(),
//! };
//! // A made-up Hugging Face token, assembled so this file holds none.
//! let text = format!("login(token=\"hf_{}\")\n", "AIxNKuiSGNPRVdDXRZJzzzzgEOzdmenCkh");
//! let item = Item { origin: &origin, bytes: text.as_bytes() };
//! let findings = scanner.scan(item, &Filter::default(), &Stats::default());
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].rule_id, "huggingface-user-token");
//! assert_eq!((findings[0].location.line, findings[0].location.column), (1, 14));
//! // Reports show secrets redacted unless asked otherwise.
//! assert_eq!(findings[0].display_secret(false), "hf_A…[37 chars redacted]");
//! ```

pub mod cache;
pub mod cli;
pub mod config;
pub mod decode;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod filter;
pub mod finding;
pub(crate) mod hook;
pub mod item;
pub mod own_file;
pub mod plan;
pub mod report;
pub mod rules;
pub mod run;
pub mod scanner;
pub mod source;
pub(crate) mod text;
pub(crate) mod validate;
#[cfg(feature = "verify")]
pub mod verify;

pub use engine::Engine;
pub use error::Error;
pub use finding::Finding;
