//! Runs progenitor over the spec it is given ([`crate::progenitor::input`]) and reads what it
//! decided: the tokens of the models and the client's struct, and the Rust type of every slot.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use anyhow::{Context, anyhow};
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use schemars::schema::{InstanceType, SchemaObject};

use crate::model::Api;

/// The Rust type that every `format: password` string becomes: a string that `Debug` never shows.
pub const SECRET_TYPE: &str = "crate::secret::SecretString";

/// The type progenitor stores in the generated client for the hand-written hooks to use.
pub const RUNTIME_TYPE: &str = "crate::runtime::Runtime";

/// What the generated code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// The SDK: its runtime's hooks, secrets as `SecretString`, models that derive `JsonSchema`
    /// and `PartialEq`, and only the crates the SDK depends on (a `uuid` is a `String`).
    Sdk,
    /// A crate of its own: progenitor's defaults.
    Standalone,
}

/// What progenitor made of a spec.
pub struct Generated {
    /// progenitor's file: the `types` module, and the client's struct and traits.
    pub tokens: TokenStream,
    /// The names of the operations' holders, which are left out of the printed models.
    pub holders: std::collections::HashSet<String>,
    /// The generator, which holds typify's types: freeing it is left to whoever holds this.
    pub generator: Generator,
    /// The Rust type of every slot of every operation.
    pub slots: SlotTypes,
    /// The crates the models use beyond serde and progenitor's client.
    pub crates: Crates,
}

/// The crates generated models may use besides serde, serde_json and progenitor's client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Crates {
    /// `chrono`, for dates and times.
    pub chrono: bool,
    /// `uuid`, for `format: uuid`.
    pub uuid: bool,
    /// `regress`, for patterns (which the input drops, so it stays false).
    pub regress: bool,
    /// reqwest's `multipart` feature, for `multipart/form-data` bodies.
    pub multipart: bool,
    /// reqwest's `form` feature, for `application/x-www-form-urlencoded` bodies.
    pub form: bool,
    /// `percent-encoding`, for path parameters.
    pub percent_encoding: bool,
}

/// The Rust type of one slot, as typify gives it.
#[derive(Debug, Clone)]
pub struct SlotType {
    /// The owned type, as code beside the `types` module writes it (`types::Thing`).
    pub owned: syn::Type,
    /// The type a method takes it as (`&'a str` for a `String`, `&'a types::Thing`, `i64`).
    pub parameter: syn::Type,
    /// For an `Option<T>`, `T`.
    pub inner: Option<Box<SlotType>>,
    /// Whether it is a `String`, a number or a boolean (written with `to_string`).
    pub is_scalar: bool,
}

/// Every slot's type, by the operation's type prefix and the slot's name.
#[derive(Debug, Clone, Default)]
pub struct SlotTypes(HashMap<(String, String), SlotType>);

impl SlotTypes {
    /// The type of the slot `slot` of the operation whose type prefix is `prefix`.
    pub fn get(&self, prefix: &str, slot: &str) -> Option<&SlotType> {
        self.0.get(&(prefix.to_owned(), slot.to_owned()))
    }
}

/// progenitor's settings for `flavor`.
fn settings(flavor: Flavor) -> anyhow::Result<GenerationSettings> {
    let mut settings = GenerationSettings::default();
    settings.with_interface(InterfaceStyle::Positional).with_tag(TagStyle::Merged).with_conversion(
        file_schema(),
        "::std::vec::Vec<u8>",
        [TypeImpl::Default].into_iter(),
    );
    if flavor == Flavor::Sdk {
        let runtime: TokenStream = RUNTIME_TYPE.parse().map_err(|error| anyhow!("{error}"))?;
        settings
            .with_inner_type(runtime)
            .with_hooks(HooksMode::Expected)
            .with_derive("schemars::JsonSchema")
            .with_derive("PartialEq")
            .with_conversion(string_format("password"), SECRET_TYPE, std::iter::empty::<TypeImpl>())
            .with_conversion(
                string_format("uuid"),
                "::std::string::String",
                [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
            );
    }
    Ok(settings)
}

/// A multipart body's file, as [`crate::progenitor::input::mark_files`] marks it.
fn file_schema() -> SchemaObject {
    let mut schema = string_format("binary");
    schema.extensions.insert(crate::progenitor::input::FILE_EXTENSION.to_owned(), serde_json::Value::Bool(true));
    schema
}

/// The schema of a string of `format`, as typify matches a conversion.
fn string_format(format: &str) -> SchemaObject {
    SchemaObject {
        instance_type: Some(InstanceType::String.into()),
        format: Some(format.to_owned()),
        ..SchemaObject::default()
    }
}

/// Runs progenitor over `spec` (see [`crate::progenitor::input::progenitor_spec`]), and reads the
/// type of every slot of `api`'s operations from the types it decided.
pub fn generate(spec: &openapiv3::OpenAPI, api: &Api, flavor: Flavor) -> anyhow::Result<Generated> {
    let settings = settings(flavor)?;
    let mut generator = Generator::new(&settings);
    let tokens = catch_generator_panic(|| generator.generate_tokens(spec))
        .context("progenitor could not generate a client from the spec")?
        .map_err(|error| anyhow!("progenitor rejected the spec: {error}"))?;
    let type_space = generator.get_type_space();
    let slots = catch_generator_panic(|| read_slot_types(type_space, api))??;
    let crates = Crates {
        chrono: type_space.uses_chrono(),
        uuid: type_space.uses_uuid(),
        regress: type_space.uses_regress(),
        multipart: false,
        form: false,
        percent_encoding: false,
    };
    let holders = api
        .operations
        .iter()
        .filter(|operation| !operation.slots.is_empty())
        .map(|operation| operation.type_prefix.clone())
        .collect();
    Ok(Generated { tokens, holders, generator, slots, crates })
}

/// The type of every slot, read from each operation's holder struct; two types of one name (which
/// would not compile) are an error naming it.
fn read_slot_types(type_space: &typify::TypeSpace, api: &Api) -> anyhow::Result<SlotTypes> {
    let mut named: HashMap<String, typify::Type<'_>> = HashMap::new();
    for ty in type_space.iter_types() {
        let is_named = matches!(
            ty.details(),
            typify::TypeDetails::Struct(_) | typify::TypeDetails::Enum(_) | typify::TypeDetails::Newtype(_)
        );
        if is_named && let Some(other) = named.insert(ty.name(), ty) {
            return Err(anyhow!("two generated types would both be named {}", other.name()));
        }
    }
    let mut slots = HashMap::new();
    for operation in api.operations.iter().filter(|operation| !operation.slots.is_empty()) {
        let holder = named
            .get(&operation.type_prefix)
            .ok_or_else(|| anyhow!("progenitor made no type for the operation {}", operation.name))?;
        let typify::TypeDetails::Struct(structure) = holder.details() else {
            return Err(anyhow!("progenitor made {} something other than a struct", operation.type_prefix));
        };
        let properties: HashMap<&str, typify::TypeId> = structure.properties().collect();
        for slot in &operation.slots {
            let field = crate::model::names::rust_snake_name(&slot.name);
            let id = properties
                .get(field.as_str())
                .ok_or_else(|| anyhow!("the type {} has no field {field}", operation.type_prefix))?;
            let ty = slot_type(type_space, id)?;
            slots.insert((operation.type_prefix.clone(), slot.name.clone()), ty);
        }
    }
    Ok(SlotTypes(slots))
}

/// One slot's type, from typify's type of it.
fn slot_type(type_space: &typify::TypeSpace, id: &typify::TypeId) -> anyhow::Result<SlotType> {
    let ty = type_space.get_type(id).map_err(|error| anyhow!("{error}"))?;
    let owned: syn::Type = syn::parse2(ty.ident()).context("typify wrote a type that does not parse")?;
    let parameter: syn::Type = match ty.details() {
        // An enum of values can hold one the spec does not list (see `progenitor::enums`): it is
        // no `Copy`, and is taken by reference like any other model.
        typify::TypeDetails::Enum(_) => syn::parse_quote!(&'a #owned),
        _ => syn::parse2(ty.parameter_ident_with_lifetime("a")).context("typify wrote a type that does not parse")?,
    };
    let (inner, is_scalar) = match ty.details() {
        typify::TypeDetails::Option(inner) => (Some(Box::new(slot_type(type_space, &inner)?)), false),
        typify::TypeDetails::String => (None, true),
        typify::TypeDetails::Builtin(name) => (None, !name.contains("::")),
        _ => (None, false),
    };
    Ok(SlotType { owned, parameter, inner, is_scalar })
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
    use super::catch_generator_panic;

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
