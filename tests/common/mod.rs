//! What the CPython tests share: running the built `asyncfix` and `python3` on a temporary
//! tree, and what came out.
#![allow(dead_code)] // Each test file uses its own part of this.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

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
