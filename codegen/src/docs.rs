//! Markdown docs: one page per model in the source-table layout, and one page of operations.

use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr};
use quote::ToTokens as _;

use crate::models::{Model, display_type};
use crate::tables::{Row, Table, render};

/// Where a model's page goes, relative to the SDK crate.
pub fn model_page_path(model_name: &str) -> String {
    format!("docs/models/{}.md", model_name.to_lowercase())
}

/// Where the operations page goes, relative to the SDK crate.
pub const OPERATIONS_PAGE_PATH: &str = "docs/sdks/personal_client/README.md";

/// The model's table with Rust types in the Type column (linked to other models' pages).
pub fn model_table(model: &Model) -> Table {
    Table {
        name: model.name.clone(),
        description: model.description.clone(),
        rows: model
            .fields
            .iter()
            .map(|field| Row {
                field: field.rust_name.clone(),
                type_text: match &field.linked_model {
                    Some(linked) => format!("[`{}`]({}.md)", field.rust_type, linked.to_lowercase()),
                    None => format!("`{}`", field.rust_type),
                },
                required: field.required,
                description: field.description.clone(),
            })
            .collect(),
    }
}

/// A model's page: the header line, then the table exactly as [`render`] makes it.
pub fn model_page(header: &str, model: &Model) -> String {
    format!("{header}\n{}", render(&model_table(model)))
}

/// One operation as the operations page shows it.
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    operation: &'a openapiv3::Operation,
}

/// The operations page: per operation its summary, a compiled example, parameters, response and errors.
pub fn operations_page(header: &str, spec: &OpenAPI, generated: &syn::File) -> String {
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            operations.push(Operation { method, path, operation });
        }
    }
    let methods = client_methods(generated);
    let with_default = types_with_default(generated);

    let mut page = format!("{header}\n# Personal Client operations\n\n");
    page.push_str(
        "Each operation is a method of the generated client, reached with `Client::generated()`; the\n\
         hand-written `Client` wraps the same calls with typed errors, paging and update masks (see the\n\
         crate README). Every example below is compiled by `cargo test`.\n\n",
    );
    page.push_str("| operation | method | path |\n| --- | --- | --- |\n");
    for operation in &operations {
        let id = operation.operation.operation_id.as_deref().unwrap_or_default();
        let _ = writeln!(page, "| [`{id}`](#{id}) | `{}` | `{}` |", operation.method.to_uppercase(), operation.path);
    }
    for operation in &operations {
        let id = operation.operation.operation_id.as_deref().unwrap_or_default();
        let signature = methods.iter().find(|method| method.sig.ident == id);
        page.push('\n');
        let _ = writeln!(page, "## {id}\n");
        if let Some(summary) = &operation.operation.summary {
            let _ = writeln!(page, "{summary}.\n");
        }
        if let Some(description) = &operation.operation.description {
            let _ = writeln!(page, "{description}\n");
        }
        let _ = writeln!(page, "`{} {}`\n", operation.method.to_uppercase(), operation.path);
        let arguments = signature.map(|method| method_arguments(&method.sig)).unwrap_or_default();
        page.push_str("### Example\n\n");
        page.push_str(&example(id, &arguments, &with_default));
        page.push_str("\n### Parameters\n\n");
        if arguments.is_empty() {
            page.push_str("None.\n");
        } else {
            page.push_str("| name | type | description |\n| --- | --- | --- |\n");
            for argument in &arguments {
                let _ = writeln!(
                    page,
                    "| `{}` | `{}` | {} |",
                    argument.name,
                    argument.shown_type,
                    argument.description(spec, operation)
                );
            }
        }
        let response = signature.map(response_type).unwrap_or_else(|| "unknown".to_owned());
        let _ = writeln!(page, "\n### Response\n\n`{response}`, from a `200` answer.");
        page.push_str(
            "\n### Errors\n\n\
             | error | when |\n\
             | --- | --- |\n\
             | `Error::UnexpectedResponse` | any status but `200` (the hand-written `Client` turns it into `Error::Api` with the status and the body) |\n\
             | `Error::InvalidResponsePayload` | a `200` whose body is not the documented JSON (`Error::Decode`, with the JSON path, in `Client`) |\n\
             | `Error::CommunicationError` | the server could not be reached or timed out (`Error::Transport` / `Error::Timeout` in `Client`) |\n\
             | `Error::Custom` | no access token could be obtained (`Error::Auth` in `Client`) |\n",
        );
    }
    page
}

struct Argument {
    name: String,
    shown_type: String,
    is_body: bool,
}

impl Argument {
    fn description(&self, spec: &OpenAPI, operation: &Operation<'_>) -> String {
        if self.is_body {
            return "The request body.".to_owned();
        }
        let parameters = operation.operation.parameters.iter().chain(
            spec.paths
                .paths
                .get(operation.path)
                .and_then(ReferenceOr::as_item)
                .map(|item| item.parameters.iter())
                .into_iter()
                .flatten(),
        );
        for parameter in parameters {
            let resolved = match parameter {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| spec.components.as_ref()?.parameters.get(name))
                    .and_then(ReferenceOr::as_item),
            };
            if let Some(parameter) = resolved {
                let data = parameter.parameter_data_ref();
                if data.name == self.name {
                    return data.description.clone().unwrap_or_default();
                }
            }
        }
        String::new()
    }
}

/// The methods of the generated `impl Client` blocks.
pub fn client_methods(generated: &syn::File) -> Vec<&syn::ImplItemFn> {
    generated
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter())
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method)
                if matches!(method.vis, syn::Visibility::Public(_)) && method.sig.asyncness.is_some() =>
            {
                Some(method)
            }
            _ => None,
        })
        .collect()
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

fn method_arguments(sig: &syn::Signature) -> Vec<Argument> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(typed) => {
                let name = match typed.pat.as_ref() {
                    syn::Pat::Ident(ident) => ident.ident.to_string(),
                    _ => return None,
                };
                let shown_type = match typed.ty.as_ref() {
                    syn::Type::Reference(reference) => format!("&{}", display_type(&reference.elem)),
                    other => display_type(other),
                };
                Some(Argument { is_body: name == "body", name, shown_type })
            }
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The `T` of `Result<ResponseValue<T>, Error<()>>`.
fn response_type(method: &&syn::ImplItemFn) -> String {
    let syn::ReturnType::Type(_, output) = &method.sig.output else { return "()".to_owned() };
    let shown = display_type(output);
    shown
        .strip_prefix("Result<ResponseValue<")
        .and_then(|rest| rest.split_once(">, "))
        .map_or(shown.clone(), |(inner, _)| inner.replace("types::", ""))
}

/// A compiled example: build a client from the environment and make the call.
fn example(operation_id: &str, arguments: &[Argument], with_default: &[String]) -> String {
    let mut setup = String::new();
    let mut call_arguments = Vec::new();
    for argument in arguments {
        if argument.is_body {
            let body_type = argument.shown_type.trim_start_matches('&');
            if with_default.iter().any(|name| name == body_type) {
                let _ = writeln!(setup, "    let body = types::{body_type}::default();");
            } else {
                let _ = writeln!(setup, "    let body = types::{body_type}::from(serde_json::Map::new());");
            }
            call_arguments.push("&body".to_owned());
        } else {
            call_arguments.push(format!("\"{}-from-a-previous-call\"", argument.name));
        }
    }
    let imports = if setup.is_empty() { "Client" } else { "{Client, types}" };
    format!(
        "```rust,no_run\n\
         use conductorone_personal_client::{imports};\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         \x20   let client = Client::from_env()?;\n\
         {setup}\
         \x20   let response = client.generated().{operation_id}({}).await?;\n\
         \x20   println!(\"{{:?}}\", response.into_inner());\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n",
        call_arguments.join(", ")
    )
}

/// The generated types that derive `Default`.
fn types_with_default(generated: &syn::File) -> Vec<String> {
    let Ok(items) = crate::models::types_module(generated) else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item),
            _ => None,
        })
        .filter(|item| {
            item.attrs.iter().any(|attribute| {
                attribute.path().is_ident("derive") && attribute.meta.to_token_stream().to_string().contains("Default")
            })
        })
        .map(|item| item.ident.to_string())
        .collect()
}
