//! Shared fix builders: what several rules' fixes write the same way.

use ruff_python_ast::token::{parenthesized_range, Tokens};
use ruff_python_ast::{AnyNodeRef, Expr};
use ruff_text_size::Ranged;

use crate::model::semantic::CallSite;

/// How `await` goes in front of a call: the text before it and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwaitWrap {
    pub open: &'static str,
    pub close: &'static str,
}

/// The call is already wrapped in its own parentheses: `(f()).x`.
pub fn is_parenthesized(site: &CallSite, tokens: &Tokens) -> bool {
    let parent: AnyNodeRef = match site.parent {
        Some(expr) => expr.into(),
        None => site.stmt.into(),
    };
    parenthesized_range(site.call.into(), parent, tokens).is_some_and(|r| r != site.call.range())
}

/// `await` must be wrapped in parentheses at this call: `f().x` → `(await f()).x`.
pub fn await_needs_parens(site: &CallSite, tokens: &Tokens) -> bool {
    site.is_primary_operand() && !is_parenthesized(site, tokens)
}

/// Await-insertion with precedence, the one place that decides it: nothing when the call is
/// awaited already (`await time.sleep(1)`, a `TypeError` at run time: only the call changes),
/// `(await ` … `)` where the call is the object of an attribute access, call or subscript
/// without its own parentheses, else `await `.
pub fn await_wrap(site: &CallSite, tokens: &Tokens) -> AwaitWrap {
    if matches!(site.parent, Some(Expr::Await(_))) {
        AwaitWrap { open: "", close: "" }
    } else if await_needs_parens(site, tokens) {
        AwaitWrap {
            open: "(await ",
            close: ")",
        }
    } else {
        AwaitWrap {
            open: "await ",
            close: "",
        }
    }
}
