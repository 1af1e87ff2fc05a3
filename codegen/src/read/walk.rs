//! Finds (and renames) the `$ref`s of a document without mistaking data for structure.
//!
//! `example`, `examples`, `default`, `enum` and `const` hold data, which may contain `$ref` or
//! `type` keys that mean nothing; the walk skips them. But a map of *names* (the properties of
//! a schema, the schemas of `components`, the media types of a `content`, ...) may well have an
//! entry called `enum` or `default`: inside such a map every entry is walked.

use serde_json::{Map, Value};

use std::fmt::Write as _;

use crate::diagnostic::{escape_pointer_token, push_pointer_token};

/// Keywords whose value is data, not part of the document's structure.
const DATA_KEYWORDS: [&str; 5] = ["example", "examples", "default", "enum", "const"];

use crate::read::openapi::NAME_MAPS;

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
    walk(pointer, vec![(value, pointer.len(), Step::Start, false)], visit);
}

/// Where a walk of a large document can start apart: every subtree the walk of the whole would
/// visit below the root, except that `paths`, `components` and its `schemas` are replaced by their
/// entries (the root, `paths`, `components` and `schemas` themselves say nothing to a check of
/// schemas, and `paths` and `schemas`, maps of names, are not visited by a walk either). In
/// document order, each with its pointer and whether it is a map of names; walked in this order
/// with [`for_each_structural_object_at`], they are visited in the order of one whole walk.
pub fn subtrees_of(root: &Map<String, Value>) -> Vec<(String, &Value, bool)> {
    let mut subtrees = Vec::new();
    for (key, child) in structural_children(root, false) {
        let pointer = format!("/{}", escape_pointer_token(key));
        let Value::Object(components) = child else {
            subtrees.push((pointer, child, opens_name_map(key, false, child)));
            continue;
        };
        if key == "paths" {
            for (path, item) in structural_children(components, true) {
                subtrees.push((format!("{pointer}/{}", escape_pointer_token(path)), item, false));
            }
            continue;
        }
        if key != "components" {
            subtrees.push((pointer, child, opens_name_map(key, false, child)));
            continue;
        }
        for (kind, entries) in structural_children(components, false) {
            let kind_pointer = format!("{pointer}/{}", escape_pointer_token(kind));
            match entries {
                Value::Object(schemas) if kind == "schemas" => {
                    for (name, schema) in structural_children(schemas, true) {
                        subtrees.push((format!("{kind_pointer}/{}", escape_pointer_token(name)), schema, false));
                    }
                }
                _ => subtrees.push((kind_pointer, entries, opens_name_map(kind, false, entries))),
            }
        }
    }
    subtrees
}

/// The entries of `map` that a walk goes into.
fn structural_children(map: &Map<String, Value>, in_name_map: bool) -> impl Iterator<Item = (&String, &Value)> {
    map.iter().filter(move |(key, child)| !is_data(key, in_name_map) && is_collection(child))
}

/// [`for_each_structural_object`] from a node a walk would reach at `pointer`, in a map of names
/// or not.
pub fn for_each_structural_object_at(
    value: &Value,
    pointer: &str,
    in_name_map: bool,
    visit: &mut dyn FnMut(&Map<String, Value>, &str),
) {
    walk(pointer, vec![(value, pointer.len(), Step::Start, in_name_map)], visit);
}

/// How a pending node is reached from its parent.
enum Step<'a> {
    Start,
    Key(&'a str),
    Index(usize),
}

/// Visits the pending nodes and everything structural under them. One pointer is cut back to
/// each node's parent and extended by the node's step as it is visited: no string per node.
fn walk<'a>(
    pointer: &str,
    mut pending: Vec<(&'a Value, usize, Step<'a>, bool)>,
    visit: &mut dyn FnMut(&Map<String, Value>, &str),
) {
    let mut current = pointer.to_owned();
    while let Some((value, parent_end, step, in_name_map)) = pending.pop() {
        current.truncate(parent_end);
        match step {
            Step::Start => {}
            Step::Key(key) => push_pointer_token(&mut current, key),
            Step::Index(index) => {
                let _ = write!(current, "/{index}");
            }
        }
        let end = current.len();
        match value {
            Value::Object(map) => {
                if !in_name_map {
                    visit(map, &current);
                }
                for (key, child) in map.iter().rev() {
                    if is_data(key, in_name_map) || !is_collection(child) {
                        continue;
                    }
                    let name_map = opens_name_map(key, in_name_map, child);
                    pending.push((child, end, Step::Key(key), name_map));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate().rev() {
                    if is_collection(child) {
                        pending.push((child, end, Step::Index(index), false));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Only objects are visited, and only collections hold them.
fn is_collection(value: &Value) -> bool {
    matches!(value, Value::Object(_) | Value::Array(_))
}

/// Every `$ref` string under `value` (at `pointer`), with the pointer of its `$ref` key, in
/// document order.
pub fn references(value: &Value, pointer: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for_each_structural_object(value, pointer, &mut |map, pointer| push_reference(map, pointer, &mut found));
    found
}

/// The `$ref` string of the object `map` at `pointer`, if it has one, with the pointer of its key.
fn push_reference(map: &Map<String, Value>, pointer: &str, found: &mut Vec<(String, String)>) {
    if let Some(Value::String(reference)) = map.get("$ref") {
        found.push((reference.clone(), format!("{pointer}/$ref")));
    }
}

/// What `find` finds in every object of a whole document's structure (those
/// [`for_each_structural_object`] visits), with the object's pointer: the root and `components`
/// first, then the subtrees of [`subtrees_of`], walked on the pool in runs; what is found comes
/// out in document order within the subtrees.
pub fn find_in_document<T: Send>(
    root: &Map<String, Value>,
    find: impl Fn(&Map<String, Value>, &str, &mut Vec<T>) + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let mut found = Vec::new();
    find(root, "", &mut found);
    if let Some(Value::Object(components)) = root.get("components") {
        find(components, "/components", &mut found);
    }
    let subtrees = subtrees_of(root);
    let in_subtrees: Vec<T> = subtrees
        .par_chunks(SUBTREES_PER_RUN)
        .map(|run| {
            let mut found = Vec::new();
            for (pointer, value, in_name_map) in run {
                for_each_structural_object_at(value, pointer, *in_name_map, &mut |map, pointer| {
                    find(map, pointer, &mut found);
                });
            }
            found
        })
        .flatten()
        .collect();
    found.extend(in_subtrees);
    found
}

/// How many subtrees one task of [`find_in_document`] walks: enough that a task outweighs its
/// handing out.
const SUBTREES_PER_RUN: usize = 64;

/// Every `$ref` string of a whole document, with the pointer of its `$ref` key, in document order
/// ([`references`] on the pool).
pub fn document_references(root: &Map<String, Value>) -> Vec<(String, String)> {
    find_in_document(root, push_reference)
}

/// Calls `visit` with every object of the document's structure under `value`, to change it.
pub fn for_each_structural_object_mut(value: &mut Value, visit: &mut dyn FnMut(&mut Map<String, Value>)) {
    let mut pending = vec![(value, false)];
    while let Some((value, in_name_map)) = pending.pop() {
        match value {
            Value::Object(map) => {
                if !in_name_map {
                    visit(map);
                }
                for (key, child) in map.iter_mut() {
                    if is_data(key, in_name_map) || !is_collection(child) {
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
    fn a_walk_from_the_subtrees_visits_what_the_whole_walk_visits() {
        let mut document = sample();
        document["paths"] = json!({"/a": {"get": {"responses": {"200": {"content": {"application/json":
            {"schema": {"items": {"$ref": "#/components/schemas/enum"}}}}}}}}});
        document["example"] = json!({"not": {"structure": true}});
        document["x-list"] = json!([{"a": 1}, {"b": {"c": 2}}]);
        document["components"]["parameters"] = json!({"p": {"schema": {"type": "string"}}});
        let mut whole = Vec::new();
        super::for_each_structural_object(&document, "", &mut |_, pointer| whole.push(pointer.to_owned()));
        let mut split = Vec::new();
        for (pointer, value, in_name_map) in super::subtrees_of(document.as_object().expect("a mapping")) {
            super::for_each_structural_object_at(value, &pointer, in_name_map, &mut |_, pointer| {
                split.push(pointer.to_owned());
            });
        }
        // The root and `components` are not visited apart; everything else is, in order.
        assert!(split.iter().any(|pointer| pointer == "/paths/~1a"), "{split:?}");
        whole.retain(|pointer| !pointer.is_empty() && pointer != "/components");
        assert_eq!(split, whole);
        assert!(whole.iter().any(|pointer| pointer.ends_with("/schema/items")), "{whole:?}");
        assert!(!whole.iter().any(|pointer| pointer.starts_with("/example")), "{whole:?}");
    }

    #[test]
    fn the_references_of_a_document_found_on_the_pool_are_those_of_one_walk() {
        let mut document = sample();
        for index in 0..300 {
            document["components"]["schemas"][format!("S{index}")] =
                json!({"items": {"$ref": format!("#/components/schemas/S{}", index + 1)}});
        }
        document["paths"] = json!({"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}});
        let one_walk = references(&document, "");
        let root = document.as_object().expect("a mapping");
        let pooled = crate::pool::install(|| super::document_references(root));
        assert_eq!(pooled, one_walk);
        assert_eq!(super::document_references(root), one_walk, "the same off the pool");
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
