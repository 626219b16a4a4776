//! AF001 missing-await: a coroutine function called without `await`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::{Edit, Finding, Fix};
use crate::knowledge::coroutines;
use crate::model::semantic::{BindingKind, CallSite, Resolved, ScopeId, ScopeKind, Semantic, MODULE_SCOPE};
use crate::model::types::Ty;
use crate::pipeline::checker::Checker;
use crate::project::index::{function_facts, own_method, CallableKind, Query};
use crate::registry::Rule;

/// Attributes that legitimately belong to a coroutine object.
const COROUTINE_OBJECT_ATTRIBUTES: &[&str] = &[
    "close",
    "send",
    "throw",
    "__await__",
    "__name__",
    "__qualname__",
    "cr_await",
    "cr_code",
    "cr_frame",
    "cr_running",
    "cr_origin",
];

/// How the coroutine is (mis)used at the call site.
enum Usage {
    /// `f()` as a statement.
    Statement,
    /// `f().x`: an attribute of the coroutine object.
    Attribute,
    /// `x = f()` in a function, `x` bound there (whether it is read again is checked last:
    /// see [`is_read_after`]).
    Unused {
        name: String,
        scope: ScopeId,
        after: TextSize,
    },
    /// `if f():`, `not f()`, `f() and g`, ...
    Condition,
    /// `print(f())`: passed to a function that never awaits it.
    Shown(&'static str),
    /// `async for x in f()`: a coroutine is not an async iterable (`TypeError`).
    AsyncIterated,
    /// `async with f() as x:`: a coroutine is not an async context manager (`TypeError`).
    /// Only for callees known without a receiver's type: the methods of the library table
    /// include some that return an awaitable context manager (aiohttp's `session.get()`).
    AsyncEntered,
    /// Used as a value a coroutine object can never be (`a, b = f()`, `for x in f()`,
    /// `f() + 1`, `-f()`, `f()[0]`, `len(f())`): a `TypeError` when it runs. The words say
    /// how (`unpacked`, `passed to \`len()\``).
    Value(String),
}

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    for site in &semantic.calls {
        let Some(usage) = usage(checker, site) else {
            continue;
        };
        let typed_receivers = !matches!(usage, Usage::AsyncEntered);
        let Some(callee) = callee(checker, site, typed_receivers) else {
            continue;
        };
        if let Usage::Unused { name, scope, after } = &usage {
            if is_read_after(checker, name, *scope, *after) {
                continue;
            }
        }
        let finding = finding(checker, site, &usage);
        match callee {
            Callee::Coroutine => out.push(finding),
            Callee::Ask(query) => checker.push_if(finding, query),
        }
    }
}

fn usage(checker: &Checker, site: &CallSite) -> Option<Usage> {
    let semantic = checker.semantic;
    let range = site.call.range();
    if site.is_statement() {
        return Some(Usage::Statement);
    }
    match site.parent {
        Some(Expr::Attribute(a)) if a.value.range() == range => {
            (!COROUTINE_OBJECT_ATTRIBUTES.contains(&a.attr.as_str())).then_some(Usage::Attribute)
        }
        Some(Expr::UnaryOp(u)) if u.op == ast::UnaryOp::Not => Some(Usage::Condition),
        // A coroutine object has no arithmetic: `-f()`, `~f()`.
        Some(Expr::UnaryOp(_)) => Some(Usage::Value("used in arithmetic".to_string())),
        // `f() + 1`, `2 * f()`: with a number on the other side nothing can make it work
        // (an operand of another type might define the reflected operator).
        Some(Expr::BinOp(b)) if is_number(&b.left) || is_number(&b.right) => {
            Some(Usage::Value("used in arithmetic".to_string()))
        }
        Some(Expr::Subscript(s)) if s.value.range() == range => Some(Usage::Value("subscripted".to_string())),
        Some(Expr::BoolOp(_)) => Some(Usage::Condition),
        Some(Expr::If(e)) if e.test.range() == range => Some(Usage::Condition),
        Some(Expr::Call(outer)) if outer.arguments.args.iter().any(|a| a.range() == range) => {
            let name = semantic.qualified_name(&outer.func, site.scope)?;
            if let Some(function) = coroutines::rejecting_coroutines(&name) {
                return Some(Usage::Value(format!("passed to `{function}()`")));
            }
            coroutines::never_awaiting(&name).map(Usage::Shown)
        }
        Some(
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }),
        ) if generators.iter().any(|g| g.is_async && g.iter.range() == range) => Some(Usage::AsyncIterated),
        Some(
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. }),
        ) if generators.iter().any(|g| g.iter.range() == range) => Some(Usage::Value("iterated".to_string())),
        Some(_) => None,
        None => match site.stmt {
            Stmt::For(s) if s.is_async && s.iter.range() == range => Some(Usage::AsyncIterated),
            Stmt::For(s) if s.iter.range() == range => Some(Usage::Value("iterated".to_string())),
            Stmt::With(s) if s.is_async && s.items.iter().any(|i| i.context_expr.range() == range) => {
                Some(Usage::AsyncEntered)
            }
            Stmt::If(s) if s.test.range() == range => Some(Usage::Condition),
            Stmt::While(s) if s.test.range() == range => Some(Usage::Condition),
            Stmt::Assert(s) if s.test.range() == range => Some(Usage::Condition),
            Stmt::Assign(s) if s.value.range() == range && s.targets.iter().any(is_unpacking) => {
                Some(Usage::Value("unpacked".to_string()))
            }
            Stmt::Assign(s) if s.value.range() == range && s.targets.len() == 1 => {
                let Expr::Name(target) = &s.targets[0] else {
                    return None;
                };
                unused_target(semantic, target, site.scope, s.range.end())
            }
            Stmt::AnnAssign(s) if s.value.as_ref().is_some_and(|v| v.range() == range) => {
                let Expr::Name(target) = s.target.as_ref() else {
                    return None;
                };
                unused_target(semantic, target, site.scope, s.range.end())
            }
            _ => None,
        },
    }
}

/// `a, b = ...`, `[a, *rest] = ...`: a target that iterates the value.
fn is_unpacking(target: &Expr) -> bool {
    matches!(target, Expr::Tuple(_) | Expr::List(_))
}

/// An int or float literal (`1`, `2.5`), whatever the sign.
fn is_number(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => is_number(&u.operand),
        _ => false,
    }
}

/// `x = f()` at function level, `x` local to the function.
fn unused_target(semantic: &Semantic, target: &ast::ExprName, scope: ScopeId, after: TextSize) -> Option<Usage> {
    // Module and class attributes may be read from elsewhere.
    if !matches!(semantic.scope(scope).kind, ScopeKind::Function { .. }) {
        return None;
    }
    let name = target.id.as_str();
    let bound_here = matches!(semantic.resolve(name, scope), Resolved::Binding { scope: s, .. } if s == scope);
    bound_here.then(|| Usage::Unused {
        name: name.to_string(),
        scope,
        after,
    })
}

/// Is `name` mentioned after `after` inside the function whose scope is `scope` (nested
/// functions included)? A token scan: any later mention counts as a read.
fn is_read_after(checker: &Checker, name: &str, scope: ScopeId, after: TextSize) -> bool {
    let end = checker.semantic.scope(scope).range.end();
    checker
        .tokens
        .after(after)
        .iter()
        .take_while(|t| t.start() < end)
        .any(|t| t.kind() == TokenKind::Name && &checker.source[t.range()] == name)
}
enum Callee {
    /// Certainly a coroutine function.
    Coroutine,
    /// A coroutine function if the project says so.
    Ask(Query),
}

/// The callee, if it is a coroutine function; `typed_receivers`: also methods of the library
/// table on a receiver whose type the evidence knows.
fn callee(checker: &Checker, site: &CallSite, typed_receivers: bool) -> Option<Callee> {
    let semantic = checker.semantic;
    let scope = site.scope;
    let func = site.call.func.as_ref();
    let module = checker.module_path;

    // A name: a `def` of this file, or an import.
    if let Expr::Name(name) = func {
        return match semantic.resolve(name.id.as_str(), scope) {
            Resolved::Binding {
                kind: BindingKind::Function(i),
                ..
            } => {
                let facts = function_facts(semantic, &semantic.functions[i], module);
                (facts.kind == CallableKind::Coroutine).then_some(Callee::Coroutine)
            }
            Resolved::Binding {
                kind: BindingKind::Import(q),
                ..
            } => function_callee(checker, &module.absolute(&q)?),
            _ => None,
        };
    }
    let Expr::Attribute(attribute) = func else {
        return None;
    };
    let method = attribute.attr.as_str();
    let receiver = attribute.value.as_ref();
    // Dunder methods are called by Python itself; only the async protocol ones are coroutines,
    // and those are never called by name in practice.
    if method.starts_with("__") && method.ends_with("__") {
        return None;
    }

    // `module.f()`, `pkg.mod.Class.m()`: a dotted path through an import.
    if let Some(q) = semantic.qualified_name(func, scope) {
        if q.starts_with("builtins.") {
            return None;
        }
        let q = module.absolute(&q)?;
        return match function_callee(checker, &q)? {
            // `pkg.mod.Class.m()`: the class may be rebound (for a module function the index
            // finds no class, and the question is the function's alone).
            Callee::Ask(query) => match q.rsplit_once('.') {
                Some((parent, _)) => Some(outside_rewrap(site, parent.to_string(), Callee::Ask(query))),
                None => Some(Callee::Ask(query)),
            },
            callee => Some(callee),
        };
    }

    // `ClassName.m()` for a class of this module.
    if let Expr::Name(name) = receiver {
        if let Some(BindingKind::Class(i)) = semantic.binding(name.id.as_str(), scope) {
            let class = &semantic.classes[i];
            if class.parent_scope != MODULE_SCOPE {
                return None;
            }
            let class_q = format!("{}.{}", module.name, class.def.name);
            let query = Query::CoroutineFunction(format!("{class_q}.{method}"));
            return Some(outside_rewrap(site, class_q, Callee::Ask(query)));
        }
    }

    // `self.m()`, `cls.m()`, `super().m()` in a method of a module-level class.
    if let Some(class) = semantic.self_class(receiver, scope) {
        let class_q = format!("{}.{}", module.name, class.def.name);
        // Defined in the class itself: decided here, without the index.
        if let Some(own) = own_method(semantic, class, method, module) {
            return own
                .is_some_and(|f| f.kind == CallableKind::Coroutine)
                .then(|| outside_rewrap(site, class_q, Callee::Coroutine));
        }
        let query = Query::CoroutineMethod {
            class: class_q.clone(),
            name: method.to_string(),
            skip_own: false,
        };
        return Some(outside_rewrap(site, class_q, Callee::Ask(query)));
    }
    if let Expr::Call(call) = receiver {
        if let Some(class) = semantic.super_class(call, scope) {
            let class_q = format!("{}.{}", module.name, class.def.name);
            let query = Query::CoroutineMethod {
                class: class_q.clone(),
                name: method.to_string(),
                skip_own: true,
            };
            return Some(outside_rewrap(site, class_q, Callee::Ask(query)));
        }
    }

    // A method of a receiver whose type is known from local evidence.
    if !typed_receivers {
        return None;
    }
    let Some(type_) = receiver_type(checker, receiver, scope) else {
        return attribute_of_base(checker, receiver, scope, method);
    };
    match type_ {
        Type::Known(type_) => {
            let extra = format!("{type_}.{method}");
            let listed = checker.options.extra_coroutine_functions.contains(&extra);
            (listed || coroutines::is_coroutine_method(&type_, method) == Some(true)).then_some(Callee::Coroutine)
        }
        Type::CallOf(callee) => {
            let extra = format!("{callee}.{method}");
            if checker.options.extra_coroutine_functions.contains(&extra) {
                return Some(Callee::Coroutine);
            }
            let query = Query::CoroutineMethodOnCall {
                callee: callee.clone(),
                name: method.to_string(),
            };
            Some(outside_rewrap(site, callee, Callee::Ask(query)))
        }
    }
}

/// A method of project class `class` called in sync code: a module of the project may
/// rebind the class's methods by computed name at import time (pyrogram's `sync.py` wraps
/// every coroutine method of `Methods` in a sync function), which the index decides.
fn outside_rewrap(site: &CallSite, class: String, callee: Callee) -> Callee {
    if site.in_async {
        return callee;
    }
    let query = match callee {
        Callee::Coroutine => None,
        Callee::Ask(query) => Some(Box::new(query)),
    };
    Callee::Ask(Query::OutsideRewrap { class, query })
}

/// `self.queue.put(x)` where the class neither assigns `queue` nor defines it: a base class
/// (perhaps in another module) may say what it is. Asked only for a method name that some
/// library class has as a coroutine method.
fn attribute_of_base(checker: &Checker, receiver: &Expr, scope: ScopeId, method: &str) -> Option<Callee> {
    let semantic = checker.semantic;
    let Expr::Attribute(attribute) = receiver else {
        return None;
    };
    let class = semantic.self_class(&attribute.value, scope)?;
    if class.parent_scope != MODULE_SCOPE || !coroutines::is_any_coroutine_method(method) {
        return None;
    }
    Some(Callee::Ask(Query::CoroutineMethodOnAttribute {
        class: format!("{}.{}", checker.module_path.name, class.def.name),
        attribute: attribute.attr.to_string(),
        name: method.to_string(),
    }))
}

/// An absolute dotted name used as a callee.
fn function_callee(checker: &Checker, q: &str) -> Option<Callee> {
    if coroutines::is_coroutine_function(q) || checker.options.extra_coroutine_functions.iter().any(|e| e == q) {
        return Some(Callee::Coroutine);
    }
    checker
        .is_project(q)
        .then(|| Callee::Ask(Query::CoroutineFunction(q.to_string())))
}

/// The type of a receiver, from the shared type evidence (`types`).
enum Type {
    /// A type of the curated table (canonical name).
    Known(String),
    /// What calling this absolute name returns (a project class, or a project function's
    /// return annotation): decided with the index.
    CallOf(String),
}

fn receiver_type(checker: &Checker, expr: &Expr, scope: ScopeId) -> Option<Type> {
    let is_project = |q: &str| checker.is_project(q);
    let evidence = crate::model::types::Evidence {
        semantic: checker.semantic,
        module: Some(checker.module_path),
        is_project: &is_project,
    };
    Some(match evidence.type_of(expr, scope)? {
        Ty::Class(class) => Type::Known(class),
        Ty::CallOf(callee) => Type::CallOf(callee),
    })
}

fn finding(checker: &Checker, site: &CallSite, usage: &Usage) -> Finding {
    let name = display_name(checker, site.call.func.as_ref());
    let range: TextRange = site.call.range();
    let options = if is_trio_or_anyio(checker, site) {
        "await it from a coroutine, or pass the function and its arguments to a nursery's or task group's `start_soon()`"
    } else {
        "await it from a coroutine, schedule it with `asyncio.create_task()` keeping a reference, or return it"
    };
    // At a notebook cell's top level `await` works: the fix is the same as in a coroutine.
    let awaitable_here = site.in_async || checker.at_cell_top_level(site);
    let message = match usage {
        Usage::Statement | Usage::Attribute if awaitable_here => {
            format!("Coroutine `{name}` is called without `await`: it never runs")
        }
        Usage::Statement | Usage::Attribute => {
            let place = place(checker, site);
            format!("Coroutine `{name}` is called without `await` {place}: it never runs; {options}")
        }
        Usage::Unused { name: var, .. } => {
            format!("Coroutine `{name}` is assigned to `{var}` but never awaited: it never runs; {options}")
        }
        Usage::Condition => {
            format!("Coroutine `{name}` is used as a condition without `await`: a coroutine object is always true")
        }
        Usage::Shown(function) => {
            format!("Coroutine `{name}` is passed to `{function}()` without `await`: it never runs")
        }
        Usage::AsyncIterated => format!(
            "Coroutine `{name}` is iterated with `async for`: a coroutine is not an async iterable (`TypeError` when it runs)"
        ),
        Usage::Value(how) if awaitable_here => format!(
            "Coroutine `{name}` is {how} without `await`: a coroutine object is not its result (`TypeError` when it runs)"
        ),
        Usage::Value(how) => format!(
            "Coroutine `{name}` is {how} {}: a coroutine object is not its result (`TypeError` when it runs); {options}",
            place(checker, site)
        ),
        Usage::AsyncEntered => format!(
            "Coroutine `{name}` is used in `async with` without `await`: a coroutine is not an async context manager (`TypeError` when it runs)"
        ),
    };
    let fix = match usage {
        Usage::Statement | Usage::Attribute | Usage::Value(_) if awaitable_here => {
            let wrap = checker.await_wrap(site);
            let mut edits = vec![Edit::insertion(range.start(), wrap.open)];
            if !wrap.close.is_empty() {
                edits.push(Edit::insertion(range.end(), wrap.close));
            }
            Some(Fix::safe("Insert `await`", checker.laid_out(site, edits)))
        }
        _ => None,
    };
    Finding::new(Rule::MissingAwait, range, message).with_fix(fix)
}

/// Where a call outside async context stands, for the message.
fn place(checker: &Checker, site: &CallSite) -> &'static str {
    match checker.semantic.scope(site.scope).kind {
        ScopeKind::Module => "at module level",
        ScopeKind::Class => "in a class body",
        _ => "in a plain function",
    }
}

/// The callee is one of trio's or anyio's (a function, or a method of one of their classes):
/// `asyncio.create_task()` is no advice for it.
fn is_trio_or_anyio(checker: &Checker, site: &CallSite) -> bool {
    let of_framework = |q: &str| q.starts_with("trio.") || q.starts_with("anyio.");
    let func = site.call.func.as_ref();
    if let Some(q) = checker.semantic.qualified_name(func, site.scope) {
        return of_framework(&q);
    }
    match func {
        Expr::Attribute(a) => {
            matches!(receiver_type(checker, &a.value, site.scope), Some(Type::Known(t)) if of_framework(&t))
        }
        _ => false,
    }
}

/// `notify`, `self.client.send`: the callee as written, if short and on one line.
fn display_name(checker: &Checker, func: &Expr) -> String {
    let text = checker.text(func.range());
    if text.len() <= 60 && !text.contains(['\n', '\r']) {
        return text.to_string();
    }
    match func {
        Expr::Attribute(a) => a.attr.to_string(),
        _ => "coroutine".to_string(),
    }
}
