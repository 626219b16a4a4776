//! Every Python file under `fixes/`: its findings must agree with its `# AFxxx` / `# ok`
//! markers, and what asyncfix prints for it (findings, then the diff of the fixes) is an
//! insta snapshot under `snapshots/`. The fixed text must be stable: a second run fixes nothing.
//!
//! Each fixture runs under its own rule's selection: the rule its name starts with
//! (`blocking_sleep_trio.py` → `blocking-sleep`, from the registry), plus the rules whose codes
//! its markers name. A fixture named after no rule fails. Every failing fixture is reported,
//! not only the first.

use std::path::{Path, PathBuf};

use asyncfix::cli::settings::{Mode, Settings};
use asyncfix::pipeline::engine::{process, run as run_tree, FileReport};
use asyncfix::registry::Rule;
use asyncfix::report::{diff_text, findings_text};
use ruff_source_file::LineIndex;

fn settings(mode: Mode, rules: &[Rule]) -> Settings {
    Settings {
        mode,
        rules: rules.to_vec(),
        quiet: true,
        ..Settings::default()
    }
}

fn run(path: &Path, text: &str, mode: Mode, rules: &[Rule]) -> FileReport {
    let report = process(path.to_path_buf(), false, Ok(text.to_string()), &settings(mode, rules));
    assert!(report.errors.is_empty(), "{}: {:?}", path.display(), report.errors);
    report
}

/// The rule a fixture is named after: the longest rule name (with `_` for `-`) its file or
/// folder name starts with.
fn named_rule(name: &str) -> Option<Rule> {
    Rule::ALL
        .iter()
        .copied()
        .filter(|r| {
            let prefix = r.name().replace('-', "_");
            name == prefix || name.starts_with(&format!("{prefix}_"))
        })
        .max_by_key(|r| r.name().len())
}

/// The fixture's selection: its named rule and the rules its markers name.
fn selection(name: &str, texts: &[String]) -> Vec<Rule> {
    let rule = named_rule(name).unwrap_or_else(|| panic!("fixture `{name}` is named after no rule of the registry"));
    let mut rules = vec![rule];
    for text in texts {
        for (_, codes, _) in markers(text) {
            for code in codes {
                let marked = Rule::from_code_or_name(&code).unwrap_or_else(|| panic!("{name}: unknown marker {code}"));
                rules.push(marked);
            }
        }
    }
    rules.sort();
    rules.dedup();
    rules
}

/// Marker codes on each line: `# AF003` (found here) or `# ok` (nothing here).
fn markers(text: &str) -> Vec<(usize, Vec<String>, bool)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let comment = line.rsplit_once('#')?.1.trim();
            let codes: Vec<String> = comment
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|w| w.len() == 5 && w.starts_with("AF") && w[2..].chars().all(|c| c.is_ascii_digit()))
                .map(str::to_string)
                .collect();
            let ok = comment == "ok" || comment.starts_with("ok ");
            (!codes.is_empty() || ok).then_some((i + 1, codes, ok))
        })
        .collect()
}

/// Findings agree with the markers, both ways.
fn check_markers(rel: &Path, text: &str, report: &FileReport) {
    let index = LineIndex::from_source_text(text);
    let found: Vec<(usize, String)> = report
        .findings
        .iter()
        .map(|f| (index.line_index(f.range.start()).get(), f.rule.code().to_string()))
        .collect();
    let marks = markers(text);
    for (line, codes, ok) in &marks {
        for code in codes {
            assert!(
                found.contains(&(*line, code.clone())),
                "{}:{line}: expected {code}, found {found:?}",
                rel.display()
            );
        }
        if *ok {
            assert!(
                !found.iter().any(|(l, _)| l == line),
                "{}:{line}: marked ok but found {found:?}",
                rel.display()
            );
        }
    }
    for (line, code) in &found {
        assert!(
            marks.iter().any(|(l, codes, _)| l == line && codes.contains(code)),
            "{}:{line}: {code} found but the line has no `# {code}` marker",
            rel.display()
        );
    }
}

fn snapshot(name: &str, snapshot: String) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name.to_string(), snapshot);
    });
}

fn check_fixture(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let rel = PathBuf::from("fixes").join(path.file_name().unwrap());
    let stem = rel.file_stem().unwrap().to_string_lossy().to_string();
    let rules = selection(&stem, std::slice::from_ref(&text));
    let report = run(&rel, &text, Mode::Report, &rules);
    check_markers(&rel, &text, &report);

    // What asyncfix prints: the findings, then the diff of the fixes.
    let fixed = run(&rel, &text, Mode::Diff, &rules);
    let diff = fixed
        .fixed
        .as_deref()
        .map(|f| diff_text(&rel, &text, f))
        .unwrap_or_default();
    snapshot(
        &rel.file_stem().unwrap().to_string_lossy(),
        format!("{}\n{}", findings_text(&report, &settings(Mode::Report, &rules)), diff),
    );

    // Idempotent: the fixed text has nothing left to fix.
    if let Some(fixed_text) = &fixed.fixed {
        let again = run(&rel, fixed_text, Mode::Diff, &rules);
        assert!(
            again.fixed.is_none(),
            "{}: a second run changes the file again",
            rel.display()
        );
        assert_eq!(again.fixed_count, 0);
    }
}

/// A folder under `fixes/` is a project: analysed as a whole (cross-module resolution),
/// markers checked in every file, one snapshot for all.
fn check_project(dir: &Path) {
    let rel = PathBuf::from("fixes").join(dir.file_name().unwrap());
    let texts: Vec<String> = walk_py(dir)
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let rules = selection(&rel.file_name().unwrap().to_string_lossy(), &texts);
    let with_paths = |mode| Settings {
        paths: vec![rel.clone()],
        ..settings(mode, &rules)
    };
    let report = run_tree(&with_paths(Mode::Report));
    let fixed = run_tree(&with_paths(Mode::Diff));
    let mut out = String::new();
    for file in &report.files {
        assert!(file.errors.is_empty(), "{}: {:?}", file.path.display(), file.errors);
        let text = std::fs::read_to_string(&file.path).unwrap();
        check_markers(&file.path, &text, file);
        out.push_str(&findings_text(file, &settings(Mode::Report, &rules)));
    }
    out.push('\n');
    for file in &fixed.files {
        if let (Some(original), Some(new)) = (&file.original, &file.fixed) {
            out.push_str(&diff_text(&file.path, original, new));
        }
    }
    assert!(!out.trim().is_empty(), "{}: nothing found", rel.display());
    snapshot(&rel.file_name().unwrap().to_string_lossy(), out);
}

/// The Python files below `dir`.
fn walk_py(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk_py(&path));
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Run `check` on every item, then fail naming every item that failed (with its message).
fn check_all(items: Vec<PathBuf>, check: fn(&Path)) {
    let failures: Vec<String> = items
        .iter()
        .filter_map(|item| {
            std::panic::catch_unwind(|| check(item)).err().map(|payload| {
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                format!("{}:\n{message}", item.display())
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n\n{}",
        failures.len(),
        items.len(),
        failures.join("\n\n")
    );
}

#[test]
fn projects() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        // `notebooks/` holds the notebook fixtures of tests/notebooks.rs.
        .filter(|p| p.is_dir() && !p.ends_with("__pycache__") && !p.ends_with("notebooks"))
        .collect();
    dirs.sort();
    check_all(dirs, check_project);
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    // `FIXTURE=blocking_sleep cargo test --test fixtures` checks only the files whose name starts so.
    let only = std::env::var("FIXTURE").ok();
    paths.retain(|p| {
        only.as_ref()
            .is_none_or(|o| p.file_name().unwrap().to_string_lossy().starts_with(o.as_str()))
    });
    check_all(paths, check_fixture);
}
