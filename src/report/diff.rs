//! Unified diffs with git-style `a/` `b/` headers, so `asyncfix --diff . | git apply` works.

use std::io::{self, Write};
use std::path::Path;

use similar::TextDiff;

use super::Style;

pub fn unified_diff(path: &Path, original: &str, fixed: &str) -> String {
    let name = path.display().to_string().replace('\\', "/");
    TextDiff::from_lines(original, fixed)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

pub fn write_diff(out: &mut dyn Write, path: &Path, original: &str, fixed: &str, style: &Style) -> io::Result<()> {
    let diff = unified_diff(path, original, fixed);
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
