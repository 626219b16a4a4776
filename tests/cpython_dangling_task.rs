//! AF002 dangling-task under CPython and mypy.
//!
//! - A program whose fire-and-forget tasks wait on futures that only the tasks themselves
//!   reference: before the fix, `gc.collect()` destroys them ("Task was destroyed but it is
//!   pending!"); after `asyncfix --write`, every one of them survives and completes. Nothing
//!   is decided from timing: the program prints what is alive and what finished. The same
//!   for tasks bound to locals that are never read (collected once their function returns).
//! - mypy (pinned in tests/requirements.txt, from the shared test venv under the target
//!   directory, installed from PyPI on first use) accepts the inserted code, checking for
//!   Python 3.8 and for the running version.
//! - The fix keeps the file's own layout: CRLF, tabs, no final newline, docstring and
//!   `__future__` imports.
//!
//! `python3` is required; these tests are never skipped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tempfile::TempDir;

/// The newest mypy that still checks for Python 3.8 (`--python-version 3.8`; 1.17 dropped it).
const MYPY_VERSION: &str = "1.16.1";

mod common;
use common::{Run, TIMEOUT};

fn finish(what: &str, cmd: impl Into<assert_cmd::Command>, timeout: Duration) -> Run {
    match cmd.into().timeout(timeout).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("could not run {what}: {e} (python3 3.8 or later must be on PATH; these tests are not skipped)")
        }
        output => common::finish(what, output),
    }
}

/// `asyncfix --select AF002 ARGS` in `dir` (only this pass: the others are tested elsewhere).
fn asyncfix(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").expect("the asyncfix binary is built");
    cmd.current_dir(dir)
        .args(["--select", "AF002"])
        .args(args)
        .env("NO_COLOR", "1");
    finish(&format!("asyncfix {args:?}"), cmd, TIMEOUT)
}

/// `python3 -I ARGS` in `dir` (isolated from the user's environment).
fn python3(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new("python3");
    cmd.current_dir(dir).arg("-I").args(args);
    finish(&format!("python3 {args:?}"), cmd, TIMEOUT)
}

/// `asyncfix --write FILE` must fix something, and a second run must find nothing more.
fn fix_in_place(dir: &Path, file: &str) -> String {
    let run = asyncfix(dir, &["--write", file]);
    assert_eq!(run.code, Some(0), "asyncfix --write {file}:\n{}", run.describe());
    assert!(
        run.stderr.contains("Fixed"),
        "nothing fixed in {file}:\n{}",
        run.describe()
    );
    let again = asyncfix(dir, &["--check", file]);
    assert_eq!(
        again.code,
        Some(0),
        "a second run still finds something:\n{}",
        again.describe()
    );
    fs::read_to_string(dir.join(file)).unwrap()
}

/// `python3 -m py_compile FILE` (see `common::py_compile`).
fn py_compile(dir: &Path, file: &str) {
    common::py_compile(dir, file, python3);
}

// ---------------------------------------------------------------------------------------
// a. Tasks nothing references are garbage-collected; once fixed, they live and complete
// ---------------------------------------------------------------------------------------

/// Every task waits on a future that only the task itself (through its coroutine) refers
/// to; the program keeps weak references to the futures to resolve them later. `kept:`
/// counts what the module-level sets hold (none before the fix).
const BOT: &str = r#""""Fire-and-forget tasks that wait on futures nothing else references."""
import asyncio
import gc
import weakref

waiting = weakref.WeakSet()
finished = []


async def wait_forever(name):
    asyncio.current_task().set_name(name)
    future = asyncio.get_running_loop().create_future()
    waiting.add(future)
    await future
    finished.append(name)


def on_callback():
    asyncio.ensure_future(wait_forever("sync-callback"))


class Bot:
    def __init__(self):
        self.loop = asyncio.get_running_loop()

    def on_message(self, text):
        self.loop.create_task(wait_forever(text))


async def spawn(ok):
    asyncio.create_task(wait_forever("coroutine"))
    loop = asyncio.get_running_loop()
    loop.create_task(  # a multi-line call
        wait_forever(
            "multi-line",  # its name
        ),
    )
    if ok: asyncio.create_task(wait_forever("one-liner"))
    asyncio.create_task(wait_forever("semicolon-1")); asyncio.create_task(wait_forever("semicolon-2"))


def others():
    return sorted(t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task())


def kept():
    return sum(len(v) for v in list(globals().values()) if isinstance(v, set))


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(on_callback)
    Bot().on_message("self-loop")
    await spawn(True)
    for _ in range(5):
        await asyncio.sleep(0)
    print("waiting:", len(waiting), flush=True)
    gc.collect()
    print("alive:", " ".join(others()), flush=True)
    print("kept:", kept(), flush=True)
    for future in list(waiting):
        future.set_result(None)
    for _ in range(5):
        await asyncio.sleep(0)
    print("finished:", " ".join(sorted(finished)), flush=True)
    print("left:", " ".join(others()), flush=True)
    print("kept:", kept(), flush=True)


asyncio.run(main())
"#;

const NAMES: &str = "coroutine multi-line one-liner self-loop semicolon-1 semicolon-2 sync-callback";

#[test]
fn fixed_fire_and_forget_tasks_survive_garbage_collection() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("bot.py"), BOT).unwrap();

    // Before: collected mid-run, with CPython's own complaint on stderr.
    let before = python3(root, &["-B", "bot.py"]);
    assert_eq!(before.code, Some(0), "{}", before.describe());
    assert_eq!(
        before.stdout,
        "waiting: 7\nalive: \nkept: 0\nfinished: \nleft: \nkept: 0\n",
        "the original's tasks must be collected:\n{}",
        before.describe()
    );
    assert_eq!(
        before.stderr.matches("Task was destroyed but it is pending!").count(),
        7,
        "{}",
        before.describe()
    );

    let report = asyncfix(root, &["bot.py"]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert_eq!(report.stdout.matches(" AF002 [*] ").count(), 7, "{}", report.describe());

    let fixed = fix_in_place(root, "bot.py");
    py_compile(root, "bot.py");
    assert_eq!(fixed.matches("_background_tasks: ").count(), 1, "one set:\n{fixed}");
    assert!(
        fixed.contains("        task = self.loop.create_task(wait_forever(text))\n"),
        "{fixed}"
    );

    // After: all alive through the collection, all complete, each removed from the set.
    let after = python3(root, &["-B", "bot.py"]);
    assert_eq!(after.code, Some(0), "{}", after.describe());
    assert_eq!(
        after.stdout,
        format!("waiting: 7\nalive: {NAMES}\nkept: 7\nfinished: {NAMES}\nleft: \nkept: 0\n"),
        "the fixed program's tasks must survive:\n{}\n--- fixed ---\n{fixed}",
        after.describe()
    );
    assert_eq!(after.stderr, "", "{}", after.describe());
}

/// Tasks bound to locals that are never read: each lives only as long as the function that
/// created it. `start_annotated` is a coroutine (its frame goes when it returns), the others
/// plain functions; `_` is the name people use for "discarded".
const LOCALS: &str = r#""""Tasks kept in locals that nothing reads."""
import asyncio
import gc
import weakref

waiting = weakref.WeakSet()
finished = []


async def wait_forever(name):
    asyncio.current_task().set_name(name)
    future = asyncio.get_running_loop().create_future()
    waiting.add(future)
    await future
    finished.append(name)


def start_local():
    t = asyncio.create_task(wait_forever("local"))


def start_underscore():
    _ = asyncio.ensure_future(wait_forever("underscore"))


async def start_annotated():
    task: "asyncio.Task[None]" = asyncio.create_task(wait_forever("annotated"))
    await asyncio.sleep(0)


def start_read():
    kept = asyncio.create_task(wait_forever("read"))
    return kept


def others():
    return sorted(t.get_name() for t in asyncio.all_tasks() if t is not asyncio.current_task())


async def main():
    start_local()
    start_underscore()
    await start_annotated()
    returned = start_read()
    for _ in range(5):
        await asyncio.sleep(0)
    print("waiting:", len(waiting), flush=True)
    gc.collect()
    print("alive:", " ".join(others()), flush=True)
    for future in list(waiting):
        future.set_result(None)
    for _ in range(5):
        await asyncio.sleep(0)
    print("finished:", " ".join(sorted(finished)), flush=True)
    print("done:", returned.done(), flush=True)


asyncio.run(main())
"#;

#[test]
fn fixed_tasks_in_unread_locals_survive_garbage_collection() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("locals.py"), LOCALS).unwrap();

    // Before: once their functions return, the three unread tasks are collected; the one
    // that is returned (and kept by `main`) is not.
    let before = python3(root, &["-B", "locals.py"]);
    assert_eq!(before.code, Some(0), "{}", before.describe());
    assert_eq!(
        before.stdout,
        "waiting: 4\nalive: read\nfinished: read\ndone: True\n",
        "the original's unread tasks must be collected:\n{}",
        before.describe()
    );
    assert_eq!(
        before.stderr.matches("Task was destroyed but it is pending!").count(),
        3,
        "{}",
        before.describe()
    );

    let report = asyncfix(root, &["locals.py"]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert_eq!(report.stdout.matches(" AF002 [*] ").count(), 3, "{}", report.describe());
    assert!(
        report
            .stdout
            .contains("is assigned to `t`, which is never read in `start_local`"),
        "{}",
        report.describe()
    );

    let fixed = fix_in_place(root, "locals.py");
    py_compile(root, "locals.py");
    assert!(
        fixed.contains(
            "    t = asyncio.create_task(wait_forever(\"local\"))\n    _background_tasks.add(t)\n    \
             t.add_done_callback(_background_tasks.discard)\n"
        ),
        "{fixed}"
    );
    // `_` is renamed: the task is not discarded any more.
    assert!(
        fixed.contains("    task = asyncio.ensure_future(wait_forever(\"underscore\"))\n"),
        "{fixed}"
    );
    assert!(fixed.contains("    _background_tasks.add(task)\n"), "{fixed}");
    assert!(!fixed.contains("_background_tasks.add(kept)"), "{fixed}");

    let after = python3(root, &["-B", "locals.py"]);
    assert_eq!(after.code, Some(0), "{}", after.describe());
    assert_eq!(
        after.stdout,
        "waiting: 4\nalive: annotated local read underscore\nfinished: annotated local read underscore\ndone: True\n",
        "the fixed program's tasks must survive:\n{}\n--- fixed ---\n{fixed}",
        after.describe()
    );
    assert_eq!(after.stderr, "", "{}", after.describe());
}

// ---------------------------------------------------------------------------------------
// b. mypy accepts the inserted code
// ---------------------------------------------------------------------------------------

/// Fully annotated, so that `mypy --strict` checks every line; clean before the fix.
/// Tasks of different result types in one function need different names.
const TYPED: &str = r#"import asyncio


async def number(n: int) -> int:
    await asyncio.sleep(0)
    return n


async def text(s: str) -> str:
    return s


def on_callback() -> None:
    asyncio.ensure_future(number(1))


class Bot:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def on_message(self, s: str) -> None:
        self.loop.create_task(text(s))
        self.loop.create_task(number(2))


async def spawn(ok: bool, future: "asyncio.Future[str]") -> None:
    asyncio.create_task(number(3))
    asyncio.create_task(text("x"))
    asyncio.ensure_future(future)
    loop = asyncio.get_running_loop()
    loop.create_task(  # a multi-line call
        number(4),
    )
    if ok: asyncio.create_task(text("y"))
    asyncio.create_task(number(5)); asyncio.create_task(text("z"))


asyncio.ensure_future(number(6))
"#;

/// The shared test venv's python (`common::test_python()`, tests/requirements.txt), which
/// must have the mypy this file needs.
fn mypy_python() -> PathBuf {
    let python = common::test_python();
    assert_eq!(
        installed_mypy(&python).as_deref(),
        Some(MYPY_VERSION),
        "tests/requirements.txt must pin mypy=={MYPY_VERSION} (the newest that checks for Python 3.8)"
    );
    python
}

/// The version of mypy `python -m mypy` runs, if any.
fn installed_mypy(python: &Path) -> Option<String> {
    if !python.exists() {
        return None;
    }
    let mut cmd = Command::new(python);
    cmd.args(["-m", "mypy", "--version"]);
    let run = finish("mypy --version", cmd, TIMEOUT);
    let version = run.stdout.strip_prefix("mypy ")?.split_whitespace().next()?.to_string();
    (run.code == Some(0)).then_some(version)
}

/// mypy's verdict on FILES in `dir` with `extra` flags, for the running Python and for 3.8:
/// its error lines without positions (the fix moves lines), sorted. `cache` is shared by
/// the runs of one test (mypy analyses the standard library's stubs once).
fn mypy(python: &Path, cache: &Path, dir: &Path, files: &[String], extra: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for version in [None, Some("3.8")] {
        let mut cmd = Command::new(python);
        cmd.current_dir(dir)
            .args([
                "-m",
                "mypy",
                "--no-error-summary",
                "--hide-error-context",
                "--cache-dir",
            ])
            .arg(cache)
            .args(extra);
        if let Some(version) = version {
            cmd.args(["--python-version", version]);
        }
        cmd.args(files);
        let run = finish("mypy", cmd, TIMEOUT);
        assert!(
            matches!(run.code, Some(0 | 1)) && run.stderr.is_empty(),
            "mypy crashed or rejected its arguments:\n{}",
            run.describe()
        );
        for line in run.stdout.lines().filter(|l| l.contains(": error: ")) {
            let (place, message) = line.split_once(": error: ").unwrap();
            let file = place.split(':').next().unwrap();
            let message: String = message.chars().filter(|c| !c.is_ascii_digit()).collect();
            all.push(format!("[{}] {file}: {message}", version.unwrap_or("default")));
        }
    }
    all.sort();
    all
}

#[test]
fn mypy_accepts_the_inserted_code() {
    let python = mypy_python();
    let cache = TempDir::new().unwrap();
    let cache = cache.path();
    let dir = TempDir::new().unwrap();
    let typed = dir.path().join("typed");
    let before = dir.path().join("before");
    let after = dir.path().join("after");
    for d in [&typed, &before, &after] {
        fs::create_dir(d).unwrap();
    }

    // A fully typed program: clean under --strict before the fix and after it.
    let files = ["typed.py".to_string()];
    fs::write(typed.join("typed.py"), TYPED).unwrap();
    assert_eq!(
        mypy(&python, cache, &typed, &files, &["--strict"]),
        Vec::<String>::new()
    );
    let fixed = fix_in_place(&typed, "typed.py");
    py_compile(&typed, "typed.py");
    assert!(
        fixed.contains("_background_tasks: \"typing.Set[asyncio.Future[typing.Any]]\" = set()"),
        "{fixed}"
    );
    assert_eq!(
        mypy(&python, cache, &typed, &files, &["--strict"]),
        Vec::<String>::new(),
        "mypy rejects the fixed program:\n{fixed}"
    );

    // The fixtures: whatever mypy says about their own code, the fix adds nothing to it.
    let fixes = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let mut files: Vec<String> = fs::read_dir(&fixes)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("dangling_task") && n.ends_with(".py"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for name in &files {
        fs::copy(fixes.join(name), before.join(name)).unwrap();
        fs::copy(fixes.join(name), after.join(name)).unwrap();
        py_compile(&before, name);
    }
    let run = asyncfix(&after, &["--write", "."]);
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.describe());
    let mut changed = 0;
    for name in &files {
        py_compile(&after, name);
        changed += usize::from(fs::read(before.join(name)).unwrap() != fs::read(after.join(name)).unwrap());
    }
    // All but the fixture whose findings have no fix.
    assert_eq!(changed, files.len() - 1, "{}", run.describe());
    let flags = ["--check-untyped-defs"];
    assert_eq!(
        mypy(&python, cache, &after, &files, &flags),
        mypy(&python, cache, &before, &files, &flags),
        "mypy's errors changed with the fix (left: after, right: before)"
    );
}

// ---------------------------------------------------------------------------------------
// c. The file's own layout
// ---------------------------------------------------------------------------------------

/// Fix `original` (as bytes) and compare with `expected` exactly; both must compile. (The set
/// goes after the imports with the blank lines `ruff format` wants around it.)
fn assert_fixes_to(original: &str, expected: &str) {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    fs::write(root.join("m.py"), original).unwrap();
    py_compile(root, "m.py");
    let fixed = fix_in_place(root, "m.py");
    assert_eq!(fixed, expected, "\n--- got ---\n{fixed}\n--- expected ---\n{expected}");
    py_compile(root, "m.py");
}

#[test]
fn crlf_line_endings_are_kept() {
    assert_fixes_to(
        "import asyncio\r\n\r\ndef f(ok):\r\n    asyncio.create_task(g())  # go\r\n    if ok: asyncio.create_task(g())\r\n",
        "import asyncio\r\nimport typing\r\n\r\n_background_tasks: \"typing.Set[asyncio.Future[typing.Any]]\" = set()\r\n\r\n\r\n\
         def f(ok):\r\n    task = asyncio.create_task(g())  # go\r\n    _background_tasks.add(task)\r\n    \
         task.add_done_callback(_background_tasks.discard)\r\n    if ok: task_2 = asyncio.create_task(g()); \
         _background_tasks.add(task_2); task_2.add_done_callback(_background_tasks.discard)\r\n",
    );
}

#[test]
fn tabs_and_a_missing_final_newline_are_kept() {
    assert_fixes_to(
        "import asyncio\nimport typing\n\nclass C:\n\tdef f(self):\n\t\tself._loop.create_task(g())",
        "import asyncio\nimport typing\n\n_background_tasks: \"typing.Set[asyncio.Future[typing.Any]]\" = set()\n\n\n\
         class C:\n\tdef f(self):\n\t\ttask = self._loop.create_task(g())\n\t\t_background_tasks.add(task)\n\t\t\
         task.add_done_callback(_background_tasks.discard)",
    );
}

#[test]
fn docstring_future_imports_and_aliases() {
    assert_fixes_to(
        "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport asyncio as aio\nimport typing as t\n\
         aio.ensure_future(g())\n",
        "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport asyncio as aio\nimport typing as t\n\n\
         _background_tasks: \"t.Set[aio.Future[t.Any]]\" = set()\n_task = aio.ensure_future(g())\n\
         _background_tasks.add(_task)\n_task.add_done_callback(_background_tasks.discard)\n",
    );
}

#[test]
fn a_set_from_an_earlier_run_is_reused() {
    // The set is there, but nothing uses it any more: it is still the one to use.
    assert_fixes_to(
        "import asyncio\nimport typing\n_background_tasks: \"typing.Set[asyncio.Future[typing.Any]]\" = set()\n\n\
         def f():\n    asyncio.create_task(g())\n",
        "import asyncio\nimport typing\n_background_tasks: \"typing.Set[asyncio.Future[typing.Any]]\" = set()\n\n\
         def f():\n    task = asyncio.create_task(g())\n    _background_tasks.add(task)\n    \
         task.add_done_callback(_background_tasks.discard)\n",
    );
}
