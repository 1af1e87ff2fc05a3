//! The generated client's methods, one `impl Client` per operation: the request as the spec
//! describes it (path, query, header and cookie parameters in their styles, the body in its
//! media type), sent through the client's hooks, and the answer decoded by its status into the
//! documented type. Beside them, the enums of operations with several outcomes (in the `types`
//! module) and the helpers the methods use.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Flavor;
use crate::emit::method::{Answer, AnswerKind, Argument, CaseBody, Method, Source, inside_types};
use crate::emit::support::Uses;
use crate::model::{BodyEncoding, HttpMethod, OutcomeBody, ParameterLocation, ParameterStyle, Status};
use crate::progenitor::run::Crates;

/// What the methods add to progenitor's file.
pub struct Rendered {
    /// One `impl Client` per operation, and the helpers they use.
    pub client: TokenStream,
    /// The outcome enums, for the `types` module.
    pub types: TokenStream,
    /// Whether a method sends `multipart/form-data` (reqwest's `multipart` feature).
    pub uses_multipart: bool,
    /// Whether a method sends a form (reqwest's `form` feature).
    pub uses_form: bool,
    /// Whether a method writes a path parameter (the `percent-encoding` crate).
    pub uses_percent_encoding: bool,
}

impl Rendered {
    /// `crates` with the ones the methods use.
    pub fn crates(&self, crates: Crates) -> Crates {
        Crates {
            multipart: crates.multipart || self.uses_multipart,
            form: crates.form || self.uses_form,
            percent_encoding: crates.percent_encoding || self.uses_percent_encoding,
            ..crates
        }
    }
}

/// Renders every method, the enums and the helpers. For the SDK each operation's request and
/// answer are functions of their own (in `requests` and `answers`), which the hand-written client
/// runs once per attempt; a crate of its own has no such client, and its methods hold both.
pub fn render(methods: &[Method<'_>], flavor: Flavor) -> Rendered {
    let split = flavor == Flavor::Sdk;
    let items = methods.iter().map(|method| method_item(method, split));
    let enums =
        methods.iter().flat_map(|method| [outcome_enum(method, &method.success), outcome_enum(method, &method.error)]);
    let uses = uses(methods);
    let support = crate::emit::support::module(uses);
    let parts = split.then(|| {
        let requests = methods.iter().map(request_function);
        let answers = methods.iter().map(answer_function);
        quote! {
            /// Each operation's request, built as its method sends it before the hooks run.
            #[allow(clippy::all)]
            pub(crate) mod requests {
                #[allow(unused_imports)]
                use super::*;
                #(#requests)*
            }
            /// Each operation's answer, read by its status as its method returns it.
            #[allow(clippy::all)]
            pub(crate) mod answers {
                #[allow(unused_imports)]
                use super::*;
                #(#answers)*
            }
        }
    });
    Rendered {
        client: quote! {
            #(#items)*
            #parts
            #support
        },
        types: quote!(#(#enums)*),
        uses_multipart: uses.multipart,
        uses_form: uses.form,
        uses_percent_encoding: uses.path,
    }
}

/// Which helpers the methods call.
fn uses(methods: &[Method<'_>]) -> Uses {
    let mut uses = Uses::default();
    for method in methods {
        uses.wrap |= method.success.kind != AnswerKind::One || method.error.kind != AnswerKind::One;
        uses.decode |= [&method.success, &method.error]
            .iter()
            .any(|answer| answer.cases.iter().any(|case| matches!(case.body, CaseBody::Json(_))));
        let encoding = method.operation.body.as_ref().map(|body| body.encoding);
        uses.multipart |= encoding == Some(BodyEncoding::Multipart);
        uses.form |= encoding == Some(BodyEncoding::Form);
        for argument in &method.arguments {
            let Source::Parameter(parameter) = &argument.source else { continue };
            let scalar = argument.slot.as_ref().is_some_and(|slot| slot.inner.as_deref().unwrap_or(slot).is_scalar);
            match parameter.location {
                ParameterLocation::Path | ParameterLocation::Header => {
                    uses.value |= !(scalar && parameter.style == ParameterStyle::Simple);
                    uses.path |= parameter.location == ParameterLocation::Path;
                }
                ParameterLocation::Cookie => uses.cookie = true,
                ParameterLocation::Query => {
                    uses.query |= !(parameter.style == ParameterStyle::Form && parameter.explode);
                }
            }
        }
    }
    // The `value` helper percent-encodes with `segment`.
    uses.path |= uses.value;
    uses
}

/// One method, in an `impl Client` of its own: its request built (by [`request_function`] when
/// `split`, else in place), sent through the client's hooks, and its answer read (by
/// [`answer_function`] when `split`, else in place).
fn method_item(method: &Method<'_>, split: bool) -> TokenStream {
    let name = method.ident();
    let names = argument_names(method);
    let local = |base: &str| unique_ident(base, &names);
    let (request, result, response) = (local("request"), local("result"), local("response"));
    let parameters = parameters(method);
    let passed = method.arguments.iter().map(|argument| &argument.ident);
    let generics = generics(method);
    let success = &method.success.ty;
    let error = &method.error.ty;
    let operation_name = &method.operation.name;
    let doc = method_doc(method);
    let (built, answered) = if split {
        (quote!(requests::#name(self, #(#passed),*)), quote!(answers::#name(#result?).await))
    } else {
        let statements = request_statements(method, &quote!(self));
        let built = quote!({ #statements });
        let read = answer_match(method, &response);
        (built, quote! { let #response = #result?; #read })
    };
    quote! {
        #[allow(clippy::all)]
        impl Client {
            #[doc = #doc]
            pub async fn #name #generics (&'a self, #(#parameters),*) -> Result<ResponseValue<#success>, Error<#error>> {
                #[allow(unused_mut)]
                let mut #request = #built?;
                let info = OperationInfo { operation_id: #operation_name };
                self.pre(&mut #request, &info).await?;
                let #result = self.exec(#request, &info).await;
                self.post(&#result, &info).await?;
                #answered
            }
        }
    }
}

/// The names of a method's arguments, which the locals of its functions must not take.
fn argument_names(method: &Method<'_>) -> Vec<String> {
    method.arguments.iter().map(|argument| argument.ident.to_string()).collect()
}

/// The method's parameters, `name: Type`, as its request function takes them too.
fn parameters(method: &Method<'_>) -> Vec<TokenStream> {
    method
        .arguments
        .iter()
        .map(|argument| {
            let (ident, ty) = (&argument.ident, &argument.ty);
            quote!(#ident: #ty)
        })
        .collect()
}

/// The method's generic parameters: its lifetime, and the body's type for a byte body.
fn generics(method: &Method<'_>) -> TokenStream {
    if method.takes_bytes() { quote!(<'a, B: ::std::convert::Into<::reqwest::Body>>) } else { quote!(<'a>) }
}

/// The function that builds an operation's request from the method's arguments.
fn request_function(method: &Method<'_>) -> TokenStream {
    let name = method.ident();
    let client = unique_ident("client", &argument_names(method));
    let parameters = parameters(method);
    let generics = generics(method);
    let error = &method.error.ty;
    let statements = request_statements(method, &quote!(#client));
    quote! {
        pub(crate) fn #name #generics (#client: &'a Client, #(#parameters),*) -> Result<::reqwest::Request, Error<#error>> {
            #statements
        }
    }
}

/// The statements that build an operation's request on `client` from the method's arguments,
/// ending in a `Result<reqwest::Request, Error<_>>`: the URL with its path parameters, the `Accept` header,
/// the body, the query and the header parameters.
fn request_statements(method: &Method<'_>, client: &TokenStream) -> TokenStream {
    let names = argument_names(method);
    let (url, header_map) = (unique_ident("url", &names), unique_ident("header_map", &names));
    let url_value = url_expression(method, client);
    let (header_count, headers) = header_statements(method, &header_map);
    // No map (and nothing to merge into the request) for an operation without header parameters.
    let (header_map_statements, with_headers) = if headers.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                let mut #header_map = ::reqwest::header::HeaderMap::with_capacity(#header_count);
                #(#headers)*
            },
            quote!(.headers(#header_map)),
        )
    };
    let builder = builder_method(method.operation.method, &url);
    let accept = accept_header(method);
    let body = body_call(method);
    let queries = query_calls(method);
    quote! {
        let #url = #url_value;
        #header_map_statements
        #client.client.#builder
            #accept
            #body
            #(#queries)*
            #with_headers
            .build()
            .map_err(Error::from)
    }
}

/// The function that reads an operation's answer by its status into the method's result.
fn answer_function(method: &Method<'_>) -> TokenStream {
    let name = method.ident();
    let response = format_ident!("response");
    let success = &method.success.ty;
    let error = &method.error.ty;
    let read = answer_match(method, &response);
    quote! {
        pub(crate) async fn #name(#response: ::reqwest::Response) -> Result<ResponseValue<#success>, Error<#error>> {
            #read
        }
    }
}

/// The `match` on the status of `response` that reads the answer into the method's result.
fn answer_match(method: &Method<'_>, response: &syn::Ident) -> TokenStream {
    let arms = arms(method, response);
    quote! {
        match #response.status().as_u16() {
            #arms
        }
    }
}

/// `base`, with `_` before it until no argument has the name.
fn unique_ident(base: &str, taken: &[String]) -> syn::Ident {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.insert(0, '_');
    }
    format_ident!("{}", name)
}

/// The method's docs: the spec's summary and description, what it sends, and how.
fn method_doc(method: &Method<'_>) -> String {
    let operation = method.operation;
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(summary) = &operation.summary {
        paragraphs.push(summary.clone());
    }
    if let Some(description) = &operation.description
        && operation.summary.as_deref().map(str::trim) != Some(description.trim())
    {
        paragraphs.push(description.clone());
    }
    paragraphs.push(format!(
        "Sends a `{}` request to `{}`",
        operation.method.as_str(),
        crate::emit::code_span(&operation.path)
    ));
    if let Some(body) = &operation.body {
        let mut said = format!("The body is sent as `{}`", crate::emit::code_span(&body.media_type));
        if !body.other_media_types.is_empty() {
            let others: Vec<String> =
                body.other_media_types.iter().map(|other| format!("`{}`", crate::emit::code_span(other))).collect();
            said.push_str(&format!("; the API also takes {}, which this method does not send", others.join(", ")));
        }
        paragraphs.push(said);
    }
    if operation.deprecated {
        paragraphs.push("Deprecated by the API.".to_owned());
    }
    paragraphs.join("\n\n")
}

/// `self.client.get(url)`, or `request(Method::..., url)` for the methods reqwest has no shortcut for.
fn builder_method(method: HttpMethod, url: &syn::Ident) -> TokenStream {
    match method {
        HttpMethod::Get => quote!(get(#url)),
        HttpMethod::Put => quote!(put(#url)),
        HttpMethod::Post => quote!(post(#url)),
        HttpMethod::Delete => quote!(delete(#url)),
        HttpMethod::Patch => quote!(patch(#url)),
        HttpMethod::Head => quote!(head(#url)),
        HttpMethod::Options => quote!(request(::reqwest::Method::OPTIONS, #url)),
        HttpMethod::Trace => quote!(request(::reqwest::Method::TRACE, #url)),
    }
}

/// The URL: the base URL, and the path with each parameter written in its style (a scalar by its
/// text, percent-encoded, as progenitor writes it). The pieces are joined by `concat`, which
/// allocates once, rather than by `format!`.
fn url_expression(method: &Method<'_>, client: &TokenStream) -> TokenStream {
    let path = &method.operation.path;
    let mut pieces = vec![quote!(#client.baseurl.as_str())];
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            let literal = &rest[..open];
            pieces.push(quote!(#literal));
        }
        let name = &rest[open + 1..open + close];
        let argument = method.arguments.iter().find(|argument| {
            matches!(argument.source, Source::Parameter(parameter) if parameter.location == ParameterLocation::Path && parameter.name == name)
        });
        if let Some(argument) = argument {
            let value = path_value(argument);
            pieces.push(quote!(&*#value));
        }
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    quote!([#(#pieces),*].concat())
}

/// The text of one path parameter, as it goes into the URL.
fn path_value(argument: &Argument<'_>) -> TokenStream {
    let ident = &argument.ident;
    match path_style(argument) {
        // A `&str` is encoded as it is; anything else by its text.
        None if is_str(&argument.ty) => quote!(support::segment(#ident)),
        None => quote!(support::segment(&#ident.to_string())),
        Some((name, style, explode)) => {
            quote!(support::value(#name, &#ident, #style, #explode, true).map_err(Error::InvalidRequest)?)
        }
    }
}

/// Whether `ty` is `&str` (with any lifetime).
fn is_str(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(reference) if matches!(reference.elem.as_ref(), syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident("str")))
}

/// How a path parameter's text is written: `None` as it is (a scalar in `simple` style), else
/// by `support::value` with its wire name, style and `explode` (the mock writes it the same way).
pub(crate) fn path_style<'a>(argument: &'a Argument<'_>) -> Option<(&'a str, &'static str, bool)> {
    let Source::Parameter(parameter) = &argument.source else { return None };
    let scalar = argument.slot.as_ref().is_some_and(|slot| slot.inner.as_deref().unwrap_or(slot).is_scalar);
    if scalar && parameter.style == ParameterStyle::Simple {
        return None;
    }
    Some((parameter.name.as_str(), parameter.style.as_str(), parameter.explode))
}

/// The statements that put header and cookie parameters into the header map, and how many
/// entries it needs.
fn header_statements(method: &Method<'_>, header_map: &syn::Ident) -> (usize, Vec<TokenStream>) {
    let mut statements = Vec::new();
    let mut cookies = Vec::new();
    for argument in &method.arguments {
        let Source::Parameter(parameter) = &argument.source else { continue };
        let ident = &argument.ident;
        let (name, style, explode) = (&parameter.name, parameter.style.as_str(), parameter.explode);
        let scalar = argument.slot.as_ref().is_some_and(|slot| slot.inner.as_deref().unwrap_or(slot).is_scalar);
        let text = match parameter.location {
            ParameterLocation::Header if scalar && parameter.style == ParameterStyle::Simple => {
                quote!(value.to_string())
            }
            ParameterLocation::Header => {
                quote!(support::value(#name, &value, #style, #explode, false).map_err(Error::InvalidRequest)?)
            }
            ParameterLocation::Cookie => {
                quote!(support::cookie(#name, &value, #style, #explode).map_err(Error::InvalidRequest)?)
            }
            _ => continue,
        };
        let statement = match parameter.location {
            ParameterLocation::Cookie => quote!(cookies.push(#text);),
            _ => quote!(#header_map.append(#name, ::std::convert::TryInto::try_into(#text)?);),
        };
        let statement = if argument.optional {
            quote!(if let Some(value) = #ident { #statement })
        } else {
            quote!({ let value = #ident; #statement })
        };
        match parameter.location {
            ParameterLocation::Cookie => cookies.push(statement),
            _ => statements.push(statement),
        }
    }
    let count = statements.len() + usize::from(!cookies.is_empty());
    if !cookies.is_empty() {
        statements.push(quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#cookies)*
            if !cookies.is_empty() {
                #header_map.append(::reqwest::header::COOKIE, ::std::convert::TryInto::try_into(cookies.join("; "))?);
            }
        });
    }
    (count, statements)
}

/// `Accept` with the JSON media types of the successes (of the errors where no success has a
/// body), as progenitor sends `application/json`; nothing where no answer is JSON.
fn accept_header(method: &Method<'_>) -> TokenStream {
    let json_types = |success: bool| -> Vec<&str> {
        let mut types: Vec<&str> = Vec::new();
        for outcome in method.operation.outcomes.iter().filter(|outcome| outcome.success == success) {
            if let OutcomeBody::Json { media_type, .. } = &outcome.body
                && !types.contains(&media_type.as_str())
            {
                types.push(media_type);
            }
        }
        types
    };
    let successes = json_types(true);
    let all_empty =
        method.operation.outcomes.iter().all(|outcome| !outcome.success || outcome.body == OutcomeBody::Empty);
    let asked = if successes.is_empty() && all_empty { json_types(false) } else { successes };
    if asked.is_empty() {
        return quote!();
    }
    let accept = asked.join(", ");
    quote!(.header(::reqwest::header::ACCEPT, ::reqwest::header::HeaderValue::from_static(#accept)))
}

/// The builder calls that write the body in its media type.
fn body_call(method: &Method<'_>) -> TokenStream {
    let Some(argument) = method.arguments.iter().find(|argument| matches!(argument.source, Source::Body(_))) else {
        return quote!();
    };
    let Source::Body(body) = argument.source else { return quote!() };
    let media_type = &body.media_type;
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match body.encoding {
        BodyEncoding::Json if essence == "application/json" && !media_type.contains(';') => quote!(.json(&body)),
        BodyEncoding::Json => quote! {
            .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static(#media_type))
            .body(::serde_json::to_vec(&body).map_err(|error| Error::InvalidRequest(error.to_string()))?)
        },
        BodyEncoding::Form => {
            let styles = body.form_fields.iter().map(|field| {
                let (name, style, explode) = (&field.name, field.style.as_str(), field.explode);
                quote!((#name, #style, #explode))
            });
            quote!(.form(&support::form(&body, &[#(#styles),*]).map_err(Error::InvalidRequest)?))
        }
        BodyEncoding::Multipart => {
            let files = body.files.iter().map(|file| {
                let (name, content_type, many) = (&file.name, &file.content_type, file.many);
                quote!((#name, #content_type, #many))
            });
            quote!(.multipart(support::multipart(&body, &[#(#files),*]).map_err(Error::InvalidRequest)?))
        }
        BodyEncoding::Raw => {
            // A media type with a wildcard names no type to send; bytes are `application/octet-stream`.
            let sent = if media_type.contains('*') { "application/octet-stream" } else { media_type.as_str() };
            quote! {
                .header(::reqwest::header::CONTENT_TYPE, ::reqwest::header::HeaderValue::from_static(#sent))
                .body(body)
            }
        }
    }
}

/// The builder calls that add the query parameters, each in its style.
fn query_calls(method: &Method<'_>) -> Vec<TokenStream> {
    method
        .arguments
        .iter()
        .filter_map(|argument| {
            let Source::Parameter(parameter) = &argument.source else { return None };
            if parameter.location != ParameterLocation::Query {
                return None;
            }
            let ident = &argument.ident;
            let name = &parameter.name;
            if parameter.style == ParameterStyle::Form && parameter.explode {
                return Some(quote!(.query(&progenitor_client::QueryParam::new(#name, &#ident))));
            }
            let (style, explode) = (parameter.style.as_str(), parameter.explode);
            Some(quote!(.query(&support::query(#name, &#ident, #style, #explode).map_err(Error::InvalidRequest)?)))
        })
        .collect()
}

/// The `match` arms on the answer's status: documented codes, then ranges, then `default` (or
/// anything else, an unexpected answer).
fn arms(method: &Method<'_>, response: &syn::Ident) -> TokenStream {
    let mut arms: Vec<(Status, TokenStream)> = Vec::new();
    for (answer, success) in [(&method.success, true), (&method.error, false)] {
        for case in &answer.cases {
            let value = match (success, &answer.kind, &case.body) {
                // The answer as progenitor reads it, errors of decoding included.
                (true, AnswerKind::One, CaseBody::Json(_)) => quote!(support::decode(#response).await),
                (true, ..) => {
                    let value = case_value(answer, case, response);
                    quote!(Ok(#value))
                }
                (false, ..) => {
                    let value = case_value(answer, case, response);
                    quote!(Err(Error::ErrorResponse(#value)))
                }
            };
            arms.push((case.status, value));
        }
    }
    // No documented success: any 2xx is one, with its bytes (as progenitor reads such an operation).
    if method.success.cases.is_empty() {
        arms.push((Status::Range(2), quote!(Ok(ResponseValue::stream(#response)))));
    }
    arms.sort_by_key(|(status, _)| *status);
    let has_default = arms.iter().any(|(status, _)| *status == Status::Default);
    let mut rendered: Vec<TokenStream> = arms
        .into_iter()
        .map(|(status, value)| {
            let pattern = match status {
                Status::Code(code) => quote!(#code),
                Status::Range(range) => {
                    let (low, high) = (range * 100, range * 100 + 99);
                    quote!(#low..=#high)
                }
                Status::Default => quote!(_),
            };
            quote!(#pattern => #value,)
        })
        .collect();
    if !has_default {
        rendered.push(quote!(_ => Err(Error::UnexpectedResponse(#response)),));
    }
    quote!(#(#rendered)*)
}

/// How one case's body becomes the answer's `ResponseValue`.
fn case_value(answer: &Answer, case: &crate::emit::method::Case, response: &syn::Ident) -> TokenStream {
    let read = match &case.body {
        CaseBody::Empty => quote!(ResponseValue::empty(#response)),
        CaseBody::Raw => quote!(ResponseValue::stream(#response)),
        CaseBody::Json(_) => quote!(support::decode(#response).await?),
    };
    match (&answer.kind, &case.body) {
        (AnswerKind::One, _) => read,
        (AnswerKind::Optional, CaseBody::Json(_)) => quote!(support::wrap(#read, ::std::option::Option::Some)),
        (AnswerKind::Optional, _) => quote!(support::wrap(#read, |()| ::std::option::Option::None)),
        (AnswerKind::Enum { name }, body) => {
            let name = format_ident!("{}", name);
            let variant = &case.variant;
            match body {
                CaseBody::Empty => quote!(support::wrap(#read, |()| types::#name::#variant)),
                _ => quote!(support::wrap(#read, types::#name::#variant)),
            }
        }
    }
}

/// The enum of an operation's outcomes (successes or errors), where it has one.
fn outcome_enum(method: &Method<'_>, answer: &Answer) -> TokenStream {
    let AnswerKind::Enum { name } = &answer.kind else { return quote!() };
    let name = format_ident!("{}", name);
    let success = std::ptr::eq(answer, &method.success);
    let mut raw = false;
    let variants = answer.cases.iter().map(|case| {
        let variant = &case.variant;
        let mut doc = format!("`{}`", case.status);
        if let Some(description) = &case.description {
            doc.push_str(&format!(": {description}"));
        }
        match &case.body {
            CaseBody::Empty => quote!(#[doc = #doc] #variant,),
            CaseBody::Raw => {
                raw = true;
                quote!(#[doc = #doc] #variant(::progenitor_client::ByteStream),)
            }
            CaseBody::Json(ty) => {
                let ty = inside_types(ty);
                quote!(#[doc = #doc] #variant(#ty),)
            }
        }
    });
    let variants: Vec<TokenStream> = variants.collect();
    let doc = format!(
        "What [`Client::{}`](super::Client::{}) answers {}, by the documented status.",
        method.operation.name,
        method.operation.name,
        if success { "with on success" } else { "with on a documented error" }
    );
    if !raw {
        // As JSON, the body of the outcome (`null` for one without a body).
        return quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        };
    }
    // A stream of bytes has no `Debug` of its own: it is shown by its variant's name.
    let shown = answer.cases.iter().map(|case| {
        let variant = &case.variant;
        match &case.body {
            CaseBody::Empty => quote!(Self::#variant => f.write_str(stringify!(#variant)),),
            CaseBody::Raw => quote!(Self::#variant(_) => f.write_str(concat!(stringify!(#variant), "(ByteStream)")),),
            CaseBody::Json(_) => {
                quote!(Self::#variant(value) => f.debug_tuple(stringify!(#variant)).field(value).finish(),)
            }
        }
    });
    quote! {
        #[doc = #doc]
        pub enum #name {
            #(#variants)*
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#shown)*
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// A spec with one string and one integer path parameter, one header parameter and JSON
    /// answers.
    const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}/{count}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: count, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
"##;

    /// The client of [`SPEC`] as `generate --whole` writes it.
    fn client_text() -> String {
        crate::generate_standalone("spec.yaml", SPEC.as_bytes()).expect("generates").lib_rs
    }

    /// The generated client of the SDK of [`SPEC`].
    fn sdk_client_text() -> String {
        let files = crate::generate("spec.yaml", SPEC.as_bytes(), "sdk").expect("generates");
        files.into_iter().find(|file| file.path == "src/generated.rs").expect("the generated client").contents
    }

    /// The text of the item that starts with `head` (`pub async fn get_thing`), up to the next
    /// function.
    fn item<'t>(text: &'t str, head: &str) -> &'t str {
        let start = text.find(head).unwrap_or_else(|| panic!("{head} in {text}"));
        let rest = &text[start..];
        let end = rest[head.len()..].find(" fn ").map_or(rest.len(), |at| at + head.len());
        &rest[..end]
    }

    /// The method `name`.
    fn method<'t>(text: &'t str, name: &str) -> &'t str {
        item(text, &format!("pub async fn {name}"))
    }

    /// The function that builds the request of the method `name`.
    fn request<'t>(text: &'t str, name: &str) -> &'t str {
        item(&text[text.find("mod requests").expect("the requests")..], &format!("pub(crate) fn {name}"))
    }

    /// The function that reads the answer of the method `name`.
    fn answer<'t>(text: &'t str, name: &str) -> &'t str {
        item(&text[text.find("mod answers").expect("the answers")..], &format!("pub(crate) async fn {name}"))
    }

    #[test]
    fn an_sdk_method_builds_its_request_and_reads_its_answer_through_the_two_functions() {
        let text = sdk_client_text();
        let get: String = method(&text, "get_thing").split_whitespace().collect();
        assert!(get.contains("requests::get_thing(self,id,count)?"), "{get}");
        assert!(get.contains("self.pre(&mutrequest,&info).await?"), "{get}");
        assert!(get.contains("answers::get_thing(result?).await"), "{get}");
        assert!(request(&text, "get_thing").contains(".build()"));
        assert!(answer(&text, "get_thing").contains("support::decode(response).await"));
    }

    #[test]
    fn a_whole_crate_method_holds_its_request_and_answer() {
        let text = client_text();
        assert!(!text.contains("mod requests") && !text.contains("mod answers"), "{text}");
        let get: String = method(&text, "get_thing").split_whitespace().collect();
        assert!(get.contains("self.pre(&mutrequest,&info).await?"), "{get}");
        assert!(get.contains(".build().map_err(Error::from)"), "{get}");
        assert!(get.contains("letresponse=result?;matchresponse.status().as_u16()"), "{get}");
    }

    #[test]
    fn a_json_answer_is_decoded_by_the_helper_that_moves_its_headers() {
        let text = client_text();
        assert!(text.contains("pub(crate) async fn decode<"), "the helper is emitted");
        assert!(text.contains("::std::mem::take(response.headers_mut())"), "the headers are moved, not cloned");
        assert!(!text.contains("from_response"), "{text}");
        assert!(method(&text, "get_thing").contains("support::decode(response).await"));
    }

    #[test]
    fn a_str_path_parameter_is_encoded_as_it_is_and_others_by_their_text_into_one_allocation() {
        let text = client_text();
        // The URL is a `format!`, whose arguments prettyplease leaves as tokens: spaces aside.
        let get: String = method(&text, "get_thing").split_whitespace().collect();
        assert!(get.contains("&*support::segment(id)"), "{get}");
        assert!(get.contains("&*support::segment(&count.to_string())"), "{get}");
        assert!(get.contains(".concat()") && !get.contains("format!"), "{get}");
    }

    #[test]
    fn only_an_operation_with_header_parameters_builds_a_header_map() {
        let text = client_text();
        let get = method(&text, "get_thing");
        assert!(!get.contains("HeaderMap") && !get.contains(".headers("), "{get}");
        let list = method(&text, "list_things");
        assert!(list.contains("HeaderMap::with_capacity(1usize)") && list.contains(".headers(header_map)"), "{list}");
    }
}
