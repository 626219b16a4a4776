//! asyncfix: find and fix asyncio mistakes in Python code.
//!
//! The layers (each uses only the layers above it; see `../shared/GUIDE.md` section 3):
//! - `cli`: the command line (clap), configuration files, and the resolved `Settings`;
//! - `registry`: the one table of rules, and rule selectors;
//! - `knowledge`: facts about asyncio, trio, anyio and libraries, as data;
//! - `model`: one file's semantic model, the shared type evidence, the framework in use;
//! - `project`: module summaries, resolution across modules, the call-graph walk, the prefilter;
//! - `rules`: one file per rule, named after the problem it finds;
//! - `fix`: edits, fixes, imports, the fix loop and its verification;
//! - `notebook`: Jupyter notebooks as one module of their code cells, and writing them back;
//! - `pipeline`: discover, read, analyse one file, run the phases;
//! - `report`: the only code that prints;
//! - `server`: the language server, its own output layer (LSP messages over stdio).

pub mod cli;
pub mod diagnostic;
pub mod fix;
pub mod knowledge;
pub mod model;
pub mod notebook;
pub mod pipeline;
pub mod project;
pub mod registry;
pub mod report;
pub mod rules;
pub mod server;
