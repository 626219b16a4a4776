//! The curated table of well-known coroutine functions and methods, kept as data in one place.
//! Real projects miss awaits mostly on *these*, not on their own functions.
//!
//! Types are written in a canonical form (`asyncio.Lock`, `aiohttp.ClientSession`); the
//! many import paths of one class (`asyncio.locks.Lock`, `aiohttp.client.ClientSession`) are
//! mapped onto it by [`canonical`].

/// Functions that return a coroutine (or an awaitable that does nothing until awaited).
pub const COROUTINE_FUNCTIONS: &[&str] = &[
    "asyncio.sleep",
    "asyncio.wait_for",
    "asyncio.wait",
    "asyncio.gather",
    "asyncio.to_thread",
    "asyncio.open_connection",
    "asyncio.start_server",
    "asyncio.open_unix_connection",
    "asyncio.start_unix_server",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "asyncio.staggered_race",
    // trio 0.35: every public coroutine function of `trio`, `trio.lowlevel`, `trio.to_thread`
    // (`inspect.iscoroutinefunction`).
    "trio.aclose_forcefully",
    "trio.open_file",
    "trio.open_ssl_over_tcp_listeners",
    "trio.open_ssl_over_tcp_stream",
    "trio.open_tcp_listeners",
    "trio.open_tcp_stream",
    "trio.open_unix_socket",
    "trio.run_process",
    "trio.serve_listeners",
    "trio.serve_ssl_over_tcp",
    "trio.serve_tcp",
    "trio.sleep",
    "trio.sleep_forever",
    "trio.sleep_until",
    "trio.lowlevel.cancel_shielded_checkpoint",
    "trio.lowlevel.checkpoint",
    "trio.lowlevel.checkpoint_if_cancelled",
    "trio.lowlevel.open_process",
    "trio.lowlevel.permanently_detach_coroutine_object",
    "trio.lowlevel.reattach_detached_coroutine_object",
    "trio.lowlevel.temporarily_detach_coroutine_object",
    "trio.lowlevel.wait_readable",
    "trio.lowlevel.wait_task_rescheduled",
    "trio.lowlevel.wait_writable",
    "trio.to_thread.run_sync",
    // anyio 4.16: the same for `anyio`, `anyio.lowlevel`, `anyio.to_thread`.
    "anyio.aclose_forcefully",
    "anyio.amap",
    "anyio.connect_tcp",
    "anyio.connect_unix",
    "anyio.create_connected_udp_socket",
    "anyio.create_connected_unix_datagram_socket",
    "anyio.create_tcp_listener",
    "anyio.create_udp_socket",
    "anyio.create_unix_datagram_socket",
    "anyio.create_unix_listener",
    "anyio.gather",
    "anyio.getaddrinfo",
    "anyio.gettempdir",
    "anyio.gettempdirb",
    "anyio.mkdtemp",
    "anyio.mkstemp",
    "anyio.open_file",
    "anyio.open_process",
    "anyio.run_process",
    "anyio.sleep",
    "anyio.sleep_forever",
    "anyio.sleep_until",
    "anyio.wait_all_tasks_blocked",
    "anyio.lowlevel.cancel_shielded_checkpoint",
    "anyio.lowlevel.checkpoint",
    "anyio.lowlevel.checkpoint_if_cancelled",
    "anyio.to_thread.run_sync",
];

/// Functions that never await nor schedule an argument, by qualified name: a coroutine passed
/// to one is only shown or converted (`print(f())`, `str(f())`, `json.dumps(f())`),
/// never run. Only names whose behaviour is certain; a function that may await or schedule
/// what it gets (`asyncio.gather`, `create_task`, `run`, `ensure_future`, `wait_for`,
/// `shield`, anything of the project or unknown) is never listed. The builtins that reject a
/// coroutine outright (`len`, `list`, ...) are in [`REJECTING_COROUTINES`], asked first.
pub const NEVER_AWAITING: &[&str] = &[
    "builtins.print",
    "builtins.str",
    "builtins.repr",
    "builtins.ascii",
    "builtins.format",
    "builtins.bool",
    "builtins.bytes",
    "builtins.zip",
    "logging.debug",
    "logging.info",
    "logging.warning",
    "logging.error",
    "logging.exception",
    "logging.critical",
    "json.dumps",
    "json.dump",
    "pprint.pprint",
    "pprint.pformat",
];

/// Coroutine methods of well-known classes, by canonical type.
pub const COROUTINE_METHODS: &[(&str, &[&str])] = &[
    ("asyncio.Queue", &["put", "get", "join"]),
    ("asyncio.PriorityQueue", &["put", "get", "join"]),
    ("asyncio.LifoQueue", &["put", "get", "join"]),
    ("asyncio.Lock", &["acquire"]),
    ("asyncio.Event", &["wait"]),
    ("asyncio.Condition", &["wait", "wait_for", "acquire"]),
    ("asyncio.Semaphore", &["acquire"]),
    ("asyncio.BoundedSemaphore", &["acquire"]),
    ("asyncio.Barrier", &["wait", "reset", "abort"]),
    ("asyncio.StreamWriter", &["drain", "wait_closed", "start_tls"]),
    (
        "asyncio.StreamReader",
        &["read", "readline", "readexactly", "readuntil"],
    ),
    ("asyncio.Process", &["wait", "communicate"]),
    ("asyncio.Server", &["serve_forever", "start_serving", "wait_closed"]),
    (
        "aiohttp.ClientSession",
        &[
            "close",
            "request",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
            "ws_connect",
        ],
    ),
    ("aiohttp.ClientResponse", &["text", "json", "read"]),
    (
        "aiohttp.ClientWebSocketResponse",
        &[
            "send_str",
            "send_bytes",
            "send_json",
            "ping",
            "pong",
            "close",
            "receive",
            "receive_str",
            "receive_bytes",
            "receive_json",
        ],
    ),
    (
        "aiohttp.WebSocketResponse",
        &[
            "prepare",
            "send_str",
            "send_bytes",
            "send_json",
            "ping",
            "pong",
            "close",
            "receive",
            "receive_str",
            "receive_bytes",
            "receive_json",
            "write_eof",
        ],
    ),
    ("aiohttp.StreamResponse", &["prepare", "write", "write_eof", "drain"]),
    (
        "websockets.Connection",
        &["send", "recv", "close", "ping", "pong", "wait_closed"],
    ),
    // trio 0.35 and anyio 4.16 (`inspect.iscoroutinefunction` of each method).
    ("trio.Nursery", &["start"]),
    ("trio.Event", &["wait"]),
    ("trio.Lock", &["acquire"]),
    ("trio.StrictFIFOLock", &["acquire"]),
    ("trio.Semaphore", &["acquire"]),
    ("trio.Condition", &["acquire", "wait"]),
    ("trio.CapacityLimiter", &["acquire", "acquire_on_behalf_of"]),
    ("trio.MemorySendChannel", &["send", "aclose"]),
    ("trio.MemoryReceiveChannel", &["receive", "aclose"]),
    (
        "trio.SocketStream",
        &[
            "send_all",
            "receive_some",
            "send_eof",
            "aclose",
            "wait_send_all_might_not_block",
        ],
    ),
    ("trio.Process", &["wait"]),
    ("anyio.abc.TaskGroup", &["start"]),
    ("anyio.Event", &["wait"]),
    ("anyio.Lock", &["acquire"]),
    ("anyio.Semaphore", &["acquire"]),
    ("anyio.Condition", &["acquire", "wait", "wait_for"]),
    ("anyio.CapacityLimiter", &["acquire", "acquire_on_behalf_of"]),
    ("anyio.abc.SocketStream", &["send", "receive", "aclose"]),
    ("anyio.abc.Process", &["wait", "aclose"]),
    ("anyio.streams.memory.MemoryObjectSendStream", &["send", "aclose"]),
    ("anyio.streams.memory.MemoryObjectReceiveStream", &["receive", "aclose"]),
];

/// What a call evaluates to, when the callee is a class or a well-known factory:
/// constructor and factory calls (`asyncio.Lock()`), by canonical callee.
const CALL_RESULT_TYPES: &[(&str, &str)] = &[("websockets.connect", "websockets.Connection")];

/// What `await <call>` evaluates to.
const AWAIT_RESULT_TYPES: &[(&str, &str)] = &[
    ("trio.open_tcp_stream", "trio.SocketStream"),
    ("trio.lowlevel.open_process", "trio.Process"),
    ("anyio.connect_tcp", "anyio.abc.SocketStream"),
    ("anyio.open_process", "anyio.abc.Process"),
    ("asyncio.create_subprocess_exec", "asyncio.Process"),
    ("asyncio.create_subprocess_shell", "asyncio.Process"),
    ("asyncio.start_server", "asyncio.Server"),
    ("asyncio.start_unix_server", "asyncio.Server"),
    ("websockets.connect", "websockets.Connection"),
];

/// What `async with <call> as x` binds `x` to.
const ASYNC_WITH_RESULT_TYPES: &[(&str, &str)] = &[
    ("trio.open_nursery", "trio.Nursery"),
    ("anyio.create_task_group", "anyio.abc.TaskGroup"),
    ("aiohttp.ClientSession", "aiohttp.ClientSession"),
    ("websockets.connect", "websockets.Connection"),
];

/// `await session.get(...)` / `async with session.get(...) as r`: methods whose result has a type.
const METHOD_RESULT_TYPES: &[(&str, &[&str], &str)] = &[
    (
        "aiohttp.ClientSession",
        &["request", "get", "post", "put", "patch", "delete", "head", "options"],
        "aiohttp.ClientResponse",
    ),
    (
        "aiohttp.ClientSession",
        &["ws_connect"],
        "aiohttp.ClientWebSocketResponse",
    ),
];

/// `reader, writer = await asyncio.open_connection(...)`: element types of awaited tuples.
const AWAIT_TUPLE_TYPES: &[(&str, &[&str])] = &[
    (
        "asyncio.open_connection",
        &["asyncio.StreamReader", "asyncio.StreamWriter"],
    ),
    (
        "asyncio.open_unix_connection",
        &["asyncio.StreamReader", "asyncio.StreamWriter"],
    ),
];

/// Submodules whose public names are re-exported by the package: `asyncio.locks.Lock` is
/// `asyncio.Lock`.
const REEXPORTING_SUBMODULES: &[(&str, &[&str])] = &[
    (
        "asyncio",
        &[
            "locks",
            "queues",
            "streams",
            "subprocess",
            "tasks",
            "events",
            "base_events",
            "staggered",
            "threads",
        ],
    ),
    (
        "aiohttp",
        &[
            "web",
            "client",
            "client_ws",
            "client_reqrep",
            "web_ws",
            "web_response",
            "web_request",
        ],
    ),
    (
        "websockets",
        &[
            "client",
            "server",
            "legacy",
            "asyncio",
            "protocol",
            "legacy.client",
            "legacy.server",
            "legacy.protocol",
            "asyncio.client",
            "asyncio.server",
            "asyncio.connection",
        ],
    ),
];

/// Other names of one type.
const TYPE_SYNONYMS: &[(&str, &str)] = &[
    ("asyncio.Process", "asyncio.Process"),
    ("websockets.WebSocketClientProtocol", "websockets.Connection"),
    ("websockets.WebSocketServerProtocol", "websockets.Connection"),
    ("websockets.WebSocketCommonProtocol", "websockets.Connection"),
    ("websockets.ClientConnection", "websockets.Connection"),
    ("websockets.ServerConnection", "websockets.Connection"),
    ("websockets.Connection", "websockets.Connection"),
    (
        "anyio.abc.ObjectSendStream",
        "anyio.streams.memory.MemoryObjectSendStream",
    ),
    (
        "anyio.abc.ObjectReceiveStream",
        "anyio.streams.memory.MemoryObjectReceiveStream",
    ),
];

/// The canonical spelling of a qualified name: `asyncio.locks.Lock` → `asyncio.Lock`,
/// `aiohttp.web.WebSocketResponse` → `aiohttp.WebSocketResponse`.
pub fn canonical(qualified: &str) -> String {
    let mut q = qualified.to_string();
    for (package, submodules) in REEXPORTING_SUBMODULES {
        let Some(rest) = q.strip_prefix(package).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        // Longest submodule path first (`legacy.client` before `legacy`).
        let mut subs: Vec<&&str> = submodules.iter().collect();
        subs.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for sub in subs {
            if let Some(name) = rest.strip_prefix(sub).and_then(|r| r.strip_prefix('.')) {
                if !name.contains('.') {
                    q = format!("{package}.{name}");
                }
                break;
            }
        }
    }
    if let Some((_, to)) = TYPE_SYNONYMS.iter().find(|(from, _)| *from == q) {
        return to.to_string();
    }
    q
}

/// The name messages use for a function of [`NEVER_AWAITING`] (`print`, `json.dumps`), if
/// `qualified` is one.
pub fn never_awaiting(qualified: &str) -> Option<&'static str> {
    NEVER_AWAITING
        .iter()
        .find(|n| **n == qualified)
        .map(|n| n.strip_prefix("builtins.").unwrap_or(n))
}

/// Builtins that raise `TypeError` for a coroutine object (it has no length, is not
/// iterable and is no number): passing one a coroutine is always a missing `await`, fixed by
/// awaiting it. Gives the name messages use.
const REJECTING_COROUTINES: &[&str] = &[
    "builtins.len",
    "builtins.int",
    "builtins.float",
    "builtins.list",
    "builtins.tuple",
    "builtins.set",
    "builtins.frozenset",
    "builtins.dict",
    "builtins.sorted",
    "builtins.sum",
    "builtins.min",
    "builtins.max",
    "builtins.any",
    "builtins.all",
    "builtins.iter",
    "builtins.next",
    "builtins.enumerate",
    "builtins.reversed",
    "builtins.abs",
    "builtins.round",
];

pub fn rejecting_coroutines(qualified: &str) -> Option<&'static str> {
    REJECTING_COROUTINES
        .iter()
        .find(|n| **n == qualified)
        .and_then(|n| n.strip_prefix("builtins."))
}

pub fn is_coroutine_function(qualified: &str) -> bool {
    COROUTINE_FUNCTIONS.contains(&canonical(qualified).as_str())
}

/// `Some(true)`: a coroutine method of a known type; `Some(false)`: a known type without
/// that coroutine method; `None`: not a type of the table.
pub fn is_coroutine_method(type_: &str, method: &str) -> Option<bool> {
    COROUTINE_METHODS
        .iter()
        .find(|(t, _)| *t == type_)
        .map(|(_, methods)| methods.contains(&method))
}

/// Is `method` a coroutine method of some class of the table?
pub fn is_any_coroutine_method(method: &str) -> bool {
    COROUTINE_METHODS.iter().any(|(_, methods)| methods.contains(&method))
}

pub fn is_known_type(type_: &str) -> bool {
    COROUTINE_METHODS.iter().any(|(t, _)| *t == type_)
}

/// The type of `callee(...)`: a known class is its own instance type.
pub fn call_result_type(callee: &str) -> Option<String> {
    let c = canonical(callee);
    if is_known_type(&c) {
        return Some(c);
    }
    lookup(CALL_RESULT_TYPES, &c)
}

pub fn await_result_type(callee: &str) -> Option<String> {
    lookup(AWAIT_RESULT_TYPES, &canonical(callee))
}

pub fn async_with_result_type(callee: &str) -> Option<String> {
    lookup(ASYNC_WITH_RESULT_TYPES, &canonical(callee))
}

pub fn method_result_type(type_: &str, method: &str) -> Option<String> {
    METHOD_RESULT_TYPES
        .iter()
        .find(|(t, methods, _)| *t == type_ && methods.contains(&method))
        .map(|(_, _, r)| r.to_string())
}

pub fn await_tuple_type(callee: &str, index: usize) -> Option<String> {
    let c = canonical(callee);
    AWAIT_TUPLE_TYPES
        .iter()
        .find(|(f, _)| *f == c)
        .and_then(|(_, types)| types.get(index))
        .map(|t| t.to_string())
}

fn lookup(table: &[(&str, &str)], key: &str) -> Option<String> {
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names() {
        assert_eq!(canonical("asyncio.locks.Lock"), "asyncio.Lock");
        assert_eq!(canonical("asyncio.Lock"), "asyncio.Lock");
        assert_eq!(canonical("aiohttp.web.WebSocketResponse"), "aiohttp.WebSocketResponse");
        assert_eq!(canonical("aiohttp.client.ClientSession"), "aiohttp.ClientSession");
        assert_eq!(canonical("websockets.legacy.client.connect"), "websockets.connect");
        assert_eq!(
            canonical("websockets.asyncio.server.ServerConnection"),
            "websockets.Connection"
        );
        assert_eq!(canonical("asyncio.subprocess.Process"), "asyncio.Process");
        assert!(is_coroutine_function("asyncio.tasks.sleep"));
        assert_eq!(is_coroutine_method("asyncio.Queue", "put"), Some(true));
        assert_eq!(is_coroutine_method("asyncio.Queue", "put_nowait"), Some(false));
        assert_eq!(is_coroutine_method("list", "remove"), None);
        assert_eq!(
            call_result_type("asyncio.queues.Queue").as_deref(),
            Some("asyncio.Queue")
        );
    }
}
