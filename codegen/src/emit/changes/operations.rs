//! Changes of the operations, matched by their method name (what callers type), each classed by
//! what it does to the method: its arguments are positional, so one more or one less changes its
//! signature; a request written another way or sent elsewhere leaves the signature as it was.

use super::{Change, ChangeKind, Impact, changed, push, shown};
use crate::model::{Api, Body, Operation, OutcomeBody, Parameter};

/// Reports the changes of every operation of `old` and `new`.
pub(super) fn compare(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    for old_operation in old.operations.iter().filter(|operation| new.operation(&operation.name).is_none()) {
        push(changes, &label(old_operation), ChangeKind::Removed, Impact::Breaking, "a Client method is removed");
    }
    for new_operation in &new.operations {
        match old.operation(&new_operation.name) {
            Some(old_operation) => compare_operation(old_operation, new_operation, changes),
            None => push(
                changes,
                &label(new_operation),
                ChangeKind::Added,
                Impact::Additive,
                "a new Client method and Operation variant",
            ),
        }
    }
}

/// `GET /path`, as the API's documentation names an operation.
fn label(operation: &Operation) -> String {
    format!("{} {}", operation.method.as_str(), operation.path)
}

/// Reports the changes of one operation.
fn compare_operation(old: &Operation, new: &Operation, changes: &mut Vec<Change>) {
    use Impact::{Additive, DocsOnly};
    let path = label(new);
    let request = "the method sends its request as the document now says; its signature is the same";
    changed(
        changes,
        &path,
        "method",
        (old.method.as_str().to_owned(), new.method.as_str().to_owned()),
        Additive,
        request,
    );
    changed(changes, &path, "path", (old.path.clone(), new.path.clone()), Additive, request);
    changed(
        changes,
        &path,
        "operationId",
        (shown(old.id.as_deref()), shown(new.id.as_deref())),
        DocsOnly,
        "the method keeps its name; Operation::id gives the new id",
    );
    changed(
        changes,
        &path,
        "summary",
        (shown(old.summary.as_deref()), shown(new.summary.as_deref())),
        DocsOnly,
        "documentation only",
    );
    changed(
        changes,
        &path,
        "description",
        (shown(old.description.as_deref()), shown(new.description.as_deref())),
        DocsOnly,
        "documentation only",
    );
    changed(
        changes,
        &path,
        "deprecated",
        (old.deprecated.to_string(), new.deprecated.to_string()),
        Additive,
        "the method's #[deprecated] mark changes: a warning, never an error",
    );
    changed(
        changes,
        &path,
        "read-only",
        (old.read_only.to_string(), new.read_only.to_string()),
        Additive,
        "whether the method is retried by default changes",
    );
    compare_parameters(&path, old, new, changes);
    compare_body(&path, old.body.as_ref(), new.body.as_ref(), changes);
    compare_answers(&path, old, new, changes);
}

/// Reports the parameters added, removed and changed, matched by name and location.
fn compare_parameters(path: &str, old: &Operation, new: &Operation, changes: &mut Vec<Change>) {
    use Impact::{Additive, Breaking, DocsOnly};
    let same = |a: &Parameter, b: &Parameter| a.name == b.name && a.location == b.location;
    let shown_at =
        |parameter: &Parameter| format!("{path} parameter {} (in {})", parameter.name, parameter.location.as_str());
    for parameter in old.parameters.iter().filter(|old| !new.parameters.iter().any(|new| same(old, new))) {
        push(changes, &shown_at(parameter), ChangeKind::Removed, Breaking, "the method takes one argument less");
    }
    for new_parameter in &new.parameters {
        let Some(old_parameter) = old.parameters.iter().find(|old| same(old, new_parameter)) else {
            push(changes, &shown_at(new_parameter), ChangeKind::Added, Breaking, "the method takes one more argument");
            continue;
        };
        let at = shown_at(new_parameter);
        let (old_parameter, new_parameter) = (old_parameter, new_parameter);
        changed(
            changes,
            &at,
            "type",
            (old_parameter.ty.describe(), new_parameter.ty.describe()),
            Breaking,
            "the argument's Rust type changes",
        );
        changed(
            changes,
            &at,
            "required",
            (old_parameter.required.to_string(), new_parameter.required.to_string()),
            Breaking,
            "the argument's Rust type changes between T and Option<T>",
        );
        changed(
            changes,
            &at,
            "style",
            (written(old_parameter), written(new_parameter)),
            Additive,
            "the value is written as the document now says; the argument is the same",
        );
        changed(
            changes,
            &at,
            "Rust name",
            (old_parameter.rust_name.clone(), new_parameter.rust_name.clone()),
            DocsOnly,
            "the argument is renamed; arguments are positional, so callers are unaffected",
        );
        changed(
            changes,
            &at,
            "description",
            (shown(old_parameter.description.as_deref()), shown(new_parameter.description.as_deref())),
            DocsOnly,
            "documentation only",
        );
    }
}

/// A parameter's style as the summary shows it (`form, exploded`).
fn written(parameter: &Parameter) -> String {
    format!("{}{}", parameter.style.as_str(), if parameter.explode { ", exploded" } else { "" })
}

/// Reports a change of the request body: what the method takes, and how it is sent.
fn compare_body(path: &str, old: Option<&Body>, new: Option<&Body>, changes: &mut Vec<Change>) {
    use Impact::{Additive, Breaking};
    let taken = |body: Option<&Body>| match body {
        None => "none".to_owned(),
        Some(body) => format!(
            "{}{}{}",
            body.schema.as_deref().unwrap_or("an inline schema"),
            if body.required { "" } else { " (optional)" },
            match &body.shape {
                crate::model::BodyShape::Empty => ", taken as nothing",
                crate::model::BodyShape::Update { .. } => ", taken as an update builder",
                crate::model::BodyShape::Whole => "",
            }
        ),
    };
    changed(changes, path, "request body", (taken(old), taken(new)), Breaking, "the method takes another argument");
    let sent = |body: Option<&Body>| body.map(|body| body.media_type.clone()).unwrap_or_else(|| "nothing".to_owned());
    if old.is_some() && new.is_some() {
        changed(
            changes,
            path,
            "request media type",
            (sent(old), sent(new)),
            Additive,
            "the body is sent as the document now says",
        );
    }
}

/// Reports a change of what the method returns, and of the answers it knows.
fn compare_answers(path: &str, old: &Operation, new: &Operation, changes: &mut Vec<Change>) {
    use Impact::{Additive, Breaking};
    let returned = |operation: &Operation| {
        format!(
            "{} {}{}",
            operation.response.schema.as_deref().unwrap_or("no named schema"),
            shape_name(&operation.response.shape),
            if operation.has_success_enum() { ", one of several outcomes" } else { "" }
        )
    };
    changed(changes, path, "response", (returned(old), returned(new)), Breaking, "the method returns another type");
    changed(
        changes,
        path,
        "success status",
        (old.response.status.to_string(), new.response.status.to_string()),
        Additive,
        "Operation::success_status gives the new status",
    );
    let errors = |operation: &Operation| bodies(&operation.bodies(false));
    let (impact, reason) = if old.has_error_enum() || new.has_error_enum() {
        (Breaking, "the operation's error type changes")
    } else {
        (Additive, "error answers are decoded as the document now says")
    };
    changed(changes, path, "error answers", (errors(old), errors(new)), impact, reason);
    let pages = |operation: &Operation| if operation.paging.is_some() { "pages" } else { "one answer" }.to_owned();
    let (impact, reason) = if new.paging.is_some() {
        (Additive, "the method gains its page stream")
    } else {
        (Breaking, "the method's page stream is removed")
    };
    changed(changes, path, "paging", (pages(old), pages(new)), impact, reason);
}

fn shape_name(shape: &crate::model::ResponseShape) -> &'static str {
    use crate::model::ResponseShape;
    match shape {
        ResponseShape::Nothing | ResponseShape::Empty => "(nothing returned)",
        ResponseShape::Single { .. } => "(one property returned)",
        ResponseShape::Page { .. } => "(a page returned)",
        ResponseShape::WithSecrets { .. } => "(an object and its secrets returned)",
        ResponseShape::Raw => "(bytes returned)",
        ResponseShape::Whole => "(returned whole)",
    }
}

/// Bodies as the summary shows them.
fn bodies(bodies: &[&OutcomeBody]) -> String {
    if bodies.is_empty() {
        return "none".to_owned();
    }
    bodies
        .iter()
        .map(|body| match body {
            OutcomeBody::Empty => "no content".to_owned(),
            OutcomeBody::Json { schema, .. } => schema.clone().unwrap_or_else(|| "inline JSON".to_owned()),
            OutcomeBody::Raw { media_type } => media_type.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
