//! Command-line definitions (clap). Nothing here runs anything.

use std::path::PathBuf;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};

#[derive(Debug, Clone, Parser)]
#[command(
    name = "asyncfix",
    version,
    about = "Find and fix asyncio mistakes in Python code",
    long_about = "Find and fix asyncio mistakes in Python code.\n\nBy default asyncfix reports what it finds. --diff shows the fixes as a patch, --write applies them.\nExit codes: 0 nothing to fix, 1 findings remain (or a diff was printed), 2 an error occurred.",
    group(ArgGroup::new("mode").args(["check", "diff", "write"]).multiple(false)),
    args_conflicts_with_subcommands = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// `asyncfix server`: the language server (a file named `server` is `./server`).
    #[command(subcommand)]
    pub command: Option<SubCommand>,

    /// Files or directories to check (`-` reads standard input).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report nothing; only set the exit code.
    #[arg(long)]
    pub check: bool,

    /// Print the fixes as a unified diff; change no file.
    #[arg(long)]
    pub diff: bool,

    /// Apply the fixes in place.
    #[arg(long, visible_alias = "fix")]
    pub write: bool,

    /// Rules to enable: codes (AF003), prefixes (AF), names (blocking-sleep) or ALL.
    /// Replaces the configuration's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Rules to enable in addition to those selected (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,

    /// Rules to disable (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Also apply fixes marked unsafe.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,

    /// Apply only safe fixes, whatever the configuration says.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,

    /// How findings are printed [default: concise].
    #[arg(long, value_enum, value_name = "FORMAT", env = "ASYNCFIX_OUTPUT_FORMAT")]
    pub output_format: Option<OutputFormat>,

    /// Write the findings (or the diff) to this file instead of standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output_file: Option<PathBuf>,

    /// Ignore every suppression comment (`# noqa`, `# asyncfix: ignore[...]`), as ruff's flag does.
    #[arg(long)]
    pub ignore_noqa: bool,

    /// Exit 0 even when findings remain (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Glob patterns of files and folders to skip, replacing the defaults (and the configuration's).
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub exclude: Vec<String>,

    /// Glob patterns of files and folders to skip, in addition to the excluded ones.
    #[arg(long, value_delimiter = ',', value_name = "GLOBS")]
    pub extend_exclude: Vec<String>,

    /// Apply the excludes to paths named on the command line too (for pre-commit and editors).
    #[arg(long, overrides_with = "no_force_exclude")]
    pub force_exclude: bool,

    #[arg(long, overrides_with = "force_exclude", hide = true)]
    pub no_force_exclude: bool,

    /// Honour .gitignore, .ignore and git's exclude files (the default).
    #[arg(long, overrides_with = "no_respect_gitignore")]
    pub respect_gitignore: bool,

    /// Walk files that .gitignore / .ignore exclude.
    #[arg(long, overrides_with = "respect_gitignore")]
    pub no_respect_gitignore: bool,

    /// The oldest Python the fixed code must run on (py37 ... py315)
    /// [default: from `requires-python`, else py39].
    #[arg(long, value_name = "VERSION", value_parser = crate::cli::config::parse_target_version)]
    pub target_version: Option<(u8, u8)>,

    /// A configuration file to use instead of the discovered one, or a `KEY = VALUE` override
    /// of one setting (TOML, as in `[tool.asyncfix]`). Repeatable.
    #[arg(long, value_name = "PATH | KEY=VALUE")]
    pub config: Vec<String>,

    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,

    /// Print the resolved settings and the file they came from, and exit.
    #[arg(long)]
    pub show_settings: bool,

    /// Print the files that would be checked, and exit.
    #[arg(long)]
    pub show_files: bool,

    /// Print no summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// When to use colour (also honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The file name to report for standard input (implies `-` when no path is given).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// List every rule and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Explain a rule (code or name) and exit.
    #[arg(long, value_name = "RULE")]
    pub explain: Option<String>,

    /// The project the named files belong to: its other files are read (with the prefilter) so
    /// that calls into them resolve, and only the named files are reported [default: the folder
    /// of the configuration file, else the git repository's root].
    #[arg(long, value_name = "DIR", overrides_with = "no_project_root")]
    pub project_root: Option<PathBuf>,

    /// Check the named files on their own, without their project's other files.
    #[arg(long, overrides_with = "project_root")]
    pub no_project_root: bool,

    /// Parse every file, even those that mention none of the words the passes look for
    /// (for checking that the prefilter changes nothing).
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
}

/// What asyncfix can do besides checking files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum SubCommand {
    /// Run the language server (LSP over standard input and output), for editors.
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// One line a finding: `path:line:col: AF003 [*] message`.
    Concise,
    /// A code frame with the finding underlined and the fix shown.
    Full,
    /// A JSON array of findings (ruff's shape).
    Json,
    /// One JSON object a line.
    JsonLines,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// reviewdog's diagnostic result (one JSON document).
    Rdjson,
    /// reviewdog's diagnostics, one JSON object a line.
    Rdjsonl,
}

impl OutputFormat {
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Concise => "concise",
            OutputFormat::Full => "full",
            OutputFormat::Json => "json",
            OutputFormat::JsonLines => "json-lines",
            OutputFormat::Github => "github",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Rdjson => "rdjson",
            OutputFormat::Rdjsonl => "rdjsonl",
        }
    }

    /// For programs rather than people: never coloured.
    pub fn is_machine(self) -> bool {
        !matches!(self, OutputFormat::Concise | OutputFormat::Full)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
