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
    "httpx2.Client",
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
    "urllib3.connectionpool.ConnectionPool",
    "urllib3.request.RequestMethods",
    "pathlib.Path",
    // Sync file objects: what `open()` gives (see [`file_class`]). `typing.IO` stands for one
    // whose mode is not known. (`io.IOBase`, `io.TextIOBase` and `io.BufferedIOBase` are not
    // here: `io.StringIO` and `io.BytesIO`, which never block, are instances of them.)
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "io.BufferedRandom",
    "io.FileIO",
    "typing.IO",
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
    ("urllib3.poolmanager.ProxyManager", "urllib3.ProxyManager"),
    (
        "urllib3._request_methods.RequestMethods",
        "urllib3.request.RequestMethods",
    ),
    ("httpx._client.Client", "httpx.Client"),
    ("httpx2._client.Client", "httpx2.Client"),
    ("typing.TextIO", "io.TextIOWrapper"),
    ("typing.BinaryIO", "typing.IO"),
    ("typing_extensions.IO", "typing.IO"),
    ("typing_extensions.TextIO", "io.TextIOWrapper"),
    ("typing_extensions.BinaryIO", "typing.IO"),
    ("_io.TextIOWrapper", "io.TextIOWrapper"),
    ("_io.BufferedReader", "io.BufferedReader"),
    ("_io.BufferedWriter", "io.BufferedWriter"),
    ("_io.BufferedRandom", "io.BufferedRandom"),
    ("_io.FileIO", "io.FileIO"),
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

/// Functions that open a sync file, by canonical name, with the position of their `mode`
/// argument (`None`: the mode is fixed; `io.open_code` opens for binary reading).
/// `pathlib.Path.open` is one too, its mode first.
pub const FILE_OPENERS: &[(&str, Option<usize>)] = &[
    ("builtins.open", Some(1)),
    ("io.open", Some(1)),
    ("os.fdopen", Some(1)),
    ("io.open_code", None),
];

/// The class of the file object `open()` gives for `mode`: the literal mode string, or
/// `None` when it is not a literal (then only "a sync file object": `typing.IO`).
pub fn file_class(mode: Option<&str>) -> &'static str {
    let Some(mode) = mode else {
        return "typing.IO";
    };
    if !mode.contains('b') {
        "io.TextIOWrapper"
    } else if mode.contains('+') {
        "io.BufferedRandom"
    } else if mode.contains('r') {
        "io.BufferedReader"
    } else {
        "io.BufferedWriter"
    }
}

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
