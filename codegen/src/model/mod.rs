//! The one model of the spec that everything generated reads.
//!
//! After validation, [`lower`] resolves the spec once into typed operations and schemas: each
//! operation's Rust name (from the document's own naming hints), its HTTP method as an enum,
//! its path template, parameters, request body and response with the *shape* the SDK gives
//! them (one wrapped object, a page, a secret, nothing), whether it only reads, how it pages;
//! each schema's fields with their wire and Rust names, writability, nullability and whether
//! they hold a secret. The SDK surface, the mock, the docs, the change summary and the name
//! checks all read this model; nothing else walks the raw paths.

pub mod lower;
pub mod names;
pub mod operation;
pub mod resolve;
pub mod summary;

pub use crate::read::openapi::is_json;
pub use lower::{Naming, is_secret_name, lower, lower_with};
pub use resolve::Resolver;
pub use summary::summary;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::escape_pointer_token;

use crate::model::names::rust_type_name;
pub use crate::read::openapi::HttpMethod;

/// An operation's method name, set by the overlay for a deliberate exception to the naming rule.
pub const RUST_NAME_EXTENSION: &str = "x-rust-name";

/// On a property: `true` makes it a secret, `false` exempts it from the secret rule.
pub const SECRET_EXTENSION: &str = "x-rust-secret";

/// On an operation: `true` marks it as only reading (retried by default), `false` as changing state.
pub const READ_ONLY_EXTENSION: &str = "x-rust-read-only";

/// The service object an official SDK puts an operation on (`PersonalClient`).
pub const GROUP_EXTENSION: &str = "x-speakeasy-group";

/// The method name an official SDK gives an operation (`List`), or a schema's type name.
pub const NAME_OVERRIDE_EXTENSION: &str = "x-speakeasy-name-override";

/// The names the hand-written `Client` of the SDK defines itself (`sdk/src/client.rs`); an
/// operation with one of these names gets `_operation` appended. A test in `tests/` checks that
/// this list holds every function of the hand-written `impl Client`.
pub const HAND_WRITTEN_CLIENT_METHODS: [&str; 11] = [
    "attempts",
    "base_url",
    "builder",
    "builder_from_lookup",
    "call_operation",
    "call_operation_without_replay",
    "call_with",
    "convert_error",
    "from_env",
    "from_personal_client",
    "generated",
];

/// The names the generated client takes for itself (its constructors, the accessors of
/// `ClientInfo` and the hooks of `ClientHooks`, which an inherent method would shadow).
pub const GENERATED_CLIENT_METHODS: [&str; 9] =
    ["api_version", "baseurl", "client", "exec", "inner", "new", "new_with_client", "post", "pre"];

/// The spec as the SDK sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Api {
    /// Every operation, in the document's path order, then method order.
    pub operations: Vec<Operation>,
    /// Every schema under `components/schemas`, in the document's order.
    pub schemas: Vec<Schema>,
    /// Every property that holds a secret (`Schema.property`, or `<operation> request|response.property`
    /// for inline bodies), in a stable order.
    pub secrets: Vec<SecretField>,
    /// The names typify gives the inline types of the schemas' properties (`ThingOwner` for the
    /// inline object `owner` of `Thing`), which no generated name may take.
    pub inline_type_names: Vec<String>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Its method name on the client (`list`).
    pub name: String,
    /// Its variant of the SDK's `Operation` enum (`List`).
    pub variant: String,
    /// The start of the names of the types generated for it (`List`): its inline bodies are
    /// `<prefix>Body` and `<prefix>Response`, its parameters' inline types `<prefix><Parameter>`,
    /// and its outcomes `<prefix>Success` and `<prefix>Error` where it has several.
    pub type_prefix: String,
    /// The `operationId` as the spec writes it, if any.
    pub id: Option<String>,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, such as `/api/v1/iam/personal_clients/{id}`.
    pub path: String,
    /// The JSON pointer of the operation in the spec.
    pub pointer: String,
    /// The spec's summary.
    pub summary: Option<String>,
    /// The spec's description.
    pub description: Option<String>,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// Path, query, header and cookie parameters, path and operation level merged.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Every documented response, successes first, each by its status.
    pub outcomes: Vec<Outcome>,
    /// The success response the SDK's method is shaped by (the lowest success status).
    pub response: Response,
    /// Whether the operation only reads (so retrying it cannot apply anything twice).
    pub read_only: bool,
    /// How the operation pages, when it does.
    pub paging: Option<Paging>,
    /// The schemas whose Rust types progenitor decides, by slot: each parameter's (by its
    /// argument name), the body's (`body`) and each JSON outcome's (`response`, `response_201`).
    pub slots: Vec<Slot>,
}

/// A schema of an operation whose Rust type progenitor decides, with the name it is known by.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The slot's name: a parameter's argument name, `body`, `response` or `response_<status>`.
    pub name: String,
    /// The schema as the spec writes it (a reference or an inline schema).
    pub schema: openapiv3::ReferenceOr<openapiv3::Schema>,
    /// Whether the schema is inline and becomes a named Rust type (`<prefix><Slot>`).
    pub inline_type: bool,
}

impl Slot {
    /// A slot of `schema`.
    pub fn new(name: &str, schema: openapiv3::ReferenceOr<openapiv3::Schema>) -> Self {
        let inline_type = names::is_named_type(&schema);
        Self { name: name.to_owned(), schema, inline_type }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl ParameterLocation {
    /// The location as OpenAPI's `in` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
        }
    }
}

/// How a parameter's value is written (OpenAPI's `style`, or `content` for a value written as JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterStyle {
    /// `simple`: `a,b,c` (path and header parameters).
    Simple,
    /// `label`: `.a.b.c` (path parameters).
    Label,
    /// `matrix`: `;name=a,b,c` (path parameters).
    Matrix,
    /// `form`: `name=a&name=b`, or `name=a,b` without `explode` (query and cookie parameters).
    Form,
    /// `spaceDelimited`: `name=a%20b` (query arrays).
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b` (query arrays).
    PipeDelimited,
    /// `deepObject`: `name[key]=value` (query objects).
    DeepObject,
    /// Described by `content` with a JSON media type: the value written as JSON text.
    Json,
}

impl ParameterStyle {
    /// The style as OpenAPI writes it (`json` for a value described by `content`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Simple => "simple",
            Self::Label => "label",
            Self::Matrix => "matrix",
            Self::Form => "form",
            Self::SpaceDelimited => "spaceDelimited",
            Self::PipeDelimited => "pipeDelimited",
            Self::DeepObject => "deepObject",
            Self::Json => "json",
        }
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// The name of the generated method's argument, unique among the operation's arguments.
    pub rust_name: String,
    /// Where it travels.
    pub location: ParameterLocation,
    /// How its value is written.
    pub style: ParameterStyle,
    /// Whether arrays and objects are written as one pair per value (OpenAPI's `explode`).
    pub explode: bool,
    /// Whether the spec requires it (a path parameter always is).
    pub required: bool,
    /// The spec's description (the parameter's, or else its schema's).
    pub description: Option<String>,
    /// Its type.
    pub ty: TypeRef,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The schema it names, when it is a reference to one.
    pub schema: Option<String>,
    /// The media type it is sent as, as the spec writes it.
    pub media_type: String,
    /// How it is written.
    pub encoding: BodyEncoding,
    /// The other media types the spec offers for it, which the client does not send.
    pub other_media_types: Vec<String>,
    /// Whether the spec requires it.
    pub required: bool,
    /// For a multipart body, the properties that are files (`format: binary`, or an array of
    /// them), sent as bytes.
    pub files: Vec<FilePart>,
    /// For a form body, the fields whose `encoding` gives a style other than exploded `form`.
    pub form_fields: Vec<FormField>,
    /// What the SDK makes of it.
    pub shape: BodyShape,
}

/// A property of a multipart body that is a file (or an array of files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    /// Its wire name.
    pub name: String,
    /// The `Content-Type` of its part: the first of its `encoding`'s `contentType` that names one
    /// type, else `application/octet-stream` (OpenAPI's default for binary parts).
    pub content_type: String,
    /// Whether it is an array of files, a part each.
    pub many: bool,
}

/// A field of a form body with a style of its own (`encoding`), written as a query parameter of
/// that style would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// Its wire name.
    pub name: String,
    /// Its style.
    pub style: ParameterStyle,
    /// Whether arrays and objects are exploded.
    pub explode: bool,
}

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// As JSON (`application/json`, `application/*+json`).
    Json,
    /// As `application/x-www-form-urlencoded` pairs.
    Form,
    /// As `multipart/form-data` parts, one per property.
    Multipart,
    /// As bytes the caller gives, with the media type as its `Content-Type`.
    Raw,
}

/// How the SDK's method takes a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyShape {
    /// An object without properties: the method takes nothing and sends `{}`.
    Empty,
    /// One object and an update mask: the method takes an update builder of the object.
    Update {
        /// The object's property (wire name) and schema.
        object_field: String,
        /// The schema of the object.
        object: String,
        /// The mask's property (wire name).
        mask_field: String,
    },
    /// The method takes the request type itself.
    Whole,
}

/// The status a response is documented for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// A range, `2XX` being `Range(2)`.
    Range(u16),
    /// `default`: every status the others do not name.
    Default,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Code(code) => write!(f, "{code}"),
            Self::Range(range) => write!(f, "{range}XX"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// One documented response of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Its status.
    pub status: Status,
    /// Whether it is a success (1xx, 2xx and 3xx, and `default` when nothing else is one).
    pub success: bool,
    /// What its body is.
    pub body: OutcomeBody,
    /// The spec's description.
    pub description: Option<String>,
}

/// The body of a documented response.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutcomeBody {
    /// No content.
    Empty,
    /// JSON, of the schema it names (when a reference), in the slot that types it.
    Json {
        /// The media type (`application/json`, or another JSON one such as
        /// `application/problem+json`), as the spec writes it.
        media_type: String,
        /// The schema it names, when it is a reference to one.
        schema: Option<String>,
        /// The name of the slot its Rust type is read from (see [`Operation::slots`]).
        slot: String,
    },
    /// Bytes of another media type.
    Raw {
        /// The media type, as the spec writes it.
        media_type: String,
    },
}

/// The success response of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The documented success status.
    pub status: u16,
    /// The schema it names, when it is a reference to one.
    pub schema: Option<String>,
    /// What the SDK's method returns.
    pub shape: ResponseShape,
}

/// What the SDK's method returns, by rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseShape {
    /// No JSON body: nothing.
    Nothing,
    /// An object without properties: nothing.
    Empty,
    /// One property that is an object, or a secret string: that value.
    Single {
        /// The property (wire name).
        field: String,
    },
    /// A list and the next page's token: a page of the list's items.
    Page {
        /// The list's property (wire name).
        items_field: String,
        /// The token's property (wire name).
        token_field: String,
    },
    /// One object and secret strings: a struct of the object and the secrets.
    WithSecrets {
        /// The object's property (wire name).
        object_field: String,
        /// The object's schema.
        object: String,
        /// The secrets' properties (wire names), in the spec's order.
        secret_fields: Vec<String>,
        /// The name of the struct the method returns, such as `PersonalClientWithClientSecret`.
        type_name: String,
    },
    /// Bytes of a media type that is not JSON: a stream of them.
    Raw,
    /// Anything else: the response type itself.
    Whole,
}

/// How a paged operation is asked for the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// The page token is a property of the request body (wire name).
    BodyField(String),
    /// The page token is a query parameter (wire name).
    QueryParameter(String),
}

/// One schema under `components/schemas`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The schema's name in the spec.
    pub name: String,
    /// The generated Rust type's name.
    pub rust_name: String,
    /// The JSON pointer of the schema.
    pub pointer: String,
    /// The spec's description.
    pub description: Option<String>,
    /// What the schema is.
    pub kind: SchemaShape,
    /// The properties of an object, in the spec's order.
    pub fields: Vec<Field>,
}

/// What a schema is, as far as the SDK cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaShape {
    /// An object (with or without properties).
    Object,
    /// Another name for the schema it refers to.
    Alias(String),
    /// A string with a fixed set of values.
    StringEnum(Vec<String>),
    /// Anything else (a scalar, a list, a union).
    Other,
}

/// One property of an object schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name on the wire.
    pub wire_name: String,
    /// The generated Rust field's name.
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether the spec lists it as required.
    pub required: bool,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Whether the server alone writes it.
    pub read_only: bool,
    /// Whether it holds a secret (a `SecretString` in Rust).
    pub secret: bool,
    /// The spec's description.
    pub description: Option<String>,
}

/// A property that holds a secret, for the list of secrets the tests keep.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretField {
    /// Where: a schema's name, or `<operation> request` / `<operation> response` for an inline body.
    pub owner: String,
    /// The property's wire name, with `.` between the levels of inline objects.
    pub field: String,
    /// Why it is a secret: `format: password`, its name, or the overlay's `x-rust-secret`.
    pub reason: &'static str,
}

/// A type as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A schema of `components/schemas`, by name.
    Named(String),
    /// A string, with its format.
    String(Option<String>),
    /// An integer, with its format.
    Integer(Option<String>),
    /// A number, with its format.
    Number(Option<String>),
    /// A boolean.
    Boolean,
    /// A list.
    Array(Box<TypeRef>),
    /// An inline object.
    Object,
    /// Anything else (a union, any value).
    Any,
}

impl TypeRef {
    /// The type as the change summary shows it: `string (date-time)`, `array of PersonalClient`.
    pub fn describe(&self) -> String {
        let with_format = |kind: &str, format: &Option<String>| match format {
            Some(format) => format!("{kind} ({format})"),
            None => kind.to_owned(),
        };
        match self {
            Self::Named(name) => name.clone(),
            Self::String(format) => with_format("string", format),
            Self::Integer(format) => with_format("integer", format),
            Self::Number(format) => with_format("number", format),
            Self::Boolean => "boolean".to_owned(),
            Self::Array(items) => format!("array of {}", items.describe()),
            Self::Object => "object".to_owned(),
            Self::Any => "any".to_owned(),
        }
    }

    fn is_string(&self) -> bool {
        matches!(self, Self::String(_))
    }
}

impl Api {
    /// The schema named `name`.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|schema| schema.name == name)
    }

    /// The Rust type name of the schema `name` (unique among the schemas' names).
    pub fn rust_name(&self, name: &str) -> String {
        self.schema(name).map_or_else(|| rust_type_name(name), |schema| schema.rust_name.clone())
    }

    /// The operation whose method name is `name`.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|operation| operation.name == name)
    }

    /// The update builders the SDK has: one per object that an update operation changes, by
    /// the object's schema name, with the builder's type name.
    pub fn update_builders(&self) -> BTreeMap<String, String> {
        self.operations
            .iter()
            .filter_map(|operation| match &operation.body.as_ref()?.shape {
                BodyShape::Update { object, .. } => Some((object.clone(), format!("{}Update", self.rust_name(object)))),
                _ => None,
            })
            .collect()
    }
}

impl Operation {
    /// The distinct bodies of its successes (or of its errors), in status order.
    pub fn bodies(&self, success: bool) -> Vec<&OutcomeBody> {
        let mut bodies: Vec<&OutcomeBody> = Vec::new();
        for outcome in self.outcomes.iter().filter(|outcome| outcome.success == success) {
            if !bodies.contains(&&outcome.body) {
                bodies.push(&outcome.body);
            }
        }
        bodies
    }

    /// Whether its successes need an enum of their own (`<prefix>Success`): they have bodies of
    /// more than one kind, other than one JSON body and no body (which is an `Option`).
    pub fn has_success_enum(&self) -> bool {
        let bodies = self.bodies(true);
        bodies.len() > 1 && !is_optional_body(&bodies)
    }

    /// Whether its errors need an enum of their own (`<prefix>Error`): they have bodies of more
    /// than one kind.
    pub fn has_error_enum(&self) -> bool {
        self.bodies(false).len() > 1
    }

    /// The endings of the names of the types generated for it, after its type prefix: those of its
    /// slots whose schema is an inline type (`Body`, `Response201`), and of its outcome enums.
    pub fn generated_type_suffixes(&self) -> Vec<String> {
        let mut suffixes: Vec<String> = self
            .slots
            .iter()
            .filter(|slot| slot.inline_type)
            .map(|slot| heck::ToPascalCase::to_pascal_case(slot.name.as_str()))
            .collect();
        if self.has_success_enum() {
            suffixes.push("Success".to_owned());
        }
        if self.has_error_enum() {
            suffixes.push("Error".to_owned());
        }
        suffixes
    }

    /// The JSON pointers of the secrets in the success response's body (`*` for every item of a
    /// list), for callers that handle the body as JSON.
    pub fn response_secret_pointers(&self, api: &Api) -> Vec<String> {
        let mut found = Vec::new();
        if let Some(schema) = &self.response.schema {
            secret_pointers(api, schema, String::new(), &mut BTreeSet::new(), &mut found);
        }
        found
    }
}

/// Whether a set of bodies is one JSON body and no body: an optional value.
pub fn is_optional_body(bodies: &[&OutcomeBody]) -> bool {
    matches!(bodies, [OutcomeBody::Json { .. }, OutcomeBody::Empty] | [OutcomeBody::Empty, OutcomeBody::Json { .. }])
}

fn secret_pointers(api: &Api, schema: &str, prefix: String, visiting: &mut BTreeSet<String>, out: &mut Vec<String>) {
    let Some(schema) = api.schema(schema) else { return };
    if !visiting.insert(schema.name.clone()) {
        return;
    }
    if let SchemaShape::Alias(target) = &schema.kind {
        secret_pointers(api, target, prefix.clone(), visiting, out);
    }
    for field in &schema.fields {
        let pointer = format!("{prefix}/{}", escape_pointer_token(&field.wire_name));
        if field.secret {
            out.push(pointer.clone());
        }
        let mut ty = &field.ty;
        let mut pointer = pointer;
        while let TypeRef::Array(items) = ty {
            pointer.push_str("/*");
            ty = items;
        }
        if let TypeRef::Named(name) = ty {
            secret_pointers(api, name, pointer, visiting, out);
        }
    }
    visiting.remove(&schema.name);
}
