//! The hand-written parts of the SDK and the CLI name generated things by type, never by a
//! string that repeats the spec: no operation id, API path or field wire name appears as a string
//! literal in them (outside their unit tests). And the list of names the generator keeps free for
//! the hand-written `impl Client` is that impl's functions, so that no generated method shadows one.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use crate::support::{SPEC_FILE, spec_bytes, workspace_root};

/// The Rust files of `dir` that `cargo xtask generate` did not write.
fn hand_written_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .filter(|path| !std::fs::read_to_string(path).expect("a source file").starts_with(codegen::RUST_HEADER_PREFIX))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} holds hand-written Rust", dir.display());
    files
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).expect("a source file");
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{} does not parse: {error}", path.display()))
}

fn is_test_only(attributes: &[syn::Attribute]) -> bool {
    attributes.iter().any(|attribute| match &attribute.meta {
        syn::Meta::List(list) => {
            list.path.is_ident("cfg")
                && list.tokens.to_string().split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == "test")
        }
        _ => false,
    })
}

/// Every string literal outside `#[cfg(test)]` items.
#[derive(Default)]
struct Literals {
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for Literals {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attributes = match item {
            syn::Item::Mod(item) => &item.attrs,
            syn::Item::Fn(item) => &item.attrs,
            syn::Item::Impl(item) => &item.attrs,
            _ => {
                syn::visit::visit_item(self, item);
                return;
            }
        };
        if !is_test_only(attributes) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        self.found.push(literal.value());
    }
}

/// Words of OpenAPI's own vocabulary (where a parameter travels) that hand-written code may use
/// for themselves, even when a field of the API happens to have the same name.
const OPENAPI_WORDS: [&str; 4] = ["path", "query", "header", "cookie"];

#[test]
fn no_operation_id_api_path_or_wire_name_is_retyped_in_hand_written_sdk_or_cli_code() {
    let spec = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the checked-in spec loads");
    let mut facts: BTreeSet<(String, String)> = BTreeSet::new();
    for operation in &spec.api.operations {
        if let Some(id) = &operation.id {
            facts.insert((id.clone(), format!("the operation id of `{}`", operation.name)));
        }
        facts.insert((operation.path.clone(), format!("the path of `{}`", operation.name)));
    }
    for schema in &spec.api.schemas {
        for field in &schema.fields {
            // One-letter-class names such as `id` are also ordinary words of Rust code (a clap
            // argument, a tracing field); a wire name is a retyped fact when it says more.
            if field.wire_name.len() > 2 && !OPENAPI_WORDS.contains(&field.wire_name.as_str()) {
                facts.insert((
                    field.wire_name.clone(),
                    format!("the wire name of `{}.{}`", schema.name, field.rust_name),
                ));
            }
        }
    }
    let facts: std::collections::BTreeMap<String, String> = facts.into_iter().collect();
    let root = workspace_root();
    let mut retyped = Vec::new();
    for dir in ["sdk/src", "cli/src"] {
        for path in hand_written_files(&root.join(dir)) {
            let mut literals = Literals::default();
            literals.visit_file(&parse(&path));
            let text = std::fs::read_to_string(&path).expect("a source file");
            for value in literals.found {
                if let Some(what) = facts.get(&value) {
                    let shown = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
                    let quoted = format!("\"{value}\"");
                    let line = text.lines().position(|line| line.contains(&quoted)).map_or(0, |index| index + 1);
                    retyped.push(format!("{shown}:{line}: {quoted} is {what}; name it through the generated code"));
                }
            }
        }
    }
    assert!(retyped.is_empty(), "hand-written code repeats the spec:\n{}", retyped.join("\n"));
}

#[test]
fn the_names_kept_free_for_the_hand_written_client_are_exactly_its_functions() {
    let root = workspace_root();
    let mut functions = BTreeSet::new();
    for path in hand_written_files(&root.join("sdk/src")) {
        for item in parse(&path).items {
            if let syn::Item::Impl(implementation) = item
                && implementation.trait_.is_none()
                && matches!(&*implementation.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"))
            {
                for inner in implementation.items {
                    if let syn::ImplItem::Fn(function) = inner {
                        functions.insert(function.sig.ident.to_string());
                    }
                }
            }
        }
    }
    let kept: BTreeSet<String> =
        codegen::model::HAND_WRITTEN_CLIENT_METHODS.iter().map(|name| name.to_string()).collect();
    assert_eq!(
        kept, functions,
        "codegen::model::HAND_WRITTEN_CLIENT_METHODS must list the functions of the hand-written `impl Client`"
    );
}
