//! Shared fix builders: what several rules' fixes write the same way.

use ruff_python_ast::token::{parenthesized_range, TokenKind, Tokens};
use ruff_python_ast::{AnyNodeRef, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::Edit;

use crate::model::semantic::CallSite;

/// How `await` goes in front of a call: the text before it and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwaitWrap {
    pub open: &'static str,
    pub close: &'static str,
}

/// The call is already wrapped in its own parentheses: `(f()).x`.
pub fn is_parenthesized(site: &CallSite, tokens: &Tokens) -> bool {
    let parent: AnyNodeRef = match site.parent {
        Some(expr) => expr.into(),
        None => site.stmt.into(),
    };
    parenthesized_range(site.call.into(), parent, tokens).is_some_and(|r| r != site.call.range())
}

/// `await` must be wrapped in parentheses at this call: `f().x` → `(await f()).x`.
pub fn await_needs_parens(site: &CallSite, tokens: &Tokens) -> bool {
    site.is_primary_operand() && !is_parenthesized(site, tokens)
}

/// Await-insertion with precedence, the one place that decides it: nothing when the call is
/// awaited already (`await time.sleep(1)`, a `TypeError` at run time: only the call changes),
/// `(await ` … `)` where the call is the object of an attribute access, call or subscript
/// without its own parentheses, else `await `.
pub fn await_wrap(site: &CallSite, tokens: &Tokens) -> AwaitWrap {
    if matches!(site.parent, Some(Expr::Await(_))) {
        AwaitWrap { open: "", close: "" }
    } else if await_needs_parens(site, tokens) {
        AwaitWrap {
            open: "(await ",
            close: ")",
        }
    } else {
        AwaitWrap {
            open: "await ",
            close: "",
        }
    }
}

/// How many identifier tokens of the file (or of `within`) are `name`, attribute names
/// (after a `.`) aside: every use, binding, keyword argument and f-string expression counts,
/// so a count that matches the uses a fix rewrites proves there is no other (strings aside).
pub fn name_tokens(source: &str, tokens: &Tokens, name: &str, within: TextRange) -> usize {
    let mut previous = None;
    let mut count = 0;
    for t in tokens.iter() {
        if t.kind().is_trivia() {
            continue;
        }
        if t.kind() == TokenKind::Name
            && previous != Some(TokenKind::Dot)
            && within.contains_range(t.range())
            && &source[t.range()] == name
        {
            count += 1;
        }
        previous = Some(t.kind());
    }
    count
}

/// The deletion of a statement that stands alone on its line(s) in a body of more than one
/// statement: from its line start through its newline, and one blank line after it when a
/// blank line or the line opening its block is before it (so that no run of blank lines
/// grows, as between two import sections). `None` when something else shares its lines, or
/// when it is the last line and has no newline.
pub fn statement_deletion(source: &str, stmt: &Stmt) -> Option<Edit> {
    let start = stmt.start().to_usize();
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent = &source[line_start..start];
    if !indent
        .trim_start_matches('\u{feff}')
        .chars()
        .all(|c| matches!(c, ' ' | '\t'))
    {
        return None;
    }
    let rest = &source[stmt.end().to_usize()..];
    let line_len = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let tail = rest[..line_len].trim_start();
    if !(tail.is_empty() || tail.starts_with('#')) || tail.ends_with('\\') {
        return None;
    }
    if line_len == rest.len() {
        // The last line, without a newline: deleting it would change how the file ends.
        return None;
    }
    let mut end = stmt.end().to_usize() + line_len + newline_len(&rest[line_len..]);
    // A blank line before it, or the line opening its block (`def f():`); not the start of
    // the file, where an import may be inserted in its place.
    let blank_before = line_start > 0 && {
        let before = &source[..line_start];
        let before = before
            .strip_suffix("\r\n")
            .or_else(|| before.strip_suffix(['\n', '\r']))
            .unwrap_or(before);
        let previous = before[before.rfind(['\n', '\r']).map_or(0, |i| i + 1)..].trim();
        previous.is_empty() || previous.ends_with(':')
    };
    let next_line = &source[end..];
    let next_len = next_line.find(['\n', '\r']).unwrap_or(next_line.len());
    if blank_before && next_len < next_line.len() && next_line[..next_len].trim().is_empty() {
        end += next_len + newline_len(&next_line[next_len..]);
    }
    let bom = if line_start == 0 && source.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    Some(Edit::deletion(TextRange::new(
        TextSize::try_from(line_start + bom).ok()?,
        TextSize::try_from(end).ok()?,
    )))
}

fn newline_len(text: &str) -> usize {
    if text.starts_with("\r\n") {
        2
    } else {
        usize::from(text.starts_with(['\n', '\r']))
    }
}
