//! Extractors: for formats where a regex can find the statement but not say which part of it
//! is the secret. A rule with `extract = "..."` captures the whole structure as `secret`; the
//! extractor returns the ranges inside it that are secrets, each then validated like any
//! other capture. The serialised names (`sql-insert-password`, ...) are what rule files say.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::sql::{self, Wanted};

/// One extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extract {
    /// Plain-text values of password columns in an `INSERT`'s rows, mapped by position from
    /// its column list (the rule's `context` group).
    SqlInsertPassword,
    /// Hash-shaped values of password columns in an `INSERT`'s rows.
    SqlInsertPasswordHash,
}

/// One secret found inside a capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Byte range relative to the capture.
    pub range: Range<usize>,
    /// Facts for the finding's metadata (the column a value was inserted into).
    pub facts: BTreeMap<String, String>,
}

impl Extract {
    /// The secrets inside `capture`; `context` is the rule's `context` group, if it matched.
    pub fn run(self, capture: &str, context: Option<&str>) -> Vec<Extracted> {
        let wanted = match self {
            Extract::SqlInsertPassword => Wanted::Plain,
            Extract::SqlInsertPasswordHash => Wanted::Hash,
        };
        let Some(columns) = context else {
            return Vec::new();
        };
        sql::password_values(columns, capture, wanted)
            .into_iter()
            .map(|value| Extracted {
                range: value.range,
                facts: BTreeMap::from([("column".to_string(), value.column)]),
            })
            .collect()
    }
}
