//! Unified diffs with git-style `a/` `b/` headers, so `asyncfix --diff . | git apply` works;
//! for a notebook, one diff per changed cell (`a/nb.ipynb:cell 3`), to read, not to apply.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

use super::Style;
use crate::notebook::cell_texts;
use crate::pipeline::engine::NotebookReport;

pub fn unified_diff(path: &Path, original: &str, fixed: &str) -> String {
    let name = header_name(path);
    TextDiff::from_lines(original, fixed)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

pub fn write_diff(out: &mut dyn Write, path: &Path, original: &str, fixed: &str, style: &Style) -> io::Result<()> {
    write_painted(out, &unified_diff(path, original, fixed), style)
}

/// A notebook's changes: a diff per changed cell, its headers naming the notebook and the
/// cell (`a/nb.ipynb:cell 3`, 1-based, every cell counted), its lines the cell's.
pub fn write_notebook_diff(
    out: &mut dyn Write,
    path: &Path,
    original: &str,
    fixed: &str,
    notebook: &NotebookReport,
    style: &Style,
) -> io::Result<()> {
    let name = header_name(path);
    let old = cell_texts(original, &notebook.notebook.spans);
    let new = cell_texts(fixed, notebook.spans());
    for ((cell, before), (_, after)) in old.iter().zip(&new) {
        if before == after {
            continue;
        }
        let header = format!("{name}:cell {}", cell + 1);
        let diff = TextDiff::from_lines(before.as_str(), after.as_str())
            .unified_diff()
            .context_radius(3)
            .missing_newline_hint(false)
            .header(&format!("a/{header}"), &format!("b/{header}"))
            .to_string();
        // A cell's last line has no line break as a rule: end the diff's last line anyway.
        let diff = if diff.ends_with('\n') {
            diff
        } else {
            format!("{diff}\n")
        };
        write_painted(out, &diff, style)?;
    }
    Ok(())
}

/// The path in `a/` `b/` headers, with `/` separators; an absolute path loses its leading `/`
/// (`a/tmp/x.py`, as `git diff --no-index /tmp/x.py ...` writes it, not `a//tmp/x.py`).
fn header_name(path: &Path) -> String {
    let name = path.display().to_string().replace('\\', "/");
    name.trim_start_matches('/').to_string()
}

fn write_painted(out: &mut dyn Write, diff: &str, style: &Style) -> io::Result<()> {
    if !style_enabled(style) {
        return out.write_all(diff.as_bytes());
    }
    for line in diff.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let painted = if body.starts_with("---") || body.starts_with("+++") {
            style.bold(body)
        } else if body.starts_with("@@") {
            style.hunk(body)
        } else if body.starts_with('-') {
            style.removed(body)
        } else if body.starts_with('+') {
            style.added(body)
        } else {
            body.to_string()
        };
        write!(out, "{painted}{nl}")?;
    }
    Ok(())
}

fn style_enabled(style: &Style) -> bool {
    style.bold("x") != "x"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_the_path_once_prefixed() {
        let diff = unified_diff(Path::new("pkg/m.py"), "a\n", "b\n");
        assert!(diff.starts_with("--- a/pkg/m.py\n+++ b/pkg/m.py\n"), "{diff}");
        let diff = unified_diff(Path::new("/tmp/pkg/m.py"), "a\n", "b\n");
        assert!(diff.starts_with("--- a/tmp/pkg/m.py\n+++ b/tmp/pkg/m.py\n"), "{diff}");
    }
}
