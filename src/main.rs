use std::process::ExitCode;

use clap::Parser;

use asyncfix::cli::Cli;
use asyncfix::settings::{Command, Settings};
use asyncfix::{engine, report};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match Settings::resolve(cli) {
        Err(e) => report::fatal(&format!("{e:#}")),
        Ok(Command::ListRules) => report::list_rules(),
        Ok(Command::Explain(rule)) => report::explain(rule),
        Ok(Command::Check(settings)) => {
            let outcome = engine::run(&settings);
            report::emit(&outcome, &settings)
        }
    }
}
