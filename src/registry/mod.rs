//! The rule registry: one table declares every rule. The `Rule` enum, `Rule::ALL`, codes,
//! names, summaries, severities, documentation (`docs/rules/<name>.md`, shown by `--explain`
//! and in SARIF), prefilter words, whether findings need the project index, and the peer
//! codes a rule covers (`# noqa: RUF006` silences AF002) all derive from it: a rule cannot be
//! half-registered. Each entry also names the module of `rules/` whose `check` function
//! checks the rule: `rules` declares those modules from this table.

/// How serious a finding is, in the machine formats: a coroutine that never runs and a
/// `RuntimeError` are bugs; a blocked loop and a task that may vanish are hazards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// What the registry says about one rule.
#[derive(Debug)]
pub struct RuleSpec {
    pub code: &'static str,
    pub name: &'static str,
    /// One line: what the rule finds.
    pub summary: &'static str,
    pub severity: Severity,
    /// What it does / Why is this bad? / Example / Fix safety, in Markdown.
    pub doc: &'static str,
    /// A file that lacks any of these byte strings cannot produce a finding of the rule, and
    /// is not parsed for it (see `analyze::could_match`). A needle `a|b` is present when
    /// either alternative is.
    pub needles: &'static [&'static str],
    /// Its findings can depend on what other files define (the project index).
    pub uses_index: bool,
    /// The codes of other tools (ruff, flake8-async) for the same problem.
    pub peers: &'static [&'static str],
}

pub mod selectors;

/// The table. Each entry: the rule's variant, the module of `rules/` that checks it (its
/// `check` function), and its spec. `$d` is a literal `$`, for the macro the table defines.
macro_rules! registry {
    ($d:tt $( $variant:ident in $module:ident => $spec:expr ),* $(,)?) => {
        /// Every rule asyncfix knows (see the table in `registry`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $($variant),*
        }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn spec(self) -> &'static RuleSpec {
                match self {
                    $(Rule::$variant => {
                        const SPEC: RuleSpec = $spec;
                        &SPEC
                    })*
                }
            }
        }

        /// Hands every rule with the name of its module in `rules/` to the macro `$callback`
        /// (as `Variant => module, ...`): `rules` declares the modules and binds their `check`
        /// functions from it, so that a rule is registered by its entry here and its file there.
        macro_rules! with_rule_modules {
            ($d callback:ident) => {
                $d callback! { $( $variant => $module ),* }
            };
        }
        pub(crate) use with_rule_modules;
    };
}

registry! { $
    MissingAwait in missing_await => RuleSpec {
        code: "AF001",
        name: "missing-await",
        summary: "a coroutine function is called without `await`: the coroutine never runs",
        severity: Severity::Error,
        doc: include_str!("../../docs/rules/missing-await.md"),
        // Files without `async` are looked at in the second phase, when the project index
        // knows which identifiers can name a coroutine function (see
        // `ProjectIndex::mentions_coroutines`).
        needles: &["async"],
        uses_index: true,
        peers: &["ASYNC105"],
    },
    DanglingTask in dangling_task => RuleSpec {
        code: "AF002",
        name: "dangling-task",
        summary: "a task's reference is dropped: it can be garbage-collected mid-run",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/dangling-task.md"),
        needles: &["create_task|ensure_future"],
        uses_index: true,
        peers: &["RUF006", "ASYNC300"],
    },
    BlockingSleep in blocking_sleep => RuleSpec {
        code: "AF003",
        name: "blocking-sleep",
        summary: "`time.sleep()` inside `async def` blocks the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-sleep.md"),
        // The direct form needs `sleep` too; the form through sync helpers only a coroutine.
        needles: &["async"],
        uses_index: false,
        peers: &["ASYNC251"],
    },
    NestedAsyncioRun in nested_asyncio_run => RuleSpec {
        code: "AF004",
        name: "nested-asyncio-run",
        summary: "`asyncio.run()` / `run_until_complete()` inside a coroutine raises `RuntimeError`",
        severity: Severity::Error,
        doc: include_str!("../../docs/rules/nested-asyncio-run.md"),
        // The direct form needs async context (`async def`); the indirect form's walk starts
        // from every coroutine, also in files that name no `run` (`self.close()` in
        // `__aexit__`), and reaches the loop starts of the files it goes through on demand.
        needles: &["async"],
        uses_index: false,
        peers: &[],
    },
    BlockingSubprocess in blocking_subprocess => RuleSpec {
        code: "AF101",
        name: "blocking-subprocess",
        summary: "running a subprocess and waiting for it inside `async def` blocks the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-subprocess.md"),
        needles: BLOCKING_NEEDLES,
        uses_index: false,
        peers: &["ASYNC220", "ASYNC221", "ASYNC222"],
    },
    BlockingHttp in blocking_http => RuleSpec {
        code: "AF102",
        name: "blocking-http",
        summary: "a synchronous HTTP request inside `async def` blocks the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-http.md"),
        needles: BLOCKING_NEEDLES,
        uses_index: false,
        peers: &["ASYNC210", "ASYNC211", "ASYNC212"],
    },
    BlockingFile in blocking_file => RuleSpec {
        code: "AF103",
        name: "blocking-file",
        summary: "file I/O (`open()`, `Path.read_text()`, `shutil`) inside `async def` blocks the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-file.md"),
        needles: BLOCKING_NEEDLES,
        uses_index: false,
        peers: &["ASYNC230", "ASYNC231", "ASYNC232"],
    },
    BlockingInput in blocking_input => RuleSpec {
        code: "AF104",
        name: "blocking-input",
        summary: "`input()` inside `async def` blocks the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-input.md"),
        needles: BLOCKING_NEEDLES,
        uses_index: false,
        peers: &["ASYNC250"],
    },
    BlockingPath in blocking_path => RuleSpec {
        code: "AF105",
        name: "blocking-path",
        summary: "file system metadata calls (`os.path.exists()`, `os.stat()`, `Path.is_file()`) inside `async def` block the event loop",
        severity: Severity::Warning,
        doc: include_str!("../../docs/rules/blocking-path.md"),
        needles: BLOCKING_NEEDLES,
        uses_index: false,
        peers: &["ASYNC240"],
    },
}

/// The needles of every blocking rule. The direct form needs a coroutine (`async`) and the
/// name of a table entry, but the form through sync helpers needs only a coroutine calling a
/// function of the project, which can be spelled any way: `async` is all a file must contain.
/// (AF001 has the same needle, so by default this parses no file that would not be parsed
/// anyway.)
const BLOCKING_NEEDLES: &[&str] = &["async"];

impl Rule {
    pub fn code(self) -> &'static str {
        self.spec().code
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// One line: what the rule finds.
    pub fn summary(self) -> &'static str {
        self.spec().summary
    }

    pub fn severity(self) -> Severity {
        self.spec().severity
    }

    pub fn doc(self) -> &'static str {
        self.spec().doc
    }

    pub fn from_code_or_name(s: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name() == s)
    }

    /// The rule a peer tool's code stands for (`RUF006` → AF002), matched case-insensitively.
    pub fn from_peer_code(code: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.spec().peers.iter().any(|p| p.eq_ignore_ascii_case(code)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_consistent() {
        let codes: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        let names: std::collections::HashSet<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            let doc = rule.doc();
            for heading in ["## What it does", "## Why is this bad?", "## Example", "## Fix safety"] {
                assert!(doc.contains(heading), "{}: no `{heading}`", rule.code());
            }
            assert!(
                rule.code().starts_with("AF") && rule.code().len() == 5,
                "{}",
                rule.code()
            );
            assert!(!rule.spec().needles.is_empty(), "{}", rule.code());
        }
        // A peer code names one rule.
        let peers: Vec<&str> = Rule::ALL.iter().flat_map(|r| r.spec().peers.iter().copied()).collect();
        let unique: std::collections::HashSet<&str> = peers.iter().copied().collect();
        assert_eq!(peers.len(), unique.len());
        assert_eq!(Rule::from_peer_code("ruf006"), Some(Rule::DanglingTask));
        assert_eq!(Rule::from_peer_code("ASYNC251"), Some(Rule::BlockingSleep));
        assert_eq!(Rule::from_peer_code("E501"), None);
    }

    /// The README's rules table names, in each rule's row, every peer code the rule covers.
    #[test]
    fn readme_rows_name_the_peer_codes() {
        let readme = include_str!("../../README.md");
        for rule in Rule::ALL.iter().filter(|r| !r.spec().peers.is_empty()) {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {} |", rule.code())))
                .unwrap_or_else(|| panic!("no README row for {}", rule.code()));
            for peer in rule.spec().peers {
                assert!(
                    row.contains(&format!("`{peer}`")),
                    "{}'s README row does not name {peer}",
                    rule.code()
                );
            }
        }
    }
}
