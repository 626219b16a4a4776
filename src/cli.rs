//! Command-line definitions (clap). Nothing here runs anything.

use std::path::PathBuf;

use clap::{ArgGroup, Parser, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "asyncfix",
    version,
    about = "Find and fix asyncio mistakes in Python code",
    long_about = "Find and fix asyncio mistakes in Python code.\n\nBy default asyncfix reports what it finds. --diff shows the fixes as a patch, --write applies them.\nExit codes: 0 nothing to fix, 1 findings remain (or a diff was printed), 2 an error occurred.",
    group(ArgGroup::new("mode").args(["check", "diff", "write"]).multiple(false))
)]
pub struct Cli {
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
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Rules to disable (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Also apply fixes marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// How findings are printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Concise)]
    pub output_format: OutputFormat,

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

    /// Parse every file, even those that mention none of the words the passes look for
    /// (for checking that the prefilter changes nothing).
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One line a finding: `path:line:col: AF003 [*] message`.
    Concise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
