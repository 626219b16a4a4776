//! Suppression comments: `# asyncfix: ignore[...]` (codes or names, end of line or alone on
//! the line above the statement, bare = every rule), `# asyncfix: file-ignore[...]`,
//! `# noqa: AF003` and the peers' codes for the same problem (`# noqa: ASYNC251`), a bare
//! `# noqa` (every rule, as ruff and flake8), `--ignore-noqa` (none of it). Multi-line
//! statements are covered by a comment on their first line. Uses AF003 (`time.sleep` in
//! `async def`) and AF002 (a dropped task).

use assert_cmd::Command;

/// Run the binary on `source` (standard input) with `args`; (exit code, stdout).
fn asyncfix(source: &str, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .args(["--isolated", "--no-prefilter"])
        .args(args)
        .arg("-")
        .write_stdin(source.to_string())
        .output()
        .unwrap();
    let code = out.status.code().expect("exited");
    assert_ne!(code, 2, "{}", String::from_utf8_lossy(&out.stderr));
    (code, String::from_utf8(out.stdout).unwrap())
}

/// The lines (1-based) of the findings in `source`.
fn lines_of(source: &str) -> Vec<usize> {
    let (_, out) = asyncfix(source, &["--output-format", "concise"]);
    out.lines()
        .map(|l| {
            l.strip_prefix("-:")
                .unwrap()
                .split(':')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

/// The lines (1-based, counted from the first line of `body`) of the AF003 findings in
/// `body`, placed inside an `async def`.
fn finding_lines(body: &str) -> Vec<usize> {
    let source = format!("import time\n\n\nasync def f():\n{body}");
    lines_of(&source).into_iter().map(|l| l - 4).collect()
}

#[test]
fn unsuppressed_findings_are_reported() {
    assert_eq!(finding_lines("    time.sleep(1)\n    time.sleep(2)\n"), vec![1, 2]);
}

#[test]
fn end_of_line_with_code_name_or_nothing() {
    for comment in [
        "# asyncfix: ignore[AF003]",
        "# asyncfix: ignore[af003]",
        "# asyncfix: ignore[blocking-sleep]",
        "# asyncfix: ignore[AF001,AF003]",
        "# asyncfix: ignore[ missing-await , blocking-sleep, ]",
        "#asyncfix:ignore[AF003]",
        "# asyncfix: ignore",
        "# asyncfix: ignore  (legacy code, see #12)",
        "# type: ignore  # asyncfix: ignore[AF003]",
        "# noqa: AF003",
        "# noqa:AF003",
        "# NOQA: F401, AF003",
        "# noqa: E501 AF003",
        "# noqa: ASYNC251",
        "# noqa: E501, ASYNC251",
        "# noqa",
        "# NOQA",
        "# noqa  legacy device",
    ] {
        let body = format!("    time.sleep(1)  {comment}\n    time.sleep(2)\n");
        assert_eq!(finding_lines(&body), vec![2], "{comment}");
    }
}

#[test]
fn other_rules_do_not_suppress() {
    for comment in [
        "# asyncfix: ignore[AF001]",
        "# asyncfix: ignore[missing-await]",
        "# asyncfix: ignore[AF003",
        "# asyncfix: ignored",
        "# Asyncfix: ignore",
        "# asyncfix ignore",
        "# noqa: F401",
        "# noqa: ASYNC300",
        "# noqaxyz",
        "# noqa: AF001",
        "# ruff: noqa",
        "# type: ignore",
    ] {
        let body = format!("    time.sleep(1)  {comment}\n");
        assert_eq!(finding_lines(&body), vec![1], "{comment}");
    }
}

#[test]
fn own_line_comment_covers_the_next_statement_only() {
    let body = "    # asyncfix: ignore[AF003]\n    time.sleep(1)\n    time.sleep(2)\n";
    assert_eq!(finding_lines(body), vec![3]);
    // One of several comment lines above the statement.
    let body = "    # asyncfix: ignore[blocking-sleep]\n    # the device needs a real pause\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    // A blank line in between breaks the link.
    let body = "    # asyncfix: ignore[AF003]\n\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), vec![3]);
    // Code in between too.
    let body = "    # asyncfix: ignore[AF003]\n    x = 1\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), vec![3]);
    // Bare own-line ignore: every rule on the next statement.
    let body = "    # asyncfix: ignore\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    // Own-line noqa counts too (the directive is the same).
    let body = "    # noqa: AF003\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    // A bare own-line noqa too.
    let body = "    # noqa\n    time.sleep(1)\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
}

#[test]
fn first_line_of_a_multi_line_statement_covers_it() {
    let body = "    print(  # asyncfix: ignore[AF003]\n        time.sleep(1),\n        time.sleep(2),\n    )\n    time.sleep(3)\n";
    assert_eq!(finding_lines(body), vec![5]);
    // The comment on the line of the finding itself works too.
    let body = "    print(\n        time.sleep(1),  # asyncfix: ignore[AF003]\n        time.sleep(2),\n    )\n";
    assert_eq!(finding_lines(body), vec![3]);
    // An own-line comment above the statement covers all of it.
    let body = "    # asyncfix: ignore[AF003]\n    print(\n        time.sleep(1),\n        time.sleep(2),\n    )\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    // A comment on the last line does not cover the first findings.
    let body = "    print(\n        time.sleep(1),\n    )  # asyncfix: ignore[AF003]\n";
    assert_eq!(finding_lines(body), vec![2]);
}

#[test]
fn semicolons_and_compound_statements() {
    let body = "    x = 1; time.sleep(1)  # asyncfix: ignore[AF003]\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    let body = "    if True: time.sleep(1)  # asyncfix: ignore[AF003]\n";
    assert_eq!(finding_lines(body), Vec::<usize>::new());
    // A comment on a block header does not cover the block's body.
    let body = "    if True:  # asyncfix: ignore[AF003]\n        time.sleep(1)\n";
    assert_eq!(finding_lines(body), vec![2]);
}

#[test]
fn file_ignore() {
    let source = "# asyncfix: file-ignore[AF003]\nimport time\n\n\nasync def f():\n    time.sleep(1)\n";
    assert!(lines_of(source).is_empty());
    let source = "import time\n\n\nasync def f():\n    time.sleep(1)\n# asyncfix: file-ignore[AF001]\n";
    assert_eq!(lines_of(source), vec![5]);
    let source = "import time\n\n\nasync def f():\n    time.sleep(1)\n# asyncfix: file-ignore\n";
    assert!(lines_of(source).is_empty());
}

#[test]
fn crlf_and_tabs() {
    let source = "import time\r\n\r\n\r\nasync def f():\r\n\t# asyncfix: ignore[AF003]\r\n\ttime.sleep(1)\r\n\ttime.sleep(2)  # noqa: AF003\r\n\ttime.sleep(3)\r\n";
    assert_eq!(lines_of(source), vec![8]);
}

#[test]
fn suppressed_findings_are_not_fixed() {
    let source = "import time\n\n\nasync def f():\n    time.sleep(1)  # asyncfix: ignore[AF003]\n    time.sleep(2)\n";
    let (code, fixed) = asyncfix(source, &["--write"]);
    assert_eq!(code, 0);
    assert!(
        fixed.contains("    time.sleep(1)  # asyncfix: ignore[AF003]\n"),
        "{fixed}"
    );
    assert!(fixed.contains("    await asyncio.sleep(2)\n"), "{fixed}");
    let (code, diff) = asyncfix(source, &["--diff"]);
    assert_eq!(code, 1);
    assert!(!diff.contains("-    time.sleep(1)"), "{diff}");
}

#[test]
fn suppressed_files_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.py"),
        "import time\n\n\nasync def f():\n    time.sleep(1)  # asyncfix: ignore[blocking-sleep]\n",
    )
    .unwrap();
    let out = Command::cargo_bin("asyncfix")
        .unwrap()
        .current_dir(dir.path())
        .args(["--isolated", "a.py"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn peer_codes_name_their_rule() {
    let source = "import asyncio\n\n\nasync def f(job):\n    asyncio.create_task(job())  # noqa: RUF006\n    asyncio.create_task(job())  # noqa: ASYNC300\n    asyncio.create_task(job())  # noqa: ASYNC251\n";
    assert_eq!(lines_of(source), vec![7]);
}

#[test]
fn ignore_noqa_turns_every_suppression_off() {
    let source = "import time\n\n\nasync def f():\n    time.sleep(1)  # noqa\n    time.sleep(2)  # noqa: AF003\n    time.sleep(3)  # asyncfix: ignore[AF003]\n";
    assert_eq!(lines_of(source), Vec::<usize>::new());
    let (_, out) = asyncfix(source, &["--ignore-noqa", "--output-format", "concise"]);
    assert_eq!(out.lines().count(), 3, "{out}");
}
