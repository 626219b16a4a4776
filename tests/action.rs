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
