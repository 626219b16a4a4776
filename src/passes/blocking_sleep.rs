//! AF003 blocking-sleep: `time.sleep()` inside `async def`.

use ruff_text_size::Ranged;

use crate::checker::Checker;
use crate::edit::{Edit, Finding, Fix};
use crate::passes::Pass;
use crate::rules::Rule;
use crate::semantic::CallSite;

pub const PASS: Pass = Pass {
    rule: Rule::BlockingSleep,
    doc: DOC,
    needles: &["async", "sleep"],
    check,
};

const DOC: &str = r#"## What it does
Finds `time.sleep(...)` called in async context (the nearest enclosing function is an
`async def`), under any import form: `import time as t; t.sleep(1)`,
`from time import sleep as snooze; snooze(1)`.

## Why is this bad?
`time.sleep` blocks the thread, and in a coroutine that thread runs the event loop: every
other task freezes until the sleep ends. `await asyncio.sleep(x)` suspends only this task.

## Example
```python
import time

async def poll():
    time.sleep(1)
```
becomes
```python
import asyncio
import time

async def poll():
    await asyncio.sleep(1)
```
An existing binding of the module is reused (`import asyncio as aio` gives `await aio.sleep(1)`);
otherwise `import asyncio` is added after the other top-level imports. Where the call is the
object of an attribute access, call or subscript, the `await` is parenthesized.

The framework that runs the coroutine decides the fix: `trio.sleep` under trio, `anyio.sleep`
under anyio (`asyncio.sleep` raises `RuntimeError` there). It is evident from what the
coroutine itself calls (`trio.open_nursery()`, `asyncio.gather()`), its parameters'
annotations, a `trio.run(f)` / `asyncio.run(f())` of it, or else from the one framework the
module imports.

A call in a coroutine of a sync function of the project that reaches `time.sleep()` through
up to three sync functions (across modules) is reported too, naming the chain
(`retry() → _backoff() → time.sleep()`), without a fix (see `blocking-subprocess`).

Not touched: plain functions (also when nested inside an `async def`: they may run in a
thread), lambdas, generator expressions, class bodies, references such as
`loop.run_in_executor(None, time.sleep, 1)`, and a `sleep` that is not `time.sleep`.

## Fix safety
Safe: the task now yields to the loop while it waits, which is what the sleep was meant to
do. Unsafe when the module imports more than one framework and nothing in the coroutine
shows which one runs it (the fix then uses anyio if the module imports it, else asyncio, and
the message says so). A call with other than exactly one positional argument (`time.sleep()`,
`time.sleep(*args)`, keywords) is reported without a fix, and so is a call where the module
name (`asyncio`) is taken by something else in scope.
"#;

fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    for site in &semantic.calls {
        if !site.in_async {
            continue;
        }
        if semantic.qualified_name(&site.call.func, site.scope).as_deref() != Some("time.sleep") {
            continue;
        }
        let function = semantic
            .enclosing_function(site.scope)
            .map(|f| format!(" in `{}`", f.def.name))
            .unwrap_or_default();
        let choice = crate::framework::choose(semantic, site.scope);
        let framework = choice.framework.module();
        let mut message = format!("`time.sleep()` blocks the event loop{function}; use `await {framework}.sleep()`");
        let fix = fix(checker, site, framework).map(|fix| match &choice.doubt {
            None => fix,
            Some(doubt) => {
                message.push_str(&format!(" (unsafe fix: {doubt})"));
                Fix::unsafe_(fix.message, fix.edits)
            }
        });
        out.push(Finding::new(Rule::BlockingSleep, site.call.range(), message).with_fix(fix));
    }
}

fn fix(checker: &Checker, site: &CallSite, framework: &str) -> Option<Fix> {
    let arguments = &site.call.arguments;
    if arguments.args.len() != 1 || !arguments.keywords.is_empty() || arguments.args[0].is_starred_expr() {
        return None;
    }
    let semantic = checker.semantic;
    let module = checker
        .importer
        .module_ref(semantic, framework, site.scope, site.call.start())?;
    // Already awaited (`await time.sleep(1)`, a TypeError at run time): only the callee changes.
    let awaited = matches!(site.parent, Some(ruff_python_ast::Expr::Await(_)));
    let parens = !awaited && checker.await_needs_parens(site);
    let open = if awaited {
        ""
    } else if parens {
        "(await "
    } else {
        "await "
    };
    let mut edits = vec![Edit::replacement(
        site.call.func.range(),
        format!("{open}{}.sleep", module.name),
    )];
    if parens {
        edits.push(Edit::insertion(site.call.end(), ")"));
    }
    edits.extend(module.import);
    Some(Fix::safe(
        format!("Replace with `await {}.sleep(...)`", module.name),
        edits,
    ))
}
