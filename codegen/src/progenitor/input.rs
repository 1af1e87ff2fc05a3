//! The spec as progenitor is given it: names from the model, secrets marked, patterns dropped.

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};

use crate::model::lower::secret_reason;
use crate::model::resolve::format_text;
use crate::model::{Api, Resolver, TypeRef};
use crate::read::openapi::HttpMethod;

/// The spec as progenitor is given it: every operation's `operationId` is the name the model
/// chose (so progenitor's methods and inline types are named by the same rule), and every
/// secret string property has `format: password` (which progenitor turns into `SecretString`).
pub fn progenitor_spec(mut spec: OpenAPI, api: &Api) -> OpenAPI {
    // An alias of an alias names the end of its chain instead: the same JSON, and typify, which
    // walks a chain whole for each of its links, then walks one link. Found before anything changes.
    let chain_ends: Vec<(String, String)> = {
        let resolver = Resolver::new(&spec);
        spec.components
            .iter()
            .flat_map(|components| &components.schemas)
            .filter_map(|(name, schema)| {
                let ReferenceOr::Reference { reference } = schema else { return None };
                let target = Resolver::schema_name(reference)?;
                let end = resolver.alias_target(target)?;
                (end != target).then(|| (name.clone(), end))
            })
            .collect()
    };
    let names: HashMap<(&str, &str), &str> = api
        .operations
        .iter()
        .map(|operation| ((operation.path.as_str(), operation.method.key()), operation.generated_name.as_str()))
        .collect();
    for (path, item) in &mut spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for method in HttpMethod::ALL {
            let slot = match method {
                HttpMethod::Get => &mut item.get,
                HttpMethod::Put => &mut item.put,
                HttpMethod::Post => &mut item.post,
                HttpMethod::Delete => &mut item.delete,
                HttpMethod::Options => &mut item.options,
                HttpMethod::Head => &mut item.head,
                HttpMethod::Patch => &mut item.patch,
                HttpMethod::Trace => &mut item.trace,
            };
            let Some(operation) = slot else { continue };
            if let Some(name) = names.get(&(path.as_str(), method.key())) {
                operation.operation_id = Some((*name).to_owned());
            }
            if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
                for media in body.content.values_mut() {
                    if let Some(ReferenceOr::Item(schema)) = &mut media.schema {
                        mark_secrets(schema);
                    }
                }
            }
            for response in operation.responses.responses.values_mut() {
                if let ReferenceOr::Item(response) = response {
                    for media in response.content.values_mut() {
                        if let Some(ReferenceOr::Item(schema)) = &mut media.schema {
                            mark_secrets(schema);
                        }
                    }
                }
            }
        }
    }
    if let Some(components) = &mut spec.components {
        for schema in components.schemas.values_mut() {
            if let ReferenceOr::Item(schema) = schema {
                mark_secrets(schema);
            }
        }
        for (name, end) in chain_ends {
            if let Some(schema) = components.schemas.get_mut(&name) {
                *schema = ReferenceOr::Reference { reference: format!("#/components/schemas/{end}") };
            }
        }
    }
    without_patterns(&mut spec);
    // Last, so that the alias chains above are followed by the document's own names.
    rename_shadowing_schemas(&mut spec);
    spec
}

/// Takes `pattern` off every string schema progenitor reads. It is a validation-only keyword:
/// the Rust type is a `String` with or without it, and typify would check it on every value
/// with a regular-expression crate the SDK does not depend on, so that a server that sends a
/// value the pattern does not allow would make a whole response fail to decode. The docs pages,
/// made from the derived spec, still show it.
fn without_patterns(spec: &mut OpenAPI) {
    let mut pending: Vec<&mut openapiv3::Schema> = Vec::new();
    fn of_parameter<'a>(parameter: &'a mut openapiv3::Parameter, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        let data = match parameter {
            openapiv3::Parameter::Query { parameter_data, .. }
            | openapiv3::Parameter::Header { parameter_data, .. }
            | openapiv3::Parameter::Path { parameter_data, .. }
            | openapiv3::Parameter::Cookie { parameter_data, .. } => parameter_data,
        };
        match &mut data.format {
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => pending.push(schema),
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Reference { .. }) => {}
            openapiv3::ParameterSchemaOrContent::Content(content) => of_content(content, pending),
        }
    }
    fn of_content<'a>(content: &'a mut openapiv3::Content, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        pending.extend(content.values_mut().filter_map(|media| match &mut media.schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            _ => None,
        }));
    }
    fn of_response<'a>(response: &'a mut openapiv3::Response, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        of_content(&mut response.content, pending);
        for header in response.headers.values_mut() {
            if let ReferenceOr::Item(header) = header
                && let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &mut header.format
            {
                pending.push(schema);
            }
        }
    }
    if let Some(components) = &mut spec.components {
        pending.extend(components.schemas.values_mut().filter_map(|schema| match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }));
        for parameter in components.parameters.values_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                of_parameter(parameter, &mut pending);
            }
        }
        for body in components.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                of_content(&mut body.content, &mut pending);
            }
        }
        for response in components.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                of_response(response, &mut pending);
            }
        }
    }
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for parameter in &mut item.parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                of_parameter(parameter, &mut pending);
            }
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in &mut operation.parameters {
                if let ReferenceOr::Item(parameter) = parameter {
                    of_parameter(parameter, &mut pending);
                }
            }
            if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
                of_content(&mut body.content, &mut pending);
            }
            for response in operation.responses.default.iter_mut().chain(operation.responses.responses.values_mut()) {
                if let ReferenceOr::Item(response) = response {
                    of_response(response, &mut pending);
                }
            }
        }
    }
    while let Some(schema) = pending.pop() {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.pattern = None,
            SchemaKind::Type(Type::Object(object)) => {
                for property in object.properties.values_mut() {
                    if let ReferenceOr::Item(property) = property {
                        pending.push(property);
                    }
                }
                if let Some(openapiv3::AdditionalProperties::Schema(additional)) = &mut object.additional_properties
                    && let ReferenceOr::Item(additional) = additional.as_mut()
                {
                    pending.push(additional);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(ReferenceOr::Item(items)) = &mut array.items {
                    pending.push(items);
                }
            }
            SchemaKind::AllOf { all_of: list }
            | SchemaKind::OneOf { one_of: list }
            | SchemaKind::AnyOf { any_of: list } => {
                pending.extend(list.iter_mut().filter_map(|alternative| match alternative {
                    ReferenceOr::Item(alternative) => Some(alternative),
                    ReferenceOr::Reference { .. } => None,
                }));
            }
            SchemaKind::Not { not } => {
                if let ReferenceOr::Item(not) = not.as_mut() {
                    pending.push(not);
                }
            }
            SchemaKind::Any(any) => {
                any.pattern = None;
                for property in any.properties.values_mut() {
                    if let ReferenceOr::Item(property) = property {
                        pending.push(property);
                    }
                }
                if let Some(ReferenceOr::Item(items)) = &mut any.items {
                    pending.push(items);
                }
                if let Some(openapiv3::AdditionalProperties::Schema(additional)) = &mut any.additional_properties
                    && let ReferenceOr::Item(additional) = additional.as_mut()
                {
                    pending.push(additional);
                }
                for list in [&mut any.all_of, &mut any.one_of, &mut any.any_of] {
                    pending.extend(list.iter_mut().filter_map(|alternative| match alternative {
                        ReferenceOr::Item(alternative) => Some(alternative),
                        ReferenceOr::Reference { .. } => None,
                    }));
                }
                if let Some(not) = &mut any.not
                    && let ReferenceOr::Item(not) = not.as_mut()
                {
                    pending.push(not);
                }
            }
            SchemaKind::Type(_) => {}
        }
    }
}

/// Renames every schema whose Rust name would shadow what generated code uses (see
/// [`crate::model::names::rust_type_name`]) to that Rust name, references included, so that typify
/// names its type as the rest of the SDK expects. A spec without such a name is not touched.
fn rename_shadowing_schemas(spec: &mut OpenAPI) {
    let renamed: HashMap<String, String> = spec
        .components
        .iter()
        .flat_map(|components| components.schemas.keys())
        .filter_map(|name| {
            let rust = crate::model::names::rust_type_name(name);
            (rust.ends_with("Model") && !name.ends_with("Model")).then(|| (name.clone(), rust))
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    let Ok(mut value) = serde_json::to_value(&*spec) else { return };
    crate::read::walk::rewrite(&mut value, &|reference| {
        let name = Resolver::schema_name(reference)?;
        renamed.get(name).map(|rust| format!("#/components/schemas/{rust}"))
    });
    if let Some(schemas) = value.pointer_mut("/components/schemas").and_then(serde_json::Value::as_object_mut) {
        for (name, rust) in &renamed {
            if let Some(schema) = schemas.remove(name) {
                schemas.insert(rust.clone(), schema);
            }
        }
    }
    if let Ok(renamed_spec) = serde_json::from_value(value) {
        *spec = renamed_spec;
    }
}

/// Gives every secret string property under `schema` (inline objects and lists included)
/// `format: password`, and takes the secret off every exempted one that has that format.
fn mark_secrets(schema: &mut openapiv3::Schema) {
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for (name, property) in &mut object.properties {
                    let ReferenceOr::Item(property) = property else { continue };
                    let property: &mut openapiv3::Schema = property;
                    let ty = Resolver::plain_type(property);
                    let secret = secret_reason(name, Some(&property.schema_data), &ty).is_some();
                    if let SchemaKind::Type(Type::String(string)) = &mut property.schema_kind {
                        let is_password = matches!(
                            &string.format,
                            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password)
                        );
                        if secret && !is_password {
                            string.format = openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password);
                        } else if !secret && is_password {
                            string.format = openapiv3::VariantOrUnknownOrEmpty::Empty;
                        }
                    }
                    pending.push(property);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(ReferenceOr::Item(items)) = &mut array.items {
                    pending.push(items);
                }
            }
            SchemaKind::AllOf { all_of: list }
            | SchemaKind::OneOf { one_of: list }
            | SchemaKind::AnyOf { any_of: list } => {
                for alternative in list {
                    if let ReferenceOr::Item(alternative) = alternative {
                        pending.push(alternative);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Resolver<'_> {
    /// A schema's type without resolving references (for rewriting a spec in place).
    fn plain_type(schema: &openapiv3::Schema) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => TypeRef::String(format_text(&string.format)),
            _ => TypeRef::Any,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn progenitor_sees_every_alias_name_the_end_of_its_chain() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/C"},
                "C": {"type": "object", "properties": {"name": {"type": "string"}}}}}}"##;
        let spec = crate::load_spec("chain.json", text.as_bytes()).expect("a valid spec");
        let progenitor = super::progenitor_spec(spec.spec, &spec.api);
        let schemas = &progenitor.components.as_ref().expect("components").schemas;
        for alias in ["A", "B"] {
            match &schemas[alias] {
                openapiv3::ReferenceOr::Reference { reference } => {
                    assert_eq!(reference, "#/components/schemas/C", "{alias}")
                }
                other => panic!("{alias} stays an alias: {other:?}"),
            }
        }
    }
}
