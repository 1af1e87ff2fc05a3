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

/// `generate --whole` writes a crate only once it builds: the crate of a spec with a multipart
/// and a form body has the manifest its code needs, and a refused spec leaves the directory
/// untouched. Slow the first time: the check builds the crate's dependencies once, under
/// `target/xtask-whole/`.
#[test]
#[ignore = "builds the generated crate's dependencies once (a minute or two); the README's full test command and CI run it"]
fn whole_writes_a_crate_that_builds_and_nothing_for_a_refused_spec() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("bodies");
    let spec = workspace_root().join("tests/fixtures/valid/request-bodies-that-are-not-json.yaml");
    let run = crate::support::run_xtask(&["--whole".as_ref(), out.as_os_str(), "--spec".as_ref(), spec.as_os_str()]);
    assert!(run.success, "the crate does not build:\n{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checked that they build"), "{}", run.stdout);
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    for feature in ["\"multipart\"", "\"form\""] {
        assert!(manifest.contains(feature), "reqwest's {feature} feature is missing:\n{manifest}");
    }
    for file in ["src/lib.rs", "src/types.rs", "Cargo.lock"] {
        assert!(out.join(file).is_file(), "{file} is missing");
    }

    let refused = dir.path().join("refused");
    std::fs::create_dir(&refused).expect("a directory");
    std::fs::write(refused.join("keep.txt"), "mine").expect("a file");
    let broken = workspace_root().join("tests/fixtures/broken/dangling-schema-ref.yaml");
    let run =
        crate::support::run_xtask(&["--whole".as_ref(), refused.as_os_str(), "--spec".as_ref(), broken.as_os_str()]);
    assert!(!run.success, "a broken spec was generated");
    let left: Vec<_> =
        std::fs::read_dir(&refused).expect("the directory").map(|entry| entry.expect("an entry").file_name()).collect();
    assert_eq!(left, ["keep.txt"], "the directory changed");
}
