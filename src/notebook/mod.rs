//! Jupyter notebooks: one module made of the code cells in order.
//!
//! The module text is every analysed code cell's source, each ending with a line break (one is
//! added to a cell whose last line has none, and taken off again when writing), with one `\n`
//! between cells: the layout `ruff_python_parser::parse_cells_unchecked` parses cell by cell
//! (a cell left unclosed does not swallow the next) in IPython mode, so line magics
//! (`%time x = 1`), shell escapes (`!pip list`, `files = !ls`) and help (`x?`) are
//! statements and expressions of their own whose bytes no fix touches. Cells whose first
//! line is a cell magic (`%%capture`), empty cells, and markdown and raw cells are not part
//! of the module and are never touched.
//!
//! Writing back replaces the bytes of the changed cells' `source` values in the file's text,
//! nothing else: indentation, key order, escaping, outputs and the final newline stay.

pub mod json;

use std::path::Path;
use std::sync::Arc;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::Edit;
use json::{RawCell, StringStyle};

/// Is this path a notebook (by its extension)?
pub fn is_notebook(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
}

/// A code cell's place in the module text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellSpan {
    /// The cell's index among all the notebook's cells (0-based; reports show it 1-based).
    pub cell: usize,
    /// The cell's text in the module, its line break included (not the separator after it).
    pub range: TextRange,
    /// The last line had no line break: one was added for the module.
    pub added_newline: bool,
}

/// A notebook read from its text.
#[derive(Debug)]
pub struct Notebook {
    /// The file's text, as read.
    pub raw: String,
    cells: Vec<RawCell>,
    /// The module the code cells make.
    pub module: String,
    /// The analysed cells' places in `module`, in order.
    pub spans: Vec<CellSpan>,
    /// The text of the code cells left out of the module (cell magics): a name they mention
    /// is used, whatever the module says.
    pub hidden: String,
}

/// The first line (after blank ones) is a cell magic: `%%capture`, `%%bash`, ...
fn is_cell_magic(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_start().starts_with("%%"))
}

impl Notebook {
    /// Read a notebook; the error says what is wrong with the file.
    pub fn parse(raw: &str) -> Result<Arc<Notebook>, String> {
        let (cells, is_python) = json::read(raw)?;
        let code = cells.iter().enumerate().filter_map(|(index, cell)| {
            let source = cell.source.as_ref().filter(|_| is_python && cell.cell_type == "code")?;
            Some((index, source.text.as_str()))
        });
        let (module, spans, hidden, complete) = layout(code);
        if !complete {
            return Err("the notebook's code is too large".to_string());
        }
        Ok(Arc::new(Notebook {
            raw: raw.to_string(),
            cells,
            module,
            spans,
            hidden,
        }))
    }

    /// The cells' ranges in the module, for the parser.
    pub fn ranges(&self) -> Vec<TextRange> {
        self.spans.iter().map(|s| s.range).collect()
    }

    /// The notebook's text with the cells of `spans` (in `module`, a fixed version of the
    /// module) written back; `None` when nothing changed.
    pub fn write(&self, module: &str, spans: &[CellSpan]) -> Option<String> {
        let style = StringStyle::of(&self.raw);
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (cell, new) in cell_texts(module, spans) {
            let source = self.cells[cell].source.as_ref().expect("analysed cells have a source");
            if new == source.text {
                continue;
            }
            edits.push((source.span.clone(), json::encode_source(&self.raw, source, &new, style)));
        }
        if edits.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(self.raw.len() + 64);
        let mut last = 0;
        for (span, text) in edits {
            out.push_str(&self.raw[last..span.start]);
            out.push_str(&text);
            last = span.end;
        }
        out.push_str(&self.raw[last..]);
        Some(out)
    }
}

/// The module the code cells `texts` make (in order), as [`Notebook::parse`] makes it from a
/// file: empty cells and cell magics left out (the magics' text is the third value, whose
/// names count as used). `CellSpan::cell` is the index in `texts`. For an editor's notebook
/// document, whose cells come one by one.
pub fn module_of_cells(texts: &[&str]) -> (String, Vec<CellSpan>, String) {
    // (A module too large for its offsets keeps the cells before the one that does not fit.)
    let (module, spans, hidden, _) = layout(texts.iter().copied().enumerate());
    (module, spans, hidden)
}

/// The module of the code cells (index, text), in order: empty cells and cell magics left
/// out (the magics' text is the third value), each cell ending in a line break and the cells
/// separated by one more, as `parse_cells_unchecked` expects. The last value is false when
/// the module grew too large for its offsets (it stops before the cell that does not fit).
fn layout<'t>(cells: impl Iterator<Item = (usize, &'t str)>) -> (String, Vec<CellSpan>, String, bool) {
    let mut module = String::new();
    let mut spans = Vec::new();
    let mut hidden = String::new();
    let mut complete = true;
    for (index, text) in cells {
        if text.trim().is_empty() {
            continue;
        }
        if is_cell_magic(text) {
            hidden.push_str(text);
            hidden.push('\n');
            continue;
        }
        if module.len() + text.len() + 2 > u32::MAX as usize {
            complete = false;
            break;
        }
        if !spans.is_empty() {
            module.push('\n');
        }
        let start = TextSize::try_from(module.len()).expect("checked above");
        module.push_str(text);
        let added_newline = !text.ends_with('\n');
        if added_newline {
            module.push('\n');
        }
        let end = TextSize::try_from(module.len()).expect("checked above");
        spans.push(CellSpan {
            cell: index,
            range: TextRange::new(start, end),
            added_newline,
        });
    }
    if !spans.is_empty() {
        // After the last cell: the separator `parse_cells_unchecked` expects.
        module.push('\n');
    }
    (module, spans, hidden, complete)
}

/// Each cell's text in `module` (as in the file: the added line break taken off again).
pub fn cell_texts(module: &str, spans: &[CellSpan]) -> Vec<(usize, String)> {
    spans
        .iter()
        .map(|span| {
            let text = &module[span.range];
            let text = match text.strip_suffix('\n') {
                Some(stripped) if span.added_newline => stripped,
                _ => text,
            };
            (span.cell, text.to_string())
        })
        .collect()
}

/// The cells' ranges after `edits` (sorted, not overlapping) changed the module: an insertion
/// where one cell ends and the separator starts belongs to the cell before, one where the next
/// cell starts to that cell. `None` if an edit runs over a separator (the fix would merge two
/// cells).
pub fn move_spans(spans: &[CellSpan], edits: &[&Edit]) -> Option<Vec<CellSpan>> {
    let shift = |offset: TextSize, insertions_before: bool| -> i64 {
        edits
            .iter()
            .filter(|e| {
                e.range.end() < offset || (e.range.end() == offset && (!e.range.is_empty() || insertions_before))
            })
            .map(|e| e.content.len() as i64 - i64::from(u32::from(e.range.len())))
            .sum()
    };
    let moved = |offset: TextSize, shift: i64| {
        u32::try_from(i64::from(u32::from(offset)) + shift)
            .ok()
            .map(TextSize::from)
    };
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        // The separator after the cell: no edit may reach into it.
        let separator = TextRange::at(span.range.end(), TextSize::from(1));
        if edits
            .iter()
            .any(|e| e.range.start() < separator.end() && e.range.end() > separator.start())
        {
            return None;
        }
        let start = moved(span.range.start(), shift(span.range.start(), false))?;
        let end = moved(span.range.end(), shift(span.range.end(), true))?;
        out.push(CellSpan {
            range: TextRange::new(start, end.max(start)),
            ..*span
        });
    }
    Some(out)
}

/// Where an offset of the module is in its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellPosition {
    /// The cell's index among all cells, 0-based.
    pub cell: usize,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// 1-based, in UTF-8 bytes.
    pub byte_column: usize,
}

/// Where an offset of the module is: the cell, the line in it and the column. Offsets on a
/// separator count as the end of the cell before.
pub fn locate(module: &str, spans: &[CellSpan], offset: TextSize) -> Option<CellPosition> {
    let i = spans.partition_point(|s| s.range.start() <= offset).checked_sub(1)?;
    let span = spans[i];
    // The line break added to the cell is not the cell's: what stands there (a syntax error
    // at the end of the cell) is at the end of the cell's last line.
    let end = span.range.end() - TextSize::from(u32::from(span.added_newline && !span.range.is_empty()));
    let offset = offset.min(end);
    let before = &module[TextRange::new(span.range.start(), offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Some(CellPosition {
        cell: span.cell,
        line,
        column: before[line_start..].chars().count() + 1,
        byte_column: before.len() - line_start + 1,
    })
}

/// The span of the cell `offset` is in.
pub fn span_at(spans: &[CellSpan], offset: TextSize) -> Option<&CellSpan> {
    let i = spans.partition_point(|s| s.range.start() <= offset).checked_sub(1)?;
    spans.get(i)
}

/// What the module's IPython escape commands (`%time x`, `!ls`, `x?`) and the `hidden` cells
/// say, as text: names mentioned there are used.
fn opaque_text(source: &str, tokens: &ruff_python_ast::token::Tokens, hidden: &str) -> String {
    let mut text = hidden.to_string();
    for token in tokens.iter() {
        if token.kind() == ruff_python_ast::token::TokenKind::IpyEscapeCommand {
            text.push_str(&source[token.range()]);
            text.push('\n');
        }
    }
    text
}

/// Fixes that would touch an IPython escape command lose their fix (its bytes stay as they
/// are), and clean-up edits that remove a binding lose it when the opaque parts mention the
/// name (`%timeit asyncio.run(x)` uses `asyncio`).
pub fn protect_opaque(
    source: &str,
    tokens: &ruff_python_ast::token::Tokens,
    hidden: &str,
    findings: &mut [&mut crate::fix::edit::Finding],
) {
    let escapes: Vec<TextRange> = tokens
        .iter()
        .filter(|t| t.kind() == ruff_python_ast::token::TokenKind::IpyEscapeCommand)
        .map(Ranged::range)
        .collect();
    let opaque = opaque_text(source, tokens, hidden);
    for finding in findings.iter_mut() {
        let Some(fix) = &mut finding.fix else { continue };
        let touches = fix.edits.iter().chain(fix.joint.iter().map(|j| &j.edit)).any(|e| {
            escapes
                .iter()
                .any(|r| e.range.start() < r.end() && e.range.end() > r.start())
        });
        if touches {
            finding.fix = None;
            continue;
        }
        fix.joint
            .retain(|j| !crate::fix::edit::mentions_word(&opaque, &j.unbinds));
    }
}

/// `await`, `async for`, `async with` at the top level of the module (outside any function,
/// class, lambda or comprehension): legal in a notebook cell, where IPython runs the cell in
/// the kernel's event loop.
pub fn top_level_awaits(module: &ModModule) -> usize {
    struct Count(usize);
    impl<'a> Visitor<'a> for Count {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
                Stmt::For(s) if s.is_async => {
                    self.0 += 1;
                    visitor::walk_stmt(self, stmt);
                }
                Stmt::With(s) if s.is_async => {
                    self.0 += 1;
                    visitor::walk_stmt(self, stmt);
                }
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            match expr {
                Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {}
                Expr::Await(_) => {
                    self.0 += 1;
                    visitor::walk_expr(self, expr);
                }
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut count = Count(0);
    count.visit_body(&module.body);
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const NB: &str = r##"{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Title"]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": [
    "import asyncio\n",
    "asyncio.run(main())"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "%%capture\nx = 1"
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "print(1)\n"
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"##;

    #[test]
    fn the_module_is_the_code_cells() {
        let nb = Notebook::parse(NB).unwrap();
        assert_eq!(nb.module, "import asyncio\nasyncio.run(main())\n\nprint(1)\n\n");
        assert_eq!(nb.spans.iter().map(|s| s.cell).collect::<Vec<_>>(), [1, 3]);
        let at =
            |offset: u32| locate(&nb.module, &nb.spans, TextSize::from(offset)).map(|p| (p.cell, p.line, p.column));
        assert_eq!(at(15), Some((1, 2, 1)));
        assert_eq!(at(36), Some((3, 1, 1)));
        // The added line break and the separator: the end of the cell's last line.
        assert_eq!(at(34), Some((1, 2, 20)));
        assert_eq!(at(35), Some((1, 2, 20)));
        assert_eq!(nb.write(&nb.module, &nb.spans), None);
    }

    /// The analysis of `cells` as a notebook's module, with every rule.
    fn analysis(cells: &[&str]) -> crate::pipeline::analyze::Analysis {
        use crate::pipeline::analyze::{analyze_cells, Context};
        let mut module = String::new();
        let mut ranges = Vec::new();
        for cell in cells {
            let start = TextSize::try_from(module.len()).unwrap();
            module.push_str(cell);
            ranges.push(TextRange::new(start, TextSize::try_from(module.len()).unwrap()));
            module.push('\n');
        }
        let options = crate::pipeline::checker::PassOptions::default();
        let module_path = crate::project::index::ModulePath::default();
        let roots = Default::default();
        let ctx = Context {
            rules: crate::registry::Rule::ALL,
            options: &options,
            module_path: &module_path,
            roots: &roots,
            index: None,
            summarize: false,
        };
        analyze_cells(&module, &ranges, "", &ctx).unwrap()
    }

    #[test]
    fn await_is_legal_at_a_cells_top_level_only() {
        // At the top level, in blocks there too: legal (not counted by the fix verifier).
        let legal = [
            "await f()\n",
            "if x:\n    async with a:\n        r = await f()\n",
            "async for i in g():\n    pass\n",
        ];
        assert_eq!(analysis(&legal).awaits_outside_async, 0);
        // In a plain function, a class body, a lambda, a comprehension: still refused.
        let refused = [
            "def g():\n    await f()\n",
            "class C:\n    x = await f()\n",
            "h = lambda: await f()\n",
            "y = [await f() for _ in z]\n",
            "await f()\n",
        ];
        assert_eq!(analysis(&refused).awaits_outside_async, 4);
    }

    #[test]
    fn cells_make_the_same_module_as_the_file() {
        let nb = Notebook::parse(NB).unwrap();
        let (module, spans, hidden) = module_of_cells(&[
            "import asyncio\nasyncio.run(main())",
            "%%capture\nx = 1",
            "print(1)\n",
            "",
        ]);
        assert_eq!(module, nb.module);
        assert_eq!(hidden, nb.hidden);
        assert_eq!(spans.iter().map(|s| s.range).collect::<Vec<_>>(), nb.ranges());
        assert_eq!(spans.iter().map(|s| s.cell).collect::<Vec<_>>(), [0, 2]);
    }

    #[test]
    fn writing_changes_only_the_fixed_source() {
        let nb = Notebook::parse(NB).unwrap();
        let edit = Edit::replacement(TextRange::new(TextSize::from(15), TextSize::from(34)), "await main()");
        let spans = move_spans(&nb.spans, &[&edit]).unwrap();
        let module = crate::fix::edit::apply_edits(&nb.module, &[&edit]);
        let written = nb.write(&module, &spans).unwrap();
        assert_eq!(written, NB.replace("\"asyncio.run(main())\"", "\"await main()\""));
        // An insertion at the start of a cell belongs to it; at the end of one, to it.
        let at_start = Edit::insertion(TextSize::from(36), "x = 0\n");
        let spans = move_spans(&nb.spans, &[&at_start]).unwrap();
        let module = crate::fix::edit::apply_edits(&nb.module, &[&at_start]);
        assert_eq!(cell_texts(&module, &spans)[1].1, "x = 0\nprint(1)\n");
        let over = Edit::deletion(TextRange::new(TextSize::from(30), TextSize::from(36)));
        assert!(move_spans(&nb.spans, &[&over]).is_none());
    }
}
