//! Rule codes and names, and how `--select` / `--ignore` pick among them.

use anyhow::{bail, Result};

/// Every rule asyncfix knows. Adding a pass adds a variant here, a line in
/// `passes::PASSES` and a fixture under `fixes/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    MissingAwait,
    DanglingTask,
    BlockingSleep,
    NestedAsyncioRun,
    BlockingSubprocess,
    BlockingHttp,
    BlockingFile,
    BlockingInput,
}

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::MissingAwait,
        Rule::DanglingTask,
        Rule::BlockingSleep,
        Rule::NestedAsyncioRun,
        Rule::BlockingSubprocess,
        Rule::BlockingHttp,
        Rule::BlockingFile,
        Rule::BlockingInput,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::MissingAwait => "AF001",
            Rule::DanglingTask => "AF002",
            Rule::BlockingSleep => "AF003",
            Rule::NestedAsyncioRun => "AF004",
            Rule::BlockingSubprocess => "AF101",
            Rule::BlockingHttp => "AF102",
            Rule::BlockingFile => "AF103",
            Rule::BlockingInput => "AF104",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rule::MissingAwait => "missing-await",
            Rule::DanglingTask => "dangling-task",
            Rule::BlockingSleep => "blocking-sleep",
            Rule::NestedAsyncioRun => "nested-asyncio-run",
            Rule::BlockingSubprocess => "blocking-subprocess",
            Rule::BlockingHttp => "blocking-http",
            Rule::BlockingFile => "blocking-file",
            Rule::BlockingInput => "blocking-input",
        }
    }

    /// One line: what the rule finds.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::MissingAwait => "a coroutine function is called without `await`: the coroutine never runs",
            Rule::DanglingTask => "a task's reference is dropped: it can be garbage-collected mid-run",
            Rule::BlockingSleep => "`time.sleep()` inside `async def` blocks the event loop",
            Rule::NestedAsyncioRun => {
                "`asyncio.run()` / `run_until_complete()` inside a coroutine raises `RuntimeError`"
            }
            Rule::BlockingSubprocess => {
                "running a subprocess and waiting for it inside `async def` blocks the event loop"
            }
            Rule::BlockingHttp => "a synchronous HTTP request inside `async def` blocks the event loop",
            Rule::BlockingFile => {
                "file I/O (`open()`, `Path.read_text()`, `shutil`) inside `async def` blocks the event loop"
            }
            Rule::BlockingInput => "`input()` inside `async def` blocks the event loop",
        }
    }

    pub fn from_code_or_name(s: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name() == s)
    }
}

/// Resolve one selector (`AF003`, `AF0`, `AF1`, `AF`, `ALL`, `blocking-sleep`) to the rules it
/// names. A selector that names no rule is an error (as in ruff), with a suggestion when it is
/// close to a real code or name: `AF999` or `AF2` must not quietly select nothing.
pub fn resolve_selector(selector: &str) -> Result<Vec<Rule>> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") {
        return Ok(Rule::ALL.to_vec());
    }
    if let Some(rule) = Rule::ALL.iter().find(|r| r.name() == s) {
        return Ok(vec![*rule]);
    }
    let upper = s.to_ascii_uppercase();
    if upper.starts_with("AF") {
        let rules: Vec<Rule> = Rule::ALL
            .iter()
            .copied()
            .filter(|r| r.code().starts_with(&upper))
            .collect();
        if !rules.is_empty() {
            return Ok(rules);
        }
    }
    let hint = match suggestion(s) {
        Some(close) => format!("; did you mean `{close}`?"),
        None => " (a code like AF003, a prefix like AF or AF1, a name like blocking-sleep, or ALL; see --list-rules)"
            .to_string(),
    };
    bail!("unknown rule selector `{selector}`{hint}")
}

/// The code or name closest to `selector`, if it is close (a typo or two away).
fn suggestion(selector: &str) -> Option<&'static str> {
    let upper = selector.to_ascii_uppercase();
    let codes = Rule::ALL
        .iter()
        .map(|r| (r.code(), strsim::levenshtein(&upper, r.code())));
    let names = Rule::ALL
        .iter()
        .map(|r| (r.name(), strsim::levenshtein(&selector.to_ascii_lowercase(), r.name())));
    codes
        .filter(|(_, d)| *d <= 1)
        .chain(names.filter(|(name, d)| *d <= 2.max(name.len() / 5)))
        .min_by_key(|(_, d)| *d)
        .map(|(candidate, _)| candidate)
}

/// The enabled rules: `select` (default: all), minus `ignore`.
pub fn select_rules(select: &[String], ignore: &[String]) -> Result<Vec<Rule>> {
    let mut enabled: Vec<Rule> = if select.is_empty() {
        Rule::ALL.to_vec()
    } else {
        let mut v = Vec::new();
        for s in select {
            v.extend(resolve_selector(s)?);
        }
        v
    };
    for s in ignore {
        let ignored = resolve_selector(s)?;
        enabled.retain(|r| !ignored.contains(r));
    }
    enabled.sort();
    enabled.dedup();
    Ok(enabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert_eq!(resolve_selector("AF003").unwrap(), vec![Rule::BlockingSleep]);
        assert_eq!(resolve_selector("af003").unwrap(), vec![Rule::BlockingSleep]);
        assert_eq!(resolve_selector("AF").unwrap(), Rule::ALL.to_vec());
        let af0 = vec![
            Rule::MissingAwait,
            Rule::DanglingTask,
            Rule::BlockingSleep,
            Rule::NestedAsyncioRun,
        ];
        assert_eq!(resolve_selector("AF00").unwrap(), af0);
        assert_eq!(resolve_selector("AF0").unwrap(), af0);
        let af1 = vec![
            Rule::BlockingSubprocess,
            Rule::BlockingHttp,
            Rule::BlockingFile,
            Rule::BlockingInput,
        ];
        assert_eq!(resolve_selector("AF1").unwrap(), af1);
        assert_eq!(resolve_selector("af10").unwrap(), af1);
        assert_eq!(resolve_selector("AF102").unwrap(), vec![Rule::BlockingHttp]);
        assert_eq!(resolve_selector("blocking-file").unwrap(), vec![Rule::BlockingFile]);
        assert_eq!(resolve_selector("blocking-sleep").unwrap(), vec![Rule::BlockingSleep]);
        assert_eq!(resolve_selector("ALL").unwrap(), Rule::ALL.to_vec());
        assert_eq!(resolve_selector("missing-await").unwrap(), vec![Rule::MissingAwait]);
        for unknown in ["AF2", "AF9", "AF999", "AF105", "AF0000", "E501", "no-such-rule", ""] {
            assert!(resolve_selector(unknown).is_err(), "{unknown}");
        }
        let message = |s: &str| resolve_selector(s).unwrap_err().to_string();
        assert!(message("AF01").contains("did you mean `AF001`?"), "{}", message("AF01"));
        assert!(message("blocking-slep").contains("did you mean `blocking-sleep`?"));
        assert!(message("missing_await").contains("did you mean `missing-await`?"));
        assert!(message("AF999").contains("see --list-rules"), "{}", message("AF999"));
        assert_eq!(select_rules(&[], &["AF003".into()]).unwrap().len(), Rule::ALL.len() - 1);
    }
}
