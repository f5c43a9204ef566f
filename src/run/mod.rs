//! Commands as library calls. Each driver runs a [`Plan`] over one source and hands what it
//! found to [`finish`], the step every command ends with: the end of the filter stage
//! (repeats, baseline), the report, the summary line and the outcome.
//!
//! Drivers never print: what a person should read on stderr comes back in a [`Conclusion`],
//! and the command line decides how to show it.

pub mod cache;
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
    /// A report in `options.format`.
    Report {
        options: ReportOptions,
        to: Destination,
    },
    /// A baseline accepting every finding; the run is clean.
    Baseline { to: Destination },
}

impl Sink {
    /// A report to `path` (stdout when `None`), its file opened now: see [`OutputFile`].
    pub fn report(options: ReportOptions, path: Option<PathBuf>) -> Result<Sink, Error> {
        Ok(Sink::Report {
            options,
            to: Destination::open(path)?,
        })
    }

    /// A baseline to `path` (`-` for stdout), its file opened now.
    pub fn baseline(path: PathBuf) -> Result<Sink, Error> {
        let path = (path.as_os_str() != "-").then_some(path);
        Ok(Sink::Baseline {
            to: Destination::open(path)?,
        })
    }
}

/// Standard output, or a file.
pub enum Destination {
    Stdout,
    File(OutputFile),
}

impl Destination {
    fn open(path: Option<PathBuf>) -> Result<Destination, Error> {
        Ok(match path {
            Some(path) => Destination::File(OutputFile::create(path)?),
            None => Destination::Stdout,
        })
    }

    pub fn is_stdout(&self) -> bool {
        matches!(self, Destination::Stdout)
    }

    /// As the summary names it: the path, or `-`.
    fn name(&self) -> String {
        match self {
            Destination::Stdout => "-".into(),
            Destination::File(file) => file.path.display().to_string(),
        }
    }
}

/// A file a run writes, opened when the sink is made, before anything is scanned: a path
/// that cannot be written (a typo, a missing directory, no permission) fails at once, not
/// after an hour-long audit. It is opened as a temporary file beside the destination,
/// created exclusively (`O_EXCL`) under a random name so a planted `path.tmp` symlink can
/// redirect nothing, and renamed into place when written: an interrupted run never leaves
/// a truncated file behind (a truncated baseline would un-suppress everything), and a
/// symlink at the path is replaced, never written through.
///
/// A character device or a FIFO (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written
/// to directly instead: renaming a file over it would replace the device node itself (as
/// root, `-o /dev/null` turned `/dev/null` into a regular file for the whole machine).
pub struct OutputFile {
    path: PathBuf,
    /// The file opened for the first write; later writes (one per pushed ref) open anew.
    opened: std::sync::Mutex<Option<tempfile::NamedTempFile>>,
    /// The path is a character device or FIFO: written in place, never replaced.
    special: bool,
}

impl OutputFile {
    fn create(path: PathBuf) -> Result<OutputFile, Error> {
        if is_special(&path)? {
            return Ok(OutputFile {
                path,
                opened: std::sync::Mutex::new(None),
                special: true,
            });
        }
        let opened = temp_beside(&path)?;
        Ok(OutputFile {
            path,
            opened: std::sync::Mutex::new(Some(opened)),
            special: false,
        })
    }

    /// Writes the file's whole content through `write` and renames it into place.
    fn write(
        &self,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let path = &self.path;
        if self.special {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            let mut out = BufWriter::new(file);
            return write(&mut out)
                .and_then(|_| out.flush())
                .map_err(|e| Error::io(path, e));
        }
        let opened = self.opened.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut tmp = match opened {
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
    /// Said whatever `--quiet` says, before the summary: a report that lacks results.
    pub warnings: Vec<String>,
    /// Said last, whatever `--quiet` says: what to do next (a blocked commit).
    pub advice: Option<String>,
    /// How many findings were reported.
    pub reported: usize,
    /// Said with `-v`: which config applied, then each entry skipped and why.
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
        Sink::Report { options, to } => {
            if !options.show_secrets {
                redact_free_text(plan, &mut findings);
            }
            warnings.extend(write_findings(&findings, options, &context, to)?);
            if findings.is_empty() {
                Outcome::Clean
            } else {
                Outcome::Findings
            }
        }
        Sink::Baseline { to } => {
            let baseline = Baseline::from_findings(&findings);
            write_baseline(to, &baseline)?;
            summary.push_str(&format!(
                "; wrote {} baselined secret{} to {}",
                baseline.len(),
                if baseline.len() == 1 { "" } else { "s" },
                to.name()
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
        warnings,
        advice: None,
        reported: findings.len(),
        details: std::iter::once(plan.config_source.to_string())
            .chain(stats.skipped_names())
            .collect(),
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

/// Writes the report to `to`; returns what the report writer warned about.
pub fn write_findings(
    findings: &[Finding],
    options: &ReportOptions,
    context: &ReportContext<'_>,
    to: &Destination,
) -> Result<Vec<String>, Error> {
    match to {
        Destination::File(file) => {
            let mut warnings = Vec::new();
            file.write(&mut |out| {
                warnings = write_report(out, findings, options, context)?;
                Ok(())
            })?;
            Ok(warnings)
        }
        Destination::Stdout => {
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

/// Writes `baseline` to `to`.
fn write_baseline(to: &Destination, baseline: &Baseline) -> Result<(), Error> {
    let text = baseline.to_json();
    match to {
        Destination::Stdout => match std::io::stdout().write_all(text.as_bytes()) {
            // `baseline create -o - | head` is as normal as `scan | head`.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
            _ => Ok(()),
        },
        Destination::File(file) => file.write(&mut |out| out.write_all(text.as_bytes())),
    }
}

/// Whether `path` (followed through symlinks) is a character device or a FIFO, which an
/// output is written into rather than replaced. A block device is refused: a report has no
/// business overwriting a disk.
fn is_special(path: &Path) -> Result<bool, Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let kind = meta.file_type();
            if kind.is_block_device() {
                return Err(Error::io(
                    path,
                    std::io::Error::new(std::io::ErrorKind::InvalidInput, "is a block device"),
                ));
            }
            return Ok(kind.is_char_device() || kind.is_fifo());
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(false)
}

/// A new temporary file in `path`'s directory (see [`OutputFile`]).
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
