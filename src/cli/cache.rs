//! `keyhound cache`: where the scan cache lives, what it holds, and emptying it.

use std::io::Write;

use clap::{Args, Subcommand};

use super::Outcome;
use crate::error::Error;
use crate::run;

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    pub command: CacheCommand,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Delete the scan cache (it holds raw secrets); the next history scan rebuilds it. Also
    /// the cure for a cache file that cannot be read.
    Clear,
    /// Show where the scan cache is, its size, and its entries per rule set.
    Info,
    /// Print the scan cache file's path.
    Path,
}

pub fn run(args: CacheArgs) -> Result<Outcome, Error> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.command {
        CacheCommand::Clear => {
            let (path, removed) = run::cache::clear()?;
            if removed {
                writeln!(out, "removed {}", path.display())
            } else {
                writeln!(out, "no scan cache at {}", path.display())
            }
        }
        CacheCommand::Path => writeln!(out, "{}", run::cache::path()?.display()),
        CacheCommand::Info => {
            let info = run::cache::info()?;
            show_info(&mut out, &info)
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(Outcome::Clean),
    }
}

fn show_info(out: &mut dyn Write, info: &run::cache::CacheInfo) -> std::io::Result<()> {
    writeln!(out, "path: {}", info.path.display())?;
    let Some(bytes) = info.bytes else {
        return writeln!(out, "no cache file yet");
    };
    writeln!(out, "size: {bytes} bytes")?;
    let total: u64 = info.identities.iter().map(|(_, n)| n).sum();
    writeln!(out, "entries: {total}")?;
    for (identity, entries) in &info.identities {
        writeln!(out, "  rule set {identity}: {entries} blobs")?;
    }
    writeln!(out, "recorded walks: {} repositories", info.walks)
}
