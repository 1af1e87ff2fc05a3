//! The state behind the generated client and the hooks it calls: authentication, retries, the
//! refresh after a 401, and the call deadline.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::auth::Auth;
use crate::error::AuthError;
use crate::generated::Client as GeneratedClient;
use crate::retry::{RetryPolicy, is_retryable_error, is_retryable_status, retry_after};

tokio::task_local! {
    /// The hand-written [`crate::Client`]'s record of the call under way; the hooks read and
    /// fill it in. Direct calls of the generated client run without one.
    pub(crate) static CALL_CONTEXT: Arc<CallContext>;
}

/// What the hand-written client knows of a call, and what the hooks tell it back.
pub(crate) struct CallContext {
    /// When the call started, on the retry policy's clock.
    pub(crate) started: Instant,
    /// The `Authorization` value the client obtained before the call, for the first attempt.
    pub(crate) authorization: HeaderValue,
    /// How many requests were sent; shared with the caller, who reads it even when the call
    /// is cut short by the deadline.
    attempts: Arc<AtomicU32>,
    /// Why the hooks stopped early, when the answer they returned does not say it.
    stop: Mutex<Option<CallStop>>,
}

/// Why the hooks gave up with the answer they had.
pub(crate) enum CallStop {
    /// A fresh token was needed for the next attempt and could not be obtained.
    Auth(AuthError),
    /// The next wait would have passed the call deadline.
    Deadline,
}

impl CallContext {
    pub(crate) fn new(started: Instant, authorization: HeaderValue, attempts: Arc<AtomicU32>) -> Self {
        Self { started, authorization, attempts, stop: Mutex::new(None) }
    }

    /// How many requests were sent.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts.load(Ordering::Acquire)
    }

    /// Why the hooks stopped early, if they did.
    pub(crate) fn take_stop(&self) -> Option<CallStop> {
        self.stop.lock().ok().and_then(|mut stop| stop.take())
    }

    fn record_stop(&self, stop: CallStop) {
        if let Ok(mut slot) = self.stop.lock() {
            *slot = Some(stop);
        }
    }
}

/// What every generated call needs besides the HTTP client: credentials, the retry policy
/// and the call timeout. Built by [`crate::ClientBuilder`]; users never build one.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Runtime {
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
    pub(crate) call_timeout: Duration,
}

impl ClientHooks<Runtime> for GeneratedClient {
    /// Adds the `Authorization` header, fetching or refreshing an access token when needed.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let authorization = match CALL_CONTEXT.try_with(|context| context.authorization.clone()) {
            Ok(authorization) => authorization,
            // A direct call of the generated client: fetch (or reuse) a token here.
            Err(_) => self.inner().auth.authorization().await.map_err(|error| {
                progenitor_client::Error::Custom(format!("could not obtain an access token: {error}"))
            })?,
        };
        request.headers_mut().insert(AUTHORIZATION, authorization);
        Ok(())
    }

    /// Sends the request: retried as the [`RetryPolicy`] allows, each attempt with the current
    /// token; sent once more with a fresh token after a 401; never waiting past the call deadline.
    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let runtime = self.inner();
        let policy = &runtime.retry;
        let context = CALL_CONTEXT.try_with(Arc::clone).ok();
        let started = context.as_ref().map_or_else(|| policy.now(), |context| context.started);
        let allowed_retries = policy.attempts_for(info.operation_id);
        let mut may_refresh = runtime.auth.is_refreshable();
        let mut retry = 0;
        let mut request = request;
        loop {
            let spare = if retry < allowed_retries || may_refresh { request.try_clone() } else { None };
            let used = spare.as_ref().and_then(|spare| spare.headers().get(AUTHORIZATION).cloned());
            if let Some(context) = &context {
                context.attempts.fetch_add(1, Ordering::AcqRel);
            }
            let result = self.client().execute(request).await;
            let Some(mut spare) = spare else { return result };

            let unauthorized = matches!(&result, Ok(response) if response.status() == StatusCode::UNAUTHORIZED);
            let delay = if unauthorized && may_refresh {
                // The token was refused: drop it, fetch another and send the request once more.
                may_refresh = false;
                if let Some(used) = &used {
                    runtime.auth.invalidate(used).await;
                }
                Duration::ZERO
            } else if retry < allowed_retries {
                let delay = match &result {
                    Ok(response) if is_retryable_status(response.status()) => {
                        policy.delay(retry, retry_after(response.headers()))
                    }
                    Err(error) if is_retryable_error(error) => policy.delay(retry, None),
                    _ => None,
                };
                let Some(delay) = delay else { return result };
                if policy.now().saturating_duration_since(started) + delay >= runtime.call_timeout {
                    if let Some(context) = &context {
                        context.record_stop(CallStop::Deadline);
                    }
                    return result;
                }
                retry += 1;
                delay
            } else {
                return result;
            };

            drop(result);
            if !delay.is_zero() {
                policy.wait(delay).await;
            }
            // Every attempt carries the token that is current when it is sent.
            match runtime.auth.authorization().await {
                Ok(authorization) => {
                    spare.headers_mut().insert(AUTHORIZATION, authorization);
                }
                Err(error) => {
                    if let Some(context) = &context {
                        context.record_stop(CallStop::Auth(error));
                    }
                    return Ok(unauthorized_response());
                }
            }
            request = spare;
        }
    }
}

/// The answer that stands in for a request that could not be sent because no token could be
/// obtained; the hand-written client reports the [`AuthError`] it recorded instead.
fn unauthorized_response() -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    reqwest::Response::from(response)
}
