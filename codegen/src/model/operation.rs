//! Lowers one operation of the spec: its name, parameters, request body and documented outcomes,
//! with the slots whose Rust types progenitor decides (see [`Slot`]).

use openapiv3::{ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::names::rust_snake_name;
use super::*;
use crate::diagnostic::{Diagnostic, escape_pointer_token};
use crate::read::Document;

/// The media types a request body is sent as when the spec offers several, best first.
const BODY_PREFERENCE: [BodyEncoding; 4] =
    [BodyEncoding::Json, BodyEncoding::Form, BodyEncoding::Multipart, BodyEncoding::Raw];

/// Lowers the operation at `pointer` (`method` of the path item `item` at `path`).
pub(super) fn lower_operation(
    context: &Context<'_>,
    path: &str,
    item: &openapiv3::PathItem,
    method: HttpMethod,
    operation: &openapiv3::Operation,
    pointer: &str,
) -> Result<(Operation, Option<bool>), Box<Diagnostic>> {
    let name = operation_name(context, operation, method, path, pointer)?;
    let mut slots = Vec::new();
    let parameters = lower_parameters(context, item, operation, path, &mut slots);
    let body = lower_body(context, operation, pointer, &mut slots)?;
    let outcomes = lower_outcomes(context, operation, &mut slots);
    let declared_read_only = declared_read_only(context.document, operation, pointer)?;
    let operation = Operation {
        variant: super::names::rust_type_name(&name),
        type_prefix: super::names::rust_type_name(&name),
        name,
        id: operation.operation_id.clone(),
        method,
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        summary: operation.summary.clone().filter(|text| !text.trim().is_empty()),
        description: operation.description.clone().filter(|text| !text.trim().is_empty()),
        deprecated: operation.deprecated,
        parameters,
        body,
        response: Response { status: 200, schema: None, shape: ResponseShape::Nothing },
        outcomes,
        read_only: declared_read_only.unwrap_or(method.is_safe()),
        paging: None,
        slots,
    };
    Ok((operation, declared_read_only))
}

/// What lowering an operation reads besides the operation: the document (for messages), the
/// resolver and how operations are named.
pub(super) struct Context<'a> {
    pub(super) document: &'a Document,
    pub(super) resolver: &'a Resolver<'a>,
    pub(super) naming: Naming,
}

/// An operation's method name: the overlay's `x-rust-name`; else the official SDKs' method name
/// (`x-speakeasy-name-override`, `List` → `list`); else its `operationId` (the last dotted part
/// of it, for the SDK); else, without one, its method and path (`get_users_id`).
fn operation_name(
    context: &Context<'_>,
    operation: &openapiv3::Operation,
    method: HttpMethod,
    path: &str,
    pointer: &str,
) -> Result<String, Box<Diagnostic>> {
    let hints: &[&str] = match context.naming {
        Naming::Hints => &[RUST_NAME_EXTENSION, NAME_OVERRIDE_EXTENSION],
        Naming::OperationIds => &[],
    };
    for extension in hints.iter().copied() {
        match operation.extensions.get(extension) {
            None => {}
            Some(Value::String(name)) if name.chars().any(char::is_alphanumeric) => return Ok(rust_snake_name(name)),
            Some(other) => {
                return Err(Box::new(Diagnostic::at(
                    context.document,
                    &format!("{pointer}/{extension}"),
                    format!("`{extension}` is {other}, not a name"),
                    format!("set `{extension}` to a name of letters and digits, such as `list`"),
                )));
            }
        }
    }
    match operation.operation_id.as_deref() {
        Some(id) if id.chars().any(char::is_alphanumeric) => match context.naming {
            Naming::OperationIds => Ok(rust_snake_name(id)),
            Naming::Hints => {
                let last = id.rsplit('.').find(|part| part.chars().any(char::is_alphanumeric)).unwrap_or(id);
                Ok(rust_snake_name(last))
            }
        },
        _ => Ok(name_from_route(method, path)),
    }
}

/// The name of an operation without an `operationId`: its method and the words of its path, in
/// snake case (`GET /users/{id}/posts` → `get_users_id_posts`; `GET /` → `get_root`).
pub fn name_from_route(method: HttpMethod, path: &str) -> String {
    let words: Vec<&str> =
        path.split(|character: char| !character.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let route = if words.is_empty() { "root".to_owned() } else { words.join("_") };
    rust_snake_name(&format!("{}_{route}", method.key()))
}

/// `x-rust-read-only`, where it is set.
fn declared_read_only(
    document: &Document,
    operation: &openapiv3::Operation,
    pointer: &str,
) -> Result<Option<bool>, Box<Diagnostic>> {
    match operation.extensions.get(READ_ONLY_EXTENSION) {
        Some(Value::Bool(flag)) => Ok(Some(*flag)),
        Some(other) => Err(Box::new(Diagnostic::at(
            document,
            &format!("{pointer}/{READ_ONLY_EXTENSION}"),
            format!("`{READ_ONLY_EXTENSION}` is {other}, not true or false"),
            format!("set `{READ_ONLY_EXTENSION}: true` on an operation that only reads"),
        ))),
        None => Ok(None),
    }
}

/// The parameters of the path item and the operation (the operation's replace the path item's
/// of the same name and location), with a placeholder of the path that declares none read as a
/// required string. Argument names are made unique among the operation's arguments.
fn lower_parameters(
    context: &Context<'_>,
    item: &openapiv3::PathItem,
    operation: &openapiv3::Operation,
    path: &str,
    slots: &mut Vec<Slot>,
) -> Vec<Parameter> {
    let mut found: Vec<(Parameter, ReferenceOr<openapiv3::Schema>)> = Vec::new();
    for parameter in item.parameters.iter().chain(&operation.parameters) {
        let Some(parameter) = context.resolver.parameter(parameter) else { continue };
        let (lowered, schema) = lower_parameter(context, parameter);
        match found.iter_mut().find(|(known, _)| known.name == lowered.name && known.location == lowered.location) {
            Some(known) => *known = (lowered, schema),
            None => found.push((lowered, schema)),
        }
    }
    for placeholder in crate::read::openapi::placeholders(path) {
        let declared =
            found.iter().any(|(known, _)| known.location == ParameterLocation::Path && known.name == placeholder);
        if !declared {
            let schema = ReferenceOr::Item(openapiv3::Schema {
                schema_data: openapiv3::SchemaData::default(),
                schema_kind: SchemaKind::Type(Type::String(openapiv3::StringType::default())),
            });
            found.push((
                Parameter {
                    name: placeholder.clone(),
                    rust_name: rust_snake_name(&placeholder),
                    location: ParameterLocation::Path,
                    style: ParameterStyle::Simple,
                    explode: false,
                    required: true,
                    description: None,
                    ty: TypeRef::String(None),
                },
                schema,
            ));
        }
    }
    // Path parameters in the path's order first, then the rest in the order the spec lists them.
    let placeholders = crate::read::openapi::placeholders(path);
    found.sort_by_key(|(parameter, _)| match parameter.location {
        ParameterLocation::Path => placeholders.iter().position(|name| *name == parameter.name).unwrap_or(0),
        _ => placeholders.len(),
    });
    let mut taken: Vec<String> = vec!["body".to_owned()];
    let mut parameters = Vec::new();
    for (mut parameter, schema) in found {
        parameter.rust_name = unique_name(&parameter.rust_name, parameter.location, &taken);
        taken.push(parameter.rust_name.clone());
        slots.push(Slot::new(&parameter.rust_name, schema));
        parameters.push(parameter);
    }
    parameters
}

/// `name`, or, when it is taken, `name_<location>`, then `name_<location>_2`, ...
fn unique_name(name: &str, location: ParameterLocation, taken: &[String]) -> String {
    if !taken.iter().any(|known| known == name) {
        return name.to_owned();
    }
    let mut candidate = format!("{name}_{}", location.as_str());
    let mut counter = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}_{}_{counter}", location.as_str());
        counter += 1;
    }
    candidate
}

/// One parameter, with its schema (from `schema`, or from the JSON media type of `content`).
fn lower_parameter(
    context: &Context<'_>,
    parameter: &openapiv3::Parameter,
) -> (Parameter, ReferenceOr<openapiv3::Schema>) {
    use openapiv3::{PathStyle, QueryStyle};
    let (location, data, style) = match parameter {
        openapiv3::Parameter::Path { parameter_data, style } => (
            ParameterLocation::Path,
            parameter_data,
            match style {
                PathStyle::Simple => ParameterStyle::Simple,
                PathStyle::Label => ParameterStyle::Label,
                PathStyle::Matrix => ParameterStyle::Matrix,
            },
        ),
        openapiv3::Parameter::Query { parameter_data, style, .. } => (
            ParameterLocation::Query,
            parameter_data,
            match style {
                QueryStyle::Form => ParameterStyle::Form,
                QueryStyle::SpaceDelimited => ParameterStyle::SpaceDelimited,
                QueryStyle::PipeDelimited => ParameterStyle::PipeDelimited,
                QueryStyle::DeepObject => ParameterStyle::DeepObject,
            },
        ),
        openapiv3::Parameter::Header { parameter_data, .. } => {
            (ParameterLocation::Header, parameter_data, ParameterStyle::Simple)
        }
        openapiv3::Parameter::Cookie { parameter_data, .. } => {
            (ParameterLocation::Cookie, parameter_data, ParameterStyle::Form)
        }
    };
    let (schema, style) = match &data.format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => (schema.clone(), style),
        openapiv3::ParameterSchemaOrContent::Content(content) => {
            let media = content.iter().find(|(media_type, _)| is_json(media_type)).or_else(|| content.iter().next());
            // Without a schema, any value.
            let schema =
                media.and_then(|(_, media)| media.schema.clone()).unwrap_or_else(|| ReferenceOr::Item(any_value()));
            // JSON text for a JSON media type; another's (`text/plain`) is the value's text, as the
            // location's own style writes a scalar.
            let json = media.is_some_and(|(media_type, _)| is_json(media_type));
            (schema, if json { ParameterStyle::Json } else { style })
        }
    };
    let resolved = context.resolver.schema(&schema);
    let explode = data.explode.unwrap_or(style == ParameterStyle::Form);
    let lowered = Parameter {
        name: data.name.clone(),
        rust_name: rust_snake_name(&data.name),
        location,
        style,
        explode,
        required: data.required || location == ParameterLocation::Path,
        description: data
            .description
            .clone()
            .or_else(|| resolved.as_ref().and_then(|(_, schema)| schema.schema_data.description.clone())),
        ty: resolved.map_or(TypeRef::Any, |(named, schema)| match named {
            Some(name) => TypeRef::Named(name),
            None => context.resolver.type_of(schema),
        }),
    };
    (lowered, schema)
}

/// How a media type's body is written.
pub fn body_encoding(media_type: &str) -> BodyEncoding {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if is_json(&essence) {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else {
        BodyEncoding::Raw
    }
}

/// The request body: the media type it is sent as (JSON before form fields before multipart
/// before anything else, each in the spec's order), and its schema in the `body` slot.
fn lower_body(
    context: &Context<'_>,
    operation: &openapiv3::Operation,
    pointer: &str,
    slots: &mut Vec<Slot>,
) -> Result<Option<Body>, Box<Diagnostic>> {
    let Some(body) = operation.request_body.as_ref().and_then(|body| context.resolver.request_body(body)) else {
        return Ok(None);
    };
    let Some((media_type, media)) = BODY_PREFERENCE
        .iter()
        .find_map(|wanted| body.content.iter().find(|(media_type, _)| body_encoding(media_type) == *wanted))
    else {
        return Ok(None);
    };
    if !crate::read::openapi::is_header_value(media_type) {
        return Err(Box::new(Diagnostic::at(
            context.document,
            &format!("{pointer}/requestBody/content/{}", escape_pointer_token(media_type)),
            format!("the media type {media_type:?} cannot be sent as a Content-Type header"),
            "write the media type in ASCII, such as `application/json`",
        )));
    }
    let encoding = body_encoding(media_type);
    // Any JSON value where the spec gives no schema; bytes whatever the schema says for the rest.
    let schema = media.schema.clone().unwrap_or_else(|| ReferenceOr::Item(any_value()));
    let resolved = context.resolver.schema(&schema);
    let files = match (&encoding, &resolved) {
        (BodyEncoding::Multipart, Some((_, schema))) => file_parts(context.resolver, schema, &media.encoding),
        _ => Vec::new(),
    };
    let form_fields = if encoding == BodyEncoding::Form {
        let body_pointer = match operation.request_body.as_ref() {
            Some(ReferenceOr::Reference { reference }) => reference.trim_start_matches('#').to_owned(),
            _ => format!("{pointer}/requestBody"),
        };
        let at = format!("{body_pointer}/content/{}/encoding", escape_pointer_token(media_type));
        form_fields(context.document.value.pointer(&at), &media.encoding)
    } else {
        Vec::new()
    };
    let named = resolved.as_ref().and_then(|(name, _)| name.clone());
    if encoding != BodyEncoding::Raw {
        slots.push(Slot::new("body", schema));
    }
    Ok(Some(Body {
        schema: named,
        media_type: media_type.clone(),
        encoding,
        other_media_types: body.content.keys().filter(|other| *other != media_type).cloned().collect(),
        required: body.required,
        files,
        form_fields,
        shape: BodyShape::Whole,
    }))
}

/// The fields of a form body whose `encoding` gives a style other than exploded `form` (`written`
/// is the encoding as the document writes it, which says whether `explode` is given: its default
/// depends on the style, and the parsed form reads a missing one as `false`).
fn form_fields(written: Option<&Value>, encoding: &indexmap::IndexMap<String, openapiv3::Encoding>) -> Vec<FormField> {
    use openapiv3::QueryStyle;
    encoding
        .iter()
        .filter_map(|(name, encoding)| {
            let style = match encoding.style {
                None | Some(QueryStyle::Form) => ParameterStyle::Form,
                Some(QueryStyle::SpaceDelimited) => ParameterStyle::SpaceDelimited,
                Some(QueryStyle::PipeDelimited) => ParameterStyle::PipeDelimited,
                Some(QueryStyle::DeepObject) => ParameterStyle::DeepObject,
            };
            let given = written.and_then(|written| written.get(name)).and_then(|field| field.get("explode"));
            let explode = given.and_then(Value::as_bool).unwrap_or(style == ParameterStyle::Form);
            (style != ParameterStyle::Form || !explode).then(|| FormField { name: name.clone(), style, explode })
        })
        .collect()
}

/// The schema that allows any JSON value (`{}`).
pub(crate) fn any_value() -> openapiv3::Schema {
    openapiv3::Schema {
        schema_data: openapiv3::SchemaData::default(),
        schema_kind: SchemaKind::Any(openapiv3::AnySchema::default()),
    }
}

/// The properties of a multipart body's object that are files: `type: string, format: binary`,
/// or an array of them.
fn file_parts(
    resolver: &Resolver<'_>,
    schema: &openapiv3::Schema,
    encoding: &indexmap::IndexMap<String, openapiv3::Encoding>,
) -> Vec<FilePart> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return Vec::new() };
    object
        .properties
        .iter()
        .filter_map(|(name, property)| {
            let (_, property) = resolver.boxed_schema(property)?;
            Some((name, is_file(resolver, property)?))
        })
        .map(|(name, many)| FilePart {
            name: name.clone(),
            many,
            content_type: encoding
                .get(name)
                .and_then(|encoding| encoding.content_type.as_deref())
                .and_then(|types| types.split(',').map(str::trim).next())
                .filter(|first| {
                    !first.contains('*') && crate::read::openapi::is_header_value(first) && !first.is_empty()
                })
                .unwrap_or("application/octet-stream")
                .to_owned(),
        })
        .collect()
}

/// Whether a property of a multipart body is a file (`Some(false)`: a binary string) or several
/// (`Some(true)`: an array of them).
fn is_file(resolver: &Resolver<'_>, schema: &openapiv3::Schema) -> Option<bool> {
    let binary = |schema: &openapiv3::Schema| {
        matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string))
            if matches!(string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)))
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.as_ref().and_then(|items| resolver.boxed_schema(items))?;
            binary(items.1).then_some(true)
        }
        _ => binary(schema).then_some(false),
    }
}

/// Every documented response: a success when its status is 1xx, 2xx or 3xx, an error when it is
/// 4xx or 5xx, and `default` an error beside a success, else the success. A JSON body's type is
/// the slot `response` for the first success, `response_<status>` for the others; bodies of one
/// schema share a slot.
fn lower_outcomes(context: &Context<'_>, operation: &openapiv3::Operation, slots: &mut Vec<Slot>) -> Vec<Outcome> {
    let is_success = |status: &Status| match status {
        Status::Code(code) => *code < 400,
        Status::Range(range) => *range < 4,
        Status::Default => false,
    };
    let statuses = operation.responses.responses.keys().map(|status| match status {
        openapiv3::StatusCode::Code(code) => Status::Code(*code),
        openapiv3::StatusCode::Range(range) => Status::Range(*range),
    });
    let any_success = statuses.clone().any(|status| is_success(&status));
    let mut documented: Vec<(bool, Status, &ReferenceOr<openapiv3::Response>)> = statuses
        .zip(operation.responses.responses.values())
        .map(|(status, response)| (is_success(&status), status, response))
        .chain(operation.responses.default.iter().map(|response| (!any_success, Status::Default, response)))
        .collect();
    // Successes first, each group in status order (codes, then ranges, then `default`).
    documented.sort_by_key(|(success, status, _)| (!success, *status));
    documented
        .into_iter()
        .map(|(success, status, response)| {
            let response = context.resolver.response(response);
            let body = response.map_or(OutcomeBody::Empty, |response| {
                outcome_body(context, &response.content, status, success, slots)
            });
            let description = response.map(|response| response.description.clone()).filter(|text| !text.is_empty());
            Outcome { status, success, body, description }
        })
        .collect()
}

/// The body of one response: JSON (of its schema, or any value without one), raw bytes of
/// another media type, or nothing.
fn outcome_body(
    context: &Context<'_>,
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
    status: Status,
    success: bool,
    slots: &mut Vec<Slot>,
) -> OutcomeBody {
    let Some((media_type, media)) =
        content.iter().find(|(media_type, _)| is_json(media_type)).or_else(|| content.iter().next())
    else {
        return OutcomeBody::Empty;
    };
    if !is_json(media_type) {
        return OutcomeBody::Raw { media_type: media_type.clone() };
    }
    // A media type that cannot be an `Accept` header is asked for as plain JSON.
    let media_type = if crate::read::openapi::is_header_value(media_type) {
        media_type.clone()
    } else {
        "application/json".to_owned()
    };
    let schema = media.schema.clone().unwrap_or_else(|| ReferenceOr::Item(any_value()));
    let named = match &schema {
        ReferenceOr::Reference { reference } => context
            .resolver
            .schema(&schema)
            .and_then(|(name, _)| name)
            .or_else(|| Resolver::schema_name(reference).map(str::to_owned)),
        ReferenceOr::Item(_) => None,
    };
    // A body of the schema another body has shares its slot.
    let slot = match slots.iter().find(|slot| slot.name.starts_with("response") && slot.schema == schema) {
        Some(slot) => slot.name.clone(),
        None => {
            let first = !slots.iter().any(|slot| slot.name.starts_with("response"));
            let name = if first && success {
                "response".to_owned()
            } else {
                format!("response_{}", status.to_string().to_ascii_lowercase())
            };
            slots.push(Slot::new(&name, schema));
            name
        }
    };
    OutcomeBody::Json { media_type, schema: named, slot }
}
