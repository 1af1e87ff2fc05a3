//! The one resolver of references in a validated spec.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};

use super::TypeRef;

/// Resolves the references of one validated spec; every lookup goes through here.
pub struct Resolver<'a> {
    spec: &'a OpenAPI,
    aliases: std::cell::RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `spec`.
    pub fn new(spec: &'a OpenAPI) -> Self {
        Self { spec, aliases: std::cell::RefCell::default() }
    }

    /// The name of the component schema a `#/components/schemas/...` reference names.
    pub fn schema_name(reference: &str) -> Option<&str> {
        reference.strip_prefix("#/components/schemas/")
    }

    /// The schema a reference names after following aliases (`A: {$ref: B}`), with its name;
    /// memoised, so that a chain of any length is followed once.
    pub fn named_schema(&self, name: &str) -> Option<(String, &'a openapiv3::Schema)> {
        let schemas = &self.spec.components.as_ref()?.schemas;
        let target = self.alias_target(name)?;
        match schemas.get(&target)? {
            ReferenceOr::Item(schema) => Some((target, schema)),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The last name of an alias chain starting at `name` (`name` itself when it is no alias).
    pub(crate) fn alias_target(&self, name: &str) -> Option<String> {
        if let Some(known) = self.aliases.borrow().get(name) {
            return known.clone();
        }
        let schemas = &self.spec.components.as_ref()?.schemas;
        let mut chain = vec![name.to_owned()];
        let mut seen = BTreeSet::from([name.to_owned()]);
        let target = loop {
            let current = chain.last().cloned().unwrap_or_default();
            if let Some(known) = self.aliases.borrow().get(&current) {
                break known.clone();
            }
            match schemas.get(&current) {
                Some(ReferenceOr::Item(_)) => break Some(current),
                Some(ReferenceOr::Reference { reference }) => match Self::schema_name(reference) {
                    Some(next) if seen.insert(next.to_owned()) => chain.push(next.to_owned()),
                    _ => break None,
                },
                None => break None,
            }
        };
        let mut aliases = self.aliases.borrow_mut();
        for link in chain {
            aliases.insert(link, target.clone());
        }
        target
    }

    /// A schema or a reference to one, resolved: the schema and, for a reference, the name of
    /// the schema it ends at.
    pub fn schema<'s>(
        &self,
        schema: &'s ReferenceOr<openapiv3::Schema>,
    ) -> Option<(Option<String>, &'s openapiv3::Schema)>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some((None, schema)),
            ReferenceOr::Reference { reference } => {
                let (name, schema) = self.named_schema(Self::schema_name(reference)?)?;
                Some((Some(name), schema))
            }
        }
    }

    /// A boxed schema (a property, a list's items) or a reference to one, resolved.
    pub fn boxed_schema<'s>(
        &self,
        schema: &'s ReferenceOr<Box<openapiv3::Schema>>,
    ) -> Option<(Option<String>, &'s openapiv3::Schema)>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some((None, schema)),
            ReferenceOr::Reference { reference } => {
                let (name, schema) = self.named_schema(Self::schema_name(reference)?)?;
                Some((Some(name), schema))
            }
        }
    }

    /// A parameter or a reference to `components/parameters`, resolved (any number of hops).
    pub fn parameter<'s>(&self, parameter: &'s ReferenceOr<openapiv3::Parameter>) -> Option<&'s openapiv3::Parameter>
    where
        'a: 's,
    {
        let entries = self.spec.components.as_ref().map(|components| &components.parameters);
        follow(parameter, entries, "#/components/parameters/")
    }

    /// A request body or a reference to `components/requestBodies`, resolved.
    pub fn request_body<'s>(&self, body: &'s ReferenceOr<openapiv3::RequestBody>) -> Option<&'s openapiv3::RequestBody>
    where
        'a: 's,
    {
        let entries = self.spec.components.as_ref().map(|components| &components.request_bodies);
        follow(body, entries, "#/components/requestBodies/")
    }

    /// A response or a reference to `components/responses`, resolved.
    pub fn response<'s>(&self, response: &'s ReferenceOr<openapiv3::Response>) -> Option<&'s openapiv3::Response>
    where
        'a: 's,
    {
        let entries = self.spec.components.as_ref().map(|components| &components.responses);
        follow(response, entries, "#/components/responses/")
    }

    /// The model's view of a schema's type.
    pub fn type_of(&self, schema: &openapiv3::Schema) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => TypeRef::String(format_text(&string.format)),
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(format_text(&integer.format)),
            SchemaKind::Type(Type::Number(number)) => TypeRef::Number(format_text(&number.format)),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                TypeRef::Array(Box::new(array.items.as_ref().map_or(TypeRef::Any, |items| self.boxed_type_of(items))))
            }
            SchemaKind::Type(Type::Object(_)) => TypeRef::Object,
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [ReferenceOr::Reference { reference }] => {
                    Resolver::schema_name(reference).map_or(TypeRef::Any, |name| TypeRef::Named(name.to_owned()))
                }
                _ => TypeRef::Any,
            },
            _ => TypeRef::Any,
        }
    }

    /// The model's view of a property's or item's type.
    pub fn boxed_type_of(&self, schema: &ReferenceOr<Box<openapiv3::Schema>>) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                Resolver::schema_name(reference).map_or(TypeRef::Any, |name| TypeRef::Named(name.to_owned()))
            }
            ReferenceOr::Item(schema) => self.type_of(schema),
        }
    }

    /// Whether a type is, after aliases, an object schema of `components/schemas`.
    pub(crate) fn is_named_object(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else { return None };
        let (target, schema) = self.named_schema(name)?;
        matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_))).then_some(target)
    }
}

/// A format as the document writes it.
pub(crate) fn format_text<T: serde::Serialize>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            serde_json::to_value(item).ok().and_then(|value| value.as_str().map(str::to_owned))
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// `item`, or the entry of `entries` its reference names (`prefix` and the entry's name), through
/// as many references as there are entries (more would be a cycle).
fn follow<'s, T>(
    item: &'s ReferenceOr<T>,
    entries: Option<&'s indexmap::IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
) -> Option<&'s T> {
    let mut current = item;
    for _ in 0..=entries.map_or(0, indexmap::IndexMap::len) {
        match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => current = entries?.get(reference.strip_prefix(prefix)?)?,
        }
    }
    None
}
