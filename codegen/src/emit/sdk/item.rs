//! The facade's method as Rust: the item in `impl Client`, its docs holding the example.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc;
use super::facade::Facade;
use crate::model::ResponseShape;

/// The facade's method.
pub(super) fn method_item(facade: &Facade<'_>, crate_ident: &syn::Ident) -> TokenStream {
    let operation = facade.method.operation;
    let name = facade.method.ident();
    let variant = facade.variant();
    let (generics_params, _, where_clause) = facade.generics.split_for_impl();
    let caller = facade.caller();
    let example = super::example::example(facade, crate_ident);
    let method_doc = doc(&format!("{}\n\n```no_run\n{example}\n```", super::operation_prose(operation)));
    let result_binding = match &operation.response.shape {
        ResponseShape::Empty | ResponseShape::Nothing if !facade.streaming => quote!(let _response),
        _ => quote!(let response),
    };
    let (parameters, setup, passed) = (&facade.parameters, &facade.setup, &facade.passed);
    let (return_type, finish) = (&facade.returned.ty, &facade.returned.finish);
    quote! {
        #method_doc
        pub async fn #name #generics_params (&self, #(#parameters),*) -> Result<#return_type, Error> #where_clause {
            #(#setup)*
            #result_binding = self.#caller(
                Operation::#variant,
                || crate::generated::requests::#name(&self.generated, #(#passed),*),
                crate::generated::answers::#name,
            ).await?;
            #finish
        }
    }
}
