//! The models progenitor generated, read for the surface: a struct's fields by wire name, with
//! their types as code beside the `types` module writes them.

use std::collections::{HashMap, HashSet};

use quote::format_ident;

use super::derives;
use crate::progenitor::output::field_wire_name;

/// The models progenitor generated, as the surface reads them: each struct by name.
pub(super) struct Models<'a> {
    structs: HashMap<String, &'a syn::ItemStruct>,
    type_names: HashSet<String>,
}

impl<'a> Models<'a> {
    pub(super) fn new(file: &'a syn::File) -> anyhow::Result<Self> {
        let items = crate::progenitor::output::types_module(file)?;
        let mut structs = HashMap::new();
        let mut type_names = HashSet::new();
        for item in items {
            match item {
                syn::Item::Struct(item) => {
                    type_names.insert(item.ident.to_string());
                    structs.insert(item.ident.to_string(), item);
                }
                syn::Item::Enum(item) => {
                    type_names.insert(item.ident.to_string());
                }
                syn::Item::Type(item) => {
                    type_names.insert(item.ident.to_string());
                }
                _ => {}
            }
        }
        Ok(Self { structs, type_names })
    }

    /// A field of a generated struct, by its wire name, with its type qualified for use outside
    /// the `types` module.
    pub(super) fn field(&self, struct_name: &str, wire_name: &str) -> Option<(syn::Ident, syn::Type)> {
        let item = self.structs.get(struct_name)?;
        let field = item.fields.iter().find(|field| field_wire_name(field).as_deref() == Some(wire_name))?;
        Some((field.ident.clone()?, self.qualified(&field.ty)))
    }

    /// Whether a generated struct derives `Default`.
    pub(super) fn has_default(&self, struct_name: &str) -> bool {
        self.structs.get(struct_name).is_some_and(|item| derives(&item.attrs, "Default"))
    }

    /// Whether a generated struct is a newtype over a JSON map (an object without properties).
    pub(super) fn is_map_newtype(&self, struct_name: &str) -> bool {
        self.structs.get(struct_name).is_some_and(|item| matches!(item.fields, syn::Fields::Unnamed(_)))
    }

    /// A type from inside the `types` module, as code beside it names it: `types::X`.
    pub(super) fn qualified(&self, ty: &syn::Type) -> syn::Type {
        let mut ty = ty.clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut Qualify { names: &self.type_names }, &mut ty);
        ty
    }
}

/// Writes a generated type's bare name (`PersonalClient`) as `types::PersonalClient`, and a
/// `super::` path out of the `types` module as a path from the crate.
struct Qualify<'a> {
    names: &'a HashSet<String>,
}

impl syn::visit_mut::VisitMut for Qualify<'_> {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        if path.qself.is_none() && path.path.leading_colon.is_none() {
            let first = path.path.segments.first().map(|segment| segment.ident.to_string()).unwrap_or_default();
            if path.path.segments.len() == 1 && self.names.contains(&first) {
                path.path.segments.insert(0, syn::PathSegment::from(format_ident!("types")));
            } else if first == "super" {
                path.path.segments[0] = syn::PathSegment::from(format_ident!("generated"));
                path.path.segments.insert(0, syn::PathSegment::from(format_ident!("crate")));
            }
        }
        syn::visit_mut::visit_type_path_mut(self, path);
    }
}
