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
    pub methods: &'static [&'static str],
    pub rule: Rule,
    pub kind: Kind,
}

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
    f("urllib3.request", HTTP),
    // AF103 blocking-file: file system I/O.
    file("builtins.open", FILE),
    file("io.open", FILE),
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

/// Methods that block, on a receiver of a known type.
pub const METHODS: &[Methods] = &[
    Methods {
        type_: "requests.Session",
        methods: &[
            "request", "get", "head", "post", "put", "patch", "delete", "options", "send", "close",
        ],
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "httpx.Client",
        methods: &[
            "request", "get", "head", "post", "put", "patch", "delete", "options", "send", "close",
        ],
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "httpx.Client",
        methods: &["stream"],
        rule: HTTP,
        kind: Kind::ContextManager,
    },
    Methods {
        type_: "urllib3.PoolManager",
        methods: &["request", "urlopen", "request_encode_url", "request_encode_body"],
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "urllib3.HTTPConnectionPool",
        methods: &["request", "urlopen", "request_encode_url", "request_encode_body"],
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "urllib3.HTTPSConnectionPool",
        methods: &["request", "urlopen", "request_encode_url", "request_encode_body"],
        rule: HTTP,
        kind: Kind::Call,
    },
    Methods {
        type_: "pathlib.Path",
        methods: &["read_text", "read_bytes", "write_text", "write_bytes"],
        rule: FILE,
        kind: Kind::Call,
    },
    // AF105 blocking-path. Not listed: what only computes on the path (`absolute`, `name`,
    // `suffix`, `parent`, `with_suffix`, `joinpath`, `parts`, ... of `PurePath`).
    Methods {
        type_: "pathlib.Path",
        methods: &[
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
        ],
        rule: PATH,
        kind: Kind::Call,
    },
    Methods {
        type_: "pathlib.Path",
        methods: &["iterdir", "glob", "rglob", "walk"],
        rule: PATH,
        kind: Kind::Iterator,
    },
];
