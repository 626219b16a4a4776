//! The only code that prints: findings (in every output format), diffs, fixed stdin source,
//! errors, the summary and the meta commands (`--show-settings`, `--show-files`, ...).

mod concise;
mod diff;
mod full;
mod github;
mod json;
mod rdjson;
mod sarif;
mod style;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ruff_source_file::LineIndex;
use ruff_text_size::TextSize;

use crate::cli::args::OutputFormat;
use crate::cli::settings::{Mode, Settings};
use crate::fix::apply::is_applicable;
use crate::pipeline::discover::discover_with;
use crate::pipeline::engine::{ErrorKind, FileError, FileReport, Outcome};
use crate::registry::Rule;

pub use style::Style;

/// Exit codes, as ruff: 0 nothing to fix, 1 findings (or a diff), 2 an error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Print what the run found and did, and return the exit code.
pub fn emit(outcome: &Outcome, settings: &Settings) -> ExitCode {
    let style = Style::new(settings.color && !settings.output_format.is_machine());
    let mut file = match &settings.output_file {
        None => None,
        Some(path) => match create_output_file(path) {
            Ok(f) => Some(BufWriter::new(f)),
            Err(e) => {
                return fatal(&format!(
                    "cannot write the output file {}: {}",
                    path.display(),
                    crate::pipeline::source::io_reason(&e)
                ))
            }
        },
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let stderr = io::stderr();
    let mut err = stderr.lock();
    // A closed pipe (`asyncfix --diff | head`) is not an error worth a panic.
    let _ = print_all(
        outcome,
        settings,
        &style,
        &mut out,
        &mut err,
        file.as_mut().map(|f| f as &mut dyn Write),
    );
    let _ = out.flush();
    if let Some(mut f) = file {
        if let Err(e) = f.flush() {
            let path = settings.output_file.as_deref().unwrap_or(Path::new("-"));
            return fatal(&format!(
                "cannot write the output file {}: {}",
                path.display(),
                crate::pipeline::source::io_reason(&e)
            ));
        }
    }
    ExitCode::from(exit_code(outcome, settings))
}

fn create_output_file(path: &Path) -> io::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    File::create(path)
}

fn print_all(
    outcome: &Outcome,
    settings: &Settings,
    style: &Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
    file: Option<&mut dyn Write>,
) -> io::Result<()> {
    for message in &outcome.project_errors {
        writeln!(err, "{}: {message}", style.error("error"))?;
    }
    for report in &outcome.files {
        for e in &report.errors {
            writeln!(err, "{}: {}", style.error("error"), e.describe(&report.path))?;
        }
    }
    let stdin_write = settings.mode == Mode::Write && outcome.files.iter().any(|f| f.is_stdin);
    match settings.mode {
        Mode::Check => {}
        Mode::Diff => {
            let target: &mut dyn Write = match file {
                Some(f) => f,
                None => out,
            };
            for report in &outcome.files {
                if let (Some(original), Some(fixed)) = (&report.original, &report.fixed) {
                    match &report.notebook {
                        Some(notebook) => {
                            diff::write_notebook_diff(target, &report.path, original, fixed, notebook, style)?
                        }
                        None => diff::write_diff(target, &report.path, original, fixed, style)?,
                    }
                }
            }
            target.flush()?;
        }
        Mode::Report | Mode::Write => {
            if stdin_write {
                // The (fixed) source goes to stdout, the findings to stderr (or the output file).
                for report in &outcome.files {
                    match (&report.stdin_raw, &report.notebook) {
                        // Undecodable input is echoed back as it came: nothing is lost.
                        (Some(raw), _) => out.write_all(raw)?,
                        // A notebook goes back out as a notebook.
                        (None, Some(notebook)) => out.write_all(notebook.json().as_bytes())?,
                        (None, None) => out.write_all(report.text().as_bytes())?,
                    }
                }
                out.flush()?;
            }
            let target: &mut dyn Write = match file {
                Some(f) => f,
                None if stdin_write => err,
                None => out,
            };
            write_findings(target, outcome, settings, style)?;
            target.flush()?;
        }
    }
    if !settings.quiet && settings.mode != Mode::Check {
        for line in summary(outcome, settings) {
            writeln!(err, "{line}")?;
        }
    }
    if let (Some(stats), true) = (&outcome.stats, std::env::var_os("ASYNCFIX_STATS").is_some()) {
        writeln!(err, "discover: {:?} ({} files)", stats.discovered, stats.files)?;
        writeln!(
            err,
            "phase 1: {:?} ({} parsed, {} bytes kept, {} questions)",
            stats.first_phase, stats.parsed, stats.kept_bytes, stats.questions
        )?;
        writeln!(err, "index: {:?}", stats.indexed)?;
        writeln!(
            err,
            "phase 2: {:?} (project-wide work {:?}; the parsed files beside it done at {:?})",
            stats.second_phase, stats.project_work, stats.parsed_done
        )?;
    }
    Ok(())
}

/// Every finding (and, in the machine formats, every error) of the run, in the chosen format.
pub fn write_findings(out: &mut dyn Write, outcome: &Outcome, settings: &Settings, style: &Style) -> io::Result<()> {
    match settings.output_format {
        OutputFormat::Concise => {
            for report in &outcome.files {
                concise::write_findings(out, report, settings, style)?;
            }
            Ok(())
        }
        OutputFormat::Full => full::write(out, outcome, settings, style),
        OutputFormat::Json => json::write(out, outcome, false),
        OutputFormat::JsonLines => json::write(out, outcome, true),
        OutputFormat::Github => github::write(out, outcome),
        OutputFormat::Sarif => sarif::write(out, outcome, settings),
        OutputFormat::Rdjson => rdjson::write(out, outcome, false, settings.unsafe_fixes),
        OutputFormat::Rdjsonl => rdjson::write(out, outcome, true, settings.unsafe_fixes),
    }
}

/// What `write_findings` prints for a run (no colour).
pub fn findings_in_format(outcome: &Outcome, settings: &Settings) -> String {
    let mut buf = Vec::new();
    write_findings(&mut buf, outcome, settings, &Style::new(false)).expect("writing to memory");
    String::from_utf8(buf).expect("UTF-8")
}

pub use crate::registry::Severity;

/// The project's home page (`repository` in Cargo.toml), if set.
pub fn homepage() -> Option<&'static str> {
    Some(env!("CARGO_PKG_REPOSITORY")).filter(|s| !s.is_empty())
}

/// Where bugs are reported, if the home page is set.
pub fn issues_url() -> Option<String> {
    homepage().map(|home| format!("{}/issues", home.trim_end_matches('/')))
}

/// Where a rule is documented.
pub fn rule_url(rule: Rule) -> Option<String> {
    homepage().map(|home| format!("{}/blob/main/README.md#{}", home.trim_end_matches('/'), rule.name()))
}

/// Line and column lookups for one text.
pub(crate) struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            index: LineIndex::from_source_text(text),
        }
    }

    /// 1-based line and column, the column counted in characters (Unicode code points).
    pub fn chars(&self, offset: TextSize) -> (usize, usize) {
        let loc = self.index.line_column(offset, self.text);
        (loc.line.get(), loc.column.get())
    }

    /// 1-based line and column, the column counted in UTF-8 bytes.
    pub fn bytes(&self, offset: TextSize) -> (usize, usize) {
        let line = self.index.line_index(offset);
        let start = self.index.line_start(line, self.text);
        (line.get(), usize::from(offset - start) + 1)
    }

    pub fn line_start(&self, line: usize) -> TextSize {
        self.index
            .line_start(ruff_source_file::OneIndexed::new(line).expect("1-based"), self.text)
    }

    /// The end of the line's content (before its line ending).
    pub fn line_content_end(&self, line: usize) -> TextSize {
        let end = self
            .index
            .line_end(ruff_source_file::OneIndexed::new(line).expect("1-based"), self.text);
        let bytes = &self.text.as_bytes()[..usize::from(end)];
        let trim = if bytes.ends_with(b"\r\n") {
            2
        } else if bytes.ends_with(b"\n") || bytes.ends_with(b"\r") {
            1
        } else {
            0
        };
        end - TextSize::from(trim)
    }

    pub fn line_count(&self) -> usize {
        self.index.line_count()
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// In a notebook, where an offset of its module is: the cell (1-based, every cell counted, as
/// ruff counts them), the line in the cell and the column (characters), 1-based.
pub(crate) fn cell_position(report: &FileReport, offset: TextSize) -> Option<(usize, usize, usize)> {
    let notebook = report.notebook.as_ref()?;
    crate::notebook::locate(report.text(), notebook.spans(), offset).map(|p| (p.cell + 1, p.line, p.column))
}

/// `cell 3:2:5` in a notebook, `12:5` elsewhere: the position as the text formats show it.
pub(crate) fn position_label(report: &FileReport, lines: &Lines, offset: TextSize) -> String {
    match cell_position(report, offset) {
        Some((cell, line, column)) => format!("cell {cell}:{line}:{column}"),
        None => {
            let (line, column) = lines.chars(offset);
            format!("{line}:{column}")
        }
    }
}

/// A file-level error as the machine formats show it.
pub(crate) struct ErrorItem {
    /// `syntax-error`, `io-error`, `fix-error`, ...
    pub code: &'static str,
    /// The message without the file name.
    pub message: String,
    /// 1-based line and character column, when known.
    pub position: Option<(usize, usize)>,
    /// 1-based line and UTF-8 byte column, when known.
    pub byte_position: Option<(usize, usize)>,
}

impl ErrorItem {
    pub fn of(_report: &FileReport, error: &FileError) -> Self {
        // A notebook's lines are not the file's: the message names the cell, no position.
        if let Some(at) = error.location.filter(|at| at.cell.is_some()) {
            return Self {
                code: error.kind.code(),
                message: format!(
                    "cell {}:{}:{}: {}",
                    at.cell.unwrap_or_default(),
                    at.line,
                    at.column,
                    error.message
                ),
                position: None,
                byte_position: None,
            };
        }
        Self {
            code: error.kind.code(),
            message: error.message.clone(),
            position: error.location.map(|at| (at.line, at.column)),
            byte_position: error.location.map(|at| (at.line, at.byte_column)),
        }
    }
}

/// The current directory, for relative paths and SARIF's `%SRCROOT%`.
pub(crate) fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

/// The path as an absolute one (standard input without a name stays `-`).
pub(crate) fn absolute_path(report: &FileReport) -> String {
    if report.is_stdin && report.path == Path::new("-") {
        return "-".to_string();
    }
    std::path::absolute(&report.path)
        .unwrap_or_else(|_| report.path.clone())
        .display()
        .to_string()
}

/// The path relative to the current directory when it is below it, else as given; `/` separated.
pub(crate) fn relative_path(report: &FileReport, cwd: &Path) -> String {
    let path = if report.path.is_absolute() {
        report.path.strip_prefix(cwd).unwrap_or(&report.path)
    } else {
        &report.path
    };
    path.display().to_string().replace('\\', "/")
}

pub fn exit_code(outcome: &Outcome, settings: &Settings) -> u8 {
    if outcome.has_errors() {
        return EXIT_ERROR;
    }
    let findings = outcome.files.iter().any(|f| !f.findings.is_empty());
    let changed = outcome.files.iter().any(|f| f.fixed.is_some());
    let problem = match settings.mode {
        Mode::Report | Mode::Check | Mode::Write => findings,
        Mode::Diff => changed,
    };
    if problem && !settings.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary lines (stderr), e.g. `Found 3 problems (2 fixable with --write).`
pub fn summary(outcome: &Outcome, settings: &Settings) -> Vec<String> {
    let mut lines = Vec::new();
    let findings: Vec<_> = outcome.files.iter().flat_map(|f| f.findings.iter()).collect();
    let fixable = findings
        .iter()
        .filter(|f| {
            f.fix
                .as_deref()
                .is_some_and(|x| is_applicable(x, settings.unsafe_fixes))
        })
        .count();
    let unsafe_only = findings
        .iter()
        .filter(|f| {
            f.fix
                .as_deref()
                .is_some_and(|x| !is_applicable(x, settings.unsafe_fixes))
        })
        .count();
    let fixed: usize = outcome.files.iter().map(|f| f.fixed_count).sum();
    let fixed_files = outcome.files.iter().filter(|f| f.fixed.is_some()).count();
    let unsafe_hint = if unsafe_only > 0 {
        format!(", {unsafe_only} more with --unsafe-fixes")
    } else {
        String::new()
    };
    match settings.mode {
        Mode::Check => {}
        Mode::Report => {
            if findings.is_empty() {
                if !outcome.has_errors() {
                    lines.push("All checks passed!".to_string());
                }
            } else if fixable > 0 || unsafe_only > 0 {
                lines.push(format!(
                    "Found {} ({fixable} fixable with --write{unsafe_hint}).",
                    plural(findings.len(), "problem", "problems")
                ));
            } else {
                lines.push(format!("Found {}.", plural(findings.len(), "problem", "problems")));
            }
        }
        Mode::Diff => {
            if fixed > 0 {
                lines.push(format!(
                    "Would fix {} in {}.",
                    plural(fixed, "problem", "problems"),
                    plural(fixed_files, "file", "files")
                ));
            } else if !outcome.has_errors() {
                lines.push("No fixes available.".to_string());
            }
            if !findings.is_empty() {
                lines.push(remaining_line(findings.len(), unsafe_only));
            }
        }
        Mode::Write => {
            if fixed > 0 {
                lines.push(format!(
                    "Fixed {} in {}.",
                    plural(fixed, "problem", "problems"),
                    plural(fixed_files, "file", "files")
                ));
            } else if findings.is_empty() && !outcome.has_errors() {
                lines.push("All checks passed!".to_string());
            }
            if !findings.is_empty() {
                lines.push(remaining_line(findings.len(), unsafe_only));
            }
        }
    }
    let count = |kind: ErrorKind| {
        outcome
            .files
            .iter()
            .filter(|f| f.errors.iter().any(|e| e.kind == kind))
            .count()
    };
    let error_lines = [
        (ErrorKind::Read, "could not be read"),
        (ErrorKind::Parse, "could not be parsed"),
        (ErrorKind::Fix, "could not be fixed (internal error; left unchanged)"),
        (ErrorKind::Write, "could not be written"),
        (
            ErrorKind::Internal,
            "hit an internal error (a bug in asyncfix; left unchanged)",
        ),
        (ErrorKind::Unsupported, "could not be checked (not Python source)"),
        (ErrorKind::Notebook, "could not be read as a notebook"),
    ];
    for (kind, what) in error_lines {
        let n = count(kind);
        if n > 0 {
            lines.push(format!("{} {what}.", plural(n, "file", "files")));
        }
    }
    lines
}

fn remaining_line(remaining: usize, unsafe_only: usize) -> String {
    let subject = if remaining == 1 {
        "1 problem remains"
    } else {
        "problems remain"
    };
    let subject = if remaining == 1 {
        subject.to_string()
    } else {
        format!("{remaining} {subject}")
    };
    if unsafe_only > 0 {
        format!("{subject} ({unsafe_only} fixable with --unsafe-fixes; the rest need a manual change).")
    } else {
        format!("{subject} (no automatic fix).")
    }
}

/// What the concise report prints for one file (no colour).
pub fn findings_text(file: &crate::pipeline::engine::FileReport, settings: &Settings) -> String {
    let mut buf = Vec::new();
    concise::write_findings(&mut buf, file, settings, &Style::new(false)).expect("writing to memory");
    String::from_utf8(buf).expect("UTF-8")
}

/// What `--diff` prints for one file (no colour).
pub fn diff_text(path: &std::path::Path, original: &str, fixed: &str) -> String {
    diff::unified_diff(path, original, fixed)
}

/// What `--diff` prints for one file's report (no colour): for a notebook, a diff per changed
/// cell; empty when nothing changed.
pub fn report_diff_text(report: &FileReport) -> String {
    let (Some(original), Some(fixed)) = (&report.original, &report.fixed) else {
        return String::new();
    };
    let mut buf = Vec::new();
    match &report.notebook {
        Some(notebook) => {
            diff::write_notebook_diff(&mut buf, &report.path, original, fixed, notebook, &Style::new(false))
                .expect("writing to memory")
        }
        None => buf.extend_from_slice(diff::unified_diff(&report.path, original, fixed).as_bytes()),
    }
    String::from_utf8(buf).expect("UTF-8")
}

/// `--list-rules`.
pub fn list_rules() -> ExitCode {
    let mut out = io::stdout().lock();
    for rule in Rule::ALL {
        let _ = writeln!(out, "{}  {:<20} {}", rule.code(), rule.name(), rule.summary());
    }
    ExitCode::from(EXIT_CLEAN)
}

/// `--explain RULE`.
pub fn explain(rule: Rule) -> ExitCode {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "# {} ({})\n\n{}", rule.name(), rule.code(), rule.doc().trim_end());
    let peers = rule.spec().peers;
    if !peers.is_empty() {
        let _ = writeln!(
            out,
            "\n## Other tools' codes\n{} (a `# noqa` naming one of them silences this rule too)",
            peers.join(", ")
        );
    }
    ExitCode::from(EXIT_CLEAN)
}

/// A fatal error before any file was looked at (bad arguments or configuration).
pub fn fatal(message: &str) -> ExitCode {
    let style = Style::new(false);
    let _ = writeln!(io::stderr(), "{}: {message}", style.error("error"));
    ExitCode::from(EXIT_ERROR)
}

/// `--show-settings`: the resolved settings, and where they came from.
pub fn show_settings(settings: &Settings) -> ExitCode {
    let mut out = io::stdout().lock();
    let _ = write_settings(&mut out, settings);
    ExitCode::from(EXIT_CLEAN)
}

fn write_settings(out: &mut dyn Write, s: &Settings) -> io::Result<()> {
    let quoted = |items: &mut dyn Iterator<Item = String>| -> String {
        let items: Vec<String> = items.map(|i| format!("{i:?}")).collect();
        format!("[{}]", items.join(", "))
    };
    match &s.config_file {
        Some(path) => writeln!(out, "# Settings from {}", path.display())?,
        None => writeln!(out, "# No configuration file: defaults and command-line flags")?,
    }
    writeln!(
        out,
        "config-file = {}",
        s.config_file
            .as_ref()
            .map_or("none".to_string(), |p| format!("{:?}", p.display().to_string()))
    )?;
    writeln!(out, "mode = {:?}", s.mode.name())?;
    writeln!(
        out,
        "rules = {}",
        quoted(&mut s.rules.iter().map(|r| r.code().to_string()))
    )?;
    writeln!(out, "unsafe-fixes = {}", s.unsafe_fixes)?;
    writeln!(out, "output-format = {:?}", s.output_format.name())?;
    if let Some(path) = &s.output_file {
        writeln!(out, "output-file = {:?}", path.display().to_string())?;
    }
    let (major, minor) = s.options.target_version;
    writeln!(
        out,
        "target-version = \"py{major}{minor}\"  # {}",
        s.target_version_source
    )?;
    writeln!(
        out,
        "line-length = {}  # {}",
        s.options.line_length, s.line_length_source
    )?;
    writeln!(
        out,
        "exclude = {}  # relative to {}",
        quoted(&mut s.files.exclude.patterns.iter().cloned()),
        s.files.exclude.base.display()
    )?;
    for set in &s.files.extend_exclude {
        writeln!(
            out,
            "extend-exclude = {}  # relative to {}",
            quoted(&mut set.patterns.iter().cloned()),
            set.base.display()
        )?;
    }
    writeln!(out, "respect-gitignore = {}", s.files.respect_gitignore)?;
    writeln!(out, "force-exclude = {}", s.files.force_exclude)?;
    writeln!(out, "exit-zero = {}", s.exit_zero)?;
    writeln!(
        out,
        "paths = {}",
        quoted(&mut s.paths.iter().map(|p| p.display().to_string()))
    )?;
    if let Some(name) = &s.stdin_name {
        writeln!(out, "stdin-filename = {name:?}")?;
    }
    writeln!(out, "\n[per-file-ignores]")?;
    for entry in &s.per_file_ignores {
        writeln!(
            out,
            "{:?} = {}  # relative to {}",
            entry.pattern.patterns.join(""),
            quoted(&mut entry.rules.iter().map(|r| r.code().to_string())),
            entry.pattern.base.display()
        )?;
    }
    writeln!(out, "\n[missing-await]")?;
    writeln!(
        out,
        "extra-coroutine-functions = {}",
        quoted(&mut s.options.extra_coroutine_functions.iter().cloned())
    )?;
    Ok(())
}

/// `--show-files`: the files a run would look at.
pub fn show_files(settings: &Settings) -> ExitCode {
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    if let Some(name) = &settings.stdin_name {
        if !settings.files.force_excludes(Path::new(name)) {
            let _ = writeln!(out, "{name}");
        }
        return ExitCode::from(EXIT_CLEAN);
    }
    let discovered = discover_with(&settings.paths, &settings.files);
    for file in &discovered.files {
        let _ = writeln!(out, "{}", file.display());
    }
    for (path, reason) in discovered.errors.iter().chain(&discovered.unsupported) {
        let _ = writeln!(
            err,
            "{}: {}: {reason}",
            Style::new(false).error("error"),
            path.display()
        );
    }
    ExitCode::from(if discovered.errors.is_empty() && discovered.unsupported.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    })
}
