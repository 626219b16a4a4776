//! Calls that block the thread (and with it the event loop), by rule: subprocesses, HTTP,
//! files, input, file system metadata. Data only; `model::blocking_calls` recognises them in code.

use crate::registry::Rule;

/// How a blocking call can be moved to a worker thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The call does all the waiting: `await asyncio.to_thread(f, *args)` removes it.
    Call,
    /// The call returns a file object whose reads and writes block too (`open()`,
    /// `os.popen()`): offloading the call alone helps only when the object is not used
    /// right there (`open(p).read()`, `for line in open(p)`, `with open(p) as f`).
    FileObject,
    /// A context manager that does its blocking work in `with` (`httpx.stream()`): never fixed.
    ContextManager,
    /// Starting a process (`subprocess.Popen`): fork/exec blocks, and the process object it
    /// returns blocks in `wait()` / `communicate()`; the fix is asyncio's own subprocess API
    /// (`await asyncio.create_subprocess_exec(...)`), a rewrite of the code that uses the
    /// object, so it is never fixed automatically.
    Process,
    /// The call returns an iterator that does its blocking work as it is consumed
    /// (`os.walk()`, `os.scandir()`, `Path.iterdir()`, `Path.glob()`): offloading the call
    /// alone moves nothing, so it is never fixed.
    Iterator,
}

/// A blocking function, by qualified name.
pub struct Function {
    pub name: &'static str,
    pub rule: Rule,
    pub kind: Kind,
}

/// Blocking methods of a type, by canonical type name.
pub struct Methods {
    pub type_: &'static str,
    pub methods: MethodSet,
    pub rule: Rule,
    pub kind: Kind,
}

/// Which methods of a type block.
#[derive(Clone, Copy, Debug)]
pub enum MethodSet {
    /// These, and no others.
    Only(&'static [&'static str]),
    /// Every method but these (a sync file object, a urllib3 pool: what it does is I/O; the
    /// few listed only look at the object's state).
    AllBut(&'static [&'static str]),
}

impl MethodSet {
    pub fn contains(&self, method: &str) -> bool {
        match self {
            MethodSet::Only(names) => names.contains(&method),
            MethodSet::AllBut(names) => !names.contains(&method) && !method.starts_with("__"),
        }
    }
}

use MethodSet::{AllBut, Only};

const fn entry(name: &'static str, rule: Rule, kind: Kind) -> Function {
    Function { name, rule, kind }
}

const fn f(name: &'static str, rule: Rule) -> Function {
    entry(name, rule, Kind::Call)
}

const fn file(name: &'static str, rule: Rule) -> Function {
    entry(name, rule, Kind::FileObject)
}

const fn process(name: &'static str, rule: Rule) -> Function {
    entry(name, rule, Kind::Process)
}

const fn iter(name: &'static str, rule: Rule) -> Function {
    entry(name, rule, Kind::Iterator)
}

const fn cm(name: &'static str, rule: Rule) -> Function {
    entry(name, rule, Kind::ContextManager)
}

use Rule::{
    BlockingFile as FILE, BlockingHttp as HTTP, BlockingInput as INPUT, BlockingPath as PATH,
    BlockingSubprocess as SUBPROCESS,
};

/// Functions that block, by every qualified name they are imported under.
pub const FUNCTIONS: &[Function] = &[
    // AF101 blocking-subprocess: run a command and wait for it.
    f("subprocess.run", SUBPROCESS),
    f("subprocess.call", SUBPROCESS),
    f("subprocess.check_call", SUBPROCESS),
    f("subprocess.check_output", SUBPROCESS),
    f("subprocess.getoutput", SUBPROCESS),
    f("subprocess.getstatusoutput", SUBPROCESS),
    f("os.system", SUBPROCESS),
    file("os.popen", SUBPROCESS),
    process("subprocess.Popen", SUBPROCESS),
    f("os.wait", SUBPROCESS),
    f("os.waitpid", SUBPROCESS),
    f("os.wait3", SUBPROCESS),
    f("os.wait4", SUBPROCESS),
    f("os.waitid", SUBPROCESS),
    f("os.spawnl", SUBPROCESS),
    f("os.spawnle", SUBPROCESS),
    f("os.spawnlp", SUBPROCESS),
    f("os.spawnlpe", SUBPROCESS),
    f("os.spawnv", SUBPROCESS),
    f("os.spawnve", SUBPROCESS),
    f("os.spawnvp", SUBPROCESS),
    f("os.spawnvpe", SUBPROCESS),
    f("os.posix_spawn", SUBPROCESS),
    f("os.posix_spawnp", SUBPROCESS),
    // AF102 blocking-http: a synchronous HTTP request.
    f("requests.request", HTTP),
    f("requests.get", HTTP),
    f("requests.head", HTTP),
    f("requests.post", HTTP),
    f("requests.put", HTTP),
    f("requests.patch", HTTP),
    f("requests.delete", HTTP),
    f("requests.options", HTTP),
    f("requests.api.request", HTTP),
    f("requests.api.get", HTTP),
    f("requests.api.head", HTTP),
    f("requests.api.post", HTTP),
    f("requests.api.put", HTTP),
    f("requests.api.patch", HTTP),
    f("requests.api.delete", HTTP),
    f("requests.api.options", HTTP),
    file("urllib.request.urlopen", HTTP),
    f("urllib.request.urlretrieve", HTTP),
    f("httpx.request", HTTP),
    f("httpx.get", HTTP),
    f("httpx.head", HTTP),
    f("httpx.post", HTTP),
    f("httpx.put", HTTP),
    f("httpx.patch", HTTP),
    f("httpx.delete", HTTP),
    f("httpx.options", HTTP),
    cm("httpx.stream", HTTP),
    // httpx2 is the maintained continuation of httpx, with the same API.
    f("httpx2.request", HTTP),
    f("httpx2.get", HTTP),
    f("httpx2.head", HTTP),
    f("httpx2.post", HTTP),
    f("httpx2.put", HTTP),
    f("httpx2.patch", HTTP),
    f("httpx2.delete", HTTP),
    f("httpx2.options", HTTP),
    cm("httpx2.stream", HTTP),
    f("urllib3.request", HTTP),
    // AF103 blocking-file: file system I/O.
    file("builtins.open", FILE),
    file("io.open", FILE),
    file("io.open_code", FILE),
    file("os.fdopen", FILE),
    file("codecs.open", FILE),
    f("shutil.copy", FILE),
    f("shutil.copy2", FILE),
    f("shutil.copyfile", FILE),
    f("shutil.copyfileobj", FILE),
    f("shutil.copytree", FILE),
    f("shutil.move", FILE),
    f("shutil.rmtree", FILE),
    // AF104 blocking-input: waiting for the console.
    f("builtins.input", INPUT),
    // AF105 blocking-path: file system metadata and directory listings. The functions of
    // `os.path` that only compute on strings (`join`, `basename`, `dirname`, `split`,
    // `splitext`, `normpath`, `normcase`, `isabs`, `commonpath`, `relpath`, `abspath`, ...)
    // are not listed: they never touch the file system.
    f("os.path.exists", PATH),
    f("os.path.lexists", PATH),
    f("os.path.isfile", PATH),
    f("os.path.isdir", PATH),
    f("os.path.islink", PATH),
    f("os.path.ismount", PATH),
    f("os.path.getsize", PATH),
    f("os.path.getmtime", PATH),
    f("os.path.getatime", PATH),
    f("os.path.getctime", PATH),
    f("os.path.samefile", PATH),
    f("os.path.sameopenfile", PATH),
    f("os.path.realpath", PATH),
    f("os.stat", PATH),
    f("os.lstat", PATH),
    f("os.access", PATH),
    f("os.listdir", PATH),
    iter("os.scandir", PATH),
    iter("os.walk", PATH),
    // AF003 blocking-sleep: found in coroutines by its own pass; listed here for the walk
    // through sync helpers.
    f("time.sleep", Rule::BlockingSleep),
];

/// The request methods of `requests.Session`, `httpx.Client` and `httpx2.Client`.
const CLIENT_METHODS: &[&str] = &[
    "request", "get", "head", "post", "put", "patch", "delete", "options", "send", "close",
];

/// What a urllib3 pool or pool manager does without the network: it finds or makes a pool
/// object, or compares hosts.
const POOL_LOCAL_METHODS: &[&str] = &[
    "connection_from_url",
    "connection_from_host",
    "connection_from_context",
    "connection_from_pool_key",
    "is_same_host",
];

/// What a sync file object answers without I/O: its descriptor and its mode.
/// (`tell()` and `seek()` are not here: on a buffered or text file they may flush.)
const FILE_LOCAL_METHODS: &[&str] = &["fileno", "isatty", "readable", "writable", "seekable"];

/// Functions that turn a sync file object into an async one (its reads and writes run in a
/// worker thread): `trio.wrap_file(open(p))` is how trio and anyio mean a file to be opened
/// without their own `open_file()`, and is not reported. (`asyncio` has no such function.)
pub const FILE_WRAPPERS: &[&str] = &["trio.wrap_file", "anyio.wrap_file"];

/// Methods that block, on a receiver of a known type.
pub const METHODS: &[Methods] = &[
    Methods {
        type_: "requests.Session",
        methods: Only(CLIENT_METHODS),
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "httpx.Client",
        methods: Only(CLIENT_METHODS),
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "httpx.Client",
        methods: Only(&["stream"]),
        rule: HTTP,
        kind: Kind::ContextManager,
    },
    Methods {
        type_: "httpx2.Client",
        methods: Only(CLIENT_METHODS),
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "httpx2.Client",
        methods: Only(&["stream"]),
        rule: HTTP,
        kind: Kind::ContextManager,
    },
    pool("urllib3.PoolManager"),
    pool("urllib3.ProxyManager"),
    pool("urllib3.HTTPConnectionPool"),
    pool("urllib3.HTTPSConnectionPool"),
    pool("urllib3.connectionpool.ConnectionPool"),
    pool("urllib3.request.RequestMethods"),
    // AF103 blocking-file: sync file objects (what `open()` returns, `typing.IO` annotations).
    file_object("io.TextIOWrapper"),
    file_object("io.BufferedReader"),
    file_object("io.BufferedWriter"),
    file_object("io.BufferedRandom"),
    file_object("io.FileIO"),
    file_object("typing.IO"),
    Methods {
        type_: "pathlib.Path",
        methods: Only(&["read_text", "read_bytes", "write_text", "write_bytes"]),
        rule: FILE,
        kind: Kind::Call,
    },
    Methods {
        type_: "pathlib.Path",
        methods: Only(&["open"]),
        rule: FILE,
        kind: Kind::FileObject,
    },
    // AF105 blocking-path. Not listed: what only computes on the path (`absolute`, `name`,
    // `suffix`, `parent`, `with_suffix`, `joinpath`, `parts`, ... of `PurePath`).
    Methods {
        type_: "pathlib.Path",
        methods: Only(&[
            "exists",
            "stat",
            "lstat",
            "is_file",
            "is_dir",
            "is_symlink",
            "is_mount",
            "is_socket",
            "is_fifo",
            "is_block_device",
            "is_char_device",
            "resolve",
            "samefile",
            "owner",
            "group",
            "readlink",
        ]),
        rule: PATH,
        kind: Kind::Call,
    },
    Methods {
        type_: "pathlib.Path",
        methods: Only(&["iterdir", "glob", "rglob", "walk"]),
        rule: PATH,
        kind: Kind::Iterator,
    },
];

/// A urllib3 pool or pool manager: every request method talks to the network.
const fn pool(type_: &'static str) -> Methods {
    Methods {
        type_,
        methods: AllBut(POOL_LOCAL_METHODS),
        rule: HTTP,
        kind: Kind::Call,
    }
}

/// A sync file object: reading, writing, flushing, seeking and closing block.
const fn file_object(type_: &'static str) -> Methods {
    Methods {
        type_,
        methods: AllBut(FILE_LOCAL_METHODS),
        rule: FILE,
        kind: Kind::Call,
    }
}
