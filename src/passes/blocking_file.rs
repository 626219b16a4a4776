//! AF103 blocking-file: file system I/O inside `async def`.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::{blocking, Pass};
use crate::rules::Rule;

pub const PASS: Pass = Pass {
    rule: Rule::BlockingFile,
    doc: DOC,
    needles: blocking::NEEDLES,
    check,
};

fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingFile, out);
}

const DOC: &str = r#"## What it does
Finds file system I/O in async context (the nearest enclosing function is an `async def`),
under any import form:
- `open()` and `io.open()`;
- the read and write methods of a `pathlib.Path` (`read_text`, `read_bytes`, `write_text`,
  `write_bytes`) on a receiver known to be a path: `Path(...)`, `pathlib.Path(...)`,
  `Path.cwd()`, a name bound to one, a parameter annotated `Path`, `p / "name"`,
  `p.parent`, `p.with_suffix(...)`, or `self.<attr>` that every assignment in the class
  makes one;
- `shutil.copy`, `copy2`, `copyfile`, `copyfileobj`, `copytree`, `move` and `rmtree`.

Also reported, without a fix: a call in a coroutine of a sync function of the project that
reaches one of these through direct calls of sync functions (at most three functions
deep, across modules), naming the chain: `save() → _write() → pathlib.Path.write_text()`.

## Why is this bad?
Disk and network file systems can take long to answer, and the call blocks the thread that
runs the event loop meanwhile: every other task freezes. Run the I/O in a worker thread (or
use a library such as `aiofiles`).

## Example
```python
from pathlib import Path

async def load(name):
    text = Path(name).read_text()
    handle = open(name + ".log", "a")
```
becomes, with `--unsafe-fixes`,
```python
from pathlib import Path
import asyncio

async def load(name):
    text = await asyncio.to_thread(Path(name).read_text)
    handle = await asyncio.to_thread(open, name + ".log", "a")
```
The arguments are kept as written, the value is kept and the `await` is parenthesized where
precedence needs it. An existing binding of `asyncio` is reused, otherwise `import asyncio`
is added. For a target version before 3.9 the call becomes
`await asyncio.get_running_loop().run_in_executor(None, functools.partial(open, name))`.
`open()` is fixed only where its file object is stored or returned as a whole
(`f = open(p)`, `return open(p)`), and the message says that reading or writing that object
blocks too (or where it is dropped).

Reported without a fix: `with open(...) as f:` (the reads and writes in the block block
too: move the whole block into a sync function run in a thread), an `open()` whose file is
used right there (`open(p).read()`, `for line in open(p):`, `json.load(open(p))`), calls
whose arguments contain `await`, and calls where the name `asyncio` (or `functools`)
stands for something else. Not touched: plain functions (also when nested in an
`async def`), lambdas, generator expressions, class bodies, a `read_text` on anything not
known to be a path, and references such as `asyncio.to_thread(shutil.rmtree, path)`.

In a module that imports trio or anyio and not asyncio, calls are reported without a fix
(use `trio.to_thread.run_sync()` / `anyio.to_thread.run_sync()` there).

## Fix safety
Unsafe (applied only with `--unsafe-fixes`): the I/O moves to another thread, and other
tasks now run while it waits, which may change the order of their effects (a task may see
the file before it is written). `to_thread` copies the context variables; `run_in_executor`
does not.
"#;
