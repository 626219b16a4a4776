//! What the CPython tests share: running the built `asyncfix` and `python3` on a temporary
//! tree, and what came out.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// A temporary tree holding `files` (relative path, text), and its canonical root (keep the
/// `TempDir` alive while the tree is used).
pub fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap();
    for (name, text) in files {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    (dir, root)
}

/// Far above what any command here needs; only there so that a hang fails the test.
pub const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn describe(&self) -> String {
        format!(
            "exit code {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn finish(what: &str, output: std::io::Result<std::process::Output>) -> Run {
    let output = output.unwrap_or_else(|e| panic!("could not run {what}: {e}"));
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `asyncfix ARGS` run in `dir`.
pub fn asyncfix(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("asyncfix").expect("the asyncfix binary is built");
    cmd.current_dir(dir).args(args).env("NO_COLOR", "1").timeout(TIMEOUT);
    finish(&format!("asyncfix {args:?}"), cmd.output())
}

/// `python3 ARGS` in `dir`; `set_up` adds interpreter flags (before `ARGS`) and environment.
///
/// A missing `python3` fails the test with a message saying so: these tests are the
/// project's check that fixed code runs, and CI has python3. `test_file` names the test
/// file in that message.
pub fn python3_with(dir: &Path, args: &[&str], test_file: &str, set_up: impl FnOnce(&mut Command)) -> Run {
    let mut std_cmd = Command::new("python3");
    std_cmd.current_dir(dir);
    set_up(&mut std_cmd);
    std_cmd.args(args);
    let output = assert_cmd::Command::from_std(std_cmd).timeout(TIMEOUT).output();
    match output {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "python3 was not found on PATH ({e}). {test_file} runs the fixed Python code under \
             CPython and needs `python3` (3.8 or later); install it (Debian: `apt-get install \
             python3`). These tests are not skipped without it."
        ),
        other => finish(&format!("python3 {args:?}"), other),
    }
}

/// `python3 -m py_compile FILE` through the test file's own `python3` runner, with the
/// bytecode written outside the tree under test: the file must compile.
pub fn py_compile(dir: &Path, file: &str, python3: impl Fn(&Path, &[&str]) -> Run) {
    let cache = tempfile::TempDir::new().unwrap();
    let prefix = format!("pycache_prefix={}", cache.path().display());
    let run = python3(dir, &["-X", &prefix, "-m", "py_compile", file]);
    assert_eq!(
        run.code,
        Some(0),
        "py_compile rejects {file}:\n{}\n--- the file ---\n{}",
        run.describe(),
        std::fs::read_to_string(dir.join(file)).unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------
// The shared test venv: tests/requirements.txt, installed once under the target directory
// ---------------------------------------------------------------------------------------

/// Creating the test venv and installing tests/requirements.txt from PyPI.
pub const INSTALL_TIMEOUT: Duration = Duration::from_secs(600);

/// The file inside the venv that says what it was built from (see `venv_stamp`).
const STAMP: &str = "asyncfix-test-venv.stamp";

/// The python of the shared test venv, `<target dir>/test-venv`, with exactly
/// tests/requirements.txt installed (trio, anyio, mypy, ...).
///
/// Made on first use (`python3 -m venv`, then pip from PyPI: this needs network access once)
/// and reused while its stamp matches: a hash of tests/requirements.txt and the version of
/// the `python3` that built it. Any change to either rebuilds it.
///
/// Safe for concurrent tests: one thread per process checks or builds it (a failure is
/// remembered, so the other tests fail at once with the same message instead of installing
/// again), and each process builds in its own `test-venv.<pid>` and renames that into place,
/// so no process ever sees a half-made venv; when another process got there first, its venv
/// is used. A moved venv works for `python -m MODULE` (which is how to run anything from
/// it), not for the console scripts in its `bin/`.
pub fn test_python() -> PathBuf {
    static STATE: Mutex<Option<Result<PathBuf, String>>> = Mutex::new(None);
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let result = state.get_or_insert_with(make_test_venv);
    match result {
        Ok(python) => python.clone(),
        Err(message) => panic!("{message}"),
    }
}

/// `<test venv python> ARGS` in `dir` (see `test_python`); pass `-I` to isolate it from the
/// user's PYTHON* variables and site (the venv's own packages stay visible).
pub fn test_python_run(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(test_python());
    cmd.current_dir(dir).args(args);
    let output = assert_cmd::Command::from_std(cmd).timeout(TIMEOUT).output();
    finish(&format!("test venv python {args:?}"), output)
}

/// The test venv's ruff on `file` in `dir`: `ruff check --isolated --no-cache --select CODES
/// --output-format concise` with `extra` arguments before the file.
pub fn ruff_check(dir: &Path, file: &str, codes: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "-I",
        "-m",
        "ruff",
        "check",
        "--isolated",
        "--no-cache",
        "--select",
        codes,
        "--output-format",
        "concise",
    ];
    args.extend_from_slice(extra);
    args.push(file);
    test_python_run(dir, &args)
}

/// The venv's python, given the venv's directory.
fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// 64-bit FNV-1a: stable across Rust releases and platforms (`DefaultHasher` is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// What a venv built now from `requirements` would have in its stamp file.
fn venv_stamp(requirements: &Path) -> Result<String, String> {
    let bytes = fs::read(requirements).map_err(|e| format!("could not read {}: {e}", requirements.display()))?;
    let mut cmd = Command::new("python3");
    cmd.args(["-I", "-c", "import sys; print(sys.version)"]);
    let run = run_for_venv("python3 --version", cmd, TIMEOUT)?;
    if run.code != Some(0) {
        return Err(format!("python3 does not run:\n{}", run.describe()));
    }
    Ok(format!(
        "requirements.txt fnv1a {:016x}\npython3 {}\n",
        fnv1a(&bytes),
        run.stdout.trim()
    ))
}

/// Whether `venv` is complete and was built from what `stamp` describes.
fn venv_is_current(venv: &Path, stamp: &str) -> bool {
    venv_python(venv).exists() && fs::read_to_string(venv.join(STAMP)).is_ok_and(|s| s == stamp)
}

/// Runs `cmd` with `timeout`; a missing program is an error saying what is needed.
fn run_for_venv(what: &str, cmd: Command, timeout: Duration) -> Result<Run, String> {
    match assert_cmd::Command::from_std(cmd).timeout(timeout).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "could not run {what}: {e} (the test venv needs `python3` 3.10 or later on PATH, with \
             its venv module; Debian: `apt-get install python3 python3-venv`; these tests are \
             not skipped without it)"
        )),
        Err(e) => Err(format!("could not run {what}: {e}")),
        Ok(output) => Ok(finish(what, Ok(output))),
    }
}

/// Checks the test venv, building it (in a staging directory, moved into place) if needed.
fn make_test_venv() -> Result<PathBuf, String> {
    let requirements = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("requirements.txt");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .ok_or("CARGO_TARGET_TMPDIR has no parent")?
        .to_path_buf();
    let venv = target.join("test-venv");
    let stamp = venv_stamp(&requirements)?;
    if venv_is_current(&venv, &stamp) {
        return Ok(venv_python(&venv));
    }

    let staging = target.join(format!("test-venv.{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let built = build_venv(&staging, &requirements, &stamp);
    if let Err(message) = built {
        let _ = fs::remove_dir_all(&staging);
        return Err(message);
    }
    // Another process may have put a current venv in place while this one was building.
    if !venv_is_current(&venv, &stamp) {
        let _ = fs::remove_dir_all(&venv);
    }
    if fs::rename(&staging, &venv).is_err() {
        // Another process won the race: use its venv.
        let _ = fs::remove_dir_all(&staging);
    }
    if venv_is_current(&venv, &stamp) {
        Ok(venv_python(&venv))
    } else {
        Err(format!(
            "the test venv {} is incomplete or stale after building it (is another test run \
             rebuilding it from a different tests/requirements.txt?)",
            venv.display()
        ))
    }
}

/// `python3 -m venv STAGING`, pip install `requirements` into it, then the stamp.
fn build_venv(staging: &Path, requirements: &Path, stamp: &str) -> Result<(), String> {
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "venv"]).arg(staging);
    let run = run_for_venv("python3 -m venv", cmd, INSTALL_TIMEOUT)?;
    if run.code != Some(0) {
        return Err(format!(
            "could not create the test venv in {} (Debian needs `apt-get install python3-venv`):\n{}",
            staging.display(),
            run.describe()
        ));
    }
    let mut cmd = Command::new(venv_python(staging));
    cmd.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--quiet",
        "-r",
    ])
    .arg(requirements);
    let run = run_for_venv("pip install -r tests/requirements.txt", cmd, INSTALL_TIMEOUT)?;
    if run.code != Some(0) {
        return Err(format!(
            "could not install tests/requirements.txt from PyPI into {}: the test venv needs \
             network access to PyPI once (afterwards target/test-venv is reused until \
             tests/requirements.txt changes):\n{}",
            staging.display(),
            run.describe()
        ));
    }
    fs::write(staging.join(STAMP), stamp).map_err(|e| format!("could not write the venv's stamp: {e}"))
}
