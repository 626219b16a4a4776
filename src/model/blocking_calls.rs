//! Recognising the blocking callables of `knowledge::blocking` in code: every function and method
//! that the AF1xx rules (and, for `time.sleep`, AF003) know to block the thread that calls
//! it, with the rule it belongs to. Calls are recognised through imports and aliases
//! ([`Semantic::qualified_name`]) and, for methods, through what the receiver is known to be
//! from local evidence (`s = requests.Session()`, `p: Path`, `self.session = ...`).
//!
//! Used twice: by the passes, for calls written in a coroutine (the direct form), and by the
//! project index, for calls in the own body of a sync function (the indirect form, where a
//! coroutine reaches them through sync helpers).

use ruff_python_ast::{self as ast, Expr, ExprCall};

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::knowledge::blocking::{Function, Kind, MethodSet, FUNCTIONS, METHODS};
use crate::model::semantic::{BindingKind, Resolved, ScopeId, Semantic};
use crate::registry::Rule;

/// A call found in the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocking {
    pub rule: Rule,
    /// How messages name the callable: `subprocess.run`, `requests.Session.get`, `open`.
    pub name: String,
    pub kind: Kind,
}

/// What `call` (standing in `scope`) is, if the table lists it. Async context is not looked
/// at: the caller decides what the place means.
pub fn classify(semantic: &Semantic, call: &ExprCall, scope: ScopeId) -> Option<Blocking> {
    match call.func.as_ref() {
        Expr::Name(name) => {
            let id = name.id.as_str();
            match semantic.resolve(id, scope) {
                Resolved::Builtin => match id {
                    "open" | "input" => function(&format!("builtins.{id}")),
                    _ => None,
                },
                Resolved::Binding {
                    kind: BindingKind::Import(q),
                    ..
                } => function(&q),
                _ => None,
            }
        }
        Expr::Attribute(attribute) => {
            if !is_candidate(attribute.attr.as_str()) {
                return None;
            }
            match semantic.qualified_name(&call.func, scope) {
                Some(q) => function(&q),
                None => method(semantic, attribute, scope),
            }
        }
        _ => None,
    }
}

/// [`classify`] for a caller that has resolved the callee already: `qualified` is its
/// (absolute) qualified name, if it has one (`builtins.open` for an unbound `open`).
pub fn classify_resolved(
    semantic: &Semantic,
    call: &ExprCall,
    scope: ScopeId,
    qualified: Option<&str>,
) -> Option<Blocking> {
    if let Some(q) = qualified {
        return function(q);
    }
    match call.func.as_ref() {
        Expr::Attribute(attribute) if is_candidate(attribute.attr.as_str()) => method(semantic, attribute, scope),
        _ => None,
    }
}

/// A method of the table on a receiver of known type.
fn method(semantic: &Semantic, attribute: &ast::ExprAttribute, scope: ScopeId) -> Option<Blocking> {
    let attr = attribute.attr.as_str();
    let type_ = receiver_type(semantic, &attribute.value, scope)?;
    let entry = METHODS.iter().find(|m| m.type_ == type_ && m.methods.contains(attr))?;
    Some(Blocking {
        rule: entry.rule,
        name: format!("{type_}.{attr}"),
        kind: entry.kind,
    })
}

fn function(qualified: &str) -> Option<Blocking> {
    let entry = function_table().get(qualified)?;
    Some(Blocking {
        rule: entry.rule,
        name: entry.name.strip_prefix("builtins.").unwrap_or(entry.name).to_string(),
        kind: entry.kind,
    })
}

/// Every table name, by its last part (`run` for `subprocess.run`, `get` for
/// `requests.Session.get`), with the rules that have it.
fn last_names() -> &'static FxHashMap<&'static str, Vec<Rule>> {
    static NAMES: OnceLock<FxHashMap<&'static str, Vec<Rule>>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: FxHashMap<&'static str, Vec<Rule>> = FxHashMap::default();
        let functions = FUNCTIONS
            .iter()
            .map(|e| (e.name.rsplit('.').next().unwrap_or(e.name), e.rule));
        let methods = METHODS.iter().flat_map(|m| match m.methods {
            MethodSet::Only(names) => names.iter().map(|n| (*n, m.rule)).collect::<Vec<_>>(),
            MethodSet::AllBut(_) => Vec::new(),
        });
        for (name, rule) in functions.chain(methods) {
            let rules = names.entry(name).or_default();
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
        names
    })
}

/// The rules with a type whose every method (but a few) blocks (`MethodSet::AllBut`): any
/// attribute call may be one of theirs.
fn any_method_rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<Rule> = METHODS
            .iter()
            .filter(|m| matches!(m.methods, MethodSet::AllBut(_)))
            .map(|m| m.rule)
            .collect();
        rules.dedup();
        rules
    })
}

/// Could an attribute call named `attr` be in the table? (A cheap test before resolving.)
fn is_candidate(attr: &str) -> bool {
    !any_method_rules().is_empty() || last_names().contains_key(attr)
}

/// Could `call` be in the table under `rule`? False only when it certainly is not: an
/// attribute call whose name no entry of the rule has. (A bare name may be an alias.)
pub fn may_be(rule: Rule, call: &ExprCall) -> bool {
    match call.func.as_ref() {
        Expr::Name(_) => true,
        Expr::Attribute(attribute) => {
            any_method_rules().contains(&rule)
                || last_names()
                    .get(attribute.attr.as_str())
                    .is_some_and(|rules| rules.contains(&rule))
        }
        _ => false,
    }
}

fn function_table() -> &'static FxHashMap<&'static str, &'static Function> {
    static TABLE: OnceLock<FxHashMap<&'static str, &'static Function>> = OnceLock::new();
    TABLE.get_or_init(|| FUNCTIONS.iter().map(|e| (e.name, e)).collect())
}

/// The table type (`requests.Session`, `httpx.Client`, `pathlib.Path`) of `expr`, from the
/// shared type evidence (`types`).
pub fn receiver_type(semantic: &Semantic, expr: &Expr, scope: ScopeId) -> Option<&'static str> {
    let class = crate::model::types::Evidence::library(semantic).class_of(expr, scope)?;
    METHODS.iter().map(|m| m.type_).find(|t| *t == class)
}

/// Does the call contain an `await` in its callee or arguments (outside nested lambdas,
/// where it cannot stand)?
pub fn contains_await(call: &ExprCall) -> bool {
    use ruff_python_ast::visitor::{self, Visitor};
    struct Finder(bool);
    impl<'a> Visitor<'a> for Finder {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.0 {
                return;
            }
            match expr {
                Expr::Await(_) => self.0 = true,
                Expr::Lambda(_) => {}
                _ => visitor::walk_expr(self, expr),
            }
        }
    }
    let mut finder = Finder(false);
    finder.visit_expr(&call.func);
    for argument in call.arguments.args.iter() {
        finder.visit_expr(argument);
    }
    for keyword in call.arguments.keywords.iter() {
        finder.visit_expr(&keyword.value);
    }
    finder.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;
    use ruff_text_size::Ranged;

    /// The table entry of each call of the module, in order (`-` for none).
    fn classified(src: &str) -> Vec<String> {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        sem.calls
            .iter()
            .filter_map(|site| {
                let b = classify(&sem, site.call, site.scope);
                // Only the calls the test is about: those written on a line of their own.
                matches!(site.stmt, ruff_python_ast::Stmt::Expr(e) if e.value.range() == site.call.range())
                    .then(|| b.map_or("-".to_string(), |b| format!("{} {}", b.rule.code(), b.name)))
            })
            .collect()
    }

    #[test]
    fn functions_through_imports() {
        let src = "\
import subprocess as sp
import os
from subprocess import check_output as co
from urllib.request import urlopen
import urllib.request
import requests, httpx, shutil, io
sp.run(['ls'])
co('ls')
os.system('ls')
os.waitpid(1, 0)
urlopen(u)
urllib.request.urlopen(u)
requests.get(u)
httpx.post(u)
shutil.rmtree(p)
io.open(p)
open(p)
input()
os.path.join(a, b)
os.waitstatus_to_exitcode(1)
";
        assert_eq!(
            classified(src),
            vec![
                "AF101 subprocess.run",
                "AF101 subprocess.check_output",
                "AF101 os.system",
                "AF101 os.waitpid",
                "AF102 urllib.request.urlopen",
                "AF102 urllib.request.urlopen",
                "AF102 requests.get",
                "AF102 httpx.post",
                "AF103 shutil.rmtree",
                "AF103 io.open",
                "AF103 open",
                "AF104 input",
                "-",
                "-",
            ]
        );
    }

    #[test]
    fn shadowing() {
        let src = "\
import subprocess
def open(p): pass
async def f(subprocess, input=None):
    subprocess.run(x)
    open(p)
    input()
";
        assert_eq!(classified(src), vec!["-", "-", "-"]);
    }

    #[test]
    fn methods_on_known_receivers() {
        let src = "\
import requests
import httpx
from pathlib import Path
import pathlib

class Api:
    def __init__(self):
        self.session = requests.Session()
        self.cache = {}

    def m(self, s: requests.Session, p: Path, c: httpx.Client, other):
        s.get(u)
        p.read_text()
        c.post(u)
        other.get(u)
        self.session.post(u)
        self.cache.get(k)
        t = requests.session()
        t.put(u)
        with httpx.Client() as client:
            client.get(u)
        Path('a').write_text(x)
        (pathlib.Path('a') / 'b').read_bytes()
        Path.cwd().joinpath('x').with_suffix('.y').read_text()
        p.parent.read_text()
        requests.Session().get(u)
        httpx.AsyncClient().get(u)
";
        assert_eq!(
            classified(src),
            vec![
                "AF102 requests.Session.get",
                "AF103 pathlib.Path.read_text",
                "AF102 httpx.Client.post",
                "-",
                "AF102 requests.Session.post",
                "-",
                "AF102 requests.Session.put",
                "AF102 httpx.Client.get",
                "AF103 pathlib.Path.write_text",
                "AF103 pathlib.Path.read_bytes",
                "AF103 pathlib.Path.read_text",
                "AF103 pathlib.Path.read_text",
                "AF102 requests.Session.get",
                "-",
            ]
        );
    }

    #[test]
    fn self_attributes_must_agree() {
        let src = "\
import requests

class Api:
    def __init__(self, other):
        self.s = requests.Session()
        self.t = requests.Session()
        self.t = other

    def m(self):
        self.s.get(u)
        self.t.get(u)
";
        assert_eq!(classified(src), vec!["AF102 requests.Session.get", "-"]);
    }

    #[test]
    fn file_objects_and_pools() {
        let src = "\
import io, os, httpx2, urllib3
from typing import TextIO

def m(f: TextIO, pool: urllib3.PoolManager, c: httpx2.Client):
    f.read()
    f.anything()
    f.fileno()
    g = open(p)
    g.write(x)
    os.fdopen(0)
    io.open_code(p)
    pool.anything()
    pool.connection_from_url(u)
    c.get(u)
    c.build_request(u)
    httpx2.post(u)
    io.StringIO().write(x)
";
        assert_eq!(
            classified(src),
            vec![
                "AF103 io.TextIOWrapper.read",
                "AF103 io.TextIOWrapper.anything",
                "-",
                "AF103 io.TextIOWrapper.write",
                "AF103 os.fdopen",
                "AF103 io.open_code",
                "AF102 urllib3.PoolManager.anything",
                "-",
                "AF102 httpx2.Client.get",
                "-",
                "AF102 httpx2.post",
                "-",
            ]
        );
    }

    #[test]
    fn every_table_entry_has_a_candidate_name() {
        for entry in FUNCTIONS {
            let last = entry.name.rsplit('.').next().unwrap();
            assert!(is_candidate(last), "{}", entry.name);
        }
    }
}
