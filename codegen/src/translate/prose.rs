//! Prose made safe for doc comments and Markdown ([`normalize_text`]).

use serde_json::Value;

use crate::read::Document;

/// Makes the prose of a document (every `description`, `summary` and `title` string, and
/// `info`'s `termsOfService` and `version`, which progenitor writes into the client's doc; the
/// version is also what `api_version()` returns) safe to carry into Rust doc comments and
/// Markdown: line endings become `\n` (a lone carriage return
/// is not allowed in a Rust doc comment), other control characters but tabs are dropped,
/// characters that reorder text (which rustc refuses in comments) are written as `\u{..}`, and an
/// opening code fence gets the `text` language, so that rustdoc never compiles a description's
/// code block as a doctest. Example, default and enum data is left alone. Returns how many
/// strings changed.
pub fn normalize_text(document: &mut Document) -> usize {
    let mut changed = 0;
    let mut pending = vec![(&mut document.value, false)];
    while let Some((value, in_name_map)) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let is_data =
                        !in_name_map && matches!(key.as_str(), "example" | "examples" | "default" | "enum" | "const");
                    if is_data {
                        continue;
                    }
                    if !in_name_map
                        && matches!(key.as_str(), "description" | "summary" | "title" | "termsOfService" | "version")
                        && let Value::String(text) = child
                    {
                        let cleaned = clean_prose(text);
                        if cleaned != *text {
                            *text = cleaned;
                            changed += 1;
                        }
                        continue;
                    }
                    let name_map = !in_name_map
                        && child.is_object()
                        && matches!(
                            key.as_str(),
                            "properties"
                                | "schemas"
                                | "paths"
                                | "responses"
                                | "parameters"
                                | "headers"
                                | "content"
                                | "requestBodies"
                                | "securitySchemes"
                        );
                    pending.push((child, name_map));
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
    changed
}

/// Whether `character` reorders the text around it (bidirectional embeddings, overrides,
/// isolates and marks).
pub(crate) fn is_reordering(character: char) -> bool {
    matches!(character, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One piece of prose, made safe (see [`normalize_text`]).
fn clean_prose(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut printable = String::with_capacity(unified.len());
    for character in unified.chars() {
        if is_reordering(character) {
            // rustc refuses these in comments (they can make code read as other code); written
            // as an escape, the text still says which character was there.
            printable.push_str(&character.escape_unicode().to_string());
        } else if !character.is_control() || matches!(character, '\n' | '\t') {
            printable.push(character);
        }
    }
    let mut lines = Vec::new();
    let mut in_fence = false;
    for line in printable.split('\n') {
        let trimmed = line.trim_start();
        if let Some(language) = trimmed.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                lines.push(line.to_owned());
            } else {
                in_fence = true;
                let indent = &line[..line.len() - trimmed.len()];
                let language = language.trim();
                let kept =
                    if language.is_empty() || language == "text" { String::new() } else { format!(" ({language})") };
                lines.push(format!("{indent}```text{kept}"));
            }
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}
