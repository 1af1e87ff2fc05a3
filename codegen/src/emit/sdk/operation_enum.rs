//! The `Operation` enum: every operation by name, with its facts (method, path, parameters,
//! whether it only reads, its secrets, its schemas).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, prose};
use crate::model::{Api, Operation, ParameterLocation};

/// The `Operation` enum and its facts.
pub(super) fn operation_enum(api: &Api) -> TokenStream {
    let variants: Vec<syn::Ident> =
        api.operations.iter().map(|operation| format_ident!("{}", operation.variant)).collect();
    let variant_docs = api.operations.iter().map(variant_doc);
    let names = api.operations.iter().map(|operation| operation.name.as_str());
    let ids = api.operations.iter().map(|operation| match &operation.id {
        Some(id) => quote!(Some(#id)),
        None => quote!(None),
    });
    let http_methods = api.operations.iter().map(|operation| operation.method.as_str());
    let paths = api.operations.iter().map(|operation| operation.path.as_str());
    let read_only = api.operations.iter().map(|operation| operation.read_only);
    let statuses = api.operations.iter().map(|operation| operation.response.status);
    let summaries = api.operations.iter().map(|operation| match &operation.summary {
        Some(summary) => quote!(Some(#summary)),
        None => quote!(None),
    });
    let takes_body = api.operations.iter().map(|operation| operation.body.is_some());
    let parameters = api.operations.iter().map(parameter_infos);
    let secrets = api.operations.iter().map(|operation| {
        let pointers = operation.response_secret_pointers(api);
        quote!(&[#(#pointers),*])
    });
    let request_schemas = schema_arms(api, true);
    let response_schemas = schema_arms(api, false);
    let count = api.operations.len();
    quote! {
        /// An operation of the API, as the SDK names it.
        ///
        /// New operations are added as the API grows, so a `match` needs a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Operation {
            #(#variant_docs #variants,)*
        }

        impl Operation {
            /// Every operation, in the spec's order.
            pub const ALL: [Operation; #count] = [#(Self::#variants),*];

            /// The operation whose method name is `name` (`list`).
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|operation| operation.name() == name)
            }

            /// Its method name on [`Client`] (`list`).
            pub const fn name(self) -> &'static str {
                match self { #(Self::#variants => #names,)* }
            }

            /// The `operationId` the spec gives it, if any.
            pub const fn id(self) -> Option<&'static str> {
                match self { #(Self::#variants => #ids,)* }
            }

            /// The HTTP method (`GET`).
            pub const fn method(self) -> &'static str {
                match self { #(Self::#variants => #http_methods,)* }
            }

            /// The path template (`/api/v1/iam/personal_clients/{id}`).
            pub const fn path(self) -> &'static str {
                match self { #(Self::#variants => #paths,)* }
            }

            /// Whether it only reads, so that retrying it cannot apply a change twice; only these
            /// are retried unless [`crate::RetryPolicy::retry_writes`] says otherwise.
            pub const fn is_read_only(self) -> bool {
                match self { #(Self::#variants => #read_only,)* }
            }

            /// The status of its documented success answer.
            pub const fn success_status(self) -> u16 {
                match self { #(Self::#variants => #statuses,)* }
            }

            /// The spec's one-line summary of it.
            pub const fn summary(self) -> Option<&'static str> {
                match self { #(Self::#variants => #summaries,)* }
            }

            /// Its path, query and header parameters.
            pub const fn parameters(self) -> &'static [crate::dynamic::ParameterInfo] {
                match self { #(Self::#variants => #parameters,)* }
            }

            /// Whether it takes a request body.
            pub const fn takes_body(self) -> bool {
                match self { #(Self::#variants => #takes_body,)* }
            }

            /// The JSON pointers of the secrets in its response body (`*` stands for every item
            /// of a list), for code that handles the body as JSON.
            pub const fn secret_pointers(self) -> &'static [&'static str] {
                match self { #(Self::#variants => #secrets,)* }
            }

            /// The JSON schema of its request body, when it has one (with every model it names).
            pub fn request_schema(self) -> Option<::schemars::schema::RootSchema> {
                match self { #(#request_schemas)* }
            }

            /// The JSON schema of its success response body, when it has one.
            pub fn response_schema(self) -> Option<::schemars::schema::RootSchema> {
                match self { #(#response_schemas)* }
            }
        }

        impl ::std::fmt::Display for Operation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}

/// The doc comment of an operation's variant: its name, method, path and summary.
fn variant_doc(operation: &Operation) -> TokenStream {
    let summary = operation
        .summary
        .as_deref()
        .map(|summary| format!(": {}", prose(&summary.replace('\n', " "))))
        .unwrap_or_default();
    doc(&format!(
        "`{}` (`{} {}`){summary}",
        operation.name,
        operation.method.as_str(),
        crate::emit::code_span(&operation.path)
    ))
}

/// An operation's parameters as `crate::dynamic::ParameterInfo` values.
fn parameter_infos(operation: &Operation) -> TokenStream {
    let entries = operation.parameters.iter().map(|parameter| {
        let name = &parameter.name;
        let location = format_ident!(
            "{}",
            match parameter.location {
                ParameterLocation::Path => "Path",
                ParameterLocation::Query => "Query",
                ParameterLocation::Header => "Header",
                ParameterLocation::Cookie => "Cookie",
            }
        );
        let required = parameter.required || parameter.location == ParameterLocation::Path;
        let description = parameter.description.clone().unwrap_or_default();
        quote! {
            crate::dynamic::ParameterInfo {
                name: #name,
                location: crate::dynamic::ParameterLocation::#location,
                required: #required,
                description: #description,
            }
        }
    });
    quote!(&[#(#entries),*])
}

/// The `match` arms giving each operation's request (or response) body schema.
fn schema_arms(api: &Api, request: bool) -> Vec<TokenStream> {
    api.operations
        .iter()
        .map(|operation| {
            let variant = format_ident!("{}", operation.variant);
            let schema = if request {
                operation.body.as_ref().and_then(|body| body.schema.clone())
            } else {
                operation.response.schema.clone()
            };
            match schema {
                Some(name) => {
                    let ty = format_ident!("{}", api.rust_name(&name));
                    quote!(Self::#variant => Some(::schemars::schema_for!(types::#ty)),)
                }
                None => quote!(Self::#variant => None,),
            }
        })
        .collect()
}
