//! AF003 blocking-sleep: `time.sleep()` inside `async def`.

use ruff_python_ast::Expr;
use ruff_text_size::Ranged;

use crate::fix::edit::{Edit, Finding, Fix};
use crate::model::semantic::CallSite;
use crate::pipeline::checker::Checker;
use crate::registry::Rule;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    let first = out.len();
    // `time.sleep` is reached only through an import of `time` (the cheap test first).
    let imports_time = semantic.uses_module("time");
    for site in semantic.calls.iter().filter(|_| imports_time) {
        if !site.in_async {
            continue;
        }
        if semantic.qualified_name(&site.call.func, site.scope).as_deref() != Some("time.sleep") {
            continue;
        }
        let function = semantic
            .enclosing_function(site.scope)
            .map(|f| format!(" in `{}`", f.def.name))
            .unwrap_or_default();
        let choice = crate::model::framework::choose(semantic, site.scope);
        let framework = choice.framework.module();
        let mut message = format!("`time.sleep()` blocks the event loop{function}; use `await {framework}.sleep()`");
        let fix = fix(checker, site, framework).map(|fix| match &choice.doubt {
            None => fix,
            Some(doubt) => {
                message.push_str(&format!(" (unsafe fix: {})", crate::rules::framework_doubt(doubt)));
                Fix::unsafe_(fix.message, fix.edits)
            }
        });
        out.push(Finding::new(Rule::BlockingSleep, site.call.range(), message).with_fix(fix));
    }
    crate::fix::unused::remove_unused_imports(checker, &mut out[first..], |finding| {
        let site = checker.semantic.calls.iter().find(|s| s.call.range() == finding.range)?;
        Some((callee_name(&site.call.func)?, site.scope))
    });
    // The form through sync helpers is the blocking rules' shared walk.
    crate::rules::blocking::sleep_through_helpers(checker, out);
}

fn fix(checker: &Checker, site: &CallSite, framework: &str) -> Option<Fix> {
    let arguments = &site.call.arguments;
    if arguments.args.len() != 1 || !arguments.keywords.is_empty() || arguments.args[0].is_starred_expr() {
        return None;
    }
    let semantic = checker.semantic;
    let module = checker
        .importer
        .module_ref(semantic, framework, site.scope, site.call.start())?;
    let wrap = checker.await_wrap(site);
    let mut edits = vec![Edit::replacement(
        site.call.func.range(),
        format!("{}{}.sleep", wrap.open, module.name),
    )];
    if !wrap.close.is_empty() {
        edits.push(Edit::insertion(site.call.end(), wrap.close));
    }
    // The longer call laid out as `ruff format` lays it out, where the statement was.
    let mut edits = checker.laid_out(site, edits);
    edits.extend(module.import);
    Some(Fix::safe(
        format!("Replace with `await {}.sleep(...)`", module.name),
        edits,
    ))
}

/// The name through which a `time.sleep` call is made: `time` (`t` for `import time as t`)
/// or `sleep` (`from time import sleep`).
fn callee_name(func: &Expr) -> Option<&str> {
    match func {
        Expr::Attribute(a) => match a.value.as_ref() {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        },
        Expr::Name(n) => Some(n.id.as_str()),
        _ => None,
    }
}

