//! One file, one parse: the tree, the semantic model, and every enabled pass over it.

use std::sync::Arc;

use memchr::memmem;
use ruff_python_ast::PySourceType;
use ruff_python_codegen::Stylist;
use ruff_python_parser::{parse_cells_unchecked, parse_unchecked_source, ParseOptions};
use ruff_text_size::{Ranged, TextRange};

use crate::fix::edit::Finding;
use crate::fix::imports::Importer;
use crate::model::semantic::{exceeds_depth, Semantic, MAX_DEPTH};
use crate::pipeline::checker::{Checker, PassOptions, Pending};
use crate::project::index::{summarize, FileSummary, ModulePath, ProjectIndex};
use crate::registry::Rule;
use ruff_python_ast::ModModule;
use ruff_python_parser::Parsed;

/// What the passes found in one text.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Sorted by position.
    pub findings: Vec<Finding>,
    /// `await`-like constructs outside async context (for verifying fixes).
    pub awaits_outside_async: usize,
    /// Findings waiting for the project index (only when analysed without it).
    pub pending: Vec<Pending>,
    /// What the module defines, for the project index (only when asked for).
    pub summary: Option<FileSummary>,
}

#[derive(Debug)]
pub enum AnalyzeError {
    /// The text does not parse. `recovered`: what the passes found in the tree the parser's
    /// error recovery gave, every fix removed (a fix is spliced into text whose structure is
    /// uncertain; the file keeps its bytes), as ruff reports findings beside a syntax error;
    /// `None` when the tree is too deep to analyse.
    Syntax {
        range: TextRange,
        message: String,
        recovered: Option<Box<Analysis>>,
    },
    TooDeep,
}

impl AnalyzeError {
    pub fn describe(&self) -> String {
        match self {
            AnalyzeError::Syntax { message, .. } => message.clone(),
            AnalyzeError::TooDeep => format!("nested more than {MAX_DEPTH} levels deep; not analysed"),
        }
    }
}

/// Could any enabled pass find something in `source`? A byte-level test that spares the
/// parse of files that mention none of the words a pass needs.
pub fn could_match(source: &str, rules: &[Rule]) -> bool {
    // Most rules share their needles (`async`): each distinct one is looked for once, as a
    // file without it is scanned to its end.
    let mut seen: Vec<(&str, bool)> = Vec::new();
    let mut present = |alternative: &'static str| {
        if let Some(&(_, found)) = seen.iter().find(|(a, _)| *a == alternative) {
            return found;
        }
        let found = memmem::find(source.as_bytes(), alternative.as_bytes()).is_some();
        seen.push((alternative, found));
        found
    };
    rules.iter().any(|rule| {
        rule.spec()
            .needles
            .iter()
            .all(|needle| needle.split('|').any(&mut present))
    })
}

/// What the analysis of one file needs besides its text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The rules enabled for this file.
    pub rules: &'a [Rule],
    pub options: &'a PassOptions,
    pub module_path: &'a ModulePath,
    /// The top-level names of the project's modules (`pkg` for `pkg.mod`): a dotted name
    /// outside them cannot be a project function.
    pub roots: &'a rustc_hash::FxHashSet<String>,
    /// `None` in the first phase, when the index is being built.
    pub index: Option<&'a ProjectIndex>,
    /// Summarise the module for the index.
    pub summarize: bool,
}

/// Does the text mention `asyncfix` or `noqa` (in any case), as every suppression comment does?
pub fn may_suppress(source: &str) -> bool {
    let bytes = source.as_bytes();
    // `q` is rare in code: look for it, then at the letters around it.
    memmem::find(bytes, b"asyncfix").is_some()
        || memchr::memchr2_iter(b'q', b'Q', bytes)
            .any(|i| i >= 2 && bytes[i - 2..].get(..4).is_some_and(|w| w.eq_ignore_ascii_case(b"noqa")))
}

/// Findings in the order they are reported: by position, then rule.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.range.start(), f.rule, f.range.end()));
}

pub fn analyze(source: &str, ctx: &Context) -> Result<Analysis, AnalyzeError> {
    analyze_layout(source, None, ctx)
}

/// [`analyze`] for the module a notebook's code cells make (see `crate::notebook`): each cell
/// (`cells`: their ranges in `source`) parsed on its own in IPython mode, and the top level
/// of a cell async context for `await`, as the kernel runs it.
/// `hidden`: the text of the cells left out (cell magics), whose names count as used.
pub fn analyze_cells(source: &str, cells: &[TextRange], hidden: &str, ctx: &Context) -> Result<Analysis, AnalyzeError> {
    analyze_layout(source, Some((cells, hidden)), ctx)
}

fn analyze_layout(source: &str, cells: Option<(&[TextRange], &str)>, ctx: &Context) -> Result<Analysis, AnalyzeError> {
    crate::pipeline::isolate::injected_panic(source);
    let parsed = match cells {
        None => parse_unchecked_source(source, PySourceType::Python),
        Some((cells, _)) => {
            parse_cells_unchecked(source, cells.iter().copied(), &ParseOptions::from(PySourceType::Ipynb))
        }
    };
    let notebook = cells.is_some();
    let syntax_error = parsed
        .errors()
        .first()
        .map(|error| (error.range(), error.error.to_string()));
    let unrecoverable = |(range, message): (TextRange, String)| AnalyzeError::Syntax {
        range,
        message,
        recovered: None,
    };
    if let Some(error) = &syntax_error {
        if exceeds_depth(parsed.syntax(), MAX_DEPTH) {
            // Dropping a tree this deep recurses as deep: leak it instead of risking the stack.
            std::mem::forget(parsed);
            return Err(unrecoverable(error.clone()));
        }
    }
    let semantic = Semantic::build(parsed.syntax());
    if semantic.too_deep {
        drop(semantic);
        std::mem::forget(parsed);
        return Err(syntax_error.map_or(AnalyzeError::TooDeep, unrecoverable));
    }
    // In a notebook, `await` at a cell's top level is legal: only the others count.
    let awaits_outside_async = if notebook {
        semantic
            .awaits_outside_async
            .saturating_sub(crate::notebook::top_level_awaits(parsed.syntax()))
    } else {
        semantic.awaits_outside_async
    };
    let (mut findings, mut pending) = match &syntax_error {
        None => passes(source, ctx, &parsed, &semantic, notebook),
        // The tree of the parser's error recovery may hold what no valid text gives (nodes
        // whose ranges run past their parent's): a pass that trips on it costs only the
        // findings beside the error, as before they were reported.
        Some(error) => match crate::pipeline::isolate::catch(|| passes(source, ctx, &parsed, &semantic, notebook)) {
            Ok(found) => found,
            Err(_) => return Err(unrecoverable(error.clone())),
        },
    };
    sort_findings(&mut findings);
    if let Some((_, hidden)) = cells {
        // What IPython syntax holds is opaque: no fix touches it, and the names it mentions
        // are used.
        let mut all: Vec<&mut Finding> = findings
            .iter_mut()
            .chain(pending.iter_mut().map(|p| &mut p.finding))
            .collect();
        crate::notebook::protect_opaque(source, parsed.tokens(), hidden, &mut all);
    }
    if let Some((range, message)) = syntax_error {
        // The module's definitions are not trusted for the project: no summary.
        for finding in findings.iter_mut().chain(pending.iter_mut().map(|p| &mut p.finding)) {
            finding.fix = None;
        }
        let recovered = Analysis {
            findings,
            awaits_outside_async,
            pending,
            summary: None,
        };
        return Err(AnalyzeError::Syntax {
            range,
            message,
            recovered: Some(Box::new(recovered)),
        });
    }
    let summary = ctx.summarize.then(|| summarize(&semantic, ctx.module_path, ctx.roots));
    Ok(Analysis {
        findings,
        awaits_outside_async,
        pending,
        summary,
    })
}

/// Every enabled pass over one parsed text; with the project index, the questions answered.
fn passes(
    source: &str,
    ctx: &Context,
    parsed: &Parsed<ModModule>,
    semantic: &Semantic,
    notebook: bool,
) -> (Vec<Finding>, Vec<Pending>) {
    let stylist = Stylist::from_tokens(parsed.tokens(), source);
    // Resolution from this module's point of view, with the summary of its current text.
    let checker = Checker {
        options: ctx.options,
        rules: ctx.rules,
        module_path: ctx.module_path,
        roots: ctx.roots,
        pending: Default::default(),
        source,
        module: parsed.syntax(),
        tokens: parsed.tokens(),
        semantic,
        stylist: &stylist,
        importer: Importer::new(source, parsed.syntax(), &stylist),
        may_suppress: !ctx.options.ignore_noqa && may_suppress(source),
        helper_sites: Default::default(),
        blocking_sites: Default::default(),
        top_level_await: notebook,
    };
    let mut findings = Vec::new();
    for rule in ctx.rules {
        crate::rules::check_of(*rule)(&checker, &mut findings);
    }
    let mut pending = checker.pending.take();
    // Only a file with a suppression comment can suppress anything (most have none).
    if checker.may_suppress {
        crate::pipeline::suppression::filter(source, parsed.tokens(), &mut findings);
        // Suppressed findings need no resolving either.
        crate::pipeline::suppression::retain_unsuppressed(source, parsed.tokens(), &mut pending, |p| &p.finding);
    }
    // With the project known, the questions are answered now; in the first phase they wait.
    if let Some(index) = ctx.index {
        let view = index.view(
            &ctx.module_path.name,
            Some(Arc::new(summarize(semantic, ctx.module_path, ctx.roots))),
        );
        for question in pending.drain(..) {
            findings.extend(question.resolve(&view));
        }
    }
    (findings, pending)
}
