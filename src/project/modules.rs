//! Module names from the file layout: a file's module is its path below the nearest folder
//! that has no `__init__.py` (`src/pkg/sub/mod.py` with `pkg/__init__.py` and
//! `pkg/sub/__init__.py` → `pkg.sub.mod`).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

/// Where a file stands in the project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModulePath {
    /// `pkg.sub.mod` (for `pkg/sub/__init__.py`: `pkg.sub`).
    pub name: String,
    /// The file is a package's `__init__.py`.
    pub is_package: bool,
}

impl ModulePath {
    /// Turn an import path as the semantic model records it (`.m.f` for `from .m import f`)
    /// into an absolute one.
    pub fn absolute(&self, qualified: &str) -> Option<String> {
        if !qualified.starts_with('.') {
            return Some(qualified.to_string());
        }
        self.absolute_relative(qualified)
    }

    /// [`Self::absolute`], keeping `qualified` when it is absolute already (no copy).
    pub fn into_absolute(&self, qualified: String) -> Option<String> {
        if !qualified.starts_with('.') {
            return Some(qualified);
        }
        self.absolute_relative(&qualified)
    }

    fn absolute_relative(&self, qualified: &str) -> Option<String> {
        let rest = qualified.trim_start_matches('.');
        let dots = qualified.len() - rest.len();
        // The package the dots stand for: the module's own (a package's `__init__`) or the
        // one it is in, then one up for each further dot.
        let mut base = self.name.as_str();
        let ups = dots - usize::from(self.is_package);
        for _ in 0..ups {
            if base.is_empty() {
                return None;
            }
            base = base.rfind('.').map_or("", |i| &base[..i]);
        }
        match (base.is_empty(), rest.is_empty()) {
            (true, true) => None,
            (true, false) => Some(rest.to_string()),
            (false, true) => Some(base.to_string()),
            (false, false) => {
                let mut name = String::with_capacity(base.len() + 1 + rest.len());
                name.push_str(base);
                name.push('.');
                name.push_str(rest);
                Some(name)
            }
        }
    }
}

/// Module names for files. Which folders are packages is known from the discovered files
/// (a folder holding a discovered `__init__.py`); folders no discovered file is in are
/// looked up on disk.
#[derive(Default)]
pub struct ModuleNamer {
    /// Folders holding a discovered `__init__.py`.
    packages: HashSet<PathBuf>,
    /// Folders holding any discovered file.
    seen: HashSet<PathBuf>,
    /// Folders above a package that hold no discovered file: is each one a package? (Looked up
    /// on disk once, not once per file below.)
    above: HashMap<PathBuf, bool>,
    /// The module name of each folder holding a discovered file, when it is a package
    /// (`pkg.sub` for `src/pkg/sub`), found once per folder, not once per file in it.
    prefixes: HashMap<PathBuf, Option<String>>,
}

impl ModuleNamer {
    pub fn new(files: &[PathBuf]) -> Self {
        let mut namer = Self::default();
        for file in files {
            let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
            if file.file_name().is_some_and(|n| n == "__init__.py") {
                namer.packages.insert(dir.clone());
            }
            namer.seen.insert(dir);
        }
        for package in &namer.packages {
            let mut dir = package.parent();
            while let Some(d) = dir {
                if namer.seen.contains(d) || namer.above.contains_key(d) {
                    break;
                }
                let is_package = Self::has_init(d);
                namer.above.insert(d.to_path_buf(), is_package);
                if !is_package {
                    break;
                }
                dir = d.parent();
            }
        }
        let folders: Vec<PathBuf> = namer.seen.iter().cloned().collect();
        for folder in folders {
            namer.prefix(&folder);
        }
        namer
    }

    /// The module name of `dir` when it is a package, remembered for every folder on the way.
    fn prefix(&mut self, dir: &Path) -> Option<String> {
        if let Some(known) = self.prefixes.get(dir) {
            return known.clone();
        }
        let prefix = match dir.file_name() {
            Some(name) if self.is_package_dir(dir) => {
                let name = name.to_string_lossy();
                Some(match dir.parent().and_then(|parent| self.prefix(parent)) {
                    Some(above) => format!("{above}.{name}"),
                    None => name.into_owned(),
                })
            }
            _ => None,
        };
        self.prefixes.insert(dir.to_path_buf(), prefix.clone());
        prefix
    }

    fn has_init(dir: &Path) -> bool {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        dir.join("__init__.py").is_file()
    }

    pub fn module_path(&self, file: &Path) -> ModulePath {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let is_package = stem == "__init__";
        if let Some(prefix) = file.parent().and_then(|dir| self.prefixes.get(dir)) {
            let name = match (prefix, is_package) {
                (Some(prefix), true) => prefix.clone(),
                (Some(prefix), false) => format!("{prefix}.{stem}"),
                (None, true) => String::new(),
                (None, false) => stem,
            };
            return ModulePath { name, is_package };
        }
        let mut parts: Vec<String> = if is_package { Vec::new() } else { vec![stem] };
        let mut dir = file.parent().map(Path::to_path_buf);
        while let Some(d) = dir {
            if !self.is_package_dir(&d) {
                break;
            }
            match d.file_name() {
                Some(name) => parts.push(name.to_string_lossy().to_string()),
                None => break,
            }
            dir = d.parent().map(Path::to_path_buf);
        }
        parts.reverse();
        ModulePath {
            name: parts.join("."),
            is_package,
        }
    }

    fn is_package_dir(&self, dir: &Path) -> bool {
        if self.seen.contains(dir) {
            return self.packages.contains(dir);
        }
        match self.above.get(dir) {
            Some(&is_package) => is_package,
            None => Self::has_init(dir),
        }
    }
}
