//! `path:line:col: AF003 [*] message`, one line a finding (columns 1-based, in characters).

use std::io::{self, Write};

use ruff_source_file::LineIndex;

use super::Style;
use crate::cli::settings::Settings;
use crate::fix::apply::is_applicable;
use crate::pipeline::engine::FileReport;

pub fn write_findings(out: &mut dyn Write, file: &FileReport, settings: &Settings, style: &Style) -> io::Result<()> {
    if file.findings.is_empty() {
        return Ok(());
    }
    let text = file.text();
    let index = LineIndex::from_source_text(text);
    let path = file.path.display().to_string();
    for finding in &file.findings {
        let loc = index.line_column(finding.range.start(), text);
        let marker = match &finding.fix {
            Some(fix) if is_applicable(fix, settings.unsafe_fixes) => format!(" {}", style.fixable("[*]")),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}:{}:{}: {}{marker} {}",
            style.bold(&path),
            loc.line,
            loc.column,
            style.code(finding.rule.code()),
            finding.message
        )?;
    }
    Ok(())
}
