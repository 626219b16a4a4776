//! Configuration: discovery (closest wins; `.asyncfix.toml` > `asyncfix.toml` >
//! `pyproject.toml [tool.asyncfix]`; a pyproject without the table is skipped; the user
//! configuration as a fallback), `--config PATH`, `--config 'KEY = VALUE'`, `--isolated`,
//! command-line precedence, errors naming file, line and key, per-file ignores, excludes and
//! the target version inferred from `requires-python`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

const SLEEPY: &str = "import time\n\n\nasync def poll():\n    time.sleep(1)\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temporary tree; the binary runs with a HOME and XDG_CONFIG_HOME inside it, so that
/// the user's own configuration never leaks in.
struct Tree {
    dir: TempDir,
}

impl Tree {
    fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("home")).unwrap();
        let tree = Self { dir };
        for (name, text) in files {
            tree.write(name, text);
        }
        tree
    }

    fn path(&self, rel: &str) -> PathBuf {
        // Canonical, so that paths printed by the binary (which resolves the cwd) compare equal.
        fs::canonicalize(self.dir.path()).unwrap().join(rel)
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn command(&self, cwd: &str) -> Command {
        let mut cmd = Command::cargo_bin("asyncfix").unwrap();
        cmd.current_dir(self.path(cwd))
            .env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("home/.config"))
            .env_remove("ASYNCFIX_OUTPUT_FORMAT")
            .env_remove("NO_COLOR");
        cmd
    }

    fn run(&self, cwd: &str, args: &[&str]) -> Run {
        let out = self.command(cwd).args(args).output().unwrap();
        Run {
            code: out.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `--show-settings` as key → value (the text after ` = `, comments included).
    fn settings(&self, cwd: &str, args: &[&str]) -> Vec<(String, String)> {
        let mut all = vec!["--show-settings"];
        all.extend_from_slice(args);
        let r = self.run(cwd, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
            .lines()
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn setting(&self, cwd: &str, args: &[&str], key: &str) -> String {
        self.settings(cwd, args)
            .into_iter()
            .find(|(k, _)| k == key)
            .unwrap_or_else(|| panic!("no `{key}` in --show-settings"))
            .1
    }

    fn files(&self, cwd: &str, args: &[&str]) -> Vec<String> {
        let mut all = vec!["--show-files"];
        all.extend_from_slice(args);
        let r = self.run(cwd, &all);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().map(str::to_string).collect()
    }

    fn config_file(&self, cwd: &str, args: &[&str]) -> String {
        self.setting(cwd, args, "config-file")
    }
}

/// How `--show-settings` lists every rule of the registry but `except`.
fn rules_except(except: &[&str]) -> String {
    let codes: Vec<String> = asyncfix::registry::Rule::ALL
        .iter()
        .map(|r| r.code())
        .filter(|c| !except.contains(c))
        .map(|c| format!("{c:?}"))
        .collect();
    format!("[{}]", codes.join(", "))
}

fn quoted(p: &Path) -> String {
    format!("{:?}", p.display().to_string())
}

// -------------------------------------------------------------------------------------------
// Discovery and precedence
// -------------------------------------------------------------------------------------------

#[test]
fn no_configuration_means_defaults() {
    let t = Tree::new(&[("a.py", SLEEPY)]);
    assert_eq!(t.config_file("", &[]), "none");
    assert_eq!(t.setting("", &[], "rules"), rules_except(&[]));
    assert_eq!(t.setting("", &[], "target-version"), "\"py39\"  # default");
    assert_eq!(t.setting("", &[], "output-format"), "\"concise\"");
}

#[test]
fn found_by_walking_up_from_the_current_directory() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\nignore = [\"AF004\"]\n"),
        ("src/pkg/a.py", SLEEPY),
    ]);
    assert_eq!(t.config_file("src/pkg", &[]), quoted(&t.path("pyproject.toml")));
    assert_eq!(t.setting("src/pkg", &[], "rules"), rules_except(&["AF004"]));
}

#[test]
fn the_closest_wins_and_in_one_folder_dot_asyncfix_first() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\nselect = [\"AF001\"]\n"),
        ("sub/pyproject.toml", "[tool.asyncfix]\nselect = [\"AF002\"]\n"),
        ("sub/asyncfix.toml", "select = [\"AF003\"]\n"),
        ("sub/.asyncfix.toml", "select = [\"AF004\"]\n"),
        ("sub/deeper/x.py", ""),
    ]);
    assert_eq!(t.config_file("", &[]), quoted(&t.path("pyproject.toml")));
    assert_eq!(t.config_file("sub/deeper", &[]), quoted(&t.path("sub/.asyncfix.toml")));
    assert_eq!(t.setting("sub/deeper", &[], "rules"), r#"["AF004"]"#);
    fs::remove_file(t.path("sub/.asyncfix.toml")).unwrap();
    assert_eq!(t.config_file("sub", &[]), quoted(&t.path("sub/asyncfix.toml")));
    fs::remove_file(t.path("sub/asyncfix.toml")).unwrap();
    assert_eq!(t.config_file("sub", &[]), quoted(&t.path("sub/pyproject.toml")));
    // No merging with the parent: the parent's select is not seen.
    assert_eq!(t.setting("sub", &[], "rules"), r#"["AF002"]"#);
}

#[test]
fn a_pyproject_without_the_table_is_skipped() {
    let t = Tree::new(&[
        ("asyncfix.toml", "ignore = [\"AF001\"]\n"),
        (
            "app/pyproject.toml",
            "[project]\nname = \"app\"\n\n[tool.ruff]\nline-length = 100\n",
        ),
        ("app/broken/pyproject.toml", "this is [not toml\n"),
    ]);
    assert_eq!(t.config_file("app/broken", &[]), quoted(&t.path("asyncfix.toml")));
}

#[test]
fn user_configuration_is_the_fallback() {
    let t = Tree::new(&[
        ("home/.config/asyncfix/asyncfix.toml", "ignore = [\"AF002\"]\n"),
        ("proj/a.py", SLEEPY),
    ]);
    assert_eq!(
        t.config_file("proj", &[]),
        quoted(&t.path("home/.config/asyncfix/asyncfix.toml"))
    );
    assert_eq!(t.setting("proj", &[], "rules"), rules_except(&["AF002"]));
    // A project configuration wins over it.
    t.write("proj/asyncfix.toml", "");
    assert_eq!(t.config_file("proj", &[]), quoted(&t.path("proj/asyncfix.toml")));
}

#[test]
fn isolated_ignores_every_file() {
    let t = Tree::new(&[
        (
            "pyproject.toml",
            "[project]\nrequires-python = \">=3.12\"\n[tool.asyncfix]\nselect = [\"AF001\"]\n",
        ),
        ("home/.config/asyncfix/asyncfix.toml", "select = [\"AF002\"]\n"),
    ]);
    let s = t.settings("", &["--isolated"]);
    let get = |k: &str| s.iter().find(|(key, _)| key == k).unwrap().1.clone();
    assert_eq!(get("config-file"), "none");
    assert_eq!(get("rules"), rules_except(&[]));
    assert_eq!(get("target-version"), "\"py39\"  # default");
    // A broken configuration does not matter either.
    t.write("pyproject.toml", "[tool.asyncfix]\nselct = 1\n");
    assert_eq!(t.run("", &["--isolated", "--show-settings"]).code, 0);
    let r = t.run("", &["--isolated", "--config", "pyproject.toml"]);
    assert_eq!(r.code, 2);
}

#[test]
fn config_names_a_file() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\nselect = [\"AF001\"]\n"),
        ("ci/strict.toml", "select = [\"AF003\"]\nunsafe-fixes = true\n"),
        ("ci/pyproject.toml", "[tool.asyncfix]\nselect = [\"AF004\"]\n"),
        ("ci/empty/pyproject.toml", "[project]\nname = \"x\"\n"),
    ]);
    assert_eq!(
        t.config_file("", &["--config", "ci/strict.toml"]),
        quoted(&t.path("ci/strict.toml"))
    );
    assert_eq!(t.setting("", &["--config", "ci/strict.toml"], "rules"), r#"["AF003"]"#);
    assert_eq!(t.setting("", &["--config", "ci/strict.toml"], "unsafe-fixes"), "true");
    assert_eq!(
        t.setting("", &["--config", "ci/pyproject.toml"], "rules"),
        r#"["AF004"]"#
    );
    // A named pyproject.toml must have the table; a missing file is an error.
    let r = t.run("", &["--config", "ci/empty/pyproject.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no [tool.asyncfix] table"), "{}", r.stderr);
    let r = t.run("", &["--config", "nope.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.toml"), "{}", r.stderr);
}

#[test]
fn config_key_value_overrides_the_file() {
    let t = Tree::new(&[(
        "pyproject.toml",
        "[tool.asyncfix]\nselect = [\"AF001\"]\nunsafe-fixes = true\n",
    )]);
    let args = ["--config", "select = [\"AF002\", \"AF003\"]"];
    assert_eq!(t.setting("", &args, "rules"), r#"["AF002", "AF003"]"#);
    assert_eq!(t.setting("", &args, "unsafe-fixes"), "true");
    let args = ["--config", "missing-await.extra-coroutine-functions = [\"lib.f\"]"];
    assert_eq!(t.setting("", &args, "extra-coroutine-functions"), r#"["lib.f"]"#);
    let r = t.run("", &["--config", "selct = 1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown key `selct`"), "{}", r.stderr);
}

#[test]
fn command_line_overrides_the_file() {
    let t = Tree::new(&[(
        "pyproject.toml",
        "[tool.asyncfix]\nselect = [\"AF001\", \"AF003\"]\nignore = [\"AF003\"]\nunsafe-fixes = true\noutput-format = \"json\"\ntarget-version = \"py311\"\nrespect-gitignore = false\n",
    )]);
    assert_eq!(t.setting("", &[], "rules"), r#"["AF001"]"#);
    // --select replaces the file's selection; the file's ignore applied before it.
    assert_eq!(t.setting("", &["--select", "AF003"], "rules"), r#"["AF003"]"#);
    assert_eq!(
        t.setting("", &["--extend-select", "AF004"], "rules"),
        r#"["AF001", "AF004"]"#
    );
    assert_eq!(t.setting("", &["--ignore", "AF001"], "rules"), "[]");
    assert_eq!(t.setting("", &[], "unsafe-fixes"), "true");
    assert_eq!(t.setting("", &["--no-unsafe-fixes"], "unsafe-fixes"), "false");
    assert_eq!(t.setting("", &[], "output-format"), "\"json\"");
    assert_eq!(
        t.setting("", &["--output-format", "sarif"], "output-format"),
        "\"sarif\""
    );
    let via_env = t
        .command("")
        .env("ASYNCFIX_OUTPUT_FORMAT", "github")
        .arg("--show-settings")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&via_env.stdout).contains("output-format = \"github\""));
    assert!(t.setting("", &[], "target-version").starts_with("\"py311\""));
    assert!(t
        .setting("", &["--target-version", "py313"], "target-version")
        .starts_with("\"py313\""));
    assert_eq!(t.setting("", &[], "respect-gitignore"), "false");
    assert_eq!(t.setting("", &["--respect-gitignore"], "respect-gitignore"), "true");
}

#[test]
fn output_format_from_the_file_is_used() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\noutput-format = \"json-lines\"\n"),
        ("a.py", SLEEPY),
    ]);
    let r = t.run("", &["a.py"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(v["code"], "AF003");
}

// -------------------------------------------------------------------------------------------
// Errors: file, line and key
// -------------------------------------------------------------------------------------------

#[test]
fn unknown_key_names_file_line_and_key() {
    let t = Tree::new(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.asyncfix]\nselect = [\"AF\"]\nselct = [\"AF001\"]\n",
        ),
        ("a.py", SLEEPY),
    ]);
    let r = t.run("", &["a.py"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    let expected = format!("{}:6:1: unknown key `selct`", t.path("pyproject.toml").display());
    assert!(r.stderr.contains(&expected), "{}", r.stderr);
    // In a per-rule table too.
    t.write(
        "pyproject.toml",
        "[tool.asyncfix.missing-await]\nextra-coroutine = []\n",
    );
    let r = t.run("", &["a.py"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("pyproject.toml:2:1: unknown key `extra-coroutine`"),
        "{}",
        r.stderr
    );
}

#[test]
fn malformed_files_and_bad_values_are_errors_with_positions() {
    let t = Tree::new(&[("a.py", SLEEPY)]);
    let cases = [
        ("asyncfix.toml", "select = [\"AF001\"\n", "asyncfix.toml:1:"),
        ("asyncfix.toml", "unsafe-fixes = \"yes\"\n", "asyncfix.toml:1:16"),
        (
            "asyncfix.toml",
            "\nignore = [\"AF001\", \"E501\"]\n",
            "asyncfix.toml:2:20: `ignore`: unknown rule selector `E501`",
        ),
        (
            "asyncfix.toml",
            "output-format = \"xml\"\n",
            "asyncfix.toml:1:17: unknown variant `xml`",
        ),
        (
            "asyncfix.toml",
            "target-version = \"3.10\"\n",
            "asyncfix.toml:1:18: `target-version`",
        ),
        (
            "asyncfix.toml",
            "line-length = 0\n",
            "asyncfix.toml:1:15: `line-length`: invalid line length `0` (expected 1 to 320)",
        ),
        (
            "asyncfix.toml",
            "[per-file-ignores]\n\"x.py\" = [\"nope\"]\n",
            "asyncfix.toml:2:11: `per-file-ignores`",
        ),
        (
            "pyproject.toml",
            "[tool.asyncfix]\nexclude = \"build\"\n",
            "pyproject.toml:2:11",
        ),
    ];
    for (name, text, expected) in cases {
        let _ = fs::remove_file(t.path("asyncfix.toml"));
        let _ = fs::remove_file(t.path("pyproject.toml"));
        t.write(name, text);
        let r = t.run("", &["a.py"]);
        assert_eq!(r.code, 2, "{text}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{text}: expected {expected:?} in {}",
            r.stderr
        );
        assert_eq!(r.stdout, "", "{text}");
    }
}

// -------------------------------------------------------------------------------------------
// Per-file ignores and excludes
// -------------------------------------------------------------------------------------------

#[test]
fn per_file_ignores() {
    let t = Tree::new(&[
        (
            "pyproject.toml",
            "[tool.asyncfix.per-file-ignores]\n\"tests/**/*.py\" = [\"AF003\"]\n\"conftest.py\" = [\"blocking-sleep\"]\n",
        ),
        ("tests/unit/test_a.py", SLEEPY),
        ("src/conftest.py", SLEEPY),
        ("src/app.py", SLEEPY),
    ]);
    let r = t.run("", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("src/app.py:5:5: AF003"), "{}", r.stdout);
    // Globs are relative to the configuration file, not to the current directory.
    let r = t.run("tests", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Standard input is matched by its --stdin-filename.
    let out = t
        .command("")
        .args(["--stdin-filename", "tests/unit/test_b.py"])
        .write_stdin(SLEEPY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn extend_exclude_and_exclude() {
    let t = Tree::new(&[
        (
            "pyproject.toml",
            "[tool.asyncfix]\nextend-exclude = [\"migrations\", \"src/generated/*.py\"]\n",
        ),
        ("src/app.py", SLEEPY),
        ("src/generated/g.py", SLEEPY),
        ("src/db/migrations/0001.py", SLEEPY),
        ("build/lib/app.py", SLEEPY),
        (".hidden/h.py", SLEEPY),
    ]);
    assert_eq!(t.files("", &[]), vec!["src/app.py"]);
    // The same from a subdirectory: globs stay relative to the configuration file.
    assert_eq!(t.files("src", &[]), vec!["app.py"]);
    // `exclude` replaces the defaults: `build` is walked now.
    t.write("pyproject.toml", "[tool.asyncfix]\nexclude = [\"generated\"]\n");
    assert_eq!(
        t.files("", &[]),
        vec!["build/lib/app.py", "src/app.py", "src/db/migrations/0001.py"]
    );
    // Command-line flags: --exclude replaces, --extend-exclude adds (relative to the cwd).
    assert_eq!(
        t.files("", &["--exclude", "build,migrations"]),
        vec!["src/app.py", "src/generated/g.py"]
    );
    assert_eq!(
        t.files("", &["--extend-exclude", "src/db"]),
        vec!["build/lib/app.py", "src/app.py"]
    );
}

#[test]
fn excluded_folders_are_not_checked() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\nextend-exclude = [\"legacy\"]\n"),
        ("app.py", SLEEPY),
        ("legacy/old.py", SLEEPY),
    ]);
    let r = t.run("", &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().collect::<Vec<_>>().len(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("app.py:"), "{}", r.stdout);
}

#[test]
fn force_exclude_applies_to_named_paths_and_stdin() {
    let t = Tree::new(&[
        ("pyproject.toml", "[tool.asyncfix]\nextend-exclude = [\"legacy\"]\n"),
        ("app.py", SLEEPY),
        ("legacy/old.py", SLEEPY),
    ]);
    // Named explicitly: checked, unless --force-exclude.
    assert_eq!(t.files("", &["legacy/old.py"]), vec!["legacy/old.py"]);
    assert_eq!(
        t.files("", &["--force-exclude", "legacy/old.py", "app.py"]),
        vec!["app.py"]
    );
    assert_eq!(t.files("", &["--force-exclude", "legacy"]), Vec::<String>::new());
    let r = t.run("", &["--force-exclude", "legacy/old.py"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let r = t.run("", &["--force-exclude", "--write", "legacy/old.py"]);
    assert_eq!(r.code, 0);
    assert_eq!(fs::read_to_string(t.path("legacy/old.py")).unwrap(), SLEEPY);
    // force-exclude in the file works the same.
    t.write(
        "pyproject.toml",
        "[tool.asyncfix]\nextend-exclude = [\"legacy\"]\nforce-exclude = true\n",
    );
    assert_eq!(t.files("", &["legacy/old.py"]), Vec::<String>::new());
    assert_eq!(
        t.files("", &["--no-force-exclude", "legacy/old.py"]),
        vec!["legacy/old.py"]
    );
    // Standard input named into an excluded folder is echoed back untouched under --write.
    let out = t
        .command("")
        .args(["--write", "--stdin-filename", "legacy/new.py", "-"])
        .write_stdin(SLEEPY)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), SLEEPY);
}

#[test]
fn gitignore_can_be_ignored() {
    let t = Tree::new(&[(".gitignore", "gen/\n"), ("gen/g.py", SLEEPY), ("a.py", SLEEPY)]);
    assert_eq!(t.files("", &[]), vec!["a.py"]);
    assert_eq!(t.files("", &["--no-respect-gitignore"]), vec!["a.py", "gen/g.py"]);
    t.write("asyncfix.toml", "respect-gitignore = false\n");
    assert_eq!(t.files("", &[]), vec!["a.py", "gen/g.py"]);
}

// -------------------------------------------------------------------------------------------
// Target version, per-rule options
// -------------------------------------------------------------------------------------------

#[test]
fn target_version_is_inferred_from_requires_python() {
    let t = Tree::new(&[(
        "pyproject.toml",
        "[project]\nrequires-python = \">=3.10, <4\"\n\n[tool.asyncfix]\n",
    )]);
    let v = t.setting("", &[], "target-version");
    assert!(v.starts_with("\"py310\"  # requires-python = \">=3.10, <4\""), "{v}");
    // Also from a pyproject.toml without [tool.asyncfix], next to another configuration.
    t.write("pyproject.toml", "[project]\nrequires-python = \"~=3.12\"\n");
    assert!(t.setting("", &[], "target-version").starts_with("\"py312\""));
    t.write("asyncfix.toml", "");
    assert!(t.setting("", &[], "target-version").starts_with("\"py312\""));
    // target-version wins over requires-python, the flag over both.
    t.write("asyncfix.toml", "target-version = \"py311\"\n");
    assert!(t.setting("", &[], "target-version").starts_with("\"py311\""));
    assert!(t
        .setting("", &["--target-version", "py39"], "target-version")
        .starts_with("\"py39\""));
    let r = t.run("", &["--target-version", "3.9"]);
    assert_eq!(r.code, 2);
}

#[test]
fn line_length_comes_from_ruff_or_black_unless_set() {
    let t = Tree::new(&[("pyproject.toml", "[tool.black]\nline-length = 100\n")]);
    assert_eq!(
        t.setting("", &[], "line-length"),
        format!("100  # from {}", t.path("pyproject.toml").display())
    );
    // ruff's table wins over black's; without `line-length`, ruff's default.
    t.write(
        "pyproject.toml",
        "[tool.black]\nline-length = 100\n\n[tool.ruff]\nfix = true\n",
    );
    assert!(t.setting("", &[], "line-length").starts_with("88  # from "));
    t.write("sub/ruff.toml", "line-length = 120\n");
    assert!(t.setting("sub", &[], "line-length").starts_with("120  # from "));
    // asyncfix's own key wins; --isolated reads no configuration at all.
    t.write("sub/asyncfix.toml", "line-length = 79\n");
    assert!(t
        .setting("sub", &[], "line-length")
        .starts_with("79  # line-length in "));
    assert_eq!(t.setting("sub", &["--isolated"], "line-length"), "88  # default");
    assert!(t
        .setting("sub", &["--isolated", "--config", "line-length = 99"], "line-length")
        .starts_with("99  # line-length in --config"));
}

#[test]
fn extra_coroutine_functions_reach_the_passes() {
    let t = Tree::new(&[(
        "pyproject.toml",
        "[tool.asyncfix.missing-await]\nextra-coroutine-functions = [\"mylib.db.fetch\", \"mylib.Client.send\"]\n",
    )]);
    assert_eq!(
        t.setting("", &[], "extra-coroutine-functions"),
        r#"["mylib.db.fetch", "mylib.Client.send"]"#
    );
}

// -------------------------------------------------------------------------------------------
// Exit codes and output file
// -------------------------------------------------------------------------------------------

#[test]
fn exit_zero_masks_findings_but_not_errors() {
    let t = Tree::new(&[("a.py", SLEEPY)]);
    let r = t.run("", &["--exit-zero", "a.py"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("AF003"));
    t.write("bad.py", "async def f(:\n");
    let r = t.run("", &["--exit-zero", "a.py", "bad.py"]);
    assert_eq!(r.code, 2);
}

#[test]
fn output_file_takes_the_findings() {
    let t = Tree::new(&[("a.py", SLEEPY)]);
    let r = t.run("", &["-o", "out/report.json", "--output-format", "json", "a.py"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("Found 1 problem"), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(t.path("out/report.json")).unwrap()).unwrap();
    assert_eq!(v[0]["code"], "AF003");
    // The diff goes there too.
    let r = t.run("", &["--diff", "--output-file", "fix.patch", "a.py"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    assert!(fs::read_to_string(t.path("fix.patch"))
        .unwrap()
        .starts_with("--- a/a.py\n+++ b/a.py\n"));
    // An output file that cannot be created is an error.
    t.write("blocker", "");
    let r = t.run("", &["-o", "blocker/x.json", "a.py"]);
    assert_eq!(r.code, 2);
}
