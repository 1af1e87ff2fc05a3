//! The helpers the generated methods call, written into the generated client as a private
//! module: parameters in the styles OpenAPI defines, multipart bodies, and answers wrapped in the
//! type of an operation with several outcomes.

use proc_macro2::TokenStream;
use quote::quote;

/// Which helpers the generated methods call.
#[derive(Debug, Clone, Copy, Default)]
pub struct Uses {
    /// `decode`: an answer with a JSON body.
    pub decode: bool,
    /// `wrap`: an answer made into an operation's `Option` or outcome enum.
    pub wrap: bool,
    /// `value`: a path or header parameter that is not a scalar written as it is.
    pub value: bool,
    /// `cookie`: a cookie parameter.
    pub cookie: bool,
    /// `query`: a query parameter in another style than exploded `form`.
    pub query: bool,
    /// `multipart`: a `multipart/form-data` body (reqwest's `multipart` feature).
    pub multipart: bool,
    /// `form`: an `application/x-www-form-urlencoded` body (reqwest's `form` feature).
    pub form: bool,
    /// `segment`: a path parameter written into the URL, or `value`, which encodes with it (the
    /// `percent-encoding` crate).
    pub path: bool,
}

/// The `support` module, with the helpers `uses` names (nothing when it names none).
pub fn module(uses: Uses) -> TokenStream {
    if !(uses.decode
        || uses.wrap
        || uses.value
        || uses.cookie
        || uses.query
        || uses.multipart
        || uses.form
        || uses.path)
    {
        return quote!();
    }
    let decode = uses.decode.then(decode_helper);
    let wrap = uses.wrap.then(wrap_helper);
    let values = (uses.value || uses.cookie || uses.query || uses.multipart || uses.form).then(values_helpers);
    let value = uses.value.then(value_helper);
    let cookie = uses.cookie.then(cookie_helper);
    let query = (uses.query || uses.form).then(query_helpers);
    let multipart = uses.multipart.then(multipart_helper);
    let form = uses.form.then(form_helper);
    let path = uses.path.then(path_helper);
    quote! {
        /// Helpers of the generated methods.
        #[allow(dead_code, clippy::all)]
        pub(crate) mod support {
            #decode
            #wrap
            #values
            #value
            #cookie
            #query
            #multipart
            #form
            #path
        }
    }
}

/// `decode`: what progenitor's `ResponseValue::from_response` does, but that the headers are
/// moved out of the response rather than copied (a copy costs three allocations per call).
fn decode_helper() -> TokenStream {
    quote! {
        /// The answer's JSON body as `T`, with its status and headers.
        pub(crate) async fn decode<T: ::serde::de::DeserializeOwned, E>(
            mut response: ::reqwest::Response,
        ) -> Result<super::ResponseValue<T>, super::Error<E>> {
            let status = response.status();
            let headers = ::std::mem::take(response.headers_mut());
            let full = response.bytes().await.map_err(super::Error::ResponseBodyError)?;
            let inner = ::serde_json::from_slice(&full).map_err(|error| super::Error::InvalidResponsePayload(full, error))?;
            Ok(super::ResponseValue::new(inner, status, headers))
        }
    }
}

/// The bytes besides the C0 controls and DEL that a path segment percent-encodes: the WHATWG
/// path-segment set, which progenitor's `encode_path` encodes too (a test compares the two).
pub(crate) const PATH_SEGMENT_ENCODED: &[u8] = b" \"#<>?`{}/%";

/// `segment`: what progenitor's `encode_path` does, but that a segment with nothing to encode
/// is borrowed rather than copied into a new `String` (an allocation per call).
fn path_helper() -> TokenStream {
    let encoded = PATH_SEGMENT_ENCODED.iter().map(|byte| proc_macro2::Literal::byte_character(*byte));
    quote! {
        /// The bytes a path segment percent-encodes besides non-ASCII ones.
        const PATH_SEGMENT: &::percent_encoding::AsciiSet = &::percent_encoding::CONTROLS #(.add(#encoded))*;

        /// `text` percent-encoded as one segment of a URL's path.
        pub(crate) fn segment(text: &str) -> ::std::borrow::Cow<'_, str> {
            ::percent_encoding::utf8_percent_encode(text, PATH_SEGMENT).into()
        }
    }
}

/// `wrap`.
fn wrap_helper() -> TokenStream {
    quote! {
        /// `value` with its body made into another type, its status and headers kept.
        pub(crate) fn wrap<T, U>(value: super::ResponseValue<T>, into: impl FnOnce(T) -> U) -> super::ResponseValue<U> {
            let status = value.status();
            let headers = value.headers().clone();
            super::ResponseValue::new(into(value.into_inner()), status, headers)
        }
    }
}

/// What the parameter and body helpers share: a value as JSON, and its text.
fn values_helpers() -> TokenStream {
    quote! {
        use ::serde_json::Value;

            fn json<T: ::serde::Serialize + ?Sized>(value: &T) -> Result<Value, ::std::string::String> {
                ::serde_json::to_value(value).map_err(|error| error.to_string())
            }

            /// A value's text: a string as it is, `null` as nothing, anything else as JSON.
            fn text(value: &Value) -> ::std::string::String {
                match value {
                    Value::String(text) => text.clone(),
                    Value::Null => ::std::string::String::new(),
                    other => other.to_string(),
                }
            }

            /// The values of an array, or of an object as key, value, key, value.
            fn flat(value: &Value) -> ::std::vec::Vec<::std::string::String> {
                match value {
                    Value::Array(items) => items.iter().map(text).collect(),
                    Value::Object(map) => map.iter().flat_map(|(key, item)| [key.clone(), text(item)]).collect(),
                    other => ::std::vec![text(other)],
                }
            }

    }
}

/// `value`.
fn value_helper() -> TokenStream {
    quote! {
            /// A path or header parameter in `style` (`simple`, `label`, `matrix`, or `json` for
            /// one described by `content`); each value percent-encoded when `path`.
            pub(crate) fn value<T: ::serde::Serialize + ?Sized>(
                name: &str,
                value: &T,
                style: &str,
                explode: bool,
                path: bool,
            ) -> Result<::std::string::String, ::std::string::String> {
                let value = json(value)?;
                let encode = |text: ::std::string::String| if path { segment(&text).into_owned() } else { text };
                if style == "json" {
                    return Ok(encode(value.to_string()));
                }
                let pairs = |separator: &str| -> ::std::string::String {
                    match &value {
                        Value::Object(map) if explode => map
                            .iter()
                            .map(|(key, item)| ::std::format!("{}={}", encode(key.clone()), encode(text(item))))
                            .collect::<::std::vec::Vec<_>>()
                            .join(separator),
                        _ => flat(&value).into_iter().map(encode).collect::<::std::vec::Vec<_>>().join(","),
                    }
                };
                Ok(match style {
                    "label" => ::std::format!(".{}", if explode { pairs(".") } else { pairs(",") }),
                    "matrix" => match &value {
                        Value::Array(items) if explode => {
                            items.iter().map(|item| ::std::format!(";{}={}", name, encode(text(item)))).collect()
                        }
                        Value::Object(_) if explode => ::std::format!(";{}", pairs(";")),
                        _ => ::std::format!(";{}={}", name, pairs(",")),
                    },
                    _ => pairs(","),
                })
            }

    }
}

/// `cookie`.
fn cookie_helper() -> TokenStream {
    quote! {
            /// A cookie parameter (`form` style, or `json`): its `name=value` pairs, joined as
            /// the `Cookie` header joins them.
            pub(crate) fn cookie<T: ::serde::Serialize + ?Sized>(
                name: &str,
                value: &T,
                style: &str,
                explode: bool,
            ) -> Result<::std::string::String, ::std::string::String> {
                let value = json(value)?;
                Ok(match (&value, style) {
                    (_, "json") => ::std::format!("{}={}", name, value),
                    (Value::Array(items), _) if explode => {
                        items.iter().map(|item| ::std::format!("{}={}", name, text(item))).collect::<::std::vec::Vec<_>>().join("; ")
                    }
                    (Value::Object(map), _) if explode => {
                        map.iter().map(|(key, item)| ::std::format!("{}={}", key, text(item))).collect::<::std::vec::Vec<_>>().join("; ")
                    }
                    _ => ::std::format!("{}={}", name, flat(&value).join(",")),
                })
            }

    }
}

/// `query` and `deep`.
fn query_helpers() -> TokenStream {
    quote! {
            /// A query parameter's pairs in `style` (`form`, `spaceDelimited`, `pipeDelimited`,
            /// `deepObject`, or `json`).
            pub(crate) fn query<T: ::serde::Serialize + ?Sized>(
                name: &str,
                value: &T,
                style: &str,
                explode: bool,
            ) -> Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::std::string::String> {
                let value = json(value)?;
                let mut pairs = ::std::vec::Vec::new();
                let separator = match style {
                    "spaceDelimited" => " ",
                    "pipeDelimited" => "|",
                    _ => ",",
                };
                match (style, &value) {
                    (_, Value::Null) => {}
                    ("json", value) => pairs.push((name.to_owned(), value.to_string())),
                    ("deepObject", Value::Object(map)) => deep(name, map, &mut pairs),
                    (_, Value::Array(items)) if explode => {
                        pairs.extend(items.iter().map(|item| (name.to_owned(), text(item))));
                    }
                    ("form", Value::Object(map)) if explode => {
                        pairs.extend(map.iter().map(|(key, item)| (key.clone(), text(item))));
                    }
                    (_, Value::Array(_) | Value::Object(_)) => pairs.push((name.to_owned(), flat(&value).join(separator))),
                    (_, scalar) => pairs.push((name.to_owned(), text(scalar))),
                }
                Ok(pairs)
            }

            /// `name[key]=value` for every key of an object, nested objects as `name[key][inner]`.
            fn deep(
                name: &str,
                map: &::serde_json::Map<::std::string::String, Value>,
                pairs: &mut ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
            ) {
                for (key, item) in map {
                    let name = ::std::format!("{name}[{key}]");
                    match item {
                        Value::Null => {}
                        Value::Object(inner) => deep(&name, inner, pairs),
                        Value::Array(items) => pairs.extend(items.iter().map(|item| (name.clone(), text(item)))),
                        scalar => pairs.push((name, text(scalar))),
                    }
                }
            }

    }
}

/// `form`.
fn form_helper() -> TokenStream {
    quote! {
        /// The pairs of a form body: each field as a query parameter in its style (`styles`,
        /// else exploded `form`) would be.
        pub(crate) fn form<T: ::serde::Serialize + ?Sized>(
            body: &T,
            styles: &[(&str, &str, bool)],
        ) -> Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, ::std::string::String> {
            let Value::Object(map) = json(body)? else {
                return Err("a form body is an object of its fields".to_owned());
            };
            let mut pairs = ::std::vec::Vec::new();
            for (name, value) in &map {
                let (style, explode) = styles
                    .iter()
                    .find(|(field, _, _)| field == name)
                    .map_or(("form", true), |(_, style, explode)| (*style, *explode));
                pairs.extend(query(name, value, style, explode)?);
            }
            Ok(pairs)
        }
    }
}

/// The multipart helper: one part per property of the body (one per item of an array), a file
/// part for each property of `files`, JSON for an object.
fn multipart_helper() -> TokenStream {
    quote! {
        /// The multipart form of a body: one part per property (one per item of an array): a file
        /// for each of `files` (its bytes, with its name as the file name and the given content
        /// type), text for a string, a number or a boolean, and JSON for an object or an array.
        pub(crate) fn multipart<T: ::serde::Serialize + ?Sized>(
            body: &T,
            files: &[(&str, &'static str, bool)],
        ) -> Result<::reqwest::multipart::Form, ::std::string::String> {
            use ::reqwest::multipart::{Form, Part};
            let Value::Object(map) = json(body)? else {
                return Err("a multipart body is an object of its parts".to_owned());
            };
            let mut form = Form::new();
            for (name, value) in map {
                if let Some((_, content_type, many)) = files.iter().find(|(file, _, _)| *file == name) {
                    // One file is its bytes (an array of numbers); several, an array of those.
                    let each = match value {
                        Value::Array(items) if *many => items,
                        Value::Null => continue,
                        one => ::std::vec![one],
                    };
                    for file in each {
                        let bytes: ::std::vec::Vec<u8> = ::serde_json::from_value(file)
                            .map_err(|error| ::std::format!("the file `{name}` is not bytes: {error}"))?;
                        let part = Part::bytes(bytes)
                            .file_name(name.clone())
                            .mime_str(content_type)
                            .map_err(|error| error.to_string())?;
                        form = form.part(name.clone(), part);
                    }
                    continue;
                }
                let items = match value {
                    Value::Array(items) => items,
                    Value::Null => continue,
                    other => ::std::vec![other],
                };
                for item in items {
                    let part = match item {
                        Value::Object(_) | Value::Array(_) => {
                            Part::text(item.to_string()).mime_str("application/json").map_err(|error| error.to_string())?
                        }
                        other => Part::text(text(&other)),
                    };
                    form = form.part(name.clone(), part);
                }
            }
            Ok(form)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PATH_SEGMENT_ENCODED;

    /// The path helper encodes every ASCII character and a few others as progenitor does.
    #[test]
    fn the_path_segment_set_is_progenitors() {
        // `add` of a control is no change: it starts the fold with an owned set.
        let set = PATH_SEGMENT_ENCODED.iter().fold(percent_encoding::CONTROLS.add(0), |set, byte| set.add(*byte));
        // `utf8_percent_encode` takes a `'static` set, as the generated constant is.
        let set: &'static percent_encoding::AsciiSet = Box::leak(Box::new(set));
        let mut texts: Vec<String> = (0_u8..128).map(|byte| char::from(byte).to_string()).collect();
        texts.extend(["é", "a b/c", "%2F", "..", "名前", ""].map(str::to_owned));
        for text in texts {
            let ours = percent_encoding::utf8_percent_encode(&text, set).to_string();
            assert_eq!(ours, progenitor_client::encode_path(&text), "{text:?}");
        }
    }
}
