//! The document's walk: its root, paths and components, path items, parameters, bodies and
//! responses, down to every schema; the rules that move or add whole nodes (path items in
//! components, `$defs`, webhooks, a missing `paths`).

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::{Normalizer, Rule, TARGET_VERSION, pointer_to};
use crate::diagnostic::escape_pointer_token;
use crate::read::openapi::HttpMethod;

/// How many component entries one task of the pool rewrites.
const RUN: usize = 64;

/// The response an operation without `responses` gets ([`Rule::MissingResponses`]).
pub(super) const MISSING_RESPONSES_DESCRIPTION: &str =
    "Any success status; the document lists no responses for this operation.";

/// Whether `value` can be read as a path item: an object of its fields only.
fn is_path_item(value: &Value) -> bool {
    let Value::Object(fields) = value else { return false };
    fields.keys().all(|key| {
        HttpMethod::from_key(key).is_some()
            || key.starts_with("x-")
            || matches!(key.as_str(), "summary" | "description" | "servers" | "parameters" | "$ref")
    })
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

impl Normalizer {
    pub(super) fn root(&mut self, root: &mut Map<String, Value>) {
        if self.is_3_1 {
            root.insert("openapi".to_owned(), Value::String(TARGET_VERSION.to_owned()));
            self.count(Rule::VersionString);
        }
        if !root.contains_key("paths") {
            root.insert("paths".to_owned(), Value::Object(Map::new()));
            self.count(Rule::MissingPaths);
        }
        super::references::resolve_anchors(self, root);
        self.webhooks(root);
        if let Some(dialect) = root.shift_remove("jsonSchemaDialect") {
            if super::schema::is_known_dialect(&dialect) {
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
        // The document as written, for path item references outside components/pathItems.
        let elsewhere = |item: &Value| {
            item.get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|reference| !reference.starts_with("#/components/pathItems/"))
        };
        let referred_elsewhere =
            root.get("paths").and_then(Value::as_object).is_some_and(|paths| paths.values().any(elsewhere))
                || path_items.values().any(elsewhere);
        let document = referred_elsewhere.then(|| Value::Object(root.clone()));
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_to("/paths", path);
                if !self.path_item_reference(item, &pointer, &path_items, document.as_ref()) {
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
        super::references::lift_reference_targets(self, root);
    }

    /// Makes the payload schemas of the webhooks component schemas, and drops the webhooks
    /// ([`Rule::Webhooks`]): a reference stays as it is; an inline schema becomes
    /// `<Webhook><Method>Payload` (without the method when the webhook has one operation).
    fn webhooks(&mut self, root: &mut Map<String, Value>) {
        let mut lifted: Vec<(String, Value, String)> = Vec::new();
        for key in ["webhooks", "x-webhooks"] {
            let Some(Value::Object(webhooks)) = root.shift_remove(key) else { continue };
            self.count(Rule::Webhooks);
            for (name, item) in webhooks {
                let Value::Object(item) = item else { continue };
                let operations: Vec<(&String, &Value)> =
                    item.iter().filter(|(method, _)| HttpMethod::from_key(method).is_some()).collect();
                for (method, operation) in &operations {
                    let Some(Value::Object(content)) = operation.pointer("/requestBody/content") else { continue };
                    let media = content
                        .iter()
                        .find(|(media_type, _)| crate::read::openapi::is_json(media_type))
                        .or_else(|| content.iter().next());
                    let Some((media_type, media)) = media else { continue };
                    let Some(schema) = media.get("schema") else { continue };
                    if schema.get("$ref").is_some() {
                        continue;
                    }
                    let suffix = if operations.len() > 1 { format!("_{method}") } else { String::new() };
                    let written_at = format!(
                        "/{key}/{}/{method}/requestBody/content/{}/schema",
                        escape_pointer_token(&name),
                        escape_pointer_token(media_type)
                    );
                    lifted.push((format!("{name}{suffix}_payload"), schema.clone(), written_at));
                }
            }
        }
        if lifted.is_empty() {
            return;
        }
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else { return };
        let schemas = components.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else { return };
        for (name, schema, written_at) in lifted {
            let name = (1..)
                .map(|counter| if counter == 1 { name.clone() } else { format!("{name}{counter}") })
                .find(|candidate| !schemas.contains_key(candidate))
                .unwrap_or(name);
            self.moved.push((written_at, pointer_to("/components/schemas", &name)));
            schemas.insert(name, schema);
        }
    }

    /// Replaces a path item that is a `$ref` with a copy of the path item it names
    /// ([`Rule::PathItemReferences`]): one of `components/pathItems` (rewritten there already),
    /// or any other in the document (`document`, rewritten here), through further references.
    /// The fields written beside the `$ref` are added to the copy; one the named item has too is
    /// refused (OpenAPI leaves which applies undefined), but for `summary` and `description`,
    /// where the one beside the reference wins. Returns whether the item was a reference.
    fn path_item_reference(
        &mut self,
        item: &mut Value,
        pointer: &str,
        path_items: &Map<String, Value>,
        document: Option<&Value>,
    ) -> bool {
        let reference = match item.get("$ref") {
            None => return false,
            Some(Value::String(reference)) => reference.clone(),
            Some(_) => {
                self.problem(
                    pointer_to(pointer, "$ref"),
                    "the path item's `$ref` is not a string",
                    "write it as a reference to a path item (`#/components/pathItems/Name`), or write the operations out under the path",
                );
                return true;
            }
        };
        let Some((name, target, rewritten)) = self.path_item_target(&reference, pointer, path_items, document) else {
            return true;
        };
        let Value::Object(mut copy) = target else { return true };
        let Some(fields) = item.as_object() else { return true };
        let both: Vec<&String> = fields
            .keys()
            .filter(|key| copy.contains_key(*key) && !matches!(key.as_str(), "$ref" | "summary" | "description"))
            .collect();
        if !both.is_empty() {
            for key in both {
                self.problem(
                    pointer_to(pointer, key),
                    format!("`{key}` is both beside the `$ref` and in the path item it names, and OpenAPI leaves which applies undefined"),
                    "keep the field in one of the two places",
                );
            }
            return true;
        }
        let Value::Object(fields) = std::mem::take(item) else { return true };
        let mut siblings: Map<String, Value> = fields.into_iter().filter(|(key, _)| key != "$ref").collect();
        if rewritten {
            // The named item is rewritten already; what is beside the reference is rewritten alone.
            let mut beside = Value::Object(std::mem::take(&mut siblings));
            self.path_item(&mut beside, pointer);
            if let Value::Object(beside) = beside {
                siblings = beside;
            }
        }
        copy.extend(siblings);
        self.moved.push((name, pointer.to_owned()));
        *item = Value::Object(copy);
        if !rewritten {
            self.path_item(item, pointer);
        }
        self.count(Rule::PathItemReferences);
        true
    }

    /// The path item `reference` names, through further references, refusing a cycle, a target
    /// outside the document and one that is not a path item: where it is written, a copy, and
    /// whether it is rewritten already (an entry of `components/pathItems`).
    fn path_item_target(
        &mut self,
        reference: &str,
        pointer: &str,
        path_items: &Map<String, Value>,
        document: Option<&Value>,
    ) -> Option<(String, Value, bool)> {
        const PREFIX: &str = "#/components/pathItems/";
        let at = format!("{pointer}/$ref");
        let mut seen: Vec<String> = Vec::new();
        let mut current = reference.to_owned();
        loop {
            if seen.contains(&current) {
                self.problem(
                    at,
                    format!("the path item reference {reference:?} goes round in a cycle through {current:?}"),
                    "make one of the path items in the cycle a path item, not a reference",
                );
                return None;
            }
            seen.push(current.clone());
            let (written, target, rewritten) = if let Some(name) = current.strip_prefix(PREFIX) {
                let name = crate::diagnostic::unescape_pointer_token(name);
                (pointer_to("/components/pathItems", &name), path_items.get(&name), true)
            } else if let Some(local) = current.strip_prefix('#') {
                (local.to_owned(), document.and_then(|document| document.pointer(local)), false)
            } else {
                self.problem(
                    at,
                    format!("the path item reference {reference:?} names a path item in another document"),
                    "copy the path item into this document and refer to it with a `#/...` reference",
                );
                return None;
            };
            let Some(target) = target else {
                self.problem(
                    at,
                    format!("the path item reference {reference:?} names nothing in the document"),
                    "add the path item, or correct the reference",
                );
                return None;
            };
            match target.get("$ref") {
                Some(Value::String(next)) => current = next.clone(),
                _ if is_path_item(target) => return Some((written, target.clone(), rewritten)),
                _ => {
                    self.problem(
                        at,
                        format!("the path item reference {reference:?} names something that is not a path item"),
                        "refer to a path item: an object of operations, `parameters`, `summary` and the like",
                    );
                    return None;
                }
            }
        }
    }

    pub(super) fn components(&mut self, components: &mut Map<String, Value>) {
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
                // A name the components have already gets a number after it.
                let base = format!("{name}_{definition}");
                let new_name = (1..)
                    .map(|counter| if counter == 1 { base.clone() } else { format!("{base}_{counter}") })
                    .find(|candidate| !schemas.contains_key(candidate))
                    .unwrap_or(base);
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
}
