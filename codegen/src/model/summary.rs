//! The model as plain text, one line a fact: what the snapshot of each fixture's model shows, so
//! that a change of what the model finds (a name, a secret, a writable field, a page) is seen in
//! review apart from the code generated from it.

use std::fmt::Write as _;

use super::{
    Api, Body, BodyShape, Field, Operation, OutcomeBody, Paging, Parameter, ResponseShape, Schema, SchemaShape,
};

/// The whole model, operations first, then schemas, then secrets.
pub fn summary(api: &Api) -> String {
    let mut out = String::new();
    for operation in &api.operations {
        operation_lines(&mut out, operation);
    }
    for schema in &api.schemas {
        schema_lines(&mut out, schema);
    }
    for secret in &api.secrets {
        let _ = writeln!(out, "secret {}.{} ({})", secret.owner, secret.field, secret.reason);
    }
    if !api.inline_type_names.is_empty() {
        let _ = writeln!(out, "inline types: {}", api.inline_type_names.join(", "));
    }
    out
}

fn operation_lines(out: &mut String, operation: &Operation) {
    let _ = writeln!(
        out,
        "operation {} ({}, types {}…): {} {}{}{}",
        operation.name,
        operation.variant,
        operation.type_prefix,
        operation.method.as_str(),
        operation.path.escape_debug(),
        if operation.read_only { ", read-only" } else { "" },
        if operation.deprecated { ", deprecated" } else { "" },
    );
    for parameter in &operation.parameters {
        parameter_line(out, parameter);
    }
    if let Some(body) = &operation.body {
        body_line(out, body);
    }
    for outcome in &operation.outcomes {
        let kind = if outcome.success { "success" } else { "error" };
        let _ = writeln!(out, "  outcome {} {kind}: {}", outcome.status, outcome_body(&outcome.body));
    }
    let _ = writeln!(
        out,
        "  returns {} {}: {}",
        operation.response.status,
        operation.response.schema.as_deref().unwrap_or("(inline or none)"),
        response_shape(&operation.response.shape)
    );
    match &operation.paging {
        Some(Paging::BodyField(field)) => _ = writeln!(out, "  pages by body field {field}"),
        Some(Paging::QueryParameter(name)) => _ = writeln!(out, "  pages by query parameter {name}"),
        None => {}
    }
    let slots: Vec<String> = operation
        .slots
        .iter()
        .map(|slot| format!("{}{}", slot.name, if slot.inline_type { " (named type)" } else { "" }))
        .collect();
    if !slots.is_empty() {
        let _ = writeln!(out, "  slots: {}", slots.join(", "));
    }
}

fn parameter_line(out: &mut String, parameter: &Parameter) {
    let _ = writeln!(
        out,
        "  parameter {} in {} as {}: {}, {}{}{}",
        parameter.name,
        parameter.location.as_str(),
        parameter.rust_name,
        parameter.ty.describe(),
        parameter.style.as_str(),
        if parameter.explode { " exploded" } else { "" },
        if parameter.required { ", required" } else { "" },
    );
}

fn body_line(out: &mut String, body: &Body) {
    let shape = match &body.shape {
        BodyShape::Empty => "empty".to_owned(),
        BodyShape::Update { object_field, object, mask_field } => {
            format!("update of {object} in {object_field}, mask {mask_field}")
        }
        BodyShape::Whole => "whole".to_owned(),
    };
    let _ = writeln!(
        out,
        "  body {} as {} ({:?}){}: {shape}",
        body.schema.as_deref().unwrap_or("(inline)"),
        body.media_type,
        body.encoding,
        if body.required { ", required" } else { "" },
    );
    if !body.other_media_types.is_empty() {
        let _ = writeln!(out, "    not sent: {}", body.other_media_types.join(", "));
    }
    for file in &body.files {
        let _ =
            writeln!(out, "    file {} as {}{}", file.name, file.content_type, if file.many { ", many" } else { "" });
    }
    for field in &body.form_fields {
        let explode = if field.explode { " exploded" } else { "" };
        let _ = writeln!(out, "    form field {} in {}{explode}", field.name, field.style.as_str());
    }
}

fn outcome_body(body: &OutcomeBody) -> String {
    match body {
        OutcomeBody::Empty => "no content".to_owned(),
        OutcomeBody::Json { media_type, schema, slot } => {
            format!("{} as {media_type} in slot {slot}", schema.as_deref().unwrap_or("(inline)"))
        }
        OutcomeBody::Raw { media_type } => format!("bytes as {media_type}"),
    }
}

fn response_shape(shape: &ResponseShape) -> String {
    match shape {
        ResponseShape::Nothing => "nothing".to_owned(),
        ResponseShape::Empty => "nothing (an empty object)".to_owned(),
        ResponseShape::Single { field } => format!("the value of {field}"),
        ResponseShape::Page { items_field, token_field } => {
            format!("a page of {items_field}, next token {token_field}")
        }
        ResponseShape::WithSecrets { object_field, object, secret_fields, type_name } => {
            format!("{type_name}: {object} from {object_field} with secrets {}", secret_fields.join(", "))
        }
        ResponseShape::Raw => "a stream of bytes".to_owned(),
        ResponseShape::Whole => "the response type".to_owned(),
    }
}

fn schema_lines(out: &mut String, schema: &Schema) {
    let kind = match &schema.kind {
        SchemaShape::Object => "object".to_owned(),
        SchemaShape::Alias(target) => format!("another name for {target}"),
        SchemaShape::StringEnum(values) => format!("string enum of {}", values.join(", ")),
        SchemaShape::Other => "other".to_owned(),
    };
    let _ = writeln!(out, "schema {} as {}: {kind}", schema.name, schema.rust_name);
    for field in &schema.fields {
        field_line(out, field);
    }
}

fn field_line(out: &mut String, field: &Field) {
    let facts: Vec<&str> = [
        (field.required, "required"),
        (field.nullable, "nullable"),
        (field.read_only, "read-only"),
        (field.secret, "secret"),
    ]
    .into_iter()
    .filter_map(|(holds, fact)| holds.then_some(fact))
    .collect();
    let facts = if facts.is_empty() { String::new() } else { format!(", {}", facts.join(", ")) };
    let _ = writeln!(out, "  field {} as {}: {}{facts}", field.wire_name, field.rust_name, field.ty.describe());
}
