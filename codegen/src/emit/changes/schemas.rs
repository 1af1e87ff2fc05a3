//! Changes of the schemas under `components/schemas` and of their fields.
//!
//! Each change is first classed by what it does to the generated type as the generator's rules
//! make it (models are `#[non_exhaustive]`, built through `new` and `with_` setters; enums are
//! open). Where the generated type is in fact the same but for its docs, every change of the
//! schema is documentation only, except one of `readOnly` on an object that an update builder
//! changes (the builder's setters follow it).

use std::collections::BTreeSet;

use super::rust::Types;
use super::{Change, ChangeKind, Impact, changed, push, shown};
use crate::model::{Api, Field, Schema, SchemaShape};

/// Reports the changes of every schema of `old` and `new`.
pub(super) fn compare(old: &Api, new: &Api, (before, after): (&Types, &Types), changes: &mut Vec<Change>) {
    let (old_builders, new_builders) = (old.update_builders(), new.update_builders());
    for old_schema in &old.schemas {
        let name = &old_schema.name;
        let Some(new_schema) = new.schema(name) else {
            push(changes, &format!("schema {name}"), ChangeKind::Removed, Impact::Breaking, "a model type is removed");
            continue;
        };
        let updatable = old_builders.contains_key(name) || new_builders.contains_key(name);
        let mut found = Vec::new();
        compare_schema(old_schema, new_schema, updatable, &mut found);
        let same_rust = old_schema.rust_name == new_schema.rust_name
            && before.get(&old_schema.rust_name) == after.get(&new_schema.rust_name);
        if same_rust {
            for change in &mut found {
                let read_only = matches!(change.kind, ChangeKind::Changed { aspect: "readOnly", .. });
                if !(read_only && updatable) {
                    change.impact = Impact::DocsOnly;
                    change.reason = "the generated type is the same but for its docs".to_owned();
                }
            }
        } else if found.iter().all(|change| change.impact == Impact::DocsOnly) {
            push(
                &mut found,
                &format!("schema {name}"),
                ChangeKind::Changed { aspect: "Rust", before: "as it was".to_owned(), after: "changed".to_owned() },
                Impact::Breaking,
                "the generated type changes in a way the fields above do not show",
            );
        }
        changes.extend(found);
    }
    for new_schema in new.schemas.iter().filter(|schema| old.schema(&schema.name).is_none()) {
        push(changes, &format!("schema {}", new_schema.name), ChangeKind::Added, Impact::Additive, "a new model type");
    }
}

/// Reports the changes of one schema.
fn compare_schema(old: &Schema, new: &Schema, updatable: bool, changes: &mut Vec<Change>) {
    let path = format!("schema {}", old.name);
    changed(
        changes,
        &path,
        "description",
        (shown(old.description.as_deref()), shown(new.description.as_deref())),
        Impact::DocsOnly,
        "documentation only",
    );
    changed(
        changes,
        &path,
        "Rust name",
        (old.rust_name.clone(), new.rust_name.clone()),
        Impact::Breaking,
        "the Rust type is renamed",
    );
    compare_kind(&path, &old.kind, &new.kind, changes);
    for old_field in &old.fields {
        let path = format!("{}.{}", old.name, old_field.wire_name);
        match new.fields.iter().find(|field| field.wire_name == old_field.wire_name) {
            Some(new_field) => compare_field(&path, (old_field, new_field), updatable, changes),
            None => push(changes, &path, ChangeKind::Removed, Impact::Breaking, "a field and its setter are removed"),
        }
    }
    for new_field in new.fields.iter().filter(|field| !old.fields.iter().any(|old| old.wire_name == field.wire_name)) {
        let path = format!("{}.{}", new.name, new_field.wire_name);
        if is_plain(new_field) {
            push(
                changes,
                &path,
                ChangeKind::Added,
                Impact::Breaking,
                "a required field: the model's `new` takes one more argument",
            );
        } else {
            push(
                changes,
                &path,
                ChangeKind::Added,
                Impact::Additive,
                "a new optional field and its setter (models are #[non_exhaustive])",
            );
        }
    }
}

/// Whether the field is a plain `T` in Rust (required and not nullable) rather than an `Option<T>`.
fn is_plain(field: &Field) -> bool {
    field.required && !field.nullable
}

/// Reports a change of what the schema is (an object, an enum and its values, an alias).
fn compare_kind(path: &str, old: &SchemaShape, new: &SchemaShape, changes: &mut Vec<Change>) {
    match (old, new) {
        (SchemaShape::StringEnum(old_values), SchemaShape::StringEnum(new_values)) => {
            let (old_set, new_set): (BTreeSet<&String>, BTreeSet<&String>) =
                (old_values.iter().collect(), new_values.iter().collect());
            let (impact, reason) = if old_set.is_subset(&new_set) {
                (Impact::Additive, "new enum values (enums are open and #[non_exhaustive])")
            } else {
                (Impact::Breaking, "an enum value and its variant are removed")
            };
            changed(changes, path, "enum", (old_values.join(", "), new_values.join(", ")), impact, reason);
        }
        _ => changed(
            changes,
            path,
            "kind",
            (kind_name(old), kind_name(new)),
            Impact::Breaking,
            "the Rust type is another kind of type",
        ),
    }
}

fn kind_name(kind: &SchemaShape) -> String {
    match kind {
        SchemaShape::Object => "object".to_owned(),
        SchemaShape::Alias(target) => format!("another name for {target}"),
        SchemaShape::StringEnum(_) => "string enum".to_owned(),
        SchemaShape::Other => "other".to_owned(),
    }
}

/// Reports the changes of one field, each classed by what it does to the field's Rust type (and,
/// for `readOnly`, to the update builder of an object that has one).
fn compare_field(path: &str, (old, new): (&Field, &Field), updatable: bool, changes: &mut Vec<Change>) {
    use Impact::{Additive, Breaking, DocsOnly};
    changed(changes, path, "type", (old.ty.describe(), new.ty.describe()), Breaking, "the field's Rust type changes");
    let option_changes = is_plain(old) != is_plain(new);
    let (impact, reason) = if option_changes {
        (Breaking, "the field's Rust type changes between T and Option<T>")
    } else {
        (DocsOnly, "the field is an Option<T> either way, and null and absence both decode as None")
    };
    changed(changes, path, "nullable", (old.nullable.to_string(), new.nullable.to_string()), impact, reason);
    let (impact, reason) = if option_changes {
        (Breaking, "the field's Rust type changes between T and Option<T>")
    } else {
        (Breaking, "whether an answer without the field decodes changes")
    };
    changed(changes, path, "required", (old.required.to_string(), new.required.to_string()), impact, reason);
    let (impact, reason) = match (updatable, new.read_only) {
        (true, true) => (Breaking, "the field is no longer writable: its update setter is removed"),
        (true, false) => (Additive, "the field becomes writable: its update builder gains a setter"),
        (false, _) => (DocsOnly, "no update builder holds the object, and the model's type does not follow readOnly"),
    };
    changed(changes, path, "readOnly", (old.read_only.to_string(), new.read_only.to_string()), impact, reason);
    changed(
        changes,
        path,
        "secret",
        (old.secret.to_string(), new.secret.to_string()),
        Breaking,
        "the field's type changes between a string and a SecretString",
    );
    changed(
        changes,
        path,
        "Rust name",
        (old.rust_name.clone(), new.rust_name.clone()),
        Breaking,
        "the field and its setter are renamed",
    );
    changed(
        changes,
        path,
        "description",
        (shown(old.description.as_deref()), shown(new.description.as_deref())),
        DocsOnly,
        "documentation only",
    );
}
