//! The SDK's surface, generated from the model ([`crate::api`]) and progenitor's output: the
//! `Operation` enum, one `Client` method per operation (with paging helpers, update builders
//! and the types that carry secrets), operations by name for tools, and the mock's typed
//! expectations. Argument and field types are read from progenitor's syntax tree, so the
//! surface always agrees with the generated client it calls.

use std::collections::{BTreeMap, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{ToTokens as _, format_ident, quote};

use crate::model::names::rust_type_name;
use crate::model::{Api, BodyShape, Operation, Paging, ParameterLocation, ResponseShape};
use crate::progenitor::output::{display_type, field_wire_name};

/// Where the generated surface goes, relative to the SDK crate.
pub const OPERATIONS_PATH: &str = "src/operations.rs";

/// Where the mock's generated expectations go, relative to the SDK crate.
pub const MOCK_EXPECTATIONS_PATH: &str = "src/mock_expectations.rs";

/// What the generated surface offers for one operation, for the operations page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodDoc {
    /// The `Client` method's name.
    pub name: String,
    /// Its signature, formatted.
    pub signature: String,
    /// What it returns, as a user writes the type.
    pub returns: String,
    /// A compiled example of calling it.
    pub example: String,
    /// Helpers built on it (paging): name, signature, one sentence.
    pub helpers: Vec<(String, String, String)>,
    /// The update builder it takes, if any.
    pub update_builder: Option<String>,
    /// The generated method it calls (its arguments as the generated client takes them).
    pub generated_call: String,
}

/// The generated surface: the text of `src/operations.rs` and `src/mock_expectations.rs`
/// (unformatted headers aside), and what the docs need.
pub struct Surface {
    /// `src/operations.rs`, formatted, without the header.
    pub operations: String,
    /// `src/mock/expectations.rs`, formatted, without the header.
    pub mock: String,
    /// Per operation, in the model's order.
    pub methods: Vec<MethodDoc>,
}

/// One argument of a generated method.
struct Argument {
    name: syn::Ident,
    /// The type progenitor's method takes, without lifetimes.
    ty: syn::Type,
}

/// What the surface needs of progenitor's output.
struct Generated<'a> {
    methods: HashMap<String, &'a syn::ImplItemFn>,
    structs: HashMap<String, &'a syn::ItemStruct>,
    type_names: HashSet<String>,
}

impl<'a> Generated<'a> {
    fn new(file: &'a syn::File) -> anyhow::Result<Self> {
        let methods = crate::emit::docs::client_methods(file)
            .into_iter()
            .map(|method| (method.sig.ident.to_string(), method))
            .collect();
        let items = crate::progenitor::output::types_module(file)?;
        let mut structs = HashMap::new();
        let mut type_names = HashSet::new();
        for item in items {
            match item {
                syn::Item::Struct(item) => {
                    type_names.insert(item.ident.to_string());
                    structs.insert(item.ident.to_string(), item);
                }
                syn::Item::Enum(item) => {
                    type_names.insert(item.ident.to_string());
                }
                syn::Item::Type(item) => {
                    type_names.insert(item.ident.to_string());
                }
                _ => {}
            }
        }
        Ok(Self { methods, structs, type_names })
    }

    /// A field of a generated struct, by its wire name, with its type qualified for use outside
    /// the `types` module.
    fn field(&self, struct_name: &str, wire_name: &str) -> Option<(syn::Ident, syn::Type)> {
        let item = self.structs.get(struct_name)?;
        let field = item.fields.iter().find(|field| field_wire_name(field).as_deref() == Some(wire_name))?;
        Some((field.ident.clone()?, self.qualified(&field.ty)))
    }

    /// Whether a generated struct derives `Default`.
    fn has_default(&self, struct_name: &str) -> bool {
        self.structs.get(struct_name).is_some_and(|item| derives(&item.attrs, "Default"))
    }

    /// Whether a generated struct is a newtype over a JSON map (an object without properties).
    fn is_map_newtype(&self, struct_name: &str) -> bool {
        self.structs.get(struct_name).is_some_and(|item| matches!(item.fields, syn::Fields::Unnamed(_)))
    }

    /// A type from inside the `types` module, as code beside it names it: `types::X`.
    fn qualified(&self, ty: &syn::Type) -> syn::Type {
        let mut ty = ty.clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut Qualify { names: &self.type_names }, &mut ty);
        ty
    }
}

/// Writes a generated type's bare name (`PersonalClient`) as `types::PersonalClient`, and a
/// `super::` path out of the `types` module as a path from the crate.
struct Qualify<'a> {
    names: &'a HashSet<String>,
}

impl syn::visit_mut::VisitMut for Qualify<'_> {
    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        if path.qself.is_none() && path.path.leading_colon.is_none() {
            let first = path.path.segments.first().map(|segment| segment.ident.to_string()).unwrap_or_default();
            if path.path.segments.len() == 1 && self.names.contains(&first) {
                path.path.segments.insert(0, syn::PathSegment::from(format_ident!("types")));
            } else if first == "super" {
                path.path.segments[0] = syn::PathSegment::from(format_ident!("generated"));
                path.path.segments.insert(0, syn::PathSegment::from(format_ident!("crate")));
            }
        }
        syn::visit_mut::visit_type_path_mut(self, path);
    }
}

/// Removes every lifetime from a type (`&'a str` becomes `&str`).
struct WithoutLifetimes;

impl syn::visit_mut::VisitMut for WithoutLifetimes {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        reference.lifetime = None;
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

fn derives(attributes: &[syn::Attribute], name: &str) -> bool {
    attributes.iter().any(|attribute| {
        attribute.path().is_ident("derive")
            && attribute
                .meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == name)
    })
}

/// The `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_inner(ty, "Option")
}

/// The `T` of `Vec<T>`.
fn vec_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_inner(ty, "Vec")
}

fn generic_inner<'t>(ty: &'t syn::Type, wrapper: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// Whether a type is `str` behind a reference, `&str`.
fn is_str_reference(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(reference) if reference.elem.to_token_stream().to_string() == "str")
}

/// Whether a type names `String`.
fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "String"))
}

/// Whether a type names `SecretString`.
fn is_secret(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "SecretString"))
}

/// The owned form of an argument type, for helpers that outlive the call: `&str` → `String`,
/// `&T` → `T`, `Option<&str>` → `Option<String>`, `Option<&T>` → `Option<T>`.
fn owned(ty: &syn::Type) -> syn::Type {
    if is_str_reference(ty) {
        return syn::parse_quote!(::std::string::String);
    }
    if let syn::Type::Reference(reference) = ty {
        return (*reference.elem).clone();
    }
    if let Some(inner) = option_inner(ty) {
        let inner = owned(inner);
        return syn::parse_quote!(::std::option::Option<#inner>);
    }
    ty.clone()
}

/// How an owned value of `ty` (see [`owned`]) is passed where `ty` is expected.
fn borrow(value: &syn::Ident, ty: &syn::Type) -> TokenStream {
    if is_str_reference(ty) {
        return quote!(#value.as_str());
    }
    if matches!(ty, syn::Type::Reference(_)) {
        return quote!(&#value);
    }
    if let Some(inner) = option_inner(ty) {
        if is_str_reference(inner) {
            return quote!(#value.as_deref());
        }
        if matches!(inner, syn::Type::Reference(_)) {
            return quote!(#value.as_ref());
        }
    }
    quote!(#value.clone())
}

/// Doc attributes for `text`, one per line.
fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #(#[doc = #lines])* }
}

/// Prose from the spec as rustdoc Markdown: entities for `&`, `<` and `>`, brackets escaped, so
/// that HTML is shown rather than rendered and nothing reads as an intra-doc link.
pub fn prose(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('[', "\\[").replace(']', "\\]")
}

/// `text` as one sentence: trimmed, with a period at its end unless it ends a sentence already.
pub fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?', ':']) { text.to_owned() } else { format!("{text}.") }
}

/// The summary and description of an operation as the paragraphs of a doc comment.
fn operation_prose(operation: &Operation) -> String {
    let mut paragraphs = Vec::new();
    if let Some(summary) = &operation.summary {
        paragraphs.push(prose(&sentence(&summary.replace('\n', " "))));
    }
    if let Some(description) = &operation.description
        && operation.summary.as_deref().map(str::trim) != Some(description.trim())
    {
        paragraphs.push(prose(description.trim()));
    }
    paragraphs.push(format!(
        "`{} {}`{}.",
        operation.method.as_str(),
        operation.path.replace('`', "'"),
        if operation.read_only { ", which only reads: retried by default" } else { "" }
    ));
    paragraphs.join("\n\n")
}

/// Everything the surface generates for one operation.
struct Emitted {
    method: TokenStream,
    json_arm: TokenStream,
    mock_method: TokenStream,
    mock_reply: TokenStream,
    mock_marker: TokenStream,
    doc: MethodDoc,
}

/// Generates the surface. `crate_name` is the SDK crate's name as code writes it
/// (`conductorone_personal_client`), for the examples.
pub fn surface(api: &Api, generated: &syn::File, crate_name: &str) -> anyhow::Result<Surface> {
    let generated = Generated::new(generated)?;
    let crate_ident = format_ident!("{}", crate_name);
    let mut methods = Vec::new();
    let mut json_arms = Vec::new();
    let mut mock_methods = Vec::new();
    let mut mock_replies = Vec::new();
    let mut mock_markers = Vec::new();
    let mut docs = Vec::new();
    let mut outputs: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut updates: BTreeMap<String, TokenStream> = BTreeMap::new();

    for operation in &api.operations {
        let emitted = emit_operation(api, operation, &generated, &crate_ident, &mut outputs, &mut updates)
            .map_err(|error| anyhow::anyhow!("{} {}: {error}", operation.method.as_str(), operation.path))?;
        methods.push(emitted.method);
        json_arms.push(emitted.json_arm);
        mock_methods.push(emitted.mock_method);
        mock_replies.push(emitted.mock_reply);
        mock_markers.push(emitted.mock_marker);
        docs.push(emitted.doc);
    }

    let enum_items = operation_enum(api);
    let outputs = outputs.values();
    let updates = updates.values();
    let operations: syn::File = syn::parse2(quote! {
        use crate::client::Client;
        use crate::error::Error;
        #[allow(unused_imports)]
        use crate::generated::{types, ByteStream};
        #[allow(unused_imports)]
        use crate::paging::Page;
        #[allow(unused_imports)]
        use crate::secret::SecretString;

        #enum_items

        impl Client {
            #(#methods)*

            /// Makes `operation` with parameters given as text and a JSON body, and answers with
            /// the response body as JSON: for tools that reach every operation by name, such as
            /// the command line. The call goes through the same machinery as the typed methods
            /// (authentication, retries, the call timeout, typed errors).
            ///
            /// A parameter's text is read as its type: as a string where the type is a string,
            /// else as JSON (`42`, `true`). A missing body is `{}`. The answer carries every field
            /// of the response, secrets included: [`Operation::secret_pointers`] says where they are.
            pub async fn call_json(
                &self,
                operation: Operation,
                parameters: &[(::std::string::String, ::std::string::String)],
                body: ::std::option::Option<::serde_json::Value>,
            ) -> Result<::serde_json::Value, Error> {
                let arguments = crate::dynamic::Arguments::new(operation, parameters)?;
                let _ = &body;
                match operation {
                    #(#json_arms)*
                }
            }
        }

        #(#outputs)*

        #(#updates)*
    })
    .map_err(|error| anyhow::anyhow!("the generated operations do not parse: {error}"))?;

    let mock: syn::File = syn::parse2(quote! {
        use crate::mock::{Expectation, MockServer};
        use crate::operations::Operation;
        #[allow(unused_imports)]
        use crate::generated::{types, ByteStream};
        #[allow(unused_imports)]
        use crate::secret::SecretString;

        /// What each operation's expectation answers: one marker type per operation, so that
        /// `returns` takes what that operation returns.
        pub mod replies {
            #(#mock_markers)*
        }

        #(#mock_replies)*

        impl MockServer {
            #(#mock_methods)*
        }
    })
    .map_err(|error| anyhow::anyhow!("the generated mock does not parse: {error}"))?;

    let mut operations_text = prettyplease::unparse(&operations);
    let mut mock_text = prettyplease::unparse(&mock);
    operations_text.insert_str(0, "//! The operations of the API: the `Operation` enum, one `Client` method per operation, and the\n//! types they take and return, generated from the spec's model.\n\n");
    mock_text.insert_str(0, "//! The mock's expectations, one per operation, generated from the spec's model.\n\n");
    Ok(Surface { operations: operations_text, mock: mock_text, methods: docs })
}

/// The `Operation` enum and its facts.
fn operation_enum(api: &Api) -> TokenStream {
    let variants: Vec<syn::Ident> =
        api.operations.iter().map(|operation| format_ident!("{}", operation.variant)).collect();
    let variant_docs = api.operations.iter().map(|operation| {
        let summary = operation
            .summary
            .as_deref()
            .map(|summary| format!(": {}", prose(&summary.replace('\n', " "))))
            .unwrap_or_default();
        doc(&format!(
            "`{}` (`{} {}`){summary}",
            operation.name,
            operation.method.as_str(),
            operation.path.replace('`', "'")
        ))
    });
    let names = api.operations.iter().map(|operation| operation.name.as_str());
    let ids = api.operations.iter().map(|operation| match &operation.id {
        Some(id) => quote!(Some(#id)),
        None => quote!(None),
    });
    let http_methods = api.operations.iter().map(|operation| operation.method.as_str());
    let paths = api.operations.iter().map(|operation| operation.path.as_str());
    let read_only = api.operations.iter().map(|operation| operation.read_only);
    let statuses = api.operations.iter().map(|operation| operation.response.status);
    let summaries = api.operations.iter().map(|operation| match &operation.summary {
        Some(summary) => quote!(Some(#summary)),
        None => quote!(None),
    });
    let takes_body = api.operations.iter().map(|operation| operation.body.is_some());
    let parameters = api.operations.iter().map(|operation| {
        let entries = operation.parameters.iter().map(|parameter| {
            let name = &parameter.name;
            let location = format_ident!(
                "{}",
                match parameter.location {
                    ParameterLocation::Path => "Path",
                    ParameterLocation::Query => "Query",
                    ParameterLocation::Header => "Header",
                }
            );
            let required = parameter.required || parameter.location == ParameterLocation::Path;
            let description = parameter.description.clone().unwrap_or_default();
            quote! {
                crate::dynamic::ParameterInfo {
                    name: #name,
                    location: crate::dynamic::ParameterLocation::#location,
                    required: #required,
                    description: #description,
                }
            }
        });
        quote!(&[#(#entries),*])
    });
    let secrets = api.operations.iter().map(|operation| {
        let pointers = operation.response_secret_pointers(api);
        quote!(&[#(#pointers),*])
    });
    let schema_arms = |request: bool| -> Vec<TokenStream> {
        api.operations
            .iter()
            .map(|operation| {
                let variant = format_ident!("{}", operation.variant);
                let schema = if request {
                    operation.body.as_ref().and_then(|body| body.schema.clone())
                } else {
                    operation.response.schema.clone()
                };
                match schema {
                    Some(name) => {
                        let ty = format_ident!("{}", rust_type_name(&name));
                        quote!(Self::#variant => Some(::schemars::schema_for!(types::#ty)),)
                    }
                    None => quote!(Self::#variant => None,),
                }
            })
            .collect()
    };
    let request_schemas = schema_arms(true);
    let response_schemas = schema_arms(false);
    let count = api.operations.len();
    quote! {
        /// An operation of the API, as the SDK names it.
        ///
        /// New operations are added as the API grows, so a `match` needs a `_` arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Operation {
            #(#variant_docs #variants,)*
        }

        impl Operation {
            /// Every operation, in the spec's order.
            pub const ALL: [Operation; #count] = [#(Self::#variants),*];

            /// The operation whose method name is `name` (`list`).
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|operation| operation.name() == name)
            }

            /// Its method name on [`Client`] (`list`).
            pub const fn name(self) -> &'static str {
                match self { #(Self::#variants => #names,)* }
            }

            /// The `operationId` the spec gives it, if any.
            pub const fn id(self) -> Option<&'static str> {
                match self { #(Self::#variants => #ids,)* }
            }

            /// The HTTP method (`GET`).
            pub const fn method(self) -> &'static str {
                match self { #(Self::#variants => #http_methods,)* }
            }

            /// The path template (`/api/v1/iam/personal_clients/{id}`).
            pub const fn path(self) -> &'static str {
                match self { #(Self::#variants => #paths,)* }
            }

            /// Whether it only reads, so that retrying it cannot apply a change twice; only these
            /// are retried unless [`crate::RetryPolicy::retry_writes`] says otherwise.
            pub const fn is_read_only(self) -> bool {
                match self { #(Self::#variants => #read_only,)* }
            }

            /// The status of its documented success answer.
            pub const fn success_status(self) -> u16 {
                match self { #(Self::#variants => #statuses,)* }
            }

            /// The spec's one-line summary of it.
            pub const fn summary(self) -> Option<&'static str> {
                match self { #(Self::#variants => #summaries,)* }
            }

            /// Its path, query and header parameters.
            pub const fn parameters(self) -> &'static [crate::dynamic::ParameterInfo] {
                match self { #(Self::#variants => #parameters,)* }
            }

            /// Whether it takes a request body.
            pub const fn takes_body(self) -> bool {
                match self { #(Self::#variants => #takes_body,)* }
            }

            /// The JSON pointers of the secrets in its response body (`*` stands for every item
            /// of a list), for code that handles the body as JSON.
            pub const fn secret_pointers(self) -> &'static [&'static str] {
                match self { #(Self::#variants => #secrets,)* }
            }

            /// The JSON schema of its request body, when it has one (with every model it names).
            pub fn request_schema(self) -> Option<::schemars::schema::RootSchema> {
                match self { #(#request_schemas)* }
            }

            /// The JSON schema of its success response body, when it has one.
            pub fn response_schema(self) -> Option<::schemars::schema::RootSchema> {
                match self { #(#response_schemas)* }
            }
        }

        impl ::std::fmt::Display for Operation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }
    }
}

fn emit_operation(
    api: &Api,
    operation: &Operation,
    generated: &Generated<'_>,
    crate_ident: &syn::Ident,
    outputs: &mut BTreeMap<String, TokenStream>,
    updates: &mut BTreeMap<String, TokenStream>,
) -> anyhow::Result<Emitted> {
    let Some(raw) = generated.methods.get(&operation.generated_name) else {
        anyhow::bail!("progenitor generated no method {}", operation.generated_name);
    };
    let variant = format_ident!("{}", operation.variant);
    let name = format_ident!("{}", operation.name);
    let generated_name = format_ident!("{}", operation.generated_name);

    // The generated method's arguments, lifetimes removed, and its type parameters.
    let mut arguments = Vec::new();
    for input in &raw.sig.inputs {
        let syn::FnArg::Typed(typed) = input else { continue };
        let syn::Pat::Ident(pattern) = typed.pat.as_ref() else { continue };
        let mut ty = (*typed.ty).clone();
        syn::visit_mut::VisitMut::visit_type_mut(&mut WithoutLifetimes, &mut ty);
        arguments.push(Argument { name: pattern.ident.clone(), ty });
    }
    let mut generics = raw.sig.generics.clone();
    generics.params =
        generics.params.into_iter().filter(|parameter| !matches!(parameter, syn::GenericParam::Lifetime(_))).collect();
    // A body progenitor takes by value (bytes, text) is given again to every attempt: cloned.
    let type_parameters: Vec<String> = generics
        .params
        .iter_mut()
        .filter_map(|parameter| match parameter {
            syn::GenericParam::Type(parameter) => {
                parameter.bounds.push(syn::parse_quote!(::std::clone::Clone));
                Some(parameter.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let has_type_parameters = !generics.params.is_empty();
    let (generics_params, _, where_clause) = generics.split_for_impl();

    let syn::ReturnType::Type(_, output) = &raw.sig.output else {
        anyhow::bail!("the generated method returns nothing")
    };
    let success = response_value_type(output).ok_or_else(|| anyhow::anyhow!("unexpected return type"))?;
    let streaming = display_type(&success) == "ByteStream";
    let caller = if streaming { quote!(call_operation_streaming) } else { quote!(call_operation) };

    // The facade's parameters and what it passes on.
    let body = operation.body.as_ref();
    let body_argument = arguments.iter().find(|argument| argument.name == "body");
    let body_type_name = body_argument.and_then(|argument| match &argument.ty {
        syn::Type::Reference(reference) => Some(display_type(&reference.elem)),
        _ => None,
    });
    let update_object = match body.map(|body| &body.shape) {
        Some(BodyShape::Update { object, object_field, mask_field }) => {
            let builder = format!("{}Update", rust_type_name(object));
            match body_type_name.as_deref() {
                Some(request) if generated.has_default(&rust_type_name(object)) => {
                    let emitted = update_builder(api, generated, object, object_field, mask_field, request, &builder)?;
                    updates.entry(builder.clone()).or_insert(emitted);
                    Some(builder)
                }
                _ => None,
            }
        }
        _ => None,
    };
    let empty_body = matches!(body.map(|body| &body.shape), Some(BodyShape::Empty)) && body_type_name.is_some();

    let mut facade_parameters = Vec::new();
    let mut setup = Vec::new();
    let mut passed = Vec::new();
    for argument in &arguments {
        let argument_name = &argument.name;
        let ty = &argument.ty;
        if argument.name == "body" {
            if let Some(builder) = &update_object {
                let builder = format_ident!("{}", builder);
                facade_parameters.push(quote!(update: &#builder));
                setup.push(quote!(let body = update.to_request();));
                passed.push(quote!(&body));
            } else if empty_body {
                let body_type = body_type_name.clone().unwrap_or_default();
                // The body's type as progenitor names it: a generated type, or one of serde_json's
                // own when the empty object is not a named schema.
                let elem = match ty {
                    syn::Type::Reference(reference) => &*reference.elem,
                    other => other,
                };
                let value = if generated.is_map_newtype(&body_type) && !generated.has_default(&body_type) {
                    quote!(<#elem>::from(::serde_json::Map::new()))
                } else {
                    quote!(<#elem as ::std::default::Default>::default())
                };
                setup.push(quote!(let body = #value;));
                passed.push(quote!(&body));
            } else if matches!(ty, syn::Type::Reference(_)) {
                facade_parameters.push(quote!(request: #ty));
                passed.push(quote!(request));
            } else {
                facade_parameters.push(quote!(request: #ty));
                passed.push(quote!(::std::clone::Clone::clone(&request)));
            }
        } else {
            facade_parameters.push(quote!(#argument_name: #ty));
            passed.push(quote!(#argument_name));
        }
    }

    // What the method returns, by the response's shape.
    let response_struct = display_type(&success);
    let response_struct = response_struct.trim_start_matches("types::").to_owned();
    let missing = |wire: &str| quote!(Error::missing_field(Operation::#variant, #wire));
    let (return_type, finish, mock_reply_parameters, mock_reply_body, returns_text): (
        TokenStream,
        TokenStream,
        TokenStream,
        TokenStream,
        String,
    ) = match &operation.response.shape {
        _ if streaming => (
            quote!(ByteStream),
            quote!(Ok(response)),
            quote!(body: &str),
            quote!(self.answer_text(body).await),
            "ByteStream".to_owned(),
        ),
        ResponseShape::Page { items_field, token_field } => {
            let (items, items_ty) = generated
                .field(&response_struct, items_field)
                .ok_or_else(|| anyhow::anyhow!("no field {items_field} in {response_struct}"))?;
            let (token, token_ty) = generated
                .field(&response_struct, token_field)
                .ok_or_else(|| anyhow::anyhow!("no field {token_field} in {response_struct}"))?;
            let list_ty = option_inner(&items_ty).unwrap_or(&items_ty);
            let item = vec_inner(list_ty).ok_or_else(|| anyhow::anyhow!("{items_field} is not a list"))?.clone();
            let items_value = if option_inner(&items_ty).is_some() {
                quote!(response.#items.unwrap_or_default())
            } else {
                quote!(response.#items)
            };
            let token_value =
                if option_inner(&token_ty).is_some() { quote!(response.#token) } else { quote!(Some(response.#token)) };
            (
                quote!(Page<#item>),
                quote!(Ok(Page::new(#items_value, #token_value))),
                quote!(items: ::std::vec::Vec<#item>, next_page_token: ::std::option::Option<&str>),
                quote!(
                    self.answer(
                        ::serde_json::json!({ #items_field: items, #token_field: next_page_token.unwrap_or_default() })
                    )
                    .await
                ),
                format!("Page<{}>", display_type(&item)),
            )
        }
        ResponseShape::Single { field } => {
            let (ident, ty) = generated
                .field(&response_struct, field)
                .ok_or_else(|| anyhow::anyhow!("no field {field} in {response_struct}"))?;
            let (value_ty, value) = match option_inner(&ty) {
                Some(inner) => {
                    let missing = missing(field);
                    (inner.clone(), quote!(response.#ident.ok_or_else(|| #missing)))
                }
                None => (ty.clone(), quote!(Ok(response.#ident))),
            };
            let (parameter, json_value) = if is_secret(&value_ty) {
                (quote!(value: &str), quote!(value))
            } else {
                (quote!(value: #value_ty), quote!(value))
            };
            (
                quote!(#value_ty),
                value,
                parameter,
                quote!(self.answer(::serde_json::json!({ #field: #json_value })).await),
                display_type(&value_ty),
            )
        }
        ResponseShape::WithSecrets { object_field, object: _, secret_fields, type_name } => {
            let type_ident = format_ident!("{}", type_name);
            let mut fields = Vec::new();
            let mut constructed = Vec::new();
            let mut parameters = Vec::new();
            let mut json_entries = Vec::new();
            let mut secret_entries = Vec::new();
            let response_schema = operation.response.schema.as_deref().and_then(|name| api.schema(name));
            let description_of = |wire: &str| {
                response_schema
                    .and_then(|schema| schema.fields.iter().find(|field| field.wire_name == wire))
                    .and_then(|field| field.description.clone())
                    .map(|text| prose(&text))
                    .unwrap_or_else(|| format!("The `{wire}` of the answer."))
            };
            for wire in std::iter::once(object_field).chain(secret_fields) {
                let (ident, ty) = generated
                    .field(&response_struct, wire)
                    .ok_or_else(|| anyhow::anyhow!("no field {wire} in {response_struct}"))?;
                let inner = option_inner(&ty).cloned().unwrap_or_else(|| ty.clone());
                let value = if option_inner(&ty).is_some() {
                    let missing = missing(wire);
                    quote!(response.#ident.ok_or_else(|| #missing)?)
                } else {
                    quote!(response.#ident)
                };
                let field_doc = doc(&description_of(wire));
                fields.push(quote! { #field_doc #[serde(rename = #wire)] pub #ident: #inner, });
                constructed.push(quote!(#ident: #value,));
                if is_secret(&inner) {
                    parameters.push(quote!(#ident: &str));
                    secret_entries.push(quote!((#wire, &self.#ident)));
                } else {
                    parameters.push(quote!(#ident: #inner));
                }
                json_entries.push(quote!(#wire: #ident,));
            }
            let secret_count = secret_entries.len();
            let struct_doc = doc(&format!(
                "What the API answers with a secret it shows once: {}. `Debug` shows each secret as `[redacted]`.",
                secret_fields.iter().map(|wire| format!("`{wire}`")).collect::<Vec<_>>().join(", ")
            ));
            outputs.entry(type_name.clone()).or_insert(quote! {
                #struct_doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
                #[non_exhaustive]
                pub struct #type_ident {
                    #(#fields)*
                }

                impl #type_ident {
                    /// The secrets, each with its name on the wire, for code that must put them
                    /// somewhere safe (or keep them out of what it prints).
                    pub fn secrets(&self) -> [(&'static str, &SecretString); #secret_count] {
                        [#(#secret_entries),*]
                    }
                }
            });
            (
                quote!(#type_ident),
                quote!(Ok(#type_ident { #(#constructed)* })),
                quote!(#(#parameters),*),
                quote!(self.answer(::serde_json::json!({ #(#json_entries)* })).await),
                type_name.clone(),
            )
        }
        ResponseShape::Empty | ResponseShape::Nothing => {
            (quote!(()), quote!(Ok(())), quote!(), quote!(self.answer(::serde_json::json!({})).await), "()".to_owned())
        }
        ResponseShape::Whole => {
            let ty = success.clone();
            let reply = if response_struct == "()" {
                quote!(self.answer(::serde_json::json!({})).await)
            } else {
                quote!(self.answer(::serde_json::to_value(&response).unwrap_or_default()).await)
            };
            let parameter = if response_struct == "()" { quote!() } else { quote!(response: #ty) };
            (quote!(#ty), quote!(Ok(response)), parameter, reply, display_type(&ty))
        }
    };

    // The method.
    let method_doc_text = operation_prose(operation);
    let example = example(
        operation,
        crate_ident,
        &facade_parameters_for_example(&arguments, update_object.as_deref(), empty_body, &type_parameters),
        &returns_text,
        streaming,
    );
    let method_doc = doc(&format!("{method_doc_text}\n\n```no_run\n{example}\n```"));
    let result_binding = match &operation.response.shape {
        ResponseShape::Empty | ResponseShape::Nothing if !streaming => quote!(let _response),
        _ => quote!(let response),
    };
    let method = quote! {
        #method_doc
        pub async fn #name #generics_params (&self, #(#facade_parameters),*) -> Result<#return_type, Error> #where_clause {
            #(#setup)*
            #result_binding = self.#caller(Operation::#variant, || self.generated.#generated_name(#(#passed),*)).await?;
            #finish
        }
    };

    // Paging helpers.
    let mut helpers = Vec::new();
    let mut helper_items = Vec::new();
    if let (Some(paging), ResponseShape::Page { .. }, false, false) =
        (&operation.paging, &operation.response.shape, has_type_parameters, streaming)
    {
        let item = match &return_type_item(&return_type) {
            Some(item) => item.clone(),
            None => anyhow::bail!("a page without items"),
        };
        let stream_name = format_ident!("{}_stream", operation.name);
        let all_name = format_ident!("{}_all", operation.name);
        let mut owned_parameters = Vec::new();
        let mut owned_passed = Vec::new();
        let mut clones = Vec::new();
        let mut first_token = quote!(None);
        let mut set_token = quote!();
        let mut all_arguments = Vec::new();
        for argument in &arguments {
            let argument_name = &argument.name;
            if argument.name == "body" {
                // Paging by a body field: the request is owned, and its token set for each page.
                let ty = owned(&argument.ty);
                owned_parameters.push(quote!(request: #ty));
                clones.push(quote!(let mut request = request.clone();));
                owned_passed.push(quote!(&request));
                all_arguments.push(quote!(request));
                if let Paging::BodyField(field) = paging {
                    let request_struct = display_type(&ty).trim_start_matches("types::").to_owned();
                    let (token_ident, token_ty) = generated
                        .field(&request_struct, field)
                        .ok_or_else(|| anyhow::anyhow!("no field {field} in {request_struct}"))?;
                    if option_inner(&token_ty).is_some() {
                        first_token = quote!(request.#token_ident.clone());
                        set_token = quote!(request.#token_ident = token;);
                    } else {
                        first_token = quote!(Some(request.#token_ident.clone()).filter(|token| !token.is_empty()));
                        set_token = quote!(request.#token_ident = token.unwrap_or_default(););
                    }
                }
                continue;
            }
            if let Paging::QueryParameter(parameter) = paging
                && operation.parameters.iter().any(|known| known.name == *parameter && argument.name == known.rust_name)
            {
                owned_passed.push(if is_str_reference(option_inner(&argument.ty).unwrap_or(&argument.ty)) {
                    quote!(token.as_deref())
                } else {
                    quote!(token.clone())
                });
                continue;
            }
            let ty = owned(&argument.ty);
            owned_parameters.push(quote!(#argument_name: #ty));
            clones.push(quote!(let #argument_name = #argument_name.clone();));
            owned_passed.push(borrow(argument_name, &argument.ty));
            all_arguments.push(quote!(#argument_name));
        }
        let stream_doc = doc(&format!(
            "Every item of [`Client::{}`], page after page, as a stream.\n\nIt follows the next page's token until it is empty or absent, and fails with\n[`Error::RepeatedPageToken`] rather than loop when the server repeats a token.",
            operation.name
        ));
        let all_doc = doc(&format!("Every item of [`Client::{}`], collected from all pages.", operation.name));
        helper_items.push(quote! {
            #stream_doc
            pub fn #stream_name(&self, #(#owned_parameters),*) -> impl ::futures::Stream<Item = Result<#item, Error>> + Send + 'static {
                let client = self.clone();
                let first_token = #first_token;
                crate::paging::stream(Operation::#variant, first_token, move |token: ::std::option::Option<::std::string::String>| {
                    let client = client.clone();
                    #(#clones)*
                    async move {
                        #set_token
                        client.#name(#(#owned_passed),*).await
                    }
                })
            }

            #all_doc
            pub async fn #all_name(&self, #(#owned_parameters),*) -> Result<::std::vec::Vec<#item>, Error> {
                use ::futures::TryStreamExt as _;
                self.#stream_name(#(#all_arguments),*).try_collect().await
            }
        });
        let stream_signature = signature_of(
            &quote!(pub fn #stream_name(&self, #(#owned_parameters),*) -> impl Stream<Item = Result<#item, Error>>),
        );
        let all_signature =
            signature_of(&quote!(pub async fn #all_name(&self, #(#owned_parameters),*) -> Result<Vec<#item>, Error>));
        helpers.push((
            stream_name.to_string(),
            stream_signature,
            "every item, page after page, as a stream (fails rather than loop on a repeated page token).".to_owned(),
        ));
        helpers.push((all_name.to_string(), all_signature, "every item, collected from all pages.".to_owned()));
    }

    // Operations by name.
    let mut json_setup = Vec::new();
    let mut json_passed = Vec::new();
    let mut json_supported = !has_type_parameters;
    for argument in &arguments {
        let argument_name = &argument.name;
        if argument.name == "body" {
            match &argument.ty {
                syn::Type::Reference(reference) => {
                    let body_ty = &reference.elem;
                    json_setup.push(quote!(let body: #body_ty = crate::dynamic::body(operation, body)?;));
                    json_passed.push(quote!(&body));
                }
                _ if is_string(&argument.ty) => {
                    json_setup.push(quote!(let body: ::std::string::String = crate::dynamic::body(operation, body)?;));
                    json_passed.push(quote!(::std::clone::Clone::clone(&body)));
                }
                _ => json_supported = false,
            }
            continue;
        }
        let wire = operation
            .parameters
            .iter()
            .find(|parameter| argument.name == parameter.rust_name)
            .map_or_else(|| argument.name.to_string(), |parameter| parameter.name.clone());
        let ty = owned(&argument.ty);
        if option_inner(&ty).is_some() {
            json_setup.push(quote!(let #argument_name: #ty = arguments.optional(#wire)?;));
        } else {
            json_setup.push(quote!(let #argument_name: #ty = arguments.required(#wire)?;));
        }
        json_passed.push(borrow(argument_name, &argument.ty));
    }
    let json_arm = if json_supported && streaming {
        quote!(Operation::#variant => crate::dynamic::unsupported(operation, "its response is not JSON"),)
    } else if json_supported {
        quote! {
            Operation::#variant => {
                let _ = &arguments;
                #(#json_setup)*
                let response = self.call_operation(operation, || self.generated.#generated_name(#(#json_passed),*)).await?;
                crate::dynamic::to_json(operation, &response)
            }
        }
    } else {
        quote!(Operation::#variant => crate::dynamic::unsupported(operation, "its request body is not JSON"),)
    };

    // The mock.
    let expect_name = format_ident!("expect_{}", operation.name);
    let mut path_parameters = Vec::new();
    let mut path_values = Vec::new();
    for argument in &arguments {
        let Some(parameter) = operation
            .parameters
            .iter()
            .find(|parameter| parameter.location == ParameterLocation::Path && argument.name == parameter.rust_name)
        else {
            continue;
        };
        let argument_name = &argument.name;
        let ty = &argument.ty;
        let wire = &parameter.name;
        path_parameters.push(quote!(#argument_name: #ty));
        path_values.push(quote!((#wire, ::std::string::ToString::to_string(&#argument_name))));
    }
    let expect_doc = doc(&format!(
        "Expects [`Client::{}`](crate::Client::{}): `{} {}`.",
        operation.name,
        operation.name,
        operation.method.as_str(),
        operation.path.replace('`', "'")
    ));
    let mock_method = quote! {
        #expect_doc
        pub fn #expect_name(&self, #(#path_parameters),*) -> Expectation<'_, replies::#variant> {
            self.expect(Operation::#variant, &[#(#path_values),*])
        }
    };
    let reply_doc = doc(&format!("What [`MockServer::{expect_name}`](super::MockServer::{expect_name}) answers."));
    let returns_doc = doc("Answers with this, as the API would (the documented success status and JSON body).");
    let mock_marker = quote! {
        #reply_doc
        #[derive(Debug)]
        pub struct #variant;
    };
    let mock_reply = quote! {
        impl Expectation<'_, replies::#variant> {
            #returns_doc
            pub async fn returns(self, #mock_reply_parameters) {
                #mock_reply_body
            }
        }
    };

    let signature = signature_of(
        &quote!(pub async fn #name #generics_params (&self, #(#facade_parameters),*) -> Result<#return_type, Error> #where_clause),
    );
    let generated_call = format!(
        "client.generated().{}({})",
        operation.generated_name,
        arguments.iter().map(|argument| argument.name.to_string()).collect::<Vec<_>>().join(", ")
    );
    Ok(Emitted {
        method: quote!(#method #(#helper_items)*),
        json_arm,
        mock_method,
        mock_reply,
        mock_marker,
        doc: MethodDoc {
            name: operation.name.clone(),
            signature,
            returns: returns_text,
            example,
            helpers,
            update_builder: update_object,
            generated_call,
        },
    })
}

/// The `T` of `Page<T>`.
fn return_type_item(return_type: &TokenStream) -> Option<syn::Type> {
    let ty: syn::Type = syn::parse2(return_type.clone()).ok()?;
    generic_inner(&ty, "Page").cloned()
}

/// The `T` of `Result<ResponseValue<T>, Error<E>>`.
fn response_value_type(output: &syn::Type) -> Option<syn::Type> {
    let result = generic_inner(output, "Result")?;
    generic_inner(result, "ResponseValue").cloned()
}

/// A signature as prettyplease formats it, without a body.
fn signature_of(signature: &TokenStream) -> String {
    let file: Result<syn::File, _> = syn::parse2(quote!(impl Client { #signature {} }));
    match file {
        Ok(file) => {
            let text = prettyplease::unparse(&file);
            let inner: Vec<&str> = text.lines().skip(1).collect();
            let inner = inner[..inner.len().saturating_sub(1)].join("\n");
            inner
                .lines()
                .map(|line| line.strip_prefix("    ").unwrap_or(line))
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
                .trim_end_matches("{}")
                .trim_end()
                .to_owned()
        }
        Err(_) => signature.to_string(),
    }
}

/// The example's parameters: name and type as the example function takes them.
fn facade_parameters_for_example(
    arguments: &[Argument],
    update: Option<&str>,
    empty_body: bool,
    type_parameters: &[String],
) -> Vec<(String, String)> {
    let mut parameters = Vec::new();
    for argument in arguments {
        if argument.name == "body" {
            if let Some(builder) = update {
                parameters.push(("update".to_owned(), format!("&{builder}")));
            } else if type_parameters.contains(&example_type(&argument.ty)) {
                // A body of bytes: any type the method takes will do; the example shows one.
                parameters.push(("request".to_owned(), "Vec<u8>".to_owned()));
            } else if !empty_body {
                parameters.push(("request".to_owned(), example_type(&argument.ty)));
            }
        } else {
            parameters.push((argument.name.to_string(), example_type(&argument.ty)));
        }
    }
    parameters
}

/// A type as an example outside the crate writes it.
fn example_type(ty: &syn::Type) -> String {
    let shown = ty.to_token_stream().to_string().replace(' ', "");
    let shown = shown
        .replace("::std::option::Option", "Option")
        .replace("::std::string::String", "String")
        .replace("::std::vec::Vec", "Vec")
        .replace("::chrono::", "chrono::");
    shown.replace(',', ", ")
}

/// A compiled example of calling an operation's method: a function that takes the method's
/// arguments (so that it compiles whatever their types), calls it, and uses the answer.
fn example(
    operation: &Operation,
    crate_ident: &syn::Ident,
    parameters: &[(String, String)],
    returns: &str,
    streaming: bool,
) -> String {
    let uses_types = parameters.iter().any(|(_, ty)| ty.contains("types::"));
    let builder =
        parameters.iter().find_map(|(name, ty)| (name == "update").then(|| ty.trim_start_matches('&').to_owned()));
    let mut imports = vec!["Client".to_owned(), "Error".to_owned()];
    if let Some(builder) = &builder {
        imports.push(builder.clone());
    }
    if uses_types {
        imports.push("types".to_owned());
    }
    let mut signature: Vec<String> = vec!["client: &Client".to_owned()];
    signature.extend(parameters.iter().map(|(name, ty)| format!("{name}: {ty}")));
    let call_arguments: Vec<&str> = parameters.iter().map(|(name, _)| name.as_str()).collect();
    let call = format!("client.{}({}).await?", operation.name, call_arguments.join(", "));
    let body = match &operation.response.shape {
        _ if streaming => format!("    let _body = {call};\n"),
        ResponseShape::Page { .. } => format!(
            "    let page = {call};\n    for item in &page.items {{\n        println!(\"{{item:?}}\");\n    }}\n"
        ),
        ResponseShape::Empty | ResponseShape::Nothing => format!("    {call};\n"),
        ResponseShape::WithSecrets { .. } => format!(
            "    let answer = {call};\n    // `Debug` shows the secrets as `[redacted]`; `expose_secret()` reads one on purpose.\n    println!(\"{{answer:?}}\");\n"
        ),
        _ if returns == "()" => format!("    {call};\n"),
        _ => format!("    let answer = {call};\n    println!(\"{{answer:?}}\");\n"),
    };
    format!(
        "use {crate_ident}::{{{}}};\n\nasync fn example({}) -> Result<(), Error> {{\n{body}    Ok(())\n}}",
        imports.join(", "),
        signature.join(", ")
    )
}

/// The update builder of `object`, for the update operation whose request is `request`.
fn update_builder(
    api: &Api,
    generated: &Generated<'_>,
    object: &str,
    object_field: &str,
    mask_field: &str,
    request: &str,
    builder: &str,
) -> anyhow::Result<TokenStream> {
    let schema = api.schema(object).ok_or_else(|| anyhow::anyhow!("no schema {object}"))?;
    let object_rust = format_ident!("{}", rust_type_name(object));
    let builder_ident = format_ident!("{}", builder);
    let request_ident = format_ident!("{}", request);
    let writable: Vec<_> = schema.fields.iter().filter(|field| !field.read_only).collect();
    let mut setters = Vec::new();
    let mut mask_names = Vec::new();
    for (index, field) in writable.iter().enumerate() {
        let (ident, ty) = generated
            .field(&rust_type_name(object), &field.wire_name)
            .ok_or_else(|| anyhow::anyhow!("no field {} in {object}", field.wire_name))?;
        let setter = format_ident!("{}", ident.to_string().trim_start_matches("r#"));
        let setter = if ident.to_string().starts_with("r#") { ident.clone() } else { setter };
        let (inner, wrap) = match option_inner(&ty) {
            Some(inner) => (inner.clone(), true),
            None => (ty.clone(), false),
        };
        let (parameter, value) = if is_string(&inner) {
            (quote!(value: impl Into<::std::string::String>), quote!(value.into()))
        } else if is_secret(&inner) {
            (quote!(value: impl Into<SecretString>), quote!(value.into()))
        } else if let Some(item) = vec_inner(&inner) {
            (
                quote!(values: impl IntoIterator<Item = impl Into<#item>>),
                quote!(values.into_iter().map(Into::into).collect()),
            )
        } else {
            (quote!(value: impl Into<#inner>), quote!(value.into()))
        };
        let value = if wrap { quote!(Some(#value)) } else { value };
        let wire = &field.wire_name;
        let description = field.description.as_deref().map(prose).unwrap_or_else(|| format!("Set `{wire}`."));
        let setter_doc = doc(&format!("{}\n\nAdds `{wire}` to the update mask.", sentence(&description)));
        setters.push(quote! {
            #setter_doc
            pub fn #setter(mut self, #parameter) -> Self {
                self.object.#ident = #value;
                self.set.insert(#index);
                self
            }
        });
        mask_names.push(wire.clone());
    }
    let count = mask_names.len();
    let (object_ident, object_ty) = generated
        .field(request, object_field)
        .ok_or_else(|| anyhow::anyhow!("no field {object_field} in {request}"))?;
    let (mask_ident, mask_ty) =
        generated.field(request, mask_field).ok_or_else(|| anyhow::anyhow!("no field {mask_field} in {request}"))?;
    let object_value = if option_inner(&object_ty).is_some() {
        quote!(Some(self.object.clone()))
    } else {
        quote!(self.object.clone())
    };
    let mask_value =
        if option_inner(&mask_ty).is_some() { quote!(Some(self.update_mask())) } else { quote!(self.update_mask()) };
    let builder_doc = doc(&format!(
        "The fields of a [`types::{object_rust}`] to change; fields left unset are not touched.\n\n\
         Only the fields a client may write are here (the spec's read-only fields are kept by the\n\
         server). The update mask names exactly the fields set, by their names on the wire, in the\n\
         spec's order: {}.",
        mask_names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
    ));
    Ok(quote! {
        #builder_doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #builder_ident {
            object: types::#object_rust,
            set: ::std::collections::BTreeSet<usize>,
        }

        impl #builder_ident {
            /// The wire names of the fields an update may set, in the spec's order.
            pub const FIELDS: [&'static str; #count] = [#(#mask_names),*];

            /// An update that changes nothing yet.
            pub fn new() -> Self {
                Self::default()
            }

            #(#setters)*

            /// The update mask: the wire names of the fields set, comma-separated, in the spec's order.
            pub fn update_mask(&self) -> ::std::string::String {
                self.set.iter().filter_map(|index| Self::FIELDS.get(*index).copied()).collect::<::std::vec::Vec<_>>().join(",")
            }

            /// Whether no field is set.
            pub fn is_empty(&self) -> bool {
                self.set.is_empty()
            }

            /// The request body: the fields set, and the mask naming them.
            pub fn to_request(&self) -> types::#request_ident {
                types::#request_ident {
                    #object_ident: #object_value,
                    #mask_ident: #mask_value,
                }
            }
        }
    })
}
