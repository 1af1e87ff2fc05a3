//! Markdown docs: one page per model in the source-table layout, and one page of operations.

use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr};
use quote::ToTokens as _;

use crate::models::{Model, display_type};
use crate::tables::{Row, Table, render};

/// Where a model's page goes, relative to the SDK crate: its name lower-cased, with anything but
/// ASCII letters, digits, `_` and `-` written as `_`, so that no schema name can reach outside
/// `docs/models/` (no separator, no `..`, no control character, never empty).
pub fn model_page_path(model_name: &str) -> String {
    let mut stem: String = model_name
        .to_lowercase()
        .chars()
        .map(
            |character| {
                if character.is_ascii_alphanumeric() || matches!(character, '_' | '-') { character } else { '_' }
            },
        )
        .collect();
    if stem.is_empty() {
        stem.push('_');
    }
    format!("docs/models/{stem}.md")
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

/// A method of the hand-written `Client` (the "facade"), as the operations page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacadeMethod {
    /// Its name, such as `list`.
    pub name: String,
    /// Its signature, formatted.
    pub signature: String,
    /// The first paragraph of its docs.
    pub summary: String,
    /// The code of the example in its docs, when it has one.
    pub example: Option<String>,
    /// The generated operation it calls (`self.generated.<id>(...)`), if any.
    pub operation_id: Option<String>,
    /// The other facade methods it calls (`client.<name>(...)` or `self.<name>(...)`).
    pub calls: Vec<String>,
}

/// The public methods of `impl Client` in the hand-written client's source (`sdk/src/client.rs`).
pub fn facade_methods(source: &str) -> anyhow::Result<Vec<FacadeMethod>> {
    let file =
        syn::parse_file(source).map_err(|error| anyhow::anyhow!("the hand-written client does not parse: {error}"))?;
    let mut methods = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        for item in &block.items {
            let syn::ImplItem::Fn(method) = item else { continue };
            if !matches!(method.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let mut tokens = Vec::new();
            flatten(method.block.to_token_stream(), &mut tokens);
            let operation_id = tokens.windows(3).find_map(|window| match window {
                [TokenText::Ident(receiver), TokenText::Punct('.'), TokenText::Ident(called)]
                    if receiver == "generated" =>
                {
                    Some(called.clone())
                }
                _ => None,
            });
            let mut calls: Vec<String> = tokens
                .windows(3)
                .filter_map(|window| match window {
                    [TokenText::Ident(receiver), TokenText::Punct('.'), TokenText::Ident(called)]
                        if receiver == "client" || receiver == "self" =>
                    {
                        Some(called.clone())
                    }
                    _ => None,
                })
                .collect();
            calls.dedup();
            let docs = crate::models::doc_comment(&method.attrs).unwrap_or_default();
            let (summary, example) = split_docs(&docs);
            methods.push(FacadeMethod {
                name: method.sig.ident.to_string(),
                signature: signature_text(method),
                summary,
                example,
                operation_id,
                calls,
            });
        }
    }
    Ok(methods)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum TokenText {
    Ident(String),
    Punct(char),
    Other,
}

/// Every token of `tokens`, groups opened, in order.
fn flatten(tokens: proc_macro2::TokenStream, out: &mut Vec<TokenText>) {
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Group(group) => {
                out.push(TokenText::Other);
                flatten(group.stream(), out);
                out.push(TokenText::Other);
            }
            proc_macro2::TokenTree::Ident(ident) => out.push(TokenText::Ident(ident.to_string())),
            proc_macro2::TokenTree::Punct(punct) => out.push(TokenText::Punct(punct.as_char())),
            proc_macro2::TokenTree::Literal(_) => out.push(TokenText::Other),
        }
    }
}

/// A method's signature as prettyplease formats it, without its body.
fn signature_text(method: &syn::ImplItemFn) -> String {
    let (visibility, signature) = (&method.vis, &method.sig);
    let file: syn::File = syn::parse_quote!(#visibility #signature {});
    prettyplease::unparse(&file).trim_end().trim_end_matches("{}").trim_end().to_owned()
}

/// The first paragraph of a doc comment, and the code of its first fenced example.
fn split_docs(docs: &str) -> (String, Option<String>) {
    let summary = docs.split("\n\n").next().unwrap_or_default().replace('\n', " ").trim().to_owned();
    let mut lines = docs.lines();
    let mut example = None;
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("```") {
            // Doc comments keep the space after `///`; the code does not need it.
            let code: Vec<&str> = lines
                .by_ref()
                .take_while(|line| !line.trim_start().starts_with("```"))
                .map(|line| line.strip_prefix(' ').unwrap_or(line))
                .collect();
            example = Some(code.join("\n"));
            break;
        }
    }
    (summary, example)
}

/// Prose from the spec as Markdown text: `&`, `<` and `>` written as entities, so that HTML in a
/// description is shown, not rendered.
fn html_safe(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `text` with a period at its end unless it ends with one already (or another sentence end).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) { text.to_owned() } else { format!("{text}.") }
}

/// The operations page: per operation the hand-written `Client` method that makes it (its
/// signature, a compiled example, its errors), and the generated method as the escape hatch.
/// Operations the facade does not cover show the generated call.
pub fn operations_page(header: &str, spec: &OpenAPI, generated: &syn::File, facade: &[FacadeMethod]) -> String {
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            operations.push(Operation { method, path, operation });
        }
    }
    let methods = client_methods(generated);
    let generated_methods = GeneratedMethods::new(&methods);
    let with_default = types_with_default(generated);

    let mut page = format!("{header}\n# Personal Client operations\n\n");
    page.push_str(
        "Call the API through the hand-written `Client`: each method below makes one operation, with\n\
         typed errors (`Error`), retries, the call timeout and paging as the crate README describes.\n\
         The method progenitor generated for each operation stays reachable through\n\
         `Client::generated()` as an escape hatch: one attempt, no retries, progenitor's error type.\n\
         Every example below is compiled by `cargo test`.\n\n",
    );
    let facade_for = |id: &str| facade.iter().find(|method| method.operation_id.as_deref() == Some(id));
    page.push_str("| `Client` method | operation | method | path |\n| --- | --- | --- | --- |\n");
    for operation in &operations {
        let id = operation.operation.operation_id.as_deref().unwrap_or_default();
        let shown = facade_for(id).map_or_else(|| "-".to_owned(), |method| format!("[`{}`](#{id})", method.name));
        let _ = writeln!(
            page,
            "| {shown} | [`{id}`](#{id}) | `{}` | `{}` |",
            operation.method.to_uppercase(),
            operation.path
        );
    }
    for operation in &operations {
        let id = operation.operation.operation_id.as_deref().unwrap_or_default();
        let signature = generated_methods.get(id);
        page.push('\n');
        let _ = writeln!(page, "## {id}\n");
        if let Some(method) = facade_for(id) {
            facade_section(&mut page, operation, method, facade);
            continue;
        }
        if let Some(summary) = &operation.operation.summary {
            let _ = writeln!(page, "{}\n", html_safe(&sentence(summary)));
        }
        if let Some(description) = &operation.operation.description {
            let _ = writeln!(page, "{}\n", html_safe(description));
        }
        let _ = writeln!(page, "`{} {}`\n", operation.method.to_uppercase(), operation.path);
        let arguments = signature.map(|method| method_arguments(&method.sig)).unwrap_or_default();
        page.push_str("### Example\n\n");
        let method_name =
            signature.map_or_else(|| crate::models::rust_snake_name(id), |method| method.sig.ident.to_string());
        page.push_str(&example(&method_name, &arguments, &with_default));
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

/// An operation made by a hand-written `Client` method.
fn facade_section(page: &mut String, operation: &Operation<'_>, method: &FacadeMethod, facade: &[FacadeMethod]) {
    let id = operation.operation.operation_id.as_deref().unwrap_or_default();
    let _ = writeln!(
        page,
        "`client.{}(...)` makes `{} {}`.\n",
        method.name,
        operation.method.to_uppercase(),
        operation.path
    );
    if !method.summary.is_empty() {
        let _ = writeln!(page, "{}\n", sentence(&method.summary));
    }
    for text in [&operation.operation.summary, &operation.operation.description].into_iter().flatten() {
        let _ = writeln!(page, "> {}\n", html_safe(&sentence(&text.replace('\n', " "))));
    }
    let _ = writeln!(page, "```text\n{}\n```\n", method.signature);
    if let Some(example) = &method.example {
        let _ = writeln!(page, "### Example\n\n```rust,no_run\n{example}\n```\n");
    }
    // The methods built on this one, directly or through each other (such as paging helpers).
    let mut related = vec![method.name.as_str()];
    let mut others: Vec<&FacadeMethod> = Vec::new();
    loop {
        let found = facade.iter().find(|other| {
            other.operation_id.is_none()
                && !related.contains(&other.name.as_str())
                && other.calls.iter().any(|called| related.contains(&called.as_str()))
        });
        let Some(found) = found else { break };
        related.push(&found.name);
        others.push(found);
    }
    if !others.is_empty() {
        page.push_str("### Also\n\n");
        for other in others {
            let _ = writeln!(page, "- `{}`: {}", other.name, sentence(&other.summary));
        }
        page.push('\n');
    }
    page.push_str(
        "### Errors\n\n\
         | `Error` variant | when |\n\
         | --- | --- |\n\
         | `Api` | the server answered another status: `status`, and the API's `code`, `message` and `details` when its error body says them |\n\
         | `Decode` | a success whose body is not the documented JSON, with the JSON path that failed |\n\
         | `Transport`, `Timeout` | the server could not be reached, or an attempt took too long (after the retries the policy allows) |\n\
         | `DeadlineExceeded` | the call timeout ran out across attempts and waits |\n\
         | `Auth` | no access token could be obtained |\n\
         \n\
         `Error::is_retryable()` says whether trying again later may help.\n\n",
    );
    let _ = writeln!(
        page,
        "### Escape hatch\n\n`client.generated().{id}(...)`: the generated method, one attempt, `progenitor_client::Error`."
    );
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

/// The generated methods, found by name or by the operation id their `OperationInfo` names;
/// built once, so that many operations cost linear time.
struct GeneratedMethods<'a> {
    by_name: std::collections::HashMap<String, &'a syn::ImplItemFn>,
    by_operation_id: std::collections::HashMap<String, &'a syn::ImplItemFn>,
}

impl<'a> GeneratedMethods<'a> {
    fn new(methods: &[&'a syn::ImplItemFn]) -> Self {
        let mut by_name = std::collections::HashMap::new();
        let mut by_operation_id = std::collections::HashMap::new();
        for method in methods {
            by_name.insert(method.sig.ident.to_string(), *method);
            let mut pending: Vec<proc_macro2::TokenStream> = vec![method.block.to_token_stream()];
            while let Some(tokens) = pending.pop() {
                for token in tokens {
                    match token {
                        proc_macro2::TokenTree::Group(group) => pending.push(group.stream()),
                        proc_macro2::TokenTree::Literal(literal) => {
                            if let Ok(text) = syn::parse_str::<syn::LitStr>(&literal.to_string()) {
                                by_operation_id.entry(text.value()).or_insert(*method);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        Self { by_name, by_operation_id }
    }

    /// The method of the operation `id`: named as typify names it (`getThing` becomes
    /// `get_thing`, `type` becomes `type_`), or else the one whose `OperationInfo` names `id`.
    fn get(&self, id: &str) -> Option<&'a syn::ImplItemFn> {
        self.by_name.get(&crate::models::rust_snake_name(id)).or_else(|| self.by_operation_id.get(id)).copied()
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
fn response_type(method: &syn::ImplItemFn) -> String {
    let syn::ReturnType::Type(_, output) = &method.sig.output else { return "()".to_owned() };
    let shown = display_type(output);
    shown
        .strip_prefix("Result<ResponseValue<")
        .and_then(|rest| rest.split_once(">, "))
        .map_or(shown.clone(), |(inner, _)| inner.replace("types::", ""))
}

/// A compiled example: build a client from the environment and make the call.
fn example(method_name: &str, arguments: &[Argument], with_default: &[String]) -> String {
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
            call_arguments.push(placeholder_argument(argument));
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
         \x20   let response = client.generated().{method_name}({}).await?;\n\
         \x20   println!(\"{{:?}}\", response.into_inner());\n\
         \x20   Ok(())\n\
         }}\n\
         ```\n",
        call_arguments.join(", ")
    )
}

/// A value of an argument's type for an example: `None` for an optional one, a string that says
/// where it comes from for `&str`, and a neutral value for numbers, booleans and other types.
fn placeholder_argument(argument: &Argument) -> String {
    let shown = argument.shown_type.replace(' ', "");
    if shown.starts_with("Option<") {
        return "None".to_owned();
    }
    if shown.starts_with('&') && shown.ends_with("str") {
        return format!("\"{}-from-a-previous-call\"", argument.name);
    }
    match shown.as_str() {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => "0".to_owned(),
        "f32" | "f64" => "0.0".to_owned(),
        "bool" => "false".to_owned(),
        _ => "Default::default()".to_owned(),
    }
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
