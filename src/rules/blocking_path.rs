//! AF105 blocking-path: file system metadata calls (`os.path.exists()`, `os.stat()`,
//! `Path.is_file()`, directory listings) inside `async def`.

use crate::fix::edit::Finding;
use crate::pipeline::checker::Checker;
use crate::registry::Rule;
use crate::rules::blocking;

pub fn check(checker: &Checker, out: &mut Vec<Finding>) {
    blocking::check(checker, Rule::BlockingPath, out);
}
