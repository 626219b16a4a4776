//! One file's semantic model, the shared type evidence, and which framework runs its code.

pub mod blocking_calls;
pub mod event_loop;
pub mod framework;
pub mod loop_guard;
pub mod loop_start;
pub mod semantic;
pub mod task_factory;
pub mod types;
