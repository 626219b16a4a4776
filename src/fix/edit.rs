//! Edits, fixes and findings: the vocabulary every pass speaks.

use ruff_text_size::{TextRange, TextSize};

use crate::registry::Rule;

/// A half-open byte range of the original text and its replacement.
/// An empty range is an insertion; an empty content is a deletion.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    pub range: TextRange,
    pub content: String,
}

impl Edit {
    pub fn insertion(at: TextSize, content: impl Into<String>) -> Self {
        Self {
            range: TextRange::empty(at),
            content: content.into(),
        }
    }

    pub fn replacement(range: TextRange, content: impl Into<String>) -> Self {
        Self {
            range,
            content: content.into(),
        }
    }

    pub fn deletion(range: TextRange) -> Self {
        Self {
            range,
            content: String::new(),
        }
    }
}

/// Whether `--write` applies a fix by itself, or only with `--unsafe-fixes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Applied only with `--unsafe-fixes`; shown as available otherwise.
    Unsafe,
    /// Applied by `--write`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// The edits that must apply together, e.g. `import asyncio` plus the rewritten call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, e.g. "Replace with `await asyncio.sleep(...)`".
    pub message: String,
    /// Sorted by range start.
    pub edits: Vec<Edit>,
    /// Clean-up edits (removing an import the fix leaves unused) that several fixes share and
    /// that apply only when every one of those fixes applies in the same round: with one left
    /// unfixed (not applicable, suppressed, deferred), the import is still used. The fix
    /// stands without them, so a suggestion of the fix alone leaves them out.
    pub joint: Vec<JointEdit>,
}

/// An edit shared by `carriers` fixes, applied only with all of them, and only when no edit
/// of the round writes the name `unbinds` (the name whose binding it removes: another fix
/// may use it, e.g. `aio.sleep` written by AF003 where AF004 removes `import asyncio as aio`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JointEdit {
    pub edit: Edit,
    pub carriers: usize,
    pub unbinds: String,
}

/// `text` contains `name` as a whole word that is not an attribute name (after a `.`): an
/// identifier, or one in a string annotation.
pub fn mentions_word(text: &str, name: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(|c| is_ident(c) || c == '.')
            && !text[i + name.len()..].chars().next().is_some_and(is_ident)
    })
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        Self {
            applicability,
            message: message.into(),
            edits,
            joint: Vec::new(),
        }
    }

    /// The fix with `joint` clean-up edits (see [`Fix::joint`]).
    pub fn with_joint(mut self, joint: Vec<JointEdit>) -> Self {
        self.joint = joint;
        self
    }

    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, message, edits)
    }

    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, message, edits)
    }

    /// The smallest offset the fix touches.
    pub fn start(&self) -> TextSize {
        self.edits.first().map(|e| e.range.start()).unwrap_or_default()
    }
}

/// One problem a pass found, with an optional fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Box<Fix>>,
    /// For a finding made through the call graph (the indirect forms), the functions on the
    /// way, in the order of the project's answer (see `project::index::Answer::Chain` and
    /// `BlockingReach::chain`): the message names them; editors show where each is defined.
    pub chain: Vec<String>,
}

impl Finding {
    pub fn new(rule: Rule, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule,
            range,
            message: message.into(),
            fix: None,
            chain: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }
}

/// Splice edits into `text`. Bytes outside edit ranges are copied verbatim.
/// `edits` must be sorted and must not overlap (insertions at the same offset keep their order).
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let added: usize = edits.iter().map(|e| e.content.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut last = 0usize;
    for edit in edits {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        debug_assert!(start >= last, "edits overlap or are unsorted");
        out.push_str(&text[last..start]);
        out.push_str(&edit.content);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::mentions_word;

    #[test]
    fn words_that_use_a_name() {
        assert!(mentions_word("await aio.sleep(1)", "aio"));
        assert!(mentions_word(
            "x: \"typing.Set[asyncio.Future[typing.Any]]\"",
            "asyncio"
        ));
        assert!(!mentions_word("await aio.sleep(1)", "sleep"));
        assert!(!mentions_word("await asyncio.sleep(1)", "aio"));
        assert!(!mentions_word("my_time = 1", "time"));
    }
}
