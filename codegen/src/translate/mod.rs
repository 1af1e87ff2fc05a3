//! Rewrites an OpenAPI 3.1 document, in memory, into the OpenAPI 3.0.3 that progenitor reads.
//!
//! Every rewrite is a named [`Rule`] that keeps the document's meaning. A 3.1 construct that no
//! rule can express in 3.0 is a located error (file, line and JSON pointer), never a silent
//! change: the document is rewritten only when every construct in it has a faithful rule.
//!
//! The walk is structural: it visits the places where the OpenAPI specification puts schemas
//! (components, parameters, request bodies, responses, headers, and the sub-schemas of a schema)
//! and nothing else, so data such as `example`, `default` or `enum` values is never mistaken for
//! a schema even when it holds `type` or `$ref` keys.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::read::Document;

/// How many component entries one task of the pool rewrites.
const RUN: usize = 64;

/// The OpenAPI version the rewritten document declares.
pub const TARGET_VERSION: &str = "3.0.3";

use crate::read::openapi::HttpMethod;

/// The JSON Schema dialect OpenAPI 3.1 uses when a document names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// The JSON Schema dialect OpenAPI 3.1's base dialect extends.
const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Whether a dialect is one the document's schemas are read in anyway.
fn is_known_dialect(dialect: &Value) -> bool {
    matches!(dialect.as_str(), Some(DEFAULT_DIALECT | JSON_SCHEMA_2020_12))
}

/// Keywords that only validate a value and never change its Rust type ([`Rule::ValidationOnly`]).
const VALIDATION_ONLY: [&str; 5] = ["dependentRequired", "contains", "minContains", "maxContains", "propertyNames"];

/// The response an operation without `responses` gets ([`Rule::MissingResponses`]).
const MISSING_RESPONSES_DESCRIPTION: &str = "Any success status; the document lists no responses for this operation.";

/// One faithful rewrite from OpenAPI 3.1 to 3.0.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// `openapi: 3.1.x` becomes `openapi: 3.0.3`.
    VersionString,
    /// `type: [T, "null"]` becomes `type: T` with `nullable: true`; `type: [T]` becomes `type: T`.
    NullableTypeArray,
    /// `type` listing every JSON type becomes no `type` at all (any value), `nullable` when
    /// `"null"` is among them.
    AnyTypeArray,
    /// `type: [A, B, ...]` becomes `anyOf` of one schema per type, each keeping the keywords
    /// that apply to its type; `"null"` among them becomes `nullable: true`.
    MultiTypeArray,
    /// `oneOf`/`anyOf` of one schema and `{type: "null"}` becomes `allOf: [schema]` with
    /// `nullable: true`; with several non-null schemas, the null one is dropped and `nullable: true` added.
    NullableUnion,
    /// `$ref` with sibling keywords (which 3.1 applies and 3.0 ignores) becomes `allOf: [{$ref}]`
    /// with the siblings beside it.
    ReferenceSiblings,
    /// `const: v` becomes `enum: [v]`.
    Const,
    /// Numeric `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` with the 3.0
    /// boolean flags.
    ExclusiveBounds,
    /// The boolean schema `true` becomes `{}`, and `false` becomes `{not: {}}`.
    BooleanSchema,
    /// Annotations 3.0 lacks are dropped: `examples` (its first entry becomes `example` when
    /// there is none), `$comment`, `contentEncoding`, `contentMediaType`, `info.summary`,
    /// `info.license.identifier`, the default `jsonSchemaDialect`, and `webhooks` (which a
    /// client never calls).
    Annotations,
    /// `$schema` inside a schema naming the dialect the document uses anyway (OpenAPI 3.1's base
    /// dialect, or JSON Schema 2020-12 that it extends) is dropped; another dialect is refused.
    SchemaDialect,
    /// Keywords that only validate, and never change what a value's Rust type is, are dropped:
    /// `dependentRequired`, `contains`, `minContains`, `maxContains`, `propertyNames`, and a
    /// boolean `unevaluatedProperties` or `unevaluatedItems`. The client does not validate what it
    /// reads or sends against them (as it does not against `pattern`); the server still does.
    ValidationOnly,
    /// The `$defs` of a schema under `components/schemas` become schemas of their own there,
    /// `P_D` for the definition `D` of `P` (nested definitions the same way, `P_D_E`), and every
    /// `$ref` into them is rewritten to the new place.
    Definitions,
    /// A path item that is a `$ref` to `components/pathItems` becomes a copy of the item it names,
    /// and `components/pathItems` is dropped.
    PathItemComponents,
    /// An operation without `responses` (optional in 3.1) gets one `2XX` response without a body:
    /// any success status is a success with nothing to read, any other status an error.
    MissingResponses,
}

impl Rule {
    /// Every rule, in the order ARCHITECTURE.md lists them.
    pub const ALL: [Rule; 15] = [
        Rule::VersionString,
        Rule::NullableTypeArray,
        Rule::AnyTypeArray,
        Rule::MultiTypeArray,
        Rule::NullableUnion,
        Rule::ReferenceSiblings,
        Rule::Const,
        Rule::ExclusiveBounds,
        Rule::BooleanSchema,
        Rule::Annotations,
        Rule::SchemaDialect,
        Rule::ValidationOnly,
        Rule::Definitions,
        Rule::PathItemComponents,
        Rule::MissingResponses,
    ];
}

/// How often each rule rewrote something.
pub type Applied = BTreeMap<Rule, usize>;

/// Makes the prose of a document (every `description`, `summary` and `title` string) safe to
/// carry into Rust doc comments and Markdown: line endings become `\n` (a lone carriage return
/// is not allowed in a Rust doc comment), other control characters but tabs are dropped,
/// characters that reorder text (which rustc refuses in comments) are written as `\u{..}`, and an
/// opening code fence gets the `text` language, so that rustdoc never compiles a description's
/// code block as a doctest. Example, default and enum data is left alone. Returns how many
/// strings changed.
pub fn normalize_text(document: &mut Document) -> usize {
    let mut changed = 0;
    let mut pending = vec![(&mut document.value, false)];
    while let Some((value, in_name_map)) = pending.pop() {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let is_data =
                        !in_name_map && matches!(key.as_str(), "example" | "examples" | "default" | "enum" | "const");
                    if is_data {
                        continue;
                    }
                    if !in_name_map
                        && matches!(key.as_str(), "description" | "summary" | "title")
                        && let Value::String(text) = child
                    {
                        let cleaned = clean_prose(text);
                        if cleaned != *text {
                            *text = cleaned;
                            changed += 1;
                        }
                        continue;
                    }
                    let name_map = !in_name_map
                        && child.is_object()
                        && matches!(
                            key.as_str(),
                            "properties"
                                | "schemas"
                                | "paths"
                                | "responses"
                                | "parameters"
                                | "headers"
                                | "content"
                                | "requestBodies"
                                | "securitySchemes"
                        );
                    pending.push((child, name_map));
                }
            }
            Value::Array(items) => pending.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
    changed
}

/// Whether `character` reorders the text around it (bidirectional embeddings, overrides,
/// isolates and marks).
fn is_reordering(character: char) -> bool {
    matches!(character, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One piece of prose, made safe (see [`normalize_text`]).
fn clean_prose(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut printable = String::with_capacity(unified.len());
    for character in unified.chars() {
        if is_reordering(character) {
            // rustc refuses these in comments (they can make code read as other code); written
            // as an escape, the text still says which character was there.
            printable.push_str(&character.escape_unicode().to_string());
        } else if !character.is_control() || matches!(character, '\n' | '\t') {
            printable.push(character);
        }
    }
    let mut lines = Vec::new();
    let mut in_fence = false;
    for line in printable.split('\n') {
        let trimmed = line.trim_start();
        if let Some(language) = trimmed.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                lines.push(line.to_owned());
            } else {
                in_fence = true;
                let indent = &line[..line.len() - trimmed.len()];
                let language = language.trim();
                let kept =
                    if language.is_empty() || language == "text" { String::new() } else { format!(" ({language})") };
                lines.push(format!("{indent}```text{kept}"));
            }
        } else {
            lines.push(line.to_owned());
        }
    }
    lines.join("\n")
}

/// Whether `document` declares OpenAPI 3.1.x.
pub fn is_openapi_3_1(document: &Document) -> bool {
    document.value.get("openapi").and_then(Value::as_str).is_some_and(|version| version.starts_with("3.1."))
}

/// Rewrites a 3.1 document as 3.0.3 in place, returning how often each rule applied. A document
/// of another version is left alone (the validator judges it). On error the document is partly
/// rewritten and is not to be used further (nothing is generated from it).
pub fn normalize(document: &mut Document) -> Result<Applied, Diagnostics> {
    if !is_openapi_3_1(document) {
        return Ok(Applied::new());
    }
    // Rewritten in place, without a copy: the published document is several megabytes.
    let mut value = std::mem::take(&mut document.value);
    let mut normalizer = Normalizer::default();
    if let Value::Object(root) = &mut value {
        normalizer.root(root);
    }
    document.value = value;
    document.copy_lines(&normalizer.moved);
    if !normalizer.problems.is_empty() {
        // Problems carry the pointers of the document as written, which the line map knows.
        let problems = normalizer
            .problems
            .into_iter()
            .map(|problem| Diagnostic::at(document, &problem.pointer, problem.message, problem.help))
            .collect();
        return Err(Diagnostics(problems));
    }
    Ok(normalizer.applied)
}

struct Problem {
    pointer: String,
    message: String,
    help: String,
}

#[derive(Default)]
struct Normalizer {
    applied: Applied,
    problems: Vec<Problem>,
    /// Nodes a rule moved: (where the document has it, where it is now), for their lines.
    moved: Vec<(String, String)>,
    /// Lifted definitions: the `$ref` that named one (`#/components/schemas/P/$defs/D`), and the
    /// component schema it is now.
    definitions: std::collections::HashMap<String, String>,
}

/// A `$ref` into a lifted definition (or into a node inside one), written for its new place.
fn lifted_reference(reference: &str, definitions: &std::collections::HashMap<String, String>) -> Option<String> {
    if !reference.contains("/$defs/") {
        return None;
    }
    // The longest prefix, ending at a token's end, that names a lifted definition.
    let mut ends = std::iter::once(reference.len()).chain(reference.rmatch_indices('/').map(|(at, _)| at));
    ends.find_map(|end| {
        definitions
            .get(&reference[..end])
            .map(|name| format!("#/components/schemas/{}{}", escape_pointer_token(name), &reference[end..]))
    })
}

/// Keywords of JSON Schema 2020-12 that OpenAPI 3.0 has no way to say, with what to do instead.
const UNSUPPORTED_KEYWORDS: [(&str, &str); 10] = [
    ("$dynamicRef", "replace the dynamic reference with a $ref to a schema under components/schemas"),
    ("$dynamicAnchor", "remove the anchor and refer to the schema by its components/schemas path"),
    ("$anchor", "remove the anchor and refer to the schema by its components/schemas path"),
    ("$id", "remove `$id` and refer to the schema by its components/schemas path"),
    ("if", "express the condition with oneOf alternatives"),
    ("then", "express the condition with oneOf alternatives"),
    ("else", "express the condition with oneOf alternatives"),
    ("dependentSchemas", "express the dependency with oneOf alternatives"),
    ("prefixItems", "describe the items with one `items` schema (OpenAPI 3.0 has no tuples)"),
    ("patternProperties", "use additionalProperties for properties whose names are not known"),
];

/// The JSON types a 3.1 `type` may list.
const JSON_TYPES: [&str; 7] = ["array", "boolean", "integer", "null", "number", "object", "string"];

/// Keywords that apply to one JSON type only, for splitting a multi-type schema.
fn keyword_type(keyword: &str) -> Option<&'static [&'static str]> {
    const STRING: &[&str] = &["string"];
    const NUMERIC: &[&str] = &["integer", "number"];
    const ARRAY: &[&str] = &["array"];
    const OBJECT: &[&str] = &["object"];
    match keyword {
        "minLength" | "maxLength" | "pattern" => Some(STRING),
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => Some(NUMERIC),
        "items" | "minItems" | "maxItems" | "uniqueItems" => Some(ARRAY),
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => Some(OBJECT),
        _ => None,
    }
}

/// The JSON types a `format` applies to.
fn format_type(format: &str) -> &'static [&'static str] {
    match format {
        "int32" | "int64" | "float" | "double" | "uint8" | "int8" | "int16" | "uint16" | "uint32" | "uint64" => {
            &["integer", "number"]
        }
        _ => &["string"],
    }
}

/// Whether `$defs` at the schema at `pointer` can be lifted: a component schema, or a
/// definition of one (`/components/schemas/P`, `/components/schemas/P/$defs/D`, ...).
fn is_definitions_place(pointer: &str) -> bool {
    let Some(rest) = pointer.strip_prefix("/components/schemas/") else { return false };
    let mut tokens = rest.split('/');
    tokens.next();
    let rest: Vec<&str> = tokens.collect();
    rest.chunks(2).all(|pair| matches!(pair, ["$defs", _]))
}

fn pointer_to(parent: &str, key: &str) -> String {
    format!("{parent}/{}", escape_pointer_token(key))
}

impl Normalizer {
    /// Takes in what another normalizer found, as if this one had gone on to do its work.
    fn absorb(&mut self, other: Self) {
        for (rule, count) in other.applied {
            *self.applied.entry(rule).or_insert(0) += count;
        }
        self.problems.extend(other.problems);
        self.moved.extend(other.moved);
        self.definitions.extend(other.definitions);
    }

    fn count(&mut self, rule: Rule) {
        *self.applied.entry(rule).or_insert(0) += 1;
    }

    fn problem(&mut self, pointer: String, message: impl Into<String>, help: impl Into<String>) {
        self.problems.push(Problem { pointer, message: message.into(), help: help.into() });
    }

    fn root(&mut self, root: &mut Map<String, Value>) {
        root.insert("openapi".to_owned(), Value::String(TARGET_VERSION.to_owned()));
        self.count(Rule::VersionString);
        if let Some(dialect) = root.shift_remove("jsonSchemaDialect") {
            if is_known_dialect(&dialect) {
                self.count(Rule::Annotations);
            } else {
                root.insert("jsonSchemaDialect".to_owned(), dialect);
                self.problem(
                    "/jsonSchemaDialect".to_owned(),
                    "the document names a JSON Schema dialect other than OpenAPI 3.1's own",
                    "remove `jsonSchemaDialect`, or set it to the OpenAPI 3.1 base dialect or JSON Schema 2020-12",
                );
            }
        }
        if root.shift_remove("webhooks").is_some() {
            self.count(Rule::Annotations);
        }
        if let Some(Value::Object(info)) = root.get_mut("info") {
            if info.shift_remove("summary").is_some() {
                self.count(Rule::Annotations);
            }
            if let Some(Value::Object(license)) = info.get_mut("license")
                && license.shift_remove("identifier").is_some()
            {
                self.count(Rule::Annotations);
            }
        }
        // Path items in components are rewritten where they are written, then copied to the
        // paths that refer to them.
        let mut path_items = match root.get_mut("components") {
            Some(Value::Object(components)) => match components.shift_remove("pathItems") {
                Some(Value::Object(items)) => items,
                Some(_) => {
                    self.problem(
                        "/components/pathItems".to_owned(),
                        "components/pathItems is not a map of path items",
                        "make it a map from names to path items",
                    );
                    Map::new()
                }
                None => Map::new(),
            },
            _ => Map::new(),
        };
        for (name, item) in path_items.iter_mut() {
            self.path_item(item, &pointer_to("/components/pathItems", name));
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_to("/paths", path);
                if !self.path_item_reference(item, &pointer, &path_items) {
                    self.path_item(item, &pointer);
                }
            }
        }
        if let Some(Value::Object(components)) = root.get_mut("components") {
            self.components(components);
        }
        if !self.definitions.is_empty() {
            let definitions = std::mem::take(&mut self.definitions);
            let mut whole = Value::Object(std::mem::take(root));
            crate::read::walk::rewrite(&mut whole, &|reference| lifted_reference(reference, &definitions));
            if let Value::Object(whole) = whole {
                *root = whole;
            }
        }
    }

    /// Replaces a path item that is a `$ref` into `components/pathItems` with a copy of what it
    /// names ([`Rule::PathItemComponents`]); returns whether the item was such a reference.
    fn path_item_reference(&mut self, item: &mut Value, pointer: &str, path_items: &Map<String, Value>) -> bool {
        const PREFIX: &str = "#/components/pathItems/";
        let Some(Value::String(reference)) = item.get("$ref") else { return false };
        if !reference.starts_with(PREFIX) {
            return false;
        }
        let reference_pointer = format!("{pointer}/$ref");
        let Value::Object(fields) = &*item else { return false };
        if let Some(sibling) = fields.keys().find(|key| !matches!(key.as_str(), "$ref" | "summary" | "description")) {
            self.problem(
                pointer_to(pointer, sibling),
                format!("`{sibling}` beside a `$ref` to a path item has no defined meaning"),
                "move the field into the path item the reference names",
            );
            return true;
        }
        // Follows references between path items, refusing a cycle.
        let mut seen: Vec<String> = Vec::new();
        let mut current = reference.clone();
        let target = loop {
            let Some(name) = current.strip_prefix(PREFIX) else {
                self.problem(
                    reference_pointer,
                    format!("the path item reference {reference:?} leads to {current:?}, outside components/pathItems"),
                    "refer to a path item of components/pathItems",
                );
                return true;
            };
            let name = crate::diagnostic::unescape_pointer_token(name);
            if seen.contains(&name) {
                self.problem(
                    reference_pointer,
                    format!("the path item reference {reference:?} goes round in a cycle through {name:?}"),
                    "make one of the path items in the cycle a path item, not a reference",
                );
                return true;
            }
            let Some(target) = path_items.get(&name) else {
                self.problem(
                    reference_pointer,
                    format!("the path item reference {reference:?} names no entry of components/pathItems"),
                    "add the path item, or correct the name",
                );
                return true;
            };
            seen.push(name.clone());
            match target.get("$ref") {
                Some(Value::String(next)) => current = next.clone(),
                _ => break (name, target.clone()),
            }
        };
        let (name, Value::Object(mut copy)) = target else {
            self.problem(
                reference_pointer,
                "the path item reference names something that is not a path item",
                "refer to a path item of components/pathItems",
            );
            return true;
        };
        for annotation in ["summary", "description"] {
            if let Some(value) = fields.get(annotation) {
                copy.insert(annotation.to_owned(), value.clone());
            }
        }
        self.moved.push((pointer_to("/components/pathItems", &name), pointer.to_owned()));
        *item = Value::Object(copy);
        self.count(Rule::PathItemComponents);
        true
    }

    fn components(&mut self, components: &mut Map<String, Value>) {
        let each = |components: &mut Map<String, Value>, kind: &str| -> Vec<(String, Value)> {
            match components.get_mut(kind) {
                Some(Value::Object(entries)) => std::mem::take(entries).into_iter().collect(),
                _ => Vec::new(),
            }
        };
        for kind in ["schemas", "parameters", "headers", "requestBodies", "responses"] {
            let mut entries = each(components, kind);
            let rewrite = |normalizer: &mut Self, entries: &mut [(String, Value)]| {
                for (name, entry) in entries {
                    let pointer = format!("/components/{kind}/{}", escape_pointer_token(name));
                    match kind {
                        "schemas" => normalizer.schema(entry, &pointer),
                        "parameters" | "headers" => normalizer.parameter(entry, &pointer),
                        "requestBodies" => normalizer.content_holder(entry, &pointer),
                        _ => normalizer.response(entry, &pointer),
                    }
                }
            };
            // Each entry is rewritten on its own, so runs of them are shared over the pool, each
            // with a normalizer whose findings are taken in afterwards, in order.
            let done: Vec<Self> = entries
                .par_chunks_mut(RUN)
                .map(|run| {
                    let mut normalizer = Self::default();
                    rewrite(&mut normalizer, run);
                    normalizer
                })
                .collect();
            for normalizer in done {
                self.absorb(normalizer);
            }
            if let Some(Value::Object(slot)) = components.get_mut(kind) {
                slot.extend(entries);
            }
        }
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            self.lift_definitions(schemas);
        }
    }

    /// Makes the `$defs` of every component schema component schemas of their own
    /// ([`Rule::Definitions`]), nested ones too; the references are rewritten afterwards.
    fn lift_definitions(&mut self, schemas: &mut Map<String, Value>) {
        let mut pending: std::collections::VecDeque<(String, String)> =
            schemas.keys().map(|name| (name.clone(), pointer_to("/components/schemas", name))).collect();
        while let Some((name, written_at)) = pending.pop_front() {
            let Some(Value::Object(schema)) = schemas.get_mut(&name) else { continue };
            let Some(Value::Object(definitions)) = schema.shift_remove("$defs") else { continue };
            for (definition, lifted) in definitions {
                let definition_at = format!("{written_at}/$defs/{}", escape_pointer_token(&definition));
                let new_name = format!("{name}_{definition}");
                if schemas.contains_key(&new_name) {
                    self.problem(
                        definition_at,
                        format!("the definition {definition:?} of {name:?} would become the schema {new_name:?}, which components/schemas already has"),
                        "rename the definition or the other schema",
                    );
                    continue;
                }
                schemas.insert(new_name.clone(), lifted);
                self.definitions.insert(format!("#{definition_at}"), new_name.clone());
                self.moved.push((definition_at.clone(), pointer_to("/components/schemas", &new_name)));
                self.count(Rule::Definitions);
                pending.push_back((new_name, definition_at));
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Value::Object(item) = item else { return };
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{pointer}/parameters/{index}"));
            }
        }
        for method in HttpMethod::ALL.map(HttpMethod::key) {
            let Some(Value::Object(operation)) = item.get_mut(method) else { continue };
            let operation_pointer = format!("{pointer}/{method}");
            if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
                for (index, parameter) in parameters.iter_mut().enumerate() {
                    self.parameter(parameter, &format!("{operation_pointer}/parameters/{index}"));
                }
            }
            if let Some(body) = operation.get_mut("requestBody") {
                self.content_holder(body, &format!("{operation_pointer}/requestBody"));
            }
            if !operation.contains_key("responses") {
                operation
                    .insert("responses".to_owned(), json!({ "2XX": { "description": MISSING_RESPONSES_DESCRIPTION } }));
                self.count(Rule::MissingResponses);
            }
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                for (status, response) in responses.iter_mut() {
                    self.response(response, &format!("{operation_pointer}/responses/{}", escape_pointer_token(status)));
                }
            }
        }
    }

    /// A parameter or header: its `schema`, or the schemas of its `content`.
    fn parameter(&mut self, parameter: &mut Value, pointer: &str) {
        let Value::Object(fields) = parameter else { return };
        if fields.contains_key("$ref") {
            return;
        }
        if let Some(schema) = fields.get_mut("schema") {
            self.schema(schema, &format!("{pointer}/schema"));
        }
        self.content(fields, pointer);
    }

    /// A request body: the schemas of its `content`.
    fn content_holder(&mut self, holder: &mut Value, pointer: &str) {
        if let Value::Object(fields) = holder {
            self.content(fields, pointer);
        }
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        let Value::Object(fields) = response else { return };
        self.content(fields, pointer);
        if let Some(Value::Object(headers)) = fields.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &format!("{pointer}/headers/{}", escape_pointer_token(name)));
            }
        }
    }

    fn content(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let Some(Value::Object(content)) = fields.get_mut("content") else { return };
        for (media_type, entry) in content.iter_mut() {
            if let Some(schema) = entry.get_mut("schema") {
                self.schema(schema, &format!("{pointer}/content/{}/schema", escape_pointer_token(media_type)));
            }
        }
    }

    /// Rewrites one schema and its sub-schemas.
    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        match schema {
            Value::Bool(true) => {
                *schema = json!({});
                self.count(Rule::BooleanSchema);
                return;
            }
            Value::Bool(false) => {
                *schema = json!({ "not": {} });
                self.count(Rule::BooleanSchema);
                return;
            }
            Value::Object(_) => {}
            _ => return,
        }
        let Value::Object(fields) = schema else { return };

        for (keyword, help) in UNSUPPORTED_KEYWORDS {
            if fields.contains_key(keyword) {
                self.problem(
                    pointer_to(pointer, keyword),
                    format!("`{keyword}` has no OpenAPI 3.0 equivalent, so the schema cannot be generated faithfully"),
                    help,
                );
            }
        }
        self.dialect(fields, pointer);
        self.validation_only(fields, pointer);
        if let Some(definitions) = fields.get_mut("$defs") {
            match definitions {
                Value::Object(definitions) if is_definitions_place(pointer) => {
                    for (name, definition) in definitions.iter_mut() {
                        self.schema(definition, &format!("{pointer}/$defs/{}", escape_pointer_token(name)));
                    }
                }
                Value::Object(_) => self.problem(
                    pointer_to(pointer, "$defs"),
                    "`$defs` is translated only at the top of a schema under components/schemas",
                    "move these definitions to components/schemas and refer to them there",
                ),
                _ => self.problem(
                    pointer_to(pointer, "$defs"),
                    "`$defs` is not a map of schemas",
                    "make `$defs` a map from names to schemas",
                ),
            }
        }
        self.annotations(fields);
        self.constant(fields, pointer);
        self.exclusive_bounds(fields, pointer);
        self.union_with_null(fields, pointer);
        self.reference_siblings(fields);
        self.type_array(fields, pointer);

        // The sub-schemas, wherever the rules above left them.
        if let Some(Value::Object(properties)) = fields.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                self.schema(property, &format!("{pointer}/properties/{}", escape_pointer_token(name)));
            }
        }
        match fields.get_mut("items") {
            Some(Value::Array(_)) => self.problem(
                format!("{pointer}/items"),
                "`items` is a list (a tuple), which OpenAPI 3.0 cannot describe",
                "describe every item with one `items` schema",
            ),
            Some(items) => self.schema(items, &format!("{pointer}/items")),
            None => {}
        }
        if let Some(additional) = fields.get_mut("additionalProperties")
            && additional.is_object()
        {
            self.schema(additional, &format!("{pointer}/additionalProperties"));
        }
        if let Some(not) = fields.get_mut("not") {
            self.schema(not, &format!("{pointer}/not"));
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(alternatives)) = fields.get_mut(combinator) {
                for (index, alternative) in alternatives.iter_mut().enumerate() {
                    self.schema(alternative, &format!("{pointer}/{combinator}/{index}"));
                }
            }
        }
    }

    fn dialect(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let Some(dialect) = fields.get("$schema") else { return };
        if is_known_dialect(dialect) {
            fields.shift_remove("$schema");
            self.count(Rule::SchemaDialect);
        } else {
            self.problem(
                pointer_to(pointer, "$schema"),
                format!("the schema names the JSON Schema dialect {dialect}, which is not the document's"),
                format!("remove `$schema`, or set it to {DEFAULT_DIALECT} or {JSON_SCHEMA_2020_12}"),
            );
        }
    }

    fn validation_only(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        for keyword in VALIDATION_ONLY {
            if fields.shift_remove(keyword).is_some() {
                self.count(Rule::ValidationOnly);
            }
        }
        for (keyword, instead) in [
            ("unevaluatedProperties", "give the other properties a type with `additionalProperties`"),
            ("unevaluatedItems", "describe every item with `items`"),
        ] {
            match fields.get(keyword) {
                Some(Value::Bool(_)) => {
                    fields.shift_remove(keyword);
                    self.count(Rule::ValidationOnly);
                }
                Some(_) => self.problem(
                    pointer_to(pointer, keyword),
                    format!("`{keyword}` with a schema gives what the schema does not list a type, which OpenAPI 3.0 cannot say"),
                    instead,
                ),
                None => {}
            }
        }
    }

    fn annotations(&mut self, fields: &mut Map<String, Value>) {
        if let Some(examples) = fields.shift_remove("examples") {
            if !fields.contains_key("example")
                && let Some(first) = examples.as_array().and_then(|examples| examples.first())
            {
                fields.insert("example".to_owned(), first.clone());
            }
            self.count(Rule::Annotations);
        }
        for keyword in ["$comment", "contentEncoding", "contentMediaType"] {
            if fields.shift_remove(keyword).is_some() {
                self.count(Rule::Annotations);
            }
        }
    }

    fn constant(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let Some(constant) = fields.shift_remove("const") else { return };
        match fields.get("enum") {
            None => {
                fields.insert("enum".to_owned(), Value::Array(vec![constant]));
                self.count(Rule::Const);
            }
            Some(Value::Array(values)) if values.contains(&constant) => {
                fields.insert("enum".to_owned(), Value::Array(vec![constant]));
                self.count(Rule::Const);
            }
            Some(_) => {
                fields.insert("const".to_owned(), constant);
                self.problem(
                    pointer_to(pointer, "const"),
                    "`const` and `enum` allow no common value",
                    "keep either `const` or `enum`",
                );
            }
        }
    }

    fn exclusive_bounds(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        for (exclusive, inclusive, stricter) in [
            ("exclusiveMinimum", "minimum", std::cmp::Ordering::Greater),
            ("exclusiveMaximum", "maximum", std::cmp::Ordering::Less),
        ] {
            let Some(bound) = fields.get(exclusive) else { continue };
            if bound.is_boolean() {
                // Already the 3.0 form; it is accepted as the author wrote it.
                continue;
            }
            let Some(bound_number) = bound.as_f64() else {
                self.problem(
                    pointer_to(pointer, exclusive),
                    format!("`{exclusive}` is {bound}, not a number"),
                    format!("give `{exclusive}` a number"),
                );
                continue;
            };
            let bound = bound.clone();
            fields.shift_remove(exclusive);
            let keep_inclusive = fields
                .get(inclusive)
                .and_then(Value::as_f64)
                .is_some_and(|existing| existing.partial_cmp(&bound_number) == Some(stricter));
            if !keep_inclusive {
                fields.insert(inclusive.to_owned(), bound);
                fields.insert(exclusive.to_owned(), Value::Bool(true));
            }
            self.count(Rule::ExclusiveBounds);
        }
    }

    fn union_with_null(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        for combinator in ["oneOf", "anyOf"] {
            let Some(Value::Array(alternatives)) = fields.get(combinator) else { continue };
            let is_null = |alternative: &Value| {
                alternative.as_object().is_some_and(|schema| {
                    let type_is_null = match schema.get("type") {
                        Some(Value::String(kind)) => kind == "null",
                        Some(Value::Array(kinds)) => kinds.iter().all(|kind| kind.as_str() == Some("null")),
                        _ => false,
                    };
                    type_is_null && schema.keys().all(|key| matches!(key.as_str(), "type" | "description" | "title"))
                })
            };
            if !alternatives.iter().any(is_null) {
                continue;
            }
            let rest: Vec<Value> = alternatives.iter().filter(|alternative| !is_null(alternative)).cloned().collect();
            match rest.len() {
                0 => self.problem(
                    pointer_to(pointer, combinator),
                    format!("`{combinator}` allows only null"),
                    "describe the value the field holds when it is not null",
                ),
                1 => {
                    fields.shift_remove(combinator);
                    if fields.contains_key("allOf") {
                        if let Some(Value::Array(all_of)) = fields.get_mut("allOf") {
                            all_of.extend(rest);
                        }
                    } else {
                        fields.insert("allOf".to_owned(), Value::Array(rest));
                    }
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                    self.count(Rule::NullableUnion);
                }
                _ => {
                    fields.insert(combinator.to_owned(), Value::Array(rest));
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                    self.count(Rule::NullableUnion);
                }
            }
        }
    }

    fn reference_siblings(&mut self, fields: &mut Map<String, Value>) {
        if !fields.contains_key("$ref") {
            return;
        }
        // 3.0 reads a `$ref` beside only annotations the same way; anything else 3.0 would ignore.
        let only_annotations =
            fields.keys().all(|key| matches!(key.as_str(), "$ref" | "description" | "summary" | "title"));
        if only_annotations {
            return;
        }
        let Some(reference) = fields.shift_remove("$ref") else { return };
        let target = json!({ "$ref": reference });
        match fields.get_mut("allOf") {
            Some(Value::Array(all_of)) => all_of.insert(0, target),
            _ => {
                fields.insert("allOf".to_owned(), Value::Array(vec![target]));
            }
        }
        self.count(Rule::ReferenceSiblings);
    }

    fn type_array(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let type_pointer = pointer_to(pointer, "type");
        let kinds = match fields.get("type") {
            Some(Value::Array(kinds)) => kinds.clone(),
            Some(Value::String(kind)) if kind == "null" => {
                self.problem(
                    type_pointer,
                    "`type: null` alone has no OpenAPI 3.0 equivalent",
                    "give the field a type and `nullable: true`, or remove the field",
                );
                return;
            }
            _ => return,
        };
        let mut names = Vec::new();
        for (index, kind) in kinds.iter().enumerate() {
            match kind.as_str() {
                Some(name) if JSON_TYPES.contains(&name) => {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                _ => {
                    self.problem(
                        format!("{type_pointer}/{index}"),
                        format!("{kind} is not a JSON type"),
                        format!("use one of {}", JSON_TYPES.join(", ")),
                    );
                    return;
                }
            }
        }
        let nullable = names.contains(&"null");
        let mut rest: Vec<&str> = names.into_iter().filter(|name| *name != "null").collect();
        // `integer` is a kind of `number`: listing both means `number`.
        if rest.contains(&"number") {
            rest.retain(|name| *name != "integer");
        }
        let covers_everything =
            ["array", "boolean", "number", "object", "string"].iter().all(|kind| rest.contains(kind));
        match rest.as_slice() {
            [] => self.problem(
                type_pointer,
                "`type` lists only null",
                "give the field a type and `nullable: true`, or remove the field",
            ),
            [single] => {
                fields.insert("type".to_owned(), Value::String((*single).to_owned()));
                if nullable {
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                }
                self.count(Rule::NullableTypeArray);
            }
            _ if covers_everything && nullable => {
                fields.shift_remove("type");
                fields.insert("nullable".to_owned(), Value::Bool(true));
                self.count(Rule::AnyTypeArray);
            }
            _ if covers_everything => self.problem(
                type_pointer,
                "`type` allows every JSON value but null, which OpenAPI 3.0 cannot say",
                "add \"null\" to the list (any value), or list fewer types",
            ),
            several => {
                if fields.contains_key("anyOf") {
                    self.problem(
                        type_pointer,
                        "a `type` list beside `anyOf` cannot be split into alternatives",
                        "move the types into the `anyOf` alternatives",
                    );
                    return;
                }
                let several: Vec<&str> = several.to_vec();
                fields.shift_remove("type");
                let mut alternatives: Vec<Map<String, Value>> = several
                    .iter()
                    .map(|kind| {
                        let mut alternative = Map::new();
                        alternative.insert("type".to_owned(), Value::String((*kind).to_owned()));
                        alternative
                    })
                    .collect();
                let keywords: Vec<String> = fields.keys().cloned().collect();
                for keyword in keywords {
                    let applies_to = if keyword == "format" {
                        fields.get("format").and_then(Value::as_str).map(format_type)
                    } else {
                        keyword_type(&keyword)
                    };
                    let Some(applies_to) = applies_to else { continue };
                    let Some(value) = fields.shift_remove(&keyword) else { continue };
                    for (kind, alternative) in several.iter().zip(alternatives.iter_mut()) {
                        if applies_to.contains(kind) {
                            alternative.insert(keyword.clone(), value.clone());
                        }
                    }
                }
                fields.insert("anyOf".to_owned(), Value::Array(alternatives.into_iter().map(Value::Object).collect()));
                if nullable {
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                }
                self.count(Rule::MultiTypeArray);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{Applied, Rule, normalize};
    use crate::read;

    /// Normalises a 3.1 document that has `schema` as its only component schema.
    fn schema_after(schema: Value) -> Result<(Value, Applied), String> {
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": {},
            "components": { "schemas": { "Thing": schema } },
        }))?;
        Ok((after["components"]["schemas"]["Thing"].clone(), applied))
    }

    fn rewritten(schema: Value) -> Value {
        schema_after(schema).expect("a faithful rule applies").0
    }

    fn refused(schema: Value) -> String {
        schema_after(schema).expect_err("no faithful rule")
    }

    #[test]
    fn the_version_string_becomes_3_0_3_and_3_0_documents_are_left_alone() {
        let mut loaded =
            read::load("a.yaml", b"openapi: 3.1.1\ninfo: {title: t, version: '1'}\npaths: {}\n").expect("loads");
        let applied = normalize(&mut loaded).expect("normalises");
        assert_eq!(loaded.value["openapi"], "3.0.3");
        assert_eq!(applied.get(&Rule::VersionString), Some(&1));

        let mut older =
            read::load("b.yaml", b"openapi: 3.0.2\ninfo: {title: t, version: '1'}\npaths: {}\n").expect("loads");
        assert!(normalize(&mut older).expect("nothing to do").is_empty());
        assert_eq!(older.value["openapi"], "3.0.2");
    }

    #[test]
    fn a_type_list_with_null_becomes_nullable() {
        assert_eq!(
            rewritten(json!({ "type": ["string", "null"], "format": "date-time" })),
            json!({ "type": "string", "format": "date-time", "nullable": true })
        );
        assert_eq!(rewritten(json!({ "type": ["array"], "items": {} })), json!({ "type": "array", "items": {} }));
        assert_eq!(
            schema_after(json!({ "type": ["null", "integer"] })).expect("applies").1.get(&Rule::NullableTypeArray),
            Some(&1)
        );
    }

    #[test]
    fn a_type_list_of_every_json_type_is_any_value() {
        assert_eq!(
            rewritten(json!({ "type": ["array", "boolean", "number", "object", "string", "null"] })),
            json!({ "nullable": true })
        );
        assert!(refused(json!({ "type": ["array", "boolean", "number", "object", "string"] })).contains("but null"));
    }

    #[test]
    fn a_type_list_of_several_types_becomes_any_of_with_the_keywords_of_each() {
        assert_eq!(
            rewritten(json!({
                "type": ["string", "integer", "null"],
                "description": "a string or a number",
                "maxLength": 4,
                "minimum": 1,
                "format": "int64",
            })),
            json!({
                "description": "a string or a number",
                "anyOf": [
                    { "type": "string", "maxLength": 4 },
                    { "type": "integer", "minimum": 1, "format": "int64" },
                ],
                "nullable": true,
            })
        );
    }

    #[test]
    fn a_union_of_a_reference_and_null_becomes_a_nullable_all_of() {
        assert_eq!(
            rewritten(json!({ "oneOf": [{ "$ref": "#/components/schemas/Other" }, { "type": "null" }] })),
            json!({ "allOf": [{ "$ref": "#/components/schemas/Other" }], "nullable": true })
        );
        assert_eq!(
            rewritten(json!({ "anyOf": [{ "type": "null" }, { "type": "string" }, { "type": "integer" }] })),
            json!({ "anyOf": [{ "type": "string" }, { "type": "integer" }], "nullable": true })
        );
        assert!(refused(json!({ "oneOf": [{ "type": "null" }] })).contains("only null"));
    }

    #[test]
    fn a_reference_with_siblings_is_wrapped_and_one_with_annotations_is_kept() {
        assert_eq!(
            rewritten(json!({ "$ref": "#/components/schemas/Other", "readOnly": true })),
            json!({ "readOnly": true, "allOf": [{ "$ref": "#/components/schemas/Other" }] })
        );
        assert_eq!(
            rewritten(json!({ "$ref": "#/components/schemas/Other", "description": "d" })),
            json!({ "$ref": "#/components/schemas/Other", "description": "d" })
        );
    }

    #[test]
    fn const_exclusive_bounds_and_boolean_schemas_have_3_0_forms() {
        assert_eq!(rewritten(json!({ "const": "a" })), json!({ "enum": ["a"] }));
        assert!(refused(json!({ "const": "a", "enum": ["b"] })).contains("no common value"));
        assert_eq!(
            rewritten(json!({ "type": "integer", "exclusiveMinimum": 0, "maximum": 9, "exclusiveMaximum": 10 })),
            json!({ "type": "integer", "maximum": 9, "minimum": 0, "exclusiveMinimum": true })
        );
        assert_eq!(
            rewritten(json!({ "type": "object", "properties": { "a": true, "b": false } })),
            json!({ "type": "object", "properties": { "a": {}, "b": { "not": {} } } })
        );
    }

    #[test]
    fn annotations_3_0_lacks_are_dropped_and_the_first_example_kept() {
        assert_eq!(
            rewritten(
                json!({ "type": "string", "examples": ["x", "y"], "$comment": "c", "contentMediaType": "text/plain" })
            ),
            json!({ "type": "string", "example": "x" })
        );
    }

    #[test]
    fn constructs_without_a_faithful_rule_are_located_errors() {
        let message = refused(json!({ "type": "object", "properties": { "kind": { "if": {}, "then": {} } } }));
        assert!(message.contains("`if` has no OpenAPI 3.0 equivalent"), "{message}");
        assert!(message.contains("(at /components/schemas/Thing/properties/kind/if)"), "{message}");
        assert!(message.contains("spec.json:1"), "{message}");
        assert!(message.contains("help:"), "{message}");
        assert!(refused(json!({ "type": "null" })).contains("`type: null` alone"));
        assert!(refused(json!({ "type": ["string", "text"] })).contains("\"text\" is not a JSON type"));
        assert!(refused(json!({ "type": "array", "items": [{}, {}] })).contains("tuple"));
    }

    /// Normalises a whole 3.1 document.
    fn document_after(document: Value) -> Result<(Value, Applied), String> {
        let mut loaded = read::load("spec.json", document.to_string().as_bytes()).map_err(|error| error.to_string())?;
        let applied = normalize(&mut loaded).map_err(|error| error.to_string())?;
        Ok((loaded.value, applied))
    }

    #[test]
    fn the_document_s_own_dialect_named_in_a_schema_is_dropped_and_another_refused() {
        assert_eq!(
            rewritten(json!({ "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string" })),
            json!({ "type": "string" })
        );
        assert_eq!(
            schema_after(json!({ "$schema": "https://spec.openapis.org/oas/3.1/dialect/base" }))
                .expect("applies")
                .1
                .get(&Rule::SchemaDialect),
            Some(&1)
        );
        let message = refused(json!({ "$schema": "http://json-schema.org/draft-04/schema#" }));
        assert!(
            message.contains("(at /components/schemas/Thing/$schema)") && message.contains("draft-04"),
            "{message}"
        );
    }

    #[test]
    fn validation_only_keywords_are_dropped_and_typed_unevaluated_ones_refused() {
        assert_eq!(
            rewritten(json!({
                "type": "object",
                "properties": { "tags": { "type": "array", "items": { "type": "string" }, "contains": { "const": "a" }, "minContains": 1, "maxContains": 2, "unevaluatedItems": false } },
                "dependentRequired": { "number": ["cvc"] },
                "propertyNames": { "pattern": "^[a-z]+$" },
                "unevaluatedProperties": false,
            })),
            json!({ "type": "object", "properties": { "tags": { "type": "array", "items": { "type": "string" } } } })
        );
        let message = refused(json!({ "type": "object", "unevaluatedProperties": { "type": "string" } }));
        assert!(message.contains("(at /components/schemas/Thing/unevaluatedProperties)"), "{message}");
    }

    #[test]
    fn definitions_become_component_schemas_and_references_follow_them() {
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1" },
            "paths": { "/x": { "get": { "responses": { "200": { "description": "ok", "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Thing/$defs/Inner" } } } } } } } },
            "components": { "schemas": { "Thing": {
                "$defs": {
                    "Inner": { "type": "object", "properties": { "deeper": { "$ref": "#/components/schemas/Thing/$defs/Inner/$defs/Leaf" } },
                        "$defs": { "Leaf": { "type": ["string", "null"] } } },
                },
                "type": "object",
                "properties": {
                    "inner": { "$ref": "#/components/schemas/Thing/$defs/Inner" },
                    "name": { "$ref": "#/components/schemas/Thing/$defs/Inner/properties/deeper" },
                },
            } } },
        }))
        .expect("translates");
        assert_eq!(applied.get(&Rule::Definitions), Some(&2));
        let schemas = &after["components"]["schemas"];
        assert!(schemas["Thing"].get("$defs").is_none());
        assert_eq!(schemas["Thing"]["properties"]["inner"]["$ref"], "#/components/schemas/Thing_Inner");
        assert_eq!(
            schemas["Thing"]["properties"]["name"]["$ref"],
            "#/components/schemas/Thing_Inner/properties/deeper"
        );
        assert_eq!(schemas["Thing_Inner"]["properties"]["deeper"]["$ref"], "#/components/schemas/Thing_Inner_Leaf");
        assert_eq!(
            schemas["Thing_Inner_Leaf"],
            json!({ "type": "string", "nullable": true }),
            "rewritten by the other rules"
        );
        let response = &after["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(response["$ref"], "#/components/schemas/Thing_Inner");

        let taken = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": {},
            "components": { "schemas": { "A": { "$defs": { "B": {} } }, "A_B": {} } },
        }))
        .expect_err("the name is taken");
        assert!(taken.contains("(at /components/schemas/A/$defs/B)") && taken.contains("\"A_B\""), "{taken}");
        let elsewhere = refused(json!({ "type": "object", "properties": { "p": { "$defs": { "X": {} } } } }));
        assert!(elsewhere.contains("(at /components/schemas/Thing/properties/p/$defs)"), "{elsewhere}");
    }

    #[test]
    fn path_items_in_components_are_copied_to_the_paths_that_name_them() {
        let shared = json!({ "get": { "operationId": "getShared", "responses": { "200": { "description": "ok",
            "content": { "application/json": { "schema": { "type": ["string", "null"] } } } } } } });
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
            "paths": {
                "/a": { "$ref": "#/components/pathItems/Shared", "summary": "the a path" },
                "/b": { "$ref": "#/components/pathItems/Alias" },
            },
            "components": { "pathItems": { "Shared": shared, "Alias": { "$ref": "#/components/pathItems/Shared" } } },
        }))
        .expect("translates");
        assert_eq!(applied.get(&Rule::PathItemComponents), Some(&2));
        assert!(after["components"].get("pathItems").is_none());
        assert_eq!(after["paths"]["/a"]["summary"], "the a path");
        assert_eq!(after["paths"]["/b"]["get"]["operationId"], "getShared");
        let schema = &after["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema, &json!({ "type": "string", "nullable": true }), "rewritten once, where it is written");

        let cycle = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
            "paths": { "/a": { "$ref": "#/components/pathItems/A" } },
            "components": { "pathItems": { "A": { "$ref": "#/components/pathItems/B" }, "B": { "$ref": "#/components/pathItems/A" } } },
        }))
        .expect_err("a cycle");
        assert!(cycle.contains("cycle") && cycle.contains("(at /paths/~1a/$ref)"), "{cycle}");
        let missing = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
            "paths": { "/a": { "$ref": "#/components/pathItems/Nope" } },
        }))
        .expect_err("nothing named");
        assert!(missing.contains("names no entry"), "{missing}");
    }

    #[test]
    fn an_operation_without_responses_gets_a_success_range_without_a_body() {
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
            "paths": { "/ping": { "post": { "operationId": "ping" } } },
        }))
        .expect("translates");
        assert_eq!(applied.get(&Rule::MissingResponses), Some(&1));
        assert_eq!(
            after["paths"]["/ping"]["post"]["responses"]["2XX"]["description"],
            super::MISSING_RESPONSES_DESCRIPTION
        );
    }

    #[test]
    fn prose_is_made_safe_for_doc_comments_and_markdown() {
        let document = json!({
            "openapi": "3.0.3",
            "info": { "title": "t\r\u{202e}", "version": "1", "description": "line\r\nnext\rlast\u{7}" },
            "paths": {},
            "components": { "schemas": { "Thing": {
                "description": "Example:\n```rust\nlet x = 1;\n```\nand\n```\nplain\n```",
                "example": { "description": "data\r" },
                "properties": { "description": { "type": "string", "description": "a\rb" } },
            } } },
        });
        let mut loaded = read::load("spec.json", document.to_string().as_bytes()).expect("loads");
        assert_eq!(super::normalize_text(&mut loaded), 4);
        assert_eq!(loaded.value["info"]["description"], "line\nnext\nlast");
        assert_eq!(loaded.value["info"]["title"], "t\n\\u{202e}", "a reordering character is written as an escape");
        let thing = &loaded.value["components"]["schemas"]["Thing"];
        assert_eq!(thing["description"], "Example:\n```text (rust)\nlet x = 1;\n```\nand\n```text\nplain\n```");
        assert_eq!(thing["example"]["description"], "data\r", "data is left alone");
        assert_eq!(
            thing["properties"]["description"]["description"], "a\nb",
            "a property named description is a schema"
        );
    }

    #[test]
    fn data_is_never_read_as_a_schema() {
        let example = json!({ "type": ["string", "null"], "$ref": "#/nowhere", "const": 1 });
        let after = rewritten(json!({ "type": "object", "example": example, "default": example, "enum": [example] }));
        assert_eq!(after["example"], example);
        assert_eq!(after["default"], example);
        assert_eq!(after["enum"][0], example);
    }

    #[test]
    fn schemas_in_every_place_of_an_operation_are_rewritten() {
        let nullable = json!({ "type": ["string", "null"] });
        let document = json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1", "summary": "s", "license": { "name": "MIT", "identifier": "MIT" } },
            "webhooks": {},
            "paths": { "/things/{id}": {
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": nullable }],
                "post": {
                    "parameters": [{ "name": "q", "in": "query", "schema": nullable }],
                    "requestBody": { "content": { "application/json": { "schema": nullable } } },
                    "responses": { "200": {
                        "description": "ok",
                        "headers": { "X-Next": { "schema": nullable } },
                        "content": { "application/json": { "schema": nullable } },
                    } },
                },
            } },
        });
        let mut loaded = read::load("spec.json", document.to_string().as_bytes()).expect("loads");
        let applied = normalize(&mut loaded).expect("normalises");
        assert_eq!(applied.get(&Rule::NullableTypeArray), Some(&5));
        let text = loaded.value.to_string();
        assert!(!text.contains("\"null\""), "{text}");
        assert!(loaded.value.get("webhooks").is_none());
        assert_eq!(loaded.value["info"], json!({ "title": "t", "version": "1", "license": { "name": "MIT" } }));
    }
}
