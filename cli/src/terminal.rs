//! Text from a server on a terminal: control characters (C0, DEL, C1) and the characters that
//! reorder text (bidirectional overrides and isolates) are shown escaped, so that a name or an
//! error message cannot move the cursor, clear the screen, write the clipboard (`ESC ] 52`) or
//! make text read in another order than it is. JSON output stays exact JSON: the same
//! characters are written as `\uXXXX` escapes, which decode to the same value.

use std::borrow::Cow;
use std::io;

/// Whether a character must not reach a terminal as it is.
pub fn is_unsafe(character: char) -> bool {
    character.is_control()
        || matches!(character, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as `\u{…}` (a newline and a tab too: a table
/// cell or a message line stays one line).
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        if is_unsafe(character) {
            escaped.push_str(&format!("\\u{{{:x}}}", u32::from(character)));
        } else {
            escaped.push(character);
        }
    }
    Cow::Owned(escaped)
}

/// serde_json's pretty formatter, which also escapes the unsafe characters serde_json writes
/// as they are (DEL, C1 controls, bidirectional controls) as `\uXXXX`.
pub struct SafeJsonFormatter(serde_json::ser::PrettyFormatter<'static>);

impl SafeJsonFormatter {
    /// Two spaces of indentation, as `serde_json::to_string_pretty`.
    pub fn new() -> Self {
        Self(serde_json::ser::PrettyFormatter::new())
    }
}

impl serde_json::ser::Formatter for SafeJsonFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (index, character) in fragment.char_indices() {
            if is_unsafe(character) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                // Every unsafe character is in the Basic Multilingual Plane: one UTF-16 unit.
                write!(writer, "\\u{:04x}", u32::from(character))?;
                start = index + character.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

/// `value` as pretty JSON in which no unsafe character appears unescaped.
pub fn json_text(value: &serde_json::Value) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, SafeJsonFormatter::new());
    serde::Serialize::serialize(value, &mut serializer)?;
    // The formatter writes valid UTF-8: serde_json's own output, with ASCII escapes in places.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::{escape, json_text};

    #[test]
    fn control_and_bidirectional_characters_are_shown_escaped() {
        assert_eq!(escape("plain name"), "plain name");
        assert_eq!(escape("a\u{1b}]52;c;ZXZpbA==\u{7}b"), "a\\u{1b}]52;c;ZXZpbA==\\u{7}b");
        assert_eq!(escape("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(escape("x\u{202e}y\u{9b}z\nw"), "x\\u{202e}y\\u{9b}z\\u{a}w");
    }

    #[test]
    fn json_escapes_them_and_still_decodes_to_the_same_value() {
        let value = serde_json::json!({ "name": "a\u{1b}[2Jb\u{202e}c\u{7f}d\u{9b}e", "n": [1, "é"] });
        let text = json_text(&value).expect("serialises");
        assert!(!text.chars().any(|character| super::is_unsafe(character) && character != '\n'), "{text:?}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).expect("JSON"), value);
    }
}
