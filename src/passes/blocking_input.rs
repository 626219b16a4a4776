//! AF104 blocking-input: `input()` inside `async def`.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::{blocking, Pass};
use crate::rules::Rule;

pub const PASS: Pass = Pass {
    rule: Rule::BlockingInput,
    doc: DOC,
    needles: blocking::NEEDLES,
    check,
};

fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingInput, out);
}

const DOC: &str = r#"## What it does
Finds `input()` (the builtin, not shadowed) called in async context (the nearest enclosing
function is an `async def`).

Also reported, without a fix: a call in a coroutine of a sync function of the project that
reaches `input()` through direct calls of sync functions (at most three functions deep,
across modules), naming the chain: `confirm() → _ask() → input()`.

## Why is this bad?
`input()` blocks the thread until the user presses Enter, and in a coroutine that thread
runs the event loop: every other task (timers, connections, heartbeats) freezes while the
prompt waits.

## Example
```python
async def main():
    name = input("Name: ")
```
becomes, with `--unsafe-fixes`,
```python
import asyncio
async def main():
    name = await asyncio.to_thread(input, "Name: ")
```
The arguments are kept as written, the value is kept and the `await` is parenthesized where
precedence needs it (`(await asyncio.to_thread(input)).strip()`). An existing binding of
`asyncio` is reused, otherwise `import asyncio` is added. For a target version before 3.9
the call becomes `await asyncio.get_running_loop().run_in_executor(None, input)` (with
`functools.partial` when it has arguments).

Reported without a fix: calls whose arguments contain `await`, and calls where the name
`asyncio` (or `functools`) stands for something else. Not touched: plain functions (also
when nested in an `async def`), lambdas, generator expressions, class bodies, and
references such as `asyncio.to_thread(input, "> ")`.

In a module that imports trio or anyio and not asyncio, calls are reported without a fix
(use `trio.to_thread.run_sync()` / `anyio.to_thread.run_sync()` there).

## Fix safety
Unsafe (applied only with `--unsafe-fixes`): other tasks now run while the prompt waits, and
may print over it; a worker thread blocked in `input()` cannot be cancelled, so a program
that ends while it waits hangs until Enter is pressed (the executor joins its threads at
exit).
"#;
