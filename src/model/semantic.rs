//! Scopes and name resolution inside one file.
//!
//! One traversal of the AST builds the scope tree with every binding (imports with the
//! qualified name they stand for, `def`/`class`, assignments, parameters, loop and `with`
//! targets, `global`), records every call site with its scope and *async context*, and
//! counts `await`-like constructs outside async context (for fix verification). Names are
//! resolved afterwards, when every binding is known, following Python's rules: class scopes
//! are skipped from nested functions, `global` redirects to the module, a name bound in
//! different ways in one scope is ambiguous, and a star import makes unknown names unknown.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprCall, ModModule, Pattern, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// Nesting deeper than this is refused with an error instead of risking the stack.
/// CPython itself gives up far earlier (200 nested brackets, about 3,000 AST levels).
pub const MAX_DEPTH: usize = 5_000;

pub type ScopeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function {
        is_async: bool,
    },
    Lambda,
    /// List, set and dict comprehensions: `await` inside is fine in async context.
    Comprehension,
    /// Generator expressions: not async context (an `await` would make an async generator).
    Generator,
}

/// What a name is bound to in one scope.
#[derive(Clone, Debug)]
pub enum BindingKind<'a> {
    /// `import a.b as c` → `a.b`; `import a.b` → `a`; `from a import b as c` → `a.b`
    /// (relative imports keep their leading dots: `from .m import f` → `.m.f`).
    Import(String),
    /// A `def` (the index into `Semantic::functions`).
    Function(usize),
    /// A `class` (the index into `Semantic::classes`).
    Class(usize),
    /// `name = value` or `name: T = value` with a single plain-name target.
    Assign(&'a Expr),
    /// `with value as name` / `async with value as name`.
    WithAs(&'a Expr),
    /// `a, b = value`: element `index` of `value`.
    Unpacked(&'a Expr, usize),
    /// A function or lambda parameter, with its annotation.
    Parameter(Option<&'a Expr>),
    /// Anything else: tuple targets, loop variables, augmented assignment, `del`, `except ... as`, ...
    Other,
}

impl PartialEq for BindingKind<'_> {
    /// Two bindings are the same when they bind the same thing: the same import, the same
    /// `def`, or the very same expression (not merely an equal-looking one).
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Import(a), Self::Import(b)) => a == b,
            (Self::Function(a), Self::Function(b)) | (Self::Class(a), Self::Class(b)) => a == b,
            (Self::Assign(a), Self::Assign(b)) | (Self::WithAs(a), Self::WithAs(b)) => a.range() == b.range(),
            (Self::Parameter(a), Self::Parameter(b)) => a.map(Ranged::range) == b.map(Ranged::range),
            (Self::Unpacked(a, i), Self::Unpacked(b, j)) => a.range() == b.range() && i == j,
            (Self::Other, Self::Other) => true,
            _ => false,
        }
    }
}

impl Eq for BindingKind<'_> {}

#[derive(Debug)]
pub struct Scope<'a> {
    pub kind: ScopeKind,
    /// For a function scope, the index of its `def` in `Semantic::functions`; for a class
    /// scope, of its `class` in `Semantic::classes`.
    pub owner: Option<usize>,
    pub parent: Option<ScopeId>,
    pub range: TextRange,
    bindings: HashMap<&'a str, Vec<BindingKind<'a>>>,
    /// Names bound by an `import` that is a direct child of the scope's body (not under
    /// `if`, `try`, `with`, ...), with the statement's start: those are certainly bound once
    /// execution passes that point.
    direct_imports: Vec<(&'a str, TextSize)>,
    globals: Vec<&'a str>,
    star_import: bool,
    /// `name: T` and `name: T = value` statements of the scope (a plain-name target), by name,
    /// in order: the annotation and where the statement starts. (The value, if any, is an
    /// `Assign` binding too.)
    declarations: HashMap<&'a str, Vec<(&'a Expr, TextSize)>>,
}

impl<'a> Scope<'a> {
    fn new(kind: ScopeKind, parent: Option<ScopeId>, range: TextRange) -> Self {
        Self {
            kind,
            owner: None,
            parent,
            range,
            bindings: HashMap::default(),
            direct_imports: Vec::new(),
            globals: Vec::new(),
            star_import: false,
            declarations: HashMap::default(),
        }
    }

    /// The annotations of `name: T` statements in the scope, with where each statement
    /// starts, in order.
    pub fn declarations(&self, name: &str) -> &[(&'a Expr, TextSize)] {
        self.declarations.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn bindings(&self, name: &str) -> &[BindingKind<'a>] {
        self.bindings.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn binding_names(&self) -> impl Iterator<Item = (&str, &[BindingKind<'a>])> {
        self.bindings.iter().map(|(k, v)| (*k, v.as_slice()))
    }
}

/// The result of resolving a name at a point of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// Bound once (or several times the same way) in `scope`.
    Binding { kind: BindingKind<'a>, scope: ScopeId },
    /// Bound in different ways in one scope: nothing can be said for certain.
    Ambiguous,
    /// Not bound in the file: a builtin (or a `NameError`).
    Builtin,
    /// Not bound, but a star import may provide it.
    Unknown,
}

/// What [`Semantic::find`] found a name bound to (a reference into the scope).
enum Found<'s, 'a> {
    One(&'s BindingKind<'a>, ScopeId),
    Ambiguous,
    Builtin,
    Unknown,
}

/// A `def` statement.
#[derive(Debug)]
pub struct FunctionInfo<'a> {
    pub def: &'a ast::StmtFunctionDef,
    /// The scope the `def` is in.
    pub parent_scope: ScopeId,
    /// The scope of its body.
    pub scope: ScopeId,
    /// `yield` directly in its body (an `async def` with `yield` is an async generator).
    pub has_yield: bool,
}

/// A `class` statement.
#[derive(Debug)]
pub struct ClassInfo<'a> {
    pub def: &'a ast::StmtClassDef,
    /// The scope the `class` is in.
    pub parent_scope: ScopeId,
    /// The scope of its body.
    pub scope: ScopeId,
}

/// An assignment to an attribute, `obj.attr = value` or `obj.attr: T = value`
/// (e.g. `self._lock = asyncio.Lock()`).
#[derive(Debug, Clone, Copy)]
pub struct AttributeAssignment<'a> {
    pub target: &'a ast::ExprAttribute,
    pub value: Option<&'a Expr>,
    pub annotation: Option<&'a Expr>,
    /// The scope the assignment is in (for `self.x = ...`: the method's scope).
    pub scope: ScopeId,
}

/// A call expression and where it stands.
#[derive(Debug, Clone, Copy)]
pub struct CallSite<'a> {
    pub call: &'a ExprCall,
    pub scope: ScopeId,
    /// The nearest enclosing function is an `async def` (see [`ScopeKind`]), and the call is
    /// not inside an annotation.
    pub in_async: bool,
    /// The innermost expression containing the call, if any.
    pub parent: Option<&'a Expr>,
    /// The innermost statement containing the call.
    pub stmt: &'a Stmt,
}

impl<'a> CallSite<'a> {
    /// The call is the whole value of an expression statement: its result is dropped.
    pub fn is_statement(&self) -> bool {
        self.parent.is_none() && matches!(self.stmt, Stmt::Expr(s) if s.value.range() == self.call.range())
    }

    /// The call is the object of an attribute access, a call or a subscript, where a prefix
    /// operator like `await` needs parentheses: `f().x` → `(await f()).x`.
    pub fn is_primary_operand(&self) -> bool {
        let range = self.call.range();
        match self.parent {
            Some(Expr::Attribute(a)) => a.value.range() == range,
            Some(Expr::Call(c)) => c.func.range() == range,
            Some(Expr::Subscript(s)) => s.value.range() == range,
            _ => false,
        }
    }
}

pub struct Semantic<'a> {
    pub scopes: Vec<Scope<'a>>,
    pub functions: Vec<FunctionInfo<'a>>,
    pub classes: Vec<ClassInfo<'a>>,
    pub attribute_assignments: Vec<AttributeAssignment<'a>>,
    pub calls: Vec<CallSite<'a>>,
    /// `await`, `async for`, `async with` and async comprehensions outside async context.
    pub awaits_outside_async: usize,
    /// The tree was nested deeper than [`MAX_DEPTH`]; the rest was not visited.
    pub too_deep: bool,
    /// Every module imported anywhere in the file (`import x` / `from x import y` → `x`).
    pub imported_modules: Vec<String>,
    /// The modules of `from m import *` at module level (relative ones with their dots).
    pub star_imports: Vec<String>,
    /// What [`Self::method_of`] and [`Self::self_assignments`] answer from, computed on first
    /// use: the type evidence asks them for every `self.attr` of a file.
    methods: std::cell::OnceCell<Methods>,
}

/// The methods of module-level classes and the `self.attr = ...` assignments in them.
#[derive(Default)]
struct Methods {
    /// By function index: the class index when the function is a method ([`Semantic::method_of`]).
    class_of: Vec<Option<usize>>,
    /// By class scope: the attribute assignments (indices) whose receiver is the method's
    /// `self` (see [`Semantic::self_class`]), in source order.
    self_assignments: rustc_hash::FxHashMap<ScopeId, Vec<usize>>,
}

pub const MODULE_SCOPE: ScopeId = 0;

impl<'a> Semantic<'a> {
    pub fn build(module: &'a ModModule) -> Self {
        let mut builder = Builder {
            sem: Semantic {
                scopes: vec![Scope::new(ScopeKind::Module, None, module.range)],
                functions: Vec::new(),
                classes: Vec::new(),
                attribute_assignments: Vec::new(),
                calls: Vec::new(),
                awaits_outside_async: 0,
                too_deep: false,
                imported_modules: Vec::new(),
                star_imports: Vec::new(),
                methods: std::cell::OnceCell::new(),
            },
            scope: MODULE_SCOPE,
            body_depth: vec![1],
            function_stack: Vec::new(),
            exprs: Vec::new(),
            stmts: Vec::new(),
            annotation: 0,
            depth: 0,
        };
        builder.visit_body(&module.body);
        builder.sem
    }

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id]
    }

    /// Resolve `name` as seen from code in scope `from`.
    pub fn resolve(&self, name: &str, from: ScopeId) -> Resolved<'a> {
        match self.find(name, from) {
            Found::One(kind, scope) => Resolved::Binding {
                kind: kind.clone(),
                scope,
            },
            Found::Ambiguous => Resolved::Ambiguous,
            Found::Builtin => Resolved::Builtin,
            Found::Unknown => Resolved::Unknown,
        }
    }

    /// Every binding of `name` in the scope that code in scope `from` sees it bound in (the
    /// same lookup as [`Self::resolve`]), with that scope: `None` when the file does not bind
    /// it (a builtin, or what a star import may provide).
    pub fn bindings_in_reach(&self, name: &str, from: ScopeId) -> Option<(ScopeId, &[BindingKind<'a>])> {
        let (id, bindings) = self.lookup(name, from);
        (!bindings.is_empty()).then_some((id, bindings))
    }

    /// The scope whose bindings of `name` code in scope `from` sees, with those bindings:
    /// the nearest enclosing scope binding it (class scopes are not seen from the functions
    /// in them; `global` sends the lookup to module level), or the outermost scope with none.
    fn lookup(&self, name: &str, from: ScopeId) -> (ScopeId, &[BindingKind<'a>]) {
        let mut id = from;
        let mut first = true;
        loop {
            let scope = &self.scopes[id];
            if scope.globals.contains(&name) {
                return (MODULE_SCOPE, self.scopes[MODULE_SCOPE].bindings(name));
            }
            if first || scope.kind != ScopeKind::Class {
                let bindings = scope.bindings(name);
                if !bindings.is_empty() {
                    return (id, bindings);
                }
            }
            first = false;
            match scope.parent {
                Some(p) => id = p,
                None => return (id, &[]),
            }
        }
    }

    /// [`Self::resolve`] without copying the binding.
    fn find(&self, name: &str, from: ScopeId) -> Found<'_, 'a> {
        let (id, bindings) = self.lookup(name, from);
        match bindings.split_first() {
            None if self.scopes[id].star_import => Found::Unknown,
            None => Found::Builtin,
            // Two `def`s of one name are two different functions (different indices).
            Some((first, rest)) if rest.iter().all(|b| b == first) => Found::One(first, id),
            Some(_) => Found::Ambiguous,
        }
    }

    /// The qualified name an expression stands for, through imports and aliases:
    /// `t.sleep` with `import time as t` → `time.sleep`; `snooze` with
    /// `from time import sleep as snooze` → `time.sleep`; an unbound `input` → `builtins.input`.
    pub fn qualified_name(&self, expr: &Expr, scope: ScopeId) -> Option<String> {
        // Find the name the attributes hang from, and the length they add, so that the
        // result is built in one allocation (this runs for nearly every call of a file).
        let mut root = expr;
        let mut extra = 0;
        while let Expr::Attribute(a) = root {
            extra += a.attr.len() + 1;
            root = &a.value;
        }
        let Expr::Name(name) = root else {
            return None;
        };
        let mut q = match self.find(name.id.as_str(), scope) {
            Found::One(BindingKind::Import(import), _) => {
                let mut q = String::with_capacity(import.len() + extra);
                q.push_str(import);
                q
            }
            Found::Builtin => {
                let mut q = String::with_capacity("builtins.".len() + name.id.len() + extra);
                q.push_str("builtins.");
                q.push_str(name.id.as_str());
                q
            }
            _ => return None,
        };
        fn push_attributes(expr: &Expr, q: &mut String) {
            if let Expr::Attribute(a) = expr {
                push_attributes(&a.value, q);
                q.push('.');
                q.push_str(a.attr.as_str());
            }
        }
        push_attributes(expr, &mut q);
        Some(q)
    }

    /// A name bound to module `module` (`import asyncio`, `import asyncio as aio`) that
    /// certainly holds that module when code at `at` in `scope` runs: it resolves to the
    /// module there, and is bound by an unconditional import at module level, or in the same
    /// function before `at`. The nearest one first.
    pub fn module_alias(&self, module: &str, scope: ScopeId, at: TextSize) -> Option<String> {
        let mut id = Some(scope);
        while let Some(s) = id {
            let sc = &self.scopes[s];
            let mut names: Vec<&str> = sc
                .bindings
                .iter()
                .filter(|(_, b)| b.iter().any(|k| matches!(k, BindingKind::Import(q) if q == module)))
                .map(|(n, _)| *n)
                .collect();
            names.sort_unstable();
            for name in names {
                if let Resolved::Binding {
                    kind: BindingKind::Import(q),
                    scope: bound_in,
                } = self.resolve(name, scope)
                {
                    let certain = self.scopes[bound_in]
                        .direct_imports
                        .iter()
                        .any(|(n, start)| *n == name && (bound_in == MODULE_SCOPE || *start < at));
                    if q == module && certain {
                        return Some(name.to_string());
                    }
                }
            }
            id = sc.parent;
        }
        None
    }

    /// `name` is free at `scope`: not bound there, in any enclosing scope or at module level,
    /// so a new module-level binding of it would shadow nothing and be seen at `scope`.
    pub fn is_unbound(&self, name: &str, scope: ScopeId) -> bool {
        matches!(self.resolve(name, scope), Resolved::Builtin) && self.scopes[MODULE_SCOPE].bindings(name).is_empty()
    }

    /// A new top-level `import <module>` would be what `<module>` means at `scope`: the name
    /// is free there, or bound only by (conditional) imports of that very module at module
    /// level, which another import of it cannot disturb.
    pub fn can_import_module(&self, module: &str, scope: ScopeId) -> bool {
        match self.resolve(module, scope) {
            Resolved::Builtin => true,
            Resolved::Binding {
                kind: BindingKind::Import(q),
                scope: MODULE_SCOPE,
            } => q == module,
            _ => false,
        }
    }

    /// Does any scope of the file bind `name`? (For picking names that collide with nothing.)
    pub fn binds_anywhere(&self, name: &str) -> bool {
        self.scopes
            .iter()
            .any(|s| !s.bindings(name).is_empty() || s.globals.contains(&name))
    }

    /// The innermost `def` whose body contains `scope`.
    pub fn enclosing_function(&self, scope: ScopeId) -> Option<&FunctionInfo<'a>> {
        let mut id = Some(scope);
        while let Some(s) = id {
            if let ScopeKind::Function { .. } = self.scopes[s].kind {
                return self.scopes[s].owner.map(|i| &self.functions[i]);
            }
            id = self.scopes[s].parent;
        }
        None
    }

    /// Is `inner` the scope `outer` or nested inside it?
    pub fn is_within(&self, inner: ScopeId, outer: ScopeId) -> bool {
        let mut id = Some(inner);
        while let Some(s) = id {
            if s == outer {
                return true;
            }
            id = self.scopes[s].parent;
        }
        false
    }

    /// What `name` is bound to at `scope`, if it is bound one way only.
    pub fn binding(&self, name: &str, scope: ScopeId) -> Option<BindingKind<'a>> {
        match self.resolve(name, scope) {
            Resolved::Binding { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The method (a `def` directly in a module-level class, not a staticmethod) whose body
    /// `scope` is, and its class.
    pub fn method_of(&self, scope: ScopeId) -> Option<(&FunctionInfo<'a>, &ClassInfo<'a>)> {
        if !matches!(self.scopes[scope].kind, ScopeKind::Function { .. }) {
            return None;
        }
        let index = self.scopes[scope].owner?;
        let class = self.methods().class_of[index]?;
        Some((&self.functions[index], &self.classes[class]))
    }

    fn methods(&self) -> &Methods {
        self.methods.get_or_init(|| {
            let class_of: Vec<Option<usize>> = self.functions.iter().map(|f| self.compute_method_class(f)).collect();
            let mut methods = Methods {
                class_of,
                self_assignments: Default::default(),
            };
            for (i, a) in self.attribute_assignments.iter().enumerate() {
                if let Some(class) = self.self_class_with(&methods, &a.target.value, a.scope) {
                    methods.self_assignments.entry(class.scope).or_default().push(i);
                }
            }
            methods
        })
    }

    fn compute_method_class(&self, function: &FunctionInfo<'a>) -> Option<usize> {
        let parent = &self.scopes[function.parent_scope];
        if parent.kind != ScopeKind::Class {
            return None;
        }
        let class = parent.owner?;
        if self.classes[class].parent_scope != MODULE_SCOPE {
            return None;
        }
        let is_static = function.def.decorator_list.iter().any(|d| {
            self.qualified_name(&d.expression, function.parent_scope).as_deref() == Some("builtins.staticmethod")
        });
        (!is_static).then_some(class)
    }

    /// The assignments `self.attr = ...` (annotated or not) in the methods of the class whose
    /// scope is `class_scope`, `self` being the method's first parameter, in source order.
    pub fn self_assignments(&self, class_scope: ScopeId) -> impl Iterator<Item = &AttributeAssignment<'a>> {
        self.methods()
            .self_assignments
            .get(&class_scope)
            .into_iter()
            .flatten()
            .map(|&i| &self.attribute_assignments[i])
    }

    /// The class of the method whose `self`/`cls` (its first parameter, not rebound)
    /// `receiver` is.
    pub fn self_class(&self, receiver: &Expr, scope: ScopeId) -> Option<&ClassInfo<'a>> {
        if !matches!(receiver, Expr::Name(_)) {
            return None;
        }
        self.self_class_with(self.methods(), receiver, scope)
    }

    fn self_class_with(&self, methods: &Methods, receiver: &Expr, scope: ScopeId) -> Option<&ClassInfo<'a>> {
        let Expr::Name(name) = receiver else {
            return None;
        };
        if !matches!(self.scopes[scope].kind, ScopeKind::Function { .. }) {
            return None;
        }
        let index = self.scopes[scope].owner?;
        let function = &self.functions[index];
        let class = &self.classes[methods.class_of[index]?];
        let parameters = &function.def.parameters;
        let first = parameters.posonlyargs.first().or(parameters.args.first())?;
        if first.parameter.name.as_str() != name.id.as_str() {
            return None;
        }
        // Still the parameter where it is used (not reassigned in the body).
        match self.resolve(name.id.as_str(), scope) {
            Resolved::Binding {
                kind: BindingKind::Parameter(_),
                scope: s,
            } if s == function.scope => Some(class),
            _ => None,
        }
    }

    /// `super()` (or `super(Class, self)`) inside a method of a module-level class: that class.
    pub fn super_class(&self, call: &ast::ExprCall, scope: ScopeId) -> Option<&ClassInfo<'a>> {
        if self.qualified_name(&call.func, scope).as_deref() != Some("builtins.super") {
            return None;
        }
        let (_, class) = self.method_of(scope)?;
        match call.arguments.args.as_ref() {
            [] => Some(class),
            [Expr::Name(c), _] if c.id.as_str() == class.def.name.as_str() => Some(class),
            _ => None,
        }
    }

    /// `self.<attr> = ...` somewhere in the methods of `class`.
    pub fn assigns_self_attribute(&self, class: &ClassInfo, attr: &str) -> bool {
        self.attribute_assignments.iter().any(|a| {
            a.target.attr.as_str() == attr
                && matches!(a.target.value.as_ref(), Expr::Name(n) if n.id.as_str() == "self")
                && self
                    .enclosing_function(a.scope)
                    .is_some_and(|f| f.parent_scope == class.scope)
        })
    }

    /// The `def` whose own body (not a lambda, nested `def`, class body or generator
    /// expression in it) contains code of `scope`.
    pub fn direct_function(&self, scope: ScopeId) -> Option<usize> {
        let mut id = scope;
        loop {
            match self.scopes[id].kind {
                ScopeKind::Comprehension => id = self.scopes[id].parent?,
                ScopeKind::Function { .. } => return self.scopes[id].owner,
                _ => return None,
            }
        }
    }

    /// The module imports something from `module` (or a submodule of it).
    pub fn uses_module(&self, module: &str) -> bool {
        self.imported_modules
            .iter()
            .any(|m| m == module || m.strip_prefix(module).is_some_and(|r| r.starts_with('.')))
    }
}

struct Builder<'a> {
    sem: Semantic<'a>,
    scope: ScopeId,
    /// For each open scope, the depth of `stmts` at which its body statements stand.
    body_depth: Vec<usize>,
    /// Indices into `sem.functions` of the enclosing `def`s.
    function_stack: Vec<usize>,
    exprs: Vec<&'a Expr>,
    stmts: Vec<&'a Stmt>,
    annotation: usize,
    depth: usize,
}

impl<'a> Builder<'a> {
    fn push_scope(&mut self, kind: ScopeKind, range: TextRange) -> ScopeId {
        let id = self.sem.scopes.len();
        self.sem.scopes.push(Scope::new(kind, Some(self.scope), range));
        self.scope = id;
        self.body_depth.push(self.stmts.len() + 1);
        id
    }

    fn pop_scope(&mut self) {
        self.body_depth.pop();
        self.scope = self.sem.scopes[self.scope]
            .parent
            .expect("module scope is never popped");
    }

    fn bind(&mut self, name: &'a str, kind: BindingKind<'a>) {
        let mut target = self.scope;
        if self.sem.scopes[target].globals.contains(&name) {
            target = MODULE_SCOPE;
        }
        self.sem.scopes[target].bindings.entry(name).or_default().push(kind);
    }

    /// Walrus targets bind in the nearest enclosing scope that is not a comprehension.
    fn bind_walrus(&mut self, name: &'a str) {
        let saved = self.scope;
        while matches!(
            self.sem.scopes[self.scope].kind,
            ScopeKind::Comprehension | ScopeKind::Generator
        ) {
            self.scope = self.sem.scopes[self.scope].parent.unwrap_or(MODULE_SCOPE);
        }
        self.bind(name, BindingKind::Other);
        self.scope = saved;
    }

    fn in_async(&self) -> bool {
        if self.annotation > 0 {
            return false;
        }
        let mut id = self.scope;
        loop {
            match self.sem.scopes[id].kind {
                ScopeKind::Comprehension => id = self.sem.scopes[id].parent.unwrap_or(MODULE_SCOPE),
                ScopeKind::Function { is_async } => return is_async,
                _ => return false,
            }
        }
    }

    fn count_async_construct(&mut self) {
        if !self.in_async() {
            self.sem.awaits_outside_async += 1;
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.sem.too_deep = true;
            false
        } else {
            true
        }
    }

    fn visit_comprehensions(
        &mut self,
        generators: &'a [ast::Comprehension],
        elts: &[&'a Expr],
        kind: ScopeKind,
        range: TextRange,
    ) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.push_scope(kind, range);
        for (i, comp) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&comp.iter);
            }
            self.visit_expr(&comp.target);
            for cond in &comp.ifs {
                self.visit_expr(cond);
            }
            if comp.is_async {
                self.count_async_construct();
            }
        }
        for elt in elts {
            self.visit_expr(elt);
        }
        self.pop_scope();
    }

    fn visit_parameters_outer(&mut self, parameters: &'a ast::Parameters) {
        for param in parameters.iter_non_variadic_params() {
            if let Some(default) = param.default.as_deref() {
                self.visit_expr(default);
            }
        }
        for param in parameters.iter() {
            if let Some(annotation) = param.as_parameter().annotation.as_deref() {
                self.visit_annotation(annotation);
            }
        }
    }

    fn bind_parameters(&mut self, parameters: &'a ast::Parameters) {
        for param in parameters.iter() {
            let param = param.as_parameter();
            self.bind(param.name.as_str(), BindingKind::Parameter(param.annotation.as_deref()));
        }
    }

    /// Bind a plain-name target to its value, or record an attribute assignment; other
    /// targets (tuples, subscripts, starred) are visited as ordinary stores.
    fn visit_target(&mut self, target: &'a Expr, value: Option<&'a Expr>, annotation: Option<&'a Expr>) {
        match (target, value) {
            (Expr::Name(name), Some(value)) => self.bind(name.id.as_str(), BindingKind::Assign(value)),
            (Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }), Some(value))
                if elts.iter().all(Expr::is_name_expr) =>
            {
                for (index, elt) in elts.iter().enumerate() {
                    if let Expr::Name(name) = elt {
                        self.bind(name.id.as_str(), BindingKind::Unpacked(value, index));
                    }
                }
            }
            (Expr::Attribute(attribute), _) => {
                self.sem.attribute_assignments.push(AttributeAssignment {
                    target: attribute,
                    value,
                    annotation,
                    scope: self.scope,
                });
                self.visit_expr(target);
            }
            _ => self.visit_expr(target),
        }
    }
}

impl<'a> Visitor<'a> for Builder<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.enter() {
            self.depth -= 1;
            return;
        }
        self.stmts.push(stmt);
        let saved_exprs = std::mem::take(&mut self.exprs);
        match stmt {
            Stmt::FunctionDef(def) => {
                for decorator in &def.decorator_list {
                    self.visit_decorator(decorator);
                }
                self.visit_parameters_outer(&def.parameters);
                if let Some(returns) = def.returns.as_deref() {
                    self.visit_annotation(returns);
                }
                let index = self.sem.functions.len();
                let parent_scope = self.scope;
                self.bind(def.name.as_str(), BindingKind::Function(index));
                let scope = self.push_scope(ScopeKind::Function { is_async: def.is_async }, def.range);
                self.sem.scopes[scope].owner = Some(index);
                self.sem.functions.push(FunctionInfo {
                    def,
                    parent_scope,
                    scope,
                    has_yield: false,
                });
                if let Some(type_params) = def.type_params.as_deref() {
                    self.visit_type_params(type_params);
                }
                self.bind_parameters(&def.parameters);
                self.function_stack.push(index);
                self.visit_body(&def.body);
                self.function_stack.pop();
                self.pop_scope();
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(arguments) = class.arguments.as_deref() {
                    self.visit_arguments(arguments);
                }
                let index = self.sem.classes.len();
                let parent_scope = self.scope;
                self.bind(class.name.as_str(), BindingKind::Class(index));
                let scope = self.push_scope(ScopeKind::Class, class.range);
                self.sem.scopes[scope].owner = Some(index);
                self.sem.classes.push(ClassInfo {
                    def: class,
                    parent_scope,
                    scope,
                });
                if let Some(type_params) = class.type_params.as_deref() {
                    self.visit_type_params(type_params);
                }
                // A class body is not a function: its `def`s are not "enclosing functions".
                let saved = std::mem::take(&mut self.function_stack);
                self.visit_body(&class.body);
                self.function_stack = saved;
                self.pop_scope();
            }
            Stmt::Import(import) => {
                let direct = self.body_depth.last() == Some(&self.stmts.len());
                for alias in &import.names {
                    let full = alias.name.as_str();
                    self.sem.imported_modules.push(full.to_string());
                    let (name, module) = match &alias.asname {
                        Some(asname) => (asname.as_str(), full),
                        None => {
                            let head = full.split('.').next().unwrap_or(full);
                            (head, head)
                        }
                    };
                    self.bind(name, BindingKind::Import(module.to_string()));
                    if direct {
                        self.sem.scopes[self.scope]
                            .direct_imports
                            .push((name, import.range.start()));
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let mut module = ".".repeat(import.level as usize);
                if let Some(m) = &import.module {
                    module.push_str(m.as_str());
                }
                self.sem.imported_modules.push(module.clone());
                for alias in &import.names {
                    let member = alias.name.as_str();
                    if member == "*" {
                        self.sem.scopes[self.scope].star_import = true;
                        if self.scope == MODULE_SCOPE {
                            self.sem.star_imports.push(module.clone());
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().map_or(member, |a| a.as_str());
                    let qualified = if module.ends_with('.') || module.is_empty() {
                        format!("{module}{member}")
                    } else {
                        format!("{module}.{member}")
                    };
                    self.bind(bound, BindingKind::Import(qualified));
                }
            }
            Stmt::Global(global) => {
                for name in &global.names {
                    self.sem.scopes[self.scope].globals.push(name.as_str());
                    self.sem.scopes[MODULE_SCOPE].bindings.entry(name.as_str()).or_default();
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                // The enclosing function's variable may be rebound from here: make it ambiguous.
                let parent = self.sem.scopes[self.scope].parent.unwrap_or(MODULE_SCOPE);
                for name in &nonlocal.names {
                    self.sem.scopes[parent]
                        .bindings
                        .entry(name.as_str())
                        .or_default()
                        .push(BindingKind::Other);
                }
            }
            Stmt::For(f) if f.is_async => {
                self.count_async_construct();
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AnnAssign(a) => {
                // The annotation is not evaluated in function scopes and is type-only anyway.
                self.visit_annotation(&a.annotation);
                if let Some(value) = a.value.as_deref() {
                    self.visit_expr(value);
                }
                self.visit_target(&a.target, a.value.as_deref(), Some(&a.annotation));
                if let Expr::Name(name) = a.target.as_ref() {
                    let mut target = self.scope;
                    if self.sem.scopes[target].globals.contains(&name.id.as_str()) {
                        target = MODULE_SCOPE;
                    }
                    self.sem.scopes[target]
                        .declarations
                        .entry(name.id.as_str())
                        .or_default()
                        .push((&a.annotation, stmt.start()));
                }
            }
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                // `a = b = f()`: both names are bound to the same value.
                for target in &a.targets {
                    self.visit_target(target, Some(&a.value), None);
                }
            }
            Stmt::With(w) => {
                if w.is_async {
                    self.count_async_construct();
                }
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    match item.optional_vars.as_deref() {
                        Some(Expr::Name(name)) => self.bind(name.id.as_str(), BindingKind::WithAs(&item.context_expr)),
                        Some(other) => self.visit_expr(other),
                        None => {}
                    }
                }
                self.visit_body(&w.body);
            }
            Stmt::Try(t) => {
                self.visit_body(&t.body);
                for handler in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(type_) = h.type_.as_deref() {
                        self.visit_expr(type_);
                    }
                    if let Some(name) = &h.name {
                        self.bind(name.as_str(), BindingKind::Other);
                    }
                    self.visit_body(&h.body);
                }
                self.visit_body(&t.orelse);
                self.visit_body(&t.finalbody);
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.exprs = saved_exprs;
        self.stmts.pop();
        self.depth -= 1;
    }

    fn visit_annotation(&mut self, expr: &'a Expr) {
        self.annotation += 1;
        self.visit_expr(expr);
        self.annotation -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.enter() {
            self.depth -= 1;
            return;
        }
        match expr {
            Expr::Call(call) => {
                let site = CallSite {
                    call,
                    scope: self.scope,
                    in_async: self.in_async(),
                    parent: self.exprs.last().copied(),
                    stmt: self.stmts.last().copied().expect("calls are inside statements"),
                };
                self.sem.calls.push(site);
            }
            Expr::Name(name) if !matches!(name.ctx, ast::ExprContext::Load) => {
                self.bind(name.id.as_str(), BindingKind::Other);
            }
            Expr::Await(_) => self.count_async_construct(),
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                if let (Some(&f), ScopeKind::Function { .. }) =
                    (self.function_stack.last(), self.sem.scopes[self.scope].kind)
                {
                    if self.sem.functions[f].scope == self.scope {
                        self.sem.functions[f].has_yield = true;
                    }
                }
            }
            _ => {}
        }
        self.exprs.push(expr);
        match expr {
            Expr::Lambda(lambda) => {
                if let Some(parameters) = lambda.parameters.as_deref() {
                    self.visit_parameters_outer(parameters);
                }
                self.push_scope(ScopeKind::Lambda, lambda.range);
                if let Some(parameters) = lambda.parameters.as_deref() {
                    self.bind_parameters(parameters);
                }
                self.visit_expr(&lambda.body);
                self.pop_scope();
            }
            Expr::ListComp(c) => self.visit_comprehensions(&c.generators, &[&c.elt], ScopeKind::Comprehension, c.range),
            Expr::SetComp(c) => self.visit_comprehensions(&c.generators, &[&c.elt], ScopeKind::Comprehension, c.range),
            Expr::DictComp(c) => {
                let mut elts: Vec<&'a Expr> = Vec::with_capacity(2);
                if let Some(key) = c.key.as_deref() {
                    elts.push(key);
                }
                elts.push(&c.value);
                self.visit_comprehensions(&c.generators, &elts, ScopeKind::Comprehension, c.range)
            }
            Expr::Generator(g) => self.visit_comprehensions(&g.generators, &[&g.elt], ScopeKind::Generator, g.range),
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                if let Expr::Name(target) = named.target.as_ref() {
                    self.bind_walrus(target.id.as_str());
                } else {
                    self.visit_expr(&named.target);
                }
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.exprs.pop();
        self.depth -= 1;
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        match pattern {
            Pattern::MatchAs(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), BindingKind::Other);
                }
            }
            Pattern::MatchStar(p) => {
                if let Some(name) = &p.name {
                    self.bind(name.as_str(), BindingKind::Other);
                }
            }
            Pattern::MatchMapping(p) => {
                if let Some(name) = &p.rest {
                    self.bind(name.as_str(), BindingKind::Other);
                }
            }
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_type_param(&mut self, type_param: &'a ast::TypeParam) {
        self.bind(type_param.name().as_str(), BindingKind::Other);
        visitor::walk_type_param(self, type_param);
    }
}

/// How deep the tree nests, counting statements and expressions, up to `limit`
/// (for trees that are not otherwise visited, e.g. ones with syntax errors).
pub fn exceeds_depth(module: &ModModule, limit: usize) -> bool {
    struct Probe {
        depth: usize,
        limit: usize,
        exceeded: bool,
    }
    impl<'a> Visitor<'a> for Probe {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.depth += 1;
            if self.depth > self.limit {
                self.exceeded = true;
            } else if !self.exceeded {
                visitor::walk_stmt(self, stmt);
            }
            self.depth -= 1;
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            self.depth += 1;
            if self.depth > self.limit {
                self.exceeded = true;
            } else if !self.exceeded {
                visitor::walk_expr(self, expr);
            }
            self.depth -= 1;
        }
    }
    let mut probe = Probe {
        depth: 0,
        limit,
        exceeded: false,
    };
    probe.visit_body(&module.body);
    probe.exceeded
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn with_semantic(src: &str, f: impl FnOnce(&Semantic)) {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        f(&sem);
    }

    fn call_names(sem: &Semantic) -> Vec<(Option<String>, bool)> {
        sem.calls
            .iter()
            .map(|c| (sem.qualified_name(&c.call.func, c.scope), c.in_async))
            .collect()
    }

    #[test]
    fn aliases_and_from_imports() {
        let src = "import time as t\nfrom time import sleep as snooze\nimport os.path\nasync def f():\n    t.sleep(1)\n    snooze(2)\n    os.path.join()\n    input()\n";
        with_semantic(src, |sem| {
            assert_eq!(
                call_names(sem),
                vec![
                    (Some("time.sleep".into()), true),
                    (Some("time.sleep".into()), true),
                    (Some("os.path.join".into()), true),
                    (Some("builtins.input".into()), true),
                ]
            );
        });
    }

    #[test]
    fn shadowing() {
        let src = "import time\nasync def f(time):\n    time.sleep(1)\nasync def g():\n    time = None\n    time.sleep(1)\nasync def h():\n    time.sleep(1)\n";
        with_semantic(src, |sem| {
            let names = call_names(sem);
            assert_eq!(names[0].0, None);
            assert_eq!(names[1].0, None);
            assert_eq!(names[2].0, Some("time.sleep".into()));
        });
        // A module-level rebinding makes the name ambiguous everywhere.
        with_semantic(
            "from time import sleep\ndef sleep(x): pass\nasync def f():\n    sleep(1)\n",
            |sem| {
                assert_eq!(call_names(sem)[0].0, None);
            },
        );
        // `global` sends the binding to the module.
        with_semantic(
            "import time\ndef g():\n    global time\n    time = 1\nasync def f():\n    time.sleep(1)\n",
            |sem| {
                assert_eq!(call_names(sem)[0].0, None);
            },
        );
        // Function-local imports.
        with_semantic(
            "async def f():\n    import time as tt\n    tt.sleep(1)\nasync def g():\n    tt.sleep(1)\n",
            |sem| {
                let names = call_names(sem);
                assert_eq!(names[0].0, Some("time.sleep".into()));
                assert_eq!(names[1].0, Some("builtins.tt.sleep".into()));
            },
        );
    }

    #[test]
    fn class_scope_is_skipped_by_methods() {
        let src = "import time\nclass A:\n    time = 3\n    async def m(self):\n        time.sleep(1)\n";
        with_semantic(src, |sem| assert_eq!(call_names(sem)[0].0, Some("time.sleep".into())));
    }

    #[test]
    fn async_context() {
        let src = "async def f():\n    a()\n    lambda: b()\n    def g():\n        c()\n    class K:\n        d()\n    [e() for _ in x]\n    (h() for _ in x)\n    def i(p=j()): pass\ndef k():\n    l()\n";
        with_semantic(src, |sem| {
            let got: Vec<bool> = sem.calls.iter().map(|c| c.in_async).collect();
            // a lambda-b g-c K-d e h j l, in visiting order
            let names: Vec<String> = sem
                .calls
                .iter()
                .map(|c| {
                    sem.qualified_name(&c.call.func, c.scope)
                        .unwrap()
                        .replace("builtins.", "")
                })
                .collect();
            let pairs: Vec<(String, bool)> = names.into_iter().zip(got).collect();
            let expect = [
                ("a", true),
                ("b", false),
                ("c", false),
                ("d", false),
                ("e", true),
                ("h", false),
                ("j", true),
                ("l", false),
            ];
            for (name, is_async) in expect {
                assert!(pairs.contains(&(name.to_string(), is_async)), "{name}: {pairs:?}");
            }
        });
    }

    #[test]
    fn awaits_outside_async_are_counted() {
        with_semantic("async def f():\n    await x\n    async with y: pass\n", |sem| {
            assert_eq!(sem.awaits_outside_async, 0)
        });
        with_semantic(
            "def f():\n    await x\n    lambda: (await y)\nasync def g():\n    def h():\n        await z\n",
            |sem| assert_eq!(sem.awaits_outside_async, 3),
        );
    }

    #[test]
    fn assigned_values_and_parameters() {
        let src = "import asyncio\nasync def f(p: int, q):\n    loop = asyncio.get_running_loop()\n    async with asyncio.TaskGroup() as tg:\n        pass\n    a, b = 1, 2\n    self.x = 3\n";
        with_semantic(src, |sem| {
            let f = 1;
            assert!(matches!(
                sem.binding("loop", f),
                Some(BindingKind::Assign(Expr::Call(_)))
            ));
            assert!(matches!(sem.binding("tg", f), Some(BindingKind::WithAs(Expr::Call(_)))));
            assert!(matches!(sem.binding("p", f), Some(BindingKind::Parameter(Some(_)))));
            assert!(matches!(sem.binding("q", f), Some(BindingKind::Parameter(None))));
            assert!(matches!(sem.binding("a", f), Some(BindingKind::Unpacked(_, 0))));
            assert_eq!(sem.attribute_assignments.len(), 1);
            assert_eq!(sem.attribute_assignments[0].target.attr.as_str(), "x");
        });
        // Two different assignments of one name: ambiguous.
        with_semantic("x = 1\nx = 2\n", |sem| {
            assert_eq!(sem.resolve("x", 0), Resolved::Ambiguous)
        });
    }

    #[test]
    fn module_alias_lookup() {
        let at = TextSize::from(1000);
        with_semantic("import asyncio as aio\nasync def f():\n    pass\n", |sem| {
            assert_eq!(sem.module_alias("asyncio", 1, at), Some("aio".into()));
            assert!(sem.can_import_module("asyncio", 1));
        });
        with_semantic("async def f(asyncio):\n    pass\n", |sem| {
            assert_eq!(sem.module_alias("asyncio", 1, at), None);
            assert!(!sem.can_import_module("asyncio", 1));
        });
        // Conditional imports are not reused, but another import of the module is harmless.
        with_semantic(
            "if TYPE_CHECKING:\n    import asyncio\nasync def f():\n    pass\n",
            |sem| {
                assert_eq!(sem.module_alias("asyncio", 1, at), None);
                assert!(sem.can_import_module("asyncio", 1));
            },
        );
        // A local import later in the function is not bound yet.
        with_semantic("async def f():\n    x = 1\n    import asyncio\n", |sem| {
            assert_eq!(sem.module_alias("asyncio", 1, TextSize::from(20)), None);
            assert!(sem.module_alias("asyncio", 1, TextSize::from(40)).is_some());
            assert!(!sem.can_import_module("asyncio", 1));
        });
    }
}
