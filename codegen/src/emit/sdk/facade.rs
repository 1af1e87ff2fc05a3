//! One operation's method on the SDK's `Client`, resolved once from its generated method: what
//! it takes (the update builder, the request, nothing for an empty body), how it calls the
//! generated method, and what it returns by the response's shape. The method, its paging
//! helpers, its `call_json` arm, its mock expectation and its docs are each rendered from this.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::Models;
use super::{WithoutLifetimes, doc, is_secret, option_inner, prose, vec_inner};
use crate::emit::method::{AnswerKind, CaseBody, Method, Source};
use crate::model::{Api, BodyShape, ResponseShape};
use crate::progenitor::output::display_type;

/// One argument of the generated method, as the facade passes it.
pub(super) struct Passed {
    /// Its name.
    pub(super) ident: syn::Ident,
    /// Its type, without lifetimes (`&str`, `Option<i64>`, `&types::Thing`, `B`).
    pub(super) ty: syn::Type,
    /// Whether it is the request body.
    pub(super) is_body: bool,
    /// The wire name of the parameter it is, if it is one.
    pub(super) wire_name: Option<String>,
}

/// What the facade returns, and how it makes it from the generated method's answer.
pub(super) struct Returned {
    /// The type (`types::PersonalClient`, `Page<types::PersonalClient>`, `()`).
    pub(super) ty: TokenStream,
    /// The expression that makes it from `response` (a `Result`).
    pub(super) finish: TokenStream,
    /// The type as the docs show it.
    pub(super) text: String,
    /// What the mock's `returns` takes, and how it answers with it.
    pub(super) mock_parameters: TokenStream,
    pub(super) mock_body: TokenStream,
}

/// One operation's SDK method, resolved.
pub(super) struct Facade<'a> {
    pub(super) method: &'a Method<'a>,
    /// The generated method's arguments.
    pub(super) arguments: Vec<Passed>,
    /// The type parameters of the method (`B: Into<reqwest::Body> + Clone` for bytes).
    pub(super) generics: syn::Generics,
    /// Whether the answer is a stream of bytes.
    pub(super) streaming: bool,
    /// The facade's parameters, what it does first, and what it passes to the generated method.
    pub(super) parameters: Vec<TokenStream>,
    pub(super) setup: Vec<TokenStream>,
    pub(super) passed: Vec<TokenStream>,
    /// The update builder it takes, if any.
    pub(super) update_builder: Option<String>,
    /// Whether the body is the empty object, which the method sends itself.
    pub(super) empty_body: bool,
    /// What it returns.
    pub(super) returned: Returned,
}

impl Facade<'_> {
    /// The operation's variant of the `Operation` enum.
    pub(super) fn variant(&self) -> syn::Ident {
        format_ident!("{}", self.method.operation.variant)
    }

    /// The client's method that makes the call: `call_operation`, which reads a body that
    /// does not decode again to say where it failed, for one JSON type; else
    /// `call_operation_without_replay` (a byte stream, or one of several outcomes).
    pub(super) fn caller(&self) -> TokenStream {
        if self.streaming || self.method.success.kind != AnswerKind::One {
            quote!(call_operation_without_replay)
        } else {
            quote!(call_operation)
        }
    }

    /// Whether the answer can be written as JSON: no outcome of it is a byte stream.
    pub(super) fn answers_json(&self) -> bool {
        !self.streaming && self.method.success.cases.iter().all(|case| !matches!(case.body, CaseBody::Raw))
    }

    /// Whether the method is generic (its body is bytes of any type).
    pub(super) fn has_type_parameters(&self) -> bool {
        !self.generics.params.is_empty()
    }
}

/// Resolves the facade of `method`; the update builders and the answers that carry secrets it
/// needs are added to `updates` and `outputs`, by name.
pub(super) fn resolve<'a>(
    api: &Api,
    method: &'a Method<'a>,
    models: &Models<'_>,
    outputs: &mut BTreeMap<String, TokenStream>,
    updates: &mut BTreeMap<String, TokenStream>,
) -> anyhow::Result<Facade<'a>> {
    let operation = method.operation;
    let arguments: Vec<Passed> = method
        .arguments
        .iter()
        .map(|argument| {
            let mut ty = argument.ty.clone();
            syn::visit_mut::VisitMut::visit_type_mut(&mut WithoutLifetimes, &mut ty);
            let (is_body, wire_name) = match &argument.source {
                Source::Body(_) => (true, None),
                Source::Parameter(parameter) => (false, Some(parameter.name.clone())),
            };
            Passed { ident: argument.ident.clone(), ty, is_body, wire_name }
        })
        .collect();
    // A body of bytes is given again to every attempt: cloned.
    let generics: syn::Generics = if method.takes_bytes() {
        syn::parse_quote!(<B: ::std::convert::Into<::reqwest::Body> + ::std::clone::Clone>)
    } else {
        syn::Generics::default()
    };
    let success = &method.success.ty;
    let streaming = display_type(success) == "ByteStream";

    let body = operation.body.as_ref();
    let body_type_name = arguments.iter().find(|argument| argument.is_body).and_then(|argument| match &argument.ty {
        syn::Type::Reference(reference) => Some(display_type(&reference.elem)),
        _ => None,
    });
    let update_builder = match body.map(|body| &body.shape) {
        Some(BodyShape::Update { object, object_field, mask_field }) => {
            let builder = format!("{}Update", api.rust_name(object));
            match body_type_name.as_deref() {
                Some(request) if models.has_default(&api.rust_name(object)) => {
                    let emitted = super::update::update_builder(
                        api,
                        models,
                        object,
                        object_field,
                        mask_field,
                        request,
                        &builder,
                    )?;
                    updates.entry(builder.clone()).or_insert(emitted);
                    Some(builder)
                }
                _ => None,
            }
        }
        _ => None,
    };
    let empty_body = matches!(body.map(|body| &body.shape), Some(BodyShape::Empty)) && body_type_name.is_some();
    let (parameters, setup, passed) =
        facade_arguments(&arguments, update_builder.as_deref(), empty_body, body_type_name.as_deref(), models);
    let returned = returned(api, method, models, streaming, outputs)?;
    Ok(Facade {
        method,
        arguments,
        generics,
        streaming,
        parameters,
        setup,
        passed,
        update_builder,
        empty_body,
        returned,
    })
}

/// The facade's parameters, what it does before the call, and what it passes to the generated method.
fn facade_arguments(
    arguments: &[Passed],
    update_builder: Option<&str>,
    empty_body: bool,
    body_type_name: Option<&str>,
    models: &Models<'_>,
) -> (Vec<TokenStream>, Vec<TokenStream>, Vec<TokenStream>) {
    let mut parameters = Vec::new();
    let mut setup = Vec::new();
    let mut passed = Vec::new();
    for argument in arguments {
        let ident = &argument.ident;
        let ty = &argument.ty;
        if !argument.is_body {
            parameters.push(quote!(#ident: #ty));
            passed.push(quote!(#ident));
        } else if let Some(builder) = update_builder {
            let builder = format_ident!("{}", builder);
            parameters.push(quote!(update: &#builder));
            setup.push(quote!(let body = update.to_request();));
            passed.push(quote!(&body));
        } else if empty_body {
            let body_type = body_type_name.unwrap_or_default();
            // The body's type as progenitor names it: a generated type, or one of serde_json's
            // own when the empty object is not a named schema.
            let elem = match ty {
                syn::Type::Reference(reference) => &*reference.elem,
                other => other,
            };
            let value = if models.is_map_newtype(body_type) && !models.has_default(body_type) {
                quote!(<#elem>::from(::serde_json::Map::new()))
            } else {
                quote!(<#elem as ::std::default::Default>::default())
            };
            setup.push(quote!(let body = #value;));
            passed.push(quote!(&body));
        } else if matches!(ty, syn::Type::Reference(_)) {
            parameters.push(quote!(request: #ty));
            passed.push(quote!(request));
        } else {
            parameters.push(quote!(request: #ty));
            passed.push(quote!(::std::clone::Clone::clone(&request)));
        }
    }
    (parameters, setup, passed)
}

/// What the facade returns, by the response's shape.
fn returned(
    api: &Api,
    method: &Method<'_>,
    models: &Models<'_>,
    streaming: bool,
    outputs: &mut BTreeMap<String, TokenStream>,
) -> anyhow::Result<Returned> {
    let operation = method.operation;
    let success = &method.success.ty;
    let response_struct = display_type(success).trim_start_matches("types::").to_owned();
    let field = |wire: &str| {
        models.field(&response_struct, wire).ok_or_else(|| anyhow::anyhow!("no field {wire} in {response_struct}"))
    };
    let variant = format_ident!("{}", operation.variant);
    let missing = |wire: &str| quote!(Error::missing_field(Operation::#variant, #wire));
    Ok(match &operation.response.shape {
        _ if streaming => Returned {
            ty: quote!(ByteStream),
            finish: quote!(Ok(response)),
            text: "ByteStream".to_owned(),
            mock_parameters: quote!(body: &str),
            mock_body: quote!(self.answer_text(body).await),
        },
        ResponseShape::Page { items_field, token_field } => {
            let (items, items_ty) = field(items_field)?;
            let (token, token_ty) = field(token_field)?;
            let list_ty = option_inner(&items_ty).unwrap_or(&items_ty);
            let item = vec_inner(list_ty).ok_or_else(|| anyhow::anyhow!("{items_field} is not a list"))?.clone();
            let items_value = if option_inner(&items_ty).is_some() {
                quote!(response.#items.unwrap_or_default())
            } else {
                quote!(response.#items)
            };
            let token_value =
                if option_inner(&token_ty).is_some() { quote!(response.#token) } else { quote!(Some(response.#token)) };
            Returned {
                ty: quote!(Page<#item>),
                finish: quote!(Ok(Page::new(#items_value, #token_value))),
                text: format!("Page<{}>", display_type(&item)),
                mock_parameters: quote!(items: ::std::vec::Vec<#item>, next_page_token: ::std::option::Option<&str>),
                mock_body: quote!(
                    self.answer(
                        ::serde_json::json!({ #items_field: items, #token_field: next_page_token.unwrap_or_default() })
                    )
                    .await
                ),
            }
        }
        ResponseShape::Single { field: wire } => {
            let (ident, ty) = field(wire)?;
            let (value_ty, value) = match option_inner(&ty) {
                Some(inner) => {
                    let missing = missing(wire);
                    (inner.clone(), quote!(response.#ident.ok_or_else(|| #missing)))
                }
                None => (ty.clone(), quote!(Ok(response.#ident))),
            };
            let parameter = if is_secret(&value_ty) { quote!(value: &str) } else { quote!(value: #value_ty) };
            Returned {
                ty: quote!(#value_ty),
                finish: value,
                text: display_type(&value_ty),
                mock_parameters: parameter,
                mock_body: quote!(self.answer(::serde_json::json!({ #wire: value })).await),
            }
        }
        ResponseShape::WithSecrets { object_field, object: _, secret_fields, type_name } => {
            with_secrets(api, operation, &field, &missing, object_field, secret_fields, type_name, outputs)?
        }
        ResponseShape::Empty | ResponseShape::Nothing => Returned {
            ty: quote!(()),
            finish: quote!(Ok(())),
            text: "()".to_owned(),
            mock_parameters: quote!(),
            mock_body: quote!(self.answer(::serde_json::json!({})).await),
        },
        ResponseShape::Raw | ResponseShape::Whole => whole(method, success),
    })
}

/// The answer as the generated method gives it; the mock answers with a value of the one JSON
/// body, or, where the successes differ, with a status and a body.
fn whole(method: &Method<'_>, success: &syn::Type) -> Returned {
    let (mock_parameters, mock_body) = match method.success.kind {
        AnswerKind::One if display_type(success) == "()" => {
            (quote!(), quote!(self.answer(::serde_json::json!({})).await))
        }
        AnswerKind::One => (
            quote!(response: #success),
            quote!(self.answer(::serde_json::to_value(&response).unwrap_or_default()).await),
        ),
        AnswerKind::Optional | AnswerKind::Enum { .. } => (
            quote!(status: u16, body: ::std::option::Option<::serde_json::Value>),
            quote!(self.answer_status(status, body).await),
        ),
    };
    Returned {
        ty: quote!(#success),
        finish: quote!(Ok(response)),
        text: display_type(success),
        mock_parameters,
        mock_body,
    }
}

/// An object and the secrets the API shows once, as a struct of their own.
#[allow(clippy::too_many_arguments)]
fn with_secrets(
    api: &Api,
    operation: &crate::model::Operation,
    field: &dyn Fn(&str) -> anyhow::Result<(syn::Ident, syn::Type)>,
    missing: &dyn Fn(&str) -> TokenStream,
    object_field: &str,
    secret_fields: &[String],
    type_name: &str,
    outputs: &mut BTreeMap<String, TokenStream>,
) -> anyhow::Result<Returned> {
    let type_ident = format_ident!("{}", type_name);
    let mut fields = Vec::new();
    let mut constructed = Vec::new();
    let mut parameters = Vec::new();
    let mut json_entries = Vec::new();
    let mut secret_entries = Vec::new();
    let response_schema = operation.response.schema.as_deref().and_then(|name| api.schema(name));
    let description_of = |wire: &str| {
        response_schema
            .and_then(|schema| schema.fields.iter().find(|field| field.wire_name == wire))
            .and_then(|field| field.description.clone())
            .map(|text| prose(&text))
            .unwrap_or_else(|| format!("The `{wire}` of the answer."))
    };
    for wire in std::iter::once(object_field).chain(secret_fields.iter().map(String::as_str)) {
        let (ident, ty) = field(wire)?;
        let inner = option_inner(&ty).cloned().unwrap_or_else(|| ty.clone());
        let value = if option_inner(&ty).is_some() {
            let missing = missing(wire);
            quote!(response.#ident.ok_or_else(|| #missing)?)
        } else {
            quote!(response.#ident)
        };
        let field_doc = doc(&description_of(wire));
        fields.push(quote! { #field_doc #[serde(rename = #wire)] pub #ident: #inner, });
        constructed.push(quote!(#ident: #value,));
        if is_secret(&inner) {
            parameters.push(quote!(#ident: &str));
            secret_entries.push(quote!((#wire, &self.#ident)));
        } else {
            parameters.push(quote!(#ident: #inner));
        }
        json_entries.push(quote!(#wire: #ident,));
    }
    let secret_count = secret_entries.len();
    let struct_doc = doc(&format!(
        "What the API answers with a secret it shows once: {}. `Debug` shows each secret as `[redacted]`.",
        secret_fields.iter().map(|wire| format!("`{wire}`")).collect::<Vec<_>>().join(", ")
    ));
    outputs.entry(type_name.to_owned()).or_insert(quote! {
        #struct_doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #type_ident {
            #(#fields)*
        }

        impl #type_ident {
            /// The secrets, each with its name on the wire, for code that must put them
            /// somewhere safe (or keep them out of what it prints).
            pub fn secrets(&self) -> [(&'static str, &SecretString); #secret_count] {
                [#(#secret_entries),*]
            }
        }
    });
    Ok(Returned {
        ty: quote!(#type_ident),
        finish: quote!(Ok(#type_ident { #(#constructed)* })),
        text: type_name.to_owned(),
        mock_parameters: quote!(#(#parameters),*),
        mock_body: quote!(self.answer(::serde_json::json!({ #(#json_entries)* })).await),
    })
}
