//! Clean-up after fixes: an import that the fixes leave unused goes with them, when that is
//! provable from the file.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::fix::builders::{name_tokens, statement_deletion};
use crate::fix::edit::{Finding, JointEdit};
use crate::model::semantic::{BindingKind, Resolved, ScopeId, MODULE_SCOPE};
use crate::pipeline::checker::Checker;

/// When the fixes of `findings` rewrite every use of an import (`rewrites` says which name a
/// fix rewrites a use of, standing in which scope: `time` of `time.sleep(1)`), they remove the
/// import too (as a joint edit: only when all of them apply).
///
/// Proof that nothing else uses it: the name is bound once in its scope (the module, or the
/// function for a local import), by an `import` of that one name alone on its line, a direct
/// child of that scope's body; no
/// identifier token of that scope but the import and the rewritten calls is that name
/// (keyword arguments count, so this errs towards keeping it; attribute names and the bodies
/// of functions that bind the name themselves do not, unless the file has `global` or
/// `nonlocal`); no `__all__` names it; and for a module-level import, the file is not a
/// package's `__init__.py` (whose imports are often re-exports). Another module importing the
/// name from this one is not checked, as ruff's own F401 fix does not check it outside
/// `__init__.py` either.
pub fn remove_unused_imports<'s>(
    checker: &Checker<'s>,
    findings: &mut [Finding],
    rewrites: impl Fn(&Finding) -> Option<(&'s str, ScopeId)>,
) {
    let semantic = checker.semantic;
    let source = checker.source;
    // (binding scope, name) of each fixed call.
    let uses = |finding: &Finding| -> Option<(ScopeId, &'s str)> {
        finding.fix.as_deref()?;
        let (name, at) = rewrites(finding)?;
        match semantic.resolve(name, at) {
            Resolved::Binding {
                kind: BindingKind::Import(_),
                scope,
            } => Some((scope, name)),
            _ => None,
        }
    };
    let mut imports: Vec<(ScopeId, &str)> = findings.iter().filter_map(uses).collect();
    imports.sort_unstable();
    imports.dedup();
    let scoping_keywords = checker
        .tokens
        .iter()
        .any(|t| matches!(t.kind(), TokenKind::Global | TokenKind::Nonlocal));
    for (scope, name) in imports {
        if !matches!(semantic.scope(scope).bindings(name), [BindingKind::Import(_)]) {
            continue;
        }
        let (body, range) = if scope == MODULE_SCOPE {
            if checker.module_path.is_package {
                continue;
            }
            let in_all = name_tokens(
                source,
                checker.tokens,
                "__all__",
                TextRange::up_to(TextSize::of(source)),
            ) > 0
                && (source.contains(&format!("\"{name}\"")) || source.contains(&format!("'{name}'")));
            if in_all {
                continue;
            }
            (&checker.module.body, TextRange::up_to(TextSize::of(source)))
        } else {
            match semantic.enclosing_function(scope).filter(|f| f.scope == scope) {
                Some(function) if function.def.body.len() > 1 => (&function.def.body, function.def.range()),
                _ => continue,
            }
        };
        // The bodies of nested functions that bind the name: their tokens are theirs.
        let shadowed: Vec<TextRange> = if scoping_keywords {
            Vec::new()
        } else {
            semantic
                .functions
                .iter()
                .filter(|f| f.scope != scope && range.contains_range(f.def.range()))
                .filter(|f| !semantic.scope(f.scope).bindings(name).is_empty())
                .filter_map(|f| Some(TextRange::new(f.def.body.first()?.start(), f.def.end())))
                .collect()
        };
        let mentions = name_tokens(source, checker.tokens, name, range)
            .saturating_sub(
                shadowed
                    .iter()
                    .map(|r| name_tokens(source, checker.tokens, name, *r))
                    .sum::<usize>(),
            )
            .saturating_sub(renamed_imports(body, name));
        let rewritten = findings.iter().filter(|f| uses(f) == Some((scope, name))).count();
        if mentions != rewritten + 1 {
            continue;
        }
        let Some(stmt) = body.iter().find(|stmt| binds_only(stmt, name)) else {
            continue;
        };
        delete_with(source, stmt, name, findings, |f| uses(f) == Some((scope, name)));
    }
}

/// Delete `stmt` (the binding of `name`) with the fixes of the findings `is_carrier` picks,
/// whose rewrites remove every other use of it: a joint edit, applied only when all of those
/// fixes apply in the same round.
pub fn delete_with(
    source: &str,
    stmt: &Stmt,
    name: &str,
    findings: &mut [Finding],
    is_carrier: impl Fn(&Finding) -> bool,
) {
    let Some(deletion) = statement_deletion(source, stmt) else {
        return;
    };
    let joint = JointEdit {
        edit: deletion,
        carriers: findings.iter().filter(|f| is_carrier(f)).count(),
        unbinds: name.to_string(),
    };
    for finding in findings.iter_mut().filter(|f| is_carrier(f)) {
        if let Some(fix) = finding.fix.take() {
            finding.fix = Some(Box::new(fix.with_joint(vec![joint.clone()])));
        }
    }
}

/// How many imports directly in `body` import something named `name` under another name
/// (`from time import sleep as snooze`): that `name` token binds and uses nothing.
fn renamed_imports(body: &[Stmt], name: &str) -> usize {
    body.iter()
        .map(|stmt| match stmt {
            Stmt::Import(i) => i
                .names
                .iter()
                .filter(|a| a.asname.is_some() && a.name.as_str() == name)
                .count(),
            Stmt::ImportFrom(f) => f
                .names
                .iter()
                .filter(|a| a.asname.is_some() && a.name.as_str() == name)
                .count(),
            _ => 0,
        })
        .sum()
}

/// `stmt` imports one name, and binds it as `name`.
fn binds_only(stmt: &Stmt, name: &str) -> bool {
    match stmt {
        Stmt::Import(i) => {
            i.names.len() == 1 && {
                let alias = &i.names[0];
                let bound = match &alias.asname {
                    Some(asname) => asname.as_str(),
                    None => alias.name.as_str().split('.').next().unwrap_or_default(),
                };
                bound == name && (alias.asname.is_some() || !alias.name.as_str().contains('.'))
            }
        }
        Stmt::ImportFrom(f) => {
            f.names.len() == 1
                && f.names[0].name.as_str() != "*"
                && f.names[0]
                    .asname
                    .as_ref()
                    .map_or(f.names[0].name.as_str(), |a| a.as_str())
                    == name
        }
        _ => false,
    }
}
