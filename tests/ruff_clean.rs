//! Fixes add no ruff findings: each fixture of the import-placement and clean-up cases is
//! fixed (`--write --unsafe-fixes`) in a scratch directory, and ruff (the test venv's) must
//! find no more F401, F841, F821, E402 or I001 per code in it than before. And fixes that make
//! a line too long leave a file that `ruff format` kept clean still clean.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const FIXTURES: &[&str] = &[
    "blocking_sleep.py",
    "blocking_sleep_import.py",
    "blocking_sleep_kept_import.py",
    "blocking_sleep_trio.py",
    "blocking_sleep_unused_import.py",
    "blocking_subprocess_layout.py",
    "dangling_task.py",
    "dangling_task_header.py",
    "dangling_task_sorted_imports.py",
    "dangling_task_star_import.py",
    "nested_asyncio_run.py",
    "nested_asyncio_run_alias_kept.py",
    "nested_asyncio_run_trio.py",
    "nested_asyncio_run_unused_loop.py",
];

/// ruff's findings in `file`, counted per code.
fn ruff_counts(dir: &Path, file: &str) -> BTreeMap<String, usize> {
    let run = common::ruff_check(dir, file, "F401,F841,F821,E402,I001", &["--exit-zero"]);
    assert_eq!(run.code, Some(0), "ruff failed on {file}:\n{}", run.describe());
    let mut counts = BTreeMap::new();
    for line in run.stdout.lines() {
        // path:line:col: CODE message
        if let Some(code) = line
            .splitn(4, ':')
            .nth(3)
            .and_then(|rest| rest.split_whitespace().next())
        {
            *counts.entry(code.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

#[test]
fn fixes_add_no_ruff_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let dir = tempfile::tempdir().unwrap();
    let mut before = BTreeMap::new();
    for name in FIXTURES {
        fs::copy(root.join(name), dir.path().join(name)).unwrap();
        before.insert(*name, ruff_counts(dir.path(), name));
    }
    let mut args = vec!["--write", "--unsafe-fixes", "-q"];
    args.extend(FIXTURES.iter().copied());
    let run = common::asyncfix(dir.path(), &args);
    assert!(run.code.is_some_and(|c| c <= 1), "asyncfix failed:\n{}", run.describe());
    let mut changed = 0;
    for name in FIXTURES {
        let fixed = fs::read_to_string(dir.path().join(name)).unwrap();
        if fixed != fs::read_to_string(root.join(name)).unwrap() {
            changed += 1;
        }
        let after = ruff_counts(dir.path(), name);
        for (code, n) in &after {
            let was = before[name].get(code).copied().unwrap_or(0);
            assert!(
                *n <= was,
                "{name}: the fixes add ruff {code} ({was} before, {n} after):\n{fixed}"
            );
        }
    }
    assert_eq!(changed, FIXTURES.len(), "every fixture has a fix that applies");
}

/// A module that `ruff format` leaves as it is, where the blocking-call fixes make lines too
/// long in every shape they write: statements, values, nested calls, magic trailing commas,
/// brackets broken around, `if`/`elif`/`while` tests (two fixes in one), call chains, a
/// trailing comment, deep indentation. `import asyncio` is the framework's line.
const LONG_LINES: &str = r#"import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path

import requests


async def statements(self, command_line, directory, url, prompt_text):
    subprocess.run(
        command_line, check=True, capture_output=True, text=True, cwd=directory
    )
    result = subprocess.run(
        command_line, check=True, capture_output=True, cwd=directory
    )
    self.result = subprocess.check_output(
        command_line, stderr=subprocess.STDOUT, text=1
    )
    data = requests.get(url, timeout=5, headers={"Accept": "application/json"}).json()
    first = requests.get(url, timeout=5, headers={"Accept": "application/json"})[0]
    name = input(prompt_text + " (the name of the thing you want to create, please): ")
    return result, data, first, name


async def nested(command_line, directory, url):
    payload = json.loads(requests.get(url, timeout=5, headers={"X-Token": "t"}).text)
    subprocess.run(
        command_line,
        check=True,
    )
    shutil.copytree(
        src=directory,
        dst=directory + ".bak",
        ignore=None,
        dirs_exist_ok=True,
        symlinks=1,
    )
    return [
        {
            "prefect.deployments.steps.set_working_directory": {
                "directory": str(Path.cwd().absolute().resolve())
            }
        }
    ]


async def tests(directory, other_directory):
    path = Path(directory)
    if path.exists() and not path.is_file():
        pass
    if not Path(other_directory).expanduser().resolve().exists():
        pass
    elif Path(other_directory).expanduser().resolve().is_dir():
        pass
    while Path(directory).expanduser().resolve().exists():  # waiting for the directory
        break
    if True:
        if True:
            if True:
                resolved = Path(other_directory).expanduser().resolve()
                return (Path.cwd() / Path(resolved)).absolute().resolve()
"#;

/// `ruff format <mode>` (`--check`, `--diff`; the test venv's ruff) on `file` in `dir`.
fn ruff_format(dir: &Path, mode: &str, file: &str) -> common::Run {
    ruff_format_with(dir, &[mode], file)
}

/// `ruff format OPTIONS` (the test venv's ruff, no configuration) on `file` in `dir`.
fn ruff_format_with(dir: &Path, options: &[&str], file: &str) -> common::Run {
    let mut args = vec!["-I", "-m", "ruff", "format", "--isolated", "--no-cache"];
    args.extend_from_slice(options);
    args.push(file);
    common::test_python_run(dir, &args)
}

/// A test module is as `ruff format` (default settings) leaves it.
fn assert_formatted_to_begin_with(root: &Path, module: &str) {
    let before = ruff_format(root, "--check", module);
    assert_eq!(
        before.code,
        Some(0),
        "{module} is not formatted to begin with:\n{}",
        before.describe()
    );
}

/// `ruff format OPTIONS --check` passes on the fixed `module` (else its diff is shown), and
/// the module compiles.
fn assert_still_formatted(root: &Path, options: &[&str], module: &str) {
    let fixed = fs::read_to_string(root.join(module)).unwrap();
    let with = |mode: &'static str| [options, &[mode]].concat();
    let after = ruff_format_with(root, &with("--check"), module);
    assert_eq!(
        after.code,
        Some(0),
        "{module} ({options:?}): `ruff format` would change the fixed file:\n{}\n--- the file ---\n{fixed}",
        ruff_format_with(root, &with("--diff"), module).stdout
    );
    common::py_compile(root, module, common::test_python_run);
}

#[test]
fn long_fixed_lines_are_laid_out_as_ruff_format_does() {
    let crlf = LONG_LINES.replace('\n', "\r\n");
    let files: Vec<(String, String)> = vec![
        ("asyncio_mod.py".into(), LONG_LINES.to_string()),
        (
            "anyio_mod.py".into(),
            LONG_LINES.replace("import asyncio\n", "import anyio\n"),
        ),
        (
            "trio_mod.py".into(),
            LONG_LINES.replace("import asyncio\n", "import trio\n"),
        ),
        ("crlf_mod.py".into(), crlf),
        // Python 3.8 (`--target-version py38` below): `loop.run_in_executor(None,
        // functools.partial(...))`, longer still.
        ("py38/mod.py".into(), LONG_LINES.to_string()),
    ];
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let (_dir, root) = common::tree(&refs);
    let modules = [
        "asyncio_mod.py",
        "anyio_mod.py",
        "trio_mod.py",
        "crlf_mod.py",
        "py38/mod.py",
    ];
    for module in modules {
        assert_formatted_to_begin_with(&root, module);
    }
    for (target, selected) in [("py39", &modules[..4]), ("py38", &modules[4..])] {
        let mut args = vec!["--write", "--unsafe-fixes", "-q", "--target-version", target];
        args.extend(selected);
        let run = common::asyncfix(&root, &args);
        assert!(run.code.is_some_and(|c| c <= 1), "asyncfix failed:\n{}", run.describe());
    }
    for module in modules {
        let fixed = fs::read_to_string(root.join(module)).unwrap();
        let original = &files.iter().find(|(n, _)| n == module).unwrap().1;
        assert_ne!(&fixed, original, "{module}: the fixes apply");
        assert!(
            fixed.contains("to_thread") || fixed.contains("run_in_executor"),
            "{module}:\n{fixed}"
        );
        assert_still_formatted(&root, &[], module);
    }
    let read = |m: &str| fs::read_to_string(root.join(m)).unwrap();
    assert!(
        read("py38/mod.py").contains("run_in_executor(\n"),
        "{}",
        read("py38/mod.py")
    );
    assert!(
        read("anyio_mod.py").contains("functools.partial(\n"),
        "{}",
        read("anyio_mod.py")
    );
    assert!(
        read("trio_mod.py").contains("trio.to_thread.run_sync(\n"),
        "{}",
        read("trio_mod.py")
    );
    // CRLF stays CRLF.
    let crlf = fs::read_to_string(root.join("crlf_mod.py")).unwrap();
    assert!(
        !crlf.replace("\r\n", "").contains('\n'),
        "a bare LF in the CRLF file:\n{crlf}"
    );
}

/// The same module in a project that formats to another line length (`[tool.ruff]
/// line-length`, `[tool.black] line-length`): formatted by `ruff format` at that length, then
/// fixed, it is still formatted at that length. (At 88 columns the model would not know the
/// original layout and keep plain splices, which `ruff format` rewraps.)
#[test]
fn fixed_lines_follow_the_projects_line_length() {
    for (config, width) in [
        ("[tool.ruff]\nline-length = 100\n", "100"),
        ("[tool.black]\nline-length = 120\n", "120"),
    ] {
        let (_dir, root) = common::tree(&[("pyproject.toml", config), ("mod.py", LONG_LINES)]);
        let formatted = ruff_format_with(&root, &["--line-length", width, "-q"], "mod.py");
        assert_eq!(formatted.code, Some(0), "{}", formatted.describe());
        let original = fs::read_to_string(root.join("mod.py")).unwrap();
        assert_ne!(original, LONG_LINES, "formatted at {width}: some lines are joined");

        let settings = common::asyncfix(&root, &["--show-settings"]);
        assert!(
            settings.stdout.contains(&format!("line-length = {width}  # from ")),
            "{}",
            settings.describe()
        );
        let run = common::asyncfix(&root, &["--write", "--unsafe-fixes", "-q", "mod.py"]);
        assert!(run.code.is_some_and(|c| c <= 1), "asyncfix failed:\n{}", run.describe());
        let fixed = fs::read_to_string(root.join("mod.py")).unwrap();
        assert_ne!(fixed, original, "{width}: the fixes apply");
        assert_still_formatted(&root, &["--line-length", width], "mod.py");
    }
}

/// A module that `ruff format` leaves as it is, where the safe fixes (AF001's `await`, AF003's
/// `await asyncio.sleep`, AF004's `asyncio.run(c)` → `await c` joined onto one line) make
/// lines too long: a statement, a call's argument, `(await f())[0]`, a trailing comment, deep
/// indentation, a `return`.
const LONG_AWAITS: &str = r#"import asyncio
import time


async def fetch_record(identifier, connection_parameters, retries=3, timeout=None):
    return [identifier]


async def statements(repository, identifier, connection_parameters, retry_delay):
    fetch_record(identifier, connection_parameters, retries=5, timeout=retry_delay)
    count = len(fetch_record(identifier, connection_parameters, retries=5, timeout=9))
    first = fetch_record(identifier, connection_parameters, retries=5, timeout=9)[0]
    fetch_record(identifier, connection_parameters, retries=5, timeout=9)  # refresh
    time.sleep(repository.configuration.retry_delay_seconds_for_the_connection_x)
    if count:
        if first:
            time.sleep(repository.configuration.retry_delay_seconds_for_connection)
    return count, first


async def nested(identifier, connection_parameters, retry_delay):
    return asyncio.run(
        fetch_record(identifier, connection_parameters, retries=5, timeout=retry_delay)
    )
"#;

#[test]
fn long_awaited_lines_are_laid_out_as_ruff_format_does() {
    let crlf = LONG_AWAITS.replace('\n', "\r\n");
    let (_dir, root) = common::tree(&[("lf.py", LONG_AWAITS), ("crlf.py", &crlf)]);
    for module in ["lf.py", "crlf.py"] {
        assert_formatted_to_begin_with(&root, module);
    }
    let run = common::asyncfix(&root, &["--isolated", "--write", "-q", "lf.py", "crlf.py"]);
    assert_eq!(run.code, Some(0), "every finding is fixed:\n{}", run.describe());
    for module in ["lf.py", "crlf.py"] {
        let fixed = fs::read_to_string(root.join(module)).unwrap();
        assert_eq!(fixed.matches("await ").count(), 7, "{module}:\n{fixed}");
        assert_still_formatted(&root, &[], module);
    }
    let crlf = fs::read_to_string(root.join("crlf.py")).unwrap();
    assert!(
        !crlf.replace("\r\n", "").contains('\n'),
        "a bare LF in the CRLF file:\n{crlf}"
    );
    let again = common::asyncfix(&root, &["--isolated", "--write", "-q", "lf.py", "crlf.py"]);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert_eq!(again.stdout, "", "{}", again.describe());
}
