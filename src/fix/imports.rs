//! Getting a module into reach for a fix: reuse an existing binding under whatever name,
//! or insert `import <module>` after the docstring and `from __future__` imports, next to
//! the existing top-level imports, in the file's own line ending.

use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_python_codegen::Stylist;
use ruff_text_size::{Ranged, TextSize};

use crate::fix::edit::Edit;
use crate::model::semantic::{ScopeId, Semantic};

/// How a fix refers to a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleRef {
    /// The name to write (`asyncio`, `aio`, ...).
    pub name: String,
    /// The `import` to add, when the module is not bound yet.
    pub import: Option<Edit>,
}

pub struct Importer<'a> {
    source: &'a str,
    module: &'a ModModule,
    stylist: &'a Stylist<'a>,
}

impl<'a> Importer<'a> {
    pub fn new(source: &'a str, module: &'a ModModule, stylist: &'a Stylist<'a>) -> Self {
        Self {
            source,
            module,
            stylist,
        }
    }

    /// A reference to `module` usable at `scope`, or `None` when the module's name is taken
    /// by something else there (a parameter `asyncio`, a local `asyncio = None`, ...).
    /// `at` is where the reference will stand (a local import after it does not count).
    pub fn module_ref(&self, semantic: &Semantic, module: &str, scope: ScopeId, at: TextSize) -> Option<ModuleRef> {
        if let Some(name) = semantic.module_alias(module, scope, at) {
            return Some(ModuleRef { name, import: None });
        }
        if module.contains('.') || !semantic.can_import_module(module, scope) {
            return None;
        }
        Some(ModuleRef {
            name: module.to_string(),
            import: Some(self.import_edit(&format!("import {module}"))),
        })
    }

    /// An edit inserting `statement` as a new top-level line.
    pub fn import_edit(&self, statement: &str) -> Edit {
        let nl = self.stylist.line_ending().as_str();
        let (at, after_line) = self.insertion_point();
        if after_line {
            // `at` is the end of a line; if the file ends without a newline, add one first.
            let needs_newline = !self.source[..at.to_usize()].ends_with(['\n', '\r']);
            if needs_newline {
                Edit::insertion(at, format!("{nl}{statement}{nl}"))
            } else {
                Edit::insertion(at, format!("{statement}{nl}"))
            }
        } else {
            Edit::insertion(at, format!("{statement}{nl}"))
        }
    }

    /// Where a new top-level statement goes, and whether that offset is the end of a line
    /// (after an existing statement) rather than the start of one.
    fn insertion_point(&self) -> (TextSize, bool) {
        let body = &self.module.body;
        let mut i = 0;
        // Skip the module docstring and `from __future__` imports.
        if let Some(Stmt::Expr(e)) = body.first() {
            if matches!(e.value.as_ref(), Expr::StringLiteral(_)) {
                i = 1;
            }
        }
        while let Some(Stmt::ImportFrom(f)) = body.get(i) {
            if f.module.as_ref().is_some_and(|m| m.as_str() == "__future__") && f.level == 0 {
                i += 1;
            } else {
                break;
            }
        }
        // The leading block of plain imports, if any, is extended at its end.
        let mut last = if i > 0 { Some(&body[i - 1]) } else { None };
        while let Some(stmt @ (Stmt::Import(_) | Stmt::ImportFrom(_))) = body.get(i) {
            last = Some(stmt);
            i += 1;
        }
        match last {
            Some(stmt) => match self.end_of_line_after(stmt.end()) {
                Some(at) => (at, true),
                None => (self.line_start(body[0].start()), false),
            },
            None => match body.first() {
                Some(first) => (self.line_start(first.start()), false),
                None => (TextSize::of(self.source), true),
            },
        }
    }

    /// The end of the line (after its newline) on which `offset` stands, provided that only
    /// whitespace or a comment follows `offset` there.
    fn end_of_line_after(&self, offset: TextSize) -> Option<TextSize> {
        let rest = &self.source[offset.to_usize()..];
        let line_len = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let tail = rest[..line_len].trim_start();
        if !(tail.is_empty() || tail.starts_with('#')) {
            return None;
        }
        let mut end = line_len;
        if rest[end..].starts_with("\r\n") {
            end += 2;
        } else if end < rest.len() {
            end += 1;
        }
        Some(offset + TextSize::try_from(end).ok()?)
    }

    fn line_start(&self, offset: TextSize) -> TextSize {
        let before = &self.source[..offset.to_usize()];
        // Never before a byte-order mark.
        let bom = if self.source.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let start = before.rfind(['\n', '\r']).map_or(bom, |i| i + 1);
        TextSize::try_from(start).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn insert(src: &str) -> String {
        let parsed = parse_module(src).unwrap();
        let stylist = Stylist::from_tokens(parsed.tokens(), src);
        let importer = Importer::new(src, parsed.syntax(), &stylist);
        let edit = importer.import_edit("import asyncio");
        crate::fix::edit::apply_edits(src, &[&edit])
    }

    #[test]
    fn placement() {
        assert_eq!(
            insert("import os\nimport time\n\nx = 1\n"),
            "import os\nimport time\nimport asyncio\n\nx = 1\n"
        );
        assert_eq!(
            insert("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nx = 1\n"),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport asyncio\n\nx = 1\n"
        );
        assert_eq!(
            insert("#!/usr/bin/env python\n# hi\nx = 1\n"),
            "#!/usr/bin/env python\n# hi\nimport asyncio\nx = 1\n"
        );
        assert_eq!(insert("import time"), "import time\nimport asyncio\n");
        assert_eq!(
            insert("import os\r\nx = 1\r\n"),
            "import os\r\nimport asyncio\r\nx = 1\r\n"
        );
        assert_eq!(insert("import os; x = 1\n"), "import asyncio\nimport os; x = 1\n");
        assert_eq!(insert("\u{feff}x = 1\n"), "\u{feff}import asyncio\nx = 1\n");
        assert_eq!(
            insert("from a import (\n    b,\n    c,\n)  # tail\nx = 1\n"),
            "from a import (\n    b,\n    c,\n)  # tail\nimport asyncio\nx = 1\n"
        );
    }
}
