//! `path:line:col: AF003 [*] message`, one line a finding (columns 1-based, in characters);
//! in a notebook `nb.ipynb:cell 3:2:5: AF004 ...` (the line and column in the cell).

use std::io::{self, Write};

use super::{position_label, Lines, Style};
use crate::cli::settings::Settings;
use crate::fix::apply::is_applicable;
use crate::pipeline::engine::FileReport;

pub fn write_findings(out: &mut dyn Write, file: &FileReport, settings: &Settings, style: &Style) -> io::Result<()> {
    if file.findings.is_empty() {
        return Ok(());
    }
    let lines = Lines::new(file.text());
    let path = file.path.display().to_string();
    for finding in &file.findings {
        let position = position_label(file, &lines, finding.range.start());
        let marker = match &finding.fix {
            Some(fix) if is_applicable(fix, settings.unsafe_fixes) => format!(" {}", style.fixable("[*]")),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}:{position}: {}{marker} {}",
            style.bold(&path),
            style.code(finding.rule.code()),
            finding.message
        )?;
    }
    Ok(())
}
