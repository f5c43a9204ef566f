//! Credentials that providers publish in their own documentation. They are real-looking by
//! design (some even work against sandboxes), so no shape or entropy test rejects them, and
//! they are copied into tutorials, READMEs and tests everywhere. Reporting them is noise.

/// Published documentation values, matched exactly.
const DOCUMENTED: &[&str] = &[
    // Stripe's test-mode key shown in its API reference and quickstarts.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
];

/// True when `secret` is a credential published in a provider's documentation.
pub fn is_documented(secret: &str) -> bool {
    DOCUMENTED.contains(&secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_matches_only() {
        assert!(is_documented("sk_test_4eC39HqLyjWDarjtT1zdp7dc"));
        assert!(!is_documented("sk_test_4eC39HqLyjWDarjtT1zdp7dX")); // keyhound:allow (test fixture)
    }
}
