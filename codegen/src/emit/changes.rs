//! What changed in an API between two versions of its document: operations and schemas added or
//! removed, and fields whose type, format, nullability, read-only-ness or description changed.
//!
//! Both documents are compared as published (OpenAPI 3.0 or 3.1): nullability written as
//! `nullable: true`, as `type: [T, "null"]` or as a union with `{type: "null"}` is the same fact.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::read::openapi::HttpMethod;

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

/// What a change of the API means for the SDK's Rust API, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Only documentation changes (rustdoc, the docs pages).
    DocsOnly,
    /// New items, and nothing a user's code relies on changes: a minor release.
    Additive,
    /// Code that compiled against the SDK may not compile, or may decode differently.
    Breaking,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DocsOnly => "docs only",
            Self::Additive => "additive",
            Self::Breaking => "breaking",
        })
    }
}

/// Where a change is, as the summary's path says.
enum Place<'a> {
    Operation,
    Parameter,
    Schema,
    Field { schema: &'a str, field: &'a str },
}

fn place(path: &str) -> Place<'_> {
    if path.starts_with("schema ") {
        Place::Schema
    } else if path.contains(" parameter ") {
        Place::Parameter
    } else if path.contains(' ') {
        Place::Operation
    } else {
        let (schema, field) = path.rsplit_once('.').unwrap_or((path, ""));
        Place::Field { schema, field }
    }
}

/// What `change` means for the SDK's users, and why. `after` is the new document, which says
/// whether an added field is required. The rules follow the SDK's shape (ARCHITECTURE.md,
/// "Models that can grow"): models and enums are `#[non_exhaustive]` and built through `new` and
/// `with_` setters, so new fields, values, types and operations are additive; operations take
/// their parameters positionally, so a new parameter changes a signature; and any change to a
/// Rust type, or to what decodes, is breaking.
pub fn classify(change: &Change, after: &Value) -> (Impact, &'static str) {
    use Impact::{Additive, Breaking, DocsOnly};
    match (&change.kind, place(&change.path)) {
        (ChangeKind::Added, Place::Operation) => (Additive, "a new Client method and Operation variant"),
        (ChangeKind::Removed, Place::Operation) => (Breaking, "a Client method is removed"),
        (ChangeKind::Added, Place::Parameter) => (Breaking, "the operation's method takes one more argument"),
        (ChangeKind::Removed, Place::Parameter) => (Breaking, "the operation's method takes one argument less"),
        (ChangeKind::Added, Place::Schema) => (Additive, "a new model type"),
        (ChangeKind::Removed, Place::Schema) => (Breaking, "a model type is removed"),
        (ChangeKind::Added, Place::Field { schema, field }) => {
            if is_required(after, schema, field) {
                (Breaking, "a required field: the model's `new` takes one more argument")
            } else {
                (Additive, "a new optional field and its setter (models are #[non_exhaustive])")
            }
        }
        (ChangeKind::Removed, Place::Field { .. }) => (Breaking, "a field and its setter are removed"),
        (ChangeKind::Changed { aspect: "description", .. }, _) => (DocsOnly, "documentation only"),
        (ChangeKind::Changed { aspect: "nullable", after, .. }, _) if after == "false" => {
            (Breaking, "null no longer decodes: an answer that holds it fails to decode")
        }
        (ChangeKind::Changed { aspect: "nullable", .. }, Place::Field { schema, field })
            if is_required(after, schema, field) =>
        {
            (Breaking, "null now decodes: a required value becomes an Option in Rust")
        }
        (ChangeKind::Changed { aspect: "nullable", .. }, _) => {
            (Additive, "null now decodes, as None: the field is an Option already")
        }
        (ChangeKind::Changed { aspect: "readOnly", after, .. }, _) if after == "true" => {
            (Breaking, "the field is no longer writable: its update setter is removed")
        }
        (ChangeKind::Changed { aspect: "readOnly", .. }, _) => {
            (Additive, "the field becomes writable: its update builder gains a setter")
        }
        (ChangeKind::Changed { aspect: "enum", before, after }, _) => {
            let old: BTreeSet<&str> = before.split(", ").collect();
            let new: BTreeSet<&str> = after.split(", ").collect();
            if old.is_subset(&new) {
                (Additive, "new enum values (enums are #[non_exhaustive])")
            } else {
                (Breaking, "an enum value is removed")
            }
        }
        (ChangeKind::Changed { aspect: "required", .. }, _) => {
            (Breaking, "the field's Rust type changes between T and Option<T>")
        }
        (ChangeKind::Changed { aspect: "operationId", .. }, _) => {
            (Breaking, "a method without a name hint is named after its operation id")
        }
        (ChangeKind::Changed { .. }, _) => (Breaking, "a Rust type changes"),
    }
}

/// Whether `after` lists `field` among the required properties of the component schema `schema`.
fn is_required(after: &Value, schema: &str, field: &str) -> bool {
    after
        .pointer(&format!("/components/schemas/{}/required", schema.replace('~', "~0").replace('/', "~1")))
        .and_then(Value::as_array)
        .is_some_and(|names| names.iter().any(|name| name.as_str() == Some(field)))
}

/// The version an SDK at `current` (`MAJOR.MINOR.PATCH`) takes for changes of `impact`, by
/// Cargo's rules: below 1.0 the minor number is the breaking one.
pub fn next_version(current: &str, impact: Impact) -> Option<String> {
    let core = current.split(['-', '+']).next()?;
    let mut numbers = core.split('.').map(|part| part.parse::<u64>().ok());
    let (major, minor, patch) = (numbers.next()??, numbers.next()??, numbers.next()??);
    if numbers.next().is_some() {
        return None;
    }
    Some(match (major, impact) {
        (0, Impact::Breaking) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Impact::Breaking) => format!("{}.0.0", major + 1),
        (_, Impact::Additive) => format!("{major}.{}.0", minor + 1),
        (_, Impact::DocsOnly) => format!("{major}.{minor}.{}", patch + 1),
    })
}

/// `changelog` (Keep a Changelog layout) with `changes` added to its `## [Unreleased]` section
/// (created above the first release when missing): each under `### Added`, `### Changed` or
/// `### Removed`, after what the subsection already lists, breaking ones marked, each naming
/// `source` (the document it came with). The rest of the file is kept as it is.
pub fn changelog_with(changelog: &str, source: &str, changes: &[(Change, Impact, &str)]) -> String {
    const UNRELEASED: &str = "## [Unreleased]";
    let text = changelog.replace("\r\n", "\n");
    let (before, section, after) = match text.find(&format!("{UNRELEASED}\n")) {
        Some(at) => {
            let body = at + UNRELEASED.len() + 1;
            let end = text[body..].find("\n## ").map_or(text.len(), |next| body + next + 1);
            (&text[..at], &text[body..end], &text[end..])
        }
        None => {
            let at = text.find("\n## ").map_or(text.len(), |at| at + 1);
            (&text[..at], "", &text[at..])
        }
    };
    // The section's own text before its first subsection, then its subsections in order.
    let mut preamble = Vec::new();
    let mut subsections: Vec<(String, Vec<String>)> = Vec::new();
    for line in section.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            subsections.push((heading.to_owned(), Vec::new()));
        } else if let Some((_, lines)) = subsections.last_mut() {
            lines.push(line.to_owned());
        } else {
            preamble.push(line.to_owned());
        }
    }
    for (heading, class) in
        [("Added", ChangeClass::Added), ("Changed", ChangeClass::Changed), ("Removed", ChangeClass::Removed)]
    {
        let lines: Vec<String> = changes
            .iter()
            .filter(|(change, _, _)| ChangeClass::of(&change.kind) == class)
            .map(|(change, impact, reason)| {
                let mark = if *impact == Impact::Breaking { "**Breaking:** " } else { "" };
                format!("- {mark}{} ({impact}: {reason}; {source})", markdown_text(&change.to_string()))
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        match subsections.iter_mut().find(|(existing, _)| existing == heading) {
            Some((_, existing)) => {
                while existing.last().is_some_and(|line| line.trim().is_empty()) {
                    existing.pop();
                }
                existing.extend(lines);
            }
            None => subsections.push((heading.to_owned(), lines)),
        }
    }
    let mut out = before.to_owned();
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(&format!("{UNRELEASED}\n\n"));
    let preamble = preamble.join("\n");
    if !preamble.trim().is_empty() {
        out.push_str(&format!("{}\n\n", preamble.trim()));
    }
    for (heading, lines) in subsections {
        let body = lines.join("\n");
        out.push_str(&format!("### {heading}\n\n{}\n\n", body.trim()));
    }
    out.push_str(after);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeClass {
    Added,
    Changed,
    Removed,
}

impl ChangeClass {
    fn of(kind: &ChangeKind) -> Self {
        match kind {
            ChangeKind::Added => Self::Added,
            ChangeKind::Removed => Self::Removed,
            ChangeKind::Changed { .. } => Self::Changed,
        }
    }
}

/// Text from a document as Markdown shows it literally: in a code span when it holds characters
/// Markdown would read, with control characters escaped.
fn markdown_text(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
        .collect();
    escaped
        .replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
        .replace('<', "&lt;")
        .replace('[', "\\[")
}

/// The facts of one field (a property, a parameter) that the summary compares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Facts {
    kind: String,
    format: Option<String>,
    nullable: bool,
    read_only: bool,
    description: Option<String>,
    /// The enum's values, as shown, joined with `, `.
    values: Option<String>,
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
        changed(
            changes,
            &format!("schema {name}"),
            "enum",
            shown_values(enum_values(old_schema)),
            shown_values(enum_values(new_schema)),
        );
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
    changed(changes, path, "enum", shown_values(old.values.clone()), shown_values(new.values.clone()));
}

fn shown_values(values: Option<String>) -> String {
    values.unwrap_or_else(|| "none".to_owned())
}

/// The values of an `enum`, each as JSON, joined with `, `.
fn enum_values(schema: &Value) -> Option<String> {
    let values = schema.get("enum")?.as_array()?;
    Some(values.iter().map(Value::to_string).collect::<Vec<_>>().join(", "))
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
        values: enum_values(target),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{Change, ChangeKind, Impact, changelog_with, classify, compare, next_version};

    fn schemas(schemas: serde_json::Value) -> serde_json::Value {
        json!({ "paths": {}, "components": { "schemas": schemas } })
    }

    /// The impact of every change from `before` to `after`, by path and aspect.
    fn impacts(before: &serde_json::Value, after: &serde_json::Value) -> Vec<(String, Impact)> {
        compare(before, after)
            .iter()
            .map(|change| {
                let what = match &change.kind {
                    ChangeKind::Added => format!("+ {}", change.path),
                    ChangeKind::Removed => format!("- {}", change.path),
                    ChangeKind::Changed { aspect, .. } => format!("~ {} {aspect}", change.path),
                };
                (what, classify(change, after).0)
            })
            .collect()
    }

    #[test]
    fn each_change_is_classed_for_the_rust_api_in_both_directions() {
        let small = schemas(json!({
            "Job": { "type": "object", "required": ["name"], "properties": {
                "name": { "type": "string" },
                "note": { "type": "string", "description": "old words" },
                "when": { "type": "string", "format": "date-time", "nullable": true },
                "state": { "type": "string", "enum": ["on", "off"] },
                "id": { "type": "string", "readOnly": true } } }
        }));
        let grown = schemas(json!({
            "Job": { "type": "object", "required": ["name", "owner"], "properties": {
                "name": { "type": "string" },
                "note": { "type": "string", "description": "new words" },
                "when": { "type": "string", "format": "date-time" },
                "state": { "type": "string", "enum": ["on", "off", "paused"] },
                "id": { "type": "string" },
                "owner": { "type": "string" },
                "tag": { "type": "string" } } },
            "Extra": { "type": "object" }
        }));
        use Impact::{Additive, Breaking, DocsOnly};
        let mut forward = impacts(&small, &grown);
        forward.sort();
        assert_eq!(
            forward,
            [
                ("+ Job.owner".to_owned(), Breaking),
                ("+ Job.tag".to_owned(), Additive),
                ("+ schema Extra".to_owned(), Additive),
                ("~ Job.id readOnly".to_owned(), Additive),
                ("~ Job.note description".to_owned(), DocsOnly),
                ("~ Job.state enum".to_owned(), Additive),
                ("~ Job.when nullable".to_owned(), Breaking),
            ]
        );
        let mut backward = impacts(&grown, &small);
        backward.sort();
        assert_eq!(
            backward,
            [
                ("- Job.owner".to_owned(), Breaking),
                ("- Job.tag".to_owned(), Breaking),
                ("- schema Extra".to_owned(), Breaking),
                ("~ Job.id readOnly".to_owned(), Breaking),
                ("~ Job.note description".to_owned(), DocsOnly),
                ("~ Job.state enum".to_owned(), Breaking),
                ("~ Job.when nullable".to_owned(), Additive),
            ]
        );
    }

    #[test]
    fn the_next_version_follows_cargos_rules() {
        assert_eq!(next_version("0.2.0", Impact::Breaking).as_deref(), Some("0.3.0"));
        assert_eq!(next_version("0.2.0", Impact::Additive).as_deref(), Some("0.2.1"));
        assert_eq!(next_version("0.2.3", Impact::DocsOnly).as_deref(), Some("0.2.4"));
        assert_eq!(next_version("1.4.2", Impact::Breaking).as_deref(), Some("2.0.0"));
        assert_eq!(next_version("1.4.2", Impact::Additive).as_deref(), Some("1.5.0"));
        assert_eq!(next_version("1.4.2", Impact::DocsOnly).as_deref(), Some("1.4.3"));
        assert_eq!(next_version("1.4.2-beta.1", Impact::Additive).as_deref(), Some("1.5.0"));
        assert_eq!(next_version("one", Impact::Additive), None);
    }

    #[test]
    fn changelog_entries_go_under_unreleased_and_keep_the_rest() {
        let start = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- an earlier entry\n\n## [0.1.0] - 2026-01-01\n\n- first\n";
        let added = Change { path: "GET /x".to_owned(), kind: ChangeKind::Added };
        let removed = Change { path: "Job.name".to_owned(), kind: ChangeKind::Removed };
        let text = changelog_with(
            start,
            "API document of 2026-12-01",
            &[(added, Impact::Additive, "a new method"), (removed, Impact::Breaking, "a field is removed")],
        );
        assert_eq!(
            text,
            "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- an earlier entry\n\
             - + GET /x (additive: a new method; API document of 2026-12-01)\n\n### Removed\n\n\
             - **Breaking:** - Job.name (breaking: a field is removed; API document of 2026-12-01)\n\n\
             ## [0.1.0] - 2026-01-01\n\n- first\n"
        );
        let fresh = changelog_with(
            "# Changelog\n",
            "doc",
            &[(Change { path: "A.b".to_owned(), kind: ChangeKind::Added }, Impact::Additive, "r")],
        );
        assert_eq!(fresh, "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- + A.b (additive: r; doc)\n\n");
    }

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
