//! Every Python file under `fixes/`: its findings must agree with its `# AFxxx` / `# ok`
//! markers, and what asyncfix prints for it (findings, then the diff of the fixes) is an
//! insta snapshot under `snapshots/`. The fixed text must be stable: a second run fixes nothing.

use std::path::{Path, PathBuf};

use asyncfix::engine::{process, run as run_tree, FileReport};
use asyncfix::report::{diff_text, findings_text};
use asyncfix::rules::Rule;
use asyncfix::settings::{Mode, Settings};
use ruff_source_file::LineIndex;

fn settings(mode: Mode) -> Settings {
    Settings {
        mode,
        rules: Rule::ALL.to_vec(),
        quiet: true,
        ..Settings::default()
    }
}

fn run(path: &Path, text: &str, mode: Mode) -> FileReport {
    let report = process(path.to_path_buf(), false, Ok(text.to_string()), &settings(mode));
    assert!(report.errors.is_empty(), "{}: {:?}", path.display(), report.errors);
    report
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
    let report = run(&rel, &text, Mode::Report);
    check_markers(&rel, &text, &report);

    // What asyncfix prints: the findings, then the diff of the fixes.
    let fixed = run(&rel, &text, Mode::Diff);
    let diff = fixed
        .fixed
        .as_deref()
        .map(|f| diff_text(&rel, &text, f))
        .unwrap_or_default();
    snapshot(
        &rel.file_stem().unwrap().to_string_lossy(),
        format!("{}\n{}", findings_text(&report, &settings(Mode::Report)), diff),
    );

    // Idempotent: the fixed text has nothing left to fix.
    if let Some(fixed_text) = &fixed.fixed {
        let again = run(&rel, fixed_text, Mode::Diff);
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
    let with_paths = |mode| Settings {
        paths: vec![rel.clone()],
        ..settings(mode)
    };
    let report = run_tree(&with_paths(Mode::Report));
    let fixed = run_tree(&with_paths(Mode::Diff));
    let mut out = String::new();
    for file in &report.files {
        assert!(file.errors.is_empty(), "{}: {:?}", file.path.display(), file.errors);
        let text = std::fs::read_to_string(&file.path).unwrap();
        check_markers(&file.path, &text, file);
        out.push_str(&findings_text(file, &settings(Mode::Report)));
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

#[test]
fn projects() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixes");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("__pycache__"))
        .collect();
    dirs.sort();
    for dir in dirs {
        check_project(&dir);
    }
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
    for path in paths {
        check_fixture(&path);
    }
}
