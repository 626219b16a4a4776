//! Is this expression an asyncio event loop? Shared by the passes that look at
//! `<loop>.create_task(...)` and `<loop>.run_until_complete(...)`.
//!
//! An event loop is, with certainty or by strong convention:
//! - a call of `asyncio.get_running_loop()`, `asyncio.get_event_loop()` or
//!   `asyncio.new_event_loop()` (any alias or from-import);
//! - a name bound once to such an expression (`loop = asyncio.get_running_loop()`), or a
//!   parameter annotated `asyncio.AbstractEventLoop` (or `asyncio.BaseEventLoop`);
//! - an attribute named `loop`, `_loop` or `event_loop` on any object (`self.loop`,
//!   `client.loop`), or `self.<attr>` assigned such an expression, or annotated as a loop,
//!   in the enclosing class.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::semantic::{BindingKind, ScopeId, ScopeKind, Semantic};

/// Functions whose result is an event loop.
const LOOP_FACTORIES: &[&str] = &[
    "asyncio.get_running_loop",
    "asyncio.get_event_loop",
    "asyncio.new_event_loop",
    "asyncio.events.get_running_loop",
    "asyncio.events.get_event_loop",
    "asyncio.events.new_event_loop",
];

/// Annotations that make a parameter or attribute an event loop.
const LOOP_TYPES: &[&str] = &[
    "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop",
    "asyncio.events.AbstractEventLoop",
    "asyncio.base_events.BaseEventLoop",
];

/// Attribute names that hold an event loop by convention.
const LOOP_ATTRIBUTES: &[&str] = &["loop", "_loop", "event_loop"];

/// How many name-to-value hops to follow (`a = get_loop(); b = a`).
const MAX_HOPS: usize = 4;

pub fn is_event_loop(semantic: &Semantic, expr: &Expr, scope: ScopeId) -> bool {
    is_loop(semantic, expr, scope, MAX_HOPS)
}

fn is_loop(semantic: &Semantic, expr: &Expr, scope: ScopeId, hops: usize) -> bool {
    match expr {
        Expr::Call(call) => {
            call.arguments.is_empty()
                && semantic
                    .qualified_name(&call.func, scope)
                    .is_some_and(|q| LOOP_FACTORIES.contains(&q.as_str()))
        }
        Expr::Name(name) if hops > 0 => match semantic.binding(name.id.as_str(), scope) {
            Some(BindingKind::Assign(value)) => {
                let value_scope = scope_of(semantic, value, scope);
                is_loop(semantic, value, value_scope, hops - 1)
            }
            Some(BindingKind::Parameter(Some(annotation))) => is_loop_type(semantic, annotation, scope),
            _ => false,
        },
        Expr::Attribute(attribute) => {
            if LOOP_ATTRIBUTES.contains(&attribute.attr.as_str()) {
                return true;
            }
            hops > 0 && is_self_attribute_loop(semantic, attribute, scope, hops - 1)
        }
        _ => false,
    }
}

/// `self.x` where the enclosing class assigns `self.x = <loop>` (every assignment agreeing)
/// or annotates it as a loop.
fn is_self_attribute_loop(
    semantic: &Semantic,
    attribute: &ruff_python_ast::ExprAttribute,
    scope: ScopeId,
    hops: usize,
) -> bool {
    let Expr::Name(receiver) = attribute.value.as_ref() else {
        return false;
    };
    if receiver.id.as_str() != "self" {
        return false;
    }
    let Some(class_scope) = enclosing_class_scope(semantic, scope) else {
        return false;
    };
    let mut seen = false;
    for assignment in &semantic.attribute_assignments {
        if assignment.target.attr.as_str() != attribute.attr.as_str()
            || !matches!(assignment.target.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
            || enclosing_class_scope(semantic, assignment.scope) != Some(class_scope)
        {
            continue;
        }
        let is_loop_here = assignment
            .annotation
            .is_some_and(|a| is_loop_type(semantic, a, assignment.scope))
            || assignment
                .value
                .is_some_and(|v| is_loop(semantic, v, assignment.scope, hops));
        if !is_loop_here {
            return false;
        }
        seen = true;
    }
    seen
}

fn is_loop_type(semantic: &Semantic, annotation: &Expr, scope: ScopeId) -> bool {
    let annotation = match annotation {
        // `Optional[AbstractEventLoop]` and `AbstractEventLoop | None` are not unwrapped:
        // a value that may be None is not certainly a loop.
        Expr::StringLiteral(_) => return false,
        other => other,
    };
    semantic
        .qualified_name(annotation, scope)
        .is_some_and(|q| LOOP_TYPES.contains(&q.as_str()))
}

/// The class whose method body contains `scope`.
fn enclosing_class_scope(semantic: &Semantic, scope: ScopeId) -> Option<ScopeId> {
    let function = semantic.enclosing_function(scope)?;
    let parent = function.parent_scope;
    (semantic.scope(parent).kind == ScopeKind::Class).then_some(parent)
}

/// The scope in which an assigned value was evaluated: the innermost scope whose range
/// contains it, starting from where the name was looked up.
fn scope_of(semantic: &Semantic, value: &Expr, from: ScopeId) -> ScopeId {
    let mut id = from;
    loop {
        let scope = semantic.scope(id);
        if scope.range.contains_range(value.range()) || scope.parent.is_none() {
            return id;
        }
        id = scope.parent.expect("checked above");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    /// Whether the receiver of each `x.create_task(...)` call is a loop, in order.
    fn receivers(src: &str) -> Vec<bool> {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        sem.calls
            .iter()
            .filter_map(|site| match site.call.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "create_task" => {
                    Some(is_event_loop(&sem, &a.value, site.scope))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn loops() {
        let src = r#"
import asyncio
from asyncio import get_running_loop as grl
import asyncio as aio

class C:
    def __init__(self):
        self.l = asyncio.get_event_loop()
        self.other = object()

    def m(self, client, lp: asyncio.AbstractEventLoop, plain):
        asyncio.get_running_loop().create_task(x)
        grl().create_task(x)
        loop = aio.new_event_loop()
        loop.create_task(x)
        self.loop.create_task(x)
        client._loop.create_task(x)
        self.l.create_task(x)
        lp.create_task(x)
        plain.create_task(x)
        self.other.create_task(x)
        tg.create_task(x)
"#;
        assert_eq!(
            receivers(src),
            vec![true, true, true, true, true, true, true, false, false, false]
        );
    }
}
