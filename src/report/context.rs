//! What a report needs besides the findings: the rules that produced them (SARIF describes
//! each rule once) and, for SARIF, where the repository root is and which revision was
//! scanned. Commands build one with [`ReportContext::new`] and add what they know.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::rules::Rule;

/// How finding paths relate to the root SARIF's `%SRCROOT%` stands for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SrcRoot {
    /// Paths are already relative to the root (history: paths inside a commit).
    #[default]
    Given,
    /// Paths are relative to `cwd` (or absolute) and are rebased onto `root`; both absolute
    /// and canonical.
    Dir { root: PathBuf, cwd: PathBuf },
}

/// The revision a scan looked at, for SARIF `versionControlProvenance`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionControl {
    /// The repository's remote URL, without any credentials in it.
    pub repository_uri: String,
    /// The commit scanned (a tree scan: `HEAD`; a range: its tip).
    pub revision_id: Option<String>,
    pub branch: Option<String>,
}

/// The context of one report.
#[derive(Debug, Clone, Default)]
pub struct ReportContext<'a> {
    rules: BTreeMap<&'a str, &'a Rule>,
    pub src_root: SrcRoot,
    pub version_control: Option<VersionControl>,
    /// What the reader must be told about this scan whatever `--quiet` says (a range that
    /// changes the scan's own config or baseline); SARIF carries each as a notification.
    pub warnings: Vec<String>,
    /// The absolute directory `%SRCROOT%` stands for (SARIF `originalUriBaseIds`), when known.
    pub root_dir: Option<PathBuf>,
    /// Where keyhound ran (SARIF `invocations[0].workingDirectory`), when known.
    pub working_directory: Option<PathBuf>,
    /// The blobs of the audited revision's tree (HEAD), when the report needs to tell which
    /// secrets are still there and which live only in history (the HTML audit report).
    pub head_blobs: Option<std::collections::HashSet<git2::Oid>>,
}

impl<'a> ReportContext<'a> {
    /// A context knowing `rules` (the engine's), with paths taken as given.
    pub fn new(rules: impl IntoIterator<Item = &'a Rule>) -> Self {
        ReportContext {
            rules: rules.into_iter().map(|r| (r.id.as_str(), r)).collect(),
            src_root: SrcRoot::Given,
            version_control: None,
            warnings: Vec::new(),
            root_dir: None,
            working_directory: None,
            head_blobs: None,
        }
    }

    /// Records where the scan ran and the directory paths are relative to (`root`, absolute),
    /// so SARIF can say both and no consumer has to guess the checkout path.
    pub fn locate(&mut self, root: Option<PathBuf>) {
        self.working_directory = std::env::current_dir().ok();
        self.root_dir = root.map(|r| r.canonicalize().unwrap_or(r));
    }

    /// Every rule's id, sorted.
    pub fn rule_ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.rules.keys().copied()
    }

    /// The rule with this id, if the engine had it.
    pub fn rule(&self, id: &str) -> Option<&'a Rule> {
        self.rules.get(id).copied()
    }
}
