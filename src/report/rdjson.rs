//! reviewdog's formats: `rdjson` (one `DiagnosticResult`) and `rdjsonl` (one `Diagnostic` a
//! line). Lines and columns are 1-based, columns count UTF-8 **bytes**, `end` is exclusive.
//!
//! Suggestions use whole-line ranges (no columns): `text` is the new content of those lines,
//! without the final line ending. That sidesteps the bytes-versus-characters question and is
//! what GitHub's suggested changes need.
//!
//! A suggestion is committed on its own from the pull request page, so each diagnostic's
//! suggestion is its **whole** fix or nothing:
//! - a fix whose edits lie within a few lines of each other is one suggestion replacing the
//!   lines from its first edit to its last;
//! - a fix whose edits lie far apart (an AF002 call site plus the module-level task set and an
//!   import) cannot be one suggestion (reviewdog posts one contiguous range a comment); its
//!   diagnostic carries no suggestion, and its message shows the whole patch as a `diff` block
//!   and says that `asyncfix --write` applies it;
//! - a fix that would repeat an edit another diagnostic of the file already suggests (two
//!   fixes adding the same `import asyncio`), or touch the same lines, is shown the same way:
//!   committing both suggestions would apply the shared edit twice;
//! - an unsafe fix is suggested only under `--unsafe-fixes`; otherwise the message says that
//!   one is available.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use ruff_text_size::TextSize;
use serde_json::{json, Value};

use super::{cwd, diff, homepage, relative_path, rule_url, ErrorItem, Lines, Severity};
use crate::fix::apply::is_applicable;
use crate::fix::edit::{apply_edits, Applicability, Edit, Finding, Fix};
use crate::pipeline::engine::{FileReport, Outcome};

/// Edit groups at most this many lines apart share one suggestion.
const MERGE_GAP: usize = 3;

pub fn write(out: &mut dyn Write, outcome: &Outcome, lines: bool, unsafe_fixes: bool) -> io::Result<()> {
    let cwd = cwd();
    let diagnostics: Vec<Value> = outcome
        .files
        .iter()
        .flat_map(|report| diagnostics(report, &relative_path(report, &cwd), lines, unsafe_fixes))
        .collect();
    if lines {
        for d in &diagnostics {
            serde_json::to_writer(&mut *out, d)?;
            writeln!(out)?;
        }
    } else {
        let mut source = json!({ "name": "asyncfix" });
        if let Some(home) = homepage() {
            source["url"] = json!(home);
        }
        let doc = json!({
            "source": source,
            "severity": "WARNING",
            "diagnostics": diagnostics,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    }
    Ok(())
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
    }
}

fn code(value: &str, url: Option<String>) -> Value {
    let mut code = json!({ "value": value });
    if let Some(url) = url {
        code["url"] = json!(url);
    }
    code
}

/// A diagnostic; `with_source` for rdjsonl (in rdjson the result carries the source).
fn diagnostic(
    with_source: bool,
    code: Value,
    severity: &str,
    message: &str,
    path: &str,
    range: Option<Value>,
    suggestion: Option<Value>,
) -> Value {
    let mut d = json!({});
    if with_source {
        d["source"] = json!({ "name": "asyncfix" });
    }
    d["code"] = code;
    d["severity"] = json!(severity);
    d["message"] = json!(message);
    let mut location = json!({ "path": path });
    if let Some(range) = range {
        location["range"] = range;
    }
    d["location"] = location;
    if let Some(suggestion) = suggestion {
        d["suggestions"] = json!([suggestion]);
    }
    d
}

fn position((line, column): (usize, usize)) -> Value {
    json!({ "line": line, "column": column })
}

fn diagnostics(report: &FileReport, path: &str, with_source: bool, unsafe_fixes: bool) -> Vec<Value> {
    let mut out = Vec::new();
    for error in &report.errors {
        let error = ErrorItem::of(report, error);
        // reviewdog counts columns in bytes.
        let range = error.byte_position.map(|at| json!({ "start": position(at) }));
        out.push(diagnostic(
            with_source,
            code(error.code, None),
            "ERROR",
            &error.message,
            path,
            range,
            None,
        ));
    }
    if report.findings.is_empty() {
        return out;
    }
    let lines = Lines::new(report.text());
    let mut posted = Posted::default();
    for finding in &report.findings {
        // A notebook's lines are not the file's: the diagnostic points at the file, its
        // message names the cell, and no suggestion is made.
        if let Some((cell, line, column)) = super::cell_position(report, finding.range.start()) {
            out.push(diagnostic(
                with_source,
                code(finding.rule.code(), rule_url(finding.rule)),
                severity(finding.rule.severity()),
                &format!("cell {cell}:{line}:{column}: {}", finding.message),
                path,
                None,
                None,
            ));
            continue;
        }
        out.push(finding_diagnostic(
            finding,
            &lines,
            path,
            with_source,
            unsafe_fixes,
            &mut posted,
        ));
    }
    out
}

/// What the file's earlier diagnostics already suggest.
#[derive(Default)]
struct Posted<'a> {
    edits: HashSet<&'a Edit>,
    /// Line ranges (first, last) of the suggestions.
    ranges: Vec<(usize, usize)>,
}

/// Why a fix is shown as a patch rather than suggested.
enum Shown {
    FarApart(Vec<(usize, usize)>),
    Shared,
}

fn finding_diagnostic<'a>(
    finding: &'a Finding,
    lines: &Lines,
    path: &str,
    with_source: bool,
    unsafe_fixes: bool,
    posted: &mut Posted<'a>,
) -> Value {
    let rule = finding.rule;
    let range = json!({
        "start": position(lines.bytes(finding.range.start())),
        "end": position(lines.bytes(finding.range.end())),
    });
    let plain = |message: &str, suggestion: Option<Value>| {
        diagnostic(
            with_source,
            code(rule.code(), rule_url(rule)),
            severity(rule.severity()),
            message,
            path,
            Some(range.clone()),
            suggestion,
        )
    };
    let Some(fix) = finding.fix.as_deref().filter(|f| !f.edits.is_empty()) else {
        return plain(&finding.message, None);
    };
    if !is_applicable(fix, unsafe_fixes) {
        let message = format!(
            "{}\n\nAn unsafe fix is available ({}): `asyncfix --diff --unsafe-fixes` shows it, \
             `asyncfix --write --unsafe-fixes` applies it.",
            finding.message,
            lowercase_first(&fix.message)
        );
        return plain(&message, None);
    }
    let groups = groups(&fix.edits, lines);
    let shown = match groups.as_slice() {
        [group] => {
            let shared = group.edits.iter().any(|e| posted.edits.contains(e))
                || posted
                    .ranges
                    .iter()
                    .any(|&(first, last)| first <= group.last && group.first <= last);
            if !shared {
                posted.edits.extend(group.edits.iter().copied());
                posted.ranges.push((group.first, group.last));
                return plain(&finding.message, Some(suggestion(group, lines)));
            }
            Shown::Shared
        }
        _ => Shown::FarApart(groups.iter().map(|g| (g.first, g.last)).collect()),
    };
    plain(&patch_message(finding, fix, lines, path, &shown), None)
}

/// The finding's message, then the whole fix as a `diff` block and the command that applies it.
fn patch_message(finding: &Finding, fix: &Fix, lines: &Lines, path: &str, shown: &Shown) -> String {
    let why = match shown {
        Shown::FarApart(ranges) => {
            let places: Vec<String> = ranges
                .iter()
                .map(|&(first, last)| {
                    if first == last {
                        format!("{first}")
                    } else {
                        format!("{first}-{last}")
                    }
                })
                .collect();
            format!(
                "it edits lines {} of the file, too far apart for one suggested change",
                join_and(&places)
            )
        }
        Shown::Shared => "it shares lines with the suggested change of another finding in this file \
             (committing both would apply them twice)"
            .to_string(),
    };
    let command = match fix.applicability {
        Applicability::Safe => "asyncfix --write",
        Applicability::Unsafe => "asyncfix --write --unsafe-fixes",
    };
    let edits: Vec<&Edit> = fix.edits.iter().collect();
    let fixed = apply_edits(lines.text(), &edits);
    let patch = diff::unified_diff(Path::new(path), lines.text(), &fixed);
    let fence = "`".repeat(longest_backtick_run(&patch).max(2) + 1);
    format!(
        "{}\n\n{}: {why}, so it is not posted as a suggestion. `{command}` applies this patch:\n\n{fence}diff\n{}{}{fence}",
        finding.message,
        fix.message,
        patch,
        if patch.ends_with('\n') { "" } else { "\n" },
    )
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Edits on neighbouring lines, and the whole lines they touch.
struct Group<'a> {
    edits: Vec<&'a Edit>,
    first: usize,
    last: usize,
}

fn groups<'a>(edits: &'a [Edit], lines: &Lines) -> Vec<Group<'a>> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut groups: Vec<Group> = Vec::new();
    for edit in sorted {
        let (first, last) = touched_lines(edit, lines);
        match groups.last_mut() {
            Some(g) if first <= g.last + 1 + MERGE_GAP => {
                g.edits.push(edit);
                g.last = g.last.max(last);
            }
            _ => groups.push(Group {
                edits: vec![edit],
                first,
                last,
            }),
        }
    }
    groups
}

/// The lines an edit touches. An edit that ends just after a line ending (deleting a whole
/// line) does not touch the next line; an insertion at the very end of a file that ends with
/// a line ending belongs to the last line.
fn touched_lines(edit: &Edit, lines: &Lines) -> (usize, usize) {
    let text_len = TextSize::of(lines.text());
    let (mut first, start_col) = lines.bytes(edit.range.start());
    if edit.range.start() == text_len && start_col == 1 && first > 1 {
        first -= 1;
    }
    let (mut last, end_col) = lines.bytes(edit.range.end());
    if (!edit.range.is_empty() || edit.range.end() == text_len) && end_col == 1 && last > first {
        last -= 1;
    }
    (first, last.max(first))
}

/// A whole-line suggestion: the group's lines with its edits applied, without the final line ending.
fn suggestion(group: &Group, lines: &Lines) -> Value {
    let text = lines.text();
    let start = usize::from(lines.line_start(group.first));
    let end = if group.last < lines.line_count() {
        usize::from(lines.line_start(group.last + 1))
    } else {
        text.len()
    };
    let mut new = String::new();
    let mut last = start;
    for edit in &group.edits {
        let (s, e) = (usize::from(edit.range.start()), usize::from(edit.range.end()));
        new.push_str(&text[last..s]);
        new.push_str(&edit.content);
        last = e;
    }
    new.push_str(&text[last.min(end)..end]);
    if text[start..end].ends_with('\n') {
        if let Some(stripped) = new.strip_suffix("\r\n").or_else(|| new.strip_suffix('\n')) {
            new = stripped.to_string();
        }
    }
    json!({
        "range": { "start": { "line": group.first }, "end": { "line": group.last } },
        "text": new,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_text_size::TextRange;

    fn edit(start: u32, end: u32, content: &str) -> Edit {
        Edit::replacement(TextRange::new(start.into(), end.into()), content)
    }

    fn suggestions(text: &str, edits: &[Edit]) -> Vec<Value> {
        let lines = Lines::new(text);
        groups(edits, &lines).iter().map(|g| suggestion(g, &lines)).collect()
    }

    #[test]
    fn whole_line_suggestions() {
        let text = "import time\nasync def f():\n    time.sleep(1)\n";
        // Replace `time.sleep` on line 3, insert `import asyncio` before line 2: one group.
        let s = suggestions(
            text,
            &[edit(12, 12, "import asyncio\n"), edit(31, 41, "await asyncio.sleep")],
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0]["range"], json!({"start": {"line": 2}, "end": {"line": 3}}));
        assert_eq!(
            s[0]["text"],
            "import asyncio\nasync def f():\n    await asyncio.sleep(1)"
        );
    }

    #[test]
    fn far_apart_edits_are_separate_groups() {
        // (Such a fix is then shown as a patch in the message, not as these suggestions.)
        let mut text = String::from("import time\n");
        text.push_str(&"\n".repeat(10));
        let call = text.len() as u32 + 4;
        text.push_str("    time.sleep(1)\n");
        let s = suggestions(
            &text,
            &[
                edit(12, 12, "import asyncio\n"),
                edit(call, call + 10, "await asyncio.sleep"),
            ],
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0]["text"], "import asyncio\n");
        assert_eq!(s[1]["range"], json!({"start": {"line": 12}, "end": {"line": 12}}));
        assert_eq!(s[1]["text"], "    await asyncio.sleep(1)");
    }

    #[test]
    fn deleting_a_line_and_inserting_at_the_end() {
        let s = suggestions("a\nb\nc\n", &[edit(2, 4, "")]);
        assert_eq!(s[0]["range"], json!({"start": {"line": 2}, "end": {"line": 2}}));
        assert_eq!(s[0]["text"], "");
        let s = suggestions("a\n", &[edit(2, 2, "b\n")]);
        assert_eq!(s[0]["range"], json!({"start": {"line": 1}, "end": {"line": 1}}));
        assert_eq!(s[0]["text"], "a\nb");
        let s = suggestions("a\r\nb", &[edit(3, 4, "c")]);
        assert_eq!(s[0]["text"], "c");
    }
}
