//! Is a loop start guarded, i.e. reached only when no event loop is running in the thread?
//! Correct code drives the loop only then:
//!
//! - `coro if loop.is_running() else loop.run_until_complete(coro)`, `if loop.is_running():
//!   ... else: loop.run_until_complete(c)`, `if not loop.is_running(): ...`, an earlier
//!   `if loop.is_running(): return ...` (or `raise`, `continue`, `break`), `and` / `or`
//!   chains of such tests (`loop and loop.is_running()`);
//! - `is_running()` on the same loop expression as the call's, or on the thread's current
//!   loop (`asyncio.get_event_loop()`, a name bound to it), which guards every loop start;
//! - `asyncio._get_running_loop() is None` (also `events._get_running_loop()`, a name bound
//!   to it or to `asyncio.get_running_loop()` and `None`);
//! - `try: asyncio.get_running_loop() except RuntimeError: <the call>` (or
//!   `asyncio.get_event_loop()`, which raises only when no loop is running), the `try` body
//!   driving no loop unguarded itself.
//!
//! Only the path from the enclosing `def`'s body down to the call is looked at (by range).

use ruff_python_ast::comparable::ComparableExpr;
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{BoolOp, CmpOp, ExceptHandler, Expr, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use crate::knowledge::asyncio::{CURRENT_LOOP, RUNNING_OR_NONE, RUNNING_OR_RAISE};
use crate::model::loop_start::LoopStart;
use crate::model::semantic::{BindingKind, CallSite, ScopeId, Semantic};

/// Exceptions a handler catches `RuntimeError` by.
const CATCHES_RUNTIME_ERROR: &[&str] = &["builtins.RuntimeError", "builtins.Exception", "builtins.BaseException"];

/// The loop start at `site` runs only when no loop is running (see the module docs).
/// `receiver`: the loop the call drives (`self.loop` of `self.loop.run_until_complete(c)`).
pub fn is_guarded(semantic: &Semantic, site: &CallSite, receiver: Option<&Expr>) -> bool {
    let Some(index) = semantic.direct_function(site.scope) else {
        return false;
    };
    let mut finder = Finder {
        guard: Guard {
            semantic,
            scope: site.scope,
            receiver: receiver.map(ComparableExpr::from),
        },
        target: site.call.range(),
        found: false,
    };
    finder.visit_body(&semantic.functions[index].def.body);
    finder.found
}

struct Guard<'s, 'a> {
    semantic: &'s Semantic<'a>,
    scope: ScopeId,
    receiver: Option<ComparableExpr<'s>>,
}

impl Guard<'_, '_> {
    fn qualified(&self, expr: &Expr) -> Option<String> {
        self.semantic.qualified_name(expr, self.scope)
    }

    fn is_call_of(&self, expr: &Expr, names: &[&str]) -> bool {
        matches!(expr, Expr::Call(call) if call.arguments.is_empty()
            && self.qualified(&call.func).is_some_and(|q| names.contains(&q.as_str())))
    }

    /// A call of one of `names`, or a name every binding of which is one (`None` aside).
    fn is_value_of(&self, expr: &Expr, names: &[&str]) -> bool {
        if self.is_call_of(expr, names) {
            return true;
        }
        let Expr::Name(name) = expr else {
            return false;
        };
        let Some((_, bindings)) = self.semantic.bindings_in_reach(name.id.as_str(), self.scope) else {
            return false;
        };
        let mut any = false;
        for binding in bindings {
            match binding {
                BindingKind::Assign(value) if value.is_none_literal_expr() => {}
                BindingKind::Assign(value) if self.is_call_of(value, names) => any = true,
                _ => return false,
            }
        }
        any
    }

    fn is_current_loop(&self, expr: &Expr) -> bool {
        self.is_value_of(expr, CURRENT_LOOP)
    }

    fn is_running_or_none(&self, expr: &Expr) -> bool {
        self.is_value_of(expr, RUNNING_OR_NONE) || self.is_value_of(expr, RUNNING_OR_RAISE)
    }

    /// `<loop>.is_running()` on the call's loop or on the current loop.
    fn is_running_test(&self, expr: &Expr) -> bool {
        let Expr::Call(call) = expr else {
            return false;
        };
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return false;
        };
        attribute.attr.as_str() == "is_running"
            && call.arguments.is_empty()
            && (self
                .receiver
                .as_ref()
                .is_some_and(|r| *r == ComparableExpr::from(attribute.value.as_ref()))
                || self.is_current_loop(&attribute.value))
    }

    /// `X is None` (`is_none`) or `X is not None` (`!is_none`), `X` the running loop or `None`.
    fn is_none_test(&self, expr: &Expr, is_none: bool) -> bool {
        let Expr::Compare(compare) = expr else {
            return false;
        };
        let op = if is_none { CmpOp::Is } else { CmpOp::IsNot };
        matches!((&*compare.ops, &*compare.comparators), ([o], [c]) if *o == op && c.is_none_literal_expr())
            && self.is_running_or_none(&compare.left)
    }

    /// When `test` is true, no loop is running.
    fn true_means_idle(&self, test: &Expr) -> bool {
        match test {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.false_means_idle(&u.operand),
            Expr::BoolOp(b) if b.op == BoolOp::And => b.values.iter().any(|v| self.true_means_idle(v)),
            Expr::BoolOp(b) => b.values.iter().all(|v| self.true_means_idle(v)),
            _ => self.is_none_test(test, true),
        }
    }

    /// When `test` is false, no loop is running.
    fn false_means_idle(&self, test: &Expr) -> bool {
        match test {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.true_means_idle(&u.operand),
            Expr::BoolOp(b) if b.op == BoolOp::Or => b.values.iter().any(|v| self.false_means_idle(v)),
            Expr::BoolOp(b) => b.values.iter().all(|v| self.false_means_idle(v)),
            _ => self.is_running_test(test) || self.is_none_test(test, false) || self.is_running_or_none(test),
        }
    }

    /// `except RuntimeError:` (or a broader class, a tuple with one, a bare `except:`).
    fn catches_runtime_error(&self, handler: &ExceptHandler) -> bool {
        let ExceptHandler::ExceptHandler(handler) = handler;
        let Some(type_) = handler.type_.as_deref() else {
            return true;
        };
        let one = |e: &Expr| {
            self.qualified(e)
                .is_some_and(|q| CATCHES_RUNTIME_ERROR.contains(&q.as_str()))
        };
        match type_ {
            Expr::Tuple(t) => t.elts.iter().any(one),
            other => one(other),
        }
    }

    /// `body` asks for the current loop (`asyncio.get_running_loop()`, or
    /// `asyncio.get_event_loop()`, which gives the running loop whenever there is one and
    /// raises `RuntimeError` only when there is none), and drives no loop unguarded (that
    /// would raise `RuntimeError` inside a running loop and reach the handler).
    fn asks_running_loop(&self, body: &[Stmt]) -> bool {
        let (Some(first), Some(last)) = (body.first(), body.last()) else {
            return false;
        };
        let range = TextRange::new(first.start(), last.end());
        let mut asks = false;
        for site in self
            .semantic
            .calls
            .iter()
            .filter(|s| range.contains_range(s.call.range()))
        {
            let q = self.semantic.qualified_name(&site.call.func, site.scope);
            if q.is_some_and(|q| CURRENT_LOOP.contains(&q.as_str())) {
                asks = true;
            } else if LoopStart::classify(self.semantic, site.call, site.scope).is_some()
                && !LoopStart::is_guarded(self.semantic, site)
            {
                return false;
            }
        }
        asks
    }
}

/// Walks down to the call by range, noting whether a guard stands on the way.
struct Finder<'s, 'a> {
    guard: Guard<'s, 'a>,
    target: TextRange,
    found: bool,
}

impl Finder<'_, '_> {
    fn contains(&self, node: &impl Ranged) -> bool {
        node.range().contains_range(self.target)
    }
}

/// `if <test>: ... return` without `elif`/`else`: what follows runs only when `test` is false.
fn exits_early(stmt: &Stmt) -> Option<&Expr> {
    let Stmt::If(stmt_if) = stmt else {
        return None;
    };
    let last = stmt_if.body.last()?;
    (stmt_if.elif_else_clauses.is_empty()
        && matches!(
            last,
            Stmt::Return(_) | Stmt::Raise(_) | Stmt::Continue(_) | Stmt::Break(_)
        ))
    .then_some(&*stmt_if.test)
}

impl<'b> Visitor<'b> for Finder<'_, '_> {
    fn visit_body(&mut self, body: &'b [Stmt]) {
        let mut after_exit = false;
        for stmt in body {
            if self.found {
                return;
            }
            if self.contains(stmt) {
                if after_exit {
                    self.found = true;
                    return;
                }
                self.visit_stmt(stmt);
                return;
            }
            if exits_early(stmt).is_some_and(|test| self.guard.false_means_idle(test)) {
                after_exit = true;
            }
        }
    }

    fn visit_stmt(&mut self, stmt: &'b Stmt) {
        if self.found || !self.contains(stmt) {
            return;
        }
        match stmt {
            Stmt::If(stmt_if) => {
                if stmt_if.body.iter().any(|s| self.contains(s)) && self.guard.true_means_idle(&stmt_if.test) {
                    self.found = true;
                    return;
                }
                let mut earlier: Vec<&Expr> = vec![&stmt_if.test];
                for clause in &stmt_if.elif_else_clauses {
                    if self.contains(clause) {
                        let in_body = clause.body.iter().any(|s| self.contains(s));
                        if in_body
                            && (earlier.iter().any(|t| self.guard.false_means_idle(t))
                                || clause.test.as_ref().is_some_and(|t| self.guard.true_means_idle(t)))
                        {
                            self.found = true;
                            return;
                        }
                    }
                    earlier.extend(clause.test.as_ref());
                }
            }
            Stmt::Try(stmt_try) => {
                for handler in &stmt_try.handlers {
                    if self.contains(handler)
                        && self.guard.catches_runtime_error(handler)
                        && self.guard.asks_running_loop(&stmt_try.body)
                    {
                        self.found = true;
                        return;
                    }
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'b Expr) {
        if self.found || !self.contains(expr) {
            return;
        }
        let guarded = match expr {
            Expr::If(conditional) => {
                (self.contains(&*conditional.body) && self.guard.true_means_idle(&conditional.test))
                    || (self.contains(&*conditional.orelse) && self.guard.false_means_idle(&conditional.test))
            }
            // `not loop.is_running() and loop.run_until_complete(c)`, `loop.is_running() or ...`.
            Expr::BoolOp(b) => b.values.iter().position(|v| self.contains(v)).is_some_and(|at| {
                let earlier = &b.values[..at];
                match b.op {
                    BoolOp::And => earlier.iter().any(|v| self.guard.true_means_idle(v)),
                    BoolOp::Or => earlier.iter().any(|v| self.guard.false_means_idle(v)),
                }
            }),
            _ => false,
        };
        if guarded {
            self.found = true;
            return;
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    /// Whether each loop start of `src` is guarded, in order.
    fn guarded(src: &str) -> Vec<bool> {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        sem.calls
            .iter()
            .filter(|site| LoopStart::classify(&sem, site.call, site.scope).is_some())
            .map(|site| LoopStart::is_guarded(&sem, site))
            .collect()
    }

    #[test]
    fn guards() {
        let src = r#"
import asyncio
from asyncio import events

class C:
    def a(self, coro):
        return coro if self.loop.is_running() else self.loop.run_until_complete(coro)

    def b(self, coro):
        if self._loop.is_running():
            asyncio.ensure_future(coro)
        else:
            self._loop.run_until_complete(coro)

    def c(self, coro):
        if self.loop.is_running():
            return coro
        return self.loop.run_until_complete(coro)

    def d(self, coro):
        if not self.loop.is_running():
            self.loop.run_until_complete(coro)

    def e(self, coro):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coro)
        return coro

    def f(self, coro):
        if asyncio._get_running_loop() is None:
            asyncio.run(coro)
        if events._get_running_loop() is not None:
            return
        asyncio.run(coro)

    def g(self, coro):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop and loop.is_running():
            return asyncio.ensure_future(coro)
        else:
            return asyncio.run(coro)

    def h(self, coro, other):
        if other.loop.is_running():
            return
        self.loop.run_until_complete(coro)
        if self.loop.is_running():
            self.loop.run_until_complete(coro)
        x = coro if self.loop.is_running() else asyncio.run(coro)
        try:
            asyncio.get_running_loop()
        except ValueError:
            asyncio.run(coro)
        if self.loop.is_running() and other:
            return
        self.loop.run_until_complete(coro)

    def i(self, coro):
        loop = asyncio.get_event_loop()
        if loop.is_running():
            return
        asyncio.run(coro)

    def __del__(self):
        try:
            loop = asyncio.get_event_loop()
            if loop.is_running():
                asyncio.create_task(self.close())
            else:
                loop.run_until_complete(self.close())
        except RuntimeError:
            loop = asyncio.new_event_loop()
            loop.run_until_complete(self.close())

    def j(self, coro):
        try:
            loop = asyncio.get_event_loop()
            loop.run_until_complete(coro)
        except RuntimeError:
            asyncio.run(coro)
"#;
        assert_eq!(
            guarded(src),
            vec![
                true, true, true, true, true, true, true, true, false, false, false, false, false, true, true, true,
                false, false
            ]
        );
    }
}
