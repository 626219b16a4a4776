//! AF102 blocking-http: a synchronous HTTP request inside `async def`.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::{blocking, Pass};
use crate::rules::Rule;

pub const PASS: Pass = Pass {
    rule: Rule::BlockingHttp,
    doc: DOC,
    needles: blocking::NEEDLES,
    check,
};

fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingHttp, out);
}

const DOC: &str = r#"## What it does
Finds synchronous HTTP requests in async context (the nearest enclosing function is an
`async def`), under any import form:
- the request functions of `requests` (`requests.get`, `post`, `put`, `patch`, `delete`,
  `head`, `options`, `request`) and of `httpx` (the same, and `httpx.stream`);
- `urllib.request.urlopen` and `urlretrieve`;
- the request methods of a `requests.Session` or an `httpx.Client` known as such: a call of
  the class (`requests.Session().get(u)`), a name bound to one (`s = requests.Session()`,
  `with httpx.Client() as c:`), a parameter annotated with the class, or `self.<attr>` that
  every assignment in the class makes one. `httpx.AsyncClient` is not blocking.

Also reported, without a fix: a call in a coroutine of a sync function of the project that
reaches one of these through direct calls of sync functions (at most three functions
deep, across modules), naming the chain: `refresh() → _download() → requests.get()`.

## Why is this bad?
The request blocks the thread until the server answers (or the timeout expires), and in a
coroutine that thread runs the event loop: every other task freezes meanwhile. Run the
request in a worker thread, or use an async client (`httpx.AsyncClient`, `aiohttp`).

## Example
```python
import requests

async def fetch(url):
    return requests.get(url, timeout=5).json()
```
becomes, with `--unsafe-fixes`,
```python
import requests
import asyncio

async def fetch(url):
    return (await asyncio.to_thread(requests.get, url, timeout=5)).json()
```
The arguments are kept as written, the value is kept and the `await` is parenthesized where
precedence needs it. An existing binding of `asyncio` is reused, otherwise `import asyncio`
is added. For a target version before 3.9 the call becomes
`await asyncio.get_running_loop().run_in_executor(None, functools.partial(requests.get, url, timeout=5))`.

`urlopen()` returns a response that is read lazily: it is fixed only where the response is
stored or returned as a whole (`r = urlopen(u)`, and the message says that reading it blocks
too) or dropped.

Reported without a fix: calls whose arguments contain `await`, a response read right there
(`urlopen(u).read()`), requests used as the context manager of a `with`
(`with httpx.stream(...) as r:`, `with urlopen(u) as r:`: the block reads the response), and
calls where the name `asyncio` (or `functools`) stands for something else. Not touched: plain
functions (also when nested in an `async def`), lambdas, generator expressions, class
bodies, a `get` on anything not known to be a session or client, and references such as
`asyncio.to_thread(requests.get, url)`.

In a module that imports trio or anyio and not asyncio, calls are reported without a fix
(use `trio.to_thread.run_sync()` / `anyio.to_thread.run_sync()` there).

## Fix safety
Unsafe (applied only with `--unsafe-fixes`): the request moves to another thread, and a
`requests.Session` is not documented as thread-safe; other tasks now run while it waits,
which may change the order of their effects. `to_thread` copies the context variables;
`run_in_executor` does not.
"#;
