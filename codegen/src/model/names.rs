//! The Rust names typify and progenitor give the spec's names, and the rules around them.

/// The Rust type name typify gives a schema: the same rules as typify-impl 0.8's `sanitize`
/// (PascalCase through `heck`, characters that cannot continue an identifier as word breaks, an
/// `X` before a leading character that cannot start one, `_` after a keyword).
///
/// A name that would shadow a prelude name the generated code and its derives use unqualified
/// (`Default`, `Some`, `Ok`, `Err`) gets `Model` appended; [`crate::progenitor::input`] renames
/// the schema to match before progenitor sees it.
pub fn rust_type_name(schema_name: &str) -> String {
    let name = typify_type_name(schema_name);
    if SHADOWING_NAMES.contains(&name.as_str()) { format!("{name}Model") } else { name }
}

/// The Rust type name typify itself gives a schema (see [`rust_type_name`]).
pub fn typify_type_name(schema_name: &str) -> String {
    use heck::ToPascalCase as _;
    typify_name(schema_name, str::to_pascal_case, "X")
}

/// Gives every schema a Rust name no other has, letter case aside (so that their docs pages
/// differ too): the first of the schemas that would share one keeps it, the others get `2`,
/// `3`, ... after it (`NullTime` and `nullTime` are `NullTime` and `NullTime2`).
pub(crate) fn assign_schema_names(schemas: &mut [crate::model::Schema]) {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(schemas.len());
    let mut repeated = Vec::new();
    for (index, schema) in schemas.iter().enumerate() {
        if !taken.insert(schema.rust_name.to_lowercase()) {
            repeated.push(index);
        }
    }
    for index in repeated {
        let base = schemas[index].rust_name.clone();
        let fresh = (2..)
            .map(|counter| format!("{base}{counter}"))
            .find(|candidate| !taken.contains(&candidate.to_lowercase()))
            .unwrap_or(base);
        taken.insert(fresh.to_lowercase());
        schemas[index].rust_name = fresh;
    }
}

/// Type names the generated code uses without a path: the prelude's types, traits and
/// constructors (derive macros call `Default::default()`, typify writes `TryFrom<String>`, a
/// newtype `Ok` hides the constructor) and what the generated modules import or define beside
/// the models (`ByteStream`, `ResponseValue`, ...). A schema with one of these names would hide
/// it, so its type is named with `Model` after it. The list is wider than the names seen to
/// break a build, because which of them breaks depends on what else the spec holds.
const SHADOWING_NAMES: [&str; 38] = [
    "AsMut",
    "AsRef",
    "Box",
    "ByteStream",
    "ClientHooks",
    "ClientInfo",
    "Clone",
    "ConversionError",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "RequestBuilderExt",
    "ResponseValue",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Vec",
];

/// The Rust method or field name typify and progenitor give a name: the same rules as
/// typify-impl 0.8's `sanitize` with snake case.
pub fn rust_snake_name(name: &str) -> String {
    use heck::ToSnakeCase as _;
    typify_name(name, str::to_snake_case, "x")
}

/// typify's `sanitize`: word breaks where a character cannot continue an identifier, the case
/// conversion, `prefix` before a leading character that cannot start one, `_` after a keyword.
fn typify_name(name: &str, convert: fn(&str) -> String, prefix: &str) -> String {
    let converted = match name {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        // Most names need neither replacement: no copy for them.
        _ if name.chars().all(unicode_ident::is_xid_continue) => convert(name),
        _ => {
            convert(&name.replace('\'', "").replace(|character: char| !unicode_ident::is_xid_continue(character), "-"))
        }
    };
    let converted = match converted.chars().next() {
        None => prefix.to_owned(),
        Some(first) if unicode_ident::is_xid_start(first) => converted,
        Some(_) => format!("{prefix}{converted}"),
    };
    // typify's own test, not a copy of its list: a word the two disagreed on would name a field
    // that does not exist.
    if typify::accept_as_ident(&converted) { converted } else { format!("{converted}_") }
}

/// Gives each operation a name no other operation, helper or method of the client has (a name
/// the client takes for itself gets `_operation` appended; two operations that still share a
/// name, an enum variant or a paging helper are an error naming both, since the document made
/// them so), then the prefix of the names of its generated types ([`assign_type_prefixes`]).
pub(crate) fn assign_unique_names(
    document: &crate::read::Document,
    api: &mut crate::model::Api,
    problems: &mut Vec<crate::diagnostic::Diagnostic>,
) {
    use crate::model::{GENERATED_CLIENT_METHODS, HAND_WRITTEN_CLIENT_METHODS, RUST_NAME_EXTENSION};
    for operation in &mut api.operations {
        if HAND_WRITTEN_CLIENT_METHODS.contains(&operation.name.as_str())
            || GENERATED_CLIENT_METHODS.contains(&operation.name.as_str())
            || operation.name == "call_json"
        {
            operation.name.push_str("_operation");
        }
        operation.variant = rust_type_name(&operation.name);
        operation.type_prefix = type_name_as_typify_keeps_it(&operation.variant);
    }
    let mut taken: std::collections::BTreeMap<String, (String, String)> = std::collections::BTreeMap::new();
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
                problems.push(crate::diagnostic::Diagnostic::at(
                    document,
                    &operation.pointer,
                    format!(
                        "the operations {first} (at {first_pointer}) and {shown} would both have the {role} `{}`",
                        name.trim_start_matches("enum ")
                    ),
                    format!(
                        "give one of them another name: an `operationId` of its own, or an overlay action that sets `{RUST_NAME_EXTENSION}` on the operation"
                    ),
                ));
                break;
            }
            taken.insert(name, (shown.clone(), operation.pointer.clone()));
        }
    }
    assign_type_prefixes(api);
}

/// Gives each operation the prefix of its generated types' names (see
/// [`crate::model::Operation::type_prefix`]): its variant's name, or, when that or a name made from
/// it is already a type's (a schema's, an inline type of a schema's, another operation's),
/// `<variant>Operation`, then `<variant>Operation2`, ... The names that do not exist (a body that is a
/// reference has no `<prefix>Body`) are not held against it.
fn assign_type_prefixes(api: &mut crate::model::Api) {
    let mut taken: std::collections::HashSet<String> =
        api.schemas.iter().map(|schema| schema.rust_name.clone()).collect();
    taken.extend(api.inline_type_names.iter().cloned());
    for operation in &mut api.operations {
        let needed = operation.generated_type_suffixes();
        let base = operation.type_prefix.clone();
        let mut candidate = base.clone();
        let mut counter = 1;
        while std::iter::once(String::new())
            .chain(needed.iter().cloned())
            .any(|suffix| taken.contains(&format!("{candidate}{suffix}")))
        {
            counter += 1;
            candidate = type_name_as_typify_keeps_it(&if counter == 2 {
                format!("{base}Operation")
            } else {
                format!("{base}Operation{}", counter - 1)
            });
        }
        taken.insert(candidate.clone());
        taken.extend(needed.iter().map(|suffix| format!("{candidate}{suffix}")));
        operation.type_prefix = candidate;
    }
}

/// A type name typify keeps as it is when a schema has it: converting it again changes nothing
/// (a name such as `C1ApiA2uiV1` can change once more).
fn type_name_as_typify_keeps_it(name: &str) -> String {
    let mut name = rust_type_name(name);
    for _ in 0..4 {
        let again = rust_type_name(&name);
        if again == name {
            break;
        }
        name = again;
    }
    name
}

/// Whether an inline schema becomes a named Rust type of its own (a struct or an enum): not a
/// reference, and not a combinator around one reference (which stands for that type).
pub(crate) fn is_named_type(schema: &openapiv3::ReferenceOr<openapiv3::Schema>) -> bool {
    match schema {
        openapiv3::ReferenceOr::Item(schema) => is_named_schema(schema),
        openapiv3::ReferenceOr::Reference { .. } => false,
    }
}

/// [`is_named_type`] of an inline schema.
pub(crate) fn is_named_schema(schema: &openapiv3::Schema) -> bool {
    use openapiv3::{ReferenceOr, SchemaKind, Type};
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(number)) => !number.enumeration.is_empty(),
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list }
        | SchemaKind::AllOf { all_of: list } => !matches!(list.as_slice(), [ReferenceOr::Reference { .. }]),
        SchemaKind::Any(any) => {
            !any.properties.is_empty()
                || !any.enumeration.is_empty()
                || !any.one_of.is_empty()
                || !any.any_of.is_empty()
        }
        _ => false,
    }
}

/// The variant name typify gives an enum value: the value in Pascal case, characters that cannot
/// continue an identifier as word breaks, `X` before a leading character that cannot start one.
pub fn variant_name(value: &str) -> String {
    use heck::ToUpperCamelCase;
    let name = match value {
        "+1" => "plus1".to_upper_camel_case(),
        "-1" => "minus1".to_upper_camel_case(),
        _ => value.replace('\'', "").replace(|c: char| !unicode_ident::is_xid_continue(c), "-").to_upper_camel_case(),
    };
    match name.chars().next() {
        None => "X".to_owned(),
        Some(first) if unicode_ident::is_xid_start(first) => name,
        Some(_) => format!("X{name}"),
    }
}

/// Whether typify can name every value of a string enum apart: by [`variant_name`], or, when two
/// share a name, with the characters it drops written as `X` (it gives up when both collide).
pub fn typify_names_variants_apart(values: &[&str]) -> bool {
    // `Self` is no identifier, not even a raw one, and typify writes it as it is.
    if values.iter().any(|value| variant_name(value) == "Self") {
        return false;
    }
    let distinct = |names: Vec<String>| names.iter().collect::<std::collections::HashSet<_>>().len() == names.len();
    distinct(values.iter().map(|value| variant_name(value)).collect())
        || distinct(
            values
                .iter()
                .map(|value| {
                    variant_name(&value.replace(|c: char| c == '_' || !unicode_ident::is_xid_continue(c), "X"))
                })
                .collect(),
        )
}

/// Variant names for the values of a string enum, distinct and deterministic: each value's
/// [`variant_name`] (its characters' names for one without letters or digits: `.` is `Dot`),
/// with `2`, `3`, ... after a name an earlier value has (`ASC` and `asc` are `Asc` and `Asc2`).
pub fn distinct_variant_names(values: &[&str]) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let plain: Vec<String> = values
        .iter()
        .map(|value| match value {
            _ if !value.chars().any(char::is_alphanumeric) => symbol_name(value),
            // The one keyword a variant name can be, which no identifier may be.
            _ if variant_name(value) == "Self" => "Self_".to_owned(),
            _ => variant_name(value),
        })
        .collect();
    let mut names = Vec::with_capacity(values.len());
    for name in &plain {
        let chosen = if taken.contains(name) {
            // `Self_` is `Self2`, not `Self_2`.
            (2..)
                .map(|counter| format!("{}{counter}", name.trim_end_matches('_')))
                .find(|candidate| !taken.contains(candidate) && !plain.contains(candidate))
                .unwrap_or_else(|| name.clone())
        } else {
            name.clone()
        };
        taken.insert(chosen.clone());
        names.push(chosen);
    }
    names
}

/// The name of a value without letters or digits, after its characters (`.` is `Dot`, `->` is
/// `DashGt`, the empty string `Empty`).
fn symbol_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    value
        .chars()
        .map(|character| match character {
            '.' => "Dot".to_owned(),
            '-' => "Dash".to_owned(),
            '_' => "Underscore".to_owned(),
            '+' => "Plus".to_owned(),
            '*' => "Star".to_owned(),
            '/' => "Slash".to_owned(),
            '\\' => "Backslash".to_owned(),
            ':' => "Colon".to_owned(),
            ',' => "Comma".to_owned(),
            ';' => "Semicolon".to_owned(),
            '@' => "At".to_owned(),
            '#' => "Hash".to_owned(),
            '$' => "Dollar".to_owned(),
            '%' => "Percent".to_owned(),
            '&' => "Amp".to_owned(),
            '!' => "Bang".to_owned(),
            '?' => "Question".to_owned(),
            '=' => "Eq".to_owned(),
            '<' => "Lt".to_owned(),
            '>' => "Gt".to_owned(),
            '~' => "Tilde".to_owned(),
            '^' => "Caret".to_owned(),
            '|' => "Pipe".to_owned(),
            ' ' => "Space".to_owned(),
            other => format!("U{:04X}", u32::from(other)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{distinct_variant_names, typify_names_variants_apart};

    #[test]
    fn enum_values_that_collide_get_distinct_names_in_order() {
        assert_eq!(distinct_variant_names(&["ASC", "asc", "DESC", "desc"]), ["Asc", "Asc2", "Desc", "Desc2"]);
        assert_eq!(distinct_variant_names(&[".", "X", "-", "_", ""]), ["Dot", "X", "Dash", "Underscore", "Empty"]);
        // A suffix never takes the name of a later value.
        assert_eq!(distinct_variant_names(&["a-b", "a_b", "a-b-2", "plain"]), ["AB", "AB3", "AB2", "Plain"]);
        assert!(!typify_names_variants_apart(&["ASC", "asc"]));
        assert!(typify_names_variants_apart(&["open", "closed"]));
        assert!(!typify_names_variants_apart(&["Self", "other"]));
        assert_eq!(distinct_variant_names(&["Self", "self", "type"]), ["Self_", "Self2", "Type"]);
    }
}
