//! An operation's arm of `Client::call_json`: its parameters read from text and its body from
//! JSON, the call made through the same machinery as the typed method, the answer as JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::facade::Facade;
use super::{borrow, is_string, option_inner, owned};

/// The arm of `call_json`'s `match` for the operation.
pub(super) fn arm(facade: &Facade<'_>) -> TokenStream {
    let variant = facade.variant();
    let name = facade.method.ident();
    let mut setup = Vec::new();
    let mut passed = Vec::new();
    let mut supported = !facade.has_type_parameters();
    for argument in &facade.arguments {
        let argument_name = &argument.ident;
        if argument.is_body {
            match &argument.ty {
                syn::Type::Reference(reference) => {
                    let body_ty = &reference.elem;
                    setup.push(quote!(let body: #body_ty = crate::dynamic::body(operation, body)?;));
                    passed.push(quote!(&body));
                }
                _ if is_string(&argument.ty) => {
                    setup.push(quote!(let body: ::std::string::String = crate::dynamic::body(operation, body)?;));
                    passed.push(quote!(::std::clone::Clone::clone(&body)));
                }
                _ => supported = false,
            }
            continue;
        }
        let wire = argument.wire_name.clone().unwrap_or_else(|| argument.ident.to_string());
        let ty = owned(&argument.ty);
        if option_inner(&ty).is_some() {
            setup.push(quote!(let #argument_name: #ty = arguments.optional(#wire)?;));
        } else {
            setup.push(quote!(let #argument_name: #ty = arguments.required(#wire)?;));
        }
        passed.push(borrow(argument_name, &argument.ty));
    }
    if !supported {
        return quote!(Operation::#variant => crate::dynamic::unsupported(operation, "its request body is not JSON"),);
    }
    if !facade.answers_json() {
        return quote!(Operation::#variant => crate::dynamic::unsupported(operation, "its response is not JSON"),);
    }
    let caller = facade.caller();
    quote! {
        Operation::#variant => {
            let _ = &arguments;
            #(#setup)*
            let response = self.#caller(
                operation,
                || crate::generated::requests::#name(&self.generated, #(#passed),*),
                crate::generated::answers::#name,
            ).await?;
            crate::dynamic::to_json(operation, &response)
        }
    }
}
