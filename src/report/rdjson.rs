//! reviewdog's formats: `rdjson` (one `DiagnosticResult`) and `rdjsonl` (one `Diagnostic` a
//! line). Lines and columns are 1-based, columns count UTF-8 **bytes**, `end` is exclusive.
//!
//! Suggestions use whole-line ranges (no columns): `text` is the new content of those lines,
//! without the final line ending. That sidesteps the bytes-versus-characters question and is
//! what GitHub's suggested changes need. reviewdog's `github-pr-review` reporter wants one
//! contiguous range a comment, so a fix whose edits lie far apart (an `import asyncio` at
//! the top plus the call it serves) is split: the edits near the finding are its suggestion,
//! and each other group of edits becomes a diagnostic of its own, at its own lines, saying
//! which finding it belongs to. Edits a few lines apart are kept in one suggestion.

use std::io::{self, Write};

use ruff_text_size::TextSize;
use serde_json::{json, Value};

use super::{cwd, homepage, relative_path, rule_url, ErrorItem, Lines, Severity};
use crate::fix::edit::{Edit, Finding};
use crate::pipeline::engine::{FileReport, Outcome};

/// Edit groups at most this many lines apart share one suggestion.
const MERGE_GAP: usize = 3;

pub fn write(out: &mut dyn Write, outcome: &Outcome, lines: bool) -> io::Result<()> {
    let cwd = cwd();
    let diagnostics: Vec<Value> = outcome
        .files
        .iter()
        .flat_map(|report| diagnostics(report, &relative_path(report, &cwd), lines))
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
    suggestions: Vec<Value>,
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
    if !suggestions.is_empty() {
        d["suggestions"] = json!(suggestions);
    }
    d
}

fn position((line, column): (usize, usize)) -> Value {
    json!({ "line": line, "column": column })
}

fn diagnostics(report: &FileReport, path: &str, with_source: bool) -> Vec<Value> {
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
            Vec::new(),
        ));
    }
    if report.findings.is_empty() {
        return out;
    }
    let lines = Lines::new(report.text());
    for finding in &report.findings {
        out.extend(finding_diagnostics(finding, &lines, path, with_source));
    }
    out
}

fn finding_diagnostics(finding: &Finding, lines: &Lines, path: &str, with_source: bool) -> Vec<Value> {
    let rule = finding.rule;
    let level = severity(rule.severity());
    let range = json!({
        "start": position(lines.bytes(finding.range.start())),
        "end": position(lines.bytes(finding.range.end())),
    });
    let Some(fix) = &finding.fix else {
        return vec![diagnostic(
            with_source,
            code(rule.code(), rule_url(rule)),
            level,
            &finding.message,
            path,
            Some(range),
            Vec::new(),
        )];
    };
    let groups = groups(&fix.edits, lines);
    let finding_line = lines.chars(finding.range.start()).0;
    // The group nearest the finding is its suggestion.
    let main = groups
        .iter()
        .enumerate()
        .min_by_key(|(_, g)| {
            if (g.first..=g.last).contains(&finding_line) {
                0
            } else {
                g.first.abs_diff(finding_line).min(g.last.abs_diff(finding_line))
            }
        })
        .map(|(i, _)| i);
    let mut out = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        if Some(i) == main {
            out.insert(
                0,
                diagnostic(
                    with_source,
                    code(rule.code(), rule_url(rule)),
                    level,
                    &finding.message,
                    path,
                    Some(range.clone()),
                    vec![suggestion(group, lines)],
                ),
            );
        } else {
            let message = format!(
                "{} (part of the fix for the {} finding at line {finding_line}: apply it too)",
                fix.message,
                rule.code()
            );
            out.push(diagnostic(
                with_source,
                code(rule.code(), rule_url(rule)),
                level,
                &message,
                path,
                Some(json!({ "start": { "line": group.first }, "end": { "line": group.last } })),
                vec![suggestion(group, lines)],
            ));
        }
    }
    out
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
