//! The whole published document (all its operations, not only the Personal Client ones) as a
//! stress case: it normalises from OpenAPI 3.1 and generates in memory, nothing written.

use crate::support::workspace_root;

#[test]
fn every_operation_of_the_published_document_normalises_and_generates() {
    let bytes = std::fs::read(workspace_root().join("spec/upstream/openapi.yaml")).expect("vendored");
    let mut document = codegen::load::load("spec/upstream/openapi.yaml", &bytes).expect("loads");
    // Counted in the document itself, by every key a path item holds operations under.
    let operations: usize = document
        .value
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .expect("paths")
        .values()
        .map(|item| codegen::api::HttpMethod::ALL.iter().filter(|method| item.get(method.key()).is_some()).count())
        .sum();
    assert!(operations > 6, "the whole document has more than the Personal Client operations");
    let applied = codegen::normalize::normalize(&mut document).expect("every 3.1 construct has a faithful rule");
    assert!(
        applied.get(&codegen::normalize::Rule::NullableTypeArray).is_some_and(|count| *count > 1000),
        "{applied:?}"
    );

    let source =
        codegen::generate_standalone("spec/upstream/openapi.yaml", &bytes).expect("the whole document generates");
    let methods = source.matches("    pub async fn ").count();
    assert_eq!(methods, operations, "one client method per operation");
    syn::parse_file(&source).expect("the generated crate parses");
}
