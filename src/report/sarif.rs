//! SARIF 2.1.0, with every property GitHub code scanning requires: `rules[]` for every
//! selected rule (short and full description within GitHub's 1024 characters, the whole doc
//! as `help` text and markdown, `helpUri`), results with `ruleId`, `ruleIndex`, `level`,
//! `message`, `locations` and `partialFingerprints`. Columns count Unicode code points
//! (`columnKind`); `endColumn` is exclusive. Paths are relative to the repository root (the
//! git root above the current directory, else the files', else the current directory)
//! through the `%SRCROOT%` base, so a run from a subfolder still gives paths GitHub maps.
//! Fixes are SARIF `fixes` (`insertedContent` always present, as reviewdog needs it). File
//! errors are `toolExecutionNotifications` of the invocation. At most 25,000 results a run
//! (GitHub rejects more); a notification says how many were left out.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::{cell_position, cwd, homepage, rule_url, ErrorItem, Lines};
use crate::cli::settings::Settings;
use crate::pipeline::engine::{FileReport, Outcome};
use crate::registry::Rule;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub code scanning's limit on `shortDescription` and `fullDescription`.
pub const DESCRIPTION_LIMIT: usize = 1024;

/// GitHub code scanning rejects a run with more results.
pub const MAX_RESULTS: usize = 25_000;

/// Where the rules are documented when Cargo.toml names no repository: the README's rule
/// anchors at the placeholder home the README uses.
const DEFAULT_HOME: &str = "https://github.com/OWNER/asyncfix";

pub fn write(out: &mut dyn Write, outcome: &Outcome, settings: &Settings) -> io::Result<()> {
    let cwd = cwd();
    let root = source_root(outcome, &cwd);
    let rules: Vec<Value> = settings.rules.iter().map(|&r| rule(r)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for report in &outcome.files {
        let artifact = artifact_location(report, &root);
        let fingerprint_path = artifact["uri"].as_str().unwrap_or_default().to_string();
        // How many results of the file already had each line hash.
        let mut seen: HashMap<u64, usize> = HashMap::new();
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
            // A notebook's lines are not the file's: the result points at the file, its message
            // names the cell, and the fix (in the cell's coordinates) is left out.
            let cell = cell_position(report, finding.range.start());
            if let Some((cell, line, column)) = cell {
                result["message"] = json!({ "text": format!("cell {cell}:{line}:{column}: {}", finding.message) });
                result["locations"] = json!([{ "physicalLocation": { "artifactLocation": artifact.clone() } }]);
            } else {
                result["message"] = json!({ "text": finding.message });
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": artifact.clone(),
                        "region": region(&lines, finding.range.start(), finding.range.end()),
                    }
                }]);
            }
            let line = lines.chars(finding.range.start()).0;
            let line_text =
                &lines.text()[usize::from(lines.line_start(line))..usize::from(lines.line_content_end(line))];
            let hash = line_hash(finding.rule.code(), &fingerprint_path, line_text);
            let occurrence = seen.entry(hash).or_insert(0);
            *occurrence += 1;
            result["partialFingerprints"] = json!({
                "primaryLocationLineHash": format!("{hash:016x}:{occurrence}"),
            });
            if let Some(fix) = finding.fix.as_deref().filter(|_| cell.is_none()) {
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
    cap_results(&mut results, &mut notifications, MAX_RESULTS);
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
                "%SRCROOT%": { "uri": file_uri(&root, true) },
            },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// Keeps the first `max` results; a warning notification says how many were left out.
fn cap_results(results: &mut Vec<Value>, notifications: &mut Vec<Value>, max: usize) {
    if results.len() <= max {
        return;
    }
    let left_out = results.len() - max;
    results.truncate(max);
    notifications.push(json!({
        "level": "warning",
        "message": { "text": format!(
            "{left_out} more results were left out: GitHub code scanning accepts at most {MAX_RESULTS} a run"
        ) },
        "descriptor": { "id": "too-many-results" },
    }));
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
    let help_uri = rule_url(rule).unwrap_or_else(|| format!("{DEFAULT_HOME}/blob/main/README.md#{}", rule.name()));
    let markdown = format!(
        "# {} ({})\n\n{}\n\n[Documentation]({help_uri})",
        rule.name(),
        rule.code(),
        doc.trim()
    );
    let mut descriptor = json!({
        "id": rule.code(),
        "name": rule.name(),
        "shortDescription": { "text": within_limit(&sentence(rule.summary())) },
        "fullDescription": { "text": full_description(doc) },
        "help": { "text": doc.trim(), "markdown": markdown },
        "helpUri": help_uri,
    });
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

fn section<'a>(doc: &'a str, heading: &str) -> Option<&'a str> {
    doc.split("## ").find_map(|s| s.strip_prefix(heading))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the rule finds and why it matters, within GitHub's limit: the first paragraph of "What
/// it does", then as much of the first paragraph of "Why is this bad?" as fits, cut at
/// sentence ends (the whole text is in `help`).
fn full_description(doc: &str) -> String {
    let first_paragraph = |s: &str| one_line(s.trim_start().split("\n\n").next().unwrap_or(""));
    let what = first_paragraph(section(doc, "What it does").unwrap_or(doc));
    let mut text = within_limit(&what);
    if let Some(why) = section(doc, "Why is this bad?").map(first_paragraph) {
        let mut with_why = text.clone();
        for sentence in sentences(&why) {
            if with_why.chars().count() + 1 + sentence.chars().count() > DESCRIPTION_LIMIT {
                break;
            }
            with_why.push(' ');
            with_why.push_str(sentence);
        }
        text = with_why;
    }
    text
}

/// The sentences of a one-line text (each with its final `.`).
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in s.match_indices(". ") {
        out.push(s[start..=i].trim());
        start = i + 2;
    }
    if start < s.len() {
        out.push(s[start..].trim());
    }
    out
}

/// `s` if it fits GitHub's limit, else its longest prefix of whole sentences that does (or a
/// cut at a character boundary, with `…`).
fn within_limit(s: &str) -> String {
    if s.chars().count() <= DESCRIPTION_LIMIT {
        return s.to_string();
    }
    let mut out = String::new();
    for sentence in sentences(s) {
        let extra = sentence.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > DESCRIPTION_LIMIT {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(sentence);
    }
    if out.is_empty() {
        out = s.chars().take(DESCRIPTION_LIMIT - 1).collect();
        out.push('…');
    }
    out
}

/// A result's `primaryLocationLineHash` before its occurrence number: the rule, the file's
/// repository-relative path and the text of the finding's line without surrounding
/// whitespace, so it stays the same when lines above move or indentation changes.
fn line_hash(code: &str, path: &str, line: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for part in [code, path, line.trim()] {
        for &b in part.as_bytes().iter().chain(&[0]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// The folder `%SRCROOT%` stands for: the git repository around the current directory, else
/// the one around the first file, else the current directory.
fn source_root(outcome: &Outcome, cwd: &Path) -> PathBuf {
    if let Some(root) = git_root(cwd) {
        return root;
    }
    outcome
        .files
        .iter()
        .find(|f| !f.is_stdin)
        .and_then(|f| std::path::absolute(&f.path).ok())
        .and_then(|path| path.parent().and_then(git_root))
        .unwrap_or_else(|| cwd.to_path_buf())
}

/// The nearest folder at or above `dir` with a `.git` (a folder, or a file for worktrees).
fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

fn artifact_location(report: &FileReport, root: &Path) -> Value {
    let absolute = std::path::absolute(&report.path).unwrap_or_else(|_| report.path.clone());
    match absolute.strip_prefix(root) {
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
        assert!(full_description(Rule::BlockingSleep.doc()).starts_with("Finds `time.sleep(...)`"));
        for rule in Rule::ALL {
            let text = full_description(rule.doc());
            assert!(text.chars().count() <= DESCRIPTION_LIMIT, "{}: {text}", rule.code());
            assert!(text.len() > 100, "{}: {text}", rule.code());
        }
    }

    #[test]
    fn results_are_capped_with_a_notification() {
        let mut results: Vec<Value> = (0..5).map(|i| json!({ "n": i })).collect();
        let mut notes = Vec::new();
        cap_results(&mut results, &mut notes, 5);
        assert_eq!((results.len(), notes.len()), (5, 0));
        cap_results(&mut results, &mut notes, 3);
        assert_eq!(results, vec![json!({"n": 0}), json!({"n": 1}), json!({"n": 2})]);
        assert_eq!(notes.len(), 1);
        assert!(notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("2 more results"));
    }

    #[test]
    fn long_text_is_cut_at_sentence_ends() {
        let long = "A sentence. ".repeat(200);
        let cut = within_limit(long.trim());
        assert!(cut.chars().count() <= DESCRIPTION_LIMIT);
        assert!(cut.ends_with("A sentence."), "{cut}");
        let word = "x".repeat(2000);
        assert_eq!(within_limit(&word).chars().count(), DESCRIPTION_LIMIT);
        assert_eq!(within_limit("Short."), "Short.");
    }

    #[test]
    fn line_hashes_ignore_indentation_but_not_the_rule_or_file() {
        let h = line_hash("AF003", "a.py", "    time.sleep(1)");
        assert_eq!(h, line_hash("AF003", "a.py", "time.sleep(1)  "));
        assert_ne!(h, line_hash("AF001", "a.py", "time.sleep(1)"));
        assert_ne!(h, line_hash("AF003", "b.py", "time.sleep(1)"));
        assert_ne!(h, line_hash("AF003", "a.py", "time.sleep(2)"));
    }
}
