//! A fake of the Personal Client API for your own tests: typed expectations on a server on
//! 127.0.0.1 (cargo feature `mock`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), conductorone_personal_client::Error> {
//! use conductorone_personal_client::mock::MockServer;
//! use conductorone_personal_client::types::PersonalClient;
//!
//! let server = MockServer::start().await;
//! let pc = PersonalClient { id: Some("pc-1".into()), display_name: Some("ci".into()), ..Default::default() };
//! server.expect_get("pc-1").times(1).returns(pc.clone()).await;
//! server.expect_delete("pc-2").fails(404, 5, "personal client not found").await;
//!
//! let client = server.client()?;
//! assert_eq!(client.get("pc-1").await?, pc);
//! assert_eq!(client.delete("pc-2").await.unwrap_err().status().map(|status| status.as_u16()), Some(404));
//! # Ok(())
//! # }
//! ```
//!
//! Each expectation matches one operation (method and path, and the request body with
//! [`Expectation::with_body`]) and answers it as the API would. A request that no expectation
//! matches is answered 404. An expectation with [`Expectation::times`] is checked when the
//! server is dropped (or by [`MockServer::verify`]): a wrong count fails the test.

use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::generated::types;
use crate::retry::RetryPolicy;

/// The access token the mock's [`MockServer::client`] sends.
pub const MOCK_ACCESS_TOKEN: &str = "mock-access-token";

const PERSONAL_CLIENTS: &str = "/api/v1/iam/personal_clients";
const SEARCH: &str = "/api/v1/search/iam/personal_clients";

/// A fake Personal Client API on 127.0.0.1 and a free port; it stops when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("base_url", &self.server.uri()).finish()
    }
}

/// What a list or search answers: one page.
#[derive(Debug)]
pub struct PageReply;

/// What a create answers: the new personal client and its secret.
#[derive(Debug)]
pub struct CreatedReply;

/// What a delete answers: nothing.
#[derive(Debug)]
pub struct DeletedReply;

impl MockServer {
    /// Starts a server.
    pub async fn start() -> Self {
        Self { server: wiremock::MockServer::start().await }
    }

    /// The server's base URL, such as `http://127.0.0.1:40123`.
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// A client for this server, with the static token [`MOCK_ACCESS_TOKEN`] and no retries
    /// (so that every expected request is sent exactly once).
    pub fn client(&self) -> Result<Client, Error> {
        self.builder().build()
    }

    /// A builder for this server, with the static token [`MOCK_ACCESS_TOKEN`] and no retries,
    /// to change further before building.
    pub fn builder(&self) -> crate::ClientBuilder {
        Client::builder()
            .base_url(self.server.uri())
            .access_token(MOCK_ACCESS_TOKEN)
            .retry_policy(RetryPolicy::disabled())
    }

    /// Checks now that every expectation with [`Expectation::times`] was met.
    ///
    /// # Panics
    ///
    /// When one was not, as a failed test should.
    pub async fn verify(&self) {
        self.server.verify().await;
    }

    /// Every request the server received, in order: its method, its path, and its JSON body
    /// (`null` when it has none or it is not JSON).
    pub async fn received_requests(&self) -> Vec<(String, String, Value)> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|request| {
                let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                (request.method.to_string(), request.url.path().to_owned(), body)
            })
            .collect()
    }

    fn expect<R>(&self, http_method: &str, url_path: String) -> Expectation<'_, R> {
        Expectation {
            server: &self.server,
            mock: Mock::given(method(http_method)).and(path(url_path)),
            times: None,
            reply: PhantomData,
        }
    }

    /// A list of the current user's personal clients.
    pub fn expect_list(&self) -> Expectation<'_, PageReply> {
        self.expect("GET", PERSONAL_CLIENTS.to_owned())
    }

    /// A search over all users' personal clients.
    pub fn expect_search(&self) -> Expectation<'_, PageReply> {
        self.expect("POST", SEARCH.to_owned())
    }

    /// A create.
    pub fn expect_create(&self) -> Expectation<'_, CreatedReply> {
        self.expect("POST", PERSONAL_CLIENTS.to_owned())
    }

    /// A get of the personal client `id`.
    pub fn expect_get(&self, id: &str) -> Expectation<'_, types::PersonalClient> {
        self.expect("GET", format!("{PERSONAL_CLIENTS}/{}", encode(id)))
    }

    /// An update of the personal client `id`.
    pub fn expect_update(&self, id: &str) -> Expectation<'_, types::PersonalClient> {
        self.expect("POST", format!("{PERSONAL_CLIENTS}/{}", encode(id)))
    }

    /// A delete of the personal client `id`.
    pub fn expect_delete(&self, id: &str) -> Expectation<'_, DeletedReply> {
        self.expect("DELETE", format!("{PERSONAL_CLIENTS}/{}", encode(id)))
    }
}

/// An id as it appears in a request path.
fn encode(id: &str) -> String {
    progenitor_client::encode_path(id)
}

/// One expected operation; finish it with a `returns` or [`Expectation::fails`], which mounts it.
#[must_use = "an expectation does nothing until `returns(...)` or `fails(...)` is awaited"]
pub struct Expectation<'a, R> {
    server: &'a wiremock::MockServer,
    mock: MockBuilder,
    times: Option<u64>,
    reply: PhantomData<R>,
}

impl<R> std::fmt::Debug for Expectation<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation").field("times", &self.times).finish_non_exhaustive()
    }
}

impl<R> Expectation<'_, R> {
    /// The operation must be called exactly `times` times (checked when the server is dropped).
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Matches only requests whose JSON body equals `body` (such as the request type of create,
    /// update or search).
    pub fn with_body(mut self, body: &impl Serialize) -> Self {
        let body = serde_json::to_value(body).unwrap_or(Value::Null);
        self.mock = self.mock.and(body_json(body));
        self
    }

    /// Answers with the API's error: `status`, and the JSON body `{"code", "message"}` with a
    /// gRPC status `code` (5 is NOT_FOUND, 7 PERMISSION_DENIED, 16 UNAUTHENTICATED).
    pub async fn fails(self, status: u16, code: i32, message: &str) {
        self.mount(
            ResponseTemplate::new(status).set_body_json(json!({ "code": code, "message": message, "details": [] })),
        )
        .await;
    }

    async fn mount(self, answer: ResponseTemplate) {
        let mock = self.mock.respond_with(answer);
        let mock = match self.times {
            Some(times) => mock.expect(times),
            None => mock,
        };
        mock.mount(self.server).await;
    }
}

fn json_answer(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

impl Expectation<'_, PageReply> {
    /// Answers with one page of `items`, and `next_page_token` when there is a page after it.
    pub async fn returns(self, items: Vec<types::PersonalClient>, next_page_token: Option<&str>) {
        let body = json!({ "list": items, "nextPageToken": next_page_token.unwrap_or_default() });
        self.mount(json_answer(body)).await;
    }
}

impl Expectation<'_, CreatedReply> {
    /// Answers with the new personal client and its secret.
    pub async fn returns(self, client: types::PersonalClient, client_secret: &str) {
        self.mount(json_answer(json!({ "client": client, "clientSecret": client_secret }))).await;
    }
}

impl Expectation<'_, types::PersonalClient> {
    /// Answers with this personal client.
    pub async fn returns(self, client: types::PersonalClient) {
        self.mount(json_answer(json!({ "client": client }))).await;
    }
}

impl Expectation<'_, DeletedReply> {
    /// Answers that the personal client was deleted.
    pub async fn returns(self) {
        self.mount(json_answer(json!({}))).await;
    }
}
