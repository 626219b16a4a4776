//! Command-line flags and the configuration file resolved into one `Settings` value.
//!
//! Precedence, lowest first: built-in defaults, the configuration file (`--config PATH`, or the
//! closest `.asyncfix.toml` / `asyncfix.toml` / `pyproject.toml [tool.asyncfix]` above the
//! current directory, or the user configuration), `--config 'KEY = VALUE'` overrides, then
//! the other command-line flags (and `ASYNCFIX_OUTPUT_FORMAT`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Result};

use crate::cli::args::{Cli, ColorChoice, OutputFormat, SubCommand};
use crate::cli::config::{self, Config, Options};
use crate::pipeline::checker::PassOptions;
use crate::pipeline::discover::{FileSelection, PatternSet, DEFAULT_EXCLUDES};
use crate::registry::selectors::{resolve_selector, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Print findings.
    Report,
    /// Print nothing; exit code only.
    Check,
    /// Print the fixes as a unified diff.
    Diff,
    /// Apply the fixes.
    Write,
}

impl Mode {
    pub fn fixes(self) -> bool {
        matches!(self, Mode::Diff | Mode::Write)
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Report => "report",
            Mode::Check => "check",
            Mode::Diff => "diff",
            Mode::Write => "write",
        }
    }
}

/// What to do besides checking files.
#[derive(Debug, Clone)]
pub enum Command {
    Check(Settings),
    ListRules,
    Explain(Rule),
    ShowSettings(Settings),
    ShowFiles(Settings),
    /// `asyncfix server`: the language server over standard input and output.
    Server,
}

/// Rules not reported in the files a glob matches (`[tool.asyncfix.per-file-ignores]`).
#[derive(Debug, Clone)]
pub struct PerFileIgnore {
    pub pattern: PatternSet,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub rules: Vec<Rule>,
    pub unsafe_fixes: bool,
    pub output_format: OutputFormat,
    pub quiet: bool,
    pub color: bool,
    pub paths: Vec<PathBuf>,
    /// Read standard input (given as `-`), reported under this name.
    pub stdin_name: Option<String>,
    pub prefilter: bool,
    pub options: PassOptions,
    /// Excludes, `.gitignore`, `--force-exclude`.
    pub files: FileSelection,
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `-o`: findings (or the diff) go here instead of standard output.
    pub output_file: Option<PathBuf>,
    /// Exit 0 instead of 1 when findings remain.
    pub exit_zero: bool,
    /// The configuration file the settings came from, if any.
    pub config_file: Option<PathBuf>,
    /// Where the target version came from (`target-version`, a `requires-python`, the flag, or the default).
    pub target_version_source: String,
    /// Where the line length came from (`line-length`, a ruff or black configuration, or the default).
    pub line_length_source: String,
    /// The project the named paths belong to (`--project-root`, else the configuration file's
    /// folder, else the git root): its other files are indexed, not reported. `None` with
    /// `--no-project-root`, for standard input, and when nothing marks a project.
    pub project_root: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: Mode::Report,
            rules: Rule::ALL.to_vec(),
            unsafe_fixes: false,
            output_format: OutputFormat::Concise,
            quiet: false,
            color: false,
            paths: Vec::new(),
            stdin_name: None,
            prefilter: true,
            options: PassOptions::default(),
            files: FileSelection::default(),
            per_file_ignores: Vec::new(),
            output_file: None,
            exit_zero: false,
            config_file: None,
            target_version_source: "default".to_string(),
            line_length_source: "default".to_string(),
            project_root: None,
        }
    }
}

/// A rule selection layer: the configuration's, then the command line's.
struct Layer {
    select: Option<Vec<Rule>>,
    extend_select: Vec<Rule>,
    ignore: Vec<Rule>,
}

impl Settings {
    pub fn resolve(cli: Cli) -> Result<Command> {
        if cli.command == Some(SubCommand::Server) {
            return Ok(Command::Server);
        }
        if cli.list_rules {
            return Ok(Command::ListRules);
        }
        if let Some(name) = &cli.explain {
            return match Rule::from_code_or_name(name) {
                Some(rule) => Ok(Command::Explain(rule)),
                None => bail!("unknown rule `{name}` (see --list-rules)"),
            };
        }
        let cwd = std::env::current_dir().map_err(|e| anyhow!("cannot read the current directory: {e}"))?;
        let (show_settings, show_files) = (cli.show_settings, cli.show_files);
        let settings = Self::resolve_in(cli, &cwd)?;
        Ok(if show_settings {
            Command::ShowSettings(settings)
        } else if show_files {
            Command::ShowFiles(settings)
        } else {
            Command::Check(settings)
        })
    }

    /// Resolve the flags and the configuration as seen from `cwd`.
    pub fn resolve_in(cli: Cli, cwd: &Path) -> Result<Settings> {
        let mode = if cli.check {
            Mode::Check
        } else if cli.diff {
            Mode::Diff
        } else if cli.write {
            Mode::Write
        } else {
            Mode::Report
        };

        // The configuration file, then `--config KEY=VALUE` overrides.
        let (config_paths, inline): (Vec<&String>, Vec<&String>) = cli
            .config
            .iter()
            .partition(|c| !looks_inline(c) || Path::new(c.as_str()).is_file());
        if config_paths.len() > 1 {
            bail!("--config names more than one file");
        }
        if cli.isolated && !config_paths.is_empty() {
            bail!("--isolated and --config PATH cannot be used together");
        }
        let config: Option<Config> = if let Some(path) = config_paths.first() {
            config::load(&cwd.join(path.as_str()), true).map_err(|e| anyhow!(e))?
        } else if cli.isolated {
            None
        } else {
            config::find(cwd).map_err(|e| anyhow!(e))?
        };
        if let Some(c) = &config {
            validate(&c.options, &|offset| c.position(offset))?;
        }
        let mut options: Options = config.as_ref().map(|c| c.options.clone()).unwrap_or_default();
        for snippet in &inline {
            let overlay = config::parse_inline(snippet).map_err(|e| anyhow!(e))?;
            validate(&overlay, &|offset| {
                config::position(&format!("--config '{snippet}'"), snippet, offset)
            })?;
            options.overlay(overlay);
        }
        // Globs are relative to the configuration file's folder; for the user configuration
        // (which serves every project) and without a file, to the current directory.
        let base = match &config {
            Some(c) if Some(&c.path) != config::user_config_path().as_ref() => c.base(),
            _ => cwd.to_path_buf(),
        };

        // Rules: the configuration's layer, then the command line's. (Validated above.)
        let spanned = |list: &Option<Vec<toml::Spanned<String>>>| -> Option<Vec<Rule>> {
            list.as_ref().map(|list| {
                list.iter()
                    .flat_map(|s| resolve_selector(s.get_ref()).unwrap_or_default())
                    .collect()
            })
        };
        let file_layer = Layer {
            select: spanned(&options.select),
            extend_select: spanned(&options.extend_select).unwrap_or_default(),
            ignore: spanned(&options.ignore).unwrap_or_default(),
        };
        let flag = |list: &[String], name: &str| -> Result<Vec<Rule>> {
            let mut rules = Vec::new();
            for s in list {
                rules.extend(resolve_selector(s).map_err(|e| anyhow!("{name}: {e}"))?);
            }
            Ok(rules)
        };
        let cli_layer = Layer {
            select: if cli.select.is_empty() {
                None
            } else {
                Some(flag(&cli.select, "--select")?)
            },
            extend_select: flag(&cli.extend_select, "--extend-select")?,
            ignore: flag(&cli.ignore, "--ignore")?,
        };
        let mut rules: Vec<Rule> = Rule::ALL.to_vec();
        for layer in [file_layer, cli_layer] {
            if let Some(select) = layer.select {
                rules = select;
            }
            rules.extend(layer.extend_select);
            rules.retain(|r| !layer.ignore.contains(r));
        }
        rules.sort();
        rules.dedup();

        // Per-file ignores (globs relative to the configuration file).
        let mut per_file_ignores = Vec::new();
        for (pattern, selectors) in options.per_file_ignores.iter().flatten() {
            let ignored = spanned(&Some(selectors.clone())).unwrap_or_default();
            let set = PatternSet::new(std::slice::from_ref(pattern), &base)
                .map_err(|e| anyhow!("{}: `per-file-ignores`: {e}", config_name(&config)))?;
            per_file_ignores.push(PerFileIgnore {
                pattern: set,
                rules: ignored,
            });
        }

        // Files.
        let exclude = if !cli.exclude.is_empty() {
            PatternSet::new(&cli.exclude, cwd).map_err(|e| anyhow!("--exclude: {e}"))?
        } else if let Some(list) = &options.exclude {
            PatternSet::new(list, &base).map_err(|e| anyhow!("{}: `exclude`: {e}", config_name(&config)))?
        } else {
            let defaults: Vec<String> = DEFAULT_EXCLUDES.iter().map(|s| s.to_string()).collect();
            PatternSet::new(&defaults, &base).expect("valid default excludes")
        };
        let mut extend_exclude = Vec::new();
        if let Some(list) = &options.extend_exclude {
            extend_exclude.push(
                PatternSet::new(list, &base).map_err(|e| anyhow!("{}: `extend-exclude`: {e}", config_name(&config)))?,
            );
        }
        if !cli.extend_exclude.is_empty() {
            extend_exclude
                .push(PatternSet::new(&cli.extend_exclude, cwd).map_err(|e| anyhow!("--extend-exclude: {e}"))?);
        }
        let respect_gitignore = if cli.no_respect_gitignore {
            false
        } else if cli.respect_gitignore {
            true
        } else {
            options.respect_gitignore.unwrap_or(true)
        };
        let force_exclude = if cli.no_force_exclude {
            false
        } else {
            cli.force_exclude || options.force_exclude.unwrap_or(false)
        };
        let files = FileSelection {
            exclude,
            extend_exclude,
            respect_gitignore,
            force_exclude,
            root: base.clone(),
        };

        // Pass options.
        let (target_version, target_version_source) = if let Some(v) = cli.target_version {
            (v, "--target-version".to_string())
        } else if let Some(v) = &options.target_version {
            let parsed = config::parse_target_version(v.get_ref()).map_err(|e| anyhow!(e))?;
            (parsed, format!("target-version in {}", config_name(&config)))
        } else {
            let requires = match &config {
                Some(c) if c.requires_python.is_some() => {
                    Some((c.path.clone(), c.requires_python.clone().unwrap_or_default()))
                }
                _ if cli.isolated => None,
                _ => config::find_requires_python(&base),
            };
            match requires.and_then(|(path, spec)| config::requires_python_minimum(&spec).map(|v| (path, spec, v))) {
                Some((path, spec, v)) => (v, format!("requires-python = \"{spec}\" in {}", path.display())),
                None => (PassOptions::default().target_version, "default".to_string()),
            }
        };
        let (line_length, line_length_source) = if let Some(v) = &options.line_length {
            let n = config::check_line_length(*v.get_ref()).map_err(|e| anyhow!(e))?;
            (n, format!("line-length in {}", config_name(&config)))
        } else {
            match (!cli.isolated).then(|| config::find_line_length(&base)).flatten() {
                Some((path, n)) => (n, format!("from {}", path.display())),
                None => (PassOptions::default().line_length, "default".to_string()),
            }
        };
        let extra_coroutine_functions = options
            .missing_await
            .as_ref()
            .and_then(|m| m.extra_coroutine_functions.clone())
            .unwrap_or_default();

        // Paths.
        let dash = PathBuf::from("-");
        let wants_stdin = cli.paths.contains(&dash) || (cli.paths.is_empty() && cli.stdin_filename.is_some());
        if wants_stdin && cli.paths.iter().any(|p| p != &dash) {
            bail!("`-` (standard input) cannot be combined with other paths");
        }
        let mut paths: Vec<PathBuf> = cli.paths.into_iter().filter(|p| p != &dash).collect();
        if paths.is_empty() && !wants_stdin {
            paths.push(PathBuf::from("."));
        }

        // Output.
        let output_format = cli
            .output_format
            .or(options.output_format)
            .unwrap_or(OutputFormat::Concise);
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                cli.output_file.is_none()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        let unsafe_fixes = if cli.no_unsafe_fixes {
            false
        } else {
            cli.unsafe_fixes || options.unsafe_fixes.unwrap_or(false)
        };

        let project_root = if cli.no_project_root || wants_stdin {
            None
        } else if let Some(dir) = &cli.project_root {
            let dir = cwd.join(dir);
            if !dir.is_dir() {
                bail!("--project-root: `{}` is not a folder", dir.display());
            }
            Some(crate::pipeline::discover::clean(&dir))
        } else {
            match &config {
                Some(c) if Some(&c.path) != config::user_config_path().as_ref() => Some(c.base()),
                _ => git_root(cwd),
            }
        };

        Ok(Settings {
            mode,
            rules,
            unsafe_fixes,
            output_format,
            quiet: cli.quiet,
            color,
            paths,
            stdin_name: wants_stdin.then(|| match cli.stdin_filename {
                Some(name) => crate::pipeline::discover::clean(Path::new(&name)).display().to_string(),
                None => "-".to_string(),
            }),
            prefilter: !cli.no_prefilter,
            options: PassOptions {
                target_version,
                extra_coroutine_functions,
                ignore_noqa: cli.ignore_noqa,
                line_length,
            },
            files,
            per_file_ignores,
            output_file: cli.output_file,
            exit_zero: cli.exit_zero,
            config_file: config.map(|c| c.path),
            target_version_source,
            line_length_source,
            project_root,
        })
    }

    /// The rules enabled for one file (per-file ignores applied). A file excluded under
    /// `--force-exclude` (only standard input reaches here so: discovery drops the others)
    /// gets no rule, so it is passed through untouched.
    pub fn rules_for(&self, path: &Path) -> Vec<Rule> {
        if self.files.force_excludes(path) {
            return Vec::new();
        }
        if self.per_file_ignores.is_empty() {
            return self.rules.clone();
        }
        let absolute = FileSelection::absolute(path);
        let mut rules = self.rules.clone();
        for entry in &self.per_file_ignores {
            if entry.pattern.is_match(&absolute) {
                rules.retain(|r| !entry.rules.contains(r));
            }
        }
        rules
    }
}

/// Check every rule selector and the target version, naming the file, line and key of a bad one.
fn validate(options: &Options, locate: &dyn Fn(usize) -> String) -> Result<()> {
    let lists = [
        ("select", options.select.as_ref()),
        ("extend-select", options.extend_select.as_ref()),
        ("ignore", options.ignore.as_ref()),
    ];
    let per_file = options
        .per_file_ignores
        .iter()
        .flatten()
        .map(|(_, list)| ("per-file-ignores", Some(list)));
    for (key, list) in lists.into_iter().chain(per_file) {
        for s in list.into_iter().flatten() {
            if let Err(e) = resolve_selector(s.get_ref()) {
                bail!("{}: `{key}`: {e}", locate(s.span().start));
            }
        }
    }
    if let Some(v) = &options.target_version {
        if let Err(e) = config::parse_target_version(v.get_ref()) {
            bail!("{}: `target-version`: {e}", locate(v.span().start));
        }
    }
    if let Some(v) = &options.line_length {
        if let Err(e) = config::check_line_length(*v.get_ref()) {
            bail!("{}: `line-length`: {e}", locate(v.span().start));
        }
    }
    Ok(())
}

fn config_name(config: &Option<Config>) -> String {
    match config {
        Some(c) => c.path.display().to_string(),
        None => "--config".to_string(),
    }
}

/// The root of the git work tree around `dir` (the folder holding `.git`, a folder or, in a
/// linked work tree or a submodule, a file).
pub fn git_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// `--config 'select = ["AF001"]'` rather than a path.
fn looks_inline(s: &str) -> bool {
    s.contains('=')
}
