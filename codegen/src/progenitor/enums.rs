//! String enums that stay open to the future: a value the spec does not list (one a later version
//! of the API adds) decodes as the enum's `Unknown` variant, which keeps it as the server sent it
//! and writes it back the same, instead of failing the whole answer.
//!
//! typify writes a string enum as an enum of unit variants (each with its wire value), and, as
//! items of their own, its `Display` (a `match` that writes each variant's value) and its
//! `FromStr` (a `match` on the value, anything else an error). Each is rewritten on its own, so
//! that the models can be reshaped in pieces.

/// The names the variant of unknown values takes, the first one no listed value's variant has.
const UNKNOWN_NAMES: [&str; 4] = ["Unknown", "UnknownValue", "Other", "OtherValue"];

/// The name of the unknown variant beside `variants`.
fn unknown_name<'a>(variants: impl Iterator<Item = &'a syn::Ident> + Clone) -> syn::Ident {
    let name = UNKNOWN_NAMES
        .iter()
        .find(|name| !variants.clone().any(|variant| variant == *name))
        .copied()
        .unwrap_or("UnknownValueOfTheApi");
    quote::format_ident!("{}", name)
}

/// Opens `item` when it is a typify string enum or one of its `Display` and `FromStr` impls.
pub(crate) fn open(item: &mut syn::Item) {
    match item {
        syn::Item::Enum(enumeration) => open_enum(enumeration),
        syn::Item::Impl(implementation) => {
            let Some((path, _)) = &implementation.trait_ else { return };
            let Some(last) = path.segments.last() else { return };
            match last.ident.to_string().as_str() {
                "Display" => open_display(implementation),
                "FromStr" => open_from_str(implementation),
                _ => {}
            }
        }
        _ => {}
    }
}

/// Whether the enum is one typify writes for a string enum: unit variants only, decoded with serde.
fn is_string_enum(enumeration: &syn::ItemEnum) -> bool {
    !enumeration.variants.is_empty()
        && enumeration.variants.iter().all(|variant| matches!(variant.fields, syn::Fields::Unit))
        && derives(&enumeration.attrs, "Deserialize")
}

/// Whether the derives of `attributes` name `name`.
fn derives(attributes: &[syn::Attribute], name: &str) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("derive")
            && quote::ToTokens::to_token_stream(&attribute.meta)
                .to_string()
                .split(|character: char| !character.is_alphanumeric())
                .any(|word| word == name)
    })
}

/// The enum gains `Unknown(String)`, decoded from any other string (serde's untagged variant,
/// tried after the listed values), and is no longer `Copy`.
fn open_enum(enumeration: &mut syn::ItemEnum) {
    if !is_string_enum(enumeration) {
        return;
    }
    let unknown = unknown_name(enumeration.variants.iter().map(|variant| &variant.ident));
    for attribute in &mut enumeration.attrs {
        if attribute.path().is_ident("derive")
            && let Ok(paths) =
                attribute.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        {
            let kept = paths.iter().filter(|path| !path.is_ident("Copy"));
            *attribute = syn::parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    enumeration.variants.push(syn::parse_quote! {
        /// A value this version does not list, as the server sent it (the API may add values).
        #[serde(untagged)]
        #unknown(::std::string::String)
    });
}

/// The `match` that is the only statement of the impl's only function.
fn only_match(implementation: &mut syn::ItemImpl) -> Option<&mut syn::ExprMatch> {
    let mut functions = implementation.items.iter_mut().filter_map(|item| match item {
        syn::ImplItem::Fn(function) => Some(function),
        _ => None,
    });
    let (Some(function), None) = (functions.next(), functions.next()) else { return None };
    let [syn::Stmt::Expr(syn::Expr::Match(matching), None)] = function.block.stmts.as_mut_slice() else { return None };
    Some(matching)
}

/// The variant a `Self::Variant` path names.
fn self_variant(expression: &syn::Expr) -> Option<&syn::Ident> {
    match expression {
        syn::Expr::Path(path) if path.path.segments.len() == 2 && path.path.segments[0].ident == "Self" => {
            Some(&path.path.segments[1].ident)
        }
        _ => None,
    }
}

/// `Display`: `match *self { Self::A => f.write_str("a"), .. }` writes an unknown value as it is.
fn open_display(implementation: &mut syn::ItemImpl) {
    let Some(matching) = only_match(implementation) else { return };
    let variants: Vec<syn::Ident> = matching
        .arms
        .iter()
        .filter_map(|arm| match &arm.pat {
            syn::Pat::Path(path) if path.path.segments.len() == 2 => Some(path.path.segments[1].ident.clone()),
            _ => None,
        })
        .collect();
    let writes_text =
        matching.arms.iter().all(|arm| matches!(&*arm.body, syn::Expr::MethodCall(call) if call.method == "write_str"));
    if variants.len() != matching.arms.len() || variants.is_empty() || !writes_text {
        return;
    }
    let unknown = unknown_name(variants.iter());
    *matching.expr = syn::parse_quote!(self);
    matching.arms.push(syn::parse_quote!(Self::#unknown(value) => f.write_str(value),));
}

/// `FromStr`: `match value { "a" => Ok(Self::A), .., _ => Err(..) }` reads any other value as
/// unknown.
fn open_from_str(implementation: &mut syn::ItemImpl) {
    let Some(matching) = only_match(implementation) else { return };
    let mut variants = Vec::new();
    for arm in &matching.arms[..matching.arms.len().saturating_sub(1)] {
        let syn::Pat::Lit(_) = &arm.pat else { return };
        let syn::Expr::Call(call) = &*arm.body else { return };
        let Some(variant) = call.args.first().and_then(self_variant) else { return };
        variants.push(variant.clone());
    }
    let Some(last) = matching.arms.last_mut() else { return };
    if variants.is_empty() || !matches!(last.pat, syn::Pat::Wild(_)) {
        return;
    }
    let unknown = unknown_name(variants.iter());
    *last = syn::parse_quote!(other => Ok(Self::#unknown(other.to_owned())),);
}

#[cfg(test)]
mod tests {
    use super::open;

    #[test]
    fn a_string_enum_and_its_impls_take_an_unknown_value() {
        let file: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
            pub enum E {
                #[serde(rename = "a.b")]
                AB,
                Unknown,
            }
            impl ::std::fmt::Display for E {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self {
                        Self::AB => f.write_str("a.b"),
                        Self::Unknown => f.write_str("unknown"),
                    }
                }
            }
            impl ::std::str::FromStr for E {
                type Err = self::error::ConversionError;
                fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                    match value {
                        "a.b" => Ok(Self::AB),
                        "unknown" => Ok(Self::Unknown),
                        _ => Err("invalid value".into()),
                    }
                }
            }
        };
        let mut file = file;
        for item in &mut file.items {
            open(item);
        }
        let text = prettyplease::unparse(&file);
        assert!(text.contains("#[serde(untagged)]\n    UnknownValue(::std::string::String)"), "{text}");
        assert!(!text.contains("Copy"), "{text}");
        assert!(text.contains("Self::UnknownValue(value) => f.write_str(value)"), "{text}");
        assert!(text.contains("match self {"), "{text}");
        assert!(text.contains("other => Ok(Self::UnknownValue(other.to_owned()))"), "{text}");
    }
}
