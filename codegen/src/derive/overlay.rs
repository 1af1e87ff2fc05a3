//! Applies an OpenAPI Overlay 1.0 document: the project's deliberate deviations from the
//! published spec, each an action with an RFC 9535 JSONPath target, a one-line reason, and an
//! `update` or a `remove`.
//!
//! Targets are evaluated by `serde_json_path` (an RFC 9535 implementation). An action whose
//! target matches nothing is an error that names the action, so a renamed upstream field cannot
//! silently drop a deviation.

use serde_json::{Map, Value};
use serde_json_path::{JsonPath, PathElement};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::read::Document;

/// One action of an overlay, as read from its document.
#[derive(Debug, Clone)]
pub struct Action {
    /// Its position in `actions`, for messages and pointers.
    pub index: usize,
    /// The JSONPath expression, as written.
    pub target: String,
    /// Why the project deviates here: one line.
    pub description: String,
    path: JsonPath,
    edit: Edit,
}

#[derive(Debug, Clone)]
enum Edit {
    Update(Value),
    Remove,
}

/// A parsed overlay: its actions, in order.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The actions, applied in this order.
    pub actions: Vec<Action>,
}

/// Reads and checks an overlay document; every problem is located in it.
pub fn parse(document: &Document) -> Result<Overlay, Diagnostics> {
    let mut problems = Vec::new();
    let mut problem = |pointer: &str, message: String, help: &str| {
        problems.push(Diagnostic::at(document, pointer, message, help));
    };
    let Some(root) = document.value.as_object() else {
        problem("", "the overlay is not a mapping".to_owned(), "start the overlay with `overlay: 1.0.0`");
        return Err(Diagnostics(problems));
    };
    match root.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.0") => {}
        Some(version) => problem(
            "/overlay",
            format!("overlay version {version} is not supported; only 1.0.x is"),
            "write the overlay in the Overlay 1.0 format",
        ),
        None => {
            problem("", "the document has no `overlay` version field".to_owned(), "add `overlay: 1.0.0` at the top")
        }
    }
    let info = root.get("info").and_then(Value::as_object);
    if info.is_none_or(|info| !info.contains_key("title") || !info.contains_key("version")) {
        problem(
            "/info",
            "the overlay has no `info` with a title and a version".to_owned(),
            "add `info: {title: ..., version: ...}`",
        );
    }
    let Some(listed) = root.get("actions").and_then(Value::as_array).filter(|actions| !actions.is_empty()) else {
        problem("/actions", "the overlay has no list of actions".to_owned(), "add `actions:` with at least one action");
        return Err(Diagnostics(problems));
    };

    let mut actions = Vec::new();
    for (index, action) in listed.iter().enumerate() {
        let at = |field: &str| format!("/actions/{index}{field}");
        let Some(fields) = action.as_object() else {
            problem(&at(""), format!("action {index} is not a mapping"), "write the action as `- target: ...`");
            continue;
        };
        let description = fields.get("description").and_then(Value::as_str).map(str::trim).unwrap_or_default();
        if description.is_empty() || description.contains('\n') {
            problem(
                &at(""),
                format!("action {index} has no one-line `description`"),
                "say in one line why the project deviates from the published spec here",
            );
        }
        let Some(target) = fields.get("target").and_then(Value::as_str) else {
            problem(&at(""), format!("action {index} has no `target`"), "add a JSONPath `target`, such as `$.paths`");
            continue;
        };
        let path = match JsonPath::parse(target) {
            Ok(path) => path,
            Err(error) => {
                problem(
                    &at("/target"),
                    format!("action {index}'s target is not a JSONPath expression: {error}"),
                    "write the target in RFC 9535 JSONPath, such as `$.components.schemas['Name']`",
                );
                continue;
            }
        };
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(other) => {
                problem(&at("/remove"), format!("`remove` is {other}, not true or false"), "write `remove: true`");
                continue;
            }
        };
        let edit = match (fields.get("update"), remove) {
            (Some(_), true) => {
                problem(&at(""), format!("action {index} both updates and removes"), "split it into two actions");
                continue;
            }
            (Some(update), false) => Edit::Update(update.clone()),
            (None, true) => Edit::Remove,
            (None, false) => {
                problem(
                    &at(""),
                    format!("action {index} neither updates nor removes"),
                    "add `update: ...` or `remove: true`",
                );
                continue;
            }
        };
        actions.push(Action { index, target: target.to_owned(), description: description.to_owned(), path, edit });
    }
    if problems.is_empty() { Ok(Overlay { actions }) } else { Err(Diagnostics(problems)) }
}

/// One step of a location inside the document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies every action to `target`, in order. `overlay` locates the errors.
pub fn apply(overlay: &Overlay, document: &Document, target: &mut Value) -> Result<(), Diagnostics> {
    let mut problems = Vec::new();
    for action in &overlay.actions {
        let pointer = format!("/actions/{}/target", action.index);
        let locations: Vec<Vec<Step>> = action
            .path
            .query_located(target)
            .locations()
            .map(|location| {
                location
                    .iter()
                    .map(|element| match element {
                        PathElement::Name(name) => Step::Key((*name).to_owned()),
                        PathElement::Index(index) => Step::Index(*index),
                    })
                    .collect()
            })
            .collect();
        if locations.is_empty() {
            problems.push(Diagnostic::at(
                document,
                &pointer,
                format!(
                    "action {} (\"{}\") matches nothing: {}",
                    action.index, action.description, action.target
                ),
                "the published spec changed here: point the target at the new place, or remove the action if the deviation is no longer needed",
            ));
            continue;
        }
        match &action.edit {
            Edit::Update(update) => {
                for location in &locations {
                    let Some(node) = node_mut(target, location) else { continue };
                    if let Err(kind) = merge(node, update) {
                        problems.push(Diagnostic::at(
                            document,
                            &pointer,
                            format!(
                                "action {} updates {kind} at {}, which cannot be merged into",
                                action.index,
                                show(location)
                            ),
                            "target the object or list that holds the value, and update it with a mapping",
                        ));
                    }
                }
            }
            Edit::Remove => {
                // Later array items first, so that earlier indices stay valid.
                let mut locations = locations;
                locations.sort_by(|left, right| right.cmp_for_removal(left));
                locations.dedup();
                for location in &locations {
                    if location.is_empty() {
                        problems.push(Diagnostic::at(
                            document,
                            &pointer,
                            format!("action {} removes the whole document", action.index),
                            "target a part of the document",
                        ));
                        continue;
                    }
                    let (parent, last) = location.split_at(location.len() - 1);
                    match (node_mut(target, parent), &last[0]) {
                        (Some(Value::Object(map)), Step::Key(key)) => {
                            map.shift_remove(key);
                        }
                        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                            items.remove(*index);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Diagnostics(problems)) }
}

trait RemovalOrder {
    fn cmp_for_removal(&self, other: &Self) -> std::cmp::Ordering;
}

impl RemovalOrder for Vec<Step> {
    /// Orders locations so that, within one array, a higher index sorts higher.
    fn cmp_for_removal(&self, other: &Self) -> std::cmp::Ordering {
        for (left, right) in self.iter().zip(other) {
            let order = match (left, right) {
                (Step::Index(left), Step::Index(right)) => left.cmp(right),
                (Step::Key(left), Step::Key(right)) => left.cmp(right),
                (Step::Index(_), Step::Key(_)) => std::cmp::Ordering::Less,
                (Step::Key(_), Step::Index(_)) => std::cmp::Ordering::Greater,
            };
            if order.is_ne() {
                return order;
            }
        }
        self.len().cmp(&other.len())
    }
}

fn node_mut<'a>(mut value: &'a mut Value, location: &[Step]) -> Option<&'a mut Value> {
    for step in location {
        value = match (value, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

fn show(location: &[Step]) -> String {
    let mut shown = String::from("$");
    for step in location {
        match step {
            Step::Key(key) => shown.push_str(&format!("['{key}']")),
            Step::Index(index) => shown.push_str(&format!("[{index}]")),
        }
    }
    shown
}

/// Merges `update` into `node` as Overlay 1.0 says: a mapping is merged key by key (recursively
/// for mappings on both sides, replacing anything else); a list gets the update appended (the
/// items of a list update, or the value itself). Anything else cannot be updated.
fn merge(node: &mut Value, update: &Value) -> Result<(), &'static str> {
    match (node, update) {
        (Value::Object(existing), Value::Object(changes)) => {
            merge_maps(existing, changes);
            Ok(())
        }
        (Value::Array(items), Value::Array(more)) => {
            items.extend(more.iter().cloned());
            Ok(())
        }
        (Value::Array(items), value) => {
            items.push(value.clone());
            Ok(())
        }
        (Value::Object(_), _) => Err("a mapping with a value that is not a mapping"),
        (Value::String(_), _) => Err("a string"),
        (Value::Number(_), _) => Err("a number"),
        (Value::Bool(_), _) => Err("a boolean"),
        (Value::Null, _) => Err("a null"),
    }
}

fn merge_maps(existing: &mut Map<String, Value>, changes: &Map<String, Value>) {
    for (key, change) in changes {
        match (existing.get_mut(key), change) {
            (Some(Value::Object(inner)), Value::Object(inner_changes)) => merge_maps(inner, inner_changes),
            _ => {
                existing.insert(key.clone(), change.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{apply, parse};
    use crate::read;

    fn run(overlay: &str, mut target: Value) -> Result<Value, String> {
        let document = read::load("overlay.yaml", overlay.as_bytes()).map_err(|error| error.to_string())?;
        let parsed = parse(&document).map_err(|error| error.to_string())?;
        apply(&parsed, &document, &mut target).map_err(|error| error.to_string())?;
        Ok(target)
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n";

    #[test]
    fn updates_merge_into_mappings_and_append_to_lists() {
        let overlay = format!(
            "{HEAD}  - target: $.paths['/a'].get\n    description: idiomatic id\n    update: {{operationId: get_a, x: {{y: 1}}}}\n  - target: $.tags\n    description: one more tag\n    update: {{name: extra}}\n"
        );
        let after = run(
            &overlay,
            json!({ "paths": { "/a": { "get": { "operationId": "A.Get", "x": { "z": 2 } } } }, "tags": [{ "name": "t" }] }),
        )
        .expect("applies");
        assert_eq!(after["paths"]["/a"]["get"], json!({ "operationId": "get_a", "x": { "z": 2, "y": 1 } }));
        assert_eq!(after["tags"], json!([{ "name": "t" }, { "name": "extra" }]));
    }

    #[test]
    fn removes_take_every_match_even_several_in_one_list() {
        let overlay =
            format!("{HEAD}  - target: $.list[?@.drop == true]\n    description: unwanted\n    remove: true\n");
        let after =
            run(&overlay, json!({ "list": [{ "drop": true }, { "keep": 1 }, { "drop": true }, { "keep": 2 }] }))
                .expect("applies");
        assert_eq!(after["list"], json!([{ "keep": 1 }, { "keep": 2 }]));
    }

    #[test]
    fn an_action_that_matches_nothing_is_an_error_naming_it() {
        let overlay = format!(
            "{HEAD}  - target: $.components.schemas['Gone']\n    description: keep the secret hidden\n    update: {{format: password}}\n"
        );
        let message = run(&overlay, json!({ "components": { "schemas": {} } })).expect_err("matches nothing");
        assert!(message.contains("action 0 (\"keep the secret hidden\") matches nothing"), "{message}");
        assert!(message.contains("overlay.yaml:4"), "{message}");
        assert!(message.contains("(at /actions/0/target)"), "{message}");
    }

    #[test]
    fn malformed_overlays_are_located() {
        let cases = [
            (
                "overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $, description: d, remove: true}]\n",
                "version 2.0.0",
            ),
            (&format!("{HEAD}  - target: $..[\n    description: d\n    remove: true\n"), "not a JSONPath"),
            (&format!("{HEAD}  - target: $.a\n    update: {{}}\n"), "no one-line `description`"),
            (&format!("{HEAD}  - target: $.a\n    description: d\n"), "neither updates nor removes"),
            (
                &format!("{HEAD}  - target: $.a\n    description: d\n    update: {{}}\n    remove: true\n"),
                "both updates and removes",
            ),
            ("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: []\n", "no list of actions"),
        ];
        for (overlay, expected) in cases {
            let message = run(overlay, json!({ "a": {} })).expect_err(expected);
            assert!(message.contains(expected), "{expected}: {message}");
            assert!(message.contains("help:"), "{message}");
        }
        let message = run(
            &format!("{HEAD}  - target: $.a.b\n    description: d\n    update: {{x: 1}}\n"),
            json!({ "a": { "b": "text" } }),
        )
        .expect_err("a string");
        assert!(message.contains("updates a string at $['a']['b']"), "{message}");
    }
}
