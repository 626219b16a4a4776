//! The GitHub Action's logic (`scripts/action.sh`, called by `action.yml`), run on a fixture
//! repository with a stub `reviewdog` on PATH that records its arguments, its standard input
//! and the token it was given, as a runner would run it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

const SLEEPY: &str = "import time


async def poll():
    time.sleep(1)
    time.sleep(2)  # asyncfix: ignore[AF003]
";

const STUB: &str = r#"#!/bin/sh
printf '%s\n' "$@" > "$STUB_DIR/args"
cat > "$STUB_DIR/stdin"
printf '%s' "$REVIEWDOG_GITHUB_API_TOKEN" > "$STUB_DIR/token"
exit "${STUB_EXIT:-0}"
"#;

struct Fixture {
    _dir: TempDir,
    root: PathBuf,
}

impl Fixture {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        for sub in ["repo", "bin", "stub", "runner"] {
            fs::create_dir_all(root.join(sub)).unwrap();
        }
        for (name, text) in files {
            let path = root.join("repo").join(name);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let stub = root.join("bin/reviewdog");
        fs::write(&stub, STUB).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
        }
        Self { _dir: dir, root }
    }

    fn repo(&self) -> PathBuf {
        self.root.join("repo")
    }

    fn stub(&self, name: &str) -> Option<String> {
        fs::read_to_string(self.root.join("stub").join(name)).ok()
    }

    fn runner(&self, name: &str) -> String {
        fs::read_to_string(self.root.join("runner").join(name)).unwrap_or_default()
    }

    /// Run the action script like the composite action's last step; `env` on top of a
    /// same-repository pull request event.
    fn run(&self, env: &[(&str, &str)]) -> Outcome {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action.sh");
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_asyncfix"))
            .parent()
            .unwrap()
            .to_path_buf();
        let path = format!(
            "{}:{}:{}",
            self.root.join("bin").display(),
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("bash");
        cmd.arg(&script)
            .current_dir(self.repo())
            .env_clear()
            .env("PATH", path)
            .env("HOME", self.root.join("runner"))
            .env("STUB_DIR", self.root.join("stub"))
            .env("RUNNER_TEMP", self.root.join("runner"))
            .env("GITHUB_STEP_SUMMARY", self.root.join("runner/summary.md"))
            .env("GITHUB_OUTPUT", self.root.join("runner/output"))
            .env("GITHUB_EVENT_NAME", "pull_request")
            .env("GITHUB_REPOSITORY", "acme/shop")
            .env("PR_HEAD_REPO", "acme/shop")
            .env("REVIEWDOG_GITHUB_API_TOKEN", "t0ken")
            .env("INPUT_PATHS", ".")
            .env("INPUT_ARGS", "")
            .env("INPUT_FILTER_MODE", "diff_context")
            .env("INPUT_FAIL_LEVEL", "none");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        Outcome {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn project() -> Fixture {
    Fixture::new(&[
        (
            "pyproject.toml",
            "[project]\nname = \"shop\"\n\n[tool.asyncfix]\nextend-exclude = [\"vendor\"]\n",
        ),
        ("shop/service.py", SLEEPY),
        ("vendor/lib.py", SLEEPY),
    ])
}

#[test]
fn suggest_pipes_rdjsonl_to_reviewdog() {
    let f = project();
    let r = f.run(&[("INPUT_MODE", "suggest")]);
    assert_eq!(r.code, 0, "{r:?}");
    let args: Vec<String> = f
        .stub("args")
        .expect("reviewdog ran")
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        args,
        [
            "-f=rdjsonl",
            "-name=asyncfix",
            "-reporter=github-pr-review",
            "-filter-mode=diff_context",
            "-fail-level=none"
        ]
    );
    assert_eq!(f.stub("token").unwrap(), "t0ken");
    let stdin = f.stub("stdin").unwrap();
    let diagnostics: Vec<Value> = stdin.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(diagnostics.len(), 1, "{stdin}");
    let d = &diagnostics[0];
    assert_eq!(d["source"]["name"], "asyncfix");
    assert_eq!(d["code"]["value"], "AF003");
    assert_eq!(d["location"]["path"], "shop/service.py");
    assert_eq!(
        d["location"]["range"]["start"],
        serde_json::json!({"line": 5, "column": 5})
    );
    assert_eq!(
        d["suggestions"][0]["text"],
        // `import asyncio` in isort order, before `import time` (which a suggestion keeps:
        // the import the fix leaves unused goes only when asyncfix applies the fixes).
        "import asyncio\nimport time\n\n\nasync def poll():\n    await asyncio.sleep(1)"
    );
    // No annotations: the findings went to the review.
    assert!(!r.stdout.contains("::warning"), "{}", r.stdout);
    assert_eq!(f.runner("output"), "exit-code=1\n");
    let summary = f.runner("summary.md");
    assert!(summary.contains("### asyncfix"), "{summary}");
    assert!(summary.contains("shop/service.py:5:5: AF003"), "{summary}");
    // The files are not changed.
    assert_eq!(fs::read_to_string(f.repo().join("shop/service.py")).unwrap(), SLEEPY);
}

#[test]
fn suggest_passes_filter_and_fail_level() {
    let f = project();
    let r = f.run(&[
        ("INPUT_MODE", "suggest"),
        ("INPUT_FILTER_MODE", "added"),
        ("INPUT_FAIL_LEVEL", "warning"),
        ("INPUT_REVIEWDOG_FLAGS", "-level=info"),
        ("STUB_EXIT", "1"),
    ]);
    let args = f.stub("args").unwrap();
    assert!(
        args.contains("-filter-mode=added\n-fail-level=warning\n-level=info\n"),
        "{args}"
    );
    // reviewdog reached the fail level: the step fails with one line saying so, not a
    // warning that reviewdog failed, and the findings (already in the review) are not
    // repeated as annotations.
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!r.stdout.contains("reviewdog exited"), "{}", r.stdout);
    assert!(!r.stdout.contains("::warning file="), "{}", r.stdout);
    assert_eq!(
        r.stdout,
        "::error title=asyncfix::findings at fail-level warning or above: see the review comments\n"
    );
    assert_eq!(f.runner("output"), "exit-code=1\n");
    // fail-level error, and only warnings found: reviewdog's exit 1 is a failure of its own.
    let r = f.run(&[
        ("INPUT_MODE", "suggest"),
        ("INPUT_FAIL_LEVEL", "error"),
        ("STUB_EXIT", "1"),
    ]);
    assert!(r.stdout.contains("reviewdog exited with code 1"), "{}", r.stdout);
    // Below the fail level, reviewdog exits 0 and the step passes quietly.
    let r = f.run(&[("INPUT_MODE", "suggest"), ("INPUT_FAIL_LEVEL", "error")]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r:?}");
}

#[test]
fn suggest_falls_back_to_annotations_for_forks() {
    let f = project();
    let r = f.run(&[("INPUT_MODE", "suggest"), ("PR_HEAD_REPO", "someone/shop")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        f.stub("args").is_none(),
        "reviewdog must not run with a read-only token"
    );
    let service = f.repo().join("shop/service.py");
    assert!(
        r.stdout
            .contains("::notice title=asyncfix::review comments cannot be posted"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!(
            "::warning file={},line=5,col=5,endLine=5,endColumn=18,title=asyncfix (AF003)::AF003 ",
            service.display()
        )),
        "{}",
        r.stdout
    );
    // Outside a pull request too.
    let f = project();
    let r = f.run(&[("INPUT_MODE", "suggest"), ("GITHUB_EVENT_NAME", "push")]);
    assert!(f.stub("args").is_none());
    assert!(r.stdout.contains("::warning file="), "{}", r.stdout);
}

#[test]
fn suggest_falls_back_when_reviewdog_fails() {
    let f = project();
    let r = f.run(&[("INPUT_MODE", "suggest"), ("STUB_EXIT", "1")]);
    assert_eq!(r.code, 0, "fail-level none: {r:?}");
    assert!(f.stub("args").is_some());
    assert!(r.stdout.contains("reviewdog exited with code 1"), "{}", r.stdout);
    assert!(r.stdout.contains("::warning file="), "{}", r.stdout);
}

#[test]
fn annotate_prints_annotations_and_a_summary() {
    let f = project();
    let r = f.run(&[("INPUT_MODE", "annotate")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(f.stub("args").is_none());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    assert!(lines[0].starts_with(&format!(
        "::warning file={},line=5,col=5,",
        f.repo().join("shop/service.py").display()
    )));
    let summary = f.runner("summary.md");
    assert!(summary.contains("1 problem(s) found"), "{summary}");
    assert!(summary.contains("```text\n"), "{summary}");
    assert_eq!(f.runner("output"), "exit-code=1\n");
}

#[test]
fn check_fails_on_findings_only() {
    let f = project();
    let r = f.run(&[("INPUT_MODE", "check")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.starts_with("shop/service.py:5:5: AF003 [*] "), "{}", r.stdout);
    // `args` and `paths` reach asyncfix.
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_ARGS", "--ignore AF003")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(f.runner("summary.md").contains("No problems found."));
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_PATHS", "vendor/lib.py pyproject.toml")]);
    assert_eq!(r.code, 2, "a pyproject.toml is not Python: {r:?}");
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_PATHS", "vendor/lib.py")]);
    assert_eq!(r.code, 1, "a named file is checked: {r:?}");
    // An excluded folder named explicitly is checked too, unless --force-exclude (as ruff).
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_PATHS", "vendor")]);
    assert_eq!(r.code, 1, "{r:?}");
    let r = f.run(&[
        ("INPUT_MODE", "check"),
        ("INPUT_PATHS", "vendor"),
        ("INPUT_ARGS", "--force-exclude"),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn errors_fail_every_mode() {
    for mode in ["suggest", "annotate", "check"] {
        let f = Fixture::new(&[("bad.py", "async def f(:\n")]);
        let r = f.run(&[("INPUT_MODE", mode), ("INPUT_PATHS", "bad.py")]);
        assert_eq!(r.code, 2, "{mode}: {r:?}");
        assert!(r.stderr.contains("Failed to parse bad.py"), "{mode}: {}", r.stderr);
        assert_eq!(f.runner("output"), "exit-code=2\n", "{mode}");
    }
    let f = project();
    let r = f.run(&[("INPUT_MODE", "lint")]);
    assert_eq!(r.code, 2);
}

#[test]
fn quoted_arguments_reach_asyncfix_as_single_words() {
    let f = project();
    // A TOML value with spaces and quotes, as one argument of --config.
    let r = f.run(&[
        ("INPUT_MODE", "check"),
        ("INPUT_ARGS", r#"--config 'ignore = ["AF003"]'"#),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "", "{r:?}");
    // The same on several lines, with double quotes.
    let r = f.run(&[
        ("INPUT_MODE", "check"),
        ("INPUT_ARGS", "--config\n\"ignore = ['AF003']\"\n--unsafe-fixes"),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    // Nothing is expanded: a `$(...)` is a word like any other (and not a flag asyncfix knows).
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_ARGS", "'$(touch pwned)'")]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!f.repo().join("pwned").exists());
    // An unmatched quote is an error that says which input.
    let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_ARGS", "--config 'ignore = [")]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.contains("cannot read the args input"), "{}", r.stdout);
}

#[test]
fn paths_with_spaces() {
    let f = Fixture::new(&[("my dir/a b.py", SLEEPY), ("other/c.py", SLEEPY)]);
    for paths in ["'my dir/a b.py'", "\"my dir\"", "my\\ dir", "'my dir'\nother"] {
        let r = f.run(&[("INPUT_MODE", "check"), ("INPUT_PATHS", paths)]);
        assert_eq!(r.code, 1, "{paths:?}: {r:?}");
        assert!(r.stdout.contains("my dir/a b.py:5:5: AF003"), "{paths:?}: {}", r.stdout);
        assert_eq!(
            r.stdout.contains("other/c.py"),
            paths.contains("other"),
            "{paths:?}: {}",
            r.stdout
        );
    }
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository whose base commit has findings on lines 5 and 6 of `shop/old.py` and one in
/// `shop/untouched.py`; the pull request (HEAD) adds a finding at line 16 of `shop/old.py`,
/// more than 3 lines (the diff context) below the others.
fn pull_request() -> (Fixture, String) {
    let old = "import time


async def poll():
    time.sleep(1)
    time.sleep(2)


A = 1
B = 2
C = 3
D = 4
";
    let f = Fixture::new(&[("shop/old.py", old), ("shop/untouched.py", SLEEPY)]);
    let repo = f.repo();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "base"]);
    let base = git(&repo, &["rev-parse", "HEAD"]);
    let new = format!("{old}\n\nasync def more():\n    time.sleep(3)\n");
    fs::write(repo.join("shop/old.py"), new).unwrap();
    git(&repo, &["commit", "-qam", "change"]);
    (f, base)
}

#[test]
fn fork_fallback_annotates_only_the_changed_lines() {
    let (f, base) = pull_request();
    let fork = [
        ("INPUT_MODE", "suggest"),
        ("PR_HEAD_REPO", "someone/shop"),
        ("PR_BASE_SHA", base.as_str()),
    ];
    let r = f.run(&fork);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(f.stub("args").is_none());
    let annotations: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("::warning file=")).collect();
    assert_eq!(annotations.len(), 1, "{}", r.stdout);
    assert!(
        annotations[0].starts_with(&format!(
            "::warning file={},line=16,",
            f.repo().join("shop/old.py").display()
        )),
        "{}",
        r.stdout
    );
    // The summary still lists every finding.
    let summary = f.runner("summary.md");
    assert!(summary.contains("shop/untouched.py:5:5"), "{summary}");
    // filter-mode added: the same.
    let mut env = fork.to_vec();
    env.push(("INPUT_FILTER_MODE", "added"));
    let r = f.run(&env);
    assert_eq!(r.stdout.matches("::warning file=").count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains(",line=16,"), "{}", r.stdout);
    env.pop();
    // filter-mode file: every finding of the changed files; nofilter: all of them.
    env.push(("INPUT_FILTER_MODE", "file"));
    let r = f.run(&env);
    assert_eq!(r.stdout.matches("::warning file=").count(), 3, "{}", r.stdout);
    assert!(!r.stdout.contains("untouched"), "{}", r.stdout);
    env.pop();
    env.push(("INPUT_FILTER_MODE", "nofilter"));
    let r = f.run(&env);
    assert_eq!(r.stdout.matches("::warning file=").count(), 4, "{}", r.stdout);
    // fail-level in the fallback: the findings fail the step.
    let mut env = fork.to_vec();
    env.push(("INPUT_FAIL_LEVEL", "warning"));
    assert_eq!(f.run(&env).code, 1);
    // A base commit that cannot be found (and cannot be fetched): every finding, said so.
    let r = f.run(&[
        ("INPUT_MODE", "suggest"),
        ("PR_HEAD_REPO", "someone/shop"),
        ("PR_BASE_SHA", "0123456789012345678901234567890123456789"),
    ]);
    assert!(r.stdout.contains("changed lines are unknown"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("::warning file=").count(), 4, "{}", r.stdout);
}

#[test]
fn fallback_after_a_reviewdog_failure_is_limited_to_changed_lines_too() {
    let (f, base) = pull_request();
    let r = f.run(&[
        ("INPUT_MODE", "suggest"),
        ("PR_BASE_SHA", base.as_str()),
        ("STUB_EXIT", "3"),
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("reviewdog exited with code 3"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("::warning file=").count(), 1, "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Installing (`scripts/action-install.sh`): a fake action checkout (`_actions/acme/asyncfix/REF`,
// Cargo.toml version 9.8.7), a fake `curl` that serves files from a folder by their name (404
// for the others) and a fake `cargo` that "builds" a stub asyncfix; both log their calls.

const FAKE_CURL: &str = r#"#!/bin/sh
out= url=
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out=$2; shift 2 ;;
    --retry) shift 2 ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
echo "$url" >> "$FAKE_LOG/curl"
name=${url##*/}
if [ ! -f "$FAKE_SERVED/$name" ]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
cp "$FAKE_SERVED/$name" "$out"
"#;

const FAKE_CARGO: &str = r#"#!/bin/sh
echo "$*" >> "$FAKE_LOG/cargo"
root=
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    *) shift ;;
  esac
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "asyncfix 9.8.7 (built from source)"\n' > "$root/bin/asyncfix"
chmod +x "$root/bin/asyncfix"
"#;

const PREBUILT: &str = "#!/bin/sh\necho \"asyncfix 9.8.7 (prebuilt)\"\n";
const MUSL: &str = "x86_64-unknown-linux-musl";

struct Install {
    _dir: TempDir,
    root: PathBuf,
    action: PathBuf,
}

fn executable(path: &Path, text: &str) {
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn sha256_of(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

impl Install {
    /// The action checked out at `action_dir` (under the runner's work folder, e.g.
    /// `_actions/acme/asyncfix/v9.8.7`).
    fn new(action_dir: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        for sub in ["bin", "served", "log", "runner", "tool-cache"] {
            fs::create_dir_all(root.join(sub)).unwrap();
        }
        let action = root.join(action_dir);
        fs::create_dir_all(action.join("src")).unwrap();
        fs::write(
            action.join("Cargo.toml"),
            "[package]\nname = \"asyncfix\"\nversion = \"9.8.7\"\n",
        )
        .unwrap();
        fs::write(action.join("Cargo.lock"), "").unwrap();
        fs::write(action.join("src/main.rs"), "fn main() {}\n").unwrap();
        executable(&root.join("bin/curl"), FAKE_CURL);
        executable(&root.join("bin/cargo"), FAKE_CARGO);
        Self {
            _dir: dir,
            root,
            action,
        }
    }

    /// Serve the release asset of asyncfix VERSION for TARGET as the release workflow makes
    /// it (`scripts/release-archive.sh` on a wheel whose binary is `PREBUILT`), with its
    /// `.sha256` (or one saying `sha256` instead). Returns the asset's name.
    fn serve(&self, version: &str, target: &str, sha256: Option<&str>) -> String {
        let exe = if target.contains("windows") { ".exe" } else { "" };
        let wheel = self.root.join(format!("asyncfix_cli-{version}-py3-none-any.whl"));
        let make_wheel = "import sys, zipfile\n\
            with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
            \x20   z.writestr(sys.argv[2], sys.argv[3])\n";
        let status = Command::new("python3")
            .args(["-c", make_wheel])
            .arg(&wheel)
            .arg(format!("asyncfix_cli-{version}.data/scripts/asyncfix{exe}"))
            .arg(PREBUILT)
            .status();
        assert!(status.unwrap().success());
        let out = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/release-archive.sh"))
            .arg(&wheel)
            .args([target, version])
            .arg(self.root.join("served"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let ext = if exe.is_empty() { "tar.gz" } else { "zip" };
        let asset = format!("asyncfix-{version}-{target}.{ext}");
        let sums = self.root.join("served").join(format!("{asset}.sha256"));
        let real = fs::read_to_string(&sums).unwrap();
        assert_eq!(
            real,
            format!("{}  {asset}\n", sha256_of(&self.root.join("served").join(&asset)))
        );
        if let Some(sum) = sha256 {
            fs::write(&sums, format!("{sum}  {asset}\n")).unwrap();
        }
        asset
    }

    fn log(&self, name: &str) -> String {
        fs::read_to_string(self.root.join("log").join(name)).unwrap_or_default()
    }

    /// `action-install.sh STEP` as action.yml runs it, on a Linux X64 runner unless `env` says
    /// otherwise. The `key` step's outputs are returned as (name, value) pairs in `outputs`.
    fn run(&self, step: &str, env: &[(&str, &str)]) -> (Outcome, Vec<(String, String)>) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action-install.sh");
        let output = self.root.join("runner/output");
        let _ = fs::remove_file(&output);
        let mut cmd = Command::new("bash");
        cmd.arg(&script)
            .arg(step)
            .current_dir(&self.root)
            .env_clear()
            .env("PATH", format!("{}:/usr/bin:/bin", self.root.join("bin").display()))
            .env("HOME", self.root.join("runner"))
            .env("FAKE_LOG", self.root.join("log"))
            .env("FAKE_SERVED", self.root.join("served"))
            .env("GITHUB_ACTION_PATH", &self.action)
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", self.root.join("runner/path"))
            .env("RUNNER_TEMP", self.root.join("runner"))
            .env("RUNNER_TOOL_CACHE", self.root.join("tool-cache"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("INPUT_VERSION", "")
            .env("ACTION_REF", "")
            .env("ACTION_REPOSITORY", "");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let outputs = fs::read_to_string(&output)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let outcome = Outcome {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        (outcome, outputs)
    }

    /// The `key` step's outputs, as a map.
    fn key(&self, env: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
        let (r, outputs) = self.run("key", env);
        assert_eq!(r.code, 0, "{r:?}");
        outputs.into_iter().collect()
    }
}

const LINUX_ASSET: &str = "asyncfix-9.8.7-x86_64-unknown-linux-musl.tar.gz";
const RELEASE: &str = "https://github.com/acme/asyncfix/releases/download/v9.8.7";

#[test]
fn a_release_tag_installs_the_verified_prebuilt_binary_and_caches_it() {
    let f = Install::new("work/_actions/acme/asyncfix/v9.8.7");
    f.serve("9.8.7", MUSL, None);
    let env = [("ACTION_REF", "v9.8.7"), ("ACTION_REPOSITORY", "acme/asyncfix")];
    let key = f.key(&env);
    assert_eq!(key["key"], "asyncfix-9.8.7-x86_64-unknown-linux-musl", "{key:?}");
    assert_eq!(key["method"], "download");
    assert_eq!(key["version"], "9.8.7");
    let dir = PathBuf::from(&key["dir"]);
    assert!(dir.starts_with(f.root.join("tool-cache")), "{key:?}");

    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("asyncfix 9.8.7 (prebuilt)"), "{r:?}");
    assert!(r.stdout.contains("sha256") && r.stdout.contains("verified"), "{r:?}");
    assert_eq!(
        f.log("curl"),
        format!("{RELEASE}/{LINUX_ASSET}\n{RELEASE}/{LINUX_ASSET}.sha256\n")
    );
    assert_eq!(f.log("cargo"), "", "no build");
    assert!(dir.join("bin/asyncfix").is_file());
    assert_eq!(
        fs::read_to_string(f.root.join("runner/path")).unwrap(),
        format!("{}\n", dir.join("bin").display())
    );

    // A cache hit (the folder restored): nothing is downloaded again.
    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("restored from the cache"), "{r:?}");
    assert_eq!(f.log("curl").lines().count(), 2);
}

#[test]
fn the_tag_and_repository_come_from_the_action_path_when_the_context_is_empty() {
    // actions/runner#2473: github.action_ref can be empty in a composite action.
    let f = Install::new("work/_actions/acme/asyncfix/v9.8.7");
    f.serve("9.8.7", MUSL, None);
    assert_eq!(f.key(&[])["method"], "download");
    let (r, _) = f.run("install", &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("(prebuilt)"), "{r:?}");
    assert!(f.log("curl").starts_with(&format!("{RELEASE}/{LINUX_ASSET}\n")));
}

#[test]
fn a_checksum_mismatch_fails_the_step_and_installs_nothing() {
    let f = Install::new("work/_actions/acme/asyncfix/v9.8.7");
    f.serve("9.8.7", MUSL, Some(&"0".repeat(64)));
    let env = [("ACTION_REF", "v9.8.7")];
    let dir = PathBuf::from(&f.key(&env)["dir"]);
    let (r, _) = f.run("install", &env);
    assert_ne!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("::error title=asyncfix::sha256 mismatch for asyncfix-9.8.7-x86_64-unknown-linux-musl.tar.gz"),
        "{r:?}"
    );
    assert!(!dir.join("bin/asyncfix").exists(), "nothing installed (nor cached)");
    assert_eq!(f.log("cargo"), "", "no silent fallback to a build");
    assert!(!f.root.join("runner/path").exists());
}

#[test]
fn a_release_without_the_asset_falls_back_to_a_source_build() {
    let f = Install::new("work/_actions/acme/asyncfix/v9.8.7");
    let env = [("ACTION_REF", "v9.8.7")];
    let dir = PathBuf::from(&f.key(&env)["dir"]);
    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout
            .contains("::warning title=asyncfix::no prebuilt asyncfix 9.8.7 for x86_64-unknown-linux-musl"),
        "{r:?}"
    );
    assert_eq!(
        f.log("cargo"),
        format!(
            "install --locked --root {} --path {}\n",
            dir.display(),
            f.action.display()
        )
    );
    assert!(r.stdout.contains("asyncfix 9.8.7 (built from source)"), "{r:?}");
}

#[test]
fn a_branch_a_local_action_a_foreign_tag_or_an_unknown_platform_builds_from_source() {
    let cases: [(&str, &[(&str, &str)]); 5] = [
        ("work/_actions/acme/asyncfix/main", &[("ACTION_REF", "main")]),
        ("work/_actions/acme/asyncfix/main", &[]),
        // `uses: ./`: the action is the workspace itself.
        ("work/shop/shop", &[]),
        // A tag that is not the action's version (Cargo.toml says 9.8.7).
        ("work/_actions/acme/asyncfix/v1.0.0", &[("ACTION_REF", "v1.0.0")]),
        // No release binary for 32-bit ARM.
        (
            "work/_actions/acme/asyncfix/v9.8.7",
            &[("ACTION_REF", "v9.8.7"), ("RUNNER_ARCH", "ARM")],
        ),
    ];
    for (action_dir, env) in cases {
        let f = Install::new(action_dir);
        f.serve("9.8.7", MUSL, None);
        let key = f.key(env);
        assert_eq!(key["method"], "source", "{action_dir} {env:?}: {key:?}");
        assert!(key["key"].contains("-src-"), "{action_dir} {env:?}: {key:?}");
        let (r, _) = f.run("install", env);
        assert_eq!(r.code, 0, "{action_dir} {env:?}: {r:?}");
        assert_eq!(f.log("curl"), "", "{action_dir} {env:?}: nothing downloaded");
        assert!(
            f.log("cargo").ends_with(&format!(" --path {}\n", f.action.display())),
            "{action_dir} {env:?}: {}",
            f.log("cargo")
        );
        assert!(r.stdout.contains("(built from source)"), "{r:?}");
    }
    // The same source is the same cache entry; a change to it is a new one.
    let f = Install::new("work/_actions/acme/asyncfix/main");
    let before = f.key(&[])["key"].clone();
    assert_eq!(f.key(&[])["key"], before);
    fs::write(f.action.join("src/main.rs"), "fn main() { println!(); }\n").unwrap();
    assert_ne!(f.key(&[])["key"], before);
}

#[test]
fn the_version_input_picks_that_release_else_builds_it_from_crates_io() {
    let f = Install::new("work/_actions/acme/asyncfix/main");
    f.serve("1.2.3", MUSL, None);
    let env = [("INPUT_VERSION", "v1.2.3"), ("ACTION_REF", "main")];
    let key = f.key(&env);
    assert_eq!(key["key"], "asyncfix-1.2.3-x86_64-unknown-linux-musl", "{key:?}");
    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(f.log("curl").starts_with(
        "https://github.com/acme/asyncfix/releases/download/v1.2.3/asyncfix-1.2.3-x86_64-unknown-linux-musl.tar.gz\n"
    ));
    assert_eq!(f.log("cargo"), "");

    // Not released for this platform: crates.io.
    let f = Install::new("work/_actions/acme/asyncfix/main");
    let env = [("INPUT_VERSION", "1.2.3"), ("RUNNER_ARCH", "ARM")];
    let dir = PathBuf::from(&f.key(&env)["dir"]);
    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        f.log("cargo"),
        format!("install --locked --root {} asyncfix --version 1.2.3\n", dir.display())
    );
}

#[test]
fn windows_runners_get_the_zip_and_asyncfix_exe() {
    let f = Install::new("work/_actions/acme/asyncfix/v9.8.7");
    let asset = f.serve("9.8.7", "x86_64-pc-windows-msvc", None);
    assert_eq!(asset, "asyncfix-9.8.7-x86_64-pc-windows-msvc.zip");
    let env = [("ACTION_REF", "v9.8.7"), ("RUNNER_OS", "Windows")];
    let key = f.key(&env);
    assert_eq!(key["key"], "asyncfix-9.8.7-x86_64-pc-windows-msvc", "{key:?}");
    let (r, _) = f.run("install", &env);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(f.log("curl").starts_with(&format!("{RELEASE}/{asset}\n")));
    assert!(PathBuf::from(&key["dir"]).join("bin/asyncfix.exe").is_file());
    assert!(r.stdout.contains("(prebuilt)"), "{r:?}");
}
