//! `keyhound install-hook`.

use std::path::PathBuf;

use clap::Args;

use super::Outcome;
use crate::error::Error;
use crate::hook::{install, Installed};

#[derive(Debug, Args)]
pub struct InstallHookArgs {
    /// Replace an existing pre-commit hook that keyhound did not write (it is kept as
    /// `pre-commit.keyhound-backup`).
    #[arg(long)]
    pub force: bool,
    /// A directory inside the repository (default: the current directory).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
}

pub fn run(args: InstallHookArgs) -> Result<Outcome, Error> {
    let exe = std::env::current_exe().map_err(|e| Error::io("<current executable>", e))?;
    let what = match install(&args.repo, &exe, args.force)? {
        Installed::Created(hook) => format!("installed pre-commit hook {}", hook.display()),
        Installed::Updated(hook) => {
            format!("updated keyhound's pre-commit hook {}", hook.display())
        }
        Installed::Replaced { hook, backup } => format!(
            "replaced pre-commit hook {} (the previous hook is kept as {})",
            hook.display(),
            backup.display()
        ),
    };
    eprintln!("keyhound: {what}; it runs `keyhound staged` before every commit");
    Ok(Outcome::Clean)
}
