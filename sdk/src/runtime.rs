//! The state behind the generated client and the hooks it calls: authentication and retries.

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::auth::Auth;
use crate::generated::Client as GeneratedClient;
use crate::retry::{RetryPolicy, is_retryable_error, is_retryable_status, retry_after};

tokio::task_local! {
    /// The `Authorization` value the hand-written [`crate::Client`] already obtained for this
    /// call, so that the hook does not ask the token source a second time.
    pub(crate) static CALL_AUTHORIZATION: HeaderValue;
}

/// What every generated call needs besides the HTTP client: credentials and the retry policy.
#[derive(Debug, Clone)]
pub struct Runtime {
    pub(crate) auth: Auth,
    pub(crate) retry: RetryPolicy,
}

impl ClientHooks<Runtime> for GeneratedClient {
    /// Adds the `Authorization` header, fetching or refreshing an access token when needed.
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let authorization = match CALL_AUTHORIZATION.try_with(Clone::clone) {
            Ok(authorization) => authorization,
            // A direct call of the generated client: fetch (or reuse) a token here.
            Err(_) => self.inner().auth.authorization().await.map_err(|error| {
                progenitor_client::Error::Custom(format!("could not obtain an access token: {error}"))
            })?,
        };
        request.headers_mut().insert(AUTHORIZATION, authorization);
        Ok(())
    }

    /// Sends the request, retrying as the [`RetryPolicy`] allows.
    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        let policy = &self.inner().retry;
        let allowed = policy.attempts_for(info.operation_id);
        let mut request = request;
        let mut retry = 0;
        loop {
            let spare = if retry < allowed { request.try_clone() } else { None };
            let result = self.client().execute(request).await;
            let Some(spare) = spare else { return result };
            let delay = match &result {
                Ok(response) if is_retryable_status(response.status()) => {
                    policy.delay(retry, retry_after(response.headers()))
                }
                Err(error) if is_retryable_error(error) => policy.delay(retry, None),
                _ => None,
            };
            let Some(delay) = delay else { return result };
            drop(result);
            policy.wait(delay).await;
            request = spare;
            retry += 1;
        }
    }
}
