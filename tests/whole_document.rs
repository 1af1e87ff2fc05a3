//! The whole published document (all its operations, not only the Personal Client ones) as a
//! stress case: it normalises from OpenAPI 3.1 and generates in memory, nothing written.

use crate::support::workspace_root;

#[test]
fn every_operation_of_the_published_document_normalises_and_generates() {
    let bytes = std::fs::read(workspace_root().join("spec/upstream/openapi.yaml")).expect("vendored");
    let mut document = codegen::read::load("spec/upstream/openapi.yaml", &bytes).expect("loads");
    // Counted in the document itself, by every key a path item holds operations under.
    let operations: usize = document
        .value
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .expect("paths")
        .values()
        .map(|item| {
            codegen::read::openapi::HttpMethod::ALL.iter().filter(|method| item.get(method.key()).is_some()).count()
        })
        .sum();
    assert!(operations > 6, "the whole document has more than the Personal Client operations");
    let applied = codegen::translate::normalize(&mut document).expect("every 3.1 construct has a faithful rule");
    assert!(
        applied.get(&codegen::translate::Rule::NullableTypeArray).is_some_and(|count| *count > 1000),
        "{applied:?}"
    );

    // The validator reads the document section by section; that must be what reading it whole gives.
    let read = codegen::check::validate(&document).expect("valid");
    let whole: openapiv3::OpenAPI = serde_json::from_value(document.value.clone()).expect("reads whole");
    assert!(read == whole, "reading by sections differs from reading the whole document");

    let source =
        codegen::generate_standalone("spec/upstream/openapi.yaml", &bytes).expect("the whole document generates");
    let methods = source.lib_rs.matches("    pub async fn ").count();
    assert_eq!(methods, operations, "one client method per operation");
    let lib = syn::parse_file(&source.lib_rs).expect("the generated lib.rs parses");
    assert!(
        lib.items
            .iter()
            .any(|item| matches!(item, syn::Item::Mod(module) if module.ident == "types" && module.content.is_none())),
        "lib.rs declares the types module, which types.rs holds"
    );
    let types = syn::parse_file(&source.types_rs).expect("the generated types.rs parses");
    let schemas = document.value["components"]["schemas"].as_object().expect("schemas").len();
    let structs = types.items.iter().filter(|item| matches!(item, syn::Item::Struct(_) | syn::Item::Enum(_))).count();
    assert!(structs >= schemas / 2, "{structs} types for {schemas} schemas");
}
