//! Runs progenitor over a validated spec and formats its output in-process with prettyplease.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use anyhow::{Context, anyhow};
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use schemars::schema::{InstanceType, SchemaObject};

/// The Rust type that every `format: password` string becomes: a string that `Debug` never shows.
pub const SECRET_TYPE: &str = "crate::secret::SecretString";

/// The type progenitor stores in the generated client for the hand-written hooks to use.
pub const RUNTIME_TYPE: &str = "crate::runtime::Runtime";

/// Generates the client and models for `spec`, formatted, without the file header.
pub fn generate_client(spec: &openapiv3::OpenAPI) -> anyhow::Result<String> {
    let mut settings = GenerationSettings::default();
    let runtime: proc_macro2::TokenStream = RUNTIME_TYPE.parse().map_err(|error| anyhow!("{error}"))?;
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_inner_type(runtime)
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq")
        .with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some("password".to_owned()),
                ..SchemaObject::default()
            },
            SECRET_TYPE,
            std::iter::empty::<TypeImpl>(),
        );

    let tokens = catch_generator_panic(|| Generator::new(&settings).generate_tokens(spec))
        .context("progenitor could not generate a client from the spec")?
        .map_err(|error| anyhow!("progenitor rejected the spec: {error}"))?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor produced Rust that does not parse")?;
    let mut without_header = WithoutApiVersionHeader { removed: 0 };
    syn::visit_mut::VisitMut::visit_file_mut(&mut without_header, &mut file);
    if without_header.removed > 0 {
        // The header map of an operation without header parameters is now never appended to.
        file.attrs.push(syn::parse_quote!(#![allow(unused_mut)]));
    }
    // progenitor ends every match on a response's status with a catch-all arm, which a
    // `default` response of the spec already covers.
    file.attrs.push(syn::parse_quote!(#![allow(unreachable_patterns)]));
    syn::visit_mut::VisitMut::visit_file_mut(&mut RawGen, &mut file);
    forward_compatible_models(&mut file);
    Ok(prettyplease::unparse(&file))
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

/// Removes the `api-version` header progenitor adds to every request.
///
/// The official SDKs send no such header and the API does not read it; what this SDK sends must
/// match theirs. progenitor has no setting for it, so the statement that appends it is dropped
/// from the syntax tree (not patched in text): `header_map.append(HeaderName::from_static("api-version"), ..)`.
struct WithoutApiVersionHeader {
    removed: usize,
}

impl syn::visit_mut::VisitMut for WithoutApiVersionHeader {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|statement| !appends_api_version_header(statement));
        self.removed += before - block.stmts.len();
        syn::visit_mut::visit_block_mut(self, block);
    }
}

fn appends_api_version_header(statement: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = statement else { return false };
    if call.method != "append" {
        return false;
    }
    let Some(syn::Expr::Call(name)) = call.args.first() else { return false };
    let names_from_static = matches!(&*name.func, syn::Expr::Path(path)
        if path.path.segments.last().is_some_and(|segment| segment.ident == "from_static"));
    let is_api_version = matches!(name.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }))
        if text.value() == "api-version");
    names_from_static && is_api_version
}

/// Generates a client and models for `spec` that stand on their own (no SDK runtime, no hooks):
/// progenitor's defaults, unformatted (see [`crate::progenitor::format`]). For generating a whole
/// API document into a crate of its own.
pub fn generate_standalone_tokens(spec: &openapiv3::OpenAPI) -> anyhow::Result<proc_macro2::TokenStream> {
    let mut settings = GenerationSettings::default();
    settings.with_interface(InterfaceStyle::Positional).with_tag(TagStyle::Merged);
    catch_generator_panic(|| Generator::new(&settings).generate_tokens(spec))
        .context("progenitor could not generate a client from the spec")?
        .map_err(|error| anyhow!("progenitor rejected the spec: {error}"))
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `generate`, turning a panic inside it into an error that carries the panic's message.
///
/// The panic hook is replaced once, process-wide, by one that stays silent for threads
/// inside this function and defers to the previous hook everywhere else.
fn catch_generator_panic<T>(generate: impl FnOnce() -> T) -> anyhow::Result<T> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                // The panic's place in a dependency's source says nothing to a user; its message is kept.
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|text| (*text).to_owned())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic without a message".to_owned());
                CAPTURED.with(|slot| *slot.borrow_mut() = Some(message));
            } else {
                previous(info);
            }
        }));
    });

    CAPTURING.with(|flag| flag.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(generate));
    CAPTURING.with(|flag| flag.set(false));
    outcome.map_err(|_| {
        let message = CAPTURED.with(|slot| slot.borrow_mut().take()).unwrap_or_default();
        anyhow!("the generator panicked: {message}")
    })
}

#[cfg(test)]
mod tests {
    use super::{appends_api_version_header, catch_generator_panic};

    #[test]
    fn only_the_api_version_header_statement_is_recognised() {
        let parse = |text: &str| syn::parse_str::<syn::Stmt>(text).expect("a statement");
        assert!(appends_api_version_header(&parse(
            r#"header_map.append(::reqwest::header::HeaderName::from_static("api-version"), value);"#
        )));
        assert!(!appends_api_version_header(&parse(
            r#"header_map.append(::reqwest::header::HeaderName::from_static("x-request-id"), value);"#
        )));
        assert!(!appends_api_version_header(&parse(r#"header_map.insert(from_static("api-version"), value);"#)));
    }

    #[test]
    fn a_panic_inside_the_generator_becomes_an_error_with_its_message() {
        let outcome = catch_generator_panic(|| -> u32 { panic!("unsupported construct in schema Thing") });
        let message = format!("{:#}", outcome.expect_err("the panic is caught"));
        assert!(message.contains("unsupported construct in schema Thing"), "{message}");
        assert!(!message.contains(".rs:"), "no place in a dependency's source: {message}");
    }

    #[test]
    fn a_generator_that_returns_passes_its_value_through() {
        assert_eq!(catch_generator_panic(|| 7).expect("no panic"), 7);
    }
}
