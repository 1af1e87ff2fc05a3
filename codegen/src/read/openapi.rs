//! The vocabulary of OpenAPI that every stage shares: the HTTP methods a path item holds.

/// The HTTP methods an OpenAPI path item holds operations under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl HttpMethod {
    /// Every method, in the order the OpenAPI specification lists them in a path item.
    pub const ALL: [HttpMethod; 8] =
        [Self::Get, Self::Put, Self::Post, Self::Delete, Self::Options, Self::Head, Self::Patch, Self::Trace];

    /// The key of a path item that holds this method's operation (`get`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Put => "put",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Options => "options",
            Self::Head => "head",
            Self::Patch => "patch",
            Self::Trace => "trace",
        }
    }

    /// The method as HTTP writes it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }

    /// The method of a path item key, such as `get`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|method| method.key() == key)
    }

    /// Whether HTTP defines the method as safe (RFC 9110, 9.2.1): it only reads.
    pub fn is_safe(self) -> bool {
        matches!(self, Self::Get | Self::Head | Self::Options | Self::Trace)
    }
}

/// The `{name}` placeholders of a path template, in the order the path writes them.
pub fn placeholders(path: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for rest in path.split('{').skip(1) {
        if let Some((name, _)) = rest.split_once('}')
            && !names.iter().any(|known| known == name)
        {
            names.push(name.to_owned());
        }
    }
    names
}

/// Whether `text` can be sent as an HTTP header's value as it is: visible ASCII, spaces and tabs.
pub fn is_header_value(text: &str) -> bool {
    text.bytes().all(|byte| byte == b'\t' || (b' '..=b'~').contains(&byte))
}

/// The maps whose keys are names the author chose (component names, property names, media
/// types, ...) rather than keywords.
pub const NAME_MAPS: [&str; 20] = [
    "paths",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "content",
    "encoding",
    "variables",
    "mapping",
    "webhooks",
    "x-webhooks",
    "$defs",
];

/// The component kind a `$ref` at `pointer` (the pointer of the object that holds it) must name:
/// `schemas` anywhere inside a schema (under a `schema` keyword, or an entry of `schemas` or
/// `$defs`), else by the place (`parameters`, `requestBodies`, `responses`, `headers`); `None`
/// where OpenAPI puts no reference. A token that is a name in a map of names (a parameter called
/// `schema`) is not read as a keyword.
pub fn expected_reference_kind(pointer: &str) -> Option<&'static str> {
    // One pass over the tokens, without collecting them: this runs for every object of a document.
    let mut in_schema = false;
    let (mut before_last, mut last) = ("", "");
    let mut names_follow = false;
    for token in pointer.split('/').skip(1) {
        let is_name = names_follow;
        if is_name {
            in_schema |= matches!(last, "schemas" | "$defs");
        } else {
            in_schema |= token == "schema";
        }
        names_follow = !is_name && NAME_MAPS.contains(&token);
        before_last = last;
        last = token;
    }
    if in_schema {
        return Some("schemas");
    }
    kind_named_by(before_last, last)
}

/// The component kind a `$ref` outside schemas must name, by the last two tokens of its place.
pub fn kind_named_by(before_last: &str, last: &str) -> Option<&'static str> {
    match (before_last, last) {
        ("parameters", _) => Some("parameters"),
        (_, "requestBody") | ("requestBodies", _) => Some("requestBodies"),
        ("responses", _) => Some("responses"),
        ("headers", _) => Some("headers"),
        _ => None,
    }
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}
