//! ANSI colour, when asked for.

pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    pub fn error(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    pub fn code(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    pub fn fixable(&self, text: &str) -> String {
        self.paint("36", text)
    }
    pub fn removed(&self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn added(&self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn hunk(&self, text: &str) -> String {
        self.paint("36", text)
    }
}
