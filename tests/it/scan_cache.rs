//! The persistent scan cache of `keyhound history`: a second run reads no blob it has seen and
//! reports exactly what an uncached run reports; a new commit costs its new blobs; a rule
//! change misses; `--no-cache`, `cache clear`, a corrupt or locked file, and a cache directory
//! inside the repository are all handled without failing the scan. Every secret is a random
//! string in a token's shape, generated here. Work is asserted by the blobs counted as
//! scanned and cached, never by time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A repository and a cache directory, both temporary, side by side (never one in the other).
struct Setup {
    _dir: TempDir,
    repo: PathBuf,
    cache: PathBuf,
}

fn git(dir: &Path, args: &[&str]) -> String {
    crate::common::git::run_git(dir, ("Cache Test", "cache@example.com"), &[], args)
}

use crate::common::workflow::hf_token as token;

use crate::common::zip_of;

impl Setup {
    /// A repository of three commits: secrets in a plain file (edited once, so two blobs hold
    /// one secret), in a zip member and on a line allowed inline; a binary file; a notebook
    /// that does not parse (a decoder note); clean files.
    fn new() -> Setup {
        let dir = TempDir::new().unwrap();
        let repo = dir.path().join("repo");
        let cache = dir.path().join("cache");
        std::fs::create_dir(&repo).unwrap();
        git(&repo, &["init", "-q"]);
        let s = Setup {
            _dir: dir,
            repo,
            cache,
        };
        s.write("README.md", "# demo\n");
        s.write("src/app.py", &format!("HF_TOKEN = \"{}\"\n", token(1)));
        s.commit("first");
        s.write(
            "src/app.py",
            &format!("import os\nHF_TOKEN = \"{}\"\nprint(1)\n", token(1)),
        );
        s.write_bytes("assets/blob.bin", b"\x00\x01\x02binary\x00");
        s.write_bytes(
            "dist/bundle.zip",
            &zip_of("conf/.env", format!("HF_TOKEN={}\n", token(2)).as_bytes()),
        );
        s.write("notebook.ipynb", "{ not json");
        s.commit("second");
        s.write(
            "tests/fixture.py",
            &format!("FAKE = \"{}\"  # keyhound:allow\n", token(3)),
        );
        s.write("docs/guide.md", "nothing here\n");
        s.commit("third");
        s
    }

    fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let file = self.repo.join(rel);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }

    fn commit(&self, message: &str) -> String {
        git(&self.repo, &["add", "-A"]);
        git(&self.repo, &["commit", "-q", "-m", message]);
        git(&self.repo, &["rev-parse", "HEAD"])
    }

    fn cache_file(&self) -> PathBuf {
        self.cache.join("scan-cache.redb")
    }

    /// `keyhound ARGS` in the repository with the cache in this setup's directory.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_keyhound"));
        cmd.args(args)
            .current_dir(&self.repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("XDG_CONFIG_HOME", self.repo.join(".no-user-config"))
            .env_remove("KEYHOUND_CONFIG")
            .env_remove("KEYHOUND_NO_CACHE")
            .env("KEYHOUND_CACHE_DIR", &self.cache);
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command(args).output().unwrap())
    }

    /// `keyhound history --format json -v EXTRA`.
    fn history(&self, extra: &[&str]) -> Run {
        let mut args = vec!["history", "--format", "json", "-v"];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The summary's count before `word` (`scanned 3 items` → `count("scanned ", " item")`).
    fn count(&self, before: &str, after: &str) -> u64 {
        let Some(at) = self.stderr.find(before) else {
            return 0;
        };
        let rest = &self.stderr[at + before.len()..];
        let end = rest
            .find(after)
            .unwrap_or_else(|| panic!("{}", self.stderr));
        rest[..end]
            .parse()
            .unwrap_or_else(|_| panic!("{}", self.stderr))
    }

    fn scanned(&self) -> u64 {
        self.count("; scanned ", " item")
    }

    /// The `; N blobs cached` of the summary (0 when absent).
    fn cached(&self) -> u64 {
        let Some(at) = self
            .stderr
            .find(" blobs cached")
            .or(self.stderr.find(" blob cached"))
        else {
            return 0;
        };
        let digits: String = self.stderr[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.chars().rev().collect::<String>().parse().unwrap()
    }

    fn findings(&self) -> Vec<serde_json::Value> {
        serde_json::from_str::<serde_json::Value>(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
            .as_array()
            .unwrap()
            .clone()
    }

    /// What the summary says was skipped, and the decoder notes: the same whether blobs
    /// were scanned or replayed from the cache.
    fn skipped_and_notes(&self) -> Vec<String> {
        self.stderr
            .lines()
            .flat_map(|l| {
                let skipped = l.find("; skipped ").map(|i| {
                    let rest = &l[i + 2..];
                    rest[..rest.find(';').unwrap_or(rest.len())].to_string()
                });
                let note = l.contains("note:").then(|| l.to_string());
                skipped.into_iter().chain(note)
            })
            .collect()
    }

    /// The finding at `path` (there must be one).
    fn finding_at(&self, path: &str) -> serde_json::Value {
        self.findings()
            .into_iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no finding at {path}: {}", self.stdout))
    }

    fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.contains("warning:"))
            .collect()
    }
}

#[test]
fn a_second_run_reads_nothing_and_reports_exactly_what_an_uncached_run_reports() {
    let s = Setup::new();
    let first = s.history(&[]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let blobs = first.scanned();
    assert!(blobs >= 8, "{}", first.stderr);
    assert_eq!(first.cached(), 0, "{}", first.stderr);
    assert!(first.warnings().is_empty(), "{}", first.stderr);

    let second = s.history(&[]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert_eq!(second.scanned(), 0, "{}", second.stderr);
    assert_eq!(second.cached(), blobs, "{}", second.stderr);
    assert!(second.warnings().is_empty(), "{}", second.stderr);

    let uncached = s.history(&["--no-cache"]);
    assert_eq!(uncached.scanned(), blobs);
    // The walk was replayed, not redone, yet the summary counts the same commits and blobs.
    assert!(
        first
            .stderr
            .contains("walk over commits and trees recorded"),
        "{}",
        first.stderr
    );
    assert!(
        second
            .stderr
            .contains("walk over commits and trees replayed"),
        "{}",
        second.stderr
    );
    assert_eq!(heading(&second), heading(&uncached));
    assert!(
        heading(&second).starts_with("history: 3 commits, "),
        "{}",
        second.stderr
    );
    // Byte for byte: rule, place, commit and path (recomputed by the walk), line, secret's
    // fingerprint, metadata, occurrences, and the archive member's path.
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(second.stdout, uncached.stdout);
    assert_eq!(second.skipped_and_notes(), uncached.skipped_and_notes());
    assert!(
        uncached
            .skipped_and_notes()
            .iter()
            .any(|l| l.contains("binary"))
            && uncached
                .skipped_and_notes()
                .iter()
                .any(|l| l.contains("notebook.ipynb")),
        "{}",
        uncached.stderr
    );
    let findings = second.findings();
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"src/app.py"), "{paths:?}");
    assert!(paths.contains(&"dist/bundle.zip!conf/.env"), "{paths:?}");
    assert!(
        findings
            .iter()
            .all(|f| f["provenance"]["commit"].as_str().unwrap().len() == 40),
        "{findings:?}"
    );
    // The inline-allowed fixture stays allowed when replayed.
    assert!(!paths.contains(&"tests/fixture.py"), "{paths:?}");
    assert!(
        second.stderr.contains("1 allowed (1 inline)"),
        "{}",
        second.stderr
    );
}

/// The summary's `history: N commits, M unique blobs`.
fn heading(run: &Run) -> String {
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("history: "))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let at = line.find("history: ").unwrap();
    line[at..line.find("; scanned").unwrap()].to_string()
}

#[test]
fn moved_refs_are_walked_again() {
    let s = Setup::new();
    // A branch whose only commit holds a secret, audited (walk recorded, blobs cached)...
    git(&s.repo, &["checkout", "-q", "-b", "leak"]);
    s.write("leak.env", &format!("HF_TOKEN={}\n", token(20)));
    s.commit("leak");
    git(&s.repo, &["checkout", "-q", "main"]);
    let with_branch = s.history(&[]);
    assert!(with_branch.stdout.contains("leak.env"));
    assert_eq!(s.history(&[]).stdout, with_branch.stdout);
    // ...then deleted: no ref reaches that commit, so it must not be reported from a replay.
    git(&s.repo, &["branch", "-q", "-D", "leak"]);
    let after = s.history(&[]);
    assert!(
        after
            .stderr
            .contains("walk over commits and trees recorded"),
        "{}",
        after.stderr
    );
    assert!(!after.stdout.contains("leak.env"), "{}", after.stdout);
    assert_eq!(after.scanned(), 0, "{}", after.stderr);
    let uncached = s.history(&["--no-cache"]);
    assert_eq!(after.stdout, uncached.stdout);
    assert_eq!(heading(&after), heading(&uncached));
    // A new tag on an old commit reaches nothing new: the record is continued, with nothing.
    git(&s.repo, &["tag", "old", "HEAD~1"]);
    let tagged = s.history(&[]);
    assert!(
        tagged.stderr.contains("continued from it (0 new commits)"),
        "{}",
        tagged.stderr
    );
    assert_eq!(tagged.stdout, s.history(&["--no-cache"]).stdout);
    // One branch audited alone has a walk of its own.
    let branch = s.history(&["--branch", "HEAD~1"]);
    assert_eq!(
        s.history(&["--branch", "HEAD~1"]).stdout,
        s.history(&["--branch", "HEAD~1", "--no-cache"]).stdout
    );
    assert!(!branch.stdout.contains("tests/fixture.py"));
    // `--all-objects` walks every time (what no ref reaches changes without a ref moving),
    // but its blobs come from the cache: the deleted branch's secret is back, as unreachable.
    let all = s.history(&["--all-objects"]);
    assert!(all.stdout.contains("leak.env"), "{}", all.stdout);
    assert!(!all.stderr.contains("walk over commits"), "{}", all.stderr);
    assert_eq!(
        all.stdout,
        s.history(&["--all-objects", "--no-cache"]).stdout
    );
    assert_eq!(s.history(&["--all-objects"]).scanned(), 0);
}

#[test]
fn after_a_new_commit_only_its_new_blobs_are_scanned() {
    let s = Setup::new();
    let first = s.history(&[]);
    let before = first.scanned();
    s.write("src/new.py", &format!("TOKEN = \"{}\"\n", token(9)));
    s.write("README.md", "# demo, edited\n");
    let commit = s.commit("fourth");
    let second = s.history(&[]);
    assert_eq!(second.scanned(), 2, "{}", second.stderr);
    assert_eq!(second.cached(), before, "{}", second.stderr);
    // Nor are the old commits walked again: the recorded walk goes on from the new one.
    assert!(
        second.stderr.contains("continued from it (1 new commit)"),
        "{}",
        second.stderr
    );
    assert_reported_as_uncached(&s, &second);
    let new = second.finding_at("src/new.py");
    assert_eq!(new["provenance"]["commit"], commit.as_str());
}

/// `run` reports byte for byte what an uncached audit reports, with the same summary.
fn assert_reported_as_uncached(s: &Setup, run: &Run) {
    let uncached = s.history(&["--no-cache"]);
    assert_eq!(run.stdout, uncached.stdout);
    assert_eq!(heading(run), heading(&uncached));
}

#[test]
fn a_merged_branch_is_walked_from_its_own_commits_and_reported_as_a_fresh_audit_would() {
    let s = Setup::new();
    s.history(&[]);
    git(&s.repo, &["checkout", "-q", "-b", "feature"]);
    s.write("feature/settings.py", &format!("HF = \"{}\"\n", token(31)));
    let leak = s.commit("feature: settings");
    s.write("feature/settings.py", "HF = os.environ[\"HF\"]\n");
    s.commit("feature: read it from the environment");
    git(&s.repo, &["checkout", "-q", "main"]);
    git(
        &s.repo,
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
    );
    let merged = s.history(&[]);
    assert!(
        merged.stderr.contains("continued from it (3 new commits)"),
        "{}",
        merged.stderr
    );
    assert_eq!(merged.scanned(), 2, "{}", merged.stderr);
    assert_reported_as_uncached(&s, &merged);
    let found = merged.finding_at("feature/settings.py");
    assert_eq!(found["provenance"]["commit"], leak.as_str());
}

#[test]
fn allowlists_and_baselines_apply_to_cached_findings_without_a_rescan() {
    let s = Setup::new();
    let first = s.history(&[]);
    let findings = first.findings().len();
    // A config outside the repository that allows a path: no rule changes, so no rescan.
    let config = s.cache.parent().unwrap().join("allow.toml");
    std::fs::write(&config, "[allowlist]\npaths = [\"dist/**\"]\n").unwrap();
    let allowed = s.history(&["--config", config.to_str().unwrap()]);
    assert_eq!(allowed.scanned(), 0, "{}", allowed.stderr);
    assert_eq!(allowed.findings().len(), findings - 1, "{}", allowed.stdout);
    let uncached = s.history(&["--config", config.to_str().unwrap(), "--no-cache"]);
    assert_eq!(allowed.stdout, uncached.stdout);
    // A baseline of every finding: the replayed findings are all accepted.
    let baseline = s.cache.parent().unwrap().join("baseline.json");
    let written = s.run(&["history", "--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(written.code, 0, "{}", written.stderr);
    let clean = s.history(&["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert_eq!(clean.scanned(), 0, "{}", clean.stderr);
    assert!(clean.findings().is_empty());
}

use crate::common::workflow::ACME_RULE;

#[test]
fn a_rule_change_misses_the_cache() {
    let s = Setup::new();
    s.write("acme.txt", "ACME_KEY=acme_h3k9q2w8e7r6t5y4u1i0o9p8\n");
    s.commit("acme");
    let first = s.history(&[]);
    let blobs = first.scanned();
    assert!(!first.stdout.contains("acme-api-key"));
    let config = s.cache.parent().unwrap().join("rules.toml");
    std::fs::write(&config, ACME_RULE).unwrap();
    let with_rule = s.history(&["--config", config.to_str().unwrap()]);
    assert_eq!(with_rule.scanned(), blobs, "{}", with_rule.stderr);
    assert_eq!(with_rule.cached(), 0, "{}", with_rule.stderr);
    assert!(
        with_rule.stdout.contains("acme-api-key"),
        "{}",
        with_rule.stdout
    );
    // Each rule set keeps its own entries: both are served from the cache now.
    let again = s.history(&["--config", config.to_str().unwrap()]);
    assert_eq!(again.scanned(), 0, "{}", again.stderr);
    assert_eq!(again.stdout, with_rule.stdout);
    let defaults = s.history(&[]);
    assert_eq!(defaults.scanned(), 0, "{}", defaults.stderr);
    assert_eq!(defaults.stdout, first.stdout);
    // A different size limit is another identity too.
    let limited = s.history(&["--max-file-size", "1MiB"]);
    assert_eq!(limited.scanned(), blobs, "{}", limited.stderr);
}

#[test]
fn no_cache_writes_nothing() {
    let s = Setup::new();
    let run = s.history(&["--no-cache"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!s.cache.exists());
    let mut by_env = s.command(&["history", "--format", "json"]);
    by_env.env("KEYHOUND_NO_CACHE", "1");
    let by_env = Run::of(by_env.output().unwrap());
    assert_eq!(by_env.code, 1, "{}", by_env.stderr);
    assert!(!s.cache.exists());
}

#[test]
fn cache_clear_empties_it_and_info_counts_entries() {
    let s = Setup::new();
    let first = s.history(&[]);
    let info = s.run(&["cache", "info"]);
    assert_eq!(info.code, 0, "{}", info.stderr);
    assert!(
        info.stdout
            .contains(&format!("entries: {}", first.scanned())),
        "{}",
        info.stdout
    );
    assert!(info.stdout.contains(s.cache_file().to_str().unwrap()));
    let path = s.run(&["cache", "path"]);
    assert_eq!(path.stdout.trim(), s.cache_file().to_str().unwrap());
    let clear = s.run(&["cache", "clear"]);
    assert_eq!(clear.code, 0, "{}", clear.stderr);
    assert!(!s.cache_file().exists());
    let after = s.history(&[]);
    assert_eq!(after.scanned(), first.scanned(), "{}", after.stderr);
    assert!(s.run(&["cache", "clear"]).stdout.starts_with("removed "));
    let again = s.run(&["cache", "clear"]);
    assert!(again.stdout.contains("no scan cache"), "{}", again.stdout);
}

#[test]
fn a_corrupt_cache_file_warns_once_and_the_scan_is_complete() {
    let s = Setup::new();
    let reference = s.history(&["--no-cache"]);
    std::fs::create_dir_all(&s.cache).unwrap();
    std::fs::write(
        s.cache_file(),
        b"this is no database, just bytes ".repeat(200),
    )
    .unwrap();
    let run = s.history(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, reference.stdout);
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("scan cache") && warnings[0].contains("keyhound cache clear"),
        "{}",
        warnings[0]
    );
    assert!(s.run(&["cache", "info"]).code == 2);
    assert_eq!(s.run(&["cache", "clear"]).code, 0);
    let fixed = s.history(&[]);
    assert!(fixed.warnings().is_empty(), "{}", fixed.stderr);
    assert_eq!(fixed.stdout, reference.stdout);
    assert_eq!(s.history(&[]).scanned(), 0);
}

#[test]
fn a_cache_in_use_by_another_run_is_skipped_with_a_warning() {
    let s = Setup::new();
    let reference = s.history(&["--no-cache"]);
    // Another run holds the cache: this process opens it through the library.
    let identity = [7u8; 32];
    let held = keyhound::cache::ScanCache::open(&s.cache, &identity).expect("opens");
    let run = s.history(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, reference.stdout);
    assert_eq!(run.scanned(), reference.scanned());
    let warnings = run.warnings();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("in use by another keyhound run"),
        "{}",
        warnings[0]
    );
    drop(held);
    assert!(s.history(&[]).warnings().is_empty());
}

#[test]
fn two_concurrent_runs_both_succeed_with_the_same_findings() {
    let s = Setup::new();
    let reference = s.history(&["--no-cache"]);
    for _ in 0..2 {
        let children: Vec<_> = (0..2)
            .map(|_| {
                s.command(&["history", "--format", "json"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let run = Run::of(child.wait_with_output().unwrap());
            assert_eq!(run.code, 1, "{}", run.stderr);
            assert_eq!(run.stdout, reference.stdout, "{}", run.stderr);
        }
    }
    // Whatever interleaving happened, the cache is whole afterwards.
    let after = s.history(&[]);
    assert!(after.warnings().is_empty(), "{}", after.stderr);
    assert_eq!(after.stdout, reference.stdout);
}

#[test]
fn the_cache_is_never_inside_the_scanned_repository() {
    let s = Setup::new();
    let reference = s.history(&["--no-cache"]);
    for inside in [s.repo.join(".git/keyhound"), s.repo.join("cache")] {
        let mut cmd = s.command(&["history", "--format", "json"]);
        cmd.env("KEYHOUND_CACHE_DIR", &inside);
        let run = Run::of(cmd.output().unwrap());
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout, reference.stdout);
        assert!(
            run.warnings()
                .iter()
                .any(|w| w.contains("inside the scanned repository")),
            "{}",
            run.stderr
        );
        assert!(!inside.exists(), "{}", inside.display());
    }
    // By default the cache lives in the user's cache directory.
    let home = s.cache.parent().unwrap().join("home");
    let mut cmd = s.command(&["history", "--format", "json"]);
    cmd.env_remove("KEYHOUND_CACHE_DIR")
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"));
    let run = Run::of(cmd.output().unwrap());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(home.join(".cache/keyhound/scan-cache.redb").is_file());
    let mut path = s.command(&["cache", "path"]);
    path.env_remove("KEYHOUND_CACHE_DIR")
        .env("XDG_CACHE_HOME", home.join(".cache"));
    let path = Run::of(path.output().unwrap());
    assert_eq!(
        path.stdout.trim(),
        home.join(".cache/keyhound/scan-cache.redb")
            .to_str()
            .unwrap()
    );
}

#[cfg(unix)]
#[test]
fn the_cache_file_is_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    // A directory made wider beforehand is narrowed: the file holds raw secrets.
    std::fs::create_dir_all(&s.cache).unwrap();
    std::fs::set_permissions(&s.cache, std::fs::Permissions::from_mode(0o755)).unwrap();
    s.history(&[]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&s.cache), 0o700);
    assert_eq!(mode(&s.cache_file()), 0o600);
    // A shared directory (sticky, as /tmp) named as the cache directory is left as it is:
    // the file alone is made private.
    let shared = s.cache.parent().unwrap().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let mut cmd = s.command(&["history", "--format", "json"]);
    cmd.env("KEYHOUND_CACHE_DIR", &shared);
    assert_eq!(Run::of(cmd.output().unwrap()).code, 1);
    let full_mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o7777;
    assert_eq!(full_mode, 0o1777);
    assert_eq!(mode(&shared.join("scan-cache.redb")), 0o600);
    // It does hold them (which is why): the raw secret is in the file.
    let bytes = std::fs::read(s.cache_file()).unwrap();
    let secret = token(1);
    assert!(bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
}

#[test]
fn range_scans_share_the_cache() {
    let s = Setup::new();
    let base = git(&s.repo, &["rev-parse", "HEAD~1"]);
    let range = format!("{base}..HEAD");
    let first = s.history(&["--range", &range]);
    assert!(first.scanned() > 0, "{}", first.stderr);
    let second = s.history(&["--range", &range]);
    assert_eq!(second.scanned(), 0, "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout);
    // And the audit finds those blobs cached.
    let audit = s.history(&[]);
    assert_eq!(audit.cached(), first.scanned(), "{}", audit.stderr);
}
