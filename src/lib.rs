//! asyncfix: find and fix asyncio mistakes in Python code.
//!
//! The pipeline (see `engine`): discover files, parse each once, run the passes over the
//! semantic model, apply non-overlapping fixes as byte-range edits, verify, report or write.

pub mod analyze;
pub mod apply;
pub mod blocking_calls;
pub mod checker;
pub mod cli;
pub mod config;
pub mod coroutines;
pub mod discover;
pub mod edit;
pub mod engine;
pub mod event_loop;
pub mod framework;
pub mod imports;
pub mod index;
pub mod isolate;
pub mod passes;
pub mod registry;
pub mod report;
pub mod rules;
pub mod semantic;
pub mod settings;
pub mod source;
pub mod suppression;
pub mod types;
pub mod words;
