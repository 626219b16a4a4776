//! Notebook documents (LSP 3.17 `notebookDocument/*`; `lsp-types` 0.95 has no types for
//! them, so they are here): a notebook open in the editor is its ordered cells, each a text
//! document of its own. Its code cells are analysed as one module, as a run analyses a
//! `.ipynb` file (`crate::notebook::module_of_cells`), and each finding is given to the cell it
//! is in, with its range and its fix's edits made relative to that cell.

use std::path::PathBuf;

use lsp_types::{TextDocumentContentChangeEvent, TextDocumentIdentifier, TextDocumentItem, Url};
use ruff_text_size::{TextRange, TextSize};
use serde::Deserialize;

use crate::fix::edit::{Edit, Finding};
use crate::notebook::CellSpan;
use crate::server::position::LineIndex;

pub const DID_OPEN: &str = "notebookDocument/didOpen";
pub const DID_CHANGE: &str = "notebookDocument/didChange";
pub const DID_SAVE: &str = "notebookDocument/didSave";
pub const DID_CLOSE: &str = "notebookDocument/didClose";

/// `notebookDocumentSync` of the server's capabilities: Jupyter notebooks, their Python cells.
pub fn sync_options() -> serde_json::Value {
    serde_json::json!({
        "notebookSelector": [{
            "notebook": {"notebookType": "jupyter-notebook"},
            "cells": [{"language": "python"}],
        }],
        "save": true,
    })
}

/// Does the client's `initialize` say it synchronises notebook documents?
pub fn client_supports(initialize: &serde_json::Value) -> bool {
    initialize
        .pointer("/capabilities/notebookDocument/synchronization")
        .is_some_and(|s| !s.is_null())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotebookCell {
    /// 1 markup, 2 code.
    pub kind: u8,
    pub document: Url,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotebookDocumentItem {
    pub uri: Url,
    #[serde(default)]
    pub version: i32,
    pub cells: Vec<NotebookCell>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidOpenParams {
    pub notebook_document: NotebookDocumentItem,
    #[serde(default)]
    pub cell_text_documents: Vec<TextDocumentItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotebookIdentifier {
    pub uri: Url,
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArrayChange {
    pub start: usize,
    pub delete_count: usize,
    #[serde(default)]
    pub cells: Option<Vec<NotebookCell>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Structure {
    pub array: ArrayChange,
    #[serde(default)]
    pub did_open: Option<Vec<TextDocumentItem>>,
    // `didClose`: the cells the array change removes, already gone from `cells`.
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextContent {
    pub document: TextDocumentIdentifier,
    pub changes: Vec<TextDocumentContentChangeEvent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CellsChange {
    #[serde(default)]
    pub structure: Option<Structure>,
    #[serde(default)]
    pub text_content: Option<Vec<TextContent>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeEvent {
    #[serde(default)]
    pub cells: Option<CellsChange>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidChangeParams {
    pub notebook_document: NotebookIdentifier,
    pub change: ChangeEvent,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidCloseParams {
    pub notebook_document: NotebookIdentifier,
}

/// One cell of an open notebook.
pub struct Cell {
    pub uri: Url,
    pub code: bool,
    pub text: String,
    pub lines: LineIndex,
    /// Its findings, positioned in `text`.
    pub findings: Vec<Finding>,
}

impl Cell {
    pub fn new(uri: Url, code: bool, text: String) -> Self {
        Self {
            uri,
            code,
            lines: LineIndex::new(&text),
            text,
            findings: Vec::new(),
        }
    }

    /// Apply a `didChange` content change (full or a range).
    pub fn change(&mut self, change: TextDocumentContentChangeEvent) {
        match change.range {
            None => self.text = change.text,
            Some(range) => {
                let range = self.lines.text_range(&self.text, range);
                self.text
                    .replace_range(std::ops::Range::<usize>::from(range), &change.text);
            }
        }
        self.lines = LineIndex::new(&self.text);
    }
}

/// An open notebook document.
pub struct NotebookDoc {
    /// `None` for a notebook that is not a file.
    pub path: Option<PathBuf>,
    pub version: i32,
    /// In the notebook's order.
    pub cells: Vec<Cell>,
    /// Cells diagnostics were published for (to clear them when they go).
    pub published: Vec<Url>,
}

impl NotebookDoc {
    /// The module of the code cells: its text, where each cell is (`CellSpan::cell` indexes
    /// `cells`), and the cell magics' text.
    pub fn module(&self) -> (String, Vec<CellSpan>, String) {
        let texts: Vec<&str> = self
            .cells
            .iter()
            .map(|c| if c.code { c.text.as_str() } else { "" })
            .collect();
        crate::notebook::module_of_cells(&texts)
    }

    pub fn cell(&self, uri: &Url) -> Option<&Cell> {
        self.cells.iter().find(|c| &c.uri == uri)
    }
}

/// A range of the module made relative to the cell of `span` (clamped to the cell's text).
pub fn relative(span: &CellSpan, cell_len: usize, range: TextRange) -> TextRange {
    let len = TextSize::try_from(cell_len).unwrap_or_default();
    let shift = |at: TextSize| at.checked_sub(span.range.start()).unwrap_or_default().min(len);
    TextRange::new(shift(range.start()), shift(range.end()).max(shift(range.start())))
}

/// A finding of the module as one of the cell of `span`: its fix kept only when every edit
/// is within the cell (the shared clean-up edits kept likewise).
pub fn relocate(finding: &Finding, span: &CellSpan, cell_len: usize) -> Finding {
    let mut out = finding.clone();
    out.range = relative(span, cell_len, finding.range);
    let inside = |e: &Edit| {
        span.range.start() <= e.range.start() && e.range.end().to_usize() <= span.range.start().to_usize() + cell_len
    };
    let shift = |e: &Edit| Edit {
        range: relative(span, cell_len, e.range),
        content: e.content.clone(),
    };
    if let Some(fix) = &mut out.fix {
        if fix.edits.iter().all(inside) {
            fix.edits = fix.edits.iter().map(shift).collect();
            fix.joint.retain(|j| inside(&j.edit));
            for joint in &mut fix.joint {
                joint.edit = shift(&joint.edit);
            }
        } else {
            out.fix = None;
        }
    }
    out
}
