//! The update builder of an object that an update operation changes: a setter per writable
//! field, and the update mask made from the fields set.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::Models;
use super::{doc, is_secret, is_string, option_inner, prose, sentence, vec_inner};
use crate::model::Api;

/// The update builder of `object`, for the update operation whose request is `request`.
pub(super) fn update_builder(
    api: &Api,
    generated: &Models<'_>,
    object: &str,
    object_field: &str,
    mask_field: &str,
    request: &str,
    builder: &str,
) -> anyhow::Result<TokenStream> {
    let schema = api.schema(object).ok_or_else(|| anyhow::anyhow!("no schema {object}"))?;
    let object_rust = format_ident!("{}", api.rust_name(object));
    let builder_ident = format_ident!("{}", builder);
    let request_ident = format_ident!("{}", request);
    let writable: Vec<_> = schema.fields.iter().filter(|field| !field.read_only).collect();
    let mut setters = Vec::new();
    let mut mask_names = Vec::new();
    for (index, field) in writable.iter().enumerate() {
        let (ident, ty) = generated
            .field(&api.rust_name(object), &field.wire_name)
            .ok_or_else(|| anyhow::anyhow!("no field {} in {object}", field.wire_name))?;
        let setter = format_ident!("{}", ident.to_string().trim_start_matches("r#"));
        let setter = if ident.to_string().starts_with("r#") { ident.clone() } else { setter };
        let (inner, wrap) = match option_inner(&ty) {
            Some(inner) => (inner.clone(), true),
            None => (ty.clone(), false),
        };
        let (parameter, value) = if is_string(&inner) {
            (quote!(value: impl Into<::std::string::String>), quote!(value.into()))
        } else if is_secret(&inner) {
            (quote!(value: impl Into<SecretString>), quote!(value.into()))
        } else if let Some(item) = vec_inner(&inner) {
            (
                quote!(values: impl IntoIterator<Item = impl Into<#item>>),
                quote!(values.into_iter().map(Into::into).collect()),
            )
        } else {
            (quote!(value: impl Into<#inner>), quote!(value.into()))
        };
        let value = if wrap { quote!(Some(#value)) } else { value };
        let wire = &field.wire_name;
        let description = field.description.as_deref().map(prose).unwrap_or_else(|| format!("Set `{wire}`."));
        let setter_doc = doc(&format!("{}\n\nAdds `{wire}` to the update mask.", sentence(&description)));
        setters.push(quote! {
            #setter_doc
            pub fn #setter(mut self, #parameter) -> Self {
                self.object.#ident = #value;
                self.set.insert(#index);
                self
            }
        });
        mask_names.push(wire.clone());
    }
    let count = mask_names.len();
    let (object_ident, object_ty) = generated
        .field(request, object_field)
        .ok_or_else(|| anyhow::anyhow!("no field {object_field} in {request}"))?;
    let (mask_ident, mask_ty) =
        generated.field(request, mask_field).ok_or_else(|| anyhow::anyhow!("no field {mask_field} in {request}"))?;
    let object_value = if option_inner(&object_ty).is_some() {
        quote!(Some(self.object.clone()))
    } else {
        quote!(self.object.clone())
    };
    let mask_value =
        if option_inner(&mask_ty).is_some() { quote!(Some(self.update_mask())) } else { quote!(self.update_mask()) };
    let builder_doc = doc(&format!(
        "The fields of a [`types::{object_rust}`] to change; fields left unset are not touched.\n\n\
         Only the fields a client may write are here (the spec's read-only fields are kept by the\n\
         server). The update mask names exactly the fields set, by their names on the wire, in the\n\
         spec's order: {}.",
        mask_names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
    ));
    Ok(quote! {
        #builder_doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #builder_ident {
            object: types::#object_rust,
            set: ::std::collections::BTreeSet<usize>,
        }

        impl #builder_ident {
            /// The wire names of the fields an update may set, in the spec's order.
            pub const FIELDS: [&'static str; #count] = [#(#mask_names),*];

            /// An update that changes nothing yet.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            /// The update mask: the wire names of the fields set, comma-separated, in the spec's order.
            pub fn update_mask(&self) -> ::std::string::String {
                self.set.iter().filter_map(|index| Self::FIELDS.get(*index).copied()).collect::<::std::vec::Vec<_>>().join(",")
            }

            /// Whether no field is set.
            pub fn is_empty(&self) -> bool {
                self.set.is_empty()
            }

            /// The request body: the fields set, and the mask naming them.
            pub fn to_request(&self) -> types::#request_ident {
                types::#request_ident {
                    #object_ident: #object_value,
                    #mask_ident: #mask_value,
                }
            }
        }
    })
}
