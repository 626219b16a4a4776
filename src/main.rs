use std::process::ExitCode;

use clap::Parser;

use asyncfix::cli::args::Cli;
use asyncfix::cli::settings::{Command, Settings};
use asyncfix::pipeline::engine;
use asyncfix::report;

// The analysis allocates many small tree nodes from two threads: mimalloc is much faster at
// that than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A panic on one file is reported for that file (see `isolate`), not printed over the report.
    asyncfix::pipeline::isolate::install_hook();
    let cli = Cli::parse();
    match Settings::resolve(cli) {
        Err(e) => report::fatal(&format!("{e:#}")),
        Ok(Command::ListRules) => report::list_rules(),
        Ok(Command::Explain(rule)) => report::explain(rule),
        Ok(Command::ShowSettings(settings)) => report::show_settings(&settings),
        Ok(Command::ShowFiles(settings)) => report::show_files(&settings),
        Ok(Command::Server) => asyncfix::server::run(),
        Ok(Command::Check(settings)) => {
            let outcome = engine::run(&settings);
            let code = report::emit(&outcome, &settings);
            // The process ends here: freeing the outcome (every file's report and the project
            // index) is left to the operating system.
            std::mem::forget(outcome);
            code
        }
    }
}
