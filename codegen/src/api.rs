//! The one model of the spec that everything generated reads.
//!
//! After validation, [`lower`] resolves the spec once into typed operations and schemas: each
//! operation's Rust name (from the document's own naming hints), its HTTP method as an enum,
//! its path template, parameters, request body and response with the *shape* the SDK gives
//! them (one wrapped object, a page, a secret, nothing), whether it only reads, how it pages;
//! each schema's fields with their wire and Rust names, writability, nullability and whether
//! they hold a secret. The SDK surface, the mock, the docs, the change summary and the name
//! checks all read this model; nothing else walks the raw paths.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Diagnostics, escape_pointer_token};
use crate::load::Document;
use crate::models::{rust_snake_name, rust_type_name};

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

/// Resolves the references of one validated spec; every lookup goes through here.
pub struct Resolver<'a> {
    spec: &'a OpenAPI,
    aliases: std::cell::RefCell<HashMap<String, Option<String>>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `spec`.
    pub fn new(spec: &'a OpenAPI) -> Self {
        Self { spec, aliases: std::cell::RefCell::default() }
    }

    /// The name of the component schema a `#/components/schemas/...` reference names.
    pub fn schema_name(reference: &str) -> Option<&str> {
        reference.strip_prefix("#/components/schemas/")
    }

    /// The schema a reference names after following aliases (`A: {$ref: B}`), with its name;
    /// memoised, so that a chain of any length is followed once.
    pub fn named_schema(&self, name: &str) -> Option<(String, &'a openapiv3::Schema)> {
        let schemas = &self.spec.components.as_ref()?.schemas;
        let target = self.alias_target(name)?;
        match schemas.get(&target)? {
            ReferenceOr::Item(schema) => Some((target, schema)),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The last name of an alias chain starting at `name` (`name` itself when it is no alias).
    fn alias_target(&self, name: &str) -> Option<String> {
        if let Some(known) = self.aliases.borrow().get(name) {
            return known.clone();
        }
        let schemas = &self.spec.components.as_ref()?.schemas;
        let mut chain = vec![name.to_owned()];
        let mut seen = BTreeSet::from([name.to_owned()]);
        let target = loop {
            let current = chain.last().cloned().unwrap_or_default();
            if let Some(known) = self.aliases.borrow().get(&current) {
                break known.clone();
            }
            match schemas.get(&current) {
                Some(ReferenceOr::Item(_)) => break Some(current),
                Some(ReferenceOr::Reference { reference }) => match Self::schema_name(reference) {
                    Some(next) if seen.insert(next.to_owned()) => chain.push(next.to_owned()),
                    _ => break None,
                },
                None => break None,
            }
        };
        let mut aliases = self.aliases.borrow_mut();
        for link in chain {
            aliases.insert(link, target.clone());
        }
        target
    }

    /// A schema or a reference to one, resolved: the schema and, for a reference, the name of
    /// the schema it ends at.
    pub fn schema<'s>(
        &self,
        schema: &'s ReferenceOr<openapiv3::Schema>,
    ) -> Option<(Option<String>, &'s openapiv3::Schema)>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some((None, schema)),
            ReferenceOr::Reference { reference } => {
                let (name, schema) = self.named_schema(Self::schema_name(reference)?)?;
                Some((Some(name), schema))
            }
        }
    }

    /// A boxed schema (a property, a list's items) or a reference to one, resolved.
    pub fn boxed_schema<'s>(
        &self,
        schema: &'s ReferenceOr<Box<openapiv3::Schema>>,
    ) -> Option<(Option<String>, &'s openapiv3::Schema)>
    where
        'a: 's,
    {
        match schema {
            ReferenceOr::Item(schema) => Some((None, schema)),
            ReferenceOr::Reference { reference } => {
                let (name, schema) = self.named_schema(Self::schema_name(reference)?)?;
                Some((Some(name), schema))
            }
        }
    }

    /// A parameter or a reference to `components/parameters`, resolved (any number of hops).
    pub fn parameter<'s>(&self, parameter: &'s ReferenceOr<openapiv3::Parameter>) -> Option<&'s openapiv3::Parameter>
    where
        'a: 's,
    {
        let components = self.spec.components.as_ref();
        let mut current = parameter;
        for _ in 0..=components.map_or(0, |components| components.parameters.len()) {
            match current {
                ReferenceOr::Item(parameter) => return Some(parameter),
                ReferenceOr::Reference { reference } => {
                    current = components?.parameters.get(reference.strip_prefix("#/components/parameters/")?)?;
                }
            }
        }
        None
    }

    /// A request body or a reference to `components/requestBodies`, resolved.
    pub fn request_body<'s>(&self, body: &'s ReferenceOr<openapiv3::RequestBody>) -> Option<&'s openapiv3::RequestBody>
    where
        'a: 's,
    {
        let components = self.spec.components.as_ref();
        let mut current = body;
        for _ in 0..=components.map_or(0, |components| components.request_bodies.len()) {
            match current {
                ReferenceOr::Item(body) => return Some(body),
                ReferenceOr::Reference { reference } => {
                    current = components?.request_bodies.get(reference.strip_prefix("#/components/requestBodies/")?)?;
                }
            }
        }
        None
    }

    /// A response or a reference to `components/responses`, resolved.
    pub fn response<'s>(&self, response: &'s ReferenceOr<openapiv3::Response>) -> Option<&'s openapiv3::Response>
    where
        'a: 's,
    {
        let components = self.spec.components.as_ref();
        let mut current = response;
        for _ in 0..=components.map_or(0, |components| components.responses.len()) {
            match current {
                ReferenceOr::Item(response) => return Some(response),
                ReferenceOr::Reference { reference } => {
                    current = components?.responses.get(reference.strip_prefix("#/components/responses/")?)?;
                }
            }
        }
        None
    }

    /// The model's view of a schema's type.
    pub fn type_of(&self, schema: &openapiv3::Schema) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => TypeRef::String(format_text(&string.format)),
            SchemaKind::Type(Type::Integer(integer)) => TypeRef::Integer(format_text(&integer.format)),
            SchemaKind::Type(Type::Number(number)) => TypeRef::Number(format_text(&number.format)),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Array(array)) => {
                TypeRef::Array(Box::new(array.items.as_ref().map_or(TypeRef::Any, |items| self.boxed_type_of(items))))
            }
            SchemaKind::Type(Type::Object(_)) => TypeRef::Object,
            SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                [ReferenceOr::Reference { reference }] => {
                    Resolver::schema_name(reference).map_or(TypeRef::Any, |name| TypeRef::Named(name.to_owned()))
                }
                _ => TypeRef::Any,
            },
            _ => TypeRef::Any,
        }
    }

    /// The model's view of a property's or item's type.
    pub fn boxed_type_of(&self, schema: &ReferenceOr<Box<openapiv3::Schema>>) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => {
                Resolver::schema_name(reference).map_or(TypeRef::Any, |name| TypeRef::Named(name.to_owned()))
            }
            ReferenceOr::Item(schema) => self.type_of(schema),
        }
    }

    /// Whether a type is, after aliases, an object schema of `components/schemas`.
    fn is_named_object(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else { return None };
        let (target, schema) = self.named_schema(name)?;
        matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_))).then_some(target)
    }
}

/// A format as the document writes it.
fn format_text<T: serde::Serialize>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            serde_json::to_value(item).ok().and_then(|value| value.as_str().map(str::to_owned))
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// The words a secret's name ends in.
const SECRET_WORDS: [&str; 6] = ["secret", "password", "passphrase", "passwd", "credential", "credentials"];

/// The words before `token` that make it no secret: paging and sync cursors.
const NOT_SECRET_TOKENS: [&str; 6] = ["page", "continuation", "cursor", "sync", "resume", "next"];

/// Whether a property's name says that it holds a secret: it ends in `secret`, `password`,
/// `passphrase`, `credential(s)`, `private key` or `api key`, or in `token` unless the token is
/// a cursor (`pageToken`, `nextPageToken`, `syncToken`, ...). Words are split at case changes,
/// `_`, `-` and `.`, so `clientSecret`, `client_secret` and `CLIENT-SECRET` read alike.
pub fn is_secret_name(name: &str) -> bool {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    let words: Vec<&str> = snake.split('_').filter(|word| !word.is_empty()).collect();
    let Some(last) = words.last().copied() else { return false };
    let before = words.len().checked_sub(2).and_then(|index| words.get(index)).copied();
    if SECRET_WORDS.contains(&last) || matches!(last, "privatekey" | "apikey") {
        return true;
    }
    if last == "key" {
        return matches!(before, Some("private" | "api" | "secret" | "signing"));
    }
    if last == "token" {
        return !before.is_some_and(|word| NOT_SECRET_TOKENS.contains(&word));
    }
    false
}

/// Whether a string property is a secret, and why: the overlay's `x-rust-secret` decides where
/// it is set; else `format: password`, else the name.
fn secret_reason(wire_name: &str, data: Option<&openapiv3::SchemaData>, ty: &TypeRef) -> Option<&'static str> {
    if let Some(Value::Bool(flag)) = data.and_then(|data| data.extensions.get(SECRET_EXTENSION)) {
        return flag.then_some("x-rust-secret");
    }
    if !ty.is_string() {
        return None;
    }
    if matches!(ty, TypeRef::String(Some(format)) if format == "password") {
        return Some("format: password");
    }
    is_secret_name(wire_name).then_some("its name")
}

/// How operations are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// As the official SDKs name them: the overlay's `x-rust-name`, else
    /// `x-speakeasy-name-override`, else the last dotted part of the `operationId` (the SDK).
    Hints,
    /// As progenitor names them: the whole `operationId` in snake case (a whole document, where
    /// the hints repeat across services).
    OperationIds,
}

/// Lowers a validated spec into the model, naming operations from the document's hints.
/// `document` is the loaded (normalised) document the spec was converted from, for locating
/// problems.
pub fn lower(document: &Document, spec: &OpenAPI) -> Result<Api, Diagnostics> {
    lower_with(document, spec, Naming::Hints)
}

/// Lowers a validated spec into the model, naming operations as `naming` says.
pub fn lower_with(document: &Document, spec: &OpenAPI, naming: Naming) -> Result<Api, Diagnostics> {
    let resolver = Resolver::new(spec);
    let mut problems = Vec::new();
    let mut secrets = Vec::new();

    let mut schemas = Vec::new();
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            let pointer = format!("/components/schemas/{}", escape_pointer_token(name));
            check_extensions_on_schema(document, &pointer, schema, &mut problems);
            schemas.push(lower_schema(&resolver, name, &pointer, schema, &mut secrets));
        }
    }

    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        let item_pointer = format!("/paths/{}", escape_pointer_token(path));
        for (key, operation) in item.iter() {
            let Some(method) = HttpMethod::from_key(key) else { continue };
            let pointer = format!("{item_pointer}/{key}");
            match lower_operation(&resolver, document, naming, path, item, method, operation, &pointer, &mut secrets) {
                Ok(lowered) => operations.push(lowered),
                Err(problem) => problems.push(*problem),
            }
        }
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let mut api = Api { operations, schemas, secrets };
    assign_unique_names(document, &mut api, &mut problems);
    check_inline_type_names(document, spec, &api, &mut problems);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    for operation in &mut api.operations {
        operation.response.shape = response_shape(&resolver, &api.schemas, operation);
        if let ResponseShape::WithSecrets { type_name, .. } = &operation.response.shape
            && api.schemas.iter().any(|schema| schema.rust_name == *type_name)
        {
            // A schema already has the name; the method returns the response type itself.
            operation.response.shape = ResponseShape::Whole;
        }
    }
    api.secrets.sort();
    api.secrets.dedup();
    Ok(api)
}

/// `x-rust-secret` must be a boolean where it is set.
fn check_extensions_on_schema(
    document: &Document,
    pointer: &str,
    schema: &ReferenceOr<openapiv3::Schema>,
    problems: &mut Vec<Diagnostic>,
) {
    let ReferenceOr::Item(schema) = schema else { return };
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return };
    for (name, property) in &object.properties {
        let ReferenceOr::Item(property) = property else { continue };
        if let Some(value) = property.schema_data.extensions.get(SECRET_EXTENSION)
            && !value.is_boolean()
        {
            problems.push(Diagnostic::at(
                document,
                &format!("{pointer}/properties/{}/{SECRET_EXTENSION}", escape_pointer_token(name)),
                format!("`{SECRET_EXTENSION}` is {value}, not true or false"),
                format!("set `{SECRET_EXTENSION}: false` to exempt the property from the secret rule, or `true` to make it one"),
            ));
        }
    }
}

fn lower_schema(
    resolver: &Resolver<'_>,
    name: &str,
    pointer: &str,
    schema: &ReferenceOr<openapiv3::Schema>,
    secrets: &mut Vec<SecretField>,
) -> Schema {
    let rust_name = rust_type_name(name);
    let schema = match schema {
        ReferenceOr::Reference { reference } => {
            let target = Resolver::schema_name(reference).unwrap_or(reference).to_owned();
            return Schema {
                name: name.to_owned(),
                rust_name,
                pointer: pointer.to_owned(),
                description: None,
                kind: SchemaShape::Alias(target),
                fields: Vec::new(),
            };
        }
        ReferenceOr::Item(schema) => schema,
    };
    let (kind, fields) = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            let fields = object_fields(resolver, object, name, "", secrets);
            (SchemaShape::Object, fields)
        }
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            (SchemaShape::StringEnum(string.enumeration.iter().flatten().cloned().collect()), Vec::new())
        }
        _ => (SchemaShape::Other, Vec::new()),
    };
    Schema {
        name: name.to_owned(),
        rust_name,
        pointer: pointer.to_owned(),
        description: schema.schema_data.description.clone(),
        kind,
        fields,
    }
}

/// The fields of an object; secrets (also those of inline objects inside) are recorded under `owner`.
fn object_fields(
    resolver: &Resolver<'_>,
    object: &openapiv3::ObjectType,
    owner: &str,
    prefix: &str,
    secrets: &mut Vec<SecretField>,
) -> Vec<Field> {
    object
        .properties
        .iter()
        .map(|(wire_name, property)| {
            let (data, ty) = match property {
                ReferenceOr::Reference { .. } => (None, resolver.boxed_type_of(property)),
                ReferenceOr::Item(schema) => (Some(&schema.schema_data), resolver.type_of(schema)),
            };
            let reason = secret_reason(wire_name, data, &ty);
            if let Some(reason) = reason {
                secrets.push(SecretField { owner: owner.to_owned(), field: format!("{prefix}{wire_name}"), reason });
            }
            if let ReferenceOr::Item(schema) = property {
                nested_secrets(resolver, schema, owner, &format!("{prefix}{wire_name}."), secrets);
            }
            Field {
                wire_name: wire_name.clone(),
                rust_name: rust_snake_name(wire_name),
                required: object.required.contains(wire_name),
                nullable: data.is_some_and(|data| data.nullable),
                read_only: data.is_some_and(|data| data.read_only),
                secret: reason.is_some(),
                description: data.and_then(|data| data.description.clone()),
                ty,
            }
        })
        .collect()
}

/// Records the secrets of inline objects inside an inline schema (a property's, a list's items).
fn nested_secrets(
    resolver: &Resolver<'_>,
    schema: &openapiv3::Schema,
    owner: &str,
    prefix: &str,
    secrets: &mut Vec<SecretField>,
) {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            object_fields(resolver, object, owner, prefix, secrets);
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(items)) = &array.items {
                nested_secrets(resolver, items, owner, prefix, secrets);
            }
        }
        _ => {}
    }
}

/// The schema of a media type map's JSON entry (or its only entry): its name when it is a
/// reference, the schema, the media type.
fn content_schema<'s>(
    resolver: &Resolver<'s>,
    content: &'s indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(Option<String>, &'s openapiv3::Schema, String)> {
    let (media_type, media) =
        content.iter().find(|(media_type, _)| is_json(media_type)).or_else(|| content.iter().next())?;
    let (name, schema) = resolver.schema(media.schema.as_ref()?)?;
    Some((name, schema, media_type.clone()))
}

/// Whether a media type is JSON (`application/json`, `application/problem+json`, ...).
pub fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[allow(clippy::too_many_arguments)]
fn lower_operation(
    resolver: &Resolver<'_>,
    document: &Document,
    naming: Naming,
    path: &str,
    item: &openapiv3::PathItem,
    method: HttpMethod,
    operation: &openapiv3::Operation,
    pointer: &str,
    secrets: &mut Vec<SecretField>,
) -> Result<Operation, Box<Diagnostic>> {
    let name = operation_name(document, naming, operation, pointer)?;

    // Operation parameters override the path item's of the same name and location.
    let mut parameters: Vec<Parameter> = Vec::new();
    for parameter in item.parameters.iter().chain(&operation.parameters) {
        let Some(parameter) = resolver.parameter(parameter) else { continue };
        let (location, data) = match parameter {
            openapiv3::Parameter::Path { parameter_data, .. } => (ParameterLocation::Path, parameter_data),
            openapiv3::Parameter::Query { parameter_data, .. } => (ParameterLocation::Query, parameter_data),
            openapiv3::Parameter::Header { parameter_data, .. } => (ParameterLocation::Header, parameter_data),
            openapiv3::Parameter::Cookie { parameter_data, .. } => {
                return Err(Box::new(Diagnostic::at(
                    document,
                    pointer,
                    format!("the cookie parameter {:?} cannot be generated", parameter_data.name),
                    "send it as a header parameter instead, or leave the operation out with an overlay action",
                )));
            }
        };
        let schema = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => resolver.schema(schema),
            openapiv3::ParameterSchemaOrContent::Content(_) => None,
        };
        let lowered = Parameter {
            name: data.name.clone(),
            rust_name: rust_snake_name(&data.name),
            location,
            required: data.required,
            description: data
                .description
                .clone()
                .or_else(|| schema.as_ref().and_then(|(_, schema)| schema.schema_data.description.clone())),
            ty: schema.map_or(TypeRef::Any, |(named, schema)| match named {
                Some(name) => TypeRef::Named(name),
                None => resolver.type_of(schema),
            }),
        };
        match parameters.iter_mut().find(|known| known.name == lowered.name && known.location == lowered.location) {
            Some(known) => *known = lowered,
            None => parameters.push(lowered),
        }
    }

    let body = operation.request_body.as_ref().and_then(|body| resolver.request_body(body)).and_then(|body| {
        let (schema_name, schema, media_type) = content_schema(resolver, &body.content)?;
        if schema_name.is_none()
            && let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind
        {
            object_fields(resolver, object, &format!("{name} request"), "", secrets);
        }
        let shape = body_shape(resolver, schema);
        Some(Body { schema: schema_name, media_type, shape })
    });

    let success = operation
        .responses
        .responses
        .iter()
        .filter_map(|(status, response)| match status {
            openapiv3::StatusCode::Code(code) if (200..300).contains(code) => Some((*code, response)),
            _ => None,
        })
        .min_by_key(|(code, _)| *code);
    let (status, response_schema) = match success {
        Some((code, response)) => {
            let schema = resolver.response(response).and_then(|response| content_schema(resolver, &response.content));
            if let Some((None, schema, _)) = &schema
                && let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind
            {
                object_fields(resolver, object, &format!("{name} response"), "", secrets);
            }
            (code, schema.map(|(name, _, media)| (name, media)))
        }
        None => (200, None),
    };

    let paging = paging(resolver, operation, &parameters, body.as_ref());
    let read_only = match operation.extensions.get(READ_ONLY_EXTENSION) {
        Some(Value::Bool(flag)) => *flag,
        Some(other) => {
            return Err(Box::new(Diagnostic::at(
                document,
                &format!("{pointer}/{READ_ONLY_EXTENSION}"),
                format!("`{READ_ONLY_EXTENSION}` is {other}, not true or false"),
                format!("set `{READ_ONLY_EXTENSION}: true` on an operation that only reads"),
            )));
        }
        // Safe methods only read; so does an operation that asks for a page of results.
        None => method.is_safe() || paging.is_some(),
    };

    let response = Response {
        status,
        schema: response_schema.as_ref().and_then(|(name, _)| name.clone()),
        // Decided once every schema is lowered (see `response_shape`).
        shape: match &response_schema {
            Some((_, media)) if is_json(media) => ResponseShape::Whole,
            _ => ResponseShape::Nothing,
        },
    };
    Ok(Operation {
        variant: heck::ToPascalCase::to_pascal_case(name.as_str()),
        generated_name: name.clone(),
        name,
        id: operation.operation_id.clone(),
        method,
        path: path.to_owned(),
        pointer: pointer.to_owned(),
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        parameters,
        body,
        response,
        read_only,
        paging,
    })
}

/// An operation's method name: the overlay's `x-rust-name`; else the official SDKs' method name
/// (`x-speakeasy-name-override`, `List` → `list`); else the last dotted part of its `operationId`.
fn operation_name(
    document: &Document,
    naming: Naming,
    operation: &openapiv3::Operation,
    pointer: &str,
) -> Result<String, Box<Diagnostic>> {
    let hints: &[&str] = match naming {
        Naming::Hints => &[RUST_NAME_EXTENSION, NAME_OVERRIDE_EXTENSION],
        Naming::OperationIds => &[],
    };
    for extension in hints.iter().copied() {
        match operation.extensions.get(extension) {
            None => {}
            Some(Value::String(name)) if !name.trim().is_empty() => return Ok(rust_snake_name(name)),
            Some(other) => {
                return Err(Box::new(Diagnostic::at(
                    document,
                    &format!("{pointer}/{extension}"),
                    format!("`{extension}` is {other}, not a name"),
                    format!("set `{extension}` to a name of letters and digits, such as `list`"),
                )));
            }
        }
    }
    match operation.operation_id.as_deref() {
        Some(id) if naming == Naming::OperationIds => Ok(rust_snake_name(id)),
        Some(id) if !id.trim().is_empty() => {
            let last = id.rsplit('.').find(|part| part.chars().any(char::is_alphanumeric)).unwrap_or(id);
            Ok(rust_snake_name(last))
        }
        _ => Err(Box::new(Diagnostic::at(
            document,
            pointer,
            "the operation has no name: no operationId, x-speakeasy-name-override or x-rust-name",
            "add an `operationId` (or `x-rust-name`, with an overlay action); it becomes the method name",
        ))),
    }
}

fn body_shape(resolver: &Resolver<'_>, schema: &openapiv3::Schema) -> BodyShape {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return BodyShape::Whole };
    if object.properties.is_empty() && object.additional_properties.is_none() {
        return BodyShape::Empty;
    }
    if object.properties.len() != 2 || !object.required.is_empty() {
        return BodyShape::Whole;
    }
    let mut object_field = None;
    let mut mask_field = None;
    for (name, property) in &object.properties {
        let ty = resolver.boxed_type_of(property);
        if rust_snake_name(name) == "update_mask" && ty.is_string() {
            mask_field = Some(name.clone());
        } else if let Some(target) = resolver.is_named_object(&ty) {
            object_field = Some((name.clone(), target));
        }
    }
    match (object_field, mask_field) {
        (Some((object_field, object)), Some(mask_field)) => BodyShape::Update { object_field, object, mask_field },
        _ => BodyShape::Whole,
    }
}

/// An operation pages when its response is a page (see [`response_shape`]) and it takes a page
/// token, in its body or its query.
fn paging(
    resolver: &Resolver<'_>,
    operation: &openapiv3::Operation,
    parameters: &[Parameter],
    body: Option<&Body>,
) -> Option<Paging> {
    let responds_with_page = operation.responses.responses.iter().any(|(status, response)| {
        matches!(status, openapiv3::StatusCode::Code(code) if (200..300).contains(code))
            && resolver
                .response(response)
                .and_then(|response| content_schema(resolver, &response.content))
                .is_some_and(|(_, schema, _)| page_fields(resolver, schema).is_some())
    });
    if !responds_with_page {
        return None;
    }
    if let Some(parameter) = parameters
        .iter()
        .find(|parameter| parameter.location == ParameterLocation::Query && parameter.rust_name == "page_token")
        .filter(|parameter| parameter.ty.is_string())
    {
        return Some(Paging::QueryParameter(parameter.name.clone()));
    }
    let body = body?;
    if body.shape != BodyShape::Whole {
        return None;
    }
    let schema_name = body.schema.as_deref()?;
    let (_, schema) = resolver.named_schema(schema_name)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    object.properties.iter().find_map(|(name, property)| {
        (rust_snake_name(name) == "page_token" && resolver.boxed_type_of(property).is_string())
            .then(|| Paging::BodyField(name.clone()))
    })
}

/// The list and token properties of a page: exactly two properties, a list and a string named
/// like `next_page_token`.
fn page_fields(resolver: &Resolver<'_>, schema: &openapiv3::Schema) -> Option<(String, String)> {
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return None };
    if object.properties.len() != 2 {
        return None;
    }
    let mut items = None;
    let mut token = None;
    for (name, property) in &object.properties {
        match resolver.boxed_type_of(property) {
            TypeRef::Array(_) => items = Some(name.clone()),
            TypeRef::String(_) if rust_snake_name(name) == "next_page_token" => token = Some(name.clone()),
            _ => {}
        }
    }
    Some((items?, token?))
}

/// What an operation's method returns, by rule, from its response schema's properties.
fn response_shape(resolver: &Resolver<'_>, schemas: &[Schema], operation: &Operation) -> ResponseShape {
    if operation.response.shape == ResponseShape::Nothing {
        return ResponseShape::Nothing;
    }
    let Some(name) = &operation.response.schema else { return ResponseShape::Whole };
    let Some((target, schema)) = resolver.named_schema(name) else { return ResponseShape::Whole };
    if let Some((items_field, token_field)) = page_fields(resolver, schema) {
        return ResponseShape::Page { items_field, token_field };
    }
    let Some(model) = schemas.iter().find(|schema| schema.name == target) else { return ResponseShape::Whole };
    if model.kind != SchemaShape::Object {
        return ResponseShape::Whole;
    }
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { return ResponseShape::Whole };
    if model.fields.is_empty() && object.additional_properties.is_none() {
        return ResponseShape::Empty;
    }
    let objects: Vec<(&Field, String)> = model
        .fields
        .iter()
        .filter_map(|field| resolver.is_named_object(&field.ty).map(|target| (field, target)))
        .collect();
    let secrets: Vec<&Field> = model.fields.iter().filter(|field| field.secret && field.ty.is_string()).collect();
    match (objects.as_slice(), secrets.as_slice(), model.fields.len()) {
        ([(object, _)], [], 1) => ResponseShape::Single { field: object.wire_name.clone() },
        ([], [secret], 1) => ResponseShape::Single { field: secret.wire_name.clone() },
        ([(object, target)], secrets, count) if !secrets.is_empty() && count == secrets.len() + 1 => {
            let secret_names: Vec<String> = secrets.iter().map(|secret| rust_type_name(&secret.wire_name)).collect();
            ResponseShape::WithSecrets {
                object_field: object.wire_name.clone(),
                object: target.clone(),
                secret_fields: secrets.iter().map(|secret| secret.wire_name.clone()).collect(),
                type_name: format!("{}With{}", rust_type_name(target), secret_names.join("And")),
            }
        }
        _ => ResponseShape::Whole,
    }
}

/// Gives each operation a name no other operation, helper or hand-written method has: a name
/// the client's own methods take gets `_operation` appended; two operations that still share a
/// name (or an enum variant, a paging helper, a mock expectation) are an error naming both.
fn assign_unique_names(document: &Document, api: &mut Api, problems: &mut Vec<Diagnostic>) {
    for operation in &mut api.operations {
        if HAND_WRITTEN_CLIENT_METHODS.contains(&operation.name.as_str())
            || GENERATED_CLIENT_METHODS.contains(&operation.name.as_str())
            || operation.name == "call_json"
        {
            operation.name.push_str("_operation");
            operation.variant = heck::ToPascalCase::to_pascal_case(operation.name.as_str());
        }
        operation.generated_name = operation.name.clone();
    }
    let mut taken: BTreeMap<String, (String, String)> = BTreeMap::new();
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
                problems.push(Diagnostic::at(
                    document,
                    &operation.pointer,
                    format!(
                        "the operations {first} (at {first_pointer}) and {shown} would both have the {role} `{}`",
                        name.trim_start_matches("enum ")
                    ),
                    format!(
                        "give one of them another name: an overlay action that sets `{RUST_NAME_EXTENSION}` on the operation"
                    ),
                ));
                break;
            } else {
                taken.insert(name, (shown.clone(), operation.pointer.clone()));
            }
        }
    }
}

/// Whether an inline schema becomes a named Rust type of its own (a struct or an enum): not a
/// reference, and not a combinator around one reference (which stands for that type).
fn is_named_type(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    let ReferenceOr::Item(schema) = schema else { return false };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        SchemaKind::Type(Type::Integer(integer)) => !integer.enumeration.is_empty(),
        SchemaKind::Type(Type::Number(number)) => !number.enumeration.is_empty(),
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list }
        | SchemaKind::AllOf { all_of: list } => !matches!(list.as_slice(), [ReferenceOr::Reference { .. }]),
        _ => false,
    }
}

/// An inline body whose generated name is already a schema's: progenitor would use that schema
/// in its place, so the operation would decode the wrong type. progenitor names an inline
/// request body `<name>Body` and an inline success response `<name>Response`, after the name it
/// is given for the operation.
fn check_inline_type_names(document: &Document, spec: &OpenAPI, api: &Api, problems: &mut Vec<Diagnostic>) {
    let taken: BTreeMap<&str, &str> =
        api.schemas.iter().map(|schema| (schema.rust_name.as_str(), schema.name.as_str())).collect();
    let resolver = Resolver::new(spec);
    for operation in &api.operations {
        let Some(ReferenceOr::Item(item)) = spec.paths.paths.get(&operation.path) else { continue };
        let Some((_, raw)) = item.iter().find(|(key, _)| *key == operation.method.key()) else { continue };
        let mut inline = Vec::new();
        if let Some(body) = raw.request_body.as_ref().and_then(|body| resolver.request_body(body)) {
            for (media, entry) in &body.content {
                if entry.schema.as_ref().is_some_and(is_named_type) {
                    inline.push((
                        format!("{}-body", operation.generated_name),
                        format!("{}/requestBody/content/{}/schema", operation.pointer, escape_pointer_token(media)),
                    ));
                }
            }
        }
        for (status, response) in &raw.responses.responses {
            let openapiv3::StatusCode::Code(code) = status else { continue };
            if !(200..300).contains(code) {
                continue;
            }
            let Some(response) = resolver.response(response) else { continue };
            for (media, entry) in &response.content {
                if entry.schema.as_ref().is_some_and(is_named_type) {
                    inline.push((
                        format!("{}-response", operation.generated_name),
                        format!(
                            "{}/responses/{code}/content/{}/schema",
                            operation.pointer,
                            escape_pointer_token(media)
                        ),
                    ));
                }
            }
        }
        check_inline(document, &taken, inline, problems);
    }
    // Inline properties are named `<schema><property>`.
    let mut inline = Vec::new();
    for (name, schema) in spec.components.iter().flat_map(|components| &components.schemas) {
        let ReferenceOr::Item(schema) = schema else { continue };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else { continue };
        for (property, value) in &object.properties {
            let ReferenceOr::Item(value) = value else { continue };
            let value = ReferenceOr::Item((**value).clone());
            if is_named_type(&value) {
                inline.push((
                    format!("{name}-{property}"),
                    format!(
                        "/components/schemas/{}/properties/{}",
                        escape_pointer_token(name),
                        escape_pointer_token(property)
                    ),
                ));
            }
        }
    }
    check_inline(document, &taken, inline, problems);
}

/// Reports each inline schema whose generated name is a schema's.
fn check_inline(
    document: &Document,
    taken: &BTreeMap<&str, &str>,
    inline: Vec<(String, String)>,
    problems: &mut Vec<Diagnostic>,
) {
    {
        for (suggested, pointer) in inline {
            let rust = rust_type_name(&suggested);
            if let Some(schema) = taken.get(rust.as_str()) {
                problems.push(Diagnostic::at(
                    document,
                    &pointer,
                    format!(
                        "this inline schema would be named `{rust}`, the name of the schema {schema:?}; \
                         the generated code would use that schema here instead"
                    ),
                    "move the inline schema to components/schemas and refer to it, or rename the schema",
                ));
            }
        }
    }
}

/// The spec as progenitor is given it: every operation's `operationId` is the name the model
/// chose (so progenitor's methods and inline types are named by the same rule), and every
/// secret string property has `format: password` (which progenitor turns into `SecretString`).
pub fn progenitor_spec(mut spec: OpenAPI, api: &Api) -> OpenAPI {
    // An alias of an alias names the end of its chain instead: the same JSON, and typify, which
    // walks a chain whole for each of its links, then walks one link. Found before anything changes.
    let chain_ends: Vec<(String, String)> = {
        let resolver = Resolver::new(&spec);
        spec.components
            .iter()
            .flat_map(|components| &components.schemas)
            .filter_map(|(name, schema)| {
                let ReferenceOr::Reference { reference } = schema else { return None };
                let target = Resolver::schema_name(reference)?;
                let end = resolver.alias_target(target)?;
                (end != target).then(|| (name.clone(), end))
            })
            .collect()
    };
    let names: HashMap<(&str, &str), &str> = api
        .operations
        .iter()
        .map(|operation| ((operation.path.as_str(), operation.method.key()), operation.generated_name.as_str()))
        .collect();
    for (path, item) in &mut spec.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for method in HttpMethod::ALL {
            let slot = match method {
                HttpMethod::Get => &mut item.get,
                HttpMethod::Put => &mut item.put,
                HttpMethod::Post => &mut item.post,
                HttpMethod::Delete => &mut item.delete,
                HttpMethod::Options => &mut item.options,
                HttpMethod::Head => &mut item.head,
                HttpMethod::Patch => &mut item.patch,
                HttpMethod::Trace => &mut item.trace,
            };
            let Some(operation) = slot else { continue };
            if let Some(name) = names.get(&(path.as_str(), method.key())) {
                operation.operation_id = Some((*name).to_owned());
            }
            if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
                for media in body.content.values_mut() {
                    if let Some(ReferenceOr::Item(schema)) = &mut media.schema {
                        mark_secrets(schema);
                    }
                }
            }
            for response in operation.responses.responses.values_mut() {
                if let ReferenceOr::Item(response) = response {
                    for media in response.content.values_mut() {
                        if let Some(ReferenceOr::Item(schema)) = &mut media.schema {
                            mark_secrets(schema);
                        }
                    }
                }
            }
        }
    }
    if let Some(components) = &mut spec.components {
        for schema in components.schemas.values_mut() {
            if let ReferenceOr::Item(schema) = schema {
                mark_secrets(schema);
            }
        }
        for (name, end) in chain_ends {
            if let Some(schema) = components.schemas.get_mut(&name) {
                *schema = ReferenceOr::Reference { reference: format!("#/components/schemas/{end}") };
            }
        }
    }
    without_patterns(&mut spec);
    // Last, so that the alias chains above are followed by the document's own names.
    rename_shadowing_schemas(&mut spec);
    spec
}

/// Takes `pattern` off every string schema progenitor reads. It is a validation-only keyword:
/// the Rust type is a `String` with or without it, and typify would check it on every value
/// with a regular-expression crate the SDK does not depend on, so that a server that sends a
/// value the pattern does not allow would make a whole response fail to decode. The docs pages,
/// made from the derived spec, still show it.
fn without_patterns(spec: &mut OpenAPI) {
    let mut pending: Vec<&mut openapiv3::Schema> = Vec::new();
    fn of_parameter<'a>(parameter: &'a mut openapiv3::Parameter, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        let data = match parameter {
            openapiv3::Parameter::Query { parameter_data, .. }
            | openapiv3::Parameter::Header { parameter_data, .. }
            | openapiv3::Parameter::Path { parameter_data, .. }
            | openapiv3::Parameter::Cookie { parameter_data, .. } => parameter_data,
        };
        match &mut data.format {
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => pending.push(schema),
            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Reference { .. }) => {}
            openapiv3::ParameterSchemaOrContent::Content(content) => of_content(content, pending),
        }
    }
    fn of_content<'a>(content: &'a mut openapiv3::Content, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        pending.extend(content.values_mut().filter_map(|media| match &mut media.schema {
            Some(ReferenceOr::Item(schema)) => Some(schema),
            _ => None,
        }));
    }
    fn of_response<'a>(response: &'a mut openapiv3::Response, pending: &mut Vec<&'a mut openapiv3::Schema>) {
        of_content(&mut response.content, pending);
        for header in response.headers.values_mut() {
            if let ReferenceOr::Item(header) = header
                && let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &mut header.format
            {
                pending.push(schema);
            }
        }
    }
    if let Some(components) = &mut spec.components {
        pending.extend(components.schemas.values_mut().filter_map(|schema| match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }));
        for parameter in components.parameters.values_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                of_parameter(parameter, &mut pending);
            }
        }
        for body in components.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                of_content(&mut body.content, &mut pending);
            }
        }
        for response in components.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                of_response(response, &mut pending);
            }
        }
    }
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else { continue };
        for parameter in &mut item.parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                of_parameter(parameter, &mut pending);
            }
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in &mut operation.parameters {
                if let ReferenceOr::Item(parameter) = parameter {
                    of_parameter(parameter, &mut pending);
                }
            }
            if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
                of_content(&mut body.content, &mut pending);
            }
            for response in operation.responses.default.iter_mut().chain(operation.responses.responses.values_mut()) {
                if let ReferenceOr::Item(response) = response {
                    of_response(response, &mut pending);
                }
            }
        }
    }
    while let Some(schema) = pending.pop() {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.pattern = None,
            SchemaKind::Type(Type::Object(object)) => {
                for property in object.properties.values_mut() {
                    if let ReferenceOr::Item(property) = property {
                        pending.push(property);
                    }
                }
                if let Some(openapiv3::AdditionalProperties::Schema(additional)) = &mut object.additional_properties
                    && let ReferenceOr::Item(additional) = additional.as_mut()
                {
                    pending.push(additional);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(ReferenceOr::Item(items)) = &mut array.items {
                    pending.push(items);
                }
            }
            SchemaKind::AllOf { all_of: list }
            | SchemaKind::OneOf { one_of: list }
            | SchemaKind::AnyOf { any_of: list } => {
                pending.extend(list.iter_mut().filter_map(|alternative| match alternative {
                    ReferenceOr::Item(alternative) => Some(alternative),
                    ReferenceOr::Reference { .. } => None,
                }));
            }
            SchemaKind::Not { not } => {
                if let ReferenceOr::Item(not) = not.as_mut() {
                    pending.push(not);
                }
            }
            SchemaKind::Any(any) => {
                any.pattern = None;
                for property in any.properties.values_mut() {
                    if let ReferenceOr::Item(property) = property {
                        pending.push(property);
                    }
                }
                if let Some(ReferenceOr::Item(items)) = &mut any.items {
                    pending.push(items);
                }
                if let Some(openapiv3::AdditionalProperties::Schema(additional)) = &mut any.additional_properties
                    && let ReferenceOr::Item(additional) = additional.as_mut()
                {
                    pending.push(additional);
                }
                for list in [&mut any.all_of, &mut any.one_of, &mut any.any_of] {
                    pending.extend(list.iter_mut().filter_map(|alternative| match alternative {
                        ReferenceOr::Item(alternative) => Some(alternative),
                        ReferenceOr::Reference { .. } => None,
                    }));
                }
                if let Some(not) = &mut any.not
                    && let ReferenceOr::Item(not) = not.as_mut()
                {
                    pending.push(not);
                }
            }
            SchemaKind::Type(_) => {}
        }
    }
}

/// Renames every schema whose Rust name would shadow what generated code uses (see
/// [`crate::models::rust_type_name`]) to that Rust name, references included, so that typify
/// names its type as the rest of the SDK expects. A spec without such a name is not touched.
fn rename_shadowing_schemas(spec: &mut OpenAPI) {
    let renamed: HashMap<String, String> = spec
        .components
        .iter()
        .flat_map(|components| components.schemas.keys())
        .filter_map(|name| {
            let rust = crate::models::rust_type_name(name);
            (rust.ends_with("Model") && !name.ends_with("Model")).then(|| (name.clone(), rust))
        })
        .collect();
    if renamed.is_empty() {
        return;
    }
    let Ok(mut value) = serde_json::to_value(&*spec) else { return };
    crate::references::rewrite(&mut value, &|reference| {
        let name = Resolver::schema_name(reference)?;
        renamed.get(name).map(|rust| format!("#/components/schemas/{rust}"))
    });
    if let Some(schemas) = value.pointer_mut("/components/schemas").and_then(serde_json::Value::as_object_mut) {
        for (name, rust) in &renamed {
            if let Some(schema) = schemas.remove(name) {
                schemas.insert(rust.clone(), schema);
            }
        }
    }
    if let Ok(renamed_spec) = serde_json::from_value(value) {
        *spec = renamed_spec;
    }
}

/// Gives every secret string property under `schema` (inline objects and lists included)
/// `format: password`, and takes the secret off every exempted one that has that format.
fn mark_secrets(schema: &mut openapiv3::Schema) {
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for (name, property) in &mut object.properties {
                    let ReferenceOr::Item(property) = property else { continue };
                    let property: &mut openapiv3::Schema = property;
                    let ty = Resolver::plain_type(property);
                    let secret = secret_reason(name, Some(&property.schema_data), &ty).is_some();
                    if let SchemaKind::Type(Type::String(string)) = &mut property.schema_kind {
                        let is_password = matches!(
                            &string.format,
                            openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password)
                        );
                        if secret && !is_password {
                            string.format = openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Password);
                        } else if !secret && is_password {
                            string.format = openapiv3::VariantOrUnknownOrEmpty::Empty;
                        }
                    }
                    pending.push(property);
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(ReferenceOr::Item(items)) = &mut array.items {
                    pending.push(items);
                }
            }
            SchemaKind::AllOf { all_of: list }
            | SchemaKind::OneOf { one_of: list }
            | SchemaKind::AnyOf { any_of: list } => {
                for alternative in list {
                    if let ReferenceOr::Item(alternative) = alternative {
                        pending.push(alternative);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Resolver<'_> {
    /// A schema's type without resolving references (for rewriting a spec in place).
    fn plain_type(schema: &openapiv3::Schema) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => TypeRef::String(format_text(&string.format)),
            _ => TypeRef::Any,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn progenitor_sees_every_alias_name_the_end_of_its_chain() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/C"},
                "C": {"type": "object", "properties": {"name": {"type": "string"}}}}}}"##;
        let spec = crate::load_spec("chain.json", text.as_bytes()).expect("a valid spec");
        let progenitor = super::progenitor_spec(spec.spec, &spec.api);
        let schemas = &progenitor.components.as_ref().expect("components").schemas;
        for alias in ["A", "B"] {
            match &schemas[alias] {
                openapiv3::ReferenceOr::Reference { reference } => {
                    assert_eq!(reference, "#/components/schemas/C", "{alias}")
                }
                other => panic!("{alias} stays an alias: {other:?}"),
            }
        }
    }

    #[test]
    fn secret_names_are_recognised_and_cursors_are_not() {
        for name in [
            "clientSecret",
            "client_secret",
            "secret",
            "password",
            "token",
            "accessToken",
            "refresh_token",
            "privateKey",
            "PRIVATE_KEY",
            "apiKey",
            "signingKey",
            "newClientSecret",
        ] {
            assert!(is_secret_name(name), "{name} is a secret");
        }
        for name in [
            "pageToken",
            "nextPageToken",
            "next_page_token",
            "syncToken",
            "tokenType",
            "secretId",
            "keyId",
            "publicKey",
            "displayName",
            "passwordPolicy",
            "tokens",
        ] {
            assert!(!is_secret_name(name), "{name} is no secret");
        }
    }
}
