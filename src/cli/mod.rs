//! The command line: clap definitions, configuration files, and flags plus files resolved into one `Settings`.

pub mod args;
pub mod config;
pub mod settings;
