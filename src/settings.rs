//! Command-line flags resolved into one `Settings` value.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::checker::PassOptions;
use crate::cli::{Cli, ColorChoice, OutputFormat};
use crate::rules::{select_rules, Rule};

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
}

/// What to do besides checking files.
#[derive(Debug, Clone)]
pub enum Command {
    Check(Settings),
    ListRules,
    Explain(Rule),
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
}

impl Settings {
    pub fn resolve(cli: Cli) -> Result<Command> {
        if cli.list_rules {
            return Ok(Command::ListRules);
        }
        if let Some(name) = &cli.explain {
            return match Rule::from_code_or_name(name) {
                Some(rule) => Ok(Command::Explain(rule)),
                None => bail!("unknown rule `{name}` (see --list-rules)"),
            };
        }
        let mode = if cli.check {
            Mode::Check
        } else if cli.diff {
            Mode::Diff
        } else if cli.write {
            Mode::Write
        } else {
            Mode::Report
        };
        let rules = select_rules(&cli.select, &cli.ignore)?;
        let dash = PathBuf::from("-");
        let wants_stdin = cli.paths.contains(&dash) || (cli.paths.is_empty() && cli.stdin_filename.is_some());
        if wants_stdin && cli.paths.iter().any(|p| p != &dash) {
            bail!("`-` (standard input) cannot be combined with other paths");
        }
        let mut paths: Vec<PathBuf> = cli.paths.into_iter().filter(|p| p != &dash).collect();
        if paths.is_empty() && !wants_stdin {
            paths.push(PathBuf::from("."));
        }
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
            }
        };
        Ok(Command::Check(Settings {
            mode,
            rules,
            unsafe_fixes: cli.unsafe_fixes,
            output_format: cli.output_format,
            quiet: cli.quiet,
            color,
            paths,
            stdin_name: wants_stdin.then(|| match cli.stdin_filename {
                Some(name) => crate::discover::clean(std::path::Path::new(&name))
                    .display()
                    .to_string(),
                None => "-".to_string(),
            }),
            prefilter: !cli.no_prefilter,
            options: PassOptions::default(),
        }))
    }

    /// The rules enabled for one file (per-file ignores applied).
    pub fn rules_for(&self, _path: &std::path::Path) -> Vec<Rule> {
        self.rules.clone()
    }
}
