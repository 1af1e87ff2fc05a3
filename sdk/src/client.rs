//! The client users hold: construction, credentials, and the machinery every operation's method
//! (generated in `operations.rs`) calls through.

use std::sync::Arc;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::header::AUTHORIZATION;
use serde::de::DeserializeOwned;

use crate::auth::{
    Auth, Exchange, PersonalClientCredentials, TokenSource, WorkloadFederationCredentials, host_of_client_id,
    normalize_tenant,
};
use crate::error::{ConfigError, CredentialError, Error, ErrorBody};
use crate::generated::Client as GeneratedClient;
use crate::operations::Operation;
use crate::retry::{RetryPolicy, is_retryable_error, is_retryable_status, retry_after};
use crate::runtime::Runtime;
use crate::secret::SecretString;

/// The `User-Agent` the SDK sends: the crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default limit on one attempt, from connecting to reading the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default limit on a whole call: every attempt and every wait between them.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// The default limit on the body of one response: 16 MiB, hundreds of times a large page.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// How the client proves who it is.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// An access token, sent as is.
    AccessToken(SecretString),
    /// A personal client's id and secret, exchanged for access tokens as needed.
    PersonalClient(PersonalClientCredentials),
    /// A workload federation trust: an external OIDC token exchanged for access tokens.
    WorkloadFederation(WorkloadFederationCredentials),
}

impl Credentials {
    /// The tenant host the credential names, if it names one.
    fn tenant_host(&self) -> Option<&str> {
        match self {
            Self::AccessToken(_) => None,
            Self::PersonalClient(credentials) => Some(credentials.tenant_host()),
            Self::WorkloadFederation(credentials) => Some(credentials.tenant_host()),
        }
    }
}

/// A client for the Personal Client API of one ConductorOne tenant.
///
/// Cloning is cheap and clones share the connection pool and the cached access token.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) generated: Arc<GeneratedClient>,
    /// The server as `scheme://host:port`, for error messages.
    address: Arc<str>,
}

/// Builds a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    invalid_tenant: Option<String>,
    credentials: Option<Credentials>,
    http_client: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    token_url: Option<String>,
    accept_insecure_http: bool,
    max_response_bytes: Option<u64>,
}

impl ClientBuilder {
    /// Talk to a tenant: `acme` means `https://acme.conductor.one`; a name with a dot, such as
    /// `acme.example.com`, is the host itself. Names are lower-cased, as the official SDKs do.
    ///
    /// A name that is not letters, digits, `.` and `-` makes [`ClientBuilder::build`] fail.
    pub fn tenant(mut self, tenant: &str) -> Self {
        match normalize_tenant(tenant) {
            Some(host) => {
                self.base_url = Some(format!("https://{host}"));
                self.invalid_tenant = None;
            }
            None => self.invalid_tenant = Some(tenant.trim().to_owned()),
        }
        self
    }

    /// Talk to this base URL (scheme, host and optional port), for example a local test server.
    ///
    /// Plain `http://` is accepted only for loopback addresses (`127.0.0.0/8`, `::1`,
    /// `localhost`) unless [`ClientBuilder::danger_accept_insecure_http`] is called.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self.invalid_tenant = None;
        self
    }

    /// Authenticate with this access token.
    pub fn access_token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::AccessToken(token.into()));
        self
    }

    /// Authenticate with a personal client; when no base URL is set, the client id's tenant is used.
    pub fn personal_client(mut self, credentials: PersonalClientCredentials) -> Self {
        self.credentials = Some(Credentials::PersonalClient(credentials));
        self
    }

    /// Authenticate with a workload federation trust; when no base URL is set, the client id's
    /// tenant is used.
    pub fn workload_federation(mut self, credentials: WorkloadFederationCredentials) -> Self {
        self.credentials = Some(Credentials::WorkloadFederation(credentials));
        self
    }

    /// Authenticate with these credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Send requests through this `reqwest::Client` instead of one the SDK builds.
    ///
    /// Its own timeouts, TLS and `User-Agent` settings then apply; [`ClientBuilder::timeout`]
    /// and [`ClientBuilder::connect_timeout`] do not.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// The limit on one attempt (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The limit on opening a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The limit on a whole call, its attempts and the waits between them (default
    /// [`DEFAULT_CALL_TIMEOUT`]). A retry whose wait would end past it is not made, and an
    /// attempt is cut short when it would run past it. With [`ClientBuilder::http_client`], that
    /// client's own timeout bounds each attempt instead.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The largest response body a call reads (default [`DEFAULT_MAX_RESPONSE_BYTES`]). A
    /// longer body is read no further: the call fails with [`Error::ResponseTooLarge`], and
    /// memory stays near the limit whatever the server sends.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Where access tokens are fetched (default: `/auth/v1/token` on the base URL's host).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = Some(token_url.into());
        self
    }

    /// Allow plain `http://` base and token URLs to hosts other than this machine.
    ///
    /// Access tokens and credentials then cross the network in clear text: anyone on the path
    /// can read and reuse them. Use it only on a network you trust, such as a test cluster.
    pub fn danger_accept_insecure_http(mut self) -> Self {
        self.accept_insecure_http = true;
        self
    }

    /// Builds the client. Fails, without panicking, on a bad URL, missing credentials or a TLS set-up error.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(tenant) = self.invalid_tenant {
            return Err(ConfigError::InvalidTenant { tenant }.into());
        }
        let credentials = self.credentials.ok_or(ConfigError::NoCredentials)?;
        let base_url = match (&self.base_url, credentials.tenant_host()) {
            (Some(base_url), _) => base_url.clone(),
            (None, Some(host)) => format!("https://{host}"),
            (None, None) => return Err(ConfigError::NoServer.into()),
        };
        let base_url = parse_url("base URL", &base_url, self.accept_insecure_http)?;
        let (http, attempt_timeout) = match self.http_client {
            Some(http) => (http, None),
            None => {
                let attempt_timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
                let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
                (default_http_client(attempt_timeout, connect_timeout)?, Some(attempt_timeout))
            }
        };
        let retry = self.retry.unwrap_or_default();
        let auth = match credentials {
            Credentials::AccessToken(token) => {
                if token.is_empty() {
                    return Err(ConfigError::EmptyAccessToken.into());
                }
                Auth::access_token(&token).ok_or(ConfigError::AccessTokenNotSendable)?
            }
            Credentials::PersonalClient(credentials) => {
                let token_url = token_url(self.token_url.as_deref(), &base_url, self.accept_insecure_http)?;
                let exchange = Exchange::PersonalClient(credentials);
                Auth::Exchange(Arc::new(TokenSource::new(exchange, token_url, http.clone(), retry.sleeper_handle())))
            }
            Credentials::WorkloadFederation(credentials) => {
                let token_url = token_url(self.token_url.as_deref(), &base_url, self.accept_insecure_http)?;
                let exchange = Exchange::WorkloadFederation(credentials);
                Auth::Exchange(Arc::new(TokenSource::new(exchange, token_url, http.clone(), retry.sleeper_handle())))
            }
        };
        let runtime = Runtime {
            auth,
            retry,
            call_timeout: self.call_timeout.unwrap_or(DEFAULT_CALL_TIMEOUT),
            attempt_timeout,
            max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
        };
        let address: Arc<str> = base_url.origin().ascii_serialization().into();
        let base_url = base_url.as_str().trim_end_matches('/').to_owned();
        Ok(Client { generated: Arc::new(GeneratedClient::new_with_client(&base_url, http, runtime)), address })
    }
}

/// The token URL: the one given, or `/auth/v1/token` on the base URL's host.
fn token_url(given: Option<&str>, base_url: &reqwest::Url, accept_insecure_http: bool) -> Result<reqwest::Url, Error> {
    match given {
        Some(token_url) => parse_url("token URL", token_url, accept_insecure_http),
        None => base_url.join("/auth/v1/token").map_err(|error| {
            ConfigError::InvalidUrl { role: "base URL", url: base_url.to_string(), reason: error.to_string() }.into()
        }),
    }
}

/// Parses an `http(s)` URL with a host and no query or fragment; plain `http` only to loopback
/// addresses, unless the caller accepted insecure HTTP.
fn parse_url(role: &'static str, url: &str, accept_insecure_http: bool) -> Result<reqwest::Url, Error> {
    let invalid = |reason: String| ConfigError::InvalidUrl { role, url: url.to_owned(), reason };
    let parsed = reqwest::Url::parse(url.trim()).map_err(|error| invalid(format!("it is not a URL ({error})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid("it must be http:// or https:// with a host".to_owned()).into());
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment".to_owned()).into());
    }
    if parsed.scheme() == "http" && !accept_insecure_http && !is_loopback(&parsed) {
        return Err(ConfigError::InsecureUrl { role, url: url.to_owned() }.into());
    }
    Ok(parsed)
}

/// Whether the URL's host is this machine: `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let address = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || address.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A `reqwest::Client` with rustls on the ring provider, the platform's trust store, and our User-Agent.
fn default_http_client(timeout: Duration, connect_timeout: Duration) -> Result<reqwest::Client, Error> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let failed = |what: &str, error: &dyn std::fmt::Display| ConfigError::HttpClient(format!("{what}: {error}"));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| failed("cannot set up TLS", &error))?
        .with_platform_verifier()
        .map_err(|error| failed("cannot load the platform's trusted certificates", &error))?
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(USER_AGENT)
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .build()
        .map_err(|error| failed("cannot build the HTTP client", &error))?)
}

impl Client {
    /// Starts building a client.
    ///
    /// ```
    /// use std::time::Duration;
    /// use conductorone_personal_client::{Client, RetryPolicy};
    ///
    /// let client = Client::builder()
    ///     .tenant("acme")
    ///     .access_token("an access token")
    ///     .timeout(Duration::from_secs(10))
    ///     .retry_policy(RetryPolicy::default().max_retries(5))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://acme.conductor.one");
    /// # Ok::<(), conductorone_personal_client::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, as the official ConductorOne tools read it.
    ///
    /// Credentials, the first that is set: `CONDUCTORONE_ACCESS_TOKEN`; or
    /// `CONDUCTORONE_OIDC_TOKEN` with `CONDUCTORONE_CLIENT_ID` (workload federation); or
    /// `CONDUCTORONE_CLIENT_ID` with `CONDUCTORONE_CLIENT_SECRET` (a personal client).
    /// Server: `CONDUCTORONE_SERVER_URL` (a full URL), or `CONDUCTORONE_TENANT_DOMAIN` (`acme`
    /// or a host), or else the tenant in `CONDUCTORONE_CLIENT_ID`.
    ///
    /// ```no_run
    /// let client = conductorone_personal_client::Client::from_env()?;
    /// # Ok::<(), conductorone_personal_client::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        Self::builder_from_lookup(|name| std::env::var(name).ok())?.build()
    }

    /// A builder filled in from environment variables as `lookup` reports them; see [`Client::from_env`].
    pub fn builder_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let read = |name: &str| lookup(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty());
        let token = read("CONDUCTORONE_ACCESS_TOKEN");
        let oidc_token = read("CONDUCTORONE_OIDC_TOKEN");
        let client_id = read("CONDUCTORONE_CLIENT_ID");
        let client_secret = read("CONDUCTORONE_CLIENT_SECRET");
        let incomplete = |set, missing| Error::from(CredentialError::IncompleteEnvironment(set, missing));
        let credentials = match (token, oidc_token, &client_id, client_secret) {
            (Some(token), ..) => Credentials::AccessToken(token.into()),
            (None, Some(oidc_token), Some(client_id), _) => {
                Credentials::WorkloadFederation(WorkloadFederationCredentials::new(client_id.clone(), oidc_token)?)
            }
            (None, Some(_), None, _) => return Err(incomplete("CONDUCTORONE_OIDC_TOKEN", "CONDUCTORONE_CLIENT_ID")),
            (None, None, Some(client_id), Some(secret)) => Credentials::PersonalClient(PersonalClientCredentials::new(
                client_id.clone(),
                &SecretString::from(secret),
            )?),
            (None, None, Some(_), None) => {
                return Err(incomplete("CONDUCTORONE_CLIENT_ID", "CONDUCTORONE_CLIENT_SECRET"));
            }
            (None, None, None, Some(_)) => {
                return Err(incomplete("CONDUCTORONE_CLIENT_SECRET", "CONDUCTORONE_CLIENT_ID"));
            }
            (None, None, None, None) => return Err(CredentialError::MissingFromEnvironment.into()),
        };
        let mut builder = Self::builder().credentials(credentials);
        if let Some(server_url) = read("CONDUCTORONE_SERVER_URL") {
            builder = builder.base_url(server_url);
        } else if let Some(tenant) = read("CONDUCTORONE_TENANT_DOMAIN") {
            builder = builder.tenant(&tenant);
        } else if let Some(client_id) = &client_id {
            builder = builder.base_url(format!("https://{}", host_of_client_id(client_id)?));
        }
        Ok(builder)
    }

    /// A client for the tenant in the personal client's id, authenticating with that personal client.
    ///
    /// ```no_run
    /// use conductorone_personal_client::Client;
    ///
    /// let secret = std::env::var("MY_CLIENT_SECRET").unwrap_or_default();
    /// let client = Client::from_personal_client("quiet-otter-42@acme.conductor.one/pcc", secret)?;
    /// assert_eq!(client.base_url(), "https://acme.conductor.one");
    /// # Ok::<(), conductorone_personal_client::Error>(())
    /// ```
    pub fn from_personal_client(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Result<Self, Error> {
        let credentials = PersonalClientCredentials::new(client_id, &client_secret.into())?;
        Self::builder().personal_client(credentials).build()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self.generated.as_ref())
    }

    /// The client progenitor generated, for calls this wrapper does not cover.
    ///
    /// Its methods authenticate like this client's (with the same cached token), but make one
    /// attempt only: no retries, no refresh after a 401, no call timeout beyond each request's
    /// own, and they return progenitor's error type. Prefer this client's methods.
    pub fn generated(&self) -> &GeneratedClient {
        &self.generated
    }

    /// Runs one operation with typed errors: each attempt builds the request with the
    /// operation's generated `requests` function, adds the token and timeout, sends it, and
    /// reads the answer with its `answers` function (the generated method's own steps, without
    /// its hooks). Each attempt gets the token current when it starts (a failure to obtain one
    /// is [`Error::Auth`]); a 401 drops a fetched token and repeats the call once; failures the
    /// [`RetryPolicy`] allows for the operation are retried; no wait and no attempt runs past
    /// the call timeout. A success body that is not the documented JSON is [`Error::Decode`],
    /// with the path where it failed.
    ///
    /// This and the two functions below return the call's future rather than awaiting it in one
    /// of their own: each `async` layer would move the whole call's future once more.
    pub(crate) fn call_operation<T, E, R, A, Fut>(
        &self,
        operation: Operation,
        request: R,
        answer: A,
    ) -> impl Future<Output = Result<T, Error>>
    where
        T: DeserializeOwned,
        R: Fn() -> Result<reqwest::Request, progenitor_client::Error<E>>,
        A: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        self.call_with(operation, request, answer, decode_failure::<T>)
    }

    /// [`Client::call_operation`] for an operation whose answer is not one JSON type (a byte
    /// stream, or one of several documented outcomes), where a body that does not decode is not
    /// read again to say where.
    #[allow(dead_code, reason = "the generated code calls it only for specs with such operations")]
    pub(crate) fn call_operation_without_replay<T, E, R, A, Fut>(
        &self,
        operation: Operation,
        request: R,
        answer: A,
    ) -> impl Future<Output = Result<T, Error>>
    where
        R: Fn() -> Result<reqwest::Request, progenitor_client::Error<E>>,
        A: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        self.call_with(operation, request, answer, |_, error| (".".to_owned(), error.to_string()))
    }

    /// The call, in a tracing span of its own.
    fn call_with<T, E, R, A, Fut>(
        &self,
        operation: Operation,
        request: R,
        answer: A,
        replay: fn(&[u8], &serde_json::Error) -> (String, String),
    ) -> impl Future<Output = Result<T, Error>>
    where
        R: Fn() -> Result<reqwest::Request, progenitor_client::Error<E>>,
        A: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        use tracing::Instrument as _;
        // Off unless a subscriber is installed; never a token or a secret, only these fields.
        let span = tracing::debug_span!(
            "conductorone_personal_client.call",
            operation = operation.name(),
            method = operation.method(),
            path = operation.path()
        );
        let attempts = self.attempts(operation, request, answer, replay);
        // A span no subscriber records costs a wrapper around every poll; leave it out then.
        if span.is_disabled() {
            futures::future::Either::Left(attempts)
        } else {
            futures::future::Either::Right(attempts.instrument(span))
        }
    }

    /// The attempts of one call; see [`Client::call_operation`].
    async fn attempts<T, E, R, A, Fut>(
        &self,
        operation: Operation,
        request: R,
        answer: A,
        replay: fn(&[u8], &serde_json::Error) -> (String, String),
    ) -> Result<T, Error>
    where
        R: Fn() -> Result<reqwest::Request, progenitor_client::Error<E>>,
        A: Fn(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        use progenitor_client::ClientInfo as _;
        use progenitor_client::Error as Generated;
        let runtime = self.generated.inner();
        let policy = &runtime.retry;
        let started = policy.now();
        let allowed_retries = policy.retries_for(operation.is_read_only());
        let operation = operation.name();
        let mut may_refresh = runtime.auth.is_refreshable();
        let mut attempts = 0;
        let mut retries = 0;
        loop {
            let authorization =
                runtime.auth.authorization().await.map_err(|source| Error::Auth { operation, source })?;
            // Kept only where a 401 may drop it from the cache; otherwise it moves into the request.
            let sent_authorization = may_refresh.then(|| authorization.clone());
            let left = runtime.call_timeout.saturating_sub(policy.now().saturating_duration_since(started));
            let cut_by_deadline = runtime.attempt_timeout.is_some_and(|attempt_timeout| left < attempt_timeout);
            attempts += 1;
            // The clock is read for the log line only when it is recorded.
            let attempt_started = tracing::enabled!(tracing::Level::DEBUG).then(std::time::Instant::now);
            // The request is built and handed to reqwest outside any `.await`, so that the
            // call's future holds reqwest's small one rather than the request.
            let sending = request().map(|mut request| {
                request.headers_mut().insert(AUTHORIZATION, authorization);
                if cut_by_deadline {
                    // Replaces the client's timeout on this request, so no second timer runs.
                    *request.timeout_mut() = Some(left);
                }
                crate::runtime::send(&self.generated, request)
            });
            let outcome = match sending {
                Ok(sending) => match sending.await {
                    Ok(response) => answer(response).await,
                    Err(error) => Err(Generated::CommunicationError(error)),
                },
                Err(error) => Err(error),
            };
            tracing::debug!(
                attempt = attempts,
                status = match &outcome {
                    Ok(response) => Some(response.status().as_u16()),
                    Err(error) => error.status().map(|status| status.as_u16()),
                },
                duration_ms = attempt_started.map(|started| millis(started.elapsed())),
                "attempt finished"
            );
            let error = match outcome {
                Ok(response) => return Ok(response.into_inner()),
                Err(error) => error,
            };

            let unauthorized = matches!(&error, Generated::UnexpectedResponse(response) if response.status() == 401);
            if unauthorized && let Some(sent) = &sent_authorization {
                // The token was refused: drop it and send the call once more with a new one.
                may_refresh = false;
                runtime.auth.invalidate(sent).await;
                tracing::debug!(attempt = attempts, "the token was refused; sending the call again with a new one");
                continue;
            }
            let timed_out_at_deadline =
                cut_by_deadline && matches!(&error, Generated::CommunicationError(source) if source.is_timeout());
            let delay = match &error {
                _ if retries >= allowed_retries || timed_out_at_deadline => None,
                Generated::UnexpectedResponse(response) if is_retryable_status(response.status()) => {
                    policy.delay(retries, retry_after(response.headers()))
                }
                Generated::CommunicationError(source) if is_retryable_error(source) => policy.delay(retries, None),
                _ => None,
            };
            let past_deadline = delay
                .is_some_and(|delay| policy.now().saturating_duration_since(started) + delay >= runtime.call_timeout);
            let Some(delay) = delay.filter(|_| !past_deadline) else {
                // The failure path is boxed so that it does not enlarge every call's future.
                let last = Box::pin(self.convert_error(operation, attempts, error, replay)).await;
                return Err(if timed_out_at_deadline || past_deadline {
                    Error::DeadlineExceeded {
                        operation,
                        deadline: runtime.call_timeout,
                        attempts,
                        last: Some(Box::new(last)),
                    }
                } else {
                    last
                });
            };
            drop(error);
            tracing::debug!(attempt = attempts, wait_ms = millis(delay), "retrying after a wait");
            policy.wait(delay).await;
            retries += 1;
        }
    }

    /// Turns progenitor's error into the SDK's, reading at most a capped part of any body.
    async fn convert_error<E>(
        &self,
        operation: &'static str,
        attempts: u32,
        error: progenitor_client::Error<E>,
        replay: fn(&[u8], &serde_json::Error) -> (String, String),
    ) -> Error {
        use progenitor_client::Error as Generated;
        let address = self.address.to_string();
        let transport = |source: reqwest::Error| {
            let source = source.without_url();
            if source.is_timeout() {
                Error::Timeout { operation, address, attempts, source }
            } else {
                Error::Transport { operation, address, attempts, source }
            }
        };
        match error {
            Generated::InvalidRequest(message) => Error::InvalidRequest { operation, message },
            Generated::ResponseBodyError(source) if crate::runtime::is_too_large(&source) => Error::ResponseTooLarge {
                operation,
                limit: progenitor_client::ClientInfo::inner(self.generated.as_ref()).max_response_bytes,
            },
            Generated::CommunicationError(source)
            | Generated::InvalidUpgrade(source)
            | Generated::ResponseBodyError(source) => transport(source),
            Generated::InvalidResponsePayload(bytes, serde_error) => {
                let (path, message) = replay(&bytes, &serde_error);
                Error::Decode { operation, path, message, body: ErrorBody::from_bytes(&bytes) }
            }
            Generated::UnexpectedResponse(response) => {
                let status = response.status();
                Error::api(operation, status, ErrorBody::read(response).await)
            }
            Generated::ErrorResponse(response) => Error::api(operation, response.status(), ErrorBody::default()),
            Generated::Custom(message) => {
                Error::Auth { operation, source: crate::error::AuthError::InvalidResponse(message) }
            }
        }
    }
}

/// A duration in whole milliseconds, for tracing fields.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Where in the body decoding failed, and why: serde_path_to_error replays the decode to find the path.
fn decode_failure<T: DeserializeOwned>(bytes: &[u8], fallback: &serde_json::Error) -> (String, String) {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (error.path().to_string(), error.into_inner().to_string()),
        Ok(_) => (".".to_owned(), fallback.to_string()),
    }
}
