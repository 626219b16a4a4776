//! Runs the code asyncfix fixes under CPython (`python3` on PATH; required, never skipped).
//!
//! Every check here is about Python's own verdict on the fixed code: it compiles
//! (`python3 -m py_compile`), it behaves as before, and where it matters, it now really
//! yields to the event loop. Nothing is decided from timing: concurrency is read from the
//! order of the lines a program prints, or from whether a probe task got to run while
//! the fixed coroutine was waiting. Wall time is never measured.
//!
//! Tests named `bug_*` are ignored: each shows a wrong fix that is still to be repaired
//! in `src/` (the reason in the `#[ignore]` says what goes wrong).

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::{asyncfix, python3_with, Run};

// ---------------------------------------------------------------------------------------
// Running asyncfix and python3
// ---------------------------------------------------------------------------------------

/// `python3 ARGS` in `dir`, isolated from the user's environment (`-I`: no PYTHON*
/// variables, no user site, no script directory on `sys.path`).
///
/// A missing `python3` fails the test with a message saying so: these tests are the
/// project's check that fixed code runs, and CI has python3.
fn python3(dir: &Path, args: &[&str]) -> Run {
    python3_with(dir, args, "tests/cpython.rs", |c| {
        c.arg("-I");
    })
}

/// Runs a Python program file and returns its standard output; any failure panics.
fn run_program(dir: &Path, file: &str) -> String {
    let run = python3(dir, &["-B", file]);
    assert_eq!(run.code, Some(0), "python3 {file} failed:\n{}", run.describe());
    run.stdout
}

/// `python3 -m py_compile FILE`, with the bytecode written outside the tree under test.
fn py_compile(file: &Path) {
    let cache = TempDir::new().unwrap();
    let prefix = format!("pycache_prefix={}", cache.path().display());
    let run = python3(
        file.parent().unwrap(),
        &["-X", &prefix, "-m", "py_compile", file.to_str().unwrap()],
    );
    assert_eq!(
        run.code,
        Some(0),
        "py_compile rejects {}:\n{}\n--- the file ---\n{}",
        file.display(),
        run.describe(),
        fs::read_to_string(file).unwrap_or_default()
    );
}

/// Imports each module (dotted name, found under `root`) and runs its `async def main()`
/// with `asyncio.run`, beside a probe task created just before. Prints one line a module:
/// `NAME: RESULT yielded=BOOL`, where `yielded` tells whether the probe ran while `main`
/// was running, i.e. whether `main` ever suspended and gave the event loop a turn. Code
/// that only calls `time.sleep` never does; once fixed to `await asyncio.sleep(...)` it
/// does, whatever the machine's load.
const DRIVER: &str = r#"
import asyncio, importlib, sys

sys.path.insert(0, sys.argv[1])


async def probed(main):
    ticks = []

    async def probe():
        ticks.append(1)

    task = asyncio.create_task(probe())
    result = await main()
    yielded = bool(ticks)
    await task
    return result, yielded


for name in sys.argv[2:]:
    module = importlib.import_module(name)
    result, yielded = asyncio.run(probed(module.main))
    print(f"{name}: {result} yielded={yielded}", flush=True)
"#;

fn run_mains(root: &Path, modules: &[&str]) -> String {
    let mut args = vec!["-B", "-c", DRIVER, root.to_str().unwrap()];
    args.extend_from_slice(modules);
    let run = python3(root, &args);
    assert_eq!(run.code, Some(0), "running {modules:?} failed:\n{}", run.describe());
    run.stdout
}

fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
    }
}

fn snapshot(root: &Path, files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(rel, _)| (rel.to_string(), fs::read(root.join(rel)).unwrap()))
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap()
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "__pycache__") {
                python_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

#[test]
fn python3_is_available() {
    let dir = TempDir::new().unwrap();
    let run = python3(dir.path(), &["--version"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let version = format!("{}{}", run.stdout, run.stderr);
    assert!(version.starts_with("Python 3."), "python3 --version says {version:?}");
}

// ---------------------------------------------------------------------------------------
// a. The fix makes coroutines interleave
// ---------------------------------------------------------------------------------------

const INTERLEAVE: &str = r#"import asyncio
import time


async def worker(name):
    for i in range(3):
        print(name, i, flush=True)
        time.sleep(0.05)


async def main():
    await asyncio.gather(worker("a"), worker("b"))


asyncio.run(main())
"#;

fn position(lines: &[&str], line: &str) -> usize {
    lines
        .iter()
        .position(|l| *l == line)
        .unwrap_or_else(|| panic!("{line:?} missing from the output {lines:?}"))
}

#[test]
fn fixed_workers_interleave_under_asyncio_gather() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("workers.py"), INTERLEAVE).unwrap();

    // Before: time.sleep never gives the loop a turn, so worker a finishes before b starts.
    // This does not depend on timing: nothing in `worker` can suspend.
    let before = run_program(root, "workers.py");
    let before: Vec<&str> = before.lines().collect();
    assert_eq!(
        before,
        ["a 0", "a 1", "a 2", "b 0", "b 1", "b 2"],
        "the original must run serially"
    );

    let run = asyncfix(root, &["--write", "workers.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let fixed = read(root, "workers.py");
    assert!(fixed.contains("        await asyncio.sleep(0.05)\n"), "{fixed}");
    assert!(!fixed.contains("time.sleep("), "{fixed}");

    // After: decided from the order of the lines alone, never from how long it took.
    let after = run_program(root, "workers.py");
    let after: Vec<&str> = after.lines().collect();
    let mut sorted = after.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted, before,
        "the fixed program must print the same lines, got {after:?}"
    );
    for name in ["a", "b"] {
        let steps: Vec<usize> = (0..3).map(|i| position(&after, &format!("{name} {i}"))).collect();
        assert!(
            steps.windows(2).all(|w| w[0] < w[1]),
            "{name}'s lines out of order: {after:?}"
        );
    }
    assert_eq!(after[0], "a 0", "gather starts worker a first: {after:?}");
    // a's first await lets b run before a's first sleep can even finish, so this holds on
    // any machine, however loaded; the brief's weaker `b 0` before `a 2` follows from it.
    assert!(
        position(&after, "b 0") < position(&after, "a 1"),
        "no interleaving: {after:?}"
    );
    assert!(
        position(&after, "b 0") < position(&after, "a 2"),
        "no interleaving: {after:?}"
    );
}

// ---------------------------------------------------------------------------------------
// b. Every form the fix handles compiles, runs the same, and now yields
// ---------------------------------------------------------------------------------------

struct Case {
    path: &'static str,
    text: &'static str,
    /// Dotted module name for the driver, and what its `main()` returns.
    module: &'static str,
    result: &'static str,
    /// Substrings the fixed file must contain, and must not.
    contains: &'static [&'static str],
    lacks: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        path: "fixtree/aliases.py",
        text: r#"import time as t
from time import sleep as snooze


async def main():
    t.sleep(0)
    snooze(0)
    return "aliases"
"#,
        module: "fixtree.aliases",
        result: "aliases",
        contains: &["import asyncio\n", "    await asyncio.sleep(0)\n    await asyncio.sleep(0)\n"],
        lacks: &["t.sleep(", "snooze("],
    },
    Case {
        path: "fixtree/reuse.py",
        text: r#"import asyncio as aio
import time


class Poller:
    def __init__(self):
        self.polls = 0

    async def poll(self):
        time.sleep(0)
        self.polls += 1
        return self.polls


async def main():
    poller = Poller()
    await poller.poll()
    return f"reuse {await poller.poll()} {aio.__name__}"
"#,
        module: "fixtree.reuse",
        result: "reuse 2 asyncio",
        contains: &["        await aio.sleep(0)\n"],
        lacks: &["import asyncio\n", "asyncio.sleep", "time.sleep("],
    },
    Case {
        path: "fixtree/precedence.py",
        text: r#"import time


async def main():
    try:
        time.sleep(0).real
    except AttributeError:
        first = "AttributeError"
    kind = time.sleep(0).__class__.__name__
    return f"precedence {first} {kind}"
"#,
        module: "fixtree.precedence",
        result: "precedence AttributeError NoneType",
        contains: &[
            "        (await asyncio.sleep(0)).real\n",
            "    kind = (await asyncio.sleep(0)).__class__.__name__\n",
        ],
        lacks: &["time.sleep("],
    },
    Case {
        path: "fixtree/multiline.py",
        text: r#"import time

DELAY = 0


async def main():
    time.sleep(
        # wait a little; this comment must survive the fix
        DELAY,
    )
    return "multiline"
"#,
        module: "fixtree.multiline",
        result: "multiline",
        contains: &[
            "    await asyncio.sleep(\n        # wait a little; this comment must survive the fix\n        DELAY,\n    )\n",
        ],
        lacks: &["time.sleep("],
    },
    Case {
        path: "fixtree/future.py",
        text: r#""""A docstring and a __future__ import: `import asyncio` must come after both."""
from __future__ import annotations

import time


async def main() -> str:
    time.sleep(0)
    return "future"
"#,
        module: "fixtree.future",
        result: "future",
        contains: &["from __future__ import annotations\n", "import asyncio\n", "    await asyncio.sleep(0)\n"],
        lacks: &["time.sleep("],
    },
    Case {
        path: "fixtree/noimports.py",
        text: r#"#!/usr/bin/env python3
# A module without a single top-level import: the fix has to add the first one.


async def main():
    from time import sleep

    sleep(0)
    return "noimports"
"#,
        module: "fixtree.noimports",
        result: "noimports",
        contains: &["import asyncio\n", "    await asyncio.sleep(0)\n"],
        lacks: &["    sleep(0)"],
    },
    Case {
        // Written with CRLF line endings (see `case_text`).
        path: "fixtree/crlf.py",
        text: r#"import time


async def main():
    time.sleep(0)
    return "crlf"
"#,
        module: "fixtree.crlf",
        result: "crlf",
        contains: &["import asyncio\r\n", "    await asyncio.sleep(0)\r\n"],
        lacks: &["time.sleep("],
    },
    Case {
        path: "fixtree/local.py",
        text: r#"import os


async def main():
    import time

    time.sleep(0)
    return "local " + os.path.basename("/x/y")
"#,
        module: "fixtree.local",
        result: "local y",
        // `import asyncio` in isort order; the local `import time` left unused goes.
        contains: &["import asyncio\nimport os\n", "    await asyncio.sleep(0)\n"],
        lacks: &["time.sleep(", "import time"],
    },
    Case {
        path: "fixtree/ctx.py",
        text: r#"import contextlib
import time


@contextlib.asynccontextmanager
async def opened(name):
    yield name


async def numbers(n):
    for i in range(n):
        yield i


async def main():
    seen = []
    async with opened("ctx") as name:
        time.sleep(0)
        seen.append(name)
    async for i in numbers(2):
        time.sleep(0)
        seen.append(str(i))
    return " ".join(seen)
"#,
        module: "fixtree.ctx",
        result: "ctx 0 1",
        contains: &[
            "        await asyncio.sleep(0)\n        seen.append(name)\n",
            "        await asyncio.sleep(0)\n        seen.append(str(i))\n",
        ],
        lacks: &["time.sleep("],
    },
    Case {
        path: "fixtree/sub/deep.py",
        text: r#"import time


class Client:
    async def ping(self):
        time.sleep(0)
        return "pong"

    @staticmethod
    async def static_ping():
        time.sleep(0)
        return "static"


async def main():
    return f"deep {await Client().ping()} {await Client.static_ping()}"
"#,
        module: "fixtree.sub.deep",
        result: "deep pong static",
        contains: &["        await asyncio.sleep(0)\n        return \"pong\"\n", "        await asyncio.sleep(0)\n        return \"static\"\n"],
        lacks: &["time.sleep("],
    },
];

/// Files in the tree that have nothing to fix.
const UNTOUCHED: &[(&str, &str)] = &[
    (
        "fixtree/__init__.py",
        "\"\"\"Every form of AF003's fix, one module each.\"\"\"\n",
    ),
    ("fixtree/sub/__init__.py", ""),
];

fn case_text(case: &Case) -> String {
    if case.path.ends_with("crlf.py") {
        case.text.replace('\n', "\r\n")
    } else {
        case.text.to_string()
    }
}

fn expected_mains(yielded: bool) -> String {
    CASES
        .iter()
        .map(|c| {
            format!(
                "{}: {} yielded={}\n",
                c.module,
                c.result,
                if yielded { "True" } else { "False" }
            )
        })
        .collect()
}

#[test]
fn every_fixed_form_compiles_runs_and_yields() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let texts: Vec<(&str, String)> = CASES.iter().map(|c| (c.path, case_text(c))).collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (*p, t.as_str()))
        .chain(UNTOUCHED.iter().copied())
        .collect();
    write_tree(root, &files);
    let modules: Vec<&str> = CASES.iter().map(|c| c.module).collect();

    // The originals are valid and run; none of them ever gives the loop a turn.
    for case in CASES {
        py_compile(&root.join(case.path));
    }
    assert_eq!(run_mains(root, &modules), expected_mains(false));

    let run = asyncfix(root, &["--write", "fixtree"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());

    for case in CASES {
        let original = case_text(case);
        let fixed = read(root, case.path);
        assert_ne!(fixed, original, "{} was not changed:\n{}", case.path, run.describe());
        for needle in case.contains {
            assert!(fixed.contains(needle), "{} lacks {needle:?}:\n{fixed}", case.path);
        }
        for needle in case.lacks {
            assert!(!fixed.contains(needle), "{} still has {needle:?}:\n{fixed}", case.path);
        }
        py_compile(&root.join(case.path));
    }
    for (rel, text) in UNTOUCHED {
        assert_eq!(read(root, rel), *text, "{rel} has nothing to fix but was changed");
    }

    // Form-specific checks.
    let crlf = fs::read(root.join("fixtree/crlf.py")).unwrap();
    let lf = crlf.iter().filter(|&&b| b == b'\n').count();
    let crlf_count = crlf.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(
        lf,
        crlf_count,
        "a bare LF in a CRLF file:\n{:?}",
        String::from_utf8_lossy(&crlf)
    );
    let future = read(root, "fixtree/future.py");
    assert!(
        future.find("\nfrom __future__").unwrap() < future.find("\nimport asyncio\n").unwrap(),
        "`import asyncio` before the __future__ import:\n{future}"
    );
    assert!(
        future.starts_with("\"\"\"A docstring"),
        "the docstring must stay first:\n{future}"
    );
    let noimports = read(root, "fixtree/noimports.py");
    assert!(
        noimports.starts_with("#!/usr/bin/env python3\n"),
        "the shebang must stay first:\n{noimports}"
    );

    // Same results, and now every main suspends at its sleeps.
    assert_eq!(run_mains(root, &modules), expected_mains(true));

    // Idempotent: nothing left to fix.
    let again = asyncfix(root, &["--diff", "fixtree"]);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert_eq!(again.stdout, "", "a second --diff must print nothing");
}

// ---------------------------------------------------------------------------------------
// c. A trio-only (and an anyio-only) module gets its own framework's sleep
// ---------------------------------------------------------------------------------------

#[test]
fn trio_and_anyio_modules_get_their_own_sleep() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let files = [
        (
            "ticker_trio.py",
            r#"import time

import trio


async def tick():
    time.sleep(0.01)


if __name__ == "__main__":
    trio.run(tick)
"#,
        ),
        (
            "ticker_anyio.py",
            r#"import time

import anyio


async def tick():
    time.sleep(0.01)


if __name__ == "__main__":
    anyio.run(tick)
"#,
        ),
    ];
    write_tree(root, &files);

    let run = asyncfix(root, &["--write", "."]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    for (rel, framework) in [("ticker_trio.py", "trio"), ("ticker_anyio.py", "anyio")] {
        let fixed = read(root, rel);
        assert!(
            fixed.contains(&format!("    await {framework}.sleep(0.01)\n")),
            "{rel}:\n{fixed}"
        );
        assert!(!fixed.contains("asyncio"), "{rel} must not bring in asyncio:\n{fixed}");
        assert!(!fixed.contains("time.sleep("), "{rel}:\n{fixed}");
        // Compiles; trio and anyio themselves need not be installed.
        py_compile(&root.join(rel));
    }
}

// ---------------------------------------------------------------------------------------
// d. What must not be touched stays byte-identical
// ---------------------------------------------------------------------------------------

const NEGATIVES: &[(&str, &str)] = &[
    (
        "neg/sync_functions.py",
        r#"import time


def wait():
    time.sleep(0)


class Clock:
    def tick(self):
        time.sleep(0)
"#,
    ),
    (
        "neg/nested_sync.py",
        r#"import asyncio
import time


async def outer():
    def blocking():
        time.sleep(0)
        return 1

    return await asyncio.get_running_loop().run_in_executor(None, blocking)
"#,
    ),
    (
        "neg/lambdas.py",
        r#"import asyncio
import time


async def later():
    nap = lambda: time.sleep(0)  # noqa: E731
    await asyncio.to_thread(nap)
    return nap
"#,
    ),
    (
        "neg/executor.py",
        r#"import asyncio
import functools
import time


async def offload():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, time.sleep, 1)
    await loop.run_in_executor(None, functools.partial(time.sleep, 0))
    await asyncio.to_thread(time.sleep, 0)
"#,
    ),
    (
        "neg/already.py",
        r#"import asyncio
import time


async def poll():
    await asyncio.sleep(0)
    started = time.monotonic()
    return started
"#,
    ),
    (
        "neg/mentions.py",
        r#"import time


async def careful():
    """Never call time.sleep(1) in here."""
    # time.sleep(1) would block the loop
    message = "time.sleep(1)"
    template = f"time.sleep({message!r})"
    return message, template, time.monotonic()
"#,
    ),
    (
        // Also not touched, per the rule's documentation.
        "neg/documented.py",
        r#"import time
from asyncio import sleep


async def defaults(delay=time.sleep(0)):
    # The default above runs at import time, outside any coroutine.
    await sleep(0)
    return delay


async def generator():
    return sum(1 for _ in range(2) if time.sleep(0) is None)


async def with_class():
    class Config:
        pause = time.sleep(0)

    return Config
"#,
    ),
];

#[test]
fn negatives_stay_byte_identical() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(root, NEGATIVES);
    let before = snapshot(root, NEGATIVES);
    for (rel, _) in NEGATIVES {
        py_compile(&root.join(rel));
    }

    let report = asyncfix(root, &["neg"]);
    assert_eq!(report.code, Some(0), "nothing to report:\n{}", report.describe());
    assert_eq!(report.stdout, "", "nothing to report");

    let diff = asyncfix(root, &["--diff", "neg"]);
    assert_eq!(diff.code, Some(0), "{}", diff.describe());
    assert_eq!(diff.stdout, "", "--diff must print nothing");

    let write = asyncfix(root, &["--write", "neg"]);
    assert_eq!(write.code, Some(0), "{}", write.describe());
    for (rel, bytes) in snapshot(root, NEGATIVES) {
        let original = &before.iter().find(|(r, _)| *r == rel).unwrap().1;
        assert_eq!(&bytes, original, "{rel} changed:\n{}", String::from_utf8_lossy(&bytes));
    }
}

// ---------------------------------------------------------------------------------------
// examples/: the demo project the README runs
// ---------------------------------------------------------------------------------------

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

fn example_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    python_files(&examples_dir(), &mut files);
    assert!(files.len() >= 3, "examples/ has too few Python files: {files:?}");
    files
}

#[test]
fn examples_are_valid_python_and_mark_every_rule() {
    let mut all = String::new();
    for file in example_files() {
        py_compile(&file);
        all.push_str(&fs::read_to_string(&file).unwrap());
    }
    let readme = fs::read_to_string(examples_dir().join("README.md")).unwrap();
    for code in ["AF001", "AF002", "AF003", "AF004"] {
        assert!(
            all.contains(&format!("# {code}: ")),
            "no `# {code}: ` comment in examples/"
        );
        assert!(readme.contains(code), "examples/README.md does not mention {code}");
    }
    for file in example_files() {
        let name = file.file_name().unwrap().to_str().unwrap();
        if name != "__init__.py" {
            assert!(readme.contains(name), "examples/README.md does not describe {name}");
        }
    }
}

#[test]
fn examples_diff_shows_the_af003_fixes() {
    let before: Vec<Vec<u8>> = example_files().iter().map(|f| fs::read(f).unwrap()).collect();
    // The README's command, `cargo run -- --diff examples/`, from the crate root.
    let run = asyncfix(Path::new(env!("CARGO_MANIFEST_DIR")), &["--diff", "examples/"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    for line in [
        "--- a/examples/service/fetcher.py",
        "+++ b/examples/service/fetcher.py",
        "-            time.sleep(0.1 * 2**attempt)\n",
        "+            await asyncio.sleep(0.1 * 2**attempt)\n",
        "-        pause(0.05)  # be polite to the server\n",
        "+        await asyncio.sleep(0.05)  # be polite to the server\n",
        "--- a/examples/service/worker.py",
        "-                t.sleep(0.5)\n",
        "+                await asyncio.sleep(0.5)\n",
    ] {
        assert!(run.stdout.contains(line), "the diff lacks {line:?}:\n{}", run.stdout);
    }
    assert!(
        !run.stdout.contains("threads.py"),
        "threads.py is correct code:\n{}",
        run.stdout
    );
    let after: Vec<Vec<u8>> = example_files().iter().map(|f| fs::read(f).unwrap()).collect();
    assert!(before == after, "--diff changed a file in examples/");
}

#[test]
fn examples_fixed_copy_compiles_and_is_stable() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    let mut copied = Vec::new();
    for file in example_files() {
        let rel = file.strip_prefix(examples_dir()).unwrap().to_path_buf();
        let target = root.join(&rel);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(&file, &target).unwrap();
        copied.push(rel);
    }
    let threads = fs::read(root.join("service/threads.py")).unwrap();
    let run = asyncfix(root, &["--write", "service"]);
    assert_ne!(run.code, Some(2), "{}", run.describe());
    for rel in &copied {
        py_compile(&root.join(rel));
    }
    assert_eq!(
        fs::read(root.join("service/threads.py")).unwrap(),
        threads,
        "threads.py changed"
    );
    let again = asyncfix(root, &["--diff", "service"]);
    assert_eq!(again.stdout, "", "a second --diff must print nothing");
    assert_ne!(again.code, Some(2), "{}", again.describe());
}

// ---------------------------------------------------------------------------------------
// Regressions: wrong fixes once made, shown by running the fixed code
// ---------------------------------------------------------------------------------------

/// Fixes `module.py` (holding `text`) in a fresh directory and runs its `main()` through
/// the driver; returns the directory and what the driver printed.
fn fix_and_run(text: &str) -> (TempDir, Run) {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("module.py"), text).unwrap();
    let fix = asyncfix(root, &["--write", "module.py"]);
    assert_eq!(fix.code, Some(0), "{}", fix.describe());
    let root_str = root.to_str().unwrap().to_string();
    let run = python3(root, &["-B", "-c", DRIVER, &root_str, "module"]);
    (dir, run)
}

#[test]
fn awaited_time_sleep_only_gets_its_callee_replaced() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(
        root.join("module.py"),
        "import time\n\n\nasync def main():\n    await time.sleep(0)\n",
    )
    .unwrap();
    // Expected: either a fix that parses (`await (await asyncio.sleep(0))`) or a finding
    // without a fix; never "internal error" and exit 2.
    let run = asyncfix(root, &["--write", "module.py"]);
    assert_ne!(run.code, Some(2), "{}", run.describe());
    assert!(!run.stderr.contains("internal error"), "{}", run.describe());
    py_compile(&root.join("module.py"));
}

#[test]
fn type_checking_import_of_asyncio_is_not_reused() {
    let (dir, run) = fix_and_run(
        r#"import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


async def main():
    time.sleep(0)
    return "ok"
"#,
    );
    assert_eq!(
        run.stdout,
        "module: ok yielded=True\n",
        "{}\n--- fixed ---\n{}",
        run.describe(),
        read(dir.path(), "module.py")
    );
}

#[test]
fn main_guard_import_of_asyncio_is_not_reused() {
    let (dir, run) = fix_and_run(
        r#"import time


async def main():
    time.sleep(0)
    return "ok"


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(main()))
"#,
    );
    assert_eq!(
        run.stdout,
        "module: ok yielded=True\n",
        "{}\n--- fixed ---\n{}",
        run.describe(),
        read(dir.path(), "module.py")
    );
}

#[test]
fn later_local_import_of_asyncio_is_not_reused() {
    // `asyncio` is local to `main` and not bound yet where the fix would use it, and a new
    // module-level import would be shadowed by the local name: reported, left unfixed.
    let text = r#"import time


async def main():
    time.sleep(0)
    import asyncio

    return asyncio.__name__
"#;
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("module.py"), text).unwrap();
    let fix = asyncfix(root, &["--write", "module.py"]);
    assert_eq!(fix.code, Some(1), "{}", fix.describe());
    assert_eq!(read(root, "module.py"), text, "the file must stay as it was");
    assert!(fix.stdout.contains("AF003"), "{}", fix.describe());
}
