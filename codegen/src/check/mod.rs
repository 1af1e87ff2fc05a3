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
    }
    let subtrees = crate::read::walk::subtrees_of(root);
    let checks: Vec<Check<'_>> =
        std::iter::once(Check::Document).chain(subtrees.chunks(64).map(Check::Schemas)).collect();
    let problems: Vec<Diagnostic> = checks
        .par_iter()
        .map(|check| {
            collect(&|problems| match check {
                Check::Document => {
                    check_operations(document, problems);
                    check_schemas(document, problems);
                }
                Check::Schemas(subtrees) => {
                    for (pointer, value, in_name_map) in *subtrees {
                        check_generatable_schemas(document, value, pointer, *in_name_map, problems);
                    }
                }
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

/// Visits every structural node (not example or default data): references must resolve.
fn walk(document: &Document, value: &Value, pointer: String, problems: &mut Vec<Diagnostic>) {
    crate::read::walk::for_each_structural_object(value, &pointer, &mut |map, pointer| {
        if let Some(Value::String(reference)) = map.get("$ref") {
            check_reference(document, reference, &format!("{pointer}/$ref"), problems);
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

/// Checks that operation ids are unique and that every path parameter is in its path.
fn check_operations(document: &Document, problems: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = document.get("/paths") else {
        return;
    };
    let mut seen_ids: BTreeMap<&str, String> = BTreeMap::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        let Value::Object(item) = item else {
            problems.push(Diagnostic::at(
                document,
                &item_pointer,
                format!("the path {path} is described by {}, not by a path item", describe(item)),
                "write the path's operations as a mapping (`get:`, `post:`, ...), or remove the path",
            ));
            continue;
        };
        if item.contains_key("$ref") {
            problems.push(Diagnostic::at(
                document,
                &format!("{item_pointer}/$ref"),
                format!("the path {path} still holds a `$ref` that was not followed"),
                "write the reference as a string naming a path item, or the path item's operations out under the path",
            ));
            continue;
        }
        let placeholders = placeholders(path);
        let shared_parameters =
            path_parameters(document, item.get("parameters"), &format!("{item_pointer}/parameters"));
        for method in HttpMethod::ALL.map(HttpMethod::key) {
            let pointer = format!("{item_pointer}/{method}");
            let operation = match item.get(method) {
                None => continue,
                Some(Value::Object(operation)) => operation,
                Some(other) => {
                    problems.push(Diagnostic::at(
                        document,
                        &pointer,
                        format!("`{method}` of the path {path} is {}, not an operation", describe(other)),
                        "describe the operation as a mapping with its `responses`, or remove it",
                    ));
                    continue;
                }
            };
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

/// `$ref`s that are not strings, references of the wrong kind (left after the translation, which
/// follows those whose target reads as the kind), and path keys that are no template or lack their leading `/`.
fn check_schemas(document: &Document, problems: &mut Vec<Diagnostic>) {
    crate::read::walk::for_each_structural_object(&document.value, "", &mut |map, pointer| {
        let Some(reference) = map.get("$ref") else { return };
        let Some(expected) = crate::read::openapi::expected_reference_kind(pointer) else { return };
        let Value::String(reference) = reference else {
            // A `$ref` must be a string (JSON Schema and OpenAPI's Reference Object both say so);
            // any other value is neither a reference nor a keyword with a meaning to keep.
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/$ref"),
                format!("the `$ref` is {}, not a string naming what it refers to", describe(reference)),
                format!("write it as a string such as \"#/components/{expected}/Name\", or remove it"),
            ));
            return;
        };
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

/// Constructs that are valid OpenAPI but that progenitor cannot generate, or generates only by
/// panicking or asserting: each is refused here, at its node, before progenitor runs. Every rule
/// names what to write instead.
///
/// This is done schema by schema, for the subtree at `pointer` (see
/// [`crate::read::walk::subtrees_of`]).
fn check_generatable_schemas(
    document: &Document,
    value: &Value,
    pointer: &str,
    in_name_map: bool,
    problems: &mut Vec<Diagnostic>,
) {
    crate::read::walk::for_each_structural_object_at(value, pointer, in_name_map, &mut |map, pointer| {
        if crate::read::openapi::expected_reference_kind(pointer) != Some("schemas") || map.contains_key("$ref") {
            return;
        }
        if let Some(Value::String(kind)) = map.get("type")
            && !SCHEMA_TYPES.contains(&kind.as_str())
        {
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/type"),
                format!("{kind:?} is not a JSON type"),
                format!("use one of {}", SCHEMA_TYPES.join(", ")),
            ));
        }
        // What an extension holds is not a schema, whatever keys it has.
        if !pointer.contains("/x-") {
            check_schema_keywords(document, map, pointer, problems);
        }
    });
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
    check_schema_fits(document, schema, pointer, problems);
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
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            if !property.is_object() {
                problems.push(Diagnostic::at(
                    document,
                    &format!("{pointer}/properties/{}", escape_pointer_token(name)),
                    format!("the property {name:?} is described by {}, not by a schema", describe(property)),
                    "describe the property with a schema (`{}` for any value), or remove it",
                ));
                return;
            }
        }
    }
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
    if <openapiv3::Schema as serde::Deserialize>::deserialize(&shallow).is_err() {
        {
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
        }
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
    use super::{read_by_sections, validate};

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
            // Problems for each kind of check: the document's and the schemas'.
            let schema = match index % 10 {
                _ if !with_problems => serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
                0 => serde_json::json!({"type": "text"}),
                4 => serde_json::json!({"type": 5}),
                5 => {
                    serde_json::json!({"type": "object", "properties": {"x": {"type": "string", "minLength": "five"}}})
                }
                _ => serde_json::json!({"type": "object", "properties": {"x": {"type": "string"}}}),
            };
            components.insert(format!("S{index}"), schema);
            // Every tenth operation repeats the id of the one before.
            let id = if with_problems && index % 10 == 3 { index - 1 } else { index };
            paths.insert(
                format!("/s{index}"),
                serde_json::json!({"get": {"operationId": format!("get{id}"), "responses": {"200": {"description": "ok",
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
            ("the schemas'", "\"text\" is not a JSON type"),
            ("the schemas'", "not the name of a type"),
            ("the schemas'", "minLength"),
            ("the document's", "is used twice"),
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

    #[test]
    fn the_expected_kind_reads_keywords_and_not_names() {
        let cases = [
            ("", None),
            ("/schema", Some("schemas")),
            ("/components/schemas/A", Some("schemas")),
            ("/components/schemas/A/properties/b", Some("schemas")),
            ("/components/schemas/parameters", Some("schemas")),
            ("/components/parameters/p", Some("parameters")),
            ("/components/parameters/schema", Some("parameters")),
            ("/components/responses/schema", Some("responses")),
            ("/components/requestBodies/b", Some("requestBodies")),
            ("/components/responses/r", Some("responses")),
            ("/components/headers/h", Some("headers")),
            ("/paths/~1x/get/parameters/0", Some("parameters")),
            ("/paths/~1x/get/requestBody", Some("requestBodies")),
            ("/paths/~1x/get/responses/200", Some("responses")),
            ("/paths/~1x/get/responses/200/headers/X", Some("headers")),
            ("/paths/~1x/get/responses/200/content/application~1json/schema", Some("schemas")),
            ("/paths/~1x/get/responses/200/content/schema", None),
            ("/paths/~1x/parameters/1/schema", Some("schemas")),
            ("/a/b", None),
        ];
        for (pointer, kind) in cases {
            assert_eq!(crate::read::openapi::expected_reference_kind(pointer), kind, "{pointer:?}");
        }
    }
}
