//! One resolved method per operation (as progenitor's `OperationMethod`): the arguments the
//! generated client's method takes and what it answers on success and on error, with the Rust
//! types progenitor decided for them. The client's method, the SDK's surface, the mock and the
//! docs are each rendered from it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{
    Api, Body, BodyEncoding, Operation, OutcomeBody, Parameter, ParameterLocation, Status, is_optional_body,
};
use crate::progenitor::run::{Flavor, SlotType, SlotTypes};

/// An operation's method on the generated client.
pub struct Method<'a> {
    /// The operation.
    pub operation: &'a Operation,
    /// Its arguments, in order: path parameters (in the path's order), query, header and cookie
    /// parameters (each by wire name), the body.
    pub arguments: Vec<Argument<'a>>,
    /// What a success answers with: the `T` of `ResponseValue<T>`.
    pub success: Answer,
    /// What a documented error answers with: the `E` of `Error<E>`.
    pub error: Answer,
    /// What the code is for.
    pub flavor: Flavor,
}

/// One argument of a generated method.
pub struct Argument<'a> {
    /// Its name.
    pub ident: syn::Ident,
    /// What it is.
    pub source: Source<'a>,
    /// The type the method takes it as (`&'a str`, `Option<i64>`, `&'a types::Thing`, or `B`
    /// for bytes of any `Into<reqwest::Body>`).
    pub ty: syn::Type,
    /// Its slot's type, for a parameter or a body the client writes (none for raw bytes).
    pub slot: Option<SlotType>,
    /// Whether the caller may leave it out (`None`).
    pub optional: bool,
}

/// What an argument stands for.
pub enum Source<'a> {
    /// A parameter.
    Parameter(&'a Parameter),
    /// The request body.
    Body(&'a Body),
}

/// What one side of an operation (its successes, or its errors) answers with.
pub struct Answer {
    /// The type, as code beside the `types` module writes it.
    pub ty: syn::Type,
    /// How the documented statuses make it.
    pub kind: AnswerKind,
    /// Per documented status of this side, how its body becomes the type.
    pub cases: Vec<Case>,
}

/// How an [`Answer`]'s type is made from the statuses' bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerKind {
    /// One body for every status (or none).
    One,
    /// One JSON body, and statuses without a body: `Option<T>`.
    Optional,
    /// An enum of the statuses, generated beside the models.
    Enum {
        /// The enum's name.
        name: String,
    },
}

/// One documented status and what its body becomes.
pub struct Case {
    /// The status.
    pub status: Status,
    /// Its body.
    pub body: CaseBody,
    /// The enum variant it is, for an [`AnswerKind::Enum`].
    pub variant: Option<syn::Ident>,
    /// The spec's description of it.
    pub description: Option<String>,
}

/// A case's body, typed.
pub enum CaseBody {
    /// No body.
    Empty,
    /// JSON of this type.
    Json(Box<syn::Type>),
    /// Bytes, as a stream.
    Raw,
}

impl Method<'_> {
    /// Whether any argument is raw bytes (the method is generic over `B: Into<reqwest::Body>`).
    pub fn takes_bytes(&self) -> bool {
        self.arguments
            .iter()
            .any(|argument| matches!(argument.source, Source::Body(body) if body.encoding == BodyEncoding::Raw))
    }

    /// The method's name.
    pub fn ident(&self) -> syn::Ident {
        ident(&self.operation.name)
    }
}

/// An identifier for `name`, raw where `name` is a keyword that can be one.
pub fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name).unwrap_or_else(|_| format_ident!("r#{}", name))
}

/// Resolves every operation of `api` against the slot types progenitor decided.
pub fn resolve<'a>(api: &'a Api, slots: &SlotTypes, flavor: Flavor) -> anyhow::Result<Vec<Method<'a>>> {
    api.operations.iter().map(|operation| resolve_one(operation, slots, flavor)).collect()
}

fn resolve_one<'a>(operation: &'a Operation, slots: &SlotTypes, flavor: Flavor) -> anyhow::Result<Method<'a>> {
    let slot = |name: &str| {
        slots.get(&operation.type_prefix, name).cloned().ok_or_else(|| {
            anyhow::anyhow!("{} {}: progenitor gave no type for {name}", operation.method.as_str(), operation.path)
        })
    };
    let mut arguments = Vec::new();
    let mut parameters: Vec<&Parameter> = operation.parameters.iter().collect();
    parameters.sort_by(|left, right| match (left.location, right.location) {
        (ParameterLocation::Path, ParameterLocation::Path) => std::cmp::Ordering::Equal,
        (left_location, right_location) if left_location == right_location => left.name.cmp(&right.name),
        (left_location, right_location) => left_location.cmp(&right_location),
    });
    for parameter in parameters {
        let slot = slot(&parameter.rust_name)?;
        let optional = !parameter.required || (slot.inner.is_some() && parameter.location != ParameterLocation::Path);
        let taken = slot.inner.as_deref().unwrap_or(&slot).parameter.clone();
        let ty = if optional { syn::parse_quote!(Option<#taken>) } else { taken };
        arguments.push(Argument {
            ident: ident(&parameter.rust_name),
            source: Source::Parameter(parameter),
            ty,
            slot: Some(slot),
            optional,
        });
    }
    if let Some(body) = &operation.body {
        let (ty, slot) = match body.encoding {
            BodyEncoding::Raw => (syn::parse_quote!(B), None),
            _ => {
                let slot = slot("body")?;
                let owned = &slot.owned;
                (syn::parse_quote!(&'a #owned), Some(slot))
            }
        };
        arguments.push(Argument {
            ident: format_ident!("body"),
            source: Source::Body(body),
            ty,
            slot,
            optional: false,
        });
    }
    let success = answer(operation, slots, true, flavor)?;
    let error = answer(operation, slots, false, flavor)?;
    Ok(Method { operation, arguments, success, error, flavor })
}

/// What the successes (or the errors) of an operation answer with. The SDK reads error bodies
/// itself, so for it errors answer with nothing typed.
fn answer(operation: &Operation, slots: &SlotTypes, success: bool, flavor: Flavor) -> anyhow::Result<Answer> {
    let unit: syn::Type = syn::parse_quote!(());
    if !success && flavor == Flavor::Sdk {
        return Ok(Answer { ty: unit, kind: AnswerKind::One, cases: Vec::new() });
    }
    let bodies = operation.bodies(success);
    let kind = if bodies.len() <= 1 {
        AnswerKind::One
    } else if is_optional_body(&bodies) {
        AnswerKind::Optional
    } else {
        AnswerKind::Enum { name: format!("{}{}", operation.type_prefix, if success { "Success" } else { "Error" }) }
    };
    let mut cases = Vec::new();
    for outcome in operation.outcomes.iter().filter(|outcome| outcome.success == success) {
        let body = match &outcome.body {
            OutcomeBody::Empty => CaseBody::Empty,
            OutcomeBody::Raw { .. } => CaseBody::Raw,
            OutcomeBody::Json { slot, .. } => CaseBody::Json(
                slots
                    .get(&operation.type_prefix, slot)
                    .map(|slot| Box::new(slot.owned.clone()))
                    .ok_or_else(|| anyhow::anyhow!("progenitor gave no type for {slot} of {}", operation.name))?,
            ),
        };
        let variant = matches!(kind, AnswerKind::Enum { .. }).then(|| variant_name(outcome.status));
        cases.push(Case { status: outcome.status, body, variant, description: outcome.description.clone() });
    }
    let ty = match (&kind, cases.first().map(|case| &case.body)) {
        (AnswerKind::Enum { name }, _) => {
            let name = format_ident!("{}", name);
            syn::parse_quote!(types::#name)
        }
        (AnswerKind::Optional, _) => {
            let inner = cases.iter().find_map(|case| match &case.body {
                CaseBody::Json(ty) => Some((**ty).clone()),
                _ => None,
            });
            let inner = inner.unwrap_or_else(|| unit.clone());
            // A JSON body that may be `null` is already optional.
            if is_option(&inner) { inner } else { syn::parse_quote!(::std::option::Option<#inner>) }
        }
        (AnswerKind::One, Some(CaseBody::Json(ty))) => (**ty).clone(),
        (AnswerKind::One, Some(CaseBody::Raw)) => syn::parse_quote!(ByteStream),
        // No documented success: progenitor's reading, any 2xx with its bytes.
        (AnswerKind::One, None) if success => syn::parse_quote!(ByteStream),
        (AnswerKind::One, _) => unit,
    };
    Ok(Answer { ty, kind, cases })
}

/// Whether a type is `Option<T>`.
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

/// The enum variant of a status: its reason phrase in Pascal case (`201` → `Created`), else
/// `Status<code>`; a range is `Status2xx`, `default` is `Default`.
pub fn variant_name(status: Status) -> syn::Ident {
    match status {
        Status::Code(code) => match reason_phrase(code) {
            Some(phrase) => format_ident!("{}", heck::ToPascalCase::to_pascal_case(phrase)),
            None => format_ident!("Status{}", code),
        },
        Status::Range(range) => format_ident!("Status{}xx", range),
        Status::Default => format_ident!("Default"),
    }
}

/// The reason phrases of the statuses HTTP defines (RFC 9110 and the IANA registry).
fn reason_phrase(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

/// A type written for use inside the `types` module (`types::Thing` → `Thing`).
pub fn inside_types(ty: &syn::Type) -> TokenStream {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none() && path.segments.len() > 1 && path.segments[0].ident == "types" {
                path.segments = path.segments.iter().skip(1).cloned().collect();
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Strip, &mut ty);
    quote!(#ty)
}
