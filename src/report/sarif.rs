//! SARIF 2.1.0, with every property GitHub code scanning requires: `rules[]` for every
//! selected rule (short and full description, help), results with `ruleId`, `ruleIndex`,
//! `level`, `message` and `locations`. Columns count Unicode code points (`columnKind`);
//! `endColumn` is exclusive. Paths are relative to the current directory through the
//! `%SRCROOT%` base. Fixes are SARIF `fixes` (`insertedContent` always present, as reviewdog
//! needs it). File errors are `toolExecutionNotifications` of the invocation.

use std::io::{self, Write};
use std::path::Path;

use serde_json::{json, Value};

use super::{cwd, homepage, rule_url, ErrorItem, Lines};
use crate::cli::settings::Settings;
use crate::pipeline::engine::{FileReport, Outcome};
use crate::registry::Rule;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write(out: &mut dyn Write, outcome: &Outcome, settings: &Settings) -> io::Result<()> {
    let cwd = cwd();
    let rules: Vec<Value> = settings.rules.iter().map(|&r| rule(r)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in &outcome.files {
        let artifact = artifact_location(report, &cwd);
        for error in &report.errors {
            let error = ErrorItem::of(report, error);
            let mut region = json!({});
            if let Some((line, column)) = error.position {
                region = json!({ "startLine": line, "startColumn": column });
            }
            let mut location = json!({ "artifactLocation": artifact.clone() });
            if error.position.is_some() {
                location["region"] = region;
            }
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {}", report.path.display(), error.message) },
                "descriptor": { "id": error.code },
                "locations": [ { "physicalLocation": location } ],
            }));
        }
        if report.findings.is_empty() {
            continue;
        }
        let lines = Lines::new(report.text());
        for finding in &report.findings {
            let mut result = json!({
                "ruleId": finding.rule.code(),
            });
            if let Some(index) = settings.rules.iter().position(|&r| r == finding.rule) {
                result["ruleIndex"] = json!(index);
            }
            result["level"] = json!(finding.rule.severity().as_str());
            result["message"] = json!({ "text": finding.message });
            result["locations"] = json!([{
                "physicalLocation": {
                    "artifactLocation": artifact.clone(),
                    "region": region(&lines, finding.range.start(), finding.range.end()),
                }
            }]);
            if let Some(fix) = &finding.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|edit| {
                        json!({
                            "deletedRegion": region(&lines, edit.range.start(), edit.range.end()),
                            "insertedContent": { "text": edit.content },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({} fix)", fix.message, fix.applicability.as_str()) },
                    "artifactChanges": [{
                        "artifactLocation": artifact.clone(),
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let mut driver = json!({
        "name": "asyncfix",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "version": env!("CARGO_PKG_VERSION"),
    });
    if let Some(home) = homepage() {
        driver["informationUri"] = json!(home);
    }
    driver["rules"] = json!(rules);
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {
                "%SRCROOT%": { "uri": file_uri(&cwd, true) },
            },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn region(lines: &Lines, start: ruff_text_size::TextSize, end: ruff_text_size::TextSize) -> Value {
    let (start_line, start_column) = lines.chars(start);
    let (end_line, end_column) = lines.chars(end);
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

/// A rule's `reportingDescriptor`.
fn rule(rule: Rule) -> Value {
    let doc = rule.doc();
    let level = rule.severity().as_str();
    let mut descriptor = json!({
        "id": rule.code(),
        "name": rule.name(),
        "shortDescription": { "text": sentence(rule.summary()) },
        "fullDescription": { "text": what_it_does(doc) },
        "help": { "text": doc.trim(), "markdown": doc.trim() },
    });
    if let Some(url) = rule_url(rule) {
        descriptor["helpUri"] = json!(url);
    }
    descriptor["defaultConfiguration"] = json!({ "level": level });
    descriptor["properties"] = json!({
        "tags": ["asyncio", if level == "error" { "correctness" } else { "performance" }],
        "precision": "high",
        "problem.severity": level,
    });
    descriptor
}

/// `a coroutine ...` → `A coroutine ....`
fn sentence(s: &str) -> String {
    let mut chars = s.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The text of the doc's "What it does" section, on one line (the whole doc if it has none).
fn what_it_does(doc: &str) -> String {
    let section = doc
        .split("## ")
        .find_map(|s| s.strip_prefix("What it does"))
        .unwrap_or(doc);
    section.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn artifact_location(report: &FileReport, cwd: &Path) -> Value {
    let absolute = std::path::absolute(&report.path).unwrap_or_else(|_| report.path.clone());
    match absolute.strip_prefix(cwd) {
        Ok(relative) => json!({ "uri": encode(&relative.to_string_lossy()), "uriBaseId": "%SRCROOT%" }),
        Err(_) => json!({ "uri": file_uri(&absolute, false) }),
    }
}

/// `file:///abs/path` (with a trailing `/` for a folder).
fn file_uri(path: &Path, folder: bool) -> String {
    let mut s = path.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if folder && !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", encode(&s))
}

/// Percent-encode what may not appear in a URI path.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(encode("a b/é.py"), "a%20b/%C3%A9.py");
        assert_eq!(file_uri(Path::new("/x y"), true), "file:///x%20y/");
        assert_eq!(sentence("a thing"), "A thing.");
        assert!(what_it_does(Rule::BlockingSleep.doc()).starts_with("Finds `time.sleep(...)`"));
    }
}
