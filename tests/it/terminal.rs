//! Terminal conventions (NO_COLOR only when non-empty, CLICOLOR_FORCE, TERM=dumb), and the
//! generated shell completions and man page.
//!
//! A terminal is given to keyhound with util-linux `script` (a pseudo-terminal); without it
//! those checks are skipped with a banner on the test process's stderr.

use std::path::Path;
use std::process::Command;

use crate::common::workflow::{hf_token, keyhound, write};

const ESC: char = '\u{1b}';

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", &format!("T = \"{}\"\n", hf_token(51)));
    dir
}

/// stdout of `keyhound scan .` run on a pseudo-terminal with `env`, or `None` without
/// `script`.
fn on_terminal(dir: &Path, env: &[(&str, &str)]) -> Option<String> {
    let bin = assert_cmd::cargo::cargo_bin("keyhound");
    let mut cmd = Command::new("script");
    cmd.current_dir(dir)
        .args(["-qec", &format!("{} scan . -q", bin.display()), "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("TERM", "xterm-256color")
        .env("XDG_CONFIG_HOME", dir.join(".no-user-config"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    match cmd.output() {
        Ok(out) if out.status.code().is_some() => {
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        _ => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\nWARNING: util-linux `script` is not available: terminal colour checks SKIPPED\n"
            );
            None
        }
    }
}

#[test]
fn colour_follows_no_color_clicolor_force_and_term() {
    let dir = tree();
    let Some(plain) = on_terminal(dir.path(), &[]) else {
        return;
    };
    assert!(plain.contains("huggingface-user-token"), "{plain}");
    assert!(plain.contains(ESC), "a terminal gets colour: {plain:?}");
    // NO_COLOR applies only when non-empty.
    let empty = on_terminal(dir.path(), &[("NO_COLOR", "")]).unwrap();
    assert!(empty.contains(ESC), "empty NO_COLOR turned colour off");
    let set = on_terminal(dir.path(), &[("NO_COLOR", "1")]).unwrap();
    assert!(!set.contains(ESC), "NO_COLOR=1 kept colour: {set:?}");
    let dumb = on_terminal(dir.path(), &[("TERM", "dumb")]).unwrap();
    assert!(!dumb.contains(ESC), "TERM=dumb kept colour: {dumb:?}");
    // --color never wins over everything.
    let bin = assert_cmd::cargo::cargo_bin("keyhound");
    let never = Command::new("script")
        .current_dir(dir.path())
        .args([
            "-qec",
            &format!("{} scan . -q --color never", bin.display()),
            "/dev/null",
        ])
        .env("TERM", "xterm")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&never.stdout).contains(ESC));
}

#[test]
fn pipes_get_no_escapes_unless_clicolor_force() {
    let dir = tree();
    let piped = keyhound(dir.path())
        .args(["scan", "."])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&piped.stdout);
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(stdout.contains("huggingface-user-token"));
    assert!(
        !stdout.contains(ESC) && !stderr.contains(ESC),
        "{stdout:?}{stderr:?}"
    );
    let forced = keyhound(dir.path())
        .args(["scan", "."])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains(ESC));
}

#[test]
fn completions_and_man_page_are_generated_from_the_real_flags() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = keyhound(dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        for word in ["pre-commit", "no-repo-config", "sarif-category"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = keyhound(dir.path()).arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    assert!(
        page.contains("keyhound") && page.contains("history"),
        "{page}"
    );
    let out = keyhound(dir.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
