//! Reshapes the models progenitor (typify) wrote (without the operations' holders, which
//! [`crate::progenitor::format::splice`] leaves out): the enums given
//! placeholder values get their names and values back; two properties that become one field name
//! are two fields; string enums decode a value they do not list; `gen` is a raw identifier
//! (edition 2024); typify's `defaults` helpers that no field uses are no warning; and, for the
//! SDK, every struct with named fields and every enum is `#[non_exhaustive]` and every such
//! struct has builders.
//!
//! Each rewrite looks at one item at a time (an enum, or one of its `impl`s), so that the models
//! can be reshaped in pieces, as they are printed ([`crate::progenitor::format`]).

use crate::progenitor::input::EnumNames;
use crate::progenitor::run::Flavor;

/// What reshaping needs to know of the spec progenitor was given.
#[derive(Debug, Clone, Default)]
pub struct Reshape {
    /// The enums given placeholder values.
    pub enum_names: EnumNames,
}

/// Reshapes the items of the `types` module (or a piece of them) for `flavor`.
pub fn reshape_models(items: &mut Vec<syn::Item>, flavor: Flavor, reshape: &Reshape) {
    // One walk of each item's tree for the three rewrites: a walk costs more than any of them.
    let put_back = (!reshape.enum_names.values.is_empty()).then_some(&reshape.enum_names);
    let mut rewrites = Rewrites { put_back: put_back.map(PutBack) };
    for item in items.iter_mut() {
        syn::visit_mut::VisitMut::visit_item_mut(&mut rewrites, item);
        crate::progenitor::enums::open(item);
        allow_unused_default_helpers(item);
    }
    if flavor == Flavor::Sdk {
        forward_compatible_models(items);
    }
}

/// typify's `defaults` module holds, beside the functions its fields name, generic helpers
/// (`default_i64`, `default_u64`, ...) it writes for any default it sees, also where a field then
/// names a function of its own (a `number` whose default is written `3`): such a helper is used
/// by nothing, and would be the crate's one warning.
fn allow_unused_default_helpers(item: &mut syn::Item) {
    if let syn::Item::Mod(module) = item
        && module.ident == "defaults"
    {
        module.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
    }
}

/// The rewrites made inside items, in one walk: [`PutBack`] (where enums were given
/// placeholders), [`FieldsApart`] and [`RawGen`].
struct Rewrites<'a> {
    put_back: Option<PutBack<'a>>,
}

impl syn::visit_mut::VisitMut for Rewrites<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some(put_back) = &self.put_back {
            put_back.ident(ident);
        }
        RawGen::ident(ident);
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        if let Some(put_back) = &self.put_back {
            put_back.literal(literal);
        }
    }

    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let Some(put_back) = &self.put_back {
            put_back.attribute(attribute);
        }
        syn::visit_mut::visit_attribute_mut(self, attribute);
    }

    fn visit_fields_named_mut(&mut self, fields: &mut syn::FieldsNamed) {
        FieldsApart::fields(fields);
        syn::visit_mut::visit_fields_named_mut(self, fields);
    }

    fn visit_expr_struct_mut(&mut self, expression: &mut syn::ExprStruct) {
        FieldsApart::literal(expression);
        syn::visit_mut::visit_expr_struct_mut(self, expression);
    }
}

/// Puts the names and wire values of enums that typify was given placeholders for back.
struct PutBack<'a>(&'a EnumNames);

impl PutBack<'_> {
    fn ident(&self, ident: &mut proc_macro2::Ident) {
        if let Some(name) = self.0.variants.get(&ident.to_string()) {
            *ident = quote::format_ident!("{}", name);
        }
    }

    fn literal(&self, literal: &mut syn::LitStr) {
        if let Some(value) = self.0.values.get(&literal.value()) {
            *literal = syn::LitStr::new(value, literal.span());
        }
    }

    fn attribute(&self, attribute: &mut syn::Attribute) {
        // `#[serde(rename = "...")]` holds its value in tokens, which the visit does not parse.
        if let syn::Meta::List(list) = &mut attribute.meta {
            list.tokens = list
                .tokens
                .clone()
                .into_iter()
                .map(|tree| match &tree {
                    proc_macro2::TokenTree::Literal(literal) => {
                        match syn::parse2::<syn::LitStr>(proc_macro2::TokenTree::Literal(literal.clone()).into()) {
                            Ok(text) => match self.0.values.get(&text.value()) {
                                Some(value) => proc_macro2::TokenTree::Literal(proc_macro2::Literal::string(value)),
                                None => tree,
                            },
                            Err(_) => tree,
                        }
                    }
                    _ => tree,
                })
                .collect();
        }
    }
}

/// Gives the fields of a struct that typify named alike (the properties `createdAt` and
/// `created_at` both become `created_at`) names of their own: the second `created_at_2`, the third
/// `created_at_3`, with its wire name kept in `#[serde(rename)]`; the struct literals that list
/// the fields (typify's `Default`) are renamed the same way, by the order of the fields.
struct FieldsApart;

impl FieldsApart {
    /// The names of `idents` made distinct, in order: a repeated one gets `_2`, `_3`, ... (a name
    /// no other has).
    fn apart(idents: &[String]) -> Vec<Option<String>> {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut given: std::collections::HashSet<String> = std::collections::HashSet::new();
        idents
            .iter()
            .map(|ident| {
                if seen.insert(ident.as_str()) {
                    return None;
                }
                // `self_` (a keyword's) is `self_2`, not `self__2`.
                let base = ident.trim_end_matches('_');
                let fresh = (2..)
                    .map(|counter| format!("{base}_{counter}"))
                    .find(|candidate| !idents.contains(candidate) && !given.contains(candidate))?;
                given.insert(fresh.clone());
                Some(fresh)
            })
            .collect()
    }

    /// Names apart the fields of a struct.
    fn fields(fields: &mut syn::FieldsNamed) {
        let idents: Vec<String> = fields
            .named
            .iter()
            .map(|field| field.ident.as_ref().map(ToString::to_string).unwrap_or_default())
            .collect();
        for (field, fresh) in fields.named.iter_mut().zip(Self::apart(&idents)) {
            let Some(fresh) = fresh else { continue };
            let wire = crate::progenitor::output::field_wire_name(field).unwrap_or_default();
            let has_rename = field.attrs.iter().any(|attribute| {
                attribute.path().is_ident("serde")
                    && quote::ToTokens::to_token_stream(attribute).to_string().contains("rename")
            });
            if !has_rename {
                field.attrs.push(syn::parse_quote!(#[serde(rename = #wire)]));
            }
            field.ident = Some(quote::format_ident!("{}", fresh));
        }
    }

    /// Names apart the fields of a struct literal, as its struct's are.
    fn literal(expression: &mut syn::ExprStruct) {
        let idents: Vec<String> = expression
            .fields
            .iter()
            .map(|field| match &field.member {
                syn::Member::Named(ident) => ident.to_string(),
                syn::Member::Unnamed(index) => index.index.to_string(),
            })
            .collect();
        for (field, fresh) in expression.fields.iter_mut().zip(Self::apart(&idents)) {
            if let (Some(fresh), syn::Member::Named(_)) = (fresh, &field.member) {
                field.member = syn::Member::Named(quote::format_ident!("{}", fresh));
                field.colon_token.get_or_insert_with(Default::default);
            }
        }
    }
}

/// Makes the models of the `types` module safe to grow: every struct with named fields and every
/// enum becomes `#[non_exhaustive]`, so that a field or a value the API adds is no breaking
/// change for code outside the crate (no struct literal, no exhaustive `match` to break), and
/// every such struct gains what code outside the crate builds it with instead: a `with_<field>`
/// setter per field, taking anything that converts into the field's value and returning the
/// struct, and, when the struct has no `Default` (it has required fields), a `new` taking the
/// required fields in order.
fn forward_compatible_models(items: &mut Vec<syn::Item>) {
    let mut added = Vec::new();
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(structure) if matches!(structure.fields, syn::Fields::Named(_)) => {
                structure.attrs.push(syn::parse_quote!(#[non_exhaustive]));
                added.push(constructors(structure));
            }
            syn::Item::Enum(enumeration) => enumeration.attrs.push(syn::parse_quote!(#[non_exhaustive])),
            _ => {}
        }
    }
    items.extend(added);
}

/// The `new` and `with_<field>` functions of a model struct (see [`forward_compatible_models`]).
fn constructors(structure: &syn::ItemStruct) -> syn::Item {
    let name = &structure.ident;
    let derives_default = structure.attrs.iter().any(|attribute| {
        attribute.path().is_ident("derive")
            && attribute
                .parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths.iter().any(|path| path.segments.last().is_some_and(|segment| segment.ident == "Default"))
                })
    });
    let syn::Fields::Named(fields) = &structure.fields else { return syn::parse_quote!(impl #name {}) };
    let mut setters = Vec::new();
    let mut parameters = Vec::new();
    let mut initialisers = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let plain = ident.to_string();
        let plain = plain.strip_prefix("r#").unwrap_or(&plain);
        let setter = quote::format_ident!("with_{}", plain);
        let ty = &field.ty;
        let doc = format!("Sets `{plain}`, and returns the value.");
        match option_inner(ty) {
            Some(inner) => setters.push(quote::quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#ident = ::std::option::Option::Some(value.into());
                    self
                }
            }),
            None => setters.push(quote::quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                    self.#ident = value.into();
                    self
                }
            }),
        }
        if !derives_default {
            match serde_default(field) {
                SerdeDefault::None if option_inner(ty).is_none() => {
                    parameters.push(quote::quote!(#ident: impl ::std::convert::Into<#ty>));
                    initialisers.push(quote::quote!(#ident: #ident.into()));
                }
                SerdeDefault::Path(path) => initialisers.push(quote::quote!(#ident: #path())),
                _ => initialisers.push(quote::quote!(#ident: ::std::default::Default::default())),
            }
        }
    }
    let constructor = (!derives_default).then(|| {
        let doc = format!("A `{name}` with the given required fields and every other field at its default (unset, or the value the spec gives).");
        quote::quote! {
            #[doc = #doc]
            pub fn new(#(#parameters),*) -> Self {
                Self { #(#initialisers),* }
            }
        }
    });
    syn::parse_quote! {
        impl #name {
            #constructor
            #(#setters)*
        }
    }
}

/// `T` when `ty` is `Option<T>` (as typify writes it: `::std::option::Option<T>`).
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) if arguments.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// What a field's `#[serde(default ...)]` says.
enum SerdeDefault {
    None,
    Default,
    Path(syn::Path),
}

fn serde_default(field: &syn::Field) -> SerdeDefault {
    let mut found = SerdeDefault::None;
    for attribute in field.attrs.iter().filter(|attribute| attribute.path().is_ident("serde")) {
        let _ = attribute.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                found = match meta.value() {
                    Ok(value) => {
                        let text: syn::LitStr = value.parse()?;
                        text.parse::<syn::Path>().map_or(SerdeDefault::Default, SerdeDefault::Path)
                    }
                    Err(_) => SerdeDefault::Default,
                };
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// Writes the identifier `gen` as `r#gen`: typify 0.8 emits it (`schemars::gen`, a parameter
/// name) and edition 2024 reserves it, so the SDK would not compile.
struct RawGen;

impl RawGen {
    fn ident(ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}
