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
