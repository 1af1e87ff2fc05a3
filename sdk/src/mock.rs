//! A fake of the Personal Client API for your own tests: typed expectations on a server on
//! 127.0.0.1 (cargo feature `mock`).
//!
//! The crate's README shows it in use ("Testing your code against a fake API").
//!
//! There is one `expect_<operation>` per operation of the API (generated from the spec, with
//! each operation's own `returns`). Each expectation matches one operation (method and path, and
//! the request body with [`Expectation::with_body`]) and answers it as the API would. A request
//! that no expectation matches is answered 404. An expectation with [`Expectation::times`]
//! answers that many requests, and is checked when the server is dropped (or by
//! [`MockServer::verify`]): a wrong count fails the test. Expectations of one operation answer
//! in the order they were set up, so a sequence of answers is a sequence of expectations.

use std::marker::PhantomData;

use serde::Serialize;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use crate::client::Client;
use crate::error::Error;
use crate::operations::Operation;
use crate::retry::RetryPolicy;

pub use crate::mock_expectations::replies;

/// The access token the mock's [`MockServer::client`] sends.
pub const MOCK_ACCESS_TOKEN: &str = "mock-access-token";

/// A fake of the API on 127.0.0.1 and a free port; it stops when dropped.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer").field("base_url", &self.server.uri()).finish()
    }
}

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

    /// An expectation of `operation`, its path template filled in with `path_values` (by
    /// parameter name): each the text the client writes into the path, encoded already.
    pub(crate) fn expect<R>(&self, operation: Operation, path_values: &[(&str, String)]) -> Expectation<'_, R> {
        let mut url_path = operation.path().to_owned();
        for (name, text) in path_values {
            url_path = url_path.replace(&format!("{{{name}}}"), text);
        }
        Expectation {
            server: &self.server,
            mock: Mock::given(method(operation.method())).and(path(url_path)),
            operation,
            times: None,
            reply: PhantomData,
        }
    }
}

/// One expected operation; finish it with its `returns(...)` or with [`Expectation::fails`],
/// which mounts it.
#[must_use = "an expectation does nothing until `returns(...)` or `fails(...)` is awaited"]
pub struct Expectation<'a, R> {
    server: &'a wiremock::MockServer,
    mock: MockBuilder,
    operation: Operation,
    times: Option<u64>,
    reply: PhantomData<R>,
}

impl<R> std::fmt::Debug for Expectation<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &self.operation)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

impl<R> Expectation<'_, R> {
    /// The operation must be called exactly `times` times (checked when the server is
    /// dropped); it answers that many calls, so that a later expectation of the same operation
    /// answers the next ones.
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }

    /// Matches only requests whose JSON body equals `body` (such as the request type of the
    /// operation).
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

    /// Answers with the operation's success status and `body`.
    pub(crate) async fn answer(self, body: Value) {
        let status = self.operation.success_status();
        self.mount(ResponseTemplate::new(status).set_body_json(body)).await;
    }

    /// Answers with the operation's success status and `body` as text.
    #[allow(dead_code, reason = "the generated code calls it only for specs with such operations")]
    pub(crate) async fn answer_text(self, body: &str) {
        let status = self.operation.success_status();
        self.mount(ResponseTemplate::new(status).set_body_string(body)).await;
    }

    /// Answers with `status` and `body` as JSON (no body when `None`): for an operation with
    /// several documented outcomes, whichever the test wants.
    #[allow(dead_code, reason = "the generated code calls it only for specs with such operations")]
    pub(crate) async fn answer_status(self, status: u16, body: Option<Value>) {
        let answer = ResponseTemplate::new(status);
        let answer = match body {
            Some(body) => answer.set_body_json(body),
            None => answer,
        };
        self.mount(answer).await;
    }

    async fn mount(self, answer: ResponseTemplate) {
        let mock = self.mock.respond_with(answer);
        let mock = match self.times {
            // `times(0)`: any call is one too many, which the check on drop reports.
            Some(0) => mock.expect(0),
            Some(times) => mock.up_to_n_times(times).expect(times),
            None => mock,
        };
        mock.mount(self.server).await;
    }
}
