//! What the blocking-call rules share: AF101 blocking-subprocess, AF102 blocking-http,
//! AF103 blocking-file, AF104 blocking-input and AF105 blocking-path each find the calls of
//! their part of the table (`crate::model::blocking_calls`) in async context and offer to run
//! them in a worker thread;
//! and each reports the calls in a coroutine of sync project functions that reach a blocking
//! call of its part through sync helpers (the indirect form, decided with the project index).
//! AF003 blocking-sleep finds `time.sleep` in coroutines itself; its indirect form is here too
//! ([`SLEEP_THROUGH_HELPERS`]).

use ruff_python_ast::token::parenthesized_range;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::edit::{Edit, Finding, Fix};
use crate::knowledge::blocking::{Kind, FILE_WRAPPERS};
use crate::model::blocking_calls::{classify, contains_await, may_be, Blocking};
use crate::model::framework::Framework;
use crate::model::semantic::{BindingKind, CallSite, ClassInfo, Resolved, MODULE_SCOPE};
use crate::pipeline::checker::Checker;
use crate::project::index::{call_ref, BlockingReach, CallRef, Query};
use crate::registry::Rule;

/// The indirect form of AF003: a coroutine calls a sync function of the project that calls
/// `time.sleep` (a second check of the rule; `blocking_sleep` finds the direct form).
pub fn sleep_through_helpers(checker: &Checker, _out: &mut Vec<Finding>) {
    indirect(checker, Rule::BlockingSleep);
}

/// The check of the blocking rule `rule`: direct calls of its table entries in async
/// context, and calls there of sync helpers that reach one.
pub fn check(checker: &Checker, rule: Rule, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    for (index, blocking) in blocking_sites(checker).iter().filter(|(_, b)| b.rule == rule) {
        let site = &semantic.calls[*index];
        if blocking.kind == Kind::FileObject && is_wrapped_file(checker, site) {
            continue;
        }
        if on_opened_object(checker, site) {
            continue;
        }
        out.push(direct(checker, site, blocking));
    }
    indirect(checker, rule);
}

/// The calls in async context that the table lists under an enabled rule (call index, what
/// it is): classified once for all the blocking passes, as a receiver's type is costly to
/// find and one call can be a candidate of several rules.
fn blocking_sites<'c>(checker: &'c Checker) -> &'c [(usize, Blocking)] {
    checker.blocking_sites.get_or_init(|| {
        let semantic = checker.semantic;
        let rules: Vec<Rule> = DIRECT_RULES
            .iter()
            .copied()
            .filter(|r| checker.rules.contains(r))
            .collect();
        semantic
            .calls
            .iter()
            .enumerate()
            .filter(|(_, site)| site.in_async && rules.iter().any(|&rule| may_be(rule, site.call)))
            .filter_map(|(index, site)| {
                let blocking = classify(semantic, site.call, site.scope)?;
                rules.contains(&blocking.rule).then_some((index, blocking))
            })
            .collect()
    })
}

/// The rules of the calls the table lists (AF003's `time.sleep` has a pass of its own).
const DIRECT_RULES: &[Rule] = &[
    Rule::BlockingSubprocess,
    Rule::BlockingHttp,
    Rule::BlockingFile,
    Rule::BlockingInput,
    Rule::BlockingPath,
];

/// `open(p).read()`: a method of the object that a reported call (`open(p)`) returns right
/// there. That call's finding covers both (its message says the object blocks too; the fix
/// is one sync function for the two), so the method is not reported on its own.
fn on_opened_object(checker: &Checker, site: &CallSite) -> bool {
    let Expr::Attribute(attribute) = site.call.func.as_ref() else {
        return false;
    };
    let Expr::Call(receiver) = attribute.value.as_ref() else {
        return false;
    };
    classify(checker.semantic, receiver, site.scope).is_some_and(|b| b.kind == Kind::FileObject)
}

/// `trio.wrap_file(open(p))`: the file object goes straight into an async wrapper.
fn is_wrapped_file(checker: &Checker, site: &CallSite) -> bool {
    let Some(Expr::Call(outer)) = site.parent else {
        return false;
    };
    outer
        .arguments
        .args
        .first()
        .is_some_and(|first| first.range() == site.call.range())
        && checker
            .semantic
            .qualified_name(&outer.func, site.scope)
            .is_some_and(|q| FILE_WRAPPERS.contains(&q.as_str()))
}

// =========================================================================================
// Direct form: a table entry called in async context
// =========================================================================================

fn direct(checker: &Checker, site: &CallSite, blocking: &Blocking) -> Finding {
    let function = checker
        .semantic
        .enclosing_function(site.scope)
        .map(|f| format!(" in `{}`", f.def.name))
        .unwrap_or_default();
    let head = format!("`{}()` blocks the event loop{function}", blocking.name);
    let choice = crate::model::framework::choose(checker.semantic, site.scope);
    let form = match choice.framework {
        Framework::Asyncio if checker.options.target_version >= (3, 9) => "`await asyncio.to_thread()`".to_string(),
        Framework::Asyncio => "`await loop.run_in_executor()`".to_string(),
        other => format!("`await {}.to_thread.run_sync()`", other.module()),
    };
    match fix(checker, site, blocking, choice.framework) {
        Ok(fix) => {
            let mut message = format!("{head}; run it in a worker thread with {form}");
            if blocking.kind == Kind::FileObject && !site.is_statement() {
                message.push_str(" (reading or writing the object it returns blocks too)");
            }
            if let Some(doubt) = &choice.doubt {
                message.push_str(&format!(
                    " (the framework is a guess: {})",
                    crate::rules::framework_doubt(doubt)
                ));
            }
            Finding::new(blocking.rule, site.call.range(), message).with_fix(Some(fix))
        }
        Err(reason) => Finding::new(
            blocking.rule,
            site.call.range(),
            format!("{head}; run it in a worker thread ({reason})"),
        ),
    }
}

/// Why a call is reported without a fix.
type NoFix = &'static str;

/// `f(args)` → `await asyncio.to_thread(f, args)` (3.9+), or
/// `await asyncio.get_running_loop().run_in_executor(None, functools.partial(f, args))`; under
/// trio or anyio `await trio.to_thread.run_sync(f, args)` (`functools.partial` for keyword
/// arguments, which `run_sync` keeps for itself).
fn fix(checker: &Checker, site: &CallSite, blocking: &Blocking, framework: Framework) -> Result<Fix, NoFix> {
    let semantic = checker.semantic;
    let call = site.call;
    if in_with_item(site) {
        return Err("no fix: the `with` block that uses it blocks too; move the block into a sync function and run that in a thread");
    }
    match blocking.kind {
        Kind::Call => {}
        Kind::ContextManager => {
            return Err("no fix: it blocks in the `with` block that uses it; move the block into a sync function and run that in a thread");
        }
        Kind::FileObject if !is_stored_returned_or_dropped(site) => {
            return Err("no fix: reading or writing the object it returns blocks too; move that code into a sync function and run it in a thread");
        }
        Kind::FileObject => {}
        Kind::Iterator => {
            return Err("no fix: it returns an iterator that blocks as it is consumed; move the loop over it into a sync function and run that in a thread");
        }
        Kind::Process => {
            return Err(
                "no fix: use `await asyncio.create_subprocess_exec(...)` (or `_shell`) and await the process's methods",
            );
        }
    }
    if contains_await(call) {
        return Err("no fix: its arguments contain `await`");
    }
    let func_range =
        parenthesized_range(call.func.as_ref().into(), call.into(), checker.tokens).unwrap_or(call.func.range());
    let arguments_start = call.arguments.start();
    // Only blanks between the callee and `(`: its text can move into the new call.
    if !checker
        .text(TextRange::new(func_range.end(), arguments_start))
        .trim()
        .is_empty()
    {
        return Err("no fix: a comment or line continuation before its arguments");
    }
    let func = checker.text(func_range);
    let module = checker
        .importer
        .module_ref(semantic, framework.module(), site.scope, call.start())
        .ok_or(match framework {
            Framework::Asyncio => "no fix: the name `asyncio` stands for something else here",
            Framework::Trio => "no fix: the name `trio` stands for something else here",
            Framework::Anyio => "no fix: the name `anyio` stands for something else here",
        })?;
    // Already awaited (a `TypeError` at run time): the `await` is kept as it is.
    let wrap = checker.await_wrap(site);
    let open = wrap.open;
    let has_arguments = !call.arguments.is_empty();
    // `f(  # comment` keeps its own spacing after the new comma.
    let after_paren = &checker.source[usize::from(arguments_start) + 1..];
    let comma = if after_paren.starts_with([' ', '\t', '\n', '\r']) {
        ","
    } else {
        ", "
    };
    let functools = || {
        checker
            .importer
            .module_ref(semantic, "functools", site.scope, call.start())
            .ok_or("no fix: the name `functools` stands for something else here")
    };
    let mut functools_import = None;
    let name = &module.name;
    let (head, close, title) = match framework {
        Framework::Asyncio if checker.options.target_version >= (3, 9) => {
            let separator = if has_arguments { comma } else { "" };
            (
                format!("{open}{name}.to_thread({func}{separator}"),
                "",
                format!("Run it with `await {name}.to_thread({func}, ...)`"),
            )
        }
        Framework::Asyncio => {
            let head = format!("{open}{name}.get_running_loop().run_in_executor(None, ");
            if has_arguments {
                let functools = functools()?;
                let head = format!("{head}{}.partial({func}{comma}", functools.name);
                functools_import = functools.import;
                (
                    head,
                    ")",
                    "Run it with `loop.run_in_executor(None, functools.partial(...))`".to_string(),
                )
            } else {
                (
                    format!("{head}{func}"),
                    "",
                    "Run it with `loop.run_in_executor(None, ...)`".to_string(),
                )
            }
        }
        Framework::Trio | Framework::Anyio => {
            let title = format!("Run it with `await {name}.to_thread.run_sync({func}, ...)`");
            if call.arguments.keywords.is_empty() {
                let separator = if has_arguments { comma } else { "" };
                (format!("{open}{name}.to_thread.run_sync({func}{separator}"), "", title)
            } else {
                let functools = functools()?;
                let head = format!(
                    "{open}{name}.to_thread.run_sync({}.partial({func}{comma}",
                    functools.name
                );
                functools_import = functools.import;
                (head, ")", title)
            }
        }
    };
    // `f(` → `await asyncio.to_thread(f, ` (the arguments and `)` stay as written).
    let mut edits = vec![Edit::replacement(
        TextRange::new(func_range.start(), arguments_start + TextSize::from(1)),
        head,
    )];
    // A lone generator argument needs its own parentheses once it is not the only one.
    if let ([Expr::Generator(generator)], []) = (&*call.arguments.args, &*call.arguments.keywords) {
        if !generator.parenthesized {
            edits.push(Edit::insertion(generator.start(), "("));
            edits.push(Edit::insertion(generator.end(), ")"));
        }
    }
    let tail = format!("{close}{}", wrap.close);
    if !tail.is_empty() {
        edits.push(Edit::insertion(call.end(), tail));
    }
    // The longer call laid out as `ruff format` lays it out, where the statement was.
    let mut edits = checker.laid_out(site, edits);
    edits.extend(module.import);
    edits.extend(functools_import);
    Ok(Fix::unsafe_(title, edits))
}

/// The call is a context manager of a `with` (or `async with`) item.
fn in_with_item(site: &CallSite) -> bool {
    site.parent.is_none()
        && matches!(site.stmt, Stmt::With(w) if w.items.iter().any(|i| i.context_expr.range() == site.call.range()))
}

/// The call's value is stored or returned as a whole (`f = open(p)`, `self.f = open(p)`,
/// `return open(p)`): what it returns is used elsewhere; or it is dropped (`urlopen(u)`).
fn is_stored_returned_or_dropped(site: &CallSite) -> bool {
    if site.parent.is_some() {
        return false;
    }
    let range = site.call.range();
    match site.stmt {
        Stmt::Assign(a) => a.value.range() == range,
        Stmt::AnnAssign(a) => a.value.as_ref().is_some_and(|v| v.range() == range),
        Stmt::Return(r) => r.value.as_ref().is_some_and(|v| v.range() == range),
        Stmt::Expr(e) => e.value.range() == range,
        _ => false,
    }
}

// =========================================================================================
// Indirect form: a sync helper of the project that reaches a blocking call
// =========================================================================================

/// The calls in async context of sync functions of the project: reported (never fixed) if
/// the project index finds a blocking call of `rule` at most three functions down. The
/// answer is the whole message (nothing is spent on the many calls that reach nothing).
fn indirect(checker: &Checker, rule: Rule) {
    // One question per call site answers for every enabled rule: asked by the first of them.
    // (Where suppression comments may be, each rule asks its own, so that a comment naming
    // one rule is matched against that rule's finding.)
    let rules: Vec<Rule> = if checker.may_suppress {
        vec![rule]
    } else {
        HELPER_RULES
            .iter()
            .copied()
            .filter(|r| checker.rules.contains(r))
            .collect()
    };
    if rules.first() != Some(&rule) {
        return;
    }
    let semantic = checker.semantic;
    for (index, callee) in helper_sites(checker).iter() {
        let finding = Finding::new(rule, semantic.calls[*index].call.range(), String::new());
        let query = Query::BlockingReached {
            callee: callee.clone(),
            rules: rules.clone(),
        };
        checker.push_if(finding, query);
    }
}

/// The message of the helper form: `refresh() → _download() → requests.get()` blocks the loop.
pub fn helper_message(reach: &BlockingReach) -> String {
    let links: Vec<String> = reach.chain.iter().map(|n| format!("{n}()")).collect();
    format!(
        "`{} \u{2192} {}()` blocks the event loop (sync calls from a coroutine); run the call in a worker \
         thread with `await asyncio.to_thread()`, or make the chain async",
        links.join(" \u{2192} "),
        reach.call
    )
}

/// The rules the helper form reports, in the order the passes run.
const HELPER_RULES: &[Rule] = &[
    Rule::BlockingSleep,
    Rule::BlockingSubprocess,
    Rule::BlockingHttp,
    Rule::BlockingFile,
    Rule::BlockingInput,
    Rule::BlockingPath,
];

/// The calls in async context that may be calls of sync helpers of the project, by index
/// into `Semantic::calls`, with their callees. They are the same for every blocking rule:
/// found once per analysis and shared by the passes that follow.
fn helper_sites<'c>(checker: &'c Checker) -> &'c [(usize, CallRef)] {
    checker.helper_sites.get_or_init(|| {
        let semantic = checker.semantic;
        semantic
            .calls
            .iter()
            .enumerate()
            .filter(|(_, site)| site.in_async)
            .filter_map(|(index, site)| {
                let callee = helper(checker, site)?;
                // A table entry that is a function of the project too (the project is
                // `requests`): the direct form's business.
                classify(semantic, site.call, site.scope)
                    .is_none()
                    .then_some((index, callee))
            })
            .collect()
    })
}

/// The callee, when it may be a sync function of the project: a module-level `def` of this
/// file that is not `async`, a method through `self`/`cls` or a module-level class that the
/// class does not define as `async`, or a name imported from the project (`helper()`,
/// `util.helper()`). Whatever this file already shows to be something else is not asked
/// about; the leftmost name decides before anything is allocated.
fn helper(checker: &Checker, site: &CallSite) -> Option<CallRef> {
    let semantic = checker.semantic;
    let scope = site.scope;
    // `raise Error(...)`: a constructor, which the walk does not follow.
    if site.parent.is_none()
        && matches!(site.stmt, Stmt::Raise(r) if r.exc.as_deref().is_some_and(|e| e.range() == site.call.range()))
    {
        return None;
    }
    let func = site.call.func.as_ref();
    let mut base = func;
    while let Expr::Attribute(attribute) = base {
        base = &attribute.value;
    }
    let Expr::Name(name) = base else {
        return None;
    };
    let method = match func {
        Expr::Attribute(attribute) => {
            let method = attribute.attr.as_str();
            if method.starts_with("__") && method.ends_with("__") {
                return None;
            }
            Some((attribute, method))
        }
        _ => None,
    };
    match semantic.resolve(name.id.as_str(), scope) {
        Resolved::Binding {
            kind: BindingKind::Import(q),
            ..
        } => {
            if !q.starts_with('.') && !checker.is_project(&q) {
                return None;
            }
        }
        Resolved::Binding {
            kind: BindingKind::Function(i),
            ..
        } => {
            let function = &semantic.functions[i];
            if method.is_some() || function.def.is_async || function.parent_scope != MODULE_SCOPE {
                return None;
            }
        }
        // `ClassName.m()`: a method of a module-level class (a constructor is not followed).
        Resolved::Binding {
            kind: BindingKind::Class(i),
            ..
        } => {
            let (attribute, method) = method?;
            let class = &semantic.classes[i];
            if !attribute.value.is_name_expr()
                || class.parent_scope != MODULE_SCOPE
                || defines_async(checker, class, method)
            {
                return None;
            }
        }
        // `self.m()` / `cls.m()`.
        Resolved::Binding {
            kind: BindingKind::Parameter(_),
            ..
        } => {
            let (attribute, method) = method?;
            let class = semantic.self_class(&attribute.value, scope)?;
            if defines_async(checker, class, method) {
                return None;
            }
        }
        _ => return None,
    }
    call_ref(semantic, site.call, scope, checker.module_path)
}

/// The class body binds `method` to an `async def`.
fn defines_async(checker: &Checker, class: &ClassInfo, method: &str) -> bool {
    let semantic = checker.semantic;
    matches!(
        semantic.resolve(method, class.scope),
        Resolved::Binding { kind: BindingKind::Function(i), scope } if scope == class.scope && semantic.functions[i].def.is_async
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::fix::apply::fix_file;
    use crate::pipeline::analyze::{analyze, Context};
    use crate::pipeline::checker::PassOptions;
    use crate::project::index::ModulePath;
    use crate::registry::Rule;

    /// `module` with every fix of `rules` applied (the unsafe ones too, if asked), for the
    /// target version `target`.
    pub fn fixed(module: &str, rules: &[Rule], target: (u8, u8), unsafe_fixes: bool) -> String {
        let options = PassOptions {
            target_version: target,
            ..PassOptions::default()
        };
        let module_path = ModulePath::default();
        let roots = Default::default();
        let ctx = Context {
            rules,
            options: &options,
            module_path: &module_path,
            roots: &roots,
            index: None,
            summarize: false,
        };
        let first = analyze(module, &ctx).unwrap();
        fix_file(module, first, &ctx, unsafe_fixes).unwrap().text
    }

    /// The body of a coroutine after the fixes (3.9+ unless `target` says otherwise).
    pub fn body(imports: &str, body: &str, target: (u8, u8)) -> String {
        let rules = &[
            Rule::BlockingSubprocess,
            Rule::BlockingHttp,
            Rule::BlockingFile,
            Rule::BlockingInput,
        ];
        let head = format!("{imports}\n\n\nasync def f(a, b, *items, **opts):\n");
        let before = format!("{head}{body}");
        assert_eq!(
            fixed(&before, rules, target, false),
            before,
            "safe fixes only: nothing changes"
        );
        let out = fixed(&before, rules, target, true);
        let out_head = out.find("\n\n\nasync def f(").expect("the coroutine is kept");
        out[out_head + "\n\n\n".len()..]
            .strip_prefix("async def f(a, b, *items, **opts):\n")
            .unwrap()
            .to_string()
    }

    #[test]
    fn to_thread() {
        let imports = "import asyncio\nimport subprocess\nimport requests\nimport os";
        let cases = [
            (
                "    subprocess.run(a)\n",
                "    await asyncio.to_thread(subprocess.run, a)\n",
            ),
            (
                "    r = subprocess.run(a, check=True, capture_output=True)\n",
                "    r = await asyncio.to_thread(subprocess.run, a, check=True, capture_output=True)\n",
            ),
            (
                "    x = requests.get(a).json()\n",
                "    x = (await asyncio.to_thread(requests.get, a)).json()\n",
            ),
            (
                "    x = (requests.get(a)).json()\n",
                "    x = (await asyncio.to_thread(requests.get, a)).json()\n",
            ),
            ("    x = input()\n", "    x = await asyncio.to_thread(input)\n"),
            ("    x = input(  )\n", "    x = await asyncio.to_thread(input  )\n"),
            (
                "    x = input('> ')\n",
                "    x = await asyncio.to_thread(input, '> ')\n",
            ),
            (
                "    os.system(*items)\n",
                "    await asyncio.to_thread(os.system, *items)\n",
            ),
            (
                "    requests.post(**opts)\n",
                "    await asyncio.to_thread(requests.post, **opts)\n",
            ),
            (
                "    subprocess.run(\n        a,  # the command\n        check=True,\n    )\n",
                "    await asyncio.to_thread(subprocess.run,\n        a,  # the command\n        check=True,\n    )\n",
            ),
            (
                "    subprocess.run(  # why\n        a)\n",
                "    await asyncio.to_thread(subprocess.run,  # why\n        a)\n",
            ),
            ("    (os.system)(a)\n", "    await asyncio.to_thread((os.system), a)\n"),
            ("    os.system (a)\n", "    await asyncio.to_thread(os.system, a)\n"),
            (
                "    x = [os.system(c) for c in a]\n",
                "    x = [await asyncio.to_thread(os.system, c) for c in a]\n",
            ),
            (
                "    return os.system(a) == 0\n",
                "    return await asyncio.to_thread(os.system, a) == 0\n",
            ),
            (
                "    x = os.system(a)[0]\n",
                "    x = (await asyncio.to_thread(os.system, a))[0]\n",
            ),
            (
                "    x = not os.system(a)\n",
                "    x = not await asyncio.to_thread(os.system, a)\n",
            ),
            (
                "    x = await os.system(a)\n",
                "    x = await asyncio.to_thread(os.system, a)\n",
            ),
            ("    f(x=input())\n", "    f(x=await asyncio.to_thread(input))\n"),
            (
                "    x = f'{input()}'\n",
                "    x = f'{await asyncio.to_thread(input)}'\n",
            ),
            (
                "    os.system(c for c in a)\n",
                "    await asyncio.to_thread(os.system, (c for c in a))\n",
            ),
            (
                "    requests.post(a, data=input())\n",
                "    await asyncio.to_thread(requests.post, a, data=await asyncio.to_thread(input))\n",
            ),
            // Stored or returned: the object is used elsewhere.
            ("    fh = open(a)\n", "    fh = await asyncio.to_thread(open, a)\n"),
            ("    os.popen(a)\n", "    await asyncio.to_thread(os.popen, a)\n"),
            (
                "    return open(a, 'rb')\n",
                "    return await asyncio.to_thread(open, a, 'rb')\n",
            ),
            // Methods of a sync file object.
            (
                "    with open(a) as fh:\n        x = fh.read()\n",
                "    with open(a) as fh:\n        x = await asyncio.to_thread(fh.read)\n",
            ),
            (
                "    fh = open(a, 'wb')\n    fh.write(b)\n    fh.close()\n",
                "    fh = await asyncio.to_thread(open, a, 'wb')\n    await asyncio.to_thread(fh.write, b)\n    await asyncio.to_thread(fh.close)\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body(imports, before, (3, 9)), after, "{before}");
        }
    }

    #[test]
    fn run_in_executor_for_python_3_8() {
        let imports = "import asyncio\nimport subprocess";
        let cases = [
            (
                "    r = subprocess.run(a, check=True)\n",
                // Laid out as `ruff format` lays it out: the line is too long.
                "    r = await asyncio.get_running_loop().run_in_executor(\n        None, functools.partial(subprocess.run, a, check=True)\n    )\n",
            ),
            (
                "    x = input()\n",
                "    x = await asyncio.get_running_loop().run_in_executor(None, input)\n",
            ),
            (
                "    x = subprocess.run(a).stdout\n",
                "    x = (\n        await asyncio.get_running_loop().run_in_executor(\n            None, functools.partial(subprocess.run, a)\n        )\n    ).stdout\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(body(imports, before, (3, 8)), after, "{before}");
        }
        let rules = &[Rule::BlockingSubprocess];
        let out = fixed(
            "import subprocess\n\n\nasync def f(a):\n    subprocess.run(a)\n",
            rules,
            (3, 8),
            true,
        );
        assert_eq!(
            out,
            "import asyncio\nimport functools\nimport subprocess\n\n\nasync def f(a):\n    await asyncio.get_running_loop().run_in_executor(\n        None, functools.partial(subprocess.run, a)\n    )\n"
        );
        // An existing alias is reused.
        let out = fixed(
            "import functools as ft\nimport asyncio as aio\nfrom subprocess import run\n\n\nasync def f(a):\n    run(a)\n",
            rules,
            (3, 8),
            true,
        );
        assert!(
            out.ends_with("    await aio.get_running_loop().run_in_executor(None, ft.partial(run, a))\n"),
            "{out}"
        );
    }

    #[test]
    fn long_lines_are_laid_out_as_ruff_format_does() {
        // ruff's layouts; the two calls in one test are fixed a round apart, the second laid
        // out with the first.
        let rules = &[Rule::BlockingSubprocess];
        let out = fixed(
            "import asyncio\nimport os\nimport subprocess\n\n\nasync def f(command_line, path, command_line_text):\n    result = subprocess.run(command_line, check=True, capture_output=True, cwd=path)\n    if os.system(command_line_text) and not os.system(path):\n        return result\n",
            rules,
            (3, 9),
            true,
        );
        assert_eq!(
            out,
            "import asyncio\nimport os\nimport subprocess\n\n\nasync def f(command_line, path, command_line_text):\n    result = await asyncio.to_thread(\n        subprocess.run, command_line, check=True, capture_output=True, cwd=path\n    )\n    if await asyncio.to_thread(\n        os.system, command_line_text\n    ) and not await asyncio.to_thread(os.system, path):\n        return result\n"
        );
    }

    #[test]
    fn imports_are_added_once_and_aliases_reused() {
        let rules = &[Rule::BlockingSubprocess, Rule::BlockingInput];
        let out = fixed(
            "import os\n\n\nasync def f(a):\n    os.system(a)\n    input()\n",
            rules,
            (3, 9),
            true,
        );
        assert_eq!(
            out,
            "import asyncio\nimport os\n\n\nasync def f(a):\n    await asyncio.to_thread(os.system, a)\n    await asyncio.to_thread(input)\n"
        );
        let out = fixed(
            "import asyncio as aio\nimport subprocess as sp\n\n\nasync def f(a):\n    sp.call(a)\n",
            rules,
            (3, 9),
            true,
        );
        assert_eq!(
            out,
            "import asyncio as aio\nimport subprocess as sp\n\n\nasync def f(a):\n    await aio.to_thread(sp.call, a)\n"
        );
    }

    #[test]
    fn report_only() {
        let imports = "import asyncio\nimport subprocess\nimport os\nimport httpx";
        let unchanged = [
            "    with open(a) as fh:\n        pass\n",
            "    async with open(a) as fh:\n        pass\n",
            "    x = open(a).read()\n",
            "    for line in open(a):\n        pass\n",
            "    x = os.popen(a).read()\n",
            "    with httpx.stream('GET', a) as r:\n        pass\n",
            "    subprocess.run(await a)\n",
            "    subprocess.run([await a])\n",
            "    asyncio = None\n    subprocess.run(a)\n",
            "    subprocess.run \\\n        (a)\n",
            // Not async context.
            "    g = lambda: subprocess.run(a)\n",
            "    x = list(subprocess.run(c) for c in a)\n",
            "    def g():\n        subprocess.run(a)\n",
            "    class K:\n        subprocess.run(a)\n",
            // Already offloaded: references, not calls.
            "    await asyncio.to_thread(subprocess.run, a)\n",
            "    await asyncio.get_running_loop().run_in_executor(None, os.system, a)\n",
            "    p = await asyncio.create_subprocess_exec('ls')\n",
        ];
        for before in unchanged {
            assert_eq!(body(imports, before, (3, 9)), before, "{before}");
        }
        // trio and anyio modules: their own thread runner (keywords through functools.partial).
        for framework in ["trio", "anyio"] {
            let imports = format!("import {framework}\nimport subprocess\nimport functools");
            assert_eq!(
                body(&imports, "    subprocess.run(a)\n    subprocess.run()\n", (3, 9)),
                format!(
                    "    await {framework}.to_thread.run_sync(subprocess.run, a)\n    await {framework}.to_thread.run_sync(subprocess.run)\n"
                ),
                "{framework}"
            );
            assert_eq!(
                body(&imports, "    subprocess.run(a, check=True)\n", (3, 9)),
                format!("    await {framework}.to_thread.run_sync(functools.partial(subprocess.run, a, check=True))\n"),
                "{framework}"
            );
        }
        // With asyncio imported too, and nothing in the coroutine to tell: asyncio (a guess).
        assert_eq!(
            body(
                "import asyncio\nimport trio\nimport subprocess",
                "    subprocess.run(a)\n",
                (3, 9)
            ),
            "    await asyncio.to_thread(subprocess.run, a)\n"
        );
    }
}
