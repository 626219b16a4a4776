//! Jupyter notebooks, through the built binary: the fixtures under `fixes/notebooks/` (their
//! findings must agree with the `# AFxxx` markers in their cells; report and diff are insta
//! snapshots), byte-for-byte round trips, the notebook's style kept when writing, malformed
//! notebooks, discovery and standard input, and a real kernel (nbclient + ipykernel from the
//! test venv) running a notebook before and after `--write`.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::{asyncfix, test_python_run, Run};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes").join("notebooks")
}

fn fixture(name: &str) -> String {
    fs::read_to_string(fixture_dir().join(name)).unwrap()
}

fn snapshot(name: &str, value: &str) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.to_string(), value);
    });
}

/// A temporary folder holding the named fixtures.
fn with_fixtures(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        fs::write(dir.path().join(name), fixture(name)).unwrap();
    }
    dir
}

/// The code cells' sources of a notebook (index among all cells, text).
fn code_cells(text: &str) -> Vec<(usize, String)> {
    let nb: Value = serde_json::from_str(text).unwrap();
    nb["cells"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, c)| c["cell_type"] == "code")
        .map(|(i, c)| {
            let source = match &c["source"] {
                Value::String(s) => s.clone(),
                Value::Array(lines) => lines.iter().map(|l| l.as_str().unwrap()).collect(),
                other => panic!("source {other}"),
            };
            (i, source)
        })
        .collect()
}

/// `(cell, line, code)` of every `# AFxxx` marker (cells and lines 1-based).
fn markers(text: &str) -> BTreeSet<(usize, usize, String)> {
    let mut out = BTreeSet::new();
    for (cell, source) in code_cells(text) {
        for (i, line) in source.lines().enumerate() {
            let Some(comment) = line.rfind("# AF").map(|at| &line[at + 2..]) else {
                continue;
            };
            for code in comment.split([',', ' ']).filter(|c| c.starts_with("AF")) {
                out.insert((cell + 1, i + 1, code.trim_end_matches(':').to_string()));
            }
        }
    }
    out
}

/// `(cell, line, code)` of every finding in concise output (`nb.ipynb:cell 3:2:5: AF004 ...`).
fn findings(concise: &str, file: &str) -> BTreeSet<(usize, usize, String)> {
    concise
        .lines()
        .filter_map(|line| line.strip_prefix(&format!("{file}:cell ")))
        .map(|rest| {
            let parts: Vec<&str> = rest.splitn(4, ':').collect();
            let code = parts[3].split_whitespace().next().unwrap().to_string();
            (parts[0].parse().unwrap(), parts[1].parse().unwrap(), code)
        })
        .collect()
}

fn run_ok(run: &Run, code: i32) {
    assert_eq!(run.code, Some(code), "{}", run.describe());
}

#[test]
fn findings_agree_with_the_markers_and_the_report_and_diff_are_snapshots() {
    let name = "nested_asyncio_run.ipynb";
    let dir = with_fixtures(&[name]);
    let text = fixture(name);
    let expected = markers(&text);
    assert!(expected.len() >= 8, "{expected:?}");

    let concise = asyncfix(dir.path(), &["--output-format", "concise", name]);
    run_ok(&concise, 1);
    assert_eq!(findings(&concise.stdout, name), expected, "{}", concise.stdout);
    assert!(concise.stdout.lines().all(|l| l.starts_with(&format!("{name}:cell "))));

    let full = asyncfix(dir.path(), &["--output-format", "full", name]);
    run_ok(&full, 1);
    let diff = asyncfix(dir.path(), &["--diff", name]);
    run_ok(&diff, 1);
    assert!(diff
        .stdout
        .contains(&format!("--- a/{name}:cell 3\n+++ b/{name}:cell 3\n")));
    snapshot(
        "notebook_nested_asyncio_run",
        &format!(
            "# concise\n{}\n# full\n{}\n# diff\n{}",
            concise.stdout, full.stdout, diff.stdout
        ),
    );

    // `--write` applies what the diff showed; what remains has no fix; a second run changes nothing.
    let write = asyncfix(dir.path(), &["--write", "--output-format", "concise", name]);
    run_ok(&write, 1);
    let written = fs::read_to_string(dir.path().join(name)).unwrap();
    let remaining = findings(&write.stdout, name);
    assert!(remaining.iter().all(|(_, _, code)| code == "AF004"), "{}", write.stdout);
    assert!(!write.stdout.contains("[*]"), "{}", write.stdout);
    let again = asyncfix(dir.path(), &["--write", name]);
    run_ok(&again, 1);
    assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), written);
    // Only the sources of fixed cells changed: every other JSON line is as it was.
    let sources_changed = code_cells(&text)
        .iter()
        .zip(code_cells(&written))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| a.0 + 1)
        .collect::<Vec<_>>();
    assert_eq!(sources_changed, [3, 4, 5, 6, 7, 8, 9]);
    same_except_sources(&text, &written);
}

/// `after` is `before` with some cells' `source` changed and nothing else: the same JSON
/// values elsewhere, and every changed line of text a line of a `source` list.
fn same_except_sources(before: &str, after: &str) {
    let mut a: Value = serde_json::from_str(before).unwrap();
    let mut b: Value = serde_json::from_str(after).unwrap();
    for nb in [&mut a, &mut b] {
        for cell in nb["cells"].as_array_mut().unwrap() {
            cell.as_object_mut().unwrap().remove("source");
        }
    }
    assert_eq!(a, b, "only sources may change");
    let diff = similar::TextDiff::from_lines(before, after);
    for change in diff.iter_all_changes() {
        if change.tag() != similar::ChangeTag::Equal {
            let line = change.value();
            assert!(
                line.starts_with("    \"") || line.starts_with("   \"source\": "),
                "a line outside a source changed: {line:?}"
            );
        }
    }
}

#[test]
fn machine_formats_name_the_cell_and_point_at_the_file() {
    let name = "run_in_kernel.ipynb";
    let dir = with_fixtures(&[name]);
    let tmp = dir.path().canonicalize().unwrap();
    let json = asyncfix(dir.path(), &["--output-format", "json", name]);
    run_ok(&json, 1);
    let items: Value = serde_json::from_str(&json.stdout).unwrap();
    // As ruff: the row and column in the cell, and the cell (1-based, every cell counted).
    let first = &items[0];
    assert_eq!(first["cell"], 4, "{first}");
    assert_eq!(first["location"], serde_json::json!({"row": 1, "column": 5}));
    let github = asyncfix(dir.path(), &["--output-format", "github", name]);
    run_ok(&github, 1);
    let sarif = asyncfix(dir.path(), &["--output-format", "sarif", name]);
    run_ok(&sarif, 1);
    let doc: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], name, "{result}");
        assert!(location.get("region").is_none(), "{result}");
        assert!(result["message"]["text"].as_str().unwrap().starts_with("cell "));
    }
    let rdjson = asyncfix(dir.path(), &["--output-format", "rdjson", name]);
    run_ok(&rdjson, 1);
    let doc: Value = serde_json::from_str(&rdjson.stdout).unwrap();
    for diagnostic in doc["diagnostics"].as_array().unwrap() {
        assert!(diagnostic["location"].get("range").is_none(), "{diagnostic}");
        assert!(diagnostic.get("suggestions").is_none(), "{diagnostic}");
    }
    // Both still validate against their schemas.
    assert_eq!(schema_errors(dir.path(), "sarif-2.1.0.json", &sarif.stdout), None);
    assert_eq!(
        schema_errors(dir.path(), "reviewdog-DiagnosticResult.json", &rdjson.stdout),
        None
    );
    let redact = |s: &str| {
        s.replace(&tmp.display().to_string(), "[TMP]")
            .replace(&dir.path().display().to_string(), "[TMP]")
    };
    snapshot(
        "notebook_machine_formats",
        &format!("# json\n{}\n# github\n{}", redact(&json.stdout), redact(&github.stdout)),
    );
}

/// The errors of `doc` against tests/schemas/`schema` (`jsonschema` in the test venv), if any.
fn schema_errors(dir: &Path, schema: &str, doc: &str) -> Option<String> {
    fs::write(dir.join("doc.json"), doc).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas").join(schema);
    let script = "import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
doc = json.load(open(sys.argv[2], encoding='utf-8'))
cls = jsonschema.validators.validator_for(schema)
errors = list(cls(schema).iter_errors(doc))
for e in errors:
    print('/'.join(map(str, e.absolute_path)) + ': ' + e.message)
sys.exit(1 if errors else 0)
";
    let run = test_python_run(dir, &["-I", "-c", script, schema.to_str().unwrap(), "doc.json"]);
    match run.code {
        Some(0) => None,
        Some(1) => Some(run.stdout),
        _ => panic!("the validator did not run:\n{}", run.describe()),
    }
}

#[test]
fn notebooks_with_nothing_to_fix_round_trip_byte_for_byte() {
    let names = ["roundtrip_nbformat.ipynb", "roundtrip_strings.ipynb"];
    let dir = with_fixtures(&names);
    // The fixtures hold what they are meant to test.
    let nbformat = fixture(names[0]);
    let strings = fixture(names[1]);
    for needle in [
        "%time x = 1",
        "!pip list",
        "files = !ls",
        "x?",
        "%%capture",
        "😀",
        "\\r\\n",
        "\"source\": []",
    ] {
        assert!(nbformat.contains(needle), "{needle}");
    }
    assert!(strings.is_ascii() && strings.contains("\\u00e9") && strings.contains("\\ud83d\\ude00"));
    assert!(strings.contains("\"source\": \"%matplotlib") && !strings.ends_with('\n'));
    assert!(strings.contains("\n  \"cells\""));
    for name in names {
        let before = fixture(name);
        let check = asyncfix(dir.path(), &["--select", "ALL", name]);
        run_ok(&check, 0);
        let diff = asyncfix(dir.path(), &["--select", "ALL", "--diff", name]);
        run_ok(&diff, 0);
        assert_eq!(diff.stdout, "", "{name}");
        let write = asyncfix(dir.path(), &["--select", "ALL", "--write", name]);
        run_ok(&write, 0);
        assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), before, "{name}");
    }
}

#[test]
fn sources_written_again_are_the_same_bytes() {
    // What writing a changed cell relies on: every string of every fixture's sources, encoded
    // again in the file's style, is the bytes the file has (magics, CRLF, non-ASCII raw or
    // escaped, string sources, markdown too).
    use asyncfix::notebook::json::{encode_source, read, SourceLayout, StringStyle};
    let mut checked = 0;
    for entry in fs::read_dir(fixture_dir()).unwrap() {
        let raw = fs::read_to_string(entry.unwrap().path()).unwrap();
        let style = StringStyle::of(&raw);
        let (cells, _) = read(&raw).unwrap();
        for source in cells.iter().filter_map(|c| c.source.as_ref()) {
            match &source.layout {
                SourceLayout::String => {
                    assert_eq!(style.encode(&source.text), raw[source.span.clone()]);
                    checked += 1;
                }
                SourceLayout::Lines(lines) => {
                    for (span, line) in lines {
                        assert_eq!(style.encode(line), raw[span.clone()]);
                        checked += 1;
                    }
                    // The list put together again: brackets, spacing and separators.
                    assert_eq!(
                        encode_source(&raw, source, &source.text, style),
                        raw[source.span.clone()]
                    );
                }
            }
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn writing_keeps_the_notebooks_style() {
    // A fix in each style: a list of lines (nbformat's indent 1, raw UTF-8, final newline) and
    // one string per source (indent 2, ASCII escapes, no final newline).
    let dir = tempfile::tempdir().unwrap();
    for name in ["roundtrip_nbformat.ipynb", "roundtrip_strings.ipynb"] {
        let original = fixture(name);
        let (before, after) = if name.contains("strings") {
            (
                "print(s)\"",
                (
                    "import asyncio\\nasyncio.run(main())  # \\u00e9\"",
                    "import asyncio\\nawait main()  # \\u00e9\"",
                ),
            )
        } else {
            (
                "\"print(s)\"",
                ("\"asyncio.run(main())  # é\"", "\"await main()  # é\""),
            )
        };
        let (with_fix, fixed) = if name.contains("strings") {
            (original.replace(before, after.0), original.replace(before, after.1))
        } else {
            (
                original.replace(before, &format!("\"import asyncio\\n\",\n    {}", after.0)),
                original.replace(before, &format!("\"import asyncio\\n\",\n    {}", after.1)),
            )
        };
        assert_ne!(with_fix, original, "{name}: the fixture changed");
        fs::write(dir.path().join(name), &with_fix).unwrap();
        let write = asyncfix(dir.path(), &["--write", name]);
        run_ok(&write, 0);
        assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), fixed, "{name}");
    }
}

#[test]
fn malformed_notebooks_are_named_errors_and_nothing_is_written() {
    let cases = [
        ("bad_json.ipynb", "{\"cells\": [", "invalid JSON"),
        ("no_cells.ipynb", "{\"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}", "no `cells` list"),
        (
            "v3.ipynb",
            "{\"metadata\": {}, \"nbformat\": 3, \"nbformat_minor\": 0, \"worksheets\": [{\"cells\": [{\"cell_type\": \"code\", \"input\": \"asyncio.run(main())\"}]}]}",
            "nbformat 3 notebooks are not supported",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("good.py"),
        "import time\n\n\nasync def f():\n    time.sleep(1)\n",
    )
    .unwrap();
    for (name, text, reason) in cases {
        fs::write(dir.path().join(name), text).unwrap();
        for mode in ["--check", "--diff", "--write"] {
            let run = asyncfix(dir.path(), &[mode, name]);
            run_ok(&run, 2);
            assert!(
                run.stderr.contains(&format!("error: Failed to read notebook {name}: ")) && run.stderr.contains(reason),
                "{}",
                run.describe()
            );
            assert!(run.stderr.contains("1 file could not be read as a notebook") || mode == "--check");
            assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), text);
        }
        // Standard input: echoed back unchanged under `--write`.
        let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").unwrap();
        let output = cmd
            .current_dir(dir.path())
            .args(["--stdin-filename", name, "--write"])
            .write_stdin(text)
            .timeout(common::TIMEOUT)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&output.stdout), text);
        assert!(String::from_utf8_lossy(&output.stderr).contains(reason));
    }
    // The other files are still processed.
    let run = asyncfix(dir.path(), &["--write", "."]);
    run_ok(&run, 2);
    assert!(fs::read_to_string(dir.path().join("good.py"))
        .unwrap()
        .contains("await asyncio.sleep(1)"));
    // A JSON file that is no notebook, and a syntax error in a cell (located in the cell).
    fs::write(dir.path().join("list.ipynb"), "[]").unwrap();
    let run = asyncfix(dir.path(), &["list.ipynb"]);
    run_ok(&run, 2);
    assert!(
        run.stderr.contains("not a notebook: the JSON is not an object"),
        "{}",
        run.describe()
    );
    let broken = fixture("run_in_kernel.ipynb").replace("\"print('done')\"", "\"print('done'\"");
    fs::write(dir.path().join("broken.ipynb"), &broken).unwrap();
    let run = asyncfix(dir.path(), &["--write", "broken.ipynb"]);
    run_ok(&run, 2);
    assert!(
        run.stderr.contains("Failed to parse broken.ipynb:cell 8:1:"),
        "{}",
        run.describe()
    );
    assert_eq!(fs::read_to_string(dir.path().join("broken.ipynb")).unwrap(), broken);
}

#[test]
fn notebooks_are_discovered_with_python_files_and_read_from_standard_input() {
    let name = "run_in_kernel.ipynb";
    let dir = with_fixtures(&[name]);
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("sub").join(name), fixture(name)).unwrap();
    fs::write(dir.path().join("sub").join("clean.py"), "x = 1\n").unwrap();
    let files = asyncfix(dir.path(), &["--show-files", "."]);
    run_ok(&files, 0);
    assert_eq!(files.stdout, format!("run_in_kernel.ipynb\nsub/clean.py\nsub/{name}\n"));
    let walked = asyncfix(dir.path(), &["--output-format", "concise", "."]);
    run_ok(&walked, 1);
    assert_eq!(
        walked.stdout.matches(":cell 4:1:5: AF004").count(),
        2,
        "{}",
        walked.stdout
    );
    // Excludes and per-file-ignores apply.
    let excluded = asyncfix(
        dir.path(),
        &["--output-format", "concise", "--extend-exclude", "sub", "."],
    );
    run_ok(&excluded, 1);
    assert_eq!(
        excluded.stdout.matches(":cell 4:1:5: AF004").count(),
        1,
        "{}",
        excluded.stdout
    );
    fs::write(
        dir.path().join("asyncfix.toml"),
        "[per-file-ignores]\n\"*.ipynb\" = [\"AF004\"]\n",
    )
    .unwrap();
    let ignored = asyncfix(dir.path(), &["--output-format", "concise", "."]);
    fs::remove_file(dir.path().join("asyncfix.toml")).unwrap();
    run_ok(&ignored, 1);
    assert!(
        !ignored.stdout.contains("AF004") && ignored.stdout.contains("AF001"),
        "{}",
        ignored.stdout
    );

    // `--stdin-filename x.ipynb`: read as a notebook; `--write` prints the fixed notebook.
    let stdin = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").unwrap();
        let output = cmd
            .current_dir(dir.path())
            .args(args)
            .env("NO_COLOR", "1")
            .write_stdin(fixture(name))
            .timeout(common::TIMEOUT)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (code, out, _) = stdin(&["--stdin-filename", "x.ipynb", "--output-format", "concise"]);
    assert_eq!(code, Some(1));
    assert!(out.starts_with("x.ipynb:cell 4:1:5: AF004"), "{out}");
    let (code, out, _) = stdin(&["--stdin-filename", "x.ipynb", "--write"]);
    assert_eq!(code, Some(0));
    let write = asyncfix(dir.path(), &["--write", name]);
    run_ok(&write, 0);
    assert_eq!(out, fs::read_to_string(dir.path().join(name)).unwrap());
    let (code, out, _) = stdin(&["--stdin-filename", "x.ipynb", "--diff"]);
    assert_eq!(code, Some(1));
    assert!(out.starts_with("--- a/x.ipynb:cell 4\n+++ b/x.ipynb:cell 4\n"), "{out}");
}

#[test]
fn nest_asyncio_makes_the_nested_call_work() {
    let dir = with_fixtures(&["run_in_kernel.ipynb"]);
    let text = fixture("run_in_kernel.ipynb").replace(
        "\"import asyncio\\n\",",
        "\"import asyncio\\n\",\n    \"import nest_asyncio\\n\",\n    \"nest_asyncio.apply()\\n\",",
    );
    assert!(text.contains("nest_asyncio.apply()"));
    fs::write(dir.path().join("nested.ipynb"), text).unwrap();
    let run = asyncfix(dir.path(), &["--output-format", "concise", "nested.ipynb"]);
    run_ok(&run, 1);
    // AF004 is not reported; the coroutine called without `await` still is.
    assert_eq!(findings(&run.stdout, "nested.ipynb").len(), 1, "{}", run.stdout);
    assert!(run.stdout.contains("AF001"), "{}", run.stdout);
}

/// Runs a notebook with nbclient in a fresh ipykernel: prints `OK` and every stream output,
/// or `FAILED` and the error.
const RUN_NOTEBOOK: &str = r#"
import sys
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
try:
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
except CellExecutionError as e:
    print("FAILED")
    print(f"{e.ename}: {e.evalue}")
    sys.exit(0)
print("OK")
for cell in nb.cells:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            sys.stdout.write(output["text"])
        elif output.get("output_type") == "execute_result":
            print("result:", output["data"]["text/plain"])
"#;

#[test]
fn a_real_kernel_runs_the_notebook_after_the_fix() {
    let name = "run_in_kernel.ipynb";
    let dir = with_fixtures(&[name]);
    fs::write(dir.path().join("run_notebook.py"), RUN_NOTEBOOK).unwrap();
    let run = |file: &str| {
        let run = test_python_run(dir.path(), &["-I", "run_notebook.py", file]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        run.stdout
    };
    // Before: the kernel's loop is running, so `asyncio.run()` refuses.
    let before = run(name);
    assert!(before.starts_with("FAILED"), "{before}");
    assert!(
        before.contains("RuntimeError: asyncio.run() cannot be called from a running event loop"),
        "{before}"
    );
    let original = fixture(name);
    let write = asyncfix(dir.path(), &["--write", name]);
    run_ok(&write, 0);
    assert!(
        write.stderr.contains("Fixed 4 problems in 1 file."),
        "{}",
        write.describe()
    );
    let written = fs::read_to_string(dir.path().join(name)).unwrap();
    same_except_sources(&original, &written);
    // Untouched cells are the same bytes, outputs included.
    let untouched_before: Vec<_> = code_cells(&original)
        .into_iter()
        .filter(|(i, _)| ![3, 4, 5, 6].contains(i))
        .collect();
    let untouched_after: Vec<_> = code_cells(&written)
        .into_iter()
        .filter(|(i, _)| ![3, 4, 5, 6].contains(i))
        .collect();
    assert_eq!(untouched_before, untouched_after);
    assert!(
        written.contains("\"text\": [\n      \"before\\n\"\n     ]"),
        "{written}"
    );
    // After: it runs (nbformat.validate passes in the script), and prints what it should.
    let after = run(name);
    assert_eq!(
        after, "OK\nbefore\nran 1\nresult 2\nran 2\nresult: 4\nran 3\nresult 6\nran 4\nresult: 8\ndone\n",
        "{after}"
    );
}
