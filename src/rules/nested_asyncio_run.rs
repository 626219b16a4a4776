//! AF004 nested-asyncio-run: an event loop started inside a coroutine.
//!
//! The *direct* form (`asyncio.run(c)` written in the coroutine itself) is found and fixed
//! from one file's semantic model: [`check`]. The *indirect* form (a coroutine calls a plain
//! function that calls `asyncio.run`) needs the project index; the last section of this
//! file says how it is found. Both share [`LoopStart::classify`], which recognises a call
//! that starts or runs an event loop wherever it stands.

use ruff_python_ast::token::{parenthesized_range, TokenKind};
use ruff_python_ast::{ArgOrKeyword, Expr, ExprCall, Keyword};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::{Edit, Finding, Fix};
use crate::model::loop_start::LoopStart;
use crate::model::semantic::{BindingKind, CallSite, ScopeId, ScopeKind, Semantic};
use crate::pipeline::checker::Checker;
use crate::project::index::{flow_name, Query};
use crate::registry::Rule;

// =========================================================================================
// Direct form: the call is in async context
// =========================================================================================

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    let first = out.len();
    for site in &semantic.calls {
        let Some(kind) = LoopStart::classify(semantic, site.call, site.scope) else {
            continue;
        };
        // `coro if loop.is_running() else loop.run_until_complete(coro)`: correct anywhere.
        if LoopStart::is_guarded(semantic, site) {
            continue;
        }
        if site.in_async {
            out.push(direct_finding(checker, site, kind));
        } else if checker.at_cell_top_level(site) {
            // A notebook cell: the kernel's loop is running at its top level, and `await`
            // works there. `trio.run` does not refuse a running asyncio loop (it blocks), and
            // `nest_asyncio.apply()` makes the nested call work.
            if kind != LoopStart::TrioRun && !semantic.uses_module("nest_asyncio") {
                out.push(direct_finding(checker, site, kind));
            }
        } else if checker.top_level_await
            && in_top_level_comprehension(semantic, site.scope)
            && kind != LoopStart::TrioRun
            && !semantic.uses_module("nest_asyncio")
        {
            // `[asyncio.run(c) for c in cs]` in a cell fails as well; whether `await` works
            // inside the comprehension there depends on the Python version: no fix.
            let message = format!(
                "`{}` called in a comprehension at the top level of a notebook cell, where an event loop is already \
                 running; await the coroutines instead (no fix: inside a comprehension)",
                kind.display()
            );
            out.push(Finding::new(Rule::NestedAsyncioRun, site.call.range(), message));
        } else if let Some(class) = finalizer_class(semantic, site) {
            if kind != LoopStart::TrioRun {
                out.push(finalizer_finding(site, kind, class));
            }
        } else {
            indirect(checker, site, kind);
        }
    }
    remove_unused_loops(checker, &mut out[first..]);
    // `run` of `run(c)`, `aio` of `aio.run(c)`, `get_event_loop` of
    // `get_event_loop().run_until_complete(c)`: the import the fix may leave unused.
    crate::fix::unused::remove_unused_imports(checker, &mut out[first..], |finding| {
        let site = semantic.calls.iter().find(|s| s.call.range() == finding.range)?;
        let mut func = site.call.func.as_ref();
        loop {
            match func {
                Expr::Name(name) => return Some((name.id.as_str(), site.scope)),
                Expr::Attribute(attribute) => func = attribute.value.as_ref(),
                Expr::Call(call) if call.arguments.is_empty() => func = call.func.as_ref(),
                _ => return None,
            }
        }
    });
}

/// The scope is a list, set or dict comprehension (or several nested) at the module level.
fn in_top_level_comprehension(semantic: &Semantic, mut scope: ScopeId) -> bool {
    let mut seen = false;
    loop {
        let s = semantic.scope(scope);
        match (s.kind, s.parent) {
            (ScopeKind::Module, _) => return seen,
            (ScopeKind::Comprehension, Some(parent)) => {
                seen = true;
                scope = parent;
            }
            _ => return false,
        }
    }
}

/// `loop = asyncio.get_event_loop()` (or `get_running_loop()`, `new_event_loop()`) in a
/// coroutine whose every use of `loop` is a `loop.run_until_complete(c)` that a fix rewrites:
/// the fixes remove the assignment too (as a joint edit: only when all of them apply).
///
/// Proof that nothing else uses it: `loop` is bound once in the function, by that statement,
/// a direct child of the function's body with other statements beside it; no identifier
/// token in the function but the assignment's and the rewritten calls' is `loop` (a nested
/// function reading it, `locals()`, ... count); and its value only gets or makes a loop.
fn remove_unused_loops(checker: &Checker, findings: &mut [Finding]) {
    let semantic = checker.semantic;
    let site_of = |finding: &Finding| {
        finding.fix.as_deref()?;
        semantic.calls.iter().find(|s| s.call.range() == finding.range)
    };
    // (function scope, loop name) of each fixed `loop.run_until_complete(...)`.
    let uses = |finding: &Finding| -> Option<(ScopeId, &str)> {
        let site = site_of(finding)?;
        let Expr::Attribute(attribute) = site.call.func.as_ref() else {
            return None;
        };
        let Expr::Name(name) = attribute.value.as_ref() else {
            return None;
        };
        (attribute.attr.as_str() == "run_until_complete").then_some((site.scope, name.id.as_str()))
    };
    let mut loops: Vec<(ScopeId, &str)> = findings.iter().filter_map(uses).collect();
    loops.sort_unstable();
    loops.dedup();
    for (scope, name) in loops {
        let Some(function) = semantic.enclosing_function(scope).filter(|f| f.scope == scope) else {
            continue;
        };
        let [BindingKind::Assign(value)] = semantic.scope(scope).bindings(name) else {
            continue;
        };
        let Expr::Call(call) = value else { continue };
        let makes_a_loop = call.arguments.is_empty()
            && matches!(
                semantic.qualified_name(&call.func, scope).as_deref(),
                Some("asyncio.get_event_loop" | "asyncio.get_running_loop" | "asyncio.new_event_loop")
            );
        if !makes_a_loop || function.def.body.len() < 2 {
            continue;
        }
        let Some(stmt) = function.def.body.iter().find(|stmt| match stmt {
            ruff_python_ast::Stmt::Assign(a) => {
                a.targets.len() == 1
                    && matches!(&a.targets[0], Expr::Name(n) if n.id.as_str() == name)
                    && a.value.range() == value.range()
            }
            _ => false,
        }) else {
            continue;
        };
        let rewritten = findings.iter().filter(|f| uses(f) == Some((scope, name))).count();
        let mentions = crate::fix::builders::name_tokens(checker.source, checker.tokens, name, function.def.range());
        let looks_around = ["locals", "vars", "eval", "exec"]
            .iter()
            .any(|n| crate::fix::builders::name_tokens(checker.source, checker.tokens, n, function.def.range()) > 0);
        if mentions != rewritten + 1 || looks_around {
            continue;
        }
        crate::fix::unused::delete_with(checker.source, stmt, name, findings, |f| uses(f) == Some((scope, name)));
    }
}

/// The class whose `__del__` the call is in (in its own body).
fn finalizer_class<'a>(semantic: &'a Semantic, site: &CallSite) -> Option<&'a str> {
    let function = &semantic.functions[semantic.direct_function(site.scope)?];
    if function.def.is_async || function.def.name.as_str() != "__del__" {
        return None;
    }
    let class = semantic.classes.iter().find(|c| c.scope == function.parent_scope)?;
    Some(class.def.name.as_str())
}

/// A finalizer drives the loop: the garbage collector runs it wherever the last reference
/// goes, inside a coroutine too. Reported, never fixed (the cure is a new method).
fn finalizer_finding(site: &CallSite, kind: LoopStart, class: &str) -> Finding {
    let message = format!(
        "`{}` in finalizer `{class}.__del__`, which the garbage collector may run inside a coroutine, where an \
         event loop is already running (`RuntimeError`); give `{class}` an `async def close()` (or `aclose()`) \
         and use it with `async with` or `await` instead",
        kind.display()
    );
    Finding::new(Rule::NestedAsyncioRun, site.call.range(), message)
}

/// The indirect form: a loop started in a plain function (or method) that a coroutine
/// reaches through direct calls. Reported, never fixed: decided with the project index.
fn indirect(checker: &Checker, site: &CallSite, kind: LoopStart) {
    // `trio.run` inside an asyncio coroutine does not raise (it blocks): only loop starts that
    // refuse to run inside a running loop are reported.
    if kind == LoopStart::TrioRun {
        return;
    }
    let semantic = checker.semantic;
    let Some(index) = semantic.direct_function(site.scope) else {
        return;
    };
    let function = &semantic.functions[index];
    if function.def.is_async {
        return;
    }
    let Some(flow) = flow_name(semantic, function) else {
        return;
    };
    let message = format!(
        "`{}` in plain function `{flow}` raises `RuntimeError` when a coroutine calls it",
        kind.display()
    );
    let finding = Finding::new(Rule::NestedAsyncioRun, site.call.range(), message);
    let query = Query::LoopStartReached {
        module: checker.module_path.name.clone(),
        flow,
    };
    checker.push_if(finding, query);
}

/// The indirect form, once the walk found the chain from a coroutine (first) to the plain
/// function the loop starts in (last).
pub fn complete_indirect(finding: &mut Finding, chain: &[String]) {
    let links: Vec<String> = chain.iter().rev().map(|n| format!("{n}()")).collect();
    let (Some(coroutine), Some(function)) = (chain.first(), chain.last()) else {
        return;
    };
    let callers = links[..links.len() - 1].join(" \u{2190} ");
    if let Some(class) = coroutine.strip_suffix(".__del__") {
        finding.message.push_str(&format!(
            ": `{callers}` \u{2190} finalizer `{coroutine}()`, which the garbage collector may run inside a coroutine, \
             where an event loop is already running; give `{class}` an `async def close()` (or `aclose()`) and use \
             it with `async with` or `await` instead"
        ));
        return;
    }
    finding.message.push_str(&format!(
        ": `{callers}` \u{2190} coroutine `{coroutine}()`, where an event loop is already running; make `{function}` a \
         coroutine and await instead, or run it in a thread",
    ));
}

/// Why a call is reported without a fix.
type NoFix = &'static str;

/// The parts of the call that the fix keeps and drops.
struct Plan<'a> {
    /// The awaitable (`asyncio.run(c)`) or the function (`trio.run(f, ...)`).
    target: &'a Expr,
    /// The positional arguments after the function (`trio.run` / `anyio.run` only).
    forwarded: Vec<&'a Expr>,
    /// Keyword arguments that the fix drops (`debug=True`, `**options`).
    dropped: Vec<&'a Keyword>,
}

fn direct_finding(checker: &Checker, site: &CallSite, kind: LoopStart) -> Finding {
    let semantic = checker.semantic;
    let function = semantic
        .enclosing_function(site.scope)
        .map(|f| format!(" in coroutine `{}`", f.def.name))
        .unwrap_or_else(|| " at the top level of a notebook cell".to_string());
    let head = format!(
        "`{}` called{function}, where an event loop is already running",
        kind.display()
    );
    let plan = match plan(semantic, site, kind) {
        Ok(plan) => plan,
        Err(reason) => {
            let message = format!("{head}; await the coroutine instead ({reason})");
            return Finding::new(Rule::NestedAsyncioRun, site.call.range(), message);
        }
    };

    let mut notes = Vec::new();
    if !plan.dropped.is_empty() {
        let dropped: Vec<String> = plan.dropped.iter().map(|k| describe_keyword(checker, k)).collect();
        notes.push(format!("the fix drops {}", dropped.join(", ")));
    }
    if let Some(other) = other_framework(semantic, kind) {
        notes.push(format!(
            "unsafe: the module also imports {other}, and a coroutine run by {other} can make this call"
        ));
    }
    let edit = rewrite(checker, site, kind, &plan);
    let title = format!("Replace with `{}`", abbreviate(&edit.content));
    // A call joined onto one line may be too long: laid out as `ruff format` lays it out.
    let edits = checker.laid_out(site, vec![edit]);
    let (fix, message) = if notes.is_empty() {
        (Fix::safe(title, edits), format!("{head}; use `await`"))
    } else {
        (
            Fix::unsafe_(title, edits),
            format!("{head}; use `await` ({})", notes.join("; ")),
        )
    };
    Finding::new(Rule::NestedAsyncioRun, site.call.range(), message).with_fix(Some(fix))
}

/// Check the arguments and split them into what the fix keeps and drops.
fn plan<'a>(semantic: &Semantic, site: &CallSite<'a>, kind: LoopStart) -> Result<Plan<'a>, NoFix> {
    let arguments = &site.call.arguments;
    if kind == LoopStart::RunnerRun {
        return Err("no fix: the runner's lifetime is a design decision");
    }
    let Some(target) = arguments.args.first() else {
        return Err(if arguments.keywords.iter().any(|k| k.arg.is_some()) {
            "no fix: the argument is given by keyword"
        } else {
            "no fix: no positional argument"
        });
    };
    if target.is_starred_expr() {
        return Err("no fix: a starred argument");
    }
    let forwarded: Vec<&Expr> = arguments.args[1..].iter().collect();
    let dropped: Vec<&Keyword> = arguments.keywords.iter().collect();
    match kind {
        LoopStart::AsyncioRun | LoopStart::RunUntilComplete => {
            if !forwarded.is_empty() {
                return Err("no fix: more than one positional argument");
            }
            if kind == LoopStart::RunUntilComplete && !dropped.is_empty() {
                return Err("no fix: keyword arguments");
            }
            if dropped
                .iter()
                .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "main"))
            {
                return Err("no fix: two awaitables");
            }
            if is_coroutine_function(semantic, target, site.scope) {
                return Err("no fix: it is given a coroutine function, not a coroutine; call it");
            }
        }
        LoopStart::TrioRun | LoopStart::AnyioRun => {
            if let Expr::Call(call) = target {
                if is_coroutine_function(semantic, &call.func, site.scope) {
                    return Err("no fix: it is given a coroutine, not the function");
                }
            }
        }
        LoopStart::RunnerRun => unreachable!("returned above"),
    }
    Ok(Plan {
        target,
        forwarded,
        dropped,
    })
}

/// A name bound to an `async def` without `yield` in this file.
fn is_coroutine_function(semantic: &Semantic, expr: &Expr, scope: ScopeId) -> bool {
    let Expr::Name(name) = expr else {
        return false;
    };
    match semantic.binding(name.id.as_str(), scope) {
        Some(BindingKind::Function(index)) => {
            let function = &semantic.functions[index];
            function.def.is_async && !function.has_yield
        }
        _ => false,
    }
}

/// The other framework that makes the fix a guess: a module that imports both asyncio and
/// trio may run some coroutines under each. anyio refuses to nest whatever runs it.
fn other_framework(semantic: &Semantic, kind: LoopStart) -> Option<&'static str> {
    match kind {
        LoopStart::AsyncioRun | LoopStart::RunUntilComplete | LoopStart::RunnerRun => {
            semantic.uses_module("trio").then_some("trio")
        }
        LoopStart::TrioRun => semantic.uses_module("asyncio").then_some("asyncio"),
        LoopStart::AnyioRun => None,
    }
}

fn describe_keyword(checker: &Checker, keyword: &Keyword) -> String {
    let text = checker.text(keyword.range());
    if text.len() <= 40 && !text.contains('\n') {
        return format!("`{text}`");
    }
    match &keyword.arg {
        Some(arg) => format!("`{arg}=...`"),
        None => "`**...`".to_string(),
    }
}

/// A one-line, short version of a replacement for the fix title.
fn abbreviate(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim_end();
    if line.len() < text.len() || line.chars().count() > 50 {
        let short: String = line.chars().take(40).collect();
        format!("{}...", short.trim_end())
    } else {
        line.to_string()
    }
}

/// The one edit that replaces the whole call. One edit rather than several small ones, so
/// that a fix inside the argument (another pass, or a nested `asyncio.run`) overlaps it and
/// waits for the next round instead of combining into `await await c`.
fn rewrite(checker: &Checker, site: &CallSite, kind: LoopStart, plan: &Plan) -> Edit {
    // An `await` in front of the call already (`await loop.run_until_complete(t)`) is kept.
    let wrap = checker.await_wrap(site);
    let mut pieces = if kind.takes_function() {
        call_function(checker, site.call, plan, wrap.open)
    } else {
        await_argument(checker, site.call, plan, wrap.open)
    };
    if !wrap.close.is_empty() {
        pieces.push(Edit::insertion(site.call.end(), wrap.close));
    }
    Edit::replacement(
        site.call.range(),
        splice_within(checker.source, site.call.range(), pieces),
    )
}

/// `asyncio.run(c)` / `loop.run_until_complete(c)` → `await c`, as edits inside the call.
fn await_argument(checker: &Checker, call: &ExprCall, plan: &Plan, prefix: &str) -> Vec<Edit> {
    let arguments = &call.arguments;
    let inner = arguments.inner_range();
    let target = item_range(checker, call, plan.target);
    let leading = TextRange::new(inner.start(), target.start());
    let trailing = TextRange::new(target.end(), inner.end());
    if !has_comment(checker, leading) && !has_comment(checker, trailing) && !has_bare_newline(checker, target) {
        // `await c`, or `await (c)` for an argument that is not a primary.
        let wrap = needs_parens(plan.target, target);
        let (open, close) = if wrap { ("(", ")") } else { ("", "") };
        return vec![
            Edit::replacement(TextRange::new(call.start(), target.start()), format!("{prefix}{open}")),
            Edit::replacement(TextRange::new(target.end(), call.end()), close),
        ];
    }
    // Comments, or line breaks that only the call's parentheses make legal: keep them.
    // `await (\n    c  # comment\n)`, without the trailing comma that would make a tuple.
    let mut edits = vec![Edit::replacement(
        TextRange::new(call.start(), arguments.start()),
        prefix,
    )];
    let dropped: Vec<TextRange> = plan.dropped.iter().map(|k| keyword_range(checker, call, k)).collect();
    if dropped.is_empty() {
        if let Some(comma) = next_comma(checker, target.end(), inner.end()) {
            edits.push(Edit::deletion(comma));
        }
    } else {
        edits.extend(drop_trailing(checker, call, target.end(), &dropped, false));
    }
    edits
}

/// `trio.run(f, a, *b)` / `anyio.run(f, a)` → `await f(a, *b)`, as edits inside the call.
fn call_function(checker: &Checker, call: &ExprCall, plan: &Plan, prefix: &str) -> Vec<Edit> {
    let arguments = &call.arguments;
    let close_paren = arguments.r_paren_range().start();
    let function = item_range(checker, call, plan.target);
    let wrap = needs_parens(plan.target, function) || has_bare_newline(checker, function);
    let (open, close) = if wrap { ("(", ")") } else { ("", "") };
    let mut edits = vec![Edit::replacement(
        TextRange::new(call.start(), function.start()),
        format!("{prefix}{open}"),
    )];
    let comma = next_comma(checker, function.end(), close_paren);
    let after = TextRange::new(function.end(), close_paren);

    if plan.forwarded.is_empty() {
        if plan.dropped.is_empty() && has_comment(checker, after) {
            // `f(  # comment\n)`: the comments stay inside the new call's parentheses.
            let range = TextRange::new(function.end(), comma.map_or(function.end(), |c| c.end()));
            edits.push(Edit::replacement(range, format!("{close}(")));
        } else {
            edits.push(Edit::replacement(
                TextRange::new(function.end(), call.end()),
                format!("{close}()"),
            ));
        }
        return edits;
    }

    // The comma after the function opens the new call; the call's `)` closes it.
    // `f(a)` rather than `f( a)`: the spaces after the comma go too, unless a comment or a
    // line break follows.
    let comma = comma.expect("a positional argument follows the function");
    let rest = &checker.source[usize::from(comma.end())..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let open_end = if rest[spaces..].starts_with(['#', '\n', '\r', '\\']) {
        comma.end()
    } else {
        comma.end() + TextSize::try_from(spaces).expect("the source is smaller than 4 GiB")
    };
    edits.push(Edit::replacement(
        TextRange::new(function.end(), open_end),
        format!("{close}("),
    ));
    // Drop the keywords: one before a kept argument up to the next argument, the ones
    // after the last kept argument together with the comma before them.
    let items: Vec<(bool, TextRange)> = arguments
        .iter_source_order()
        .filter(|item| item.start() > function.end())
        .map(|item| match item {
            ArgOrKeyword::Arg(arg) => (true, item_range(checker, call, arg)),
            ArgOrKeyword::Keyword(keyword) => (false, keyword_range(checker, call, keyword)),
        })
        .collect();
    let last_kept = items
        .iter()
        .rposition(|(kept, _)| *kept)
        .expect("forwarded is not empty");
    for (i, (kept, range)) in items.iter().enumerate() {
        if !kept && i < last_kept {
            edits.push(Edit::deletion(TextRange::new(range.start(), items[i + 1].1.start())));
        }
    }
    let trailing: Vec<TextRange> = items[last_kept + 1..].iter().map(|(_, range)| *range).collect();
    if !trailing.is_empty() {
        edits.extend(drop_trailing(checker, call, items[last_kept].1.end(), &trailing, true));
    }
    edits
}

/// Deletions that drop the arguments `dropped` (in source order) that follow the last kept
/// one, which ends at `kept_end`: `f(b, clock=c)` → `f(b)`. A trailing comma is kept only if
/// `keep_comma` (in `await (c,)` it would make a tuple). Comments among them stay: then only
/// the arguments themselves go, the lines they leave empty with them.
fn drop_trailing(
    checker: &Checker,
    call: &ExprCall,
    kept_end: TextSize,
    dropped: &[TextRange],
    keep_comma: bool,
) -> Vec<Edit> {
    let close_paren = call.arguments.r_paren_range().start();
    let (first, last) = (dropped[0].start(), dropped[dropped.len() - 1].end());
    let after_last = next_comma(checker, last, close_paren).map_or(last, |comma| comma.end());
    if !has_comment(checker, TextRange::new(kept_end, last)) {
        let end = if keep_comma { last } else { after_last };
        return vec![Edit::deletion(TextRange::new(kept_end, end))];
    }
    let mut edits = Vec::new();
    if !keep_comma {
        if let Some(comma) = next_comma(checker, kept_end, first) {
            edits.push(Edit::deletion(comma));
        }
    }
    edits.push(Edit::deletion(widen(checker.source, TextRange::new(first, after_last))));
    edits
}

/// `range` grown over the spaces that follow it when a comment follows them, or over its
/// whole line when nothing else is on it.
fn widen(source: &str, range: TextRange) -> TextRange {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    let before = &source[..start];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let after = &source[end..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    let rest = &after[spaces..];
    let to_offset = |i: usize| TextSize::try_from(i).expect("the source is smaller than 4 GiB");
    if rest.starts_with('#') {
        TextRange::new(range.start(), to_offset(end + spaces))
    } else if before[line_start..].trim_start_matches([' ', '\t']).is_empty() && rest.starts_with(['\n', '\r']) {
        let newline = if rest.starts_with("\r\n") { 2 } else { 1 };
        TextRange::new(to_offset(line_start), to_offset(end + spaces + newline))
    } else {
        range
    }
}

/// The text of `range` with `edits` (sorted, non-overlapping, inside `range`) spliced in.
fn splice_within(source: &str, range: TextRange, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::new();
    let mut last = range.start();
    for edit in &edits {
        debug_assert!(edit.range.start() >= last && edit.range.end() <= range.end());
        out.push_str(&source[TextRange::new(last, edit.range.start())]);
        out.push_str(&edit.content);
        last = edit.range.end();
    }
    out.push_str(&source[TextRange::new(last, range.end())]);
    out
}

/// An argument's range with its own parentheses, if it has any: `f((a if b else c))`.
fn item_range(checker: &Checker, call: &ExprCall, expr: &Expr) -> TextRange {
    parenthesized_range(expr.into(), (&call.arguments).into(), checker.tokens).unwrap_or(expr.range())
}

fn keyword_range(checker: &Checker, call: &ExprCall, keyword: &Keyword) -> TextRange {
    keyword.range().cover(item_range(checker, call, &keyword.value))
}

/// The comma that is the next token after `offset` (comments and line breaks skipped),
/// before `limit`.
fn next_comma(checker: &Checker, offset: TextSize, limit: TextSize) -> Option<TextRange> {
    checker
        .tokens
        .in_range(TextRange::new(offset, limit))
        .iter()
        .find(|t| !t.kind().is_trivia())
        .filter(|t| t.kind() == TokenKind::Comma)
        .map(Ranged::range)
}

fn has_comment(checker: &Checker, range: TextRange) -> bool {
    checker
        .tokens
        .in_range(range)
        .iter()
        .any(|t| t.kind() == TokenKind::Comment)
}

/// A line break (or comment) in `range` outside any bracket opened in it: legal only
/// because the call's parentheses enclose it (`asyncio.run(a\n  .b())`).
fn has_bare_newline(checker: &Checker, range: TextRange) -> bool {
    let mut depth = 0usize;
    for token in checker.tokens.in_range(range) {
        match token.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => depth += 1,
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => depth = depth.saturating_sub(1),
            TokenKind::NonLogicalNewline | TokenKind::Newline | TokenKind::Comment if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// `await` takes a primary: anything else needs parentheses (`await (a if b else c)`,
/// `await (x or y)`, `await (lambda: 1)`, `await (yield)`), unless it has its own.
fn needs_parens(expr: &Expr, range: TextRange) -> bool {
    if range != expr.range() {
        return false;
    }
    !matches!(
        expr,
        Expr::Name(_)
            | Expr::Attribute(_)
            | Expr::Call(_)
            | Expr::Subscript(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::FString(_)
            | Expr::TString(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::List(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::ListComp(_)
            | Expr::SetComp(_)
            | Expr::DictComp(_)
    ) && !matches!(expr, Expr::Tuple(t) if t.parenthesized)
        && !matches!(expr, Expr::Generator(g) if g.parenthesized)
}

// =========================================================================================
// Indirect form: how it is found
// =========================================================================================
//
// `project::summary` records, per module-level function and method (`Flow`), whether it
// starts a loop in its own body (an unguarded `LoopStart`: `LoopStart::is_guarded` says
// when the call runs only with no loop running) and which project functions it calls
// (`CallRef`: `self.m()`, module functions, `Class.m()`, methods on receivers whose project
// class the type evidence knows). `ProjectIndex::reached_loops` walks forward from every
// coroutine through plain sync functions (at most 3 deep, shortest chain kept) and answers
// `Query::LoopStartReached`; a project that calls `nest_asyncio.apply()` reaches nothing.
// [`indirect`] pushes the finding at the loop start with that query; [`complete_indirect`]
// adds the chain. Finalizers (`__del__`) are reported from their own body, without the walk.

#[cfg(test)]
mod tests {
    use crate::registry::Rule;

    /// `module` with every AF004 fix applied (the unsafe ones too, if asked).
    fn fixed(module: &str, unsafe_fixes: bool) -> String {
        crate::rules::blocking::tests::fixed(module, &[Rule::NestedAsyncioRun], (3, 9), unsafe_fixes)
    }

    /// The body of a coroutine after the fixes, for a module importing `framework` (and
    /// using it elsewhere, so that no fix removes the import).
    fn body(framework: &str, body: &str, unsafe_fixes: bool) -> String {
        let head = format!("import {framework}\n\nKEEP = {framework}\n\n\nasync def f(a, b, c, *items, **opts):\n");
        let out = fixed(&format!("{head}{body}"), unsafe_fixes);
        out.strip_prefix(&head).expect("the header is untouched").to_string()
    }

    #[test]
    fn unsafe_fixes_drop_the_extra_arguments() {
        let cases = [
            ("    asyncio.run(a, debug=True)\n", "    await a\n"),
            ("    x = asyncio.run(a, debug=True).y\n", "    x = (await a).y\n"),
            ("    asyncio.run(a, loop_factory=b, debug=c)\n", "    await a\n"),
            (
                "    x = asyncio.run(\n        a,\n        debug=True,  # verbose\n    )\n",
                "    x = await (\n        a  # verbose\n    )\n",
            ),
            (
                "    x = asyncio.run(\n        a,  # the coroutine\n        debug=True,\n    )\n",
                "    x = await (\n        a  # the coroutine\n    )\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body("asyncio", before, true), after, "{before}");
            assert_eq!(body("asyncio", before, false), before, "{before}: unsafe");
        }
        let cases = [
            ("    trio.run(a, clock=c)\n", "    await a()\n"),
            ("    trio.run(a, b, clock=c)\n", "    await a(b)\n"),
            ("    trio.run(a, clock=c, *items)\n", "    await a(*items)\n"),
            (
                "    trio.run(a, b, clock=c, strict_exception_groups=True,)\n",
                "    await a(b,)\n",
            ),
            ("    trio.run(a, b, **opts)\n", "    await a(b)\n"),
            (
                "    trio.run(\n        a,\n        b,  # first\n        clock=c,  # test clock\n    )\n",
                "    await a(\n        b,  # first\n        # test clock\n    )\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body("trio", before, true), after, "{before}");
            assert_eq!(body("trio", before, false), before, "{before}: unsafe");
        }
        assert_eq!(
            body("anyio", "    anyio.run(a, 1, backend='trio')\n", true),
            "    await a(1)\n"
        );
    }

    #[test]
    fn safe_fixes() {
        let cases = [
            ("    trio.run(a, b)\n", "    await a(b)\n"),
            ("    trio.run(a,)\n", "    await a()\n"),
            ("    trio.run(a, )\n", "    await a()\n"),
            ("    trio.run(lambda: a)\n", "    await (lambda: a)()\n"),
            ("    trio.run(a).x\n", "    (await a()).x\n"),
            ("    trio.run(a.b, *items)\n", "    await a.b(*items)\n"),
            ("    return trio.run(a) + 1\n", "    return await a() + 1\n"),
            (
                "    trio.run(a,  # why\n             b)\n",
                "    await a(  # why\n             b)\n",
            ),
            (
                "    trio.run(\n        a  # why\n    )\n",
                "    await a(  # why\n    )\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body("trio", before, false), after, "{before}");
        }
        let cases = [
            ("    asyncio.run(a)\n", "    await a\n"),
            ("    asyncio.run( a , )\n", "    await a\n"),
            ("    asyncio.run(\n        a.b()\n    )\n", "    await a.b()\n"),
            ("    asyncio.run(a\n        .b())\n", "    await (a\n        .b())\n"),
            ("    x = asyncio.run(not a)\n", "    x = await (not a)\n"),
            ("    x = asyncio.run(a == b)\n", "    x = await (a == b)\n"),
            ("    x = asyncio.run(a + b)\n", "    x = await (a + b)\n"),
            ("    x = asyncio.run((a, b))\n", "    x = await (a, b)\n"),
            ("    x = asyncio.run(*items)\n", "    x = asyncio.run(*items)\n"),
            ("    x = [asyncio.run(a)][0]\n", "    x = [await a][0]\n"),
            ("    x = asyncio.run(a)()\n", "    x = (await a)()\n"),
            ("    x = 2 ** asyncio.run(a)\n", "    x = 2 ** await a\n"),
            (
                "    f(*asyncio.run(a), **asyncio.run(b))\n",
                "    f(*await a, **await b)\n",
            ),
            (
                "    x = {asyncio.run(a): asyncio.run(b)}\n",
                "    x = {await a: await b}\n",
            ),
            ("    x = asyncio.run(a) if b else c\n", "    x = await a if b else c\n"),
            ("    x = asyncio.run(i for i in b)\n", "    x = await (i for i in b)\n"),
            ("    x = await asyncio.run(a or b)\n", "    x = await (a or b)\n"),
            (
                "    x = asyncio.run(a \\\n        .b())\n",
                "    x = await a \\\n        .b()\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body("asyncio", before, false), after, "{before}");
        }
    }

    #[test]
    fn nothing_outside_async_context() {
        let module = "import asyncio\n\n\nasync def f(c):\n    def g(x=asyncio.run(c)):\n        asyncio.run(c)\n    return [lambda: asyncio.run(c) for _ in ()], g\n";
        let expected = "import asyncio\n\n\nasync def f(c):\n    def g(x=await c):\n        asyncio.run(c)\n    return [lambda: asyncio.run(c) for _ in ()], g\n";
        assert_eq!(fixed(module, true), expected);
    }
}
