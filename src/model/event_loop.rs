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
//!   in the enclosing class;
//! - `a or b` / `a if c else b` of loops (`self.loop or asyncio.new_event_loop()`).
//!
//! The type evidence is the shared walk of `types` (annotations with `Optional[...]`,
//! strings, every assignment agreeing); the naming convention is this module's own.

use ruff_python_ast::{BoolOp, Expr};

use crate::model::semantic::{BindingKind, ScopeId, Semantic};
use crate::model::types::Evidence;

/// Attribute names that hold an event loop by convention.
const LOOP_ATTRIBUTES: &[&str] = &["loop", "_loop", "event_loop"];

/// How many name-to-value steps the convention is followed through (`loop = self._loop`).
const MAX_STEPS: usize = crate::model::types::MAX_STEPS;

pub fn is_event_loop(semantic: &Semantic, expr: &Expr, scope: ScopeId) -> bool {
    is_loop(&Evidence::library(semantic), expr, scope, MAX_STEPS)
}

/// The type evidence says it is an `asyncio.AbstractEventLoop`, or the convention does (an
/// attribute named `loop`, a name bound to one), also through `a or b` and `a if c else b`
/// (every operand a loop, `None` aside).
fn is_loop(evidence: &Evidence, expr: &Expr, scope: ScopeId, steps: usize) -> bool {
    if evidence.class_of(expr, scope).as_deref() == Some("asyncio.AbstractEventLoop") {
        return true;
    }
    if steps == 0 {
        return false;
    }
    let operands = |values: &[&Expr]| {
        let known: Vec<&&Expr> = values.iter().filter(|v| !v.is_none_literal_expr()).collect();
        !known.is_empty() && known.iter().all(|v| is_loop(evidence, v, scope, steps - 1))
    };
    match expr {
        Expr::Attribute(attribute) => LOOP_ATTRIBUTES.contains(&attribute.attr.as_str()),
        Expr::Name(name) => match evidence.semantic.bindings_in_reach(name.id.as_str(), scope) {
            Some((bound_in, bindings)) => {
                let values: Vec<&Expr> = bindings
                    .iter()
                    .filter_map(|b| match b {
                        BindingKind::Assign(value) => Some(*value),
                        _ => None,
                    })
                    .collect();
                values.len() == bindings.len() && {
                    let known: Vec<&&Expr> = values.iter().filter(|v| !v.is_none_literal_expr()).collect();
                    !known.is_empty() && known.iter().all(|v| is_loop(evidence, v, bound_in, steps - 1))
                }
            }
            None => false,
        },
        Expr::BoolOp(boolop) if boolop.op == BoolOp::Or => operands(&boolop.values.iter().collect::<Vec<_>>()),
        Expr::If(conditional) => operands(&[&conditional.body, &conditional.orelse]),
        _ => false,
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
