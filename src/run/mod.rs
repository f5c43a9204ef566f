//! Commands as library calls. Each driver runs a [`Plan`] over one source and hands what it
//! found to [`finish`], the step every command ends with: the end of the filter stage
//! (repeats, baseline), the report, the summary line and the outcome.
//!
//! Drivers never print: what a person should read on stderr comes back in a [`Conclusion`],
//! and the command line decides how to show it.

pub mod history;
pub mod hooks;
pub mod rules;
pub mod staged;
pub mod tree;

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Error;
use crate::filter::Baseline;
use crate::finding::Finding;
use crate::plan::Plan;
use crate::report::{write_report, ReportContext, ReportOptions};
use crate::scanner::Stats;

/// What a driver found, and what the summary should say about the source.
pub struct Scanned<'a> {
    pub findings: Vec<Finding>,
    /// Opens the summary (`history: 3 commits, 10 unique blobs`); `None` for a tree scan.
    pub heading: Option<String>,
    /// Ends the summary: what the source skipped (`; 2 missing objects skipped ...`).
    pub trailer: String,
    /// Said before the summary (which commits a range scan covers).
    pub preamble: Vec<String>,
    /// For the report: the rules behind the findings, and for SARIF the repository.
    pub context: ReportContext<'a>,
    pub stats: Stats,
    pub started: Instant,
}

/// Where a run's findings go.
pub enum Sink {
    /// A report in `options.format`, to `path` (stdout when `None`).
    Report {
        options: ReportOptions,
        path: Option<PathBuf>,
    },
    /// A baseline accepting every finding, to `path` (`-` for stdout); the run is clean.
    Baseline { path: PathBuf },
}

/// The outcome of a command that did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

/// What a run concluded, for the command line to show.
#[derive(Debug)]
pub struct Conclusion {
    pub outcome: Outcome,
    /// Said before the summary, unless quiet.
    pub preamble: Vec<String>,
    /// The one-line summary, unless quiet.
    pub summary: String,
    /// Decoder notes (what was malformed or cut, and where), unless quiet.
    pub notes: Vec<String>,
    /// The entries skipped, by name (for `--verbose`).
    pub skipped: Vec<String>,
    /// Said whatever `--quiet` says, before the summary: a report that lacks results.
    pub warnings: Vec<String>,
    /// Said last, whatever `--quiet` says: what to do next (a blocked commit).
    pub advice: Option<String>,
    /// How many findings were reported.
    pub reported: usize,
    /// Said with `-v`: which config applied, what was skipped and why.
    pub details: Vec<String>,
}

/// The step every command ends with.
pub fn finish(plan: &Plan, scanned: Scanned<'_>, sink: &Sink) -> Result<Conclusion, Error> {
    let Scanned {
        mut findings,
        heading,
        trailer,
        preamble,
        context,
        stats,
        started,
    } = scanned;
    plan.filter.finish(&mut findings);
    // What the source warned about (a range that edits the scan's own config) is said
    // whatever `--quiet` says, and SARIF carries it too.
    let mut warnings: Vec<String> = context.warnings.clone();
    let counts = stats.summary(findings.len(), started.elapsed());
    let mut summary = match heading {
        Some(heading) => format!("{heading}; {counts}"),
        None => counts,
    };
    summary.push_str(&trailer);
    summary.push_str(&plan.filter.suppressed.summary());
    let outcome = match sink {
        Sink::Report { options, path } => {
            if !options.show_secrets {
                redact_free_text(plan, &mut findings);
            }
            warnings.extend(write_findings(
                &findings,
                options,
                &context,
                path.as_deref(),
            )?);
            if findings.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Findings
            }
        }
        Sink::Baseline { path } => {
            let baseline = Baseline::from_findings(&findings);
            write_baseline(path, &baseline)?;
            summary.push_str(&format!(
                "; wrote {} baselined secret{} to {}",
                baseline.len(),
                if baseline.len() == 1 { "" } else { "s" },
                path.display()
            ));
            // Recording findings is what was asked; it is not a failure.
            Outcome::Clean
        }
    };
    Ok(Conclusion {
        outcome,
        preamble,
        summary,
        notes: notes(&stats),
        skipped: stats.skipped_names(),
        warnings,
        advice: None,
        reported: findings.len(),
        details: vec![plan.config_source.to_string()],
    })
}

/// Redacts the secrets in what a report shows besides the scanned line: paths (a file or
/// archive member named after a token), commit summaries, authors and ref names. Each
/// distinct string is searched once, however many findings share it.
fn redact_free_text(plan: &Plan, findings: &mut [Finding]) {
    let engine = &plan.scanner.engine;
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut redact = |text: &mut String| {
        if text.is_empty() {
            return;
        }
        let clean = seen
            .entry(text.clone())
            .or_insert_with(|| crate::scanner::redact_found(engine, text));
        if clean != text {
            text.clone_from(clean);
        }
    };
    for f in findings {
        redact(&mut f.location.path);
        if let Some(p) = &mut f.provenance {
            redact(&mut p.summary);
            redact(&mut p.author_name);
            redact(&mut p.author_email);
            for o in &mut p.occurrences {
                redact(&mut o.path);
            }
        }
    }
}

/// Writes the report to `path`, or stdout; returns what the report writer warned about.
pub fn write_findings(
    findings: &[Finding],
    options: &ReportOptions,
    context: &ReportContext<'_>,
    path: Option<&Path>,
) -> Result<Vec<String>, Error> {
    match path {
        Some(path) => {
            let mut warnings = Vec::new();
            write_atomically(path, &mut |out| {
                warnings = write_report(out, findings, options, context)?;
                Ok(())
            })?;
            Ok(warnings)
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            match write_report(&mut out, findings, options, context)
                .and_then(|w| out.flush().map(|_| w))
            {
                Ok(warnings) => Ok(warnings),
                // A closed pipe (`keyhound scan | head`) is not an error worth reporting.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Vec::new()),
                Err(e) => Err(Error::io("<stdout>", e)),
            }
        }
    }
}

/// The decoder notes kept, and how many more there were.
fn notes(stats: &Stats) -> Vec<String> {
    let mut notes = stats.notes();
    let total = Stats::get(&stats.notes_total);
    if total > notes.len() as u64 {
        notes.push(format!("… and {} more", total - notes.len() as u64));
    }
    notes
}

/// Writes `baseline` to `output` (`-` for stdout).
pub fn write_baseline(output: &Path, baseline: &Baseline) -> Result<(), Error> {
    let text = baseline.to_json();
    if output.as_os_str() == "-" {
        match std::io::stdout().write_all(text.as_bytes()) {
            // `baseline create -o - | head` is as normal as `scan | head`.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
            _ => Ok(()),
        }
    } else {
        write_atomically(output, &mut |out| out.write_all(text.as_bytes()))
    }
}

/// Output files opened before the scan ([`Sink::prepare`]), by destination.
static PREPARED: std::sync::Mutex<Vec<(PathBuf, tempfile::NamedTempFile)>> =
    std::sync::Mutex::new(Vec::new());

impl Sink {
    /// Opens the output file before anything is scanned, so a path that cannot be written
    /// (a typo, a missing directory, no permission) fails at once, not after an hour-long
    /// audit: a temporary file beside the destination, renamed into place at the end.
    pub fn prepare(&self) -> Result<(), Error> {
        let path = match self {
            Sink::Report {
                path: Some(path), ..
            } => path,
            Sink::Baseline { path } if path.as_os_str() != "-" => path,
            _ => return Ok(()),
        };
        let tmp = temp_beside(path)?;
        PREPARED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.clone(), tmp));
        Ok(())
    }
}

/// A new temporary file in `path`'s directory: created exclusively (`O_EXCL`) under a random
/// name, so a planted `path.tmp` symlink can redirect nothing.
fn temp_beside(path: &Path) -> Result<tempfile::NamedTempFile, Error> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "is a directory"),
        ));
    }
    tempfile::Builder::new()
        .prefix(".keyhound-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(path, e))
}

/// Writes `path` through a temporary file beside it (the one [`Sink::prepare`] opened, or a
/// new one) and a rename, so an interrupted run never leaves a truncated file behind (a
/// truncated baseline would un-suppress everything) and a symlink at `path` is replaced,
/// never written through.
fn write_atomically(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let prepared = {
        let mut all = PREPARED.lock().unwrap_or_else(|e| e.into_inner());
        all.iter()
            .position(|(p, _)| p == path)
            .map(|i| all.swap_remove(i).1)
    };
    let mut tmp = match prepared {
        Some(tmp) => tmp,
        None => temp_beside(path)?,
    };
    {
        let mut out = BufWriter::new(tmp.as_file_mut());
        write(&mut out)
            .and_then(|_| out.flush())
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}
