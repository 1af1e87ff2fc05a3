//! The source tables' Type notation (the Python SDK docs' own) and the Rust type it stands for,
//! in both directions: checks read a table's cell as a Rust type, and `cargo xtask tables`
//! writes a missing row's cell from the generated model's type.
//!
//! The notation: `*str*`, `*Optional[str]*`, `list[*str*]`, `[date](...)`,
//! `Optional[[models.Name](../models/name.md)]`, `List[[models.Name](../models/name.md)]`. Every
//! field in the tables is optional, and lists and dates are written without `Optional`, so both
//! stand for `Option<...>`, as the spec makes them.

/// Where the notation's `[date]` links.
pub const DATE_LINK: &str = "https://docs.python.org/3/library/datetime.html#date-objects";

/// The Rust type (as [`crate::progenitor::output::display_type`] shows it) that a Type cell stands for.
pub fn rust_type_for_notation(notation: &str) -> Result<String, String> {
    let notation = notation.trim();
    let unknown = || {
        Err(format!(
            "unknown type notation {notation:?}; declare it in codegen/src/notation.rs (rust_type_for_notation and notation_for_rust_type)"
        ))
    };
    if let Some(inner) = notation.strip_prefix('*').and_then(|rest| rest.strip_suffix('*')) {
        return rust_type_for_notation(inner);
    }
    if let Some(inner) = notation.strip_prefix("Optional[").and_then(|rest| rest.strip_suffix(']')) {
        return Ok(format!("Option<{}>", scalar_for_notation(inner).or_else(|_| rust_type_for_notation(inner))?));
    }
    for prefix in ["list[", "List["] {
        if let Some(inner) = notation.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(']')) {
            return Ok(format!("Option<Vec<{}>>", scalar_for_notation(inner)?));
        }
    }
    if notation.starts_with("[date](") || notation.starts_with("[datetime](") {
        return Ok("Option<chrono::DateTime<chrono::Utc>>".to_owned());
    }
    if let Some((name, _)) = notation.strip_prefix("[models.").and_then(|rest| rest.split_once("](")) {
        return Ok(format!("Option<{name}>"));
    }
    unknown()
}

/// The notation of one element type: `*str*`, `int`, `[models.Name](...)`.
fn scalar_for_notation(notation: &str) -> Result<String, String> {
    let bare = notation.trim().trim_matches('*');
    match bare {
        "str" => Ok("String".to_owned()),
        "int" => Ok("i32".to_owned()),
        "bool" => Ok("bool".to_owned()),
        "float" => Ok("f64".to_owned()),
        _ => match bare.strip_prefix("[models.").and_then(|rest| rest.split_once("](")) {
            Some((name, _)) => Ok(name.to_owned()),
            None => Err(format!("unknown element type notation {notation:?}; declare it in codegen/src/notation.rs")),
        },
    }
}

/// The scalar notation of a Rust element type, such as `str` for `String`.
fn notation_for_scalar(rust: &str) -> Option<String> {
    Some(
        match rust {
            "String" | "SecretString" => "str",
            "i32" => "int",
            "bool" => "bool",
            "f64" => "float",
            _ => return None,
        }
        .to_owned(),
    )
}

/// `[models.Name](../models/name.md)`: a link to another model's page.
fn model_link(name: &str) -> String {
    format!("[models.{name}](../models/{}.md)", name.to_lowercase())
}

/// The Type cell for a Rust type, or `None` when the notation has no way to write it.
///
/// For every type it answers, [`rust_type_for_notation`] reads the cell back to the same type.
pub fn notation_for_rust_type(rust: &str) -> Option<String> {
    let inner = rust.strip_prefix("Option<")?.strip_suffix('>')?;
    if inner == "chrono::DateTime<chrono::Utc>" {
        return Some(format!("[date]({DATE_LINK})"));
    }
    if let Some(element) = inner.strip_prefix("Vec<").and_then(|rest| rest.strip_suffix('>')) {
        return match notation_for_scalar(element) {
            Some(scalar) => Some(format!("list[*{scalar}*]")),
            None => is_model_name(element).then(|| format!("List[{}]", model_link(element))),
        };
    }
    match notation_for_scalar(inner) {
        Some(scalar) => Some(format!("*Optional[{scalar}]*")),
        None => is_model_name(inner).then(|| format!("Optional[{}]", model_link(inner))),
    }
}

fn is_model_name(name: &str) -> bool {
    name.chars().next().is_some_and(|first| first.is_ascii_uppercase())
        && name.chars().all(|character| character.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::{notation_for_rust_type, rust_type_for_notation};

    #[test]
    fn the_declared_notation_mapping() {
        let pairs = [
            ("list[*str*]", "Option<Vec<String>>"),
            ("*Optional[str]*", "Option<String>"),
            ("*Optional[int]*", "Option<i32>"),
            ("*Optional[bool]*", "Option<bool>"),
            (
                "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
                "Option<chrono::DateTime<chrono::Utc>>",
            ),
            ("Optional[[models.PersonalClient](../models/personalclient.md)]", "Option<PersonalClient>"),
            ("List[[models.UserRef](../models/userref.md)]", "Option<Vec<UserRef>>"),
        ];
        for (notation, rust) in pairs {
            assert_eq!(rust_type_for_notation(notation).as_deref(), Ok(rust), "{notation}");
            assert_eq!(notation_for_rust_type(rust).as_deref(), Some(notation), "{rust}");
        }
    }

    #[test]
    fn what_the_notation_cannot_say_is_a_clear_answer() {
        let message = rust_type_for_notation("Dict[str, Any]").expect_err("unknown");
        assert!(message.contains("Dict[str, Any]") && message.contains("codegen/src/notation.rs"), "{message}");
        assert_eq!(notation_for_rust_type("std::collections::HashMap<String, String>"), None);
        assert_eq!(notation_for_rust_type("Option<serde_json::Value>"), None);
    }
}
