//! The fix passes. Each pass is one file named after the problem it fixes, declaring a
//! [`Pass`]: its rule, its documentation (shown by `--explain`), the words a file must
//! contain for the pass to find anything, and one function that pushes findings.
//! Passes do no I/O and never print.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::rules::Rule;

pub mod blocking;
pub mod blocking_file;
pub mod blocking_http;
pub mod blocking_input;
pub mod blocking_sleep;
pub mod blocking_subprocess;
pub mod dangling_task;
pub mod missing_await;
pub mod nested_asyncio_run;

pub struct Pass {
    pub rule: Rule,
    /// What it does / Why is this bad / Example / Fix safety, in Markdown.
    pub doc: &'static str,
    /// A file that lacks any of these byte strings cannot produce a finding of this pass,
    /// and is not parsed for it (see `analyze::could_match`). A needle `a|b` is present when
    /// either alternative is.
    pub needles: &'static [&'static str],
    pub check: fn(&Checker, &mut Vec<Finding>),
}

/// Every pass, in rule-code order. A rule may have more than one pass (AF003's indirect
/// form is in `blocking`); its first one holds its documentation.
pub const PASSES: &[&Pass] = &[
    &missing_await::PASS,
    &dangling_task::PASS,
    &blocking_sleep::PASS,
    &blocking::SLEEP_THROUGH_HELPERS,
    &nested_asyncio_run::PASS,
    &blocking_subprocess::PASS,
    &blocking_http::PASS,
    &blocking_file::PASS,
    &blocking_input::PASS,
];

pub fn pass_for(rule: Rule) -> &'static Pass {
    PASSES.iter().find(|p| p.rule == rule).expect("every rule has a pass")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_documented_pass() {
        for rule in Rule::ALL {
            let doc = pass_for(*rule).doc;
            for heading in ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"] {
                assert!(doc.contains(heading), "{}: no `{heading}`", rule.code());
            }
        }
        let codes: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        let names: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
    }
}
