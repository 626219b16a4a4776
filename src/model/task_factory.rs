//! Which calls create a task that the caller must keep a reference to.

use ruff_python_ast::{Expr, ExprCall};

use crate::knowledge::asyncio::{LOOP_TASK_METHODS, TASK_FACTORIES};
use crate::model::event_loop::is_event_loop;
use crate::model::semantic::{ScopeId, Semantic};

/// Which call creates a task the caller must keep a reference to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskFactory {
    /// `asyncio.create_task` / `asyncio.ensure_future` (the public name, for messages).
    Asyncio(&'static str),
    /// `<loop>.create_task` on an event loop.
    LoopMethod,
    /// A project function or method that returns a new task (a leaky wrapper).
    Wrapper,
}

/// Does `call` create a task that only its result refers to? The one place that decides
/// what a task factory is (AF002 and the project index's leaky-wrapper facts ask it).
pub fn task_factory(semantic: &Semantic, call: &ExprCall, scope: ScopeId) -> Option<TaskFactory> {
    // A method call can be one only by a factory's name (the cheap test first; a bare name
    // may be an alias of any).
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        let attr = attribute.attr.as_str();
        let named = |q: &str| q.strip_suffix(attr).is_some_and(|rest| rest.ends_with('.'));
        if !LOOP_TASK_METHODS.contains(&attr) && !TASK_FACTORIES.iter().any(|(q, _)| named(q)) {
            return None;
        }
    }
    if let Some(name) = semantic.qualified_name(&call.func, scope) {
        if let Some((_, public)) = TASK_FACTORIES.iter().find(|(q, _)| *q == name) {
            return Some(TaskFactory::Asyncio(public));
        }
    }
    if let Expr::Attribute(attribute) = call.func.as_ref() {
        if LOOP_TASK_METHODS.contains(&attribute.attr.as_str()) && is_event_loop(semantic, &attribute.value, scope) {
            return Some(TaskFactory::LoopMethod);
        }
    }
    None
}
