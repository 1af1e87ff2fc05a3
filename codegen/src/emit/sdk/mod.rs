//! The SDK's surface, generated from the model ([`crate::model`]) and the resolved methods of the
//! generated client ([`crate::emit::method`]): the `Operation` enum, one `Client` method per
//! operation (with paging helpers, update builders and the types that carry secrets),
//! operations by name for tools, and the mock's typed expectations. Each is rendered by a module
//! of its own from one resolved facade per operation ([`facade`]).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens as _, format_ident, quote};

mod example;
mod facade;
mod item;
mod json;
mod mock;
mod models;
mod operation_enum;
mod paging;
mod update;

use crate::emit::method::Method;
use crate::model::{Api, Operation};

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

/// Removes every lifetime from a type (`&'a str` becomes `&str`).
pub(super) struct WithoutLifetimes;

impl syn::visit_mut::VisitMut for WithoutLifetimes {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        reference.lifetime = None;
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

pub(super) fn derives(attributes: &[syn::Attribute], name: &str) -> bool {
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
pub(super) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_inner(ty, "Option")
}

/// The `T` of `Vec<T>`.
pub(super) fn vec_inner(ty: &syn::Type) -> Option<&syn::Type> {
    generic_inner(ty, "Vec")
}

pub(super) fn generic_inner<'t>(ty: &'t syn::Type, wrapper: &str) -> Option<&'t syn::Type> {
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
pub(super) fn is_str_reference(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Reference(reference) if reference.elem.to_token_stream().to_string() == "str")
}

/// Whether a type names `String`.
pub(super) fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "String"))
}

/// Whether a type names `SecretString`.
pub(super) fn is_secret(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "SecretString"))
}

/// The owned form of an argument type, for helpers that outlive the call: `&str` → `String`,
/// `&T` → `T`, `Option<&str>` → `Option<String>`, `Option<&T>` → `Option<T>`.
pub(super) fn owned(ty: &syn::Type) -> syn::Type {
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
pub(super) fn borrow(value: &syn::Ident, ty: &syn::Type) -> TokenStream {
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
pub(super) fn doc(text: &str) -> TokenStream {
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
pub(super) fn operation_prose(operation: &Operation) -> String {
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
        crate::emit::code_span(&operation.path),
        if operation.read_only { ", which only reads: retried by default" } else { "" }
    ));
    paragraphs.join("\n\n")
}

/// Generates the surface from the resolved methods and the models progenitor generated.
/// `crate_name` is the SDK crate's name as code writes it (`conductorone_personal_client`), for
/// the examples.
pub fn surface(api: &Api, methods: &[Method<'_>], generated: &syn::File, crate_name: &str) -> anyhow::Result<Surface> {
    let models = models::Models::new(generated)?;
    let crate_ident = format_ident!("{}", crate_name);
    let mut outputs: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut updates: BTreeMap<String, TokenStream> = BTreeMap::new();
    let mut facades = Vec::new();
    for method in methods {
        let operation = method.operation;
        let facade = facade::resolve(api, method, &models, &mut outputs, &mut updates)
            .map_err(|error| anyhow::anyhow!("{} {}: {error}", operation.method.as_str(), operation.path))?;
        facades.push(facade);
    }
    let mut items = Vec::new();
    let mut json_arms = Vec::new();
    let mut mock_methods = Vec::new();
    let mut mock_replies = Vec::new();
    let mut mock_markers = Vec::new();
    let mut docs = Vec::new();
    for facade in &facades {
        let (helpers, helper_docs) = paging::helpers(facade, &models)?;
        let method = item::method_item(facade, &crate_ident);
        items.push(quote!(#method #helpers));
        json_arms.push(json::arm(facade));
        let mock = mock::items(facade);
        mock_methods.push(mock.method);
        mock_replies.push(mock.reply);
        mock_markers.push(mock.marker);
        docs.push(MethodDoc {
            name: facade.method.operation.name.clone(),
            signature: example::signature(facade),
            returns: facade.returned.text.clone(),
            example: example::example(facade, &crate_ident),
            helpers: helper_docs,
            update_builder: facade.update_builder.clone(),
            generated_call: format!(
                "client.generated().{}({})",
                facade.method.ident(),
                facade.arguments.iter().map(|argument| argument.ident.to_string()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    let methods = items;
    let enum_items = operation_enum::operation_enum(api);
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
                // Neither is used where the API has no operations.
                let _ = (&arguments, &body);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::{MOCK_EXPECTATIONS_PATH, OPERATIONS_PATH};

    pub(crate) const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /widgets/{id}:
    get:
      operationId: getWidget
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/WidgetAnswer"}}}}
    post:
      operationId: updateWidget
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/UpdateWidgetRequest"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/WidgetAnswer"}}}}
components:
  schemas:
    Widget:
      type: object
      properties:
        id: {type: string, readOnly: true, description: The widget's id.}
        name: {type: string, description: What people call it.}
        tags: {type: array, items: {type: string}}
        apiSecret: {type: string, description: The widget's secret.}
    WidgetAnswer:
      type: object
      properties:
        widget: {$ref: "#/components/schemas/Widget"}
    UpdateWidgetRequest:
      type: object
      properties:
        widget: {$ref: "#/components/schemas/Widget"}
        updateMask: {type: string}
"##;

    /// The file `path` of the SDK generated from [`SPEC`], its whitespace removed (prettyplease
    /// leaves macro arguments as tokens, so only the tokens are compared).
    pub(crate) fn generated(path: &str) -> String {
        generated_from(SPEC, path)
    }

    fn generated_from(spec: &str, path: &str) -> String {
        let files = crate::generate("spec.yaml", spec.as_bytes(), "widgets").expect("generates");
        let file = files.into_iter().find(|file| file.path == path).expect("the file is generated");
        file.contents
    }

    fn tokens(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn the_update_builder_sets_only_writable_fields_and_names_them_in_the_mask() {
        let text = tokens(&generated(OPERATIONS_PATH));
        assert!(text.contains("pubstructWidgetUpdate{object:types::Widget,"), "{text}");
        // The read-only `id` has no setter and is never in the mask; the others keep the spec's order.
        assert!(text.contains(r#"pubconstFIELDS:[&'staticstr;3usize]=["name","tags","apiSecret"];"#), "{text}");
        assert!(!text.contains("pubfnid("), "{text}");
        // Each setter takes what converts into the field's type and marks its place in the mask.
        assert!(text.contains("pubfnname(mutself,value:implInto<::std::string::String>)->Self{self.object.name=Some(value.into());self.set.insert(0usize);"), "{text}");
        assert!(text.contains("values:implIntoIterator<Item=implInto<::std::string::String>>,)->Self{self.object.tags=values.into_iter().map(Into::into).collect();self.set.insert(1usize);"), "{text}");
        assert!(text.contains("pubfnapi_secret(mutself,value:implInto<SecretString>)->Self{self.object.api_secret=Some(value.into());self.set.insert(2usize);"), "{text}");
        // The request holds the object and the mask, each optional as the request's fields are.
        assert!(
            text.contains(
                "types::UpdateWidgetRequest{widget:Some(self.object.clone()),update_mask:Some(self.update_mask()),}"
            ),
            "{text}"
        );
        // The operation's method takes the builder, not the request.
        assert!(text.contains("update:&WidgetUpdate,"), "{text}");
    }

    #[test]
    fn an_object_without_a_default_is_updated_with_the_whole_request() {
        // A required `name` leaves typify's `Widget` without `Default`, which the builder starts from.
        let spec = SPEC
            .replace("    Widget:\n      type: object\n", "    Widget:\n      type: object\n      required: [name]\n");
        assert_ne!(spec, SPEC);
        let text = tokens(&generated_from(&spec, OPERATIONS_PATH));
        assert!(!text.contains("WidgetUpdate"), "{text}");
        assert!(text.contains("pubasyncfnupdate_widget(&self,id:&str,request:&types::UpdateWidgetRequest,)"), "{text}");
    }

    #[test]
    fn the_mock_expects_each_operation_by_its_path_parameters_and_answers_what_it_returns() {
        let text = tokens(&generated(MOCK_EXPECTATIONS_PATH));
        assert!(text.contains("pubfnexpect_get_widget(&self,id:&str)->Expectation<'_,replies::GetWidget>{self.expect(Operation::GetWidget,&[(\"id\","), "{text}");
        assert!(
            text.contains("pubfnexpect_update_widget(&self,id:&str,)->Expectation<'_,replies::UpdateWidget>"),
            "{text}"
        );
        // The method returns the answer's one field, so the mock takes that field and wraps it
        // as the API would.
        assert!(text.contains("implExpectation<'_,replies::GetWidget>{"), "{text}");
        assert!(text.contains(r#"pubasyncfnreturns(self,value:types::Widget){self.answer(::serde_json::json!({"widget":value})).await}"#), "{text}");
    }

    #[test]
    fn the_operations_page_shows_the_update_builder_and_the_generated_call() {
        let page = generated("docs/sdks/personal_client/README.md");
        assert!(page.contains("| [`update_widget`](#update_widget) | `POST` | `/widgets/{id}` |"), "{page}");
        assert!(page.contains("`update`: a `WidgetUpdate`, which builds the body and its update mask"), "{page}");
        assert!(page.contains("`client.generated().update_widget(id, body)`"), "{page}");
        assert!(page.contains("retried only after `RetryPolicy::retry_writes(true)`"), "{page}");
    }
}
