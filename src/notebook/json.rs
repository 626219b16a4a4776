//! The notebook's JSON as text: where each cell's `source` value stands in the file (so that
//! writing back replaces those bytes and nothing else), and JSON strings written the way the
//! file writes them.

use std::ops::Range;

use serde::Deserialize;
use serde_json::value::RawValue;

/// One cell as read from the file.
#[derive(Debug, Clone)]
pub struct RawCell {
    /// `code`, `markdown`, `raw` (or whatever the file says).
    pub cell_type: String,
    pub source: Option<RawSource>,
}

/// A cell's `source` value: its place in the file, its text, and how it is stored.
#[derive(Debug, Clone)]
pub struct RawSource {
    /// The byte range of the JSON value (the string, or the list with its brackets).
    pub span: Range<usize>,
    /// The decoded text (the lines joined).
    pub text: String,
    pub layout: SourceLayout,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceLayout {
    /// One JSON string.
    String,
    /// A list of strings, one a line: each element's byte range in the file and its text.
    Lines(Vec<(Range<usize>, String)>),
}

#[derive(Deserialize)]
struct Top<'a> {
    #[serde(borrow)]
    cells: Option<&'a RawValue>,
    nbformat: Option<serde_json::Value>,
    #[serde(borrow)]
    metadata: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Cell<'a> {
    cell_type: Option<String>,
    #[serde(borrow)]
    source: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    language_info: Option<Language>,
    kernelspec: Option<Kernelspec>,
}

#[derive(Deserialize)]
struct Language {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Kernelspec {
    language: Option<String>,
}

/// Where `part` (a slice of `whole`) starts in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    assert!(
        offset + part.len() <= whole.len(),
        "serde_json lends slices of its input"
    );
    offset
}

/// The cells of a notebook (nbformat 4), and whether its language is Python. The error says
/// what is wrong with the file.
pub fn read(raw: &str) -> Result<(Vec<RawCell>, bool), String> {
    let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| format!("invalid JSON: {e}"))?;
    if !value.is_object() {
        return Err("not a notebook: the JSON is not an object".to_string());
    }
    let top: Top = serde_json::from_str(raw).map_err(|e| format!("not a notebook: {e}"))?;
    // `4`, or `4.0` as some writers put it.
    let version = top.nbformat.as_ref().and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
    });
    match version {
        Some(4) => {}
        Some(n) if n < 4 => {
            return Err(format!(
                "nbformat {n} notebooks are not supported (only nbformat 4); convert it with `jupyter nbconvert \
                 --to notebook --inplace` first"
            ))
        }
        Some(n) => return Err(format!("nbformat {n} is not supported (only nbformat 4)")),
        None if top.nbformat.is_some() => return Err("not a notebook: `nbformat` is not a version number".to_string()),
        None => return Err("not a notebook: no `nbformat` version number".to_string()),
    }
    let cells = top.cells.ok_or("not a notebook: no `cells` list")?;
    let cells: Vec<&RawValue> =
        serde_json::from_str(cells.get()).map_err(|_| "not a notebook: `cells` is not a list".to_string())?;
    let mut out = Vec::with_capacity(cells.len());
    for (i, cell) in cells.into_iter().enumerate() {
        let number = i + 1;
        let parsed: Cell = serde_json::from_str(cell.get())
            .map_err(|e| format!("not a notebook: cell {number} is not a cell object ({e})"))?;
        let cell_type = parsed
            .cell_type
            .ok_or_else(|| format!("not a notebook: cell {number} has no `cell_type`"))?;
        let source = match parsed.source {
            Some(source) => Some(read_source(raw, source).map_err(|e| format!("not a notebook: cell {number}: {e}"))?),
            None if cell_type == "code" => return Err(format!("not a notebook: code cell {number} has no `source`")),
            None => None,
        };
        out.push(RawCell { cell_type, source });
    }
    let metadata: Metadata = top
        .metadata
        .and_then(|m| serde_json::from_str(m.get()).ok())
        .unwrap_or_default();
    let language = metadata
        .language_info
        .and_then(|l| l.name)
        .or_else(|| metadata.kernelspec.and_then(|k| k.language));
    // `python`, and the `python3` some kernels write.
    let is_python = language.is_none_or(|l| l.to_ascii_lowercase().starts_with("python"));
    Ok((out, is_python))
}

fn read_source(raw: &str, source: &RawValue) -> Result<RawSource, String> {
    let text = source.get();
    let start = offset_in(raw, text);
    let span = start..start + text.len();
    if text.starts_with('"') {
        let decoded: String = serde_json::from_str(text).map_err(|e| format!("bad `source` ({e})"))?;
        return Ok(RawSource {
            span,
            text: decoded,
            layout: SourceLayout::String,
        });
    }
    let items: Vec<&RawValue> =
        serde_json::from_str(text).map_err(|_| "`source` is neither a string nor a list of strings".to_string())?;
    let mut lines = Vec::with_capacity(items.len());
    let mut joined = String::new();
    for item in items {
        let line: String =
            serde_json::from_str(item.get()).map_err(|_| "`source` is not a list of strings".to_string())?;
        let at = offset_in(raw, item.get());
        joined.push_str(&line);
        lines.push((at..at + item.get().len(), line));
    }
    Ok(RawSource {
        span,
        text: joined,
        layout: SourceLayout::Lines(lines),
    })
}

/// How the file writes strings: non-ASCII characters as they are (nbformat's way) or as
/// `\uXXXX` escapes (Python's `json.dump` default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringStyle {
    pub ascii_only: bool,
}

impl StringStyle {
    /// The style of `raw`: escapes only if the file has no raw non-ASCII byte and escapes one.
    pub fn of(raw: &str) -> Self {
        if !raw.is_ascii() {
            return Self { ascii_only: false };
        }
        let bytes = raw.as_bytes();
        let escapes_non_ascii = memchr::memmem::find_iter(bytes, b"\\u").any(|i| {
            // An escaped backslash before it makes it text (`\\u`): count the backslashes.
            let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            backslashes % 2 == 0
                && raw
                    .get(i + 2..i + 6)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .is_some_and(|c| c >= 0x80)
        });
        Self {
            ascii_only: escapes_non_ascii,
        }
    }

    /// `text` as a JSON string, escaped as Python's `json` module escapes it.
    pub fn encode(self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('"');
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c if self.ascii_only && !c.is_ascii() => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str(&format!("\\u{unit:04x}"));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// A new `source` value for `old` holding `text`, in `old`'s layout: a string stays a string;
/// a list stays a list with the file's spacing, and lines that did not change keep their
/// bytes.
pub fn encode_source(raw: &str, old: &RawSource, text: &str, style: StringStyle) -> String {
    let SourceLayout::Lines(old_lines) = &old.layout else {
        return style.encode(text);
    };
    let new_lines: Vec<&str> = text.split_inclusive('\n').collect();
    if new_lines.is_empty() {
        return "[]".to_string();
    }
    let whole = &raw[old.span.clone()];
    // The spacing: after `[`, between items, before `]`.
    let (open, separator, close) = match (old_lines.first(), old_lines.get(1), old_lines.last()) {
        (Some((first, _)), second, Some((last, _))) => {
            let open = &raw[old.span.start + 1..first.start];
            let separator = match second {
                Some((second, _)) => raw[first.end..second.start].to_string(),
                None => format!(",{open}"),
            };
            (open.to_string(), separator, raw[last.end..old.span.end - 1].to_string())
        }
        _ => {
            // An empty list: the file's spacing is unknown; nbformat's (indent 1) would depend
            // on the depth, so keep it on one line.
            debug_assert!(whole.starts_with('['));
            (String::new(), ", ".to_string(), String::new())
        }
    };
    let old_texts: Vec<&str> = old_lines.iter().map(|(_, l)| l.as_str()).collect();
    let mut items: Vec<String> = new_lines.iter().map(|l| style.encode(l)).collect();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_texts, &new_lines) {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            for k in 0..len {
                items[new_index + k] = raw[old_lines[old_index + k].0.clone()].to_string();
            }
        }
    }
    format!("[{open}{}{close}]", items.join(&separator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_python_does() {
        let raw = StringStyle { ascii_only: false };
        let ascii = StringStyle { ascii_only: true };
        assert_eq!(raw.encode("a\"b\\c\n\t\u{1b}é😀"), "\"a\\\"b\\\\c\\n\\t\\u001bé😀\"");
        assert_eq!(ascii.encode("é😀/"), "\"\\u00e9\\ud83d\\ude00/\"");
        assert!(!StringStyle::of("{\"a\": \"é\"}").ascii_only);
        assert!(StringStyle::of("{\"a\": \"\\u00e9\"}").ascii_only);
        assert!(!StringStyle::of("{\"a\": \"\\\\u00e9\"}").ascii_only);
        assert!(!StringStyle::of("{\"a\": \"\\u001b\"}").ascii_only);
    }

    #[test]
    fn sources_are_found_in_the_text() {
        let raw = "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"a\\n\", \"b\"]}, {\"cell_type\": \"markdown\", \"source\": \"# T\"}], \"nbformat\": 4}";
        let (cells, python) = read(raw).unwrap();
        assert!(python);
        let source = cells[0].source.as_ref().unwrap();
        assert_eq!(&raw[source.span.clone()], "[\"a\\n\", \"b\"]");
        assert_eq!(source.text, "a\nb");
        let encoded = encode_source(raw, source, "a\nawait b\n", StringStyle::of(raw));
        assert_eq!(encoded, "[\"a\\n\", \"await b\\n\"]");
        assert_eq!(cells[1].source.as_ref().unwrap().layout, SourceLayout::String);
    }

    #[test]
    fn malformed_notebooks_are_named() {
        assert!(read("{").unwrap_err().starts_with("invalid JSON"));
        assert!(read("[]").unwrap_err().contains("not an object"));
        assert!(read("{\"nbformat\": 4}").unwrap_err().contains("no `cells`"));
        assert!(read("{\"nbformat\": 3, \"worksheets\": []}")
            .unwrap_err()
            .contains("nbformat 3"));
        assert!(read("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\"}]}")
            .unwrap_err()
            .contains("no `source`"));
        assert!(read("{\"nbformat\": \"4\", \"cells\": []}")
            .unwrap_err()
            .contains("not a version number"));
        assert!(read("{\"nbformat\": 4.0, \"cells\": []}").is_ok());
        let r = "{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"language_info\": {\"name\": \"R\"}}}";
        assert!(!read(r).unwrap().1);
        let py3 = "{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"kernelspec\": {\"language\": \"python3\"}}}";
        assert!(read(py3).unwrap().1);
    }
}
