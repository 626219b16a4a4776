//! Laying out a rewritten expression as `ruff format` lays it out, for the few shapes fixes
//! write (a call rewritten: `f()` → `await f()`, `time.sleep(x)` → `await asyncio.sleep(x)`,
//! `asyncio.run(c)` → `await c`, `f(a)` → `await asyncio.to_thread(f, a)`).
//!
//! The model is a small copy of ruff's formatter IR (groups, soft line breaks, conditional
//! content, `fits_expanded`) and of its printer, fed by a builder that mirrors what ruff's
//! `ruff_python_formatter` emits for calls, attributes and call chains, subscripts, `await`,
//! unary, binary and boolean operators (two operands, or one boolean operator), comparisons,
//! dicts, lists and literals kept as written, and the optional parentheses around a statement's
//! value or an `if`/`while` test. It is trusted only where it reproduces the original text
//! exactly ([`relayout`] first lays out the original expression and compares): the original was
//! laid out as ruff lays it out, and the model knows every node in it. Whatever it does not
//! model (a comment inside the expression, a pragma comment after it, a tuple, a
//! comprehension, a lambda, a multi-line string, nested operators, several assignment targets,
//! an expression statement or test whose first line is too long even broken, where ruff weighs
//! parentheses) makes it give up, and the fix keeps its plain splice.
//!
//! The line length is the project's (`Place::line_width`: asyncfix's `line-length`, else
//! ruff's or black's, else ruff's default 88; see `cli::config::find_line_length`). The
//! ignored test `fuzz::layout_fuzz` checks the model against ruff on a directory of formatted
//! files.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{CmpOp, Expr, Operator, UnaryOp};
use ruff_python_parser::parse_expression;
use ruff_text_size::{Ranged, TextRange};

/// ruff's default line length (`line-length = 88`).
pub const DEFAULT_LINE_WIDTH: usize = 88;
/// ruff's default indentation (`indent-width = 4`, spaces).
const INDENT: &str = "    ";

/// Where the expression sits: the text before it on its line (the indentation of its
/// statement and the statement's head, `x = ` or `if `), and the text after it on its last
/// line (`:` after an `if` test).
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    pub indent: &'a str,
    pub head: &'a str,
    pub tail: &'a str,
    /// Where the expression is: a statement's value, or the test of an `if`/`elif`/`while`.
    pub position: Position,
    pub newline: &'a str,
    /// The project's line length (ruff's `line-length`).
    pub line_width: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// The value of an expression statement.
    Value,
    /// The value of an assignment or a `return`, which ruff parenthesizes where that makes
    /// the first line fit.
    Assigned,
    /// The test of an `if`, `elif` or `while`.
    Test,
}

/// `rewritten` (what `original` becomes) laid out as `ruff format` lays it out at `place`,
/// or `None` when the model cannot vouch for it: `original` must be laid out exactly as the
/// model lays it out, and neither may hold anything the model does not know.
pub fn relayout(original: &str, rewritten: &str, place: &Place) -> Option<String> {
    if !place.indent.bytes().all(|b| b == b' ') || !place.head.is_ascii() || !place.tail.is_ascii() {
        return None;
    }
    let original_lf = original.replace("\r\n", "\n");
    if place.newline != "\n" && original_lf.contains('\r') {
        return None;
    }
    let again = layout(&original_lf, place)?;
    if again != original_lf {
        return None;
    }
    let out = layout(&rewritten.replace("\r\n", "\n"), place)?;
    Some(if place.newline == "\n" {
        out
    } else {
        out.replace('\n', place.newline)
    })
}

/// `text` (one expression) laid out at `place`, with `\n` line breaks.
fn layout(text: &str, place: &Place) -> Option<String> {
    // Widths count bytes; comments and line continuations are not modelled.
    if !text.is_ascii() || text.contains("\\\n") {
        return None;
    }
    let parsed = parse_expression(text).ok()?;
    if parsed.tokens().iter().any(|t| t.kind() == TokenKind::Comment) {
        return None;
    }
    let expr = parsed.expr();
    if expr.range() != TextRange::up_to(ruff_text_size::TextSize::try_from(text.len()).ok()?) {
        // `(value)`: parentheses of the statement, which ruff decides on anew.
        let before = text[..expr.start().to_usize()].trim_end();
        let after = text[expr.end().to_usize()..].trim_start();
        if before != "(" || after != ")" {
            return None;
        }
    }
    let mut builder = Builder {
        src: text,
        groups: 0,
        root: expr.range(),
        flat_parentheses: None,
        bare_value: false,
    };
    let doc = match place.position {
        Position::Value | Position::Assigned => builder.top_value(expr)?,
        Position::Test => builder.test(expr)?,
    };
    let (out, modes) = print_with_modes(doc, &builder, place)?;
    if builder.flat_parentheses.is_some_and(|id| modes[id] != Some(Mode::Flat)) {
        return None;
    }
    // Where even the first line is too long (or the whole expression, on one line: nothing
    // in it breaks, `x = a.b()`), ruff weighs parentheses around a value (best fit): for an
    // assigned or returned value that brings no optional parentheses of its own, they are
    // taken if every line fits with them, else the value stays without.
    let too_long = |out: &str, start: usize| {
        let first_line = out.find('\n').map_or(out.len() + place.tail.len(), |n| n);
        start + first_line > place.line_width
    };
    let start = place.indent.len() + place.head.len();
    if !too_long(&out, start) {
        return Some(out);
    }
    if place.position != Position::Assigned || !builder.bare_value {
        return None;
    }
    let content = builder.expr(expr, Parens::Never, Level::Parenthesized)?;
    let mut block = vec![Doc::Line(Line::Soft)];
    block.extend(content);
    let parenthesized = vec![Doc::Group(Group {
        expand: true,
        contents: vec![
            Doc::Text("(".into()),
            Doc::Indent(block),
            Doc::Line(Line::Soft),
            Doc::Text(")".into()),
        ],
        ..Group::default()
    })];
    let inside = print(parenthesized, &builder, place)?;
    let mut lines = inside.lines().skip(1).peekable();
    let all_fit = std::iter::from_fn(|| lines.next().map(|l| (l, lines.peek().is_none())))
        .all(|(line, last)| line.len() + if last { place.tail.len() } else { 0 } <= place.line_width);
    Some(if all_fit { inside } else { out })
}

/// `doc` with `place.tail` after it, printed at `place`; the tail is left out again.
fn print(doc: Vec<Doc>, builder: &Builder, place: &Place) -> Option<String> {
    print_with_modes(doc, builder, place).map(|(out, _)| out)
}

/// [`print`], and the mode each group was printed in.
fn print_with_modes(mut doc: Vec<Doc>, builder: &Builder, place: &Place) -> Option<(String, Vec<Option<Mode>>)> {
    doc.push(Doc::Text(place.tail.to_string()));
    propagate_expand(&mut doc);
    let mut printer = Printer {
        out: String::new(),
        indent: place.indent,
        width: place.indent.len() + place.head.len(),
        line_width: place.line_width,
        modes: vec![None; builder.groups],
        measured: false,
    };
    printer.print(&doc)?;
    let out = printer.out.strip_suffix(place.tail)?.to_string();
    Some((out, printer.modes))
}

// =========================================================================================
// The IR and its printer (after ruff_formatter's `Printer`)
// =========================================================================================

type GroupId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Nothing when flat.
    Soft,
    /// A space when flat.
    SoftOrSpace,
}

#[derive(Debug)]
enum Doc {
    Text(String),
    /// Several docs as one.
    Seq(Vec<Doc>),
    Line(Line),
    Group(Group),
    /// A group only while group `id` is broken (ruff's `in_parentheses_only_group` under
    /// optional parentheses); otherwise its content is printed as it comes.
    ConditionalGroup(GroupId, Group),
    Indent(Vec<Doc>),
    IndentIfBreaks(GroupId, Vec<Doc>),
    /// Content printed only if group `id` (`None`: the enclosing group) is broken.
    IfBreaks(Option<GroupId>, Vec<Doc>),
    /// Content printed only if group `id` is flat.
    IfFits(GroupId, Vec<Doc>),
    /// Content measured as if expanded while group `id` is flat (ruff's `fits_expanded` with
    /// the condition `if_group_fits_on_line(id)`).
    FitsExpanded {
        id: GroupId,
        expand: bool,
        contents: Vec<Doc>,
    },
    /// Forces the enclosing groups to break (a magic trailing comma).
    ExpandParent,
}

#[derive(Debug, Default)]
struct Group {
    id: Option<GroupId>,
    expand: bool,
    contents: Vec<Doc>,
}

/// `docs` hold an `ExpandParent` (a magic trailing comma).
fn has_expand_parent(docs: &[Doc]) -> bool {
    docs.iter().any(|doc| match doc {
        Doc::ExpandParent => true,
        Doc::Text(_) | Doc::Line(_) => false,
        Doc::Group(g) | Doc::ConditionalGroup(_, g) => has_expand_parent(&g.contents),
        Doc::Seq(c)
        | Doc::Indent(c)
        | Doc::IndentIfBreaks(_, c)
        | Doc::IfBreaks(_, c)
        | Doc::IfFits(_, c)
        | Doc::FitsExpanded { contents: c, .. } => has_expand_parent(c),
    })
}

/// Marks every group that holds an `ExpandParent` (up to a `FitsExpanded`) as expanded;
/// returns whether `docs` hold one.
fn propagate_expand(docs: &mut [Doc]) -> bool {
    let mut any = false;
    for doc in docs {
        any |= match doc {
            Doc::ExpandParent => true,
            Doc::Text(_) | Doc::Line(_) => false,
            Doc::Group(g) | Doc::ConditionalGroup(_, g) => {
                let inner = propagate_expand(&mut g.contents);
                g.expand |= inner;
                g.expand
            }
            Doc::Seq(c) | Doc::Indent(c) | Doc::IndentIfBreaks(_, c) | Doc::IfBreaks(_, c) | Doc::IfFits(_, c) => {
                propagate_expand(c)
            }
            Doc::FitsExpanded { expand, contents, .. } => {
                *expand = propagate_expand(contents);
                false
            }
        };
    }
    any
}

#[derive(Clone, Copy)]
struct Cmd<'d> {
    doc: &'d Doc,
    indent: usize,
    mode: Mode,
}

struct Printer<'a> {
    out: String,
    indent: &'a str,
    width: usize,
    /// The line length.
    line_width: usize,
    modes: Vec<Option<Mode>>,
    /// A parent group was measured and fits: flat groups inside need no measuring.
    measured: bool,
}

/// How `fits` measures a frame.
#[derive(Clone, Copy)]
struct Measure {
    all_lines: bool,
    allow_overflow: bool,
}

impl Printer<'_> {
    fn mode_of(&self, id: GroupId) -> Option<Mode> {
        self.modes.get(id).copied().flatten()
    }

    fn print(&mut self, docs: &[Doc]) -> Option<()> {
        let mut stack: Vec<Cmd> = Vec::new();
        push_all(&mut stack, docs, 0, Mode::Break);
        while let Some(cmd) = stack.pop() {
            match cmd.doc {
                Doc::Text(text) => {
                    self.out.push_str(text);
                    self.width += text.len();
                }
                Doc::Line(line) => match cmd.mode {
                    Mode::Flat => {
                        if *line == Line::SoftOrSpace {
                            self.out.push(' ');
                            self.width += 1;
                        }
                    }
                    Mode::Break => {
                        // Trailing spaces never end a line.
                        let trimmed = self.out.trim_end_matches(' ').len();
                        self.out.truncate(trimmed);
                        self.out.push('\n');
                        self.out.push_str(self.indent);
                        for _ in 0..cmd.indent {
                            self.out.push_str(INDENT);
                        }
                        self.width = self.indent.len() + cmd.indent * INDENT.len();
                        self.measured = false;
                    }
                },
                Doc::Group(group) => {
                    let mode = self.group_mode(group, cmd, &stack)?;
                    push_all(&mut stack, &group.contents, cmd.indent, mode);
                }
                Doc::ConditionalGroup(id, group) => {
                    if self.mode_of(*id) == Some(Mode::Break) {
                        let mode = self.group_mode(group, cmd, &stack)?;
                        push_all(&mut stack, &group.contents, cmd.indent, mode);
                    } else {
                        push_all(&mut stack, &group.contents, cmd.indent, cmd.mode);
                    }
                }
                Doc::Seq(contents) => push_all(&mut stack, contents, cmd.indent, cmd.mode),
                Doc::Indent(contents) => push_all(&mut stack, contents, cmd.indent + 1, cmd.mode),
                Doc::IndentIfBreaks(id, contents) => {
                    let indent = cmd.indent + usize::from(self.mode_of(*id) == Some(Mode::Break));
                    push_all(&mut stack, contents, indent, cmd.mode);
                }
                Doc::IfBreaks(id, contents) => {
                    let mode = match id {
                        Some(id) => self.mode_of(*id)?,
                        None => cmd.mode,
                    };
                    if mode == Mode::Break {
                        push_all(&mut stack, contents, cmd.indent, cmd.mode);
                    }
                }
                Doc::IfFits(id, contents) => {
                    if self.mode_of(*id)? == Mode::Flat {
                        push_all(&mut stack, contents, cmd.indent, cmd.mode);
                    }
                }
                Doc::FitsExpanded { id, contents, .. } => {
                    if cmd.mode == Mode::Flat && self.mode_of(*id) == Some(Mode::Flat) {
                        // Measured expanded: the groups inside must be measured again.
                        self.measured = false;
                    }
                    push_all(&mut stack, contents, cmd.indent, cmd.mode);
                }
                Doc::ExpandParent => {}
            }
        }
        Some(())
    }

    /// The mode a group is printed in (ruff's `print_group`); `None` to give up.
    fn group_mode(&mut self, group: &Group, cmd: Cmd, rest: &[Cmd]) -> Option<Mode> {
        let mode = if group.expand {
            Mode::Break
        } else if cmd.mode == Mode::Flat && self.measured {
            Mode::Flat
        } else {
            self.measured = true;
            if let Some(id) = group.id {
                self.modes[id] = Some(Mode::Flat);
            }
            let start = Cmd {
                doc: cmd.doc,
                indent: cmd.indent,
                mode: Mode::Flat,
            };
            if self.fits(start, rest)? {
                Mode::Flat
            } else {
                Mode::Break
            }
        };
        if let Some(id) = group.id {
            self.modes[id] = Some(mode);
        }
        Some(mode)
    }

    /// Whether `start` and the rest up to the first line break fit in the line (ruff's
    /// `FitsMeasurer`).
    fn fits<'d>(&mut self, start: Cmd<'d>, rest: &[Cmd<'d>]) -> Option<bool> {
        let first_line = Measure {
            all_lines: false,
            allow_overflow: false,
        };
        let mut stack: Vec<(Cmd<'d>, Measure)> = vec![(start, first_line)];
        let mut rest_index = rest.len();
        let mut width = self.width;
        // The line being measured began inside content measured expanded, where text may
        // overflow; the first line of such content (the text before it breaks) must fit.
        let mut line_may_overflow = false;
        loop {
            let (cmd, measure) = match stack.pop() {
                Some(frame) => frame,
                None => {
                    if rest_index == 0 {
                        return Some(true);
                    }
                    rest_index -= 1;
                    (rest[rest_index], first_line)
                }
            };
            match cmd.doc {
                Doc::Text(text) => {
                    width += text.len();
                    if width > self.line_width && !(measure.allow_overflow && line_may_overflow) {
                        return Some(false);
                    }
                }
                Doc::Line(line) => match cmd.mode {
                    Mode::Flat => width += usize::from(*line == Line::SoftOrSpace),
                    Mode::Break => {
                        if !measure.all_lines {
                            return Some(true);
                        }
                        width = self.indent.len() + cmd.indent * INDENT.len();
                        line_may_overflow = measure.allow_overflow;
                    }
                },
                Doc::Group(group) => {
                    let mode = if group.expand { Mode::Break } else { cmd.mode };
                    if let Some(id) = group.id {
                        self.modes[id] = Some(mode);
                    }
                    push(&mut stack, &group.contents, cmd.indent, mode, measure);
                }
                Doc::ConditionalGroup(id, group) => {
                    let mode = if self.mode_of(*id) == Some(Mode::Break) && group.expand {
                        Mode::Break
                    } else {
                        cmd.mode
                    };
                    push(&mut stack, &group.contents, cmd.indent, mode, measure);
                }
                Doc::Seq(contents) => push(&mut stack, contents, cmd.indent, cmd.mode, measure),
                Doc::Indent(contents) => push(&mut stack, contents, cmd.indent + 1, cmd.mode, measure),
                Doc::IndentIfBreaks(id, contents) => {
                    let indent = cmd.indent + usize::from(self.mode_of(*id) == Some(Mode::Break));
                    push(&mut stack, contents, indent, cmd.mode, measure);
                }
                Doc::IfBreaks(id, contents) => {
                    let mode = match id {
                        Some(id) => self.mode_of(*id)?,
                        None => cmd.mode,
                    };
                    if mode == Mode::Break {
                        push(&mut stack, contents, cmd.indent, cmd.mode, measure);
                    }
                }
                Doc::IfFits(id, contents) => {
                    if self.mode_of(*id)? == Mode::Flat {
                        push(&mut stack, contents, cmd.indent, cmd.mode, measure);
                    }
                }
                Doc::FitsExpanded { id, expand, contents } => {
                    if cmd.mode == Mode::Flat && self.mode_of(*id) == Some(Mode::Flat) {
                        let expanded = Measure {
                            all_lines: true,
                            allow_overflow: true,
                        };
                        push(&mut stack, contents, cmd.indent, Mode::Break, expanded);
                    } else {
                        if cmd.mode == Mode::Flat && *expand {
                            return Some(false);
                        }
                        push(&mut stack, contents, cmd.indent, cmd.mode, measure);
                    }
                }
                Doc::ExpandParent => {}
            }
        }
    }
}

fn push<'d>(stack: &mut Vec<(Cmd<'d>, Measure)>, docs: &'d [Doc], indent: usize, mode: Mode, measure: Measure) {
    for doc in docs.iter().rev() {
        stack.push((Cmd { doc, indent, mode }, measure));
    }
}

fn push_all<'d>(stack: &mut Vec<Cmd<'d>>, docs: &'d [Doc], indent: usize, mode: Mode) {
    for doc in docs.iter().rev() {
        stack.push(Cmd { doc, indent, mode });
    }
}

// =========================================================================================
// The builder (after ruff_python_formatter's expression rules)
// =========================================================================================

/// ruff's `NodeLevel` for expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// Not inside any parentheses (ruff's `Expression(None)`).
    Bare,
    /// Inside optional parentheses that show only if group `id` breaks.
    Optional(GroupId),
    /// Inside parentheses, brackets or braces.
    Parenthesized,
}

impl Level {
    fn is_parenthesized(self) -> bool {
        !matches!(self, Level::Bare)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parens {
    Preserve,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Chain {
    Default,
    Fluent,
    NonFluent,
}

struct Builder<'s> {
    src: &'s str,
    groups: usize,
    /// The whole expression, whose own parentheses (a statement's) do not count.
    root: TextRange,
    /// Optional parentheses the model vouches for only where they stay away.
    flat_parentheses: Option<GroupId>,
    /// The statement's value is laid out without optional parentheses of its own.
    bare_value: bool,
}

fn text(s: impl Into<String>) -> Doc {
    Doc::Text(s.into())
}

fn group(contents: Vec<Doc>) -> Doc {
    Doc::Group(Group {
        contents,
        ..Group::default()
    })
}

impl Builder<'_> {
    fn new_id(&mut self) -> GroupId {
        self.groups += 1;
        self.groups - 1
    }

    fn source(&self, range: TextRange) -> &str {
        &self.src[range]
    }

    /// The expression is enclosed in parentheses of its own: `(a).b`.
    fn is_parenthesized(&self, expr: &Expr) -> bool {
        if expr.range() == self.root {
            return false;
        }
        let before = self.src[..expr.start().to_usize()].trim_end_matches([' ', '\n', '\t']);
        let after = self.src[expr.end().to_usize()..].trim_start_matches([' ', '\n', '\t']);
        before.ends_with('(') && after.starts_with(')')
    }

    /// The value of a statement: laid out without optional parentheses, which the model
    /// vouches for only where the value brings its own (a call, a dict, a list).
    fn top_value(&mut self, expr: &Expr) -> Option<Vec<Doc>> {
        if self.is_parenthesized(expr) {
            return None;
        }
        if self.never_parenthesized(expr) {
            self.bare_value = true;
            return self.expr(expr, Parens::Never, Level::Bare);
        }
        match expr {
            // `Multiline`: fluent call chains, operators.
            Expr::Call(_) | Expr::Attribute(_) | Expr::Subscript(_) if self.chain_layout(expr) == Chain::Fluent => {
                self.optional_parentheses(expr)
            }
            Expr::Await(a) if matches!(*a.value, Expr::Call(_) | Expr::Attribute(_)) => {
                if self.chain_layout(&a.value) == Chain::Fluent {
                    self.optional_parentheses(expr)
                } else {
                    None
                }
            }
            Expr::UnaryOp(_) => self.unary_at_top(expr),
            Expr::BoolOp(_) | Expr::Compare(_) | Expr::BinOp(_) => self.optional_parentheses(expr),
            _ => None,
        }
    }

    /// ruff's `needs_parentheses` is `Never` for the value (the shapes the model knows).
    fn never_parenthesized(&self, expr: &Expr) -> bool {
        match expr {
            Expr::Call(call) => {
                self.chain_layout(expr) == Chain::NonFluent
                    && (self.is_parenthesized(&call.func) || self.func_never(&call.func))
            }
            Expr::Await(await_expr) => {
                !self.is_parenthesized(&await_expr.value) && self.never_parenthesized(&await_expr.value)
            }
            Expr::Attribute(attribute) => {
                self.chain_layout(expr) == Chain::NonFluent
                    && (self.is_parenthesized(&attribute.value) || self.never_parenthesized(&attribute.value))
            }
            Expr::Subscript(subscript) => {
                self.chain_layout(expr) == Chain::NonFluent
                    && (self.is_parenthesized(&subscript.value) || self.func_never(&subscript.value))
            }
            Expr::Dict(_) | Expr::List(_) => true,
            _ => false,
        }
    }

    /// A call's `needs_parentheses` given its callee: names and attribute chains of names
    /// (`BestFit`, which a call turns into `Never`), or calls again.
    fn func_never(&self, func: &Expr) -> bool {
        match func {
            Expr::Name(_) => true,
            Expr::Attribute(a) => self.is_parenthesized(&a.value) || self.func_never(&a.value),
            Expr::Call(_) | Expr::Subscript(_) => self.never_parenthesized(func),
            _ => false,
        }
    }

    /// The test of an `if`/`elif`/`while` (`Parenthesize::IfBreaks`).
    fn test(&mut self, expr: &Expr) -> Option<Vec<Doc>> {
        if self.is_parenthesized(expr) {
            return None;
        }
        match expr {
            Expr::UnaryOp(_) => self.unary_at_top(expr),
            Expr::BoolOp(_) => self.optional_parentheses(expr),
            _ => self.top_value(expr),
        }
    }

    /// `not x` as the whole value or test: where the optional parentheses would show, or a
    /// magic trailing comma expands something inside, ruff weighs parentheses in ways the
    /// model does not know; only the layouts without them are vouched for.
    fn unary_at_top(&mut self, expr: &Expr) -> Option<Vec<Doc>> {
        // The parentheses' group is the first the call makes.
        let id = self.groups;
        let doc = self.optional_parentheses(expr)?;
        if has_expand_parent(&doc) {
            return None;
        }
        self.flat_parentheses = Some(id);
        Some(doc)
    }

    /// An expression that ruff wraps in optional parentheses if it breaks (`Multiline`).
    fn optional_parentheses(&mut self, expr: &Expr) -> Option<Vec<Doc>> {
        if self.can_omit_optional_parentheses(expr)? {
            // `optional_parentheses`: the parentheses show only if the expression does not fit
            // even with what it holds in brackets broken (`fits_expanded` inside).
            let id = self.new_id();
            let content = self.expr(expr, Parens::Never, Level::Optional(id))?;
            let mut inner = vec![Doc::Line(Line::Soft)];
            inner.extend(content);
            Some(vec![Doc::Group(Group {
                id: Some(id),
                contents: vec![
                    Doc::IfBreaks(Some(id), vec![text("(")]),
                    Doc::IndentIfBreaks(id, inner),
                    Doc::Line(Line::Soft),
                    Doc::IfBreaks(Some(id), vec![text(")")]),
                ],
                ..Group::default()
            })])
        } else {
            // `parenthesize_if_expands`.
            let id = self.new_id();
            let content = self.expr(expr, Parens::Never, Level::Parenthesized)?;
            let mut inner = vec![Doc::Line(Line::Soft)];
            inner.extend(content);
            Some(vec![Doc::Group(Group {
                id: Some(id),
                contents: vec![
                    Doc::IfBreaks(None, vec![text("(")]),
                    Doc::Indent(inner),
                    Doc::Line(Line::Soft),
                    Doc::IfBreaks(None, vec![text(")")]),
                ],
                ..Group::default()
            })])
        }
    }

    /// ruff's `can_omit_optional_parentheses` for the shapes the model knows.
    fn can_omit_optional_parentheses(&self, expr: &Expr) -> Option<bool> {
        #[derive(Default)]
        struct Visitor<'e> {
            max: u8,
            count: u32,
            any_parenthesized: bool,
            last: Option<&'e Expr>,
            first: Option<Option<&'e Expr>>,
        }
        const ATTRIBUTE: u8 = 1;
        const COMPARATOR: u8 = 2;
        const BINARY: u8 = 3;
        const BOOLEAN: u8 = 10;
        impl<'e> Visitor<'e> {
            fn update(&mut self, precedence: u8, count: u32) {
                match self.max.cmp(&precedence) {
                    std::cmp::Ordering::Less => {
                        self.max = precedence;
                        self.count = count;
                    }
                    std::cmp::Ordering::Equal => self.count += count,
                    std::cmp::Ordering::Greater => {}
                }
            }
        }
        fn visit_expr<'e>(b: &Builder, v: &mut Visitor<'e>, expr: &'e Expr) -> Option<()> {
            v.last = Some(expr);
            if b.is_parenthesized(expr) {
                v.any_parenthesized = true;
            } else {
                visit_sub(b, v, expr)?;
            }
            if v.first.is_none() {
                v.first = Some(Some(expr));
            }
            Some(())
        }
        fn visit_sub<'e>(b: &Builder, v: &mut Visitor<'e>, expr: &'e Expr) -> Option<()> {
            match expr {
                Expr::Dict(_) | Expr::List(_) => {
                    v.any_parenthesized = true;
                }
                Expr::BoolOp(op) => {
                    v.update(BOOLEAN, u32::try_from(op.values.len().saturating_sub(1)).ok()?);
                    for value in &op.values {
                        visit_expr(b, v, value)?;
                    }
                }
                Expr::BinOp(op) => {
                    v.update(BINARY, 1);
                    visit_expr(b, v, &op.left)?;
                    visit_expr(b, v, &op.right)?;
                }
                Expr::Compare(op) => {
                    v.update(COMPARATOR, u32::try_from(op.ops.len()).ok()?);
                    visit_expr(b, v, &op.left)?;
                    for c in &op.comparators {
                        visit_expr(b, v, c)?;
                    }
                }
                Expr::Call(call) => {
                    v.any_parenthesized = true;
                    visit_expr(b, v, &call.func)?;
                    v.last = Some(expr);
                }
                Expr::Attribute(attribute) => {
                    visit_expr(b, v, &attribute.value)?;
                    if b.has_parentheses(&attribute.value).is_some() {
                        v.update(ATTRIBUTE, 1);
                    }
                    v.last = Some(expr);
                }
                Expr::UnaryOp(op) => {
                    if op.op == UnaryOp::Invert {
                        return None;
                    }
                    if v.first.is_none() {
                        v.first = Some(None);
                    }
                    visit_expr(b, v, &op.operand)?;
                }
                Expr::Await(a) => {
                    if v.first.is_none() {
                        v.first = Some(None);
                    }
                    visit_expr(b, v, &a.value)?;
                }
                Expr::Name(_)
                | Expr::StringLiteral(_)
                | Expr::BytesLiteral(_)
                | Expr::FString(_)
                | Expr::NumberLiteral(_)
                | Expr::BooleanLiteral(_)
                | Expr::NoneLiteral(_)
                | Expr::EllipsisLiteral(_) => {}
                _ => return None,
            }
            Some(())
        }
        let mut v = Visitor::default();
        visit_sub(self, &mut v, expr)?;
        let non_empty = |e: &Expr| !matches!(e, Expr::Subscript(_)) && self.has_parentheses(e) == Some(true);
        Some(if !v.any_parenthesized || v.count > 1 {
            false
        } else if v.max == 0 || v.max == ATTRIBUTE {
            true
        } else {
            v.last.is_some_and(non_empty) || v.first.flatten().is_some_and(non_empty)
        })
    }

    /// ruff's `has_parentheses`: `Some(true)` if the expression has non-empty parentheses of
    /// its own or is parenthesized, `Some(false)` if its own are empty (`f()`, `[]`).
    fn has_parentheses(&self, expr: &Expr) -> Option<bool> {
        let own = match expr {
            Expr::Call(call) => Some(!call.arguments.is_empty()),
            Expr::Dict(d) => Some(!d.is_empty()),
            Expr::List(l) => Some(!l.elts.is_empty()),
            Expr::Subscript(_) => Some(true),
            _ => None,
        };
        if own == Some(true) || self.is_parenthesized(expr) {
            Some(true)
        } else {
            own
        }
    }

    /// ruff's `FormatExpr` with `parens`.
    fn expr(&mut self, expr: &Expr, parens: Parens, level: Level) -> Option<Vec<Doc>> {
        let parenthesize = match parens {
            Parens::Preserve => self.is_parenthesized(expr),
            Parens::Always => true,
            Parens::Never => false,
        };
        if parenthesize {
            let inner = self.fields(expr, Level::Parenthesized, Chain::Default)?;
            Some(vec![self.parenthesized("(", inner, ")", level)])
        } else {
            self.fields(expr, level, Chain::Default)
        }
    }

    /// ruff's `parenthesized(left, content, right)`, `content` built at `Level::Parenthesized`.
    fn parenthesized(&mut self, left: &str, content: Vec<Doc>, right: &str, level: Level) -> Doc {
        let mut block = vec![Doc::Line(Line::Soft)];
        block.extend(content);
        let inner = group(vec![text(left), Doc::Indent(block), Doc::Line(Line::Soft), text(right)]);
        match level {
            Level::Optional(id) => Doc::FitsExpanded {
                id,
                expand: false,
                contents: vec![inner],
            },
            _ => inner,
        }
    }

    fn fields(&mut self, expr: &Expr, level: Level, chain: Chain) -> Option<Vec<Doc>> {
        match expr {
            Expr::Name(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => Some(vec![text(self.source(expr.range()))]),
            Expr::StringLiteral(s) if !s.value.is_implicit_concatenated() => self.atom(expr),
            Expr::BytesLiteral(s) if !s.value.is_implicit_concatenated() => self.atom(expr),
            Expr::FString(s) if !s.value.is_implicit_concatenated() => self.atom(expr),
            Expr::Attribute(_) => self.attribute(expr, level, chain),
            Expr::Call(_) => self.call(expr, level, chain),
            Expr::Subscript(_) => self.subscript(expr, level, chain),
            Expr::Await(a) => {
                if self.is_parenthesized(&a.value) || !matches!(*a.value, Expr::Call(_) | Expr::Attribute(_)) {
                    return None;
                }
                let mut out = vec![text("await ")];
                out.extend(self.expr(&a.value, Parens::Never, level)?);
                Some(out)
            }
            Expr::UnaryOp(op) => {
                let parenthesized = self.is_parenthesized(&op.operand);
                if !parenthesized
                    && matches!(
                        *op.operand,
                        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::Compare(_) | Expr::UnaryOp(_)
                    )
                {
                    return None;
                }
                let mut out = vec![text(match op.op {
                    UnaryOp::Not => "not ",
                    UnaryOp::USub => "-",
                    UnaryOp::UAdd => "+",
                    UnaryOp::Invert => "~",
                })];
                let parens = if parenthesized { Parens::Always } else { Parens::Never };
                out.extend(self.expr(&op.operand, parens, level)?);
                Some(out)
            }
            Expr::BoolOp(op) => {
                let word = match op.op {
                    ruff_python_ast::BoolOp::And => "and",
                    ruff_python_ast::BoolOp::Or => "or",
                };
                let mut operands = Vec::new();
                for value in &op.values {
                    if matches!(value, Expr::BoolOp(_)) && !self.is_parenthesized(value) {
                        return None;
                    }
                    operands.push(self.expr(value, Parens::Preserve, level)?);
                }
                self.binary_like(operands, word, level)
            }
            Expr::BinOp(op) => {
                for side in [&op.left, &op.right] {
                    if matches!(**side, Expr::BinOp(_) | Expr::BoolOp(_) | Expr::Compare(_))
                        && !self.is_parenthesized(side)
                    {
                        return None;
                    }
                }
                let left = self.expr(&op.left, Parens::Preserve, level)?;
                let right = self.expr(&op.right, Parens::Preserve, level)?;
                self.binary_like(vec![left, right], operator(op.op), level)
            }
            Expr::Compare(op) => {
                let [cmp] = &*op.ops else { return None };
                for side in std::iter::once(&*op.left).chain(op.comparators.iter()) {
                    if matches!(side, Expr::BinOp(_) | Expr::BoolOp(_) | Expr::Compare(_))
                        && !self.is_parenthesized(side)
                    {
                        return None;
                    }
                }
                let left = self.expr(&op.left, Parens::Preserve, level)?;
                let right = self.expr(&op.comparators[0], Parens::Preserve, level)?;
                self.binary_like(vec![left, right], comparator(*cmp), level)
            }
            Expr::Starred(starred) => {
                let mut out = vec![text("*")];
                out.extend(self.expr(&starred.value, Parens::Preserve, level)?);
                Some(out)
            }
            Expr::Dict(dict) => {
                if dict.is_empty() {
                    return Some(vec![text("{}")]);
                }
                let mut entries = Vec::new();
                for item in &dict.items {
                    let entry = match &item.key {
                        Some(key) => {
                            let mut e = self.expr(key, Parens::Preserve, Level::Parenthesized)?;
                            e.push(text(": "));
                            e.extend(self.expr(&item.value, Parens::Preserve, Level::Parenthesized)?);
                            e
                        }
                        None => {
                            let mut e = vec![text("**")];
                            e.extend(self.expr(&item.value, Parens::Preserve, Level::Parenthesized)?);
                            e
                        }
                    };
                    entries.push((group(entry), item.value.end()));
                }
                let content = self.join(entries, expr.end());
                Some(vec![self.parenthesized("{", content, "}", level)])
            }
            Expr::List(list) => {
                if list.elts.is_empty() {
                    return Some(vec![text("[]")]);
                }
                let mut entries = Vec::new();
                for elt in &list.elts {
                    let e = self.expr(elt, Parens::Preserve, Level::Parenthesized)?;
                    entries.push((seq(e), elt.end()));
                }
                let content = self.join(entries, expr.end());
                Some(vec![self.parenthesized("[", content, "]", level)])
            }
            _ => None,
        }
    }

    /// A literal kept as written (its quotes are the file's), if it is on one line.
    fn atom(&self, expr: &Expr) -> Option<Vec<Doc>> {
        let source = self.source(expr.range());
        (!source.contains(['\n', '\r'])).then(|| vec![text(source)])
    }

    /// Operators and comparisons: ruff's `binary_like` for one operator (or one boolean
    /// operator between several operands), broken before each operator.
    fn binary_like(&mut self, operands: Vec<Vec<Doc>>, op: &str, level: Level) -> Option<Vec<Doc>> {
        let mut contents = Vec::new();
        for (i, operand) in operands.into_iter().enumerate() {
            if i > 0 {
                match level {
                    Level::Optional(id) => {
                        contents.push(Doc::IfBreaks(Some(id), vec![Doc::Line(Line::SoftOrSpace)]));
                        contents.push(Doc::IfFits(id, vec![text(" ")]));
                    }
                    Level::Parenthesized => contents.push(Doc::Line(Line::SoftOrSpace)),
                    Level::Bare => return None,
                }
                contents.push(text(format!("{op} ")));
            }
            contents.extend(operand);
        }
        Some(match level {
            Level::Optional(id) => vec![Doc::ConditionalGroup(
                id,
                Group {
                    contents,
                    ..Group::default()
                },
            )],
            _ => vec![group(contents)],
        })
    }

    /// ruff's `CallChainLayout::from_expression`.
    fn chain_layout(&self, expr: &Expr) -> Chain {
        let mut count = 0;
        let mut expr = expr;
        loop {
            match expr {
                Expr::Attribute(a) => {
                    if self.is_parenthesized(&a.value) {
                        count += 1;
                        break;
                    } else if matches!(*a.value, Expr::Call(_) | Expr::Subscript(_)) {
                        count += 1;
                    }
                    expr = &a.value;
                }
                Expr::Call(ruff_python_ast::ExprCall { func: inner, .. })
                | Expr::Subscript(ruff_python_ast::ExprSubscript { value: inner, .. }) => {
                    if self.is_parenthesized(inner) {
                        break;
                    }
                    expr = inner;
                }
                _ => break,
            }
        }
        if count < 2 {
            Chain::NonFluent
        } else {
            Chain::Fluent
        }
    }

    /// ruff's `CallChainLayout::apply_in_node`.
    fn apply_chain(&self, chain: Chain, expr: &Expr, level: Level) -> Chain {
        match chain {
            Chain::Default if level.is_parenthesized() => self.chain_layout(expr),
            Chain::Default => Chain::NonFluent,
            other => other,
        }
    }

    fn attribute(&mut self, expr: &Expr, level: Level, chain: Chain) -> Option<Vec<Doc>> {
        let Expr::Attribute(a) = expr else { return None };
        let layout = self.apply_chain(chain, expr, level);
        let value = &*a.value;
        let parenthesize_value = self.is_parenthesized(value)
            || matches!(value, Expr::NumberLiteral(_)) && !self.source(value.range()).starts_with("0x");
        let mut out = if layout == Chain::Fluent && !parenthesize_value {
            match value {
                Expr::Attribute(_) => self.attribute(value, level, chain)?,
                Expr::Call(_) => self.call(value, level, layout)?,
                Expr::Subscript(_) => self.subscript(value, level, layout)?,
                _ => self.expr(value, Parens::Never, level)?,
            }
        } else if parenthesize_value {
            self.expr(value, Parens::Always, level)?
        } else {
            self.expr(value, Parens::Never, level)?
        };
        if layout == Chain::Fluent && (parenthesize_value || matches!(value, Expr::Call(_) | Expr::Subscript(_))) {
            out.push(Doc::Line(Line::Soft));
        }
        out.push(text(format!(".{}", a.attr.as_str())));
        if chain == Chain::Default && layout == Chain::Fluent {
            Some(vec![group(out)])
        } else {
            Some(out)
        }
    }

    fn call(&mut self, expr: &Expr, level: Level, chain: Chain) -> Option<Vec<Doc>> {
        let Expr::Call(call) = expr else { return None };
        let layout = self.apply_chain(chain, expr, level);
        let mut out = match &*call.func {
            Expr::Attribute(_) if !self.is_parenthesized(&call.func) => self.attribute(&call.func, level, layout)?,
            Expr::Call(_) if !self.is_parenthesized(&call.func) => self.call(&call.func, level, layout)?,
            Expr::Subscript(_) if !self.is_parenthesized(&call.func) => self.subscript(&call.func, level, layout)?,
            func => self.expr(func, Parens::Preserve, level)?,
        };
        out.push(self.arguments(call, level)?);
        if layout == Chain::Fluent && chain == Chain::Default {
            Some(vec![group(out)])
        } else {
            Some(out)
        }
    }

    fn subscript(&mut self, expr: &Expr, level: Level, chain: Chain) -> Option<Vec<Doc>> {
        let Expr::Subscript(subscript) = expr else { return None };
        let layout = self.apply_chain(chain, expr, level);
        let value = &*subscript.value;
        let mut out = match value {
            Expr::Attribute(_) if !self.is_parenthesized(value) => self.attribute(value, level, layout)?,
            Expr::Call(_) if !self.is_parenthesized(value) => self.call(value, level, layout)?,
            Expr::Subscript(_) if !self.is_parenthesized(value) => self.subscript(value, level, layout)?,
            _ => self.expr(value, Parens::Preserve, level)?,
        };
        // Only slices that are one simple expression.
        let slice = &*subscript.slice;
        let simple = match slice {
            Expr::UnaryOp(op) => matches!(*op.operand, Expr::NumberLiteral(_)),
            Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Attribute(_) => true,
            _ => false,
        };
        if !simple || self.is_parenthesized(slice) {
            return None;
        }
        let inner = self.expr(slice, Parens::Never, Level::Parenthesized)?;
        out.push(self.parenthesized("[", inner, "]", level));
        if layout == Chain::Fluent && chain == Chain::Default {
            Some(vec![group(out)])
        } else {
            Some(out)
        }
    }

    fn arguments(&mut self, call: &ruff_python_ast::ExprCall, level: Level) -> Option<Doc> {
        let arguments = &call.arguments;
        if arguments.is_empty() {
            return Some(text("()"));
        }
        let mut entries = Vec::new();
        if let ([arg], []) = (&*arguments.args, &*arguments.keywords) {
            if matches!(arg, Expr::Generator(_)) {
                return None;
            }
            let parens = if self.is_single_argument_parenthesized(arg, call.end()) {
                Parens::Always
            } else {
                Parens::Never
            };
            entries.push((seq(self.expr(arg, parens, Level::Parenthesized)?), arg.end()));
        } else {
            for item in arguments.iter_source_order() {
                match item {
                    ruff_python_ast::ArgOrKeyword::Arg(arg) => {
                        if matches!(arg, Expr::Generator(_)) {
                            return None;
                        }
                        entries.push((seq(self.expr(arg, Parens::Preserve, Level::Parenthesized)?), arg.end()));
                    }
                    ruff_python_ast::ArgOrKeyword::Keyword(keyword) => {
                        let mut e = vec![text(match &keyword.arg {
                            Some(name) => format!("{}=", name.as_str()),
                            None => "**".to_string(),
                        })];
                        e.extend(self.expr(&keyword.value, Parens::Preserve, Level::Parenthesized)?);
                        entries.push((seq(e), keyword.end()));
                    }
                }
            }
        }
        let joined = self.join(entries, call.end());
        Some(self.parenthesized("(", vec![group(joined)], ")", level))
    }

    /// `f((a))`: the sole argument has parentheses of its own.
    fn is_single_argument_parenthesized(&self, arg: &Expr, call_end: ruff_text_size::TextSize) -> bool {
        let mut seen = false;
        for c in self.src[arg.end().to_usize()..call_end.to_usize()].chars() {
            match c {
                ' ' | '\n' | '\t' | ',' => {}
                ')' if seen => return true,
                ')' => seen = true,
                _ => break,
            }
        }
        false
    }

    /// ruff's `join_comma_separated`: `a, b` with a trailing comma when broken (more than one
    /// entry, or a magic trailing comma, which also forces the break).
    fn join(
        &mut self,
        entries: Vec<(Doc, ruff_text_size::TextSize)>,
        sequence_end: ruff_text_size::TextSize,
    ) -> Vec<Doc> {
        let more_than_one = entries.len() > 1;
        let last_end = entries.last().map(|(_, end)| *end);
        let mut out = Vec::new();
        for (i, (entry, _)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push(text(","));
                out.push(Doc::Line(Line::SoftOrSpace));
            }
            out.push(entry);
        }
        if let Some(last_end) = last_end {
            let magic = self.src[last_end.to_usize()..sequence_end.to_usize()].contains(',');
            if magic || more_than_one {
                out.push(Doc::IfBreaks(None, vec![text(",")]));
            }
            if magic {
                out.push(Doc::ExpandParent);
            }
        }
        out
    }
}

/// Several docs as one.
fn seq(docs: Vec<Doc>) -> Doc {
    Doc::Seq(docs)
}

fn operator(op: Operator) -> &'static str {
    op.as_str()
}

fn comparator(op: CmpOp) -> &'static str {
    op.as_str()
}

// =========================================================================================
// The statement around an edited expression
// =========================================================================================

/// `  # text` as ruff writes a trailing comment, and not a pragma comment (`# noqa`,
/// `# type:`, ...), which ruff leaves out of the line width.
fn is_plain_trailing_comment(comment: &str) -> bool {
    let Some(text) = comment.strip_prefix("  #") else {
        return false;
    };
    if !(text.is_empty() || text.starts_with(' ')) || text.ends_with([' ', '\t']) {
        return false;
    }
    let word = text.trim_start().to_ascii_lowercase();
    const PRAGMAS: &[&str] = &[
        "noqa",
        "ty:",
        "type:",
        "pyright:",
        "pylint:",
        "nosec",
        "isort:",
        "ruff:",
        "mypy:",
        "fmt:",
        "yapf:",
        "asyncfix:",
        "flake8",
        "pragma",
    ];
    !PRAGMAS.iter().any(|p| word.starts_with(p))
}

/// The edits of a fix inside `stmt` (all within the statement's value or `if`/`elif`/`while`
/// test that holds `anchor`), as one replacement of that expression laid out as `ruff format`
/// lays it out; `None` when the layout is not known (see [`relayout`]).
pub fn relayout_statement(
    source: &str,
    stmt: &ruff_python_ast::Stmt,
    anchor: TextRange,
    edits: &[crate::fix::edit::Edit],
    newline: &str,
    line_width: usize,
) -> Option<crate::fix::edit::Edit> {
    use ruff_python_ast::Stmt;
    let simple_target = |e: &Expr| match e {
        Expr::Name(_) => true,
        Expr::Attribute(a) => matches!(*a.value, Expr::Name(_)),
        _ => false,
    };
    let (unit, position) = match stmt {
        Stmt::Expr(s) => (s.value.range(), Position::Value),
        // One target: with several, ruff may break a target first.
        Stmt::Assign(s) if s.targets.len() == 1 && simple_target(&s.targets[0]) => {
            (s.value.range(), Position::Assigned)
        }
        Stmt::AnnAssign(s) if simple_target(&s.target) && matches!(*s.annotation, Expr::Name(_)) => {
            (s.value.as_ref()?.range(), Position::Assigned)
        }
        Stmt::AugAssign(s) if simple_target(&s.target) => (s.value.range(), Position::Assigned),
        Stmt::Return(s) => (s.value.as_ref()?.range(), Position::Assigned),
        Stmt::If(s) => {
            let test = std::iter::once(&*s.test)
                .chain(s.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()))
                .find(|t| t.range().contains_range(anchor))?;
            (test.range(), Position::Test)
        }
        Stmt::While(s) => (s.test.range(), Position::Test),
        _ => return None,
    };
    if !unit.contains_range(anchor) || edits.iter().any(|e| !unit.contains_range(e.range)) {
        return None;
    }
    let mut start = unit.start().to_usize();
    let mut end = unit.end().to_usize();
    // `x = (\n    value\n)`, `if (\n    test\n):`: the parentheses go with the value, which
    // ruff parenthesizes anew. An expression statement's own parentheses stay (ruff's
    // `Parenthesize::Optional`), a layout the model does not know: left alone.
    let before = source[..start].trim_end_matches([' ', '\n', '\r']);
    let after = source[end..].trim_start_matches([' ', '\n', '\r']);
    if before.ends_with('(') && after.starts_with(')') {
        if matches!(stmt, Stmt::Expr(_)) {
            return None;
        }
        start = before.len() - 1;
        end = source.len() - after.len() + 1;
    }
    let unit = TextRange::new(
        ruff_text_size::TextSize::try_from(start).ok()?,
        ruff_text_size::TextSize::try_from(end).ok()?,
    );
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    if stmt.start().to_usize() < line_start && position != Position::Test {
        return None;
    }
    let prefix = &source[line_start..start];
    let head_at = prefix.len() - prefix.trim_start_matches(' ').len();
    let (indent, head) = prefix.split_at(head_at);
    let head_ok = match (stmt, position) {
        (Stmt::Expr(_), _) => head.is_empty(),
        (Stmt::Return(_), _) => head == "return ",
        (Stmt::If(_), _) => head == "if " || head == "elif ",
        (Stmt::While(_), _) => head == "while ",
        _ => head.ends_with(" = ") || head.ends_with("= ") && head.len() > 3,
    };
    if !head_ok {
        return None;
    }
    let rest = &source[end..];
    let tail = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let expected_tail = match position {
        Position::Value | Position::Assigned => "",
        Position::Test => ":",
    };
    // A trailing comment counts in the line's width, as in ruff (pragma comments, which ruff
    // does not count, are left alone).
    let comment = tail.strip_prefix(expected_tail).filter(|c| !c.is_empty());
    if tail != expected_tail && !comment.is_some_and(is_plain_trailing_comment) {
        return None;
    }
    let original = &source[unit];
    let mut sorted: Vec<&crate::fix::edit::Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut rewritten = String::with_capacity(original.len() + 64);
    let mut last = start;
    for edit in sorted {
        let (s, e) = (edit.range.start().to_usize(), edit.range.end().to_usize());
        if s < last {
            return None;
        }
        rewritten.push_str(&source[last..s]);
        rewritten.push_str(&edit.content);
        last = e;
    }
    rewritten.push_str(&source[last..end]);
    let place = Place {
        indent,
        head,
        tail,
        position,
        newline,
        line_width,
    };
    // The whole expression even where the plain edits give the same text: two fixes in one
    // statement then overlap, and the second is laid out in the next round, with the first.
    let laid_out = relayout(original, &rewritten, &place)?;
    Some(crate::fix::edit::Edit::replacement(unit, laid_out))
}

#[cfg(test)]
mod tests {
    use super::{relayout, Place, Position};

    /// A statement value at `indent` (after `head`), with `\n` line ends.
    fn value<'a>(indent: &'a str, head: &'a str) -> Place<'a> {
        Place {
            indent,
            head,
            tail: "",
            position: Position::Value,
            newline: "\n",
            line_width: super::DEFAULT_LINE_WIDTH,
        }
    }

    // The expected layouts are what `ruff format` (0.17) makes of the rewritten statements.

    #[test]
    fn a_call_that_fits_stays_on_one_line() {
        let place = value("        ", "");
        assert_eq!(
            relayout(
                "shutil.move(\"Dockerfile\", new_dockerfile_name_x)",
                "await anyio.to_thread.run_sync(shutil.move, \"Dockerfile\", new_dockerfile_name_x)",
                &place,
            )
            .as_deref(),
            Some("await anyio.to_thread.run_sync(shutil.move, \"Dockerfile\", new_dockerfile_name_x)")
        );
    }

    #[test]
    fn the_outermost_arguments_break_first() {
        let place = value("        ", "");
        assert_eq!(
            relayout(
                "shutil.rmtree(zip_path.parent, ignore_errors=True)",
                "await anyio.to_thread.run_sync(functools.partial(shutil.rmtree, zip_path.parent, ignore_errors=True))",
                &place,
            )
            .as_deref(),
            Some(
                "await anyio.to_thread.run_sync(\n            functools.partial(shutil.rmtree, zip_path.parent, ignore_errors=True)\n        )"
            )
        );
        // Still too long inside: the inner call breaks too, one argument a line, with a
        // trailing comma.
        let place = value("        ", "");
        assert_eq!(
            relayout(
                "copytree(\n            from_path, local_path, dirs_exist_ok=True, ignore=ignore_func, symlinks=True\n        )",
                "await anyio.to_thread.run_sync(functools.partial(copytree,\n            from_path, local_path, dirs_exist_ok=True, ignore=ignore_func, symlinks=True\n        ))",
                &place,
            )
            .as_deref(),
            Some(
                "await anyio.to_thread.run_sync(\n            functools.partial(\n                copytree,\n                from_path,\n                local_path,\n                dirs_exist_ok=True,\n                ignore=ignore_func,\n                symlinks=True,\n            )\n        )"
            )
        );
    }

    #[test]
    fn a_magic_trailing_comma_keeps_one_argument_a_line() {
        let place = value("        ", "");
        assert_eq!(
            relayout(
                "subprocess.run(\n            command_line_arguments,\n            check=True,\n        )",
                "await asyncio.to_thread(subprocess.run,\n            command_line_arguments,\n            check=True,\n        )",
                &place,
            )
            .as_deref(),
            Some("await asyncio.to_thread(\n            subprocess.run,\n            command_line_arguments,\n            check=True,\n        )")
        );
    }

    #[test]
    fn an_if_test_breaks_the_first_call_that_helps() {
        let place = Place {
            head: "if ",
            tail: ":",
            position: Position::Test,
            ..value("        ", "")
        };
        assert_eq!(
            relayout(
                "await anyio.to_thread.run_sync(path.exists) and not path.is_file()",
                "await anyio.to_thread.run_sync(path.exists) and not await anyio.to_thread.run_sync(path.is_file)",
                &place,
            )
            .as_deref(),
            Some("await anyio.to_thread.run_sync(\n            path.exists\n        ) and not await anyio.to_thread.run_sync(path.is_file)")
        );
    }

    #[test]
    fn enclosing_brackets_that_were_broken_stay_broken() {
        let place = value("        ", "return ");
        let original = "[\n            {\n                \"prefect.deployments.steps.set_working_directory\": {\n                    \"directory\": str(Path.cwd().absolute().resolve())\n                }\n            }\n        ]";
        let rewritten = original.replace(
            "Path.cwd().absolute().resolve()",
            "await asyncio.to_thread(Path.cwd().absolute().resolve)",
        );
        assert_eq!(
            relayout(original, &rewritten, &place).as_deref(),
            Some("[\n            {\n                \"prefect.deployments.steps.set_working_directory\": {\n                    \"directory\": str(\n                        await asyncio.to_thread(Path.cwd().absolute().resolve)\n                    )\n                }\n            }\n        ]")
        );
    }

    #[test]
    fn parentheses_where_they_make_the_first_line_fit() {
        // An assigned value whose first line is too long even broken goes in parentheses if
        // that makes it fit.
        let place = Place {
            position: Position::Assigned,
            ..value("                        ", "contents_of_the_file_that_we_read = ")
        };
        assert_eq!(
            relayout(
                "fh.read(some_size_limit_x)",
                "await anyio.to_thread.run_sync(fh.read, some_size_limit_x)",
                &place
            )
            .as_deref(),
            Some("(\n                            await anyio.to_thread.run_sync(fh.read, some_size_limit_x)\n                        )")
        );
    }

    #[test]
    fn line_ends_are_the_files() {
        let place = Place {
            newline: "\r\n",
            ..value("    ", "x = ")
        };
        assert_eq!(
            relayout(
                "subprocess.run(command_line_arguments, check=True, capture_output=True)",
                "await asyncio.to_thread(subprocess.run, command_line_arguments, check=True, capture_output=True)",
                &place,
            )
            .as_deref(),
            Some("await asyncio.to_thread(\r\n        subprocess.run, command_line_arguments, check=True, capture_output=True\r\n    )")
        );
    }

    #[test]
    fn the_projects_line_length() {
        let original = "subprocess.run(command_line_arguments, check=True, capture_output=True)";
        let rewritten =
            "await asyncio.to_thread(subprocess.run, command_line_arguments, check=True, capture_output=True)";
        // 103 columns: one line at 120, broken at 100.
        let at = |line_width| Place {
            line_width,
            ..value("    ", "x = ")
        };
        assert_eq!(relayout(original, rewritten, &at(120)).as_deref(), Some(rewritten));
        assert_eq!(
            relayout(original, rewritten, &at(100)).as_deref(),
            Some("await asyncio.to_thread(\n        subprocess.run, command_line_arguments, check=True, capture_output=True\n    )")
        );
        // At 60 the original is not laid out as ruff would lay it out: no layout.
        assert_eq!(relayout(original, rewritten, &at(60)), None);
    }

    #[test]
    fn an_if_test_with_a_trailing_comment() {
        // The second of two fixes in one test, the first laid out a round before; the
        // comment counts in the line's width. The first line of a call measured expanded
        // (up to its `(`) must fit.
        let place = Place {
            head: "if ",
            tail: ":  # AF101, AF101",
            position: Position::Test,
            ..value("    ", "")
        };
        assert_eq!(
            relayout(
                "await asyncio.to_thread(os.system, first_command) and not os.system(\n        second_command\n    )",
                "await asyncio.to_thread(os.system, first_command) and not await asyncio.to_thread(os.system,\n        second_command\n    )",
                &place,
            )
            .as_deref(),
            Some("await asyncio.to_thread(\n        os.system, first_command\n    ) and not await asyncio.to_thread(os.system, second_command)")
        );
    }

    #[test]
    fn unknown_or_unformatted_originals_are_left_alone() {
        let place = value("    ", "x = ");
        let long = "await asyncio.to_thread(subprocess.run, command_line_arguments, check=True, capture_output=True)";
        for original in [
            // Not laid out as ruff lays it out.
            "subprocess.run( command_line_arguments, check=True, capture_output=True)",
            "subprocess.run(\n        command_line_arguments, check=True\n    )",
            // A comment inside, a tuple, a comprehension: not modelled.
            "subprocess.run(\n        command_line_arguments,  # why\n        check=True,\n    )",
            "subprocess.run((a, b), check=True)",
            "subprocess.run([c for c in a], check=True)",
        ] {
            assert_eq!(relayout(original, long, &place), None, "{original}");
        }
        // Even broken, the first line is too long: ruff weighs parentheses around the value;
        // in an expression statement the model does not know the outcome.
        let place = value("                        ", "");
        assert_eq!(
            relayout(
                "fh.read_whole(size_x)",
                "await anyio.to_thread.run_sync_with_a_much_longer_name_that_overflows(fh.read_whole, size_x)",
                &place
            ),
            None
        );
    }
}

/// A check of the model against ruff on real code: `LAYOUT_FUZZ_IN=dir LAYOUT_FUZZ_OUT=dir
/// cargo test --lib layout_fuzz -- --ignored` lengthens the callee of every statement-level
/// call in the (ruff-formatted) files of `dir`, lays the statements out, and writes the files
/// to the output directory, for `ruff format --check` to judge.
#[cfg(test)]
mod fuzz {
    use ruff_python_ast::{Expr, Stmt};
    use ruff_text_size::{Ranged, TextSize};

    use crate::fix::edit::{apply_edits, Edit};

    fn statements<'a>(body: &'a [Stmt], out: &mut Vec<&'a Stmt>) {
        for stmt in body {
            out.push(stmt);
            match stmt {
                Stmt::FunctionDef(f) => statements(&f.body, out),
                Stmt::ClassDef(c) => statements(&c.body, out),
                Stmt::If(i) => {
                    statements(&i.body, out);
                    for clause in &i.elif_else_clauses {
                        statements(&clause.body, out);
                    }
                }
                Stmt::For(f) => statements(&f.body, out),
                Stmt::While(w) => statements(&w.body, out),
                Stmt::With(w) => statements(&w.body, out),
                Stmt::Try(t) => {
                    statements(&t.body, out);
                    for handler in &t.handlers {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(h) = handler;
                        statements(&h.body, out);
                    }
                    statements(&t.orelse, out);
                    statements(&t.finalbody, out);
                }
                _ => {}
            }
        }
    }

    fn call_of(expr: &Expr) -> Option<&ruff_python_ast::ExprCall> {
        match expr {
            Expr::Call(call) => Some(call),
            Expr::Await(a) => call_of(&a.value),
            _ => None,
        }
    }

    /// The last call (in source order) nested inside `expr`, not `expr` itself.
    fn last_nested_call(expr: &Expr) -> Option<&ruff_python_ast::ExprCall> {
        struct Calls<'a>(Vec<&'a ruff_python_ast::ExprCall>);
        impl<'a> ruff_python_ast::visitor::Visitor<'a> for Calls<'a> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                if let Expr::Call(call) = expr {
                    self.0.push(call);
                }
                ruff_python_ast::visitor::walk_expr(self, expr);
            }
        }
        let mut calls = Calls(Vec::new());
        ruff_python_ast::visitor::walk_expr(&mut calls, expr);
        calls.0.into_iter().rfind(|c| c.range() != expr.range())
    }

    #[test]
    #[ignore = "needs LAYOUT_FUZZ_IN and LAYOUT_FUZZ_OUT"]
    fn layout_fuzz() {
        let input = std::path::PathBuf::from(std::env::var("LAYOUT_FUZZ_IN").unwrap());
        let output = std::path::PathBuf::from(std::env::var("LAYOUT_FUZZ_OUT").unwrap());
        let offload = std::env::var_os("LAYOUT_FUZZ_OFFLOAD").is_some();
        // The last call inside the value's brackets instead of the value itself.
        let nested = std::env::var_os("LAYOUT_FUZZ_NESTED").is_some();
        // The line length the input was formatted with (`ruff format --line-length`).
        let width = std::env::var("LAYOUT_FUZZ_WIDTH").map_or(super::DEFAULT_LINE_WIDTH, |w| w.parse().unwrap());
        let (mut files, mut laid_out) = (0, 0);
        for entry in std::fs::read_dir(&input).unwrap() {
            let path = entry.unwrap().path();
            let Ok(source) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(parsed) = ruff_python_parser::parse_module(&source) else {
                continue;
            };
            let mut all = Vec::new();
            statements(&parsed.syntax().body, &mut all);
            let mut edits = Vec::new();
            for stmt in all {
                let value = match stmt {
                    Stmt::Expr(s) => Some(&*s.value),
                    Stmt::Assign(s) => Some(&*s.value),
                    Stmt::Return(s) => s.value.as_deref(),
                    Stmt::If(s) => Some(&*s.test),
                    _ => None,
                };
                let nested_call = nested.then(|| value.and_then(last_nested_call)).flatten();
                let Some(call) = nested_call.or_else(|| value.and_then(call_of)) else {
                    continue;
                };
                let rewrite = if offload {
                    // What the blocking fixes write: `f(a)` → `await asyncio.to_thread(f, a)`.
                    if call.arguments.is_empty() || !nested && !matches!(value, Some(Expr::Call(_))) {
                        continue;
                    }
                    let func = &source[call.func.range()];
                    Edit::replacement(
                        ruff_text_size::TextRange::new(call.func.start(), call.arguments.start() + TextSize::from(1)),
                        format!("await asyncio.to_thread({func}, "),
                    )
                } else {
                    Edit::insertion(call.func.end(), "_with_a_longer_name")
                };
                if let Some(edit) = super::relayout_statement(&source, stmt, call.range(), &[rewrite], "\n", width) {
                    edits.push(edit);
                }
            }
            edits.sort_by_key(|e| e.range.start());
            edits.dedup_by(|b, a| b.range.start() < a.range.end());
            laid_out += edits.len();
            files += 1;
            let refs: Vec<&Edit> = edits.iter().collect();
            std::fs::write(output.join(path.file_name().unwrap()), apply_edits(&source, &refs)).unwrap();
        }
        eprintln!("{files} files, {laid_out} statements laid out");
    }
}
