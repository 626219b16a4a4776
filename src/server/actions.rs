//! Findings as LSP diagnostics, and the code actions on them: a quick fix per finding with a
//! fix (an unsafe one says so), "Disable AF00x for this line", and `source.fixAll.asyncfix`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, TextEdit, Url,
    WorkspaceEdit,
};
use ruff_text_size::{TextRange, TextSize};

use crate::fix::edit::{Applicability, Finding, Fix};
use crate::registry::{Rule, Severity};
use crate::server::position::LineIndex;

/// The kind of the fix-all action (editors run it on save: `codeActionsOnSave`).
pub const FIX_ALL: &str = "source.fixAll.asyncfix";

pub const SOURCE: &str = "asyncfix";

pub fn diagnostic(finding: &Finding, text: &str, lines: &LineIndex) -> Diagnostic {
    let rule = finding.rule;
    Diagnostic {
        range: lines.range(text, finding.range),
        severity: Some(severity(rule)),
        code: Some(NumberOrString::String(rule.code().to_string())),
        code_description: crate::report::rule_url(rule)
            .and_then(|url| Url::parse(&url).ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

fn severity(rule: Rule) -> DiagnosticSeverity {
    match rule.severity() {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
    }
}

/// A text that does not parse: one error diagnostic (the findings beside it are kept).
pub fn syntax_diagnostic(range: TextRange, message: &str, text: &str, lines: &LineIndex) -> Diagnostic {
    Diagnostic {
        range: lines.range(text, range),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("syntax-error".to_string())),
        source: Some(SOURCE.to_string()),
        message: format!("Syntax error: {message} (asyncfix fixes nothing in this file until it parses)"),
        ..Diagnostic::default()
    }
}

fn text_edit(range: TextRange, content: &str, text: &str, lines: &LineIndex) -> TextEdit {
    TextEdit::new(lines.range(text, range), content.to_string())
}

fn workspace_edit(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The quick fix of one finding: its edits (without the clean-up edits it shares with other
/// fixes: alone, it stands without them).
pub fn quick_fix(uri: &Url, finding: &Finding, fix: &Fix, text: &str, lines: &LineIndex) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|e| text_edit(e.range, &e.content, text, lines))
        .collect();
    let unsafe_ = fix.applicability == Applicability::Unsafe;
    let title = format!(
        "{}: {}{}",
        finding.rule.code(),
        fix.message,
        if unsafe_ { " (unsafe fix)" } else { "" }
    );
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(finding, text, lines)]),
        edit: Some(workspace_edit(uri, edits)),
        is_preferred: Some(!unsafe_),
        ..CodeAction::default()
    }
}

/// "Disable AF003 for this line": `# asyncfix: ignore[AF003]` at the end of the line the
/// finding starts on (the code added to an `ignore[...]` already there). `None` where a
/// comment cannot go: the line ends inside a string, or with a `\` continuation.
pub fn disable_for_line(
    uri: &Url,
    finding: &Finding,
    text: &str,
    lines: &LineIndex,
    strings: &[TextRange],
) -> Option<CodeAction> {
    let code = finding.rule.code();
    let line = lines.line_of(finding.range.start().to_usize());
    let start = lines.line_start(line, text);
    let end = lines.line_content_end(line, text);
    let content = &text[start..end];
    let at = TextSize::new(end as u32);
    if content.trim_end().ends_with('\\') || strings.iter().any(|s| s.start() < at && at < s.end()) {
        return None;
    }
    let edit = match existing_directive(content) {
        Some(close) => TextEdit::new(
            lines.range(text, TextRange::empty(TextSize::new((start + close) as u32))),
            format!(", {code}"),
        ),
        None => {
            let trimmed = content.trim_end().len();
            let range = TextRange::new(TextSize::new((start + trimmed) as u32), at);
            text_edit(range, &format!("  # asyncfix: ignore[{code}]"), text, lines)
        }
    };
    Some(CodeAction {
        title: format!("Disable {code} for this line"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(finding, text, lines)]),
        edit: Some(workspace_edit(uri, vec![edit])),
        ..CodeAction::default()
    })
}

/// The offset in `line` of the `]` closing an `# asyncfix: ignore[...]` directive in its
/// trailing comment.
fn existing_directive(line: &str) -> Option<usize> {
    let hash = line.rfind('#')?;
    let comment = &line[hash..];
    let open = comment
        .find("asyncfix: ignore[")
        .or_else(|| comment.find("asyncfix:ignore["))?;
    let close = comment[open..].find(']')?;
    Some(hash + open + close)
}

/// The fix-all action: the fixed text, as one edit of the part that changed.
pub fn fix_all(uri: &Url, text: &str, fixed: &str, lines: &LineIndex) -> CodeAction {
    let prefix = text.bytes().zip(fixed.bytes()).take_while(|(a, b)| a == b).count();
    let mut prefix = prefix;
    while !text.is_char_boundary(prefix) || !fixed.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = text.len().min(fixed.len()) - prefix;
    let mut suffix = text
        .bytes()
        .rev()
        .zip(fixed.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !text.is_char_boundary(text.len() - suffix) || !fixed.is_char_boundary(fixed.len() - suffix) {
        suffix -= 1;
    }
    let range = TextRange::new(
        TextSize::new(prefix as u32),
        TextSize::new((text.len() - suffix) as u32),
    );
    let edit = text_edit(range, &fixed[prefix..fixed.len() - suffix], text, lines);
    CodeAction {
        title: "Fix all asyncfix problems".to_string(),
        kind: Some(CodeActionKind::new(FIX_ALL)),
        edit: Some(workspace_edit(uri, vec![edit])),
        ..CodeAction::default()
    }
}

/// Does a client asking for `only` these kinds want actions of `kind`? (`source` covers
/// `source.fixAll.asyncfix`.)
pub fn wanted(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.strip_prefix(k).is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        let only = [CodeActionKind::SOURCE_FIX_ALL];
        assert!(wanted(Some(&only), FIX_ALL));
        assert!(!wanted(Some(&only), "quickfix"));
        assert!(wanted(None, "quickfix"));
        assert!(!wanted(Some(&[CodeActionKind::new("source.fixAll.ruff")]), FIX_ALL));
    }

    #[test]
    fn directive_already_there() {
        let line = "time.sleep(1)  # asyncfix: ignore[AF001]";
        assert_eq!(existing_directive(line), Some(line.len() - 1));
        assert_eq!(existing_directive("x = '#'"), None);
    }

    #[test]
    fn fix_all_edits_only_what_changed() {
        let uri = Url::parse("file:///x.py").unwrap();
        let text = "é\ntime.sleep(1)\n";
        let fixed = "é\nawait asyncio.sleep(1)\n";
        let action = fix_all(&uri, text, fixed, &LineIndex::new(text));
        let edits = &action.edit.unwrap().changes.unwrap()[&uri];
        assert_eq!(edits[0].new_text, "await asyncio");
        assert_eq!(edits[0].range.start, lsp_types::Position::new(1, 0));
    }
}
