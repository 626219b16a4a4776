//! AF101 blocking-subprocess: a command run and waited for inside `async def`.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::{blocking, Pass};
use crate::rules::Rule;

pub const PASS: Pass = Pass {
    rule: Rule::BlockingSubprocess,
    doc: DOC,
    needles: blocking::NEEDLES,
    check,
};

fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingSubprocess, out);
}

const DOC: &str = r#"## What it does
Finds calls in async context (the nearest enclosing function is an `async def`) that run a
command and wait for it: `subprocess.run`, `call`, `check_call`, `check_output`,
`getoutput`, `getstatusoutput`, `os.system`, `os.popen` and the `os.wait*` functions, under
any import form (`import subprocess as sp; sp.run(...)`, `from os import system`).

Also reported, without a fix: a call in a coroutine of a sync function of the project that
reaches one of these through direct calls of sync functions (at most three functions
deep, across modules), naming the chain: `refresh() → _rebuild() → subprocess.run()`.

## Why is this bad?
The call blocks the thread until the command ends, and in a coroutine that thread runs the
event loop: every other task freezes meanwhile. Run the call in a worker thread, or use
`asyncio.create_subprocess_exec()` / `create_subprocess_shell()`.

## Example
```python
import subprocess

async def build(target):
    result = subprocess.run(["make", target], check=True)
```
becomes, with `--unsafe-fixes`,
```python
import subprocess
import asyncio

async def build(target):
    result = await asyncio.to_thread(subprocess.run, ["make", target], check=True)
```
The arguments are kept as written and the value is kept; where the call was the object of
an attribute access, call or subscript, the `await` is parenthesized
(`(await asyncio.to_thread(subprocess.run, cmd)).stdout`). An existing binding of `asyncio`
is reused, otherwise `import asyncio` is added. For a target version before 3.9 (no
`asyncio.to_thread`), the call becomes
`await asyncio.get_running_loop().run_in_executor(None, functools.partial(subprocess.run, cmd))`.

Reported without a fix: calls whose arguments contain `await`, `os.popen()` whose file is
read right there (`os.popen(cmd).read()`: the read waits for the command too), calls used as
the context manager of a `with`, and calls where the name `asyncio` (or `functools`) stands
for something else. Not touched: plain functions (also when nested in an `async def`: they
may run in a thread), lambdas, generator expressions, class bodies, and references such as
`asyncio.to_thread(subprocess.run, cmd)` or `run_in_executor(None, os.system, cmd)`.

In a module that imports trio or anyio and not asyncio, calls are reported without a fix
(use `trio.to_thread.run_sync()` / `anyio.to_thread.run_sync()` there).

## Fix safety
Unsafe (applied only with `--unsafe-fixes`): the call moves to another thread, which breaks
code that is not thread-safe or that depends on running in the loop's thread (signal
handlers, thread-local state), and other tasks now run while it waits, which may change the
order of their effects. `to_thread` copies the context variables; `run_in_executor` does not.
"#;
