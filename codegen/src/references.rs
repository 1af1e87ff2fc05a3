//! Finds (and renames) the `$ref`s of a document without mistaking data for structure.
//!
//! `example`, `examples`, `default`, `enum` and `const` hold data, which may contain `$ref` or
//! `type` keys that mean nothing; the walk skips them. But a map of *names* (the properties of
//! a schema, the schemas of `components`, the media types of a `content`, ...) may well have an
//! entry called `enum` or `default`: inside such a map every entry is walked.

use serde_json::{Map, Value};

use crate::diagnostic::escape_pointer_token;

/// Keywords whose value is data, not part of the document's structure.
const DATA_KEYWORDS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

/// Keywords whose value is a map from names the author chose to objects.
const NAME_MAPS: [&str; 18] = [
    "paths",
    "properties",
    "patternProperties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "mapping",
    "webhooks",
    "$defs",
];

/// Whether the entry `key` of a map (itself a name map or not) is data to skip.
fn is_data(key: &str, in_name_map: bool) -> bool {
    !in_name_map && DATA_KEYWORDS.contains(&key)
}

/// Whether the value under `key` is a name map.
fn opens_name_map(key: &str, in_name_map: bool, child: &Value) -> bool {
    !in_name_map && child.is_object() && NAME_MAPS.contains(&key)
}

/// Calls `visit` with every object of the document's structure under `value` (not data, not a
/// map of names) and its pointer, in document order.
pub fn for_each_structural_object(value: &Value, pointer: &str, visit: &mut dyn FnMut(&Map<String, Value>, &str)) {
    let mut pending = vec![(value, pointer.to_owned(), false)];
    while let Some((value, pointer, in_name_map)) = pending.pop() {
        match value {
            Value::Object(map) => {
                if !in_name_map {
                    visit(map, &pointer);
                }
                for (key, child) in map.iter().rev() {
                    if is_data(key, in_name_map) {
                        continue;
                    }
                    let name_map = opens_name_map(key, in_name_map, child);
                    pending.push((child, format!("{pointer}/{}", escape_pointer_token(key)), name_map));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    pending.push((child, format!("{pointer}/{index}"), false));
                }
            }
            _ => {}
        }
    }
}

/// Every `$ref` string under `value` (at `pointer`), with the pointer of its `$ref` key, in
/// document order.
pub fn references(value: &Value, pointer: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for_each_structural_object(value, pointer, &mut |map, pointer| {
        if let Some(Value::String(reference)) = map.get("$ref") {
            found.push((reference.clone(), format!("{pointer}/$ref")));
        }
    });
    found
}

/// Replaces every `$ref` string that `rename` maps to a new one.
pub fn rewrite(value: &mut Value, rename: &dyn Fn(&str) -> Option<String>) {
    let mut pending = vec![(value, false)];
    while let Some((value, in_name_map)) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if is_data(key, in_name_map) {
                        continue;
                    }
                    if !in_name_map && key == "$ref" {
                        if let Value::String(reference) = child
                            && let Some(new) = rename(reference)
                        {
                            *reference = new;
                        }
                        continue;
                    }
                    let name_map = opens_name_map(key, in_name_map, child);
                    pending.push((child, name_map));
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{references, rewrite};

    fn sample() -> serde_json::Value {
        json!({ "components": { "schemas": {
            "enum": { "type": "string" },
            "Thing": {
                "properties": {
                    "enum": { "$ref": "#/components/schemas/enum" },
                    "default": { "items": { "$ref": "#/components/schemas/Other" } },
                    "sample": { "example": { "$ref": "#/not/a/reference" }, "enum": [{ "$ref": "#/nor/this" }] },
                },
                "default": { "$ref": "#/data/too" },
            },
        } } })
    }

    #[test]
    fn properties_named_like_keywords_are_walked_and_data_is_not() {
        let found: Vec<String> = references(&sample(), "").into_iter().map(|(reference, _)| reference).collect();
        assert_eq!(found, ["#/components/schemas/enum", "#/components/schemas/Other"]);
        let pointers: Vec<String> = references(&sample(), "").into_iter().map(|(_, pointer)| pointer).collect();
        assert_eq!(pointers[0], "/components/schemas/Thing/properties/enum/$ref");
    }

    #[test]
    fn rewriting_touches_the_same_references_only() {
        let mut value = sample();
        rewrite(&mut value, &|reference| Some(format!("{reference}2")));
        let found: Vec<String> = references(&value, "").into_iter().map(|(reference, _)| reference).collect();
        assert_eq!(found, ["#/components/schemas/enum2", "#/components/schemas/Other2"]);
        assert_eq!(value["components"]["schemas"]["Thing"]["default"], json!({ "$ref": "#/data/too" }));
    }
}
