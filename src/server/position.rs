//! Positions as LSP counts them: a line (split at `\n`, `\r\n` or `\r`) and a column in UTF-16
//! code units, converted to and from byte offsets of the text. A non-ASCII character earlier on
//! a line counts as one unit (two for one outside the Basic Multilingual Plane), never as its
//! UTF-8 length.

use lsp_types::{Position, Range};
use ruff_text_size::{TextRange, TextSize};

/// The line starts of one text.
pub struct LineIndex {
    /// Byte offsets of the line starts (the first is 0).
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    starts.push(i + 2);
                    i += 1;
                }
                b'\r' => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        Self { starts }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// The byte offset of a line's start (the text's end past the last line).
    pub fn line_start(&self, line: usize, text: &str) -> usize {
        self.starts.get(line).copied().unwrap_or(text.len())
    }

    /// The end of a line's content, before its line ending.
    pub fn line_content_end(&self, line: usize, text: &str) -> usize {
        let end = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let start = self.line_start(line, text).min(end);
        let content = &text[start..end];
        end - (content.len() - content.trim_end_matches(['\n', '\r']).len())
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let character = text[start..offset].encode_utf16().count();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, range: TextRange) -> Range {
        Range::new(
            self.position(text, range.start().to_usize()),
            self.position(text, range.end().to_usize()),
        )
    }

    /// The byte offset of a position; a column past the line's end is its end, a line past
    /// the text's end is the text's end.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let start = self.starts[line];
        let end = self.line_content_end(line, text);
        let mut units = 0usize;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    pub fn text_range(&self, text: &str, range: Range) -> TextRange {
        let start = self.offset(text, range.start);
        let end = self.offset(text, range.end).max(start);
        TextRange::new(TextSize::new(start as u32), TextSize::new(end as u32))
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_utf16_units() {
        let text = "a = 1\nx = \"é😀\"; time.sleep(1)\r\nlast";
        let index = LineIndex::new(text);
        let offset = text.find("time").unwrap();
        // `x = "` is 5 units, `é` 1, `😀` 2, `"; ` 3.
        assert_eq!(index.position(text, offset), Position::new(1, 11));
        assert_eq!(index.offset(text, Position::new(1, 11)), offset);
        assert_eq!(index.position(text, text.find("last").unwrap()), Position::new(2, 0));
        // Past the end of a line: its end (before `\r\n`).
        assert_eq!(index.offset(text, Position::new(1, 99)), text.find("\r\n").unwrap());
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let text = "a\rb\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 2), Position::new(1, 0));
        assert_eq!(index.line_content_end(0, text), 1);
    }
}
