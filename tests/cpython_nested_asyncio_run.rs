//! AF004 under CPython: programs that die because a coroutine starts a second event loop
//! (`asyncio.run()` / `run_until_complete()` inside a coroutine) run to the right result
//! once `asyncfix --write` has turned those calls into `await`.
//!
//! Each test runs the program before the fix and checks that it fails with CPython's own
//! error message (so the test really exercises the bug), then fixes a copy with the binary,
//! checks that the fixed file compiles (`python3 -m py_compile`) and prints exactly the
//! expected lines. Nothing depends on timing. `python3` (3.8 or later) is required: a
//! missing `python3` fails these tests with a message saying so, it does not skip them.

use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{asyncfix, python3_with, Run};

/// `python3 -I ARGS` in `dir` (isolated from the user's PYTHON* variables and site).
fn python3(dir: &Path, args: &[&str]) -> Run {
    python3_with(dir, args, "tests/cpython_nested_asyncio_run.rs", |c| {
        c.arg("-I");
    })
}

/// `python3 -m py_compile FILE` (see `common::py_compile`).
fn py_compile(dir: &Path, file: &str) {
    common::py_compile(dir, file, python3);
}

/// Runs `file` and expects it to die with `error` in its traceback.
fn fails_with(dir: &Path, file: &str, error: &str) {
    let run = python3(dir, &["-B", file]);
    assert_ne!(run.code, Some(0), "{file} was expected to fail:\n{}", run.describe());
    assert!(
        run.stderr.contains(error),
        "{file} was expected to fail with {error:?}:\n{}",
        run.describe()
    );
}

/// Runs `file` and expects exactly `expected` on standard output.
fn prints(dir: &Path, file: &str, expected: &str) {
    let run = python3(dir, &["-B", file]);
    assert_eq!(
        run.code,
        Some(0),
        "{file} fails after the fix:\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap_or_default()
    );
    assert_eq!(run.stdout, expected, "{file}: wrong output\n{}", run.describe());
}

/// A temporary tree holding `file` with `text`.
fn tree(file: &str, text: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(file), text).unwrap();
    dir
}

/// `asyncfix --write EXTRA... FILE`, expecting every finding fixed (exit 0).
fn write_all(dir: &Path, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["--write"];
    args.extend_from_slice(extra);
    args.push(file);
    let run = asyncfix(dir, &args);
    assert_eq!(
        run.code,
        Some(0),
        "asyncfix {args:?} left findings:\n{}",
        run.describe()
    );
    let fixed = fs::read_to_string(dir.join(file)).unwrap();
    // Nothing left for a second run.
    let again = asyncfix(dir, &["--check", file]);
    assert_eq!(
        again.code,
        Some(0),
        "a second run still finds something:\n{}",
        again.describe()
    );
    fixed
}

#[test]
fn python3_is_available() {
    let dir = TempDir::new().unwrap();
    let run = python3(dir.path(), &["--version"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
}

// ---------------------------------------------------------------------------------------
// "asyncio.run() cannot be called from a running event loop"
// ---------------------------------------------------------------------------------------

const ASYNCIO_RUN: &str = r#"import asyncio


async def double(x):
    await asyncio.sleep(0)
    return x * 2


async def main():
    a = asyncio.run(double(1))
    b = asyncio.run(double(3)).bit_length()
    c = asyncio.run(double(a)) + 1
    print("result", a, b, c)


if __name__ == "__main__":
    asyncio.run(main())
"#;

#[test]
fn asyncio_run_inside_a_coroutine() {
    let dir = tree("prog.py", ASYNCIO_RUN);
    let root = dir.path();
    fails_with(
        root,
        "prog.py",
        "asyncio.run() cannot be called from a running event loop",
    );

    let fixed = write_all(root, "prog.py", &[]);
    assert!(fixed.contains("    a = await double(1)\n"), "{fixed}");
    assert!(fixed.contains("    b = (await double(3)).bit_length()\n"), "{fixed}");
    assert!(fixed.contains("    c = await double(a) + 1\n"), "{fixed}");
    // The program's entry point is left alone.
    assert!(
        fixed.ends_with("if __name__ == \"__main__\":\n    asyncio.run(main())\n"),
        "{fixed}"
    );
    py_compile(root, "prog.py");
    prints(root, "prog.py", "result 2 3 5\n");
}

// ---------------------------------------------------------------------------------------
// "This event loop is already running"
// ---------------------------------------------------------------------------------------

const RUN_UNTIL_COMPLETE: &str = r#"import asyncio


async def fetch(n):
    await asyncio.sleep(0)
    return n + 1


class Client:
    def __init__(self, loop):
        self.loop = loop

    async def get(self, n):
        return self.loop.run_until_complete(fetch(n))


async def main():
    loop = asyncio.get_event_loop()
    first = loop.run_until_complete(fetch(1))
    second = asyncio.get_event_loop().run_until_complete(fetch(first)) * 10
    third = await Client(asyncio.get_running_loop()).get(second)
    print("total", first, second, third)


asyncio.run(main())
"#;

#[test]
fn run_until_complete_inside_a_coroutine() {
    let dir = tree("prog.py", RUN_UNTIL_COMPLETE);
    let root = dir.path();
    fails_with(root, "prog.py", "This event loop is already running");

    let fixed = write_all(root, "prog.py", &[]);
    assert!(fixed.contains("        return await fetch(n)\n"), "{fixed}");
    assert!(fixed.contains("    first = await fetch(1)\n"), "{fixed}");
    assert!(fixed.contains("    second = await fetch(first) * 10\n"), "{fixed}");
    py_compile(root, "prog.py");
    prints(root, "prog.py", "total 2 30 31\n");
}

// ---------------------------------------------------------------------------------------
// Extra arguments: fixed only with --unsafe-fixes
// ---------------------------------------------------------------------------------------

const EXTRA_ARGUMENTS: &str = r#"import asyncio


async def answer():
    await asyncio.sleep(0)
    return 42


async def main():
    value = asyncio.run(
        answer(),
        debug=True,  # the arguments that the fix drops
    )
    print("answer", value)


asyncio.run(main())
"#;

#[test]
fn extra_arguments_need_unsafe_fixes() {
    let dir = tree("prog.py", EXTRA_ARGUMENTS);
    let root = dir.path();
    fails_with(
        root,
        "prog.py",
        "asyncio.run() cannot be called from a running event loop",
    );

    // `--write` alone leaves it, and says that the fix drops the argument.
    let run = asyncfix(root, &["--write", "prog.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stdout.contains("drops `debug=True`"), "{}", run.describe());
    assert_eq!(fs::read_to_string(root.join("prog.py")).unwrap(), EXTRA_ARGUMENTS);

    let fixed = write_all(root, "prog.py", &["--unsafe-fixes"]);
    assert!(
        fixed.contains("    value = await (\n        answer()  # the arguments that the fix drops\n    )\n"),
        "{fixed}"
    );
    py_compile(root, "prog.py");
    prints(root, "prog.py", "answer 42\n");
}

// ---------------------------------------------------------------------------------------
// A script converted from sync to async halfway
// ---------------------------------------------------------------------------------------

/// Once a sync script: every step was a function run with `asyncio.run`. Someone made the
/// steps coroutines and called them from an async `main`, but left the `asyncio.run` calls
/// inside, under every import form, some of them spread over lines.
const HALFWAY: &str = r#""""Word report over a few pages (converted from sync to async halfway)."""
import asyncio
import asyncio as aio
from asyncio import run

PAGES = {"a": "one two three", "b": "four five", "c": "six"}


async def fetch_page(name):
    await asyncio.sleep(0)
    return PAGES[name]


async def count_words(text):
    await asyncio.sleep(0)
    return len(text.split())


async def fetch_all(names):
    pages = []
    for name in names:
        pages.append(asyncio.run(fetch_page(name)))
    return pages


async def report(names):
    pages = run(fetch_all(names))
    counts = [aio.run(count_words(page)) for page in pages]
    total = asyncio.run(
        count_words(" ".join(pages))
    )
    loud = asyncio.run(fetch_page(names[0])).upper()
    both = asyncio.run(asyncio.gather(
        count_words(pages[0]),
        count_words(pages[-1]),
    ))
    return counts, total, loud, both


async def main():
    counts, total, loud, both = asyncio.run(report(sorted(PAGES)))
    print("counts", counts)
    print("total", total)
    print("loud", loud)
    print("both", both)


if __name__ == "__main__":
    asyncio.run(main())
"#;

#[test]
fn script_converted_halfway() {
    let dir = tree("report.py", HALFWAY);
    let root = dir.path();
    fails_with(
        root,
        "report.py",
        "asyncio.run() cannot be called from a running event loop",
    );

    let run = asyncfix(root, &["report.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert_eq!(
        run.stdout.matches("AF004 [*]").count(),
        7,
        "seven fixable calls inside coroutines:\n{}",
        run.describe()
    );

    let fixed = write_all(root, "report.py", &[]);
    // Only the entry point still starts a loop.
    assert_eq!(fixed.matches(".run(").count(), 1, "{fixed}");
    assert!(
        fixed.contains("        pages.append(await fetch_page(name))\n"),
        "{fixed}"
    );
    assert!(fixed.contains("    pages = await fetch_all(names)\n"), "{fixed}");
    assert!(
        fixed.contains("    counts = [await count_words(page) for page in pages]\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("    total = await count_words(\" \".join(pages))\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains("    loud = (await fetch_page(names[0])).upper()\n"),
        "{fixed}"
    );
    assert!(fixed.contains("    both = await asyncio.gather(\n"), "{fixed}");
    assert!(
        fixed.contains("    counts, total, loud, both = await report(sorted(PAGES))\n"),
        "{fixed}"
    );
    py_compile(root, "report.py");
    prints(
        root,
        "report.py",
        "counts [3, 2, 1]\ntotal 6\nloud ONE TWO THREE\nboth [3, 1]\n",
    );
}

// ---------------------------------------------------------------------------------------
// Thread workers keep their own loop
// ---------------------------------------------------------------------------------------

/// A plain function run in a worker thread may start its own loop: that is left alone,
/// and the program works before and after.
const THREAD_WORKER: &str = r#"import asyncio


async def square(x):
    await asyncio.sleep(0)
    return x * x


async def main():
    def worker():
        return asyncio.run(square(7))

    inner = asyncio.run(square(2))
    print("worker", await asyncio.to_thread(worker), inner)


asyncio.run(main())
"#;

#[test]
fn thread_worker_is_left_alone() {
    let dir = tree("prog.py", THREAD_WORKER);
    let root = dir.path();
    fails_with(
        root,
        "prog.py",
        "asyncio.run() cannot be called from a running event loop",
    );
    let fixed = write_all(root, "prog.py", &[]);
    assert!(fixed.contains("        return asyncio.run(square(7))\n"), "{fixed}");
    assert!(fixed.contains("    inner = await square(2)\n"), "{fixed}");
    py_compile(root, "prog.py");
    prints(root, "prog.py", "worker 49 4\n");
}

// ---------------------------------------------------------------------------------------
// trio (only where trio is installed: it is not a requirement of this project)
// ---------------------------------------------------------------------------------------

const TRIO: &str = r#"import trio


async def add(a, b):
    await trio.sleep(0)
    return a + b


async def main():
    x = trio.run(add, 1, 2)
    y = trio.run(add, x, 10) * 2
    print("trio", x, y)


trio.run(main)
"#;

#[test]
fn trio_run_inside_a_trio_coroutine() {
    let probe = TempDir::new().unwrap();
    if python3(probe.path(), &["-c", "import trio"]).code != Some(0) {
        eprintln!("note: trio is not installed for python3; the trio case is not run");
        return;
    }
    let dir = tree("prog.py", TRIO);
    let root = dir.path();
    fails_with(root, "prog.py", "Attempted to call run() from inside a run()");
    let fixed = write_all(root, "prog.py", &[]);
    assert!(fixed.contains("    x = await add(1, 2)\n"), "{fixed}");
    assert!(fixed.contains("    y = await add(x, 10) * 2\n"), "{fixed}");
    py_compile(root, "prog.py");
    prints(root, "prog.py", "trio 3 26\n");
}

// ---------------------------------------------------------------------------------------
// Guarded loop starts: correct code, left alone, works inside and outside a running loop
// ---------------------------------------------------------------------------------------

const GUARDED: &str = r#"import asyncio


async def double(x):
    await asyncio.sleep(0)
    return x * 2


class Client:
    def __init__(self, loop):
        self.loop = loop

    def call(self, coro):
        # The result, or an awaitable when a loop is already running.
        return coro if self.loop.is_running() else self.loop.run_until_complete(coro)


def run_anywhere(coro):
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    return asyncio.ensure_future(coro)


def plain(client, x):
    return client.call(double(x)), run_anywhere(double(x + 1))


async def main():
    client = Client(asyncio.get_running_loop())
    a, b = plain(client, 1)
    c = double(5) if client.loop.is_running() else client.loop.run_until_complete(double(5))
    print("inside", await a, await b, await c)


if __name__ == "__main__":
    loop = asyncio.new_event_loop()
    a, b = plain(Client(loop), 1)
    print("outside", a, b)
    loop.close()
    asyncio.run(main())
"#;

#[test]
fn guarded_loop_starts_are_left_alone() {
    let dir = tree("prog.py", GUARDED);
    let root = dir.path();
    prints(root, "prog.py", "outside 2 4\ninside 2 4 10\n");

    let run = asyncfix(
        root,
        &[
            "--isolated",
            "--select",
            "AF004",
            "--write",
            "--unsafe-fixes",
            "prog.py",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(fs::read_to_string(root.join("prog.py")).unwrap(), GUARDED);
    let check = asyncfix(root, &["--check", "prog.py"]);
    assert_eq!(check.code, Some(0), "nothing is reported:\n{}", check.describe());
    prints(root, "prog.py", "outside 2 4\ninside 2 4 10\n");
}
