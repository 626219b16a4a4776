//! Which files to look at: directories are walked for `*.py` (respecting `.gitignore` and
//! `.ignore`, skipping hidden folders and the usual environment and build folders); a file
//! named on the command line is always processed.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// Folders never walked into (a folder named on the command line is still walked).
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

#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// The files named on the command line (sorted), as opposed to found by walking.
    pub explicit: Vec<PathBuf>,
    /// Paths that could not be walked or do not exist, with the reason.
    pub errors: Vec<(PathBuf, String)>,
}

pub fn discover(paths: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => out.errors.push((path.clone(), crate::source::io_reason(&e))),
            Ok(meta) if meta.is_dir() => walk(path, &mut out),
            Ok(_) => {
                out.files.push(clean(path));
                out.explicit.push(clean(path));
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    out.explicit.sort();
    out
}

fn walk(root: &Path, out: &mut Discovered) {
    let walker = WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .ignore(true)
        .parents(true)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|entry| {
            entry.depth() == 0
                || !entry.file_type().is_some_and(|t| t.is_dir())
                || !DEFAULT_EXCLUDES.iter().any(|x| entry.file_name() == *x)
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && entry.path().extension().is_some_and(|e| e == "py") {
                    out.files.push(clean(entry.path()));
                }
            }
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                out.errors.push((clean(&path), error_message(&err)));
            }
        }
    }
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
        ignore::Error::Io(e) => crate::source::io_reason(e),
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
