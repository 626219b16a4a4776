//! Every output format, parsed back and checked field by field: concise, full, json,
//! json-lines, github, sarif, rdjson, rdjsonl. Positions on a line with non-ASCII text:
//! characters in json / sarif / github / full, UTF-8 bytes in rdjson. Syntax errors appear in
//! the machine formats. Standard output carries only the format; the summary goes to stderr.
//! Ends with a new user's project checked in each output mode.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{json, Value};
use tempfile::TempDir;

/// Line 5 has a non-ASCII prefix: the call starts at character 16 and byte 21, and ends
/// (exclusive) at character 29 and byte 34.
const UNICODE: &str = "import time\n\n\nasync def poll():\n    s = \"éé😀\"; time.sleep(1)\n";
const UNICODE_FIXED_LINE: &str = "    s = \"éé😀\"; await asyncio.sleep(1)";
const MESSAGE: &str = "`time.sleep()` blocks the event loop in `poll`; use `await asyncio.sleep()`";
const FIX_MESSAGE: &str = "Replace with `await asyncio.sleep(...)`";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .current_dir(cwd)
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join(".no-config"))
        .env_remove("ASYNCFIX_OUTPUT_FORMAT")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn format(cwd: &Path, fmt: &str, paths: &[&str]) -> Run {
    let mut args = vec!["--output-format", fmt];
    args.extend_from_slice(paths);
    run(cwd, &args)
}

fn json_lines(s: &str) -> Vec<Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

// -------------------------------------------------------------------------------------------
// Text formats
// -------------------------------------------------------------------------------------------

#[test]
fn concise_is_unchanged() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "concise", &["a.py"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, format!("a.py:5:16: AF003 [*] {MESSAGE}\n"));
    assert_eq!(r.stderr, "Found 1 problem (1 fixable with --write).\n");
    // Also the default.
    assert_eq!(run(&root, &["a.py"]).stdout, r.stdout);
}

#[test]
fn full_shows_the_frame_underline_and_fix() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "full", &["a.py"]);
    assert_eq!(r.code, 1);
    let expected = format!(
        "AF003 [*] {MESSAGE}
 --> a.py:5:16
  |
3 |
4 | async def poll():
5 |     s = \"éé😀\"; time.sleep(1)
  |                ^^^^^^^^^^^^^
  |
help: {FIX_MESSAGE}
  1 + import asyncio
1 2 | import time
...
4 5 | async def poll():
5   -     s = \"éé😀\"; time.sleep(1)
  6 + {UNICODE_FIXED_LINE}

"
    );
    assert_eq!(r.stdout, expected);
    assert!(r.stderr.starts_with("Found 1 problem"));
}

#[test]
fn full_marks_fixes_that_need_unsafe_fixes() {
    // No unsafe fix exists among the working passes yet; `[~]` is covered by the unit tests
    // of the format. Here: no fix at all means no marker.
    let (_d, root) = common::tree(&[("a.py", "import time\n\n\nasync def poll():\n    time.sleep()\n")]);
    let r = format(&root, "full", &["a.py"]);
    assert!(r.stdout.starts_with("AF003 `time.sleep()`"), "{}", r.stdout);
    assert!(!r.stdout.contains("help:"), "{}", r.stdout);
}

// -------------------------------------------------------------------------------------------
// JSON
// -------------------------------------------------------------------------------------------

fn check_json_item(item: &Value, root: &Path) {
    let keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "code",
            "name",
            "message",
            "severity",
            "filename",
            "location",
            "end_location",
            "fix",
            "noqa_row",
            "url"
        ]
    );
    assert_eq!(item["code"], "AF003");
    assert_eq!(item["name"], "blocking-sleep");
    assert_eq!(item["message"], MESSAGE);
    assert_eq!(item["severity"], "warning");
    assert_eq!(item["filename"], root.join("a.py").display().to_string());
    assert_eq!(item["location"], json!({"row": 5, "column": 16}));
    assert_eq!(item["end_location"], json!({"row": 5, "column": 29}));
    assert_eq!(item["noqa_row"], 5);
    assert!(item["url"].is_null() || item["url"].is_string());
    assert_eq!(
        item["fix"],
        json!({
            "applicability": "safe",
            "message": FIX_MESSAGE,
            "edits": [
                {"content": "import asyncio\n", "location": {"row": 1, "column": 1}, "end_location": {"row": 1, "column": 1}},
                {"content": "await asyncio.sleep", "location": {"row": 5, "column": 16}, "end_location": {"row": 5, "column": 26}},
            ]
        })
    );
}

#[test]
fn json_is_ruffs_shape_with_character_columns() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "json", &["a.py"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("Found 1 problem"),
        "summary on stderr: {}",
        r.stderr
    );
    let v: Value = serde_json::from_str(&r.stdout).expect("stdout is only JSON");
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 1);
    check_json_item(&items[0], &root);
}

#[test]
fn json_lines_is_one_object_a_line() {
    let (_d, root) = common::tree(&[("a.py", UNICODE), ("b.py", UNICODE)]);
    let r = format(&root, "json-lines", &["a.py", "b.py"]);
    let items = json_lines(&r.stdout);
    assert_eq!(items.len(), 2);
    check_json_item(&items[0], &root);
    assert_eq!(items[1]["filename"], root.join("b.py").display().to_string());
}

#[test]
fn json_of_a_clean_tree_is_an_empty_array() {
    let (_d, root) = common::tree(&[("a.py", "x = 1\n")]);
    let r = format(&root, "json", &["a.py"]);
    assert_eq!(r.code, 0);
    assert_eq!(serde_json::from_str::<Value>(&r.stdout).unwrap(), json!([]));
    assert_eq!(format(&root, "json-lines", &["a.py"]).stdout, "");
}

#[test]
fn syntax_errors_are_items() {
    let (_d, root) = common::tree(&[("bad.py", "async def f(:\n    pass\n"), ("a.py", UNICODE)]);
    let r = format(&root, "json", &["a.py", "bad.py"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error: Failed to parse bad.py:1:13"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let bad = v
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "syntax-error")
        .unwrap();
    assert_eq!(bad["filename"], root.join("bad.py").display().to_string());
    assert_eq!(bad["location"], json!({"row": 1, "column": 13}));
    assert_eq!(bad["severity"], "error");
    assert!(bad["fix"].is_null());
    assert!(!bad["message"].as_str().unwrap().is_empty());

    let r = format(&root, "rdjsonl", &["bad.py"]);
    let d = &json_lines(&r.stdout)[0];
    assert_eq!(d["code"]["value"], "syntax-error");
    assert_eq!(d["severity"], "ERROR");
    assert_eq!(d["location"]["path"], "bad.py");
    assert_eq!(d["location"]["range"]["start"]["line"], 1);

    let r = format(&root, "github", &["bad.py"]);
    let expected_start = format!(
        "::error file={},line=1,col=13,title=asyncfix (syntax-error)::",
        root.join("bad.py").display()
    );
    assert!(r.stdout.starts_with(&expected_start), "{}", r.stdout);

    let r = format(&root, "sarif", &["bad.py"]);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["results"], json!([]));
    let n = &run["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(n["descriptor"]["id"], "syntax-error");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "bad.py"
    );
    assert_eq!(
        n["locations"][0]["physicalLocation"]["region"],
        json!({"startLine": 1, "startColumn": 13})
    );
}

// -------------------------------------------------------------------------------------------
// GitHub workflow commands
// -------------------------------------------------------------------------------------------

#[test]
fn github_annotations() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "github", &["a.py"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        format!(
            "::warning file={},line=5,col=16,endLine=5,endColumn=29,title=asyncfix (AF003)::AF003 {MESSAGE}%0Ahelp: {FIX_MESSAGE}\n",
            root.join("a.py").display()
        )
    );
}

#[test]
fn github_escapes_properties_and_drops_columns_across_lines() {
    let source = "import time\n\n\nasync def poll():\n    time.sleep(\n        1)\n";
    let (_d, root) = common::tree(&[("a,b:c%.py", source)]);
    let r = format(&root, "github", &["a,b:c%.py"]);
    let line = r.stdout.lines().next().unwrap();
    let file = root
        .join("a%2Cb%3Ac%25.py")
        .display()
        .to_string()
        .replace(':', "%3A")
        .replace(',', "%2C");
    assert!(
        line.starts_with(&format!(
            "::warning file={file},line=5,endLine=6,title=asyncfix (AF003)::AF003 "
        )),
        "{line}"
    );
    assert!(!line.contains("col="), "{line}");
    assert!(!line.contains('\n'));
}

// -------------------------------------------------------------------------------------------
// SARIF
// -------------------------------------------------------------------------------------------

#[test]
fn sarif_has_what_code_scanning_requires() {
    let (_d, root) = common::tree(&[("src/a.py", UNICODE)]);
    let r = format(&root, "sarif", &["src/a.py"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).expect("stdout is only SARIF");
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", root.display())
    );
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "asyncfix");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = asyncfix::registry::Rule::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(ids, registry);
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !rule[key]["text"].as_str().unwrap().trim().is_empty(),
                "{key} of {rule}"
            );
        }
        assert!(rule["name"].is_string());
        assert!(["error", "warning"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    assert_eq!(rules[2]["name"], "blocking-sleep");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["ruleId"], "AF003");
    assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], "AF003");
    assert_eq!(result["level"], "warning");
    assert_eq!(result["message"]["text"], MESSAGE);
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"],
        json!({"uri": "src/a.py", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        location["region"],
        json!({"startLine": 5, "startColumn": 16, "endLine": 5, "endColumn": 29})
    );
    let fix = &result["fixes"][0];
    assert!(fix["description"]["text"].as_str().unwrap().starts_with(FIX_MESSAGE));
    let change = &fix["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "src/a.py");
    assert_eq!(
        change["replacements"],
        json!([
            {"deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
             "insertedContent": {"text": "import asyncio\n"}},
            {"deletedRegion": {"startLine": 5, "startColumn": 16, "endLine": 5, "endColumn": 26},
             "insertedContent": {"text": "await asyncio.sleep"}},
        ])
    );
}

#[test]
fn sarif_lists_only_the_selected_rules() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = run(&root, &["--output-format", "sarif", "--select", "AF003,AF004", "a.py"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(v["runs"][0]["results"][0]["ruleIndex"], 0);
}

// -------------------------------------------------------------------------------------------
// reviewdog
// -------------------------------------------------------------------------------------------

fn check_rd_diagnostic(d: &Value) {
    assert_eq!(d["code"]["value"], "AF003");
    assert_eq!(d["severity"], "WARNING");
    assert_eq!(d["message"], MESSAGE);
    assert_eq!(d["location"]["path"], "a.py");
    // UTF-8 bytes: `    s = "éé😀"; ` is 20 bytes.
    assert_eq!(
        d["location"]["range"],
        json!({"start": {"line": 5, "column": 21}, "end": {"line": 5, "column": 34}})
    );
    // One whole-line suggestion covering the import and the call (3 lines apart).
    assert_eq!(
        d["suggestions"],
        json!([{
            "range": {"start": {"line": 1}, "end": {"line": 5}},
            "text": format!("import asyncio\nimport time\n\n\nasync def poll():\n{UNICODE_FIXED_LINE}"),
        }])
    );
}

#[test]
fn rdjsonl_uses_byte_columns_and_whole_line_suggestions() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "rdjsonl", &["a.py"]);
    assert_eq!(r.code, 1);
    let items = json_lines(&r.stdout);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["source"]["name"], "asyncfix");
    check_rd_diagnostic(&items[0]);
}

#[test]
fn rdjson_is_one_result() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let r = format(&root, "rdjson", &["a.py"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["source"]["name"], "asyncfix");
    let diagnostics = v["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1);
    check_rd_diagnostic(&diagnostics[0]);
    let (_d, clean) = common::tree(&[("a.py", "x = 1\n")]);
    let v: Value = serde_json::from_str(&format(&clean, "rdjson", &["a.py"]).stdout).unwrap();
    assert_eq!(v["diagnostics"], json!([]));
}

#[test]
fn far_apart_fix_edits_are_one_patch_in_the_message_not_partial_suggestions() {
    let mut source = String::from("import time\n");
    source.push_str(&"x = 1\n".repeat(10));
    source.push_str("\n\nasync def poll():\n    time.sleep(1)\n");
    let (_d, root) = common::tree(&[("a.py", &source)]);
    let r = format(&root, "rdjsonl", &["a.py"]);
    let items = json_lines(&r.stdout);
    // One diagnostic, no suggestion: the call alone would use an `asyncio` never imported.
    assert_eq!(items.len(), 1, "{}", r.stdout);
    assert!(items[0].get("suggestions").is_none(), "{}", items[0]);
    assert_eq!(
        items[0]["location"]["range"],
        json!({"start": {"line": 15, "column": 5}, "end": {"line": 15, "column": 18}})
    );
    let message = items[0]["message"].as_str().unwrap();
    let expected = format!(
        "{}\n\n{FIX_MESSAGE}: it edits lines 1 and 15 of the file, too far apart for one suggested \
         change, so it is not posted as a suggestion. `asyncfix --write` applies this patch:\n\n\
         ```diff\n--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,4 @@\n+import asyncio\n import time\n x = 1\n x = 1\n\
         @@ -12,4 +13,4 @@\n \n \n async def poll():\n-    time.sleep(1)\n+    await asyncio.sleep(1)\n```",
        "`time.sleep()` blocks the event loop in `poll`; use `await asyncio.sleep()`"
    );
    assert_eq!(message, expected);
}

// -------------------------------------------------------------------------------------------
// Streams and modes
// -------------------------------------------------------------------------------------------

#[test]
fn write_reports_what_remains_in_the_format() {
    let source = "import time\n\n\nasync def poll():\n    time.sleep(1)\n    time.sleep()\n";
    let (_d, root) = common::tree(&[("a.py", source)]);
    let r = run(&root, &["--write", "--output-format", "json", "a.py"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["location"]["row"], 7, "positioned in the fixed text");
    assert!(v[0]["fix"].is_null());
}

#[test]
fn stdin_write_keeps_the_source_on_stdout_and_the_format_on_stderr() {
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .args(["--isolated", "--write", "--output-format", "json", "-"])
        .write_stdin("import time\n\n\nasync def poll():\n    time.sleep()\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "import time\n\n\nasync def poll():\n    time.sleep()\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json_end = stderr.rfind(']').unwrap() + 1;
    let v: Value = serde_json::from_str(&stderr[..json_end]).unwrap();
    assert_eq!(v[0]["filename"], "-");
}

#[test]
fn check_mode_prints_no_format() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    for fmt in ["json", "sarif", "github", "rdjsonl"] {
        let r = run(&root, &["--check", "--output-format", fmt, "a.py"]);
        assert_eq!((r.code, r.stdout.as_str()), (1, ""), "{fmt}");
    }
}

#[test]
fn env_var_sets_the_format() {
    let (_d, root) = common::tree(&[("a.py", UNICODE)]);
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .current_dir(&root)
        .env("ASYNCFIX_OUTPUT_FORMAT", "json-lines")
        .args(["--isolated", "a.py"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(v["code"], "AF003");
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .current_dir(&root)
        .env("ASYNCFIX_OUTPUT_FORMAT", "xml")
        .args(["--isolated", "a.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

// -------------------------------------------------------------------------------------------
// A new user's project, in every output mode
// -------------------------------------------------------------------------------------------

const PYPROJECT: &str = r#"[project]
name = "shop"
requires-python = ">=3.11"

[tool.asyncfix]
extend-exclude = ["vendor"]

[tool.asyncfix.per-file-ignores]
"scripts/*.py" = ["blocking-sleep"]
"#;

const SERVICE: &str = "import time


async def poll():
    time.sleep(1)
    time.sleep(2)  # asyncfix: ignore[blocking-sleep]
    # asyncfix: ignore[AF003]
    time.sleep(3)
";

fn new_user_project() -> (TempDir, PathBuf) {
    common::tree(&[
        ("pyproject.toml", PYPROJECT),
        ("shop/service.py", SERVICE),
        ("vendor/lib.py", SERVICE),
        ("scripts/seed.py", SERVICE),
    ])
}

#[test]
fn new_user_project_in_every_mode() {
    let (_d, root) = new_user_project();
    let service = root.join("shop/service.py").display().to_string();

    // Settings: the pyproject is found and the target version inferred.
    let r = run(&root.join("shop"), &["--show-settings"]);
    assert!(r
        .stdout
        .contains(&format!("config-file = \"{}\"", root.join("pyproject.toml").display())));
    assert!(r.stdout.contains("target-version = \"py311\""), "{}", r.stdout);

    let r = run(&root, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "shop/service.py:5:5: AF003 [*] `time.sleep()` blocks the event loop in `poll`; use `await asyncio.sleep()`\n"
    );

    let r = run(&root, &["--output-format", "full"]);
    assert!(r.stdout.starts_with("AF003 [*] `time.sleep()`"), "{}", r.stdout);
    assert!(r.stdout.contains(" --> shop/service.py:5:5\n"), "{}", r.stdout);

    let r = run(&root, &["--output-format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["filename"], service);
    assert_eq!(v[0]["location"], json!({"row": 5, "column": 5}));

    let r = run(&root, &["--output-format", "json-lines"]);
    assert_eq!(json_lines(&r.stdout).len(), 1);

    let r = run(&root, &["--output-format", "github"]);
    assert_eq!(r.stdout.lines().count(), 1);
    assert!(r.stdout.starts_with(&format!(
        "::warning file={service},line=5,col=5,endLine=5,endColumn=18,"
    )));

    let r = run(&root, &["--output-format", "sarif"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "shop/service.py"
    );

    let r = run(&root, &["--output-format", "rdjsonl"]);
    let items = json_lines(&r.stdout);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["location"]["path"], "shop/service.py");
    assert_eq!(
        items[0]["suggestions"][0]["text"],
        "import asyncio\nimport time\n\n\nasync def poll():\n    await asyncio.sleep(1)"
    );

    let r = run(&root, &["--output-format", "rdjson"]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1);

    // --diff: only the unsuppressed call, only in the checked file.
    let r = run(&root, &["--diff"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.starts_with("--- a/shop/service.py\n+++ b/shop/service.py\n"),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches("\n+    await asyncio.sleep").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("vendor") && !r.stdout.contains("scripts"));

    // --write, then everything is clean (the suppressed lines stay as they were).
    let r = run(&root, &["--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fixed = fs::read_to_string(root.join("shop/service.py")).unwrap();
    assert!(fixed.contains("    time.sleep(2)  # asyncfix: ignore[blocking-sleep]\n"));
    assert!(fixed.contains("    # asyncfix: ignore[AF003]\n    time.sleep(3)\n"));
    assert_eq!(fs::read_to_string(root.join("vendor/lib.py")).unwrap(), SERVICE);
    assert_eq!(fs::read_to_string(root.join("scripts/seed.py")).unwrap(), SERVICE);
    for fmt in ["concise", "json", "github", "sarif", "rdjsonl"] {
        let r = run(&root, &["--output-format", fmt]);
        assert_eq!(r.code, 0, "{fmt}: {}", r.stdout);
    }
    let r = run(&root, &["--check"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
}
