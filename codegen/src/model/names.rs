//! The Rust names typify and progenitor give the spec's names, and the rules around them.

/// The Rust type name typify gives a schema: the same rules as typify-impl 0.8's `sanitize`
/// (PascalCase through `heck`, characters that cannot continue an identifier as word breaks, an
/// `X` before a leading character that cannot start one, `_` after a keyword).
///
/// A name that would shadow a prelude name the generated code and its derives use unqualified
/// (`Default`, `Some`, `Ok`, `Err`) gets `Model` appended; [`crate::model::progenitor_spec`] renames
/// the schema to match before progenitor sees it.
pub fn rust_type_name(schema_name: &str) -> String {
    use heck::ToPascalCase as _;
    let name = typify_name(schema_name, str::to_pascal_case, "X");
    if SHADOWING_NAMES.contains(&name.as_str()) { format!("{name}Model") } else { name }
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
        _ => {
            convert(&name.replace('\'', "").replace(|character: char| !unicode_ident::is_xid_continue(character), "-"))
        }
    };
    let converted = match converted.chars().next() {
        None => prefix.to_owned(),
        Some(first) if unicode_ident::is_xid_start(first) => converted,
        Some(_) => format!("{prefix}{converted}"),
    };
    if RUST_KEYWORDS.contains(&converted.as_str()) { format!("{converted}_") } else { converted }
}

/// The words typify does not take as identifiers (and writes with a trailing `_`).
const RUST_KEYWORDS: [&str; 58] = [
    "_",
    "abstract",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "ref",
    "return",
    "Self",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "union",
    "macro_rules",
    "raw",
    "safe",
    "auto",
];

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
    use openapiv3::{ReferenceOr, SchemaKind, Type};
    let ReferenceOr::Item(schema) = schema else { return false };
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
