//! Output flags shared by every command that reports findings.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::finding::Finding;
use crate::report::{write_report, Format, ReportContext, ReportOptions};

#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// SARIF only: the analysis category (`automationDetails.id`), so several keyhound jobs in
    /// one repository keep separate alerts.
    #[arg(long, value_name = "CATEGORY")]
    pub sarif_category: Option<String>,
    /// Print secrets in full instead of redacted.
    #[arg(long)]
    pub show_secrets: bool,
    /// Colour the text report: auto (on a terminal), always, never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Print no summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl OutputArgs {
    /// Rejects option combinations that cannot mean what the user wants. Commands call this
    /// before scanning, so a typo costs nothing.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(category) = &self.sarif_category {
            if self.format != Format::Sarif {
                return Err(Error::Usage(
                    "--sarif-category only applies to --format sarif".into(),
                ));
            }
            if category.trim().is_empty() {
                return Err(Error::Usage("--sarif-category must not be empty".into()));
            }
        }
        Ok(())
    }

    /// Writes the report where the user asked. `context` names the rules behind the
    /// findings and, for SARIF, the repository root and revision.
    pub fn emit(&self, findings: &[Finding], context: &ReportContext) -> Result<(), Error> {
        let to_terminal = self.output.is_none() && std::io::stdout().is_terminal();
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let options = ReportOptions {
            format: self.format,
            show_secrets: self.show_secrets,
            color,
            sarif_category: self.sarif_category.clone(),
        };
        match &self.output {
            Some(path) => {
                let file = File::create(path).map_err(|e| Error::io(path, e))?;
                let mut out = BufWriter::new(file);
                write_report(&mut out, findings, &options, context)
                    .and_then(|_| out.flush())
                    .map_err(|e| Error::io(path, e))
            }
            None => {
                let stdout = std::io::stdout();
                let mut out = BufWriter::new(stdout.lock());
                match write_report(&mut out, findings, &options, context).and_then(|_| out.flush())
                {
                    // A closed pipe (`keyhound scan | head`) is not an error worth reporting.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(|e| Error::io("<stdout>", e)),
                }
            }
        }
    }

    /// Prints the summary on stderr unless `--quiet`.
    pub fn summarize(&self, line: &str) {
        if !self.quiet {
            eprintln!("keyhound: {line}");
        }
    }

    /// Prints the decoders' notes (malformed or cut input, and where) on stderr unless
    /// `--quiet`, so a skipped member is never silent.
    pub fn notes(&self, stats: &crate::scan::Stats) {
        if self.quiet {
            return;
        }
        let kept = stats.notes();
        for note in &kept {
            eprintln!("keyhound: note: {note}");
        }
        let total = crate::scan::Stats::get(&stats.notes_total);
        if total > kept.len() as u64 {
            eprintln!("keyhound: note: … and {} more", total - kept.len() as u64);
        }
    }
}
