//! The fix passes. Each pass is one file named after the problem it fixes, with a `check`
//! function that pushes findings; what the registry says about its rule (documentation,
//! prefilter words, ...) is in `registry`. Passes do no I/O and never print.

use crate::fix::edit::Finding;
use crate::pipeline::checker::Checker;
use crate::project::index::{Answer, BlockingReach};
use crate::registry::Rule;

pub mod blocking;
pub mod blocking_file;
pub mod blocking_http;
pub mod blocking_input;
pub mod blocking_path;
pub mod blocking_sleep;
pub mod blocking_subprocess;
pub mod dangling_task;
pub mod missing_await;
pub mod nested_asyncio_run;

/// What finds a rule's problems in one file.
pub type Check = fn(&Checker, &mut Vec<Finding>);

/// The checks of each rule, in the order they run. Exhaustive: a rule of the registry
/// without checks does not compile.
pub fn checks(rule: Rule) -> &'static [Check] {
    match rule {
        Rule::MissingAwait => &[missing_await::check],
        Rule::DanglingTask => &[dangling_task::check],
        // AF003's form through sync helpers is the blocking rules' shared walk.
        Rule::BlockingSleep => &[blocking_sleep::check, blocking::sleep_through_helpers],
        Rule::NestedAsyncioRun => &[nested_asyncio_run::check],
        Rule::BlockingSubprocess => &[blocking_subprocess::check],
        Rule::BlockingHttp => &[blocking_http::check],
        Rule::BlockingFile => &[blocking_file::check],
        Rule::BlockingInput => &[blocking_input::check],
        Rule::BlockingPath => &[blocking_path::check],
    }
}

/// Complete a finding whose project question held with what the answer says (the chain of
/// calls, for the forms found through the call graph). The rules word their messages.
pub fn complete(finding: &mut Finding, answer: &Answer) {
    if let (Rule::NestedAsyncioRun, Answer::Chain(chain)) = (finding.rule, answer) {
        nested_asyncio_run::complete_indirect(finding, chain);
    }
}

/// The message of a blocking call reached through sync helpers (the helper form of AF003 and
/// the AF1xx rules).
pub fn helper_message(reach: &BlockingReach) -> String {
    blocking::helper_message(reach)
}

/// Why a fix's framework is a guess, in words: "the module imports asyncio and trio, and
/// nothing in `f` shows which one runs it".
pub fn framework_doubt(doubt: &crate::model::framework::Doubt) -> String {
    let names: Vec<&str> = doubt.imported.iter().map(|f| f.module()).collect();
    let listed = match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    let whose = doubt
        .function
        .as_ref()
        .map_or("this code".to_string(), |f| format!("`{f}`"));
    format!("the module imports {listed}, and nothing in {whose} shows which one runs it")
}
