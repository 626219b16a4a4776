//! AF001 missing-await under CPython.
//!
//! - A multi-module package whose coroutines are called without `await` (a function imported
//!   relatively, through `import pkg.mod as m` and through a re-export in `__init__.py`, a
//!   base-class method defined in another module, `super()`, `asyncio.Queue.put` on a
//!   `self._queue` attribute, `asyncio.sleep`, `f().x`): before the fix the work is lost and
//!   CPython prints "coroutine ... was never awaited"; after `asyncfix --write` the program
//!   does all of its work, warns about nothing, and a second run has nothing left to change.
//! - The same, tried as a new user would on a small aiohttp-style service (no aiohttp needed):
//!   report, diff, write, report again.
//! - A queue declared in a base class in another module (and one behind a property there),
//!   put to without `await` in a subclass's coroutine: fixed, the consumer gets every item.
//! - Correct code that only looks like a missing await stays byte-identical (and runs without
//!   a warning); calls in plain functions (nested `def`s, callbacks) are reported, not fixed.
//! - Methods a module rebinds to sync wrappers at import time, called on the class in a plain
//!   function: they run, and are not reported.
//!
//! Programs run with `-W default` so that every RuntimeWarning is shown, and call
//! `gc.collect()` at the end so that no warning is left pending. Nothing depends on timing.
//! `python3` (3.8 or later) is required: without it these tests fail saying so, they are not
//! skipped.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use tempfile::TempDir;

mod common;
use common::{python3_with, Run};

/// `asyncfix ARGS` in `dir`, exactly as typed (no rule selection, no isolation).
fn asyncfix_plain(dir: &Path, args: &[&str]) -> Run {
    common::asyncfix(dir, args)
}

/// `asyncfix --isolated --select AF001 ARGS` in `dir`: only this rule, no stray configuration.
fn asyncfix(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--isolated", "--select", "AF001"];
    all.extend_from_slice(args);
    asyncfix_plain(dir, &all)
}

/// `python3 ARGS` in `dir`.
fn python3(dir: &Path, args: &[&str]) -> Run {
    python3_with(dir, args, "tests/cpython_missing_await.rs", |_| {})
}

/// Runs `script` in `dir` with every warning shown once per location (`-W default`), no
/// bytecode written (`-B`), and neither PYTHON* variables nor user site-packages (`-E -s`;
/// not `-I`, which would drop the script's folder from `sys.path`).
fn run_program(dir: &Path, script: &str) -> Run {
    python3(dir, &["-E", "-s", "-B", "-W", "default", script])
}

/// Every `.py` file in `dir` must compile (nothing is written).
fn compile_all(dir: &Path) {
    let files: Vec<String> = tree(dir).into_keys().filter(|p| p.ends_with(".py")).collect();
    assert!(!files.is_empty(), "no Python file in {}", dir.display());
    let code = "import sys\nfor name in sys.argv[1:]:\n    with open(name, 'rb') as f:\n        compile(f.read(), name, 'exec', dont_inherit=True)\n";
    let mut args = vec!["-I", "-B", "-c", code];
    args.extend(files.iter().map(String::as_str));
    let run = python3(dir, &args);
    assert_eq!(
        run.code,
        Some(0),
        "a file does not compile:\n{}\n--- the tree ---\n{}",
        run.describe(),
        show(&tree(dir))
    );
}

/// Writes `files` (relative path, text) under `root`.
fn write_tree(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// Every file under `root`, by relative path (with `/`), with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(rel.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn show(tree: &BTreeMap<String, Vec<u8>>) -> String {
    tree.iter()
        .map(|(path, bytes)| format!("=== {path}\n{}", String::from_utf8_lossy(bytes)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `coroutine '...' was never awaited` warning in `stderr`, by coroutine name, sorted.
fn never_awaited(stderr: &str) -> Vec<String> {
    let mut names: Vec<String> = stderr
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("RuntimeWarning: coroutine '")?;
            let (name, rest) = rest.split_once('\'')?;
            rest.starts_with(" was never awaited").then(|| name.to_string())
        })
        .collect();
    names.sort();
    names
}

/// Checks the report lines: exactly one a `(location, callee)` pair, in order, each an AF001
/// finding, with `[*]` (fixable) or without as `fixable` says.
fn assert_findings(run: &Run, expected: &[(&str, &str)], fixable: bool) {
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "expected {} findings:\n{}",
        expected.len(),
        run.describe()
    );
    let marker = if fixable { "AF001 [*] " } else { "AF001 Coroutine" };
    for (line, (location, callee)) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(&format!("{location}: {marker}")) && line.contains(&format!("`{callee}`")),
            "expected `{location}: {marker}...` about `{callee}`, got `{line}`:\n{}",
            run.describe()
        );
    }
}

// ---------------------------------------------------------------------------------------
// 1. A multi-module package loses its work; once fixed, everything happens
// ---------------------------------------------------------------------------------------

const SHOP_INIT: &str = r#""""A small shop: orders are recorded, queued, shipped and notified."""
from .notify import notify as send_notification
"#;

const SHOP_NOTIFY: &str = r#"import asyncio

SENT = []


async def notify(user, message):
    await asyncio.sleep(0)
    SENT.append(f"{user}: {message}")
"#;

const SHOP_BASE: &str = r#"import asyncio


class BaseService:
    def __init__(self):
        self.audit = []
        self.baskets = {}

    async def record(self, event):
        await asyncio.sleep(0)
        self.audit.append(event)

    async def basket(self, user):
        await asyncio.sleep(0)
        return self.baskets.setdefault(user, [])
"#;

const SHOP_SERVICE: &str = r#"import asyncio

import shop.notify as n
from shop import send_notification

from .base import BaseService
from .notify import notify


class OrderService(BaseService):
    def __init__(self):
        super().__init__()
        self._queue = asyncio.Queue()
        self.shipped = []

    async def record(self, event):
        super().record(event.upper())

    async def place(self, user, item):
        self.record(f"placed {item} for {user}")
        notify(user, f"{item} ordered")
        self._queue.put((user, item))
        asyncio.sleep(0)
        self.basket(user).append(item)

    async def ship_all(self):
        while not self._queue.empty():
            user, item = self._queue.get_nowait()
            self.shipped.append(item)
            n.notify(user, f"{item} shipped")
        send_notification("staff", "all shipped")
"#;

const SHOP_SERVICE_FIXED: &str = r#"import asyncio

import shop.notify as n
from shop import send_notification

from .base import BaseService
from .notify import notify


class OrderService(BaseService):
    def __init__(self):
        super().__init__()
        self._queue = asyncio.Queue()
        self.shipped = []

    async def record(self, event):
        await super().record(event.upper())

    async def place(self, user, item):
        await self.record(f"placed {item} for {user}")
        await notify(user, f"{item} ordered")
        await self._queue.put((user, item))
        await asyncio.sleep(0)
        (await self.basket(user)).append(item)

    async def ship_all(self):
        while not self._queue.empty():
            user, item = self._queue.get_nowait()
            self.shipped.append(item)
            await n.notify(user, f"{item} shipped")
        await send_notification("staff", "all shipped")
"#;

const SHOP_MAIN: &str = r#"import asyncio
import gc

from shop.notify import SENT
from shop.service import OrderService


async def main():
    service = OrderService()
    for user, item in [("ann", "book"), ("bob", "lamp")]:
        try:
            await service.place(user, item)
        except AttributeError as e:
            print("error:", e)
    await service.ship_all()
    print("audit:", service.audit)
    print("baskets:", service.baskets)
    print("shipped:", service.shipped)
    print("sent:", SENT)


asyncio.run(main())
gc.collect()
print("done")
"#;

fn shop_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("shop/__init__.py", SHOP_INIT),
        ("shop/notify.py", SHOP_NOTIFY),
        ("shop/base.py", SHOP_BASE),
        ("shop/service.py", SHOP_SERVICE),
        ("main.py", SHOP_MAIN),
    ]
}

#[test]
fn unawaited_coroutines_across_a_package_lose_work_until_fixed() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(root, &shop_files());
    compile_all(root);

    // Before: nothing is recorded, queued, shipped or sent, and CPython says why.
    let before = run_program(root, "main.py");
    assert_eq!(before.code, Some(0), "{}", before.describe());
    assert_eq!(
        before.stdout,
        "error: 'coroutine' object has no attribute 'append'\n\
         error: 'coroutine' object has no attribute 'append'\n\
         audit: []\nbaskets: {}\nshipped: []\nsent: []\ndone\n",
        "the original must lose its work:\n{}",
        before.describe()
    );
    assert!(before.stderr.contains("was never awaited"), "{}", before.describe());
    let warned = never_awaited(&before.stderr);
    for name in [
        "BaseService.basket",
        "OrderService.record",
        "Queue.put",
        "notify",
        "sleep",
    ] {
        assert!(
            warned.iter().any(|w| w == name),
            "no `coroutine '{name}' was never awaited` (got {warned:?}):\n{}",
            before.describe()
        );
    }

    // The report: every call found, every one fixable.
    let report = asyncfix(root, &["."]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert_findings(
        &report,
        &[
            ("shop/service.py:17:9", "super().record"),
            ("shop/service.py:20:9", "self.record"),
            ("shop/service.py:21:9", "notify"),
            ("shop/service.py:22:9", "self._queue.put"),
            ("shop/service.py:23:9", "asyncio.sleep"),
            ("shop/service.py:24:9", "self.basket"),
            ("shop/service.py:30:13", "n.notify"),
            ("shop/service.py:31:9", "send_notification"),
        ],
        true,
    );

    let original = tree(root);
    let write = asyncfix(root, &["--write", "."]);
    assert_eq!(write.code, Some(0), "everything was fixable:\n{}", write.describe());
    assert_eq!(write.stdout, "", "no finding remains:\n{}", write.describe());
    assert!(write.stderr.contains("Fixed 8 problems"), "{}", write.describe());

    // Only service.py changed, and exactly so.
    let fixed = tree(root);
    let changed: Vec<&String> = fixed.keys().filter(|p| fixed.get(*p) != original.get(*p)).collect();
    assert_eq!(changed, ["shop/service.py"], "--- the tree ---\n{}", show(&fixed));
    assert_eq!(original.keys().collect::<Vec<_>>(), fixed.keys().collect::<Vec<_>>());
    assert_eq!(
        String::from_utf8_lossy(&fixed["shop/service.py"]),
        SHOP_SERVICE_FIXED,
        "the fixed service.py"
    );
    compile_all(root);

    // After: everything happens, in order, and nothing is left un-awaited.
    let after = run_program(root, "main.py");
    assert_eq!(after.code, Some(0), "{}", after.describe());
    assert_eq!(
        after.stdout,
        "audit: ['PLACED BOOK FOR ANN', 'PLACED LAMP FOR BOB']\n\
         baskets: {'ann': ['book'], 'bob': ['lamp']}\n\
         shipped: ['book', 'lamp']\n\
         sent: ['ann: book ordered', 'bob: lamp ordered', 'ann: book shipped', 'bob: lamp shipped', 'staff: all shipped']\n\
         done\n",
        "the fixed program must do all of its work:\n{}",
        after.describe()
    );
    assert!(!after.stderr.contains("was never awaited"), "{}", after.describe());
    assert_eq!(after.stderr, "", "{}", after.describe());

    // Nothing more to change.
    let again = asyncfix(root, &["--diff", "."]);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert_eq!(
        again.stdout,
        "",
        "a second --diff must print nothing:\n{}",
        again.describe()
    );
    assert_eq!(tree(root), fixed, "--diff changed a file");
}

// ---------------------------------------------------------------------------------------
// 2. Tried as a new user would: an aiohttp-style service (no aiohttp needed)
// ---------------------------------------------------------------------------------------

const SVC_DB: &str = r#""""A stand-in for an async database driver."""
import asyncio


class Database:
    def __init__(self):
        self.rows = []
        self.connected = False

    async def connect(self):
        await asyncio.sleep(0)
        self.connected = True

    async def save(self, table, row):
        await asyncio.sleep(0)
        self.rows.append(f"{table}:{row}")

    def count(self):
        return len(self.rows)
"#;

const SVC_LOG: &str = r#"import asyncio

LINES = []


async def log_request(request):
    await asyncio.sleep(0)
    LINES.append(f"{request.method} {request.path}")
"#;

const SVC_WEB: &str = r#""""Just enough of aiohttp.web's shape to write handlers against."""


class Request:
    def __init__(self, method, path, body):
        self.method = method
        self.path = path
        self.body = body


class Response:
    def __init__(self, status, text=""):
        self.status = status
        self.text = text
"#;

const SVC_APP: &str = r#"import asyncio

from .db import Database
from .log import log_request
from .web import Response


class App:
    def __init__(self):
        self.db = Database()
        self.routes = {"/users": self.handle_user, "/orders": self.handle_order}

    async def startup(self):
        self.db.connect()

    async def handle(self, request):
        log_request(request)
        handler = self.routes[request.path]
        return await handler(request)

    async def handle_user(self, request):
        self.db.save("users", request.body)
        asyncio.sleep(0)
        return Response(201, f"created {request.body}")

    async def handle_order(self, request):
        self.db.save("orders", request.body)
        return Response(201, f"ordered {request.body}")
"#;

const SVC_SERVE: &str = r#"import asyncio
import gc

from svc.app import App
from svc.log import LINES
from svc.web import Request

REQUESTS = [
    Request("POST", "/users", "ann"),
    Request("POST", "/orders", "book"),
    Request("POST", "/users", "bob"),
]


async def main():
    app = App()
    await app.startup()
    print("connected:", app.db.connected)
    for request in REQUESTS:
        response = await app.handle(request)
        print(response.status, response.text)
    print("saved:", app.db.count(), app.db.rows)
    print("logged:", LINES)


asyncio.run(main())
gc.collect()
"#;

#[test]
fn new_user_fixes_an_aiohttp_style_service() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("svc/__init__.py", ""),
            ("svc/db.py", SVC_DB),
            ("svc/log.py", SVC_LOG),
            ("svc/web.py", SVC_WEB),
            ("svc/app.py", SVC_APP),
            ("serve.py", SVC_SERVE),
        ],
    );
    compile_all(root);

    // The service answers every request, yet nothing is connected, saved or logged.
    let before = run_program(root, "serve.py");
    assert_eq!(before.code, Some(0), "{}", before.describe());
    assert_eq!(
        before.stdout,
        "connected: False\n201 created ann\n201 ordered book\n201 created bob\nsaved: 0 []\nlogged: []\n",
        "{}",
        before.describe()
    );
    let warned = never_awaited(&before.stderr);
    for name in ["Database.connect", "Database.save", "log_request", "sleep"] {
        assert!(
            warned.iter().any(|w| w == name),
            "no `coroutine '{name}' was never awaited` (got {warned:?}):\n{}",
            before.describe()
        );
    }

    // `asyncfix` with no option: a report, every rule, the working directory.
    let original = tree(root);
    let report = asyncfix_plain(root, &[]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert_findings(
        &report,
        &[
            ("svc/app.py:14:9", "self.db.connect"),
            ("svc/app.py:17:9", "log_request"),
            ("svc/app.py:22:9", "self.db.save"),
            ("svc/app.py:23:9", "asyncio.sleep"),
            ("svc/app.py:27:9", "self.db.save"),
        ],
        true,
    );
    assert!(
        report.stderr.contains("Found 5 problems (5 fixable with --write)."),
        "{}",
        report.describe()
    );

    // `--diff`: the patch, nothing changed.
    let diff = asyncfix_plain(root, &["--diff", "."]);
    assert_eq!(diff.code, Some(1), "{}", diff.describe());
    for line in [
        "--- a/svc/app.py",
        "+++ b/svc/app.py",
        "-        self.db.connect()",
        "+        await self.db.connect()",
        "+        await log_request(request)",
        "+        await self.db.save(\"users\", request.body)",
        "+        await asyncio.sleep(0)",
        "+        await self.db.save(\"orders\", request.body)",
    ] {
        assert!(
            diff.stdout.lines().any(|l| l == line),
            "the diff lacks `{line}`:\n{}",
            diff.describe()
        );
    }
    assert_eq!(
        diff.stdout
            .lines()
            .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
            .count(),
        5,
        "{}",
        diff.describe()
    );
    assert_eq!(tree(root), original, "--diff changed a file");

    // `--write`, then a report that finds nothing.
    let write = asyncfix_plain(root, &["--write", "."]);
    assert_eq!(write.code, Some(0), "{}", write.describe());
    assert_eq!(write.stdout, "", "{}", write.describe());
    compile_all(root);
    let again = asyncfix_plain(root, &["."]);
    assert_eq!(again.code, Some(0), "{}", again.describe());
    assert_eq!(again.stdout, "", "{}", again.describe());
    let fixed = tree(root);
    let changed: Vec<&String> = fixed.keys().filter(|p| fixed.get(*p) != original.get(*p)).collect();
    assert_eq!(changed, ["svc/app.py"], "--- the tree ---\n{}", show(&fixed));

    // Every request saved and logged, no warning.
    let after = run_program(root, "serve.py");
    assert_eq!(after.code, Some(0), "{}", after.describe());
    assert_eq!(
        after.stdout,
        "connected: True\n201 created ann\n201 ordered book\n201 created bob\n\
         saved: 3 ['users:ann', 'orders:book', 'users:bob']\n\
         logged: ['POST /users', 'POST /orders', 'POST /users']\n",
        "{}\n--- the fixed app.py ---\n{}",
        after.describe(),
        String::from_utf8_lossy(&fixed["svc/app.py"])
    );
    assert_eq!(after.stderr, "", "{}", after.describe());
}

// ---------------------------------------------------------------------------------------
// 3. What only looks like a missing await stays byte-identical
// ---------------------------------------------------------------------------------------

/// Correct code: it runs without a single warning, and asyncfix must find nothing in it.
const NEGATIVES: &str = r#""""Correct asyncio code that only looks like AF001: asyncfix must leave every byte alone."""
import asyncio
import contextlib
import gc

EVENTS = []


async def fetch(n):
    await asyncio.sleep(0)
    EVENTS.append(f"fetch {n}")
    return n


async def ticks(count):
    for i in range(count):
        yield i


@contextlib.asynccontextmanager
async def opened(name):
    EVENTS.append(f"open {name}")
    yield name
    EVENTS.append(f"close {name}")


class Store:
    async def remove(self, key):
        EVENTS.append(f"store remove {key}")

    async def save(self, item):
        EVENTS.append(f"store save {item}")

    async def close(self):
        EVENTS.append("store close")


class Buffer:
    def close(self):
        EVENTS.append("buffer close")

    async def flush(self):
        self.close()


class SyncStore(Store):
    def close(self):
        EVENTS.append("sync store close")

    async def finish(self):
        self.close()


def save(item):
    EVENTS.append(f"saved {item}")


def make_coroutine():
    return fetch("returned")


async def release(resource):
    resource.close()


async def main():
    ticks(3)
    async for i in ticks(2):
        EVENTS.append(f"tick {i}")
    opened("unused")
    async with opened("file") as name:
        EVENTS.append(f"using {name}")
    await Buffer().flush()
    await SyncStore().finish()
    await release(Buffer())
    save("x")
    results = await asyncio.gather(fetch(1), fetch(2))
    EVENTS.append(f"gathered {results}")
    task = asyncio.create_task(fetch(3))
    await task
    later = asyncio.ensure_future(fetch(4))
    await later
    pending = fetch(5)
    await pending
    deferred = lambda: fetch(6)
    await deferred()
    await make_coroutine()
    await (fetch(7))
    items = ["a", "b"]
    items.remove("a")
    EVENTS.append(f"items {items}")
    "fetch(8)"
    # fetch(9)
    await asyncio.wait_for(fetch(10), timeout=None)


async def shadowed():
    fetch = save
    fetch("shadowed")


async def parameter_named_like_a_module(asyncio):
    asyncio.sleep(1)


class FakeAsyncio:
    @staticmethod
    def sleep(seconds):
        EVENTS.append(f"fake sleep {seconds}")


asyncio.run(main())
asyncio.run(shadowed())
asyncio.run(parameter_named_like_a_module(FakeAsyncio()))
gc.collect()
print("\n".join(EVENTS))
"#;

const NEGATIVES_OUTPUT: &str = "tick 0\ntick 1\nopen file\nusing file\nclose file\nbuffer close\nsync store close\n\
buffer close\nsaved x\nfetch 1\nfetch 2\ngathered [1, 2]\nfetch 3\nfetch 4\nfetch 5\nfetch 6\nfetch returned\n\
fetch 7\nitems ['b']\nfetch 10\nsaved shadowed\nfake sleep 1\n";

#[test]
fn look_alikes_stay_byte_identical() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(root, &[("negatives.py", NEGATIVES)]);
    compile_all(root);

    // It really is correct: everything runs, CPython warns about nothing.
    let run = run_program(root, "negatives.py");
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(run.stdout, NEGATIVES_OUTPUT, "{}", run.describe());
    assert_eq!(run.stderr, "", "{}", run.describe());

    let original = tree(root);
    let report = asyncfix(root, &["."]);
    assert_eq!(report.code, Some(0), "nothing to report:\n{}", report.describe());
    assert_eq!(report.stdout, "", "{}", report.describe());

    let write = asyncfix(root, &["--write", "."]);
    assert_eq!(write.code, Some(0), "{}", write.describe());
    assert_eq!(write.stdout, "", "{}", write.describe());
    assert_eq!(tree(root), original, "--write changed correct code");
}

/// Calls in plain functions nested in coroutines: the nested `def` is reported (it may run
/// anywhere, so no `await` can be added); the lambda returns its coroutine and is fine.
const NESTED: &str = r#"import asyncio
import gc

DONE = []


async def fetch(n):
    DONE.append(n)


async def main():
    def inner():
        fetch(1)

    inner()
    deferred = lambda: fetch(2)
    await deferred()
    await asyncio.sleep(0)


asyncio.run(main())
gc.collect()
print("done:", DONE)
"#;

#[test]
fn nested_plain_def_is_reported_not_fixed() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(root, &[("nested.py", NESTED)]);
    let original = tree(root);

    // The nested def's coroutine is really lost; the lambda's is not.
    let run = run_program(root, "nested.py");
    assert_eq!(run.code, Some(0), "{}", run.describe());
    assert_eq!(run.stdout, "done: [2]\n", "{}", run.describe());
    assert_eq!(never_awaited(&run.stderr), ["fetch"], "{}", run.describe());

    let report = asyncfix(root, &["."]);
    assert_eq!(report.code, Some(1), "{}", report.describe());
    assert_findings(&report, &[("nested.py:13:9", "fetch")], false);
    assert!(report.stdout.contains("plain function"), "{}", report.describe());

    let write = asyncfix(root, &["--write", "."]);
    assert_eq!(write.code, Some(1), "the finding remains:\n{}", write.describe());
    assert_findings(&write, &[("nested.py:13:9", "fetch")], false);
    assert_eq!(tree(root), original, "--write changed a file it could not fix");

    let diff = asyncfix(root, &["--diff", "."]);
    assert_eq!(
        diff.stdout,
        "",
        "no patch for what cannot be fixed:\n{}",
        diff.describe()
    );
    assert_eq!(tree(root), original);
}

// ---------------------------------------------------------------------------------------
// 4. A plain callback calling a project coroutine: reported, file unchanged
// ---------------------------------------------------------------------------------------

const EVENTS_NOTIFY: &str = r#"async def notify(user):
    return user
"#;

const EVENTS_HANDLERS: &str = r#"from .notify import notify


def callback(user):
    notify(user)


async def handler(user):
    await notify(user)
"#;

#[test]
fn plain_callback_is_reported_not_fixed() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("events/__init__.py", ""),
            ("events/notify.py", EVENTS_NOTIFY),
            ("events/handlers.py", EVENTS_HANDLERS),
        ],
    );
    let original = tree(root);

    for args in [&["."][..], &["--write", "."]] {
        let run = asyncfix(root, args);
        assert_eq!(run.code, Some(1), "asyncfix {args:?}:\n{}", run.describe());
        assert_findings(&run, &[("events/handlers.py:5:5", "notify")], false);
        assert!(
            run.stdout.contains("AF001") && run.stdout.contains("plain function"),
            "asyncfix {args:?}:\n{}",
            run.describe()
        );
        assert_eq!(tree(root), original, "asyncfix {args:?} changed a file");
    }
    compile_all(root);
}

// ---------------------------------------------------------------------------------------
// 5. A star re-export in `__init__.py`
// ---------------------------------------------------------------------------------------

#[test]
fn star_reexport_in_init_is_resolved() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("pkg/__init__.py", "from .helpers import *\n"),
            (
                "pkg/helpers.py",
                "__all__ = [\"deep\"]\n\nDONE = []\n\n\nasync def deep():\n    DONE.append(\"deep\")\n",
            ),
            (
                "main.py",
                "import asyncio\nimport gc\n\nimport pkg\nfrom pkg import deep\nfrom pkg.helpers import DONE\n\n\n\
                 async def main():\n    deep()\n    pkg.deep()\n\n\nasyncio.run(main())\ngc.collect()\nprint(DONE)\n",
            ),
        ],
    );
    let before = run_program(root, "main.py");
    assert_eq!(before.stdout, "[]\n", "{}", before.describe());
    assert_eq!(never_awaited(&before.stderr), ["deep", "deep"], "{}", before.describe());

    let write = asyncfix(root, &["--write", "."]);
    assert_eq!(write.code, Some(0), "{}", write.describe());
    assert!(write.stderr.contains("Fixed 2 problems"), "{}", write.describe());
    compile_all(root);
    let after = run_program(root, "main.py");
    assert_eq!(after.stdout, "['deep', 'deep']\n", "{}", after.describe());
    assert_eq!(after.stderr, "", "{}", after.describe());
}

/// A queue declared in a base class in another module (`Optional[Queue[Event]] = None`,
/// assigned in `start`), put to without `await` in a subclass's coroutine, and a property
/// wrapping another queue: before the fix the items never arrive; after it, the consumer
/// receives them all.
#[test]
fn attribute_typed_in_a_base_class_elsewhere_is_fixed_and_delivers() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("bus/__init__.py", ""),
            (
                "bus/base.py",
                "from asyncio import Queue\nfrom typing import Optional\n\n\nclass Event:\n    def __init__(self, name):\n        self.name = name\n\n\n\
                 class Producer:\n    def __init__(self):\n        self.event_queue: Optional[Queue[Event]] = None\n        self._log = None\n\n\
                 \x20   def start(self):\n        self.event_queue = Queue()\n        self._log = Queue()\n\n\
                 \x20   @property\n    def log(self):\n        return self._log\n",
            ),
            (
                "bus/handler.py",
                "from .base import Event, Producer\n\n\nclass Handler(Producer):\n    async def emit(self, name):\n        self.event_queue.put(Event(name))\n        self.log.put(name)\n",
            ),
            (
                "main.py",
                "import asyncio\nimport gc\n\nfrom bus.handler import Handler\n\n\n\
                 async def main():\n    h = Handler()\n    h.start()\n    await h.emit(\"a\")\n    await h.emit(\"b\")\n\
                 \x20   got = []\n    while not h.event_queue.empty():\n        got.append((await h.event_queue.get()).name)\n\
                 \x20   print(got, h.log.qsize())\n\n\nasyncio.run(main())\ngc.collect()\n",
            ),
        ],
    );
    let before = run_program(root, "main.py");
    assert_eq!(before.stdout, "[] 0\n", "{}", before.describe());
    assert_eq!(
        never_awaited(&before.stderr),
        ["Queue.put", "Queue.put"],
        "{}",
        before.describe()
    );

    let report = asyncfix(root, &["."]);
    assert_findings(
        &report,
        &[
            ("bus/handler.py:6:9", "self.event_queue.put"),
            ("bus/handler.py:7:9", "self.log.put"),
        ],
        true,
    );
    let write = asyncfix(root, &["--write", "."]);
    assert_eq!(write.code, Some(0), "{}", write.describe());
    assert!(write.stderr.contains("Fixed 2 problems"), "{}", write.describe());
    compile_all(root);
    let after = run_program(root, "main.py");
    assert_eq!(after.stdout, "['a', 'b'] 2\n", "{}", after.describe());
    assert_eq!(after.stderr, "", "{}", after.describe());
    let again = asyncfix(root, &["--write", "."]);
    assert_eq!(again.code, Some(0), "{}", again.describe());
}

/// A class whose coroutine methods a module rebinds at import time to sync wrappers
/// (pyrogram's `sync.py`), called on the class (`Client.send_message(app, ...)`, through a
/// module too) from a plain function: the calls run at once (the work is done, no coroutine
/// is left unawaited), so nothing is reported.
#[test]
fn methods_rebound_at_import_time_are_not_reported_when_called_on_the_class() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write_tree(
        root,
        &[
            ("client/__init__.py", "from .client import Client\nfrom . import sync\n"),
            (
                "client/methods.py",
                "DONE = []\n\n\nclass Methods:\n    async def get_me(self):\n        DONE.append(\"me\")\n\n\
                 \x20   async def send_message(self, text):\n        DONE.append(text)\n",
            ),
            (
                "client/sync.py",
                "import asyncio\nimport functools\nimport inspect\n\nfrom .methods import Methods\n\n\n\
                 def async_to_sync(obj, name):\n    function = getattr(obj, name)\n\n\
                 \x20   @functools.wraps(function)\n    def wrapper(*args, **kwargs):\n        return asyncio.run(function(*args, **kwargs))\n\n\
                 \x20   setattr(obj, name, wrapper)\n\n\n\
                 def wrap(source):\n    for name in dir(source):\n        if not name.startswith(\"_\") and inspect.iscoroutinefunction(getattr(source, name)):\n\
                 \x20           async_to_sync(source, name)\n\n\nwrap(Methods)\n",
            ),
            (
                "client/client.py",
                "from . import methods\nfrom .methods import Methods\n\n\nclass Client(Methods):\n    pass\n\n\n\
                 def main():\n    app = Client()\n    Client.send_message(app, \"hi\")\n    methods.Methods.get_me(app)\n",
            ),
            (
                "main.py",
                "import gc\n\nfrom client.client import main\nfrom client.methods import DONE\n\nmain()\ngc.collect()\nprint(DONE)\n",
            ),
        ],
    );
    let original = tree(root);
    let run = run_program(root, "main.py");
    assert_eq!(run.stdout, "['hi', 'me']\n", "{}", run.describe());
    assert_eq!(run.stderr, "", "{}", run.describe());

    let report = asyncfix(root, &["."]);
    assert_eq!(report.code, Some(0), "{}", report.describe());
    assert_findings(&report, &[], false);
    assert_eq!(tree(root), original);
}
