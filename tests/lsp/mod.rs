//! A small LSP client for the tests: runs `asyncfix server`, speaks JSON-RPC over its standard
//! input and output (`Content-Length` framing), answers the server's requests
//! (`client/registerCapability`, `workspace/configuration`), and waits for messages with a
//! generous timeout (a hang fails the test; nothing depends on timing).
#![allow(dead_code)] // Each test uses its own part of this.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Far above what any wait here needs; only there so that a hang fails the test.
pub const TIMEOUT: Duration = Duration::from_secs(120);

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications received and not yet looked at by a wait.
    queue: VecDeque<Value>,
    /// Every notification received, for failure messages.
    seen: Vec<Value>,
    next_id: i64,
    /// What `workspace/configuration` answers for each item.
    pub configuration: Value,
}

impl Client {
    /// `asyncfix server` started in `dir`.
    pub fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_asyncfix"))
            .arg("server")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("asyncfix server starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            queue: VecDeque::new(),
            seen: Vec::new(),
            next_id: 0,
            configuration: Value::Null,
        }
    }

    fn write(&mut self, message: &Value) {
        let body = serde_json::to_string(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.write(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (notifications that come first are kept for
    /// the waits). Returns `result`; an error response fails the test.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.write(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive(&format!("the response to {method}"));
            if message.get("method").is_none() && message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
            self.queue_or_answer(message);
        }
    }

    fn receive(&mut self, what: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        match self
            .incoming
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!(
                "no {what} within {TIMEOUT:?}; notifications so far:\n{}",
                self.describe_seen()
            ),
            Err(RecvTimeoutError::Disconnected) => panic!(
                "the server closed its output while waiting for {what}; notifications so far:\n{}",
                self.describe_seen()
            ),
        }
    }

    fn describe_seen(&self) -> String {
        self.seen.iter().map(|m| format!("{m}\n")).collect()
    }

    /// A request from the server is answered; a notification is queued.
    fn queue_or_answer(&mut self, message: Value) {
        match (message.get("id"), message["method"].as_str()) {
            (Some(id), Some(method)) => {
                let result = match method {
                    "workspace/configuration" => {
                        let items = message["params"]["items"].as_array().map_or(0, Vec::len);
                        Value::Array(vec![self.configuration.clone(); items])
                    }
                    _ => Value::Null,
                };
                let id = id.clone();
                self.write(&json!({"jsonrpc": "2.0", "id": id, "result": result}));
            }
            (None, Some(_)) => {
                self.seen.push(message.clone());
                self.queue.push_back(message);
            }
            _ => {}
        }
    }

    /// The first notification `method` (not looked at by an earlier wait) that `accept`s;
    /// those before it are passed over.
    pub fn wait_for(&mut self, method: &str, what: &str, accept: impl Fn(&Value) -> bool) -> Value {
        loop {
            while let Some(message) = self.queue.pop_front() {
                if message["method"] == method && accept(&message["params"]) {
                    return message["params"].clone();
                }
            }
            let message = self.receive(what);
            self.queue_or_answer(message);
        }
    }

    /// The first diagnostics published for `uri` that `accept`s.
    pub fn wait_diagnostics(&mut self, uri: &str, what: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let params = self.wait_for("textDocument/publishDiagnostics", what, |p| {
            p["uri"] == uri && accept(p["diagnostics"].as_array().map_or(&[], Vec::as_slice))
        });
        params["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize(&mut self, root: &Path, initialization_options: Value) -> Value {
        self.initialize_with(root, initialization_options, json!({}))
    }

    /// [`Client::initialize`] as a client that synchronises notebook documents (LSP 3.17).
    pub fn initialize_with_notebooks(&mut self, root: &Path) -> Value {
        self.initialize_with(
            root,
            Value::Null,
            json!({"notebookDocument": {"synchronization": {"dynamicRegistration": false}}}),
        )
    }

    /// `initialize` with `extra` merged into the client's capabilities, then `initialized`.
    pub fn initialize_with(&mut self, root: &Path, initialization_options: Value, extra: Value) -> Value {
        let uri = file_uri(root);
        let mut capabilities = json!({
            "workspace": {
                "configuration": true,
                "workspaceFolders": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true},
            },
            "textDocument": {"codeAction": {"codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["quickfix", "source.fixAll"]}
            }}},
        });
        if let (Some(all), Some(extra)) = (capabilities.as_object_mut(), extra.as_object()) {
            all.extend(extra.clone());
        }
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": "workspace"}],
                "initializationOptions": initialization_options,
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    /// `notebookDocument/didOpen` of a Jupyter notebook at `uri` whose cells are `cells`
    /// (`(cell URI, text)`, all Python code cells), version 1.
    pub fn open_notebook(&mut self, uri: &str, cells: &[(&str, &str)]) {
        let notebook_cells: Vec<Value> = cells
            .iter()
            .map(|(cell, _)| json!({"kind": 2, "document": cell}))
            .collect();
        let documents: Vec<Value> = cells
            .iter()
            .map(|(cell, text)| json!({"uri": cell, "languageId": "python", "version": 1, "text": text}))
            .collect();
        self.notify(
            "notebookDocument/didOpen",
            json!({
                "notebookDocument": {
                    "uri": uri,
                    "notebookType": "jupyter-notebook",
                    "version": 1,
                    "cells": notebook_cells,
                },
                "cellTextDocuments": documents,
            }),
        );
    }

    /// `notebookDocument/didChange` with text changes (`contentChanges` as for
    /// `textDocument/didChange`) of one cell.
    pub fn change_notebook_cell(&mut self, uri: &str, version: i32, cell: &str, changes: Value) {
        self.notify(
            "notebookDocument/didChange",
            json!({
                "notebookDocument": {"uri": uri, "version": version},
                "change": {"cells": {"textContent": [{
                    "document": {"uri": cell, "version": version},
                    "changes": changes,
                }]}},
            }),
        );
    }

    /// `notebookDocument/didClose` of a notebook and its cells.
    pub fn close_notebook(&mut self, uri: &str, cells: &[&str]) {
        let cells: Vec<Value> = cells.iter().map(|c| json!({"uri": c})).collect();
        self.notify(
            "notebookDocument/didClose",
            json!({"notebookDocument": {"uri": uri}, "cellTextDocuments": cells}),
        );
    }

    /// `shutdown`, then `exit`: the server's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Wait for the server to exit: its status.
    pub fn wait_exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit after `exit`");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The LSP position (line, UTF-16 column) of byte `offset` in `text`: the client's own count.
pub fn position(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": before[start..].encode_utf16().count()})
}

/// The byte offset of an LSP position in `text`.
pub fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The text edits of a workspace edit for `uri`.
pub fn edits_of(edit: &Value, uri: &str) -> Vec<Value> {
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

/// Apply text edits (ranges in the original text, as LSP has them) to `text`.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut last = 0;
    for (start, end, new) in spans {
        out.push_str(&text[last..start]);
        out.push_str(&new);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// The codes of some diagnostics.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}
