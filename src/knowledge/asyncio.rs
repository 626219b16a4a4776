//! asyncio's own names: what creates a task, what runs a loop.

/// Functions that create a task only their result refers to, by qualified name, with the
/// public name messages use.
pub const TASK_FACTORIES: &[(&str, &str)] = &[
    ("asyncio.create_task", "asyncio.create_task"),
    ("asyncio.ensure_future", "asyncio.ensure_future"),
    ("asyncio.tasks.create_task", "asyncio.create_task"),
    ("asyncio.tasks.ensure_future", "asyncio.ensure_future"),
];

/// Event-loop methods whose result is a running task.
pub const LOOP_TASK_METHODS: &[&str] = &["create_task"];

/// `asyncio.run` under every qualified name.
pub const ASYNCIO_RUN: &[&str] = &["asyncio.run", "asyncio.runners.run"];
