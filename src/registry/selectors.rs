//! How `--select` / `--ignore` pick among the rules of the registry.

use anyhow::{bail, Result};

pub use crate::registry::Rule;

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
        let family = |prefix: &str| -> Vec<Rule> {
            Rule::ALL
                .iter()
                .copied()
                .filter(|r| r.code().starts_with(prefix))
                .collect()
        };
        let af0 = family("AF0");
        assert!(af0.contains(&Rule::MissingAwait) && af0.contains(&Rule::NestedAsyncioRun));
        assert!(!af0.contains(&Rule::BlockingHttp));
        assert_eq!(resolve_selector("AF00").unwrap(), af0);
        assert_eq!(resolve_selector("AF0").unwrap(), af0);
        let af1 = family("AF1");
        assert!(af1.contains(&Rule::BlockingSubprocess) && !af1.contains(&Rule::BlockingSleep));
        assert_eq!(resolve_selector("AF1").unwrap(), af1);
        assert_eq!(resolve_selector("af10").unwrap(), af1);
        assert_eq!(resolve_selector("AF102").unwrap(), vec![Rule::BlockingHttp]);
        assert_eq!(resolve_selector("blocking-file").unwrap(), vec![Rule::BlockingFile]);
        assert_eq!(resolve_selector("blocking-sleep").unwrap(), vec![Rule::BlockingSleep]);
        assert_eq!(resolve_selector("ALL").unwrap(), Rule::ALL.to_vec());
        assert_eq!(resolve_selector("missing-await").unwrap(), vec![Rule::MissingAwait]);
        for unknown in ["AF2", "AF9", "AF999", "AF198", "AF0000", "E501", "no-such-rule", ""] {
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
