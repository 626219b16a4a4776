//! End-to-end tests of the `asyncfix` binary: output formats, exit codes, file handling,
//! discovery and error reporting. Every input is generated in a temporary directory and the
//! binary is run with that directory as its working directory and relative path arguments,
//! so that the printed paths are short and exact.
//!
//! Tests marked `#[ignore = "BUG: ..."]` show a known defect of the binary: they describe
//! the expected behaviour and fail today. Run them with `cargo test --test cli -- --ignored`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------

/// One finding in `poll` (line 5), and a `time.sleep` in a plain function that must stay.
const SLEEPY: &str = "import time


async def poll():
    time.sleep(1)


def sync():
    time.sleep(2)
";

/// What `--write` makes of `SLEEPY` (`import asyncio` goes before `import time`, in isort order).
const SLEEPY_FIXED: &str = "import asyncio
import time


async def poll():
    await asyncio.sleep(1)


def sync():
    time.sleep(2)
";

/// The `--diff` of `SLEEPY` saved as `a.py`.
const SLEEPY_DIFF: &str = "--- a/a.py
+++ b/a.py
@@ -1,8 +1,9 @@
+import asyncio
 import time
 
 
 async def poll():
-    time.sleep(1)
+    await asyncio.sleep(1)
 
 
 def sync():
";

/// Nothing to report, but mentions `async` and `sleep` so it is really parsed.
const CLEAN: &str = "import asyncio


async def poll():
    await asyncio.sleep(1)
";

/// The report line of the `SLEEPY` finding for a file at `path`.
fn sleepy_line(path: &str) -> String {
    finding(path, 5, 5, "poll")
}

/// A fixable AF003 report line.
fn finding(path: &str, line: usize, col: usize, function: &str) -> String {
    format!(
        "{path}:{line}:{col}: AF003 [*] `time.sleep()` blocks the event loop in `{function}`; use `await asyncio.sleep()`\n"
    )
}

/// The result of one run of the binary.
#[derive(Debug)]
struct Run {
    /// `None` when the process was killed by a signal (a crash).
    code: Option<i32>,
    stdout: String,
    stderr: String,
    stdout_bytes: Vec<u8>,
}

fn asyncfix() -> Command {
    let mut cmd = Command::cargo_bin("asyncfix").expect("the asyncfix binary is built");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn finish(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("asyncfix runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout_bytes: out.stdout,
    }
}

/// Run `asyncfix ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Run {
    finish(asyncfix().current_dir(dir).args(args))
}

/// Run `asyncfix ARGS` in `dir` with `input` on standard input.
fn run_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    finish(asyncfix().current_dir(dir).args(args).write_stdin(input.to_vec()))
}

fn tree(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        write(dir.path(), name, bytes);
    }
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

fn read_str(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

/// Set a file's mtime to a fixed instant in the past and return it, so that "not rewritten"
/// can be checked without depending on clock resolution.
fn set_old_mtime(path: &Path) -> SystemTime {
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
    assert_eq!(mtime(path), when);
    when
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

/// Files in `dir` (recursively), relative, sorted, with their bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                if entry.file_name() != ".git" {
                    walk(root, &path, out);
                }
            } else if kind.is_file() {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// An `error: ` line on stderr that names `name`.
fn assert_error_names(run: &Run, name: &str) {
    assert!(
        run.stderr.lines().any(|l| l.starts_with("error: ") && l.contains(name)),
        "expected an `error: ` line naming {name:?} on stderr:\n{}",
        run.stderr
    );
}

/// The exit code, failing the test on a crash (no code: killed by a signal).
fn exit_code(run: &Run) -> i32 {
    match run.code {
        Some(code) => code,
        None => panic!("asyncfix was killed by a signal (crash)\nstderr:\n{}", run.stderr),
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Report mode
// ---------------------------------------------------------------------------------------------

#[test]
fn report_prints_exact_findings_and_exits_1() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    let r = run(dir.path(), &["a.py", "clean.py"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, sleepy_line("a.py"));
    assert_eq!(r.stderr, "Found 1 problem (1 fixable with --write).\n");
    // Report mode changes nothing.
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY);
}

#[test]
fn report_defaults_to_current_directory_and_counts_all_findings() {
    let two =
        "import time as t\nfrom time import sleep as snooze\n\n\nasync def main():\n    t.sleep(1)\n    snooze(2)\n";
    let dir = tree(&[("a.py", SLEEPY.as_bytes()), ("pkg/b.py", two.as_bytes())]);
    let expected = [
        sleepy_line("a.py"),
        finding("pkg/b.py", 6, 5, "main"),
        finding("pkg/b.py", 7, 5, "main"),
    ]
    .concat();
    let r = run(dir.path(), &[]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, expected);
    assert_eq!(r.stderr, "Found 3 problems (3 fixable with --write).\n");
    // `.` and `./` prefixes are not shown.
    let r = run(dir.path(), &["."]);
    assert_eq!(r.stdout, expected);
    let r = run(dir.path(), &["./a.py"]);
    assert_eq!(r.stdout, sleepy_line("a.py"));
}

#[test]
fn report_clean_tree_exits_0() {
    let sync_only = "import time\n\n\ndef wait():\n    time.sleep(1)\n";
    let dir = tree(&[
        ("clean.py", CLEAN.as_bytes()),
        ("sync.py", sync_only.as_bytes()),
        ("empty.py", b""),
    ]);
    let r = run(dir.path(), &["."]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "All checks passed!\n");
}

#[test]
fn report_empty_file_is_fine() {
    let dir = tree(&[("empty.py", b"")]);
    let r = run(dir.path(), &["empty.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    let r = run(dir.path(), &["--write", "empty.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(read(dir.path(), "empty.py"), b"");
}

#[test]
fn report_columns_are_characters_not_bytes() {
    // `é` is 2 bytes and `😀` 4 bytes in UTF-8, a tab is one character.
    let uni = "import time\n\n\nasync def f():\n    x = \"é😀\"; time.sleep(1)\n";
    let tab = "import time\n\n\nasync def f():\n\tif True:\n\t\ttime.sleep(1)\n";
    let dir = tree(&[("uni.py", uni.as_bytes()), ("tab.py", tab.as_bytes())]);
    let r = run(dir.path(), &["uni.py", "tab.py"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(
        r.stdout,
        [finding("tab.py", 6, 3, "f"), finding("uni.py", 5, 15, "f")].concat()
    );
}

#[test]
fn quiet_drops_the_summary_only() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let r = run(dir.path(), &["-q", "a.py"]);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stdout, sleepy_line("a.py"));
    assert_eq!(r.stderr, "");
    let r = run(dir.path(), &["--quiet", "--output-format", "concise", "a.py"]);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stdout, sleepy_line("a.py"));
    assert_eq!(r.stderr, "");
}

// ---------------------------------------------------------------------------------------------
// 2. --check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_is_silent_and_sets_the_exit_code() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes()), ("clean/c.py", CLEAN.as_bytes())]);
    let r = run(dir.path(), &["--check", "."]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
    let r = run(dir.path(), &["--check", "clean"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY);
}

#[test]
fn check_still_reports_errors_on_stderr() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let r = run(dir.path(), &["--check", "a.py", "nope.py"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "error: nope.py: no such file or directory\n");
}

// ---------------------------------------------------------------------------------------------
// 3. --diff
// ---------------------------------------------------------------------------------------------

#[test]
fn diff_prints_exact_patch_and_changes_nothing() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    let before = set_old_mtime(&dir.path().join("a.py"));
    let r = run(dir.path(), &["--diff", "."]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, SLEEPY_DIFF);
    assert_eq!(r.stderr, "Would fix 1 problem in 1 file.\n");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY);
    assert_eq!(mtime(&dir.path().join("a.py")), before);
    // `./a.py` shows as `a/a.py`, not `a/./a.py`.
    let r = run(dir.path(), &["--diff", "./a.py"]);
    assert_eq!(r.stdout, SLEEPY_DIFF);
}

#[test]
fn diff_without_fixes_exits_0() {
    // A finding without a fix (no argument) gives no diff.
    let unfixable = "import time\n\n\nasync def f():\n    time.sleep()\n";
    let dir = tree(&[("u.py", unfixable.as_bytes()), ("clean.py", CLEAN.as_bytes())]);
    let r = run(dir.path(), &["--diff", "."]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(read_str(dir.path(), "u.py"), unfixable);
}

#[test]
fn diff_of_several_files_is_sorted() {
    let dir = tempfile::tempdir().unwrap();
    // Created in reverse order on purpose.
    write(dir.path(), "z.py", SLEEPY.as_bytes());
    write(dir.path(), "m/a.py", SLEEPY.as_bytes());
    write(dir.path(), "a.py", SLEEPY.as_bytes());
    let r = run(dir.path(), &["--diff"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    let headers: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("--- ") || l.starts_with("+++ "))
        .collect();
    assert_eq!(
        headers,
        [
            "--- a/a.py",
            "+++ b/a.py",
            "--- a/m/a.py",
            "+++ b/m/a.py",
            "--- a/z.py",
            "+++ b/z.py"
        ]
    );
    assert_eq!(r.stderr, "Would fix 3 problems in 3 files.\n");
}

fn git_available() -> bool {
    StdCommand::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    let mut child = StdCommand::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("git runs");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

#[test]
fn diff_applies_with_git_apply_and_matches_write() {
    if !git_available() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let files: &[(&str, &[u8])] = &[
        ("a.py", SLEEPY.as_bytes()),
        ("sub/deeper/s.py", SLEEPY.as_bytes()),
        ("crlf.py", b"import time\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n"),
        (
            "bom.py",
            "\u{feff}import time\n\nasync def f():\n    time.sleep(1)\n".as_bytes(),
        ),
        (
            "tab.py",
            b"import time\n\nasync def f():\n\tif True:\n\t\ttime.sleep(1)  # zzz\t\n",
        ),
        ("noeol.py", b"async def f():\n    import time\n    time.sleep(1)"),
        ("my file.py", SLEEPY.as_bytes()),
        ("clean.py", CLEAN.as_bytes()),
    ];
    let patched = tree(files);
    let written = tree(files);

    let init = git(patched.path(), &["init", "-q", "."], None);
    assert!(init.status.success(), "git init: {init:?}");

    let diff = run(patched.path(), &["--diff", "."]);
    assert_eq!(diff.code, Some(1), "{diff:?}");
    assert_eq!(diff.stderr, "Would fix 7 problems in 7 files.\n");
    // Nothing changed by --diff.
    assert_eq!(snapshot(patched.path()), snapshot(written.path()));

    let applied = git(
        patched.path(),
        &["apply", "--whitespace=nowarn", "-"],
        Some(&diff.stdout_bytes),
    );
    assert!(
        applied.status.success(),
        "git apply failed: {}\npatch:\n{}",
        String::from_utf8_lossy(&applied.stderr),
        diff.stdout
    );

    let w = run(written.path(), &["--write", "."]);
    assert_eq!(w.code, Some(0), "{w:?}");
    assert_eq!(w.stderr, "Fixed 7 problems in 7 files.\n");
    assert_eq!(snapshot(patched.path()), snapshot(written.path()));
    // And the fixes really were applied.
    assert_eq!(read_str(written.path(), "a.py"), SLEEPY_FIXED);
}

// ---------------------------------------------------------------------------------------------
// 4. --write
// ---------------------------------------------------------------------------------------------

#[test]
fn write_fixes_in_place_and_second_run_is_a_no_op() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let path = dir.path().join("a.py");
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "Fixed 1 problem in 1 file.\n");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.py"]);

    let before = set_old_mtime(&path);
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "All checks passed!\n");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
    assert_eq!(mtime(&path), before, "a file with nothing to fix was rewritten");
}

#[test]
fn fix_is_an_alias_of_write() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let r = run(dir.path(), &["--fix", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stderr, "Fixed 1 problem in 1 file.\n");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
}

#[cfg(unix)]
#[test]
fn write_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let path = dir.path().join("a.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o754);
}

#[test]
fn write_leaves_files_without_fixes_untouched() {
    let unfixable = "import time\n\n\nasync def f():\n    time.sleep()\n";
    let dir = tree(&[
        ("a.py", SLEEPY.as_bytes()),
        ("clean.py", CLEAN.as_bytes()),
        ("other.py", b"x = 1\n"),
        ("u.py", unfixable.as_bytes()),
    ]);
    let clean = set_old_mtime(&dir.path().join("clean.py"));
    let other = set_old_mtime(&dir.path().join("other.py"));
    let unfix = set_old_mtime(&dir.path().join("u.py"));
    let r = run(dir.path(), &["--write", "."]);
    // A finding without a fix remains: exit 1, and it is printed on stdout (without `[*]`).
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(
        r.stdout,
        "u.py:5:5: AF003 `time.sleep()` blocks the event loop in `f`; use `await asyncio.sleep()`\n"
    );
    assert_eq!(
        r.stderr,
        "Fixed 1 problem in 1 file.\n1 problem remains (no automatic fix).\n"
    );
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
    assert_eq!(read_str(dir.path(), "clean.py"), CLEAN);
    assert_eq!(read_str(dir.path(), "u.py"), unfixable);
    assert_eq!(mtime(&dir.path().join("clean.py")), clean);
    assert_eq!(mtime(&dir.path().join("other.py")), other);
    assert_eq!(mtime(&dir.path().join("u.py")), unfix);
}

#[test]
fn write_reports_remaining_findings_positioned_in_the_fixed_text() {
    // The unfixable call is on line 4 of the original; `import asyncio` pushes it to line 5.
    let src = "import time\n\n\nasync def f():\n    time.sleep()\n    time.sleep(1)\n";
    let fixed = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep()\n    await asyncio.sleep(1)\n";
    let dir = tree(&[("a.py", src.as_bytes())]);
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(read_str(dir.path(), "a.py"), fixed);
    assert_eq!(
        r.stdout,
        "a.py:6:5: AF003 `time.sleep()` blocks the event loop in `f`; use `await asyncio.sleep()`\n"
    );
}

#[test]
fn write_reuses_an_existing_asyncio_alias() {
    let src = "import asyncio as aio\nimport time as t\nfrom time import sleep as snooze\n\n\nasync def main():\n    t.sleep(1)\n    snooze(2)\n\n    def inner():\n        t.sleep(3)\n\n    f = lambda: snooze(4)\n    return inner, f\n";
    let fixed = src
        .replace("    t.sleep(1)", "    await aio.sleep(1)")
        .replace("    snooze(2)", "    await aio.sleep(2)");
    let dir = tree(&[("a.py", src.as_bytes())]);
    let r = run(dir.path(), &["a.py"]);
    assert_eq!(
        r.stdout,
        [finding("a.py", 7, 5, "main"), finding("a.py", 8, 5, "main")].concat()
    );
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(read_str(dir.path(), "a.py"), fixed);
}

#[cfg(unix)]
#[test]
fn write_through_a_symlink_fixes_the_target_and_keeps_the_link() {
    let dir = tree(&[("real.py", SLEEPY.as_bytes())]);
    std::os::unix::fs::symlink("real.py", dir.path().join("link.py")).unwrap();
    let r = run(dir.path(), &["--write", "link.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let meta = fs::symlink_metadata(dir.path().join("link.py")).unwrap();
    assert!(meta.file_type().is_symlink(), "link.py is no longer a symlink");
    assert_eq!(read_str(dir.path(), "real.py"), SLEEPY_FIXED);
}

#[cfg(unix)]
#[test]
fn write_keeps_the_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let path = dir.path().join("a.py");
    if fs::metadata(&path).unwrap().uid() != 0 {
        eprintln!("skipped: needs root to give the file another owner");
        return;
    }
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    let r = run(dir.path(), &["--write", "a.py"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(read_str(dir.path(), "a.py"), SLEEPY_FIXED);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
}

// ---------------------------------------------------------------------------------------------
// 5. Bytes outside the edits are kept exactly (CRLF, BOM, tabs, no final newline)
// ---------------------------------------------------------------------------------------------

fn assert_write_gives(name: &str, input: &[u8], expected: &[u8]) {
    let dir = tree(&[(name, input)]);
    let r = run(dir.path(), &["--write", name]);
    assert_eq!(r.code, Some(0), "{name}: {r:?}");
    let got = read(dir.path(), name);
    assert_eq!(
        got,
        expected,
        "{name}: got {:?}, expected {:?}",
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(expected)
    );
    // The same bytes through standard input.
    let r = run_stdin(dir.path(), &["--write", "-"], input);
    assert_eq!(r.code, Some(0), "{name} (stdin): {r:?}");
    assert_eq!(r.stdout_bytes, expected, "{name} (stdin)");
}

#[test]
fn crlf_file_keeps_its_line_endings() {
    assert_write_gives(
        "crlf.py",
        b"import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)  # nap\r\n\r\n\r\ndef g():\r\n    time.sleep(2)\r\n",
        b"import asyncio\r\nimport time\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)  # nap\r\n\r\n\r\ndef g():\r\n    time.sleep(2)\r\n",
    );
    // No import block: the import goes after the docstring, with the blank lines `ruff format`
    // wants; the local `import time` the fix leaves unused goes.
    assert_write_gives(
        "crlf_doc.py",
        b"\"\"\"Doc.\"\"\"\r\nasync def f():\r\n    import time\r\n    time.sleep(1)\r\n",
        b"\"\"\"Doc.\"\"\"\r\n\r\nimport asyncio\r\n\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n",
    );
}

#[test]
fn bom_file_keeps_its_bom() {
    assert_write_gives(
        "bom.py",
        "\u{feff}import time\n\n\nasync def f():\n    time.sleep(1)\n".as_bytes(),
        "\u{feff}import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n".as_bytes(),
    );
}

#[test]
fn bom_file_without_imports_gets_the_import_after_the_bom() {
    assert_write_gives(
        "bom_noimport.py",
        "\u{feff}async def f():\n    import time\n    time.sleep(1)\n".as_bytes(),
        "\u{feff}import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n".as_bytes(),
    );
}

#[test]
fn tab_indented_file_keeps_tabs_and_trailing_whitespace() {
    assert_write_gives(
        "tab.py",
        b"import time\n\n\nasync def f():\n\tif True:\n\t\ttime.sleep(1)  # zzz\t \n\t# end\t\n",
        b"import asyncio\n\n\nasync def f():\n\tif True:\n\t\tawait asyncio.sleep(1)  # zzz\t \n\t# end\t\n",
    );
}

#[test]
fn file_without_final_newline_stays_without() {
    assert_write_gives(
        "noeol.py",
        b"import time\n\nasync def f():\n    time.sleep(1)",
        b"import asyncio\n\nasync def f():\n    await asyncio.sleep(1)",
    );
    // No leading import block: `import asyncio` goes first; the end stays as it was.
    assert_write_gives(
        "noeol_late_import.py",
        b"async def f():\n    time.sleep(1)\nimport time",
        b"import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\nimport time",
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Standard input
// ---------------------------------------------------------------------------------------------

#[test]
fn stdin_report_uses_dash_or_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_stdin(dir.path(), &["-"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, sleepy_line("-"));
    assert_eq!(r.stderr, "Found 1 problem (1 fixable with --write).\n");

    let r = run_stdin(dir.path(), &["-", "--stdin-filename", "app.py"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, sleepy_line("app.py"));

    // --stdin-filename alone implies `-`.
    let r = run_stdin(dir.path(), &["--stdin-filename", "app.py"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, sleepy_line("app.py"));

    let r = run_stdin(dir.path(), &["--stdin-filename", "app.py"], CLEAN.as_bytes());
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
    // Nothing was written anywhere.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn stdin_write_prints_the_fixed_source() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_stdin(dir.path(), &["--write", "-"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, SLEEPY_FIXED);
    assert_eq!(r.stderr, "Fixed 1 problem in 1 file.\n");

    // Nothing to fix: the source comes back unchanged.
    let r = run_stdin(dir.path(), &["--write", "--stdin-filename", "app.py"], b"x = 1");
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "x = 1");

    // Remaining findings go to stderr, not into the source.
    let unfixable = "import time\n\n\nasync def f():\n    time.sleep()\n";
    let r = run_stdin(
        dir.path(),
        &["--write", "--stdin-filename", "app.py"],
        unfixable.as_bytes(),
    );
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, unfixable);
    assert!(
        r.stderr.starts_with(
            "app.py:5:5: AF003 `time.sleep()` blocks the event loop in `f`; use `await asyncio.sleep()`\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn stdin_diff_prints_the_patch() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_stdin(
        dir.path(),
        &["--diff", "-", "--stdin-filename", "a.py"],
        SLEEPY.as_bytes(),
    );
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, SLEEPY_DIFF);
    assert_eq!(r.stderr, "Would fix 1 problem in 1 file.\n");

    let r = run_stdin(
        dir.path(),
        &["--diff", "--stdin-filename", "pkg/app.py"],
        SLEEPY.as_bytes(),
    );
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(
        r.stdout,
        SLEEPY_DIFF
            .replace("a/a.py", "a/pkg/app.py")
            .replace("b/a.py", "b/pkg/app.py")
    );

    let r = run_stdin(dir.path(), &["--diff", "-"], CLEAN.as_bytes());
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "");
}

#[test]
fn stdin_syntax_error_under_write_echoes_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "import time\n\nasync def f(:\n    time.sleep(1)\n";
    let r = run_stdin(dir.path(), &["--write", "--stdin-filename", "bad.py"], bad.as_bytes());
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, bad);
    assert!(
        r.stderr.starts_with("error: Failed to parse bad.py:3:13: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("1 file could not be parsed.\n"), "{}", r.stderr);
}

#[test]
fn stdin_syntax_error_without_async_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "def f(:\n    pass\n";
    let r = run_stdin(dir.path(), &["--write", "-"], bad.as_bytes());
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, bad);
    assert!(r.stderr.starts_with("error: Failed to parse -:1:7: "), "{}", r.stderr);
}

#[test]
fn stdin_filename_with_dot_slash_is_cleaned_in_diff_headers() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_stdin(dir.path(), &["--diff", "--stdin-filename", "./a.py"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, SLEEPY_DIFF);
}

#[test]
fn stdin_cannot_be_combined_with_paths() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let r = run_stdin(dir.path(), &["-", "a.py"], SLEEPY.as_bytes());
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// 7. --select / --ignore
// ---------------------------------------------------------------------------------------------

#[test]
fn ignore_af003_silences_everything() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    for ignore in ["AF003", "AF", "blocking-sleep", "ALL"] {
        let r = run(dir.path(), &["--ignore", ignore, "a.py"]);
        assert_eq!(r.code, Some(0), "--ignore {ignore}: {r:?}");
        assert_eq!(r.stdout, "", "--ignore {ignore}");
        let r = run(dir.path(), &["--ignore", ignore, "--write", "a.py"]);
        assert_eq!(r.code, Some(0), "--ignore {ignore} --write: {r:?}");
        assert_eq!(read_str(dir.path(), "a.py"), SLEEPY);
    }
}

#[test]
fn select_forms_match_the_default() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let default = run(dir.path(), &["a.py"]);
    assert_eq!(default.stdout, sleepy_line("a.py"));
    for select in ["blocking-sleep", "AF003", "af003", "AF", "ALL", "AF003,blocking-sleep"] {
        let r = run(dir.path(), &["--select", select, "a.py"]);
        assert_eq!(
            (r.code, &r.stdout, &r.stderr),
            (default.code, &default.stdout, &default.stderr),
            "--select {select}"
        );
    }
}

#[test]
fn unknown_selector_is_an_error() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    for args in [["--select", "E501"], ["--ignore", "E501"], ["--select", "no-such-rule"]] {
        let r = run(dir.path(), &[args[0], args[1], "--write", "a.py"]);
        assert_eq!(r.code, Some(2), "{args:?}: {r:?}");
        assert_eq!(r.stdout, "");
        assert!(
            r.stderr.starts_with("error: ") && r.stderr.contains(args[1]),
            "{}",
            r.stderr
        );
        assert_eq!(
            read_str(dir.path(), "a.py"),
            SLEEPY,
            "nothing may be written after a bad argument"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Mutually exclusive modes, bad arguments
// ---------------------------------------------------------------------------------------------

#[test]
fn modes_are_mutually_exclusive() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let pairs = [
        ["--check", "--diff"],
        ["--check", "--write"],
        ["--diff", "--write"],
        ["--diff", "--fix"],
        ["--check", "--fix"],
    ];
    for pair in pairs {
        let r = run(dir.path(), &[pair[0], pair[1], "a.py"]);
        assert_eq!(r.code, Some(2), "{pair:?}: {r:?}");
        assert_eq!(r.stdout, "", "{pair:?}");
        assert!(r.stderr.contains("cannot be used with"), "{pair:?}: {}", r.stderr);
        assert_eq!(read_str(dir.path(), "a.py"), SLEEPY);
    }
}

#[test]
fn bad_option_values_are_errors() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    for args in [
        &["--output-format", "xml", "a.py"][..],
        &["--color", "sometimes", "a.py"],
        &["--no-such-flag", "a.py"],
    ] {
        let r = run(dir.path(), args);
        assert_eq!(r.code, Some(2), "{args:?}: {r:?}");
        assert_eq!(r.stdout, "");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Bad inputs next to a good file
// ---------------------------------------------------------------------------------------------

/// `dir` holds `good.py` (= SLEEPY) and some bad input. In report mode and in write mode:
/// exit 2, an `error:` line naming `bad_name`, the good file still reported and then fixed,
/// and the bytes of `bad_file` (if any) unchanged.
fn assert_bad_input_isolated(dir: &Path, args: &[&str], bad_name: &str, bad_file: Option<&str>) {
    let bad_bytes = bad_file.map(|f| read(dir, f));

    let r = run(dir, args);
    assert_eq!(exit_code(&r), 2, "report: {r:?}");
    assert_error_names(&r, bad_name);
    assert_eq!(
        r.stdout,
        sleepy_line("good.py"),
        "report: the good file must still be reported"
    );

    let r = run(dir, &[&["--diff"], args].concat());
    assert_eq!(exit_code(&r), 2, "diff: {r:?}");
    assert_error_names(&r, bad_name);
    assert_eq!(
        r.stdout,
        SLEEPY_DIFF.replace("a.py", "good.py"),
        "diff: the good file must still be diffed"
    );

    let r = run(dir, &[&["--write"], args].concat());
    assert_eq!(exit_code(&r), 2, "write: {r:?}");
    assert_error_names(&r, bad_name);
    assert_eq!(r.stdout, "", "write: nothing remains in the good file");
    assert!(r.stderr.contains("Fixed 1 problem in 1 file.\n"), "{}", r.stderr);
    assert_eq!(
        read_str(dir, "good.py"),
        SLEEPY_FIXED,
        "write: the good file must be fixed"
    );

    if let (Some(file), Some(bytes)) = (bad_file, bad_bytes) {
        assert_eq!(read(dir, file), bytes, "the bad file must keep its bytes");
    }
}

#[test]
fn syntax_error_is_reported_and_isolated() {
    let bad = "import time\n\nasync def f(:\n    time.sleep(1)\n";
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("bad.py", bad.as_bytes())]);
    let r = run(dir.path(), &["."]);
    assert!(
        r.stderr.contains("error: Failed to parse bad.py:3:13: "),
        "{}",
        r.stderr
    );
    assert!(r.stderr.ends_with("1 file could not be parsed.\n"), "{}", r.stderr);
    assert_bad_input_isolated(dir.path(), &["."], "bad.py", Some("bad.py"));
}

#[test]
fn syntax_error_in_an_explicitly_named_file_is_reported_even_without_async() {
    // Files named on the command line are always parsed; the prefilter only spares files
    // found by walking a directory.
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("bad.py", b"def f(:\n    pass\n")]);
    let r = run(dir.path(), &["good.py", "bad.py"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("error: Failed to parse bad.py:1:7: "), "{}", r.stderr);
    assert_eq!(r.stdout, sleepy_line("good.py"));
}

#[test]
fn walked_file_that_cannot_match_is_not_parsed() {
    // Documented trade-off: a walked file that mentions none of the words any rule needs is
    // not parsed, so its syntax error goes unreported (asyncfix has nothing to fix there).
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("bad.py", b"def f(:\n    pass\n")]);
    let r = run(dir.path(), &["."]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(!r.stderr.contains("bad.py"), "{}", r.stderr);
    assert_eq!(r.stdout, sleepy_line("good.py"));
}

#[test]
fn no_prefilter_reports_syntax_errors_in_any_file() {
    // --no-prefilter parses every file.
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("bad.py", b"def f(:\n    pass\n")]);
    let r = run(dir.path(), &["--no-prefilter", "."]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, sleepy_line("good.py"));
    assert!(r.stderr.contains("error: Failed to parse bad.py:1:7: "), "{}", r.stderr);
}

#[test]
fn prefilter_keeps_callers_found_through_relative_imports_and_aliases() {
    // Files without `async` are read again only when they call a coroutine function of the
    // project in a way that can resolve: through a relative import from inside its package
    // (naming neither the package nor the module), under an alias, or as `module.f()`.
    // A file that only names it, or names a same-named function of another package, is not.
    let dir = tree(&[
        (
            "pkg/__init__.py",
            b"import asyncio\n\nasync def notify(x):\n    await asyncio.sleep(0)\n",
        ),
        (
            "pkg/api.py",
            b"import asyncio\n\nasync def fetch(x):\n    await asyncio.sleep(0)\n",
        ),
        ("pkg/sub/__init__.py", b""),
        (
            "pkg/sub/relative.py",
            b"from .. import notify\n\n\ndef cb(x):\n    notify(x)\n",
        ),
        (
            "pkg/sub/alias.py",
            b"from pkg import notify as n\n\n\ndef cb(x):\n    n(x)\n",
        ),
        (
            "pkg/sub/module.py",
            b"from .. import api\n\n\ndef cb(x):\n    api.fetch (x)\n",
        ),
        ("pkg/sub/named.py", b"from pkg import notify\n\nHANDLERS = [notify]\n"),
        ("other/__init__.py", b""),
        (
            "other/calls.py",
            b"from other.notify import notify\n\n\ndef cb(x):\n    notify(x)\n",
        ),
        ("other/notify.py", b"def notify(x):\n    return x\n"),
    ]);
    let with = run(dir.path(), &["."]);
    let without = run(dir.path(), &["--no-prefilter", "."]);
    assert_eq!(with.code, Some(1), "{with:?}");
    assert_eq!(with.stdout, without.stdout);
    let files: Vec<&str> = with.stdout.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(
        files,
        ["pkg/sub/alias.py", "pkg/sub/module.py", "pkg/sub/relative.py"],
        "{}",
        with.stdout
    );
}

#[test]
fn prefilter_follows_reexports_by_packages_without_async() {
    // A package's `__init__.py` re-exports without mentioning `async` (so it is not parsed in
    // the first phase): its callers, which name only the package, are still looked at.
    let dir = tree(&[
        (
            "pkg/api.py",
            b"import asyncio\n\nasync def notify(x):\n    await asyncio.sleep(0)\n\n\nclass Client:\n    async def send(self):\n        await asyncio.sleep(0)\n",
        ),
        ("pkg/__init__.py", b"from .api import notify, Client as Conn\n"),
        ("caller.py", b"from pkg import notify\n\n\ndef cb(x):\n    notify(x)\n"),
        (
            "subclass.py",
            b"from pkg import Conn\n\n\nclass Mine(Conn):\n    def go(self):\n        self.send()\n",
        ),
    ]);
    let with = run(dir.path(), &["."]);
    let without = run(dir.path(), &["--no-prefilter", "."]);
    assert_eq!(with.code, Some(1), "{with:?}");
    assert_eq!(with.stdout, without.stdout);
    let files: Vec<&str> = with.stdout.lines().map(|l| l.split(':').next().unwrap()).collect();
    assert_eq!(files, ["caller.py", "subclass.py"], "{}", with.stdout);
}

#[test]
fn non_utf8_file_is_reported_and_isolated() {
    let dir = tree(&[
        ("good.py", SLEEPY.as_bytes()),
        ("latin1.py", b"# async sleep\nx = '\xe9t\xe9'\n"),
    ]);
    let r = run(dir.path(), &["."]);
    assert!(r.stderr.contains("error: latin1.py: not valid UTF-8"), "{}", r.stderr);
    assert!(r.stderr.ends_with("1 file could not be read.\n"), "{}", r.stderr);
    assert_bad_input_isolated(dir.path(), &["."], "latin1.py", Some("latin1.py"));
}

#[test]
fn nul_bytes_are_reported_and_isolated() {
    let dir = tree(&[
        ("good.py", SLEEPY.as_bytes()),
        ("b.py", b"import time\0\nasync def f(): time.sleep(1)\n"),
    ]);
    let r = run(dir.path(), &["."]);
    assert!(r.stderr.contains("error: b.py: binary file (NUL byte"), "{}", r.stderr);
    assert_bad_input_isolated(dir.path(), &["."], "b.py", Some("b.py"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_isolated() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("secret.py", SLEEPY.as_bytes())]);
    let secret = dir.path().join("secret.py");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&secret).is_ok() {
        // Running as root (or with CAP_DAC_OVERRIDE): the file is readable anyway.
        eprintln!("skipped: chmod 000 does not make files unreadable for this user");
        fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
        return;
    }
    let r = run(dir.path(), &["."]);
    assert!(r.stderr.contains("error: secret.py: permission denied"), "{}", r.stderr);
    assert!(r.stderr.ends_with("1 file could not be read.\n"), "{}", r.stderr);
    assert_bad_input_isolated(dir.path(), &["."], "secret.py", None);
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(read_str(dir.path(), "secret.py"), SLEEPY);
}

#[test]
fn nonexistent_path_is_reported_and_isolated() {
    let dir = tree(&[("good.py", SLEEPY.as_bytes())]);
    let r = run(dir.path(), &["good.py", "nope.py"]);
    assert!(
        r.stderr.contains("error: nope.py: no such file or directory\n"),
        "{}",
        r.stderr
    );
    assert_bad_input_isolated(dir.path(), &["good.py", "nope.py"], "nope.py", None);
    assert!(!dir.path().join("nope.py").exists());
    let r = run(dir.path(), &["missing_dir"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_error_names(&r, "missing_dir");
}

#[cfg(unix)]
#[test]
fn directory_symlink_loop_is_reported_and_isolated() {
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("a/inner.py", CLEAN.as_bytes())]);
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    let r = run(dir.path(), &["."]);
    // (`./a/loop` today: see walk_errors_name_paths_without_dot_slash.)
    assert!(r.stderr.contains("a/loop: directory symlink loop"), "{}", r.stderr);
    assert!(r.stderr.ends_with("1 file could not be read.\n"), "{}", r.stderr);
    assert_bad_input_isolated(dir.path(), &["."], "a/loop", None);
    assert_eq!(read_str(dir.path(), "a/inner.py"), CLEAN);
    // Named as a directory argument, too.
    let r = run(dir.path(), &["a", "good.py"]);
    assert_eq!(exit_code(&r), 2, "{r:?}");
    assert_error_names(&r, "a/loop");
}

#[cfg(unix)]
#[test]
fn walk_errors_name_paths_without_dot_slash() {
    let dir = tree(&[("good.py", SLEEPY.as_bytes()), ("a/inner.py", CLEAN.as_bytes())]);
    std::os::unix::fs::symlink("..", dir.path().join("a/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", dir.path().join("dangling.py")).unwrap();
    let r = run(dir.path(), &["."]);
    assert_eq!(r.stdout, sleepy_line("good.py"));
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 2, "{}", r.stderr);
    assert!(
        errors[0].starts_with("error: a/loop: directory symlink loop"),
        "{}",
        r.stderr
    );
    assert_eq!(
        errors[1], "error: dangling.py: no such file or directory",
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn file_symlink_loop_and_dangling_symlink_are_errors() {
    let dir = tree(&[("good.py", SLEEPY.as_bytes())]);
    std::os::unix::fs::symlink("self.py", dir.path().join("self.py")).unwrap();
    std::os::unix::fs::symlink("nowhere.py", dir.path().join("dangling.py")).unwrap();
    let r = run(dir.path(), &["."]);
    assert_eq!(exit_code(&r), 2, "{r:?}");
    assert_error_names(&r, "self.py");
    assert_error_names(&r, "dangling.py");
    assert_eq!(r.stdout, sleepy_line("good.py"));
}

#[test]
fn several_bad_inputs_are_all_reported_sorted_with_the_good_file() {
    let dir = tree(&[
        ("good.py", SLEEPY.as_bytes()),
        ("x_bad.py", b"import time\nasync def f(:\n    time.sleep(1)\n"),
        ("y_latin1.py", b"x = '\xff'\n"),
        ("z_nul.py", b"\0"),
    ]);
    let r = run(dir.path(), &[".", "nope.py"]);
    assert_eq!(exit_code(&r), 2, "{r:?}");
    assert_eq!(r.stdout, sleepy_line("good.py"));
    let errors: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 4, "{}", r.stderr);
    for (line, name) in errors.iter().zip(["nope.py", "x_bad.py", "y_latin1.py", "z_nul.py"]) {
        assert!(line.contains(name), "{line} should name {name}\n{}", r.stderr);
    }
    assert!(r.stderr.contains("1 file could not be parsed.\n"), "{}", r.stderr);
    assert!(r.stderr.contains("3 files could not be read.\n"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// 10. Very deep nesting
// ---------------------------------------------------------------------------------------------

fn deep_files() -> Vec<(String, Vec<u8>)> {
    let brackets = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let minus = format!("x = {}1", "-".repeat(100_000));
    let mut files = Vec::new();
    for (name, body) in [("brackets", &brackets), ("minus", &minus)] {
        // Exactly the shape given...
        files.push((format!("{name}.py"), format!("{body}\n").into_bytes()));
        // ...and with the words the prefilter looks for, so that it is really parsed.
        files.push((
            format!("{name}_parsed.py"),
            format!("import time\n# async sleep\n{body}\n").into_bytes(),
        ));
    }
    files.push(("good.py".to_string(), SLEEPY.as_bytes().to_vec()));
    files
}

#[test]
fn deep_nesting_does_not_crash() {
    let files = deep_files();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in &files {
        write(dir.path(), name, bytes);
    }
    for mode in [&[][..], &["--check"], &["--diff"]] {
        let r = run(dir.path(), &[mode, &["."]].concat());
        let code = exit_code(&r);
        assert!((1..=2).contains(&code), "{mode:?}: exit {code}\n{}", r.stderr);
        if mode.is_empty() {
            assert_eq!(r.stdout, sleepy_line("good.py"), "the good file must still be reported");
        }
    }
    let r = run(dir.path(), &["--write", "."]);
    let code = exit_code(&r);
    assert!((0..=2).contains(&code), "write: exit {code}\n{}", r.stderr);
    assert_eq!(read_str(dir.path(), "good.py"), SLEEPY_FIXED);
    for (name, bytes) in &files {
        if name != "good.py" {
            assert_eq!(&read(dir.path(), name), bytes, "{name} must keep its bytes");
        }
    }
}

#[test]
fn deep_nesting_on_stdin_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in deep_files() {
        if name == "good.py" {
            continue;
        }
        let r = run_stdin(dir.path(), &["--write", "-"], &bytes);
        let code = exit_code(&r);
        assert!((0..=2).contains(&code), "{name}: exit {code}\n{}", r.stderr);
        assert_eq!(r.stdout_bytes, bytes, "{name}: the source must come back unchanged");
    }
}

// ---------------------------------------------------------------------------------------------
// 11. Discovery
// ---------------------------------------------------------------------------------------------

#[test]
fn discovery_respects_ignore_files_and_default_excludes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Created in an order unrelated to the output order.
    for name in [
        "z.py",
        "venv/lib.py",
        ".venv/lib.py",
        ".hidden/h.py",
        "build/gen.py",
        "dist/d.py",
        "node_modules/n.py",
        "__pycache__/c.py",
        "site-packages/s.py",
        "ignored.py",
        "dot_ignored.py",
        "sub/ignored_dir/i.py",
        "m/b.py",
        "a.py",
    ] {
        write(d, name, SLEEPY.as_bytes());
    }
    write(d, "not_python.txt", SLEEPY.as_bytes());
    write(d, ".gitignore", b"ignored.py\nignored_dir/\n");
    write(d, ".ignore", b"dot_ignored.py\n");
    assert!(!d.join(".git").exists(), "no git repository is needed");

    let expected = [sleepy_line("a.py"), sleepy_line("m/b.py"), sleepy_line("z.py")].concat();
    let r = run(d, &[]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, expected);
    assert_eq!(r.stderr, "Found 3 problems (3 fixable with --write).\n");

    // --write touches only the discovered files.
    let r = run(d, &["--write"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stderr, "Fixed 3 problems in 3 files.\n");
    for fixed in ["a.py", "m/b.py", "z.py"] {
        assert_eq!(read_str(d, fixed), SLEEPY_FIXED, "{fixed}");
    }
    for skipped in [
        "venv/lib.py",
        ".venv/lib.py",
        ".hidden/h.py",
        "build/gen.py",
        "dist/d.py",
        "node_modules/n.py",
        "__pycache__/c.py",
        "site-packages/s.py",
        "ignored.py",
        "dot_ignored.py",
        "sub/ignored_dir/i.py",
        "not_python.txt",
    ] {
        assert_eq!(read_str(d, skipped), SLEEPY, "{skipped} must not be touched");
    }
}

#[test]
fn explicitly_named_files_are_always_processed() {
    let dir = tree(&[
        ("build/gen.py", SLEEPY.as_bytes()),
        (".hidden/h.py", SLEEPY.as_bytes()),
        ("venv/v.py", SLEEPY.as_bytes()),
        ("ignored.py", SLEEPY.as_bytes()),
        (".gitignore", b"ignored.py\n"),
    ]);
    let r = run(dir.path(), &["venv/v.py", "ignored.py", "build/gen.py", ".hidden/h.py"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(
        r.stdout,
        [
            sleepy_line(".hidden/h.py"),
            sleepy_line("build/gen.py"),
            sleepy_line("ignored.py"),
            sleepy_line("venv/v.py"),
        ]
        .concat()
    );
    // The same file named twice is reported once.
    let r = run(dir.path(), &["build/gen.py", "./build/gen.py"]);
    assert_eq!(r.stdout, sleepy_line("build/gen.py"));
}

#[test]
fn output_order_is_sorted_regardless_of_argument_order() {
    let dir = tree(&[
        ("c.py", SLEEPY.as_bytes()),
        ("a.py", SLEEPY.as_bytes()),
        ("b/x.py", SLEEPY.as_bytes()),
    ]);
    let expected = [sleepy_line("a.py"), sleepy_line("b/x.py"), sleepy_line("c.py")].concat();
    for args in [["c.py", "b", "a.py"], ["a.py", "c.py", "b"], ["b", "c.py", "a.py"]] {
        let r = run(dir.path(), &args);
        assert_eq!(r.stdout, expected, "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 12. --list-rules, --explain, --version
// ---------------------------------------------------------------------------------------------

#[test]
fn list_rules_lists_af003() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["--list-rules"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("AF003"))
        .expect("an AF003 line");
    assert!(line.contains("blocking-sleep"), "{line}");
}

#[test]
fn explain_by_code_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let by_code = run(dir.path(), &["--explain", "AF003"]);
    assert_eq!(by_code.code, Some(0), "{by_code:?}");
    assert!(by_code.stdout.contains("## What it does"), "{}", by_code.stdout);
    assert!(by_code.stdout.contains("blocking-sleep"), "{}", by_code.stdout);
    let by_name = run(dir.path(), &["--explain", "blocking-sleep"]);
    assert_eq!(by_name.code, Some(0), "{by_name:?}");
    assert_eq!(by_name.stdout, by_code.stdout);

    let r = run(dir.path(), &["--explain", "nope"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr.starts_with("error: ") && r.stderr.contains("nope"),
        "{}",
        r.stderr
    );
}

#[test]
fn version_prints_the_version() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["--version"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, format!("asyncfix {}\n", env!("CARGO_PKG_VERSION")));
}

// ---------------------------------------------------------------------------------------------
// 13. Colour
// ---------------------------------------------------------------------------------------------

#[test]
fn color_always_emits_ansi_escapes() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    let r = run(dir.path(), &["--color", "always", "a.py"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stdout.contains("\x1b["), "{:?}", r.stdout);
    // Without the escapes it is the plain report.
    let plain: String = strip_ansi(&r.stdout);
    assert_eq!(plain, sleepy_line("a.py"));

    let r = run(dir.path(), &["--color", "always", "--diff", "a.py"]);
    assert!(r.stdout.contains("\x1b["), "{:?}", r.stdout);
    assert_eq!(strip_ansi(&r.stdout), SLEEPY_DIFF);
}

#[test]
fn color_auto_and_never_emit_none_when_not_a_terminal() {
    let dir = tree(&[("a.py", SLEEPY.as_bytes())]);
    for args in [
        &["--color", "auto", "a.py"][..],
        &["--color", "never", "a.py"],
        &["a.py"],
    ] {
        let r = run(dir.path(), args);
        assert_eq!(r.stdout, sleepy_line("a.py"), "{args:?}");
        assert!(!r.stderr.contains('\x1b'), "{args:?}: {:?}", r.stderr);
    }
    let r = finish(
        asyncfix()
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .args(["--color", "auto", "a.py"]),
    );
    assert_eq!(r.stdout, sleepy_line("a.py"));
    assert!(!r.stderr.contains('\x1b'), "{:?}", r.stderr);
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ params final-byte
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
