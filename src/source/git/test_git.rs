//! Running the git command line in tests, isolated from the user's configuration and with
//! fixed identities and dates, so that what it writes is the same every run.

use std::path::Path;
use std::process::Command;

/// Runs `git args` in `dir`; panics with git's message if it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        // Fixed dates make the pack, and so where the damage test lands, the same every run.
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes `text` to `rel` under `root`, making its directories.
pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Commits everything in the work tree (an empty commit when nothing changed).
pub fn commit_all(root: &Path, message: &str) {
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// Every object in `repo`'s object database.
pub fn every_object(repo: &git2::Repository) -> Vec<git2::Oid> {
    let mut all = Vec::new();
    repo.odb()
        .unwrap()
        .foreach(|oid| {
            all.push(*oid);
            true
        })
        .unwrap();
    all
}

/// Every blob in `repo`'s object database, in id order.
pub fn every_blob(repo: &git2::Repository) -> Vec<git2::Oid> {
    let odb = repo.odb().unwrap();
    let mut blobs = every_object(repo);
    blobs.retain(|&oid| odb.read_header(oid).unwrap().1 == git2::ObjectType::Blob);
    blobs
}

/// The delta families of `blobs` (all packed in `packs`), job `i` being `blobs[i]`.
pub fn plan_families(packs: &super::pack::Packs, blobs: &[git2::Oid]) -> super::pack::Forest {
    let mut wanted: Vec<(super::pack::Location, usize)> = blobs
        .iter()
        .enumerate()
        .map(|(i, &oid)| (packs.locate(oid).unwrap(), i))
        .collect();
    wanted.sort_unstable();
    super::pack::Forest::plan(&mut super::pack::Reader::new(packs, 0, 4096), &wanted).unwrap()
}
