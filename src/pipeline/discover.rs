//! Which files to look at: directories are walked for `*.py` and `*.ipynb` (respecting `.gitignore` and
//! `.ignore` unless told not to, skipping hidden folders, the usual environment and build
//! folders and the configured excludes); a file named on the command line is always
//! processed, unless `--force-exclude` is given and it (or a folder above it) is excluded.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::WalkBuilder;

/// Folders never walked into (a folder named on the command line is still walked).
/// `exclude` replaces this list; `extend-exclude` adds to it.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "__pycache__",
    ".venv",
    "venv",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    "__pypackages__",
    "_build",
    "buck-out",
];

/// Glob patterns as ruff reads them: a pattern is matched against the absolute path of a
/// file or folder, joined to the directory it is relative to (the configuration file's, or
/// the current directory for command-line flags); a pattern without `/` also matches a bare
/// file or folder name at any depth (`migrations`, `*_pb2.py`).
#[derive(Debug, Clone)]
pub struct PatternSet {
    /// The patterns as written.
    pub patterns: Vec<String>,
    /// The directory relative patterns are joined to.
    pub base: PathBuf,
    absolute: GlobSet,
    basename: GlobSet,
}

impl PatternSet {
    pub fn new(patterns: &[String], base: &Path) -> Result<Self, String> {
        let mut absolute = GlobSetBuilder::new();
        let mut basename = GlobSetBuilder::new();
        for pattern in patterns {
            let trimmed = pattern.trim();
            let p = trimmed.strip_prefix("./").unwrap_or(trimmed);
            let p = p.strip_suffix('/').unwrap_or(p);
            if p.is_empty() {
                return Err(format!("empty glob pattern `{pattern}`"));
            }
            let full = if Path::new(p).is_absolute() {
                p.to_string()
            } else {
                let base = globset::escape(&base.to_string_lossy().replace('\\', "/"));
                format!("{}/{p}", base.trim_end_matches('/'))
            };
            if p.contains('/') {
                absolute.add(glob(&full).map_err(|e| format!("invalid glob pattern `{pattern}`: {e}"))?);
            } else {
                // Matching the name at any depth covers `base/name` too.
                basename.add(glob(p).map_err(|e| format!("invalid glob pattern `{pattern}`: {e}"))?);
            }
        }
        Ok(Self {
            patterns: patterns.to_vec(),
            base: base.to_path_buf(),
            absolute: absolute.build().map_err(|e| e.to_string())?,
            basename: basename.build().map_err(|e| e.to_string())?,
        })
    }

    pub fn empty() -> Self {
        Self::new(&[], Path::new("/")).expect("no patterns")
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Does `absolute` (an absolute path) or its file name match?
    pub fn is_match(&self, absolute: &Path) -> bool {
        self.name_matches(absolute.file_name().unwrap_or_default()) || self.path_matches(absolute)
    }

    /// Does a pattern without `/` match this file or folder name?
    pub fn name_matches(&self, name: &std::ffi::OsStr) -> bool {
        !self.basename.is_empty() && self.basename.is_match(name)
    }

    /// Does a pattern with `/` match this absolute path?
    pub fn path_matches(&self, absolute: &Path) -> bool {
        !self.absolute.is_empty() && self.absolute.is_match(absolute)
    }

    /// Has it patterns with `/` (matched against whole paths)?
    pub fn has_path_patterns(&self) -> bool {
        !self.absolute.is_empty()
    }
}

fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern).backslash_escape(true).build()
}

/// Which files discovery keeps (`exclude`, `extend-exclude`, `respect-gitignore`, `force-exclude`).
#[derive(Debug, Clone)]
pub struct FileSelection {
    /// Replaces [`DEFAULT_EXCLUDES`] when configured.
    pub exclude: PatternSet,
    /// `extend-exclude` of the configuration, then of the command line (each with its own base).
    pub extend_exclude: Vec<PatternSet>,
    /// Honour `.gitignore`, `.ignore`, `.git/info/exclude` and the global git excludes.
    pub respect_gitignore: bool,
    /// Apply the excludes to paths named on the command line (and to `--stdin-filename`) too.
    pub force_exclude: bool,
    /// The project root (the configuration file's folder, or the current directory): for a
    /// path named explicitly, the folders between it and the root are checked against the
    /// excludes too, but never the root or anything above it.
    pub root: PathBuf,
}

impl Default for FileSelection {
    fn default() -> Self {
        let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        let defaults: Vec<String> = DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect();
        Self {
            exclude: PatternSet::new(&defaults, &root).expect("valid default excludes"),
            extend_exclude: Vec::new(),
            respect_gitignore: true,
            force_exclude: false,
            root,
        }
    }
}

impl FileSelection {
    /// The absolute form of `path` (relative to the current directory), without touching the file system.
    pub fn absolute(path: &Path) -> PathBuf {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    }

    /// Is this file or folder itself excluded (not looking at the folders above it)?
    pub fn excludes(&self, absolute: &Path) -> bool {
        self.sets().any(|set| set.is_match(absolute))
    }

    fn sets(&self) -> impl Iterator<Item = &PatternSet> {
        std::iter::once(&self.exclude).chain(&self.extend_exclude)
    }

    /// While walking: the name first, and the path only if some pattern needs it (the
    /// defaults do not), to keep the walk cheap.
    fn excludes_entry(&self, name: &std::ffi::OsStr, absolute: impl FnOnce() -> PathBuf) -> bool {
        if self.sets().any(|set| set.name_matches(name)) {
            return true;
        }
        if !self.sets().any(PatternSet::has_path_patterns) {
            return false;
        }
        let absolute = absolute();
        self.sets().any(|set| set.path_matches(&absolute))
    }

    /// Is this path, or a folder between it and the project root, excluded?
    pub fn excludes_with_ancestors(&self, path: &Path) -> bool {
        let absolute = Self::absolute(path);
        if self.excludes(&absolute) {
            return true;
        }
        absolute
            .ancestors()
            .skip(1)
            .take_while(|a| a.starts_with(&self.root) && *a != self.root)
            .any(|a| self.excludes(a))
    }

    /// Under `--force-exclude`, a path named explicitly (or the `--stdin-filename`) that is excluded.
    pub fn force_excludes(&self, path: &Path) -> bool {
        self.force_exclude && self.excludes_with_ancestors(path)
    }
}

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// The files named on the command line (sorted), as opposed to found by walking.
    pub explicit: Vec<PathBuf>,
    /// Paths that could not be walked or do not exist, with the reason.
    pub errors: Vec<(PathBuf, String)>,
    /// Files named on the command line that asyncfix cannot analyse (not Python source),
    /// with the reason: an error, never an all-clear.
    pub unsupported: Vec<(PathBuf, String)>,
}

/// Why a file named explicitly cannot be analysed, if it cannot: it must be Python source
/// (`.py`, `.pyi`, `.pyw`, or no extension and a `python` shebang, as pre-commit's
/// `types: [python]` passes scripts) or a Jupyter notebook (`.ipynb`).
pub fn unsupported_reason(path: &Path) -> Option<String> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("py" | "pyi" | "pyw" | "ipynb") => None,
        Some(other) => Some(format!(
            "not a Python file (`.{other}`); asyncfix checks `.py`, `.pyi` and `.ipynb` files, so it was not checked"
        )),
        None if has_python_shebang(path) => None,
        None => Some("not a Python file (no `.py` extension and no `python` shebang); it was not checked".to_string()),
    }
}

/// The first line is a shebang naming python (`#!/usr/bin/env python3`).
fn has_python_shebang(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    line.starts_with(b"#!") && memchr::memmem::find(line, b"python").is_some()
}

/// Discovery with the default selection (default excludes, `.gitignore` respected).
pub fn discover(paths: &[PathBuf]) -> Discovered {
    discover_with(paths, &FileSelection::default())
}

/// Discovery with the configured excludes.
pub fn discover_with(paths: &[PathBuf], selection: &FileSelection) -> Discovered {
    let mut out = Discovered::default();
    for path in paths {
        if selection.force_excludes(path) {
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => out.errors.push((path.clone(), crate::pipeline::source::io_reason(&e))),
            Ok(meta) if meta.is_dir() => walk(path, selection, &mut out),
            Ok(_) => match unsupported_reason(path) {
                Some(reason) => out.unsupported.push((clean(path), reason)),
                None => {
                    out.files.push(clean(path));
                    out.explicit.push(clean(path));
                }
            },
        }
    }
    sort_paths(&mut out.files);
    out.files.dedup();
    sort_paths(&mut out.explicit);
    out
}

/// Sort paths in `Path`'s order (component by component), comparing precomputed byte keys:
/// `Path::cmp` parses both paths into components at every comparison, which made sorting
/// the files of a large tree a visible part of a run (it happens on one thread).
pub fn sort_paths(paths: &mut [PathBuf]) {
    sort_by_path(paths, |p| p);
}

/// Sort `items` by a path of each, in `Path`'s order (see [`sort_paths`]).
pub fn sort_by_path<T: Send>(items: &mut [T], path: impl Fn(&T) -> &Path + Sync) {
    use rayon::slice::ParallelSliceMut;
    items.par_sort_by_cached_key(|item| path_key(path(item)));
}

/// A byte string whose order is `Path`'s: each component as a kind byte (in the order of
/// `Component`'s variants), its bytes and a terminating zero, so that a component sorts
/// before every longer one it is a prefix of, and a path before the paths under it.
fn path_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let (kind, bytes) = match component {
            Component::Prefix(p) => (0, p.as_os_str().as_encoded_bytes()),
            Component::RootDir => (1, &b""[..]),
            Component::CurDir => (2, &b""[..]),
            Component::ParentDir => (3, &b""[..]),
            Component::Normal(n) => (4, n.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

fn walk(root: &Path, selection: &FileSelection, out: &mut Discovered) {
    let absolute_root = FileSelection::absolute(root);
    let filter_selection = selection.clone();
    let filter_root = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(selection.respect_gitignore)
        .git_global(selection.respect_gitignore)
        .git_exclude(selection.respect_gitignore)
        .ignore(selection.respect_gitignore)
        .parents(selection.respect_gitignore)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            !filter_selection.excludes_entry(entry.file_name(), || {
                let relative = entry.path().strip_prefix(&filter_root).unwrap_or(entry.path());
                absolute_root.join(relative)
            })
        })
        .build_parallel();
    // Walked in parallel; the caller sorts.
    let found = std::sync::Mutex::new((Vec::new(), Vec::new()));
    walker.run(|| {
        Box::new(|entry| {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && entry.path().extension().is_some_and(|e| e == "py" || e == "ipynb") {
                        found.lock().expect("walk results").0.push(clean(entry.path()));
                    }
                }
                Err(err) => {
                    let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                    found
                        .lock()
                        .expect("walk results")
                        .1
                        .push((clean(&path), error_message(&err)));
                }
            }
            ignore::WalkState::Continue
        })
    });
    let (files, mut errors) = found.into_inner().expect("walk results");
    out.files.extend(files);
    errors.sort();
    out.errors.extend(errors);
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => error_message(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("directory symlink loop (points back to {})", ancestor.display())
        }
        ignore::Error::Io(e) => crate::pipeline::source::io_reason(e),
        other => other.to_string(),
    }
}

/// `./a/b.py` → `a/b.py`, as ruff and git show paths.
pub fn clean(path: &Path) -> PathBuf {
    let mut p = path;
    while let Ok(rest) = p.strip_prefix(".") {
        if rest.as_os_str().is_empty() {
            break;
        }
        p = rest;
    }
    p.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_as_path_does() {
        let names = [
            "a/b",
            "a.b",
            "a-b",
            "a",
            "a/b/c",
            "ab",
            "./x",
            "../x",
            "/a",
            "/",
            "-x",
            ".hidden/y",
            "a/-",
            "a/b.py",
            "a/b/__init__.py",
            "z",
            "a//c",
            "É/x",
            "a/B",
        ];
        let mut ours: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut std = ours.clone();
        sort_paths(&mut ours);
        std.sort();
        assert_eq!(ours, std);
    }

    fn set(patterns: &[&str]) -> PatternSet {
        let patterns: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
        PatternSet::new(&patterns, Path::new("/proj")).unwrap()
    }

    #[test]
    fn patterns_match_names_anywhere_and_paths_from_the_base() {
        let s = set(&["migrations", "tests/fixtures", "*_pb2.py", "./gen/"]);
        assert!(s.is_match(Path::new("/proj/app/migrations")));
        assert!(s.is_match(Path::new("/proj/tests/fixtures")));
        assert!(!s.is_match(Path::new("/proj/app/tests/fixtures")));
        assert!(s.is_match(Path::new("/proj/a/b/x_pb2.py")));
        assert!(s.is_match(Path::new("/proj/gen")));
        assert!(s.is_match(Path::new("/proj/sub/gen")));
        assert!(!s.is_match(Path::new("/proj/app/models.py")));
        assert!(!PatternSet::empty().is_match(Path::new("/x")));
        assert!(PatternSet::new(&["a[".to_string()], Path::new("/")).is_err());
    }

    #[test]
    fn base_with_glob_characters_is_literal() {
        let s = PatternSet::new(&["x/*.py".to_string()], Path::new("/we[ird]/p")).unwrap();
        assert!(s.is_match(Path::new("/we[ird]/p/x/a.py")));
        assert!(!s.is_match(Path::new("/wei/p/x/a.py")));
    }

    #[test]
    fn ancestors_stop_at_the_root() {
        let selection = FileSelection {
            exclude: set(&["build"]),
            extend_exclude: vec![set(&["migrations"])],
            respect_gitignore: true,
            force_exclude: true,
            root: PathBuf::from("/proj"),
        };
        assert!(selection.force_excludes(Path::new("/proj/app/migrations/0001.py")));
        assert!(!selection.force_excludes(Path::new("/proj/app/models.py")));
        // A project that lives in a folder named like an exclude is not excluded wholesale.
        let inside_build = FileSelection {
            root: PathBuf::from("/build/proj"),
            ..selection.clone()
        };
        assert!(!inside_build.force_excludes(Path::new("/build/proj/app.py")));
        let not_forced = FileSelection {
            force_exclude: false,
            ..selection
        };
        assert!(!not_forced.force_excludes(Path::new("/proj/app/migrations/0001.py")));
    }
}
