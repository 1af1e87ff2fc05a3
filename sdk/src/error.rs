//! The SDK's typed errors: what went wrong, in which operation, with the server's answer kept (capped).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

/// The most of a response body an error keeps.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Everything that can go wrong when calling the API.
///
/// `Debug` prints the message and then each cause on its own line (as `anyhow` does), so an
/// error that reaches `main` through `?` reads as a sentence rather than a nested dump. Match on
/// the variants, or use [`Error::operation`], [`Error::status`] and [`Error::is_retryable`], to
/// act on an error.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built from what it was given.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),

    /// A client id or secret is malformed, or the environment holds an incomplete credential.
    #[error(transparent)]
    Credential(#[from] CredentialError),

    /// No access token could be obtained.
    #[error("{operation}: could not obtain an access token: {source}")]
    Auth {
        /// The operation that needed the token.
        operation: &'static str,
        /// Why the token could not be obtained.
        #[source]
        source: AuthError,
    },

    /// The server answered with a status other than the documented success.
    #[error("{operation}: the server answered {status}{}", api_summary(message.as_deref(), *code, body))]
    Api {
        /// The operation, by its method name (`get`).
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The gRPC status code of the API's error body (`5` is NOT_FOUND, see [`grpc_code_name`]).
        code: Option<i32>,
        /// The API's error message, when the body is the API's error JSON.
        message: Option<String>,
        /// The `details` of the API's error body (empty when there are none).
        details: Vec<serde_json::Value>,
        /// The start of the answer's body, as received.
        body: ErrorBody,
    },

    /// A success answer whose body is not the documented JSON.
    #[error("{operation}: the response body does not match the expected type at `{path}`: {message}")]
    Decode {
        /// The operation.
        operation: &'static str,
        /// The JSON path that failed, such as `list[0].createdAt` (`.` for the whole body).
        path: String,
        /// What serde said.
        message: String,
        /// The start of the body.
        body: ErrorBody,
    },

    /// An attempt did not finish within the per-attempt timeout.
    #[error("{operation}: the request to {address} timed out ({})", attempts_text(*attempts))]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The server, as `scheme://host:port`.
        address: String,
        /// How many attempts were made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// The call as a whole, with all its attempts and waits, took longer than the call timeout.
    #[error(
        "{operation}: gave up after {} ({}); the call timeout is {deadline:?}",
        attempts_text(*attempts),
        last.as_deref().map_or_else(|| "no answer yet".to_owned(), |last| format!("last: {last}"))
    )]
    DeadlineExceeded {
        /// The operation.
        operation: &'static str,
        /// The call timeout that ran out.
        deadline: Duration,
        /// How many attempts were made.
        attempts: u32,
        /// What the last attempt ended with, when one ended.
        last: Option<Box<Error>>,
    },

    /// The server could not be reached, or the connection broke.
    #[error("{operation}: could not reach {address} ({}): {source}", attempts_text(*attempts))]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The server, as `scheme://host:port`.
        address: String,
        /// How many attempts were made.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// A response body was larger than the client's limit
    /// ([`crate::ClientBuilder::max_response_bytes`]); reading stopped there.
    #[error(
        "{operation}: the response body is larger than the limit of {limit} bytes; \
         raise it with ClientBuilder::max_response_bytes if such answers are expected"
    )]
    ResponseTooLarge {
        /// The operation.
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },

    /// A paged listing returned a page token it had already returned.
    #[error("{operation}: the server repeated the page token {token:?}; stopping instead of looping")]
    RepeatedPageToken {
        /// The operation.
        operation: &'static str,
        /// The repeated token.
        token: String,
    },

    /// The request could not be built (for example, an argument could not be encoded).
    #[error("{operation}: the request could not be built: {message}")]
    InvalidRequest {
        /// The operation.
        operation: &'static str,
        /// What was wrong.
        message: String,
    },
}

fn attempts_text(attempts: u32) -> String {
    if attempts == 1 { "1 attempt".to_owned() } else { format!("{attempts} attempts") }
}

fn api_summary(message: Option<&str>, code: Option<i32>, body: &ErrorBody) -> String {
    match (message, code) {
        (Some(message), Some(code)) => {
            let name = grpc_code_name(code).map(|name| format!(" {name}")).unwrap_or_default();
            format!(": {} (code {code}{name})", shorten(message))
        }
        (Some(message), None) => format!(": {}", shorten(message)),
        _ => body.summary(),
    }
}

/// The name of a gRPC status code, such as `NOT_FOUND` for 5; `None` for a code gRPC does not define.
pub fn grpc_code_name(code: i32) -> Option<&'static str> {
    const NAMES: [&str; 17] = [
        "OK",
        "CANCELLED",
        "UNKNOWN",
        "INVALID_ARGUMENT",
        "DEADLINE_EXCEEDED",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAVAILABLE",
        "DATA_LOSS",
        "UNAUTHENTICATED",
    ];
    usize::try_from(code).ok().and_then(|index| NAMES.get(index)).copied()
}

/// The API's error body: gRPC-gateway JSON.
#[derive(serde::Deserialize)]
struct ApiErrorBody {
    code: Option<i32>,
    message: Option<String>,
    #[serde(default)]
    details: Vec<serde_json::Value>,
}

impl Error {
    /// An [`Error::Api`] for `status`, with the API's `code`, `message` and `details` read from
    /// the body when it is the API's error JSON.
    pub(crate) fn api(operation: &'static str, status: StatusCode, body: ErrorBody) -> Self {
        let parsed = if body.truncated { None } else { serde_json::from_str::<ApiErrorBody>(&body.text).ok() };
        let (code, message, details) = match parsed {
            Some(parsed) => (parsed.code, parsed.message.filter(|message| !message.is_empty()), parsed.details),
            None => (None, None, Vec::new()),
        };
        Self::Api { operation, status, code, message, details, body }
    }

    /// A success answer without a field the operation's method returns.
    pub(crate) fn missing_field(operation: crate::operations::Operation, field: &'static str) -> Self {
        Self::Decode {
            operation: operation.name(),
            path: field.to_owned(),
            message: format!("the answer has no `{field}`"),
            body: ErrorBody::default(),
        }
    }

    /// The operation that failed, by its method name (`get`); `None` for a configuration
    /// or credential error, which happens before any call.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Self::Config(_) | Self::Credential(_) => None,
            Self::Auth { operation, .. }
            | Self::Api { operation, .. }
            | Self::Decode { operation, .. }
            | Self::Timeout { operation, .. }
            | Self::DeadlineExceeded { operation, .. }
            | Self::Transport { operation, .. }
            | Self::RepeatedPageToken { operation, .. }
            | Self::ResponseTooLarge { operation, .. }
            | Self::InvalidRequest { operation, .. } => Some(operation),
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Auth { source: AuthError::Rejected { status, .. }, .. } => Some(*status),
            Self::DeadlineExceeded { last: Some(last), .. } => last.status(),
            _ => None,
        }
    }

    /// Whether this is a timeout: of one attempt, or of the whole call.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::DeadlineExceeded { .. })
    }

    /// Whether the same call may succeed if made again later: the server was unreachable or
    /// overloaded (429, 502, 503, 504), an attempt or the call timed out, or the token endpoint
    /// was unreachable or answered one of those statuses. The SDK already retried as its
    /// [`crate::RetryPolicy`] allows before returning the error.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api { status, .. } => crate::retry::is_retryable_status(*status),
            Self::Timeout { .. } | Self::Transport { .. } | Self::DeadlineExceeded { .. } => true,
            Self::Auth { source, .. } => source.is_retryable(),
            Self::Config(_)
            | Self::Credential(_)
            | Self::Decode { .. }
            | Self::RepeatedPageToken { .. }
            | Self::ResponseTooLarge { .. }
            | Self::InvalidRequest { .. } => false,
        }
    }
}

/// Writes `error`'s message, then its causes one per line.
fn write_with_causes(error: &dyn std::error::Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{error}")?;
    let mut cause = error.source();
    if cause.is_some() {
        f.write_str("\n\nCaused by:")?;
    }
    let mut index = 0;
    while let Some(current) = cause {
        write!(f, "\n    {index}: {current}")?;
        index += 1;
        cause = current.source();
    }
    Ok(())
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_causes(self, f)
    }
}

/// Why a client could not be built.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were given to the builder.
    #[error("no credentials; call access_token(...), personal_client(...) or workload_federation(...) on the builder")]
    NoCredentials,
    /// An access token was given, but nothing says which server to talk to.
    #[error(
        "no server: an access token names no tenant; set CONDUCTORONE_SERVER_URL (such as https://acme.conductor.one) or CONDUCTORONE_TENANT_DOMAIN (such as acme), or call tenant(...) or base_url(...) on the builder"
    )]
    NoServer,
    /// The tenant name is not a tenant or host name.
    #[error("the tenant {tenant:?} is not valid; give a tenant such as acme, or a host such as acme.conductor.one")]
    InvalidTenant {
        /// The tenant as given.
        tenant: String,
    },
    /// A URL could not be used.
    #[error("the {role} {url:?} is not usable: {reason}")]
    InvalidUrl {
        /// Which URL: `base URL` or `token URL`.
        role: &'static str,
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A plain `http://` URL to a host that is not this machine, without the insecure opt-in.
    #[error(
        "refusing to send credentials in clear text to the {role} {url:?}; use https://, or call danger_accept_insecure_http() on the builder for a network you trust"
    )]
    InsecureUrl {
        /// Which URL: `base URL` or `token URL`.
        role: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The access token is empty.
    #[error("the access token is empty")]
    EmptyAccessToken,
    /// The access token holds characters that cannot be sent in an HTTP header.
    #[error("the access token holds characters that cannot be sent in an HTTP header")]
    AccessTokenNotSendable,
    /// TLS or the HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    HttpClient(String),
}

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_with_causes(self, f)
    }
}

/// What is wrong with a client id or secret, or with the credentials in the environment.
/// Never contains the secret.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The client id has no `@`.
    #[error("the client id has no '@'; expected <name>@<tenant>.conductor.one/<kind>")]
    ClientIdWithoutAt,
    /// The client id has nothing before `@`.
    #[error("the client id has nothing before '@'; expected <name>@<tenant>.conductor.one/<kind>")]
    ClientIdWithoutName,
    /// The client id has no `/<kind>` after its host.
    #[error("the client id has no '/' after its host; expected <name>@<tenant>.conductor.one/<kind>")]
    ClientIdWithoutKind,
    /// The client id names no usable host after `@`.
    #[error("the client id names no tenant host after '@'; expected <name>@<tenant>.conductor.one/<kind>")]
    ClientIdWithoutHost,
    /// The secret does not start with the expected prefix.
    #[error("the client secret does not start with 'secret-token:conductorone.com:v1:'; copy the whole secret")]
    SecretPrefix,
    /// The part after the prefix is not base64url.
    #[error("the client secret's key is not base64url; copy the whole secret")]
    SecretEncoding,
    /// The decoded key is not a JSON Web Key.
    #[error("the client secret's key is not a JSON Web Key")]
    SecretNotJwk,
    /// The JWK is not an Ed25519 key.
    #[error("the client secret's key is not an Ed25519 key (kty OKP, crv Ed25519)")]
    SecretNotEd25519,
    /// The JWK lacks a part.
    #[error("the client secret's key has no '{0}' part")]
    SecretMissingPart(&'static str),
    /// A JWK part is not base64url.
    #[error("the client secret's key part '{0}' is not base64url")]
    SecretPartEncoding(&'static str),
    /// A JWK part is not 32 bytes.
    #[error("the client secret's key part '{0}' is not 32 bytes long")]
    SecretPartLength(&'static str),
    /// The private and public halves do not belong together.
    #[error("the client secret's private and public keys do not belong together")]
    SecretKeyMismatch,
    /// The external token for workload federation is empty.
    #[error("the OIDC token for workload federation is empty")]
    EmptyOidcToken,
    /// No credentials were found in the environment.
    #[error(
        "no credentials in the environment; set CONDUCTORONE_ACCESS_TOKEN, or CONDUCTORONE_OIDC_TOKEN and CONDUCTORONE_CLIENT_ID, or CONDUCTORONE_CLIENT_ID and CONDUCTORONE_CLIENT_SECRET"
    )]
    MissingFromEnvironment,
    /// One variable of a pair is set in the environment and its partner is not.
    #[error("{0} is set but {1} is not; set both")]
    IncompleteEnvironment(&'static str, &'static str),
}

impl fmt::Debug for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why an access token could not be obtained.
///
/// It is `Clone` because one failed token fetch is reported to every call that waited for it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint refused the credential or failed.
    #[error("the token endpoint answered {status}{}", body.summary())]
    Rejected {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the answer's body.
        body: ErrorBody,
    },
    /// The token endpoint could not be reached.
    #[error("the token endpoint could not be reached: {0}")]
    Transport(#[source] Arc<reqwest::Error>),
    /// The token endpoint answered 200 with something that is not a token.
    #[error("the token endpoint's answer is not usable: {0}")]
    InvalidResponse(String),
    /// The external OIDC token file could not be read.
    #[error("cannot read the OIDC token file {path}: {reason}")]
    OidcTokenFile {
        /// The file.
        path: std::path::PathBuf,
        /// Why it could not be read, or that it is empty.
        reason: String,
    },
    /// The client assertion could not be signed.
    #[error("the client assertion could not be signed")]
    Signing,
}

impl AuthError {
    /// Whether a later fetch may succeed: the endpoint was unreachable, or answered 429, 502, 503 or 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Rejected { status, .. } => crate::retry::is_retryable_status(*status),
            Self::InvalidResponse(_) | Self::OidcTokenFile { .. } | Self::Signing => false,
        }
    }
}

/// The start of a response body, kept for an error (at most [`MAX_ERROR_BODY_BYTES`]).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    text: String,
    truncated: bool,
}

impl ErrorBody {
    /// Keeps at most [`MAX_ERROR_BODY_BYTES`] of `bytes`, as lossy UTF-8.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let truncated = bytes.len() > MAX_ERROR_BODY_BYTES;
        let kept = &bytes[..bytes.len().min(MAX_ERROR_BODY_BYTES)];
        Self { text: String::from_utf8_lossy(kept).into_owned(), truncated }
    }

    /// Reads at most [`MAX_ERROR_BODY_BYTES`] of a response's body, without buffering the rest.
    pub(crate) async fn read(mut response: reqwest::Response) -> Self {
        let mut kept = Vec::new();
        let mut truncated = false;
        // A body that breaks off midway keeps what arrived: the status already tells the story.
        while let Ok(Some(chunk)) = response.chunk().await {
            let room = MAX_ERROR_BODY_BYTES - kept.len();
            if chunk.len() > room {
                kept.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            kept.extend_from_slice(&chunk);
        }
        Self { text: String::from_utf8_lossy(&kept).into_owned(), truncated }
    }

    /// The kept text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the body was longer than what is kept.
    pub fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// `: <first line, shortened>` for a one-line message, or nothing for an empty body.
    fn summary(&self) -> String {
        let first_line = self.text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
        if first_line.is_empty() {
            return String::new();
        }
        format!(": {}", shorten(first_line))
    }
}

/// At most 200 characters of `text`, with an ellipsis when it was cut.
fn shorten(text: &str) -> String {
    let shortened: String = text.chars().take(200).collect();
    let ellipsis = if shortened.len() < text.len() { "…" } else { "" };
    format!("{shortened}{ellipsis}")
}

impl fmt::Debug for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorBody")
            .field("bytes", &self.text.len())
            .field("truncated", &self.truncated)
            .field("text", &self.text.chars().take(200).collect::<String>())
            .finish()
    }
}
