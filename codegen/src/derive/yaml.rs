//! Writes a JSON value as YAML: keys in their order, multi-line strings as literal blocks.

use serde_json::Value;
use yaml_rust2::Yaml;
use yaml_rust2::yaml::Hash;

/// The YAML text of `value`, ending with a newline, without a document marker.
///
/// The same value always gives the same text; [`crate::read::load`] reads it back to `value`.
pub fn to_yaml(value: &Value) -> String {
    let mut text = String::new();
    let mut emitter = yaml_rust2::YamlEmitter::new(&mut text);
    emitter.multiline_strings(true);
    // Writing into a String cannot fail; an error here would be a bug in the emitter.
    let _ = emitter.dump(&to_node(value));
    let body = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---")).unwrap_or(&text);
    format!("{}\n", body.trim_start_matches(' '))
}

fn to_node(value: &Value) -> Yaml {
    match value {
        Value::Null => Yaml::Null,
        Value::Bool(flag) => Yaml::Boolean(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(integer) => Yaml::Integer(integer),
            None => Yaml::Real(number.to_string()),
        },
        Value::String(text) => Yaml::String(text.clone()),
        Value::Array(items) => Yaml::Array(items.iter().map(to_node).collect()),
        Value::Object(map) => {
            let mut hash = Hash::new();
            for (key, child) in map {
                hash.insert(Yaml::String(key.clone()), to_node(child));
            }
            Yaml::Hash(hash)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::to_yaml;
    use crate::read;

    #[test]
    fn what_is_written_reads_back_the_same() {
        let value = json!({
            "openapi": "3.1.0",
            "b": { "z": 1, "a": [true, null, 2.5, -3, "yes", "1.0", "", "a: b", "#x", " lead", "multi\nline\n ending ", "tab\there"] },
            "empty": {},
            "none": [],
            "description": "If set, only allows this.\n Accepts IPv4 (e.g. 10.0.0.0/24) or IPv6.",
            "big": 18446744073709551615_u64,
        });
        let text = to_yaml(&value);
        let loaded = read::load("written.yaml", text.as_bytes()).expect("reads back");
        assert_eq!(loaded.value, value, "{text}");
        assert!(text.starts_with("openapi: 3.1.0\n"), "{text}");
        assert!(text.ends_with('\n'));
        assert_eq!(to_yaml(&value), text, "deterministic");
    }
}
