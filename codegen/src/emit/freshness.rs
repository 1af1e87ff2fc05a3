//! Compares generated text with what is checked in, and renders the difference as a unified diff.

use similar::TextDiff;

/// Normalises line endings so that a CRLF checkout compares equal to LF output.
pub fn normalize_line_endings(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// A unified diff from `checked_in` to `generated`, headed with `path`; empty when they are equal.
pub fn unified_diff(path: &str, checked_in: &str, generated: &str) -> String {
    let checked_in = normalize_line_endings(checked_in);
    if checked_in == generated {
        return String::new();
    }
    TextDiff::from_lines(checked_in.as_str(), generated)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path} (checked in)"), &format!("b/{path} (generated)"))
        .missing_newline_hint(true)
        .to_string()
}
