//! The byte-level prefilter: what a file that was not parsed may bind and mention
//! (`LazyHints`, `WordSet`), and the word groups that decide whether it is read again.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::project::index::{join, MAX_HOPS};
use crate::project::modules::ModulePath;
use crate::project::summary::{CallableKind, FileSummary, Member, Symbol};

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
    pub(crate) fn may_bind(&self, name: &str, any_def: bool) -> bool {
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
    memchr::memrchr(b'.', qualified.as_bytes()).map_or(qualified, |i| &qualified[i + 1..])
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
pub(crate) struct WordGroups {
    groups: Vec<WordGroup>,
    by_key: rustc_hash::FxHashMap<u64, Vec<usize>>,
    /// A bit per key (by the top bits of its hash): most words of a file are no key, and
    /// this says so without a map lookup.
    key_bits: Vec<u64>,
    /// The words and calls (sorted) of the groups without a module condition.
    unscoped: HashSet<(Vec<u64>, Vec<u64>)>,
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
    fn push_hashed(&mut self, words: Vec<u64>, mut called: Vec<u64>, module: Option<Arc<ModuleScope>>) {
        // A group that needs the same words and calls as one without a module condition
        // matches nowhere that one does not: not kept (a class re-exported under its own
        // name by each of thousands of modules, as Home Assistant's `HomeAssistant` is,
        // made as many groups for every file mentioning it to try).
        called.sort_unstable();
        called.dedup();
        let shape = (words, called);
        if module.is_none() {
            if !self.unscoped.insert(shape.clone()) {
                return;
            }
        } else if self.unscoped.contains(&shape) {
            return;
        }
        let (words, called) = shape;
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
    pub(crate) fn matches(&self, words: &WordSet, file_module: &str) -> bool {
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
    pub(crate) fn collect(
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
        // Names as hashes from here on (a collision only adds a group: a file parsed more).
        // `module.name` of a module, hashed as the joined string is, without making it.
        let mut buffer = String::new();
        let mut qualified_hash = |module: &str, name: &str| {
            buffer.clear();
            buffer.push_str(module);
            if !name.is_empty() {
                buffer.push('.');
                buffer.push_str(name);
            }
            word_hash(buffer.as_bytes())
        };
        // The names a file without `async` can call (see `push`).
        let callable = |name: &str| !name.is_empty() && !name.contains("async");
        let mut coroutine_functions: HashSet<u64> = HashSet::default();
        // Classes with coroutine methods (their own or inherited); class name → the methods
        // among them a file without `async` can call (own, then inherited); base name →
        // classes.
        let mut with_methods: HashSet<&str> = HashSet::default();
        let mut inherited: HashMap<&str, HashSet<u64>> = HashMap::default();
        let mut children: HashMap<&str, Vec<&str>> = HashMap::default();
        for (summary, scope) in summaries.iter().zip(&scopes) {
            for (name, symbol) in &summary.symbols {
                match symbol {
                    Symbol::Function(f) if f.kind == CallableKind::Coroutine || f.returns_task => {
                        coroutine_functions.insert(qualified_hash(&summary.module.name, name));
                        out.push(&[], &[name], scope.clone());
                    }
                    Symbol::Class(c) => {
                        let mut methods = c
                            .members
                            .iter()
                            .filter(|(_, m)| {
                                matches!(m, Member::Method(f) if f.kind == CallableKind::Coroutine || f.returns_task)
                            })
                            .map(|(n, _)| n.as_str())
                            .peekable();
                        if methods.peek().is_some() {
                            with_methods.insert(name);
                            let methods: Vec<u64> = methods
                                .filter(|m| callable(m))
                                .map(|m| word_hash(m.as_bytes()))
                                .collect();
                            if !methods.is_empty() {
                                inherited.entry(name).or_default().extend(methods);
                            }
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
        // Inherit along bases (by name), to a fixed point: having coroutine methods, and
        // which of them can be called.
        let mut work: Vec<&str> = with_methods.iter().copied().collect();
        while let Some(base) = work.pop() {
            for &kid in children.get(base).into_iter().flatten() {
                if with_methods.insert(kid) {
                    work.push(kid);
                }
            }
        }
        let mut work: Vec<&str> = inherited.keys().copied().collect();
        while let Some(base) = work.pop() {
            let Some(kids) = children.get(base) else {
                continue;
            };
            let methods: Vec<u64> = inherited[base].iter().copied().collect();
            for &kid in kids {
                let set = inherited.entry(kid).or_default();
                let before = set.len();
                set.extend(methods.iter().copied());
                if set.len() != before {
                    work.push(kid);
                }
            }
        }
        // Each class's callable methods, sorted, once.
        let inherited: HashMap<&str, Vec<u64>> = inherited
            .into_iter()
            .map(|(class, methods)| (class, methods.into_iter().collect()))
            .collect();
        for (class, methods) in &inherited {
            if callable(class) {
                out.push_hashed(vec![word_hash(class.as_bytes())], methods.clone(), None);
            }
        }
        // Re-exports of coroutine functions, by absolute name, to a fixed point (through a
        // chain of re-exports of any length; a module is found by its name).
        // (name, target, module)
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
        let targets: Vec<u64> = imports
            .iter()
            .map(|(_, target, _)| word_hash(target.as_bytes()))
            .collect();
        let mut reexports = vec![false; imports.len()];
        loop {
            let before = coroutine_functions.len();
            for (i, &(name, _, module)) in imports.iter().enumerate() {
                if !reexports[i] && coroutine_functions.contains(&targets[i]) {
                    reexports[i] = true;
                    coroutine_functions.insert(qualified_hash(&summaries[module].module.name, name));
                }
            }
            if coroutine_functions.len() == before {
                break;
            }
        }
        for (&(name, target, module), reexport) in imports.iter().zip(reexports) {
            // A re-export: callers name this module and the name it gives (and, for a class,
            // call one of its methods).
            if let Some(methods) = inherited.get(last_name(target)) {
                if callable(name) {
                    out.push_hashed(
                        vec![word_hash(name.as_bytes())],
                        methods.clone(),
                        scopes[module].clone(),
                    );
                }
            }
            if reexport {
                out.push(&[], &[name], scopes[module].clone());
            }
        }
        // Factories of such classes (or of curated types), called.
        let mut factories: Vec<u64> = Vec::new();
        for (summary, scope) in summaries.iter().zip(&scopes) {
            for (name, symbol) in &summary.symbols {
                if let Symbol::Function(f) = symbol {
                    let factory = f.returns.as_deref().is_some_and(|r| {
                        with_methods.contains(last_name(r))
                            || crate::knowledge::coroutines::is_known_type(&crate::knowledge::coroutines::canonical(r))
                    });
                    if factory {
                        factories.push(qualified_hash(&summary.module.name, name));
                        out.push(&[], &[name], scope.clone());
                    }
                }
            }
        }
        // Re-exports by modules that were not parsed, by name (their hints know no more), to
        // a fixed point: functions called under the name they give, classes with the
        // methods they pass on.
        let mut functions: HashSet<u64> = coroutine_functions;
        functions.extend(factories);
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
                    let methods = classes.contains_key(imported);
                    if !(function || methods) || !done.insert((i, bound)) {
                        continue;
                    }
                    let scope = module_scope(module);
                    if function {
                        functions.insert(word_hash(join(&module.name, name).as_bytes()));
                        out.push_hashed(Vec::new(), vec![bound], scope.clone());
                    }
                    // (Under its own name, the class's group covers it already.)
                    if methods && bound != *imported {
                        let methods = classes[imported].clone();
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

    /// The text may mention the identifier `word` (a hash collision says yes).
    pub fn mentions(&self, word: &str) -> bool {
        self.contains(word_hash(word.as_bytes()))
    }
}

fn word_hash(word: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(word);
    h.finish()
}
