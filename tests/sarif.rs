//! SARIF for GitHub code scanning (issue 15): the output validates against the SARIF 2.1.0
//! JSON schema vendored in tests/schemas/ (with `jsonschema` from the test venv), meets the
//! limits GitHub documents (descriptions of at most 1024 characters, at most 25,000 results
//! and 20 runs, at most 1,000 locations a result, 20 tags a rule), gives every rule a
//! `helpUri` and `help` markdown, every result a `partialFingerprints.primaryLocationLineHash`
//! that survives lines moving, and paths relative to the repository root when run from a
//! subfolder.

mod common;

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

const SLEEPY: &str = "import time


async def poll():
    time.sleep(1)
    time.sleep(1)
";

const TASKS: &str = "import asyncio


async def work():
    pass


async def main():
    asyncio.create_task(work())
    work()
    asyncio.run(work())
";

const SUBPROCESS: &str = "import subprocess


async def build():
    subprocess.run([\"make\"])
";

fn sarif(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--isolated", "--output-format", "sarif"];
    all.extend_from_slice(args);
    let run = common::asyncfix(dir, &all);
    assert!(matches!(run.code, Some(0..=2)), "{}", run.describe());
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.describe()))
}

/// Validates `doc` against the vendored schema; the errors, if any.
fn schema_errors(doc: &Value) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    fs::write(&file, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let script = "import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
doc = json.load(open(sys.argv[2], encoding='utf-8'))
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.absolute_path))
for e in errors:
    print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)
sys.exit(1 if errors else 0)
";
    let run = common::test_python_run(
        dir.path(),
        &["-I", "-c", script, schema.to_str().unwrap(), file.to_str().unwrap()],
    );
    match run.code {
        Some(0) => None,
        Some(1) => Some(run.stdout),
        _ => panic!("the validator did not run:\n{}", run.describe()),
    }
}

fn text_len(v: &Value) -> usize {
    v["text"].as_str().expect("a text").chars().count()
}

#[test]
fn sarif_validates_against_the_schema_and_meets_githubs_limits() {
    let (_d, root) = common::tree(&[
        ("app/sleepy.py", SLEEPY),
        ("app/tasks.py", TASKS),
        ("app/build.py", SUBPROCESS),
        ("app/bad.py", "async def f(:\n"),
    ]);
    let doc = sarif(&root, &["."]);
    if let Some(errors) = schema_errors(&doc) {
        panic!("the SARIF output does not match the 2.1.0 schema:\n{errors}\n{doc:#}");
    }
    // The validator does reject what the schema forbids.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    broken.as_object_mut().unwrap().remove("version");
    let errors = schema_errors(&broken).expect("a broken document is rejected");
    assert!(errors.contains("version") && errors.contains("fatal"), "{errors}");

    let runs = doc["runs"].as_array().unwrap();
    assert!(!runs.is_empty() && runs.len() <= 20);
    let run = &runs[0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), asyncfix::registry::Rule::ALL.len());
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for key in ["shortDescription", "fullDescription"] {
            let n = text_len(&rule[key]);
            assert!((1..=1024).contains(&n), "{id} {key}: {n} characters");
        }
        assert!(text_len(&rule["help"]) > text_len(&rule["fullDescription"]), "{id}");
        let markdown = rule["help"]["markdown"].as_str().unwrap();
        assert!(markdown.contains("## Why is this bad?"), "{id}: {markdown}");
        let name = rule["name"].as_str().unwrap();
        let uri = rule["helpUri"].as_str().unwrap();
        assert!(
            uri.starts_with("https://") && uri.ends_with(&format!("README.md#{name}")),
            "{id}: {uri}"
        );
        assert!(rule["properties"]["tags"].as_array().unwrap().len() <= 20);
    }
    let results = run["results"].as_array().unwrap();
    let codes: Vec<&str> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    for code in ["AF001", "AF002", "AF003", "AF004", "AF101"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert!(results.len() <= 25_000);
    for result in results {
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert!((1..=1000).contains(&locations.len()));
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        let (hex, n) = hash.split_once(':').unwrap();
        assert_eq!(hex.len(), 16, "{hash}");
        assert!(n.parse::<usize>().unwrap() >= 1, "{hash}");
    }
    // The file that does not parse is a notification, not a result.
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/bad.py"
    );
}

fn fingerprints(doc: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["primaryLocationLineHash"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fingerprints_survive_moved_lines_and_count_repeated_lines() {
    let (_d, root) = common::tree(&[("a.py", SLEEPY)]);
    let before = sarif(&root, &["a.py"]);
    let prints = fingerprints(&before);
    // The two identical `time.sleep(1)` lines: the same hash, occurrences 1 and 2.
    assert_eq!(prints.len(), 2);
    let (first, second) = (&prints[0].1, &prints[1].1);
    assert_eq!(first.split_once(':').unwrap().0, second.split_once(':').unwrap().0);
    assert_eq!(
        [first.split_once(':').unwrap().1, second.split_once(':').unwrap().1],
        ["1", "2"]
    );
    // Lines added above and the indentation changed: the same fingerprints, other lines.
    let moved = format!("\"\"\"Doc.\"\"\"\n\n\n{}", SLEEPY.replace("    time", "\ttime"));
    fs::write(root.join("a.py"), moved).unwrap();
    let after = sarif(&root, &["a.py"]);
    assert_eq!(fingerprints(&after), prints);
    assert_ne!(
        after["runs"][0]["results"][0]["locations"],
        before["runs"][0]["results"][0]["locations"]
    );
    // Another line text, rule or file changes it.
    fs::write(root.join("a.py"), SLEEPY.replace("sleep(1)", "sleep(2)")).unwrap();
    assert_ne!(fingerprints(&sarif(&root, &["a.py"])), prints);
    fs::rename(root.join("a.py"), root.join("b.py")).unwrap();
    fs::write(root.join("b.py"), SLEEPY).unwrap();
    assert_ne!(fingerprints(&sarif(&root, &["b.py"])), prints);
}

#[test]
fn paths_are_relative_to_the_repository_root_from_a_subfolder() {
    let (_d, root) = common::tree(&[("src/pkg/a.py", SLEEPY)]);
    let git = common::finish(
        "git init",
        std::process::Command::new("git")
            .current_dir(&root)
            .args(["init", "-q"])
            .output(),
    );
    assert_eq!(git.code, Some(0), "{}", git.describe());
    let doc = sarif(&root.join("src"), &["pkg/a.py"]);
    let run = &doc["runs"][0];
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", root.display())
    );
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location, &json!({"uri": "src/pkg/a.py", "uriBaseId": "%SRCROOT%"}));
    let fix_location = &run["results"][0]["fixes"][0]["artifactChanges"][0]["artifactLocation"];
    assert_eq!(fix_location["uri"], "src/pkg/a.py");
    // From the root, the same paths and fingerprints.
    let from_root = sarif(&root, &["src/pkg/a.py"]);
    assert_eq!(
        from_root["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
        *location
    );
    assert_eq!(fingerprints(&from_root), fingerprints(&doc));

    // Outside any repository: relative to the current directory.
    let (_e, plain) = common::tree(&[("sub/a.py", SLEEPY)]);
    let doc = sarif(&plain.join("sub"), &["a.py"]);
    assert_eq!(
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "a.py"
    );
}
