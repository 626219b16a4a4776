//! File errors as structured data (what went wrong, where): nothing downstream parses a
//! message back. A syntax error is a diagnostic like any other; the report decides how each
//! format shows it.

/// What went wrong with a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorKind {
    /// Could not read or decode the file, or the path does not exist.
    Read,
    /// Syntax error, or nested too deep.
    Parse,
    /// A fix failed verification (an asyncfix bug); the file was left unchanged.
    Fix,
    /// The fixed file could not be written.
    Write,
    /// asyncfix panicked on the file (a bug); the file was left unchanged.
    Internal,
    /// Named explicitly, but not something asyncfix can analyse (not Python source).
    Unsupported,
    /// A `.ipynb` file that is not a notebook asyncfix can read (bad JSON, no `cells`,
    /// nbformat 3, ...); nothing was written.
    Notebook,
}

impl ErrorKind {
    /// The code machine formats give it.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Parse => "syntax-error",
            ErrorKind::Read | ErrorKind::Write => "io-error",
            ErrorKind::Fix => "fix-error",
            ErrorKind::Internal => "internal-error",
            ErrorKind::Unsupported => "unsupported-file",
            ErrorKind::Notebook => "notebook-error",
        }
    }
}

/// Where in the file an error is (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorLocation {
    pub line: usize,
    /// Counted in characters (Unicode code points).
    pub column: usize,
    /// Counted in UTF-8 bytes (for reviewdog).
    pub byte_column: usize,
    /// In a notebook: the cell (1-based, counting every cell) that `line` is a line of.
    pub cell: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub kind: ErrorKind,
    /// What went wrong, without the file's name (`Expected ')'`, `permission denied`).
    pub message: String,
    pub location: Option<ErrorLocation>,
}

impl FileError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            location: None,
        }
    }

    pub fn at(mut self, location: ErrorLocation) -> Self {
        self.location = Some(location);
        self
    }

    /// The one-line message naming the file, as the text report prints it.
    pub fn describe(&self, path: &std::path::Path) -> String {
        let path = path.display();
        match (self.kind, self.location) {
            (ErrorKind::Parse, Some(at)) => match at.cell {
                Some(cell) => format!(
                    "Failed to parse {path}:cell {cell}:{}:{}: {}",
                    at.line, at.column, self.message
                ),
                None => format!("Failed to parse {path}:{}:{}: {}", at.line, at.column, self.message),
            },
            (ErrorKind::Notebook, _) => format!("Failed to read notebook {path}: {}", self.message),
            (ErrorKind::Parse, None) => format!("Failed to analyse {path}: {}", self.message),
            _ => format!("{path}: {}", self.message),
        }
    }
}
