//! A paged operation's helpers: every item as a stream, page after page, and all items collected.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::facade::Facade;
use super::models::Models;
use super::{borrow, doc, generic_inner, is_str_reference, option_inner, owned};
use crate::model::{Paging, ResponseShape};
use crate::progenitor::output::display_type;

/// Each helper's name, signature and a sentence, for the docs.
pub(super) type HelperDocs = Vec<(String, String, String)>;

/// The helpers of a paged operation (none for one that does not page), and their docs.
pub(super) fn helpers(facade: &Facade<'_>, models: &Models<'_>) -> anyhow::Result<(TokenStream, HelperDocs)> {
    let operation = facade.method.operation;
    let (Some(paging), ResponseShape::Page { .. }, false, false) =
        (&operation.paging, &operation.response.shape, facade.has_type_parameters(), facade.streaming)
    else {
        return Ok((quote!(), Vec::new()));
    };
    let return_type: syn::Type = syn::parse2(facade.returned.ty.clone())?;
    let item = generic_inner(&return_type, "Page").cloned().ok_or_else(|| anyhow::anyhow!("a page without items"))?;
    let name = facade.method.ident();
    let variant = facade.variant();
    let stream_name = format_ident!("{}_stream", operation.name);
    let all_name = format_ident!("{}_all", operation.name);
    let mut owned_parameters = Vec::new();
    let mut owned_passed = Vec::new();
    let mut clones = Vec::new();
    let mut first_token = quote!(None);
    let mut set_token = quote!();
    let mut all_arguments = Vec::new();
    for argument in &facade.arguments {
        let argument_name = &argument.ident;
        if argument.is_body {
            // Paging by a body field: the request is owned, and its token set for each page.
            let ty = owned(&argument.ty);
            owned_parameters.push(quote!(request: #ty));
            clones.push(quote!(let mut request = request.clone();));
            owned_passed.push(quote!(&request));
            all_arguments.push(quote!(request));
            if let Paging::BodyField(field) = paging {
                let request_struct = display_type(&ty).trim_start_matches("types::").to_owned();
                let (token_ident, token_ty) = models
                    .field(&request_struct, field)
                    .ok_or_else(|| anyhow::anyhow!("no field {field} in {request_struct}"))?;
                if option_inner(&token_ty).is_some() {
                    first_token = quote!(request.#token_ident.clone());
                    set_token = quote!(request.#token_ident = token;);
                } else {
                    first_token = quote!(Some(request.#token_ident.clone()).filter(|token| !token.is_empty()));
                    set_token = quote!(request.#token_ident = token.unwrap_or_default(););
                }
            }
            continue;
        }
        if let Paging::QueryParameter(parameter) = paging
            && argument.wire_name.as_deref() == Some(parameter.as_str())
        {
            owned_passed.push(if is_str_reference(option_inner(&argument.ty).unwrap_or(&argument.ty)) {
                quote!(token.as_deref())
            } else {
                quote!(token.clone())
            });
            continue;
        }
        let ty = owned(&argument.ty);
        owned_parameters.push(quote!(#argument_name: #ty));
        clones.push(quote!(let #argument_name = #argument_name.clone();));
        owned_passed.push(borrow(argument_name, &argument.ty));
        all_arguments.push(quote!(#argument_name));
    }
    let stream_doc = doc(&format!(
        "Every item of [`Client::{}`], page after page, as a stream.\n\nIt follows the next page's token until it is empty or absent, and fails with\n[`Error::RepeatedPageToken`] rather than loop when the server repeats a token.",
        operation.name
    ));
    let all_doc = doc(&format!("Every item of [`Client::{}`], collected from all pages.", operation.name));
    let items = quote! {
        #stream_doc
        pub fn #stream_name(&self, #(#owned_parameters),*) -> impl ::futures::Stream<Item = Result<#item, Error>> + Send + 'static {
            let client = self.clone();
            let first_token = #first_token;
            crate::paging::stream(Operation::#variant, first_token, move |token: ::std::option::Option<::std::string::String>| {
                let client = client.clone();
                #(#clones)*
                async move {
                    #set_token
                    client.#name(#(#owned_passed),*).await
                }
            })
        }

        #all_doc
        pub async fn #all_name(&self, #(#owned_parameters),*) -> Result<::std::vec::Vec<#item>, Error> {
            use ::futures::TryStreamExt as _;
            self.#stream_name(#(#all_arguments),*).try_collect().await
        }
    };
    let stream_signature = super::example::signature_of(
        &quote!(pub fn #stream_name(&self, #(#owned_parameters),*) -> impl Stream<Item = Result<#item, Error>>),
    );
    let all_signature = super::example::signature_of(
        &quote!(pub async fn #all_name(&self, #(#owned_parameters),*) -> Result<Vec<#item>, Error>),
    );
    let docs = vec![
        (
            stream_name.to_string(),
            stream_signature,
            "every item, page after page, as a stream (fails rather than loop on a repeated page token).".to_owned(),
        ),
        (all_name.to_string(), all_signature, "every item, collected from all pages.".to_owned()),
    ];
    Ok((items, docs))
}
