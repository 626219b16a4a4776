//! `asyncfix server`: a language server over standard input and output (LSP, on `lsp-server`
//! and `lsp-types`). The output layer of the editor, as `report` is the command line's: it
//! turns the pipeline's findings and fixes into diagnostics and code actions.
//!
//! - Text sync, full and incremental; positions in UTF-16 code units (`position`).
//! - Each workspace folder is a project (`project`), indexed at start-up on a worker thread
//!   (with the prefilter); until it is, an open document is checked on its own, so its first
//!   diagnostics wait for nothing. The index is kept current from the open documents' text
//!   (`didChange`), saves and `workspace/didChangeWatchedFiles` (files changed on disk): a
//!   cross-module finding (a coroutine of an unopened file called without `await`) comes and
//!   goes with the file that defines the coroutine.
//! - Settings as the command line resolves them from the folder (`settings`), with the
//!   editor's (`initializationOptions`, `workspace/configuration`) over them; a malformed
//!   configuration is shown (`window/showMessage`) and the defaults used.
//! - Code actions (`actions`): a quick fix per fixable finding, "Disable AF00x for this
//!   line", and `source.fixAll.asyncfix`.
//! - Notebook documents (`notebook`), offered to a client that synchronises them: the code
//!   cells of a Jupyter notebook analysed as one module, as a run analyses a `.ipynb` file,
//!   each cell's diagnostics published to the cell's own URI; code actions on a cell are its
//!   findings' (fix-all on a cell fixes that cell only).

mod actions;
mod notebook;
mod position;
mod project;
mod settings;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    notification, request, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, ConfigurationItem, ConfigurationParams, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidChangeWorkspaceFoldersParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, InitializeParams, MessageType, PublishDiagnosticsParams, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentItem,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
    WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};
use ruff_text_size::TextRange;
use serde_json::{Map, Value};

use crate::cli::config::CONFIG_NAMES;
use crate::fix::apply::is_applicable;
use crate::fix::edit::Finding;
use crate::project::index::FileSummary;
use position::LineIndex;
use project::{index_folder, Indexed, Project, STACK_SIZE};

/// Run the server on standard input and output until the client says `exit`. Exit code 0
/// after `shutdown`, 1 when the client exits without it (as LSP asks) or the connection fails.
pub fn run() -> ExitCode {
    let (connection, io_threads) = Connection::stdio();
    // The analyses recurse as deep as the code nests: the main loop gets a large stack.
    let main = std::thread::Builder::new()
        .name("asyncfix-server".to_string())
        .stack_size(STACK_SIZE)
        .spawn(move || serve(connection));
    let code = match main.map(|t| t.join()) {
        Ok(Ok(Ok(code))) => code,
        Ok(Ok(Err(message))) => {
            eprintln!("asyncfix server: {message}");
            1
        }
        _ => {
            eprintln!("asyncfix server: internal error");
            1
        }
    };
    if let Err(e) = io_threads.join() {
        eprintln!("asyncfix server: {e}");
    }
    ExitCode::from(code)
}

fn serve(connection: Connection) -> Result<u8, String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let notebooks = notebook::client_supports(&params);
    let params: InitializeParams = serde_json::from_value(params).map_err(|e| e.to_string())?;
    let mut capabilities = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    if notebooks {
        capabilities["notebookDocumentSync"] = notebook::sync_options();
    }
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo {
            name: "asyncfix".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let (events, event_rx) = crossbeam_channel::unbounded();
    let mut server = Server::new(connection, &params, events);
    server.main_loop(event_rx)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(actions::FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

/// What the worker threads report to the main loop.
enum Event {
    Indexed {
        root: PathBuf,
        generation: u64,
        indexed: Indexed,
    },
}

/// Why the server asked the client something.
enum Asked {
    /// `workspace/configuration` for these folders.
    Configuration(Vec<PathBuf>),
    Other,
}

struct Document {
    uri: Url,
    /// `None` for a document that is not a file (`untitled:`).
    path: Option<PathBuf>,
    version: i32,
    text: String,
    lines: LineIndex,
    findings: Vec<Finding>,
    /// What the latest text that parsed defines.
    summary: Option<Arc<FileSummary>>,
    /// Python source (`languageId` python, or a `.py`, `.pyi` or `.pyw` file): other
    /// documents (a configuration file opened in the editor) are followed, never checked.
    python: bool,
}

struct Server {
    connection: Connection,
    events: Sender<Event>,
    /// One a workspace folder, by folder.
    projects: BTreeMap<PathBuf, Project>,
    /// Documents outside every workspace folder, each checked on its own with the settings
    /// of its own folder: by that folder.
    loose: BTreeMap<PathBuf, Project>,
    /// Incremented on each indexing started, by folder: an older result is dropped.
    generations: HashMap<PathBuf, u64>,
    documents: HashMap<Url, Document>,
    /// Open notebook documents, by the notebook's URI.
    notebooks: HashMap<Url, notebook::NotebookDoc>,
    /// The editor's settings from `initializationOptions`.
    init_options: Map<String, Value>,
    /// The editor's settings from `workspace/configuration`, by folder.
    folder_options: HashMap<PathBuf, Map<String, Value>>,
    supports_configuration: bool,
    supports_watching: bool,
    next_id: i32,
    asked: HashMap<RequestId, Asked>,
    /// Open documents to check again because another one changed what it defines: checked
    /// once the client pauses ([`RECHECK_DELAY`] without a message), so that typing in one
    /// document waits for no other.
    stale: std::collections::BTreeSet<Url>,
}

/// How long the client must be quiet before the open documents made stale by an edit of
/// another are checked again.
const RECHECK_DELAY: std::time::Duration = std::time::Duration::from_millis(150);

/// A workspace folder's path (a `file:` URI), else nothing.
fn uri_path(uri: &Url) -> Option<PathBuf> {
    (uri.scheme() == "file").then(|| uri.to_file_path().ok()).flatten()
}

impl Server {
    fn new(connection: Connection, params: &InitializeParams, events: Sender<Event>) -> Self {
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| uri_path(&f.uri))
            .collect();
        #[allow(deprecated)] // Older clients send only `rootUri` (or `rootPath`).
        if folders.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(uri_path) {
                folders.push(root);
            } else if let Some(root) = &params.root_path {
                folders.push(PathBuf::from(root));
            }
        }
        let workspace = params.capabilities.workspace.as_ref();
        let mut server = Self {
            connection,
            events,
            projects: BTreeMap::new(),
            loose: BTreeMap::new(),
            generations: HashMap::new(),
            documents: HashMap::new(),
            notebooks: HashMap::new(),
            init_options: settings::editor_options(params.initialization_options.as_ref()),
            folder_options: HashMap::new(),
            supports_configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            supports_watching: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            next_id: 0,
            asked: HashMap::new(),
            stale: Default::default(),
        };
        for folder in folders {
            let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
            let settings = server.resolve_settings(&folder);
            server.projects.insert(folder.clone(), Project::new(folder, settings));
        }
        server
    }

    fn main_loop(&mut self, event_rx: Receiver<Event>) -> Result<u8, String> {
        // `initialize_finish` has waited for `initialized`.
        self.watch_files();
        self.ask_configuration();
        let roots: Vec<PathBuf> = self.projects.keys().cloned().collect();
        for root in roots {
            self.start_indexing(&root);
        }
        let receiver = self.connection.receiver.clone();
        loop {
            let pause = if self.stale.is_empty() {
                crossbeam_channel::never()
            } else {
                crossbeam_channel::after(RECHECK_DELAY)
            };
            crossbeam_channel::select! {
                recv(pause) -> _ => {
                    for uri in std::mem::take(&mut self.stale) {
                        self.check(&uri);
                    }
                }
                recv(receiver) -> message => {
                    let Ok(message) = message else {
                        // The client went away without `exit`.
                        return Ok(1);
                    };
                    match message {
                        Message::Request(request) => {
                            if self.connection.handle_shutdown(&request).map_err(|e| e.to_string())? {
                                return Ok(0);
                            }
                            self.on_request(request);
                        }
                        Message::Notification(note) => {
                            if note.method == notification::Exit::METHOD {
                                return Ok(1);
                            }
                            self.on_notification(note);
                        }
                        Message::Response(response) => self.on_response(response),
                    }
                }
                recv(event_rx) -> event => {
                    if let Ok(event) = event {
                        self.on_event(event);
                    }
                }
            }
        }
    }

    // -- Sending ------------------------------------------------------------------------

    fn send(&self, message: Message) {
        // A client gone is noticed by the receiving side.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_string(), params)));
    }

    fn ask<R: lsp_types::request::Request>(&mut self, params: R::Params, why: Asked) {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.asked.insert(id.clone(), why);
        self.send(Message::Request(Request::new(id, R::METHOD.to_string(), params)));
    }

    fn show(&self, kind: MessageType, message: String) {
        self.notify::<notification::ShowMessage>(ShowMessageParams { typ: kind, message });
    }

    // -- Settings and indexing ----------------------------------------------------------

    fn resolve_settings(&self, folder: &Path) -> crate::cli::settings::Settings {
        let mut options = self.init_options.clone();
        if let Some(more) = self.folder_options.get(folder) {
            options.extend(more.clone());
        }
        let (settings, error) = settings::resolve(folder, &options);
        if let Some(message) = error {
            self.show(
                MessageType::ERROR,
                format!("asyncfix: {message}; using the default settings until it is fixed"),
            );
        }
        settings
    }

    /// Index a folder on a worker thread (again, after a settings change).
    fn start_indexing(&mut self, root: &Path) {
        let Some(project) = self.projects.get(root) else {
            return;
        };
        let generation = {
            let g = self.generations.entry(root.to_path_buf()).or_default();
            *g += 1;
            *g
        };
        let settings = project.settings.clone();
        let root = root.to_path_buf();
        let events = self.events.clone();
        let spawned = std::thread::Builder::new()
            .name("asyncfix-index".to_string())
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let indexed = index_folder(&root, &settings);
                let _ = events.send(Event::Indexed {
                    root,
                    generation,
                    indexed,
                });
            });
        if let Err(e) = spawned {
            self.show(MessageType::ERROR, format!("asyncfix: cannot index the workspace: {e}"));
        }
    }

    /// Settings changed (a configuration file, or the editor's): resolve them again for every
    /// folder, check the open documents with them, and index again.
    fn reload_settings(&mut self) {
        let roots: Vec<PathBuf> = self.projects.keys().cloned().collect();
        for root in roots {
            let settings = self.resolve_settings(&root);
            if let Some(project) = self.projects.get_mut(&root) {
                *project = Project::new(root.clone(), settings);
            }
            self.start_indexing(&root);
        }
        let loose: Vec<PathBuf> = self.loose.keys().cloned().collect();
        for dir in loose {
            let settings = self.resolve_settings(&dir);
            self.loose.insert(dir.clone(), Project::new(dir, settings));
        }
        self.check_all(None);
    }

    fn ask_configuration(&mut self) {
        if !self.supports_configuration || self.projects.is_empty() {
            return;
        }
        let roots: Vec<PathBuf> = self.projects.keys().cloned().collect();
        let items = roots
            .iter()
            .map(|root| ConfigurationItem {
                scope_uri: Url::from_directory_path(root).ok(),
                section: Some("asyncfix".to_string()),
            })
            .collect();
        self.ask::<request::WorkspaceConfiguration>(ConfigurationParams { items }, Asked::Configuration(roots));
    }

    fn watch_files(&mut self) {
        if !self.supports_watching {
            return;
        }
        let mut globs = vec!["**/*.py".to_string(), "**/*.pyi".to_string()];
        globs.extend(CONFIG_NAMES.iter().map(|n| format!("**/{n}")));
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: globs
                .into_iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g),
                    kind: None,
                })
                .collect(),
        };
        let registration = Registration {
            id: "asyncfix-watched-files".to_string(),
            method: notification::DidChangeWatchedFiles::METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        self.ask::<request::RegisterCapability>(
            RegistrationParams {
                registrations: vec![registration],
            },
            Asked::Other,
        );
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::Indexed {
                root,
                generation,
                indexed,
            } => {
                if self.generations.get(&root) != Some(&generation) {
                    return;
                }
                let Some(project) = self.projects.get_mut(&root) else {
                    return;
                };
                let message = format!(
                    "asyncfix: indexed {} files of {} in {} ms",
                    indexed.files.len(),
                    root.display(),
                    indexed.elapsed.as_millis()
                );
                project.set_indexed(indexed);
                // The open documents stand for their files: what their text defines first
                // (summarised with the project's module names), then their findings.
                let open: Vec<Url> = self
                    .documents
                    .values()
                    .filter(|d| d.python && d.path.as_ref().is_some_and(|p| project.contains(p)))
                    .map(|d| d.uri.clone())
                    .collect();
                let mut summaries = Vec::new();
                for uri in &open {
                    let doc = &self.documents[uri];
                    let path = doc.path.clone().expect("filtered above");
                    if let Some(summary) = project.analyze_document(&path, &doc.text).summary {
                        summaries.push((path, summary));
                    }
                }
                project.set_documents(summaries);
                self.notify::<notification::LogMessage>(lsp_types::LogMessageParams {
                    typ: MessageType::INFO,
                    message,
                });
                self.check_all(Some(&root));
            }
        }
    }

    // -- Documents ----------------------------------------------------------------------

    /// The project a document belongs to: the innermost workspace folder holding it, else
    /// (made on first use) its own folder's.
    fn project_of(&mut self, path: Option<&Path>) -> PathBuf {
        let path = path.map(Path::to_path_buf).unwrap_or_else(|| {
            self.projects
                .keys()
                .next()
                .cloned()
                .unwrap_or_else(|| std::env::current_dir().unwrap_or_default())
                .join("untitled.py")
        });
        if let Some(root) = self
            .projects
            .keys()
            .filter(|r| path.starts_with(r))
            .max_by_key(|r| r.as_os_str().len())
        {
            return root.clone();
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !self.loose.contains_key(&dir) {
            let settings = self.resolve_settings(&dir);
            self.loose.insert(dir.clone(), Project::new(dir.clone(), settings));
        }
        dir
    }

    fn project(&self, root: &Path) -> Option<&Project> {
        self.projects.get(root).or_else(|| self.loose.get(root))
    }

    /// Analyse a document, publish its diagnostics, and return what its text defines.
    fn check(&mut self, uri: &Url) -> Option<(PathBuf, Arc<FileSummary>)> {
        self.stale.remove(uri);
        let doc = self.documents.get(uri)?;
        if !doc.python {
            return None;
        }
        let path = doc.path.clone();
        let root = self.project_of(path.as_deref());
        let project = self.project(&root)?;
        let doc = self.documents.get(uri)?;
        let file = path.clone().unwrap_or_else(|| root.join("untitled.py"));
        let analysis = project.analyze_document(&file, &doc.text);
        let mut diagnostics: Vec<lsp_types::Diagnostic> = analysis
            .findings
            .iter()
            .map(|f| {
                let mut diagnostic = actions::diagnostic(f, &doc.text, &doc.lines);
                if !f.chain.is_empty() {
                    diagnostic.related_information = Some(self.related(project, &file, &doc.text, &f.chain));
                }
                diagnostic
            })
            .collect();
        if let Some((range, message)) = &analysis.syntax_error {
            diagnostics.push(actions::syntax_diagnostic(*range, message, &doc.text, &doc.lines));
        }
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version: Some(doc.version),
        };
        let doc = self.documents.get_mut(uri)?;
        doc.findings = analysis.findings;
        if analysis.summary.is_some() {
            doc.summary = analysis.summary;
        }
        let summary = doc.summary.clone();
        self.notify::<notification::PublishDiagnostics>(params);
        Some((path?, summary?))
    }

    /// The chain of calls of an indirect finding, as related information: where each
    /// function is defined.
    fn related(
        &self,
        project: &Project,
        file: &Path,
        text: &str,
        chain: &[String],
    ) -> Vec<lsp_types::DiagnosticRelatedInformation> {
        let open_text = |path: &Path| {
            self.documents
                .values()
                .find(|d| d.path.as_deref() == Some(path))
                .map(|d| d.text.clone())
        };
        project
            .locate_chain(file, text, chain, open_text)
            .into_iter()
            .filter_map(|(i, path, text, range)| {
                let uri = Url::from_file_path(&path).ok()?;
                let message = match i {
                    0 => format!("`{}()`, where the chain of calls starts", chain[0]),
                    _ => format!("`{}()`, called by `{}()`", chain[i], chain[i - 1]),
                };
                Some(lsp_types::DiagnosticRelatedInformation {
                    location: lsp_types::Location::new(uri, LineIndex::new(&text).range(&text, range)),
                    message,
                })
            })
            .collect()
    }

    /// Check every open document (of one folder).
    fn check_all(&mut self, root: Option<&Path>) {
        let mut uris: Vec<Url> = self
            .documents
            .values()
            .filter(|d| root.is_none_or(|r| d.path.as_ref().is_some_and(|p| p.starts_with(r))))
            .map(|d| d.uri.clone())
            .collect();
        uris.sort();
        for uri in uris {
            self.check(&uri);
        }
        let mut notebooks: Vec<Url> = self
            .notebooks
            .iter()
            .filter(|(_, n)| root.is_none_or(|r| n.path.as_ref().is_some_and(|p| p.starts_with(r))))
            .map(|(u, _)| u.clone())
            .collect();
        notebooks.sort();
        for uri in notebooks {
            self.check_notebook(&uri);
        }
    }

    /// Analyse a notebook document as one module of its code cells, and publish each cell's
    /// diagnostics to the cell's URI (empty ones to a cell that has none, or that left).
    fn check_notebook(&mut self, uri: &Url) {
        let Some(nb) = self.notebooks.get(uri) else {
            return;
        };
        let path = nb.path.clone();
        let root = self.project_of(path.as_deref());
        let Some(project) = self.project(&root) else {
            return;
        };
        let Some(nb) = self.notebooks.get(uri) else {
            return;
        };
        let file = path.unwrap_or_else(|| root.join("untitled.ipynb"));
        let (module, spans, hidden) = nb.module();
        let analysis = project.analyze_notebook(&file, &module, &spans, &hidden);
        let mut per_cell: Vec<Vec<Finding>> = nb.cells.iter().map(|_| Vec::new()).collect();
        let mut errors: Vec<Option<(TextRange, String)>> = nb.cells.iter().map(|_| None).collect();
        for finding in &analysis.findings {
            if let Some(span) = crate::notebook::span_at(&spans, finding.range.start()) {
                let len = nb.cells[span.cell].text.len();
                per_cell[span.cell].push(notebook::relocate(finding, span, len));
            }
        }
        if let Some((range, message)) = &analysis.syntax_error {
            if let Some(span) = crate::notebook::span_at(&spans, range.start()).or(spans.first()) {
                let len = nb.cells[span.cell].text.len();
                errors[span.cell] = Some((notebook::relative(span, len, *range), message.clone()));
            }
        }
        let mut publish = Vec::new();
        for ((cell, findings), error) in nb.cells.iter().zip(&per_cell).zip(&errors) {
            let mut diagnostics: Vec<lsp_types::Diagnostic> = findings
                .iter()
                .map(|f| actions::diagnostic(f, &cell.text, &cell.lines))
                .collect();
            if let Some((range, message)) = error {
                diagnostics.push(actions::syntax_diagnostic(*range, message, &cell.text, &cell.lines));
            }
            publish.push(PublishDiagnosticsParams {
                uri: cell.uri.clone(),
                diagnostics,
                version: None,
            });
        }
        let Some(nb) = self.notebooks.get_mut(uri) else {
            return;
        };
        for (cell, findings) in nb.cells.iter_mut().zip(per_cell) {
            cell.findings = findings;
        }
        let now: Vec<Url> = nb.cells.iter().map(|c| c.uri.clone()).collect();
        let gone: Vec<Url> = std::mem::replace(&mut nb.published, now.clone())
            .into_iter()
            .filter(|u| !now.contains(u))
            .collect();
        for uri in gone {
            self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
                uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
        for params in publish {
            self.notify::<notification::PublishDiagnostics>(params);
        }
    }

    fn on_notebook_notification(&mut self, note: Notification) {
        match note.method.as_str() {
            notebook::DID_OPEN => {
                let Ok(params) = serde_json::from_value::<notebook::DidOpenParams>(note.params) else {
                    return;
                };
                let nb = params.notebook_document;
                let mut texts: HashMap<Url, TextDocumentItem> = params
                    .cell_text_documents
                    .into_iter()
                    .map(|d| (d.uri.clone(), d))
                    .collect();
                let cells = nb
                    .cells
                    .into_iter()
                    .map(|c| {
                        let item = texts.remove(&c.document);
                        let code = c.kind == 2 && item.as_ref().is_none_or(|i| i.language_id == "python");
                        notebook::Cell::new(c.document, code, item.map(|i| i.text).unwrap_or_default())
                    })
                    .collect();
                let path = uri_path(&nb.uri).map(|p| std::fs::canonicalize(&p).unwrap_or(p));
                self.notebooks.insert(
                    nb.uri.clone(),
                    notebook::NotebookDoc {
                        path,
                        version: nb.version,
                        cells,
                        published: Vec::new(),
                    },
                );
                self.check_notebook(&nb.uri);
            }
            notebook::DID_CHANGE => {
                let Ok(params) = serde_json::from_value::<notebook::DidChangeParams>(note.params) else {
                    return;
                };
                let uri = params.notebook_document.uri;
                let Some(nb) = self.notebooks.get_mut(&uri) else {
                    return;
                };
                if let Some(version) = params.notebook_document.version {
                    nb.version = version;
                }
                let Some(cells) = params.change.cells else {
                    return;
                };
                if let Some(structure) = cells.structure {
                    let mut opened: HashMap<Url, TextDocumentItem> = structure
                        .did_open
                        .into_iter()
                        .flatten()
                        .map(|d| (d.uri.clone(), d))
                        .collect();
                    let start = structure.array.start.min(nb.cells.len());
                    let end = (start + structure.array.delete_count).min(nb.cells.len());
                    let mut removed: HashMap<Url, notebook::Cell> =
                        nb.cells.drain(start..end).map(|c| (c.uri.clone(), c)).collect();
                    let inserted: Vec<notebook::Cell> = structure
                        .array
                        .cells
                        .into_iter()
                        .flatten()
                        .map(|c| match (opened.remove(&c.document), removed.remove(&c.document)) {
                            (Some(item), _) => {
                                notebook::Cell::new(c.document, c.kind == 2 && item.language_id == "python", item.text)
                            }
                            // A cell moved: its text stays.
                            (None, Some(old)) => old,
                            (None, None) => notebook::Cell::new(c.document, c.kind == 2, String::new()),
                        })
                        .collect();
                    nb.cells.splice(start..start, inserted);
                }
                for content in cells.text_content.into_iter().flatten() {
                    if let Some(cell) = nb.cells.iter_mut().find(|c| c.uri == content.document.uri) {
                        for change in content.changes {
                            cell.change(change);
                        }
                    }
                }
                self.check_notebook(&uri);
            }
            notebook::DID_SAVE => {}
            notebook::DID_CLOSE => {
                let Ok(params) = serde_json::from_value::<notebook::DidCloseParams>(note.params) else {
                    return;
                };
                let Some(nb) = self.notebooks.remove(&params.notebook_document.uri) else {
                    return;
                };
                let mut uris = nb.published;
                uris.extend(nb.cells.into_iter().map(|c| c.uri));
                uris.sort();
                uris.dedup();
                for uri in uris {
                    self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: None,
                    });
                }
            }
            _ => {}
        }
    }

    /// The code actions on a notebook cell: its findings' quick fixes and "Disable", and
    /// fix-all limited to that cell's edits.
    fn cell_actions(&mut self, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        let uri = &params.text_document.uri;
        let nb_uri = self.notebooks.iter().find(|(_, n)| n.cell(uri).is_some())?.0.clone();
        let path = self.notebooks[&nb_uri].path.clone();
        let root = self.project_of(path.as_deref());
        let nb = &self.notebooks[&nb_uri];
        let index = nb.cells.iter().position(|c| &c.uri == uri)?;
        let cell = &nb.cells[index];
        let only = params.context.only.as_deref();
        let mut out = Vec::new();
        let range = cell.lines.text_range(&cell.text, params.range);
        let touches = |f: &Finding| f.range.start() <= range.end() && range.start() <= f.range.end();
        if actions::wanted(only, CodeActionKind::QUICKFIX.as_str()) {
            let strings = string_ranges(&cell.text);
            for finding in cell.findings.iter().filter(|f| touches(f)) {
                if let Some(fix) = &finding.fix {
                    let action = actions::quick_fix(uri, finding, fix, &cell.text, &cell.lines);
                    out.push(CodeActionOrCommand::CodeAction(action));
                }
                if let Some(action) = actions::disable_for_line(uri, finding, &cell.text, &cell.lines, &strings) {
                    out.push(CodeActionOrCommand::CodeAction(action));
                }
            }
        }
        let project = self.project(&root)?;
        let fixable = cell.findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, project.settings.unsafe_fixes))
        });
        if fixable && actions::wanted(only, actions::FIX_ALL) {
            let file = path.unwrap_or_else(|| root.join("untitled.ipynb"));
            let (module, spans, hidden) = nb.module();
            match project.fix_notebook(&file, &module, &spans, &hidden) {
                Ok(Some(fixed)) => {
                    let new = fixed
                        .cells
                        .as_ref()
                        .and_then(|cells| {
                            crate::notebook::cell_texts(&fixed.text, cells)
                                .into_iter()
                                .find(|(i, _)| *i == index)
                        })
                        .map(|(_, text)| text);
                    if let Some(new) = new.filter(|new| *new != cell.text) {
                        let action = actions::fix_all(uri, &cell.text, &new, &cell.lines);
                        out.push(CodeActionOrCommand::CodeAction(action));
                    }
                }
                Ok(None) => {}
                Err(message) => self.show(MessageType::ERROR, format!("asyncfix: {message}")),
            }
        }
        Some(out)
    }

    /// A document's text changed: check it, make its text the index's, and check the other
    /// open documents of its project again (once the client pauses).
    fn changed(&mut self, uri: &Url) {
        let Some((path, summary)) = self.check(uri) else {
            return;
        };
        let root = self.project_of(Some(&path));
        let Some(project) = self.projects.get_mut(&root) else {
            return;
        };
        if project.set_document(&path, summary) {
            let others: Vec<Url> = self
                .documents
                .values()
                .filter(|d| &d.uri != uri && d.path.as_ref().is_some_and(|p| p.starts_with(&root)))
                .map(|d| d.uri.clone())
                .collect();
            self.stale.extend(others);
        }
    }

    fn on_notification(&mut self, note: Notification) {
        if note.method.starts_with("notebookDocument/") {
            self.on_notebook_notification(note);
            return;
        }
        match note.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidOpenTextDocumentParams>(note.params) else {
                    return;
                };
                let doc = params.text_document;
                let path = uri_path(&doc.uri).map(|p| std::fs::canonicalize(&p).unwrap_or(p));
                let python = doc.language_id == "python" || path.as_deref().is_some_and(is_python_file);
                self.documents.insert(
                    doc.uri.clone(),
                    Document {
                        uri: doc.uri.clone(),
                        path,
                        version: doc.version,
                        lines: LineIndex::new(&doc.text),
                        text: doc.text,
                        findings: Vec::new(),
                        summary: None,
                        python,
                    },
                );
                self.changed(&doc.uri);
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeTextDocumentParams>(note.params) else {
                    return;
                };
                let uri = params.text_document.uri;
                let Some(doc) = self.documents.get_mut(&uri) else {
                    return;
                };
                for change in params.content_changes {
                    match change.range {
                        None => doc.text = change.text,
                        Some(range) => {
                            let range: TextRange = doc.lines.text_range(&doc.text, range);
                            doc.text
                                .replace_range(std::ops::Range::<usize>::from(range), &change.text);
                        }
                    }
                    doc.lines = LineIndex::new(&doc.text);
                }
                doc.version = params.text_document.version;
                self.changed(&uri);
            }
            notification::DidSaveTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidSaveTextDocumentParams>(note.params) else {
                    return;
                };
                let path = self
                    .documents
                    .get(&params.text_document.uri)
                    .and_then(|d| d.path.clone());
                if path.as_deref().is_some_and(is_config_file) {
                    self.reload_settings();
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<DidCloseTextDocumentParams>(note.params) else {
                    return;
                };
                let uri = params.text_document.uri;
                let Some(doc) = self.documents.remove(&uri) else {
                    return;
                };
                self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                });
                // The file on disk stands for the module again.
                if let Some(path) = doc.path {
                    self.files_changed(&[path]);
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeWatchedFilesParams>(note.params) else {
                    return;
                };
                let paths: Vec<PathBuf> = params.changes.iter().filter_map(|c| uri_path(&c.uri)).collect();
                if paths.iter().any(|p| is_config_file(p)) {
                    self.reload_settings();
                } else {
                    self.files_changed(&paths);
                }
            }
            notification::DidChangeConfiguration::METHOD => {
                if self.supports_configuration {
                    self.ask_configuration();
                } else if let Ok(params) = serde_json::from_value::<DidChangeConfigurationParams>(note.params) {
                    let settings = params.settings.get("asyncfix").unwrap_or(&params.settings).clone();
                    self.init_options = settings::editor_options(Some(&settings));
                    self.reload_settings();
                }
            }
            notification::DidChangeWorkspaceFolders::METHOD => {
                let Ok(params) = serde_json::from_value::<DidChangeWorkspaceFoldersParams>(note.params) else {
                    return;
                };
                for removed in params.event.removed.iter().filter_map(|f| uri_path(&f.uri)) {
                    let removed = std::fs::canonicalize(&removed).unwrap_or(removed);
                    self.projects.remove(&removed);
                    self.generations.remove(&removed);
                }
                for added in params.event.added.iter().filter_map(|f| uri_path(&f.uri)) {
                    let added = std::fs::canonicalize(&added).unwrap_or(added);
                    let settings = self.resolve_settings(&added);
                    self.projects
                        .insert(added.clone(), Project::new(added.clone(), settings));
                    self.start_indexing(&added);
                }
                self.ask_configuration();
                self.check_all(None);
            }
            _ => {}
        }
    }

    /// Files changed on disk (or an open document was closed): read them again, unless an
    /// open document stands for them, and check the open documents again.
    fn files_changed(&mut self, paths: &[PathBuf]) {
        let open: Vec<PathBuf> = self
            .documents
            .values()
            .filter(|d| d.python)
            .filter_map(|d| d.path.clone())
            .collect();
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut restart: Vec<PathBuf> = Vec::new();
        for path in paths {
            let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            if open.contains(&path) || !is_python_file(&path) {
                continue;
            }
            let Some(root) = self
                .projects
                .keys()
                .filter(|r| path.starts_with(r))
                .max_by_key(|r| r.as_os_str().len())
                .cloned()
            else {
                continue;
            };
            if path.file_name().is_some_and(|n| n == "__init__.py") {
                // Which folders are packages changed: module names may have too.
                if let Some(project) = self.projects.get_mut(&root) {
                    let settings = project.settings.clone();
                    *project = Project::new(root.clone(), settings);
                }
                self.start_indexing(&root);
                continue;
            }
            match self.projects.get_mut(&root) {
                // Still being indexed: it may have been read before the change; start again.
                Some(project) if project.index.is_none() => restart.push(root),
                Some(project) => {
                    project.reread(&path);
                    if !touched.contains(&root) {
                        touched.push(root);
                    }
                }
                None => {}
            }
        }
        restart.sort();
        restart.dedup();
        for root in restart {
            self.start_indexing(&root);
        }
        for root in touched {
            if let Some(project) = self.projects.get_mut(&root) {
                if project.index.is_some() {
                    project.rebuild();
                }
            }
            self.check_all(Some(&root));
        }
    }

    fn on_response(&mut self, response: Response) {
        let Some(Asked::Configuration(roots)) = self.asked.remove(&response.id) else {
            return;
        };
        let Ok(Value::Array(values)) = response.response_result else {
            return;
        };
        let mut changed = false;
        for (root, value) in roots.into_iter().zip(values) {
            let options = settings::editor_options(Some(&value));
            let before = self.folder_options.get(&root).cloned().unwrap_or_default();
            changed |= options != before;
            self.folder_options.insert(root, options);
        }
        // At start-up the folders are being indexed with the settings so far: only different
        // settings call for starting again.
        if changed {
            self.reload_settings();
        }
    }

    // -- Requests -----------------------------------------------------------------------

    fn on_request(&mut self, request: Request) {
        match request.method.as_str() {
            request::CodeActionRequest::METHOD => {
                let result = match serde_json::from_value::<CodeActionParams>(request.params) {
                    Ok(params) => self.code_actions(params),
                    Err(e) => {
                        self.reply_error(request.id, ErrorCode::InvalidParams, &e.to_string());
                        return;
                    }
                };
                self.send(Message::Response(Response::new_ok(request.id, result)));
            }
            _ => self.reply_error(request.id, ErrorCode::MethodNotFound, "not supported by asyncfix"),
        }
    }

    fn reply_error(&self, id: RequestId, code: ErrorCode, message: &str) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message.to_string(),
        )));
    }

    fn code_actions(&mut self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        if !self.documents.contains_key(&params.text_document.uri) {
            return self.cell_actions(&params).unwrap_or_default();
        }
        let uri = params.text_document.uri;
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let only = params.context.only.as_deref();
        let mut out = Vec::new();
        let range = doc.lines.text_range(&doc.text, params.range);
        let touches = |f: &Finding| f.range.start() <= range.end() && range.start() <= f.range.end();
        if actions::wanted(only, CodeActionKind::QUICKFIX.as_str()) {
            let strings = string_ranges(&doc.text);
            for finding in doc.findings.iter().filter(|f| touches(f)) {
                if let Some(fix) = &finding.fix {
                    let action = actions::quick_fix(&uri, finding, fix, &doc.text, &doc.lines);
                    out.push(CodeActionOrCommand::CodeAction(action));
                }
                if let Some(action) = actions::disable_for_line(&uri, finding, &doc.text, &doc.lines, &strings) {
                    out.push(CodeActionOrCommand::CodeAction(action));
                }
            }
        }
        let path = doc.path.clone();
        let root = self.project_of(path.as_deref());
        let (Some(project), Some(doc)) = (self.project(&root), self.documents.get(&uri)) else {
            return out;
        };
        let fixable = doc.findings.iter().any(|f| {
            f.fix
                .as_ref()
                .is_some_and(|fix| is_applicable(fix, project.settings.unsafe_fixes))
        });
        if fixable && actions::wanted(only, actions::FIX_ALL) {
            let file = path.unwrap_or_else(|| root.join("untitled.py"));
            match project.fix_all(&file, &doc.text) {
                Ok(Some(fixed)) if fixed.text != doc.text => {
                    let action = actions::fix_all(&uri, &doc.text, &fixed.text, &doc.lines);
                    out.push(CodeActionOrCommand::CodeAction(action));
                }
                Ok(_) => {}
                Err(message) => self.show(MessageType::ERROR, format!("asyncfix: {message}")),
            }
        }
        out
    }
}

/// A file a run over a folder checks.
fn is_python_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi" || e == "pyw")
}

/// A configuration file asyncfix reads.
fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_NAMES.contains(&n))
}

/// The ranges of the string tokens of a text (where a line may end inside a string).
fn string_ranges(text: &str) -> Vec<TextRange> {
    use ruff_python_ast::token::TokenKind;
    use ruff_text_size::Ranged;
    let parsed = ruff_python_parser::parse_unchecked_source(text, ruff_python_ast::PySourceType::Python);
    parsed
        .tokens()
        .iter()
        .filter(|t| {
            matches!(
                t.kind(),
                TokenKind::String | TokenKind::FStringMiddle | TokenKind::TStringMiddle
            )
        })
        .map(|t| t.range())
        .collect()
}
