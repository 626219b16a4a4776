//! The project index: every module of the project, summarised in the first phase or on demand
//! (`summary`), resolution of absolute names across modules through re-exports, star imports
//! and base classes (`View`), the questions rules ask about the project and their answers as
//! data (`Query`, `Answer`), and the one call-graph walk (`ProjectIndex::reach`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::registry::Rule;

pub use crate::project::modules::{ModuleNamer, ModulePath};
use crate::project::prefilter::WordGroups;
pub use crate::project::prefilter::{class_headers, LazyHints, WordSet};
pub use crate::project::summary::*;

/// How many import hops and base classes resolution follows before giving up.
pub(crate) const MAX_HOPS: usize = 16;

/// One module for [`ProjectIndex::new`]: its file, its name, its summary when it was parsed
/// in the first phase, and what it may bind when it was not.
pub type IndexEntry = (PathBuf, ModulePath, Option<Arc<FileSummary>>, Option<Arc<LazyHints>>);

/// What the word groups are made from: the summaries of the first phase, the class headers
/// of the files it did not parse, and the configured extra words.
type WordInputs = (Vec<Arc<FileSummary>>, Vec<(String, Vec<String>)>, Vec<String>);

/// A module of the project: its index in [`ProjectIndex`]'s table. Resolution finds a module
/// by name once per hop and works on its id from there (its summary, hints, star names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ModuleId(u32);

/// A node of [`ProjectIndex::prefixes`].
#[derive(Default)]
struct Prefix {
    module: Option<ModuleId>,
    children: HashMap<Box<str>, u32>,
}

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
    /// By [`ModuleId`].
    modules: Vec<ModuleEntry>,
    /// The id of each module name.
    ids: HashMap<String, ModuleId>,
    /// The module names as a tree of their names (`a` → `b` → `c` for `a.b.c`), the root
    /// first, with the module's id at the nodes that are one: [`View::split_module`] walks a
    /// name's parts down it and stops at the first part no module name has there.
    prefixes: Vec<Prefix>,
    /// Identifiers a file must mention to call a coroutine function of the project
    /// (see [`ProjectIndex::word_groups`]).
    words: OnceLock<WordGroups>,
    word_inputs: WordInputs,
    /// See [`ProjectIndex::reached_loops`].
    reached: OnceLock<HashMap<(String, String), Vec<String>>>,
    /// The modules of `reached`.
    reached_modules: OnceLock<HashSet<String>>,
    /// See [`ProjectIndex::rewrapped`].
    rewrapped: HashSet<String>,
    /// See [`ProjectIndex::blocking_helper`]: filled as queries ask.
    helpers: std::sync::RwLock<rustc_hash::FxHashMap<CallRef, Option<Arc<BlockingHelper>>>>,
    /// Answers to questions (many call sites ask the same), filled as they are asked.
    answers: std::sync::RwLock<rustc_hash::FxHashMap<Query, bool>>,
    /// See [`ProjectIndex::star_names`], by [`ModuleId`]: filled as lookups ask.
    star_names: Vec<OnceLock<Arc<HashSet<String>>>>,
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
    pub fn new(files: Vec<IndexEntry>, headers: Vec<(String, Vec<String>)>, extra_words: &[String]) -> Self {
        let mut modules: Vec<ModuleEntry> = Vec::new();
        let mut ids: HashMap<String, ModuleId> = HashMap::default();
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
            match ids.entry(module.name.clone()) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    modules[e.get().0 as usize].summary = OnceLock::from(None);
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(ModuleId(modules.len() as u32));
                    modules.push(ModuleEntry {
                        path,
                        module,
                        hints,
                        summary: cell,
                    });
                }
            }
        }
        let roots = ids
            .keys()
            .filter_map(|m| m.split('.').next())
            .map(str::to_string)
            .collect();
        let star_names = modules.iter().map(|_| OnceLock::new()).collect();
        let mut prefixes: Vec<Prefix> = vec![Prefix::default()];
        for (name, &id) in &ids {
            let mut node = 0;
            for part in name.split('.') {
                let next = prefixes.len() as u32;
                let child = *prefixes[node].children.entry(part.into()).or_insert(next);
                if child == next {
                    prefixes.push(Prefix::default());
                }
                node = child as usize;
            }
            prefixes[node].module = Some(id);
        }
        let rewrapped = eager.iter().flat_map(|s| s.rewrapped.iter().cloned()).collect();
        Self {
            modules,
            ids,
            prefixes,
            words: OnceLock::new(),
            word_inputs: (eager, headers, extra_words.to_vec()),
            reached: OnceLock::new(),
            reached_modules: OnceLock::new(),
            rewrapped,
            helpers: Default::default(),
            answers: Default::default(),
            star_names,
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
                .iter()
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
        // Independent of each other (the word groups come from the first phase's summaries
        // alone): both cores may take part.
        rayon::join(|| self.word_groups(), || self.reached_loops());
    }

    /// Can `module` bind `name` in a way that leads to a coroutine function or a task factory?
    /// Answered without parsing a module the first phase did not parse, from its hints.
    /// `any_def`: a plain sync function counts (for the walks through sync helpers).
    fn may_bind(&self, module: ModuleId, name: &str, any_def: bool) -> bool {
        let entry = &self.modules[module.0 as usize];
        match (&entry.hints, entry.summary.get()) {
            (Some(hints), None) => hints.may_bind(name, any_def),
            _ => true,
        }
    }

    fn id(&self, module: &str) -> Option<ModuleId> {
        self.ids.get(module).copied()
    }

    /// Every name a lookup through the star imports of `module` could find: what the modules
    /// it star-imports (transitively) keep as symbols or call summaries, and their submodules.
    /// A superset (privacy and shadowing are not applied), so a name outside it is certainly
    /// not found there: the lookup stops instead of searching every star-imported module
    /// again for each name (a package star-importing dozens of modules that star-import it
    /// back made that most of the time on litellm).
    fn star_names(&self, id: ModuleId) -> Arc<HashSet<String>> {
        self.star_names[id.0 as usize]
            .get_or_init(|| Arc::new(self.collect_star_names(&self.modules[id.0 as usize].module.name)))
            .clone()
    }

    fn collect_star_names(&self, module: &str) -> HashSet<String> {
        let mut names: HashSet<String> = HashSet::default();
        let mut seen: HashSet<String> = std::iter::once(module.to_string()).collect();
        let mut work: Vec<String> = self
            .summary(module)
            .map(|s| s.star_imports.iter().map(|m| m.as_str().to_string()).collect())
            .unwrap_or_default();
        while let Some(source) = work.pop() {
            if !seen.insert(source.clone()) {
                continue;
            }
            let prefix = format!("{source}.");
            names.extend(
                self.ids
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
                work.extend(summary.star_imports.iter().map(|m| m.as_str().to_string()));
            }
        }
        names
    }

    pub fn summary(&self, module: &str) -> Option<Arc<FileSummary>> {
        self.summary_of(self.id(module)?)
    }

    fn summary_of(&self, id: ModuleId) -> Option<Arc<FileSummary>> {
        let entry = &self.modules[id.0 as usize];
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
                .id(own_name)
                .and_then(|id| self.modules[id.0 as usize].summary.get())
                .is_some_and(|s| s.as_ref().is_some_and(|s| Arc::ptr_eq(s, own))),
        };
        View {
            index: self,
            own_name,
            own_parts: match &own {
                Some(_) => own_name.split('.').collect(),
                None => Vec::new(),
            },
            own,
            shared,
        }
    }

    /// Resolution with no module of its own.
    pub fn global(&self) -> View<'_> {
        self.view("", None)
    }

    /// The summary of `module` if it has been made (in the first phase or on demand), without
    /// making it: `Some(None)` when it was made and the module could not be summarised.
    pub fn summary_if_made(&self, module: &str) -> Option<Option<Arc<FileSummary>>> {
        self.modules[self.id(module)?.0 as usize].summary.get().cloned()
    }

    /// Give `module` the summary it would be given on demand (made by another index from the
    /// same text), so that a new index of the same files does not read and parse it again
    /// (the language server makes one after each edit). Nothing changes for a module whose
    /// summary is made already.
    pub fn seed_summary(&self, module: &str, summary: Option<Arc<FileSummary>>) {
        if let Some(id) = self.id(module) {
            let _ = self.modules[id.0 as usize].summary.set(summary);
        }
    }
}

/// The (module, name) pairs one lookup has looked at, by hash (a collision can only end a
/// lookup early: no finding, never a wrong one). Most lookups look at a few: those stay in
/// place, without allocating.
#[derive(Default)]
pub(crate) struct Visited {
    few: [u64; 8],
    len: usize,
    more: HashSet<u64>,
}

impl Visited {
    /// Record the pair; false when it was there already.
    /// `module`: `None` for the view's own module when the index does not have it.
    fn insert(&mut self, module: Option<ModuleId>, name: &str) -> bool {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
        hasher.write_u32(module.map_or(u32::MAX, |m| m.0));
        hasher.write(name.as_bytes());
        let hash = hasher.finish();
        if self.few[..self.len].contains(&hash) || self.more.contains(&hash) {
            return false;
        }
        if self.len < self.few.len() {
            self.few[self.len] = hash;
            self.len += 1;
        } else {
            self.more.insert(hash);
        }
        true
    }
}

/// Resolution against the project index, from one module's point of view.
pub struct View<'a> {
    index: &'a ProjectIndex,
    own_name: &'a str,
    /// The names of `own_name` when the view has a summary of its own (else none).
    own_parts: Vec<&'a str>,
    own: Option<Arc<FileSummary>>,
    /// Resolves as the index does (see [`ProjectIndex::view`]): answers can be shared.
    shared: bool,
}

/// What [`View::follow`] found a name bound to, in the module that binds it.
struct Bound<'b> {
    module: &'b str,
    /// The name (`Class` in `pkg.mod.Class.m`), and the names after it (`m`).
    name: &'b str,
    /// (`m`; `Inner`, `m`), empty when the name is the whole rest.
    tail: &'b [&'b str],
    summary: &'b Arc<FileSummary>,
    /// `None`: a plain function (its flow) or nothing the summary keeps.
    symbol: Option<&'b Symbol>,
    /// The hops left.
    hops: usize,
}

impl Bound<'_> {
    /// The tail when it is one name (`m` in `pkg.mod.Class.m`).
    fn single_tail(&self) -> Option<&str> {
        match self.tail {
            [name] => Some(name),
            _ => None,
        }
    }
}

impl View<'_> {
    /// The longest run of first names of `parts` that is a module of the project (`pkg.mod`
    /// of `pkg`, `mod`, `Class`, `m`): its name, its id in the index (`None` for the view's own
    /// module when the index does not have it) and how many names it takes.
    fn split_module(&self, parts: &[&str]) -> Option<(&str, Option<ModuleId>, usize)> {
        let prefixes = &self.index.prefixes;
        let mut best = None;
        let mut node = 0;
        for (i, part) in parts.iter().enumerate() {
            // (An empty index has no root.)
            let Some(&child) = prefixes.get(node).and_then(|n| n.children.get(*part)) else {
                break;
            };
            node = child as usize;
            if let Some(id) = prefixes[node].module {
                best = Some((id, i + 1));
            }
        }
        let own = self.own_parts.len();
        if own > 0 && best.is_none_or(|(_, taken)| taken < own) && parts.get(..own) == Some(&self.own_parts[..]) {
            return Some((self.own_name, None, own));
        }
        best.map(|(id, taken)| (self.index.modules[id.0 as usize].module.name.as_str(), Some(id), taken))
    }

    /// What an absolute qualified name stands for: a function (`pkg.mod.f`), a method
    /// through its class (`pkg.mod.Class.m`), followed through re-exports.
    pub fn function(&self, qualified: &str) -> Resolution {
        self.function_hops(qualified, MAX_HOPS)
    }

    fn function_hops(&self, qualified: &str, hops: usize) -> Resolution {
        self.follow(qualified, hops, false, &|b| match b.symbol? {
            Symbol::Function(facts) if b.tail.is_empty() => Some(facts.clone()),
            Symbol::Class(_) => self.method(&format!("{}.{}", b.module, b.name), b.single_tail()?, false),
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
        let mut visited = Visited::default();
        let parts: Parts = split_dotted(qualified).collect();
        self.follow_from(&parts, hops, any_def, found, &mut visited)
    }

    fn follow_from<T>(
        &self,
        parts: &[&str],
        hops: usize,
        any_def: bool,
        found: &dyn Fn(Bound) -> Option<T>,
        visited: &mut Visited,
    ) -> Option<T> {
        if hops == 0 {
            return None;
        }
        let (module, id, taken) = self.split_module(parts)?;
        let (first, tail) = match &parts[taken..] {
            [first, tail @ ..] => (*first, tail),
            [] => return None,
        };
        // What one module binds a name to is looked up once: the tail does not change it.
        if !visited.insert(id, first) {
            return None;
        }
        let own = id.is_none() || module == self.own_name;
        if !own && id.is_some_and(|id| !self.index.may_bind(id, first, any_def)) {
            return None;
        }
        let summary = match (&self.own, id) {
            (Some(own_summary), _) if own => own_summary.clone(),
            (_, Some(id)) => self.index.summary_of(id)?,
            _ => return None,
        };
        let symbol = summary.symbols.get(first);
        match symbol {
            None if !(any_def && summary.flows.contains_key(first)) => {
                let sources = summary.star_sources(first);
                // (A shared view's modules are the index's: they have ids.)
                if sources.is_empty() || self.shared && id.is_some_and(|id| !self.index.star_names(id).contains(first))
                {
                    return None;
                }
                sources.iter().find_map(|m| {
                    let next: Parts = m.parts().chain(parts[taken..].iter().copied()).collect();
                    self.follow_from(&next, hops - 1, any_def, found, visited)
                })
            }
            Some(Symbol::Import(target)) => {
                let next: Parts = target.parts().chain(tail.iter().copied()).collect();
                self.follow_from(&next, hops - 1, any_def, found, visited)
            }
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
            Some(Symbol::Class(facts)) => Some((class_q, (**facts).clone())),
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
            Some(Symbol::Class(_)) if b.single_tail().is_some() => {
                self.locate_method(&format!("{}.{}", b.module, b.name), b.single_tail()?, b.hops - 1)
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

    /// Is `class`, or one of its bases, a class whose members some module of the project
    /// rebinds by computed name (see [`FileSummary::rewrapped`])? Unresolvable bases do not
    /// count.
    pub fn is_rewrapped(&self, class: &str) -> bool {
        let rewrapped = self.index.rewrapped();
        if rewrapped.is_empty() {
            return false;
        }
        let mut visited = HashSet::default();
        let mut todo = vec![class.to_string()];
        while let Some(next) = todo.pop() {
            if visited.len() > MAX_HOPS {
                break;
            }
            let Some((class_q, summary, class_name)) = self.class_entry(&next, MAX_HOPS) else {
                continue;
            };
            if rewrapped.contains(&class_q) || rewrapped.contains(&next) {
                return true;
            }
            if !visited.insert(class_q) {
                continue;
            }
            if let Some(Symbol::Class(facts)) = summary.symbols.get(&class_name) {
                todo.extend(facts.bases.iter().flatten().cloned());
            }
        }
        false
    }

    /// The library class of attribute `name` on an instance of `class`, from the first class
    /// of the hierarchy (itself, then its bases depth-first) that assigns it or defines a
    /// member of that name: `None` when that one's evidence does not know it, or the
    /// hierarchy cannot be followed.
    pub fn attribute_type(&self, class: &str, name: &str) -> Option<String> {
        self.find_attribute_type(class, name, MAX_HOPS, &mut HashSet::default())
            .ok()
            .flatten()
    }

    /// `Ok(Some)`: its class; `Ok(None)`: not assigned in this part of the hierarchy;
    /// `Err`: cannot be known.
    fn find_attribute_type(
        &self,
        class: &str,
        name: &str,
        hops: usize,
        visited: &mut HashSet<String>,
    ) -> Result<Option<String>, ()> {
        if hops == 0 {
            return Err(());
        }
        let (class_q, summary, class_name) = self.class_entry(class, MAX_HOPS).ok_or(())?;
        if !visited.insert(class_q) {
            return Ok(None);
        }
        let Some(Symbol::Class(facts)) = summary.symbols.get(&class_name) else {
            return Err(());
        };
        if let Some(t) = facts.attribute_types.get(name) {
            return Ok(Some(t.clone()));
        }
        if facts.instance_attributes.contains(name) || facts.members.contains_key(name) {
            return Err(());
        }
        for base in &facts.bases {
            let base = base.as_deref().ok_or(())?;
            if PLAIN_BASES.contains(&base) {
                continue;
            }
            if let Some(found) = self.find_attribute_type(base, name, hops - 1, visited)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
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

/// The names of a dotted name, as resolution walks them (most have a few).
type Parts<'q> = smallvec::SmallVec<[&'q str; 8]>;

/// The names of a dotted name (`pkg`, `mod`, `f`), by a plain byte loop: the names are
/// short, and a searcher costs more to set up than it saves.
pub(crate) fn split_dotted(name: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = Some(name);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == b'.') {
            Some(i) => {
                rest = Some(&current[i + 1..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `module` + `.a.b` for the dotted rest `a.b` (nothing added for an empty one).
pub(crate) fn join(module: &str, rest: &str) -> String {
    let mut q = String::with_capacity(module.len() + 1 + rest.len());
    q.push_str(module);
    if !rest.is_empty() {
        q.push('.');
        q.push_str(rest);
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
    /// Method `name` on attribute `attribute` of an instance of `class` is a coroutine
    /// function: the attribute's class is known in the class or a base (in any module).
    CoroutineMethodOnAttribute {
        class: String,
        attribute: String,
        name: String,
    },
    /// Called in sync code: `class` (with its bases) is not rebound at import time by
    /// computed name (see [`FileSummary::rewrapped`]), and `query` holds (`None`: decided
    /// already).
    OutsideRewrap { class: String, query: Option<Box<Query>> },
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
    /// Answered by the walk from coroutines ([`ProjectIndex::reached_loops`]), which the
    /// project-wide work computes once for all.
    pub fn asks_project_walk(&self) -> bool {
        matches!(self, Query::LoopStartReached { .. })
    }

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
            Query::CoroutineMethodOnAttribute { class, attribute, name } => index
                .attribute_type(class, attribute)
                .is_some_and(|t| crate::knowledge::coroutines::is_coroutine_method(&t, name) == Some(true)),
            Query::OutsideRewrap { class, query } => {
                !index.is_rewrapped(class) && query.as_ref().is_none_or(|q| q.holds(index))
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
    /// Sync functions that start an event loop and that a coroutine (or a finalizer,
    /// `Class.__del__`) reaches through direct calls (at most [`MAX_WALK_DEPTH`] deep, through plain sync functions only), by
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
        self.reach(vec![start.clone()], MAX_WALK_DEPTH, false, |_, flow, chain| {
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

    /// The classes some module rebinds the members of (absolute, as the module names
    /// them: see [`View::is_rewrapped`]), from the summaries of the first phase (a file the
    /// prefilter spared is not parsed for it: a module doing this mentions `async` anyway,
    /// as it tests for coroutine functions).
    fn rewrapped(&self) -> &HashSet<String> {
        &self.rewrapped
    }

    /// The modules of [`Self::reached_loops`].
    pub fn has_reached_loop(&self, module: &str) -> bool {
        self.reached_modules
            .get_or_init(|| self.reached_loops().keys().map(|(m, _)| m.clone()).collect())
            .contains(module)
    }

    /// A module of the project calls `nest_asyncio.apply()`: loops may nest, so a loop
    /// started below a coroutine does not raise. A file the first phase did not parse is
    /// parsed when it mentions `nest_asyncio` (by its identifiers when the prefilter kept
    /// them, by its text otherwise).
    fn applies_nest_asyncio(&self) -> bool {
        self.modules.iter().any(|entry| match entry.summary.get() {
            Some(summary) => summary.as_ref().is_some_and(|s| s.applies_nest_asyncio),
            None => {
                let mentions = match &entry.hints {
                    Some(hints) => hints.words.mentions("nest_asyncio"),
                    None => crate::pipeline::source::read_file(&entry.path)
                        .is_ok_and(|text| memchr::memmem::find(text.as_bytes(), b"nest_asyncio").is_some()),
                };
                mentions && self.summary(&entry.module.name).is_some_and(|s| s.applies_nest_asyncio)
            }
        })
    }

    fn walk_from_coroutines(&self) -> HashMap<(String, String), Vec<String>> {
        let mut roots: Vec<(String, String)> = Vec::new();
        for entry in &self.modules {
            if let Some(Some(summary)) = entry.summary.get() {
                for (flow, f) in &summary.flows {
                    // A finalizer runs wherever the garbage collector does, in a coroutine too.
                    if f.is_async || (f.plain && flow.ends_with(".__del__")) {
                        roots.push((entry.module.name.clone(), flow.clone()));
                    }
                }
            }
        }
        roots.sort();
        let mut reached = HashMap::default();
        // A coroutine and at most `MAX_WALK_DEPTH` sync functions below it.
        self.reach(roots, MAX_WALK_DEPTH + 1, true, |node, flow, chain| {
            if chain.len() > 1 && flow.starts_loop {
                reached.entry(node.clone()).or_insert_with(|| chain.to_vec());
            }
        });
        // Asked only when something is reached: it may read the files again.
        if !reached.is_empty() && self.applies_nest_asyncio() {
            return HashMap::default();
        }
        reached
    }

    /// The call-graph walk every project question shares: breadth first from `starts` along
    /// direct calls into plain sync functions of the project (never into coroutines, nor
    /// into functions under decorators that may run them elsewhere), each function once
    /// (a visited set: cycles end), at most `max_len` functions long counting the start.
    /// `visit` sees every function reached, with the shortest chain to it (starts first,
    /// then calls in source order). `typed`: follow `Flow::typed_calls` too.
    fn reach(
        &self,
        starts: Vec<(String, String)>,
        max_len: usize,
        typed: bool,
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
            let typed_calls = if typed { &flow.typed_calls[..] } else { &[] };
            for call in flow.calls.iter().chain(typed_calls) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::semantic::Semantic;

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
        ProjectIndex::new(parsed, Vec::new(), &[])
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
