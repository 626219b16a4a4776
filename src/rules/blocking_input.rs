//! AF104 blocking-input: `input()` inside `async def`.

use crate::fix::edit::Finding;
use crate::pipeline::checker::Checker;
use crate::registry::Rule;
use crate::rules::blocking;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingInput, out);
}
