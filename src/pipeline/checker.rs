//! What a pass sees of one file: the source, the tree, the semantic model, and helpers
//! for writing fixes that fit the file.

use ruff_python_ast::token::Tokens;
use ruff_python_ast::ModModule;
use ruff_python_codegen::Stylist;
use ruff_text_size::{Ranged, TextRange};

use std::cell::RefCell;

use crate::fix::edit::{Edit, Finding};
use crate::fix::imports::Importer;
use crate::model::semantic::{CallSite, Semantic};
use crate::project::index::{ModulePath, Query, View};
use crate::registry::Rule;

/// Settings the passes read (from the command line and `[tool.asyncfix]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassOptions {
    /// The oldest Python the fixed code must run on, as (major, minor).
    pub target_version: (u8, u8),
    /// Extra coroutine functions for AF001, as qualified names (`mylib.db.fetch`, `mylib.Client.send`).
    pub extra_coroutine_functions: Vec<String>,
    /// `--ignore-noqa`: suppression comments count for nothing.
    pub ignore_noqa: bool,
    /// The line length fixes are laid out to (ruff's `line-length`).
    pub line_length: usize,
}

impl Default for PassOptions {
    fn default() -> Self {
        Self {
            target_version: (3, 9),
            extra_coroutine_functions: Vec::new(),
            ignore_noqa: false,
            line_length: crate::fix::layout::DEFAULT_LINE_WIDTH,
        }
    }
}

pub struct Checker<'a> {
    pub options: &'a PassOptions,
    /// The rules enabled for this file.
    pub rules: &'a [Rule],
    /// Where this file stands in the project (its dotted module name).
    pub module_path: &'a ModulePath,
    /// The top-level names of the project's modules.
    pub roots: &'a rustc_hash::FxHashSet<String>,
    /// Findings that need the project index to be decided.
    pub pending: RefCell<Vec<Pending>>,
    pub source: &'a str,
    pub module: &'a ModModule,
    pub tokens: &'a Tokens,
    pub semantic: &'a Semantic<'a>,
    pub stylist: &'a Stylist<'a>,
    pub importer: Importer<'a>,
    /// The text may hold a suppression comment (see `analyze::may_suppress`).
    pub may_suppress: bool,
    /// The calls in async context that may be calls of sync helpers of the project (see
    /// `passes::blocking`): found once, shared by the blocking passes.
    pub helper_sites: std::cell::OnceCell<Vec<(usize, crate::project::index::CallRef)>>,
    /// The calls in async context the blocking table lists (see `rules::blocking`): classified
    /// once, shared by the blocking passes.
    pub blocking_sites: std::cell::OnceCell<Vec<(usize, crate::model::blocking_calls::Blocking)>>,
    /// The module is a notebook's code cells: at a cell's top level `await` works (the kernel
    /// runs the cell in its event loop, which is already running there).
    pub top_level_await: bool,
}

/// A finding that stands only if a question about the project has the right answer.
#[derive(Debug, Clone)]
pub struct Pending {
    pub finding: Finding,
    pub query: Query,
}

impl Pending {
    /// Does the finding stand, given the whole project?
    /// The findings that stand: the finding completed with the answer's detail, or, for a
    /// question about several rules, one finding per rule the answer names.
    pub fn resolve(self, index: &View) -> Vec<Finding> {
        if let Query::BlockingReached { callee, rules } = &self.query {
            return crate::project::index::blocking_answers(index, callee, rules)
                .into_iter()
                .map(|reach| Finding {
                    rule: reach.rule,
                    message: crate::rules::helper_message(&reach),
                    chain: reach.chain.clone(),
                    ..self.finding.clone()
                })
                .collect();
        }
        let Some(answer) = self.query.answer(index) else {
            return Vec::new();
        };
        let mut finding = self.finding;
        crate::rules::complete(&mut finding, &answer);
        if let crate::project::index::Answer::Chain(chain) = &answer {
            finding.chain = chain.clone();
        }
        vec![finding]
    }
}

impl<'a> Checker<'a> {
    /// Does an absolute dotted name point into the project?
    pub fn is_project(&self, qualified: &str) -> bool {
        let first = qualified.split('.').next().unwrap_or(qualified);
        self.roots.contains(first)
    }

    /// A finding (complete, with its fix) that stands only if `query` holds: the pipeline
    /// answers it, now or once the project is known. Rules never ask which.
    pub fn push_if(&self, finding: Finding, query: Query) {
        self.pending.borrow_mut().push(Pending { finding, query });
    }

    pub fn text(&self, range: TextRange) -> &'a str {
        &self.source[range]
    }

    /// The call stands at a notebook cell's top level (not in a function, class, lambda or
    /// comprehension), where `await` works and an event loop is running.
    pub fn at_cell_top_level(&self, site: &CallSite) -> bool {
        self.top_level_await && site.scope == crate::model::semantic::MODULE_SCOPE
    }

    /// How `await` goes in front of the call (see `fix::builders::await_wrap`).
    pub fn await_wrap(&self, site: &CallSite) -> crate::fix::builders::AwaitWrap {
        crate::fix::builders::await_wrap(site, self.tokens)
    }

    /// `edits` of the call at `site` (none outside its statement), as one replacement of the
    /// statement's expression laid out as `ruff format` lays it out at the project's line
    /// length, where the layout model knows it (see `fix::layout::relayout_statement`);
    /// else `edits` as they are.
    pub fn laid_out(&self, site: &CallSite, edits: Vec<Edit>) -> Vec<Edit> {
        match crate::fix::layout::relayout_statement(
            self.source,
            site.stmt,
            site.call.range(),
            &edits,
            self.stylist.line_ending().as_str(),
            self.options.line_length,
        ) {
            Some(laid_out) => vec![laid_out],
            None => edits,
        }
    }
}
