//! Test, fixture, example and documentation locations.
//!
//! Much of what remains in a large repository after the generic layer is right is committed
//! test data: the password a test logs in with, the token a cassette recorded, the key a
//! guide shows. Those are findings (a reader may still want them), but a user clearing a
//! first run wants to set them aside, so each finding records its location's kind and a
//! config switch (`[findings] skip_test_paths`) leaves them out.

/// Directory names and what they hold.
const DIRECTORIES: &[(&str, &str)] = &[
    ("test", "test"),
    ("tests", "test"),
    ("__tests__", "test"),
    ("testing", "test"),
    ("spec", "test"),
    ("specs", "test"),
    ("testdata", "fixture"),
    ("test-data", "fixture"),
    ("test_data", "fixture"),
    ("fixtures", "fixture"),
    ("fixture", "fixture"),
    ("__fixtures__", "fixture"),
    ("cassettes", "fixture"),
    ("__snapshots__", "fixture"),
    ("mocks", "fixture"),
    ("__mocks__", "fixture"),
    ("examples", "example"),
    ("example", "example"),
    ("samples", "example"),
    ("sample", "example"),
    ("demo", "example"),
    ("demos", "example"),
    ("docs", "docs"),
    ("doc", "docs"),
    ("documentation", "docs"),
    ("guides", "docs"),
];

/// The kind of location `path` is (`test`, `fixture`, `example`, `docs`), or `None` for
/// ordinary source. Judged by directory names and by test file names (`test_auth.py`,
/// `auth_test.go`, `auth_spec.rb`, `auth.test.ts`). The innermost directory wins: a fixture
/// under `tests/` is a fixture.
pub fn location_kind(path: &str) -> Option<&'static str> {
    let path = path.replace('\\', "/");
    // Archive members (`a.zip!b/c.txt`) are judged by the whole chain.
    let parts: Vec<&str> = path.split(['/', '!']).filter(|p| !p.is_empty()).collect();
    let (file, dirs) = parts.split_last()?;
    let by_dir = dirs.iter().rev().find_map(|dir| {
        let lower = dir.to_ascii_lowercase();
        DIRECTORIES
            .iter()
            .find(|(name, _)| *name == lower)
            .map(|(_, kind)| *kind)
    });
    if by_dir.is_some() {
        return by_dir;
    }
    let lower = file.to_ascii_lowercase();
    let stem = lower.split('.').next().unwrap_or_default();
    let is_test_file = stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || lower.contains(".test.")
        || lower.contains(".spec.");
    is_test_file.then_some("test")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_test_fixture_example_and_docs_locations() {
        assert_eq!(location_kind("tests/test_auth.py"), Some("test"));
        assert_eq!(location_kind("repo/spec/models/user_spec.rb"), Some("test"));
        assert_eq!(
            location_kind("tests/cassettes/InferenceApiTest.yaml"),
            Some("fixture")
        );
        assert_eq!(location_kind("examples/train.py"), Some("example"));
        assert_eq!(location_kind("docs/source/en/index.md"), Some("docs"));
        assert_eq!(location_kind("pkg/auth_test.go"), Some("test"));
        assert_eq!(location_kind("web/src/login.test.ts"), Some("test"));
        assert_eq!(location_kind("C:\\repo\\tests\\conf.ini"), Some("test"));
    }

    #[test]
    fn ordinary_source_is_no_kind() {
        for path in [
            "src/config.py",
            "src/attestation.rs",
            "contest/main.py",
            "latest.txt",
            "config/database.yml",
        ] {
            assert_eq!(location_kind(path), None, "{path}");
        }
    }
}
