//! Checks a loaded spec before progenitor sees it, so that every problem is reported with its place.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::read::Document;

use crate::read::openapi::HttpMethod;

/// Checks the document and converts it to progenitor's model of OpenAPI. The checks share the
/// rayon pool they run on; the problems come out in the order one thread would find them.
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

    // The checks only read the document; they run side by side.
    let collect = |check: &dyn Fn(&mut Vec<Diagnostic>)| {
        let mut problems = Vec::new();
        check(&mut problems);
        problems
    };
    // Cycles make progenitor recurse without end, and every check that follows references would
    // misread them: they are found first, with the references themselves.
    let (mut problems, cycles) = rayon::join(
        || collect(&|problems| walk(document, &document.value, String::new(), problems)),
        || collect(&|problems| check_reference_cycles(document, problems)),
    );
    problems.extend(cycles);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    // The checks, and the schemas in runs of subtrees, are shared out; the problems come out in
    // the order one thread would have found them.
    enum Check<'a> {
        Document,
        Schemas(&'a [(String, &'a Value, bool)]),
        Operations,
    }
    let subtrees = crate::read::walk::subtrees_of(root);
    let checks: Vec<Check<'_>> = std::iter::once(Check::Document)
        .chain(subtrees.chunks(64).map(Check::Schemas))
        .chain([Check::Operations])
        .collect();
    let problems: Vec<Diagnostic> = checks
        .par_iter()
        .map(|check| {
            collect(&|problems| match check {
                Check::Document => {
                    check_operations(document, problems);
                    check_rust_names(document, problems);
                    check_schemas(document, problems);
                }
                Check::Schemas(subtrees) => {
                    for (pointer, value, in_name_map) in *subtrees {
                        check_generatable_schemas(document, value, pointer, *in_name_map, problems);
                    }
                }
                Check::Operations => check_generatable_operations(document, problems),
            })
        })
        .flatten()
        .collect();
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }

    if let Some(spec) = read_by_sections(root) {
        return Ok(spec);
    }
    // Only a failure is read again with serde_path_to_error, which is slower, to find the pointer
    // of the offending node.
    serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&document.value).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let message = format!("the document does not fit OpenAPI 3.0: {}", error.inner());
        Diagnostic::at(document, &pointer, message, "correct the node to match the OpenAPI 3.0.3 schema").into()
    })
}

/// progenitor's model of the document, read section by section; `None` when a section does not
/// read (the caller then reads the whole document again to find where).
///
/// serde reads a struct with a flattened field (every OpenAPI object keeps its `x-` extensions
/// so) by first copying the whole subtree under it. Read as one value, the document would be
/// copied whole for the root, again for `paths` and again for `components`; here those three are
/// read with their large members stood in for by `{}`, and the members (each path item, the
/// schemas) are read on their own, in runs shared over the pool. The result is the same as
/// `OpenAPI::deserialize` of the whole (a test holds the two together).
fn read_by_sections(root: &serde_json::Map<String, Value>) -> Option<openapiv3::OpenAPI> {
    use openapiv3::{Components, OpenAPI, PathItem, ReferenceOr, Schema};
    use serde::Deserialize as _;
    let empty = || Value::Object(serde_json::Map::new());
    let without = |map: &serde_json::Map<String, Value>, large: &[&str]| {
        let light: serde_json::Map<String, Value> = map
            .iter()
            .map(|(key, value)| {
                let stand_in = large.contains(&key.as_str()) && value.is_object();
                (key.clone(), if stand_in { empty() } else { value.clone() })
            })
            .collect();
        Value::Object(light)
    };
    // The path items and the schemas are read in runs.
    enum Run<'a> {
        Paths(&'a [(&'a String, &'a Value)]),
        Schemas(&'a [(&'a String, &'a Value)]),
    }
    enum Read {
        Paths(Vec<(String, ReferenceOr<PathItem>)>),
        Schemas(Vec<(String, ReferenceOr<Schema>)>),
    }
    const RUN: usize = 64;
    let paths: Vec<(&String, &Value)> = root.get("paths")?.as_object()?.iter().collect();
    let components = root.get("components").map(Value::as_object);
    let schemas: Vec<(&String, &Value)> = match components {
        Some(Some(components)) => match components.get("schemas") {
            Some(Value::Object(schemas)) => schemas.iter().collect(),
            Some(_) => return None,
            None => Vec::new(),
        },
        Some(None) => return None,
        None => Vec::new(),
    };
    let runs: Vec<Run<'_>> = paths.chunks(RUN).map(Run::Paths).chain(schemas.chunks(RUN).map(Run::Schemas)).collect();
    let read: Vec<Option<Read>> = runs
        .par_iter()
        .map(|run| match run {
            Run::Paths(entries) => entries
                .iter()
                .filter(|(key, _)| key.starts_with('/'))
                .map(|(key, value)| Some(((*key).clone(), ReferenceOr::<PathItem>::deserialize(*value).ok()?)))
                .collect::<Option<Vec<_>>>()
                .map(Read::Paths),
            Run::Schemas(entries) => entries
                .iter()
                .map(|(key, value)| Some(((*key).clone(), ReferenceOr::<Schema>::deserialize(*value).ok()?)))
                .collect::<Option<Vec<_>>>()
                .map(Read::Schemas),
        })
        .collect();
    let mut read_paths = openapiv3::Paths::default();
    let mut read_schemas = indexmap::IndexMap::new();
    for run in read {
        match run? {
            Read::Paths(entries) => read_paths.paths.extend(entries),
            Read::Schemas(entries) => read_schemas.extend(entries),
        }
    }
    read_paths.extensions = paths
        .iter()
        .filter(|(key, _)| key.starts_with("x-"))
        .map(|(key, value)| ((*key).clone(), (*value).clone()))
        .collect();
    let components = match components {
        Some(Some(components)) => {
            let mut read = Components::deserialize(&without(components, &["schemas"])).ok()?;
            read.schemas = read_schemas;
            Some(read)
        }
        _ => None,
    };
    let mut spec = OpenAPI::deserialize(&without(root, &["paths", "components"])).ok()?;
    spec.paths = read_paths;
    spec.components = components;
    Some(spec)
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
    crate::read::walk::for_each_structural_object(value, &pointer, &mut |map, pointer| {
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
        collide("schemas", names, &crate::model::names::rust_type_name);
        for (schema_name, schema) in schemas {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else { continue };
            let pointer = format!("/components/schemas/{}/properties", escape_pointer_token(schema_name));
            let names = properties
                .keys()
                .map(|name| (name.clone(), format!("{pointer}/{}", escape_pointer_token(name))))
                .collect();
            collide("properties", names, &crate::model::names::rust_snake_name);
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
                collide("parameters", parameters, &crate::model::names::rust_snake_name);
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
                        if essence(media_type) == "application/json" && media.get("schema").is_none_or(Value::is_null) {
                            problems.push(Diagnostic::at(
                                document,
                                &format!("{response_pointer}/content/{}", escape_pointer_token(media_type)),
                                format!(
                                    "the {media_type} response has no schema, so the generator cannot type its body"
                                ),
                                "give it a schema (`schema: {}` for any JSON value)",
                            ));
                        }
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
    // One pass over the tokens, without collecting them: this runs for every object of a document.
    let mut tokens = pointer.split('/').skip(1);
    let first = tokens.next();
    let second = tokens.next();
    let mut in_schema = first == Some("components") && second == Some("schemas");
    let (mut before_last, mut last) = match (first, second) {
        (Some(first), Some(second)) => (first, second),
        (Some(first), None) => ("", first),
        _ => ("", ""),
    };
    in_schema |= [first, second].iter().flatten().any(|token| matches!(*token, "schema" | "schemas"));
    for token in tokens {
        in_schema |= matches!(token, "schema" | "schemas");
        before_last = last;
        last = token;
    }
    if in_schema {
        return Some("schemas");
    }
    kind_named_by(before_last, last)
}

/// The component kind a `$ref` outside schemas must name, by the last two tokens of its place.
fn kind_named_by(before_last: &str, last: &str) -> Option<&'static str> {
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
    crate::read::walk::for_each_structural_object(&document.value, "", &mut |map, pointer| {
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
        for path in paths.keys() {
            if let Some(problem) = template_problem(path) {
                problems.push(Diagnostic::at(
                    document,
                    &format!("/paths/{}", escape_pointer_token(path)),
                    format!("the path {path:?} is not a valid template: {problem}"),
                    "write each parameter as `{name}`, with no braces inside the name",
                ));
            }
        }
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

/// The JSON Schema types OpenAPI 3.0 knows (3.1's `type` lists are normalised before this).
const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// A media type without its parameters (`application/json; charset=utf-8` → `application/json`),
/// as written: progenitor matches media types case-sensitively.
fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// Request body media types progenitor can send, by their type and subtype.
const SENDABLE_MEDIA_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// Constructs that are valid OpenAPI but that progenitor cannot generate, or generates only by
/// panicking or asserting: each is refused here, at its node, before progenitor runs. Every rule
/// names what to write instead.
///
/// This is the schema-by-schema part, for the subtree at `pointer` (see
/// [`crate::read::walk::subtrees_of`]); [`check_generatable_operations`] is the rest.
fn check_generatable_schemas(
    document: &Document,
    value: &Value,
    pointer: &str,
    in_name_map: bool,
    problems: &mut Vec<Diagnostic>,
) {
    crate::read::walk::for_each_structural_object_at(value, pointer, in_name_map, &mut |map, pointer| {
        if expected_reference_kind(pointer) != Some("schemas") || map.contains_key("$ref") {
            return;
        }
        if let Some(Value::String(kind)) = map.get("type")
            && !SCHEMA_TYPES.contains(&kind.as_str())
        {
            let help = match kind.as_str() {
                "null" => "drop `type: null` and mark the schema that may be null with `nullable: true` (OpenAPI 3.0), or declare `openapi: 3.1.0` and write `type: [..., \"null\"]`".to_owned(),
                "file" => "`type: file` is Swagger 2.0; write `type: string` with `format: binary`".to_owned(),
                _ => format!("use one of {}", SCHEMA_TYPES.join(", ")),
            };
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/type"),
                format!("{kind:?} is not a schema type of OpenAPI 3.0"),
                help,
            ));
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            check_enum_values(document, values, &format!("{pointer}/enum"), problems);
        }
        // What an extension holds is not a schema, whatever keys it has.
        if !pointer.contains("/x-") {
            check_schema_keywords(document, map, pointer, problems);
        }
    });
}

/// The operation-by-operation part of the constructs progenitor cannot generate (see
/// [`check_generatable_schemas`]).
fn check_generatable_operations(document: &Document, problems: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = document.get("/paths") else {
        return;
    };
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        let Value::Object(item) = item else { continue };
        check_parameters(document, item.get("parameters"), &format!("{item_pointer}/parameters"), problems);
        for method in HttpMethod::ALL.map(HttpMethod::key) {
            let Some(Value::Object(operation)) = item.get(method) else { continue };
            let pointer = format!("{item_pointer}/{method}");
            if matches!(method, "options" | "trace") {
                problems.push(Diagnostic::at(
                    document,
                    &pointer,
                    format!("the generator cannot make a client method that sends {}", method.to_uppercase()),
                    "the generated client sends GET, PUT, POST, DELETE, PATCH and HEAD requests only; leave this operation out with an overlay `remove` action",
                ));
                continue;
            }
            check_parameters(document, operation.get("parameters"), &format!("{pointer}/parameters"), problems);
            // Where the body is written: the operation, or the component it refers to.
            let body_pointer = match operation.get("requestBody").and_then(|body| body.get("$ref")) {
                Some(Value::String(reference)) if reference.starts_with('#') => {
                    reference.trim_start_matches('#').to_owned()
                }
                _ => format!("{pointer}/requestBody"),
            };
            if let Some(Value::Object(content)) = operation
                .get("requestBody")
                .and_then(|body| resolve(document, body))
                .and_then(|body| body.get("content"))
            {
                for (media_type, media) in content {
                    let essence = essence(media_type);
                    let media_pointer = format!("{body_pointer}/content/{}", escape_pointer_token(media_type));
                    if SENDABLE_MEDIA_TYPES.contains(&essence) {
                        check_body_media(document, essence, media, &media_pointer, problems);
                    } else {
                        problems.push(Diagnostic::at(
                            document,
                            &media_pointer,
                            format!("the generator cannot send a request body of type {media_type}"),
                            format!(
                                "describe the body as one of {} (an overlay can change it), or leave the operation out",
                                SENDABLE_MEDIA_TYPES.join(", ")
                            ),
                        ));
                    }
                }
            }
            if let Some(Value::Object(responses)) = operation.get("responses") {
                check_response_kinds(document, responses, &format!("{pointer}/responses"), problems);
            }
        }
    }
}

/// Path parameters must be required; the styles progenitor serialises are `simple` for path and
/// header parameters and `form` for query parameters; cookie parameters are not sent at all, and
/// a value described by `content` rather than `schema` cannot be serialised.
fn check_parameters(document: &Document, parameters: Option<&Value>, pointer: &str, problems: &mut Vec<Diagnostic>) {
    let Some(Value::Array(parameters)) = parameters else {
        return;
    };
    for (index, parameter) in parameters.iter().enumerate() {
        let Some(parameter) = resolve(document, parameter) else { continue };
        let at = format!("{pointer}/{index}");
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or_default();
        let style = parameter.get("style").and_then(Value::as_str);
        if location == "path" && parameter.get("required") != Some(&Value::Bool(true)) {
            let (node, found) = match parameter.get("required") {
                Some(value) => (format!("{at}/required"), format!("`required: {value}`")),
                None => (at.clone(), "no `required`".to_owned()),
            };
            problems.push(Diagnostic::at(
                document,
                &node,
                format!("the path parameter {name:?} has {found}; a path parameter is always required"),
                "write `required: true` (a value the URL can leave out needs a second path without it)",
            ));
        }
        if parameter.get("content").is_some() {
            problems.push(Diagnostic::at(
                document,
                &format!("{at}/content"),
                format!(
                    "the {} parameter {name:?} describes its value with `content` (a media type), which the generator cannot serialise",
                    if location.is_empty() { "?" } else { location }
                ),
                "describe the value with `schema:` instead (and `style`/`explode` for its layout)",
            ));
            continue;
        }
        let supported = match location {
            "path" | "header" => "simple",
            "query" => "form",
            "cookie" => {
                problems.push(Diagnostic::at(
                    document,
                    &format!("{at}/in"),
                    format!("the cookie parameter {name:?} cannot be sent: the generator has no cookie parameters"),
                    "leave the parameter out (an overlay action can remove it), or send it as a header",
                ));
                continue;
            }
            _ => continue,
        };
        if let Some(style) = style
            && style != supported
        {
            problems.push(Diagnostic::at(
                document,
                &format!("{at}/style"),
                format!("the {location} parameter {name:?} has `style: {style}`, which the generator cannot serialise"),
                format!("use `style: {supported}` (the default) or leave `style` out"),
            ));
        }
    }
}

/// What progenitor makes of a response: one body type per referenced or inline JSON schema, raw
/// bytes for any other media type, nothing without content.
fn response_kind(document: &Document, response: &Value) -> String {
    let Some(Value::Object(content)) = resolve(document, response).and_then(|response| response.get("content")) else {
        return "no body".to_owned();
    };
    let json = content
        .iter()
        .find(|(media_type, _)| *media_type == "application/json" || media_type.starts_with("application/json;"));
    match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("JSON {reference}"),
                None => format!("JSON {schema}"),
            },
            None => "JSON without a schema".to_owned(),
        },
        None if content.is_empty() => "no body".to_owned(),
        None => "raw bytes".to_owned(),
    }
}

/// The success responses (2xx, `2XX`, `default`) of an operation must share one body type, and so
/// must its error responses (4xx, 5xx, their ranges, `default`): the generated method returns one
/// type for each.
fn check_response_kinds(
    document: &Document,
    responses: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let success_code = |status: &str| {
        status.eq_ignore_ascii_case("2XX")
            || status == "101"
            || status.parse::<u16>().is_ok_and(|code| (200..300).contains(&code))
    };
    let error_code = |status: &str| {
        status.eq_ignore_ascii_case("4XX")
            || status.eq_ignore_ascii_case("5XX")
            || status.parse::<u16>().is_ok_and(|code| (400..600).contains(&code))
    };
    // A `default` after a `2XX` range that covers the last success code is never reached as a success.
    let highest_code =
        responses.keys().filter_map(|status| status.parse::<u16>().ok()).filter(|code| (200..300).contains(code)).max();
    let range_covers = responses.keys().any(|status| status.eq_ignore_ascii_case("2XX"))
        && highest_code.is_none_or(|code| code <= 200);
    for (group, member) in [("success", &success_code as &dyn Fn(&str) -> bool), ("error", &error_code)] {
        let mut first: Option<(String, &str)> = None;
        for (status, response) in responses {
            let counts = member(status) || (status == "default" && !(group == "success" && range_covers));
            if !counts {
                continue;
            }
            let kind = response_kind(document, response);
            match &first {
                None => first = Some((kind, status)),
                Some((first_kind, first_status)) if *first_kind != kind => {
                    let shown = |kind: &str| -> String {
                        if kind.len() > 80 { "an inline JSON schema".to_owned() } else { kind.to_owned() }
                    };
                    problems.push(Diagnostic::at(
                        document,
                        &format!("{pointer}/{}", escape_pointer_token(status)),
                        format!(
                            "the {group} response {status} has a different body ({}) from the {group} response {first_status} ({}); the generated method can return only one",
                            shown(&kind),
                            shown(first_kind)
                        ),
                        format!("give every {group} response the same schema (a oneOf can hold both), or leave one out"),
                    ));
                }
                Some(_) => {}
            }
        }
    }
}

/// String enum values must be distinct, also once they are Rust variant names (typify names a
/// variant by its value in PascalCase, then, if two collide, with the dropped characters as `X`).
fn check_enum_values(document: &Document, values: &[Value], pointer: &str, problems: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (index, value) in values.iter().enumerate() {
        if let Some(first) = seen.insert(value.to_string(), index) {
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/{index}"),
                format!("the enum value {value} is listed twice (first at {pointer}/{first})"),
                "remove the second one",
            ));
            seen.insert(value.to_string(), first);
        }
    }
    if seen.len() < values.len() {
        return;
    }
    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    if strings.len() < 2 {
        return;
    }
    let plain: Vec<String> = strings.iter().map(|value| variant_name(value)).collect();
    let names = if unique(&plain) {
        return;
    } else {
        strings
            .iter()
            .map(|value| variant_name(&value.replace(|c: char| c == '_' || !unicode_ident::is_xid_continue(c), "X")))
            .collect::<Vec<_>>()
    };
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        by_name.entry(name).or_default().push(index);
    }
    for (name, indexes) in by_name.into_iter().filter(|(_, indexes)| indexes.len() > 1) {
        let listed: Vec<String> = indexes.iter().map(|index| format!("{:?}", strings[*index])).collect();
        let position = values.iter().position(|value| value.as_str() == Some(strings[indexes[1]])).unwrap_or(0);
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/{position}"),
            format!(
                "the enum values {} would {} be the Rust variant {name}",
                listed.join(" and "),
                if listed.len() == 2 { "both" } else { "all" }
            ),
            "make the values differ in more than case and punctuation, or describe the field as a plain string (an overlay can drop the enum)",
        ));
    }
}

fn unique(names: &[String]) -> bool {
    names.iter().collect::<BTreeSet<_>>().len() == names.len()
}

/// The variant name typify gives an enum value.
fn variant_name(value: &str) -> String {
    use heck::ToUpperCamelCase;
    let name = match value {
        "+1" => "plus1".to_upper_camel_case(),
        "-1" => "minus1".to_upper_camel_case(),
        _ => value.replace('\'', "").replace(|c: char| !unicode_ident::is_xid_continue(c), "-").to_upper_camel_case(),
    };
    match name.chars().next() {
        None => "X".to_owned(),
        Some(first) if unicode_ident::is_xid_start(first) => name,
        Some(_) => format!("X{name}"),
    }
}

/// The keywords of one schema that the generator would take without a word and fail on later:
/// a `type` that is not a name, a `format` without a `type`, a `default` that is not a value of
/// the schema, and anything the OpenAPI 3.0 schema object does not allow.
fn check_schema_keywords(
    document: &Document,
    schema: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some(kind) = schema.get("type").filter(|kind| !kind.is_string() && !kind.is_array()) {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/type"),
            format!("`type` is {}, not the name of a type", describe(kind)),
            format!("write one of {} (quoted if need be)", SCHEMA_TYPES.join(", ")),
        ));
    }
    if schema.contains_key("format") && schema.get("type").is_none_or(Value::is_null) {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/format"),
            "the schema has a `format` but no `type`, so the generator cannot tell what the format applies to",
            "add the type the format belongs to (`type: string` for date-time or binary, `type: integer` for int64)",
        ));
    }
    if let (Some(Value::String(kind)), Some(default)) = (schema.get("type"), schema.get("default")) {
        check_default(document, schema, kind, default, pointer, problems);
    }
    if schema.get("type").is_none_or(Value::is_null) {
        check_implied_type(document, schema, pointer, problems);
    }
    check_schema_fits(document, schema, pointer, problems);
}

/// The keywords that only apply to one type, by the type they imply.
const TYPE_KEYWORDS: [(&str, &[&str]); 4] = [
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    ("object", &["properties", "required", "additionalProperties", "minProperties", "maxProperties"]),
    ("string", &["minLength", "maxLength", "pattern"]),
    ("number", &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]),
];

/// A schema without `type` must imply one type, or none: the generator (typify) infers the type
/// of such a schema from its `enum` values or from keywords that apply to one type only, and
/// cannot when they imply several (values of two types, or an `enum` beside such keywords, or
/// keywords of two types).
fn check_implied_type(
    document: &Document,
    schema: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Diagnostic>,
) {
    // A reference or a combination says what the type is in its own way.
    if ["$ref", "allOf", "anyOf", "oneOf", "not"].iter().any(|keyword| schema.contains_key(*keyword)) {
        return;
    }
    // The first keyword of each type the schema holds.
    let keywords: Vec<(&str, &str)> = TYPE_KEYWORDS
        .iter()
        .filter_map(|(kind, keywords)| {
            keywords.iter().find(|keyword| schema.contains_key(**keyword)).map(|keyword| (*kind, *keyword))
        })
        .collect();
    let mut problem = None;
    if let Some(Value::Array(values)) = schema.get("enum") {
        let mut kinds: Vec<&str> = values
            .iter()
            .filter_map(|value| match value {
                Value::Null => None,
                Value::Bool(_) => Some("boolean"),
                Value::Number(_) => Some("number"),
                Value::String(_) => Some("string"),
                Value::Array(_) => Some("array"),
                Value::Object(_) => Some("object"),
            })
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        if kinds.len() > 1 {
            problem = Some(format!(
                "the schema has no `type`, and its `enum` values are of several types ({})",
                kinds.join(", ")
            ));
        } else if let Some((_, keyword)) = keywords.first().filter(|_| !kinds.is_empty()) {
            problem = Some(format!(
                "the schema has no `type`, and holds `enum` values beside `{keyword}`: the generator infers a \
                 type from one or the other, not from both"
            ));
        }
    } else if keywords.len() > 1 {
        let implied: Vec<String> =
            keywords.iter().map(|(kind, keyword)| format!("{kind} (from `{keyword}`)")).collect();
        problem = Some(format!("the schema has no `type`, and its keywords imply several: {}", implied.join(", ")));
    }
    let help = "add the `type` it is meant to have, and keep only the keywords of that type";
    if let Some(problem) = problem {
        problems.push(Diagnostic::at(document, pointer, problem, help));
    } else if let Some(keyword) = TYPE_KEYWORDS[3].1.iter().find(|keyword| schema.contains_key(**keyword)) {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/{keyword}"),
            format!("the schema has `{keyword}` but no `type`, so the generator cannot tell an integer from a number"),
            "add `type: integer` or `type: number`",
        ));
    } else if schema.contains_key("enum") && schema.get("nullable") == Some(&Value::Bool(true)) {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/nullable"),
            "the schema has an `enum` and `nullable: true` but no `type`, which the generator cannot combine",
            "add the `type` of the values (`nullable` then adds null to them), or list `null` among the `enum` values",
        ));
    }
}

/// The keywords of a schema that hold sub-schemas, as OpenAPI 3.0 has them.
const SUB_SCHEMA_KEYWORDS: [&str; 7] =
    ["properties", "items", "additionalProperties", "allOf", "anyOf", "oneOf", "not"];

/// Checks that one schema, on its own, fits progenitor's model of OpenAPI 3.0 schemas, and
/// reports the keyword that does not.
///
/// That model reads a schema by trying its kinds one after another (a typed schema, then one of
/// any type), and each try reads the whole subtree again: a node deep down that fits no kind, or
/// fits only the last one, costs time that doubles with every level above it. So every schema is
/// read here once, with its sub-schemas stood in for by `{}`, which costs the same at any depth;
/// after this, reading the whole document never backtracks.
fn check_schema_fits(
    document: &Document,
    schema: &serde_json::Map<String, Value>,
    pointer: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let stand_in =
        |value: &Value| if value.is_object() { Value::Object(serde_json::Map::new()) } else { value.clone() };
    let mut shallow = serde_json::Map::new();
    for (keyword, value) in schema {
        let value = match (keyword.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                Value::Object(properties.iter().map(|(name, property)| (name.clone(), stand_in(property))).collect())
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(alternatives)) => {
                Value::Array(alternatives.iter().map(stand_in).collect())
            }
            (keyword, value) if SUB_SCHEMA_KEYWORDS.contains(&keyword) => stand_in(value),
            // Data (examples, defaults, enum values) is read as it is, without depth cost.
            (_, value) => value.clone(),
        };
        shallow.insert(keyword.clone(), value);
    }
    let shallow = Value::Object(shallow);
    let read = match <openapiv3::Schema as serde::Deserialize>::deserialize(&shallow) {
        Ok(read) => read,
        Err(_) => {
            let (mut at, message) = match serde_path_to_error::deserialize::<_, openapiv3::Schema>(&shallow) {
                Err(error) => (path_to_pointer(error.path()), error.inner().to_string()),
                Ok(_) => (String::new(), "it cannot be read".to_owned()),
            };
            // A keyword read through a flattened kind has no path of its own: the culprit is the
            // keyword without which the schema reads.
            if at.is_empty()
                && let Value::Object(fields) = &shallow
                && let Some(keyword) = fields.keys().find(|keyword| {
                    let mut without = fields.clone();
                    without.shift_remove(keyword.as_str());
                    <openapiv3::Schema as serde::Deserialize>::deserialize(&Value::Object(without)).is_ok()
                })
            {
                at = format!("/{}", escape_pointer_token(keyword));
            }
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}{at}"),
                format!("the schema does not fit OpenAPI 3.0: {message}"),
                "correct the keyword to match the OpenAPI 3.0.3 schema object",
            ));
            return;
        }
    };
    if let Some(Value::String(kind)) = schema.get("type")
        && SCHEMA_TYPES.contains(&kind.as_str())
        && matches!(read.schema_kind, openapiv3::SchemaKind::Any(_))
    {
        problems.push(Diagnostic::at(
            document,
            pointer,
            format!(
                "the keywords of this schema do not fit `type: {kind}` (an `enum` value or a bound of another type, say), so it would be read as a value of any type"
            ),
            format!("make every keyword fit `type: {kind}`: `enum` values of that type, numbers for bounds"),
        ));
    }
}

/// A request body the generator can send needs a schema, no `encoding`, and for raw bytes or text
/// the one schema that means them (`type: string`, with `format: binary` for bytes) and nothing
/// that would constrain or change the string.
fn check_body_media(document: &Document, essence: &str, media: &Value, pointer: &str, problems: &mut Vec<Diagnostic>) {
    let Some(schema) = media.get("schema").filter(|schema| !schema.is_null()) else {
        problems.push(Diagnostic::at(
            document,
            pointer,
            format!("the {essence} request body has no schema, so the generator cannot type it"),
            "give it a schema (`schema: {}` for any JSON value)",
        ));
        return;
    };
    if media.get("encoding").is_some_and(|encoding| encoding.as_object().is_none_or(|map| !map.is_empty())) {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/encoding"),
            "the generator cannot apply an `encoding` to a request body",
            "remove `encoding`",
        ));
    }
    let format = match essence {
        "application/octet-stream" => Some("binary"),
        "text/plain" | "text/x-markdown" => None,
        _ => return,
    };
    let Some(Value::Object(resolved)) = resolve(document, schema) else { return };
    let wanted = match format {
        Some(format) => format!("`type: string` with `format: {format}`"),
        None => "`type: string` without a `format`".to_owned(),
    };
    let fits = resolved.get("type").and_then(Value::as_str) == Some("string")
        && resolved.get("format").and_then(Value::as_str) == format
        && resolved.get("nullable").is_none_or(|nullable| nullable == &Value::Bool(false))
        && ["default", "discriminator", "pattern", "enum", "minLength", "maxLength"]
            .iter()
            .all(|keyword| !resolved.contains_key(*keyword));
    if !fits {
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/schema"),
            format!(
                "a request body of type {essence} is sent as it is, so its schema must be {wanted} and nothing more"
            ),
            format!("write the schema as {wanted}, with no nullable, default, enum, pattern or length bounds"),
        ));
    }
}

/// A `default` must be a value of the schema's type (and one of its `enum` values, if it lists
/// them): the generated type's `Default` is built from it.
fn check_default(
    document: &Document,
    schema: &serde_json::Map<String, Value>,
    kind: &str,
    default: &Value,
    pointer: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let fits = match (kind, default) {
        (_, Value::Null) => nullable,
        ("string", Value::String(_)) | ("boolean", Value::Bool(_)) | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(number)) => number.is_i64() || number.is_u64(),
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => true,
        _ => false,
    };
    let listed = match schema.get("enum") {
        Some(Value::Array(values)) => values.contains(default),
        _ => true,
    };
    if !fits || !listed {
        let why = if fits {
            "is not one of its `enum` values".to_owned()
        } else {
            format!("is {}, not a value of `type: {kind}`", describe(default))
        };
        problems.push(Diagnostic::at(
            document,
            &format!("{pointer}/default"),
            format!("the default {} {why}", shortened(&default.to_string())),
            format!("give a default of `type: {kind}`{}, or remove it", if fits { " from the enum" } else { "" }),
        ));
    }
}

/// A value as a message shows it: at most 60 characters.
fn shortened(text: &str) -> String {
    if text.chars().count() <= 60 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(60).collect::<String>())
    }
}

/// What is wrong with a path template's braces, if anything.
fn template_problem(path: &str) -> Option<&'static str> {
    let mut name: Option<usize> = None;
    for character in path.chars() {
        match (character, name) {
            ('{', Some(_)) => return Some("a `{` opens inside a parameter name"),
            ('{', None) => name = Some(0),
            ('}', None) => return Some("a `}` closes no parameter"),
            ('}', Some(0)) => return Some("a parameter has an empty name"),
            ('}', Some(_)) => name = None,
            ('/', Some(_)) => return Some("a parameter name holds a `/`"),
            (_, Some(length)) => name = Some(length + 1),
            (_, None) => {}
        }
    }
    name.map(|_| "a `{` is never closed")
}

#[cfg(test)]
mod tests {
    use super::{expected_reference_kind, read_by_sections, validate};

    /// `validate` on one thread.
    fn validate_alone(document: &crate::read::Document) -> Result<openapiv3::OpenAPI, crate::diagnostic::Diagnostics> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool");
        pool.install(|| validate(document))
    }

    /// A document with `schemas` component schemas and as many operations, where, `with_problems`,
    /// every tenth schema and every tenth operation has a problem of its own.
    fn large(schemas: usize, with_problems: bool) -> crate::read::Document {
        let mut components = serde_json::Map::new();
        let mut paths = serde_json::Map::new();
        for index in 0..schemas {
            // Problems for each kind of check: the document's, the schemas' and the operations'.
            let schema = match index % 10 {
                _ if !with_problems => serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
                0 => serde_json::json!({"type": "integer", "format": "int128"}),
                4 => serde_json::json!({"format": "uuid"}),
                5 => serde_json::json!({"type": "object", "properties": {"x": {"type": "string", "default": 5}}}),
                _ => serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
            };
            components.insert(format!("S{index}"), schema);
            let method = if with_problems && index % 10 == 3 { "options" } else { "get" };
            paths.insert(
                format!("/s{index}"),
                serde_json::json!({method: {"operationId": format!("get{index}"), "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/S{index}")}}}}}}}),
            );
        }
        let document = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": paths, "components": {"schemas": components}});
        crate::read::load("large.json", document.to_string().as_bytes()).expect("loads")
    }

    #[test]
    fn a_large_document_is_refused_with_the_same_problems_in_the_same_order_on_two_threads() {
        let document = large(400, true);
        let one = validate_alone(&document).expect_err("refused").to_string();
        let two = crate::pool::install(|| validate(&document)).expect_err("refused").to_string();
        assert_eq!(one, two);
        for (kind, said) in [
            ("the document's", "int128"),
            ("the schemas'", "`format` but no `type`"),
            ("the schemas'", "default"),
            ("the operations'", "OPTIONS"),
        ] {
            assert!(one.matches(said).count() >= 40, "{kind} checks found {said:?} in every tenth place: {one}");
        }
    }

    #[test]
    fn a_large_document_reads_the_same_on_two_threads() {
        let document = large(400, false);
        let one = validate_alone(&document).expect("valid");
        let two = crate::pool::install(|| validate(&document)).expect("valid");
        assert!(one == two, "the two readings differ");
    }

    #[test]
    fn reading_by_sections_reads_what_reading_whole_reads() {
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1", "x-info": 1},
            "servers": [{"url": "https://example.com"}],
            "x-top": {"nested": true},
            "paths": {
                "x-paths": [1, 2],
                "/a": {"get": {"operationId": "a", "x-op": "o", "responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}},
                "/b": {"$ref": "#/components/pathItems/B"},
                "not-a-path": {"get": {}}
            },
            "components": {
                "x-components": "c",
                "schemas": {
                    "A": {"type": "object", "properties": {"n": {"type": "integer", "format": "int32", "minimum": 1.5}},
                          "x-schema": null},
                    "B": {"$ref": "#/components/schemas/A"},
                    "C": {"oneOf": [{"type": "string"}, {"type": "number", "nullable": true}]}
                },
                "parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "string"}}}
            },
            "tags": [{"name": "t"}]
        });
        let whole: openapiv3::OpenAPI = serde_json::from_value(document.clone()).expect("reads whole");
        let root = document.as_object().expect("a mapping");
        assert_eq!(read_by_sections(root).as_ref(), Some(&whole));
        let mut broken = root.clone();
        broken["components"]["schemas"]["A"]["properties"] = serde_json::json!("not a map");
        assert!(read_by_sections(&broken).is_none(), "a section that does not read is left to the slow path");
        assert!(serde_json::from_value::<openapiv3::OpenAPI>(serde_json::Value::Object(broken)).is_err());
        let mut without_paths = root.clone();
        without_paths.remove("paths");
        assert!(read_by_sections(&without_paths).is_none());
    }

    /// The rule written plainly: the tokens collected, then looked at.
    fn collected(pointer: &str) -> Option<&'static str> {
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        if tokens.contains(&"schema") || tokens.contains(&"schemas") {
            return Some("schemas");
        }
        let last = tokens.last().copied().unwrap_or_default();
        let before_last = tokens.len().checked_sub(2).and_then(|index| tokens.get(index)).copied().unwrap_or_default();
        super::kind_named_by(before_last, last)
    }

    #[test]
    fn the_expected_kind_reads_the_pointer_in_one_pass() {
        let pointers = [
            "",
            "/schema",
            "/parameters",
            "/requestBody",
            "/components/schemas/A",
            "/components/schemas/A/properties/b",
            "/components/parameters/p",
            "/components/requestBodies/b",
            "/components/responses/r",
            "/components/headers/h",
            "/paths/~1x/get/parameters/0",
            "/paths/~1x/get/requestBody",
            "/paths/~1x/get/responses/200",
            "/paths/~1x/get/responses/200/headers/X",
            "/paths/~1x/get/responses/200/content/application~1json/schema",
            "/paths/~1x/get/responses/200/content/application~1json/schema/items",
            "/paths/~1x/parameters/1/schema",
            "/x-ext/parameters/0",
            "/a/b",
        ];
        for pointer in pointers {
            assert_eq!(expected_reference_kind(pointer), collected(pointer), "{pointer:?}");
        }
    }
}
