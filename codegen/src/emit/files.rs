//! The SDK's generated files: the client (`src/generated.rs`), the surface (`src/operations.rs`,
//! `src/mock_expectations.rs`) and the docs (a page per model, the operations page), each with
//! the header that names the command that made it.

use anyhow::Context;

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::emit::{docs, sdk};
use crate::model::Api;
use crate::{Client, RUST_HEADER_PREFIX, header_safe, markdown_header};

/// Where the generated Rust goes, relative to the SDK crate.
pub const GENERATED_RUST_PATH: &str = "src/generated.rs";

/// One generated file: its path relative to the SDK crate, and its whole contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the SDK crate's root, with `/` separators.
    pub path: String,
    /// The complete text, LF line endings, header included.
    pub contents: String,
}

/// Every generated file of the SDK, in path order.
pub fn sdk_files(
    spec_file: &str,
    api: &Api,
    client: &Client<'_>,
    crate_name: &str,
) -> anyhow::Result<Vec<GeneratedFile>> {
    let text = crate::progenitor::format::print_sdk(client.tokens.clone(), &client.reshape)?;
    let parsed: syn::File = syn::parse_file(&text).context("the formatted client does not parse")?;
    let models = crate::progenitor::output::models(api, &parsed)
        .with_context(|| format!("{spec_file}: documenting the models failed"))?;
    let surface = sdk::surface(api, &client.methods, &parsed, crate_name)
        .with_context(|| format!("{spec_file}: generating the SDK's operations failed"))?;
    let mut pages: std::collections::BTreeMap<String, &str> = std::collections::BTreeMap::new();
    for model in &models {
        if let Some(other) = pages.insert(docs::model_page_path(&model.name), &model.name) {
            return Err(Diagnostics::from(Diagnostic {
                file: spec_file.to_owned(),
                line: None,
                column: None,
                pointer: Some(format!("/components/schemas/{}", escape_pointer_token(&model.name))),
                message: format!(
                    "the schemas {other:?} and {:?} would share one docs page, {}",
                    model.name,
                    docs::model_page_path(&model.name)
                ),
                help: "rename one of them so that their names differ in more than case and punctuation".to_owned(),
            })
            .into());
        }
    }
    let shown_spec = header_safe(spec_file);
    let rust_header = format!("{RUST_HEADER_PREFIX} from {shown_spec}; do not edit by hand.\n\n");
    let markdown_header = markdown_header(&shown_spec);
    let mut files = vec![
        GeneratedFile { path: GENERATED_RUST_PATH.to_owned(), contents: format!("{rust_header}{text}") },
        GeneratedFile {
            path: sdk::OPERATIONS_PATH.to_owned(),
            contents: format!("{rust_header}{}", surface.operations),
        },
        GeneratedFile {
            path: sdk::MOCK_EXPECTATIONS_PATH.to_owned(),
            contents: format!("{rust_header}{}", surface.mock),
        },
    ];
    for model in &models {
        files.push(GeneratedFile {
            path: docs::model_page_path(&model.name),
            contents: docs::model_page(&markdown_header, model),
        });
    }
    files.push(GeneratedFile {
        path: docs::OPERATIONS_PAGE_PATH.to_owned(),
        contents: docs::operations_page(&markdown_header, api, &surface.methods),
    });
    files.sort_by(|left, right| left.path.cmp(&right.path));
    Ok(files)
}
