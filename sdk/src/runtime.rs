//! The state behind the generated client, the hooks of its direct calls (the `Authorization`
//! header, the body limit), and the sending both kinds of call share.
//!
//! Retries, the refresh after a 401 and the call deadline live in [`crate::Client`], which
//! runs each operation's generated request and answer functions once per attempt, with its
//! own token and timeout in place of the hooks: a request is built again for a retry instead
//! of being copied before every first attempt, so a call that succeeds pays nothing for them.

use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::AUTHORIZATION;

use crate::auth::Auth;
use crate::generated::Client as GeneratedClient;
use crate::retry::RetryPolicy;

/// What every generated call needs besides the HTTP client: credentials, the retry policy
/// and the timeouts. Built by [`crate::ClientBuilder`]; users never build one.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Runtime {
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    pub(crate) call_timeout: Duration,
    /// The per-attempt timeout of the HTTP client the SDK built; `None` for a caller's client,
    /// whose own timeout then bounds each attempt.
    pub(crate) attempt_timeout: Option<Duration>,
    /// The largest response body a call reads.
    pub(crate) max_response_bytes: u64,
}

/// The error a response body's stream ends with once it passes the limit.
#[derive(Debug)]
struct BodyTooLarge;

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the response body is larger than the client's limit")
    }
}

impl std::error::Error for BodyTooLarge {}

/// Whether a body error is the limit's (see [`ClientHooks::exec`] below).
pub(crate) fn is_too_large(error: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause.is::<BodyTooLarge>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// `response` with a body that ends in an error once more than `limit` bytes have arrived, so
/// that whatever reads it (whole, or chunk by chunk) never holds more than about the limit. A
/// body whose declared length is within the limit is left alone: the HTTP layer already stops
/// at that length.
fn limited(mut response: reqwest::Response, limit: u64) -> reqwest::Response {
    if response.content_length().is_some_and(|length| length <= limit) {
        return response;
    }
    let status = response.status();
    let version = response.version();
    let headers = std::mem::take(response.headers_mut());
    let mut seen: u64 = 0;
    let body = futures::StreamExt::map(response.bytes_stream(), move |chunk| {
        let chunk = chunk.map_err(|error| -> Box<dyn std::error::Error + Send + Sync> { Box::new(error) })?;
        seen = seen.saturating_add(chunk.len() as u64);
        if seen > limit {
            return Err(Box::new(BodyTooLarge) as Box<dyn std::error::Error + Send + Sync>);
        }
        Ok(chunk)
    });
    let mut rebuilt = http::Response::new(reqwest::Body::wrap_stream(body));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}

/// Sends `request` with the response's body bounded by the client's limit: the generated
/// client's `exec` hook, and each attempt of the hand-written [`crate::Client`]. The request is
/// handed to reqwest before the returned future is first polled, so that the future holds only
/// reqwest's (boxed) one, not the request.
pub(crate) fn send(
    client: &GeneratedClient,
    request: reqwest::Request,
) -> impl Future<Output = reqwest::Result<reqwest::Response>> + use<> {
    let limit = client.inner().max_response_bytes;
    let pending = client.client().execute(request);
    async move { Ok(limited(pending.await?, limit)) }
}

/// The hooks of a direct call of the generated client ([`crate::Client::generated`]); the
/// hand-written client's attempts build, authorise and send the request themselves.
impl ClientHooks<Runtime> for GeneratedClient {
    /// Adds the `Authorization` header, fetching or refreshing an access token if needed.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let authorization =
            self.inner().auth.authorization().await.map_err(|error| {
                progenitor_client::Error::Custom(format!("could not obtain an access token: {error}"))
            })?;
        request.headers_mut().insert(AUTHORIZATION, authorization);
        Ok(())
    }

    /// Sends the request, with the response's body bounded by the client's limit.
    async fn exec(&self, request: reqwest::Request, _info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        send(self, request).await
    }
}
