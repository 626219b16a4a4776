//! AF002 dangling-task: a task is created and its reference dropped.

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::Expr;
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

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    let sites: Vec<(&CallSite, TaskFactory, Option<Query>)> = semantic
        .calls
        .iter()
        .filter(|site| site.is_statement())
        .filter_map(|site| match task_factory(semantic, site.call, site.scope) {
            Some(factory) => Some((site, factory, None)),
            None => wrapper_call(checker, site).map(|query| (site, TaskFactory::Wrapper, query)),
        })
        .collect();
    if sites.is_empty() {
        return;
    }
    let names = Names::new(checker);
    let set = TaskSet::find_or_create(checker, &names);
    // The k-th dangling statement of a scope gets the k-th free name of that scope: the
    // certain ones first, so that their names never depend on what the project answers about
    // the calls of possible task-creating helpers (most of which are no such thing).
    let (certain, questions): (Vec<_>, Vec<_>) = sites.into_iter().partition(|(_, _, query)| query.is_none());
    let mut taken_per_scope: Vec<(ScopeId, usize)> = Vec::new();
    // The free names of each scope found so far, so that the k-th costs one more test, not k.
    let mut free_per_scope: FxHashMap<ScopeId, FreeNames> = FxHashMap::default();
    for (site, factory, query) in certain.into_iter().chain(questions) {
        let ordinal = match taken_per_scope.iter_mut().find(|(s, _)| *s == site.scope) {
            Some((_, n)) => {
                *n += 1;
                *n - 1
            }
            None => {
                taken_per_scope.push((site.scope, 1));
                0
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
        let fix = set.as_ref().map_err(Clone::clone).and_then(|set| {
            let free = free_per_scope.entry(site.scope).or_default();
            fix(checker, site, set, &names, free, ordinal).map(|fix| (fix, &set.name))
        });
        let (fix, remedy) = match fix {
            Ok((fix, set_name)) => (Some(fix), format!("keep it in `{set_name}` until done")),
            Err(reason) => (None, format!("keep a reference until done (no fix: {reason})")),
        };
        let message = format!("Task from `{callee}` dropped{function}: it may be garbage-collected mid-run; {remedy}");
        let finding = Finding::new(Rule::DanglingTask, site.call.range(), message).with_fix(fix);
        match query {
            Some(query) => checker.push_if(finding, query),
            None => out.push(finding),
        }
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
    let q = module.absolute(&semantic.qualified_name(func, scope)?)?;
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
    /// The statement defining it (with any imports it needs), when it is not there yet.
    definition: Option<Edit>,
    /// Where an existing set is defined (a module-level statement before it cannot use it).
    defined_at: Option<TextSize>,
}

impl TaskSet {
    /// The set to use, or why there can be none.
    fn find_or_create(checker: &Checker, names: &Names) -> Result<TaskSet, String> {
        if let Some((name, defined_at)) = existing_set(checker.semantic) {
            return Ok(TaskSet {
                name,
                definition: None,
                defined_at: Some(defined_at),
            });
        }
        let semantic = checker.semantic;
        let name = Names::candidates(SET_NAME)
            .find(|n| names.is_free_everywhere(semantic, n))
            .ok_or("no free name for a module-level task set")?;
        let asyncio = annotation_module(checker, "asyncio")?;
        let typing = annotation_module(checker, "typing")?;
        // One edit for the imports and the definition: identical edits of several fixes are
        // merged when applied, so the block is inserted once.
        let mut lines = Vec::new();
        for module in [&asyncio, &typing] {
            if module.import.is_some() {
                lines.push(format!("import {}", module.name));
            }
        }
        lines.push(format!(
            "{name}: \"{t}.Set[{a}.Future[{t}.Any]]\" = set()",
            t = typing.name,
            a = asyncio.name
        ));
        let nl = checker.stylist.line_ending().as_str();
        Ok(TaskSet {
            name,
            definition: Some(checker.importer.import_edit(&lines.join(nl))),
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
            import: Some(checker.importer.import_edit(&format!("import {module}"))),
        });
    }
    Err(format!("`{module}` may be bound to something else at module level"))
}

/// Every identifier token `name` in the file is the module of an import statement
/// (`from name import ...`, `import name.sub as alias`).
fn only_imported_from(checker: &Checker, name: &str) -> bool {
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
    let task = free
        .nth(ordinal, base, |n| {
            names.is_free_in(semantic, n, site.scope) && *n != set.name
        })
        .ok_or("no free name for the task")?;

    let mut edits = Vec::new();
    if let Some(definition) = &set.definition {
        edits.push(definition.clone());
    }
    edits.push(Edit::insertion(stmt.start(), format!("{task} = ")));
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
