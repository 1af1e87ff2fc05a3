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
    remembered(Case::Type, schema_name, |schema_name| {
        let name = typify_name(schema_name, str::to_pascal_case, "X");
        if SHADOWING_NAMES.contains(&name.as_str()) { format!("{name}Model") } else { name }
    })
}

/// The two conversions [`remembered`] keeps apart.
#[derive(Clone, Copy)]
enum Case {
    Type,
    Snake,
}

/// How many names [`remembered`] keeps, per case, before it starts again.
const REMEMBERED_NAMES: usize = 1 << 16;

/// Names already converted, per case. One document converts the same schema and field names
/// several times over (the checks, the model, the renames, the docs), on more than one thread,
/// and heck spends thousands of instructions on a long name; this keeps the answer. It is cleared
/// when it passes [`REMEMBERED_NAMES`], so that a long-running process does not hold every name
/// it saw.
static CONVERTED: std::sync::LazyLock<std::sync::Mutex<[std::collections::HashMap<String, String>; 2]>> =
    std::sync::LazyLock::new(std::sync::Mutex::default);

/// `convert(name)`, remembered.
fn remembered(case: Case, name: &str, convert: impl FnOnce(&str) -> String) -> String {
    let slot = case as usize;
    let lock = || CONVERTED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = lock()[slot].get(name) {
        return known.clone();
    }
    let converted = convert(name);
    let mut converted_names = lock();
    let map = &mut converted_names[slot];
    if map.len() >= REMEMBERED_NAMES {
        map.clear();
    }
    map.insert(name.to_owned(), converted.clone());
    converted
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
    remembered(Case::Snake, name, |name| typify_name(name, str::to_snake_case, "x"))
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
