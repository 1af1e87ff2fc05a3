//! The rules that rewrite one schema (and, through it, its sub-schemas): 3.1's JSON Schema in its
//! 3.0 form, and the constructs documents write whose meaning JSON Schema defines.

use serde_json::{Map, Value, json};

use super::{Normalizer, Rule, pointer_to};
use crate::diagnostic::escape_pointer_token;

/// The JSON Schema dialect OpenAPI 3.1 uses when a document names none.
const DEFAULT_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// The JSON Schema dialect OpenAPI 3.1's base dialect extends.
const JSON_SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Whether a dialect is one the document's schemas are read in anyway.
pub(super) fn is_known_dialect(dialect: &Value) -> bool {
    matches!(dialect.as_str(), Some(DEFAULT_DIALECT | JSON_SCHEMA_2020_12))
}

/// Keywords that only validate a value and never change its Rust type ([`Rule::ValidationOnly`]).
const VALIDATION_ONLY: [&str; 5] = ["dependentRequired", "contains", "minContains", "maxContains", "propertyNames"];

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

/// The type a `format` belongs to, for a schema that gives no `type` ([`Rule::FormatType`]).
fn format_owner(format: &str) -> &'static str {
    match format {
        "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "uint" | "int" => "integer",
        "float" | "double" | "decimal" => "number",
        _ => "string",
    }
}

/// The JSON type of a value, `integer` for a whole number.
fn value_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `value` is a value of `kind` (an integer is a number too).
fn fits(kind: &str, value: &Value) -> bool {
    let found = value_type(value);
    found == kind || (kind == "number" && found == "integer")
}

/// Makes `fields` the schema of null alone ([`Rule::NullType`]).
fn null_only(fields: &mut Map<String, Value>) {
    fields.insert("enum".to_owned(), json!([null]));
    fields.insert("nullable".to_owned(), Value::Bool(true));
}

/// Keywords whose value is a schema, and those whose value is a list or map of schemas.
const SUB_SCHEMA_KEYWORDS: [&str; 3] = ["items", "additionalProperties", "not"];

impl Normalizer {
    /// Rewrites one schema and its sub-schemas. `in_all_of` says whether it is a part of an
    /// `allOf`, whose other parts may declare the properties it requires.
    pub(super) fn schema(&mut self, schema: &mut Value, pointer: &str) {
        self.schema_in(schema, pointer, false);
    }

    fn schema_in(&mut self, schema: &mut Value, pointer: &str, in_all_of: bool) {
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
        self.dialect(fields, pointer);
        self.validation_only(fields);
        self.definitions(fields, pointer);
        self.annotations(fields);
        self.constant(fields, pointer);
        self.exclusive_bounds(fields, pointer);
        self.union_with_null(fields);
        self.reference_siblings(fields);
        self.type_array(fields, pointer);
        self.json_schema_structures(fields);
        self.declared_type(fields);
        self.values(fields);
        if !in_all_of {
            self.required_without_property(fields);
        }
        self.sub_schemas(fields, pointer);
    }

    /// The sub-schemas, wherever the rules left them.
    fn sub_schemas(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        if let Some(Value::Object(properties)) = fields.get_mut("properties") {
            for (name, property) in properties.iter_mut() {
                self.schema(property, &format!("{pointer}/properties/{}", escape_pointer_token(name)));
            }
        }
        for keyword in SUB_SCHEMA_KEYWORDS {
            if let Some(sub_schema) = fields.get_mut(keyword)
                && sub_schema.is_object()
            {
                self.schema(sub_schema, &pointer_to(pointer, keyword));
            }
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            if let Some(Value::Array(alternatives)) = fields.get_mut(combinator) {
                for (index, alternative) in alternatives.iter_mut().enumerate() {
                    self.schema_in(alternative, &format!("{pointer}/{combinator}/{index}"), combinator == "allOf");
                }
            }
        }
    }

    /// The definitions of `$defs` are rewritten where they are: those at the top of a component
    /// schema are lifted into components later ([`Rule::Definitions`]), and the references to any
    /// other are ([`Rule::ReferenceTargets`]).
    fn definitions(&mut self, fields: &mut Map<String, Value>, pointer: &str) {
        let Some(definitions) = fields.get_mut("$defs") else { return };
        match definitions {
            Value::Object(definitions) => {
                for (name, definition) in definitions.iter_mut() {
                    self.schema(definition, &format!("{pointer}/$defs/{}", escape_pointer_token(name)));
                }
            }
            _ => self.problem(
                pointer_to(pointer, "$defs"),
                "`$defs` is not a map of schemas",
                "make `$defs` a map from names to schemas",
            ),
        }
    }

    /// JSON Schema's structures that OpenAPI 3.0 lacks, in the 3.0 form with their meaning:
    /// tuples, pattern properties, conditionals and dependent schemas.
    fn json_schema_structures(&mut self, fields: &mut Map<String, Value>) {
        // Tuples: `prefixItems`, or a list-valued `items` (the older form).
        // Further items are `items` beside `prefixItems`, `additionalItems` beside a list.
        let positional = match (fields.shift_remove("prefixItems"), fields.get("items")) {
            (Some(Value::Array(members)), _) => Some((members, fields.shift_remove("items"))),
            (_, Some(Value::Array(_))) => match fields.shift_remove("items") {
                Some(Value::Array(members)) => Some((members, fields.shift_remove("additionalItems"))),
                _ => None,
            },
            _ => None,
        };
        if let Some((mut members, further)) = positional {
            match further {
                // No further items.
                Some(Value::Bool(false)) => {}
                Some(further @ Value::Object(_)) => members.push(further),
                // Further items may be any value.
                _ => members.push(json!({})),
            }
            fields.insert("items".to_owned(), one_of_any(members));
            self.count(Rule::PrefixItems);
        }
        if let Some(Value::Object(patterns)) = fields.shift_remove("patternProperties") {
            let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, schema)| schema).collect();
            match fields.shift_remove("additionalProperties") {
                // Only keys that match a pattern.
                Some(Value::Bool(false)) => {}
                Some(additional @ Value::Object(_)) => schemas.push(additional),
                // Other keys may hold any value.
                _ => schemas.push(json!({})),
            }
            fields.insert("additionalProperties".to_owned(), one_of_any(schemas));
            self.count(Rule::PatternProperties);
        }
        let condition = fields.shift_remove("if");
        let (then, otherwise) = (fields.shift_remove("then"), fields.shift_remove("else"));
        if condition.is_some() || then.is_some() || otherwise.is_some() {
            if let (Some(then), Some(otherwise)) = (then, otherwise) {
                let all_of = fields.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(all_of) = all_of {
                    all_of.push(json!({ "anyOf": [then, otherwise] }));
                }
            }
            self.count(Rule::Conditionals);
        }
        if let Some(Value::Object(dependents)) = fields.shift_remove("dependentSchemas") {
            for (_, dependent) in dependents {
                let Some(Value::Object(added)) = dependent.get("properties") else { continue };
                let properties = fields.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(properties) = properties {
                    for (name, schema) in added {
                        properties.entry(name.clone()).or_insert_with(|| schema.clone());
                    }
                }
            }
            self.count(Rule::DependentSchemas);
        }
    }

    /// The declared type, and what does not fit it: `type: file`, a `format` that says the type,
    /// keywords of several types without a type, keywords of other types than the declared one.
    fn declared_type(&mut self, fields: &mut Map<String, Value>) {
        if fields.get("type").and_then(Value::as_str) == Some("file") {
            fields.insert("type".to_owned(), json!("string"));
            fields.insert("format".to_owned(), json!("binary"));
            self.count(Rule::FileType);
        }
        let combined = ["$ref", "allOf", "anyOf", "oneOf", "not"].iter().any(|keyword| fields.contains_key(*keyword));
        if fields.get("type").is_none() && !combined {
            if let Some(format) = fields.get("format").and_then(Value::as_str) {
                fields.insert("type".to_owned(), json!(format_owner(format)));
                self.count(Rule::FormatType);
            } else {
                self.untyped_keywords(fields);
            }
        }
        let Some(kind) = fields.get("type").and_then(Value::as_str).map(str::to_owned) else { return };
        let keywords: Vec<String> = fields.keys().cloned().collect();
        let mut dropped = false;
        for keyword in keywords {
            let applies = match keyword.as_str() {
                "format" => {
                    fields
                        .get("format")
                        .and_then(Value::as_str)
                        .is_none_or(|format| format_type(format).contains(&kind.as_str()))
                        || kind == "string"
                }
                other => keyword_type(other).is_none_or(|kinds| {
                    kinds.contains(&kind.as_str()) || (kind == "number" && kinds.contains(&"integer"))
                }),
            };
            if !applies {
                fields.shift_remove(&keyword);
                dropped = true;
            }
        }
        if dropped {
            self.count(Rule::KeywordsOfOtherTypes);
        }
    }

    /// A schema without `type`: keywords or `enum` values of several types mean any value
    /// ([`Rule::UntypedKeywords`]); of one type, they say the type (a number for numeric
    /// keywords, which do not tell an integer from a number).
    fn untyped_keywords(&mut self, fields: &mut Map<String, Value>) {
        let mut kinds: Vec<&str> = fields
            .keys()
            .filter_map(|keyword| keyword_type(keyword))
            .map(|kinds| if kinds.contains(&"integer") { "number" } else { kinds[0] })
            .collect();
        if let Some(Value::Array(values)) = fields.get("enum") {
            kinds.extend(values.iter().filter(|value| !value.is_null()).map(|value| match value_type(value) {
                "integer" => "number",
                other => other,
            }));
        }
        kinds.sort_unstable();
        kinds.dedup();
        match kinds.as_slice() {
            [] => {}
            [kind] => {
                fields.insert("type".to_owned(), json!(kind));
                self.count(Rule::UntypedKeywords);
            }
            _ => {
                fields.retain(|keyword, _| keyword_type(keyword).is_none() && keyword != "enum");
                self.count(Rule::UntypedKeywords);
            }
        }
    }

    /// `enum` and `default`: values listed twice, values and a default of another type.
    fn values(&mut self, fields: &mut Map<String, Value>) {
        let kind = fields.get("type").and_then(Value::as_str).map(str::to_owned);
        let nullable = fields.get("nullable") == Some(&Value::Bool(true));
        if let Some(Value::Array(values)) = fields.get_mut("enum") {
            let before = values.len();
            let mut seen: Vec<Value> = Vec::with_capacity(before);
            values.retain(|value| {
                let fresh = !seen.contains(value);
                if fresh {
                    seen.push(value.clone());
                }
                fresh
            });
            if values.len() < before {
                self.count(Rule::DuplicateEnumValues);
            }
            if let Some(kind) = &kind {
                let before = values.len();
                values.retain(|value| fits(kind, value) || (value.is_null() && nullable));
                if values.len() < before {
                    self.count(Rule::KeywordsOfOtherTypes);
                }
                if values.is_empty() {
                    fields.shift_remove("enum");
                }
            }
        }
        let Some(default) = fields.get("default") else { return };
        let of_type = match &kind {
            Some(kind) => fits(kind, default) || (default.is_null() && nullable),
            None => true,
        };
        let listed = match fields.get("enum") {
            Some(Value::Array(values)) => values.contains(default) || (default.is_null() && nullable),
            _ => true,
        };
        if !of_type || !listed {
            fields.shift_remove("default");
            self.count(Rule::InvalidDefault);
        }
    }

    /// Every name in `required` is a property: one the schema does not declare is any value.
    fn required_without_property(&mut self, fields: &mut Map<String, Value>) {
        if fields.contains_key("allOf") {
            // The parts may declare it; typify merges them with the required names.
            return;
        }
        let Some(Value::Array(required)) = fields.get("required") else { return };
        let missing: Vec<String> = required
            .iter()
            .filter_map(Value::as_str)
            .filter(|name| fields.get("properties").and_then(|properties| properties.get(*name)).is_none())
            .map(str::to_owned)
            .collect();
        if missing.is_empty() {
            return;
        }
        let additional = fields.get("additionalProperties").filter(|additional| additional.is_object()).cloned();
        let properties = fields.entry("properties").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(properties) = properties {
            for name in missing {
                properties.insert(name, additional.clone().unwrap_or_else(|| json!({})));
            }
        }
        self.count(Rule::RequiredWithoutProperty);
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

    fn validation_only(&mut self, fields: &mut Map<String, Value>) {
        for keyword in VALIDATION_ONLY {
            if fields.shift_remove(keyword).is_some() {
                self.count(Rule::ValidationOnly);
            }
        }
        // `not` of anything but every value only takes values away from the rest of the schema.
        if fields.get("not").is_some_and(|not| not != &json!({}) && not != &Value::Bool(true)) {
            fields.shift_remove("not");
            self.count(Rule::ValidationOnly);
        }
        for (keyword, instead) in [("unevaluatedProperties", "additionalProperties"), ("unevaluatedItems", "items")] {
            match fields.shift_remove(keyword) {
                Some(Value::Bool(_)) => self.count(Rule::ValidationOnly),
                // What the rest of the schema leaves unevaluated is typed like any further property or item.
                Some(schema) => {
                    if !fields.contains_key(instead) {
                        fields.insert(instead.to_owned(), schema);
                    }
                    self.count(Rule::UnevaluatedSchemas);
                }
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

    fn union_with_null(&mut self, fields: &mut Map<String, Value>) {
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
                0 => {
                    fields.shift_remove(combinator);
                    null_only(fields);
                    self.count(Rule::NullType);
                }
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
        // A `$ref` that is not a string is no reference to move: it stays where it is written,
        // for the checks to refuse there.
        if !matches!(fields.get("$ref"), Some(Value::String(_))) {
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
                fields.shift_remove("type");
                null_only(fields);
                self.count(Rule::NullType);
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
            [] => {
                fields.shift_remove("type");
                null_only(fields);
                self.count(Rule::NullType);
            }
            [single] => {
                fields.insert("type".to_owned(), Value::String((*single).to_owned()));
                if nullable {
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                }
                self.count(Rule::NullableTypeArray);
            }
            // Every type: any value (with null or without: the Rust type of any value takes null too).
            _ if covers_everything => {
                fields.shift_remove("type");
                if nullable {
                    fields.insert("nullable".to_owned(), Value::Bool(true));
                }
                self.count(Rule::AnyTypeArray);
            }
            several => {
                let several: Vec<&str> = several.to_vec();
                // An `anyOf` already there holds as well: both go into an `allOf`.
                if let Some(existing) = fields.shift_remove("anyOf") {
                    let all_of = fields.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(all_of) = all_of {
                        all_of.push(json!({ "anyOf": existing }));
                    }
                }
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

/// The one schema a value valid against any of `schemas` fits: any value where one of them allows
/// anything (or there are none), the one schema they all are, else their `anyOf`.
fn one_of_any(mut schemas: Vec<Value>) -> Value {
    schemas.dedup();
    match schemas.as_slice() {
        [] => json!({}),
        _ if schemas.iter().any(|schema| schema == &json!({}) || schema == &Value::Bool(true)) => json!({}),
        [one] => one.clone(),
        _ => json!({ "anyOf": schemas }),
    }
}
