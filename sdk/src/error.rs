//! The SDK's typed errors: what went wrong, in which operation, with the server's answer kept (capped).

use std::fmt;

use reqwest::StatusCode;

/// The most of a response body an error keeps.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Everything that can go wrong when calling the API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built from what it was given.
    #[error("invalid client configuration: {0}")]
    Config(String),

    /// A personal client id or secret is malformed.
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
    #[error("{operation}: the server answered {status}{}", body.summary())]
    Api {
        /// The operation, such as `get_personal_client`.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The start of the answer's body.
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

    /// The request did not finish within the configured timeout.
    #[error("{operation}: the request timed out")]
    Timeout {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// The server could not be reached, or the connection broke.
    #[error("{operation}: the request failed: {source}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
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

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::Auth { source: AuthError::Rejected { status, .. }, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }
}

/// What is wrong with a personal client id or secret. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The client id has no `@`.
    #[error("the client id has no '@'; expected <name>@<tenant>.conductor.one/pcc")]
    ClientIdWithoutAt,
    /// The client id has nothing before `@`.
    #[error("the client id has nothing before '@'; expected <name>@<tenant>.conductor.one/pcc")]
    ClientIdWithoutName,
    /// The client id names no usable host after `@`.
    #[error("the client id names no tenant host after '@'; expected <name>@<tenant>.conductor.one/pcc")]
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
    /// Neither an access token nor a client id and secret were found in the environment.
    #[error(
        "no credentials in the environment; set CONDUCTORONE_ACCESS_TOKEN, or CONDUCTORONE_CLIENT_ID and CONDUCTORONE_CLIENT_SECRET"
    )]
    MissingFromEnvironment,
    /// Only one of the client id and the client secret is set in the environment.
    #[error("{0} is set but {1} is not; set both")]
    IncompleteEnvironment(&'static str, &'static str),
}

/// Why an access token could not be obtained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint refused the credential.
    #[error("the token endpoint answered {status}{}", body.summary())]
    Rejected {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the answer's body.
        body: ErrorBody,
    },
    /// The token endpoint could not be reached.
    #[error("the token endpoint could not be reached: {0}")]
    Transport(#[source] reqwest::Error),
    /// The token endpoint answered 200 with something that is not a token.
    #[error("the token endpoint's answer is not usable: {0}")]
    InvalidResponse(String),
    /// The client assertion could not be signed.
    #[error("the client assertion could not be signed")]
    Signing,
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
        let shortened: String = first_line.chars().take(200).collect();
        let ellipsis = if shortened.len() < first_line.len() { "…" } else { "" };
        format!(": {shortened}{ellipsis}")
    }
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
