//! Rewrites a document, in memory, into the OpenAPI 3.0.3 that progenitor reads: OpenAPI 3.1 and
//! its JSON Schema into their 3.0 forms, and what documents commonly write that has a meaning
//! OpenAPI or JSON Schema defines (a `default` that is no value of its schema, keywords that do
//! not apply to the declared type, a reference into a schema, webhooks) into the form with the
//! same meaning that the rest of the generator reads.
//!
//! Every rewrite is a named [`Rule`] that keeps the document's meaning. A construct that no rule
//! can express is a located error (file, line and JSON pointer), never a silent change: the
//! document is rewritten only when every construct in it has a faithful rule.
//!
//! The walk is structural: it visits the places where the OpenAPI specification puts schemas
//! (components, parameters, request bodies, responses, headers, and the sub-schemas of a schema)
//! and nothing else, so data such as `example`, `default` or `enum` values is never mistaken for
//! a schema even when it holds `type` or `$ref` keys.

mod document;
pub(crate) mod prose;
mod references;
mod schema;

pub use prose::normalize_text;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::read::Document;

/// The OpenAPI version the rewritten document declares.
pub const TARGET_VERSION: &str = "3.0.3";

/// One faithful rewrite: from OpenAPI 3.1 to 3.0.3, or of a construct into the form with its
/// meaning that the generator reads.
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
    /// `dependentRequired`, `contains`, `minContains`, `maxContains`, `propertyNames`, a
    /// boolean `unevaluatedProperties` or `unevaluatedItems`, and `not` (of anything but every
    /// value, which only takes values away from what the rest of the schema allows). The client
    /// does not validate what it reads or sends against them (as it does not against `pattern`);
    /// the server still does.
    ValidationOnly,
    /// The `$defs` of a schema under `components/schemas` become schemas of their own there,
    /// `P_D` for the definition `D` of `P` (nested definitions the same way, `P_D_E`), and every
    /// `$ref` into them is rewritten to the new place.
    Definitions,
    /// A path item that is a `$ref` (to `components/pathItems`, or anywhere else in the document)
    /// becomes a copy of the item it names, with the fields beside the `$ref` added; and
    /// `components/pathItems` is dropped.
    PathItemReferences,
    /// An operation without `responses` (optional in 3.1) gets one `2XX` response without a body:
    /// any success status is a success with nothing to read, any other status an error.
    MissingResponses,
    /// A schema that allows only null (`type: null`, `type: ["null"]`, a union of null alone)
    /// becomes `enum: [null]` with `nullable: true`: Rust's `()`.
    NullType,
    /// `type: file` (Swagger 2.0's) becomes `type: string` with `format: binary`.
    FileType,
    /// A `format` without a `type` gives the type it belongs to (`date-time`: a string, `int64`:
    /// an integer, `double`: a number).
    FormatType,
    /// A schema without `type` whose keywords or `enum` values belong to several types allows a
    /// value of any type (JSON Schema applies each keyword to its own type only): the keywords and
    /// values go, and it is any value.
    UntypedKeywords,
    /// Keywords that do not apply to the declared `type` (`minimum` on a string, `items` on an
    /// object, `enum` values of another type) go: JSON Schema ignores them for that type.
    KeywordsOfOtherTypes,
    /// `enum` values listed twice are listed once.
    DuplicateEnumValues,
    /// A `default` that is no value of its schema (of another type, or not among its `enum`
    /// values) goes: it is an annotation, which JSON Schema does not check against the schema.
    InvalidDefault,
    /// A name in `required` that no property declares (nor another part of an `allOf` that the
    /// schema belongs to) becomes a property of any value.
    RequiredWithoutProperty,
    /// `prefixItems` (and a list-valued `items`) become one `items` schema: the one they all
    /// share, or `anyOf` of them and of further items (any value unless `items`, or
    /// `additionalItems` beside a list, says otherwise); the positions only validate.
    PrefixItems,
    /// `patternProperties` becomes `additionalProperties`: the one schema, or `anyOf` of them and
    /// of other keys' values (any value unless `additionalProperties` says otherwise); the
    /// patterns only validate.
    PatternProperties,
    /// A schema-valued `unevaluatedProperties` or `unevaluatedItems` becomes `additionalProperties`
    /// or `items` where the schema has none.
    UnevaluatedSchemas,
    /// `if` goes (it only chooses); `then` and `else`, both given, become an `anyOf` of the two
    /// beside the schema (one alone allows anything when the other applies, and goes too).
    Conditionals,
    /// Each of `dependentSchemas` adds its properties to the schema's, none of them required.
    DependentSchemas,
    /// `$anchor` and `$dynamicAnchor` names are resolved: a `$ref` or `$dynamicRef` to `#name`
    /// points at the schema that declares it; the anchors, `$dynamicRef` and `$id` go.
    Anchors,
    /// A `$ref` to a node that is not an entry of the component kind its place needs (a property
    /// of a schema, an entry of another kind that reads as this one) points at a copy of the node
    /// made an entry of that kind.
    ReferenceTargets,
    /// The payloads of `webhooks` (and of the `x-webhooks` extension) become component schemas
    /// (`<Webhook>Payload` for an inline one), so that their models are generated; the webhooks
    /// themselves, which a client never calls, go.
    Webhooks,
    /// A document without `paths` (3.1 allows it) gets an empty one.
    MissingPaths,
}

impl Rule {
    /// Every rule, in the order ARCHITECTURE.md lists them.
    pub const ALL: [Rule; 32] = [
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
        Rule::PathItemReferences,
        Rule::MissingResponses,
        Rule::NullType,
        Rule::FileType,
        Rule::FormatType,
        Rule::UntypedKeywords,
        Rule::KeywordsOfOtherTypes,
        Rule::DuplicateEnumValues,
        Rule::InvalidDefault,
        Rule::RequiredWithoutProperty,
        Rule::PrefixItems,
        Rule::PatternProperties,
        Rule::UnevaluatedSchemas,
        Rule::Conditionals,
        Rule::DependentSchemas,
        Rule::Anchors,
        Rule::ReferenceTargets,
        Rule::Webhooks,
        Rule::MissingPaths,
    ];
}

/// How often each rule rewrote something.
pub type Applied = BTreeMap<Rule, usize>;

/// Whether `document` declares OpenAPI 3.1.x.
pub fn is_openapi_3_1(document: &Document) -> bool {
    document.value.get("openapi").and_then(Value::as_str).is_some_and(|version| version.starts_with("3.1."))
}

/// Rewrites a 3.1 or 3.0 document as 3.0.3 in place, returning how often each rule applied. A
/// document of another version is left alone (the validator judges it). On error the document
/// is partly rewritten and is not to be used further (nothing is generated from it).
pub fn normalize(document: &mut Document) -> Result<Applied, Diagnostics> {
    let version = document.value.get("openapi").and_then(Value::as_str).unwrap_or_default();
    if !(version.starts_with("3.1.") || version.starts_with("3.0.")) {
        return Ok(Applied::new());
    }
    let mut normalizer = Normalizer { is_3_1: version.starts_with("3.1."), ..Normalizer::default() };
    // Rewritten in place, without a copy: the published document is several megabytes.
    let mut value = std::mem::take(&mut document.value);
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
    /// Whether the document is OpenAPI 3.1 (whose version and 3.1-only annotations change).
    is_3_1: bool,
    applied: Applied,
    problems: Vec<Problem>,
    /// Nodes a rule moved: (where the document has it, where it is now), for their lines.
    moved: Vec<(String, String)>,
    /// Lifted definitions: the `$ref` that named one (`#/components/schemas/P/$defs/D`), and the
    /// component schema it is now.
    definitions: std::collections::HashMap<String, String>,
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
}

fn pointer_to(parent: &str, key: &str) -> String {
    format!("{parent}/{}", escape_pointer_token(key))
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
        assert_eq!(rewritten(json!({ "type": ["array", "boolean", "number", "object", "string"] })), json!({}));
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
        assert_eq!(rewritten(json!({ "oneOf": [{ "type": "null" }] })), json!({ "enum": [null], "nullable": true }));
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
        assert_eq!(rewritten(json!({ "const": "a" })), json!({ "enum": ["a"], "type": "string" }));
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
        let message = refused(json!({ "type": "object", "properties": { "kind": { "type": ["string", "text"] } } }));
        assert!(message.contains("\"text\" is not a JSON type"), "{message}");
        assert!(message.contains("(at /components/schemas/Thing/properties/kind/type/1)"), "{message}");
        assert!(message.contains("spec.json:1"), "{message}");
        assert!(message.contains("help:"), "{message}");
        assert!(refused(json!({ "const": 1, "enum": [2] })).contains("no common value"));
    }

    #[test]
    fn a_path_item_reference_that_is_not_a_string_is_refused_at_it() {
        for version in ["3.0.3", "3.1.0"] {
            let document = json!({ "openapi": version, "info": { "title": "t", "version": "1" },
                "paths": { "/a": { "$ref": 5 } } });
            let message = document_after(document).expect_err("refused");
            assert!(message.contains("the path item's `$ref` is not a string"), "{version}: {message}");
            assert!(message.contains("(at /paths/~1a/$ref)"), "{version}: {message}");
        }
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
    fn validation_only_keywords_are_dropped_and_typed_unevaluated_ones_type_the_rest() {
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
        assert_eq!(
            rewritten(json!({ "type": "object", "unevaluatedProperties": { "type": "string" } })),
            json!({ "type": "object", "additionalProperties": { "type": "string" } })
        );
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
        // A reference into a definition's property is followed to a schema of its own.
        assert_eq!(schemas["Thing"]["properties"]["name"]["$ref"], "#/components/schemas/Thing_Inner_deeper");
        assert_eq!(applied.get(&Rule::ReferenceTargets), Some(&1));
        assert_eq!(schemas["Thing_Inner"]["properties"]["deeper"]["$ref"], "#/components/schemas/Thing_Inner_Leaf");
        assert_eq!(
            schemas["Thing_Inner_Leaf"],
            json!({ "type": "string", "nullable": true }),
            "rewritten by the other rules"
        );
        let response = &after["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(response["$ref"], "#/components/schemas/Thing_Inner");

        let (taken, _) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": {},
            "components": { "schemas": { "A": { "$defs": { "B": { "type": "integer" } } }, "A_B": {} } },
        }))
        .expect("a taken name gets a number");
        assert_eq!(taken["components"]["schemas"]["A_B_2"], json!({ "type": "integer" }));
        let (elsewhere, _) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": {},
            "components": { "schemas": { "Thing": { "type": "object", "properties": {
                "p": { "$defs": { "X": { "type": ["string", "null"] } }, "$ref": "#/components/schemas/Thing/properties/p/$defs/X" } } } } },
        }))
        .expect("a reference into definitions elsewhere is lifted");
        assert_eq!(
            elsewhere["components"]["schemas"]["Thing_p_$defs_X"],
            json!({ "type": "string", "nullable": true })
        );
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
        assert_eq!(applied.get(&Rule::PathItemReferences), Some(&2));
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
        assert!(missing.contains("names nothing"), "{missing}");
    }

    #[test]
    fn a_path_item_may_refer_anywhere_in_the_document_and_add_fields_beside_the_reference() {
        let (after, applied) = document_after(json!({
            "openapi": "3.0.3", "info": { "title": "t", "version": "1" },
            "paths": {
                "/a": { "get": { "operationId": "getA", "responses": { "200": { "description": "ok" } } } },
                "/b": { "$ref": "#/x-shared/b", "delete": { "operationId": "deleteB", "responses": { "204": { "description": "gone" } } } },
            },
            "x-shared": { "b": { "$ref": "#/x-more/b" } },
            "x-more": { "b": { "get": { "operationId": "getB", "responses": { "200": { "description": "ok" } } } } },
        }))
        .expect("translates");
        assert_eq!(applied.get(&Rule::PathItemReferences), Some(&1));
        assert_eq!(after["paths"]["/b"]["get"]["operationId"], "getB", "through a further reference");
        assert_eq!(after["paths"]["/b"]["delete"]["operationId"], "deleteB", "the field beside the reference is added");

        let both = document_after(json!({
            "openapi": "3.0.3", "info": { "title": "t", "version": "1" },
            "paths": {
                "/a": { "get": { "operationId": "getA", "responses": { "200": { "description": "ok" } } } },
                "/b": { "$ref": "#/paths/~1a", "get": { "operationId": "getB", "responses": { "200": { "description": "ok" } } } },
            },
        }))
        .expect_err("a field in both places");
        assert!(both.contains("`get` is both beside the `$ref`") && both.contains("(at /paths/~1b/get)"), "{both}");
        let not_a_path_item = document_after(json!({
            "openapi": "3.0.3", "info": { "title": "t", "version": "1" },
            "paths": { "/b": { "$ref": "#/components/schemas/Thing" } },
            "components": { "schemas": { "Thing": { "type": "object" } } },
        }))
        .expect_err("a schema is no path item");
        assert!(not_a_path_item.contains("not a path item"), "{not_a_path_item}");
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
            super::document::MISSING_RESPONSES_DESCRIPTION
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

    /// Normalises a 3.0 document that has `schema` as its only component schema.
    fn schema_after_3_0(schema: Value) -> (Value, Applied) {
        let (after, applied) = document_after(json!({
            "openapi": "3.0.3",
            "info": { "title": "t", "version": "1" },
            "paths": {},
            "components": { "schemas": { "Thing": schema } },
        }))
        .expect("a 3.0 document translates");
        (after["components"]["schemas"]["Thing"].clone(), applied)
    }

    #[test]
    fn a_schema_of_null_alone_is_the_null_value() {
        for schema in [json!({ "type": "null" }), json!({ "type": ["null"] }), json!({ "anyOf": [{ "type": "null" }] })]
        {
            assert_eq!(rewritten(schema), json!({ "enum": [null], "nullable": true }));
        }
        let (after, applied) = schema_after_3_0(json!({ "type": "null" }));
        assert_eq!(after, json!({ "enum": [null], "nullable": true }));
        assert_eq!(applied.get(&Rule::NullType), Some(&1));
    }

    #[test]
    fn swagger_files_and_formats_without_a_type_say_their_type() {
        assert_eq!(schema_after_3_0(json!({ "type": "file" })).0, json!({ "type": "string", "format": "binary" }));
        assert_eq!(
            schema_after_3_0(json!({ "format": "date-time" })).0,
            json!({ "format": "date-time", "type": "string" })
        );
        assert_eq!(schema_after_3_0(json!({ "format": "int64" })).0, json!({ "format": "int64", "type": "integer" }));
        assert_eq!(schema_after_3_0(json!({ "format": "double" })).0, json!({ "format": "double", "type": "number" }));
    }

    #[test]
    fn untyped_keywords_say_the_one_type_or_any_value() {
        assert_eq!(schema_after_3_0(json!({ "minimum": 1 })).0, json!({ "minimum": 1, "type": "number" }));
        assert_eq!(
            schema_after_3_0(json!({ "enum": ["a", null], "nullable": true })).0,
            json!({ "enum": ["a", null], "nullable": true, "type": "string" })
        );
        let (any, applied) = schema_after_3_0(json!({ "minimum": 1, "maxLength": 3, "description": "d" }));
        assert_eq!(any, json!({ "description": "d" }));
        assert_eq!(applied.get(&Rule::UntypedKeywords), Some(&1));
        assert_eq!(schema_after_3_0(json!({ "enum": ["a", 1] })).0, json!({}));
    }

    #[test]
    fn keywords_of_another_type_than_the_declared_one_go() {
        let (after, applied) = schema_after_3_0(json!({
            "type": "string", "minimum": 3, "items": {}, "maxLength": 4, "format": "int64", "enum": ["a", 1],
        }));
        assert_eq!(after, json!({ "type": "string", "maxLength": 4, "format": "int64", "enum": ["a"] }));
        assert!(applied.get(&Rule::KeywordsOfOtherTypes).is_some_and(|count| *count >= 1));
        // A type beside a combination stays: typify merges them.
        let combined = json!({ "type": "object", "allOf": [{ "$ref": "#/components/schemas/Other" }] });
        assert_eq!(schema_after_3_0(combined.clone()).0, combined);
    }

    #[test]
    fn enum_values_are_listed_once_and_a_default_that_is_no_value_goes() {
        let (after, applied) = schema_after_3_0(json!({ "type": "string", "enum": ["a", "b", "a"], "default": "c" }));
        assert_eq!(after, json!({ "type": "string", "enum": ["a", "b"] }));
        assert_eq!(applied.get(&Rule::DuplicateEnumValues), Some(&1));
        assert_eq!(applied.get(&Rule::InvalidDefault), Some(&1));
        assert_eq!(schema_after_3_0(json!({ "type": "integer", "default": "5" })).0, json!({ "type": "integer" }));
        // An untyped enum's default outside its values (the fuzzer's finding) goes too.
        assert_eq!(
            schema_after_3_0(json!({ "enum": ["x"], "default": "y" })).0,
            json!({ "enum": ["x"], "type": "string" })
        );
        let nullable = json!({ "type": "string", "nullable": true, "default": null });
        assert_eq!(schema_after_3_0(nullable.clone()).0, nullable);
    }

    #[test]
    fn a_required_name_without_a_property_is_a_property_of_any_value() {
        let (after, applied) = schema_after_3_0(json!({ "type": "object", "required": ["id"], "properties": {} }));
        assert_eq!(after, json!({ "type": "object", "required": ["id"], "properties": { "id": {} } }));
        assert_eq!(applied.get(&Rule::RequiredWithoutProperty), Some(&1));
        // In a part of an `allOf`, another part declares it.
        let part =
            json!({ "allOf": [{ "type": "object", "required": ["id"] }, { "$ref": "#/components/schemas/Other" }] });
        assert_eq!(schema_after_3_0(part.clone()).0, part);
    }

    #[test]
    fn json_schema_structures_take_their_3_0_forms() {
        assert_eq!(
            rewritten(
                json!({ "type": "array", "prefixItems": [{ "type": "string" }, { "type": "string" }], "items": false })
            ),
            json!({ "type": "array", "items": { "type": "string" } })
        );
        assert_eq!(
            rewritten(
                json!({ "type": "array", "prefixItems": [{ "type": "string" }, { "type": "integer" }], "items": false })
            ),
            json!({ "type": "array", "items": { "anyOf": [{ "type": "string" }, { "type": "integer" }] } })
        );
        // Without `items`, further items may be anything, so the items are any value.
        assert_eq!(
            rewritten(json!({ "type": "array", "prefixItems": [{ "type": "string" }] })),
            json!({ "type": "array", "items": {} })
        );
        assert_eq!(
            rewritten(
                json!({ "type": "array", "items": [{ "type": "string" }], "additionalItems": { "type": "integer" } })
            ),
            json!({ "type": "array", "items": { "anyOf": [{ "type": "string" }, { "type": "integer" }] } })
        );
        assert_eq!(
            rewritten(
                json!({ "type": "object", "patternProperties": { "^x-": { "type": "string" } }, "additionalProperties": false })
            ),
            json!({ "type": "object", "additionalProperties": { "type": "string" } })
        );
        // Without `additionalProperties`, other keys may hold anything.
        assert_eq!(
            rewritten(json!({ "type": "object", "patternProperties": { "^x-": { "type": "string" } } })),
            json!({ "type": "object", "additionalProperties": {} })
        );
        assert_eq!(
            rewritten(
                json!({ "type": "object", "if": { "required": ["a"] }, "then": { "required": ["b"] }, "else": { "required": ["c"] } })
            ),
            json!({ "type": "object", "allOf": [{ "anyOf": [
                { "required": ["b"], "type": "object", "properties": { "b": {} } },
                { "required": ["c"], "type": "object", "properties": { "c": {} } },
            ] }] })
        );
        assert_eq!(
            rewritten(json!({ "type": "string", "if": { "minLength": 1 }, "then": { "maxLength": 3 } })),
            json!({ "type": "string" })
        );
        assert_eq!(
            rewritten(json!({ "type": "object", "properties": { "card": { "type": "string" } },
                "dependentSchemas": { "card": { "properties": { "cvc": { "type": "string" } }, "required": ["cvc"] } } })),
            json!({ "type": "object", "properties": { "card": { "type": "string" }, "cvc": { "type": "string" } } })
        );
        assert_eq!(rewritten(json!({ "type": "string", "not": { "enum": ["x"] } })), json!({ "type": "string" }));
    }

    #[test]
    fn anchors_are_resolved_to_the_schemas_that_declare_them() {
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" }, "paths": {},
            "components": { "schemas": {
                "Tree": { "$id": "https://example.com/tree", "$dynamicAnchor": "node", "type": "object",
                    "properties": { "children": { "type": "array", "items": { "$dynamicRef": "#node" } } } },
                "Leaf": { "$anchor": "leaf", "type": "string" },
                "Uses": { "$ref": "#leaf" },
            } },
        }))
        .expect("translates");
        let schemas = &after["components"]["schemas"];
        assert_eq!(schemas["Tree"]["properties"]["children"]["items"], json!({ "$ref": "#/components/schemas/Tree" }));
        assert_eq!(schemas["Uses"], json!({ "$ref": "#/components/schemas/Leaf" }));
        assert!(schemas["Tree"].get("$id").is_none() && schemas["Leaf"].get("$anchor").is_none());
        assert_eq!(applied.get(&Rule::Anchors), Some(&1));
    }

    #[test]
    fn references_into_schemas_and_to_other_kinds_are_lifted() {
        let (after, applied) = document_after(json!({
            "openapi": "3.0.3", "info": { "title": "t", "version": "1" },
            "paths": { "/x": { "get": { "responses": {
                "200": { "$ref": "#/components/schemas/ResponseShaped" },
                "400": { "description": "bad", "content": { "application/json": { "schema": { "$ref": "#/components/responses/Error" } } } },
            } } } },
            "components": {
                "schemas": {
                    "A": { "type": "object", "properties": { "b": { "type": "object", "properties": { "c": { "type": "string" } } } } },
                    "Uses": { "$ref": "#/components/schemas/A/properties/b" },
                    "ResponseShaped": { "description": "ok" },
                },
                "responses": { "Error": { "description": "an error", "content": {} } },
            },
        }))
        .expect("translates");
        let schemas = &after["components"]["schemas"];
        assert_eq!(schemas["Uses"], json!({ "$ref": "#/components/schemas/A_b" }));
        assert_eq!(schemas["A_b"], json!({ "type": "object", "properties": { "c": { "type": "string" } } }));
        let responses = &after["paths"]["/x"]["get"]["responses"];
        assert_eq!(responses["200"], json!({ "$ref": "#/components/responses/ResponseShaped" }));
        assert_eq!(after["components"]["responses"]["ResponseShaped"], json!({ "description": "ok" }));
        assert_eq!(
            responses["400"]["content"]["application/json"]["schema"],
            json!({ "$ref": "#/components/schemas/Error" })
        );
        assert_eq!(schemas["Error"], json!({ "description": "an error" }));
        assert_eq!(applied.get(&Rule::ReferenceTargets), Some(&3));
    }

    #[test]
    fn webhook_payloads_become_schemas_and_a_missing_paths_is_empty() {
        let (after, applied) = document_after(json!({
            "openapi": "3.1.0", "info": { "title": "t", "version": "1" },
            "webhooks": { "user.created": { "post": { "requestBody": { "content": { "application/json": {
                "schema": { "type": "object", "properties": { "id": { "type": "string" } } } } } } } } },
            "x-webhooks": { "user.deleted": { "post": { "requestBody": { "content": { "application/json": {
                "schema": { "$ref": "#/components/schemas/Deleted" } } } } } } },
            "components": { "schemas": { "Deleted": { "type": "object" } } },
        }))
        .expect("translates");
        assert_eq!(after["paths"], json!({}));
        assert!(after.get("webhooks").is_none() && after.get("x-webhooks").is_none());
        let payload = &after["components"]["schemas"]["user.created_payload"];
        assert_eq!(payload, &json!({ "type": "object", "properties": { "id": { "type": "string" } } }));
        assert_eq!(applied.get(&Rule::MissingPaths), Some(&1));
        assert_eq!(applied.get(&Rule::Webhooks), Some(&2));
    }
}
