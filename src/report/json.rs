//! `json` (one array) and `json-lines` (one object a line), in ruff's shape: code, name,
//! message, severity, filename (absolute), location / end_location (1-based rows, columns in
//! characters), fix (applicability, message, edits) or null, noqa_row, url. File errors
//! (syntax errors, unreadable files) are items too, with codes such as `syntax-error`. In a
//! notebook, as ruff: rows and columns are the cell's, and `cell` (1-based) says which.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{absolute_path, cell_position, rule_url, ErrorItem, Lines};
use crate::pipeline::engine::{FileReport, Outcome};

pub fn write(out: &mut dyn Write, outcome: &Outcome, lines: bool) -> io::Result<()> {
    let items: Vec<Value> = outcome.files.iter().flat_map(items).collect();
    if lines {
        for item in &items {
            serde_json::to_writer(&mut *out, item)?;
            writeln!(out)?;
        }
    } else {
        serde_json::to_writer_pretty(&mut *out, &items)?;
        writeln!(out)?;
    }
    Ok(())
}

fn location((row, column): (usize, usize)) -> Value {
    json!({ "row": row, "column": column })
}

fn items(report: &FileReport) -> Vec<Value> {
    let filename = absolute_path(report);
    let mut items = Vec::new();
    for error in &report.errors {
        let error = ErrorItem::of(report, error);
        let position = location(error.position.unwrap_or((1, 1)));
        items.push(json!({
            "code": error.code,
            "name": error.code,
            "message": error.message,
            "severity": "error",
            "filename": filename,
            "location": position,
            "end_location": position,
            "fix": null,
            "noqa_row": null,
            "url": null,
        }));
    }
    if report.findings.is_empty() {
        return items;
    }
    let lines = Lines::new(report.text());
    // In a notebook, rows and columns are the cell's, and `cell` says which (as ruff does).
    let at = |offset| match cell_position(report, offset) {
        Some((_, line, column)) => (line, column),
        None => lines.chars(offset),
    };
    for finding in &report.findings {
        let start = at(finding.range.start());
        let fix = finding.fix.as_deref().map(|fix| {
            let edits: Vec<Value> = fix
                .edits
                .iter()
                .map(|edit| {
                    json!({
                        "content": edit.content,
                        "location": location(at(edit.range.start())),
                        "end_location": location(at(edit.range.end())),
                    })
                })
                .collect();
            json!({
                "applicability": fix.applicability.as_str(),
                "message": fix.message,
                "edits": edits,
            })
        });
        let mut item = json!({
            "code": finding.rule.code(),
            "name": finding.rule.name(),
            "message": finding.message,
            "severity": finding.rule.severity().as_str(),
            "filename": filename,
            "location": location(start),
            "end_location": location(at(finding.range.end())),
            "fix": fix,
            "noqa_row": start.0,
            "url": rule_url(finding.rule),
        });
        if let Some((cell, _, _)) = cell_position(report, finding.range.start()) {
            item["cell"] = json!(cell);
        }
        items.push(item);
    }
    items
}
