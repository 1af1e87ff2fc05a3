//! Lowers a validated spec into the model, once.

use std::collections::BTreeMap;

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

    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else { continue };
            let pointer = format!("{item_pointer}/{key}");
            match lower_operation(&resolver, document, naming, path, item, method, operation, &pointer, &mut secrets) {
                Ok(lowered) => operations.push(lowered),
                Err(problem) => problems.push(*problem),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let mut api = Api { operations, schemas, secrets };
    assign_unique_names(document, &mut api, &mut problems);
    check_inline_type_names(document, spec, &api, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    for operation in &mut api.operations {
        operation.response.shape = response_shape(&resolver, &api.schemas, operation);
        if let ResponseShape::WithSecrets { type_name, .. } = &operation.response.shape
            && api.schemas.iter().any(|schema| schema.rust_name == *type_name)
        {
            // A schema already has the name; the method returns the response type itself.
            operation.response.shape = ResponseShape::Whole;
        }
    }
    api.secrets.sort();
    api.secrets.dedup();
    Ok(api)
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

/// The schema of a media type map's JSON entry (or its only entry): its name when it is a
/// reference, the schema, the media type.
fn content_schema<'s>(
    resolver: &Resolver<'s>,
    content: &'s indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(Option<String>, &'s openapiv3::Schema, String)> {
    let (media_type, media) =
        content.iter().find(|(media_type, _)| is_json(media_type)).or_else(|| content.iter().next())?;
    let (name, schema) = resolver.schema(media.schema.as_ref()?)?;
    Some((name, schema, media_type.clone()))
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    resolver: &Resolver<'_>,
    document: &Document,
    naming: Naming,
    path: &str,
    item: &openapiv3::PathItem,
    method: HttpMethod,
    operation: &openapiv3::Operation,
    pointer: &str,
    secrets: &mut Vec<SecretField>,
) -> Result<Operation, Box<Diagnostic>> {
    let name = operation_name(document, naming, operation, pointer)?;

    // Operation parameters override the path item's of the same name and location.
    let mut parameters: Vec<Parameter> = Vec::new();
    for parameter in item.parameters.iter().chain(&operation.parameters) {
        let Some(parameter) = resolver.parameter(parameter) else { continue };
        let (location, data) = match parameter {
            openapiv3::Parameter::Path { parameter_data, .. } => (ParameterLocation::Path, parameter_data),
            openapiv3::Parameter::Query { parameter_data, .. } => (ParameterLocation::Query, parameter_data),
            openapiv3::Parameter::Header { parameter_data, .. } => (ParameterLocation::Header, parameter_data),
            openapiv3::Parameter::Cookie { parameter_data, .. } => {
                return Err(Box::new(Diagnostic::at(
                    document,
                    pointer,
                    format!("the cookie parameter {:?} cannot be generated", parameter_data.name),
                    "send it as a header parameter instead, or leave the operation out with an overlay action",
                )));
            }
        };
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => resolver.schema(schema),
            openapiv3::ParameterSchemaOrContent::Content(_) => None,
        };
        let lowered = Parameter {
            name: data.name.clone(),
            rust_name: rust_snake_name(&data.name),
            location,
            required: data.required,
            description: data
                .description
                .clone()
                .or_else(|| schema.as_ref().and_then(|(_, schema)| schema.schema_data.description.clone())),
            ty: schema.map_or(TypeRef::Any, |(named, schema)| match named {
                Some(name) => TypeRef::Named(name),
                None => resolver.type_of(schema),
            }),
        };
        match parameters.iter_mut().find(|known| known.name == lowered.name && known.location == lowered.location) {
            Some(known) => *known = lowered,
            None => parameters.push(lowered),
        }
    }

    let body = operation.request_body.as_ref().and_then(|body| resolver.request_body(body)).and_then(|body| {
        let (schema_name, schema, media_type) = content_schema(resolver, &body.content)?;
        if schema_name.is_none()
            && let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind
        {
            object_fields(resolver, object, &format!("{name} request"), "", secrets);
        }
        let shape = body_shape(resolver, schema);
        Some(Body { schema: schema_name, media_type, shape })
    });

    let success = operation
        .responses
        .responses
        .iter()
        .filter_map(|(status, response)| match status {
            openapiv3::StatusCode::Code(code) if (200..300).contains(code) => Some((*code, response)),
            _ => None,
        })
        .min_by_key(|(code, _)| *code);
    let (status, response_schema) = match success {
        Some((code, response)) => {
            let schema = resolver.response(response).and_then(|response| content_schema(resolver, &response.content));
            if let Some((None, schema, _)) = &schema
                && let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind
            {
                object_fields(resolver, object, &format!("{name} response"), "", secrets);
            }
            (code, schema.map(|(name, _, media)| (name, media)))
        }
        None => (200, None),
    };

    let paging = paging(resolver, operation, &parameters, body.as_ref());
    let read_only = match operation.extensions.get(READ_ONLY_EXTENSION) {
        Some(Value::Bool(flag)) => *flag,
        Some(other) => {
            return Err(Box::new(Diagnostic::at(
                document,
                &format!("{pointer}/{READ_ONLY_EXTENSION}"),
                format!("`{READ_ONLY_EXTENSION}` is {other}, not true or false"),
                format!("set `{READ_ONLY_EXTENSION}: true` on an operation that only reads"),
            )));
        }
        // Safe methods only read; so does an operation that asks for a page of results.
        None => method.is_safe() || paging.is_some(),
    };

    let response = Response {
        status,
        schema: response_schema.as_ref().and_then(|(name, _)| name.clone()),
        // Decided once every schema is lowered (see `response_shape`).
        shape: match &response_schema {
            Some((_, media)) if is_json(media) => ResponseShape::Whole,
            _ => ResponseShape::Nothing,
        },
    };
    Ok(Operation {
        variant: heck::ToPascalCase::to_pascal_case(name.as_str()),
        generated_name: name.clone(),
        name,
        id: operation.operation_id.clone(),
        method,
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        parameters,
        body,
        response,
        read_only,
        paging,
    })
}

/// An operation's method name: the overlay's `x-rust-name`; else the official SDKs' method name
/// (`x-speakeasy-name-override`, `List` → `list`); else the last dotted part of its `operationId`.
fn operation_name(
    document: &Document,
    naming: Naming,
    operation: &openapiv3::Operation,
    pointer: &str,
) -> Result<String, Box<Diagnostic>> {
    let hints: &[&str] = match naming {
        Naming::Hints => &[RUST_NAME_EXTENSION, NAME_OVERRIDE_EXTENSION],
        Naming::OperationIds => &[],
    };
    for extension in hints.iter().copied() {
        match operation.extensions.get(extension) {
            None => {}
            Some(Value::String(name)) if !name.trim().is_empty() => return Ok(rust_snake_name(name)),
            Some(other) => {
                return Err(Box::new(Diagnostic::at(
                    document,
                    &format!("{pointer}/{extension}"),
                    format!("`{extension}` is {other}, not a name"),
                    format!("set `{extension}` to a name of letters and digits, such as `list`"),
                )));
            }
        }
    }
    match operation.operation_id.as_deref() {
        Some(id) if naming == Naming::OperationIds => Ok(rust_snake_name(id)),
        Some(id) if !id.trim().is_empty() => {
            let last = id.rsplit('.').find(|part| part.chars().any(char::is_alphanumeric)).unwrap_or(id);
            Ok(rust_snake_name(last))
        }
        _ => Err(Box::new(Diagnostic::at(
            document,
            pointer,
            "the operation has no name: no operationId, x-speakeasy-name-override or x-rust-name",
            "add an `operationId` (or `x-rust-name`, with an overlay action); it becomes the method name",
        ))),
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
/// token, in its body or its query.
fn paging(
    resolver: &Resolver<'_>,
    operation: &openapiv3::Operation,
    parameters: &[Parameter],
    body: Option<&Body>,
) -> Option<Paging> {
    let responds_with_page = operation.responses.responses.iter().any(|(status, response)| {
        matches!(status, openapiv3::StatusCode::Code(code) if (200..300).contains(code))
            && resolver
                .response(response)
                .and_then(|response| content_schema(resolver, &response.content))
                .is_some_and(|(_, schema, _)| page_fields(resolver, schema).is_some())
    });
    if !responds_with_page {
        return None;
    }
    if let Some(parameter) = parameters
        .iter()
        .find(|parameter| parameter.location == ParameterLocation::Query && parameter.rust_name == "page_token")
        .filter(|parameter| parameter.ty.is_string())
    {
        return Some(Paging::QueryParameter(parameter.name.clone()));
    }
    let body = body?;
    if body.shape != BodyShape::Whole {
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
                type_name: format!("{}With{}", rust_type_name(target), secret_names.join("And")),
            }
        }
        _ => ResponseShape::Whole,
    }
}

/// Gives each operation a name no other operation, helper or hand-written method has: a name
/// the client's own methods take gets `_operation` appended; two operations that still share a
/// name (or an enum variant, a paging helper, a mock expectation) are an error naming both.
fn assign_unique_names(document: &Document, api: &mut Api, problems: &mut Vec<Diagnostic>) {
    for operation in &mut api.operations {
        if HAND_WRITTEN_CLIENT_METHODS.contains(&operation.name.as_str())
            || GENERATED_CLIENT_METHODS.contains(&operation.name.as_str())
            || operation.name == "call_json"
        {
            operation.name.push_str("_operation");
            operation.variant = heck::ToPascalCase::to_pascal_case(operation.name.as_str());
        }
        operation.generated_name = operation.name.clone();
    }
    let mut taken: BTreeMap<String, (String, String)> = BTreeMap::new();
    for operation in &api.operations {
        let shown = format!("{} {}", operation.method.as_str(), operation.path);
        let mut names = vec![(operation.name.clone(), "method"), (format!("enum {}", operation.variant), "variant")];
        if operation.paging.is_some() {
            names.push((format!("{}_stream", operation.name), "paging helper"));
            names.push((format!("{}_all", operation.name), "paging helper"));
        }
        for (name, role) in names {
            if let Some((first, first_pointer)) = taken.get(&name) {
                // One collision is enough to say: the others follow from it.
                problems.push(Diagnostic::at(
                    document,
                    &operation.pointer,
                    format!(
                        "the operations {first} (at {first_pointer}) and {shown} would both have the {role} `{}`",
                        name.trim_start_matches("enum ")
                    ),
                    format!(
                        "give one of them another name: an overlay action that sets `{RUST_NAME_EXTENSION}` on the operation"
                    ),
                ));
                break;
            } else {
                taken.insert(name, (shown.clone(), operation.pointer.clone()));
            }
        }
    }
}

/// Whether an inline schema becomes a named Rust type of its own (a struct or an enum): not a
/// reference, and not a combinator around one reference (which stands for that type).
fn is_named_type(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else { return false };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(number)) => !number.enumeration.is_empty(),
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list }
        | SchemaKind::AllOf { all_of: list } => !matches!(list.as_slice(), [ReferenceOr::Reference { .. }]),
        _ => false,
    }
}

/// An inline body whose generated name is already a schema's: progenitor would use that schema
/// in its place, so the operation would decode the wrong type. progenitor names an inline
/// request body `<name>Body` and an inline success response `<name>Response`, after the name it
/// is given for the operation.
fn check_inline_type_names(document: &Document, spec: &OpenAPI, api: &Api, problems: &mut Vec<Diagnostic>) {
    let taken: BTreeMap<&str, &str> =
        api.schemas.iter().map(|schema| (schema.rust_name.as_str(), schema.name.as_str())).collect();
    let resolver = Resolver::new(spec);
    for operation in &api.operations {
        let Some(ReferenceOr::Item(item)) = spec.paths.paths.get(&operation.path) else { continue };
        let Some((_, raw)) = item.iter().find(|(key, _)| *key == operation.method.key()) else { continue };
        let mut inline = Vec::new();
        if let Some(body) = raw.request_body.as_ref().and_then(|body| resolver.request_body(body)) {
            for (media, entry) in &body.content {
                if entry.schema.as_ref().is_some_and(is_named_type) {
                    inline.push((
                        format!("{}-body", operation.generated_name),
                        format!("{}/requestBody/content/{}/schema", operation.pointer, escape_pointer_token(media)),
                    ));
                }
            }
        }
        for (status, response) in &raw.responses.responses {
            let openapiv3::StatusCode::Code(code) = status else { continue };
            if !(200..300).contains(code) {
                continue;
            }
            let Some(response) = resolver.response(response) else { continue };
            for (media, entry) in &response.content {
                if entry.schema.as_ref().is_some_and(is_named_type) {
                    inline.push((
                        format!("{}-response", operation.generated_name),
                        format!(
                            "{}/responses/{code}/content/{}/schema",
                            operation.pointer,
                            escape_pointer_token(media)
                        ),
                    ));
                }
            }
        }
        check_inline(document, &taken, inline, problems);
    }
    // Inline properties are named `<schema><property>`.
    let mut inline = Vec::new();
    for (name, schema) in spec.components.iter().flat_map(|components| &components.schemas) {
        let ReferenceOr::Item(schema) = schema else { continue };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { continue };
        for (property, value) in &object.properties {
            let ReferenceOr::Item(value) = value else { continue };
            let value = ReferenceOr::Item((**value).clone());
            if is_named_type(&value) {
                inline.push((
                    format!("{name}-{property}"),
                    format!(
                        "/components/schemas/{}/properties/{}",
                        escape_pointer_token(name),
                        escape_pointer_token(property)
                    ),
                ));
            }
        }
    }
    check_inline(document, &taken, inline, problems);
}

/// Reports each inline schema whose generated name is a schema's.
fn check_inline(
    document: &Document,
    taken: &BTreeMap<&str, &str>,
    inline: Vec<(String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    {
        for (suggested, pointer) in inline {
            let rust = rust_type_name(&suggested);
            if let Some(schema) = taken.get(rust.as_str()) {
                problems.push(Diagnostic::at(
                    document,
                    &pointer,
                    format!(
                        "this inline schema would be named `{rust}`, the name of the schema {schema:?}; \
                         the generated code would use that schema here instead"
                    ),
                    "move the inline schema to components/schemas and refer to it, or rename the schema",
                ));
            }
        }
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
