//! Snapshots a reviewer reads when the spec changes: each model's Rust item, docs page and JSON
//! schema, and each operation's method signature. The Rust items, pages and signatures are taken
//! from what the generator writes in memory, so a generator change shows here before anything is
//! written; `freshness` checks that the checked-in files are that output. Also: the JSON schema
//! schemars derives from each model agrees with the spec's schema.

use conductorone_personal_client::Operation;
use serde_json::Value;

use crate::support::{SPEC_FILE, generated_sdk_file, spec_bytes};

/// The JSON schema schemars derives for each model, by name: the request and response schemas
/// of every operation, with every model they name (which, for a spec derived as the closure of
/// its operations, is every model).
fn json_schemas() -> std::collections::BTreeMap<String, Value> {
    let api = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the spec loads").api;
    let mut schemas = std::collections::BTreeMap::new();
    for operation in Operation::ALL {
        let model = api.operation(operation.name()).expect("every `Operation` is an operation of the spec");
        let roots = [
            (operation.request_schema(), model.body.as_ref().and_then(|body| body.schema.clone())),
            (operation.response_schema(), model.response.schema.clone()),
        ];
        for (root, name) in roots {
            let (Some(root), Some(name)) = (root, name) else { continue };
            let mut root = serde_json::to_value(root).expect("a schema serialises");
            let object = root.as_object_mut().expect("a root schema is an object");
            let definitions = object.remove("definitions");
            object.remove("$schema");
            for (name, definition) in definitions.and_then(|value| value.as_object().cloned()).unwrap_or_default() {
                schemas.entry(name).or_insert(definition);
            }
            // The root's title is its type's name, or the inner type's for a newtype: keyed by the spec's name.
            schemas.insert(name, root);
        }
    }
    schemas
}

fn json_schema_of(name: &str) -> Option<Value> {
    json_schemas().remove(name)
}

/// Formats the spec gives that the Rust type does not carry, with the reason.
const FORMATS_NOT_MODELLED: [(&str, &str); 1] =
    [("duration", "protobuf durations such as \"3600s\" stay strings; chrono has no type for that text")];

/// The spec as progenitor reads it: OpenAPI 3.1 rewritten as 3.0.3 by `codegen::translate`.
fn spec_document() -> codegen::read::Document {
    let mut document = codegen::read::load(SPEC_FILE, &spec_bytes()).expect("the spec loads");
    codegen::translate::normalize(&mut document).expect("the spec normalises");
    document
}

fn schema_names() -> Vec<String> {
    let document = spec_document();
    document.get("/components/schemas").and_then(Value::as_object).expect("schemas").keys().cloned().collect()
}

/// The generated models and client as the generator writes them (not the checked-in copy, which
/// the freshness test compares with this).
fn generated() -> syn::File {
    syn::parse_file(generated_sdk_file(codegen::GENERATED_RUST_PATH).expect("generated")).expect("parses")
}

#[test]
fn every_model_has_its_rust_item_snapshot() {
    let generated = generated();
    let types = codegen::progenitor::output::types_module(&generated).expect("a types module");
    for name in schema_names() {
        let item = types
            .iter()
            .find(|item| matches!(item, syn::Item::Struct(item) if item.ident == name))
            .unwrap_or_else(|| panic!("no generated struct {name}"));
        let text = prettyplease::unparse(&file_of(item.clone()));
        insta::assert_snapshot!(format!("rust_{}", name.to_lowercase()), text);
    }
}

#[test]
fn every_model_has_its_docs_page_snapshot() {
    for name in schema_names() {
        let path = codegen::emit::docs::model_page_path(&name);
        let page = generated_sdk_file(&path).unwrap_or_else(|| panic!("the generator wrote no page sdk/{path}"));
        insta::assert_snapshot!(format!("docs_{}", name.to_lowercase()), page);
    }
}

#[test]
fn every_model_has_its_json_schema_snapshot() {
    for name in schema_names() {
        let schema = json_schema_of(&name)
            .unwrap_or_else(|| panic!("{name} is reached by no operation's request or response schema"));
        insta::with_settings!({ sort_maps => true }, {
            insta::assert_json_snapshot!(format!("schema_{}", name.to_lowercase()), schema);
        });
    }
}

/// The `Client` methods the generator writes for the operations (`sdk/src/operations.rs`).
fn operation_methods() -> Vec<syn::ImplItemFn> {
    let source = generated_sdk_file(codegen::emit::sdk::OPERATIONS_PATH).expect("generated");
    let file = syn::parse_file(source).expect("parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter())
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method) if matches!(method.vis, syn::Visibility::Public(_)) => Some(method.clone()),
            _ => None,
        })
        .filter(|method| Operation::from_name(&method.sig.ident.to_string()).is_some())
        .collect()
}

#[test]
fn every_operation_has_its_signature_snapshot() {
    let methods = operation_methods();
    let api = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the spec loads").api;
    assert_eq!(methods.len(), api.operations.len(), "one `Client` method per operation of the spec");
    assert_eq!(Operation::ALL.len(), api.operations.len(), "one `Operation` per operation of the spec");
    for method in methods {
        // The signature alone: no docs, an empty body.
        let mut item: syn::ItemFn = syn::parse_quote!(
            fn placeholder() {}
        );
        item.vis = method.vis.clone();
        item.sig = method.sig.clone();
        let text = prettyplease::unparse(&file_of(syn::Item::Fn(item)));
        insta::assert_snapshot!(format!("operation_{}", method.sig.ident), text);
    }
}

/// Which properties are secrets (a `SecretString` in Rust) and why: a reviewer sees a new one
/// come, or an old one go, in the snapshot's diff.
#[test]
fn the_secrets_are_listed() {
    let api = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the spec loads").api;
    let listed: Vec<String> =
        api.secrets.iter().map(|secret| format!("{}.{} ({})", secret.owner, secret.field, secret.reason)).collect();
    assert!(!listed.is_empty(), "the API returns at least one secret");
    insta::assert_snapshot!("secrets", listed.join("\n"));
}

/// A file holding one item, for prettyplease.
fn file_of(item: syn::Item) -> syn::File {
    let mut file: syn::File = syn::parse_str("").expect("an empty file parses");
    file.items.push(item);
    file
}

/// The parts of a property schema both sides must agree on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shape {
    kind: String,
    format: Option<String>,
    nullable: bool,
    items: Option<Box<Shape>>,
}

fn spec_shape(property: &Value) -> Shape {
    let nullable = property.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    // A nullable reference, as the 3.1 rewrite writes it: `allOf: [{$ref}]` with `nullable: true`.
    let single_reference = match property.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => only.get("$ref"),
        _ => property.get("$ref"),
    };
    if let Some(reference) = single_reference.and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return Shape { kind: format!("ref {name}"), format: None, nullable, items: None };
    }
    Shape {
        kind: property.get("type").and_then(Value::as_str).unwrap_or("any").to_owned(),
        format: property.get("format").and_then(Value::as_str).map(str::to_owned),
        nullable,
        items: property.get("items").map(|items| Box::new(spec_shape(items))),
    }
}

fn schemars_shape(property: &Value) -> Shape {
    let reference = |value: &Value| {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .map(|reference| reference.rsplit('/').next().unwrap_or_default().to_owned())
    };
    if let Some(name) = reference(property) {
        return Shape { kind: format!("ref {name}"), format: None, nullable: false, items: None };
    }
    for combinator in ["anyOf", "allOf"] {
        if let Some(Value::Array(variants)) = property.get(combinator) {
            let nullable = variants.iter().any(|variant| variant.get("type").and_then(Value::as_str) == Some("null"));
            if let Some(name) = variants.iter().find_map(reference) {
                return Shape { kind: format!("ref {name}"), format: None, nullable, items: None };
            }
        }
    }
    let (kind, nullable) = match property.get("type") {
        Some(Value::String(kind)) => (kind.clone(), false),
        Some(Value::Array(kinds)) => {
            let kinds: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            let kind = kinds.iter().find(|kind| **kind != "null").copied().unwrap_or("null");
            (kind.to_owned(), kinds.contains(&"null"))
        }
        _ => ("any".to_owned(), false),
    };
    Shape {
        kind,
        format: property.get("format").and_then(Value::as_str).map(str::to_owned),
        nullable,
        items: property.get("items").map(|items| Box::new(schemars_shape(items))),
    }
}

/// Differences between a spec property and the schemars property, as sentences.
fn compare(path: &str, spec: &Shape, derived: &Shape, required: bool, out: &mut Vec<String>) {
    if spec.kind != derived.kind {
        out.push(format!("{path}: type is {} in the spec but {} in the Rust model", spec.kind, derived.kind));
    }
    if spec.format != derived.format {
        let excused = derived.format.is_none()
            && spec
                .format
                .as_deref()
                .is_some_and(|format| FORMATS_NOT_MODELLED.iter().any(|(name, _)| *name == format));
        if !excused {
            out.push(format!(
                "{path}: format is {:?} in the spec but {:?} in the Rust model",
                spec.format, derived.format
            ));
        }
    }
    if spec.nullable && !derived.nullable {
        out.push(format!("{path}: nullable in the spec but the Rust model rejects null"));
    }
    // An optional field is an Option, which also accepts null: lenient, and allowed.
    if derived.nullable && !spec.nullable && required {
        out.push(format!("{path}: required and not nullable in the spec, but the Rust model accepts null"));
    }
    if let (Some(spec_items), Some(derived_items)) = (&spec.items, &derived.items) {
        compare(&format!("{path}[]"), spec_items, derived_items, true, out);
    } else if spec.items.is_some() != derived.items.is_some() {
        out.push(format!("{path}: items differ between the spec and the Rust model"));
    }
}

#[test]
fn schemars_schemas_agree_with_the_spec() {
    let document = spec_document();
    let secrets = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the spec loads").api.secrets;
    let mut problems = Vec::new();
    for name in schema_names() {
        let spec = document.get(&format!("/components/schemas/{name}")).expect("the schema");
        let Some(derived) = json_schema_of(&name) else {
            problems.push(format!("{name}: no operation's request or response schema reaches it"));
            continue;
        };
        let spec_properties = spec.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let derived_properties = derived.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
        let spec_names: Vec<&String> = spec_properties.keys().collect();
        let mut derived_names: Vec<&String> = derived_properties.keys().collect();
        let mut sorted_spec_names = spec_names.clone();
        sorted_spec_names.sort();
        derived_names.sort();
        if sorted_spec_names != derived_names {
            problems
                .push(format!("{name}: properties {spec_names:?} in the spec but {derived_names:?} in the Rust model"));
        }
        let required = |schema: &Value| -> Vec<String> {
            let mut names: Vec<String> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|names| names.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            names.sort();
            names
        };
        if required(spec) != required(&derived) {
            problems.push(format!(
                "{name}: required {:?} in the spec but {:?} in the Rust model",
                required(spec),
                required(&derived)
            ));
        }
        let spec_kind = spec.get("type").and_then(Value::as_str).unwrap_or("any");
        let derived_kind = schemars_shape(&derived).kind;
        if spec_kind != derived_kind {
            problems.push(format!("{name}: type is {spec_kind} in the spec but {derived_kind} in the Rust model"));
        }
        for (property, spec_property) in &spec_properties {
            let Some(derived_property) = derived_properties.get(property) else { continue };
            let is_required = required(spec).contains(property);
            let mut expected = spec_shape(spec_property);
            // A secret is a `SecretString`, whose schema says `format: password`.
            if secrets.iter().any(|secret| secret.owner == name && secret.field == *property) {
                expected.format = Some("password".to_owned());
            }
            compare(
                &format!("{name}.{property}"),
                &expected,
                &schemars_shape(derived_property),
                is_required,
                &mut problems,
            );
        }
    }
    assert!(problems.is_empty(), "schemars and the spec disagree:\n  {}", problems.join("\n  "));
}

#[test]
fn the_agreement_check_notices_a_type_difference() {
    let spec = spec_shape(&serde_json::json!({ "type": "string", "format": "date-time" }));
    let derived = schemars_shape(&serde_json::json!({ "type": ["integer", "null"], "format": "int64" }));
    let mut problems = Vec::new();
    compare("Thing.when", &spec, &derived, false, &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let nullable = spec_shape(&serde_json::json!({ "type": "array", "nullable": true, "items": { "type": "string" } }));
    let not_nullable = schemars_shape(&serde_json::json!({ "type": "array", "items": { "type": "string" } }));
    let mut problems = Vec::new();
    compare("Thing.list", &nullable, &not_nullable, false, &mut problems);
    assert_eq!(problems, vec!["Thing.list: nullable in the spec but the Rust model rejects null".to_owned()]);
}

/// The snapshot files the suite's assertions write, by name: one per broken fixture, one model
/// summary per valid fixture and for the derived spec, three per model and one per operation. A file beyond these belongs to no test any more.
fn expected_snapshot_files() -> std::collections::BTreeSet<String> {
    let root = crate::support::workspace_root();
    let mut expected = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(root.join("tests/fixtures/broken")).expect("the broken fixtures") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") {
            expected.insert(format!("suite__broken_specs__broken_spec@{name}.snap"));
        }
    }
    for entry in std::fs::read_dir(root.join("tests/fixtures/valid")).expect("the valid fixtures") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".yaml") {
            expected.insert(format!("suite__model_summaries__every_valid_fixture_has_its_model_snapshot@{name}.snap"));
        }
    }
    expected.insert("suite__model_summaries__the_derived_spec_has_its_model_snapshot.snap".to_owned());
    for name in schema_names() {
        for kind in ["rust", "docs", "schema"] {
            expected.insert(format!("suite__snapshots__{kind}_{}.snap", name.to_lowercase()));
        }
    }
    for method in operation_methods() {
        expected.insert(format!("suite__snapshots__operation_{}.snap", method.sig.ident));
    }
    expected.insert("suite__snapshots__secrets.snap".to_owned());
    expected
}

#[test]
fn every_snapshot_file_belongs_to_a_test() {
    let expected = expected_snapshot_files();
    let found: std::collections::BTreeSet<String> =
        std::fs::read_dir(crate::support::workspace_root().join("tests/snapshots"))
            .expect("tests/snapshots")
            .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".snap"))
            .collect();
    let unreferenced: Vec<&String> = found.difference(&expected).collect();
    assert!(
        unreferenced.is_empty(),
        "snapshot files no test writes any more; delete them (git rm):\n{unreferenced:#?}"
    );
    // In a run that accepts snapshots (`INSTA_UPDATE=always`, or `INSTA_FORCE_PASS`), the tests that
    // write the new ones run beside this one, so a snapshot missing now may be written a moment
    // later: only a run that checks them can say one is missing.
    let accepting = std::env::var_os("INSTA_FORCE_PASS").is_some()
        || std::env::var("INSTA_UPDATE").is_ok_and(|update| update == "always" || update == "unseen");
    if accepting {
        return;
    }
    let missing: Vec<&String> = expected.difference(&found).collect();
    assert!(missing.is_empty(), "snapshots not accepted yet; review them with `cargo insta review`:\n{missing:#?}");
}
