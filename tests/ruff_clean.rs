//! Fixes add no ruff findings: each fixture of the import-placement and clean-up cases is
//! fixed (`--write --unsafe-fixes`) in a scratch directory, and ruff (the test venv's) must
//! find no more F401, F841, F821, E402 or I001 per code in it than before.

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
