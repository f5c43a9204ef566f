//! `keyhound history` and `keyhound staged` against repositories built with the `git` CLI in
//! temporary directories. Every secret here is a random string in a token's shape, generated
//! per test: none is a real credential.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

const RULE: &str = "huggingface-user-token";

/// A throwaway repository driven through the `git` CLI, isolated from the user's config.
struct Repo {
    _dir: TempDir,
    path: PathBuf,
}

fn git_in(dir: &Path, args: &[&str]) -> String {
    crate::common::git::run_git(dir, ("Test Author", "author@example.com"), &[], args)
}

impl Repo {
    fn new() -> Repo {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("repo");
        std::fs::create_dir(&path).unwrap();
        git_in(&path, &["init", "-q"]);
        Repo { _dir: dir, path }
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(&self.path, args)
    }

    fn write(&self, rel: &str, content: &str) {
        let file = self.path.join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
    }

    /// Stages everything and commits; returns the new commit id.
    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// A sibling directory for clones.
    fn sibling(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap().join(name)
    }
}

use crate::common::workflow::hf_token as token;

struct Run {
    code: i32,
    findings: Vec<Value>,
    stderr: String,
}

fn keyhound(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_keyhound"))
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GITHUB_REF_NAME")
        .output()
        .expect("keyhound runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings = if args.contains(&"json") && out.status.code() != Some(2) {
        serde_json::from_str::<Value>(&stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
            .as_array()
            .cloned()
            .unwrap()
    } else {
        Vec::new()
    };
    Run {
        code: out.status.code().expect("exit code"),
        findings,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn history(repo: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["history", "--format", "json"];
    args.extend_from_slice(extra);
    keyhound(repo, &args)
}

fn staged(repo: &Path) -> Run {
    keyhound(repo, &["staged", "--format", "json"])
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

fn num_at(v: &Value, pointer: &str) -> u64 {
    v.pointer(pointer)
        .and_then(Value::as_u64)
        .unwrap_or_else(|| panic!("no number at {pointer} in {v}"))
}

#[test]
fn secret_added_then_removed_is_found_only_in_history() {
    let repo = Repo::new();
    let secret = token(1);
    repo.write("README.md", "# demo\n");
    repo.commit("initial");
    repo.write("config/app.env", &format!("DEBUG=1\nHF_TOKEN={secret}\n"));
    let introduced = repo.commit("add app config");
    repo.write("config/app.env", "DEBUG=1\nHF_TOKEN=${HF_TOKEN}\n");
    repo.commit("read the token from the environment");

    let tree = keyhound(&repo.path, &["scan", "--format", "json", "."]);
    assert_eq!(tree.code, 0, "the working tree is clean: {}", tree.stderr);

    let run = history(&repo.path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    let f = &run.findings[0];
    assert_eq!(str_at(f, "/rule_id"), RULE);
    assert_eq!(str_at(f, "/path"), "config/app.env");
    assert_eq!(num_at(f, "/line"), 2);
    assert_eq!(num_at(f, "/column"), 10);
    assert_eq!(str_at(f, "/provenance/commit"), introduced);
    assert_eq!(str_at(f, "/provenance/summary"), "add app config");
    assert_eq!(str_at(f, "/provenance/author_name"), "Test Author");
    assert_eq!(str_at(f, "/provenance/author_email"), "author@example.com");
    assert_eq!(
        str_at(f, "/provenance/date").len(),
        25,
        "RFC 3339 with offset"
    );
    assert!(!str_at(f, "/secret").contains(&secret[4..]), "redacted");
    assert!(run.stderr.contains("3 commits"), "{}", run.stderr);
    assert!(run.stderr.contains("unique blobs"), "{}", run.stderr);
    assert!(!run.stderr.contains("truncated"), "{}", run.stderr);
}

#[test]
fn secret_on_an_unmerged_branch_is_found_and_branch_narrows() {
    let repo = Repo::new();
    repo.write("a.txt", "hello\n");
    repo.commit("initial");
    repo.git(&["checkout", "-q", "-b", "experiment"]);
    repo.write(
        "notebooks/train.py",
        &format!("login(token=\"{}\")\n", token(2)),
    );
    let on_branch = repo.commit("try the hub");
    repo.git(&["checkout", "-q", "main"]);

    let run = history(&repo.path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(str_at(&run.findings[0], "/path"), "notebooks/train.py");
    assert_eq!(str_at(&run.findings[0], "/provenance/commit"), on_branch);

    let main_only = history(&repo.path, &["--branch", "main"]);
    assert_eq!(main_only.code, 0, "{}", main_only.stderr);
    assert!(main_only.findings.is_empty());
    let branch_only = history(&repo.path, &["--branch", "experiment"]);
    assert_eq!(branch_only.findings.len(), 1);
}

#[test]
fn renamed_file_is_one_blob_reported_at_its_first_path() {
    let repo = Repo::new();
    repo.write("old/name.cfg", &format!("x = 1\ntoken: {}\n", token(3)));
    let introduced = repo.commit("add");
    repo.git(&["mv", "old/name.cfg", "new.cfg"]);
    repo.commit("rename");

    let run = history(&repo.path, &[]);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    let f = &run.findings[0];
    assert_eq!(str_at(f, "/path"), "old/name.cfg");
    assert_eq!(num_at(f, "/line"), 2);
    assert_eq!(str_at(f, "/provenance/commit"), introduced);

    // The rename adds no line: a CI scan of it reports nothing.
    let range = history(&repo.path, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(range.code, 0, "{}", range.stderr);
    assert!(range.findings.is_empty(), "{:?}", range.findings);

    // --all-provenance lists the rename commit as another introduction of the blob.
    let all = history(&repo.path, &["--all-provenance"]);
    let occurrences = all.findings[0]["provenance"]["occurrences"]
        .as_array()
        .expect("occurrences");
    assert_eq!(occurrences.len(), 1, "{occurrences:?}");
    assert_eq!(str_at(&occurrences[0], "/path"), "new.cfg");
    assert_eq!(
        str_at(&occurrences[0], "/commit"),
        repo.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn merge_commit_attributes_to_the_branch_commit_and_adds_nothing_itself() {
    let repo = Repo::new();
    repo.write("base.txt", "base\n");
    repo.commit("initial");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("svc/client.py", &format!("KEY = \"{}\"\n", token(4)));
    let feature_commit = repo.commit("feature client");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("other.txt", "main work\n");
    repo.commit("main work");
    repo.git(&["merge", "-q", "--no-ff", "feature", "-m", "merge feature"]);

    let run = history(&repo.path, &[]);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(str_at(&run.findings[0], "/path"), "svc/client.py");
    assert_eq!(
        str_at(&run.findings[0], "/provenance/commit"),
        feature_commit
    );

    // From the feature tip to the merge: main's commit and the merge add no secret.
    let range = history(&repo.path, &["--range", "feature..HEAD"]);
    assert_eq!(range.code, 0, "{}", range.stderr);
    assert!(range.findings.is_empty(), "{:?}", range.findings);
    assert!(range.stderr.contains("2 commits"), "{}", range.stderr);

    // From main before the merge: the feature commit comes in with the range.
    let range = history(&repo.path, &["--range", "HEAD^1..HEAD"]);
    assert_eq!(range.findings.len(), 1, "{}", range.stderr);
    assert_eq!(
        str_at(&range.findings[0], "/provenance/commit"),
        feature_commit
    );
}

#[test]
fn a_merge_that_resolves_a_conflict_with_a_secret_reports_the_merge() {
    let repo = Repo::new();
    repo.write("settings.ini", "[hub]\ntoken = none\n");
    repo.commit("initial");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("settings.ini", "[hub]\ntoken = from-feature\n");
    repo.commit("feature setting");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("settings.ini", "[hub]\ntoken = from-main\n");
    repo.commit("main setting");
    let merge = Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.com",
            "merge",
            "-q",
        ])
        .arg("feature")
        .current_dir(&repo.path)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge should conflict");
    let secret = token(5);
    repo.write("settings.ini", &format!("[hub]\ntoken = {secret}\n"));
    let merge_commit = repo.commit("merge feature, resolved");

    let range = history(&repo.path, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(range.findings.len(), 1, "{}", range.stderr);
    assert_eq!(
        str_at(&range.findings[0], "/provenance/commit"),
        merge_commit
    );
    assert_eq!(num_at(&range.findings[0], "/line"), 2);
}

#[test]
fn commits_only_a_tag_reaches_and_refs_to_trees_are_scanned() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("initial");
    // An orphan commit reachable only from an annotated tag.
    repo.git(&["checkout", "-q", "--orphan", "release-tmp"]);
    repo.git(&["rm", "-rq", "--cached", "."]);
    std::fs::remove_file(repo.path.join("a.txt")).unwrap();
    repo.write("deploy/creds.txt", &format!("hub {}\n", token(6)));
    let tagged = repo.commit("release artefacts");
    repo.git(&["tag", "-a", "v1.0", "-m", "release"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-D", "release-tmp"]);
    // A tree no commit holds, named by an annotated tag, and a blob named by a ref.
    let blob = Command::new("git")
        .args(["hash-object", "-w", "--stdin"])
        .current_dir(&repo.path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            let line = format!("orphan {}\n", token(7));
            child.stdin.take().unwrap().write_all(line.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let blob = String::from_utf8_lossy(&blob.stdout).trim().to_string();
    let tree = {
        let mut child = Command::new("git")
            .arg("mktree")
            .current_dir(&repo.path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        let entry = format!("100644 blob {blob}\tloose.txt\n");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(entry.as_bytes())
            .unwrap();
        String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout)
            .trim()
            .to_string()
    };
    repo.git(&["tag", "-a", "tree-tag", "-m", "a tree", &tree]);
    repo.git(&["update-ref", "refs/replace/blobref", &blob]);

    let run = history(&repo.path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 2, "{:?}", run.findings);
    let by_path = |p: &str| {
        run.findings
            .iter()
            .find(|f| str_at(f, "/path") == p)
            .unwrap_or_else(|| panic!("no finding at {p}: {:?}", run.findings))
    };
    assert_eq!(
        str_at(by_path("deploy/creds.txt"), "/provenance/commit"),
        tagged
    );
    let loose = by_path("loose.txt");
    assert_eq!(str_at(loose, "/provenance/commit"), "");
    assert!(str_at(loose, "/provenance/summary").contains("refs/tags/tree-tag"));
}

#[test]
fn staged_scans_the_first_commit_and_says_how_to_proceed() {
    let repo = Repo::new();
    let nothing = staged(&repo.path);
    assert_eq!(nothing.code, 0);
    assert!(
        nothing.stderr.contains("nothing is staged"),
        "{}",
        nothing.stderr
    );

    repo.write(
        "src/settings.py",
        &format!("DEBUG = True\nHF = \"{}\"\n", token(8)),
    );
    repo.git(&["add", "-A"]);
    let run = staged(&repo.path);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1);
    assert_eq!(str_at(&run.findings[0], "/rule_id"), RULE);
    assert_eq!(str_at(&run.findings[0], "/path"), "src/settings.py");
    assert_eq!(num_at(&run.findings[0], "/line"), 2);
    assert!(run.stderr.contains("empty tree"), "{}", run.stderr);
    assert!(run.stderr.contains("keyhound:allow"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git commit --no-verify"),
        "{}",
        run.stderr
    );
}

#[test]
fn staged_reports_only_added_lines_with_paths_as_staged() {
    let repo = Repo::new();
    repo.write("app.cfg", &format!("old = {}\nmode = a\n", token(9)));
    repo.commit("legacy config");
    // Editing another line of a file holding an old secret: nothing new is added.
    repo.write("app.cfg", &format!("old = {}\nmode = b\n", token(9)));
    repo.git(&["add", "app.cfg"]);
    let run = staged(&repo.path);
    assert_eq!(run.code, 0, "{:?} {}", run.findings, run.stderr);
    assert!(run.findings.is_empty());

    // The staged version is scanned, not the work tree.
    repo.write("deep/dir/new.cfg", &format!("k = {}\n", token(10)));
    repo.git(&["add", "deep/dir/new.cfg"]);
    repo.write("deep/dir/new.cfg", "k = removed-after-staging\n");
    let run = staged(&repo.path);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(str_at(&run.findings[0], "/path"), "deep/dir/new.cfg");

    // Only deletions staged: scanned, clean, and not "nothing staged".
    repo.git(&["reset", "-q"]);
    repo.git(&["rm", "-qf", "app.cfg"]);
    let run = staged(&repo.path);
    assert_eq!(run.code, 0);
    assert!(!run.stderr.contains("nothing is staged"), "{}", run.stderr);
}

#[test]
fn range_ignores_an_older_secret_in_a_modified_file() {
    let repo = Repo::new();
    let old = token(11);
    let new = token(12);
    repo.write("keys.txt", &format!("first = {old}\nsecond = none\n"));
    repo.commit("old secret");
    repo.write(
        "keys.txt",
        &format!("first = {old}\nsecond = none\nthird = {new}\n"),
    );
    let added = repo.commit("new secret");

    let run = history(&repo.path, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    let f = &run.findings[0];
    assert_eq!(str_at(f, "/path"), "keys.txt");
    assert_eq!(num_at(f, "/line"), 3);
    assert_eq!(str_at(f, "/provenance/commit"), added);

    let since = history(&repo.path, &["--since", "HEAD~1"]);
    assert_eq!(since.findings.len(), 1);
    assert_eq!(num_at(&since.findings[0], "/line"), 3);
}

#[test]
fn range_reports_a_private_key_whose_body_is_new() {
    let repo = Repo::new();
    repo.write("id_rsa", "-----BEGIN RSA PRIVATE KEY-----\n");
    repo.commit("placeholder key file");
    let mut body = String::new();
    let mut state = 0x1234_5678_9abc_def1u64;
    for _ in 0..12 {
        for _ in 0..64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            body.push(alphabet[(state % 64) as usize] as char);
        }
        body.push('\n');
    }
    repo.write(
        "id_rsa",
        &format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n"),
    );
    repo.commit("fill in the key");
    let run = history(&repo.path, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    assert_eq!(str_at(&run.findings[0], "/path"), "id_rsa");
    assert_eq!(num_at(&run.findings[0], "/line"), 1);
}

#[test]
fn all_zero_base_scans_commits_on_no_other_remote_branch() {
    let upstream = Repo::new();
    upstream.write("old.txt", &format!("legacy {}\n", token(13)));
    upstream.commit("old secret on main");
    let clone = upstream.sibling("clone");
    git_in(
        upstream.path.parent().unwrap(),
        &[
            "clone",
            "-q",
            upstream.path.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    git_in(&clone, &["checkout", "-q", "-b", "topic"]);
    std::fs::write(clone.join("new.txt"), format!("fresh {}\n", token(14))).unwrap();
    git_in(&clone, &["add", "-A"]);
    git_in(&clone, &["commit", "-q", "-m", "topic work"]);

    let zeros = "0".repeat(40);
    let run = history(&clone, &["--range", &format!("{zeros}..HEAD")]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    assert_eq!(str_at(&run.findings[0], "/path"), "new.txt");
    assert!(
        run.stderr.contains("not on any other remote branch"),
        "{}",
        run.stderr
    );

    // With no other remote branch known, HEAD's own commit only, and it says so.
    let alone = history(&upstream.path, &["--range", &format!("{zeros}..HEAD")]);
    assert!(
        alone.stderr.contains("HEAD's own commit"),
        "{}",
        alone.stderr
    );
    assert_eq!(alone.findings.len(), 1);
}

#[test]
fn shallow_clone_is_scanned_and_said_to_be_truncated() {
    let repo = Repo::new();
    repo.write("early.txt", &format!("{}\n", token(15)));
    repo.commit("early secret");
    repo.write("early.txt", "gone\n");
    repo.commit("remove it");
    repo.write("late.txt", &format!("{}\n", token(16)));
    let head = repo.commit("late secret");
    let clone = repo.sibling("shallow");
    let url = format!("file://{}", repo.path.display());
    git_in(
        repo.path.parent().unwrap(),
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );

    let run = history(&clone, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    assert_eq!(str_at(&run.findings[0], "/path"), "late.txt");
    assert_eq!(str_at(&run.findings[0], "/provenance/commit"), head);
    assert!(run.stderr.contains("1 commits") || run.stderr.contains("1 commit"));
    assert!(
        run.stderr.contains("history is truncated"),
        "{}",
        run.stderr
    );

    // A new branch pushed to a depth-1 checkout: HEAD's parent is missing, and it says so.
    let zeros = format!("{}..HEAD", "0".repeat(40));
    let range = history(&clone, &["--range", &zeros]);
    assert_eq!(range.code, 1, "{}", range.stderr);
    assert!(
        range.stderr.contains("shallow clone, so its whole tree"),
        "{}",
        range.stderr
    );

    // CI on a depth-1 checkout: the range's base is missing, and the error says why.
    let range = history(&clone, &["--range", "HEAD~1..HEAD"]);
    assert_eq!(range.code, 2);
    assert!(range.stderr.contains("fetch-depth"), "{}", range.stderr);
}

#[test]
fn bare_repositories_missing_objects_and_submodules() {
    let repo = Repo::new();
    repo.write("keep.txt", &format!("{}\n", token(17)));
    repo.write("lose.txt", "this blob will go missing\n");
    repo.commit("two files");
    // A submodule entry (gitlink) without cloning anything.
    let some_commit = repo.git(&["rev-parse", "HEAD"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{some_commit},vendor/lib"),
    ]);
    repo.git(&["commit", "-q", "-m", "add submodule"]);

    let bare = repo.sibling("bare.git");
    git_in(
        repo.path.parent().unwrap(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.path.to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let run = history(&bare, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(str_at(&run.findings[0], "/path"), "keep.txt");
    assert!(
        run.stderr.contains("1 submodule entry skipped"),
        "{}",
        run.stderr
    );

    // Delete a loose object, as a partial clone or a damaged repository would lack it.
    let lost = repo.git(&["rev-parse", "HEAD:lose.txt"]);
    let object = repo
        .path
        .join(".git/objects")
        .join(&lost[..2])
        .join(&lost[2..]);
    std::fs::remove_file(object).expect("the blob is a loose object");
    let run = history(&repo.path, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 1);
    assert!(
        run.stderr.contains("1 missing object skipped"),
        "{}",
        run.stderr
    );
}

#[test]
fn not_a_repository_is_a_clear_error() {
    let dir = TempDir::new().unwrap();
    let run = keyhound(dir.path(), &["history", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
    let run = keyhound(dir.path(), &["staged"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
    let run = keyhound(dir.path(), &["history", "no/such/dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no/such/dir"), "{}", run.stderr);
}

#[test]
fn same_secret_in_many_blobs_is_one_finding_with_occurrences() {
    let repo = Repo::new();
    let secret = token(18);
    for i in 0..4 {
        repo.write("notes.md", &format!("v{i}\nkey {secret}\n"));
        repo.commit(&format!("edit {i}"));
    }
    repo.write("copy.txt", &format!("{secret}\n"));
    repo.commit("copy");
    let run = history(&repo.path, &[]);
    assert_eq!(run.findings.len(), 1, "{:?}", run.findings);
    let f = &run.findings[0];
    assert_eq!(str_at(f, "/path"), "notes.md");
    assert_eq!(str_at(f, "/provenance/summary"), "edit 0");
    let occurrences = f["provenance"]["occurrences"].as_array().unwrap();
    assert_eq!(occurrences.len(), 4, "{occurrences:?}");
    assert!(occurrences.iter().any(|o| str_at(o, "/path") == "copy.txt"));

    let text = keyhound(&repo.path, &["history"]);
    assert_eq!(text.code, 1);
}

#[test]
fn staged_and_history_apply_the_configured_baseline() {
    let repo = Repo::new();
    let accepted = token(19);
    repo.write("fixtures/old.txt", &format!("{accepted}\n"));
    repo.commit("fixture");
    let baseline = keyhound(
        &repo.path,
        &["baseline", "create", ".", "-o", ".keyhound-baseline.json"],
    );
    assert_eq!(baseline.code, 0, "{}", baseline.stderr);
    repo.write(".keyhound.toml", "baseline = \".keyhound-baseline.json\"\n");
    repo.commit("baseline");

    let run = history(&repo.path, &[]);
    assert_eq!(run.code, 0, "{:?} {}", run.findings, run.stderr);
    assert!(run.stderr.contains("1 in baseline"), "{}", run.stderr);

    // Moving a baselined line to another file does not block the commit.
    repo.git(&["mv", "fixtures/old.txt", "moved.txt"]);
    std::fs::write(repo.path.join("moved.txt"), format!("header\n{accepted}\n")).unwrap();
    repo.git(&["add", "-A"]);
    let run = staged(&repo.path);
    assert_eq!(run.code, 0, "{:?} {}", run.findings, run.stderr);
}

#[test]
fn all_objects_finds_what_no_ref_reaches_and_says_so() {
    let repo = Repo::new();
    let amended = token(40);
    let loose = token(41);
    assert_ne!(amended, loose);
    repo.write("README.md", "# demo\n");
    repo.commit("initial");
    // A secret committed, then amended away: the old commit stays in the object database
    // (as after a force push), but no ref reaches it.
    repo.write("app.env", &format!("HF_TOKEN={amended}\n"));
    let dangling = repo.commit("add config");
    repo.write("app.env", "HF_TOKEN=${HF_TOKEN}\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "-m", "add config"]);
    // A blob written straight into the object database, which no commit or tree names.
    repo.write("scratch.txt", &format!("token: {loose}\n"));
    repo.git(&["hash-object", "-w", "scratch.txt"]);
    std::fs::remove_file(repo.path.join("scratch.txt")).unwrap();

    let reachable = history(&repo.path, &[]);
    assert_eq!(reachable.code, 0, "{}", reachable.stderr);

    let run = history(&repo.path, &["--all-objects"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings.len(), 2, "{:?}", run.findings);
    // Secrets are redacted in reports; tell the two findings apart by where they are.
    let by_path = |prefix: &str| {
        run.findings
            .iter()
            .find(|f| str_at(f, "/path").starts_with(prefix))
            .unwrap_or_else(|| panic!("no finding at {prefix}: {:?}", run.findings))
            .clone()
    };
    let from_commit = by_path("app.env");
    assert_eq!(str_at(&from_commit, "/provenance/commit"), dangling);
    assert_eq!(from_commit["provenance"]["unreachable"], true);
    let from_blob = by_path("unreachable blob ");
    assert_eq!(str_at(&from_blob, "/provenance/commit"), "");
    assert_eq!(from_blob["provenance"]["unreachable"], true);
    assert!(
        run.stderr
            .contains("all objects: 1 commit and 1 blob no ref reaches"),
        "{}",
        run.stderr
    );
    // Reachable findings do not carry the flag (the JSON is unchanged for them).
    let repo2 = Repo::new();
    repo2.write("a.env", &format!("HF_TOKEN={}\n", token(42)));
    repo2.commit("add");
    let plain = history(&repo2.path, &["--all-objects"]);
    assert_eq!(plain.findings.len(), 1, "{:?}", plain.findings);
    assert!(plain.findings[0]["provenance"].get("unreachable").is_none());
}
