//! The pipeline: discover files, analyse each (in parallel), fix, verify, write.
//! Nothing here prints; `report` turns the outcome into output.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use ruff_source_file::LineIndex;

use crate::cli::settings::{Mode, Settings};
use crate::fix::apply::{fix_cells, fix_file, is_applicable};
use crate::fix::edit::Finding;
use crate::notebook::{is_notebook, CellSpan, Notebook};
use crate::pipeline::analyze::{analyze, analyze_cells, could_match, sort_findings, Analysis, AnalyzeError, Context};
use crate::pipeline::discover::{discover_with, FileSelection};
use crate::pipeline::source::{read_file, read_stdin, write_atomic};
use crate::project::index::{FileSummary, IndexEntry, LazyHints, ModuleNamer, ModulePath, ProjectIndex};
use crate::registry::Rule;
use rustc_hash::FxHashSet;

/// Worker threads get a large stack: the tree walks recurse as deep as the code nests.
const STACK_SIZE: usize = 256 << 20;

pub use crate::diagnostic::{ErrorKind, ErrorLocation, FileError};

/// What happened to one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// As given or found (for standard input: its `--stdin-filename`, or `-`).
    pub path: PathBuf,
    pub is_stdin: bool,
    /// The original text; kept only when something is to be reported about it.
    pub original: Option<String>,
    /// The fixed text, when fixes changed the file.
    pub fixed: Option<String>,
    /// Findings: in report mode those of the original, after fixing those that remain
    /// (positioned in the fixed text).
    pub findings: Vec<Finding>,
    /// How many fixes were applied.
    pub fixed_count: usize,
    pub errors: Vec<FileError>,
    /// Standard input that could not be decoded, kept to echo it back unchanged.
    pub stdin_raw: Option<Vec<u8>>,
    /// A notebook: `original` and `fixed` are the module of its code cells; this says where
    /// the cells are and holds the notebook's text.
    pub notebook: Option<NotebookReport>,
}

/// What a report needs to know about a notebook.
#[derive(Debug, Clone)]
pub struct NotebookReport {
    pub notebook: Arc<Notebook>,
    /// Where the cells are in the fixed module, when fixes changed it.
    pub fixed_spans: Option<Vec<CellSpan>>,
    /// The notebook's text with the fixes, when they changed it.
    pub fixed_json: Option<String>,
}

impl NotebookReport {
    /// Where the cells are in the text the findings' positions refer to.
    pub fn spans(&self) -> &[CellSpan] {
        self.fixed_spans.as_deref().unwrap_or(&self.notebook.spans)
    }

    /// The notebook's text: as fixed, or as read.
    pub fn json(&self) -> &str {
        self.fixed_json.as_deref().unwrap_or(&self.notebook.raw)
    }
}

impl FileReport {
    /// The text the findings' positions refer to.
    pub fn text(&self) -> &str {
        self.fixed.as_deref().or(self.original.as_deref()).unwrap_or("")
    }
}

#[derive(Debug, Default)]
pub struct Outcome {
    /// Sorted by path.
    pub files: Vec<FileReport>,
    /// The project index, kept so that a caller about to exit can skip freeing it (see
    /// `main`): its many small allocations take a while to free.
    pub index: Option<ProjectIndex>,
    /// Internal errors of the project-wide steps (the run fell back to what each file shows
    /// on its own).
    pub project_errors: Vec<String>,
    /// How long the phases took (`ASYNCFIX_STATS=1` prints them).
    pub stats: Option<Stats>,
}

/// The phases of a run over a tree, each as the time since the run started.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub files: usize,
    pub discovered: std::time::Duration,
    pub first_phase: std::time::Duration,
    pub indexed: std::time::Duration,
    pub second_phase: std::time::Duration,
    /// How long the project-wide work (word groups, the walk from coroutines) took, on the
    /// thread that did it beside the parsed files.
    pub project_work: std::time::Duration,
    /// When the parsed files checked beside the project-wide work were done (since the
    /// start; those asking about the walk from coroutines come after it).
    pub parsed_done: std::time::Duration,
    /// Files parsed in the first phase.
    pub parsed: usize,
    /// Bytes of text kept between the phases.
    pub kept_bytes: usize,
    /// Questions about the project the first phase left for the second.
    pub questions: usize,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        !self.project_errors.is_empty() || self.files.iter().any(|f| !f.errors.is_empty())
    }
}

/// The report of a file whose processing panicked: an internal error naming the file and the
/// panic, asking for a bug report. Nothing was written.
fn panicked(path: PathBuf, is_stdin: bool, step: &str, panic: String) -> FileReport {
    let message = format!(
        "internal error while {step} this file: {panic}. This is a bug in asyncfix: please report it \
         (with the file, if you can share it){}; the file was left unchanged",
        crate::report::issues_url()
            .map(|url| format!(" at {url}"))
            .unwrap_or_default()
    );
    FileReport {
        path,
        is_stdin,
        errors: vec![FileError::new(ErrorKind::Internal, message)],
        ..FileReport::default()
    }
}

pub fn run(settings: &Settings) -> Outcome {
    // One pool for the process, never torn down: its threads end with the process (tearing
    // it down after each run made the allocator collect each thread's heap, single-threaded,
    // after the report was ready).
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(STACK_SIZE)
            .build()
            .expect("thread pool")
    })
    .install(|| run_in_pool(settings))
}

fn run_in_pool(settings: &Settings) -> Outcome {
    if let Some(name) = &settings.stdin_name {
        let (text, raw) = match read_stdin() {
            Ok(bytes) => match crate::pipeline::source::decode(bytes.clone()) {
                Ok(text) => (Ok(text), None),
                Err(reason) => (Err(reason), Some(bytes)),
            },
            Err(reason) => (Err(reason), None),
        };
        let path = PathBuf::from(name);
        if name != "-" {
            if let Some(reason) =
                crate::pipeline::discover::unsupported_reason(&path).filter(|_| path.extension().is_some())
            {
                // Nothing is analysed; under `--write` the input goes back out unchanged.
                let report = FileReport {
                    errors: vec![FileError::new(ErrorKind::Unsupported, reason)],
                    original: text.as_ref().ok().cloned(),
                    stdin_raw: raw,
                    path,
                    is_stdin: true,
                    ..FileReport::default()
                };
                return Outcome {
                    files: vec![report],
                    index: None,
                    project_errors: Vec::new(),
                    stats: None,
                };
            }
        }
        let echo = text.as_ref().ok().cloned();
        let result = crate::pipeline::isolate::catch(|| process(path.clone(), true, text, settings));
        let mut report = result.unwrap_or_else(|panic| {
            let mut report = panicked(path, true, "checking", panic);
            // The input goes back out unchanged under `--write`.
            report.original = echo;
            report
        });
        // Undecodable input is echoed back as it came under `--write`: nothing is lost.
        report.stdin_raw = raw;
        return Outcome {
            files: vec![report],
            index: None,
            project_errors: Vec::new(),
            stats: None,
        };
    }
    let t0 = std::time::Instant::now();
    let mut discovered = discover_with(&settings.paths, &settings.files);
    let explicit = discovered.explicit;
    // The rest of the named files' project: indexed, never reported.
    let context = project_context(settings, &settings.paths, &discovered.files);
    discovered.files.extend(context.iter().cloned());
    let modules: Vec<ModulePath> = if context.is_empty() {
        let namer = ModuleNamer::new(&discovered.files);
        discovered.files.par_iter().map(|p| module_of(&namer, p)).collect()
    } else {
        // Named from the project's folders, wherever the current directory is in it.
        let absolute: Vec<PathBuf> = discovered.files.iter().map(|p| FileSelection::absolute(p)).collect();
        let namer = ModuleNamer::new(&absolute);
        absolute.par_iter().map(|p| module_of(&namer, p)).collect()
    };
    let roots = roots_of(&modules);
    let mut timings = Stats {
        files: discovered.files.len(),
        discovered: t0.elapsed(),
        ..Stats::default()
    };
    // Phase 1: read every file; parse those a rule could match, run the passes and
    // summarise the module for the index.
    let results: Vec<Result<FirstPhase, Box<FileReport>>> = discovered
        .files
        .into_par_iter()
        .zip(modules)
        // One file per job: rayon otherwise runs long runs of files on one thread, and at the
        // end of the phase one core waited for the other's last run (60 ms on the mixed corpus).
        .with_max_len(1)
        .map(|(path, module)| {
            // Files named on the command line are always parsed (their syntax errors reported);
            // files found by walking are spared the parse when no rule can match them.
            let prefilter = settings.prefilter && explicit.binary_search(&path).is_err();
            thread_local! {
                static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
            }
            let display = path.clone();
            crate::pipeline::isolate::catch(|| {
                BUFFER.with_borrow_mut(|buffer| {
                    let text = crate::pipeline::source::read_into(&path, buffer);
                    first_phase(path, module, text, settings, prefilter, &roots)
                })
            })
            .map_err(|panic| Box::new(panicked(display, false, "analysing", panic)))
        })
        .collect();
    let mut failed: Vec<FileReport> = Vec::new();
    let mut firsts: Vec<FirstPhase> = results
        .into_iter()
        .filter_map(|r| r.map_err(|report| failed.push(*report)).ok())
        .collect();
    failed.retain(|report| context.binary_search(&report.path).is_err());
    timings.first_phase = t0.elapsed();
    // (Moved out: nothing after the index reads them.)
    let headers: Vec<(String, Vec<String>)> = firsts.iter_mut().flat_map(|f| std::mem::take(&mut f.headers)).collect();
    let mut project_errors = Vec::new();
    let built = crate::pipeline::isolate::catch(|| {
        ProjectIndex::new(
            firsts.iter().map(FirstPhase::index_entry).collect(),
            headers,
            &extra_words(settings),
        )
    });
    let mut index = built.unwrap_or_else(|panic| {
        project_errors.push(project_failure("building the project index", &panic));
        ProjectIndex::default()
    });
    timings.indexed = t0.elapsed();
    timings.parsed = firsts.iter().filter(|f| f.analysis.is_some()).count();
    timings.kept_bytes = firsts
        .iter()
        .filter_map(|f| f.text.as_ref().ok().and_then(|t| t.as_ref()))
        .map(|t| t.len())
        .sum();
    timings.questions = firsts
        .iter()
        .filter_map(|f| match &f.analysis {
            Some(Ok(a)) => Some(a.pending.len()),
            _ => None,
        })
        .sum();
    // Phase 2: decide what needed the whole project, then fix. The project-wide work (word
    // groups, the walk from coroutines) runs beside the files that were parsed, which mostly
    // do not need it; the files that were not parsed need it, and come after, with the
    // parsed files that ask about the walk (a thread asking would wait for it, idle: 120 ms
    // for aiohttp's `pytest_plugin.py` on the mixed corpus).
    let (beside, after): (Vec<FirstPhase>, Vec<FirstPhase>) = firsts
        .into_iter()
        .filter(|f| context.binary_search(&f.path).is_err())
        .partition(|f| match &f.analysis {
            Some(Ok(a)) => !a.pending.iter().any(|p| p.query.asks_project_walk()),
            Some(Err(_)) => true,
            None => false,
        });
    // A panic in the project-wide work is reported once; the files after it fall back to
    // what each shows on its own (an empty index).
    let second = |first: FirstPhase, index: &ProjectIndex| {
        let path = first.path.clone();
        crate::pipeline::isolate::catch(|| second_phase(first, false, settings, index, &roots))
            .unwrap_or_else(|panic| panicked(path, false, "checking", panic))
    };
    let ((prepared, project_work), (mut files, parsed_done)): ((Result<(), String>, _), (Vec<FileReport>, _)) =
        rayon::join(
            || {
                let t = std::time::Instant::now();
                (crate::pipeline::isolate::catch(|| index.prepare()), t.elapsed())
            },
            || {
                let files: Vec<FileReport> = beside
                    .into_par_iter()
                    .with_max_len(1)
                    .map(|first| second(first, &index))
                    .collect();
                (files, t0.elapsed())
            },
        );
    timings.project_work = project_work;
    timings.parsed_done = parsed_done;
    if let Err(panic) = prepared {
        project_errors.push(project_failure("the project-wide analysis", &panic));
        index = ProjectIndex::default();
    }
    files.par_extend(after.into_par_iter().with_max_len(1).map(|first| second(first, &index)));
    files.extend(failed);
    timings.second_phase = t0.elapsed();
    for (path, reason) in discovered.unsupported {
        files.push(FileReport {
            errors: vec![FileError::new(ErrorKind::Unsupported, reason)],
            path,
            ..FileReport::default()
        });
    }
    for (path, reason) in discovered.errors {
        files.push(FileReport {
            errors: vec![FileError::new(ErrorKind::Read, reason)],
            path,
            ..FileReport::default()
        });
    }
    crate::pipeline::discover::sort_by_path(&mut files, |f| &f.path);
    Outcome {
        files,
        index: Some(index),
        project_errors,
        stats: Some(timings),
    }
}

/// A file's module name. A notebook cannot be imported: its name (`analysis-ipynb`) is one no
/// import can spell, so that it never stands for `analysis.py` beside it.
fn module_of(namer: &ModuleNamer, path: &std::path::Path) -> ModulePath {
    let mut module = namer.module_path(path);
    if is_notebook(path) {
        module.name.push_str("-ipynb");
    }
    module
}

/// The files of the project the named paths belong to (`Settings::project_root`) that were
/// not named, sorted: the index knows what they define, and nothing is reported about them.
/// None when no named path is inside the root (each is the root, a folder above it, or
/// outside the project).
pub fn project_context(settings: &Settings, named_paths: &[PathBuf], named_files: &[PathBuf]) -> Vec<PathBuf> {
    let Some(root) = &settings.project_root else {
        return Vec::new();
    };
    let root = FileSelection::absolute(root);
    // A named path inside the root (not the root itself or a folder above it: the walk
    // finds those files already). Paths outside the project have no context from it
    // (`asyncfix /elsewhere` run in a repository checks `/elsewhere` on its own).
    // (Compared without `..` and symlinks: `repo/../elsewhere` is not in `repo`.)
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| FileSelection::absolute(p));
    let real_root = real(&root);
    let inside = |p: &PathBuf| {
        let p = real(p);
        p.starts_with(&real_root) && !real_root.starts_with(&p)
    };
    if !named_paths.iter().any(inside) {
        return Vec::new();
    }
    let named: FxHashSet<PathBuf> = named_files.iter().map(|p| FileSelection::absolute(p)).collect();
    let mut files: Vec<PathBuf> = discover_with(&[root], &settings.files)
        .files
        .into_iter()
        .filter(|p| !named.contains(p))
        .collect();
    crate::pipeline::discover::sort_paths(&mut files);
    files
}

/// The message of an internal error in a project-wide step.
fn project_failure(step: &str, panic: &str) -> String {
    format!(
        "internal error in {step}: {panic}. This is a bug in asyncfix: please report it{}; findings that need \
         the whole project were not reported",
        crate::report::issues_url()
            .map(|url| format!(" at {url}"))
            .unwrap_or_default()
    )
}

/// Rules whose findings in a file can depend on what other files define.
fn uses_index(rules: &[Rule]) -> bool {
    rules.iter().any(|r| r.spec().uses_index)
}

/// The top-level names of the modules.
pub(crate) fn roots_of(modules: &[ModulePath]) -> FxHashSet<String> {
    modules
        .iter()
        .filter_map(|m| m.name.split('.').next())
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

/// The last components of the configured extra coroutine functions (for the prefilter).
pub(crate) fn extra_words(settings: &Settings) -> Vec<String> {
    settings
        .options
        .extra_coroutine_functions
        .iter()
        .filter_map(|q| q.rsplit('.').next().map(str::to_string))
        .collect()
}

/// One file after the first phase.
pub struct FirstPhase {
    pub path: PathBuf,
    pub module: ModulePath,
    /// `Ok(None)`: not kept, as nothing will be reported about it (or, when not parsed, it
    /// will be read again if its identifiers (`LazyHints::words`) call for it).
    pub text: Result<Option<String>, String>,
    /// `None`: not parsed (the prefilter found nothing any rule could match).
    pub analysis: Option<Result<Analysis, AnalyzeError>>,
    /// What the module defines, when it was parsed.
    pub summary: Option<Arc<FileSummary>>,
    /// When it was not: its class headers (for following inheritance in the prefilter), and
    /// what it may bind and which identifiers it mentions (see `LazyHints`).
    pub headers: Vec<(String, Vec<String>)>,
    pub hints: Option<Arc<LazyHints>>,
    /// A notebook (`text` is then the module of its code cells), or why it is not one.
    pub notebook: Option<Result<Arc<Notebook>, String>>,
}

impl FirstPhase {
    fn index_entry(&self) -> IndexEntry {
        (
            self.path.clone(),
            self.module.clone(),
            self.summary.clone(),
            self.hints.clone(),
        )
    }
}

/// Read, and unless the prefilter says no rule can match, analyse without the project index
/// (findings that need it are kept pending) and summarise the module.
pub fn first_phase(
    path: PathBuf,
    module: ModulePath,
    text: Result<&str, String>,
    settings: &Settings,
    prefilter: bool,
    roots: &FxHashSet<String>,
) -> FirstPhase {
    // A notebook is read as one; it is always analysed and kept (they are few and small).
    let notebook = match (&text, is_notebook(&path)) {
        (Ok(raw), true) => Some(Notebook::parse(raw)),
        _ => None,
    };
    let (text, prefilter) = match &notebook {
        Some(Ok(nb)) => (Ok(nb.module.as_str()), false),
        // Not analysed (see below); kept to echo standard input back.
        Some(Err(_)) => (text, false),
        None => (text, prefilter),
    };
    let cells = match &notebook {
        Some(Ok(nb)) => Some((nb.ranges(), nb.hidden.as_str())),
        _ => None,
    };
    let analysis = text.as_ref().ok().and_then(|&text| {
        if matches!(notebook, Some(Err(_))) {
            return None;
        }
        let rules = settings.rules_for(&path);
        if prefilter && !could_match(text, &rules) {
            return None;
        }
        let ctx = Context {
            rules: &rules,
            options: &settings.options,
            module_path: &module,
            roots,
            index: None,
            summarize: true,
        };
        Some(match &cells {
            Some((cells, hidden)) => analyze_cells(text, cells, hidden, &ctx),
            None => analyze(text, &ctx),
        })
    });
    let mut analysis = analysis;
    let summary = match &mut analysis {
        Some(Ok(a)) => a.summary.take().map(Arc::new),
        _ => None,
    };
    let (headers, hints) = match (&analysis, &text) {
        (None, Ok(text)) if uses_index(&settings.rules) => {
            let headers = crate::project::index::class_headers(text);
            let hints = LazyHints::of(text, &headers, &module);
            (headers, Some(Arc::new(hints)))
        }
        _ => (Vec::new(), None),
    };
    // Keep the text only where something is to be reported or fixed (memory); a file whose
    // pending findings turn out to hold is read again.
    let keep = !prefilter
        || match &analysis {
            Some(Ok(a)) => !a.findings.is_empty(),
            Some(Err(_)) => true,
            None => false,
        };
    let text = text.map(|t| keep.then(|| t.to_string()));
    FirstPhase {
        path,
        module,
        text,
        analysis,
        summary,
        headers,
        hints,
        notebook,
    }
}

/// Analyse one file completely (both phases at once) and, in diff and write modes, fix it
/// (and in write mode write it). For a file on its own, as the fixture tests use it.
pub fn process(path: PathBuf, is_stdin: bool, text: Result<String, String>, settings: &Settings) -> FileReport {
    let module = module_of(&ModuleNamer::default(), &path);
    let roots = roots_of(std::slice::from_ref(&module));
    let first = first_phase(
        path,
        module,
        text.as_deref().map_err(Clone::clone),
        settings,
        false,
        &roots,
    );
    let index = ProjectIndex::new(vec![first.index_entry()], Vec::new(), &extra_words(settings));
    second_phase(first, is_stdin, settings, &index, &roots)
}

/// Resolve what waited for the index, then fix.
pub fn second_phase(
    first: FirstPhase,
    is_stdin: bool,
    settings: &Settings,
    index: &ProjectIndex,
    roots: &FxHashSet<String>,
) -> FileReport {
    let FirstPhase {
        path,
        module,
        text,
        analysis,
        summary,
        hints,
        notebook,
        ..
    } = first;
    let mut report = FileReport {
        path,
        is_stdin,
        ..FileReport::default()
    };
    let notebook = match notebook {
        Some(Err(reason)) => {
            report.errors.push(FileError::new(ErrorKind::Notebook, reason));
            if is_stdin {
                // Echoed back unchanged under `--write`.
                report.original = text.ok().flatten();
            }
            return report;
        }
        Some(Ok(notebook)) => Some(notebook),
        None => None,
    };
    report.notebook = notebook.clone().map(|notebook| NotebookReport {
        notebook,
        fixed_spans: None,
        fixed_json: None,
    });
    let rules = settings.rules_for(&report.path);
    // A file not parsed in the first phase matters only as a caller of the project's
    // coroutine functions (or of the well-known ones): read it again if it may be one.
    // A sync function of it that starts an event loop may be reached from a coroutine too.
    let wanted = analysis.is_none()
        && (uses_index(&rules)
            && hints
                .as_ref()
                .is_some_and(|h| index.mentions_coroutines(&h.words, &module.name))
            || rules.contains(&Rule::NestedAsyncioRun) && index.has_reached_loop(&module.name));
    // Decide what waited for the index (this needs no text). The findings that stand come
    // with their fixes: the first phase built them whole, so nothing is analysed twice.
    let resolve = |a: &mut Analysis| {
        let pending = std::mem::take(&mut a.pending);
        if !pending.is_empty() {
            let view = index.view(&module.name, summary.clone());
            a.findings.extend(pending.into_iter().flat_map(|p| p.resolve(&view)));
            sort_findings(&mut a.findings);
        }
    };
    let analysis = analysis.map(|mut result| {
        match &mut result {
            Ok(a) => resolve(a),
            // Beside a syntax error: reported, never fixed (`analyze` took the fixes off the
            // findings and the questions alike).
            Err(AnalyzeError::Syntax { recovered: Some(a), .. }) => resolve(a),
            Err(_) => {}
        }
        result
    });
    let ctx = Context {
        rules: &rules,
        options: &settings.options,
        module_path: &module,
        roots,
        index: Some(index),
        summarize: false,
    };
    let (text, analysis) = match (text, analysis) {
        (Err(reason), _) => {
            report.errors.push(FileError::new(ErrorKind::Read, reason));
            return report;
        }
        (Ok(Some(text)), Some(analysis)) => (text, analysis),
        // Nothing to report.
        (Ok(None), Some(Ok(a))) if a.findings.is_empty() => return report,
        (Ok(None), None) if !wanted => return report,
        (Ok(Some(text)), None) if !wanted => {
            if is_stdin {
                report.original = Some(text);
            }
            return report;
        }
        // The text was not kept (nothing was to be reported before the project was known),
        // or the file was not parsed (it may call into the project): read it again, and
        // analyse it only if it was not analysed yet.
        (Ok(text), analysis) => {
            let text = match text {
                Some(text) => text,
                None => match read_file(&report.path) {
                    Ok(text) => text,
                    Err(reason) => {
                        report.errors.push(FileError::new(ErrorKind::Read, reason));
                        return report;
                    }
                },
            };
            let analysis = analysis.unwrap_or_else(|| analyze(&text, &ctx));
            (text, analysis)
        }
    };
    let analysis = match analysis {
        Ok(analysis) => analysis,
        Err(err) => {
            let error = match &err {
                AnalyzeError::Syntax { range, message, .. } => {
                    let index = LineIndex::from_source_text(&text);
                    let loc = index.line_column(range.start(), &text);
                    let line_start = index.line_start(loc.line, &text);
                    let mut at = ErrorLocation {
                        line: loc.line.get(),
                        column: loc.column.get(),
                        byte_column: usize::from(range.start() - line_start) + 1,
                        cell: None,
                    };
                    // In a notebook: the line and column in the cell.
                    if let Some(nb) = &notebook {
                        if let Some(position) = crate::notebook::locate(&text, &nb.spans, range.start()) {
                            at = ErrorLocation {
                                line: position.line,
                                column: position.column,
                                byte_column: position.byte_column,
                                cell: Some(position.cell + 1),
                            };
                        }
                    }
                    FileError::new(ErrorKind::Parse, message.clone()).at(at)
                }
                AnalyzeError::TooDeep => FileError::new(ErrorKind::Parse, err.describe()),
            };
            report.errors.push(error);
            if let AnalyzeError::Syntax {
                recovered: Some(recovered),
                ..
            } = err
            {
                report.findings = recovered.findings;
            }
            if is_stdin || !report.findings.is_empty() {
                report.original = Some(text);
            }
            return report;
        }
    };
    let wants_fix = settings.mode.fixes()
        && analysis.findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, settings.unsafe_fixes))
        });
    if !wants_fix {
        report.findings = analysis.findings;
        if !report.findings.is_empty() || is_stdin {
            report.original = Some(text);
        }
        return report;
    }
    let first_findings = analysis.findings.clone();
    let result = match &notebook {
        Some(nb) => fix_cells(&text, &nb.spans, &nb.hidden, analysis, &ctx, settings.unsafe_fixes),
        None => fix_file(&text, analysis, &ctx, settings.unsafe_fixes),
    };
    match result {
        Ok(fixed) => {
            report.fixed_count = fixed.applied.len();
            report.findings = fixed.remaining;
            if fixed.text != text {
                if let (Some(nb), Some(report_nb), Some(spans)) = (&notebook, &mut report.notebook, fixed.cells) {
                    report_nb.fixed_json = nb.write(&fixed.text, &spans);
                    report_nb.fixed_spans = Some(spans);
                }
                report.fixed = Some(fixed.text);
            }
        }
        Err(message) => {
            report.errors.push(FileError::new(ErrorKind::Fix, message));
            report.findings = first_findings.clone();
        }
    }
    if settings.mode == Mode::Write && !is_stdin {
        // A notebook is written as a notebook: its text with the fixed cells' sources.
        let contents = match &report.notebook {
            Some(nb) => nb.fixed_json.as_deref(),
            None => report.fixed.as_deref(),
        };
        if let (Some(fixed), Some(_)) = (contents, &report.fixed) {
            // Write through a symlink to its target, keeping the link.
            let target = std::fs::canonicalize(&report.path).unwrap_or_else(|_| report.path.clone());
            if let Err(e) = write_atomic(&target, fixed) {
                report.errors.push(FileError::new(
                    ErrorKind::Write,
                    format!("could not write the fixes: {}", crate::pipeline::source::io_reason(&e)),
                ));
                // Nothing was changed on disk: report against the original.
                report.fixed = None;
                report.fixed_count = 0;
                report.findings = first_findings;
                if let Some(nb) = &mut report.notebook {
                    nb.fixed_spans = None;
                    nb.fixed_json = None;
                }
            }
        }
    }
    report.original = Some(text);
    report
}
