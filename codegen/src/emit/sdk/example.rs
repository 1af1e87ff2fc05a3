//! The docs' view of an operation's SDK method: its signature as prettyplease prints it, and a
//! compiled example of calling it.

use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use super::facade::Facade;
use crate::model::ResponseShape;

/// A signature as prettyplease formats it, without a body.
pub(super) fn signature_of(signature: &TokenStream) -> String {
    let file: Result<syn::File, _> = syn::parse2(quote!(impl Client { #signature {} }));
    match file {
        Ok(file) => {
            let text = prettyplease::unparse(&file);
            let inner: Vec<&str> = text.lines().skip(1).collect();
            let inner = inner[..inner.len().saturating_sub(1)].join("\n");
            inner
                .lines()
                .map(|line| line.strip_prefix("    ").unwrap_or(line))
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .trim_end_matches("{}")
                .trim_end()
                .to_owned()
        }
        Err(_) => signature.to_string(),
    }
}

/// The example's parameters: name and type as the example function takes them.
fn parameters(facade: &Facade<'_>) -> Vec<(String, String)> {
    let mut parameters = Vec::new();
    for argument in &facade.arguments {
        if argument.is_body {
            if let Some(builder) = &facade.update_builder {
                parameters.push(("update".to_owned(), format!("&{builder}")));
            } else if facade.has_type_parameters() {
                // A body of bytes: any type the method takes will do; the example shows one.
                parameters.push(("request".to_owned(), "Vec<u8>".to_owned()));
            } else if !facade.empty_body {
                parameters.push(("request".to_owned(), example_type(&argument.ty)));
            }
        } else {
            parameters.push((argument.ident.to_string(), example_type(&argument.ty)));
        }
    }
    parameters
}

/// A type as an example outside the crate writes it.
fn example_type(ty: &syn::Type) -> String {
    let shown = ty.to_token_stream().to_string().replace(' ', "");
    let shown = shown
        .replace("::std::option::Option", "Option")
        .replace("::std::string::String", "String")
        .replace("::std::vec::Vec", "Vec")
        .replace("::chrono::", "chrono::");
    shown.replace(',', ", ")
}

/// A compiled example of calling an operation's method: a function that takes the method's
/// arguments (so that it compiles whatever their types), calls it, and uses the answer.
pub(super) fn example(facade: &Facade<'_>, crate_ident: &syn::Ident) -> String {
    let operation = facade.method.operation;
    let parameters = parameters(facade);
    let uses_types = parameters.iter().any(|(_, ty)| ty.contains("types::"));
    let builder =
        parameters.iter().find_map(|(name, ty)| (name == "update").then(|| ty.trim_start_matches('&').to_owned()));
    let mut imports = vec!["Client".to_owned(), "Error".to_owned()];
    if let Some(builder) = &builder {
        imports.push(builder.clone());
    }
    if uses_types {
        imports.push("types".to_owned());
    }
    let mut signature: Vec<String> = vec!["client: &Client".to_owned()];
    signature.extend(parameters.iter().map(|(name, ty)| format!("{name}: {ty}")));
    let call_arguments: Vec<&str> = parameters.iter().map(|(name, _)| name.as_str()).collect();
    let call = format!("client.{}({}).await?", facade.method.ident(), call_arguments.join(", "));
    let body = match &operation.response.shape {
        _ if facade.streaming => format!("    let _body = {call};\n"),
        ResponseShape::Page { .. } => format!(
            "    let page = {call};\n    for item in &page.items {{\n        println!(\"{{item:?}}\");\n    }}\n"
        ),
        ResponseShape::Empty | ResponseShape::Nothing => format!("    {call};\n"),
        ResponseShape::WithSecrets { .. } => format!(
            "    let answer = {call};\n    // `Debug` shows the secrets as `[redacted]`; `expose_secret()` reads one on purpose.\n    println!(\"{{answer:?}}\");\n"
        ),
        _ if facade.returned.text == "()" => format!("    {call};\n"),
        _ => format!("    let answer = {call};\n    println!(\"{{answer:?}}\");\n"),
    };
    format!(
        "use {crate_ident}::{{{}}};\n\nasync fn example({}) -> Result<(), Error> {{\n{body}    Ok(())\n}}",
        imports.join(", "),
        signature.join(", ")
    )
}

/// The facade's signature as the docs show it.
pub(super) fn signature(facade: &Facade<'_>) -> String {
    let name = facade.method.ident();
    let (generics_params, _, where_clause) = facade.generics.split_for_impl();
    let parameters = &facade.parameters;
    let return_type = &facade.returned.ty;
    signature_of(
        &quote!(pub async fn #name #generics_params (&self, #(#parameters),*) -> Result<#return_type, Error> #where_clause),
    )
}
