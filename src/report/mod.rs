//! The only code that prints: findings, diffs, fixed stdin source, errors and the summary.

mod concise;
mod diff;
mod style;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::apply::is_applicable;
use crate::engine::{ErrorKind, Outcome};
use crate::passes::pass_for;
use crate::rules::Rule;
use crate::settings::{Mode, Settings};

pub use style::Style;

/// Exit codes, as ruff: 0 nothing to fix, 1 findings (or a diff), 2 an error.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Print what the run found and did, and return the exit code.
pub fn emit(outcome: &Outcome, settings: &Settings) -> ExitCode {
    let style = Style::new(settings.color);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let stderr = io::stderr();
    let mut err = stderr.lock();
    // A closed pipe (`asyncfix --diff | head`) is not an error worth a panic.
    let _ = print_all(outcome, settings, &style, &mut out, &mut err);
    let _ = out.flush();
    ExitCode::from(exit_code(outcome, settings))
}

fn print_all(
    outcome: &Outcome,
    settings: &Settings,
    style: &Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    for file in &outcome.files {
        for e in &file.errors {
            writeln!(err, "{}: {}", style.error("error"), e.message)?;
        }
    }
    for file in &outcome.files {
        match settings.mode {
            Mode::Check => {}
            Mode::Report => concise::write_findings(out, file, settings, style)?,
            Mode::Diff => {
                if let (Some(original), Some(fixed)) = (&file.original, &file.fixed) {
                    diff::write_diff(out, &file.path, original, fixed, style)?;
                }
            }
            Mode::Write if file.is_stdin => {
                // The (fixed) source goes to stdout, findings to stderr.
                match &file.stdin_raw {
                    Some(raw) => out.write_all(raw)?,
                    None => out.write_all(file.text().as_bytes())?,
                }
                concise::write_findings(err, file, settings, style)?;
            }
            Mode::Write => concise::write_findings(out, file, settings, style)?,
        }
    }
    out.flush()?;
    if !settings.quiet && settings.mode != Mode::Check {
        for line in summary(outcome, settings) {
            writeln!(err, "{line}")?;
        }
    }
    Ok(())
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
    if problem {
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
        .filter(|f| f.fix.as_ref().is_some_and(|x| is_applicable(x, settings.unsafe_fixes)))
        .count();
    let unsafe_only = findings
        .iter()
        .filter(|f| f.fix.as_ref().is_some_and(|x| !is_applicable(x, settings.unsafe_fixes)))
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
pub fn findings_text(file: &crate::engine::FileReport, settings: &Settings) -> String {
    let mut buf = Vec::new();
    concise::write_findings(&mut buf, file, settings, &Style::new(false)).expect("writing to memory");
    String::from_utf8(buf).expect("UTF-8")
}

/// What `--diff` prints for one file (no colour).
pub fn diff_text(path: &std::path::Path, original: &str, fixed: &str) -> String {
    diff::unified_diff(path, original, fixed)
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
    let _ = writeln!(
        out,
        "# {} ({})\n\n{}",
        rule.name(),
        rule.code(),
        pass_for(rule).doc.trim_end()
    );
    ExitCode::from(EXIT_CLEAN)
}

/// A fatal error before any file was looked at (bad arguments or configuration).
pub fn fatal(message: &str) -> ExitCode {
    let style = Style::new(false);
    let _ = writeln!(io::stderr(), "{}: {message}", style.error("error"));
    ExitCode::from(EXIT_ERROR)
}
