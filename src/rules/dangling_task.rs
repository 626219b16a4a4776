//! AF002 dangling-task: a task is created and its reference dropped.

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::{Edit, Finding, Fix};
use crate::fix::imports::ModuleRef;
use crate::model::semantic::{BindingKind, CallSite, Resolved, ScopeId, ScopeKind, Semantic, MODULE_SCOPE};
use crate::model::task_factory::{task_factory, TaskFactory};
use crate::pipeline::checker::Checker;
use crate::project::index::{function_facts, own_method, Query};
use crate::registry::Rule;

/// The name of the set the fix creates, and the prefix of the names it picks when that is taken.
const SET_NAME: &str = "_background_tasks";

/// How a task's only reference is lost.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Dropped {
    /// `create_task(...)` as a statement: fixed by keeping it in the set.
    Statement,
    /// `t = create_task(...)` in a function that never reads `t`: the local keeps the task
    /// only until the function returns. Fixed by adding `t` to the set right after; a target
    /// named `_` is renamed to a fresh name first (`_` says "discarded", which the task is not).
    Unread { name: String, target: TextRange },
    /// An element of a list, tuple or set display that is a statement (`[create_task(...)]`).
    Display(&'static str),
    /// The element of a list, set or dict comprehension that is a statement.
    Comprehension(&'static str),
    /// The element of a generator expression that is a statement: it is never consumed.
    Generator,
    /// Only tested for truth: `if create_task(...):`, `x if create_task(...) else y`, `not`,
    /// a non-last operand of `and`, a comprehension's `if`.
    TruthTest,
    /// `with create_task(...) as k:` (a task is not a context manager).
    ContextManager,
}

impl Dropped {
    /// The existing fix (the module-level set) is obviously right.
    fn is_fixable(&self) -> bool {
        matches!(self, Dropped::Statement | Dropped::Unread { .. })
    }
}

/// How the result of the task-creating call `site` is lost, if it is.
fn dropped(checker: &Checker, site: &CallSite, factory: &TaskFactory) -> Option<Dropped> {
    if site.is_statement() {
        return Some(Dropped::Statement);
    }
    // The forms below are only for the calls that certainly create a task.
    if *factory == TaskFactory::Wrapper {
        return None;
    }
    let range = site.call.range();
    let is = |e: &Expr| e.range() == range;
    let stmt_value = match site.stmt {
        Stmt::Expr(s) => Some(s.value.as_ref()),
        _ => None,
    };
    let parent_is_statement = |parent: &Expr| stmt_value.is_some_and(|v| v.range() == parent.range());
    let in_ifs = |generators: &[ast::Comprehension]| generators.iter().any(|g| g.ifs.iter().any(is));
    match site.parent {
        Some(parent @ (Expr::List(_) | Expr::Tuple(_) | Expr::Set(_))) if parent_is_statement(parent) => {
            let kind = match parent {
                Expr::List(_) => "list",
                Expr::Tuple(_) => "tuple",
                _ => "set",
            };
            Some(Dropped::Display(kind))
        }
        Some(Expr::If(e)) if is(&e.test) => Some(Dropped::TruthTest),
        Some(Expr::UnaryOp(u)) if u.op == ast::UnaryOp::Not => Some(Dropped::TruthTest),
        Some(Expr::BoolOp(b)) if b.op == ast::BoolOp::And && b.values.last().is_some_and(|v| !is(v)) => {
            Some(Dropped::TruthTest)
        }
        Some(Expr::ListComp(c)) if in_ifs(&c.generators) => Some(Dropped::TruthTest),
        Some(Expr::SetComp(c)) if in_ifs(&c.generators) => Some(Dropped::TruthTest),
        Some(Expr::DictComp(c)) if in_ifs(&c.generators) => Some(Dropped::TruthTest),
        Some(Expr::Generator(g)) if in_ifs(&g.generators) => Some(Dropped::TruthTest),
        Some(parent @ Expr::ListComp(c)) if is(&c.elt) && parent_is_statement(parent) => {
            Some(Dropped::Comprehension("list"))
        }
        Some(parent @ Expr::SetComp(c)) if is(&c.elt) && parent_is_statement(parent) => {
            Some(Dropped::Comprehension("set"))
        }
        Some(parent @ Expr::DictComp(c))
            if (is(&c.value) || c.key.as_deref().is_some_and(is)) && parent_is_statement(parent) =>
        {
            Some(Dropped::Comprehension("dict"))
        }
        Some(parent @ Expr::Generator(g)) if is(&g.elt) && parent_is_statement(parent) => Some(Dropped::Generator),
        Some(_) => None,
        None => match site.stmt {
            Stmt::If(s) if is(&s.test) || s.elif_else_clauses.iter().any(|c| c.test.as_ref().is_some_and(is)) => {
                Some(Dropped::TruthTest)
            }
            Stmt::While(s) if is(&s.test) => Some(Dropped::TruthTest),
            Stmt::Assert(s) if is(&s.test) => Some(Dropped::TruthTest),
            Stmt::With(s) if s.items.iter().any(|i| is(&i.context_expr)) => Some(Dropped::ContextManager),
            Stmt::Assign(s) if is(&s.value) && s.targets.len() == 1 => unread(checker, &s.targets[0], site.scope),
            Stmt::AnnAssign(s) if s.value.as_deref().is_some_and(is) => unread(checker, &s.target, site.scope),
            _ => None,
        },
    }
}

/// `t = create_task(...)` in a function, `t` local to it and mentioned nowhere else in it
/// (nested functions and classes included, so a closure reading it counts; so does `global`,
/// `nonlocal` or `del`). Module and class attributes may be read from elsewhere: never.
fn unread(checker: &Checker, target: &Expr, scope: ScopeId) -> Option<Dropped> {
    let semantic = checker.semantic;
    let Expr::Name(target) = target else {
        return None;
    };
    if !matches!(semantic.scope(scope).kind, ScopeKind::Function { .. }) {
        return None;
    }
    let name = target.id.as_str();
    if !matches!(semantic.resolve(name, scope), Resolved::Binding { scope: s, .. } if s == scope) {
        return None;
    }
    let function = semantic.scope(scope).range;
    let mut mentions = checker
        .tokens
        .after(function.start())
        .iter()
        .take_while(|t| t.end() <= function.end())
        .filter(|t| t.kind() == TokenKind::Name)
        .map(|t| &checker.source[t.range()]);
    // A function that looks at its own locals may read it by name.
    let only_here = mentions
        .try_fold(0usize, |n, text| {
            if ["locals", "vars", "eval", "exec"].contains(&text) {
                return None;
            }
            Some(n + usize::from(text == name))
        })
        .is_some_and(|n| n == 1);
    only_here.then(|| Dropped::Unread {
        name: name.to_string(),
        target: target.range(),
    })
}

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    let sites: Vec<(&CallSite, TaskFactory, Option<Query>, Dropped)> = semantic
        .calls
        .iter()
        .filter_map(|site| {
            let (factory, query) = match task_factory(semantic, site.call, site.scope) {
                Some(factory) => (factory, None),
                None if site.is_statement() => (TaskFactory::Wrapper, wrapper_call(checker, site)?),
                None => return None,
            };
            let dropped = dropped(checker, site, &factory)?;
            Some((site, factory, query, dropped))
        })
        .collect();
    if sites.is_empty() {
        return;
    }
    let names = Names::new(checker);
    // The first statement that runs at import time and will use the set.
    let used_from = sites
        .iter()
        .filter(|(site, _, _, dropped)| dropped.is_fixable() && semantic.enclosing_function(site.scope).is_none())
        .map(|(site, ..)| site.stmt.start())
        .min()
        .unwrap_or(TextSize::of(checker.source));
    let set = TaskSet::find_or_create(checker, &names, used_from);
    // The k-th dangling statement of a scope gets the k-th free name of that scope: the
    // certain ones first, so that their names never depend on what the project answers about
    // the calls of possible task-creating helpers (most of which are no such thing).
    let (certain, questions): (Vec<_>, Vec<_>) = sites.into_iter().partition(|(_, _, query, _)| query.is_none());
    let mut taken_per_scope: Vec<(ScopeId, usize)> = Vec::new();
    // The free names of each scope found so far, so that the k-th costs one more test, not k.
    let mut free_per_scope: FxHashMap<ScopeId, FreeNames> = FxHashMap::default();
    for (site, factory, query, dropped) in certain.into_iter().chain(questions) {
        let needs_name = match &dropped {
            Dropped::Statement => true,
            Dropped::Unread { name, .. } => name == "_",
            _ => false,
        };
        let ordinal = if !needs_name {
            0
        } else {
            match taken_per_scope.iter_mut().find(|(s, _)| *s == site.scope) {
                Some((_, n)) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    taken_per_scope.push((site.scope, 1));
                    0
                }
            }
        };
        let callee = match factory {
            TaskFactory::Asyncio(name) => format!("{name}()"),
            TaskFactory::LoopMethod | TaskFactory::Wrapper => {
                let func = checker.text(site.call.func.range());
                if func.len() <= 40 && !func.contains(['\n', '\r']) {
                    format!("{func}()")
                } else if factory == TaskFactory::Wrapper {
                    "a task-creating helper".to_string()
                } else {
                    "<loop>.create_task()".to_string()
                }
            }
        };
        let function = semantic
            .enclosing_function(site.scope)
            .map(|f| format!(" in `{}`", f.def.name))
            .unwrap_or_default();
        if !dropped.is_fixable() {
            let message = report_only_message(&callee, &function, &dropped);
            out.push(Finding::new(Rule::DanglingTask, site.call.range(), message));
            continue;
        }
        let fix = set.as_ref().map_err(Clone::clone).and_then(|set| {
            let free = free_per_scope.entry(site.scope).or_default();
            fix(checker, site, &dropped, set, &names, free, ordinal).map(|fix| (fix, &set.name))
        });
        let (fix, remedy) = match fix {
            Ok((fix, set_name)) => (Some(fix), format!("keep it in `{set_name}` until done")),
            Err(reason) => (None, format!("keep a reference until done (no fix: {reason})")),
        };
        let message = match &dropped {
            Dropped::Unread { name, .. } => format!(
                "Task from `{callee}` is assigned to `{name}`, which is never read{function}: once the function returns, it may be garbage-collected mid-run; {remedy}"
            ),
            _ => format!("Task from `{callee}` dropped{function}: it may be garbage-collected mid-run; {remedy}"),
        };
        let finding = Finding::new(Rule::DanglingTask, site.call.range(), message).with_fix(fix);
        match query {
            Some(query) => checker.push_if(finding, query),
            None => out.push(finding),
        }
    }
}

/// The message of a form reported without a fix: rewriting it is not obviously right.
fn report_only_message(callee: &str, function: &str, dropped: &Dropped) -> String {
    let keep = "keep a reference until it is done (no automatic fix)";
    match dropped {
        Dropped::Display(kind) => format!(
            "Task from `{callee}` dropped{function}: the {kind} holding it is discarded, so it may be garbage-collected mid-run; {keep}"
        ),
        Dropped::Comprehension(kind) => format!(
            "Tasks from `{callee}` dropped{function}: the {kind} comprehension holding them is discarded, so they may be garbage-collected mid-run; {keep}"
        ),
        Dropped::Generator => format!(
            "Task from `{callee}` in a generator expression that is discarded{function}: the generator is never consumed, so the call never runs (and its tasks would be dropped if it were); {keep}"
        ),
        Dropped::TruthTest => format!(
            "Task from `{callee}` only tested for truth{function}: a task is always true, and it is then dropped, so it may be garbage-collected mid-run; {keep}"
        ),
        Dropped::ContextManager => format!(
            "Task from `{callee}` used as a context manager{function}: a task is not one (`TypeError` when it runs), and it is dropped; {keep}"
        ),
        Dropped::Statement | Dropped::Unread { .. } => unreachable!("a fixable form"),
    }
}

/// A call of a leaky task-creating helper: certain (`Some(None)`) when the helper is a `def`
/// of this file, or a question for the project index (`Some(Some(query))`).
fn wrapper_call(checker: &Checker, site: &CallSite) -> Option<Option<Query>> {
    let semantic = checker.semantic;
    let module = checker.module_path;
    let scope = site.scope;
    let func = site.call.func.as_ref();
    if let Expr::Name(name) = func {
        return match semantic.resolve(name.id.as_str(), scope) {
            Resolved::Binding {
                kind: BindingKind::Function(i),
                ..
            } => function_facts(semantic, &semantic.functions[i], module)
                .returns_task
                .then_some(None),
            Resolved::Binding {
                kind: BindingKind::Import(q),
                ..
            } => {
                let q = module.absolute(&q)?;
                checker.is_project(&q).then_some(Some(Query::TaskFactory(q)))
            }
            _ => None,
        };
    }
    let Expr::Attribute(attribute) = func else {
        return None;
    };
    let method = attribute.attr.as_str();
    if let Some(class) = semantic.self_class(&attribute.value, scope) {
        if let Some(own) = own_method(semantic, class, method, module) {
            return own.is_some_and(|f| f.returns_task).then_some(None);
        }
        return Some(Some(Query::TaskFactoryMethod {
            class: format!("{}.{}", module.name, class.def.name),
            name: method.to_string(),
        }));
    }
    let q = module.into_absolute(semantic.qualified_name(func, scope)?)?;
    checker.is_project(&q).then_some(Some(Query::TaskFactory(q)))
}

/// The free task names of one scope, in the order of `Names::candidates`, found as needed.
#[derive(Default)]
struct FreeNames {
    found: Vec<String>,
    /// How many candidates were tried.
    tried: usize,
}

impl FreeNames {
    /// The `ordinal`-th candidate (from `base`) that `is_free` accepts.
    fn nth(&mut self, ordinal: usize, base: &str, is_free: impl Fn(&String) -> bool) -> Option<String> {
        while self.found.len() <= ordinal {
            let candidate = Names::candidate(base, self.tried)?;
            self.tried += 1;
            if is_free(&candidate) {
                self.found.push(candidate);
            }
        }
        self.found.get(ordinal).cloned()
    }
}

/// Names already in the file, for picking ones that collide with nothing.
struct Names<'a> {
    source: &'a str,
    tokens: &'a ruff_python_ast::token::Tokens,
    /// Every identifier token of the file (also attribute names and keyword arguments), made
    /// only when a candidate name occurs in the text at all (most files never need it).
    identifiers: std::cell::OnceCell<HashSet<&'a str>>,
}

impl<'a> Names<'a> {
    fn new(checker: &Checker<'a>) -> Self {
        Self {
            source: checker.source,
            tokens: checker.tokens,
            identifiers: std::cell::OnceCell::new(),
        }
    }

    /// Is `name` an identifier token of the file?
    fn mentions(&self, name: &str) -> bool {
        if memchr::memmem::find(self.source.as_bytes(), name.as_bytes()).is_none() {
            return false;
        }
        self.identifiers
            .get_or_init(|| {
                self.tokens
                    .iter()
                    .filter(|t| t.kind() == TokenKind::Name)
                    .map(|t| &self.source[t.range()])
                    .collect()
            })
            .contains(name)
    }

    /// `name`, `name_2`, `name_3`, ...
    fn candidates(base: &str) -> impl Iterator<Item = String> + '_ {
        (0..).map_while(move |i| Self::candidate(base, i))
    }

    /// The `i`-th of [`Self::candidates`].
    fn candidate(base: &str, i: usize) -> Option<String> {
        match i {
            0 => Some(base.to_string()),
            1..=998 => Some(format!("{base}_{}", i + 1)),
            _ => None,
        }
    }

    /// Binding `name` in `scope` hides nothing: no scope in reach binds it, and if a star
    /// import could provide it, the file never mentions it.
    fn is_free_in(&self, semantic: &Semantic, name: &str, scope: ScopeId) -> bool {
        match semantic.resolve(name, scope) {
            Resolved::Builtin => true,
            Resolved::Unknown => !self.mentions(name),
            Resolved::Binding { .. } | Resolved::Ambiguous => false,
        }
    }

    /// A name for a new module-level binding: bound nowhere and mentioned nowhere in the file.
    fn is_free_everywhere(&self, semantic: &Semantic, name: &str) -> bool {
        !semantic.binds_anywhere(name) && !self.mentions(name)
    }
}

/// The module-level set that keeps the tasks.
struct TaskSet {
    name: String,
    /// The edits defining it (and adding the imports it needs), when it is not there yet.
    definition: Vec<Edit>,
    /// Where an existing set is defined (a module-level statement before it cannot use it).
    defined_at: Option<TextSize>,
}

impl TaskSet {
    /// The set to use, or why there can be none.
    /// A new set is defined before `used_from`, the first statement that runs at import time
    /// and uses it.
    fn find_or_create(checker: &Checker, names: &Names, used_from: TextSize) -> Result<TaskSet, String> {
        if let Some((name, defined_at)) = existing_set(checker.semantic) {
            return Ok(TaskSet {
                name,
                definition: Vec::new(),
                defined_at: Some(defined_at),
            });
        }
        let semantic = checker.semantic;
        let name = Names::candidates(SET_NAME)
            .find(|n| names.is_free_everywhere(semantic, n))
            .ok_or("no free name for a module-level task set")?;
        let asyncio = annotation_module(checker, "asyncio")?;
        let typing = annotation_module(checker, "typing")?;
        // The imports go into the import block, the definition after it. Identical edits of
        // several fixes are merged when applied, so each is inserted once.
        let modules: Vec<&str> = [&asyncio, &typing]
            .into_iter()
            .filter(|m| m.import.is_some())
            .map(|m| m.name.as_str())
            .collect();
        let mut definition = checker.importer.import_edits(&modules);
        let line = format!(
            "{name}: \"{t}.Set[{a}.Future[{t}.Any]]\" = set()",
            t = typing.name,
            a = asyncio.name
        );
        definition.push(
            checker
                .importer
                .statement_after_imports(&line, used_from)
                .ok_or("no line after the imports for a module-level task set")?,
        );
        Ok(TaskSet {
            name,
            definition,
            defined_at: None,
        })
    }
}

/// How the set's annotation names `module`: by its own name when that is bound to it at
/// module level (only mypy reads the string, so a conditional import is as good), else
/// through the importer (an alias, or a new `import`).
///
/// In a module with a star import, the importer cannot know that the name is free. The
/// new `import` is still added when the file never mentions the name except as the module
/// of `from <module> import ...`: no code of the file reads it, and the annotation that
/// does is never evaluated.
fn annotation_module(checker: &Checker, module: &str) -> Result<ModuleRef, String> {
    let semantic = checker.semantic;
    if semantic.binding(module, MODULE_SCOPE) == Some(BindingKind::Import(module.to_string())) {
        return Ok(ModuleRef {
            name: module.to_string(),
            import: None,
        });
    }
    if let Some(module_ref) = checker
        .importer
        .module_ref(semantic, module, MODULE_SCOPE, TextSize::default())
    {
        return Ok(module_ref);
    }
    if semantic.resolve(module, MODULE_SCOPE) == Resolved::Unknown && only_imported_from(checker, module) {
        return Ok(ModuleRef {
            name: module.to_string(),
            import: Some(checker.importer.import_edit(module)),
        });
    }
    Err(format!("`{module}` may be bound to something else at module level"))
}

/// Every identifier token `name` in the file is the module of an import statement
/// (`from name import ...`, `import name.sub as alias`).
fn only_imported_from(checker: &Checker, name: &str) -> bool {
    // Most files never spell the name (`typing`): no token to look at.
    if memchr::memmem::find(checker.source.as_bytes(), name.as_bytes()).is_none() {
        return true;
    }
    let mut previous: Option<TokenKind> = None;
    for token in checker.tokens.iter() {
        let kind = token.kind();
        if kind.is_trivia() {
            continue;
        }
        if kind == TokenKind::Name
            && &checker.source[token.range()] == name
            && !matches!(previous, Some(TokenKind::From | TokenKind::Import))
        {
            return false;
        }
        previous = Some(kind);
    }
    true
}

/// A module-level `name = set()` (annotated or not) that already plays the role: defined by
/// an earlier run (named `_background_tasks...`), or used as `add_done_callback(name.discard)`.
fn existing_set(semantic: &Semantic) -> Option<(String, TextSize)> {
    let module = semantic.scope(MODULE_SCOPE);
    let mut found: Vec<(String, TextSize, bool)> = module
        .binding_names()
        .filter_map(|(name, _)| {
            let Resolved::Binding {
                kind: BindingKind::Assign(value),
                scope: MODULE_SCOPE,
            } = semantic.resolve(name, MODULE_SCOPE)
            else {
                return None;
            };
            let Expr::Call(call) = value else { return None };
            if !call.arguments.is_empty()
                || semantic.qualified_name(&call.func, MODULE_SCOPE).as_deref() != Some("builtins.set")
            {
                return None;
            }
            let ours = name == SET_NAME
                || name
                    .strip_prefix(SET_NAME)
                    .and_then(|rest| rest.strip_prefix('_'))
                    .is_some_and(|n| n.parse::<u32>().is_ok());
            (ours || used_as_task_set(semantic, name)).then(|| (name.to_string(), value.start(), ours))
        })
        .collect();
    // Ours first, then by name: deterministic whatever the hash order.
    found.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    found.into_iter().next().map(|(name, at, _)| (name, at))
}

/// Somewhere in the module, `<task>.add_done_callback(name.discard)` with `name` the
/// module-level binding.
fn used_as_task_set(semantic: &Semantic, name: &str) -> bool {
    semantic.calls.iter().any(|site| {
        let Expr::Attribute(func) = site.call.func.as_ref() else {
            return false;
        };
        if func.attr.as_str() != "add_done_callback" {
            return false;
        }
        let Some(Expr::Attribute(callback)) = site.call.arguments.args.first() else {
            return false;
        };
        callback.attr.as_str() == "discard"
            && matches!(callback.value.as_ref(), Expr::Name(n) if n.id.as_str() == name)
            && refers_to_module_binding(semantic, name, site.scope)
    })
}

fn refers_to_module_binding(semantic: &Semantic, name: &str, scope: ScopeId) -> bool {
    matches!(
        semantic.resolve(name, scope),
        Resolved::Binding {
            scope: MODULE_SCOPE,
            ..
        }
    )
}

/// The fix for one dangling statement, or why there is none.
fn fix(
    checker: &Checker,
    site: &CallSite,
    dropped: &Dropped,
    set: &TaskSet,
    names: &Names,
    free: &mut FreeNames,
    ordinal: usize,
) -> Result<Fix, String> {
    let semantic = checker.semantic;
    let stmt = site.stmt;
    let set_name = &set.name;
    // An existing set must be the one this scope sees, and exist when the statement runs.
    if let Some(defined_at) = set.defined_at {
        if !refers_to_module_binding(semantic, set_name, site.scope) {
            return Err(format!("a local name hides the module's task set `{set_name}`"));
        }
        let at_import_time = semantic.enclosing_function(site.scope).is_none();
        if at_import_time && defined_at > stmt.start() {
            return Err(format!("the task set `{set_name}` is defined after this statement"));
        }
    }
    let base = match semantic.scope(site.scope).kind {
        ScopeKind::Function { .. } => "task",
        _ => "_task",
    };
    let mut fresh_name = || {
        free.nth(ordinal, base, |n| {
            names.is_free_in(semantic, n, site.scope) && *n != set.name
        })
        .ok_or("no free name for the task")
    };
    let mut edits = Vec::new();
    edits.extend(set.definition.iter().cloned());
    let task = match dropped {
        Dropped::Unread { name, .. } if name != "_" => name.clone(),
        Dropped::Unread { target, .. } => {
            let task = fresh_name()?;
            edits.push(Edit::replacement(*target, task.clone()));
            task
        }
        _ => {
            let task = fresh_name()?;
            edits.push(Edit::insertion(stmt.start(), format!("{task} = ")));
            task
        }
    };
    match own_line(checker, stmt.range()) {
        Some(OwnLine { indent, newline_at, nl }) => edits.push(Edit::insertion(
            newline_at,
            format!("{nl}{indent}{set_name}.add({task}){nl}{indent}{task}.add_done_callback({set_name}.discard)"),
        )),
        None => edits.push(Edit::insertion(
            stmt.end(),
            format!("; {set_name}.add({task}); {task}.add_done_callback({set_name}.discard)"),
        )),
    }
    Ok(Fix::safe(
        format!("Keep the task in `{set_name}` until it is done (`{task}.add_done_callback({set_name}.discard)`)"),
        merge_insertions(edits),
    ))
}

/// Where a statement that is alone on its logical line ends.
struct OwnLine<'a> {
    /// The statement's indentation.
    indent: &'a str,
    /// The start of the newline that ends the statement's last line (after any comment).
    newline_at: TextSize,
    /// That newline (the file's line ending when the file ends without one).
    nl: &'a str,
}

/// The statement starts its logical line and nothing but a comment follows it there.
fn own_line<'a>(checker: &Checker<'a>, range: TextRange) -> Option<OwnLine<'a>> {
    let tokens = checker.tokens;
    let before = tokens.before(range.start()).iter().rev().find(|t| {
        !matches!(
            t.kind(),
            TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Dedent
        )
    });
    if !before.is_none_or(|t| matches!(t.kind(), TokenKind::Newline | TokenKind::Indent)) {
        return None;
    }
    let source = checker.source;
    let line_start = source[..range.start().to_usize()]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let indent = &source[line_start..range.start().to_usize()];
    if !indent.chars().all(|c| matches!(c, ' ' | '\t' | '\x0c')) {
        return None;
    }
    // `split_at`, not `after`: at the end of a file without a final newline, the `Newline`
    // token is empty and starts (and ends) right where the statement ends.
    let after = tokens
        .split_at(range.end())
        .1
        .iter()
        .find(|t| t.kind() != TokenKind::Comment)?;
    if after.kind() != TokenKind::Newline {
        return None;
    }
    let newline = &source[after.range()];
    let nl = if newline.is_empty() {
        checker.stylist.line_ending().as_str()
    } else {
        newline
    };
    Some(OwnLine {
        indent,
        newline_at: after.start(),
        nl,
    })
}

/// Join insertions at the same offset into one edit, in order. When the statement to fix is
/// the first after the imports, its `task = ` lands where the set is defined; as one edit it
/// cannot be split from the definition when identical definitions of several fixes merge.
fn merge_insertions(edits: Vec<Edit>) -> Vec<Edit> {
    let mut merged: Vec<Edit> = Vec::with_capacity(edits.len());
    for edit in edits {
        match merged
            .iter_mut()
            .find(|m| m.range.is_empty() && edit.range.is_empty() && m.range == edit.range)
        {
            Some(existing) => existing.content.push_str(&edit.content),
            None => merged.push(edit),
        }
    }
    merged
}
