//! Located errors about a spec: which file, which line, which JSON pointer, and how to fix it.

use std::fmt;

/// One problem found in a spec, with everything a reader needs to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the caller named it.
    pub file: String,
    /// The 1-based line in the file, where the loader knows it.
    pub line: Option<usize>,
    /// The 1-based column in the file, where the loader knows it.
    pub column: Option<usize>,
    /// The JSON pointer of the offending node (`""` is the whole document).
    pub pointer: Option<String>,
    /// What is wrong, lowercase, without a final period.
    pub message: String,
    /// What to do about it, lowercase, without a final period.
    pub help: String,
}

/// A document that can say where its nodes are written: its file's name, and the line of a node.
pub trait Locate {
    /// The file name used in messages.
    fn file(&self) -> &str;
    /// The 1-based line of the node at a JSON pointer, or of its nearest known ancestor.
    fn line_of(&self, pointer: &str) -> Option<usize>;
}

impl Diagnostic {
    /// A problem at a place in the document, located by its JSON pointer.
    pub fn at(document: &impl Locate, pointer: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            file: document.file().to_owned(),
            line: document.line_of(pointer),
            column: None,
            pointer: Some(pointer.to_owned()),
            message: message.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() { "/" } else { pointer.as_str() };
            write!(f, " (at {shown})")?;
        }
        write!(f, "\n  help: {}", self.help)
    }
}

/// Every problem found in one spec; the error that `codegen` returns for bad input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        let noun = if count == 1 { "problem" } else { "problems" };
        write!(f, "the spec has {count} {noun}")?;
        for diagnostic in &self.0 {
            write!(f, "\n{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Self(vec![diagnostic])
    }
}

/// Escapes one reference token for use in a JSON pointer (RFC 6901).
pub fn escape_pointer_token(token: &str) -> String {
    let mut escaped = String::with_capacity(token.len());
    push_escaped(&mut escaped, token);
    escaped
}

/// Appends `/` and `token`, escaped as a JSON pointer token, to `pointer`.
pub fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    push_escaped(pointer, token);
}

fn push_escaped(out: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        out.push_str(token);
        return;
    }
    for character in token.chars() {
        match character {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            other => out.push(other),
        }
    }
}

/// Reads one JSON pointer token back: `~1` is `/` and `~0` is `~`.
pub fn unescape_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `text` made safe to print on a terminal: every control character but the line feed and the
/// tab, and every character that reorders text (bidirectional overrides, isolates and marks), is
/// written as a `\u{..}` escape, so that a name or a description from a spec cannot move the
/// cursor, clear the screen, set the clipboard or make one line read as another.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_character = |character: char| {
        (character.is_control() && character != '\n' && character != '\t')
            || matches!(character, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_character) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for character in text.chars() {
        if unsafe_character(character) {
            safe.push_str(&character.escape_unicode().to_string());
        } else {
            safe.push(character);
        }
    }
    std::borrow::Cow::Owned(safe)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn terminal_controls_and_reordering_characters_are_escaped_and_lines_kept() {
        assert_eq!(terminal_safe("plain\nlines\tand tabs"), "plain\nlines\tand tabs");
        assert_eq!(terminal_safe("a\u{1b}]52;c;x\u{7}b\u{202e}c\r"), "a\\u{1b}]52;c;x\\u{7}b\\u{202e}c\\u{d}");
        assert_eq!(terminal_safe("\u{9b}2J\u{2066}"), "\\u{9b}2J\\u{2066}");
    }
}
