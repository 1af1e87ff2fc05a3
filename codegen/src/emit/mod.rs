//! What is made from the model and progenitor's output: the SDK's surface, the docs and their
//! tables, the change summary, and the diffs that show a stale file.

pub mod changes;
pub mod client;
pub mod docs;
pub mod files;
pub mod freshness;
pub mod method;
pub mod notation;
pub mod sdk;
pub mod standalone;
pub mod support;
pub mod tables;

/// Text from the spec (a path, a media type) as it goes inside a Markdown code span, in a doc
/// comment or a docs page: a backtick, which would end the span, becomes `'`; a character that
/// is not printable is written as its escape (`\r`, `\u{202e}`): rustc refuses a carriage return
/// in a doc comment and a bidirectional control in any comment, and a line break would end a
/// table row.
pub fn code_span(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '`' => shown.push('\''),
            character if character.is_control() || crate::translate::prose::is_reordering(character) => {
                shown.extend(character.escape_default());
            }
            character => shown.push(character),
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_code_span_shows_what_would_break_it_as_escapes() {
        assert_eq!(super::code_span("/notes/{id}"), "/notes/{id}");
        assert_eq!(super::code_span("/a`b"), "/a'b");
        assert_eq!(super::code_span("/no\rtes\n|x"), "/no\\rtes\\n|x");
        assert_eq!(super::code_span("/\u{202e}x\u{7}"), "/\\u{202e}x\\u{7}");
    }
}
