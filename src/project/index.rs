//! The project index: what each module of the project defines at module level (functions,
//! classes with their bases and methods, re-exported imports), built from the same single
//! parse that finds the call sites, and queried after every file has been summarised.
//!
//! Module names come from the file layout: a file's module is its path below the nearest
//! folder that has no `__init__.py` (`src/pkg/sub/mod.py` with `pkg/__init__.py` and
//! `pkg/sub/__init__.py` → `pkg.sub.mod`). Summaries of files that were not parsed (the
//! prefilter spared them) are made on demand, the first time resolution reaches them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ruff_python_ast::{Decorator, Expr, PySourceType};
use ruff_python_parser::parse_unchecked_source;

use crate::model::semantic::{
    exceeds_depth, BindingKind, FunctionInfo, Resolved, ScopeId, Semantic, MAX_DEPTH, MODULE_SCOPE,
};
use crate::registry::Rule;

/// How many import hops and base classes resolution follows before giving up.
const MAX_HOPS: usize = 16;

/// Where a file stands in the project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModulePath {
    /// `pkg.sub.mod` (for `pkg/sub/__init__.py`: `pkg.sub`).
    pub name: String,
    /// The file is a package's `__init__.py`.
    pub is_package: bool,
}

impl ModulePath {
    /// Turn an import path as the semantic model records it (`.m.f` for `from .m import f`)
    /// into an absolute one.
    pub fn absolute(&self, qualified: &str) -> Option<String> {
        let dots = qualified.len() - qualified.trim_start_matches('.').len();
        if dots == 0 {
            return Some(qualified.to_string());
        }
        let mut parts: Vec<&str> = if self.name.is_empty() {
            Vec::new()
        } else {
            self.name.split('.').collect()
        };
        if !self.is_package {
            parts.pop()?;
        }
        for _ in 1..dots {
            parts.pop()?;
        }
        let rest = qualified.trim_start_matches('.');
        if !rest.is_empty() {
            parts.push(rest);
        }
        (!parts.is_empty()).then(|| parts.join("."))
    }
}

/// Module names for files. Which folders are packages is known from the discovered files
/// (a folder holding a discovered `__init__.py`); folders no discovered file is in are
/// looked up on disk.
#[derive(Default)]
pub struct ModuleNamer {
    /// Folders holding a discovered `__init__.py`.
    packages: HashSet<PathBuf>,
    /// Folders holding any discovered file.
    seen: HashSet<PathBuf>,
    /// Folders above a package that hold no discovered file: is each one a package? (Looked up
    /// on disk once, not once per file below.)
    above: HashMap<PathBuf, bool>,
}

impl ModuleNamer {
    pub fn new(files: &[PathBuf]) -> Self {
        let mut namer = Self::default();
        for file in files {
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            if file.file_name().is_some_and(|n| n == "__init__.py") {
                namer.packages.insert(dir.clone());
            }
            namer.seen.insert(dir);
        }
        for package in &namer.packages {
            let mut dir = package.parent();
            while let Some(d) = dir {
                if namer.seen.contains(d) || namer.above.contains_key(d) {
                    break;
                }
                let is_package = Self::has_init(d);
                namer.above.insert(d.to_path_buf(), is_package);
                if !is_package {
                    break;
                }
                dir = d.parent();
            }
        }
        namer
    }

    fn has_init(dir: &Path) -> bool {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.join("__init__.py").is_file()
    }

    pub fn module_path(&self, file: &Path) -> ModulePath {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let is_package = stem == "__init__";
        let mut parts: Vec<String> = if is_package { Vec::new() } else { vec![stem] };
        let mut dir = file.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if !self.is_package_dir(&d) {
                break;
            }
            match d.file_name() {
                Some(name) => parts.push(name.to_string_lossy().to_string()),
                None => break,
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        parts.reverse();
        ModulePath {
            name: parts.join("."),
            is_package,
        }
    }

    fn is_package_dir(&self, dir: &Path) -> bool {
        if self.seen.contains(dir) {
            return self.packages.contains(dir);
        }
        match self.above.get(dir) {
            Some(&is_package) => is_package,
            None => Self::has_init(dir),
        }
    }
}

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member {
    Method(FunctionFacts),
    /// An attribute, a nested class, or a name bound several ways.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    Function(FunctionFacts),
    Class(ClassFacts),
    /// An import, re-exported: the absolute name it stands for.
    Import(String),
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
    pub star_imports: Vec<String>,
    pub bound: HashSet<String>,
}

impl FileSummary {
    /// Where a name missing from `symbols` may come from: the star-imported modules, unless
    /// the module binds it itself, or it is private (not exported by `*` without `__all__`).
    fn star_sources(&self, name: &str) -> &[String] {
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
const PLAIN_BASES: &[&str] = &[
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
    module.absolute(&q)
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
            } => Symbol::Class(class_facts(semantic, i, module)),
            Resolved::Binding {
                kind: BindingKind::Import(q),
                ..
            } => match module.absolute(&q) {
                // Resolution never follows a name out of the project (`from typing import Any`).
                Some(q) if roots.contains(q.split('.').next().unwrap_or(&q)) => Symbol::Import(q),
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
    let star_imports: Vec<String> = semantic
        .star_imports
        .iter()
        .filter_map(|m| module.absolute(m))
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
    }
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
    for site in &semantic.calls {
        let Some(index) = semantic.direct_function(site.scope) else {
            continue;
        };
        let Some((_, flow)) = &mut flows[index] else {
            continue;
        };
        let is_sync = !flow.is_async;
        if is_sync && LoopStart::classify(semantic, site.call, site.scope).is_some() {
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
        }
    }
    // Only what the walk can use: coroutines (where it starts) and plain sync functions
    // that call on or start a loop.
    flows
        .into_iter()
        .flatten()
        .filter(|(_, f)| {
            if f.is_async {
                !f.calls.is_empty()
            } else {
                f.plain && (f.starts_loop || !f.calls.is_empty() || !f.blocking.is_empty())
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
    let class = semantic.classes.iter().find(|c| c.scope == f.parent_scope)?;
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
    }
}

/// Parse a file just to summarise it (for files the prefilter spared in the first phase).
fn summarize_file(path: &Path, module: &ModulePath, roots: &rustc_hash::FxHashSet<String>) -> Option<FileSummary> {
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

/// One module for [`ProjectIndex::new`]: its file, its name, its summary when it was parsed
/// in the first phase, and what it may bind when it was not.
pub type IndexEntry = (PathBuf, ModulePath, Option<Arc<FileSummary>>, Option<Arc<LazyHints>>);

/// What the word groups are made from: the summaries of the first phase, the class headers
/// of the files it did not parse, and the configured extra words.
type WordInputs = (Vec<Arc<FileSummary>>, Vec<(String, Vec<String>)>, Vec<String>);

struct ModuleEntry {
    path: PathBuf,
    module: ModulePath,
    /// For a file not parsed in the first phase, what it may bind (see [`LazyHints`]).
    hints: Option<Arc<LazyHints>>,
    summary: OnceLock<Option<Arc<FileSummary>>>,
}

/// A resolved callable: is it a coroutine function, and what does it return?
pub type Resolution = Option<FunctionFacts>;

/// Every module of the project, summarised now or on demand.
#[derive(Default)]
pub struct ProjectIndex {
    modules: rustc_hash::FxHashMap<String, ModuleEntry>,
    /// Identifiers a file must mention to call a coroutine function of the project
    /// (see [`ProjectIndex::word_groups`]).
    words: OnceLock<WordGroups>,
    word_inputs: WordInputs,
    /// See [`ProjectIndex::reached_loops`].
    reached: OnceLock<HashMap<(String, String), Vec<String>>>,
    /// The modules of `reached`.
    reached_modules: OnceLock<HashSet<String>>,
    /// See [`ProjectIndex::blocking_helper`]: filled as queries ask.
    helpers: std::sync::RwLock<rustc_hash::FxHashMap<CallRef, Option<Arc<BlockingHelper>>>>,
    /// Answers to questions (many call sites ask the same), filled as they are asked.
    answers: std::sync::RwLock<rustc_hash::FxHashMap<Query, bool>>,
    /// See [`ProjectIndex::star_names`]: filled as lookups ask.
    star_names: std::sync::RwLock<rustc_hash::FxHashMap<String, Arc<HashSet<String>>>>,
    /// The top-level names of the modules.
    roots: rustc_hash::FxHashSet<String>,
}

/// A plain sync function of the project that reaches blocking calls (see
/// [`ProjectIndex::blocking_helper`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingHelper {
    /// For each rule, the shortest chain from the function to a blocking call of that rule.
    pub reached: Vec<BlockingReach>,
}

/// A blocking call reached from a sync helper: the rule, the functions called on the way
/// (the helper first: `refresh`, `_download`) and the blocking call (`requests.get`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockingReach {
    pub rule: Rule,
    pub chain: Vec<String>,
    pub call: String,
}

/// What a question about the project answered, when the finding stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Holds,
    /// The functions called from a coroutine (first) to the function the finding is in (last).
    Chain(Vec<String>),
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProjectIndex({} modules)", self.modules.len())
    }
}

impl ProjectIndex {
    /// `files`: every module of the project, with the summary made in the first phase when
    /// the file was parsed then.
    /// `headers`: the class headers of the files that were not parsed.
    pub fn new(files: Vec<IndexEntry>, headers: &[(String, Vec<String>)], extra_words: &[String]) -> Self {
        let mut modules = rustc_hash::FxHashMap::default();
        let eager: Vec<Arc<FileSummary>> = files.iter().filter_map(|(_, _, s, _)| s.clone()).collect();
        for (path, module, summary, hints) in files {
            let cell = OnceLock::new();
            if let Some(summary) = summary {
                let _ = cell.set(Some(summary));
            }
            if module.name.is_empty() {
                continue;
            }
            // Two files claiming one module name (e.g. two scripts folders): neither is certain.
            match modules.entry(module.name.clone()) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    let entry: &mut ModuleEntry = e.get_mut();
                    entry.summary = OnceLock::from(None);
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(ModuleEntry {
                        path,
                        module,
                        hints,
                        summary: cell,
                    });
                }
            }
        }
        let roots = modules
            .keys()
            .filter_map(|m| m.split('.').next())
            .map(str::to_string)
            .collect();
        Self {
            modules,
            words: OnceLock::new(),
            word_inputs: (eager, headers.to_vec(), extra_words.to_vec()),
            reached: OnceLock::new(),
            reached_modules: OnceLock::new(),
            helpers: Default::default(),
            answers: Default::default(),
            star_names: Default::default(),
            roots,
        }
    }

    /// Does a file of module `module`, mentioning `words`, mention what it takes to call a
    /// coroutine function (or a task factory) of the project or of the curated table?
    pub fn mentions_coroutines(&self, words: &WordSet, module: &str) -> bool {
        self.word_groups().matches(words, module)
    }

    /// The word groups, computed on first use from the summaries made in the first phase
    /// (never from ones made on demand later, so the answer does not depend on timing).
    fn word_groups(&self) -> &WordGroups {
        self.words.get_or_init(|| {
            let (eager, headers, extra) = &self.word_inputs;
            let summaries: Vec<&FileSummary> = eager.iter().map(|s| &**s).collect();
            let mut unparsed: Vec<(&ModulePath, &LazyHints)> = self
                .modules
                .values()
                .filter_map(|entry| Some((&entry.module, entry.hints.as_deref()?)))
                .collect();
            unparsed.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            WordGroups::collect(
                &summaries,
                headers,
                extra,
                |q| self.roots.contains(q.split('.').next().unwrap_or(q)),
                &unparsed,
            )
        })
    }

    /// Do the project-wide work that later questions need (word groups, the walk from
    /// coroutines), so that it can run beside other work instead of holding it up.
    pub fn prepare(&self) {
        self.word_groups();
        self.reached_loops();
    }

    /// Can `module` bind `name` in a way that leads to a coroutine function or a task factory?
    /// Answered without parsing a module the first phase did not parse, from its hints.
    /// `any_def`: a plain sync function counts (for the walks through sync helpers).
    fn may_bind(&self, module: &str, name: &str, any_def: bool) -> bool {
        match self.modules.get(module) {
            Some(entry) => match (&entry.hints, entry.summary.get()) {
                (Some(hints), None) => hints.may_bind(name, any_def),
                _ => true,
            },
            None => true,
        }
    }

    /// Every name a lookup through the star imports of `module` could find: what the modules
    /// it star-imports (transitively) keep as symbols or call summaries, and their submodules.
    /// A superset (privacy and shadowing are not applied), so a name outside it is certainly
    /// not found there: the lookup stops instead of searching every star-imported module
    /// again for each name (a package star-importing dozens of modules that star-import it
    /// back made that most of the time on litellm).
    fn star_names(&self, module: &str) -> Arc<HashSet<String>> {
        if let Some(known) = self.star_names.read().expect("not poisoned").get(module) {
            return known.clone();
        }
        let mut names: HashSet<String> = HashSet::default();
        let mut seen: HashSet<String> = std::iter::once(module.to_string()).collect();
        let mut work: Vec<String> = self.summary(module).map(|s| s.star_imports.clone()).unwrap_or_default();
        while let Some(source) = work.pop() {
            if !seen.insert(source.clone()) {
                continue;
            }
            let prefix = format!("{source}.");
            names.extend(
                self.modules
                    .keys()
                    .filter_map(|m| m.strip_prefix(&prefix))
                    .map(|rest| rest.split('.').next().unwrap_or(rest).to_string()),
            );
            if let Some(summary) = self.summary(&source) {
                names.extend(summary.symbols.keys().cloned());
                names.extend(
                    summary
                        .flows
                        .keys()
                        .map(|f| f.split('.').next().unwrap_or(f).to_string()),
                );
                work.extend(summary.star_imports.iter().cloned());
            }
        }
        let names = Arc::new(names);
        self.star_names
            .write()
            .expect("not poisoned")
            .entry(module.to_string())
            .or_insert(names)
            .clone()
    }

    pub fn summary(&self, module: &str) -> Option<Arc<FileSummary>> {
        let entry = self.modules.get(module)?;
        entry
            .summary
            .get_or_init(|| summarize_file(&entry.path, &entry.module, &self.roots).map(Arc::new))
            .clone()
    }

    /// Resolution as seen from one module, whose own summary (of its current text) stands
    /// in for the index's entry: a module name shared by two files is still known to each.
    pub fn view<'a>(&'a self, own_name: &'a str, own: Option<Arc<FileSummary>>) -> View<'a> {
        // The usual case: the module's summary is the index's own (not a fixed text's, nor
        // one of two files sharing a module name). Answers are then the same from anywhere.
        let shared = match &own {
            None => true,
            Some(own) => self
                .modules
                .get(own_name)
                .and_then(|entry| entry.summary.get())
                .is_some_and(|s| s.as_ref().is_some_and(|s| Arc::ptr_eq(s, own))),
        };
        View {
            index: self,
            own_name,
            own,
            shared,
        }
    }

    /// Resolution with no module of its own.
    pub fn global(&self) -> View<'_> {
        self.view("", None)
    }
}

/// Resolution against the project index, from one module's point of view.
pub struct View<'a> {
    index: &'a ProjectIndex,
    own_name: &'a str,
    own: Option<Arc<FileSummary>>,
    /// Resolves as the index does (see [`ProjectIndex::view`]): answers can be shared.
    shared: bool,
}

/// What [`View::follow`] found a name bound to, in the module that binds it.
struct Bound<'b> {
    module: &'b str,
    /// The name (`Class` in `pkg.mod.Class.m`), and the names after it (`m`).
    name: &'b str,
    tail: &'b [&'b str],
    summary: &'b Arc<FileSummary>,
    /// `None`: a plain function (its flow) or nothing the summary keeps.
    symbol: Option<&'b Symbol>,
    /// The hops left.
    hops: usize,
}

impl View<'_> {
    fn summary(&self, module: &str) -> Option<Arc<FileSummary>> {
        if module == self.own_name {
            if let Some(own) = &self.own {
                return Some(own.clone());
            }
        }
        self.index.summary(module)
    }

    fn has_module(&self, module: &str) -> bool {
        (module == self.own_name && self.own.is_some()) || self.index.modules.contains_key(module)
    }

    /// The longest prefix of `qualified` that is a module of the project, and the rest.
    fn split_module<'q>(&self, qualified: &'q str) -> Option<(&'q str, Vec<&'q str>)> {
        let parts: Vec<&str> = qualified.split('.').collect();
        for i in (1..=parts.len()).rev() {
            let end: usize = parts[..i].iter().map(|p| p.len()).sum::<usize>() + i - 1;
            let module = &qualified[..end];
            if self.has_module(module) {
                return Some((module, parts[i..].to_vec()));
            }
        }
        None
    }

    /// What an absolute qualified name stands for: a function (`pkg.mod.f`), a method
    /// through its class (`pkg.mod.Class.m`), followed through re-exports.
    pub fn function(&self, qualified: &str) -> Resolution {
        self.function_hops(qualified, MAX_HOPS)
    }

    fn function_hops(&self, qualified: &str, hops: usize) -> Resolution {
        self.follow(qualified, hops, false, &|b| match b.symbol? {
            Symbol::Function(facts) if b.tail.is_empty() => Some(facts.clone()),
            Symbol::Class(_) if b.tail.len() == 1 => self.method(&format!("{}.{}", b.module, b.name), b.tail[0], false),
            _ => None,
        })
    }

    /// The lookup every resolver shares: split `qualified` into a module of the project and
    /// the names after it (`pkg.mod` + `Class.m`), follow re-exports (imports, and star imports
    /// for a name the module does not bind) at most `hops` times, and hand what the first
    /// name is bound to in its module to `found`. `any_def`: a plain sync function counts as
    /// bound (its flow; for the walks), in the module's hints too.
    fn follow<T>(&self, qualified: &str, hops: usize, any_def: bool, found: &dyn Fn(Bound) -> Option<T>) -> Option<T> {
        // Each name is followed once per lookup: star imports can form cycles and fan out
        // (a package's `__init__` star-importing two dozen modules that star-import it back),
        // and without this the lookup is exponential in the hops.
        let mut visited = HashSet::default();
        self.follow_from(qualified, hops, any_def, found, &mut visited)
    }

    fn follow_from<T>(
        &self,
        qualified: &str,
        hops: usize,
        any_def: bool,
        found: &dyn Fn(Bound) -> Option<T>,
        visited: &mut HashSet<String>,
    ) -> Option<T> {
        if hops == 0 {
            return None;
        }
        let (module, rest) = self.split_module(qualified)?;
        let (first, tail) = rest.split_first()?;
        // What one module binds a name to is looked up once: the tail does not change it.
        if !visited.insert(join(module, &[first])) {
            return None;
        }
        if module != self.own_name && !self.index.may_bind(module, first, any_def) {
            return None;
        }
        let summary = self.summary(module)?;
        let symbol = summary.symbols.get(*first);
        match symbol {
            None if !(any_def && summary.flows.contains_key(*first)) => {
                let sources = summary.star_sources(first);
                if sources.is_empty() || self.shared && !self.index.star_names(module).contains(*first) {
                    return None;
                }
                sources
                    .iter()
                    .find_map(|m| self.follow_from(&join(m, &rest), hops - 1, any_def, found, visited))
            }
            Some(Symbol::Import(target)) => self.follow_from(&join(target, tail), hops - 1, any_def, found, visited),
            _ => found(Bound {
                module,
                name: first,
                tail,
                summary: &summary,
                symbol,
                hops,
            }),
        }
    }

    /// The class an absolute qualified name stands for, followed through re-exports.
    pub fn class(&self, qualified: &str) -> Option<(String, ClassFacts)> {
        let (class_q, summary, name) = self.class_entry(qualified, MAX_HOPS)?;
        match summary.symbols.get(&name) {
            Some(Symbol::Class(facts)) => Some((class_q, facts.clone())),
            _ => None,
        }
    }

    /// Like [`Self::class`], without copying the facts: the class's qualified name, the
    /// summary of its module and its name there.
    fn class_entry(&self, qualified: &str, hops: usize) -> Option<(String, Arc<FileSummary>, String)> {
        self.follow(qualified, hops, false, &|b| match b.symbol? {
            Symbol::Class(_) if b.tail.is_empty() => Some((
                format!("{}.{}", b.module, b.name),
                b.summary.clone(),
                b.name.to_string(),
            )),
            _ => None,
        })
    }

    /// Where the function an absolute name stands for is defined: (module, flow name), through
    /// re-exports and, for `pkg.mod.Class.m`, the class's bases.
    pub fn locate(&self, qualified: &str) -> Option<(String, String)> {
        self.locate_hops(qualified, MAX_HOPS)
    }

    fn locate_hops(&self, qualified: &str, hops: usize) -> Option<(String, String)> {
        self.follow(qualified, hops, true, &|b| match b.symbol {
            Some(Symbol::Class(_)) if b.tail.len() == 1 => {
                self.locate_method(&format!("{}.{}", b.module, b.name), b.tail[0], b.hops - 1)
            }
            // Plain functions without annotations are not kept as symbols: their flow is.
            _ if b.tail.is_empty() && b.summary.flows.contains_key(b.name) => {
                Some((b.module.to_string(), b.name.to_string()))
            }
            _ => None,
        })
    }

    /// Where method `name` of (an instance of) `class` is defined: the class, then its bases.
    pub fn locate_method(&self, class: &str, name: &str, hops: usize) -> Option<(String, String)> {
        self.locate_method_in(class, name, hops, &mut HashSet::default())
    }

    /// [`Self::locate_method`], each class searched once (`visited`): a wide diamond of
    /// bases is not searched once per path through it.
    fn locate_method_in(
        &self,
        class: &str,
        name: &str,
        hops: usize,
        visited: &mut HashSet<String>,
    ) -> Option<(String, String)> {
        if hops == 0 {
            return None;
        }
        // The facts are read in place (a class's members can be many: no copy).
        let (class_q, summary, key) = self.class_entry(class, MAX_HOPS)?;
        if !visited.insert(class_q.clone()) {
            return None;
        }
        let Some(Symbol::Class(facts)) = summary.symbols.get(&key) else {
            return None;
        };
        if facts.instance_attributes.contains(name) {
            return None;
        }
        if facts.members.contains_key(name) {
            let (module, class_name) = class_q.rsplit_once('.')?;
            return Some((module.to_string(), format!("{class_name}.{name}")));
        }
        for base in &facts.bases {
            let base = base.as_deref()?;
            if PLAIN_BASES.contains(&base) {
                continue;
            }
            // The first base that defines it wins; one that cannot be resolved ends the search.
            self.class_entry(base, MAX_HOPS)?;
            if let Some(found) = self.locate_method_in(base, name, hops - 1, visited) {
                return Some(found);
            }
        }
        None
    }

    /// Method `name` as seen on an instance of `class` (or, with `skip_own`, through
    /// `super()` in it): the class itself, then its bases depth-first. `None` when it cannot
    /// be known (a base outside the project defines it, an instance attribute shadows it).
    pub fn method(&self, class: &str, name: &str, skip_own: bool) -> Resolution {
        let (_, summary, class_name) = self.class_entry(class, MAX_HOPS)?;
        let Some(Symbol::Class(facts)) = summary.symbols.get(&class_name) else {
            return None;
        };
        match self.find_method(facts, name, skip_own, MAX_HOPS, &mut HashSet::default()) {
            Ok(Some(member)) => match member {
                Member::Method(f) => Some(f),
                Member::Other => None,
            },
            _ => None,
        }
    }

    /// `Ok(Some)`: found; `Ok(None)`: certainly not defined; `Err`: cannot be known.
    /// `visited`: the bases searched already (a class reached twice through a diamond of
    /// bases was searched the first time).
    fn find_method(
        &self,
        class: &ClassFacts,
        name: &str,
        skip_own: bool,
        hops: usize,
        visited: &mut HashSet<String>,
    ) -> Result<Option<Member>, ()> {
        if hops == 0 {
            return Err(());
        }
        if !skip_own {
            if class.instance_attributes.contains(name) {
                return Err(());
            }
            if let Some(member) = class.members.get(name) {
                return Ok(Some(member.clone()));
            }
        }
        for base in &class.bases {
            let base = base.as_deref().ok_or(())?;
            if PLAIN_BASES.contains(&base) {
                continue;
            }
            // Read in place: the facts are not copied.
            let (base_q, summary, class_name) = self.class_entry(base, MAX_HOPS).ok_or(())?;
            if !visited.insert(base_q) {
                continue;
            }
            let Some(Symbol::Class(facts)) = summary.symbols.get(&class_name) else {
                return Err(());
            };
            if let Some(found) = self.find_method(facts, name, false, hops - 1, visited)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// `module` + `.a.b` for the parts `[a, b]`.
fn join(module: &str, parts: &[&str]) -> String {
    let mut q = module.to_string();
    for part in parts {
        q.push('.');
        q.push_str(part);
    }
    q
}

/// A question about the project that decides whether a finding stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// `pkg.mod.f` (or `pkg.mod.Class.m`) is a coroutine function.
    CoroutineFunction(String),
    /// Method `name` on an instance of `class` (through `super()` with `skip_own`) is a
    /// coroutine function.
    CoroutineMethod {
        class: String,
        name: String,
        skip_own: bool,
    },
    /// Method `name` on what `callee(...)` returns is a coroutine function: `callee` is a
    /// class of the project, or a function whose return annotation names a class.
    CoroutineMethodOnCall { callee: String, name: String },
    /// `pkg.mod.f` (or `pkg.mod.Class.m`) returns a new task it keeps no reference to.
    TaskFactory(String),
    /// Method `name` on an instance of `class` returns a new task it keeps no reference to.
    TaskFactoryMethod { class: String, name: String },
    /// The sync function `flow` of `module` (which starts an event loop) is reached from a
    /// coroutine through direct calls; the answer names the chain.
    LoopStartReached { module: String, flow: String },
    /// `callee`, called from a coroutine, is a plain sync function of the project that
    /// reaches a blocking call of `rule` through direct calls (see
    /// [`ProjectIndex::blocking_helper`]); the answer is the message, naming the chain.
    BlockingReached { callee: CallRef, rules: Vec<Rule> },
}

impl Query {
    /// `Some(answer)` when the finding stands.
    pub fn answer(&self, index: &View) -> Option<Answer> {
        if let Query::LoopStartReached { module, flow } = self {
            return index
                .index
                .reached_loops()
                .get(&(module.clone(), flow.clone()))
                .cloned()
                .map(Answer::Chain);
        }
        if !index.shared {
            return self.holds(index).then_some(Answer::Holds);
        }
        let known = index.index.answers.read().expect("not poisoned").get(self).copied();
        let holds = known.unwrap_or_else(|| {
            let holds = self.holds(index);
            index
                .index
                .answers
                .write()
                .expect("not poisoned")
                .insert(self.clone(), holds);
            holds
        });
        holds.then_some(Answer::Holds)
    }

    fn holds(&self, index: &View) -> bool {
        let is_coroutine = |r: Resolution| r.is_some_and(|f| f.kind == CallableKind::Coroutine);
        match self {
            Query::CoroutineFunction(q) => is_coroutine(index.function(q)),
            Query::CoroutineMethod { class, name, skip_own } => is_coroutine(index.method(class, name, *skip_own)),
            Query::TaskFactory(q) => index.function(q).is_some_and(|f| f.returns_task),
            Query::TaskFactoryMethod { class, name } => {
                index.method(class, name, false).is_some_and(|f| f.returns_task)
            }
            Query::CoroutineMethodOnCall { callee, name } => {
                if index.class_entry(callee, MAX_HOPS).is_some() {
                    return is_coroutine(index.method(callee, name, false));
                }
                let Some(returns) = index.function(callee).and_then(|f| f.returns) else {
                    return false;
                };
                let canonical = crate::knowledge::coroutines::canonical(&returns);
                match crate::knowledge::coroutines::is_coroutine_method(&canonical, name) {
                    Some(known) => known,
                    None => is_coroutine(index.method(&returns, name, false)),
                }
            }
            Query::LoopStartReached { .. } | Query::BlockingReached { .. } => false,
        }
    }
}

/// The answers to [`Query::BlockingReached`]: for each of `rules` that a blocking call
/// reached from `callee` belongs to, the shortest chain.
pub fn blocking_answers(index: &View, callee: &CallRef, rules: &[Rule]) -> Vec<BlockingReach> {
    let Some(helper) = index.index.blocking_helper(callee) else {
        return Vec::new();
    };
    rules
        .iter()
        .filter_map(|rule| helper.reached.iter().find(|r| r.rule == *rule).cloned())
        .collect()
}

/// How many calls deep the walk from a coroutine into sync helpers goes.
const MAX_WALK_DEPTH: usize = 3;

impl ProjectIndex {
    /// Sync functions that start an event loop and that a coroutine reaches through direct
    /// calls (at most [`MAX_WALK_DEPTH`] deep, through plain sync functions only), by
    /// (module, flow name), each with the shortest chain (the coroutine first).
    pub fn reached_loops(&self) -> &HashMap<(String, String), Vec<String>> {
        self.reached.get_or_init(|| self.walk_from_coroutines())
    }

    /// What `callee` (a call in a coroutine) is, if it is a plain sync function of the
    /// project that reaches blocking calls: in its own body, or through direct calls of plain
    /// sync functions of the project, at most [`MAX_WALK_DEPTH`] functions deep (itself
    /// included). Resolved once per callee, when a query first asks.
    pub fn blocking_helper(&self, callee: &CallRef) -> Option<Arc<BlockingHelper>> {
        if let Some(known) = self.helpers.read().expect("not poisoned").get(callee) {
            return known.clone();
        }
        let view = self.global();
        let target = match callee {
            CallRef::Function(q) => view.locate(q),
            CallRef::Method { class, name } => view.locate_method(class, name, MAX_HOPS),
        };
        let helper = target.and_then(|target| {
            let reached = self.walk_to_blocking(&target);
            (!reached.is_empty()).then(|| Arc::new(BlockingHelper { reached }))
        });
        self.helpers
            .write()
            .expect("not poisoned")
            .entry(callee.clone())
            .or_insert(helper)
            .clone()
    }

    /// For each rule, the shortest chain from `start` (a plain sync function) through plain
    /// sync functions to a blocking call (calls in source order break ties).
    fn walk_to_blocking(&self, start: &(String, String)) -> Vec<BlockingReach> {
        let mut found: Vec<BlockingReach> = Vec::new();
        let start_is_plain_sync = self
            .summary(&start.0)
            .and_then(|s| s.flows.get(&start.1).map(|f| !f.is_async && f.plain))
            .unwrap_or(false);
        if !start_is_plain_sync {
            return found;
        }
        self.reach(vec![start.clone()], MAX_WALK_DEPTH, |_, flow, chain| {
            for (rule, name) in &flow.blocking {
                if !found.iter().any(|r| r.rule == *rule) {
                    found.push(BlockingReach {
                        rule: *rule,
                        chain: chain.to_vec(),
                        call: name.clone(),
                    });
                }
            }
        });
        found
    }

    /// The modules of [`Self::reached_loops`].
    pub fn has_reached_loop(&self, module: &str) -> bool {
        self.reached_modules
            .get_or_init(|| self.reached_loops().keys().map(|(m, _)| m.clone()).collect())
            .contains(module)
    }

    fn walk_from_coroutines(&self) -> HashMap<(String, String), Vec<String>> {
        let mut roots: Vec<(String, String)> = Vec::new();
        for (name, entry) in &self.modules {
            if let Some(Some(summary)) = entry.summary.get() {
                for (flow, f) in &summary.flows {
                    if f.is_async {
                        roots.push((name.clone(), flow.clone()));
                    }
                }
            }
        }
        roots.sort();
        let mut reached = HashMap::default();
        // A coroutine and at most `MAX_WALK_DEPTH` sync functions below it.
        self.reach(roots, MAX_WALK_DEPTH + 1, |node, flow, chain| {
            if chain.len() > 1 && flow.starts_loop {
                reached.entry(node.clone()).or_insert_with(|| chain.to_vec());
            }
        });
        reached
    }

    /// The call-graph walk every project question shares: breadth first from `starts` along
    /// direct calls into plain sync functions of the project (never into coroutines, nor
    /// into functions under decorators that may run them elsewhere), each function once
    /// (a visited set: cycles end), at most `max_len` functions long counting the start.
    /// `visit` sees every function reached, with the shortest chain to it (starts first,
    /// then calls in source order).
    fn reach(
        &self,
        starts: Vec<(String, String)>,
        max_len: usize,
        mut visit: impl FnMut(&(String, String), &Flow, &[String]),
    ) {
        use std::collections::VecDeque;
        let view = self.global();
        let mut seen: HashSet<(String, String)> = starts.iter().cloned().collect();
        let mut queue: VecDeque<((String, String), Vec<String>)> = starts
            .into_iter()
            .map(|start| {
                let name = start.1.clone();
                (start, vec![name])
            })
            .collect();
        while let Some((node, chain)) = queue.pop_front() {
            let Some(summary) = self.summary(&node.0) else {
                continue;
            };
            let Some(flow) = summary.flows.get(&node.1) else {
                continue;
            };
            visit(&node, flow, &chain);
            if chain.len() >= max_len {
                continue;
            }
            for call in &flow.calls {
                let target = match call {
                    CallRef::Function(q) => view.locate(q),
                    CallRef::Method { class, name } => view.locate_method(class, name, MAX_HOPS),
                };
                let Some(target) = target else {
                    continue;
                };
                let sync_plain = self
                    .summary(&target.0)
                    .is_some_and(|s| s.flows.get(&target.1).is_some_and(|t| !t.is_async && t.plain));
                if sync_plain && seen.insert(target.clone()) {
                    let mut next = chain.clone();
                    next.push(target.1.clone());
                    queue.push_back((target, next));
                }
            }
        }
    }
}

/// What a file that was not parsed in the first phase can bind at module level that matters to
/// a question about the project: such a file contains neither `async` nor `create_task` /
/// `ensure_future`, so it defines no coroutine function or task factory itself; only a name it
/// imports (a re-export), a class (whose bases may define one), a `def` with a return
/// annotation (a factory whose result's methods are called) or, for the walks, any `def` (a
/// sync helper) can matter. Found by a byte scan; a star import means anything may come
/// through.
#[derive(Debug, Clone, Default)]
pub struct LazyHints {
    /// Imported names, classes and annotated `def`s, as [`word_hash`]es (a collision only
    /// costs a parse).
    names: rustc_hash::FxHashSet<u64>,
    /// The other module-level `def`s.
    defs: rustc_hash::FxHashSet<u64>,
    star: bool,
    /// `from m import a as b`: the absolute name imported (`pkg.m.a`) and `a`, as
    /// [`word_hash`]es, and `b`: what the module may re-export, under which name.
    from_imports: Vec<(u64, u64, Box<str>)>,
    /// Every identifier the file mentions.
    pub words: WordSet,
}

impl LazyHints {
    /// `module`: the file's module (relative imports are made absolute against it).
    pub fn of(text: &str, classes: &[(String, Vec<String>)], module: &ModulePath) -> Self {
        let mut hints = LazyHints {
            words: WordSet::of(text),
            ..LazyHints::default()
        };
        hints
            .names
            .extend(classes.iter().map(|(name, _)| word_hash(name.as_bytes())));
        let bytes = text.as_bytes();
        let name_len = |rest: &[u8]| {
            rest.iter()
                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80))
                .unwrap_or(rest.len())
        };
        // Module-level `def`s: at the start of a line.
        for pos in memchr::memmem::find_iter(bytes, b"def ") {
            if pos > 0 && bytes[pos - 1] != b'\n' {
                continue;
            }
            let rest = &bytes[pos + "def ".len()..];
            let len = name_len(rest);
            let hash = word_hash(&rest[..len]);
            if returns_annotated(&rest[len..]) {
                hints.names.insert(hash);
            } else {
                hints.defs.insert(hash);
            }
        }
        // Imports: the statements of the lines starting with `import` or `from`, seen from
        // each `import` keyword (`from m import(a, b)` too).
        let mut done = 0;
        for pos in memchr::memmem::find_iter(bytes, b"import") {
            if pos < done || bytes.get(pos + "import".len()).is_some_and(|&c| name_len(&[c]) == 1) {
                continue;
            }
            let line_start = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
            let line = text[line_start..].trim_start_matches([' ', '\t']);
            if !(line.starts_with("import") || line.starts_with("from")) {
                continue;
            }
            done = statement_end(bytes, pos);
            let statement = &text[line.as_ptr() as usize - text.as_ptr() as usize..done];
            hints.add_imports(statement, module);
        }
        hints
    }

    /// The names bound by `import ...` / `from ... import ...` statements (`;`-separated,
    /// across parentheses and backslash continuations).
    fn add_imports(&mut self, statements: &str, module: &ModulePath) {
        let cleaned = statements
            .lines()
            .map(|l| l.split('#').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['(', ')', '\\'], " ");
        for statement in cleaned.split(';') {
            let statement = statement.trim_start();
            let (names, from) = if let Some(rest) = statement.strip_prefix("import") {
                (rest, None)
            } else if let Some(from) = statement.strip_prefix("from") {
                match from.find(" import ") {
                    Some(i) => (&from[i + " import ".len()..], Some(from[..i].trim())),
                    None => continue,
                }
            } else {
                continue;
            };
            for part in names.split(',') {
                let words: Vec<&str> = part.split_whitespace().collect();
                let (imported, name) = match words.as_slice() {
                    ["*", ..] => {
                        self.star = true;
                        continue;
                    }
                    [imported, "as", alias, ..] => (imported, alias),
                    [name, ..] => (name, &name.split('.').next().unwrap_or(name)),
                    [] => continue,
                };
                self.names.insert(word_hash(name.as_bytes()));
                // `from . import a` → `.a`; `from .m import a` → `.m.a`.
                let separator = if from.is_some_and(|m| m.bytes().all(|b| b == b'.')) {
                    ""
                } else {
                    "."
                };
                let target = from.and_then(|m| module.absolute(&format!("{m}{separator}{imported}")));
                if let Some(target) = target {
                    let hashes = (word_hash(target.as_bytes()), word_hash(imported.as_bytes()));
                    self.from_imports.push((hashes.0, hashes.1, (*name).into()));
                }
            }
        }
    }

    /// May the module bind `name` to something a question can be about? `any_def`: a plain
    /// sync function counts (for the walks through sync helpers).
    fn may_bind(&self, name: &str, any_def: bool) -> bool {
        let hash = word_hash(name.as_bytes());
        self.star || self.names.contains(&hash) || any_def && self.defs.contains(&hash)
    }
}

/// Does the signature after `def name` (`(x, y=(1, 2)) -> T:`) have a return annotation?
/// When the byte scan cannot tell (a string or comment in it), yes.
fn returns_annotated(signature: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < signature.len() {
        match signature[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\'' | b'"' | b'#' => return true,
            b'-' if depth == 0 && signature.get(i + 1) == Some(&b'>') => return true,
            b':' if depth == 0 => return false,
            _ => {}
        }
        i += 1;
    }
    true
}

/// Where the statement containing `pos` ends: its line's end, or further while a parenthesis
/// is open or the line ends with a backslash.
fn statement_end(bytes: &[u8], pos: usize) -> usize {
    let mut depth = 0usize;
    let mut i = pos;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'#' => {
                // A comment runs to the end of the line.
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |j| i + j);
                continue;
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\r') => i += 2,
            b'\n' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// `class Name(Base, ...)` headers found by a byte scan of a file that was not parsed: enough
/// to follow inheritance for the prefilter.
pub fn class_headers(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    for pos in memchr::memmem::find_iter(bytes, b"class ") {
        // At the start of a line, after indentation.
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        if !text[line_start..pos].chars().all(|c| c == ' ' || c == '\t') {
            continue;
        }
        let rest = &text[pos + "class ".len()..];
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        let Some(args) = after.strip_prefix('(') else {
            // `class Name:` has no bases, but is a class all the same.
            if !name.is_empty() && after.starts_with(':') {
                out.push((name.to_string(), Vec::new()));
            }
            continue;
        };
        let end = args.find(')').unwrap_or(args.len());
        let bases = args[..end]
            .split(',')
            .filter_map(|b| {
                let b = b.trim();
                let b = b.split('[').next().unwrap_or(b);
                (!b.is_empty() && !b.contains('=')).then(|| b.rsplit('.').next().unwrap_or(b).to_string())
            })
            .collect();
        if !name.is_empty() {
            out.push((name.to_string(), bases));
        }
    }
    out
}

/// What a file without `async` must mention to call a coroutine function (or a task factory)
/// of the project or of the curated libraries; a file mentioning none is not read again.
/// Words are kept as [`word_hash`]es.
struct WordGroup {
    /// Identifiers the file must mention.
    words: Vec<u64>,
    /// Identifiers one of which the file must call (followed by `(`; see [`WordSet`]): the
    /// functions or methods whose call would be the finding. Empty: no call needed.
    called: Vec<u64>,
    /// The module defining the function called (`pkg.api` for `pkg.api.notify`): a file
    /// reaches it through its last name (`api`) and its package's (`pkg`), except where a
    /// relative import stands for them: a file inside the package need not name it.
    module: Option<Arc<ModuleScope>>,
}

/// For a module `pkg.sub.api`: (`pkg.sub.api`, `api`) and (`pkg.sub`, `sub`): each name must be
/// mentioned unless the file is inside that package.
type ModuleScope = Vec<(String, u64)>;

/// `c` for `a.b.c`.
fn last_name(qualified: &str) -> &str {
    qualified.rsplit('.').next().unwrap_or(qualified)
}

fn module_scope(module: &ModulePath) -> Option<Arc<ModuleScope>> {
    if module.name.is_empty() {
        return None;
    }
    let last = |m: &str| word_hash(m.rsplit('.').next().unwrap_or(m).as_bytes());
    let mut scope = vec![(module.name.clone(), last(&module.name))];
    if let Some((package, _)) = module.name.rsplit_once('.') {
        scope.push((package.to_string(), last(package)));
    }
    Some(Arc::new(scope))
}

impl WordGroup {
    /// Does a file of module `file_module`, mentioning `words`, match?
    fn matches(&self, words: &WordSet, file_module: &str) -> bool {
        self.words.iter().all(|&h| words.contains(h))
            && (self.called.is_empty() || self.called.iter().any(|&h| words.contains(h ^ CALLED)))
            && self.module.iter().flat_map(|m| m.iter()).all(|(package, h)| {
                words.contains(*h)
                    || file_module
                        .strip_prefix(package.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
    }
}

/// Word groups, indexed by the word every file matching them must mention (the called one
/// for a module function).
#[derive(Default)]
struct WordGroups {
    groups: Vec<WordGroup>,
    by_key: rustc_hash::FxHashMap<u64, Vec<usize>>,
    /// A bit per key (by the top bits of its hash): most words of a file are no key, and
    /// this says so without a map lookup.
    key_bits: Vec<u64>,
}

/// How many bits [`WordGroups::key_bits`] has, as a power of two.
const KEY_BITS: u32 = 18;

fn key_bit(hash: u64) -> (usize, u64) {
    let bit = (hash >> (64 - KEY_BITS)) as usize;
    (bit / 64, 1 << (bit % 64))
}

impl WordGroups {
    /// Mentioning `words` (none may contain `async`: a file without `async` cannot mention
    /// it, and the group is dropped) and calling one of `called`.
    fn push(&mut self, words: &[&str], called: &[&str], module: Option<Arc<ModuleScope>>) {
        if words.iter().any(|w| w.is_empty() || w.contains("async")) {
            return;
        }
        let callable: Vec<u64> = called
            .iter()
            .filter(|c| !c.is_empty() && !c.contains("async"))
            .map(|c| word_hash(c.as_bytes()))
            .collect();
        // Calls a file without `async` cannot make: no group.
        if callable.is_empty() && !called.is_empty() {
            return;
        }
        let words = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        self.push_hashed(words, callable, module);
    }

    /// [`Self::push`], with the words as hashes (they contain no `async`).
    fn push_hashed(&mut self, words: Vec<u64>, called: Vec<u64>, module: Option<Arc<ModuleScope>>) {
        let key = match (words.first(), called.as_slice()) {
            (Some(&first), _) => first,
            (None, [one]) => one ^ CALLED,
            _ => return,
        };
        if self.key_bits.is_empty() {
            self.key_bits = vec![0; (1 << KEY_BITS) / 64];
        }
        let (word, bit) = key_bit(key);
        self.key_bits[word] |= bit;
        self.by_key.entry(key).or_default().push(self.groups.len());
        self.groups.push(WordGroup { words, called, module });
    }

    /// Does a file of module `file_module`, mentioning `words`, match some group?
    fn matches(&self, words: &WordSet, file_module: &str) -> bool {
        if self.key_bits.is_empty() {
            return false;
        }
        words.0.iter().any(|&w| {
            let (word, bit) = key_bit(w);
            self.key_bits[word] & bit != 0
                && self
                    .by_key
                    .get(&w)
                    .is_some_and(|ids| ids.iter().any(|&id| self.groups[id].matches(words, file_module)))
        })
    }

    /// The groups of identifiers that a file without `async` must mention to call a
    /// coroutine function of the project or of the curated libraries:
    /// - a module-level coroutine function (or task factory), called, with its module's and
    ///   package's last names unless a relative import can stand for them (`notify(` and
    ///   `api` for `from .api import notify` or `api.notify()`), and likewise for re-exports
    ///   under any name;
    /// - a class with coroutine methods (its own or inherited, followed by name through every
    ///   class of the project, parsed or only scanned) with one of those methods called
    ///   (`Client` and `send(`, for a subclass calling `self.send()` or for `Client.send(...)`);
    /// - a function returning such a class (or a curated type), called, as a module function;
    /// - the curated libraries (`aiohttp`, `websockets`, `anyio`, `trio`) and configured extras.
    ///
    /// `is_project`: does an absolute name point into the project?
    ///
    /// `unparsed`: the modules the first phase did not parse, with their hints: a name they
    /// import from a coroutine function's (or such a class's) name is re-exported as well,
    /// as a package's `__init__.py` often does.
    fn collect(
        summaries: &[&FileSummary],
        headers: &[(String, Vec<String>)],
        extra: &[String],
        is_project: impl Fn(&str) -> bool,
        unparsed: &[(&ModulePath, &LazyHints)],
    ) -> Self {
        let mut out = Self::default();
        for word in ["aiohttp", "websockets", "anyio", "trio"] {
            out.push(&[word], &[], None);
        }
        for word in extra {
            out.push(&[word], &[], None);
        }
        let scopes: Vec<Option<Arc<ModuleScope>>> = summaries.iter().map(|s| module_scope(&s.module)).collect();
        let mut coroutine_functions: HashSet<String> = HashSet::default();
        // Class name → coroutine method names (own, then inherited); base name → classes.
        let mut inherited: HashMap<&str, HashSet<&str>> = HashMap::default();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::default();
        for (summary, scope) in summaries.iter().zip(&scopes) {
            for (name, symbol) in &summary.symbols {
                match symbol {
                    Symbol::Function(f) if f.kind == CallableKind::Coroutine || f.returns_task => {
                        coroutine_functions.insert(join(&summary.module.name, &[name.as_str()]));
                        out.push(&[], &[name], scope.clone());
                    }
                    Symbol::Class(c) => {
                        let methods: HashSet<&str> = c
                            .members
                            .iter()
                            .filter(|(_, m)| {
                                matches!(m, Member::Method(f) if f.kind == CallableKind::Coroutine || f.returns_task)
                            })
                            .map(|(n, _)| n.as_str())
                            .collect();
                        if !methods.is_empty() {
                            inherited.entry(name).or_default().extend(methods);
                        }
                        // A base outside the project (`threading.Thread`) inherits nothing
                        // from it, whatever its name. (A name that did not resolve, as
                        // `builtins.Base` from a star import, may.)
                        let inherits = |b: &&String| is_project(b) || b.starts_with("builtins.");
                        for base in c.bases.iter().flatten().filter(inherits) {
                            children.entry(last_name(base)).or_default().push(name);
                        }
                    }
                    _ => {}
                }
            }
        }
        for (name, bases) in headers {
            for base in bases {
                children.entry(last_name(base)).or_default().push(name);
            }
        }
        // Inherit coroutine method names along bases (by name), to a fixed point.
        let mut work: Vec<&str> = inherited.keys().copied().collect();
        while let Some(base) = work.pop() {
            let Some(kids) = children.get(base) else {
                continue;
            };
            let methods: Vec<&str> = inherited[base].iter().copied().collect();
            for &kid in kids {
                let set = inherited.entry(kid).or_default();
                let before = set.len();
                set.extend(methods.iter().copied());
                if set.len() != before {
                    work.push(kid);
                }
            }
        }
        for (class, methods) in &inherited {
            let methods: Vec<&str> = methods.iter().copied().collect();
            out.push(&[class], &methods, None);
        }
        // Re-exports of coroutine functions, by absolute name, to a fixed point (a chain of
        // re-exports is as long as `MAX_HOPS` at most).
        let imports: Vec<(&str, &str, usize)> = summaries
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                s.symbols.iter().filter_map(move |(name, symbol)| match symbol {
                    Symbol::Import(target) => Some((name.as_str(), target.as_str(), i)),
                    _ => None,
                })
            })
            .collect();
        for _ in 0..MAX_HOPS {
            let before = coroutine_functions.len();
            for &(name, target, i) in &imports {
                if coroutine_functions.contains(target) {
                    coroutine_functions.insert(join(&summaries[i].module.name, &[name]));
                }
            }
            if coroutine_functions.len() == before {
                break;
            }
        }
        for &(name, target, i) in &imports {
            // A re-export: callers name this module and the name it gives (and, for a class,
            // call one of its methods).
            if let Some(methods) = inherited.get(last_name(target)) {
                let methods: Vec<&str> = methods.iter().copied().collect();
                out.push(&[name], &methods, scopes[i].clone());
            }
            if coroutine_functions.contains(target) {
                out.push(&[], &[name], scopes[i].clone());
            }
        }
        // Factories of such classes (or of curated types), called.
        let mut factories: Vec<String> = Vec::new();
        for (summary, scope) in summaries.iter().zip(&scopes) {
            for (name, symbol) in &summary.symbols {
                if let Symbol::Function(f) = symbol {
                    let factory = f.returns.as_deref().is_some_and(|r| {
                        inherited.contains_key(last_name(r))
                            || crate::knowledge::coroutines::is_known_type(&crate::knowledge::coroutines::canonical(r))
                    });
                    if factory {
                        factories.push(join(&summary.module.name, &[name.as_str()]));
                        out.push(&[], &[name], scope.clone());
                    }
                }
            }
        }
        // Re-exports by modules that were not parsed, by name (their hints know no more), to
        // a fixed point: functions called under the name they give, classes with the
        // methods they pass on.
        let mut functions: HashSet<u64> = coroutine_functions
            .iter()
            .chain(&factories)
            .map(|q| word_hash(q.as_bytes()))
            .collect();
        let mut classes: HashMap<u64, Vec<u64>> = HashMap::default();
        for group in &out.groups {
            if let ([class], false) = (group.words.as_slice(), group.called.is_empty()) {
                classes.entry(*class).or_default().extend(&group.called);
            }
        }
        for methods in classes.values_mut() {
            methods.sort_unstable();
            methods.dedup();
        }
        let mut done: HashSet<(usize, u64)> = HashSet::default();
        for _ in 0..MAX_HOPS {
            let before = done.len();
            for (i, (module, hints)) in unparsed.iter().enumerate() {
                for (target, imported, name) in &hints.from_imports {
                    let bound = word_hash(name.as_bytes());
                    let function = functions.contains(target);
                    let methods = classes.get(imported).cloned();
                    if !(function || methods.is_some()) || !done.insert((i, bound)) {
                        continue;
                    }
                    let scope = module_scope(module);
                    if function {
                        functions.insert(word_hash(join(&module.name, &[name]).as_bytes()));
                        out.push_hashed(Vec::new(), vec![bound], scope.clone());
                    }
                    // (Under its own name, the class's group covers it already.)
                    if let Some(methods) = methods.filter(|_| bound != *imported) {
                        let known = classes.entry(bound).or_default();
                        known.extend(&methods);
                        known.sort_unstable();
                        known.dedup();
                        out.push_hashed(vec![bound], methods, scope);
                    }
                }
            }
            if done.len() == before {
                break;
            }
        }
        out
    }
}

/// The distinct identifiers of a text, as 64-bit hashes (sorted): what the prefilter keeps
/// of a file it did not parse. An identifier followed by `(` (across white space, as in a
/// call), by `#` or by `as` (an import under another name) is kept a second time as called
/// (its hash salted with [`CALLED`]). A hash collision can only make a file look relevant
/// (and be parsed), never the reverse.
#[derive(Debug, Clone, Default)]
pub struct WordSet(Vec<u64>);

/// Marks the hash of an identifier that is called (see [`WordSet`]).
const CALLED: u64 = 0x9e37_79b9_7f4a_7c15;

impl WordSet {
    pub fn of(text: &str) -> Self {
        // Most identifiers repeat (`self`, `return`, ...): a small direct-mapped cache skips
        // most repeats before the distinct hashes are sorted.
        let mut hashes = Vec::new();
        let mut recent = [0u64; 1024];
        let mut add = |hash: u64| {
            let slot = &mut recent[(hash >> 54) as usize];
            if *slot != hash {
                *slot = hash;
                hashes.push(hash);
            }
        };
        crate::project::words::for_each_identifier(text, |word, called| {
            let hash = word_hash(word);
            add(hash);
            if called {
                add(hash ^ CALLED);
            }
        });
        hashes.sort_unstable();
        hashes.dedup();
        hashes.shrink_to_fit();
        Self(hashes)
    }

    fn contains(&self, hash: u64) -> bool {
        self.0.binary_search(&hash).is_ok()
    }
}

fn word_hash(word: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(word);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lazy_hints() {
        let text = "import os.path\nimport a.b as c\nfrom .m import (\n    x,\n    y as z,  # note\n)\nfrom q import r; from s import t\nimport u; import v\nfrom w import(w1, w2)\nLOGGER = 1\nimportant = 2\n";
        let module = ModulePath {
            name: "pkg.m".into(),
            is_package: false,
        };
        let hints = LazyHints::of(text, &[("K".into(), vec![])], &module);
        for name in ["os", "c", "x", "z", "r", "t", "u", "v", "w1", "w2", "K"] {
            assert!(hints.may_bind(name, false), "{name}");
        }
        for name in ["LOGGER", "y", "a", "path", "import", "important", "w"] {
            assert!(!hints.may_bind(name, true), "{name}");
        }
        assert!(LazyHints::of("from m import *\n", &[], &module).may_bind("anything", false));
        let defs = LazyHints::of(
            "def helper(x):\n    def inner(): pass\ndef make(x=(1, 2)) -> Client:\n    pass\n\
             def odd(x='):'):\n    pass\ndef plain(\n    x: int = 1,\n):\n    pass\n",
            &[],
            &module,
        );
        // Any module-level `def` for the walks; only annotated ones (or where the scan
        // cannot tell) for questions about what a call returns.
        for name in ["helper", "make", "odd", "plain"] {
            assert!(defs.may_bind(name, true), "{name}");
        }
        assert!(!defs.may_bind("inner", true));
        for name in ["make", "odd"] {
            assert!(defs.may_bind(name, false), "{name}");
        }
        for name in ["helper", "plain"] {
            assert!(!defs.may_bind(name, false), "{name}");
        }
    }

    #[test]
    fn absolute_names() {
        let m = ModulePath {
            name: "a.b.c".into(),
            is_package: false,
        };
        assert_eq!(m.absolute(".m.f").as_deref(), Some("a.b.m.f"));
        assert_eq!(m.absolute("..m").as_deref(), Some("a.m"));
        assert_eq!(m.absolute(".").as_deref(), Some("a.b"));
        assert_eq!(m.absolute("x.y").as_deref(), Some("x.y"));
        assert_eq!(m.absolute("....x"), None);
        let p = ModulePath {
            name: "a.b".into(),
            is_package: true,
        };
        assert_eq!(p.absolute(".m").as_deref(), Some("a.b.m"));
        assert_eq!(p.absolute("..m").as_deref(), Some("a.m"));
    }

    fn index(files: &[(&str, &str)]) -> ProjectIndex {
        let parsed: Vec<_> = files
            .iter()
            .map(|(name, src)| {
                let module = ModulePath {
                    name: name.trim_end_matches(".__init__").to_string(),
                    is_package: name.ends_with("__init__"),
                };
                let p = ruff_python_parser::parse_module(src).unwrap();
                let sem = Semantic::build(p.syntax());
                let roots = std::iter::once(name.split('.').next().unwrap_or(name).to_string()).collect();
                let summary = summarize(&sem, &module, &roots);
                (PathBuf::from(name), module, Some(Arc::new(summary)), None)
            })
            .collect();
        ProjectIndex::new(parsed, &[], &[])
    }

    #[test]
    fn resolution() {
        let idx = index(&[
            (
                "pkg.base",
                "class Base:\n    async def send(self): pass\n    def close(self): pass\n    async def gen(self):\n        yield 1\n",
            ),
            ("pkg.__init__", "from .api import fetch as get\n"),
            (
                "pkg.api",
                "import contextlib\nasync def fetch(): pass\n@contextlib.asynccontextmanager\nasync def cm(): yield\nclass Child(pkg.base.Base):\n    pass\n",
            ),
            (
                "pkg.child",
                "from .base import Base\nclass C(Base):\n    def send(self): pass\nclass D(Base):\n    def __init__(self):\n        self.send = None\nclass E(Unknown, Base):\n    pass\n",
            ),
        ]);
        let index = idx;
        let idx = index.global();
        let coroutine = |q: &str| idx.function(q).map(|f| f.kind);
        assert_eq!(coroutine("pkg.api.fetch"), Some(CallableKind::Coroutine));
        assert_eq!(coroutine("pkg.get"), Some(CallableKind::Coroutine));
        // Not a coroutine function (and, as such, not kept in the summary).
        assert_eq!(coroutine("pkg.api.cm"), None);
        assert_eq!(coroutine("pkg.base.Base.send"), Some(CallableKind::Coroutine));
        assert_eq!(coroutine("pkg.base.Base.gen"), Some(CallableKind::Other));
        assert_eq!(coroutine("pkg.nothing"), None);
        let method = |c: &str, m: &str, s: bool| idx.method(c, m, s).map(|f| f.kind);
        assert_eq!(method("pkg.child.C", "send", false), Some(CallableKind::Other));
        assert_eq!(method("pkg.child.C", "send", true), Some(CallableKind::Coroutine));
        assert_eq!(method("pkg.child.C", "close", false), Some(CallableKind::Other));
        assert_eq!(method("pkg.child.D", "send", false), None);
        assert_eq!(method("pkg.child.E", "send", false), None);
        let mentions = |text: &str, module: &str| index.mentions_coroutines(&WordSet::of(text), module);
        // A module function: called, with its module's and package's names, unless a relative
        // import stands for them.
        assert!(mentions("from pkg.api import fetch\nfetch()", "other"));
        assert!(mentions("from .api import fetch\nfetch (1)", "pkg.sub"));
        assert!(mentions("from .api import fetch as f\nf()", "pkg.sub"));
        assert!(mentions("from . import api\napi.fetch(\n)", "pkg.sub"));
        assert!(!mentions("from .api import fetch\nfetch()", "other.sub"));
        assert!(!mentions("from .api import fetch\nx = fetch", "pkg.sub"));
        assert!(!mentions("from .api import fetcher1\nfetcher1()", "pkg.sub"));
        assert!(!mentions("x = fetch", "pkg.sub"));
        // Re-exported under another name, by the package itself.
        assert!(mentions("from pkg import get\nget()", "other"));
        assert!(mentions("from . import get\nget()", "pkg.sub"));
        assert!(!mentions("from pkg import get\nget = 1", "other"));
        // A class with coroutine methods, and a subclass calling one.
        assert!(mentions("class X(Child):\n    def f(self): self.send()", "other"));
        assert!(!mentions("class X(Child): pass", "other"));
        assert!(!mentions("class X(Child):\n    def f(self): return self.send", "other"));
        // A class named as one of the project's but outside it inherits nothing from it.
        let idx = super::tests::index(&[
            ("pkg.base", "class Thread:\n    async def join(self): pass\n"),
            (
                "pkg.worker",
                "import threading\nclass Worker(threading.Thread):\n    pass\n",
            ),
            ("pkg.job", "from pkg.base import Thread as T\nclass Job(T):\n    pass\n"),
        ]);
        let named = |text: &str| idx.mentions_coroutines(&WordSet::of(text), "other");
        assert!(!named("from pkg.worker import Worker\nWorker().join()"));
        assert!(named("from pkg.job import Job\nJob().join()"));
        assert!(!mentions("y = close()", "other"));
    }
    #[test]
    fn blocking_reached_through_sync_helpers() {
        let index = index(&[
            (
                "pkg.net",
                "import requests, time, functools, subprocess\n\
                 def get(u):\n    return requests.get(u)\n\
                 def refresh(u):\n    return get(u)\n\
                 def both(u):\n    open(u)\n    refresh(u)\n    time.sleep(1)\n\
                 def d1(u):\n    return d2(u)\n\
                 def d2(u):\n    return d3(u)\n\
                 def d3(u):\n    return get(u)\n\
                 def loop_a():\n    loop_b()\n\
                 def loop_b():\n    loop_a()\n\
                 @functools.lru_cache\n\
                 def cached(u):\n    return requests.get(u)\n\
                 async def coroutine(u):\n    return requests.get(u)\n\
                 def calls_coroutine(u):\n    return coroutine(u)\n\
                 class Client:\n    def run(self):\n        return self._spawn()\n    def _spawn(self):\n        subprocess.run(['ls'])\n",
            ),
            ("pkg.__init__", "from .net import refresh as reload\n"),
        ]);
        let reached = |callee: CallRef| -> Vec<(Rule, String)> {
            let helper = index.blocking_helper(&callee);
            let reached = helper.map(|h| h.reached.clone()).unwrap_or_default();
            reached
                .into_iter()
                .map(|r| {
                    let links: Vec<String> = r.chain.iter().map(|n| format!("{n}()")).collect();
                    (r.rule, format!("{} \u{2192} {}()", links.join(" \u{2192} "), r.call))
                })
                .collect()
        };
        let f = |q: &str| CallRef::Function(q.to_string());
        assert_eq!(
            reached(f("pkg.net.refresh")),
            vec![(
                Rule::BlockingHttp,
                "refresh() \u{2192} get() \u{2192} requests.get()".to_string()
            )]
        );
        // Through a re-export, the same chain.
        assert_eq!(reached(f("pkg.reload")), reached(f("pkg.net.refresh")));
        // Each rule once, by its shortest chain (the own body first).
        assert_eq!(
            reached(f("pkg.net.both")),
            vec![
                (Rule::BlockingFile, "both() \u{2192} open()".to_string()),
                (Rule::BlockingSleep, "both() \u{2192} time.sleep()".to_string()),
                (
                    Rule::BlockingHttp,
                    "both() \u{2192} refresh() \u{2192} get() \u{2192} requests.get()".to_string()
                ),
            ]
        );
        // Three functions deep at most.
        assert!(reached(f("pkg.net.d2")).len() == 1);
        assert!(reached(f("pkg.net.d1")).is_empty());
        // Cycles end; decorated functions, coroutines and what they call are not followed.
        assert!(reached(f("pkg.net.loop_a")).is_empty());
        assert!(reached(f("pkg.net.cached")).is_empty());
        assert!(reached(f("pkg.net.coroutine")).is_empty());
        assert!(reached(f("pkg.net.calls_coroutine")).is_empty());
        assert!(reached(f("pkg.net.nothing")).is_empty());
        // Methods, through `self`.
        let method = CallRef::Method {
            class: "pkg.net.Client".to_string(),
            name: "run".to_string(),
        };
        assert_eq!(
            reached(method),
            vec![(
                Rule::BlockingSubprocess,
                "Client.run() \u{2192} Client._spawn() \u{2192} subprocess.run()".to_string()
            )]
        );
    }
}
