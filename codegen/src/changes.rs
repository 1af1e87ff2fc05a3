//! What changed in an API between two versions of its document: operations and schemas added or
//! removed, and fields whose type, format, nullability, read-only-ness or description changed.
//!
//! Both documents are compared as published (OpenAPI 3.0 or 3.1): nullability written as
//! `nullable: true`, as `type: [T, "null"]` or as a union with `{type: "null"}` is the same fact.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::api::HttpMethod;

/// One difference between two documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where: `GET /path`, `GET /path parameter id`, `Schema`, or `Schema.field`.
    pub path: String,
    /// What changed.
    pub kind: ChangeKind,
}

/// The kinds of difference the summary reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Present only in the new document.
    Added,
    /// Present only in the old document.
    Removed,
    /// An aspect that differs, with its old and new values.
    Changed {
        /// The aspect: `type`, `format`, `nullable`, `readOnly`, `required`, `description`,
        /// `operationId`, `request body` or `response`.
        aspect: &'static str,
        /// The old value, as shown.
        before: String,
        /// The new value, as shown.
        after: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ChangeKind::Added => write!(f, "+ {}", self.path),
            ChangeKind::Removed => write!(f, "- {}", self.path),
            ChangeKind::Changed { aspect, before, after } => {
                write!(f, "~ {}: {aspect} {before} → {after}", self.path)
            }
        }
    }
}

/// The facts of one field (a property, a parameter) that the summary compares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Facts {
    kind: String,
    format: Option<String>,
    nullable: bool,
    read_only: bool,
    description: Option<String>,
}

/// Every difference between the operations and schemas of `before` and `after`, in a stable order.
pub fn compare(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    compare_operations(before, after, &mut changes);
    compare_schemas(before, after, &mut changes);
    changes
}

fn operations(document: &Value) -> BTreeMap<String, &Map<String, Value>> {
    let mut found = BTreeMap::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else { return found };
    for (path, item) in paths {
        for method in HttpMethod::ALL.map(HttpMethod::key) {
            if let Some(operation) = item.get(method).and_then(Value::as_object) {
                found.insert(format!("{} {path}", method.to_ascii_uppercase()), operation);
            }
        }
    }
    found
}

fn compare_operations(before: &Value, after: &Value, changes: &mut Vec<Change>) {
    let old = operations(before);
    let new = operations(after);
    for (key, old_operation) in &old {
        let Some(new_operation) = new.get(key) else {
            changes.push(Change { path: key.clone(), kind: ChangeKind::Removed });
            continue;
        };
        let text = |operation: &Map<String, Value>, field: &str| {
            shown(operation.get(field).and_then(Value::as_str).map(str::to_owned))
        };
        changed(changes, key, "operationId", text(old_operation, "operationId"), text(new_operation, "operationId"));
        changed(changes, key, "request body", body_schema(before, old_operation), body_schema(after, new_operation));
        changed(
            changes,
            key,
            "response",
            response_schema(before, old_operation),
            response_schema(after, new_operation),
        );
        let old_parameters = parameters(before, old_operation);
        let new_parameters = parameters(after, new_operation);
        for (name, old_facts) in &old_parameters {
            let path = format!("{key} parameter {name}");
            match new_parameters.get(name) {
                Some(new_facts) => compare_facts(changes, &path, old_facts, new_facts),
                None => changes.push(Change { path, kind: ChangeKind::Removed }),
            }
        }
        for name in new_parameters.keys().filter(|name| !old_parameters.contains_key(*name)) {
            changes.push(Change { path: format!("{key} parameter {name}"), kind: ChangeKind::Added });
        }
    }
    for key in new.keys().filter(|key| !old.contains_key(*key)) {
        changes.push(Change { path: key.clone(), kind: ChangeKind::Added });
    }
}

/// The parameters of an operation by `in` and name, with the facts of each (its description
/// comes from the parameter, or else from its schema).
fn parameters(document: &Value, operation: &Map<String, Value>) -> BTreeMap<String, Facts> {
    let mut found = BTreeMap::new();
    for parameter in operation.get("parameters").and_then(Value::as_array).into_iter().flatten() {
        let parameter = resolve(document, parameter);
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("?");
        let schema = parameter.get("schema").map(|schema| resolve(document, schema)).unwrap_or(&Value::Null);
        let mut facts = facts(schema);
        if let Some(description) = parameter.get("description").and_then(Value::as_str) {
            facts.description = Some(description.to_owned());
        }
        found.insert(format!("{name} (in {location})"), facts);
    }
    found
}

fn body_schema(document: &Value, operation: &Map<String, Value>) -> String {
    let Some(body) = operation.get("requestBody") else { return "none".to_owned() };
    schema_name(resolve(document, body).pointer("/content/application~1json/schema"))
}

fn response_schema(document: &Value, operation: &Map<String, Value>) -> String {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else { return "none".to_owned() };
    let success = responses.iter().find(|(status, _)| status.starts_with('2')).map(|(_, response)| response);
    match success {
        Some(response) => schema_name(resolve(document, response).pointer("/content/application~1json/schema")),
        None => "none".to_owned(),
    }
}

fn schema_name(schema: Option<&Value>) -> String {
    match schema {
        None => "none".to_owned(),
        Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => reference.rsplit('/').next().unwrap_or(reference).to_owned(),
            None => facts(schema).kind,
        },
    }
}

/// Follows references to parameters, request bodies and responses (not to schemas, whose names
/// the summary shows), at most 16 hops.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { break };
        if is_component_schema(reference) {
            break;
        }
        match reference.strip_prefix('#').and_then(|pointer| document.pointer(pointer)) {
            Some(target) => current = target,
            None => break,
        }
    }
    current
}

fn is_component_schema(reference: &str) -> bool {
    reference.starts_with("#/components/schemas/")
}

/// The entries of the mapping at `value`, by name; none when it is absent or not a mapping.
fn entries(value: Option<&Value>) -> BTreeMap<&str, &Value> {
    value
        .and_then(Value::as_object)
        .map(|mapping| mapping.iter().map(|(name, entry)| (name.as_str(), entry)).collect())
        .unwrap_or_default()
}

fn compare_schemas(before: &Value, after: &Value, changes: &mut Vec<Change>) {
    let old = entries(before.pointer("/components/schemas"));
    let new = entries(after.pointer("/components/schemas"));
    for (name, old_schema) in &old {
        let Some(new_schema) = new.get(name) else {
            changes.push(Change { path: format!("schema {name}"), kind: ChangeKind::Removed });
            continue;
        };
        let description = |schema: &Value| schema.get("description").and_then(Value::as_str).map(str::to_owned);
        changed(
            changes,
            &format!("schema {name}"),
            "description",
            shown(description(old_schema)),
            shown(description(new_schema)),
        );
        let required = |schema: &Value| -> BTreeSet<String> {
            schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let (old_required, new_required) = (required(old_schema), required(new_schema));
        let old_properties = entries(old_schema.get("properties"));
        let new_properties = entries(new_schema.get("properties"));
        for (property, old_property) in &old_properties {
            let path = format!("{name}.{property}");
            let Some(new_property) = new_properties.get(property) else {
                changes.push(Change { path, kind: ChangeKind::Removed });
                continue;
            };
            compare_facts(changes, &path, &facts(old_property), &facts(new_property));
            changed(
                changes,
                &path,
                "required",
                old_required.contains(*property).to_string(),
                new_required.contains(*property).to_string(),
            );
        }
        for property in new_properties.keys().filter(|property| !old_properties.contains_key(*property)) {
            changes.push(Change { path: format!("{name}.{property}"), kind: ChangeKind::Added });
        }
    }
    for name in new.keys().filter(|name| !old.contains_key(*name)) {
        changes.push(Change { path: format!("schema {name}"), kind: ChangeKind::Added });
    }
}

fn compare_facts(changes: &mut Vec<Change>, path: &str, old: &Facts, new: &Facts) {
    changed(changes, path, "type", old.kind.clone(), new.kind.clone());
    changed(changes, path, "format", shown(old.format.clone()), shown(new.format.clone()));
    changed(changes, path, "nullable", old.nullable.to_string(), new.nullable.to_string());
    changed(changes, path, "readOnly", old.read_only.to_string(), new.read_only.to_string());
    changed(changes, path, "description", shown(old.description.clone()), shown(new.description.clone()));
}

fn changed(changes: &mut Vec<Change>, path: &str, aspect: &'static str, before: String, after: String) {
    if before != after {
        changes.push(Change { path: path.to_owned(), kind: ChangeKind::Changed { aspect, before, after } });
    }
}

/// An optional text as the summary shows it: quoted with escapes, or `none`.
fn shown(text: Option<String>) -> String {
    text.map_or_else(|| "none".to_owned(), |text| format!("{text:?}"))
}

/// The facts of one schema, whichever way it writes nullability.
fn facts(schema: &Value) -> Facts {
    let mut nullable = schema.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    let mut target = schema;
    for combinator in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(combinator).and_then(Value::as_array) {
            let is_null = |alternative: &&Value| alternative.get("type").and_then(Value::as_str) == Some("null");
            if alternatives.iter().any(|alternative| is_null(&alternative)) {
                nullable = true;
                let rest: Vec<&Value> = alternatives.iter().filter(|alternative| !is_null(alternative)).collect();
                if let [single] = rest.as_slice() {
                    target = single;
                }
            }
        }
    }
    if let Some(Value::Array(all_of)) = schema.get("allOf")
        && let [single] = all_of.as_slice()
    {
        target = single;
    }
    let kind = if let Some(reference) = target.get("$ref").and_then(Value::as_str) {
        reference.rsplit('/').next().unwrap_or(reference).to_owned()
    } else {
        match target.get("type") {
            Some(Value::String(kind)) => kind.clone(),
            Some(Value::Array(kinds)) => {
                let names: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
                if names.contains(&"null") {
                    nullable = true;
                }
                let rest: Vec<&str> = names.into_iter().filter(|name| *name != "null").collect();
                rest.join("|")
            }
            _ => "any".to_owned(),
        }
    };
    let kind = match (kind.as_str(), target.get("items")) {
        ("array", Some(items)) => format!("array of {}", facts(items).kind),
        _ => kind,
    };
    Facts {
        kind,
        format: target.get("format").and_then(Value::as_str).map(str::to_owned),
        nullable,
        read_only: schema.get("readOnly").and_then(Value::as_bool).unwrap_or(false),
        description: schema.get("description").and_then(Value::as_str).map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::compare;

    fn document(thing: serde_json::Value, operations: serde_json::Value) -> serde_json::Value {
        json!({ "paths": operations, "components": { "schemas": { "Thing": thing } } })
    }

    #[test]
    fn nullability_written_three_ways_is_one_fact() {
        let old = document(
            json!({ "properties": {
                "at": { "type": "string", "format": "date-time", "nullable": true },
                "other": { "oneOf": [{ "$ref": "#/components/schemas/Other" }, { "type": "null" }] },
            } }),
            json!({}),
        );
        let new = document(
            json!({ "properties": {
                "at": { "type": ["string", "null"], "format": "date-time" },
                "other": { "allOf": [{ "$ref": "#/components/schemas/Other" }], "nullable": true },
            } }),
            json!({}),
        );
        assert_eq!(compare(&old, &new), Vec::new());
    }

    #[test]
    fn every_kind_of_change_is_reported_with_its_path() {
        let old = document(
            json!({ "properties": {
                "gone": { "type": "string" },
                "at": { "type": "string", "format": "date-time", "readOnly": true, "description": "old" },
            } }),
            json!({ "/things/{id}": {
                "get": { "operationId": "Get", "parameters": [{ "name": "id", "in": "path", "schema": { "type": "string" } }] },
                "delete": { "operationId": "Delete" },
            } }),
        );
        let new = document(
            json!({ "required": ["at"], "properties": {
                "at": { "type": ["integer", "null"], "format": "int64", "description": "new" },
                "added": { "type": "boolean" },
            } }),
            json!({ "/things/{id}": {
                "get": { "operationId": "Fetch", "parameters": [{ "name": "id", "in": "path", "schema": { "type": "string", "description": "the id" } }] },
                "post": { "operationId": "Post" },
            } }),
        );
        let shown: Vec<String> = compare(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "- DELETE /things/{id}",
                "~ GET /things/{id}: operationId \"Get\" → \"Fetch\"",
                "~ GET /things/{id} parameter id (in path): description none → \"the id\"",
                "+ POST /things/{id}",
                "~ Thing.at: type string → integer",
                "~ Thing.at: format \"date-time\" → \"int64\"",
                "~ Thing.at: nullable false → true",
                "~ Thing.at: readOnly true → false",
                "~ Thing.at: description \"old\" → \"new\"",
                "~ Thing.at: required false → true",
                "- Thing.gone",
                "+ Thing.added",
            ]
        );
    }
}
