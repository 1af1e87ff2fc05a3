//! An operation's part of the mock: its expectation on `MockServer`, the marker type of what it
//! answers, and `returns`, which takes what the operation returns.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc;
use super::facade::Facade;
use crate::emit::method::Source;
use crate::model::ParameterLocation;

/// The operation's mock items: the `expect_<name>` method, the marker, and `returns`.
pub(super) struct MockItems {
    pub(super) method: TokenStream,
    pub(super) marker: TokenStream,
    pub(super) reply: TokenStream,
}

/// The mock items of the operation.
pub(super) fn items(facade: &Facade<'_>) -> MockItems {
    let operation = facade.method.operation;
    let variant = facade.variant();
    let expect_name = format_ident!("expect_{}", operation.name);
    let mut path_parameters = Vec::new();
    let mut path_values = Vec::new();
    for (argument, passed) in facade.method.arguments.iter().zip(&facade.arguments) {
        let Source::Parameter(parameter) = &argument.source else { continue };
        if parameter.location != ParameterLocation::Path {
            continue;
        }
        let (argument_name, ty, wire) = (&passed.ident, &passed.ty, &parameter.name);
        path_parameters.push(quote!(#argument_name: #ty));
        // The path's text as the client writes it.
        let text = match crate::emit::client::path_style(argument) {
            None => quote!(::progenitor_client::encode_path(&::std::string::ToString::to_string(&#argument_name))),
            Some((name, style, explode)) => quote! {
                crate::generated::support::value(#name, &#argument_name, #style, #explode, true).unwrap_or_default()
            },
        };
        path_values.push(quote!((#wire, #text)));
    }
    let expect_doc = doc(&format!(
        "Expects [`Client::{}`](crate::Client::{}): `{} {}`.",
        operation.name,
        operation.name,
        operation.method.as_str(),
        crate::emit::code_span(&operation.path)
    ));
    let method = quote! {
        #expect_doc
        pub fn #expect_name(&self, #(#path_parameters),*) -> Expectation<'_, replies::#variant> {
            self.expect(Operation::#variant, &[#(#path_values),*])
        }
    };
    let reply_doc = doc(&format!("What [`MockServer::{expect_name}`](super::MockServer::{expect_name}) answers."));
    let returns_doc = doc("Answers with this, as the API would (the documented success status and JSON body).");
    let marker = quote! {
        #reply_doc
        #[derive(Debug)]
        pub struct #variant;
    };
    let (parameters, body) = (&facade.returned.mock_parameters, &facade.returned.mock_body);
    let reply = quote! {
        impl Expectation<'_, replies::#variant> {
            #returns_doc
            pub async fn returns(self, #parameters) {
                #body
            }
        }
    };
    MockItems { method, marker, reply }
}
