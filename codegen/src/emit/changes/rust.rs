//! The generated models as the compiler sees them: each type of the `types` module with its
//! `impl`s, doc comments left out, so that two versions compare equal exactly when only their
//! documentation differs.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context as _;
use quote::ToTokens as _;
use syn::visit_mut::VisitMut;

use super::{ChangeKind, Impact, push};
use crate::model::Api;

/// Each type of the `types` module by name: its definition and `impl`s as tokens, without docs,
/// and for an enum its variants.
pub(super) type Types = BTreeMap<String, Type>;

/// One generated type.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Type {
    /// Its definition and `impl`s, as tokens without docs.
    items: Vec<String>,
    /// An enum's variants.
    variants: Option<BTreeSet<String>>,
}

/// The types of a generated file (none when it has no `types` module, as for an API that had no
/// document before).
pub(super) fn types(generated_rust: &str) -> anyhow::Result<Types> {
    let mut file = syn::parse_file(generated_rust).context("the generated Rust does not parse")?;
    WithoutDocs.visit_file_mut(&mut file);
    let mut types = Types::new();
    let module = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref(),
        _ => None,
    });
    for item in module.map(|(_, items)| items.as_slice()).unwrap_or_default() {
        if let Some(name) = owner(item) {
            let entry = types.entry(name).or_default();
            entry.items.push(item.to_token_stream().to_string());
            if let syn::Item::Enum(item) = item {
                entry.variants = Some(item.variants.iter().map(|variant| variant.ident.to_string()).collect());
            }
        }
    }
    Ok(types)
}

/// The type an item defines or implements.
fn owner(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(item) => Some(item.ident.to_string()),
        syn::Item::Enum(item) => Some(item.ident.to_string()),
        syn::Item::Type(item) => Some(item.ident.to_string()),
        syn::Item::Mod(item) => Some(format!("{}::", item.ident)),
        syn::Item::Impl(item) => match item.self_ty.as_ref() {
            syn::Type::Path(path) => path.path.segments.last().map(|segment| segment.ident.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Leaves out every doc comment (`#[doc = "..."]`).
struct WithoutDocs;

impl VisitMut for WithoutDocs {
    fn visit_attributes_mut(&mut self, attributes: &mut Vec<syn::Attribute>) {
        attributes.retain(|attribute| !attribute.path().is_ident("doc"));
        for attribute in attributes {
            self.visit_attribute_mut(attribute);
        }
    }
}

/// Reports the generated types that no schema of either model owns (inline objects' types, the
/// operations' outcome enums), each added, removed or changed.
pub(super) fn unowned(old: &Api, new: &Api, (before, after): (&Types, &Types), changes: &mut Vec<super::Change>) {
    let owned: BTreeSet<&str> =
        old.schemas.iter().chain(&new.schemas).map(|schema| schema.rust_name.as_str()).collect();
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names.into_iter().filter(|name| !owned.contains(name.as_str())) {
        let path = format!("type {}", name.trim_end_matches("::"));
        match (before.get(name), after.get(name)) {
            (None, Some(_)) => push(changes, &path, ChangeKind::Added, Impact::Additive, "a new generated type"),
            (Some(_), None) => {
                push(changes, &path, ChangeKind::Removed, Impact::Breaking, "a generated type is removed")
            }
            (Some(old), Some(new)) if old != new => {
                let grown = matches!((&old.variants, &new.variants), (Some(old), Some(new)) if old.is_subset(new));
                let (impact, reason) = if grown {
                    (Impact::Additive, "new enum values (enums are open and #[non_exhaustive])")
                } else {
                    (Impact::Breaking, "the generated type changes (its fields, variants or how it decodes)")
                };
                let kind =
                    ChangeKind::Changed { aspect: "Rust", before: "as it was".to_owned(), after: "changed".to_owned() };
                push(changes, &path, kind, impact, reason);
            }
            _ => {}
        }
    }
}
