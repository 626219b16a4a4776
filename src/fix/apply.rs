//! Applying fixes until none applies, verifying every round.

use ruff_source_file::LineIndex;
use ruff_text_size::TextRange;

use crate::fix::edit::{apply_edits, mentions_word, Applicability, Edit, Finding, Fix};
use crate::notebook::{move_spans, CellSpan};
use crate::pipeline::analyze::{analyze, analyze_cells, Analysis, AnalyzeError, Context};
use crate::registry::Rule;

/// Rounds of analysis and fixing before giving up. Every fix removes its finding, so two
/// or three rounds suffice; reaching the cap is a bug.
pub const MAX_ROUNDS: usize = 8;

#[derive(Debug)]
pub struct Fixed {
    pub text: String,
    /// The rule of every fix applied, in the order applied.
    pub applied: Vec<Rule>,
    /// What is left, positioned in `text`.
    pub remaining: Vec<Finding>,
    /// For a notebook's module: where its cells are in `text`.
    pub cells: Option<Vec<CellSpan>>,
}

pub fn is_applicable(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Apply every applicable fix of `first` (the analysis of `original`) and of the rounds
/// that follow. On a verification failure the error names the pass and the place, and no
/// text is returned: the file keeps its original bytes.
pub fn fix_file(original: &str, first: Analysis, ctx: &Context, unsafe_fixes: bool) -> Result<Fixed, String> {
    fix_layout(original, None, "", first, ctx, unsafe_fixes)
}

/// [`fix_file`] for the module of a notebook's code cells (`cells`: where they are in
/// `original`), analysed as `analyze_cells` does; the cells' places in the fixed text come
/// back in [`Fixed::cells`]. A fix that would reach from one cell into the next fails.
pub fn fix_cells(
    original: &str,
    cells: &[CellSpan],
    hidden: &str,
    first: Analysis,
    ctx: &Context,
    unsafe_fixes: bool,
) -> Result<Fixed, String> {
    fix_layout(original, Some(cells.to_vec()), hidden, first, ctx, unsafe_fixes)
}

fn fix_layout(
    original: &str,
    mut cells: Option<Vec<CellSpan>>,
    hidden: &str,
    first: Analysis,
    ctx: &Context,
    unsafe_fixes: bool,
) -> Result<Fixed, String> {
    let mut text = original.to_string();
    let mut analysis = first;
    let mut applied = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let chosen = choose_fixes(&analysis.findings, unsafe_fixes);
        if chosen.is_empty() {
            return Ok(Fixed {
                text,
                applied,
                remaining: analysis.findings,
                cells,
            });
        }
        let fixes: Vec<&Finding> = chosen.iter().map(|&i| &analysis.findings[i]).collect();
        let joint = joint_edits(&analysis.findings, &chosen);
        let edits = merged_edits(
            fixes.iter().map(|f| f.fix.as_deref().expect("chosen fixes exist")),
            &joint,
        );
        let new_text = apply_edits(&text, &edits);
        let new_cells = match &cells {
            None => None,
            Some(spans) => Some(move_spans(spans, &edits).ok_or_else(|| {
                "a fix would reach from one notebook cell into the next; the notebook was left unchanged".to_string()
            })?),
        };
        match verify(&new_text, new_cells.as_deref(), hidden, &analysis, ctx) {
            Ok(next) => {
                applied.extend(fixes.iter().map(|f| f.rule));
                text = new_text;
                cells = new_cells;
                analysis = next;
            }
            // Code nested just under the depth limit: a fix that adds a level (`await ...`)
            // is valid, but cannot be checked. Not a bug: those findings stay, unfixed.
            Err(Verdict::TooDeep) => {
                for &i in &chosen {
                    let finding = &mut analysis.findings[i];
                    finding.fix = None;
                    finding
                        .message
                        .push_str(" (no fix: the fixed code would nest too deep to be checked)");
                }
            }
            Err(Verdict::Invalid(reason)) => {
                return Err(blame(&text, cells.as_deref(), hidden, &analysis, &fixes, ctx, &reason))
            }
        }
    }
    Err(format!(
        "internal error: fixes did not converge after {MAX_ROUNDS} rounds; the file was left unchanged"
    ))
}

/// The findings whose fixes apply this round: applicable, sorted by their first edit,
/// and not overlapping a fix chosen before (those come back next round).
fn choose_fixes(findings: &[Finding], unsafe_fixes: bool) -> Vec<usize> {
    let mut candidates: Vec<usize> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.fix.as_deref().is_some_and(|fix| is_applicable(fix, unsafe_fixes)))
        .map(|(i, _)| i)
        .collect();
    candidates.sort_by_key(|&i| findings[i].fix.as_deref().map(Fix::start));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut chosen = Vec::new();
    for i in candidates {
        let fix = findings[i].fix.as_deref().expect("filtered above");
        let clashes = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| *t != e && conflict(t.range, e.range)));
        if !clashes {
            taken.extend(fix.edits.iter());
            chosen.push(i);
        }
    }
    chosen
}

/// Two different edits conflict when their ranges overlap, start at the same offset, or
/// one inserts strictly inside the other.
fn conflict(a: TextRange, b: TextRange) -> bool {
    a.start() == b.start()
        || (a.start().max(b.start()) < a.end().min(b.end()))
        || (a.is_empty() && b.start() < a.start() && a.start() < b.end())
        || (b.is_empty() && a.start() < b.start() && b.start() < a.end())
}

/// The joint edits of the chosen fixes (see [`Fix::joint`]) that apply this round: all their
/// carriers are chosen, and they clash with no chosen edit (an insertion at the start of a
/// deletion is fine: it goes first).
fn joint_edits<'f>(findings: &'f [Finding], chosen: &[usize]) -> Vec<&'f Edit> {
    let fixes: Vec<&Fix> = chosen
        .iter()
        .map(|&i| findings[i].fix.as_deref().expect("chosen fixes exist"))
        .collect();
    let mut joint: Vec<&Edit> = Vec::new();
    for fix in &fixes {
        for shared in &fix.joint {
            let edit = &shared.edit;
            if joint.contains(&edit) {
                continue;
            }
            let carriers = fixes.iter().filter(|f| f.joint.contains(shared)).count();
            let clashes = fixes
                .iter()
                .flat_map(|f| f.edits.iter())
                .chain(joint.iter().copied())
                .any(|other| {
                    let (a, b) = (edit.range, other.range);
                    (a.start().max(b.start()) < a.end().min(b.end()))
                        || (b.is_empty() && a.start() < b.start() && b.start() < a.end())
                        || (a.is_empty() && b.start() <= a.start() && a.start() < b.end())
                });
            let used = fixes
                .iter()
                .flat_map(|f| f.edits.iter())
                .any(|other| mentions_word(&other.content, &shared.unbinds));
            if carriers == shared.carriers && !clashes && !used {
                joint.push(edit);
            }
        }
    }
    joint
}

/// Apply the edits of `fixes`, merging identical edits (two fixes that both add
/// `import asyncio` add it once).
pub fn splice<'f>(text: &str, fixes: impl Iterator<Item = &'f Fix>) -> String {
    splice_with(text, fixes, &[])
}

/// [`splice`], with `joint` edits too.
fn splice_with<'f>(text: &str, fixes: impl Iterator<Item = &'f Fix>, joint: &[&'f Edit]) -> String {
    apply_edits(text, &merged_edits(fixes, joint))
}

/// The edits of `fixes` and `joint`, identical ones merged, sorted.
fn merged_edits<'f>(fixes: impl Iterator<Item = &'f Fix>, joint: &[&'f Edit]) -> Vec<&'f Edit> {
    let mut edits: Vec<&Edit> = Vec::new();
    for edit in fixes.flat_map(|f| f.edits.iter()).chain(joint.iter().copied()) {
        if !edits.contains(&edit) {
            edits.push(edit);
        }
    }
    // Stable: insertions at one offset keep the order of their fixes.
    edits.sort_by_key(|e| (e.range.start(), e.range.end()));
    edits
}

/// Why fixed text was refused.
enum Verdict {
    /// A bug in a fix: the reason.
    Invalid(String),
    /// The text nests deeper than the analysis goes: it cannot be checked.
    TooDeep,
}

/// The new text must parse, and must not have more `await`s outside async context than
/// the old one (the parser accepts those; CPython rejects them).
fn verify(
    new_text: &str,
    cells: Option<&[CellSpan]>,
    hidden: &str,
    old: &Analysis,
    ctx: &Context,
) -> Result<Analysis, Verdict> {
    let analysis = match cells {
        None => analyze(new_text, ctx),
        Some(cells) => {
            let ranges: Vec<TextRange> = cells.iter().map(|c| c.range).collect();
            analyze_cells(new_text, &ranges, hidden, ctx)
        }
    };
    match analysis {
        Err(AnalyzeError::Syntax { message, .. }) => Err(Verdict::Invalid(format!("it does not parse ({message})"))),
        Err(AnalyzeError::TooDeep) => Err(Verdict::TooDeep),
        Ok(next) if next.awaits_outside_async > old.awaits_outside_async => {
            Err(Verdict::Invalid("it puts `await` outside an `async def`".to_string()))
        }
        Ok(next) => Ok(next),
    }
}

/// Find which of the round's fixes fails verification on its own and say so.
fn blame(
    text: &str,
    cells: Option<&[CellSpan]>,
    hidden: &str,
    analysis: &Analysis,
    fixes: &[&Finding],
    ctx: &Context,
    reason: &str,
) -> String {
    let index = LineIndex::from_source_text(text);
    let culprits: Vec<String> = fixes
        .iter()
        .filter(|f| {
            let edits = merged_edits(f.fix.as_deref().into_iter(), &[]);
            let alone = apply_edits(text, &edits);
            let moved = cells.map(|c| move_spans(c, &edits));
            match moved {
                Some(None) => true,
                Some(Some(cells)) => verify(&alone, Some(&cells), hidden, analysis, ctx).is_err(),
                None => verify(&alone, None, hidden, analysis, ctx).is_err(),
            }
        })
        .map(|f| {
            let loc = index.line_column(f.range.start(), text);
            format!(
                "the {} ({}) fix at {}:{}",
                f.rule.code(),
                f.rule.name(),
                loc.line,
                loc.column
            )
        })
        .collect();
    let who = if culprits.is_empty() {
        let codes: Vec<&str> = fixes.iter().map(|f| f.rule.code()).collect();
        format!("the fixes together ({})", codes.join(", "))
    } else {
        culprits.join(", ")
    };
    format!("internal error: {who} produced invalid code: {reason}; the fix was dropped and the file left unchanged")
}
