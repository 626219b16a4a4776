//! What one module defines at module level (functions, classes with their bases and methods,
//! re-exported imports) and what its functions call: the facts resolution and the walks read,
//! made from the file's semantic model.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use ruff_python_ast::{Decorator, Expr, PySourceType};
use ruff_python_parser::parse_unchecked_source;

use crate::model::semantic::{
    exceeds_depth, BindingKind, ClassInfo, FunctionInfo, Resolved, ScopeId, ScopeKind, Semantic, MAX_DEPTH,
    MODULE_SCOPE,
};
use crate::model::types::{Evidence, Ty};
use crate::registry::Rule;

use crate::project::modules::ModulePath;

/// Does calling it give a coroutine that must be awaited?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallableKind {
    Coroutine,
    /// A plain function, an async generator, or a function under a decorator that may change
    /// what it returns.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionFacts {
    pub kind: CallableKind,
    /// The return annotation, as an absolute qualified name.
    pub returns: Option<String>,
    /// A plain function whose every `return` hands back a task it has just created and keeps
    /// no reference to (`return asyncio.create_task(coro)`): a leaky task factory.
    pub returns_task: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClassFacts {
    /// Absolute qualified names of the bases; `None` for a base that cannot be resolved.
    pub bases: Vec<Option<String>>,
    /// Names bound in the class body.
    pub members: HashMap<String, Member>,
    /// Attributes assigned on `self` in the class's methods (they shadow methods).
    pub instance_attributes: HashSet<String>,
    /// The library class (canonical name) of those (and of properties) the type evidence
    /// knows, when it has coroutine methods (`self.queue: Optional[asyncio.Queue] = None`),
    /// for subclasses in other modules.
    pub attribute_types: HashMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Method(FunctionFacts),
    /// An attribute, a nested class, or a name bound several ways.
    Other,
}

/// An absolute dotted name (`pkg.mod.f`), split into its names once, when resolution first
/// follows it (most names a summary keeps are never followed): resolution walks the names
/// (module ids, then symbols), never re-joining or re-splitting them.
#[derive(Debug, Clone)]
pub struct Dotted {
    text: String,
    /// Where each name after the first starts (after its dot).
    starts: std::sync::OnceLock<Box<[u32]>>,
}

impl PartialEq for Dotted {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Dotted {}

impl Dotted {
    pub fn new(text: String) -> Self {
        Self {
            text,
            starts: std::sync::OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The names, in order (`pkg`, `mod`, `f`).
    pub fn parts(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = self.starts.get_or_init(|| {
            self.text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'.')
                .map(|(i, _)| i as u32 + 1)
                .collect()
        });
        let ends = starts
            .iter()
            .map(|&s| s as usize - 1)
            .chain(std::iter::once(self.text.len()));
        std::iter::once(0)
            .chain(starts.iter().map(|&s| s as usize))
            .zip(ends)
            .map(|(start, end)| &self.text[start..end])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    Function(FunctionFacts),
    /// Boxed: most symbols are imports and functions, and every entry of a module's table
    /// is as large as the largest kind.
    Class(Box<ClassFacts>),
    /// An import, re-exported: the absolute name it stands for.
    Import(Dotted),
    Other,
}

/// What one module defines at module level.
#[derive(Debug, Clone, Default)]
pub struct FileSummary {
    pub module: ModulePath,
    pub symbols: HashMap<String, Symbol>,
    /// What module-level functions and methods (`f`, `Class.m`) call and whether they start
    /// an event loop, for following sync helpers from coroutines.
    pub flows: HashMap<String, Flow>,
    /// `from m import *` at module level (absolute), with every name the module binds itself
    /// (those shadow the star imports), so that a re-export through a star import resolves.
    pub star_imports: Vec<Dotted>,
    pub bound: HashSet<String>,
    /// The module calls `nest_asyncio.apply()` somewhere: event loops may nest in the
    /// program (`run_until_complete` inside a running loop works).
    pub applies_nest_asyncio: bool,
    /// Project classes (absolute) whose members this module replaces by computed name,
    /// `setattr(cls, name, wrapper(...))` (pyrogram's `sync.py` over its `Methods`): their
    /// coroutine methods may be sync functions at run time.
    pub rewrapped: Vec<String>,
}

impl FileSummary {
    /// Where a name missing from `symbols` may come from: the star-imported modules, unless
    /// the module binds it itself, or it is private (not exported by `*` without `__all__`).
    pub(crate) fn star_sources(&self, name: &str) -> &[Dotted] {
        if self.star_imports.is_empty() || name.starts_with('_') || self.bound.contains(name) {
            &[]
        } else {
            &self.star_imports
        }
    }
}

/// The calls of one function, for the walk from coroutines into sync helpers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flow {
    pub is_async: bool,
    /// Under decorators known to keep the function as written (a sync function under another
    /// decorator may run its body elsewhere: the walk stops there).
    pub plain: bool,
    /// Starts or runs an event loop in its own body (`asyncio.run`, `run_until_complete`, ...).
    pub starts_loop: bool,
    /// For a sync function: the blocking calls of its own body (`blocking_calls`), the first
    /// of each rule, by the name messages give them (`requests.get`).
    pub blocking: Vec<(Rule, String)>,
    /// Direct calls that may reach project code (references passed as arguments are not
    /// calls: they may run in a thread).
    pub calls: Vec<CallRef>,
    /// Method calls on a receiver whose project class the type evidence knows
    /// (`self.acurl.close()` with `self.acurl = AsyncCurl()`): followed by the walk to loop
    /// starts (AF004), not yet by the walk to blocking calls.
    pub typed_calls: Vec<CallRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallRef {
    /// A function by absolute name (`pkg.mod.f`, or `pkg.mod.Class.m`).
    Function(String),
    /// `self.m()` / `cls.m()` in a method of `class`.
    Method { class: String, name: String },
}

/// Decorators that keep an `async def` a coroutine function.
const TRANSPARENT_DECORATORS: &[&str] = &[
    "builtins.staticmethod",
    "builtins.classmethod",
    "abc.abstractmethod",
    "typing.override",
    "typing_extensions.override",
    "functools.wraps",
];

/// Bases known to define no coroutine methods.
pub(crate) const PLAIN_BASES: &[&str] = &[
    "builtins.object",
    "builtins.Exception",
    "builtins.BaseException",
    "abc.ABC",
    "typing.Generic",
    "typing.Protocol",
    "typing_extensions.Protocol",
];

/// Facts about one `def`.
pub fn function_facts(semantic: &Semantic, function: &FunctionInfo, module: &ModulePath) -> FunctionFacts {
    let def = function.def;
    let decorated_ok = def
        .decorator_list
        .iter()
        .all(|d| is_transparent_decorator(semantic, d, function.parent_scope));
    let kind = if def.is_async && !function.has_yield && decorated_ok {
        CallableKind::Coroutine
    } else {
        CallableKind::Other
    };
    let returns = def
        .returns
        .as_deref()
        .and_then(|r| absolute_name(semantic, r, function.parent_scope, module));
    let returns_task = !def.is_async && returns_new_task(semantic, def, function.scope);
    FunctionFacts {
        kind,
        returns,
        returns_task,
    }
}

/// Every `return` in the body (not in nested functions or classes) returns a task-factory
/// call, and there is at least one.
fn returns_new_task(semantic: &Semantic, def: &ruff_python_ast::StmtFunctionDef, scope: ScopeId) -> bool {
    use ruff_python_ast::statement_visitor::{walk_stmt, StatementVisitor};
    use ruff_python_ast::Stmt;
    struct Returns<'b> {
        values: Vec<Option<&'b Expr>>,
    }
    impl<'b> StatementVisitor<'b> for Returns<'b> {
        fn visit_stmt(&mut self, stmt: &'b Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::Return(r) => self.values.push(r.value.as_deref()),
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut returns = Returns { values: Vec::new() };
    returns.visit_body(&def.body);
    !returns.values.is_empty()
        && returns.values.iter().all(|value| match value {
            Some(Expr::Call(call)) => crate::model::task_factory::task_factory(semantic, call, scope).is_some(),
            _ => false,
        })
}

/// What the module-level class itself says about `method`: `None` when it does not bind it;
/// `Some(None)` when it binds it otherwise than as a `def` (or assigns it on `self`);
/// `Some(Some(facts))` for a method.
pub fn own_method(
    semantic: &Semantic,
    class: &crate::model::semantic::ClassInfo,
    method: &str,
    module: &ModulePath,
) -> Option<Option<FunctionFacts>> {
    if semantic.assigns_self_attribute(class, method) {
        return Some(None);
    }
    if semantic.scope(class.scope).bindings(method).is_empty() {
        return None;
    }
    Some(match semantic.resolve(method, class.scope) {
        Resolved::Binding {
            kind: BindingKind::Function(i),
            scope,
        } if scope == class.scope => Some(function_facts(semantic, &semantic.functions[i], module)),
        _ => None,
    })
}

/// The absolute dotted name an expression stands for: a module-level `def` or `class` of
/// this module (`pkg.mod.Client`), or an import (`pkg.api.notify`, `asyncio.Lock`).
pub fn absolute_name(semantic: &Semantic, expr: &Expr, scope: ScopeId, module: &ModulePath) -> Option<String> {
    if let Expr::Name(name) = expr {
        if let Resolved::Binding {
            kind: BindingKind::Class(_) | BindingKind::Function(_),
            scope: MODULE_SCOPE,
        } = semantic.resolve(name.id.as_str(), scope)
        {
            return Some(format!("{}.{}", module.name, name.id));
        }
    }
    let q = semantic.qualified_name(expr, scope)?;
    module.into_absolute(q)
}

fn is_transparent_decorator(semantic: &Semantic, decorator: &Decorator, scope: ScopeId) -> bool {
    let expr = match &decorator.expression {
        Expr::Call(call) => call.func.as_ref(),
        other => other,
    };
    semantic
        .qualified_name(expr, scope)
        .is_some_and(|q| TRANSPARENT_DECORATORS.contains(&q.as_str()))
}

/// Summarise a module from its semantic model.
/// `roots`: the top-level names of the project's modules.
pub fn summarize(semantic: &Semantic, module: &ModulePath, roots: &rustc_hash::FxHashSet<String>) -> FileSummary {
    let mut symbols = HashMap::default();
    for (name, _) in semantic.scope(MODULE_SCOPE).binding_names() {
        let symbol = match semantic.resolve(name, MODULE_SCOPE) {
            Resolved::Binding {
                kind: BindingKind::Function(i),
                ..
            } => Symbol::Function(function_facts(semantic, &semantic.functions[i], module)),
            Resolved::Binding {
                kind: BindingKind::Class(i),
                ..
            } => Symbol::Class(Box::new(class_facts(semantic, i, module))),
            Resolved::Binding {
                kind: BindingKind::Import(q),
                ..
            } => match module.absolute(&q) {
                // Resolution never follows a name out of the project (`from typing import Any`).
                Some(q) if roots.contains(q.split('.').next().unwrap_or(&q)) => Symbol::Import(Dotted::new(q)),
                _ => Symbol::Other,
            },
            _ => Symbol::Other,
        };
        // What cannot answer a query is not kept: a plain function without a return
        // annotation, or another binding, resolves to nothing either way.
        let useful = match &symbol {
            Symbol::Function(f) => f.kind == CallableKind::Coroutine || f.returns.is_some() || f.returns_task,
            Symbol::Other => false,
            _ => true,
        };
        if useful {
            symbols.insert(name.to_string(), symbol);
        }
    }
    let star_imports: Vec<Dotted> = semantic
        .star_imports
        .iter()
        .filter_map(|m| module.absolute(m))
        .map(Dotted::new)
        .collect();
    let bound = if star_imports.is_empty() {
        HashSet::default()
    } else {
        semantic
            .scope(MODULE_SCOPE)
            .binding_names()
            .filter(|(_, b)| !b.is_empty())
            .map(|(n, _)| n.to_string())
            .collect()
    };
    FileSummary {
        module: module.clone(),
        symbols,
        flows: flows(semantic, module, roots),
        star_imports,
        bound,
        applies_nest_asyncio: applies_nest_asyncio(semantic),
        rewrapped: rewrapped_classes(semantic, module),
    }
}

/// A call of `nest_asyncio.apply()` anywhere in the module.
fn applies_nest_asyncio(semantic: &Semantic) -> bool {
    semantic.uses_module("nest_asyncio")
        && semantic
            .calls
            .iter()
            .any(|site| semantic.qualified_name(&site.call.func, site.scope).as_deref() == Some("nest_asyncio.apply"))
}

fn has_coroutine_methods(class: &str) -> bool {
    crate::knowledge::coroutines::is_known_type(class)
}

/// The classes whose members the module rebinds by a computed name: `setattr(X, name, w)`
/// (`name` not a string literal) at module level or in a module-level function, with `X` a
/// class, or a parameter of that function passed a class (through further such functions:
/// `wrap(Methods)` → `async_to_sync(source, name)` → `setattr(obj, name, wrapped)`).
fn rewrapped_classes(semantic: &Semantic, module: &ModulePath) -> Vec<String> {
    let mut classes: Vec<String> = Vec::new();
    // (module-level function, parameter position) passed on to such a `setattr`.
    let mut rebinding: HashSet<(&str, usize)> = HashSet::default();
    let is_setattr = |call: &ruff_python_ast::ExprCall, scope| {
        // The shape first: resolving the callee is the costly part, for every call of a file.
        call.arguments.args.len() == 3
            && call.arguments.keywords.is_empty()
            && !matches!(call.arguments.args[1], Expr::StringLiteral(_))
            && semantic.qualified_name(&call.func, scope).as_deref() == Some("builtins.setattr")
    };
    let mut seen_sites = 0;
    // Each round may mark one more function of a chain; a few rounds reach any real one.
    for _ in 0..4 {
        let before = (classes.len(), rebinding.len());
        for site in &semantic.calls {
            let call = site.call;
            let position = if is_setattr(call, site.scope) {
                Some(0)
            } else if let Expr::Name(f) = call.func.as_ref() {
                let marked = |k: usize| rebinding.contains(&(f.id.as_str(), k));
                let module_function = matches!(
                    semantic.resolve(f.id.as_str(), site.scope),
                    Resolved::Binding {
                        kind: BindingKind::Function(_),
                        scope: MODULE_SCOPE,
                    }
                );
                (module_function && call.arguments.keywords.is_empty())
                    .then(|| (0..call.arguments.args.len()).find(|k| marked(*k)))
                    .flatten()
            } else {
                None
            };
            let Some(position) = position else {
                continue;
            };
            seen_sites += 1;
            let target = &call.arguments.args[position];
            let Expr::Name(name) = target else {
                continue;
            };
            match semantic.resolve(name.id.as_str(), site.scope) {
                Resolved::Binding {
                    kind: BindingKind::Parameter(_),
                    scope,
                } => {
                    let Some(function) = semantic.enclosing_function(site.scope) else {
                        continue;
                    };
                    if function.scope != scope || function.parent_scope != MODULE_SCOPE {
                        continue;
                    }
                    let parameters = &function.def.parameters;
                    let index = parameters
                        .posonlyargs
                        .iter()
                        .chain(&parameters.args)
                        .position(|p| p.parameter.name.as_str() == name.id.as_str());
                    if let Some(index) = index {
                        rebinding.insert((function.def.name.as_str(), index));
                    }
                }
                Resolved::Binding {
                    kind: BindingKind::Class(_) | BindingKind::Import(_),
                    ..
                } => {
                    let at_top = semantic
                        .enclosing_function(site.scope)
                        .is_none_or(|f| f.parent_scope == MODULE_SCOPE);
                    if let Some(q) = absolute_name(semantic, target, site.scope, module).filter(|_| at_top) {
                        if !classes.contains(&q) {
                            classes.push(q);
                        }
                    }
                }
                _ => {}
            }
        }
        if seen_sites == 0 || (classes.len(), rebinding.len()) == before {
            break;
        }
    }
    classes
}

/// The flows of the module-level functions and of the methods of module-level classes.
/// `roots`: the top-level names of the project's modules (calls elsewhere reach no project code).
fn flows(semantic: &Semantic, module: &ModulePath, roots: &rustc_hash::FxHashSet<String>) -> HashMap<String, Flow> {
    use crate::model::loop_start::LoopStart;
    // By function index; made into a map at the end, with only what the walk can use.
    let mut flows: Vec<Option<(String, Flow)>> = semantic
        .functions
        .iter()
        .map(|f| {
            let name = flow_name(semantic, f)?;
            let plain = f
                .def
                .decorator_list
                .iter()
                .all(|d| is_transparent_decorator(semantic, d, f.parent_scope));
            Some((
                name,
                Flow {
                    is_async: f.def.is_async,
                    plain,
                    ..Flow::default()
                },
            ))
        })
        .collect();
    if flows.iter().all(Option::is_none) {
        return HashMap::default();
    }
    let in_project = |q: &str| roots.contains(q.split('.').next().unwrap_or(q));
    let evidence = crate::model::types::Evidence {
        semantic,
        module: Some(module),
        is_project: &in_project,
    };
    // The `self` attributes the evidence may know a project class of: assigned a call of a
    // project name, or annotated (the evidence is asked only about those).
    let typed_attributes: HashSet<&str> = semantic
        .attribute_assignments
        .iter()
        .filter(|a| matches!(a.target.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
        .filter(|a| {
            a.annotation.is_some()
                || a.value.is_some_and(|v| match v {
                    Expr::Call(call) => {
                        absolute_name(semantic, &call.func, a.scope, module).is_some_and(|q| in_project(&q))
                    }
                    _ => false,
                })
        })
        .map(|a| a.target.attr.as_str())
        .collect();
    for site in &semantic.calls {
        let Some(index) = semantic.direct_function(site.scope) else {
            continue;
        };
        let Some((_, flow)) = &mut flows[index] else {
            continue;
        };
        let is_sync = !flow.is_async;
        if is_sync
            && LoopStart::classify(semantic, site.call, site.scope).is_some()
            && !LoopStart::is_guarded(semantic, site)
        {
            flow.starts_loop = true;
            continue;
        }
        let (self_method, absolute) = match self_method(semantic, site.call, site.scope, module) {
            Some(method) => (Some(method), None),
            None => (None, absolute_name(semantic, &site.call.func, site.scope, module)),
        };
        if is_sync {
            let blocking =
                crate::model::blocking_calls::classify_resolved(semantic, site.call, site.scope, absolute.as_deref());
            if let Some(blocking) = blocking {
                if !flow.blocking.iter().any(|(rule, _)| *rule == blocking.rule) {
                    flow.blocking.push((blocking.rule, blocking.name));
                }
            }
        }
        let target = self_method.or_else(|| absolute.filter(|q| in_project(q)).map(CallRef::Function));
        if let Some(target) = target {
            if !flow.calls.contains(&target) {
                flow.calls.push(target);
            }
        } else if let Some(target) = typed_method(&evidence, &typed_attributes, site.call, site.scope) {
            if !flow.typed_calls.contains(&target) {
                flow.typed_calls.push(target);
            }
        }
    }
    // Only what the walk can use: coroutines (where it starts) and plain sync functions
    // that call on or start a loop.
    flows
        .into_iter()
        .flatten()
        .filter(|(_, f)| {
            let calls = !f.calls.is_empty() || !f.typed_calls.is_empty();
            if f.is_async {
                calls
            } else {
                f.plain && (f.starts_loop || calls || !f.blocking.is_empty())
            }
        })
        .collect()
}

/// What a call may reach in the project, resolved as the flows record it: `self.m()` /
/// `cls.m()` in a method of a module-level class, or an absolute name (a `def` or `class`
/// of this module, an import; builtins excluded).
pub fn call_ref(
    semantic: &Semantic,
    call: &ruff_python_ast::ExprCall,
    scope: ScopeId,
    module: &ModulePath,
) -> Option<CallRef> {
    self_method(semantic, call, scope, module).or_else(|| {
        absolute_name(semantic, &call.func, scope, module)
            .filter(|q| !q.starts_with("builtins."))
            .map(CallRef::Function)
    })
}

/// `x.m()` where the type evidence says `x` (`self.client`, a local) is an instance of a
/// project class (`self.client = Client(...)` in `__init__`): method `m` of that class.
/// What the call of a project function gives is tried as a class too; the walk finds no
/// method of a function and stops there.
fn typed_method(
    evidence: &crate::model::types::Evidence,
    typed_attributes: &HashSet<&str>,
    call: &ruff_python_ast::ExprCall,
    scope: ScopeId,
) -> Option<CallRef> {
    let Expr::Attribute(a) = call.func.as_ref() else {
        return None;
    };
    // Only receivers that can name a project instance, asked cheaply first: `self.attr`
    // assigned a project call or annotated, a name bound to a call.
    let semantic = evidence.semantic;
    let receiver_ok = match a.value.as_ref() {
        Expr::Name(name) => matches!(
            semantic.binding(name.id.as_str(), scope),
            Some(BindingKind::Assign(Expr::Call(_)))
        ),
        Expr::Attribute(inner) => {
            typed_attributes.contains(inner.attr.as_str()) && semantic.self_class(&inner.value, scope).is_some()
        }
        _ => false,
    };
    if !receiver_ok {
        return None;
    }
    match evidence.type_of(&a.value, scope)? {
        crate::model::types::Ty::CallOf(class) => Some(CallRef::Method {
            class,
            name: a.attr.to_string(),
        }),
        crate::model::types::Ty::Class(_) => None,
    }
}

/// `self.m()` / `cls.m()` in a method of a module-level class.
fn self_method(
    semantic: &Semantic,
    call: &ruff_python_ast::ExprCall,
    scope: ScopeId,
    module: &ModulePath,
) -> Option<CallRef> {
    let Expr::Attribute(a) = call.func.as_ref() else {
        return None;
    };
    semantic.self_class(&a.value, scope).map(|class| CallRef::Method {
        class: format!("{}.{}", module.name, class.def.name),
        name: a.attr.to_string(),
    })
}

/// `f` for a module-level function, `Class.m` for a method of a module-level class.
pub fn flow_name(semantic: &Semantic, f: &FunctionInfo) -> Option<String> {
    if f.parent_scope == MODULE_SCOPE {
        return Some(f.def.name.to_string());
    }
    let parent = semantic.scope(f.parent_scope);
    if parent.kind != ScopeKind::Class {
        return None;
    }
    let class = &semantic.classes[parent.owner?];
    (class.parent_scope == MODULE_SCOPE).then(|| format!("{}.{}", class.def.name, f.def.name))
}

pub fn class_facts(semantic: &Semantic, index: usize, module: &ModulePath) -> ClassFacts {
    let class = &semantic.classes[index];
    let bases = class
        .def
        .bases()
        .iter()
        .map(|base| {
            let base = match base {
                // `Generic[T]`, `Protocol[T]`: the subscripted class.
                Expr::Subscript(s) => s.value.as_ref(),
                other => other,
            };
            absolute_name(semantic, base, class.parent_scope, module)
        })
        .collect();
    let mut members = HashMap::default();
    for (name, _) in semantic.scope(class.scope).binding_names() {
        let member = match semantic.resolve(name, class.scope) {
            Resolved::Binding {
                kind: BindingKind::Function(i),
                scope,
            } if scope == class.scope => Member::Method(function_facts(semantic, &semantic.functions[i], module)),
            _ => Member::Other,
        };
        members.insert(name.to_string(), member);
    }
    let instance_attributes = semantic
        .attribute_assignments
        .iter()
        .filter(|a| matches!(a.target.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self"))
        .filter(|a| {
            semantic
                .enclosing_function(a.scope)
                .is_some_and(|f| f.parent_scope == class.scope)
        })
        .map(|a| a.target.attr.to_string())
        .collect();
    ClassFacts {
        bases,
        members,
        instance_attributes,
        attribute_types: attribute_types(semantic, class, module),
    }
}

/// The canonical library class of each attribute assigned on `self` in the class's methods,
/// and of each of its properties, where the type evidence knows it and the class has
/// coroutine methods (what the questions ask about; the rest would only take memory) (only library classes: a project class's name would need
/// resolving from this module).
fn attribute_types(semantic: &Semantic, class: &ClassInfo, module: &ModulePath) -> HashMap<String, String> {
    let library_only = |_: &str| false;
    let evidence = Evidence {
        semantic,
        module: Some(module),
        is_project: &library_only,
    };
    let mut types = HashMap::default();
    let mut seen = HashSet::default();
    for a in semantic.self_assignments(class.scope) {
        if !seen.insert(a.target.attr.as_str()) {
            continue;
        }
        if let Some(Ty::Class(t)) = evidence.attribute_type(a.target, a.scope) {
            if has_coroutine_methods(&t) {
                types.insert(a.target.attr.to_string(), t);
            }
        }
    }
    // Properties: `@property def session(self): return self._session`.
    for f in semantic.functions.iter().filter(|f| f.parent_scope == class.scope) {
        let name = f.def.name.as_str();
        if types.contains_key(name) || f.def.decorator_list.is_empty() {
            continue;
        }
        if let Some(Ty::Class(t)) = evidence.property_type(class.scope, name) {
            if has_coroutine_methods(&t) {
                types.insert(name.to_string(), t);
            }
        }
    }
    types
}

/// Parse a file just to summarise it (for files the prefilter spared in the first phase).
pub(crate) fn summarize_file(
    path: &Path,
    module: &ModulePath,
    roots: &rustc_hash::FxHashSet<String>,
) -> Option<FileSummary> {
    let text = crate::pipeline::source::read_file(path).ok()?;
    let parsed = parse_unchecked_source(&text, PySourceType::Python);
    if !parsed.errors().is_empty() {
        if exceeds_depth(parsed.syntax(), MAX_DEPTH) {
            std::mem::forget(parsed);
        }
        return None;
    }
    let semantic = Semantic::build(parsed.syntax());
    if semantic.too_deep {
        drop(semantic);
        std::mem::forget(parsed);
        return None;
    }
    Some(summarize(&semantic, module, roots))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn rewrapped(src: &str) -> Vec<String> {
        let parsed = parse_module(src).unwrap();
        let semantic = Semantic::build(parsed.syntax());
        let module = ModulePath {
            name: "pkg.sync".into(),
            is_package: false,
        };
        rewrapped_classes(&semantic, &module)
    }

    #[test]
    fn classes_rebound_by_computed_name() {
        // Directly, in a module-level loop.
        let direct = "from pkg.methods import Methods\nfor name in dir(Methods):\n    setattr(Methods, name, wrap(getattr(Methods, name)))\n";
        assert_eq!(rewrapped(direct), ["pkg.methods.Methods"]);
        // Through two functions' parameters (pyrogram's sync.py).
        let chain = "from .methods import Methods\nfrom . import types\n\ndef async_to_sync(obj, name):\n    def w():\n        pass\n    setattr(obj, name, w)\n\n\
                     def wrap(source):\n    for name in dir(source):\n        async_to_sync(source, name)\n\nclass Local:\n    pass\n\nwrap(Methods)\nwrap(Local)\nwrap(types)\n";
        assert_eq!(rewrapped(chain), ["pkg.methods.Methods", "pkg.sync.Local", "pkg.types"]);
        // A literal name, a local object, a nested function's parameter: none.
        let none = "from .methods import Methods\nsetattr(Methods, \"x\", 1)\n\ndef f(name):\n    obj = make()\n    setattr(obj, name, 1)\n\n\
                    def outer():\n    def inner(cls, name):\n        setattr(cls, name, 1)\n    inner(Methods, 'a')\n";
        assert!(rewrapped(none).is_empty());
    }
}
