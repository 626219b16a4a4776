//! The fix passes. Each pass is one file named after the problem it fixes, declaring a
//! [`Pass`]: its rule, its documentation (shown by `--explain`), the words a file must
//! contain for the pass to find anything, and one function that pushes findings.
//! Passes do no I/O and never print.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::rules::Rule;

pub mod blocking_sleep;
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

/// Every pass, in rule-code order.
pub const PASSES: &[&Pass] = &[
    &missing_await::PASS,
    &dangling_task::PASS,
    &blocking_sleep::PASS,
    &nested_asyncio_run::PASS,
];

pub fn pass_for(rule: Rule) -> &'static Pass {
    PASSES.iter().find(|p| p.rule == rule).expect("every rule has a pass")
}
