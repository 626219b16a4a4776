//! Type evidence: the one walk that answers "what class is this expression?" from local
//! evidence, for every rule (is this receiver an event loop, an `asyncio.Runner`, a
//! `requests.Session`, a `pathlib.Path`, an `aiohttp.ClientSession`, a project class?).
//!
//! Evidence it understands:
//! - constructor and factory calls (`asyncio.Lock()`, `asyncio.get_running_loop()`,
//!   `requests.session()`, `Path.cwd()`), `await` of calls with a known result
//!   (`await asyncio.create_subprocess_exec(...)`), `async with X() as x`, methods and
//!   attributes with a known result (`session.get(...)`, `p.parent`, `p / "x"`);
//! - a name: every binding of it in its scope agreeing (assignments in several branches),
//!   `with ... as`, unpacking of a known tuple, a parameter's annotation;
//! - annotations: `X`, `"X"` (a string), `Optional[X]`, `Union[X, None]`, `X | None`;
//! - `self.attr`: every assignment of it in the class's methods agreeing, `None` aside (a
//!   value of `None` plus one class is that class), an annotation on any of them; with no
//!   assignment, a `@property` (or `functools.cached_property`) of that name: its return
//!   annotation, else its `return`s agreeing;
//! - `a or b` and `a if c else b`: the operands agreeing, `None` aside.
//!
//! Names of the project are not resolved here (that needs the index): a call of a project
//! name, or an annotation naming one, is [`Ty::CallOf`] that name.

use ruff_python_ast::helpers::ReturnStatementVisitor;
use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Expr, Operator};

use crate::knowledge::coroutines;
use crate::knowledge::types::{file_class, CALL_RESULTS, FILE_OPENERS, KNOWN_CLASSES, PATH_TO_PATH, SYNONYMS};
use crate::model::semantic::{BindingKind, ScopeId, Semantic, MODULE_SCOPE};
use crate::project::index::ModulePath;

/// How many steps (name to value, attribute to assignment, ...) the walk takes at most:
/// one limit for every rule.
pub const MAX_STEPS: usize = 6;

/// What the evidence says an expression's value is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// An instance of a known class, by canonical name (`asyncio.AbstractEventLoop`,
    /// `requests.Session`, `aiohttp.ClientSession`).
    Class(String),
    /// What calling this absolute name of the project gives (an instance of a project class,
    /// or what a project function returns): decided with the project index.
    CallOf(String),
}

impl Ty {
    pub fn class(&self) -> Option<&str> {
        match self {
            Ty::Class(c) => Some(c),
            Ty::CallOf(_) => None,
        }
    }
}

/// The canonical name of a class or function: the coroutine table's spelling
/// (`asyncio.locks.Lock` → `asyncio.Lock`), then the synonyms above.
pub fn canonical(qualified: &str) -> String {
    let c = coroutines::canonical(qualified);
    match SYNONYMS.iter().find(|(from, _)| *from == c) {
        Some((_, to)) => to.to_string(),
        None => c,
    }
}

fn is_known_class(canonical: &str) -> bool {
    KNOWN_CLASSES.contains(&canonical)
        || canonical == "asyncio.AbstractEventLoop"
        || coroutines::is_known_type(canonical)
}

/// The type evidence of one file, as seen from its module.
pub struct Evidence<'s, 'a> {
    pub semantic: &'s Semantic<'a>,
    /// Where the file stands (for project names); `None` when only library classes matter.
    pub module: Option<&'s ModulePath>,
    /// Does an absolute name point into the project?
    pub is_project: &'s dyn Fn(&str) -> bool,
}

impl<'s, 'a> Evidence<'s, 'a> {
    /// Library classes only (no project names).
    pub fn library(semantic: &'s Semantic<'a>) -> Self {
        Evidence {
            semantic,
            module: None,
            is_project: &|_| false,
        }
    }

    /// What `expr`, evaluated in `scope`, is.
    pub fn type_of(&self, expr: &Expr, scope: ScopeId) -> Option<Ty> {
        self.walk(expr, scope, MAX_STEPS)
    }

    /// The canonical class `expr` is an instance of, if it is a known (library) class.
    pub fn class_of(&self, expr: &Expr, scope: ScopeId) -> Option<String> {
        match self.type_of(expr, scope)? {
            Ty::Class(c) => Some(c),
            Ty::CallOf(_) => None,
        }
    }

    /// What `self.attr` (the target or a use of it in a method) is, as [`Self::type_of`]
    /// gives it.
    pub fn attribute_type(&self, attribute: &ast::ExprAttribute, scope: ScopeId) -> Option<Ty> {
        self.self_attribute(attribute, scope, MAX_STEPS - 1)
    }

    /// What `self.name` is through a `@property` of the class whose body is `class_scope`.
    pub fn property_type(&self, class_scope: ScopeId, name: &str) -> Option<Ty> {
        self.property(class_scope, name, MAX_STEPS - 1)
    }

    /// The absolute name `expr` stands for (imports and aliases followed; a module-level
    /// `def` or `class` of this file named by its module).
    pub fn absolute(&self, expr: &Expr, scope: ScopeId) -> Option<String> {
        let semantic = self.semantic;
        if let (Expr::Name(name), Some(module)) = (expr, self.module) {
            if let Some(BindingKind::Class(_) | BindingKind::Function(_)) = semantic.binding(name.id.as_str(), scope) {
                if matches!(
                    semantic.resolve(name.id.as_str(), scope),
                    crate::model::semantic::Resolved::Binding {
                        scope: MODULE_SCOPE,
                        ..
                    }
                ) {
                    return Some(format!("{}.{}", module.name, name.id));
                }
            }
        }
        let q = semantic.qualified_name(expr, scope)?;
        match self.module {
            Some(module) => module.into_absolute(q),
            None => (!q.starts_with('.')).then_some(q),
        }
    }

    fn walk(&self, expr: &Expr, scope: ScopeId, steps: usize) -> Option<Ty> {
        if steps == 0 {
            return None;
        }
        let steps = steps - 1;
        match expr {
            Expr::Call(call) => self.call_result(call, scope, steps),
            Expr::Await(awaited) => {
                let Expr::Call(call) = awaited.value.as_ref() else {
                    return None;
                };
                if let Some(q) = self.absolute(&call.func, scope) {
                    if let Some(t) = coroutines::await_result_type(&q) {
                        return Some(Ty::Class(t));
                    }
                    if let Some(t) = self.offloaded_opener(&q, call, scope) {
                        return Some(Ty::Class(t.to_string()));
                    }
                }
                self.method_result(call, scope, steps)
            }
            Expr::Name(name) => self.name_type(name, scope, steps),
            Expr::Attribute(attribute) => {
                if PATH_TO_PATH.contains(&attribute.attr.as_str())
                    && self.class_at(&attribute.value, scope, steps).as_deref() == Some("pathlib.Path")
                {
                    return Some(Ty::Class("pathlib.Path".to_string()));
                }
                self.self_attribute(attribute, scope, steps)
            }
            Expr::BinOp(binop) if binop.op == Operator::Div => (self.class_at(&binop.left, scope, steps).as_deref()
                == Some("pathlib.Path"))
            .then(|| Ty::Class("pathlib.Path".to_string())),
            Expr::BoolOp(boolop) if boolop.op == ast::BoolOp::Or => {
                agree(boolop.values.iter().map(|v| (v, scope)), |v, s| self.walk(v, s, steps))
            }
            Expr::If(conditional) => agree(
                [(conditional.body.as_ref(), scope), (conditional.orelse.as_ref(), scope)],
                |v, s| self.walk(v, s, steps),
            ),
            _ => None,
        }
    }

    fn class_at(&self, expr: &Expr, scope: ScopeId, steps: usize) -> Option<String> {
        self.walk(expr, scope, steps)?.class().map(str::to_string)
    }

    /// `Ctor()`, `factory()`, `session.get(...)`, `p.with_suffix(...)`.
    fn call_result(&self, call: &ast::ExprCall, scope: ScopeId, steps: usize) -> Option<Ty> {
        if let Some(q) = self.absolute(&call.func, scope) {
            let c = canonical(&q);
            if let Some((_, mode)) = FILE_OPENERS.iter().find(|(f, _)| *f == c) {
                return Some(Ty::Class(opened_file(call, *mode).to_string()));
            }
            if q.starts_with("builtins.") {
                return None;
            }
            if let Some((_, t)) = CALL_RESULTS.iter().find(|(f, _)| *f == c) {
                return Some(Ty::Class(t.to_string()));
            }
            if let Some(t) = coroutines::call_result_type(&q) {
                return Some(Ty::Class(canonical(&t)));
            }
            if is_known_class(&c) {
                return Some(Ty::Class(c));
            }
            return (self.is_project)(&q).then_some(Ty::CallOf(q));
        }
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return None;
        };
        let is_path = || self.class_at(&attribute.value, scope, steps).as_deref() == Some("pathlib.Path");
        if PATH_TO_PATH.contains(&attribute.attr.as_str()) && is_path() {
            return Some(Ty::Class("pathlib.Path".to_string()));
        }
        // `p.open()`: the mode comes first.
        if attribute.attr.as_str() == "open" && is_path() {
            return Some(Ty::Class(opened_file(call, Some(0)).to_string()));
        }
        None
    }

    /// `await asyncio.to_thread(open, p, "rb")` (trio's and anyio's `to_thread.run_sync`
    /// too): the file object the opener gives, its arguments one place further.
    fn offloaded_opener(&self, runner: &str, call: &ast::ExprCall, scope: ScopeId) -> Option<&'static str> {
        if !THREAD_RUNNERS.contains(&runner) {
            return None;
        }
        let opener = canonical(&self.absolute(call.arguments.args.first()?, scope)?);
        let (_, mode) = FILE_OPENERS.iter().find(|(f, _)| *f == opener)?;
        Some(opened_file(call, mode.map(|m| m + 1)))
    }

    /// `await session.get(...)` / `async with session.get(...) as r`: a method whose result
    /// has a known class.
    fn method_result(&self, call: &ast::ExprCall, scope: ScopeId, steps: usize) -> Option<Ty> {
        let Expr::Attribute(attribute) = call.func.as_ref() else {
            return None;
        };
        let receiver = self.class_at(&attribute.value, scope, steps)?;
        coroutines::method_result_type(&receiver, attribute.attr.as_str()).map(Ty::Class)
    }

    /// A name: what it is declared to be (`x: T = ...`, a parameter's `x: T`), else every
    /// binding of it in the scope that binds it agreeing.
    ///
    /// A declaration is the variable's type whatever is assigned to it later, as type
    /// checkers see it (`f: TextIO = ...` then `f = make()`). When the scope declares the
    /// name several times, a use in the same scope takes the nearest declaration before it
    /// (`f: int = 7` ... `f: TextIO = g()` redeclares it); a use in a nested function (which
    /// runs later) needs every declaration to agree.
    fn name_type(&self, name: &ast::ExprName, scope: ScopeId, steps: usize) -> Option<Ty> {
        let semantic = self.semantic;
        let id = name.id.as_str();
        let (bound_in, bindings) = semantic.bindings_in_reach(id, scope)?;
        let parameter = bindings.iter().find_map(|b| match b {
            BindingKind::Parameter(Some(annotation)) => Some(*annotation),
            _ => None,
        });
        let declared: Vec<(&Expr, ruff_text_size::TextSize)> = parameter
            .map(|a| (a, ruff_text_size::TextSize::default()))
            .into_iter()
            .chain(semantic.scopes[bound_in].declarations(id).iter().copied())
            .collect();
        if declared.is_empty() {
            return agree(bindings.iter().map(|b| (b, bound_in)), |binding, s| {
                self.binding_type(binding, s, steps)
            });
        }
        let nearest = (bound_in == scope)
            .then(|| {
                let at = ruff_text_size::Ranged::start(name);
                declared.iter().rev().find(|(_, start)| *start <= at)
            })
            .flatten();
        let declared_type = match nearest {
            Some((annotation, _)) => self.annotation(annotation, bound_in),
            None => agree(declared.iter().map(|(a, _)| (*a, bound_in)), |a, s| {
                self.annotation(a, s)
            }),
        };
        // A declaration that says nothing known (`x: Any = ...`): the values decide.
        declared_type.or_else(|| {
            agree(bindings.iter().map(|b| (b, bound_in)), |binding, s| {
                self.binding_type(binding, s, steps)
            })
        })
    }

    fn binding_type(&self, binding: &BindingKind, scope: ScopeId, steps: usize) -> Option<Ty> {
        match binding {
            BindingKind::Assign(value) => self.walk(value, scope, steps),
            BindingKind::WithAs(context) => {
                let Expr::Call(call) = context else {
                    return self.walk(context, scope, steps);
                };
                if let Some(q) = self.absolute(&call.func, scope) {
                    if let Some(t) = coroutines::async_with_result_type(&q) {
                        return Some(Ty::Class(t));
                    }
                }
                self.method_result(call, scope, steps)
                    .or_else(|| self.walk(context, scope, steps))
            }
            BindingKind::Unpacked(Expr::Await(awaited), index) => {
                let Expr::Call(call) = awaited.value.as_ref() else {
                    return None;
                };
                let q = self.absolute(&call.func, scope)?;
                coroutines::await_tuple_type(&q, *index).map(Ty::Class)
            }
            BindingKind::Parameter(Some(annotation)) => self.annotation(annotation, scope),
            _ => None,
        }
    }

    /// What an annotation says: `X`, `"X"`, `Optional[X]`, `Union[X, None]`, `X | None`.
    pub fn annotation(&self, annotation: &Expr, scope: ScopeId) -> Option<Ty> {
        match annotation {
            Expr::StringLiteral(string) => {
                let text = string.value.to_str();
                let parsed = ruff_python_parser::parse_expression(text).ok()?;
                self.annotation(parsed.expr(), scope)
            }
            Expr::Subscript(subscript) => {
                let q = self.semantic.qualified_name(&subscript.value, scope)?;
                match q.as_str() {
                    "typing.Optional" | "typing_extensions.Optional" => self.annotation(&subscript.slice, scope),
                    "typing.Union" | "typing_extensions.Union" => {
                        let Expr::Tuple(tuple) = subscript.slice.as_ref() else {
                            return self.annotation(&subscript.slice, scope);
                        };
                        agree(tuple.elts.iter().map(|e| (e, scope)), |e, s| self.annotation_part(e, s))
                    }
                    // `Queue[Event]`, `Set[Task]`: the subscripted class.
                    _ => self.annotation(&subscript.value, scope),
                }
            }
            Expr::BinOp(binop) if binop.op == Operator::BitOr => {
                agree([(binop.left.as_ref(), scope), (binop.right.as_ref(), scope)], |e, s| {
                    self.annotation_part(e, s)
                })
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                let q = self.absolute(annotation, scope)?;
                let c = canonical(&q);
                if is_known_class(&c) {
                    Some(Ty::Class(c))
                } else if (self.is_project)(&q) {
                    // A project class: its methods decide.
                    Some(Ty::CallOf(q))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// A member of a union: `None` counts as no evidence (see [`agree`]).
    fn annotation_part(&self, expr: &Expr, scope: ScopeId) -> Option<Ty> {
        if is_none(expr) {
            return Some(Ty::Class(NONE.to_string()));
        }
        self.annotation(expr, scope)
    }

    /// `self.attr`: every assignment of it in the methods of the class agrees.
    fn self_attribute(&self, attribute: &ast::ExprAttribute, scope: ScopeId, steps: usize) -> Option<Ty> {
        let semantic = self.semantic;
        let class = semantic.self_class(attribute.value.as_ref(), scope)?;
        let assignments: Vec<_> = semantic
            .self_assignments(class.scope)
            .filter(|a| a.target.attr.as_str() == attribute.attr.as_str())
            .collect();
        // An annotation anywhere is the declared type.
        if let Some(annotated) = assignments.iter().find_map(|a| a.annotation.map(|t| (t, a.scope))) {
            return self.annotation(annotated.0, annotated.1);
        }
        if assignments.is_empty() {
            return self.property(class.scope, attribute.attr.as_str(), steps);
        }
        agree(
            assignments.iter().filter_map(|a| Some((a.value?, a.scope))),
            |value, s| self.walk(value, s, steps),
        )
    }
}

impl Evidence<'_, '_> {
    /// `self.session` where the class defines `@property def session(self)`: its return
    /// annotation, else every `return` of its body agreeing (`None` aside). Only a property
    /// defined once in the class body (its setter and deleter aside).
    fn property(&self, class_scope: ScopeId, name: &str, steps: usize) -> Option<Ty> {
        let semantic = self.semantic;
        let mut defs = semantic
            .functions
            .iter()
            .filter(|f| f.parent_scope == class_scope && f.def.name.as_str() == name)
            .filter(|f| !f.def.decorator_list.iter().any(|d| is_accessor(&d.expression, name)));
        let getter = defs.next()?;
        if defs.next().is_some() || getter.def.is_async || getter.has_yield {
            return None;
        }
        let is_property = getter.def.decorator_list.iter().any(|d| {
            semantic
                .qualified_name(&d.expression, class_scope)
                .is_some_and(|q| PROPERTIES.contains(&q.as_str()))
        });
        if !is_property || getter.def.decorator_list.len() != 1 {
            return None;
        }
        if let Some(returns) = getter.def.returns.as_deref() {
            return self.annotation(returns, class_scope);
        }
        let mut visitor = ReturnStatementVisitor::default();
        visitor.visit_body(&getter.def.body);
        if visitor.is_generator {
            return None;
        }
        // A bare `return` gives `None`: no evidence, as `return None` is none.
        let values: Vec<&Expr> = visitor.returns.iter().filter_map(|r| r.value.as_deref()).collect();
        agree(values.into_iter().map(|v| (v, getter.scope)), |v, s| {
            self.walk(v, s, steps)
        })
    }
}

/// The decorators that make a method a read-only attribute.
const PROPERTIES: &[&str] = &["builtins.property", "functools.cached_property"];

/// `@name.setter` / `@name.deleter`.
fn is_accessor(decorator: &Expr, name: &str) -> bool {
    matches!(decorator, Expr::Attribute(a)
        if matches!(a.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
            && matches!(a.attr.as_str(), "setter" | "deleter"))
}

/// What runs a sync function in a worker thread and gives its result: `await
/// asyncio.to_thread(f, *args)` is `f(*args)`.
const THREAD_RUNNERS: &[&str] = &[
    "asyncio.to_thread",
    "trio.to_thread.run_sync",
    "anyio.to_thread.run_sync",
];

/// The class of the file object an opener call gives: its mode argument (at `mode`, or the
/// `mode=` keyword) read when it is a literal; `mode` is `None` for `io.open_code` (binary
/// reading).
fn opened_file(call: &ast::ExprCall, mode: Option<usize>) -> &'static str {
    let Some(position) = mode else {
        return "io.BufferedReader";
    };
    let arguments = &call.arguments;
    let keyword = arguments
        .keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"));
    let unpacked = arguments.keywords.iter().any(|k| k.arg.is_none())
        || arguments.args.iter().take(position + 1).any(Expr::is_starred_expr);
    let value = keyword.map(|k| &k.value).or_else(|| arguments.args.get(position));
    match value {
        None if unpacked => file_class(None),
        None => file_class(Some("r")),
        Some(Expr::StringLiteral(s)) => file_class(Some(s.value.to_str())),
        Some(_) => file_class(None),
    }
}

/// The name standing for `None` among the types being agreed on.
const NONE: &str = "builtins.None";

fn is_none(expr: &Expr) -> bool {
    matches!(expr, Expr::NoneLiteral(_))
}

/// The one type every item gives, `None` aside: at least one item must give a type other
/// than `None`, and an item that gives nothing known makes the whole unknown.
fn agree<I, T>(items: impl IntoIterator<Item = (I, T)>, type_of: impl Fn(I, T) -> Option<Ty>) -> Option<Ty>
where
    I: NoneCheck,
{
    let mut found: Option<Ty> = None;
    for (item, scope) in items {
        if item.is_none_literal() {
            continue;
        }
        let here = type_of(item, scope)?;
        if here == Ty::Class(NONE.to_string()) {
            continue;
        }
        match &found {
            None => found = Some(here),
            Some(previous) if *previous == here => {}
            Some(_) => return None,
        }
    }
    found
}

/// Items that may be the literal `None`.
trait NoneCheck {
    fn is_none_literal(&self) -> bool;
}

impl NoneCheck for &Expr {
    fn is_none_literal(&self) -> bool {
        is_none(self)
    }
}

impl NoneCheck for &BindingKind<'_> {
    fn is_none_literal(&self) -> bool {
        matches!(self, BindingKind::Assign(value) if is_none(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    /// The type of the receiver of every `x.probe()` call, in order.
    fn probes(src: &str) -> Vec<Option<Ty>> {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        let module = ModulePath {
            name: "pkg.mod".into(),
            is_package: false,
        };
        let is_project = |q: &str| q.starts_with("pkg.");
        let evidence = Evidence {
            semantic: &sem,
            module: Some(&module),
            is_project: &is_project,
        };
        sem.calls
            .iter()
            .filter_map(|site| match site.call.func.as_ref() {
                Expr::Attribute(a) if a.attr.as_str() == "probe" => Some(evidence.type_of(&a.value, site.scope)),
                _ => None,
            })
            .collect()
    }

    fn class(name: &str) -> Option<Ty> {
        Some(Ty::Class(name.to_string()))
    }

    #[test]
    fn evidence_in_all_its_forms() {
        let src = r#"
import asyncio
import typing
from typing import Optional, Union
from asyncio import Queue
from pathlib import Path
import requests

class Client:
    pass

class Service:
    def __init__(self, loop: Optional[asyncio.AbstractEventLoop] = None):
        self._sock = None
        self.queue: "Optional[Queue[int]]" = None
        self.loop = loop or asyncio.get_event_loop()
        self.mixed = 1

    def start(self):
        self._sock = requests.Session()
        self.mixed = Path()

    async def run(self, a: "asyncio.Lock", b: Union[Path, None], c: Client | None, d: typing.Optional["Client"]):
        self._sock.probe()
        self.queue.probe()
        self.loop.probe()
        self.mixed.probe()
        a.probe()
        b.probe()
        c.probe()
        d.probe()
        if a:
            x = requests.Session()
        else:
            x = requests.session()
        x.probe()
        y = Path() if a else None
        y.probe()
        z = Path() if a else requests.Session()
        z.probe()
        (Path.cwd() / "x").parent.with_suffix(".y").probe()
        Client().probe()
        unknown.probe()
"#;
        assert_eq!(
            probes(src),
            vec![
                class("requests.Session"),
                class("asyncio.Queue"),
                class("asyncio.AbstractEventLoop"),
                None,
                class("asyncio.Lock"),
                class("pathlib.Path"),
                Some(Ty::CallOf("pkg.mod.Client".into())),
                Some(Ty::CallOf("pkg.mod.Client".into())),
                class("requests.Session"),
                class("pathlib.Path"),
                None,
                class("pathlib.Path"),
                Some(Ty::CallOf("pkg.mod.Client".into())),
                None,
            ]
        );
    }

    #[test]
    fn properties() {
        let src = r#"
import functools
import requests
from pathlib import Path

class Service:
    def __init__(self):
        self._session = requests.Session()

    @property
    def session(self):
        if self._session is None:
            return None
        return self._session

    @property
    def path(self) -> Path:
        return make()

    @functools.cached_property
    def cached(self):
        return Path()

    @property
    def mixed(self):
        if x:
            return Path()
        return requests.Session()

    @property
    def guarded(self):
        return self._guarded

    @guarded.setter
    def guarded(self, value):
        self._other = value

    def plain(self):
        return Path()

    def run(self):
        self.session.probe()
        self.path.probe()
        self.cached.probe()
        self.mixed.probe()
        self.guarded.probe()
        self.plain.probe()
"#;
        assert_eq!(
            probes(src),
            vec![
                class("requests.Session"),
                class("pathlib.Path"),
                class("pathlib.Path"),
                None,
                None,
                None,
            ]
        );
    }

    #[test]
    fn declarations_and_file_openers() {
        let src = r#"
import asyncio, io, os, typing
from pathlib import Path
from typing import IO, Optional, TextIO

LOG = open("log", "a")
OUT: TextIO = make()

async def run(f: io.TextIOWrapper, p: Path, mode, g: "Optional[IO[bytes]]" = None):
    f.probe()
    f: int = 7
    f.probe()
    f: TextIO = make()
    f = other()
    f.probe()
    open("x").probe()
    open("x", "rb").probe()
    open("x", mode="wb").probe()
    open("x", "r+b").probe()
    open("x", mode).probe()
    io.open_code("x").probe()
    os.fdopen(0, "w").probe()
    p.open("rb").probe()
    g.probe()
    LOG.probe()
    OUT.probe()
    x: typing.Any = Path()
    x.probe()
    io.StringIO().probe()
    a = await asyncio.to_thread(open, "x", "wb")
    a.probe()
    (await asyncio.to_thread(open, "x")).probe()
    (await asyncio.to_thread(len, "x")).probe()

def outer(h: TextIO):
    h = None
    async def inner():
        h.probe()
"#;
        assert_eq!(
            probes(src),
            vec![
                class("io.TextIOWrapper"),
                None,
                class("io.TextIOWrapper"),
                class("io.TextIOWrapper"),
                class("io.BufferedReader"),
                class("io.BufferedWriter"),
                class("io.BufferedRandom"),
                class("typing.IO"),
                class("io.BufferedReader"),
                class("io.TextIOWrapper"),
                class("io.BufferedReader"),
                class("typing.IO"),
                class("io.TextIOWrapper"),
                class("io.TextIOWrapper"),
                class("pathlib.Path"),
                None,
                class("io.BufferedWriter"),
                class("io.TextIOWrapper"),
                None,
                class("io.TextIOWrapper"),
            ]
        );
    }
}
