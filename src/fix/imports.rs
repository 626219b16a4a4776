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
    /// Where `import <module>` goes, by module, as found so far: every fix of a file that
    /// needs `asyncio` asks for the same place.
    placements: std::cell::RefCell<Vec<(String, Placement)>>,
}

impl<'a> Importer<'a> {
    pub fn new(source: &'a str, module: &'a ModModule, stylist: &'a Stylist<'a>) -> Self {
        Self {
            source,
            module,
            stylist,
            placements: Default::default(),
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
            import: Some(self.import_edit(module)),
        })
    }

    /// An edit inserting `import <module>` where isort (and ruff's I001) puts it: in the
    /// standard-library section of the first import block, in order when that section is
    /// sorted (`import x` lines before `from x import y` lines, alphabetically), else after
    /// its last import; a new section before the other imports when there is none. A module
    /// outside the standard library goes after the block's last import.
    pub fn import_edit(&self, module: &str) -> Edit {
        self.import_edits(&[module]).remove(0)
    }

    /// The edits inserting `import <m>` for each of `modules` (two that go to the same place
    /// share one edit, in order).
    pub fn import_edits(&self, modules: &[&str]) -> Vec<Edit> {
        let mut sorted: Vec<&str> = modules.to_vec();
        sorted.sort_by_key(|m| m.to_ascii_lowercase());
        sorted.dedup();
        let nl = self.stylist.line_ending().as_str();
        let mut groups: Vec<(Placement, Vec<&str>)> = Vec::new();
        for module in sorted {
            let placement = self.placement(module);
            match groups.iter_mut().find(|(p, _)| *p == placement) {
                Some((_, group)) => group.push(module),
                None => groups.push((placement, vec![module])),
            }
        }
        groups
            .into_iter()
            .map(|(placement, group)| {
                let mut content = String::new();
                // At the end of a file without a final newline.
                let before = &self.source[..placement.at.to_usize()];
                if !before.trim_start_matches('\u{feff}').is_empty() && !before.ends_with(['\n', '\r']) {
                    content.push_str(nl);
                }
                content.push_str(&placement.before.replace('\n', nl));
                for module in group {
                    content.push_str(&format!("import {module}{nl}"));
                }
                content.push_str(&placement.after.replace('\n', nl));
                Edit::insertion(placement.at, content)
            })
            .collect()
    }

    /// An edit inserting `statement` (one line, a module-level assignment) after the whole
    /// top-level import block: after the docstring, `from __future__` imports, every import
    /// before the first `def` or `class` (also those in `if TYPE_CHECKING:`, `try: ... except
    /// ImportError:` and `with` blocks) and dunder assignments such as `__all__`, but before
    /// `before` (a module-level statement that uses it) — so that no import ends up below code
    /// (ruff E402). Blank lines as `ruff format` leaves them: one before it, and two after it
    /// when a `def` or `class` follows. `None` when the place is not the end of a line.
    pub fn statement_after_imports(&self, statement: &str, before: TextSize) -> Option<Edit> {
        let nl = self.stylist.line_ending().as_str();
        let body = &self.module.body;
        let header = self.header_len(before);
        let (at, mut content) = if header == 0 {
            let at = match body.first() {
                Some(first) => self.line_start(first.start()),
                None => TextSize::of(self.source),
            };
            (at, String::new())
        } else {
            let last = &body[header - 1];
            let at = self.end_of_line_after(last.end())?;
            let mut content = String::new();
            if !self.source[..at.to_usize()].ends_with(['\n', '\r']) {
                content.push_str(nl);
            }
            content.push_str(nl);
            (at, content)
        };
        content.push_str(statement);
        content.push_str(nl);
        if let Some(next) = body.get(header) {
            let needed = if is_def_or_class(next) {
                2
            } else {
                usize::from(header == 0)
            };
            let existing = self.blank_lines_after(at);
            for _ in existing..needed {
                content.push_str(nl);
            }
        }
        Some(Edit::insertion(at, content))
    }

    /// How many statements of the module's body make its import header (see
    /// [`Self::statement_after_imports`]), none of them reaching `before`.
    fn header_len(&self, before: TextSize) -> usize {
        let body = &self.module.body;
        let mut len = 0;
        for (i, stmt) in body.iter().enumerate() {
            if stmt.end() > before || is_def_or_class(stmt) || contains_def(stmt) {
                break;
            }
            let is_docstring = i == 0 && is_string_statement(stmt);
            // A dunder assignment (`__all__`) counts right after the header only.
            if is_docstring || contains_import(stmt) || (is_dunder_assignment(stmt) && len == i) {
                len = i + 1;
            }
        }
        len
    }

    /// Where `import <module>` goes.
    fn placement(&self, module: &str) -> Placement {
        if let Some((_, placement)) = self.placements.borrow().iter().find(|(m, _)| m == module) {
            return placement.clone();
        }
        let placement = self.find_placement(module);
        self.placements
            .borrow_mut()
            .push((module.to_string(), placement.clone()));
        placement
    }

    fn find_placement(&self, module: &str) -> Placement {
        let body = &self.module.body;
        let key = module.to_ascii_lowercase();
        // The first block of consecutive top-level imports.
        // (A block of `from __future__` imports only is passed over: the one after it is.)
        let Some(first) = body
            .iter()
            .position(|s| Entry::new(s).is_some_and(|e| e.section != Section::Future))
            .or_else(|| {
                body.iter()
                    .position(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_)))
            })
        else {
            return self.placement_without_imports();
        };
        // Only a block of the module's header: an import below code would come too late for
        // a use at module level (a notebook cell's top level is async context).
        let boundary = body
            .iter()
            .enumerate()
            .position(|(i, s)| !((i == 0 && is_string_statement(s)) || contains_import(s) || is_dunder_assignment(s)))
            .unwrap_or(body.len());
        if first > boundary {
            return self.placement_without_imports();
        }
        let block: Vec<Entry> = body[first..].iter().map_while(Entry::new).collect();
        let last = block.last().expect("the block has its first import");
        let after_block = || match self.end_of_line_after(last.stmt.end()) {
            Some(at) => Placement::at(at),
            None => Placement::at(self.line_start(body[0].start())),
        };
        if !is_stdlib(module) {
            return self.third_party_placement(&block, &key).unwrap_or_else(after_block);
        }
        let stdlib: Vec<(usize, &Entry)> = block
            .iter()
            .enumerate()
            .filter(|(_, e)| e.section == Section::Stdlib)
            .collect();
        let Some(&(_, last_stdlib)) = stdlib.last() else {
            // A new section: before the first import that is not from `__future__`.
            return match block.iter().find(|e| e.section != Section::Future) {
                Some(next) => Placement {
                    at: self.above_comments(next.stmt.start()),
                    before: String::new(),
                    after: "\n".to_string(),
                },
                None => match self.end_of_line_after(last.stmt.end()) {
                    Some(at) => Placement {
                        at,
                        before: "\n".to_string(),
                        after: String::new(),
                    },
                    None => after_block(),
                },
            };
        };
        let contiguous = stdlib.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        let straight: Vec<&Entry> = stdlib.iter().map(|(_, e)| *e).filter(|e| !e.from).collect();
        let from: Vec<&Entry> = stdlib.iter().map(|(_, e)| *e).filter(|e| e.from).collect();
        let ordered = |entries: &[&Entry]| entries.windows(2).all(|w| w[0].key <= w[1].key);
        let straight_first = stdlib.iter().skip_while(|(_, e)| !e.from).all(|(_, e)| e.from);
        let sorted = contiguous && straight_first && ordered(&straight) && ordered(&from);
        let after = |entry: &Entry| self.end_of_line_after(entry.stmt.end()).map(Placement::at);
        let found = if sorted {
            match straight.iter().find(|e| e.key > key) {
                Some(next) => Some(Placement::at(self.above_comments(next.stmt.start()))),
                None => match straight.last() {
                    Some(previous) => after(previous),
                    None => Some(Placement::at(self.above_comments(from[0].stmt.start()))),
                },
            }
        } else {
            after(last_stdlib)
        };
        found.unwrap_or_else(after_block)
    }

    /// Where `import <module>` of a module outside the standard library goes: in order into
    /// the first section (imports not separated by a blank line) of absolute imports outside
    /// the standard library, taken to be the third-party one; else a new section after the
    /// standard-library one.
    fn third_party_placement(&self, block: &[Entry], key: &str) -> Option<Placement> {
        let mut sections: Vec<Vec<&Entry>> = Vec::new();
        for (i, entry) in block.iter().enumerate() {
            let separated = i > 0 && {
                let gap = &self.source[block[i - 1].stmt.end().to_usize()..entry.stmt.start().to_usize()];
                gap.lines().skip(1).any(|l| l.trim().is_empty())
            };
            match sections.last_mut() {
                Some(section) if !separated => section.push(entry),
                _ => sections.push(vec![entry]),
            }
        }
        let third_party = sections
            .iter()
            .find(|section| section.iter().all(|e| e.section == Section::Other && !e.key.is_empty()));
        if let Some(section) = third_party {
            let straight: Vec<&&Entry> = section.iter().filter(|e| !e.from).collect();
            let sorted = section.iter().skip_while(|e| !e.from).all(|e| e.from)
                && section
                    .windows(2)
                    .all(|w| w[0].from != w[1].from || w[0].key <= w[1].key);
            if !sorted {
                return self.end_of_line_after(section.last()?.stmt.end()).map(Placement::at);
            }
            return match straight.iter().find(|e| e.key.as_str() > key) {
                Some(next) => Some(Placement::at(self.above_comments(next.stmt.start()))),
                None => match straight.last() {
                    Some(previous) => self.end_of_line_after(previous.stmt.end()).map(Placement::at),
                    None => Some(Placement::at(self.above_comments(section[0].stmt.start()))),
                },
            };
        }
        let last_stdlib = block.iter().rev().find(|e| e.section != Section::Other)?;
        Some(Placement {
            at: self.end_of_line_after(last_stdlib.stmt.end())?,
            before: "\n".to_string(),
            after: String::new(),
        })
    }

    /// Where `import <module>` goes in a module without imports: after the docstring and
    /// `from __future__` imports, else at the top (after comments), a blank line from the code.
    fn placement_without_imports(&self) -> Placement {
        let body = &self.module.body;
        let header = usize::from(body.first().is_some_and(is_string_statement));
        let Some(next) = body.get(header) else {
            return match body.first() {
                Some(doc) => match self.end_of_line_after(doc.end()) {
                    Some(at) => Placement {
                        at,
                        before: "\n".to_string(),
                        after: String::new(),
                    },
                    None => Placement::at(self.line_start(doc.start())),
                },
                None => Placement::at(TextSize::of(self.source)),
            };
        };
        let blanks = if is_def_or_class(next) { "\n\n" } else { "\n" };
        if header == 1 {
            if let Some(at) = self.end_of_line_after(body[0].end()) {
                let existing = self.blank_lines_after(at);
                return Placement {
                    at,
                    before: "\n".to_string(),
                    after: if existing == 0 {
                        blanks.to_string()
                    } else {
                        String::new()
                    },
                };
            }
        }
        Placement {
            at: self.line_start(next.start()),
            before: String::new(),
            after: blanks.to_string(),
        }
    }

    /// The start of the line of `offset`, moved up over comment lines right above it (a
    /// comment above an import belongs to it).
    fn above_comments(&self, offset: TextSize) -> TextSize {
        let start = self.line_start(offset);
        let mut at = start.to_usize();
        loop {
            let before = &self.source[..at];
            let Some(without_newline) = before
                .strip_suffix("\r\n")
                .or_else(|| before.strip_suffix(['\n', '\r']))
            else {
                break;
            };
            let previous = without_newline.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            if previous == 0 {
                // A comment block that opens the file is its header, not the import's.
                return start;
            }
            if !without_newline[previous..].trim_start().starts_with('#') {
                break;
            }
            at = previous;
        }
        TextSize::try_from(at).unwrap_or(start)
    }

    /// How many blank lines follow the line boundary `at`.
    fn blank_lines_after(&self, at: TextSize) -> usize {
        self.source[at.to_usize()..]
            .split_inclusive('\n')
            .take_while(|line| line.trim().is_empty() && line.ends_with('\n'))
            .count()
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

/// Where new import lines go, and the text around them.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Placement {
    at: TextSize,
    /// Text before the lines (`\n` stands for the file's line ending).
    before: String,
    /// Text after them.
    after: String,
}

impl Placement {
    fn at(at: TextSize) -> Self {
        Self {
            at,
            before: String::new(),
            after: String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    Future,
    Stdlib,
    Other,
}

/// One statement of an import block, as isort sorts it.
struct Entry<'a> {
    stmt: &'a Stmt,
    section: Section,
    /// `from x import y` (sorted after the `import x` lines of its section).
    from: bool,
    /// The module, lowercased (the first one of `import a, b`).
    key: String,
}

impl<'a> Entry<'a> {
    fn new(stmt: &'a Stmt) -> Option<Self> {
        let (module, from) = match stmt {
            Stmt::Import(i) => (i.names.first()?.name.as_str().to_string(), false),
            Stmt::ImportFrom(f) if f.level > 0 => (String::new(), true),
            Stmt::ImportFrom(f) => (f.module.as_ref()?.as_str().to_string(), true),
            _ => return None,
        };
        let top = module.split('.').next().unwrap_or_default();
        let section = if from && top == "__future__" {
            Section::Future
        } else if !module.is_empty() && is_stdlib(top) {
            Section::Stdlib
        } else {
            Section::Other
        };
        Some(Self {
            stmt,
            section,
            from,
            key: module.to_ascii_lowercase(),
        })
    }
}

/// The top-level modules of the standard library (`sys.stdlib_module_names` of CPython
/// 3.11 without the private ones but `_thread`), as isort and ruff classify them.
const STDLIB: &[&str] = &[
    "_thread",
    "abc",
    "aifc",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "cProfile",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "distutils",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "genericpath",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "idlelib",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "lib2to3",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "mailcap",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msilib",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "nis",
    "nntplib",
    "nt",
    "ntpath",
    "nturl2path",
    "numbers",
    "opcode",
    "operator",
    "optparse",
    "os",
    "ossaudiodev",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "pydoc_data",
    "pyexpat",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtpd",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "spwd",
    "sqlite3",
    "sre_compile",
    "sre_constants",
    "sre_parse",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uu",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "winsound",
    "wsgiref",
    "xdrlib",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
];

fn is_stdlib(module: &str) -> bool {
    STDLIB.binary_search(&module).is_ok()
}

fn is_string_statement(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if matches!(e.value.as_ref(), Expr::StringLiteral(_)))
}

fn is_def_or_class(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_))
}

/// `__all__ = ...`, `__all__ += ...`, `__version__: str = ...` (ruff's E402 lets imports follow them).
fn is_dunder_assignment(stmt: &Stmt) -> bool {
    let is_dunder = |e: &Expr| matches!(e, Expr::Name(n) if n.id.starts_with("__") && n.id.ends_with("__"));
    match stmt {
        Stmt::Assign(a) => a.targets.len() == 1 && is_dunder(&a.targets[0]),
        Stmt::AugAssign(a) => is_dunder(&a.target),
        Stmt::AnnAssign(a) => is_dunder(&a.target),
        _ => false,
    }
}

/// The statements nested in `stmt` (the bodies of `if`, `try`, `with`, ...).
fn nested(stmt: &Stmt) -> Vec<&Stmt> {
    match stmt {
        Stmt::If(s) => s
            .body
            .iter()
            .chain(s.elif_else_clauses.iter().flat_map(|c| c.body.iter()))
            .collect(),
        Stmt::Try(s) => s
            .body
            .iter()
            .chain(s.handlers.iter().flat_map(|h| match h {
                ruff_python_ast::ExceptHandler::ExceptHandler(h) => h.body.iter(),
            }))
            .chain(s.orelse.iter())
            .chain(s.finalbody.iter())
            .collect(),
        Stmt::With(s) => s.body.iter().collect(),
        _ => Vec::new(),
    }
}

/// An import, or an `if`/`try`/`with` with one inside (ruff's E402 lets imports follow those).
fn contains_import(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Import(_) | Stmt::ImportFrom(_)) || nested(stmt).into_iter().any(contains_import)
}

/// A `def` or `class` nested in an `if`/`try`/`with`: code that may run at import time.
fn contains_def(stmt: &Stmt) -> bool {
    nested(stmt).into_iter().any(|s| is_def_or_class(s) || contains_def(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn with_importer<T>(src: &str, f: impl FnOnce(&Importer) -> T) -> T {
        let parsed = parse_module(src).unwrap();
        let stylist = Stylist::from_tokens(parsed.tokens(), src);
        let importer = Importer::new(src, parsed.syntax(), &stylist);
        f(&importer)
    }

    fn insert(src: &str) -> String {
        insert_all(src, &["asyncio"])
    }

    fn insert_all(src: &str, modules: &[&str]) -> String {
        let edits = with_importer(src, |importer| importer.import_edits(modules));
        let edits: Vec<&Edit> = edits.iter().collect();
        crate::fix::edit::apply_edits(src, &edits)
    }

    fn set_after(src: &str) -> String {
        let edit = with_importer(src, |importer| {
            importer.statement_after_imports("_tasks = set()", TextSize::of(src))
        })
        .unwrap();
        crate::fix::edit::apply_edits(src, &[&edit])
    }

    #[test]
    fn placement() {
        // Sorted: in order, `import x` lines before `from x import y` lines.
        assert_eq!(
            insert("import os\nimport time\n\nx = 1\n"),
            "import asyncio\nimport os\nimport time\n\nx = 1\n"
        );
        assert_eq!(
            insert("import abc\nfrom typing import Any\n\nx = 1\n"),
            "import abc\nimport asyncio\nfrom typing import Any\n\nx = 1\n"
        );
        assert_eq!(
            insert_all(
                "import os\nfrom typing import Any\n\nimport foo\n",
                &["typing", "asyncio"]
            ),
            "import asyncio\nimport os\nimport typing\nfrom typing import Any\n\nimport foo\n"
        );
        assert_eq!(
            insert("from typing import Any\n\nimport foo\n"),
            "import asyncio\nfrom typing import Any\n\nimport foo\n"
        );
        // Not sorted: after the last standard-library import.
        assert_eq!(
            insert("import time\nimport os\n\nimport foo\n"),
            "import time\nimport os\nimport asyncio\n\nimport foo\n"
        );
        // No standard-library section: a new one, after `from __future__`.
        assert_eq!(
            insert("from __future__ import annotations\n\n# ours\nimport foo\nfrom . import bar\n"),
            "from __future__ import annotations\n\nimport asyncio\n\n# ours\nimport foo\nfrom . import bar\n"
        );
        assert_eq!(
            insert("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nx = 1\n"),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\nimport asyncio\n\nx = 1\n"
        );
        assert_eq!(
            insert("\"\"\"Doc.\"\"\"\n\nx = 1\n"),
            "\"\"\"Doc.\"\"\"\n\nimport asyncio\n\nx = 1\n"
        );
        assert_eq!(
            insert("#!/usr/bin/env python\n# hi\nx = 1\n"),
            "#!/usr/bin/env python\n# hi\nimport asyncio\n\nx = 1\n"
        );
        assert_eq!(
            insert("async def f():\n    pass\n"),
            "import asyncio\n\n\nasync def f():\n    pass\n"
        );
        assert_eq!(insert("import time"), "import asyncio\nimport time");
        assert_eq!(insert("import zlib"), "import asyncio\nimport zlib");
        assert_eq!(insert_all("import os", &["typing"]), "import os\nimport typing\n");
        assert_eq!(
            insert("import os\r\nx = 1\r\n"),
            "import asyncio\r\nimport os\r\nx = 1\r\n"
        );
        assert_eq!(insert("import os; x = 1\n"), "import asyncio\nimport os; x = 1\n");
        assert_eq!(insert("\u{feff}x = 1\n"), "\u{feff}import asyncio\n\nx = 1\n");
        assert_eq!(
            insert("from a import (\n    b,\n    c,\n)  # tail\nx = 1\n"),
            "import asyncio\n\nfrom a import (\n    b,\n    c,\n)  # tail\nx = 1\n"
        );
        // A module outside the standard library: into the first third-party section, in
        // order, or a new section after the standard library.
        assert_eq!(
            insert_all("import os\n\nimport foo\n\nx = 1\n", &["trio"]),
            "import os\n\nimport foo\nimport trio\n\nx = 1\n"
        );
        assert_eq!(
            insert_all(
                "import os\n\nfrom traitlets import x\n\nfrom ours import y\n",
                &["anyio"]
            ),
            "import os\n\nimport anyio\nfrom traitlets import x\n\nfrom ours import y\n"
        );
        assert_eq!(
            insert_all("import os\nfrom typing import Any\n\nif Any:\n    pass\n", &["anyio"]),
            "import os\nfrom typing import Any\n\nimport anyio\n\nif Any:\n    pass\n"
        );
    }

    #[test]
    fn statement_after_the_whole_import_block() {
        assert_eq!(
            set_after("\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\n__all__ = [\"f\"]\n\nimport os\n\nx = 1\n"),
            "\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\n\n__all__ = [\"f\"]\n\nimport os\n\n_tasks = set()\n\nx = 1\n"
        );
        assert_eq!(
            set_after("import os\n\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n\ndef f():\n    pass\n"),
            "import os\n\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\n\n_tasks = set()\n\n\ndef f():\n    pass\n"
        );
        assert_eq!(
            set_after("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n__all__ = []\n\n\nclass A:\n    pass\n"),
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n__all__ = []\n\n_tasks = set()\n\n\nclass A:\n    pass\n"
        );
        // A `def` in a block may run at import time: nothing after it counts.
        assert_eq!(
            set_after("import os\nif os.name:\n    def f():\n        pass\nimport sys\n"),
            "import os\n\n_tasks = set()\nif os.name:\n    def f():\n        pass\nimport sys\n"
        );
        assert_eq!(set_after("x = 1\n"), "_tasks = set()\n\nx = 1\n");
        assert_eq!(set_after("import os"), "import os\n\n_tasks = set()\n");
    }
}
