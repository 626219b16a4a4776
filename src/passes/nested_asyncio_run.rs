//! AF004 nested-asyncio-run (not implemented yet: finds nothing).

use crate::checker::Checker;
use crate::edit::Finding;
use crate::passes::Pass;
use crate::rules::Rule;

pub const PASS: Pass = Pass {
    rule: Rule::NestedAsyncioRun,
    doc: DOC,
    // A NUL byte never occurs in a file that gets this far: the pass is skipped.
    needles: &["\0"],
    check,
};

const DOC: &str = r#"## What it does
Not implemented yet.
"#;

fn check(_checker: &Checker, _out: &mut Vec<Finding>) {}
