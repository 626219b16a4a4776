//! Configuration files: `.asyncfix.toml`, `asyncfix.toml` (top-level keys) and
//! `pyproject.toml` (`[tool.asyncfix]`), found by walking up from the current directory; the
//! closest wins, and in one folder the first of those three. A `pyproject.toml` without a
//! `[tool.asyncfix]` table is skipped. When none is found, the user configuration
//! (`$XDG_CONFIG_HOME/asyncfix/asyncfix.toml`, by default `~/.config/asyncfix/asyncfix.toml`)
//! is used if it exists.
//!
//! Errors name the file, the line and the key (`pyproject.toml:7:1: unknown field `selct`...`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::cli::args::OutputFormat;

/// The names looked for in each folder, in order of precedence.
pub const CONFIG_NAMES: &[&str] = &[".asyncfix.toml", "asyncfix.toml", "pyproject.toml"];

/// The keys of `[tool.asyncfix]` (or of the top level of `asyncfix.toml`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    pub select: Option<Vec<Spanned<String>>>,
    pub extend_select: Option<Vec<Spanned<String>>>,
    pub ignore: Option<Vec<Spanned<String>>>,
    /// Glob → rules not reported in the files it matches.
    pub per_file_ignores: Option<BTreeMap<String, Vec<Spanned<String>>>>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Option<Vec<String>>,
    pub respect_gitignore: Option<bool>,
    pub force_exclude: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub output_format: Option<OutputFormat>,
    pub target_version: Option<Spanned<String>>,
    /// The line length fixes are laid out to (else ruff's or black's, see [`find_line_length`]).
    pub line_length: Option<Spanned<i64>>,
    /// `[tool.asyncfix.missing-await]`
    pub missing_await: Option<MissingAwaitOptions>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MissingAwaitOptions {
    /// Qualified names of functions to treat as coroutine functions (`mylib.db.fetch`).
    pub extra_coroutine_functions: Option<Vec<String>>,
}

impl Options {
    /// Keys set in `other` replace those here (`--config 'KEY = VALUE'` over the file).
    pub fn overlay(&mut self, other: Options) {
        macro_rules! take {
            ($($field:ident),*) => { $( if other.$field.is_some() { self.$field = other.$field; } )* };
        }
        take!(
            select,
            extend_select,
            ignore,
            per_file_ignores,
            exclude,
            extend_exclude,
            respect_gitignore,
            force_exclude,
            unsafe_fixes,
            output_format,
            target_version,
            line_length
        );
        if let Some(ma) = other.missing_await {
            let mine = self.missing_await.get_or_insert_with(Default::default);
            if ma.extra_coroutine_functions.is_some() {
                mine.extra_coroutine_functions = ma.extra_coroutine_functions;
            }
        }
    }
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tools>,
    project: Option<Project>,
}

#[derive(Deserialize)]
struct Tools {
    asyncfix: Option<Options>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
}

/// A configuration file, read.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// Its text, for positioning errors found after parsing (e.g. an unknown rule).
    pub text: String,
    pub options: Options,
    /// `[project] requires-python`, when the file is a `pyproject.toml` that has it.
    pub requires_python: Option<String>,
}

impl Config {
    /// The folder relative globs are joined to.
    pub fn base(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// `path:line:col` of a byte offset in the file.
    pub fn position(&self, offset: usize) -> String {
        position(&self.path.display().to_string(), &self.text, offset)
    }
}

/// `name:line:col` (1-based; columns in characters) of a byte offset in `text`.
pub fn position(name: &str, text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("{name}:{line}:{column}")
}

fn toml_error(name: &str, text: &str, err: &toml::de::Error) -> String {
    // "unknown field `selct`" is serde's word; in a configuration file it is a key.
    let message = err.message().trim_end().replace("unknown field", "unknown key");
    match err.span() {
        Some(span) => format!("{}: {message}", position(name, text, span.start)),
        None => format!("{name}: {message}"),
    }
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "pyproject.toml")
}

/// Read one configuration file. `Ok(None)`: a `pyproject.toml` without `[tool.asyncfix]`
/// (unless `required`, when that is an error too).
pub fn load(path: &Path, required: bool) -> Result<Option<Config>, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{name}: cannot read the configuration: {}",
            crate::pipeline::source::io_reason(&e)
        )
    })?;
    if is_pyproject(path) {
        // A pyproject.toml that never mentions us is not ours to judge (it may even be broken).
        if !required && !text.contains("asyncfix") {
            return Ok(None);
        }
        let doc: Pyproject = toml::from_str(&text).map_err(|e| toml_error(&name, &text, &e))?;
        let requires_python = doc.project.and_then(|p| p.requires_python);
        match doc.tool.and_then(|t| t.asyncfix) {
            Some(options) => Ok(Some(Config {
                path: path.to_path_buf(),
                text,
                options,
                requires_python,
            })),
            None if required => Err(format!("{name}: no [tool.asyncfix] table")),
            None => Ok(None),
        }
    } else {
        let options: Options = toml::from_str(&text).map_err(|e| toml_error(&name, &text, &e))?;
        Ok(Some(Config {
            path: path.to_path_buf(),
            text,
            options,
            requires_python: None,
        }))
    }
}

/// Parse a `--config 'KEY = VALUE'` override.
pub fn parse_inline(snippet: &str) -> Result<Options, String> {
    let name = format!("--config '{snippet}'");
    toml::from_str(snippet).map_err(|e| toml_error(&name, snippet, &e))
}

/// The closest configuration file at or above `start`, else the user configuration.
pub fn find(start: &Path) -> Result<Option<Config>, String> {
    for dir in start.ancestors() {
        for name in CONFIG_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                if let Some(config) = load(&candidate, false)? {
                    return Ok(Some(config));
                }
            }
        }
    }
    match user_config_path() {
        Some(path) if path.is_file() => load(&path, true),
        _ => Ok(None),
    }
}

/// `$XDG_CONFIG_HOME/asyncfix/asyncfix.toml`, or `~/.config/asyncfix/asyncfix.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(std::env::var_os("HOME").filter(|v| !v.is_empty())?).join(".config"),
    };
    Some(base.join("asyncfix").join("asyncfix.toml"))
}

/// `requires-python` of the closest `pyproject.toml` at or above `start` that has one
/// (a file that cannot be parsed is passed over), with the file it came from.
pub fn find_requires_python(start: &Path) -> Option<(PathBuf, String)> {
    #[derive(Deserialize)]
    struct Lenient {
        project: Option<Project>,
    }
    for dir in start.ancestors() {
        let path = dir.join("pyproject.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Ok(Lenient {
            project: Some(Project {
                requires_python: Some(spec),
            }),
        }) = toml::from_str::<Lenient>(&text)
        {
            return Some((path, spec));
        }
    }
    None
}

/// ruff's limits for `line-length`.
const LINE_LENGTH_RANGE: std::ops::RangeInclusive<i64> = 1..=320;

/// `line-length` checked against [`LINE_LENGTH_RANGE`].
pub fn check_line_length(n: i64) -> Result<usize, String> {
    if LINE_LENGTH_RANGE.contains(&n) {
        Ok(n as usize)
    } else {
        Err(format!(
            "invalid line length `{n}` (expected {} to {})",
            LINE_LENGTH_RANGE.start(),
            LINE_LENGTH_RANGE.end()
        ))
    }
}

/// The line length the project formats to, as `ruff format` (or black) finds it, with the
/// file it came from: the closest folder at or above `start` with a ruff configuration
/// (`.ruff.toml`, `ruff.toml`, or a `pyproject.toml` with `[tool.ruff]`) gives its
/// `line-length`; else, from the same `pyproject.toml`, `[tool.black] line-length`. A ruff
/// configuration without `line-length` means ruff's default, unless it `extend`s another
/// file (not followed: the length is then unknown, `None`); a length out of range is unknown
/// too. Files that cannot be parsed are passed over; the user's own ruff configuration is
/// not read.
pub fn find_line_length(start: &Path) -> Option<(PathBuf, usize)> {
    #[derive(Deserialize)]
    struct Ruff {
        #[serde(rename = "line-length")]
        line_length: Option<i64>,
        extend: Option<toml::Value>,
    }
    #[derive(Deserialize)]
    struct Black {
        #[serde(rename = "line-length")]
        line_length: Option<i64>,
    }
    #[derive(Deserialize)]
    struct LenientTools {
        ruff: Option<Ruff>,
        black: Option<Black>,
    }
    #[derive(Deserialize)]
    struct Lenient {
        tool: Option<LenientTools>,
    }
    let ruff_length = |ruff: Ruff| match ruff.line_length {
        Some(n) => check_line_length(n).ok(),
        None if ruff.extend.is_some() => None,
        None => Some(crate::fix::layout::DEFAULT_LINE_WIDTH),
    };
    for dir in start.ancestors() {
        for name in [".ruff.toml", "ruff.toml"] {
            let path = dir.join(name);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Ok(ruff) = toml::from_str::<Ruff>(&text) {
                return ruff_length(ruff).map(|n| (path, n));
            }
        }
        let path = dir.join("pyproject.toml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(Lenient { tool: Some(tools) }) = toml::from_str::<Lenient>(&text) else {
            continue;
        };
        if let Some(ruff) = tools.ruff {
            return ruff_length(ruff).map(|n| (path, n));
        }
        if let Some(n) = tools.black.and_then(|b| b.line_length) {
            return check_line_length(n).ok().map(|n| (path, n));
        }
    }
    None
}

/// `py310` → (3, 10).
pub fn parse_target_version(s: &str) -> Result<(u8, u8), String> {
    let bad = || format!("invalid target version `{s}` (expected py37 ... py315)");
    let digits = s.trim().strip_prefix("py").ok_or_else(bad)?;
    let minor = digits.strip_prefix('3').ok_or_else(bad)?;
    let minor: u8 = minor.parse().map_err(|_| bad())?;
    if !(7..=15).contains(&minor) {
        return Err(bad());
    }
    Ok((3, minor))
}

/// The oldest Python a `requires-python` specifier allows, as (major, minor):
/// `>=3.10` → (3, 10); `~=3.11.2` → (3, 11); `>3.9` → (3, 10); `==3.12.*` → (3, 12);
/// `>=3.8,<4` → (3, 8). `None` when it sets no lower bound.
pub fn requires_python_minimum(spec: &str) -> Option<(u8, u8)> {
    let mut best: Option<(u8, u8)> = None;
    for clause in spec.split(',') {
        let clause = clause.trim();
        let Some((op, version)) = ["~=", "==", ">=", "<=", "!=", "^", ">", "<", "="]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|v| (*op, v.trim())))
        else {
            continue;
        };
        let mut parts = version.split('.');
        let Some(Ok(major)) = parts.next().map(|p| p.trim().parse::<u8>()) else {
            continue;
        };
        let minor_part = parts.next().unwrap_or("0").trim();
        let minor: u8 = if minor_part == "*" {
            0
        } else {
            match minor_part.parse() {
                Ok(m) => m,
                Err(_) => continue,
            }
        };
        let has_patch = parts.next().is_some_and(|p| p != "*" && p != "0");
        let bound = match op {
            ">=" | "~=" | "==" | "^" | "=" => (major, minor),
            // `>3.9` excludes 3.9.0 only; `>3.9.1` still allows 3.9.2.
            ">" if has_patch => (major, minor),
            ">" => (major, minor.saturating_add(1)),
            _ => continue,
        };
        best = Some(best.map_or(bound, |b| b.max(bound)));
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_length_as_ruff_and_black_find_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        let sub = root.join("pkg").join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        let write = |path: &Path, text: &str| std::fs::write(path, text).unwrap();
        let found =
            |start: &Path| find_line_length(start).map(|(p, n)| (p.strip_prefix(root).unwrap().to_path_buf(), n));

        assert_eq!(found(&sub), None);
        write(&root.join("pyproject.toml"), "[tool.black]\nline-length = 100\n");
        assert_eq!(found(&sub), Some(("pyproject.toml".into(), 100)));
        // ruff's table wins over black's in the same file; without `line-length`, ruff's 88.
        write(
            &root.join("pyproject.toml"),
            "[tool.black]\nline-length = 100\n\n[tool.ruff]\ntarget-version = \"py311\"\n",
        );
        assert_eq!(found(&sub), Some(("pyproject.toml".into(), 88)));
        // The closest folder with a configuration; `.ruff.toml` before `ruff.toml` before
        // `pyproject.toml`; a pyproject.toml without either table does not count.
        write(&sub.join("pyproject.toml"), "[project]\nname = \"x\"\n");
        write(&root.join("pkg").join("ruff.toml"), "line-length = 120\n");
        assert_eq!(found(&sub), Some(("pkg/ruff.toml".into(), 120)));
        write(&root.join("pkg").join(".ruff.toml"), "line-length = 110\n");
        assert_eq!(found(&sub), Some(("pkg/.ruff.toml".into(), 110)));
        // `extend` without `line-length`: not followed, unknown.
        write(&root.join("pkg").join(".ruff.toml"), "extend = \"../pyproject.toml\"\n");
        assert_eq!(found(&sub), None);
        // Out of range: unknown.
        write(&root.join("pkg").join(".ruff.toml"), "line-length = 0\n");
        assert_eq!(found(&sub), None);
        assert_eq!(check_line_length(320), Ok(320));
        assert!(check_line_length(321).is_err());
    }

    #[test]
    fn requires_python() {
        assert_eq!(requires_python_minimum(">=3.10"), Some((3, 10)));
        assert_eq!(requires_python_minimum(">= 3.8, <4"), Some((3, 8)));
        assert_eq!(requires_python_minimum("~=3.11.2"), Some((3, 11)));
        assert_eq!(requires_python_minimum(">3.9"), Some((3, 10)));
        assert_eq!(requires_python_minimum(">3.9.1"), Some((3, 9)));
        assert_eq!(requires_python_minimum("==3.12.*"), Some((3, 12)));
        assert_eq!(requires_python_minimum("^3.11"), Some((3, 11)));
        assert_eq!(requires_python_minimum("<4"), None);
        assert_eq!(requires_python_minimum("garbage"), None);
    }

    #[test]
    fn target_versions() {
        assert_eq!(parse_target_version("py39"), Ok((3, 9)));
        assert_eq!(parse_target_version("py315"), Ok((3, 15)));
        assert!(parse_target_version("3.10").is_err());
        assert!(parse_target_version("py26").is_err());
    }

    #[test]
    fn positions_are_one_based() {
        assert_eq!(position("f", "a\nbé = 1\n", 6), "f:2:4");
        assert_eq!(position("f", "", 0), "f:1:1");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = toml::from_str::<Options>("select = [\"AF\"]\nselct = 1\n").unwrap_err();
        let msg = toml_error("x.toml", "select = [\"AF\"]\nselct = 1\n", &err);
        assert!(msg.starts_with("x.toml:2:1: unknown key `selct`"), "{msg}");
    }
}
