//! Reshapes the models progenitor (typify) wrote, so that they can grow with the API and compile
//! in edition 2024: every struct with named fields and every enum is `#[non_exhaustive]` and every
//! such struct has builders; `gen` is written as a raw identifier.

/// Reshapes the SDK's generated file: models that can grow, `gen` as a raw identifier.
pub fn reshape(file: &mut syn::File) {
    syn::visit_mut::VisitMut::visit_file_mut(&mut RawGen, file);
    forward_compatible_models(file);
}

/// Makes the models of the `types` module safe to grow: every struct with named fields and every
/// enum becomes `#[non_exhaustive]`, so that a field or a value the API adds is no breaking
/// change for code outside the crate (no struct literal, no exhaustive `match` to break), and
/// every such struct gains what code outside the crate builds it with instead: a `with_<field>`
/// setter per field, taking anything that converts into the field's value and returning the
/// struct, and, when the struct has no `Default` (it has required fields), a `new` taking the
/// required fields in order.
fn forward_compatible_models(file: &mut syn::File) {
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else { continue };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else { continue };
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

impl syn::visit_mut::VisitMut for RawGen {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if ident == "gen" {
            *ident = proc_macro2::Ident::new_raw("gen", ident.span());
        }
    }
}
