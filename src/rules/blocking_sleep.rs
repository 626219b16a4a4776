//! AF003 blocking-sleep: `time.sleep()` inside `async def`.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::fix::builders::{name_tokens, statement_deletion};
use crate::fix::edit::{Edit, Finding, Fix, JointEdit};
use crate::model::semantic::{BindingKind, CallSite, Resolved, MODULE_SCOPE};
use crate::pipeline::checker::Checker;
use crate::registry::Rule;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    let semantic = checker.semantic;
    let first = out.len();
    for site in &semantic.calls {
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
    remove_unused_imports(checker, &mut out[first..]);
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

/// When the fixes rewrite every use of the module-level import they call `time.sleep`
/// through, they remove the import too (as a joint edit: only when all of them apply).
///
/// Proof that nothing else uses it: the name is bound once in the module, by a top-level
/// `import time` / `import time as t` / `from time import sleep` of that one name alone on
/// its line; no identifier token of the file but the import and the rewritten calls is that
/// name (attribute names and keyword arguments count, so this errs towards keeping it); no
/// `__all__` names it; and the file is not a package's `__init__.py` (whose imports are often
/// re-exports). Another module importing the name from this one is not checked, as ruff's
/// own F401 fix does not check it outside `__init__.py` either.
fn remove_unused_imports(checker: &Checker, findings: &mut [Finding]) {
    if checker.module_path.is_package {
        return;
    }
    let semantic = checker.semantic;
    let source = checker.source;
    let everywhere = TextRange::up_to(ruff_text_size::TextSize::of(source));
    let mut names: Vec<&str> = Vec::new();
    let uses = |finding: &Finding| -> Option<&str> {
        finding.fix.as_ref()?;
        let site = semantic.calls.iter().find(|s| s.call.range() == finding.range)?;
        callee_name(&site.call.func)
    };
    for finding in findings.iter() {
        if let Some(name) = uses(finding) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    for name in names {
        let rewritten = findings.iter().filter(|f| uses(f) == Some(name)).count();
        let bound_once = matches!(semantic.scope(MODULE_SCOPE).bindings(name), [BindingKind::Import(_)]);
        let sees_it = findings.iter().filter(|f| uses(f) == Some(name)).all(|f| {
            semantic
                .calls
                .iter()
                .find(|s| s.call.range() == f.range)
                .is_some_and(|s| {
                    matches!(
                        semantic.resolve(name, s.scope),
                        Resolved::Binding { scope: MODULE_SCOPE, .. }
                    )
                })
        });
        if !bound_once || !sees_it || name_tokens(source, checker.tokens, name, everywhere) != rewritten + 1 {
            continue;
        }
        let in_all = name_tokens(source, checker.tokens, "__all__", everywhere) > 0
            && (source.contains(&format!("\"{name}\"")) || source.contains(&format!("'{name}'")));
        if in_all {
            continue;
        }
        let Some(stmt) = checker.module.body.iter().find(|stmt| binds_only(stmt, name)) else {
            continue;
        };
        let Some(deletion) = statement_deletion(source, stmt) else {
            continue;
        };
        let joint = JointEdit {
            edit: deletion,
            carriers: rewritten,
        };
        for finding in findings.iter_mut().filter(|f| uses(f) == Some(name)) {
            if let Some(fix) = finding.fix.take() {
                finding.fix = Some(fix.with_joint(vec![joint.clone()]));
            }
        }
    }
}

/// `stmt` imports one name, `name`, from `time`.
fn binds_only(stmt: &Stmt, name: &str) -> bool {
    match stmt {
        Stmt::Import(i) => {
            i.names.len() == 1 && {
                let alias = &i.names[0];
                alias.name.as_str() == "time" && alias.asname.as_ref().map_or("time", |a| a.as_str()) == name
            }
        }
        Stmt::ImportFrom(f) => {
            f.level == 0
                && f.module.as_ref().is_some_and(|m| m.as_str() == "time")
                && f.names.len() == 1
                && f.names[0].name.as_str() == "sleep"
                && f.names[0].asname.as_ref().map_or("sleep", |a| a.as_str()) == name
        }
        _ => false,
    }
}
