//! ruff-like findings: a header, the code frame with the finding underlined, and the fix as
//! a small diff with line numbers (old, new).
//!
//! ```text
//! AF003 [*] `time.sleep()` blocks the event loop in `poll`; use `await asyncio.sleep()`
//!  --> a.py:5:5
//!   |
//! 4 | async def poll():
//! 5 |     time.sleep(1)
//!   |     ^^^^^^^^^^^^^
//!   |
//! help: Replace with `await asyncio.sleep(...)`
//!     1   | import time
//!       2 + import asyncio
//!   ...
//!     5   -     time.sleep(1)
//!       6 +     await asyncio.sleep(1)
//! ```
//!
//! `[*]`: `--write` applies the fix; `[~]`: only `--write --unsafe-fixes` does.

use std::io::{self, Write};

use similar::{ChangeTag, TextDiff};

use super::{position_label, Lines, Style};
use crate::cli::settings::Settings;
use crate::fix::apply::is_applicable;
use crate::fix::edit::{apply_edits, Applicability, Edit, Finding};
use crate::pipeline::engine::{FileReport, Outcome};

/// Lines of context around the finding.
const CONTEXT: usize = 2;

pub fn write(out: &mut dyn Write, outcome: &Outcome, settings: &Settings, style: &Style) -> io::Result<()> {
    for report in &outcome.files {
        if report.findings.is_empty() {
            continue;
        }
        let lines = Lines::new(report.text());
        for finding in &report.findings {
            write_finding(out, report, &lines, finding, settings, style)?;
        }
    }
    Ok(())
}

fn write_finding(
    out: &mut dyn Write,
    report: &FileReport,
    lines: &Lines,
    finding: &Finding,
    settings: &Settings,
    style: &Style,
) -> io::Result<()> {
    let text = lines.text();
    let marker = match &finding.fix {
        Some(fix) if is_applicable(fix, settings.unsafe_fixes) => format!("{} ", style.fixable("[*]")),
        Some(_) => format!("{} ", style.fixable("[~]")),
        None => String::new(),
    };
    writeln!(
        out,
        "{} {marker}{}",
        style.code(finding.rule.code()),
        style.bold(&finding.message)
    )?;
    let (line, column) = lines.chars(finding.range.start());
    let (end_line, end_column) = lines.chars(finding.range.end());
    // In a notebook the frame shows the finding's cell only, numbered as the cell's lines.
    let cell = report
        .notebook
        .as_ref()
        .and_then(|nb| crate::notebook::span_at(nb.spans(), finding.range.start()));
    let (cell_first, cell_last) = match cell {
        // The cell's text ends with its line break: its last line is the one before.
        Some(span) => (
            lines.chars(span.range.start()).0,
            lines.chars(span.range.end()).0.saturating_sub(1).max(1),
        ),
        None => (1, usize::MAX),
    };
    let first = line.saturating_sub(CONTEXT).max(cell_first);
    let last = (end_line + CONTEXT)
        .min(source_lines(lines))
        .min(cell_last.max(end_line));
    let shown = |n: usize| n + 1 - cell_first;
    let width = shown(last.max(line)).to_string().len();
    let gutter = |n: Option<usize>| match n {
        Some(n) => style.hunk(&format!("{:>width$} |", shown(n))),
        None => style.hunk(&format!("{:>width$} |", "")),
    };
    writeln!(
        out,
        "{}{} {}:{}",
        " ".repeat(width),
        style.hunk("-->"),
        report.path.display(),
        position_label(report, lines, finding.range.start())
    )?;
    writeln!(out, "{}", gutter(None))?;
    for n in first..=last.max(line) {
        let content = line_text(lines, n);
        writeln!(out, "{}{}", gutter(Some(n)), prefixed(&expand(content)))?;
        if (line..=end_line).contains(&n) {
            let from = if n == line { column } else { 1 };
            let to = if n == end_line {
                end_column
            } else {
                content.chars().count() + 1
            };
            let lead = expand(&content.chars().take(from - 1).collect::<String>())
                .chars()
                .count();
            let span = expand(&content.chars().take(to.saturating_sub(1)).collect::<String>())
                .chars()
                .count()
                .saturating_sub(lead)
                .max(1);
            writeln!(
                out,
                "{} {}{}",
                gutter(None),
                " ".repeat(lead),
                style.error(&"^".repeat(span))
            )?;
        }
    }
    writeln!(out, "{}", gutter(None))?;
    if let Some(fix) = &finding.fix {
        writeln!(out, "{}: {}", style.fixable("help"), fix.message)?;
        let spans = report.notebook.as_ref().map(|nb| nb.spans()).unwrap_or_default();
        // In a notebook: the diff of each cell the fix changes (numbered as the cell's lines),
        // headed by the cell when there are several.
        let touched: Vec<&crate::notebook::CellSpan> = spans
            .iter()
            .filter(|span| fix.edits.iter().any(|e| span.range.contains_range(e.range)))
            .collect();
        let within = fix
            .edits
            .iter()
            .all(|e| touched.iter().any(|span| span.range.contains_range(e.range)));
        if touched.is_empty() || !within {
            let edits: Vec<_> = fix.edits.iter().collect();
            let fixed = apply_edits(text, &edits);
            write_fix_diff(out, text, &fixed, style)?;
        } else {
            for span in &touched {
                if touched.len() > 1 {
                    writeln!(out, "{}", style.hunk(&format!("cell {}:", span.cell + 1)))?;
                }
                let start = span.range.start();
                let edits: Vec<Edit> = fix
                    .edits
                    .iter()
                    .filter(|e| span.range.contains_range(e.range))
                    .map(|e| Edit::replacement(e.range - start, e.content.clone()))
                    .collect();
                let old = &text[span.range];
                let fixed = apply_edits(old, &edits.iter().collect::<Vec<_>>());
                write_fix_diff(out, old, &fixed, style)?;
            }
        }
        if fix.applicability == Applicability::Unsafe {
            writeln!(
                out,
                "{}: This is an unsafe fix and may change runtime behavior",
                style.bold("note")
            )?;
        }
    }
    writeln!(out)
}

fn write_fix_diff(out: &mut dyn Write, old: &str, new: &str, style: &Style) -> io::Result<()> {
    let diff = TextDiff::from_lines(old, new);
    let width = (old.lines().count().max(new.lines().count()) + 1).to_string().len();
    let number = |n: Option<usize>| match n {
        Some(n) => format!("{:>width$}", n + 1),
        None => " ".repeat(width),
    };
    for (i, group) in diff.grouped_ops(1).iter().enumerate() {
        if i > 0 {
            writeln!(out, "{}", style.hunk(&format!("{:>w$}", "...", w = 2 * width + 1)))?;
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let content = change.value().trim_end_matches(['\n', '\r']);
                let (sign, body) = match change.tag() {
                    ChangeTag::Equal => (style.hunk("|"), prefixed(&expand(content))),
                    ChangeTag::Delete => (style.removed("-"), style.removed(&prefixed(&expand(content)))),
                    ChangeTag::Insert => (style.added("+"), style.added(&prefixed(&expand(content)))),
                };
                writeln!(
                    out,
                    "{} {} {sign}{body}",
                    style.hunk(&number(change.old_index())),
                    style.hunk(&number(change.new_index()))
                )?;
            }
        }
    }
    Ok(())
}

/// ` content`, or nothing for an empty line (no trailing whitespace).
fn prefixed(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" {s}")
    }
}

/// The number of lines that have content or a line ending (not the empty "line" after a final newline).
fn source_lines(lines: &Lines) -> usize {
    let text = lines.text();
    let count = lines.line_count();
    if count > 1 && text.ends_with('\n') {
        count - 1
    } else {
        count
    }
}

fn line_text<'a>(lines: &Lines<'a>, n: usize) -> &'a str {
    let text = lines.text();
    if n > lines.line_count() {
        return "";
    }
    &text[usize::from(lines.line_start(n))..usize::from(lines.line_content_end(n))]
}

/// Tabs as four spaces, so that the underline lines up.
fn expand(s: &str) -> String {
    s.replace('\t', "    ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::edit::Fix;
    use crate::registry::Rule;
    use ruff_text_size::{TextRange, TextSize};

    #[test]
    fn unsafe_fixes_are_marked_and_noted() {
        let text = "async def f():\n\tg()\n";
        let call = TextRange::new(TextSize::from(16), TextSize::from(19));
        let finding = Finding::new(Rule::MissingAwait, call, "`g` is never awaited").with_fix(Some(Fix::unsafe_(
            "Insert `await`",
            vec![Edit::insertion(call.start(), "await ")],
        )));
        let outcome = Outcome {
            files: vec![FileReport {
                path: "m.py".into(),
                original: Some(text.to_string()),
                findings: vec![finding],
                ..FileReport::default()
            }],
            ..Outcome::default()
        };
        let mut out = Vec::new();
        write(&mut out, &outcome, &Settings::default(), &Style::new(false)).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "AF001 [~] `g` is never awaited
 --> m.py:2:2
  |
1 | async def f():
2 |     g()
  |     ^^^
  |
help: Insert `await`
1 1 | async def f():
2   -     g()
  2 +     await g()
note: This is an unsafe fix and may change runtime behavior

"
        );
    }
}
