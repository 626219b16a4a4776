//! What each module of the project defines, resolution across modules, the call-graph walk, and the byte-level prefilter.

pub mod index;
pub mod modules;
pub mod prefilter;
pub mod summary;
pub mod words;
