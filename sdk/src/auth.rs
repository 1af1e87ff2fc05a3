//! Credentials and access tokens: a static bearer token, or a personal client exchanged for tokens.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::HeaderValue;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::Ed25519KeyPair;
use tokio::sync::Mutex;

use crate::error::{AuthError, CredentialError, ErrorBody};
use crate::secret::SecretString;

/// The prefix of every personal client secret.
const SECRET_PREFIX: &str = "secret-token:conductorone.com:v1:";

/// How long before its expiry a cached access token is replaced.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a fetched token is kept before it is refreshed, whatever the server says.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How far the assertion's `nbf` and `exp` sit from now, as the official SDKs do.
const ASSERTION_SKEW: Duration = Duration::from_secs(120);

/// A personal client's id and secret: the credential that is exchanged for access tokens.
///
/// `Debug` shows the client id and hides the key.
#[derive(Clone)]
pub struct PersonalClientCredentials {
    client_id: String,
    tenant_host: String,
    key: Arc<Ed25519KeyPair>,
}

impl PersonalClientCredentials {
    /// Parses a client id (`<random>@<tenant>.conductor.one/pcc`) and its client secret
    /// (`secret-token:conductorone.com:v1:<base64url JWK>`).
    ///
    /// A malformed value is a [`CredentialError`] that says which part is wrong; it never
    /// repeats the secret.
    pub fn new(client_id: impl Into<String>, client_secret: &SecretString) -> Result<Self, CredentialError> {
        let client_id = client_id.into();
        let tenant_host = tenant_host_of(&client_id)?;
        let key = parse_client_secret(client_secret)?;
        Ok(Self { client_id, tenant_host, key: Arc::new(key) })
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The tenant host named by the client id, such as `acme.conductor.one`.
    pub fn tenant_host(&self) -> &str {
        &self.tenant_host
    }

    /// The signed JWT that proves possession of the key to the token endpoint.
    fn assertion(&self, audience: &str, now: SystemTime) -> Result<String, AuthError> {
        let seconds = |time: SystemTime| time.duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0);
        let mut nonce = [0_u8; 16];
        SystemRandom::new().fill(&mut nonce).map_err(|_| AuthError::Signing)?;
        let header = serde_json::json!({ "alg": "EdDSA", "typ": "JWT" });
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": seconds(now),
            "nbf": seconds(now - ASSERTION_SKEW),
            "exp": seconds(now + ASSERTION_SKEW),
            "jti": URL_SAFE_NO_PAD.encode(nonce),
        });
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self.key.sign(signing_input.as_bytes());
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref())))
    }
}

impl fmt::Debug for PersonalClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .finish()
    }
}

/// The tenant host of a client id: the part after `@` and before `/`.
pub(crate) fn tenant_host_of(client_id: &str) -> Result<String, CredentialError> {
    let (random, rest) = client_id.split_once('@').ok_or(CredentialError::ClientIdWithoutAt)?;
    if random.is_empty() {
        return Err(CredentialError::ClientIdWithoutName);
    }
    let host = rest.split_once('/').map_or(rest, |(host, _)| host);
    let valid = !host.is_empty()
        && host.contains('.')
        && host.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-' | ':'));
    if !valid {
        return Err(CredentialError::ClientIdWithoutHost);
    }
    Ok(host.to_owned())
}

#[derive(serde::Deserialize)]
struct Jwk {
    kty: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    d: Option<String>,
}

fn parse_client_secret(secret: &SecretString) -> Result<Ed25519KeyPair, CredentialError> {
    let encoded = secret.expose_secret().trim().strip_prefix(SECRET_PREFIX).ok_or(CredentialError::SecretPrefix)?;
    let json = URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')).map_err(|_| CredentialError::SecretEncoding)?;
    let jwk: Jwk = serde_json::from_slice(&json).map_err(|_| CredentialError::SecretNotJwk)?;
    if jwk.kty.as_deref() != Some("OKP") || jwk.crv.as_deref() != Some("Ed25519") {
        return Err(CredentialError::SecretNotEd25519);
    }
    let decode_part = |part: Option<String>, name: &'static str| -> Result<Vec<u8>, CredentialError> {
        let part = part.ok_or(CredentialError::SecretMissingPart(name))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .map_err(|_| CredentialError::SecretPartEncoding(name))?;
        if bytes.len() == 32 { Ok(bytes) } else { Err(CredentialError::SecretPartLength(name)) }
    };
    let private = decode_part(jwk.d, "d")?;
    let public = decode_part(jwk.x, "x")?;
    Ed25519KeyPair::from_seed_and_public_key(&private, &public).map_err(|_| CredentialError::SecretKeyMismatch)
}

/// An access token, as the ready `Authorization` header value, and when to replace it.
#[derive(Clone)]
struct CachedToken {
    authorization: HeaderValue,
    refresh_at: std::time::Instant,
}

/// What the SDK authenticates with.
#[derive(Clone)]
pub(crate) enum Auth {
    /// A fixed access token, as the ready `Authorization` header value (marked sensitive).
    Static(HeaderValue),
    /// A personal client, exchanged for access tokens that are cached and refreshed.
    PersonalClient(Arc<TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Static(_) => f.write_str("Auth::AccessToken([redacted])"),
            Self::PersonalClient(source) => f.debug_tuple("Auth::PersonalClient").field(&source.credentials).finish(),
        }
    }
}

impl Auth {
    /// Authentication with a fixed access token; `None` if the token cannot be sent in a header.
    pub(crate) fn access_token(token: &SecretString) -> Option<Self> {
        bearer_header(token.expose_secret()).map(Self::Static)
    }

    /// The `Authorization` header value, fetching or refreshing a token when needed.
    ///
    /// The value is built once per token, not once per call: cloning it is a reference count.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue, AuthError> {
        match self {
            Self::Static(header) => Ok(header.clone()),
            Self::PersonalClient(source) => source.authorization().await,
        }
    }
}

/// `Bearer <token>` as a header value that `Debug` and HTTP/2 header compression treat as sensitive.
fn bearer_header(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Exchanges a personal client for access tokens, one exchange at a time, and caches the result.
pub(crate) struct TokenSource {
    credentials: PersonalClientCredentials,
    token_url: reqwest::Url,
    audience: String,
    http: reqwest::Client,
    cache: Mutex<Option<CachedToken>>,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenSource {
    pub(crate) fn new(credentials: PersonalClientCredentials, token_url: reqwest::Url, http: reqwest::Client) -> Self {
        let audience = token_url.host_str().unwrap_or_default().to_owned();
        Self { credentials, token_url, audience, http, cache: Mutex::new(None) }
    }

    async fn authorization(&self) -> Result<HeaderValue, AuthError> {
        // Holding the lock across the exchange makes concurrent callers wait for one fetch
        // and then share its token, rather than each fetching their own.
        let mut cache = self.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && std::time::Instant::now() < cached.refresh_at
        {
            return Ok(cached.authorization.clone());
        }
        let fresh = self.fetch().await?;
        let authorization = fresh.authorization.clone();
        *cache = Some(fresh);
        Ok(authorization)
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let assertion = self.credentials.assertion(&self.audience, SystemTime::now())?;
        let form = [
            ("client_id", self.credentials.client_id.as_str()),
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ("client_assertion", assertion.as_str()),
        ];
        let response = self
            .http
            .post(self.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|error| AuthError::Transport(error.without_url()))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            let body = ErrorBody::read(response).await;
            return Err(AuthError::Rejected { status, body });
        }
        let bytes = response.bytes().await.map_err(|error| AuthError::Transport(error.without_url()))?;
        let token: TokenResponse = serde_json::from_slice(&bytes)
            .map_err(|error| AuthError::InvalidResponse(format!("the JSON does not hold a token: {error}")))?;
        if token.access_token.is_empty() {
            return Err(AuthError::InvalidResponse("the access_token is empty".to_owned()));
        }
        if let Some(kind) = &token.token_type
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(AuthError::InvalidResponse(format!("the token type is {kind:?}, not Bearer")));
        }
        // A lifetime beyond a day is cut to a day: refreshing early is harmless, and an absurd
        // `expires_in` from the server must not overflow the clock.
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600).min(MAX_TOKEN_LIFETIME.as_secs()));
        let refresh_at = std::time::Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2));
        let authorization = bearer_header(&token.access_token).ok_or_else(|| {
            AuthError::InvalidResponse("the access token holds characters that cannot be sent in a header".to_owned())
        })?;
        Ok(CachedToken { authorization, refresh_at })
    }
}
