//! Which async framework runs a coroutine: asyncio, trio or anyio. A fix that writes
//! `asyncio.sleep` or `asyncio.to_thread` into code that trio runs raises `RuntimeError`
//! there, so the framework decides the fix, and a fix whose framework is not evident is
//! unsafe.
//!
//! The evidence, strongest first:
//! - the coroutine itself: what its own body calls (`trio.open_nursery()`,
//!   `asyncio.gather(...)`), the annotations of its parameters (`nursery: trio.Nursery`), and
//!   a module-level `trio.run(f)` / `anyio.run(f)` / `asyncio.run(f())` of it. A coroutine
//!   that calls asyncio runs under asyncio (anyio's asyncio backend included); one that calls
//!   trio and not asyncio runs under trio; one that calls only anyio runs under anyio;
//! - the module: when it imports one framework, that one; when it imports none, asyncio.
//!
//! A module importing more than one framework, with nothing in the coroutine to tell, is
//! not evident: the fix uses anyio if the module imports it (it works under either backend),
//! else asyncio, and is unsafe.

use ruff_python_ast::Expr;

use crate::model::semantic::{FunctionInfo, ScopeId, Semantic, MODULE_SCOPE};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    Asyncio,
    Trio,
    Anyio,
}

impl Framework {
    pub const ALL: [Framework; 3] = [Framework::Asyncio, Framework::Trio, Framework::Anyio];

    /// The module to import.
    pub fn module(self) -> &'static str {
        match self {
            Framework::Asyncio => "asyncio",
            Framework::Trio => "trio",
            Framework::Anyio => "anyio",
        }
    }

    fn of_qualified(qualified: &str) -> Option<Framework> {
        let root = qualified.split('.').next()?;
        Framework::ALL.into_iter().find(|f| f.module() == root)
    }
}

/// The framework a fix should use, and whether that is evident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub framework: Framework,
    /// `None`: evident. `Some(doubt)`: a guess; the fix is unsafe and its message says why.
    pub doubt: Option<Doubt>,
}

/// Why the framework is a guess: the module imports several, and the coroutine (named, if
/// the code is in one) shows none of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doubt {
    pub imported: Vec<Framework>,
    pub function: Option<String>,
}

impl Choice {
    fn evident(framework: Framework) -> Self {
        Self { framework, doubt: None }
    }
}

/// The framework of the code at `scope` (in a coroutine: the coroutine's).
pub fn choose(semantic: &Semantic, scope: ScopeId) -> Choice {
    let function = semantic.enclosing_function(scope);
    if let Some(function) = function {
        if let Some(framework) = of_function(semantic, function) {
            return Choice::evident(framework);
        }
    }
    let imported: Vec<Framework> = Framework::ALL
        .into_iter()
        .filter(|f| semantic.uses_module(f.module()))
        .collect();
    match imported.as_slice() {
        [] => Choice::evident(Framework::Asyncio),
        [one] => Choice::evident(*one),
        several => {
            let framework = if several.contains(&Framework::Anyio) {
                Framework::Anyio
            } else {
                Framework::Asyncio
            };
            Choice {
                framework,
                doubt: Some(Doubt {
                    imported: several.to_vec(),
                    function: function.map(|f| f.def.name.to_string()),
                }),
            }
        }
    }
}

/// What the function itself shows, if anything.
fn of_function(semantic: &Semantic, function: &FunctionInfo) -> Option<Framework> {
    let index = semantic.scope(function.scope).owner?;
    let mut seen = [false; 3];
    let mut note = |q: Option<String>| {
        if let Some(f) = q.as_deref().and_then(Framework::of_qualified) {
            seen[f as usize] = true;
        }
    };
    for site in &semantic.calls {
        if semantic.direct_function(site.scope) == Some(index) {
            note(semantic.qualified_name(&site.call.func, site.scope));
        }
    }
    for parameter in function.def.parameters.iter() {
        if let Some(annotation) = parameter.as_parameter().annotation.as_deref() {
            let annotation = match annotation {
                Expr::Subscript(s) => s.value.as_ref(),
                other => other,
            };
            note(semantic.qualified_name(annotation, function.parent_scope));
        }
    }
    // `trio.run(f)`, `anyio.run(f)`, `asyncio.run(f())` at module level.
    if function.parent_scope == MODULE_SCOPE {
        for site in semantic
            .calls
            .iter()
            .filter(|s| semantic.direct_function(s.scope).is_none())
        {
            let Some(framework) = semantic
                .qualified_name(&site.call.func, site.scope)
                .filter(|q| q.ends_with(".run"))
                .as_deref()
                .and_then(Framework::of_qualified)
            else {
                continue;
            };
            let target = match (framework, site.call.arguments.args.first()) {
                (Framework::Asyncio, Some(Expr::Call(call))) => Some(call.func.as_ref()),
                (Framework::Trio | Framework::Anyio, Some(name)) => Some(name),
                _ => None,
            };
            if matches!(target, Some(Expr::Name(n)) if n.id.as_str() == function.def.name.as_str()) {
                seen[framework as usize] = true;
            }
        }
    }
    match seen {
        [true, false, _] => Some(Framework::Asyncio),
        [false, true, _] => Some(Framework::Trio),
        [false, false, true] => Some(Framework::Anyio),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    /// The choice for the body of the function `target` of `src`.
    fn choice(src: &str, target: &str) -> Choice {
        let parsed = parse_module(src).unwrap();
        let sem = Semantic::build(parsed.syntax());
        let function = sem.functions.iter().find(|f| f.def.name.as_str() == target).unwrap();
        choose(&sem, function.scope)
    }

    #[test]
    fn evidence() {
        let evident = |f| Choice::evident(f);
        assert_eq!(choice("async def f(): pass\n", "f"), evident(Framework::Asyncio));
        assert_eq!(
            choice("import trio\nasync def f(): pass\n", "f"),
            evident(Framework::Trio)
        );
        assert_eq!(
            choice("from anyio import sleep\nasync def f(): pass\n", "f"),
            evident(Framework::Anyio)
        );
        let both = "import asyncio, trio\n";
        let ambiguous = choice(&format!("{both}async def f(): pass\n"), "f");
        assert_eq!(ambiguous.framework, Framework::Asyncio);
        assert_eq!(
            ambiguous.doubt.unwrap().imported,
            vec![Framework::Asyncio, Framework::Trio]
        );
        // The coroutine's own calls decide.
        let src = format!("{both}async def f():\n    async with trio.open_nursery() as n: pass\n");
        assert_eq!(choice(&src, "f"), evident(Framework::Trio));
        let src = format!("{both}async def f():\n    await asyncio.gather()\n");
        assert_eq!(choice(&src, "f"), evident(Framework::Asyncio));
        // Parameters and the module's run call.
        let src = format!("{both}async def f(n: trio.Nursery): pass\n");
        assert_eq!(choice(&src, "f"), evident(Framework::Trio));
        let src = format!("{both}async def f(): pass\ntrio.run(f)\n");
        assert_eq!(choice(&src, "f"), evident(Framework::Trio));
        let src = format!("{both}async def f(): pass\nasyncio.run(f())\n");
        assert_eq!(choice(&src, "f"), evident(Framework::Asyncio));
        // anyio with another framework: the portable choice, still a guess.
        let src = "import anyio, trio\nasync def f(): pass\n";
        assert_eq!(choice(src, "f").framework, Framework::Anyio);
        assert!(choice(src, "f").doubt.is_some());
        // A nested function's calls are its own.
        let src = format!("{both}async def f():\n    def g():\n        trio.run(h)\n");
        assert!(choice(&src, "f").doubt.is_some());
    }
}
