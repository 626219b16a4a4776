//! AF101 blocking-subprocess: a command run and waited for inside `async def`.

use crate::fix::edit::Finding;
use crate::pipeline::checker::Checker;
use crate::registry::Rule;
use crate::rules::blocking;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingSubprocess, out);
}
