//! The pipeline: discover files, analyse each (in parallel), fix, verify, write.
//! Nothing here prints; `report` turns the outcome into output.

use std::path::PathBuf;

use rayon::prelude::*;
use ruff_source_file::LineIndex;

use crate::analyze::{analyze, could_match, AnalyzeError, Context};
use crate::apply::{fix_file, is_applicable};
use crate::discover::discover;
use crate::edit::Finding;
use crate::settings::{Mode, Settings};
use crate::source::{read_file, read_stdin, write_atomic};

/// Worker threads get a large stack: the tree walks recurse as deep as the code nests.
const STACK_SIZE: usize = 256 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Could not read or decode the file, or the path does not exist.
    Read,
    /// Syntax error, or nested too deep.
    Parse,
    /// A fix failed verification (an asyncfix bug); the file was left unchanged.
    Fix,
    /// The fixed file could not be written.
    Write,
}

#[derive(Debug, Clone)]
pub struct FileError {
    pub kind: ErrorKind,
    /// A complete one-line message naming the file.
    pub message: String,
}

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// As given or found (for standard input: its `--stdin-filename`, or `-`).
    pub path: PathBuf,
    pub is_stdin: bool,
    /// The original text; kept only when something is to be reported about it.
    pub original: Option<String>,
    /// The fixed text, when fixes changed the file.
    pub fixed: Option<String>,
    /// Findings: in report mode those of the original, after fixing those that remain
    /// (positioned in the fixed text).
    pub findings: Vec<Finding>,
    /// How many fixes were applied.
    pub fixed_count: usize,
    pub errors: Vec<FileError>,
    /// Standard input that could not be decoded, kept to echo it back unchanged.
    pub stdin_raw: Option<Vec<u8>>,
}

impl FileReport {
    /// The text the findings' positions refer to.
    pub fn text(&self) -> &str {
        self.fixed.as_deref().or(self.original.as_deref()).unwrap_or("")
    }
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by path.
    pub files: Vec<FileReport>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.files.iter().any(|f| !f.errors.is_empty())
    }
}

pub fn run(settings: &Settings) -> Outcome {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build()
        .expect("thread pool");
    pool.install(|| run_in_pool(settings))
}

fn run_in_pool(settings: &Settings) -> Outcome {
    if let Some(name) = &settings.stdin_name {
        let (text, raw) = match read_stdin() {
            Ok(bytes) => match crate::source::decode(bytes.clone()) {
                Ok(text) => (Ok(text), None),
                Err(reason) => (Err(reason), Some(bytes)),
            },
            Err(reason) => (Err(reason), None),
        };
        let mut report = process(PathBuf::from(name), true, text, settings, false);
        // Undecodable input is echoed back as it came under `--write`: nothing is lost.
        report.stdin_raw = raw;
        return Outcome { files: vec![report] };
    }
    let discovered = discover(&settings.paths);
    let explicit = discovered.explicit;
    let mut files: Vec<FileReport> = discovered
        .files
        .into_par_iter()
        .map(|path| {
            let text = read_file(&path);
            // Files named on the command line are always parsed (their syntax errors reported);
            // files found by walking are spared the parse when no rule can match them.
            let prefilter = settings.prefilter && explicit.binary_search(&path).is_err();
            process(path, false, text, settings, prefilter)
        })
        .collect();
    for (path, reason) in discovered.errors {
        files.push(FileReport {
            errors: vec![FileError {
                kind: ErrorKind::Read,
                message: format!("{}: {reason}", path.display()),
            }],
            path,
            ..FileReport::default()
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Outcome { files }
}

/// Analyse one file and, in diff and write modes, fix it (and in write mode write it).
/// `prefilter`: skip the parse when the text contains none of the words the passes need.
pub fn process(
    path: PathBuf,
    is_stdin: bool,
    text: Result<String, String>,
    settings: &Settings,
    prefilter: bool,
) -> FileReport {
    let mut report = FileReport {
        path,
        is_stdin,
        ..FileReport::default()
    };
    let display = report.path.display().to_string();
    let text = match text {
        Ok(text) => text,
        Err(reason) => {
            report.errors.push(FileError {
                kind: ErrorKind::Read,
                message: format!("{display}: {reason}"),
            });
            return report;
        }
    };
    let rules = settings.rules_for(&report.path);
    let ctx = Context {
        rules: &rules,
        options: &settings.options,
    };
    if prefilter && !could_match(&text, ctx.rules) {
        if is_stdin {
            report.original = Some(text);
        }
        return report;
    }
    let analysis = match analyze(&text, &ctx) {
        Ok(analysis) => analysis,
        Err(err) => {
            let message = match &err {
                AnalyzeError::Syntax { range, message } => {
                    let loc = LineIndex::from_source_text(&text).line_column(range.start(), &text);
                    format!("Failed to parse {display}:{}:{}: {message}", loc.line, loc.column)
                }
                AnalyzeError::TooDeep => format!("Failed to analyse {display}: {}", err.describe()),
            };
            report.errors.push(FileError {
                kind: ErrorKind::Parse,
                message,
            });
            if is_stdin {
                report.original = Some(text);
            }
            return report;
        }
    };
    let wants_fix = settings.mode.fixes()
        && analysis.findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, settings.unsafe_fixes))
        });
    if !wants_fix {
        report.findings = analysis.findings;
        if !report.findings.is_empty() || is_stdin {
            report.original = Some(text);
        }
        return report;
    }
    let first_findings = analysis.findings.clone();
    match fix_file(&text, analysis, &ctx, settings.unsafe_fixes) {
        Ok(fixed) => {
            report.fixed_count = fixed.applied.len();
            report.findings = fixed.remaining;
            if fixed.text != text {
                report.fixed = Some(fixed.text);
            }
        }
        Err(message) => {
            report.errors.push(FileError {
                kind: ErrorKind::Fix,
                message: format!("{display}: {message}"),
            });
            report.findings = first_findings.clone();
        }
    }
    if settings.mode == Mode::Write && !is_stdin {
        if let Some(fixed) = &report.fixed {
            // Write through a symlink to its target, keeping the link.
            let target = std::fs::canonicalize(&report.path).unwrap_or_else(|_| report.path.clone());
            if let Err(e) = write_atomic(&target, fixed) {
                report.errors.push(FileError {
                    kind: ErrorKind::Write,
                    message: format!("{display}: could not write the fixes: {}", crate::source::io_reason(&e)),
                });
                // Nothing was changed on disk: report against the original.
                report.fixed = None;
                report.fixed_count = 0;
                report.findings = first_findings;
            }
        }
    }
    report.original = Some(text);
    report
}
