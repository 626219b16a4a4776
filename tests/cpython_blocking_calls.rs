//! AF101–AF105 under CPython: coroutines that run blocking calls (`subprocess.run`,
//! `os.system`, ...) one after the other run at the same time once `asyncfix --write
//! --unsafe-fixes` has moved those calls to worker threads.
//!
//! Interleaving is decided from the order of the program's output, never from wall time:
//! one coroutine's command waits for a signal (a directory) that another coroutine's command
//! creates. While the first blocks the event loop the second cannot start, so the waiter
//! gives up (after a generous deadline that only the unfixed program ever reaches) and says
//! so; once both run in threads, the waiter sees the signal. Every fixed file must compile
//! (`python3 -m py_compile`), and files with nothing to fix stay byte-identical. `python3`
//! (3.8 or later) is required: a missing `python3` fails these tests with a message saying
//! so, it does not skip them.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod common;
use common::{asyncfix, python3_with, Run};

/// `python3 -I ARGS` in `dir` (isolated from the user's PYTHON* variables and site).
fn python3(dir: &Path, args: &[&str]) -> Run {
    python3_waiting(dir, args, "3")
}

/// `python3` with the waiters' deadline (`AF_WAIT_DEADLINE`, seconds): short where the test
/// expects a waiter to give up, long where it expects the signal (a loaded machine may take
/// seconds to start the child interpreters; the deadline must never decide such a run).
fn python3_waiting(dir: &Path, args: &[&str], deadline: &str) -> Run {
    python3_with(dir, args, "tests/cpython_blocking_calls.rs", |c| {
        c.arg("-I").env("AF_WAIT_DEADLINE", deadline);
    })
}

/// `python3 -m py_compile FILE` (see `common::py_compile`).
fn py_compile(dir: &Path, file: &str) {
    common::py_compile(dir, file, python3);
}

/// Runs `file` and expects the lines of `expected` on standard output, in any order: once
/// both commands run at the same time, which of two threads returns first is up to the
/// scheduler. (That the waiter saw the signal, instead of giving up, is what shows they
/// overlapped.)
fn prints_in_any_order(dir: &Path, file: &str, expected: &str) {
    let run = python3_waiting(dir, &["-B", file], "60");
    assert_eq!(run.code, Some(0), "{file} fails:\n{}", run.describe());
    let mut got: Vec<&str> = run.stdout.lines().collect();
    let mut want: Vec<&str> = expected.lines().collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want, "{file}: wrong output\n{}", run.describe());
}

/// Runs `file` and expects exactly `expected` on standard output.
fn prints(dir: &Path, file: &str, expected: &str) {
    let deadline = if expected.contains("gave up") { "3" } else { "60" };
    let run = python3_waiting(dir, &["-B", file], deadline);
    assert_eq!(
        run.code,
        Some(0),
        "{file} fails:\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap_or_default()
    );
    assert_eq!(
        run.stdout,
        expected,
        "{file}: wrong output\n{}\n--- the file ---\n{}",
        run.describe(),
        fs::read_to_string(dir.join(file)).unwrap_or_default()
    );
}

/// A temporary tree holding `file` with `text`.
fn tree(file: &str, text: &str) -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join(file), text).unwrap();
    dir
}

/// `asyncfix --write --unsafe-fixes EXTRA... FILE`, expecting every finding fixed (exit 0)
/// and nothing left for a second run.
fn write_all(dir: &Path, file: &str, extra: &[&str]) -> String {
    let mut args = vec!["--write", "--unsafe-fixes"];
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
    let mut again = vec!["--check", "--unsafe-fixes"];
    again.extend_from_slice(extra);
    again.push(file);
    let again = asyncfix(dir, &again);
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
// subprocess.run and os.system, one after the other → at the same time
// ---------------------------------------------------------------------------------------

/// Two coroutines: `waiter` runs a command that waits for the signal directory, `signaller`
/// runs one that creates it (saying so first). While `subprocess.run` blocks the loop,
/// `signaller` cannot start and the waiter's deadline passes.
const INTERLEAVE: &str = r#"import asyncio
import os
import shlex
import subprocess
import sys
import tempfile

SIGNAL = os.path.join(tempfile.mkdtemp(), "signal")

WAIT = f"""
import os, sys, time
deadline = time.monotonic() + float(os.environ.get("AF_WAIT_DEADLINE", "3"))
while not os.path.isdir({SIGNAL!r}):
    if time.monotonic() > deadline:
        print("waiter: gave up, nothing ran meanwhile")
        sys.exit(0)
    time.sleep(0.01)
print("waiter: saw the signal")
"""

SIGNAL_IT = f"""
import os
print("signaller: signalling", flush=True)
os.mkdir({SIGNAL!r})
"""


async def waiter():
    result = subprocess.run([sys.executable, "-c", WAIT], capture_output=True, text=True, check=True)
    print(result.stdout.strip(), flush=True)


async def signaller():
    await asyncio.sleep(0)
    status = os.system(shlex.join([sys.executable, "-c", SIGNAL_IT]))
    print("signaller: exit status", status, flush=True)


async def main():
    await asyncio.gather(waiter(), signaller())


asyncio.run(main())
"#;

const BLOCKED: &str = "waiter: gave up, nothing ran meanwhile\nsignaller: signalling\nsignaller: exit status 0\n";
const INTERLEAVED: &str = "signaller: signalling\nsignaller: exit status 0\nwaiter: saw the signal\n";

#[test]
fn subprocess_and_os_system_interleave_after_the_fix() {
    let dir = tree("prog.py", INTERLEAVE);
    let root = dir.path();
    // The bug is real: the waiter's command runs alone.
    prints(root, "prog.py", BLOCKED);

    let fixed = write_all(root, "prog.py", &[]);
    assert!(
        fixed.contains(
            "    result = await asyncio.to_thread(subprocess.run, [sys.executable, \"-c\", WAIT], capture_output=True, text=True, check=True)\n"
        ),
        "{fixed}"
    );
    assert!(
        fixed.contains(
            // Laid out as `ruff format` lays it out (the original line was formatted; the
            // `subprocess.run` one above was too long already, and keeps its plain splice).
            "    status = await asyncio.to_thread(\n        os.system, shlex.join([sys.executable, \"-c\", SIGNAL_IT])\n    )\n"
        ),
        "{fixed}"
    );
    py_compile(root, "prog.py");
    prints_in_any_order(root, "prog.py", INTERLEAVED);
}

#[test]
fn python_3_8_form_interleaves_too() {
    let dir = tree("prog.py", INTERLEAVE);
    let root = dir.path();
    let fixed = write_all(root, "prog.py", &["--target-version", "py38"]);
    assert!(fixed.contains("import functools\n"), "{fixed}");
    assert!(
        fixed.contains(
            "    status = await asyncio.get_running_loop().run_in_executor(\n        None,\n        functools.partial(os.system, shlex.join([sys.executable, \"-c\", SIGNAL_IT])),\n    )\n"
        ),
        "{fixed}"
    );
    py_compile(root, "prog.py");
    prints_in_any_order(root, "prog.py", INTERLEAVED);
}

/// Without `import asyncio` in the file, and with the value used through an attribute.
const NO_ASYNCIO_IMPORT: &str = r#"import os
import subprocess
import sys
import tempfile
from asyncio import gather, run, sleep

SIGNAL = os.path.join(tempfile.mkdtemp(), "signal")

WAIT = f"""
import os, sys, time
deadline = time.monotonic() + float(os.environ.get("AF_WAIT_DEADLINE", "3"))
while not os.path.isdir({SIGNAL!r}):
    if time.monotonic() > deadline:
        print("gave up")
        sys.exit(0)
    time.sleep(0.01)
print("saw the signal")
"""


async def waiter():
    out = subprocess.run([sys.executable, "-c", WAIT], capture_output=True, text=True).stdout.strip()
    print("waiter:", out, flush=True)


async def signaller():
    await sleep(0)
    subprocess.check_call([sys.executable, "-c", f"import os; os.mkdir({SIGNAL!r})"])
    print("signaller: done", flush=True)


async def main():
    await gather(waiter(), signaller())


run(main())
"#;

#[test]
fn import_is_added_and_precedence_kept() {
    let dir = tree("prog.py", NO_ASYNCIO_IMPORT);
    let root = dir.path();
    prints(root, "prog.py", "waiter: gave up\nsignaller: done\n");
    let fixed = write_all(root, "prog.py", &[]);
    assert!(
        // In isort order: the `import x` lines of the stdlib section first.
        fixed.starts_with("import asyncio\nimport os\n"),
        "{fixed}"
    );
    assert!(
        fixed.contains(
            "    out = (await asyncio.to_thread(subprocess.run, [sys.executable, \"-c\", WAIT], capture_output=True, text=True)).stdout.strip()\n"
        ),
        "{fixed}"
    );
    py_compile(root, "prog.py");
    prints_in_any_order(root, "prog.py", "signaller: done\nwaiter: saw the signal\n");
}

// ---------------------------------------------------------------------------------------
// Files and paths: the fixed program computes the same thing
// ---------------------------------------------------------------------------------------

const FILES: &str = r#"import asyncio
import os
import shutil
import tempfile
from pathlib import Path


async def main():
    root = Path(tempfile.mkdtemp())
    src = root / "a.txt"
    src.write_text("hello\n")
    copy = shutil.copy(src, root / "b.txt")
    text = Path(copy).read_text().strip()
    handle = open(root / "c.txt", "w")
    handle.write(text.upper())
    handle.close()
    with open(root / "c.txt") as f:
        print(text, f.read())
    shutil.rmtree(root)
    print(os.path.exists(root))


asyncio.run(main())
"#;

#[test]
fn file_io_runs_the_same_in_threads() {
    let dir = tree("prog.py", FILES);
    let root = dir.path();
    prints(root, "prog.py", "hello HELLO\nFalse\n");
    let run = asyncfix(root, &["--write", "--unsafe-fixes", "prog.py"]);
    // `with open(...)` is reported, never fixed.
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(run.stdout.contains("prog.py:17:10: AF103 "), "{}", run.describe());
    let fixed = fs::read_to_string(root.join("prog.py")).unwrap();
    for line in [
        "    await asyncio.to_thread(src.write_text, \"hello\\n\")\n",
        "    copy = await asyncio.to_thread(shutil.copy, src, root / \"b.txt\")\n",
        "    text = (await asyncio.to_thread(Path(copy).read_text)).strip()\n",
        "    handle = await asyncio.to_thread(open, root / \"c.txt\", \"w\")\n",
        "    await asyncio.to_thread(handle.write, text.upper())\n",
        "    await asyncio.to_thread(handle.close)\n",
        "    with open(root / \"c.txt\") as f:\n",
        "        print(text, await asyncio.to_thread(f.read))\n",
        "    await asyncio.to_thread(shutil.rmtree, root)\n",
    ] {
        assert!(fixed.contains(line), "{line}\n---\n{fixed}");
    }
    py_compile(root, "prog.py");
    prints(root, "prog.py", "hello HELLO\nFalse\n");
}

// ---------------------------------------------------------------------------------------
// Methods of sync file objects (AF103): one after the other → at the same time
// ---------------------------------------------------------------------------------------

/// The two ends of a pipe as sync file objects, known to asyncfix by their annotations. The
/// waiter's `read(4)` blocks until four bytes come: the signaller's `ping`, or, when the
/// blocked event loop never lets the signaller run, the watchdog thread's `late` after the
/// deadline.
const FILE_OBJECTS: &str = r#"import asyncio
import os
import threading
from io import BufferedReader, BufferedWriter

DEADLINE = float(os.environ.get("AF_WAIT_DEADLINE", "3"))
READ_END, WRITE_END = os.pipe()
watchdog = threading.Timer(DEADLINE, os.write, (WRITE_END, b"late"))
watchdog.daemon = True
reader = os.fdopen(READ_END, "rb")
writer = os.fdopen(WRITE_END, "wb")


async def waiter(source: BufferedReader):
    data = source.read(4)
    if data == b"late":
        print("waiter: gave up, nothing ran meanwhile", flush=True)
    else:
        print("waiter: saw the signal", data.decode(), flush=True)


async def signaller(sink: "BufferedWriter | None"):
    await asyncio.sleep(0)
    print("signaller: signalling", sink.fileno() > 2, flush=True)
    sink.write(b"ping")
    sink.flush()


async def main():
    watchdog.start()
    await asyncio.gather(waiter(reader), signaller(writer))
    watchdog.cancel()


asyncio.run(main())
"#;

#[test]
fn file_object_methods_interleave_after_the_fix() {
    let dir = tree("prog.py", FILE_OBJECTS);
    let root = dir.path();
    // The bug is real: the signaller cannot run while `read()` blocks the loop.
    prints(
        root,
        "prog.py",
        "waiter: gave up, nothing ran meanwhile\nsignaller: signalling True\n",
    );
    let fixed = write_all(root, "prog.py", &[]);
    for line in [
        "    data = await asyncio.to_thread(source.read, 4)\n",
        // `fileno()` does no I/O: left alone.
        "    print(\"signaller: signalling\", sink.fileno() > 2, flush=True)\n",
        "    await asyncio.to_thread(sink.write, b\"ping\")\n",
        "    await asyncio.to_thread(sink.flush)\n",
        // Module level: not async context.
        "reader = os.fdopen(READ_END, \"rb\")\n",
    ] {
        assert!(fixed.contains(line), "{line}\n---\n{fixed}");
    }
    py_compile(root, "prog.py");
    // The signaller prints before it writes, and the waiter prints after reading: the order
    // is fixed, and the waiter got the signal, not the watchdog's `late`.
    prints(
        root,
        "prog.py",
        "signaller: signalling True\nwaiter: saw the signal ping\n",
    );
}

// ---------------------------------------------------------------------------------------
// os.path.exists, os.stat, Path.is_dir (AF105): one after the other → at the same time
// ---------------------------------------------------------------------------------------

/// A slow file system, made observable: `os.path.exists` of one path answers only once the
/// signaller coroutine has set a `threading.Event` (or gives up after the deadline, which
/// only a blocked event loop reaches). The patched function is still `os.path.exists` to
/// asyncfix: the call is resolved by name, as written.
const PATHS: &str = r#"import asyncio
import os
import tempfile
import threading
from pathlib import Path

ROOT = Path(tempfile.mkdtemp())
SLOW = str(ROOT / "on-a-slow-disk")
SIGNAL = threading.Event()
_exists = os.path.exists


def _slow_exists(path):
    if path == SLOW:
        if SIGNAL.wait(float(os.environ.get("AF_WAIT_DEADLINE", "3"))):
            print("waiter: saw the signal", flush=True)
        else:
            print("waiter: gave up, nothing ran meanwhile", flush=True)
    return _exists(path)


os.path.exists = _slow_exists


async def waiter():
    found = os.path.exists(SLOW)
    print("waiter: exists", found, os.path.join("a", "b"), flush=True)


async def signaller():
    await asyncio.sleep(0)
    (ROOT / "flag").write_bytes(b"abc")
    size = os.stat(ROOT / "flag").st_size
    print("signaller: signalling", size, ROOT.is_dir(), (ROOT / "flag").name, flush=True)
    SIGNAL.set()


async def main():
    await asyncio.gather(waiter(), signaller())


asyncio.run(main())
"#;

#[test]
fn path_metadata_calls_interleave_after_the_fix() {
    let dir = tree("prog.py", PATHS);
    let root = dir.path();
    // The bug is real: the signaller cannot run while `os.path.exists` blocks the loop.
    prints(
        root,
        "prog.py",
        "waiter: gave up, nothing ran meanwhile\nwaiter: exists False a/b\nsignaller: signalling 3 True flag\n",
    );
    let fixed = write_all(root, "prog.py", &[]);
    for line in [
        "    found = await asyncio.to_thread(os.path.exists, SLOW)\n",
        "    print(\"waiter: exists\", found, os.path.join(\"a\", \"b\"), flush=True)\n",
        "    size = (await asyncio.to_thread(os.stat, ROOT / \"flag\")).st_size\n",
        "    print(\"signaller: signalling\", size, await asyncio.to_thread(ROOT.is_dir), (ROOT / \"flag\").name, flush=True)\n",
        // A reference at module level, not a call in a coroutine.
        "\n_exists = os.path.exists\n",
    ] {
        assert!(fixed.contains(line), "{line}\n---\n{fixed}");
    }
    py_compile(root, "prog.py");
    // The signal is set only after the signaller has printed, and the waiter prints after
    // seeing it: the order is fixed, and the waiter saw it.
    prints(
        root,
        "prog.py",
        "signaller: signalling 3 True flag\nwaiter: saw the signal\nwaiter: exists False a/b\n",
    );
}

// ---------------------------------------------------------------------------------------
// Negatives: nothing to fix, byte-identical
// ---------------------------------------------------------------------------------------

const NEGATIVES: &str = r#"import asyncio
import functools
import os
import subprocess
import sys


def build():
    return subprocess.run([sys.executable, "-c", "print('built')"], capture_output=True, text=True).stdout


async def main():
    # Sync helpers offloaded: references, not calls.
    out = await asyncio.to_thread(build)
    code = await asyncio.to_thread(os.system, "true")
    loop = asyncio.get_running_loop()
    partial = await loop.run_in_executor(None, functools.partial(subprocess.run, ["true"]))
    # The async API.
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "print('async')", stdout=asyncio.subprocess.PIPE)
    stdout, _ = await proc.communicate()

    # A nested sync def is not async context: it runs in a thread here.
    def worker():
        return subprocess.check_output([sys.executable, "-c", "print('worker')"], text=True)

    from_worker = await asyncio.to_thread(worker)
    print(out.strip(), code, partial.returncode, stdout.decode().strip(), from_worker.strip())


asyncio.run(main())
"#;

#[test]
fn negatives_stay_byte_identical() {
    let dir = tree("prog.py", NEGATIVES);
    let root = dir.path();
    let run = asyncfix(root, &["--write", "--unsafe-fixes", "prog.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(fs::read_to_string(root.join("prog.py")).unwrap(), NEGATIVES);
    let run = asyncfix(
        root,
        &["--check", "--unsafe-fixes", "--target-version", "py38", "prog.py"],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    prints(root, "prog.py", "built 0 0 async worker\n");
}

// ---------------------------------------------------------------------------------------
// The fixtures compile before and after every fix
// ---------------------------------------------------------------------------------------

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "__pycache__") {
                copy_tree(&path, &target);
            }
        } else if path.extension().is_some_and(|e| e == "py") {
            fs::copy(&path, &target).unwrap();
        }
    }
}

/// Every `.py` file under `dir`, relative to it.
fn python_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir.join(rel)).unwrap() {
        let path = entry.unwrap().path();
        let name = rel.join(path.file_name().unwrap());
        if path.is_dir() {
            python_files(dir, &name, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(name);
        }
    }
}

#[test]
fn blocking_fixtures_compile_before_and_after_unsafe_fixes() {
    let fixes = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    for entry in fs::read_dir(&fixes).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("blocking_") || (name.starts_with("blocking_sleep") && !path.is_dir()) {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &root.join(&name));
        } else {
            fs::copy(&path, root.join(&name)).unwrap();
        }
    }
    let mut files = Vec::new();
    python_files(root, Path::new(""), &mut files);
    assert!(files.len() >= 8, "{files:?}");
    let before: Vec<String> = files
        .iter()
        .map(|f| fs::read_to_string(root.join(f)).unwrap())
        .collect();
    for file in &files {
        py_compile(root, &file.to_string_lossy());
    }
    for target in ["py39", "py38"] {
        let run = asyncfix(root, &["--write", "--unsafe-fixes", "--target-version", target, "."]);
        // Report-only cases remain.
        assert_eq!(run.code, Some(1), "{}", run.describe());
        assert!(run.stderr.contains("Fixed"), "{}", run.describe());
        let changed = files
            .iter()
            .zip(&before)
            .filter(|(f, b)| fs::read_to_string(root.join(f)).unwrap() != **b)
            .count();
        assert!(changed >= 5, "{target}: only {changed} files changed");
        for file in &files {
            py_compile(root, &file.to_string_lossy());
        }
        let again = asyncfix(root, &["--diff", "--unsafe-fixes", "--target-version", target, "."]);
        assert_eq!(
            again.stdout,
            "",
            "{target}: a second run changes something:\n{}",
            again.describe()
        );
        for (file, text) in files.iter().zip(&before) {
            fs::write(root.join(file), text).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// --explain and --list-rules
// ---------------------------------------------------------------------------------------

#[test]
fn explain_and_list_the_blocking_rules() {
    let dir = TempDir::new().unwrap();
    for (code, name) in [
        ("AF101", "blocking-subprocess"),
        ("AF102", "blocking-http"),
        ("AF103", "blocking-file"),
        ("AF104", "blocking-input"),
        ("AF105", "blocking-path"),
    ] {
        let by_code = asyncfix(dir.path(), &["--explain", code]);
        assert_eq!(by_code.code, Some(0), "{}", by_code.describe());
        for heading in ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"] {
            assert!(
                by_code.stdout.contains(heading),
                "{code}: {heading}\n{}",
                by_code.stdout
            );
        }
        assert!(
            by_code.stdout.starts_with(&format!("# {name} ({code})")),
            "{}",
            by_code.stdout
        );
        assert!(by_code.stdout.contains("asyncio.to_thread"), "{}", by_code.stdout);
        let by_name = asyncfix(dir.path(), &["--explain", name]);
        assert_eq!(by_name.stdout, by_code.stdout);
    }
    let list = asyncfix(dir.path(), &["--list-rules"]);
    for code in ["AF101", "AF102", "AF103", "AF104"] {
        assert!(list.stdout.lines().any(|l| l.starts_with(code)), "{}", list.stdout);
    }
    // `AF1` selects the family.
    let file = tree(
        "m.py",
        "import os\n\n\nasync def f():\n    os.system('true')\n    input()\n",
    );
    let run = asyncfix(file.path(), &["--select", "AF1", "m.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert!(
        run.stdout.contains("AF101") && run.stdout.contains("AF104"),
        "{}",
        run.describe()
    );
    let run = asyncfix(file.path(), &["--select", "AF0", "m.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
}
