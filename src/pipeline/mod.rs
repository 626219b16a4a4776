//! Discover, read, analyse one file, and run the phases over the project.

pub mod analyze;
pub mod checker;
pub mod discover;
pub mod engine;
pub mod isolate;
pub mod source;
pub mod suppression;
