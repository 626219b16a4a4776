//! asyncio's own names: what creates a task, what runs a loop, what gives the current loop.

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

/// Calls that give the thread's current loop (they never give another one).
pub const CURRENT_LOOP: &[&str] = &[
    "asyncio.get_event_loop",
    "asyncio.events.get_event_loop",
    "asyncio.get_running_loop",
    "asyncio.events.get_running_loop",
];

/// Calls that give the running loop or `None`.
pub const RUNNING_OR_NONE: &[&str] = &["asyncio._get_running_loop", "asyncio.events._get_running_loop"];

/// Calls that give the running loop or raise `RuntimeError`.
pub const RUNNING_OR_RAISE: &[&str] = &["asyncio.get_running_loop", "asyncio.events.get_running_loop"];
