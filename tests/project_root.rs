//! Files named on the command line (as pre-commit names the changed files) are checked with
//! the knowledge of their project: the folder of the configuration file, else the git root,
//! or `--project-root DIR`; `--no-project-root` checks them on their own. Only the named
//! files are reported.

mod common;

use common::{asyncfix, tree};

const API: &str = "async def fetch(name):\n    return name\n";
const APP: &str = "from pkg.api import fetch\n\n\nasync def main():\n    fetch(1)\n";
/// A finding of its own, never reported when only `pkg/app.py` is named.
const OTHER: &str = "import time\n\n\nasync def tick():\n    time.sleep(1)\n";

#[test]
fn a_named_file_is_checked_with_its_project() {
    let (_dir, root) = tree(&[
        ("pyproject.toml", "[tool.asyncfix]\nselect = [\"AF\"]\n"),
        ("pkg/__init__.py", ""),
        ("pkg/api.py", API),
        ("pkg/app.py", APP),
        ("pkg/other.py", OTHER),
    ]);
    let run = asyncfix(&root, &["pkg/app.py"]);
    assert_eq!(run.code, Some(1), "{}", run.describe());
    assert_eq!(
        run.stdout.lines().filter(|l| l.contains(": AF")).collect::<Vec<_>>(),
        ["pkg/app.py:5:5: AF001 [*] Coroutine `fetch` is called without `await`: it never runs"],
        "{}",
        run.describe()
    );
    assert!(!run.stdout.contains("other.py"), "{}", run.describe());

    // From a subfolder too: the project is still the configuration file's folder.
    let run = asyncfix(&root.join("pkg"), &["app.py"]);
    assert!(run.stdout.contains("app.py:5:5: AF001"), "{}", run.describe());

    // On its own, `fetch` is unknown.
    let run = asyncfix(&root, &["--no-project-root", "pkg/app.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
}

#[test]
fn the_git_root_or_the_chosen_root() {
    let (_dir, root) = tree(&[
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        ("repo/pkg/__init__.py", ""),
        ("repo/pkg/api.py", API),
        ("repo/pkg/app.py", APP),
    ]);
    let repo = root.join("repo");
    let run = asyncfix(&repo, &["pkg/app.py"]);
    assert!(run.stdout.contains("pkg/app.py:5:5: AF001"), "{}", run.describe());

    // No git, no configuration: the named file alone, unless a root is chosen.
    std::fs::remove_dir_all(repo.join(".git")).unwrap();
    let run = asyncfix(&repo, &["pkg/app.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let run = asyncfix(&repo, &["--project-root", ".", "pkg/app.py"]);
    assert!(run.stdout.contains("pkg/app.py:5:5: AF001"), "{}", run.describe());
    let run = asyncfix(&repo, &["--project-root", "missing", "pkg/app.py"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
}

#[test]
fn a_path_outside_the_project_is_checked_on_its_own() {
    // Run in a repository on a folder outside it: the repository's modules are no context
    // of that folder's files (and are not read).
    let (_dir, root) = tree(&[
        ("repo/.git/HEAD", "ref: refs/heads/main\n"),
        ("repo/pkg/__init__.py", ""),
        ("repo/pkg/api.py", API),
        ("elsewhere/app.py", APP),
    ]);
    let repo = root.join("repo");
    let run = asyncfix(&repo, &["../elsewhere"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let run = asyncfix(&repo, &["../elsewhere/app.py"]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    // A named path inside the repository still has it as context (all the named files are
    // then checked as one project, the outside one included).
    let inside = "from pkg.api import fetch\n\n\nasync def go():\n    fetch(2)\n";
    std::fs::write(repo.join("pkg/use.py"), inside).unwrap();
    let run = asyncfix(&repo, &["pkg/use.py", "../elsewhere/app.py"]);
    assert!(
        run.stdout
            .contains("pkg/use.py:5:5: AF001 [*] Coroutine `fetch` is called without `await`"),
        "{}",
        run.describe()
    );
    assert!(!run.stdout.contains("pkg/api.py"), "{}", run.describe());
}
