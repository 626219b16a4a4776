//! One workspace folder as a project: its settings, what each of its files defines (read from
//! disk at start-up with the prefilter, or from the editor's text for an open document), and
//! the project index made from that. A change to one file (typed, saved, or changed on disk)
//! replaces that file's entry only and makes a new index from the entries: no other file is
//! read again (files the prefilter skipped are summarised on demand, as in a run).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::cli::settings::Settings;
use crate::fix::apply::{fix_cells, fix_file, Fixed};
use crate::fix::edit::Finding;
use crate::pipeline::analyze::{analyze, analyze_cells, Analysis, AnalyzeError, Context};
use crate::pipeline::discover::discover_with;
use crate::pipeline::engine::first_phase;
use crate::pipeline::engine::{extra_words, roots_of};
use crate::project::index::{FileSummary, IndexEntry, LazyHints, ModuleNamer, ModulePath, ProjectIndex};
use crate::registry::Rule;

/// The analyses recurse as deep as the code nests: threads get the stack a run's workers get.
pub const STACK_SIZE: usize = 256 << 20;

/// What the index knows of one file.
#[derive(Clone, Default)]
pub struct FileEntry {
    pub module: ModulePath,
    /// `None`: not parsed (the prefilter skipped it, or it does not parse).
    pub summary: Option<Arc<FileSummary>>,
    pub hints: Option<Arc<LazyHints>>,
    pub headers: Vec<(String, Vec<String>)>,
}

/// The files of a folder, summarised: made on a worker thread at start-up.
pub struct Indexed {
    pub files: BTreeMap<PathBuf, FileEntry>,
    pub namer: ModuleNamer,
    pub roots: FxHashSet<String>,
    pub elapsed: std::time::Duration,
}

/// Read and summarise every file of `root` that the settings select (the prefilter spares the
/// parse of files no rule can match), in parallel.
pub fn index_folder(root: &Path, settings: &Settings) -> Indexed {
    let t0 = std::time::Instant::now();
    let discovered = discover_with(&[root.to_path_buf()], &settings.files);
    let namer = ModuleNamer::new(&discovered.files);
    let modules: Vec<ModulePath> = discovered.files.iter().map(|p| namer.module_path(p)).collect();
    let roots = roots_of(&modules);
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build()
        .expect("thread pool");
    let files = pool.install(|| {
        discovered
            .files
            .into_par_iter()
            .zip(modules)
            .filter_map(|(path, module)| {
                crate::pipeline::isolate::catch(|| {
                    let text = crate::pipeline::source::read_file(&path);
                    let first = first_phase(
                        path.clone(),
                        module,
                        text.as_deref().map_err(Clone::clone),
                        settings,
                        settings.prefilter,
                        &roots,
                    );
                    let entry = FileEntry {
                        module: first.module,
                        summary: first.summary,
                        hints: first.hints,
                        headers: first.headers,
                    };
                    (path, entry)
                })
                .ok()
            })
            .collect::<Vec<_>>()
    });
    Indexed {
        files: files.into_iter().collect(),
        namer,
        roots,
        elapsed: t0.elapsed(),
    }
}

/// What the analysis of an open document found.
pub struct DocumentAnalysis {
    pub findings: Vec<Finding>,
    /// The syntax error, if the text does not parse: its range and message.
    pub syntax_error: Option<(ruff_text_size::TextRange, String)>,
    /// What the text defines, when it parses.
    pub summary: Option<Arc<FileSummary>>,
}

pub struct Project {
    /// The workspace folder.
    pub root: PathBuf,
    pub settings: Settings,
    pub files: BTreeMap<PathBuf, FileEntry>,
    pub namer: ModuleNamer,
    pub roots: FxHashSet<String>,
    /// `None` until the folder has been indexed.
    pub index: Option<Arc<ProjectIndex>>,
    /// Files read again since the index was made: what the index made of them on demand is
    /// out of date.
    reread: FxHashSet<PathBuf>,
}

impl Project {
    /// A folder not indexed yet: documents are analysed on their own until it is.
    pub fn new(root: PathBuf, settings: Settings) -> Self {
        Self {
            root,
            settings,
            files: BTreeMap::new(),
            namer: ModuleNamer::default(),
            roots: FxHashSet::default(),
            index: None,
            reread: FxHashSet::default(),
        }
    }

    pub fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    /// Take the files read at start-up.
    pub fn set_indexed(&mut self, indexed: Indexed) {
        self.files = indexed.files;
        self.namer = indexed.namer;
        self.roots = indexed.roots;
        self.rebuild();
    }

    /// The open documents' texts stand for their files: what each defines.
    pub fn set_documents(&mut self, documents: Vec<(PathBuf, Arc<FileSummary>)>) {
        if documents.is_empty() {
            return;
        }
        for (path, summary) in documents {
            let module = self.module_path(&path);
            self.files.insert(
                path,
                FileEntry {
                    module,
                    summary: Some(summary),
                    hints: None,
                    headers: Vec::new(),
                },
            );
        }
        self.rebuild();
    }

    /// A new index from the entries.
    pub fn rebuild(&mut self) {
        let entries: Vec<IndexEntry> = self
            .files
            .iter()
            .map(|(path, e)| (path.clone(), e.module.clone(), e.summary.clone(), e.hints.clone()))
            .collect();
        let headers: Vec<(String, Vec<String>)> = self.files.values().flat_map(|e| e.headers.iter().cloned()).collect();
        let index = ProjectIndex::new(entries, headers, &extra_words(&self.settings));
        // What the last index summarised on demand (files the prefilter did not parse, which
        // resolution reached) stands, unless the file was read again since.
        if let Some(old) = &self.index {
            for (path, entry) in &self.files {
                if entry.summary.is_none() && !self.reread.contains(path) {
                    if let Some(made) = old.summary_if_made(&entry.module.name) {
                        index.seed_summary(&entry.module.name, made);
                    }
                }
            }
        }
        self.reread.clear();
        self.index = Some(Arc::new(index));
    }

    pub fn module_path(&self, path: &Path) -> ModulePath {
        match self.files.get(path) {
            Some(entry) => entry.module.clone(),
            None => self.namer.module_path(path),
        }
    }

    /// An open document's text defines what the module defines: `summary`, of its latest
    /// text that parses. Returns whether the index was made again (not before the folder is
    /// indexed).
    pub fn set_document(&mut self, path: &Path, summary: Arc<FileSummary>) -> bool {
        if self.index.is_none() {
            return false;
        }
        if self
            .files
            .get(path)
            .and_then(|e| e.summary.as_ref())
            .is_some_and(|s| Arc::ptr_eq(s, &summary))
        {
            return false;
        }
        self.set_documents(vec![(path.to_path_buf(), summary)]);
        true
    }

    /// A file changed, appeared or went away on disk: read it again (with the prefilter).
    pub fn reread(&mut self, path: &Path) {
        if self.index.is_none() {
            return;
        }
        self.reread.insert(path.to_path_buf());
        if !path.is_file() || self.settings.files.excludes_with_ancestors(path) {
            self.files.remove(path);
            return;
        }
        let module = self.module_path(path);
        if module.name.split('.').next().is_some_and(|r| !r.is_empty()) {
            self.roots
                .insert(module.name.split('.').next().unwrap_or_default().to_string());
        }
        let text = crate::pipeline::source::read_file(path);
        let first = first_phase(
            path.to_path_buf(),
            module,
            text.as_deref().map_err(Clone::clone),
            &self.settings,
            self.settings.prefilter,
            &self.roots,
        );
        self.files.insert(
            path.to_path_buf(),
            FileEntry {
                module: first.module,
                summary: first.summary,
                hints: first.hints,
                headers: first.headers,
            },
        );
    }

    /// The rules, module and index a document is analysed with. Before the folder is indexed,
    /// the document is a project of its own (as a file checked alone is).
    fn with_context<T>(&self, path: &Path, text: &str, f: impl FnOnce(&Context) -> T) -> T {
        let rules: Vec<Rule> = self.settings.rules_for(path);
        match &self.index {
            Some(index) => {
                let mut module = self.module_path(path);
                // A notebook cannot be imported: a name no import spells (as a run names it).
                if crate::notebook::is_notebook(path) && !module.name.ends_with("-ipynb") {
                    module.name.push_str("-ipynb");
                }
                let ctx = Context {
                    rules: &rules,
                    options: &self.settings.options,
                    module_path: &module,
                    roots: &self.roots,
                    index: Some(index),
                    summarize: true,
                };
                f(&ctx)
            }
            None => {
                let module = ModuleNamer::default().module_path(path);
                let roots = roots_of(std::slice::from_ref(&module));
                let first = {
                    let ctx = Context {
                        rules: &rules,
                        options: &self.settings.options,
                        module_path: &module,
                        roots: &roots,
                        index: None,
                        summarize: true,
                    };
                    analyze(text, &ctx).ok().and_then(|a| a.summary)
                };
                let index = ProjectIndex::new(
                    vec![(path.to_path_buf(), module.clone(), first.map(Arc::new), None)],
                    Vec::new(),
                    &extra_words(&self.settings),
                );
                let ctx = Context {
                    rules: &rules,
                    options: &self.settings.options,
                    module_path: &module,
                    roots: &roots,
                    index: Some(&index),
                    summarize: true,
                };
                f(&ctx)
            }
        }
    }

    /// Analyse an open document's text with the project's knowledge. A file the settings
    /// exclude (`exclude`, `extend-exclude`) gets no finding, as a run over the folder gives
    /// none.
    pub fn analyze_document(&self, path: &Path, text: &str) -> DocumentAnalysis {
        if self.settings.files.excludes_with_ancestors(path) {
            return DocumentAnalysis {
                findings: Vec::new(),
                syntax_error: None,
                summary: None,
            };
        }
        let result = crate::pipeline::isolate::catch(|| self.with_context(path, text, |ctx| analyze(text, ctx)));
        document_analysis(result, "file")
    }

    /// Analyse a notebook document: `module` made of its code cells (`spans`, see
    /// `crate::notebook::module_of_cells`), as a run analyses a notebook file. What the
    /// notebook defines is not kept (no module imports a notebook).
    pub fn analyze_notebook(
        &self,
        path: &Path,
        module: &str,
        spans: &[crate::notebook::CellSpan],
        hidden: &str,
    ) -> DocumentAnalysis {
        if self.settings.files.excludes_with_ancestors(path) {
            return DocumentAnalysis {
                findings: Vec::new(),
                syntax_error: None,
                summary: None,
            };
        }
        let ranges: Vec<ruff_text_size::TextRange> = spans.iter().map(|s| s.range).collect();
        let result = crate::pipeline::isolate::catch(|| {
            self.with_context(path, module, |ctx| analyze_cells(module, &ranges, hidden, ctx))
        });
        let mut analysis = document_analysis(result, "notebook");
        analysis.summary = None;
        analysis
    }

    /// Every fix that applies to a notebook document's module, as `--write` applies them to a
    /// notebook file: the fixed module and where its cells are in it.
    pub fn fix_notebook(
        &self,
        path: &Path,
        module: &str,
        spans: &[crate::notebook::CellSpan],
        hidden: &str,
    ) -> Result<Option<Fixed>, String> {
        let unsafe_fixes = self.settings.unsafe_fixes;
        let ranges: Vec<ruff_text_size::TextRange> = spans.iter().map(|s| s.range).collect();
        crate::pipeline::isolate::catch(|| {
            self.with_context(path, module, |ctx| {
                let analysis: Analysis = match analyze_cells(module, &ranges, hidden, ctx) {
                    Ok(analysis) => analysis,
                    Err(_) => return Ok(None),
                };
                fix_cells(module, spans, hidden, analysis, ctx, unsafe_fixes).map(Some)
            })
        })
        .unwrap_or_else(|panic| Err(format!("internal error while fixing this notebook: {panic}")))
    }

    /// Every fix that applies to the text (the safe ones, and the unsafe ones too when
    /// `unsafe-fixes` is configured), as the command line's `--write` applies them.
    pub fn fix_all(&self, path: &Path, text: &str) -> Result<Option<Fixed>, String> {
        let unsafe_fixes = self.settings.unsafe_fixes;
        crate::pipeline::isolate::catch(|| {
            self.with_context(path, text, |ctx| {
                let analysis: Analysis = match analyze(text, ctx) {
                    Ok(analysis) => analysis,
                    // Never fixed beside a syntax error.
                    Err(_) => return Ok(None),
                };
                fix_file(text, analysis, ctx, unsafe_fixes).map(Some)
            })
        })
        .unwrap_or_else(|panic| Err(format!("internal error while fixing this file: {panic}")))
    }
}

/// Where a function of a module is defined (`f`, or `Class.m` for a method): the range of its
/// name, found in the module's tree.
pub fn locate_def(text: &str, qualified: &str) -> Option<ruff_text_size::TextRange> {
    use ruff_python_ast::Stmt;
    let parsed = ruff_python_parser::parse_unchecked_source(text, ruff_python_ast::PySourceType::Python);
    let mut body: &[Stmt] = &parsed.syntax().body;
    let mut parts = qualified.split('.').peekable();
    while let Some(part) = parts.next() {
        let last = parts.peek().is_none();
        let found = body.iter().rev().find_map(|stmt| match stmt {
            Stmt::FunctionDef(def) if last && def.name.as_str() == part => Some((def.name.range, &def.body[..])),
            Stmt::ClassDef(class) if !last && class.name.as_str() == part => Some((class.name.range, &class.body[..])),
            _ => None,
        });
        let (range, inner) = found?;
        if last {
            return Some(range);
        }
        body = inner;
    }
    None
}

impl Project {
    /// Where the functions of a finding's chain are defined: in the document's own file, else
    /// in the one module of the project whose summary has a function of that name (a name
    /// several modules define is left out). `text_of` gives an open document's text.
    pub fn locate_chain(
        &self,
        own: &Path,
        own_text: &str,
        chain: &[String],
        text_of: impl Fn(&Path) -> Option<String>,
    ) -> Vec<(usize, PathBuf, String, ruff_text_size::TextRange)> {
        let mut out = Vec::new();
        for (i, name) in chain.iter().enumerate() {
            if let Some(range) = locate_def(own_text, name) {
                out.push((i, own.to_path_buf(), own_text.to_string(), range));
                continue;
            }
            // A file the prefilter did not parse may define it too: its identifiers say.
            let first = name.split('.').next().unwrap_or(name);
            let found: Vec<(PathBuf, String, ruff_text_size::TextRange)> = self
                .files
                .iter()
                .filter(|(path, entry)| {
                    path.as_path() != own
                        && match (&entry.summary, &entry.hints) {
                            (Some(summary), _) => summary.flows.contains_key(name),
                            (None, Some(hints)) => hints.words.mentions(first),
                            (None, None) => false,
                        }
                })
                .filter_map(|(path, _)| {
                    let text = text_of(path).or_else(|| crate::pipeline::source::read_file(path).ok())?;
                    let range = locate_def(&text, name)?;
                    Some((path.clone(), text, range))
                })
                .take(2)
                .collect();
            if let [(path, text, range)] = &found[..] {
                out.push((i, path.clone(), text.clone(), *range));
            }
        }
        out
    }
}

/// What an analysis (or its panic) gives the editor: the findings, a syntax error or an
/// internal error as a diagnostic, and the summary of the document's current text.
fn document_analysis(result: Result<Result<Analysis, AnalyzeError>, String>, what: &str) -> DocumentAnalysis {
    match result {
        Ok(Ok(analysis)) => DocumentAnalysis {
            findings: analysis.findings,
            syntax_error: None,
            summary: analysis.summary.map(Arc::new),
        },
        Ok(Err(AnalyzeError::Syntax {
            range,
            message,
            recovered,
        })) => DocumentAnalysis {
            findings: recovered.map(|r| r.findings).unwrap_or_default(),
            syntax_error: Some((range, message)),
            summary: None,
        },
        Ok(Err(err @ AnalyzeError::TooDeep)) => DocumentAnalysis {
            findings: Vec::new(),
            syntax_error: Some((ruff_text_size::TextRange::default(), err.describe())),
            summary: None,
        },
        Err(panic) => DocumentAnalysis {
            findings: Vec::new(),
            syntax_error: Some((
                ruff_text_size::TextRange::default(),
                format!("internal error while checking this {what}: {panic}. This is a bug in asyncfix"),
            )),
            summary: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::locate_def;

    #[test]
    fn definitions_by_name() {
        let text = "def f():\n    pass\n\nclass C:\n    async def __aexit__(self, *a):\n        pass\n";
        assert_eq!(locate_def(text, "f").map(|r| &text[r]), Some("f"));
        let range = locate_def(text, "C.__aexit__").unwrap();
        assert_eq!(&text[range], "__aexit__");
        assert_eq!(locate_def(text, "C.missing"), None);
    }
}
