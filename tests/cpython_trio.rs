//! Real trio programs under CPython, before and after asyncfix: trio (and the rest of
//! tests/requirements.txt) comes from the shared test venv, `common::test_python()`,
//! installed from PyPI on first use and reused afterwards.
//!
//! - In a trio-only module the AF003 fix is safe: `time.sleep(0.2)` becomes
//!   `await trio.sleep(0.2)` (no asyncio brought in), the program still runs under trio and
//!   the sibling task now runs while the coroutine sleeps.
//! - With `--unsafe-fixes`, `subprocess.run(...)` moves to `await trio.to_thread.run_sync(
//!   subprocess.run, ...)`, and the sibling runs while the child process does.
//! - In a module that imports asyncio and trio, a coroutine that shows neither gets an
//!   unsafe fix only (`--write` leaves it alone; the report says why), and the program shows
//!   why: once fixed, the coroutine no longer runs under one of the two.
//! - AF001 on trio's own coroutines (`nursery.start`, a memory channel's `send`,
//!   `trio.to_thread.run_sync`): before the fix none of them runs; awaited, they all do.
//!
//! Nothing is decided from wall time. Each blocking coroutine first sets a `trio.Event`
//! that its sibling waits for, then blocks, then prints whether the sibling has run. While
//! the call blocks the run loop the sibling cannot run, whatever order trio starts the two
//! in (trio randomises it); once the coroutine awaits instead, the sibling, runnable since
//! the event was set, runs at the coroutine's first suspension, long before its 0.2 s sleep
//! or the child process can end.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{asyncfix, test_python_run, Run};

/// The test venv's `python -I ARGS` in `dir` (isolated from the user's PYTHON* variables and
/// site; the venv's packages stay visible).
fn python(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["-I"];
    all.extend_from_slice(args);
    test_python_run(dir, &all)
}

/// `python -m py_compile FILE` (see `common::py_compile`).
fn py_compile(dir: &Path, file: &str) {
    common::py_compile(dir, file, python);
}

/// Runs `file` (with `args`), expecting exit 0; its standard output.
fn run_ok(dir: &Path, file: &str, args: &[&str]) -> String {
    let mut all = vec!["-B", file];
    all.extend_from_slice(args);
    let run = python(dir, &all);
    assert_eq!(
        run.code,
        Some(0),
        "{file} fails:\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap_or_default()
    );
    run.stdout
}

/// A temporary tree holding `file` with `text`.
fn tree(file: &str, text: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(file), text).unwrap();
    dir
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap()
}

#[test]
fn the_test_venv_has_exactly_the_pinned_versions() {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("requirements.txt");
    let requirements = fs::read_to_string(requirements).unwrap();
    let dir = TempDir::new().unwrap();
    let run = python(
        dir.path(),
        &[
            "-c",
            "import sys\nfrom importlib.metadata import version\nfor name in sys.argv[1:]: print(name, version(name))",
            "trio",
            "anyio",
            "mypy",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    for line in run.stdout.lines() {
        let (name, version) = line.split_once(' ').unwrap();
        assert!(
            requirements.lines().any(|l| l == format!("{name}=={version}")),
            "the test venv has {name} {version}, tests/requirements.txt pins something else"
        );
    }
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.describe());
}

// ---------------------------------------------------------------------------------------
// A trio-only program: the sleep fix is safe, the subprocess one unsafe
// ---------------------------------------------------------------------------------------

/// Two blocking coroutines, each in a nursery with a sibling that waits for it to start.
const APP: &str = r#""""A trio program whose coroutines block the run loop."""
import subprocess
import sys
import time

import trio


async def sleeper(started, done):
    started.set()
    print("sleeper: sleeping", flush=True)
    time.sleep(0.2)
    print("sleeper: awake, sibling ran meanwhile:", done.is_set(), flush=True)


async def runner(started, done):
    started.set()
    print("runner: starting the child", flush=True)
    subprocess.run([sys.executable, "-c", "print('child')"])
    print("runner: child exited, sibling ran meanwhile:", done.is_set(), flush=True)


async def sibling(name, started, done):
    await started.wait()
    print(f"sibling of {name}: ran", flush=True)
    done.set()


async def pair(name, blocker):
    started, done = trio.Event(), trio.Event()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(blocker, started, done)
        nursery.start_soon(sibling, name, started, done)


async def main():
    await pair("sleeper", sleeper)
    await pair("runner", runner)


trio.run(main)
"#;

/// `sleeper` while `time.sleep` blocks: its sibling runs only after it.
const SLEEPER_BLOCKS: &str =
    "sleeper: sleeping\nsleeper: awake, sibling ran meanwhile: False\nsibling of sleeper: ran\n";
/// `sleeper` once it awaits `trio.sleep`: the sibling runs during the sleep.
const SLEEPER_YIELDS: &str =
    "sleeper: sleeping\nsibling of sleeper: ran\nsleeper: awake, sibling ran meanwhile: True\n";
/// `runner` while `subprocess.run` blocks (the child writes to the same standard output,
/// and has exited before `subprocess.run` returns).
const RUNNER_BLOCKS: &str = "runner: starting the child\nchild\nrunner: child exited, sibling ran meanwhile: \
                             False\nsibling of runner: ran\n";

const SUBPROCESS_CALL: &str = "    subprocess.run([sys.executable, \"-c\", \"print('child')\"])\n";

#[test]
fn trio_program_blocks_before_the_fix() {
    let dir = tree("app.py", APP);
    let root = dir.path();
    assert_eq!(
        run_ok(root, "app.py", &[]),
        format!("{SLEEPER_BLOCKS}{RUNNER_BLOCKS}"),
        "the original must block its siblings"
    );

    // AF003 has a safe fix; AF101 only an unsafe one.
    let report = asyncfix(root, &["app.py"]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert!(
        report.stdout.contains(
            "app.py:12:5: AF003 [*] `time.sleep()` blocks the event loop in `sleeper`; use `await trio.sleep()`\n"
        ),
        "{}",
        report.describe()
    );
    assert!(
        report.stdout.contains(
            "app.py:19:5: AF101 `subprocess.run()` blocks the event loop in `runner`; run it in a worker thread \
             with `await trio.to_thread.run_sync()`\n"
        ),
        "{}",
        report.describe()
    );
    assert_eq!(report.stdout.lines().count(), 2, "{}", report.describe());
}

#[test]
fn safe_fix_awaits_trio_sleep_and_the_sibling_runs_meanwhile() {
    let dir = tree("app.py", APP);
    let root = dir.path();

    // Only the sleep is fixed; the subprocess call is left for --unsafe-fixes (exit 1).
    let run = asyncfix(root, &["--write", "app.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stderr.contains("Fixed 1 problem in 1 file."), "{}", run.describe());
    let fixed = read(root, "app.py");
    assert!(fixed.contains("    await trio.sleep(0.2)\n"), "{fixed}");
    assert!(!fixed.contains("time.sleep("), "{fixed}");
    assert!(
        !fixed.contains("asyncio"),
        "a trio program must not get asyncio:\n{fixed}"
    );
    assert!(fixed.contains(SUBPROCESS_CALL), "{fixed}");
    assert_eq!(
        fixed,
        // The `import time` the fix leaves unused goes too.
        APP.replace("    time.sleep(0.2)\n", "    await trio.sleep(0.2)\n")
            .replace("import time\n", "")
    );
    py_compile(root, "app.py");

    // Still a working trio program; the sibling now runs during the sleep, the subprocess
    // call still blocks.
    assert_eq!(
        run_ok(root, "app.py", &[]),
        format!("{SLEEPER_YIELDS}{RUNNER_BLOCKS}"),
        "the fixed sleeper must let its sibling run:\n{fixed}"
    );
}

#[test]
fn unsafe_fixes_move_subprocess_run_to_a_trio_thread() {
    let dir = tree("app.py", APP);
    let root = dir.path();

    let run = asyncfix(root, &["--write", "--unsafe-fixes", "app.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert!(run.stderr.contains("Fixed 2 problems in 1 file."), "{}", run.describe());
    let fixed = read(root, "app.py");
    assert!(fixed.contains("    await trio.sleep(0.2)\n"), "{fixed}");
    assert!(
        fixed.contains(
            // Laid out as `ruff format` lays it out: the line is too long.
            "    await trio.to_thread.run_sync(\n        subprocess.run, [sys.executable, \"-c\", \"print('child')\"]\n    )\n"
        ),
        "{fixed}"
    );
    assert!(
        !fixed.contains("asyncio"),
        "a trio program must not get asyncio:\n{fixed}"
    );
    assert!(!fixed.contains(SUBPROCESS_CALL), "{fixed}");
    py_compile(root, "app.py");
    let again = asyncfix(root, &["--check", "--unsafe-fixes", "app.py"]);
    assert_eq!(
        again.code,
        Some(0),
        "a second run still finds something:\n{}",
        again.describe()
    );

    // Both siblings run while their coroutine waits. The child's line and the runner's
    // sibling's come in either order (the child runs beside the loop now), but both before
    // the runner learns that its child exited.
    let out = run_ok(root, "app.py", &[]);
    let rest = out
        .strip_prefix(&format!("{SLEEPER_YIELDS}runner: starting the child\n"))
        .unwrap_or_else(|| panic!("the fixed sleeper must let its sibling run:\n{out}\n--- fixed ---\n{fixed}"));
    let mut lines: Vec<&str> = rest.lines().collect();
    assert_eq!(
        lines.pop(),
        Some("runner: child exited, sibling ran meanwhile: True"),
        "the runner's sibling must run while the child does:\n{out}\n--- fixed ---\n{fixed}"
    );
    lines.sort_unstable();
    assert_eq!(lines, ["child", "sibling of runner: ran"], "{out}");
}

// ---------------------------------------------------------------------------------------
// asyncio and trio in one module: no evidence, so the fix is unsafe
// ---------------------------------------------------------------------------------------

/// `nap` is run by asyncio or by trio, as the command line says; nothing in it shows which.
const MIXED: &str = r#""""Uses asyncio and trio; `nap` itself shows neither."""
import asyncio
import sys
import time

import trio


async def nap():
    time.sleep(0.01)
    return "rested"


if __name__ == "__main__":
    if sys.argv[1] == "asyncio":
        print("asyncio:", asyncio.run(nap()))
    else:
        print("trio:", trio.run(nap))
"#;

#[test]
fn with_asyncio_and_trio_imported_the_fix_is_unsafe() {
    let dir = tree("mixed.py", MIXED);
    let root = dir.path();
    assert_eq!(run_ok(root, "mixed.py", &["asyncio"]), "asyncio: rested\n");
    assert_eq!(run_ok(root, "mixed.py", &["trio"]), "trio: rested\n");

    let report = asyncfix(root, &["mixed.py"]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert!(
        report.stdout.contains(
            "mixed.py:10:5: AF003 `time.sleep()` blocks the event loop in `nap`; use `await asyncio.sleep()` \
             (unsafe fix: the module imports asyncio and trio, and nothing in `nap` shows which one runs it)\n"
        ),
        "{}",
        report.describe()
    );

    // --write leaves it alone.
    let run = asyncfix(root, &["--write", "mixed.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stdout.contains("unsafe fix:"), "{}", run.describe());
    assert_eq!(read(root, "mixed.py"), MIXED, "--write must not apply an unsafe fix");

    // --unsafe-fixes applies it.
    let run = asyncfix(root, &["--write", "--unsafe-fixes", "mixed.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let fixed = read(root, "mixed.py");
    assert_eq!(
        fixed,
        MIXED
            .replace("    time.sleep(0.01)\n", "    await asyncio.sleep(0.01)\n")
            .replace("import time\n", "")
    );
    py_compile(root, "mixed.py");

    // Why it is unsafe: the fixed `nap` still runs under asyncio, but no longer under trio.
    assert_eq!(run_ok(root, "mixed.py", &["asyncio"]), "asyncio: rested\n");
    let under_trio = python(root, &["-B", "mixed.py", "trio"]);
    assert_eq!(under_trio.code, Some(1), "{}", under_trio.describe());
    assert!(
        under_trio.stderr.contains("RuntimeError: no running event loop"),
        "{}",
        under_trio.describe()
    );
}

// ---------------------------------------------------------------------------------------
// AF001 on trio's own coroutines: before the fix they never run; awaited, they do
// ---------------------------------------------------------------------------------------

/// Three calls of trio coroutines without `await`: a nursery's `start`, a memory channel's
/// `send` (known from the parameter's annotation) and `trio.to_thread.run_sync`.
const UNAWAITED: &str = r#""""trio coroutines called without await."""
import trio

log = []


async def child(go, task_status=trio.TASK_STATUS_IGNORED):
    log.append("child started")
    task_status.started()
    await go.wait()
    log.append("child done")


async def producer(send: "trio.MemorySendChannel[int]"):
    async with send:
        for i in range(3):
            send.send(i)


def in_thread():
    log.append("thread ran")


async def main():
    go = trio.Event()
    async with trio.open_nursery() as nursery:
        nursery.start(child, go)
        log.append("after start")
        go.set()
    send, receive = trio.open_memory_channel(10)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(producer, send)
        async with receive:
            received = [x async for x in receive]
    trio.to_thread.run_sync(in_thread)
    print("log:", ", ".join(log), flush=True)
    print("received:", received, flush=True)


trio.run(main)
"#;

#[test]
fn unawaited_trio_coroutines_run_once_awaited() {
    let dir = tree("unawaited.py", UNAWAITED);
    let root = dir.path();

    // Before: none of the three runs; Python only warns.
    let before = python(root, &["-B", "unawaited.py"]);
    assert_eq!(before.code, Some(0), "{}", before.describe());
    assert_eq!(
        before.stdout,
        "log: after start\nreceived: []\n",
        "{}",
        before.describe()
    );
    assert!(before.stderr.contains("was never awaited"), "{}", before.describe());

    let report = asyncfix(root, &["--select", "AF001", "unawaited.py"]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    for expected in [
        "unawaited.py:17:13: AF001 [*] Coroutine `send.send` is called without `await`: it never runs\n",
        "unawaited.py:27:9: AF001 [*] Coroutine `nursery.start` is called without `await`: it never runs\n",
        "unawaited.py:35:5: AF001 [*] Coroutine `trio.to_thread.run_sync` is called without `await`: it never runs\n",
    ] {
        assert!(report.stdout.contains(expected), "{expected}{}", report.describe());
    }
    assert_eq!(report.stdout.lines().count(), 3, "{}", report.describe());

    let run = asyncfix(root, &["--select", "AF001", "--write", "unawaited.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let fixed = read(root, "unawaited.py");
    assert_eq!(
        fixed,
        UNAWAITED
            .replace("            send.send(i)\n", "            await send.send(i)\n")
            .replace(
                "        nursery.start(child, go)\n",
                "        await nursery.start(child, go)\n"
            )
            .replace(
                "    trio.to_thread.run_sync(in_thread)\n",
                "    await trio.to_thread.run_sync(in_thread)\n"
            )
    );
    py_compile(root, "unawaited.py");
    let again = asyncfix(root, &["--select", "AF001", "--check", "unawaited.py"]);
    assert_eq!(again.code, Some(0), "{}", again.describe());

    // After: `start` returns once the child has started, the consumer gets every item, the
    // thread runs; nothing is left unawaited.
    let after = python(root, &["-B", "unawaited.py"]);
    assert_eq!(after.code, Some(0), "{}", after.describe());
    assert_eq!(
        after.stdout,
        "log: child started, after start, child done, thread ran\nreceived: [0, 1, 2]\n",
        "{}\n--- fixed ---\n{fixed}",
        after.describe()
    );
    assert_eq!(after.stderr, "", "{}", after.describe());
}
