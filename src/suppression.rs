//! Suppression comments (`# asyncfix: ignore[AF001]`, `# noqa: AF001`). Not implemented yet.

use ruff_python_ast::token::Tokens;

use crate::edit::Finding;

/// Drop the findings that a suppression comment covers.
pub fn filter(_source: &str, _tokens: &Tokens, _findings: &mut Vec<Finding>) {}
