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
pub mod resolve;

pub use lower::{Naming, is_json, is_secret_name, lower, lower_with};
pub use resolve::Resolver;

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
    "call_operation_streaming",
    "call_with",
    "convert_error",
    "from_env",
    "from_personal_client",
    "generated",
];

/// The names progenitor's generated client takes for itself (its constructors, the accessors of
/// `ClientInfo` and the hooks of `ClientHooks`, which an inherent method would shadow).
pub const GENERATED_CLIENT_METHODS: [&str; 9] =
    ["api_version", "baseurl", "client", "exec", "inner", "new", "new_with_client", "post", "pre"];

/// The spec as the SDK sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    /// Every operation, in the document's path order, then method order.
    pub operations: Vec<Operation>,
    /// Every schema under `components/schemas`, in the document's order.
    pub schemas: Vec<Schema>,
    /// Every property that holds a secret (`Schema.property`, or `<operation> request|response.property`
    /// for inline bodies), in a stable order.
    pub secrets: Vec<SecretField>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Its method name on the SDK's `Client` (`list`).
    pub name: String,
    /// Its variant of the SDK's `Operation` enum (`List`).
    pub variant: String,
    /// The name progenitor is given for it, and so its generated method's name: the same as
    /// `name` unless that is taken by progenitor's own client.
    pub generated_name: String,
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
    /// Path, query and header parameters, path and operation level merged.
    pub parameters: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The success response.
    pub response: Response,
    /// Whether the operation only reads (so retrying it cannot apply anything twice).
    pub read_only: bool,
    /// How the operation pages, when it does.
    pub paging: Option<Paging>,
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

impl ParameterLocation {
    /// The location as OpenAPI's `in` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
        }
    }
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// The name of the generated method's argument.
    pub rust_name: String,
    /// Where it travels.
    pub location: ParameterLocation,
    /// Whether the spec requires it.
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
    /// The media type.
    pub media_type: String,
    /// What the SDK makes of it.
    pub shape: BodyShape,
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
                BodyShape::Update { object, .. } => Some((object.clone(), format!("{}Update", rust_type_name(object)))),
                _ => None,
            })
            .collect()
    }
}

impl Operation {
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
