//! Which calls start or run an event loop, wherever they stand (AF004's direct form and the
//! project index's call summaries ask it).

use ruff_python_ast::{Expr, ExprCall};

use crate::knowledge::asyncio::ASYNCIO_RUN;
use crate::model::event_loop::is_event_loop;
use crate::model::semantic::{CallSite, ScopeId, Semantic};

/// A call that starts or runs an event loop, wherever it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopStart {
    /// `asyncio.run(main)`.
    AsyncioRun,
    /// `<loop>.run_until_complete(future)`, `<loop>` as in [`is_event_loop`].
    RunUntilComplete,
    /// `asyncio.Runner().run(coro)`, `runner.run(coro)`.
    RunnerRun,
    /// `trio.run(async_fn, *args)`.
    TrioRun,
    /// `anyio.run(func, *args)`.
    AnyioRun,
}

impl LoopStart {
    /// What `call` (standing in `scope`) is, if it starts or runs an event loop. Async
    /// context is not looked at: the caller decides what the place means.
    pub fn classify(semantic: &Semantic, call: &ExprCall, scope: ScopeId) -> Option<Self> {
        // Every form ends in `.run` or `.run_until_complete` when written as an attribute
        // (only a plain name can be an alias: `from asyncio import run as go`): most calls
        // are method calls of something else, answered without resolving them.
        if let Expr::Attribute(attribute) = call.func.as_ref() {
            if !matches!(attribute.attr.as_str(), "run" | "run_until_complete") {
                return None;
            }
        }
        match semantic.qualified_name(&call.func, scope).as_deref() {
            Some(q) if ASYNCIO_RUN.contains(&q) => return Some(Self::AsyncioRun),
            Some("trio.run") => return Some(Self::TrioRun),
            Some("anyio.run") => return Some(Self::AnyioRun),
            _ => {}
        }
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return None;
        };
        match attribute.attr.as_str() {
            "run_until_complete" if is_event_loop(semantic, &attribute.value, scope) => Some(Self::RunUntilComplete),
            "run" if is_runner(semantic, &attribute.value, scope) => Some(Self::RunnerRun),
            _ => None,
        }
    }

    /// The call runs only when no event loop is running in the thread (an `is_running()`
    /// test, `try: asyncio.get_running_loop() except RuntimeError:`, ...: see
    /// [`crate::model::loop_guard`]): correct code wherever it stands.
    pub fn is_guarded(semantic: &Semantic, site: &CallSite) -> bool {
        let receiver = match site.call.func.as_ref() {
            Expr::Attribute(attribute) if attribute.attr.as_str() == "run_until_complete" => Some(&*attribute.value),
            _ => None,
        };
        crate::model::loop_guard::is_guarded(semantic, site, receiver)
    }

    /// How messages name the call.
    pub fn display(self) -> &'static str {
        match self {
            Self::AsyncioRun => "asyncio.run()",
            Self::RunUntilComplete => "run_until_complete()",
            Self::RunnerRun => "asyncio.Runner.run()",
            Self::TrioRun => "trio.run()",
            Self::AnyioRun => "anyio.run()",
        }
    }

    /// The call takes a function and its positional arguments (`trio.run(f, *args)`), not
    /// an awaitable.
    pub fn takes_function(self) -> bool {
        matches!(self, Self::TrioRun | Self::AnyioRun)
    }
}

/// An `asyncio.Runner` (a call of the class, a name bound to one, also by `with ... as`, a
/// parameter annotated so), by the shared type evidence.
fn is_runner(semantic: &Semantic, expr: &Expr, scope: ScopeId) -> bool {
    crate::model::types::Evidence::library(semantic)
        .class_of(expr, scope)
        .as_deref()
        == Some("asyncio.Runner")
}
