//! The fix passes. Each pass is one file named after the problem it fixes, with a `check`
//! function that pushes findings; what the registry says about its rule (documentation,
//! prefilter words, ...) is in `registry`. Passes do no I/O and never print.

use crate::fix::edit::Finding;
use crate::pipeline::checker::Checker;
use crate::project::index::{Answer, BlockingReach};
use crate::registry::Rule;

/// Shared by the blocking rules (a table entry called in a coroutine, or reached through
/// sync helpers of the project).
pub mod blocking;

/// What finds a rule's problems in one file.
pub type Check = fn(&Checker, &mut Vec<Finding>);

/// One module per rule, named in the rule's registry entry, each with a `check` function.
macro_rules! rule_modules {
    ($( $variant:ident => $module:ident ),*) => {
        $(pub mod $module;)*

        /// The check of a rule: its module's `check`.
        pub fn check_of(rule: Rule) -> Check {
            match rule {
                $(Rule::$variant => $module::check,)*
            }
        }
    };
}

crate::registry::with_rule_modules!(rule_modules);

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
