//! Checks a loaded spec before progenitor sees it, so that every problem is reported with its place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::load::Document;

use crate::api::HttpMethod;

/// Checks the document and converts it to progenitor's model of OpenAPI.
pub fn validate(document: &Document) -> Result<openapiv3::OpenAPI, Diagnostics> {
    let Value::Object(root) = &document.value else {
        return Err(Diagnostic::at(
            document,
            "",
            format!("the document is {}, not a mapping", describe(&document.value)),
            "an OpenAPI document is a mapping that starts with `openapi: 3.0.3`",
        )
        .into());
    };
    check_version(document, root)?;

    let mut problems = Vec::new();
    walk(document, &document.value, String::new(), &mut problems);
    // Cycles make progenitor recurse without end, and every check that follows references would
    // misread them: they are found first, and alone.
    check_reference_cycles(document, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    check_operations(document, &mut problems);
    check_rust_names(document, &mut problems);
    check_schemas(document, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }

    // Straight from the value, without a copy; only a failure is replayed with
    // serde_path_to_error, which is slower, to find the pointer of the offending node.
    if let Ok(spec) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&document.value) {
        return Ok(spec);
    }
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document.value).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let message = format!("the document does not fit OpenAPI 3.0: {}", error.inner());
        Diagnostic::at(document, &pointer, message, "correct the node to match the OpenAPI 3.0.3 schema").into()
    })
}

/// Checks the `openapi` field: 3.0.x or 3.1.x (a Swagger 2.0 or any other version is refused).
pub fn check_version(document: &Document, root: &serde_json::Map<String, Value>) -> Result<(), Diagnostics> {
    if let Some(swagger) = root.get("swagger") {
        let found = swagger.as_str().map_or_else(|| swagger.to_string(), str::to_owned);
        return Err(Diagnostic::at(
            document,
            "/swagger",
            format!("this is a Swagger {found} document; only OpenAPI 3.0.x and 3.1.x are supported"),
            "convert it to OpenAPI 3.0.3 first (for example with swagger2openapi)",
        )
        .into());
    }
    let Some(version) = root.get("openapi") else {
        return Err(Diagnostic::at(
            document,
            "",
            "the document has no `openapi` version field",
            "add `openapi: 3.0.3` at the top",
        )
        .into());
    };
    let Some(version) = version.as_str() else {
        return Err(Diagnostic::at(
            document,
            "/openapi",
            format!("the `openapi` field is {}, not a string", describe(version)),
            "quote the version: `openapi: \"3.0.3\"`",
        )
        .into());
    };
    if version.starts_with("3.0.") || version.starts_with("3.1.") {
        return Ok(());
    }
    let help = "write the document as OpenAPI 3.1.x or 3.0.x";
    Err(Diagnostic::at(
        document,
        "/openapi",
        format!("OpenAPI version {version} is not supported; only 3.0.x and 3.1.x are"),
        help,
    )
    .into())
}

/// Visits every structural node (not example or default data): references must resolve, and
/// 3.1-style type lists are refused.
fn walk(document: &Document, value: &Value, pointer: String, problems: &mut Vec<Diagnostic>) {
    crate::references::for_each_structural_object(value, &pointer, &mut |map, pointer| {
        if let Some(Value::String(reference)) = map.get("$ref") {
            check_reference(document, reference, &format!("{pointer}/$ref"), problems);
        }
        if let Some(Value::Array(types)) = map.get("type") {
            let listed: Vec<String> = types.iter().map(|kind| kind.to_string()).collect();
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/type"),
                format!("`type` is a list [{}], which OpenAPI 3.0 does not allow", listed.join(", ")),
                "declare `openapi: 3.1.0` if the document is 3.1, or give one type and `nullable: true`",
            ));
        }
    });
}

fn check_reference(document: &Document, reference: &str, at: &str, problems: &mut Vec<Diagnostic>) {
    let Some(target) = reference.strip_prefix('#') else {
        problems.push(Diagnostic::at(
            document,
            at,
            format!("the reference {reference:?} points outside this file"),
            "copy the referenced definition into components and use a `#/components/...` reference",
        ));
        return;
    };
    if document.get(target).is_none() {
        problems.push(Diagnostic::at(
            document,
            at,
            format!("the reference {reference:?} points to nothing in this file"),
            "fix the name, or add the missing definition under components",
        ));
    }
}

/// Names that become one Rust name after case conversion would give code that does not compile
/// (two structs, two methods or two fields of one name): each such pair is an error naming both.
fn check_rust_names(document: &Document, problems: &mut Vec<Diagnostic>) {
    let mut collide = |kinds: &str, names: Vec<(String, String)>, convert: &dyn Fn(&str) -> String| {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (name, pointer) in names {
            let rust = convert(&name);
            if let Some(first) = seen.get(&rust) {
                if *first == name {
                    // The same name twice is a duplicate, which `check_operations` reports.
                    continue;
                }
                problems.push(Diagnostic::at(
                    document,
                    &pointer,
                    format!("the {kinds} {first:?} and {name:?} both become `{rust}` in Rust"),
                    "rename one of them (in the spec, or with an overlay action) so that they differ in more than case and punctuation",
                ));
            } else {
                seen.insert(rust, name);
            }
        }
    };
    if let Some(schemas) = document.get("/components/schemas").and_then(Value::as_object) {
        let names = schemas
            .keys()
            .map(|name| (name.clone(), format!("/components/schemas/{}", escape_pointer_token(name))))
            .collect();
        collide("schemas", names, &crate::models::rust_type_name);
        for (schema_name, schema) in schemas {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else { continue };
            let pointer = format!("/components/schemas/{}/properties", escape_pointer_token(schema_name));
            let names = properties
                .keys()
                .map(|name| (name.clone(), format!("{pointer}/{}", escape_pointer_token(name))))
                .collect();
            collide("properties", names, &crate::models::rust_snake_name);
        }
    }
    if let Some(paths) = document.get("/paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let item_pointer = format!("/paths/{}", escape_pointer_token(path));
            for method in HttpMethod::ALL.map(HttpMethod::key) {
                let Some(operation) = item.get(method) else { continue };
                let pointer = format!("{item_pointer}/{method}");
                // The parameters become the arguments of one method.
                let mut parameters = Vec::new();
                for (list, list_pointer) in [
                    (item.get("parameters"), format!("{item_pointer}/parameters")),
                    (operation.get("parameters"), format!("{pointer}/parameters")),
                ] {
                    for (index, parameter) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                        let name = resolve(document, parameter).and_then(|parameter| parameter.get("name"));
                        if let Some(name) = name.and_then(Value::as_str) {
                            parameters.push((name.to_owned(), format!("{list_pointer}/{index}")));
                        }
                    }
                }
                collide("parameters", parameters, &crate::models::rust_snake_name);
            }
        }
    }
}

/// Checks operation ids, path parameters and the media types that progenitor handles.
fn check_operations(document: &Document, problems: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = document.get("/paths") else {
        return;
    };
    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        let Value::Object(item) = item else { continue };
        if item.contains_key("$ref") {
            problems.push(Diagnostic::at(
                document,
                &format!("{item_pointer}/$ref"),
                format!("the path {path} is a $ref, which the generator does not follow"),
                "write the path item's operations out under the path",
            ));
            continue;
        }
        let placeholders = placeholders(path);
        let shared_parameters =
            path_parameters(document, item.get("parameters"), &format!("{item_pointer}/parameters"));
        for method in HttpMethod::ALL.map(HttpMethod::key) {
            let Some(Value::Object(operation)) = item.get(method) else { continue };
            let pointer = format!("{item_pointer}/{method}");
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                if let Some(first) = seen_ids.get(id) {
                    problems.push(Diagnostic::at(
                        document,
                        &format!("{pointer}/operationId"),
                        format!("the operationId {id:?} is used twice (first at {first})"),
                        "give every operation its own operationId",
                    ));
                } else {
                    seen_ids.insert(id, format!("{pointer}/operationId"));
                }
            }

            let mut declared = shared_parameters.clone();
            declared.extend(path_parameters(document, operation.get("parameters"), &format!("{pointer}/parameters")));
            for name in &placeholders {
                if !declared.contains_key(name) {
                    problems.push(Diagnostic::at(
                        document,
                        &pointer,
                        format!(
                            "the path parameter {{{name}}} of {path} is not declared for {}",
                            method.to_uppercase()
                        ),
                        format!("add a parameter with `name: {name}`, `in: path` and `required: true`"),
                    ));
                }
            }
            for (name, at) in &declared {
                if !placeholders.contains(name) {
                    problems.push(Diagnostic::at(
                        document,
                        at,
                        format!("the path parameter {name:?} does not appear in the path {path}"),
                        format!("add {{{name}}} to the path, or change `in: path`"),
                    ));
                }
            }

            if let Some(Value::Object(content)) = operation
                .get("requestBody")
                .and_then(|body| resolve(document, body))
                .and_then(|body| body.get("content"))
                && content.len() > 1
            {
                let types: Vec<&str> = content.keys().map(String::as_str).collect();
                problems.push(Diagnostic::at(
                    document,
                    &format!("{pointer}/requestBody/content"),
                    format!("the request body offers {} media types ({})", types.len(), types.join(", ")),
                    "keep exactly one media type per request body (application/json)",
                ));
            }
            if let Some(Value::Object(responses)) = operation.get("responses") {
                for (status, response) in responses {
                    let response_pointer = format!("{pointer}/responses/{}", escape_pointer_token(status));
                    let Some(Value::Object(content)) =
                        resolve(document, response).and_then(|response| response.get("content"))
                    else {
                        continue;
                    };
                    for (media_type, media) in content {
                        if media.get("encoding").is_some() {
                            problems.push(Diagnostic::at(
                                document,
                                &format!("{response_pointer}/content/{}/encoding", escape_pointer_token(media_type)),
                                "a response declares `encoding`, which only applies to request bodies",
                                "remove `encoding` from the response",
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// The `{name}` placeholders of a path template.
fn placeholders(path: &str) -> BTreeSet<String> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned())).collect()
}

/// The path parameters declared in a `parameters` list, by name, with where each is declared.
fn path_parameters(document: &Document, parameters: Option<&Value>, pointer: &str) -> BTreeMap<String, String> {
    let Some(Value::Array(parameters)) = parameters else {
        return BTreeMap::new();
    };
    parameters
        .iter()
        .enumerate()
        .filter_map(|(index, parameter)| {
            let parameter = resolve(document, parameter)?;
            if parameter.get("in").and_then(Value::as_str) != Some("path") {
                return None;
            }
            let name = parameter.get("name").and_then(Value::as_str)?;
            Some((name.to_owned(), format!("{pointer}/{index}")))
        })
        .collect()
}

/// Follows a local `$ref` (a few hops at most); a dangling one yields `None` and is reported elsewhere.
/// Follows `$ref`s to what they name; `None` for a dangling reference or a cycle (both reported
/// elsewhere). Any number of hops is followed; a hop seen twice ends the walk.
fn resolve<'a>(document: &'a Document, mut value: &'a Value) -> Option<&'a Value> {
    let mut seen = BTreeSet::new();
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        if !seen.insert(reference) {
            return None;
        }
        value = document.get(reference.strip_prefix('#')?)?;
    }
    Some(value)
}

/// The component kind a `$ref` at `pointer` (the pointer of the object that holds it) must name.
fn expected_reference_kind(pointer: &str) -> Option<&'static str> {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let in_schema = tokens.first() == Some(&"components") && tokens.get(1) == Some(&"schemas")
        || tokens.contains(&"schema")
        || tokens.contains(&"schemas");
    if in_schema {
        return Some("schemas");
    }
    let last = tokens.last().copied().unwrap_or_default();
    let before_last = tokens.len().checked_sub(2).and_then(|index| tokens.get(index)).copied().unwrap_or_default();
    match (before_last, last) {
        ("parameters", _) => Some("parameters"),
        (_, "requestBody") | ("requestBodies", _) => Some("requestBodies"),
        ("responses", _) => Some("responses"),
        ("headers", _) => Some("headers"),
        _ => None,
    }
}

/// Schema-level checks progenitor would otherwise pass over silently or crash on: references of
/// the wrong kind, `required` names without a property, integer formats without a Rust type,
/// and path keys without their leading `/`.
fn check_schemas(document: &Document, problems: &mut Vec<Diagnostic>) {
    crate::references::for_each_structural_object(&document.value, "", &mut |map, pointer| {
        if let Some(Value::String(reference)) = map.get("$ref")
            && let Some(expected) = expected_reference_kind(pointer)
        {
            let kind_ok = reference
                .strip_prefix("#/components/")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(kind, name)| kind == expected && !name.is_empty() && !name.contains('/'));
            if !kind_ok && document.get(reference.strip_prefix('#').unwrap_or("?")).is_some() {
                problems.push(Diagnostic::at(
                    document,
                    &format!("{pointer}/$ref"),
                    format!(
                        "the reference {reference:?} does not name one of #/components/{expected}, as this place needs"
                    ),
                    format!("point it at an entry of #/components/{expected}"),
                ));
            }
        }
        let Some(properties) = map.get("properties").and_then(Value::as_object) else {
            if let (Some("integer"), Some(format)) =
                (map.get("type").and_then(Value::as_str), map.get("format").and_then(Value::as_str))
                && !INTEGER_FORMATS.contains(&format)
            {
                problems.push(Diagnostic::at(
                    document,
                    &format!("{pointer}/format"),
                    format!(
                        "the integer format {format:?} has no Rust type here; it would be read as a 64-bit integer"
                    ),
                    format!("use one of {}, or a string for larger numbers", INTEGER_FORMATS.join(", ")),
                ));
            }
            return;
        };
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            for (index, name) in required.iter().enumerate() {
                if let Some(name) = name.as_str()
                    && !properties.contains_key(name)
                    && map.get("additionalProperties").is_none_or(|extra| extra == &Value::Bool(false))
                {
                    problems.push(Diagnostic::at(
                        document,
                        &format!("{pointer}/required/{index}"),
                        format!("{name:?} is required but the schema has no such property"),
                        "add the property, or remove the name from `required`",
                    ));
                }
            }
        }
    });
    if let Some(paths) = document.get("/paths").and_then(Value::as_object) {
        for path in paths.keys().filter(|path| !path.starts_with('/')) {
            problems.push(Diagnostic::at(
                document,
                &format!("/paths/{}", escape_pointer_token(path)),
                format!("the path {path:?} does not start with `/`, so its operations would have no URL"),
                format!("write it as \"/{path}\""),
            ));
        }
    }
}

/// The integer formats progenitor gives a Rust type of their own width.
const INTEGER_FORMATS: [&str; 9] = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "uint"];

/// Reference cycles that would make progenitor recurse forever: components that are nothing
/// but a `$ref` to each other, and schemas that contain themselves through `allOf`, `oneOf`,
/// `anyOf`, `not` or an alias, with no property or list between (a struct that holds itself).
fn check_reference_cycles(document: &Document, problems: &mut Vec<Diagnostic>) {
    let Some(components) = document.get("/components").and_then(Value::as_object) else { return };
    // The graph: every component, and the components it stands for or contains directly.
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (kind, entries) in components {
        let Some(entries) = entries.as_object() else { continue };
        for (name, value) in entries {
            let node = format!("/components/{kind}/{}", escape_pointer_token(name));
            let mut targets = Vec::new();
            if kind == "schemas" {
                containing_references(Some(value), &mut targets);
            } else if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
                targets.extend(reference.strip_prefix('#').map(str::to_owned));
            }
            targets.retain(|target| document.get(target).is_some());
            edges.insert(node, targets);
        }
    }
    // Depth first, without recursion; a target still on the stack closes a cycle.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1: on the stack, 2: done
    for start in edges.keys() {
        if state.contains_key(start.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        state.insert(start, 1);
        while let Some((node, next)) = stack.pop() {
            let targets = edges.get(node).map(Vec::as_slice).unwrap_or_default();
            let Some(target) = targets.get(next) else {
                state.insert(node, 2);
                continue;
            };
            stack.push((node, next + 1));
            match state.get(target.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|(member, _)| *member == target.as_str()).unwrap_or(0);
                    let names: Vec<&str> = stack[from..]
                        .iter()
                        .map(|(member, _)| *member)
                        .chain([target.as_str()])
                        .map(|pointer| pointer.rsplit('/').next().unwrap_or_default())
                        .collect();
                    problems.push(Diagnostic::at(
                        document,
                        target,
                        format!("{} refers to itself: {}", names[0], names.join(" → ")),
                        "break the cycle: a schema can hold itself only through a property or a list item, \
                         and a parameter, response or request body must end in a definition",
                    ));
                }
                Some(_) => {}
                None => {
                    state.insert(target, 1);
                    stack.push((target, 0));
                }
            }
        }
    }
}

/// The schemas a schema contains without indirection: its own `$ref` and those of its
/// `allOf`, `oneOf`, `anyOf` and `not`, recursively through inline schemas there.
fn containing_references(schema: Option<&Value>, out: &mut Vec<String>) {
    let Some(schema) = schema else { return };
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            out.extend(reference.strip_prefix('#').map(str::to_owned));
        }
        for combinator in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(alternatives)) = schema.get(combinator) {
                pending.extend(alternatives.iter());
            }
        }
        if let Some(not) = schema.get("not") {
            pending.push(not);
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Turns serde_path_to_error's path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(format!("/{index}")),
            Segment::Map { key } => Some(format!("/{}", escape_pointer_token(key))),
            Segment::Enum { variant } => Some(format!("/{}", escape_pointer_token(variant))),
            Segment::Unknown => None,
        })
        .collect()
}
