//! What the docs say about each model: the spec's properties joined with the generated Rust fields.

use anyhow::{Context, anyhow, bail};
use quote::ToTokens;

/// One model (a schema under `components/schemas`) as the docs present it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The schema's name, which is also the Rust type's name.
    pub name: String,
    /// The schema's description.
    pub description: Option<String>,
    /// The fields, in the spec's property order.
    pub fields: Vec<Field>,
}

/// One property of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The Rust field name (snake_case).
    pub rust_name: String,
    /// The JSON name on the wire (lowerCamelCase).
    pub wire_name: String,
    /// The Rust type as a user writes it, such as `Option<Vec<String>>`.
    pub rust_type: String,
    /// The model this field's type names, if any, for a link to its page.
    pub linked_model: Option<String>,
    /// Whether the spec lists the property as required.
    pub required: bool,
    /// The property's description.
    pub description: Option<String>,
}

/// Joins every schema of the model with its struct in the generated `types` module.
pub fn models(api: &crate::model::Api, generated: &syn::File) -> anyhow::Result<Vec<Model>> {
    let types = types_module(generated)?;
    // One pass over the generated items, so that many schemas cost linear time.
    let structs: std::collections::HashMap<String, &syn::ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some((item.ident.to_string(), item)),
            _ => None,
        })
        .collect();
    let names: Vec<String> = api.schemas.iter().map(|schema| schema.rust_name.clone()).collect();
    api.schemas
        .iter()
        .filter(|schema| !matches!(schema.kind, crate::model::SchemaShape::Alias(_)))
        .map(|schema| {
            model(schema, &structs, &names).with_context(|| format!("documenting the schema {}", schema.name))
        })
        .collect()
}

fn model(
    schema: &crate::model::Schema,
    structs: &std::collections::HashMap<String, &syn::ItemStruct>,
    names: &[String],
) -> anyhow::Result<Model> {
    let name = schema.rust_name.as_str();
    let description = schema.description.clone();
    if schema.kind != crate::model::SchemaShape::Object || schema.fields.is_empty() {
        return Ok(Model { name: name.to_owned(), description, fields: Vec::new() });
    }
    let Some(item) = structs.get(name) else {
        bail!("the generated code has no struct {name}");
    };
    // One pass over the struct's fields, so that many properties cost linear time.
    let by_wire_name: std::collections::HashMap<String, &syn::Field> =
        item.fields.iter().filter_map(|field| field_wire_name(field).map(|wire| (wire, field))).collect();
    let fields = schema
        .fields
        .iter()
        .map(|field| {
            let wire_name = &field.wire_name;
            let rust_field = by_wire_name
                .get(wire_name.as_str())
                .copied()
                .ok_or_else(|| anyhow!("the struct {name} has no field for the property {wire_name}"))?;
            let rust_name = rust_field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
            let linked_model = linked_model(&rust_field.ty, names);
            Ok(Field {
                rust_name: rust_name.trim_start_matches("r#").to_owned(),
                wire_name: wire_name.clone(),
                rust_type: display_type(&rust_field.ty),
                linked_model,
                required: field.required,
                description: field.description.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Model { name: name.to_owned(), description, fields })
}

/// The items of the generated `pub mod types`.
pub fn types_module(generated: &syn::File) -> anyhow::Result<&[syn::Item]> {
    generated
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => {
                module.content.as_ref().map(|(_, items)| items.as_slice())
            }
            _ => None,
        })
        .ok_or_else(|| anyhow!("the generated code has no `types` module"))
}

/// The name a field has on the wire: its `#[serde(rename = "...")]`, or else its Rust name.
pub fn field_wire_name(field: &syn::Field) -> Option<String> {
    let mut renamed = None;
    for attribute in field.attrs.iter().filter(|attribute| attribute.path().is_ident("serde")) {
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed.or_else(|| field.ident.as_ref().map(|ident| ident.to_string().trim_start_matches("r#").to_owned()))
}

/// The doc comment of an item or field, as one string with the lines joined by newlines.
pub fn doc_comment(attributes: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attributes
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .filter_map(|attribute| match &attribute.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Full paths that users write shorter.
const SHORT_PATHS: [(&str, &str); 6] = [
    ("std::option::Option", "Option"),
    ("std::vec::Vec", "Vec"),
    ("std::string::String", "String"),
    ("std::boxed::Box", "Box"),
    ("chrono::offset::Utc", "chrono::Utc"),
    ("crate::secret::SecretString", "SecretString"),
];

/// A Rust type as a user of the SDK writes it: prelude types bare, models by name.
pub fn display_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => {
            let segments: Vec<String> = path.path.segments.iter().map(|segment| segment.ident.to_string()).collect();
            let full = segments.join("::");
            let trimmed = full.trim_start_matches("super::").trim_start_matches("types::");
            let shown = SHORT_PATHS.iter().find(|(long, _)| *long == trimmed).map_or(trimmed, |(_, short)| short);
            let arguments = path.path.segments.last().map(|segment| &segment.arguments);
            match arguments {
                Some(syn::PathArguments::AngleBracketed(generic)) => {
                    let inner: Vec<String> = generic
                        .args
                        .iter()
                        .map(|argument| match argument {
                            syn::GenericArgument::Type(inner) => display_type(inner),
                            other => other.to_token_stream().to_string(),
                        })
                        .collect();
                    format!("{shown}<{}>", inner.join(", "))
                }
                _ => shown.to_owned(),
            }
        }
        other => other.to_token_stream().to_string(),
    }
}

/// The model named somewhere inside a field's type, if any.
fn linked_model(ty: &syn::Type, names: &[String]) -> Option<String> {
    let shown = display_type(ty);
    let tokens: Vec<&str> = shown.split(|character: char| !character.is_alphanumeric() && character != '_').collect();
    names.iter().find(|name| tokens.contains(&name.as_str())).cloned()
}
