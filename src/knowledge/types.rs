//! What library calls and annotations give: the data the type evidence (`model::types`) reads.

/// Calls whose result is an instance of a known class, by canonical callee: constructors
/// (beside every class of [`KNOWN_CLASSES`], which is its own constructor) and factories.
pub const CALL_RESULTS: &[(&str, &str)] = &[
    ("asyncio.get_running_loop", "asyncio.AbstractEventLoop"),
    ("asyncio.get_event_loop", "asyncio.AbstractEventLoop"),
    ("asyncio.new_event_loop", "asyncio.AbstractEventLoop"),
    ("requests.session", "requests.Session"),
    ("pathlib.Path.cwd", "pathlib.Path"),
    ("pathlib.Path.home", "pathlib.Path"),
    ("websockets.connect", "websockets.Connection"),
];

/// Classes known to the rules (event loops, runners, blocking clients, paths) beside the
/// coroutine table's (`knowledge::coroutines::COROUTINE_METHODS`): a call of one gives an instance.
pub const KNOWN_CLASSES: &[&str] = &[
    "asyncio.Runner",
    "requests.Session",
    "httpx.Client",
    "urllib3.PoolManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
    "pathlib.Path",
];

/// Other names of known classes: `pathlib.PosixPath` is a `pathlib.Path`.
pub const SYNONYMS: &[(&str, &str)] = &[
    ("asyncio.events.AbstractEventLoop", "asyncio.AbstractEventLoop"),
    ("asyncio.BaseEventLoop", "asyncio.AbstractEventLoop"),
    ("asyncio.base_events.BaseEventLoop", "asyncio.AbstractEventLoop"),
    ("asyncio.events.get_running_loop", "asyncio.get_running_loop"),
    ("asyncio.events.get_event_loop", "asyncio.get_event_loop"),
    ("asyncio.events.new_event_loop", "asyncio.new_event_loop"),
    ("asyncio.runners.Runner", "asyncio.Runner"),
    ("requests.sessions.Session", "requests.Session"),
    ("requests.sessions.session", "requests.session"),
    ("urllib3.poolmanager.PoolManager", "urllib3.PoolManager"),
    (
        "urllib3.connectionpool.HTTPConnectionPool",
        "urllib3.HTTPConnectionPool",
    ),
    (
        "urllib3.connectionpool.HTTPSConnectionPool",
        "urllib3.HTTPSConnectionPool",
    ),
    ("pathlib.PosixPath", "pathlib.Path"),
    ("pathlib.WindowsPath", "pathlib.Path"),
];

/// Methods and properties of a `pathlib.Path` that give another `Path`.
pub const PATH_TO_PATH: &[&str] = &[
    "parent",
    "with_name",
    "with_stem",
    "with_suffix",
    "joinpath",
    "absolute",
    "resolve",
    "expanduser",
    "relative_to",
];
