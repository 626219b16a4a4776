//! GitHub Actions workflow commands:
//! `::error file=/abs/a.py,line=5,col=5,endLine=5,endColumn=18,title=asyncfix (AF001)::AF001 message`.
//!
//! Escaping follows actions/toolkit: in the message `%`, CR and LF become `%25`, `%0D`,
//! `%0A`; in property values `:` and `,` also become `%3A` and `%2C`. As the runner drops
//! `col` and `endColumn` when `line` and `endLine` differ, they are left out then. Paths are
//! absolute: the runner makes those inside the workspace repository-relative.

use std::io::{self, Write};

use super::{absolute_path, cell_position, ErrorItem, Lines};
use crate::pipeline::engine::Outcome;

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    for report in &outcome.files {
        let file = absolute_path(report);
        for error in &report.errors {
            let error = ErrorItem::of(report, error);
            let position = match error.position {
                Some((line, col)) => format!(",line={line},col={col}"),
                None => String::new(),
            };
            writeln!(
                out,
                "::error file={}{position},title={}::{}",
                escape_property(&file),
                escape_property(&format!("asyncfix ({})", error.code)),
                escape_data(&error.message)
            )?;
        }
        if report.findings.is_empty() {
            continue;
        }
        let lines = Lines::new(report.text());
        for finding in &report.findings {
            let (line, col) = lines.chars(finding.range.start());
            let (end_line, end_col) = lines.chars(finding.range.end());
            // A notebook's lines are not the file's: the annotation points at the file, and
            // the message names the cell.
            let cell = cell_position(report, finding.range.start());
            let position = if cell.is_some() {
                String::new()
            } else if line == end_line {
                format!(",line={line},col={col},endLine={end_line},endColumn={end_col}")
            } else {
                format!(",line={line},endLine={end_line}")
            };
            let mut message = match cell {
                Some((cell, line, col)) => {
                    format!("{} cell {cell}:{line}:{col}: {}", finding.rule.code(), finding.message)
                }
                None => format!("{} {}", finding.rule.code(), finding.message),
            };
            if let Some(fix) = &finding.fix {
                message.push_str(&format!("\nhelp: {}", fix.message));
            }
            writeln!(
                out,
                "::{} file={}{position},title={}::{}",
                finding.rule.severity().as_str(),
                escape_property(&file),
                escape_property(&format!("asyncfix ({})", finding.rule.code())),
                escape_data(&message)
            )?;
        }
    }
    Ok(())
}

/// The message of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}
