//! AF104 blocking-input: `input()` inside `async def`.

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::blocking;
use crate::rules::Rule;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingInput, out);
}
