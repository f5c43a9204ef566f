//! `keyhound install-hook`: a git pre-commit hook that runs `keyhound staged`.
//!
//! The hook goes where git will run it: `core.hooksPath` when set (relative paths are taken
//! from the working-tree root, as git does), else the `hooks/` directory of the repository's
//! common git dir (shared by all worktrees). A hook keyhound did not write is never
//! overwritten unless asked, and then it is kept as a backup: a pre-commit hook is often the
//! only copy of somebody's carefully written script.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// The line that marks a hook as keyhound's, so reinstalling may update it.
pub const MARKER: &str = "# keyhound-managed-hook";

/// What [`install`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installed {
    /// No hook was there; one was written.
    Created(PathBuf),
    /// keyhound's own hook was there; it was rewritten (it may name a newer binary).
    Updated(PathBuf),
    /// Another hook was there and `force` was given; it was moved to `backup`.
    Replaced { hook: PathBuf, backup: PathBuf },
}

/// Where git looks for hooks in the repository containing `start`.
pub fn hooks_dir(start: &Path) -> Result<PathBuf, Error> {
    let repo = git2::Repository::discover(start).map_err(|source| Error::Git {
        context: format!("{}: not inside a git repository", start.display()),
        source,
    })?;
    let configured = repo
        .config()
        .ok()
        .and_then(|c| c.get_path("core.hooksPath").ok());
    Ok(match configured {
        Some(path) if path.is_absolute() => path,
        Some(path) => repo.workdir().unwrap_or_else(|| repo.path()).join(path),
        None => repo.commondir().join("hooks"),
    })
}

/// The hook script. It prefers the binary that installed it (so a hook installed from a
/// checkout keeps working), falls back to `keyhound` on PATH, and fails loudly rather than
/// letting commits through unscanned when neither exists.
pub fn script(keyhound: &Path) -> String {
    let exe = keyhound.to_string_lossy().replace('\'', r"'\''");
    format!(
        r#"#!/bin/sh
{MARKER}: written by `keyhound install-hook`, which may rewrite it.
# Blocks a commit whose staged changes add a secret. Bypass once: git commit --no-verify
# Remove: delete this file.
KEYHOUND='{exe}'
if [ ! -x "$KEYHOUND" ]; then
  KEYHOUND=keyhound
fi
if ! command -v "$KEYHOUND" >/dev/null 2>&1; then
  echo "keyhound pre-commit hook: keyhound is not installed or not on PATH; install it, or delete $0" >&2
  exit 1
fi
exec "$KEYHOUND" staged
"#
    )
}

/// Writes the pre-commit hook for the repository containing `start`, running `keyhound`.
pub fn install(start: &Path, keyhound: &Path, force: bool) -> Result<Installed, Error> {
    let dir = hooks_dir(start)?;
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let hook = dir.join("pre-commit");
    let existing = match std::fs::read(&hook) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&hook, e)),
    };
    let outcome = match existing {
        None => Installed::Created(hook.clone()),
        Some(bytes) if String::from_utf8_lossy(&bytes).contains(MARKER) => {
            Installed::Updated(hook.clone())
        }
        Some(_) if !force => {
            return Err(Error::Usage(format!(
                "{}: a pre-commit hook keyhound did not write is already there; left it \
                 untouched. Rerun with --force to replace it (it will be kept as a backup), \
                 or call `keyhound staged` from it yourself",
                hook.display()
            )))
        }
        Some(_) => {
            let backup = free_backup_path(&hook);
            std::fs::rename(&hook, &backup).map_err(|e| Error::io(&hook, e))?;
            Installed::Replaced {
                hook: hook.clone(),
                backup,
            }
        }
    };
    std::fs::write(&hook, script(keyhound)).map_err(|e| Error::io(&hook, e))?;
    make_executable(&hook)?;
    Ok(outcome)
}

/// `pre-commit.keyhound-backup`, or `…-backup.2`, `.3`, … so no earlier backup is lost.
fn free_backup_path(hook: &Path) -> PathBuf {
    let base = hook.with_file_name("pre-commit.keyhound-backup");
    if !base.exists() {
        return base;
    }
    (2..)
        .map(|n| hook.with_file_name(format!("pre-commit.keyhound-backup.{n}")))
        .find(|p| !p.exists())
        .expect("some backup name is free")
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| Error::io(path, e))
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<(), Error> {
    // Git for Windows runs hooks through its own sh; no permission bit is needed.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_quotes_the_binary_path_and_runs_staged() {
        let s = script(Path::new("/opt/it's/keyhound"));
        assert!(s.starts_with("#!/bin/sh\n"));
        assert!(s.contains(MARKER));
        assert!(s.contains(r"KEYHOUND='/opt/it'\''s/keyhound'"));
        assert!(s.trim_end().ends_with("exec \"$KEYHOUND\" staged"));
    }
}
