//! Lowers a validated spec into the model, once.

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::names::{rust_snake_name, rust_type_name};
use super::*;
use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::read::Document;
use crate::read::openapi::HttpMethod;

/// The words a secret's name ends in.
const SECRET_WORDS: [&str; 6] = ["secret", "password", "passphrase", "passwd", "credential", "credentials"];

/// The words before `token` that make it no secret: paging and sync cursors.
const NOT_SECRET_TOKENS: [&str; 6] = ["page", "continuation", "cursor", "sync", "resume", "next"];

/// Whether a property's name says that it holds a secret: it ends in `secret`, `password`,
/// `passphrase`, `credential(s)`, `private key` or `api key`, or in `token` unless the token is
/// a cursor (`pageToken`, `nextPageToken`, `syncToken`, ...). Words are split at case changes,
/// `_`, `-` and `.`, so `clientSecret`, `client_secret` and `CLIENT-SECRET` read alike.
pub fn is_secret_name(name: &str) -> bool {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let words: Vec<&str> = snake.split('_').filter(|word| !word.is_empty()).collect();
    let Some(last) = words.last().copied() else { return false };
    let before = words.len().checked_sub(2).and_then(|index| words.get(index)).copied();
    if SECRET_WORDS.contains(&last) || matches!(last, "privatekey" | "apikey") {
        return true;
    }
    if last == "key" {
        return matches!(before, Some("private" | "api" | "secret" | "signing"));
    }
    if last == "token" {
        return !before.is_some_and(|word| NOT_SECRET_TOKENS.contains(&word));
    }
    false
}

/// Whether a string property is a secret, and why: the overlay's `x-rust-secret` decides where
/// it is set; else `format: password`, else the name.
pub(crate) fn secret_reason(
    wire_name: &str,
    data: Option<&openapiv3::SchemaData>,
    ty: &TypeRef,
) -> Option<&'static str> {
    if let Some(Value::Bool(flag)) = data.and_then(|data| data.extensions.get(SECRET_EXTENSION)) {
        return flag.then_some("x-rust-secret");
    }
    if !ty.is_string() {
        return None;
    }
    if matches!(ty, TypeRef::String(Some(format)) if format == "password") {
        return Some("format: password");
    }
    is_secret_name(wire_name).then_some("its name")
}

/// How operations are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// As the official SDKs name them: the overlay's `x-rust-name`, else
    /// `x-speakeasy-name-override`, else the last dotted part of the `operationId` (the SDK).
    Hints,
    /// As progenitor names them: the whole `operationId` in snake case (a whole document, where
    /// the hints repeat across services).
    OperationIds,
}

/// Lowers a validated spec into the model, naming operations from the document's hints.
/// `document` is the loaded (normalised) document the spec was converted from, for locating
/// problems.
pub fn lower(document: &Document, spec: &OpenAPI) -> Result<Api, Diagnostics> {
    lower_with(document, spec, Naming::Hints)
}

/// Lowers a validated spec into the model, naming operations as `naming` says.
pub fn lower_with(document: &Document, spec: &OpenAPI, naming: Naming) -> Result<Api, Diagnostics> {
    let resolver = Resolver::new(spec);
    let mut problems = Vec::new();
    let mut secrets = Vec::new();

    let mut schemas = Vec::new();
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", escape_pointer_token(name));
            check_extensions_on_schema(document, &pointer, schema, &mut problems);
            schemas.push(lower_schema(&resolver, name, &pointer, schema, &mut secrets));
        }
    }

    let context = super::operation::Context { document, resolver: &resolver, naming };
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else { continue };
            let pointer = format!("{item_pointer}/{key}");
            match super::operation::lower_operation(&context, path, item, method, operation, &pointer) {
                Ok(lowered) => operations.push(lowered),
                Err(problem) => problems.push(*problem),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    super::names::assign_schema_names(&mut schemas);
    let inline_type_names = inline_type_names(spec);
    let mut api = Api { operations: Vec::new(), schemas, secrets, inline_type_names };
    for (mut operation, declared_read_only) in operations {
        record_inline_secrets(&resolver, &operation, &mut api.secrets);
        shape_operation(&resolver, &api.schemas, &mut operation);
        // An operation that asks for a page of results only reads, unless the spec says otherwise.
        if declared_read_only.is_none() && operation.paging.is_some() {
            operation.read_only = true;
        }
        api.operations.push(operation);
    }
    super::names::assign_unique_names(document, &mut api, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    api.secrets.sort();
    api.secrets.dedup();
    Ok(api)
}

/// The names typify gives the inline types of the component schemas' properties
/// (`<schema>_<property>`, in its case).
fn inline_type_names(spec: &OpenAPI) -> Vec<String> {
    let mut names = Vec::new();
    for (name, schema) in spec.components.iter().flat_map(|components| &components.schemas) {
        let ReferenceOr::Item(schema) = schema else { continue };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { continue };
        for (property, value) in &object.properties {
            let ReferenceOr::Item(value) = value else { continue };
            if super::names::is_named_schema(value) {
                names.push(rust_type_name(&format!("{name}_{}", heck::ToSnakeCase::to_snake_case(property.as_str()))));
            }
        }
    }
    names
}

/// The secrets of an operation's inline request and success bodies, under
/// `<operation> request` and `<operation> response`.
fn record_inline_secrets(resolver: &Resolver<'_>, operation: &Operation, secrets: &mut Vec<SecretField>) {
    for slot in &operation.slots {
        let owner = match slot.name.as_str() {
            "body" => format!("{} request", operation.name),
            "response" => format!("{} response", operation.name),
            _ => continue,
        };
        if let ReferenceOr::Item(schema) = &slot.schema
            && let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind
        {
            object_fields(resolver, object, &owner, "", secrets);
        }
    }
}

/// Decides what the SDK makes of an operation: how it takes its body, which success response
/// shapes its method and how, how it pages.
fn shape_operation(resolver: &Resolver<'_>, schemas: &[Schema], operation: &mut Operation) {
    if let Some(body) = &mut operation.body
        && body.encoding == BodyEncoding::Json
        && let Some(slot) = operation.slots.iter().find(|slot| slot.name == "body")
        && let Some((_, schema)) = resolver.schema(&slot.schema)
    {
        body.shape = body_shape(resolver, schema);
    }
    let successes: Vec<&Outcome> = operation.outcomes.iter().filter(|outcome| outcome.success).collect();
    let bodies: std::collections::BTreeSet<&OutcomeBody> = successes.iter().map(|outcome| &outcome.body).collect();
    let primary = successes.first();
    let status = match primary.map(|outcome| outcome.status) {
        Some(Status::Code(code)) => code,
        _ => 200,
    };
    let schema = match primary.map(|outcome| &outcome.body) {
        Some(OutcomeBody::Json { schema, .. }) => schema.clone(),
        _ => None,
    };
    // The SDK's shapes read one success body; several different ones are returned whole.
    let shape = match primary.map(|outcome| &outcome.body) {
        _ if bodies.len() > 1 => ResponseShape::Whole,
        None | Some(OutcomeBody::Raw { .. }) => ResponseShape::Raw,
        Some(OutcomeBody::Empty) => ResponseShape::Nothing,
        Some(OutcomeBody::Json { .. }) => ResponseShape::Whole,
    };
    operation.response = Response { status, schema, shape };
    if operation.response.shape == ResponseShape::Whole && bodies.len() == 1 {
        operation.response.shape = response_shape(resolver, schemas, operation);
    }
    if let ResponseShape::WithSecrets { type_name, .. } = &operation.response.shape
        && schemas.iter().any(|schema| schema.rust_name == *type_name)
    {
        // A schema already has the name; the method returns the response type itself.
        operation.response.shape = ResponseShape::Whole;
    }
    operation.paging = paging(resolver, operation);
}

/// `x-rust-secret` must be a boolean where it is set.
fn check_extensions_on_schema(
    document: &Document,
    pointer: &str,
    schema: &ReferenceOr<openapiv3::Schema>,
    problems: &mut Vec<Diagnostic>,
) {
    let ReferenceOr::Item(schema) = schema else { return };
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return };
    for (name, property) in &object.properties {
        let ReferenceOr::Item(property) = property else { continue };
        if let Some(value) = property.schema_data.extensions.get(SECRET_EXTENSION)
            && !value.is_boolean()
        {
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/properties/{}/{SECRET_EXTENSION}", escape_pointer_token(name)),
                format!("`{SECRET_EXTENSION}` is {value}, not true or false"),
                format!("set `{SECRET_EXTENSION}: false` to exempt the property from the secret rule, or `true` to make it one"),
            ));
        }
    }
}

fn lower_schema(
    resolver: &Resolver<'_>,
    name: &str,
    pointer: &str,
    schema: &ReferenceOr<openapiv3::Schema>,
    secrets: &mut Vec<SecretField>,
) -> Schema {
    let rust_name = rust_type_name(name);
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            let target = Resolver::schema_name(reference).unwrap_or(reference).to_owned();
            return Schema {
                name: name.to_owned(),
                rust_name,
                pointer: pointer.to_owned(),
                description: None,
                kind: SchemaShape::Alias(target),
                fields: Vec::new(),
            };
        }
        ReferenceOr::Item(schema) => schema,
    };
    let (kind, fields) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            let fields = object_fields(resolver, object, name, "", secrets);
            (SchemaShape::Object, fields)
        }
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            (SchemaShape::StringEnum(string.enumeration.iter().flatten().cloned().collect()), Vec::new())
        }
        _ => (SchemaShape::Other, Vec::new()),
    };
    Schema {
        name: name.to_owned(),
        rust_name,
        pointer: pointer.to_owned(),
        description: schema.schema_data.description.clone(),
        kind,
        fields,
    }
}

/// The fields of an object; secrets (also those of inline objects inside) are recorded under `owner`.
fn object_fields(
    resolver: &Resolver<'_>,
    object: &openapiv3::ObjectType,
    owner: &str,
    prefix: &str,
    secrets: &mut Vec<SecretField>,
) -> Vec<Field> {
    object
        .properties
        .iter()
        .map(|(wire_name, property)| {
            let (data, ty) = match property {
                ReferenceOr::Reference { .. } => (None, resolver.boxed_type_of(property)),
                ReferenceOr::Item(schema) => (Some(&schema.schema_data), resolver.type_of(schema)),
            };
            let reason = secret_reason(wire_name, data, &ty);
            if let Some(reason) = reason {
                secrets.push(SecretField { owner: owner.to_owned(), field: format!("{prefix}{wire_name}"), reason });
            }
            if let ReferenceOr::Item(schema) = property {
                nested_secrets(resolver, schema, owner, &format!("{prefix}{wire_name}."), secrets);
            }
            Field {
                wire_name: wire_name.clone(),
                rust_name: rust_snake_name(wire_name),
                required: object.required.contains(wire_name),
                nullable: data.is_some_and(|data| data.nullable),
                read_only: data.is_some_and(|data| data.read_only),
                secret: reason.is_some(),
                description: data.and_then(|data| data.description.clone()),
                ty,
            }
        })
        .collect()
}

/// Records the secrets of inline objects inside an inline schema (a property's, a list's items).
fn nested_secrets(
    resolver: &Resolver<'_>,
    schema: &openapiv3::Schema,
    owner: &str,
    prefix: &str,
    secrets: &mut Vec<SecretField>,
) {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object_fields(resolver, object, owner, prefix, secrets);
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(items)) = &array.items {
                nested_secrets(resolver, items, owner, prefix, secrets);
            }
        }
        _ => {}
    }
}

fn body_shape(resolver: &Resolver<'_>, schema: &openapiv3::Schema) -> BodyShape {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return BodyShape::Whole };
    if object.properties.is_empty() && object.additional_properties.is_none() {
        return BodyShape::Empty;
    }
    if object.properties.len() != 2 || !object.required.is_empty() {
        return BodyShape::Whole;
    }
    let mut object_field = None;
    let mut mask_field = None;
    for (name, property) in &object.properties {
        let ty = resolver.boxed_type_of(property);
        if rust_snake_name(name) == "update_mask" && ty.is_string() {
            mask_field = Some(name.clone());
        } else if let Some(target) = resolver.is_named_object(&ty) {
            object_field = Some((name.clone(), target));
        }
    }
    match (object_field, mask_field) {
        (Some((object_field, object)), Some(mask_field)) => BodyShape::Update { object_field, object, mask_field },
        _ => BodyShape::Whole,
    }
}

/// An operation pages when its response is a page (see [`response_shape`]) and it takes a page
/// token, in its query or in its (JSON) body.
fn paging(resolver: &Resolver<'_>, operation: &Operation) -> Option<Paging> {
    if !matches!(operation.response.shape, ResponseShape::Page { .. }) {
        return None;
    }
    if let Some(parameter) = operation
        .parameters
        .iter()
        .find(|parameter| parameter.location == ParameterLocation::Query && parameter.rust_name == "page_token")
        .filter(|parameter| parameter.ty.is_string())
    {
        return Some(Paging::QueryParameter(parameter.name.clone()));
    }
    let body = operation.body.as_ref()?;
    if body.shape != BodyShape::Whole || body.encoding != BodyEncoding::Json {
        return None;
    }
    let schema_name = body.schema.as_deref()?;
    let (_, schema) = resolver.named_schema(schema_name)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    object.properties.iter().find_map(|(name, property)| {
        (rust_snake_name(name) == "page_token" && resolver.boxed_type_of(property).is_string())
            .then(|| Paging::BodyField(name.clone()))
    })
}

/// The list and token properties of a page: exactly two properties, a list and a string named
/// like `next_page_token`.
fn page_fields(resolver: &Resolver<'_>, schema: &openapiv3::Schema) -> Option<(String, String)> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    if object.properties.len() != 2 {
        return None;
    }
    let mut items = None;
    let mut token = None;
    for (name, property) in &object.properties {
        match resolver.boxed_type_of(property) {
            TypeRef::Array(_) => items = Some(name.clone()),
            TypeRef::String(_) if rust_snake_name(name) == "next_page_token" => token = Some(name.clone()),
            _ => {}
        }
    }
    Some((items?, token?))
}

/// What an operation's method returns, by rule, from its response schema's properties.
fn response_shape(resolver: &Resolver<'_>, schemas: &[Schema], operation: &Operation) -> ResponseShape {
    if operation.response.shape == ResponseShape::Nothing {
        return ResponseShape::Nothing;
    }
    let Some(name) = &operation.response.schema else { return ResponseShape::Whole };
    let Some((target, schema)) = resolver.named_schema(name) else { return ResponseShape::Whole };
    if let Some((items_field, token_field)) = page_fields(resolver, schema) {
        return ResponseShape::Page { items_field, token_field };
    }
    let Some(model) = schemas.iter().find(|schema| schema.name == target) else { return ResponseShape::Whole };
    if model.kind != SchemaShape::Object {
        return ResponseShape::Whole;
    }
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return ResponseShape::Whole };
    if model.fields.is_empty() && object.additional_properties.is_none() {
        return ResponseShape::Empty;
    }
    let objects: Vec<(&Field, String)> = model
        .fields
        .iter()
        .filter_map(|field| resolver.is_named_object(&field.ty).map(|target| (field, target)))
        .collect();
    let secrets: Vec<&Field> = model.fields.iter().filter(|field| field.secret && field.ty.is_string()).collect();
    match (objects.as_slice(), secrets.as_slice(), model.fields.len()) {
        ([(object, _)], [], 1) => ResponseShape::Single { field: object.wire_name.clone() },
        ([], [secret], 1) => ResponseShape::Single { field: secret.wire_name.clone() },
        ([(object, target)], secrets, count) if !secrets.is_empty() && count == secrets.len() + 1 => {
            let secret_names: Vec<String> = secrets.iter().map(|secret| rust_type_name(&secret.wire_name)).collect();
            ResponseShape::WithSecrets {
                object_field: object.wire_name.clone(),
                object: target.clone(),
                secret_fields: secrets.iter().map(|secret| secret.wire_name.clone()).collect(),
                // Named after the object it carries, by that schema's Rust name.
                type_name: format!(
                    "{}With{}",
                    schemas
                        .iter()
                        .find(|schema| schema.name == *target)
                        .map_or_else(|| rust_type_name(target), |schema| schema.rust_name.clone()),
                    secret_names.join("And")
                ),
            }
        }
        _ => ResponseShape::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names_are_recognised_and_cursors_are_not() {
        for name in [
            "clientSecret",
            "client_secret",
            "secret",
            "password",
            "token",
            "accessToken",
            "refresh_token",
            "privateKey",
            "PRIVATE_KEY",
            "apiKey",
            "signingKey",
            "newClientSecret",
        ] {
            assert!(is_secret_name(name), "{name} is a secret");
        }
        for name in [
            "pageToken",
            "nextPageToken",
            "next_page_token",
            "syncToken",
            "tokenType",
            "secretId",
            "keyId",
            "publicKey",
            "displayName",
            "passwordPolicy",
            "tokens",
        ] {
            assert!(!is_secret_name(name), "{name} is no secret");
        }
    }
}
