//! `--format html`: the self-contained audit report, rendered in a real headless browser
//! (Chromium from the Debian registry; `.ci/run` installs it). Without `chromium` the browser
//! checks are skipped with a banner on the test process's stderr, or fail when
//! `KEYHOUND_REQUIRE_CHROMIUM` is set; the checks on the file itself always run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::workflow::{git, hf_token, init_repo, keyhound, write};

/// A repository whose history holds a removed secret (with a hostile commit summary) and a
/// secret still in HEAD.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init_repo(dir.path());
    write(dir.path(), "old.py", &format!("T = \"{}\"\n", hf_token(61)));
    git(dir.path(), &["add", "-A"]);
    git(
        dir.path(),
        &["commit", "-q", "-m", "add <script>alert(1)</script>"],
    );
    git(dir.path(), &["rm", "-q", "old.py"]);
    git(dir.path(), &["commit", "-q", "-m", "remove it"]);
    write(
        dir.path(),
        "cfg/new.py",
        &format!("T = \"{}\"\n", hf_token(62)),
    );
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "new"]);
    dir
}

fn report(dir: &Path, extra: &[&str]) -> (PathBuf, String) {
    let path = dir.join("report.html");
    let out = keyhound(dir)
        .args(["history", "--format", "html", "-q", "-o"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&path).unwrap();
    (path, html)
}

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        let message = "chromium not found: HTML REPORT BROWSER CHECKS SKIPPED \
                       (apt-get install chromium)";
        if std::env::var_os("KEYHOUND_REQUIRE_CHROMIUM").is_some() {
            panic!("{message}");
        }
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "\nWARNING: {message}\n");
    }
    found
}

fn headless(browser: &Path, profile: &Path, args: &[&str], page: &Path) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs")
}

#[test]
fn the_report_is_self_contained_redacted_and_escaped() {
    let dir = repo();
    let (_, html) = report(dir.path(), &[]);
    for section in [
        "id=\"summary\"",
        "id=\"by-provider\"",
        "id=\"timeline\"",
        "id=\"findings\"",
        "id=\"commits\"",
        "id=\"authors\"",
        "id=\"paths\"",
        "id=\"rotation\"",
    ] {
        assert!(html.contains(section), "no {section}");
    }
    // No network and no external asset: nothing to fetch, no script at all.
    for fetch in ["src=", "href=", "<script", "<link", "url(", "@import"] {
        assert!(!html.contains(fetch), "report contains {fetch}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "summary not escaped"
    );
    // Redacted unless asked.
    for seed in [61, 62] {
        assert!(
            !html.contains(&hf_token(seed)),
            "raw secret {seed} in the report"
        );
    }
    let (_, shown) = report(dir.path(), &["--show-secrets"]);
    assert!(shown.contains(&hf_token(61)) && shown.contains(&hf_token(62)));
}

#[test]
fn chromium_renders_the_report_with_its_structure() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = repo();
    let (page, _) = report(dir.path(), &[]);
    let profile = tempfile::tempdir().unwrap();
    let dom = headless(&browser, profile.path(), &["--dump-dom"], &page);
    let dom = String::from_utf8_lossy(&dom.stdout);
    // What the browser built, not what keyhound wrote: two findings rows, one still in
    // HEAD and one only in history, each with its rotation advice.
    assert_eq!(dom.matches("class=\"finding\"").count(), 2, "{dom}");
    assert!(dom.contains("<b id=\"in-head-count\">1</b>"), "{dom}");
    assert!(dom.contains("<b id=\"history-only-count\">1</b>"), "{dom}");
    assert!(dom.contains("still in HEAD") && dom.contains("only in history"));
    assert!(
        dom.contains("<dt data-rule=\"huggingface-user-token\">"),
        "{dom}"
    );
    assert!(
        !dom.contains("<script>alert"),
        "the hostile summary became markup"
    );

    // A screenshot that is not blank: the rendered report compresses far worse than an
    // empty page of the same size.
    let shot = |page: &Path, name: &str| {
        let png = dir.path().join(name);
        let arg = format!("--screenshot={}", png.display());
        headless(
            &browser,
            profile.path(),
            &[&arg, "--window-size=1200,1400"],
            page,
        );
        std::fs::read(&png).unwrap_or_else(|e| panic!("no screenshot {name}: {e}"))
    };
    let blank = dir.path().join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let empty = shot(&blank, "blank.png");
    let rendered = shot(&page, "report.png");
    assert!(rendered.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        rendered.len() > 4 * empty.len(),
        "the report renders like an empty page ({} vs {} bytes)",
        rendered.len(),
        empty.len()
    );
}
