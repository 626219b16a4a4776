//! Never crash, never a silent all-clear, never a wrong fix: the built binary on temporary
//! trees.
//!
//! - A panic in one file (injected with `ASYNCFIX_INJECT_PANIC`, debug builds only) is an
//!   internal error for that file; the other files are still fixed; exit 2.
//! - Unknown selectors and non-Python files named explicitly are errors (exit 2), never
//!   "All checks passed!".
//! - In trio code, AF003's safe fix writes `trio.sleep`; where a module imports two
//!   frameworks and the coroutine shows neither, the fix is unsafe.
//! - A file with a syntax error gets the findings of the parser's error recovery beside the
//!   error, without fixes: it keeps its bytes in `--write`, the exit code stays 2.
//! - Resolution terminates on projects built to make it blow up (star-import cycles with
//!   fan-out, long re-export chains, diamond class hierarchies).

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::Run;

fn asyncfix_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").expect("the asyncfix binary is built");
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .timeout(common::TIMEOUT);
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::finish(&format!("asyncfix {args:?}"), cmd.output())
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

const SLEEPY: &str = "import time\n\n\nasync def f():\n    time.sleep(1)\n";

#[test]
fn a_panic_in_one_file_is_reported_for_it_and_the_others_are_still_fixed() {
    let dir = TempDir::new().unwrap();
    let marked = "import time\n\n\nasync def g():\n    time.sleep(2)  # PANIC-HERE\n";
    write(dir.path(), &[("a.py", SLEEPY), ("b.py", marked), ("c.py", SLEEPY)]);
    let run = asyncfix_env(
        dir.path(),
        &["--write", "."],
        &[("ASYNCFIX_INJECT_PANIC", "PANIC-HERE")],
    );
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr.contains("b.py: internal error") && run.stderr.contains("injected panic"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("This is a bug in asyncfix"), "{}", run.describe());
    // No backtrace or default panic message over the report.
    assert!(!run.stderr.contains("panicked at"), "{}", run.describe());
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.describe());
    assert_eq!(fs::read_to_string(dir.path().join("b.py")).unwrap(), marked);
    for fixed in ["a.py", "c.py"] {
        let text = fs::read_to_string(dir.path().join(fixed)).unwrap();
        assert!(text.contains("await asyncio.sleep(1)"), "{fixed}: {text}");
    }
    assert!(
        run.stderr.contains("Fixed 2 problems in 2 files."),
        "{}",
        run.describe()
    );

    // The same file alone, in every mode and format: exit 2, never an all-clear.
    for args in [
        &["b.py"][..],
        &["--check", "b.py"],
        &["--diff", "b.py"],
        &["--output-format", "json", "b.py"],
        &["--output-format", "sarif", "b.py"],
    ] {
        let run = asyncfix_env(dir.path(), args, &[("ASYNCFIX_INJECT_PANIC", "PANIC-HERE")]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.describe());
        assert!(
            !run.stderr.contains("All checks passed"),
            "{args:?}: {}",
            run.describe()
        );
        assert!(!run.stderr.contains("panicked at"), "{args:?}: {}", run.describe());
    }
    // Standard input: the text comes back unchanged under --write.
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").unwrap();
    let output = cmd
        .current_dir(dir.path())
        .args(["--write", "-"])
        .env("ASYNCFIX_INJECT_PANIC", "PANIC-HERE")
        .write_stdin(marked)
        .timeout(common::TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stdout), marked);
}

#[test]
fn unknown_selectors_are_errors_naming_where_they_came_from() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), &[("a.py", SLEEPY)]);
    for (args, expect) in [
        (
            &["--select", "AF999", "a.py"][..],
            "--select: unknown rule selector `AF999`",
        ),
        (&["--select", "AF2", "a.py"], "--select: unknown rule selector `AF2`"),
        (&["--ignore", "AF9", "a.py"], "--ignore: unknown rule selector `AF9`"),
        (&["--extend-select", "AF01", "a.py"], "did you mean `AF001`?"),
        (&["--select", "blocking-slep", "a.py"], "did you mean `blocking-sleep`?"),
    ] {
        let run = asyncfix_env(dir.path(), args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.describe());
        assert!(run.stderr.contains(expect), "{args:?}: {}", run.describe());
        assert!(
            !run.stderr.contains("All checks passed"),
            "{args:?}: {}",
            run.describe()
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.describe());
    }
    // In the configuration: file, line and column.
    write(
        dir.path(),
        &[(
            "pyproject.toml",
            "[tool.asyncfix]\nignore = [\"AF004\"]\nselect = [\"AF999\"]\n",
        )],
    );
    let run = asyncfix_env(dir.path(), &["a.py"], &[]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(
        run.stderr
            .contains("pyproject.toml:3:11: `select`: unknown rule selector `AF999`"),
        "{}",
        run.describe()
    );
    // And as a `--config` override.
    fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
    let run = asyncfix_env(dir.path(), &["--config", "ignore = [\"AF9\"]", "a.py"], &[]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stderr.contains("unknown rule selector `AF9`"), "{}", run.describe());
    // Real selectors still work.
    let run = asyncfix_env(
        dir.path(),
        &["--select", "AF0,blocking-sleep", "--ignore", "AF1", "a.py"],
        &[],
    );
    assert_eq!(run.code, Some(1), "{}", run.describe());
}

#[test]
fn files_that_cannot_be_analysed_are_errors_not_all_clears() {
    let dir = TempDir::new().unwrap();
    // Notebooks are analysed (tests/notebooks.rs); other files named explicitly are not.
    let notes = "time.sleep(1)\n";
    write(
        dir.path(),
        &[
            ("notes.txt", notes),
            ("Makefile", "all:\n\ttrue\n"),
            ("script", &format!("#!/usr/bin/env python3\n{SLEEPY}")),
            ("clean.py", "x = 1\n"),
        ],
    );
    for name in ["notes.txt", "Makefile"] {
        for mode in [&[][..], &["--check"], &["--write"], &["--diff"]] {
            let mut args = mode.to_vec();
            args.push(name);
            let run = asyncfix_env(dir.path(), &args, &[]);
            assert_eq!(run.code, Some(2), "{args:?}: {}", run.describe());
            assert!(
                run.stderr.contains(&format!("error: {name}: ")),
                "{args:?}: {}",
                run.describe()
            );
            assert!(
                !run.stderr.contains("All checks passed"),
                "{args:?}: {}",
                run.describe()
            );
        }
    }
    let run = asyncfix_env(dir.path(), &["notes.txt", "clean.py"], &[]);
    assert!(
        run.stderr.contains("notes.txt: not a Python file (`.txt`)"),
        "{}",
        run.describe()
    );
    assert!(run.stderr.contains("1 file could not be checked"), "{}", run.describe());
    assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), notes);
    // A script with a python shebang is Python.
    let run = asyncfix_env(dir.path(), &["script"], &[]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stdout.contains("script:6:5: AF003"), "{}", run.describe());
    // Walking a folder: other files are not picked up (and are no error).
    fs::remove_file(dir.path().join("script")).unwrap();
    let run = asyncfix_env(dir.path(), &["."], &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // Standard input named as a text file.
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").unwrap();
    let output = cmd
        .current_dir(dir.path())
        .args(["--stdin-filename", "x.txt", "--write"])
        .write_stdin(notes)
        .timeout(common::TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stdout), notes);
    assert!(String::from_utf8_lossy(&output.stderr).contains("x.txt: not a Python file"));
}

#[test]
fn findings_beside_a_syntax_error_are_reported_never_fixed() {
    let dir = TempDir::new().unwrap();
    // Python 3.4's spelling: `async` is a keyword today.
    let broken = "import asyncio\nimport time\n\nfrom app.api import notify\n\nensure_future = asyncio.async\n\n\nasync def main():\n    time.sleep(1)\n    notify()\n    asyncio.sleep(1)\n";
    write(
        dir.path(),
        &[
            ("app/__init__.py", ""),
            ("app/api.py", "async def notify():\n    pass\n"),
            ("app/old.py", broken),
        ],
    );
    for mode in [&[][..], &["--write"], &["--diff"], &["--check"]] {
        let mut args = vec!["--isolated"];
        args.extend_from_slice(mode);
        args.push(".");
        let run = asyncfix_env(dir.path(), &args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.describe());
        assert!(run.stderr.contains("app/old.py:6:"), "{args:?}: {}", run.describe());
        // `--check` is quiet: no summary.
        assert!(
            mode == ["--check"] || run.stderr.contains("1 file could not be parsed"),
            "{args:?}: {}",
            run.describe()
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("app/old.py")).unwrap(),
            broken,
            "{args:?}"
        );
        assert!(!run.stdout.contains("+++"), "{args:?}: {}", run.describe());
        if mode.is_empty() {
            for found in [
                "app/old.py:10:5: AF003 ",
                "app/old.py:11:5: AF001 ",
                "app/old.py:12:5: AF001 ",
            ] {
                assert!(run.stdout.contains(found), "{found}: {}", run.describe());
            }
            assert!(!run.stdout.contains("[*]"), "{}", run.describe());
        }
    }
    // Standard input: the text comes back unchanged.
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").unwrap();
    let output = cmd
        .current_dir(dir.path())
        .args(["--isolated", "--stdin-filename", "x.py", "--write", "-"])
        .write_stdin(broken)
        .timeout(common::TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stdout), broken);
}

#[test]
fn the_framework_decides_the_sleep_fix() {
    let dir = TempDir::new().unwrap();
    let trio_app = "import time\n\nimport trio\n\n\nasync def child():\n    time.sleep(1)\n\n\ntrio.run(child)\n";
    let mixed = "import asyncio\nimport time\n\nimport trio\n\n\nasync def unknown():\n    time.sleep(1)\n";
    write(dir.path(), &[("trio_app.py", trio_app), ("mixed.py", mixed)]);
    let run = asyncfix_env(dir.path(), &["--write", "."], &[]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    let fixed = fs::read_to_string(dir.path().join("trio_app.py")).unwrap();
    assert!(fixed.contains("    await trio.sleep(1)\n"), "{fixed}");
    assert!(!fixed.contains("asyncio"), "{fixed}");
    // Not evident: reported with the reason, not applied by plain --write.
    assert_eq!(fs::read_to_string(dir.path().join("mixed.py")).unwrap(), mixed);
    assert!(
        run.stdout.contains(
            "unsafe fix: the module imports asyncio and trio, and nothing in `unknown` shows which one runs it"
        ),
        "{}",
        run.describe()
    );
    let run = asyncfix_env(dir.path(), &["--write", "--unsafe-fixes", "mixed.py"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(fs::read_to_string(dir.path().join("mixed.py"))
        .unwrap()
        .contains("await asyncio.sleep(1)"));
}

/// A project built to make resolution blow up: a package whose `__init__` star-imports many
/// modules that star-import it back, a long chain of re-exports, a ladder of diamond
/// inheritance, and many call sites. Exponential resolution never finishes; the timeout of
/// the test (minutes) is only there to fail it, the run takes well under a second.
#[test]
fn resolution_terminates_on_cycles_chains_and_diamonds() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let fanout = 24;
    let mut init = String::new();
    for i in 0..fanout {
        init.push_str(&format!("from .m{i} import *\n"));
        write(
            root,
            &[(
                &format!("pkg/m{i}.py"),
                &format!(
                    "from pkg import *\nfrom . import *\nfrom .m{} import *\n\n\ndef f{i}():\n    pass\n",
                    (i + 1) % fanout
                ),
            )],
        );
    }
    init.push_str("from .chain.c40 import target as exported\n");
    write(root, &[("pkg/__init__.py", &init)]);
    // A re-export chain 40 long (longer than resolution follows), and one within reach.
    write(
        root,
        &[
            ("pkg/chain/__init__.py", ""),
            ("pkg/chain/c0.py", "async def target():\n    pass\n"),
        ],
    );
    for i in 1..=40 {
        write(
            root,
            &[(
                &format!("pkg/chain/c{i}.py"),
                &format!("from .c{} import target\n", i - 1),
            )],
        );
    }
    // Diamonds: every class of a level inherits both classes of the level below.
    let mut classes = String::from("class A0:\n    async def send(self):\n        pass\n\n\nclass B0(A0):\n    pass\n");
    for level in 1..30 {
        let below = level - 1;
        classes.push_str(&format!(
            "\n\nclass A{level}(A{below}, B{below}):\n    pass\n\n\nclass B{level}(B{below}, A{below}):\n    pass\n"
        ));
    }
    write(root, &[("pkg/classes.py", &classes)]);
    // Callers: names that are nowhere bound make every star import be searched.
    let mut app = String::from("from pkg import *\nfrom pkg.classes import A12\nfrom pkg.chain.c5 import target\n\n\nasync def main(x: A12):\n");
    for i in 0..200 {
        app.push_str(&format!("    missing_{i}()\n    pkg_name_{i}.attr()\n"));
    }
    app.push_str("    x.send()\n    target()\n");
    write(root, &[("app.py", &app)]);
    let run = asyncfix_env(root, &["--select", "ALL", "."], &[]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    // Within reach: the method through the diamonds and the short chain are coroutines.
    assert!(run.stdout.contains("app.py:407:5: AF001"), "{}", run.describe());
    assert!(run.stdout.contains("app.py:408:5: AF001"), "{}", run.describe());
}
