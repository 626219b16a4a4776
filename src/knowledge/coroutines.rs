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
    "anyio.sleep",
    "trio.sleep",
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
];

/// What a call evaluates to, when the callee is a class or a well-known factory:
/// constructor and factory calls (`asyncio.Lock()`), by canonical callee.
const CALL_RESULT_TYPES: &[(&str, &str)] = &[("websockets.connect", "websockets.Connection")];

/// What `await <call>` evaluates to.
const AWAIT_RESULT_TYPES: &[(&str, &str)] = &[
    ("asyncio.create_subprocess_exec", "asyncio.Process"),
    ("asyncio.create_subprocess_shell", "asyncio.Process"),
    ("asyncio.start_server", "asyncio.Server"),
    ("asyncio.start_unix_server", "asyncio.Server"),
    ("websockets.connect", "websockets.Connection"),
];

/// What `async with <call> as x` binds `x` to.
const ASYNC_WITH_RESULT_TYPES: &[(&str, &str)] = &[
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
