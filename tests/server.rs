//! `asyncfix server` driven as an editor drives it: JSON-RPC over the real binary's standard
//! input and output (see `lsp/mod.rs`). Every wait is on a message, never on time.

mod common;
mod lsp;

use std::fs;
use std::path::PathBuf;

use lsp::{apply, codes, edits_of, file_uri, position, Client};
use serde_json::{json, Value};

/// A temporary workspace holding `files`, and its canonical root.
fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    common::tree(files)
}

const API: &str = "async def fetch(name):\n    return name\n";

/// AF001 (`fetch` is a coroutine function of `pkg/api.py`, which is never opened; reported
/// without a fix, as its value is used) and two AF003, each after non-ASCII characters on its
/// line (`é` is one UTF-16 unit and two UTF-8 bytes, `😀` two units and one character), and an
/// AF004 whose fix is unsafe (it drops `debug=True`).
const APP: &str = "import asyncio\nimport time\n\nfrom pkg.api import fetch\n\n\nasync def main():\n    label = \"é😀\"; print(fetch(label))\n    mark = \"ü\"; time.sleep(1)\n    time.sleep(2)\n    asyncio.run(fetch(label), debug=True)\n";

fn find(diagnostics: &[Value], code: &str) -> Vec<Value> {
    diagnostics.iter().filter(|d| d["code"] == code).cloned().collect()
}

fn range_of(text: &str, needle: &str) -> Value {
    let start = text.find(needle).unwrap_or_else(|| panic!("`{needle}` in the text"));
    json!({"start": position(text, start), "end": position(text, start + needle.len())})
}

fn code_actions(client: &mut Client, uri: &str, range: &Value, diagnostics: &[Value], only: &[&str]) -> Vec<Value> {
    let result = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": range,
            "context": {"diagnostics": diagnostics, "only": only},
        }),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn change(client: &mut Client, uri: &str, version: i32, changes: Value) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

/// Text edits as incremental changes: last first, so each range still means the original text.
fn incremental(edits: &[Value]) -> Value {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| {
        let s = &e["range"]["start"];
        (s["line"].as_u64(), s["character"].as_u64())
    });
    edits.reverse();
    Value::Array(
        edits
            .iter()
            .map(|e| json!({"range": e["range"], "text": e["newText"]}))
            .collect(),
    )
}

fn published_version(client: &mut Client, uri: &str, version: i32) -> Vec<Value> {
    let params = client.wait_for(
        "textDocument/publishDiagnostics",
        &format!("diagnostics of version {version}"),
        |p| p["uri"] == uri && p["version"] == version,
    );
    params["diagnostics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn editor_session() {
    let (_dir, root) = workspace(&[("pkg/__init__.py", ""), ("pkg/api.py", API), ("pkg/app.py", APP)]);
    let uri = file_uri(&root.join("pkg/app.py"));
    let mut client = Client::start(&root);
    let init = client.initialize(&root, Value::Null);
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync: {init}"
    );

    client.open(&uri, APP);
    // The first diagnostics may come before the project is indexed (the AF003 are the file's
    // own); the AF001 needs `pkg/api.py`.
    let diagnostics = client.wait_diagnostics(&uri, "AF001 and AF003", |d| {
        let codes = codes(d);
        codes.iter().any(|c| c == "AF001") && codes.iter().any(|c| c == "AF003")
    });
    let af001 = find(&diagnostics, "AF001");
    let af003 = find(&diagnostics, "AF003");
    assert_eq!(af001.len(), 1, "{diagnostics:?}");
    assert_eq!(af003.len(), 2, "{diagnostics:?}");
    assert_eq!(af001[0]["range"], range_of(APP, "fetch(label)"), "UTF-16 columns");
    assert_eq!(af003[0]["range"], range_of(APP, "time.sleep(1)"), "UTF-16 columns");
    assert_eq!(af001[0]["severity"], 1, "AF001 is an error");
    assert_eq!(af001[0]["source"], "asyncfix");
    assert!(
        af001[0]["codeDescription"]["href"]
            .as_str()
            .is_some_and(|href| href.ends_with("#missing-await")),
        "{:?}",
        af001[0]
    );

    // The AF001 has no fix (the value is used), but the line can be silenced.
    let actions = code_actions(&mut client, &uri, &af001[0]["range"], &af001, &["quickfix"]);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles, ["Disable AF001 for this line"]);
    let silenced = apply(APP, &edits_of(&actions[0]["edit"], &uri));
    assert!(
        silenced.contains("    label = \"é😀\"; print(fetch(label))  # asyncfix: ignore[AF001]\n"),
        "{silenced}"
    );
    // The AF004's fix is unsafe, and says so.
    let af004 = find(&diagnostics, "AF004");
    let actions = code_actions(&mut client, &uri, &af004[0]["range"], &af004, &["quickfix"]);
    let unsafe_fix = &actions[0];
    assert!(
        unsafe_fix["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("AF004:") && t.ends_with("(unsafe fix)")),
        "{actions:?}"
    );
    assert_eq!(unsafe_fix["isPreferred"], false);

    // The first AF003's quick fix, applied as the editor does (incremental changes).
    let actions = code_actions(&mut client, &uri, &af003[0]["range"], &af003[..1], &["quickfix"]);
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("AF003:")))
        .unwrap_or_else(|| panic!("an AF003 quick fix in {actions:?}"));
    assert_eq!(fix["isPreferred"], true);
    let edits = edits_of(&fix["edit"], &uri);
    let text = apply(APP, &edits);
    assert!(text.contains("    mark = \"ü\"; await asyncio.sleep(1)\n"), "{text}");
    change(&mut client, &uri, 2, incremental(&edits));
    let diagnostics = published_version(&mut client, &uri, 2);
    let af003 = find(&diagnostics, "AF003");
    assert_eq!(af003.len(), 1, "the fixed AF003 is gone: {diagnostics:?}");
    assert_eq!(af003[0]["range"], range_of(&text, "time.sleep(2)"));
    assert_eq!(codes(&diagnostics), ["AF001", "AF003", "AF004"], "{diagnostics:?}");

    // Fix-all applies the safe fixes only: the last AF003, not the unsafe AF004.
    let whole = json!({"start": {"line": 0, "character": 0}, "end": position(&text, text.len())});
    let actions = code_actions(&mut client, &uri, &whole, &[], &["source.fixAll.asyncfix"]);
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.asyncfix");
    let text = apply(&text, &edits_of(&actions[0]["edit"], &uri));
    assert!(text.contains("    await asyncio.sleep(2)\n"), "{text}");
    assert!(
        text.contains("    asyncio.run(fetch(label), debug=True)\n"),
        "the unsafe fix is not applied: {text}"
    );
    // This time the whole text, as a client with full sync sends it.
    change(&mut client, &uri, 3, json!([{"text": text}]));
    let diagnostics = published_version(&mut client, &uri, 3);
    assert_eq!(codes(&diagnostics), ["AF001", "AF004"], "{diagnostics:?}");

    // `fetch` stops being a coroutine function on disk: the AF001 goes.
    fs::write(root.join("pkg/api.py"), "def fetch(name):\n    return name\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("pkg/api.py")), "type": 2}]}),
    );
    client.wait_diagnostics(&uri, "no AF001 once fetch is sync", |d| codes(d) == ["AF004"]);

    let status = client.shutdown();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_coroutine_in_an_open_document_counts_as_typed() {
    let (_dir, root) = workspace(&[
        ("pkg/__init__.py", ""),
        ("pkg/api.py", "def fetch(name):\n    return name\n"),
    ]);
    let app = "from pkg.api import fetch\n\n\nasync def main():\n    fetch(1)\n";
    fs::write(root.join("pkg/app.py"), app).unwrap();
    let (api_uri, app_uri) = (file_uri(&root.join("pkg/api.py")), file_uri(&root.join("pkg/app.py")));
    let mut client = Client::start(&root);
    client.initialize(&root, Value::Null);
    client.wait_for("window/logMessage", "the end of indexing", |p| {
        p["message"].as_str().is_some_and(|m| m.contains("indexed"))
    });
    client.open(&app_uri, app);
    client.wait_diagnostics(&app_uri, "no finding", |d| d.is_empty());
    // Typed, not saved: `fetch` becomes a coroutine function in the editor.
    client.open(&api_uri, "def fetch(name):\n    return name\n");
    change(
        &mut client,
        &api_uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "async "}]),
    );
    client.wait_diagnostics(&app_uri, "AF001", |d| codes(d) == ["AF001"]);
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn settings_from_the_editor_and_a_broken_configuration() {
    let app = "import asyncio\nimport time\n\n\nasync def main():\n    time.sleep(1)\n    asyncio.run(main())\n";
    // The editor's settings select AF003 only.
    let (_dir, root) = workspace(&[("app.py", app)]);
    let uri = file_uri(&root.join("app.py"));
    let mut client = Client::start(&root);
    client.initialize(&root, json!({"select": ["AF003"]}));
    client.open(&uri, app);
    let diagnostics = client.wait_diagnostics(&uri, "AF003", |d| !d.is_empty());
    assert_eq!(codes(&diagnostics), ["AF003"]);
    assert_eq!(client.shutdown().code(), Some(0));

    // The same from `workspace/configuration` (the `asyncfix` section), over the file's.
    let (_dir, root) = workspace(&[("app.py", app), ("asyncfix.toml", "select = [\"AF004\"]\n")]);
    let uri = file_uri(&root.join("app.py"));
    let mut client = Client::start(&root);
    client.configuration = json!({"extendSelect": ["AF003"]});
    client.initialize(&root, Value::Null);
    client.open(&uri, app);
    client.wait_diagnostics(&uri, "AF003 and AF004", |d| codes(d) == ["AF003", "AF004"]);
    // The configuration file edited in the editor and saved: read again.
    let config_uri = file_uri(&root.join("asyncfix.toml"));
    client.open(&config_uri, "select = [\"AF004\"]\n");
    fs::write(root.join("asyncfix.toml"), "select = [\"AF002\"]\n").unwrap();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": config_uri}}));
    client.wait_diagnostics(&uri, "AF003 only", |d| codes(d) == ["AF003"]);
    assert_eq!(client.shutdown().code(), Some(0));

    // A malformed configuration file is shown, and the defaults are used.
    let (_dir, root) = workspace(&[("app.py", app), ("asyncfix.toml", "selct = [\"AF003\"]\n")]);
    let uri = file_uri(&root.join("app.py"));
    let mut client = Client::start(&root);
    client.initialize(&root, Value::Null);
    let shown = client.wait_for("window/showMessage", "the configuration error", |_| true);
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("asyncfix.toml:1:1: unknown key `selct`"), "{message}");
    assert_eq!(shown["type"], 1, "an error");
    client.open(&uri, app);
    client.wait_diagnostics(&uri, "findings with the defaults", |d| !d.is_empty());
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let (_dir, root) = workspace(&[]);
    let mut client = Client::start(&root);
    client.initialize(&root, Value::Null);
    client.notify("exit", Value::Null);
    // As LSP asks: exit code 1.
    assert_eq!(client.wait_exit().code(), Some(1));
}

#[test]
fn an_indirect_finding_shows_its_chain() {
    // `refresh()` blocks through `_wait()`, in a module that is never opened (and that the
    // prefilter does not parse: it mentions no `async`).
    let helpers = "import time\n\n\ndef _wait():\n    time.sleep(1)\n\n\ndef refresh():\n    _wait()\n";
    let app = "from pkg.helpers import refresh\n\n\nasync def main():\n    refresh()\n";
    let (_dir, root) = workspace(&[
        ("pkg/__init__.py", ""),
        ("pkg/helpers.py", helpers),
        ("pkg/app.py", app),
    ]);
    let uri = file_uri(&root.join("pkg/app.py"));
    let helpers_uri = file_uri(&root.join("pkg/helpers.py"));
    let mut client = Client::start(&root);
    client.initialize(&root, Value::Null);
    client.open(&uri, app);
    let diagnostics = client.wait_diagnostics(&uri, "the helper form of AF003", |d| codes(d) == ["AF003"]);
    let related = diagnostics[0]["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let places: Vec<(String, Value)> = related
        .iter()
        .map(|r| {
            (
                r["location"]["uri"].as_str().unwrap().to_string(),
                r["location"]["range"].clone(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (helpers_uri.clone(), range_of(helpers, "refresh")),
            (helpers_uri, range_of(helpers, "_wait"))
        ],
        "{diagnostics:?}"
    );
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn a_loop_started_below_a_coroutine_shows_the_chain() {
    let res = "import asyncio\n\n\nclass Resource:\n    def close(self):\n        asyncio.run(self._aclose())\n\n    async def _aclose(self):\n        pass\n\n    async def __aexit__(self, *exc):\n        self.close()\n";
    let (_dir, root) = workspace(&[("res.py", res)]);
    let uri = file_uri(&root.join("res.py"));
    let mut client = Client::start(&root);
    client.initialize(&root, Value::Null);
    client.open(&uri, res);
    let diagnostics = client.wait_diagnostics(&uri, "the indirect AF004", |d| codes(d) == ["AF004"]);
    let related = diagnostics[0]["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ranges: Vec<Value> = related.iter().map(|r| r["location"]["range"].clone()).collect();
    assert_eq!(
        ranges,
        [range_of(res, "__aexit__"), range_of(res, "close")],
        "{diagnostics:?}"
    );
    assert!(related.iter().all(|r| r["location"]["uri"] == uri), "{related:?}");
    assert_eq!(client.shutdown().code(), Some(0));
}

#[test]
fn fix_all_takes_unsafe_fixes_when_configured() {
    let app =
        "import asyncio\n\n\nasync def job():\n    pass\n\n\nasync def main():\n    asyncio.run(job(), debug=True)\n";
    let (_dir, root) = workspace(&[("app.py", app)]);
    let uri = file_uri(&root.join("app.py"));
    let mut client = Client::start(&root);
    client.initialize(&root, json!({"unsafeFixes": true}));
    client.open(&uri, app);
    client.wait_diagnostics(&uri, "AF004", |d| codes(d) == ["AF004"]);
    let whole = json!({"start": {"line": 0, "character": 0}, "end": position(app, app.len())});
    let actions = code_actions(&mut client, &uri, &whole, &[], &["source"]);
    let fix_all: Vec<&Value> = actions
        .iter()
        .filter(|a| a["kind"] == "source.fixAll.asyncfix")
        .collect();
    assert_eq!(fix_all.len(), 1, "{actions:?}");
    let fixed = apply(app, &edits_of(&fix_all[0]["edit"], &uri));
    assert!(fixed.contains("    await job()\n"), "{fixed}");
    assert_eq!(client.shutdown().code(), Some(0));
}

/// A notebook as a notebook document: its code cells one module (`main` of cell 1 is known in
/// cell 2, and `asyncio.run(main())` at cell 2's top level becomes `await main()`), each
/// cell's diagnostics on its own URI with positions in that cell.
#[test]
fn a_notebook_as_a_notebook_document() {
    let (_dir, root) = workspace(&[("notes.md", "notes\n")]);
    let notebook = file_uri(&root.join("nb.ipynb"));
    let cell1 = format!("vscode-notebook-cell:{}#cell1", root.join("nb.ipynb").display());
    let cell2 = format!("vscode-notebook-cell:{}#cell2", root.join("nb.ipynb").display());
    const CELL1: &str = "import asyncio\n\n\nasync def main():\n    return \"é\"\n";
    const CELL2: &str = "x = \"é😀\"; asyncio.run(main())";
    let mut client = Client::start(&root);
    let init = client.initialize_with_notebooks(&root);
    let selector = &init["capabilities"]["notebookDocumentSync"]["notebookSelector"][0];
    assert_eq!(selector["notebook"]["notebookType"], "jupyter-notebook", "{init}");
    assert_eq!(selector["cells"][0]["language"], "python", "{init}");

    client.open_notebook(&notebook, &[(&cell1, CELL1), (&cell2, CELL2)]);
    let diagnostics = client.wait_diagnostics(&cell2, "the AF004 of cell 2", |d| {
        codes(d).contains(&"AF004".to_string())
    });
    let af004 = find(&diagnostics, "AF004");
    assert_eq!(af004.len(), 1, "{diagnostics:?}");
    assert_eq!(
        af004[0]["range"],
        range_of(CELL2, "asyncio.run(main())"),
        "in cell 2, UTF-16 columns"
    );

    let actions = code_actions(&mut client, &cell2, &af004[0]["range"], &af004, &["quickfix"]);
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().is_some_and(|t| t.starts_with("AF004:")))
        .unwrap_or_else(|| panic!("an AF004 quick fix in {actions:?}"));
    let edits = edits_of(&fix["edit"], &cell2);
    assert!(!edits.is_empty(), "{fix}");
    let fixed = apply(CELL2, &edits);
    assert_eq!(fixed, "x = \"é😀\"; await main()");
    assert!(actions
        .iter()
        .any(|a| a["title"] == "Disable AF004 for this line" && !edits_of(&a["edit"], &cell2).is_empty()));

    // Fix-all on a cell: that cell's edits.
    let fix_all = code_actions(
        &mut client,
        &cell2,
        &af004[0]["range"],
        &[],
        &["source.fixAll.asyncfix"],
    );
    assert_eq!(fix_all.len(), 1, "{fix_all:?}");
    assert_eq!(apply(CELL2, &edits_of(&fix_all[0]["edit"], &cell2)), fixed);

    client.change_notebook_cell(&notebook, 2, &cell2, incremental(&edits));
    client.wait_diagnostics(&cell2, "no diagnostics in cell 2 after the fix", |d| d.is_empty());

    // A cell added (a structure change), then removed: its diagnostics come, then are cleared.
    let cell3 = format!("vscode-notebook-cell:{}#cell3", root.join("nb.ipynb").display());
    let structure = |version: i32, delete_count: usize, cells: Value, did_open: Value| {
        json!({
            "notebookDocument": {"uri": notebook, "version": version},
            "change": {"cells": {"structure": {
                "array": {"start": 2, "deleteCount": delete_count, "cells": cells},
                "didOpen": did_open,
            }}},
        })
    };
    client.notify(
        "notebookDocument/didChange",
        structure(
            3,
            0,
            json!([{"kind": 2, "document": cell3}]),
            json!([{"uri": cell3, "languageId": "python", "version": 1, "text": "asyncio.run(main())\n"}]),
        ),
    );
    let diagnostics = client.wait_diagnostics(&cell3, "the AF004 of the added cell", |d| !d.is_empty());
    assert_eq!(codes(&diagnostics), ["AF004"]);
    assert_eq!(diagnostics[0]["range"]["start"], json!({"line": 0, "character": 0}));
    client.notify("notebookDocument/didChange", structure(4, 1, json!([]), json!([])));
    client.wait_diagnostics(&cell3, "the removed cell's diagnostics cleared", |d| d.is_empty());

    client.close_notebook(&notebook, &[&cell1, &cell2]);
    client.wait_diagnostics(&cell1, "cell 1 cleared on close", |d| d.is_empty());
    assert!(client.shutdown().success());
}
