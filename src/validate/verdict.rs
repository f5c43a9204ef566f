//! What an offline check concludes, and how strongly.

use std::collections::BTreeMap;

/// How much a passing check proves about a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Nothing beyond the shape: the value is not a reference, placeholder or stand-in.
    Plausible,
    /// The value decodes into the structure its issuer produces (a JWT's header, a macaroon,
    /// a base64 JSON payload), which a random look-alike does not.
    Structure,
    /// A checksum computed over the value holds: it was issued by the format's generator.
    Checksum,
}

/// A passing check: its strength and the facts it derived (an account id, a region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub strength: Strength,
    pub facts: BTreeMap<String, String>,
}

/// The outcome of an offline check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The format's own redundancy holds (or, for `Plausible`, nothing argues against it).
    Valid(Proof),
    /// The format's own redundancy fails: not a real credential, drop it.
    Invalid,
}

impl Verdict {
    /// A pass of `strength` with no facts.
    pub fn pass(strength: Strength) -> Self {
        Verdict::Valid(Proof {
            strength,
            facts: BTreeMap::new(),
        })
    }

    /// A pass of `strength` with `facts`.
    pub fn with_facts(strength: Strength, facts: BTreeMap<String, String>) -> Self {
        Verdict::Valid(Proof { strength, facts })
    }

    /// `Valid` when `holds`, else `Invalid`.
    pub fn holds(holds: bool, strength: Strength) -> Self {
        if holds {
            Verdict::pass(strength)
        } else {
            Verdict::Invalid
        }
    }

    /// The facts of a pass (empty for a failure), for tests and callers that only read them.
    pub fn facts(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            Verdict::Valid(proof) => Some(&proof.facts),
            Verdict::Invalid => None,
        }
    }
}
