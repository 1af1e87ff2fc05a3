//! The rules about references: anchors resolved to the schemas that declare them
//! ([`Rule::Anchors`]), and references to nodes that are not entries of the component kind
//! their place needs made so ([`Rule::ReferenceTargets`]).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{Normalizer, Rule};
use crate::diagnostic::escape_pointer_token;
use crate::read::openapi::expected_reference_kind;

/// The keywords that name or identify a schema, which go once their references are resolved.
const IDENTIFIERS: [&str; 3] = ["$anchor", "$dynamicAnchor", "$id"];

/// How many times the lifting goes round: a lifted node may hold references that need lifting
/// too, to a depth no real document reaches.
const LIFTING_ROUNDS: usize = 16;

/// Resolves `$anchor` and `$dynamicAnchor` names: a `$ref` or `$dynamicRef` to `#name` points at
/// the schema that declares the name, `$dynamicRef` becomes `$ref` (an OpenAPI document is its
/// only dynamic scope), and the anchors and `$id` go.
pub(super) fn resolve_anchors(normalizer: &mut Normalizer, root: &mut Map<String, Value>) {
    // The anchors each object declares, and a mark for one with only an `$id` or a `$dynamicRef`.
    let marked: Vec<Option<(String, String)>> = crate::read::walk::find_in_document(root, |map, pointer, found| {
        if !(IDENTIFIERS.iter().any(|keyword| map.contains_key(*keyword)) || map.contains_key("$dynamicRef")) {
            return;
        }
        found.push(None);
        for keyword in ["$anchor", "$dynamicAnchor"] {
            if let Some(Value::String(name)) = map.get(keyword) {
                found.push(Some((name.clone(), pointer.to_owned())));
            }
        }
    });
    if marked.is_empty() {
        return;
    }
    let mut anchors: HashMap<String, String> = HashMap::new();
    for (name, pointer) in marked.into_iter().flatten() {
        anchors.entry(name).or_insert(pointer);
    }
    let mut whole = Value::Object(std::mem::take(root));
    crate::read::walk::for_each_structural_object_mut(&mut whole, &mut |map| {
        if let Some(dynamic) = map.shift_remove("$dynamicRef") {
            map.entry("$ref").or_insert(dynamic);
        }
        if let Some(Value::String(reference)) = map.get_mut("$ref")
            && let Some(name) = reference.strip_prefix('#').filter(|name| !name.is_empty() && !name.starts_with('/'))
            && let Some(pointer) = anchors.get(name)
        {
            *reference = format!("#{pointer}");
        }
        for keyword in IDENTIFIERS {
            map.shift_remove(keyword);
        }
    });
    if let Value::Object(whole) = whole {
        *root = whole;
    }
    normalizer.count(Rule::Anchors);
}

/// Points every reference to a node that is not an entry of the component kind its place needs
/// at a copy of the node made such an entry: a property of a schema becomes a schema of its own
/// (`A/properties/b` → `A_b`), a response read where a schema is needed a schema. A node that
/// does not read as the kind is left for the checks to refuse.
pub(super) fn lift_reference_targets(normalizer: &mut Normalizer, root: &mut Map<String, Value>) {
    let mut lifted: HashMap<(String, &'static str), String> = HashMap::new();
    for _ in 0..LIFTING_ROUNDS {
        let references = crate::read::walk::document_references(root);
        let mut changed = false;
        for (reference, at) in references {
            let place = at.strip_suffix("/$ref").unwrap_or(&at);
            let Some(kind) = expected_reference_kind(place) else { continue };
            let Some(target) = reference.strip_prefix('#') else { continue };
            if is_component_entry(target, kind) {
                continue;
            }
            let name = match lifted.get(&(target.to_owned(), kind)) {
                Some(name) => name.clone(),
                None => {
                    let Some(node) = node_at(root, target).cloned() else { continue };
                    let Some(node) = as_kind(node, kind, target) else { continue };
                    let name = free_name(root, kind, &lifted_name(target));
                    insert_component(root, kind, &name, node);
                    normalizer
                        .moved
                        .push((target.to_owned(), format!("/components/{kind}/{}", escape_pointer_token(&name))));
                    lifted.insert((target.to_owned(), kind), name.clone());
                    name
                }
            };
            let mut whole = Value::Object(std::mem::take(root));
            if let Some(Value::String(reference)) = whole.pointer_mut(&at) {
                *reference = format!("#/components/{kind}/{}", escape_pointer_token(&name));
            }
            if let Value::Object(whole) = whole {
                *root = whole;
            }
            normalizer.count(Rule::ReferenceTargets);
            changed = true;
        }
        if !changed {
            return;
        }
    }
}

/// The node at `pointer` under the root's entries.
fn node_at<'a>(root: &'a Map<String, Value>, pointer: &str) -> Option<&'a Value> {
    let mut tokens = pointer.split('/').skip(1).map(crate::diagnostic::unescape_pointer_token);
    let mut node = root.get(&tokens.next()?)?;
    for token in tokens {
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Whether `target` (a pointer) is an entry of `components/<kind>`.
fn is_component_entry(target: &str, kind: &str) -> bool {
    target
        .strip_prefix("/components/")
        .and_then(|rest| rest.strip_prefix(kind))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

/// The node read as a `kind`: any object is a schema (what is not a keyword of one is ignored,
/// and goes); a response needs a `description` or `content`, a parameter a `name` and an `in`,
/// a request body `content`. `None` when it does not read as one.
fn as_kind(node: Value, kind: &str, target: &str) -> Option<Value> {
    let Value::Object(mut fields) = node else { return None };
    let reads = match kind {
        "schemas" => {
            let from_a_schema = expected_reference_kind(target) == Some("schemas");
            if !from_a_schema {
                fields.retain(|key, _| is_schema_keyword(key));
            }
            true
        }
        "responses" => fields.contains_key("description") || fields.contains_key("content"),
        "parameters" => fields.contains_key("name") && fields.contains_key("in"),
        "requestBodies" => fields.contains_key("content"),
        "headers" => fields.contains_key("schema") || fields.contains_key("content"),
        _ => false,
    };
    reads.then_some(Value::Object(fields))
}

/// Whether `key` is a keyword of a schema (or an extension).
fn is_schema_keyword(key: &str) -> bool {
    const KEYWORDS: [&str; 34] = [
        "$ref",
        "type",
        "format",
        "description",
        "title",
        "default",
        "enum",
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "example",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "discriminator",
    ];
    KEYWORDS.contains(&key) || key.starts_with("x-")
}

/// The name a lifted node is given: the tokens of its place after `components/<kind>/` (or after
/// the root), `properties` left out, joined by `_` (`A/properties/b` → `A_b`).
fn lifted_name(target: &str) -> String {
    let tokens: Vec<String> = target.split('/').skip(1).map(crate::diagnostic::unescape_pointer_token).collect();
    let start = if tokens.first().map(String::as_str) == Some("components") { 2 } else { 0 };
    let kept: Vec<&str> =
        tokens.iter().skip(start).map(String::as_str).filter(|token| *token != "properties").collect();
    let name = kept.join("_");
    if name.is_empty() { "lifted".to_owned() } else { name }
}

/// `name`, or `name_2`, `name_3`, ... where `components/<kind>` has it already.
fn free_name(root: &Map<String, Value>, kind: &str, name: &str) -> String {
    let taken = |candidate: &str| {
        root.get("components")
            .and_then(|components| components.get(kind))
            .and_then(|entries| entries.get(candidate))
            .is_some()
    };
    if !taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|counter| format!("{name}_{counter}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| name.to_owned())
}

/// Adds `node` as `components/<kind>/<name>`.
fn insert_component(root: &mut Map<String, Value>, kind: &str, name: &str, node: Value) {
    let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(components) = components else { return };
    let entries = components.entry(kind).or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(entries) = entries {
        entries.insert(name.to_owned(), node);
    }
}
