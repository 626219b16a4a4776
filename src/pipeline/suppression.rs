//! Suppression comments.
//!
//! ```python
//! fetch_user(uid)          # asyncfix: ignore[AF001]
//! time.sleep(1)            # asyncfix: ignore[blocking-sleep, missing-await]
//! time.sleep(1)            # asyncfix: ignore            (every rule on this line)
//!
//! # asyncfix: ignore[AF001]                              (own line: the next statement)
//! schedule(
//!     fetch_user(uid),
//! )
//!
//! x()  # noqa: AF001                                     (flake8 / ruff style, codes only)
//! asyncio.create_task(job())  # noqa: RUF006            (a peer's code for the same problem)
//! x()  # noqa                                            (bare: every rule on the line)
//! # asyncfix: file-ignore[AF003]                         (anywhere: the whole file)
//! ```
//!
//! - A trailing comment covers the findings that start on its line, and, on the first line
//!   of a statement that spans several lines, every finding in that statement.
//! - A comment alone on its line (possibly one of several comment lines) covers the
//!   statement that follows it directly.
//! - Codes (`AF001`, case-insensitive) and names (`missing-await`) are accepted, separated by
//!   commas; unknown ones are ignored. `asyncfix:` is case-sensitive; spaces are optional
//!   after `#`, after `:` and inside the brackets. Several directives may share a comment
//!   (`# type: ignore  # asyncfix: ignore[AF003]`).
//! - `# noqa: AF001` is honoured (case-insensitive, as flake8's), and so are the codes of ruff
//!   and flake8-async for the same problem (the registry's peer codes: `RUF006` / `ASYNC300`
//!   silence AF002, `ASYNC251` AF003, `ASYNC220`–`222` AF101, ...). A bare `# noqa` silences
//!   every rule on its line, as ruff and flake8 do. `--ignore-noqa` turns every suppression
//!   comment off.

use ruff_python_ast::token::{TokenKind, Tokens};
use ruff_text_size::{Ranged, TextSize};

use crate::fix::edit::Finding;
use crate::registry::Rule;

/// The rules a directive names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    All,
    Some(Vec<Rule>),
}

impl Codes {
    fn covers(&self, rule: Rule) -> bool {
        match self {
            Codes::All => true,
            Codes::Some(rules) => rules.contains(&rule),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Directive {
    /// `# asyncfix: ignore[...]`, `# noqa: AF001`.
    Ignore(Codes),
    /// `# asyncfix: file-ignore[...]`.
    FileIgnore(Codes),
}

/// The directives in one comment (its text, starting with `#`).
pub fn parse_comment(comment: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for segment in comment.split('#').skip(1) {
        let segment = segment.trim_start();
        if let Some(rest) = segment.strip_prefix("asyncfix:") {
            let rest = rest.trim_start();
            let (file, rest) = if let Some(r) = rest.strip_prefix("file-ignore") {
                (true, r)
            } else if let Some(r) = rest.strip_prefix("ignore") {
                (false, r)
            } else {
                continue;
            };
            let codes = match bracketed(rest) {
                Bracket::None => Codes::All,
                Bracket::Codes(list) => Codes::Some(list.split(',').filter_map(rule).collect()),
                Bracket::Malformed => continue,
            };
            out.push(if file {
                Directive::FileIgnore(codes)
            } else {
                Directive::Ignore(codes)
            });
        } else if let Some(after) = strip_prefix_ignore_ascii_case(segment, "noqa") {
            // `# noqa: CODES` names rules by their codes or by the peer codes they cover
            // (`RUF006` is AF002); a bare `# noqa` silences every rule, as in ruff and flake8.
            let Some(list) = after.trim_start().strip_prefix(':') else {
                if after.is_empty() || after.starts_with(char::is_whitespace) {
                    out.push(Directive::Ignore(Codes::All));
                }
                continue;
            };
            let rules: Vec<Rule> = list
                .split(|c: char| c == ',' || c.is_whitespace())
                .take_while(|w| w.is_empty() || w.chars().all(|c| c.is_ascii_alphanumeric()))
                .filter_map(|w| {
                    Rule::ALL
                        .iter()
                        .copied()
                        .find(|r| r.code().eq_ignore_ascii_case(w))
                        .or_else(|| Rule::from_peer_code(w))
                })
                .collect();
            if !rules.is_empty() {
                out.push(Directive::Ignore(Codes::Some(rules)));
            }
        }
    }
    out
}

/// `text` without `prefix` (ASCII, matched case-insensitively), if it starts with it. Never
/// slices inside a character: comments may hold any text (`# ── notes ──`).
fn strip_prefix_ignore_ascii_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.as_bytes().get(..prefix.len())?;
    // An ASCII prefix matched byte for byte ends on a character boundary.
    head.eq_ignore_ascii_case(prefix.as_bytes())
        .then(|| &text[prefix.len()..])
}

enum Bracket<'a> {
    /// Nothing (or something else) follows `ignore`.
    None,
    Codes(&'a str),
    /// `[` without `]`, or `ignoreX`.
    Malformed,
}

fn bracketed(rest: &str) -> Bracket<'_> {
    match rest.chars().next() {
        None => Bracket::None,
        Some(c) if c.is_whitespace() => Bracket::None,
        Some('[') => match rest[1..].find(']') {
            Some(end) => Bracket::Codes(&rest[1..=end]),
            None => Bracket::Malformed,
        },
        Some(_) => Bracket::Malformed,
    }
}

fn rule(s: &str) -> Option<Rule> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    Rule::from_code_or_name(s)
}

/// A statement (a logical line): where it starts and the first physical line's end.
struct Statement {
    start: TextSize,
    first_line_end: TextSize,
}

/// Drop the findings that a suppression comment covers.
pub fn filter(source: &str, tokens: &Tokens, findings: &mut Vec<Finding>) {
    retain_unsuppressed(source, tokens, findings, |f| f);
}

/// Drop the items whose finding (`finding_of`) a suppression comment covers.
pub fn retain_unsuppressed<T>(
    source: &str,
    tokens: &Tokens,
    findings: &mut Vec<T>,
    finding_of: impl Fn(&T) -> &Finding,
) {
    if findings.is_empty() || !source.contains("asyncfix") && !contains_noqa(source) {
        return;
    }
    // Logical lines, and the directives with where they apply.
    let mut statements: Vec<Statement> = Vec::new();
    let mut at_statement_start = true;
    // (offset of the comment, alone on its line?, the rules it names)
    let mut comments: Vec<(TextSize, bool, Codes)> = Vec::new();
    let mut file_ignores: Vec<Codes> = Vec::new();
    for token in tokens.iter() {
        match token.kind() {
            TokenKind::Comment => {
                let start = usize::from(token.start());
                let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let own_line = source[line_start..start].trim().is_empty();
                let text = &source[token.range()];
                let directives = if own_line {
                    own_line_directives(text)
                } else {
                    parse_comment(text)
                };
                if directives.is_empty() {
                    continue;
                }
                for d in directives {
                    match d {
                        Directive::FileIgnore(codes) => file_ignores.push(codes),
                        Directive::Ignore(codes) => comments.push((token.start(), own_line, codes)),
                    }
                }
            }
            TokenKind::Newline => at_statement_start = true,
            TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent => {}
            _ if at_statement_start => {
                at_statement_start = false;
                statements.push(Statement {
                    start: token.start(),
                    first_line_end: line_end(source, token.start()),
                });
            }
            _ => {}
        }
    }
    if comments.is_empty() && file_ignores.is_empty() {
        return;
    }
    findings.retain(|item| {
        let finding = finding_of(item);
        let rule = finding.rule;
        if file_ignores.iter().any(|c| c.covers(rule)) {
            return false;
        }
        let start = finding.range.start();
        let own_line_end = line_end(source, start);
        let statement = statements
            .partition_point(|s| s.start <= start)
            .checked_sub(1)
            .map(|i| &statements[i]);
        !comments.iter().any(|(offset, own_line, codes)| {
            if !codes.covers(rule) {
                return false;
            }
            if *own_line {
                // Covers the statement that directly follows the comment block.
                statement.is_some_and(|s| *offset < s.start && only_comments_between(source, *offset, s.start))
            } else {
                line_end(source, *offset) == own_line_end
                    || statement.is_some_and(|s| line_end(source, *offset) == s.first_line_end)
            }
        })
    });
}

/// The directives of a comment alone on its line, which cover the next statement: a `noqa`
/// counts only where the comment starts with it (`# noqa: AF003`); one that prose mentions
/// further on (`# ... neither respects fmt:off nor #noqa - so ...`) is not a directive.
fn own_line_directives(comment: &str) -> Vec<Directive> {
    let mut kept = String::with_capacity(comment.len());
    for (i, segment) in comment.split('#').enumerate().skip(1) {
        if i > 1 && strip_prefix_ignore_ascii_case(segment.trim_start(), "noqa").is_some() {
            continue;
        }
        kept.push('#');
        kept.push_str(segment);
    }
    parse_comment(&kept)
}

fn contains_noqa(source: &str) -> bool {
    source.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"noqa"))
}

/// The offset of the end of the physical line holding `offset`.
fn line_end(source: &str, offset: TextSize) -> TextSize {
    let at = usize::from(offset);
    let end = source[at..].find(['\n', '\r']).map_or(source.len(), |i| at + i);
    TextSize::try_from(end).expect("source under 4 GiB")
}

/// Between the comment at `from` and the statement at `to`: only the rest of the comment's
/// line, other comment lines and indentation (no blank line, no code).
fn only_comments_between(source: &str, from: TextSize, to: TextSize) -> bool {
    let between = &source[usize::from(from)..usize::from(to)];
    let mut lines = between.split('\n');
    lines.next(); // the comment itself
    let rest: Vec<&str> = lines.collect();
    let Some((last, middle)) = rest.split_last() else {
        return false; // on the same line: not an own-line comment for this statement
    };
    last.trim().is_empty() && middle.iter().all(|l| l.trim_start().starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        use Directive::*;
        let some = |rules: &[Rule]| Codes::Some(rules.to_vec());
        assert_eq!(
            parse_comment("# asyncfix: ignore[AF001]"),
            vec![Ignore(some(&[Rule::MissingAwait]))]
        );
        assert_eq!(
            parse_comment("#asyncfix:ignore[ af003 , missing-await, ]"),
            vec![Ignore(some(&[Rule::BlockingSleep, Rule::MissingAwait]))]
        );
        assert_eq!(parse_comment("# asyncfix: ignore"), vec![Ignore(Codes::All)]);
        assert_eq!(parse_comment("# asyncfix: ignore  -- legacy"), vec![Ignore(Codes::All)]);
        assert_eq!(parse_comment("# asyncfix: ignore[AF001"), vec![]);
        assert_eq!(parse_comment("# asyncfix: ignored"), vec![]);
        assert_eq!(parse_comment("# Asyncfix: ignore"), vec![]);
        assert_eq!(
            parse_comment("# asyncfix: file-ignore[AF003]"),
            vec![FileIgnore(some(&[Rule::BlockingSleep]))]
        );
        assert_eq!(parse_comment("# noqa"), vec![Ignore(Codes::All)]);
        assert_eq!(parse_comment("# NOQA  reason"), vec![Ignore(Codes::All)]);
        assert_eq!(parse_comment("# noqa123"), vec![]);
        assert_eq!(parse_comment("# noqa: E501"), vec![]);
        assert_eq!(
            parse_comment("# noqa: RUF006"),
            vec![Ignore(some(&[Rule::DanglingTask]))]
        );
        assert_eq!(
            parse_comment("# noqa: ASYNC251, ASYNC221"),
            vec![Ignore(some(&[Rule::BlockingSleep, Rule::BlockingSubprocess]))]
        );
        assert_eq!(
            parse_comment("# NOQA:F401, af001 some reason"),
            vec![Ignore(some(&[Rule::MissingAwait]))]
        );
        assert_eq!(
            parse_comment("# type: ignore  # asyncfix: ignore[AF003]"),
            vec![Ignore(some(&[Rule::BlockingSleep]))]
        );
    }

    #[test]
    fn own_line_noqa_only_at_the_start_of_the_comment() {
        assert_eq!(own_line_directives("# noqa"), vec![Directive::Ignore(Codes::All)]);
        assert_eq!(
            own_line_directives("# noqa: AF003"),
            vec![Directive::Ignore(Codes::Some(vec![Rule::BlockingSleep]))]
        );
        assert_eq!(
            own_line_directives("# and afaict neither respects fmt:off nor #noqa - so I don't know"),
            vec![]
        );
        assert_eq!(
            own_line_directives("# type: ignore  # asyncfix: ignore[AF003]"),
            vec![Directive::Ignore(Codes::Some(vec![Rule::BlockingSleep]))]
        );
    }

    #[test]
    fn non_ascii_comments_are_not_sliced_inside_a_character() {
        // Real comments from litellm: `segment[..4]` used to split the `─` or `—`.
        for comment in [
            "# ── OAuth2 helpers ──",
            "# 4 — on the final flush",
            "#é",
            "# nöqa",
            "#\u{1F600}",
        ] {
            assert_eq!(parse_comment(comment), vec![], "{comment}");
        }
        assert_eq!(
            parse_comment("# ── # noqa: AF001"),
            vec![Directive::Ignore(Codes::Some(vec![Rule::MissingAwait]))]
        );
    }
}
