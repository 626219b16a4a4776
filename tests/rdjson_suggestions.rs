//! reviewdog suggestions are committed one at a time from the pull request page, so each
//! diagnostic's suggestion must be a whole fix on its own (issue 15).
//!
//! On a tree with several rules' findings (two dropped tasks in one file, AF001, AF003 twice
//! next to the import it needs, AF004, an unsafe AF101 and the shipped examples/ project):
//! - every diagnostic's suggestion, applied ALONE to a fresh copy of its file (as reviewdog
//!   and GitHub apply a whole-line suggestion), leaves a file that compiles
//!   (`python -m py_compile` in the test venv), has no undefined name (ruff F821 from the test
//!   venv) and no longer has that finding (asyncfix run again);
//! - a fixable diagnostic without a suggestion shows the whole fix as a ```diff block that
//!   `git apply` accepts, with the same three checks after it;
//! - unsafe fixes are suggested only with `--unsafe-fixes`;
//! - no two suggestions of a file touch the same lines, so no edit is posted twice;
//! - rdjson and rdjsonl validate against reviewdog's JSON schemas (tests/schemas/).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

/// Two dropped tasks far below the imports, a blocking sleep and a missing await.
const TASKS: &str = r#""""Background work."""
import asyncio
import time

RETRIES = 3
DELAY = 0.5
NAME = "tasks"


async def work():
    await asyncio.sleep(0)


async def main():
    asyncio.create_task(work())
    time.sleep(1)
    work()
    asyncio.ensure_future(work())
"#;

/// Two blocking sleeps close to the import their fixes add: both fixes add `import asyncio`.
const SMALL: &str = "import time
async def f():
    time.sleep(1)
    time.sleep(2)
";

const NESTED: &str = "import asyncio


async def fetch():
    return 1


async def main():
    value = asyncio.run(fetch())
    return value
";

/// AF101: its fix (a thread) is unsafe.
const SUBPROCESS: &str = "import subprocess


async def build():
    subprocess.run([\"make\"], check=True)
";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn tree() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap();
    for (name, text) in [
        ("app/tasks.py", TASKS),
        ("app/small.py", SMALL),
        ("app/nested.py", NESTED),
        ("app/build.py", SUBPROCESS),
    ] {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/service"),
        &root.join("service"),
    );
    (dir, root)
}

fn rdjsonl(dir: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--isolated", "--output-format", "rdjsonl"];
    all.extend_from_slice(args);
    let run = common::asyncfix(dir, &all);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.describe());
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn path_of(d: &Value) -> &str {
    d["location"]["path"].as_str().unwrap()
}

fn code_of(d: &Value) -> &str {
    d["code"]["value"].as_str().unwrap()
}

/// How many findings of `code` asyncfix reports in `file` (relative to `dir`).
fn count(dir: &Path, file: &str, code: &str, unsafe_fixes: bool) -> usize {
    let mut args = vec![file];
    if unsafe_fixes {
        args.push("--unsafe-fixes");
    }
    rdjsonl(dir, &args).iter().filter(|d| code_of(d) == code).count()
}

/// `(first, last)` of a whole-line suggestion; it must have no columns.
fn line_range(s: &Value) -> (usize, usize) {
    let range = &s["range"];
    assert!(
        range["start"].get("column").is_none() && range["end"].get("column").is_none(),
        "whole-line suggestions only: {s}"
    );
    let line = |p: &Value| p["line"].as_u64().unwrap() as usize;
    (line(&range["start"]), line(&range["end"]))
}

/// The text after one whole-line suggestion, as reviewdog posts it and GitHub commits it:
/// lines first..=last replaced by `text` and the line ending.
fn apply_suggestion(text: &str, s: &Value) -> String {
    let (first, last) = line_range(s);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert!(first >= 1 && first <= last && last <= lines.len(), "{s}");
    let mut out: String = lines[..first - 1].concat();
    out.push_str(s["text"].as_str().unwrap());
    out.push('\n');
    out.push_str(&lines[last..].concat());
    out
}

/// The file compiles and ruff finds no undefined name in it.
fn check_python(dir: &Path, file: &str, what: &str) {
    let cache = tempfile::tempdir().unwrap();
    let prefix = format!("pycache_prefix={}", cache.path().display());
    let run = common::test_python_run(dir, &["-I", "-X", &prefix, "-m", "py_compile", file]);
    assert_eq!(
        run.code,
        Some(0),
        "{what}: {file} does not compile:\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap()
    );
    let run = common::ruff_check(dir, file, "F821", &[]);
    assert_eq!(
        run.code,
        Some(0),
        "{what}: ruff finds undefined names in {file}:\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap()
    );
}

/// The ```diff block of a message, if any.
fn patch_of(message: &str) -> Option<String> {
    let start = message.find("```diff\n")? + "```diff\n".len();
    let end = start + message[start..].rfind("```")?;
    Some(message[start..end].to_string())
}

fn applies_alone(unsafe_fixes: bool) {
    let (_d, root) = tree();
    let args: &[&str] = if unsafe_fixes { &["--unsafe-fixes", "."] } else { &["."] };
    let diagnostics = rdjsonl(&root, args);
    let mut suggested = 0;
    let mut patched = 0;
    for (i, d) in diagnostics.iter().enumerate() {
        let (file, code) = (path_of(d), code_of(d));
        let before = count(&root, file, code, unsafe_fixes);
        let what = format!("diagnostic {i} ({code} in {file})");
        let fresh = tempfile::tempdir().unwrap();
        let work = fs::canonicalize(fresh.path()).unwrap();
        copy_dir(&root, &work);
        let original = fs::read_to_string(root.join(file)).unwrap();
        if let Some(suggestions) = d.get("suggestions") {
            let suggestions = suggestions.as_array().unwrap();
            assert_eq!(suggestions.len(), 1, "{what}: one suggestion a diagnostic: {d}");
            assert!(patch_of(d["message"].as_str().unwrap()).is_none(), "{what}: {d}");
            fs::write(work.join(file), apply_suggestion(&original, &suggestions[0])).unwrap();
            suggested += 1;
        } else if let Some(patch) = patch_of(d["message"].as_str().unwrap()) {
            assert!(
                d["message"].as_str().unwrap().contains("`asyncfix --write"),
                "{what}: the message names the command: {d}"
            );
            fs::write(work.join("fix.patch"), &patch).unwrap();
            let run = common::finish(
                "git apply",
                std::process::Command::new("git")
                    .current_dir(&work)
                    .args(["apply", "--unsafe-paths", "fix.patch"])
                    .output(),
            );
            assert_eq!(run.code, Some(0), "{what}: git apply:\n{}\n{patch}", run.describe());
            patched += 1;
        } else {
            continue;
        }
        assert_ne!(fs::read_to_string(work.join(file)).unwrap(), original, "{what}");
        check_python(&work, file, &what);
        let after = count(&work, file, code, unsafe_fixes);
        assert_eq!(
            after,
            before - 1,
            "{what}: the finding is still there after its fix:\n{}",
            fs::read_to_string(work.join(file)).unwrap()
        );
    }
    // The tree has both kinds: the AF002 fixes span the file, the AF003 ones are local.
    assert!(suggested >= 4, "{suggested} suggestions:\n{diagnostics:#?}");
    assert!(patched >= 3, "{patched} patches:\n{diagnostics:#?}");
}

#[test]
fn each_suggestion_applied_alone_compiles_defines_its_names_and_fixes_its_finding() {
    applies_alone(false);
}

#[test]
fn each_unsafe_suggestion_applied_alone_too() {
    applies_alone(true);
}

#[test]
fn dropped_tasks_far_from_the_imports_show_the_whole_patch() {
    let (_d, root) = tree();
    let diagnostics = rdjsonl(&root, &["app/tasks.py"]);
    let tasks: Vec<&Value> = diagnostics.iter().filter(|d| code_of(d) == "AF002").collect();
    assert_eq!(tasks.len(), 2, "{diagnostics:#?}");
    for d in tasks {
        assert!(d.get("suggestions").is_none(), "no partial suggestion: {d}");
        let message = d["message"].as_str().unwrap();
        assert!(message.starts_with("Task from `asyncio."), "{message}");
        assert!(message.contains("`asyncfix --write` applies this patch"), "{message}");
        let patch = patch_of(message).unwrap();
        assert!(patch.starts_with("--- a/app/tasks.py\n+++ b/app/tasks.py\n"), "{patch}");
        assert!(
            patch.contains("\n+_background_tasks"),
            "the set is in the patch: {patch}"
        );
        assert!(
            patch.contains(".add_done_callback(_background_tasks.discard)"),
            "{patch}"
        );
    }
    // The local fixes of the same file are still suggested.
    let af003 = diagnostics.iter().find(|d| code_of(d) == "AF003").unwrap();
    assert_eq!(af003["suggestions"][0]["text"], "    await asyncio.sleep(1)");
}

#[test]
fn unsafe_fixes_are_suggested_only_with_unsafe_fixes() {
    let (_d, root) = tree();
    let without = rdjsonl(&root, &["app/build.py"]);
    assert_eq!(without.len(), 1, "{without:#?}");
    assert_eq!(code_of(&without[0]), "AF101");
    assert!(without[0].get("suggestions").is_none(), "{}", without[0]);
    let message = without[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`asyncfix --write --unsafe-fixes` applies it"),
        "{message}"
    );
    assert!(patch_of(message).is_none(), "{message}");
    let with = rdjsonl(&root, &["--unsafe-fixes", "app/build.py"]);
    assert_eq!(with.len(), 1);
    let text = with[0]["suggestions"][0]["text"].as_str().unwrap();
    assert!(text.contains("await asyncio.to_thread(subprocess.run"), "{}", with[0]);
    // No unsafe fix anywhere in the tree is suggested without the flag.
    let unsafe_codes = ["AF101", "AF102", "AF103", "AF104", "AF105"];
    for d in rdjsonl(&root, &["."]) {
        if unsafe_codes.contains(&code_of(&d)) {
            assert!(d.get("suggestions").is_none(), "{d}");
        }
    }
}

#[test]
fn no_two_suggestions_of_a_file_touch_the_same_lines() {
    let (_d, root) = tree();
    for args in [&["."][..], &["--unsafe-fixes", "."][..]] {
        let mut by_file: BTreeMap<String, Vec<(usize, usize, String)>> = BTreeMap::new();
        for d in rdjsonl(&root, args) {
            for s in d.get("suggestions").and_then(Value::as_array).into_iter().flatten() {
                let (first, last) = line_range(s);
                by_file.entry(path_of(&d).to_string()).or_default().push((
                    first,
                    last,
                    s["text"].as_str().unwrap().to_string(),
                ));
            }
        }
        // small.py: both fixes add `import asyncio`; only the first is suggested.
        let small = &by_file["app/small.py"];
        assert_eq!(small.len(), 1, "{small:?}");
        assert!(small[0].2.contains("import asyncio"), "{small:?}");
        for (file, suggestions) in &by_file {
            for (i, a) in suggestions.iter().enumerate() {
                for b in &suggestions[i + 1..] {
                    assert!(
                        a.1 < b.0 || b.1 < a.0,
                        "{args:?}: two suggestions in {file} share lines: {a:?} and {b:?}"
                    );
                }
            }
        }
    }
    // The second AF003 of small.py shows its patch (with the import it needs) instead.
    let second = rdjsonl(&root, &["app/small.py"]).remove(1);
    let patch = patch_of(second["message"].as_str().unwrap()).unwrap();
    assert!(patch.contains("+import asyncio\n") && patch.contains("+    await asyncio.sleep(2)\n"));
}

/// The schema errors of `doc` (or of each line of it, with `lines`) against
/// tests/schemas/`schema`, if any (`jsonschema` in the test venv).
fn schema_errors(schema: &str, doc: &str, lines: bool) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.json");
    fs::write(&file, doc).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas").join(schema);
    let script = "import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
text = open(sys.argv[2], encoding='utf-8').read()
docs = [json.loads(l) for l in text.splitlines()] if sys.argv[3] == 'lines' else [json.loads(text)]
errors = [e for d in docs for e in cls(schema).iter_errors(d)]
for e in errors:
    print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)
sys.exit(1 if errors else 0)
";
    let run = common::test_python_run(
        dir.path(),
        &[
            "-I",
            "-c",
            script,
            schema.to_str().unwrap(),
            file.to_str().unwrap(),
            if lines { "lines" } else { "document" },
        ],
    );
    match run.code {
        Some(0) => None,
        Some(1) => Some(run.stdout),
        _ => panic!("the validator did not run:\n{}", run.describe()),
    }
}

#[test]
fn rdjson_and_rdjsonl_match_reviewdogs_schemas() {
    let (_d, root) = tree();
    fs::write(root.join("app/bad.py"), "async def f(:\n").unwrap();
    for unsafe_fixes in [false, true] {
        let mut args = vec!["--isolated", "--output-format", "rdjson", "."];
        if unsafe_fixes {
            args.push("--unsafe-fixes");
        }
        let run = common::asyncfix(&root, &args);
        assert_eq!(run.code, Some(2), "bad.py does not parse: {}", run.describe());
        if let Some(errors) = schema_errors("reviewdog-DiagnosticResult.json", &run.stdout, false) {
            panic!("rdjson does not match reviewdog's schema:\n{errors}\n{}", run.stdout);
        }
        args[2] = "rdjsonl";
        let run = common::asyncfix(&root, &args);
        assert!(run.stdout.lines().count() > 10, "{}", run.stdout);
        if let Some(errors) = schema_errors("reviewdog-Diagnostic.json", &run.stdout, true) {
            panic!(
                "rdjsonl lines do not match reviewdog's schema:\n{errors}\n{}",
                run.stdout
            );
        }
    }
    // The validator rejects what the schema forbids.
    let broken = r#"{"message": "m", "severity": "FATAL", "location": {"path": "a.py"}}"#;
    assert!(schema_errors("reviewdog-Diagnostic.json", broken, true).is_some());
}
