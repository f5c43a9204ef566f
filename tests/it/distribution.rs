//! What a release promises, checked where it is written: the version the README, the hooks
//! and the action name is the crate's, the changelog has it, the packaging files exist and
//! say what they must. (Building the image and running the workflows happen on the hosting
//! service; see ci.yml and release.yml.)

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn every_pinned_version_is_the_crates_and_the_changelog_has_it() {
    let tag = format!("v{VERSION}");
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("rev: {tag}\n")),
        "README pre-commit rev"
    );
    assert!(
        readme.contains(&format!("uses: keyhound/keyhound@{tag}\n")),
        "README action"
    );
    // No other tag is pinned anywhere a user copies from.
    for text in [&readme, &read(".pre-commit-hooks.yaml")] {
        for (i, _) in text.match_indices("rev: v") {
            assert!(
                text[i..].starts_with(&format!("rev: {tag}")),
                "{}",
                &text[i..i + 20]
            );
        }
    }
    let changelog = read("CHANGELOG.md");
    assert!(
        changelog.contains(&format!("\n## [{VERSION}]\n")),
        "CHANGELOG"
    );
}

#[test]
fn packaging_files_are_there_and_say_what_they_must() {
    let cargo = read("Cargo.toml");
    assert!(cargo.contains("license = \"MIT OR Apache-2.0\""));
    assert!(read("LICENSE-MIT").starts_with("MIT License"));
    assert!(read("LICENSE-APACHE").contains("Apache License"));
    assert!(cargo.contains("strip = true"), "release binary stripped");
    // The crate ships what it builds from (patterns, the schema) and no test corpus.
    let include = &cargo[cargo.find("include = [").unwrap()..];
    let include = &include[..include.find(']').unwrap()];
    for needed in [
        "/src/",
        "/patterns/",
        "/schema/",
        "/build.rs",
        "/LICENSE-MIT",
    ] {
        assert!(include.contains(needed), "include lacks {needed}");
    }
    assert!(!include.contains("corpus") && !include.contains("tests"));

    let docker = read("Dockerfile");
    assert_eq!(
        docker.matches("\nFROM ").count() + usize::from(docker.starts_with("FROM ")),
        2
    );
    assert!(docker.contains("--locked") && docker.contains("ENTRYPOINT [\"keyhound\"]"));

    let action = read("action.yml");
    for needed in [
        "using: composite",
        "--no-repo-config",
        "upload-sarif",
        "--range",
        ".sha256",
    ] {
        assert!(action.contains(needed), "action.yml lacks {needed}");
    }
    let release = read(".github/workflows/release.yml");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(target), "release.yml lacks {target}");
    }
    assert!(release.contains("sha256"));
}
