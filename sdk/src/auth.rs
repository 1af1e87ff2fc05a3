//! Credentials and access tokens: a static bearer token, or a personal client or a workload
//! federation trust exchanged for access tokens that are cached, shared and refreshed.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::HeaderValue;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::Ed25519KeyPair;
use tokio::sync::Mutex;

use crate::error::{AuthError, CredentialError, ErrorBody};
use crate::retry::Sleeper;
use crate::secret::SecretString;

/// The prefix of every personal client secret.
const SECRET_PREFIX: &str = "secret-token:conductorone.com:v1:";

/// The domain a bare tenant name lives under.
const TENANT_DOMAIN: &str = "conductor.one";

/// How long before its expiry a cached access token is replaced.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest a fetched token is kept before it is refreshed, whatever the server says.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// How far the assertion's `nbf` and `exp` sit from now, as the official SDKs do.
const ASSERTION_SKEW: Duration = Duration::from_secs(120);

/// After a failed token fetch, calls within this long get the same error without a new fetch;
/// it doubles with each consecutive failure, up to [`MAX_FETCH_BACKOFF`].
const FIRST_FETCH_BACKOFF: Duration = Duration::from_secs(1);

/// The longest wait between two token fetches after failures.
const MAX_FETCH_BACKOFF: Duration = Duration::from_secs(30);

/// The host a client id names, normalised as the official SDKs do: the part between `@` and
/// the first `/`, lower-cased, with `.conductor.one` appended to a bare tenant name.
pub(crate) fn host_of_client_id(client_id: &str) -> Result<String, CredentialError> {
    let (name, rest) = client_id.split_once('@').ok_or(CredentialError::ClientIdWithoutAt)?;
    if name.is_empty() {
        return Err(CredentialError::ClientIdWithoutName);
    }
    let (host, _kind) = rest.split_once('/').ok_or(CredentialError::ClientIdWithoutKind)?;
    normalize_tenant(host).ok_or(CredentialError::ClientIdWithoutHost)
}

/// A tenant name or host as a host: lower-cased, and `<tenant>.conductor.one` for a name
/// without a dot. `None` when it is empty or holds anything but letters, digits, `.`, `-` and a `:port`.
pub(crate) fn normalize_tenant(tenant: &str) -> Option<String> {
    let host = tenant.trim().to_ascii_lowercase();
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) => (name, Some(port)),
        None => (host.as_str(), None),
    };
    let name_is_valid = !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && name.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '-'));
    let port_is_valid = port.is_none_or(|port| !port.is_empty() && port.parse::<u16>().is_ok());
    if !name_is_valid || !port_is_valid {
        return None;
    }
    if name.contains('.') { Some(host) } else { Some(format!("{host}.{TENANT_DOMAIN}")) }
}

/// A personal client's id and secret: the credential that is exchanged for access tokens.
///
/// `Debug` shows the client id and hides the key.
#[derive(Clone)]
pub struct PersonalClientCredentials {
    client_id: String,
    tenant_host: String,
    key: Arc<Ed25519KeyPair>,
    key_id: Option<String>,
}

impl PersonalClientCredentials {
    /// Parses a client id (`<name>@<tenant>.conductor.one/pcc`) and its client secret
    /// (`secret-token:conductorone.com:v1:<base64url JWK>`).
    ///
    /// A malformed value is a [`CredentialError`] that says which part is wrong; it never
    /// repeats the secret.
    pub fn new(client_id: impl Into<String>, client_secret: &SecretString) -> Result<Self, CredentialError> {
        let client_id = client_id.into();
        let tenant_host = host_of_client_id(&client_id)?;
        let (key, key_id) = parse_client_secret(client_secret)?;
        Ok(Self { client_id, tenant_host, key: Arc::new(key), key_id })
    }

    /// The client id, as given.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The tenant host named by the client id, lower-cased, such as `acme.conductor.one`.
    pub fn tenant_host(&self) -> &str {
        &self.tenant_host
    }

    /// The signed JWT that proves possession of the key to the token endpoint.
    fn assertion(&self, audience: &str, now: SystemTime) -> Result<String, AuthError> {
        let seconds = |time: SystemTime| time.duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0);
        let mut nonce = [0_u8; 16];
        SystemRandom::new().fill(&mut nonce).map_err(|_| AuthError::Signing)?;
        let mut header = serde_json::Map::new();
        header.insert("alg".to_owned(), "EdDSA".into());
        if let Some(key_id) = &self.key_id {
            header.insert("kid".to_owned(), key_id.as_str().into());
        }
        header.insert("nonce".to_owned(), lower_hex(&nonce).into());
        let iat = seconds(now);
        let skew = ASSERTION_SKEW.as_secs();
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": [audience],
            "exp": iat.saturating_add(skew),
            "nbf": iat.saturating_sub(skew),
            "iat": iat,
        });
        let header = serde_json::Value::Object(header).to_string();
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(claims.to_string()));
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

/// A workload federation trust: an external OIDC token (such as a CI job's) exchanged for
/// access tokens (RFC 8693), with no stored secret.
///
/// `Debug` shows the client id and where the token comes from, never the token.
#[derive(Clone)]
pub struct WorkloadFederationCredentials {
    client_id: String,
    tenant_host: String,
    oidc_token: OidcToken,
}

#[derive(Clone)]
enum OidcToken {
    Value(SecretString),
    File(PathBuf),
}

impl WorkloadFederationCredentials {
    /// Exchanges `oidc_token` for access tokens as the trust `client_id`
    /// (`<name>@<tenant>.conductor.one/wfe`).
    pub fn new(client_id: impl Into<String>, oidc_token: impl Into<SecretString>) -> Result<Self, CredentialError> {
        let oidc_token = oidc_token.into();
        if oidc_token.expose_secret().trim().is_empty() {
            return Err(CredentialError::EmptyOidcToken);
        }
        Self::with_token(client_id.into(), OidcToken::Value(oidc_token))
    }

    /// Exchanges the OIDC token in the file at `path`, read again at every fetch: CI systems
    /// rotate such files while a job runs.
    pub fn from_file(client_id: impl Into<String>, path: impl Into<PathBuf>) -> Result<Self, CredentialError> {
        Self::with_token(client_id.into(), OidcToken::File(path.into()))
    }

    fn with_token(client_id: String, oidc_token: OidcToken) -> Result<Self, CredentialError> {
        let tenant_host = host_of_client_id(&client_id)?;
        Ok(Self { client_id, tenant_host, oidc_token })
    }

    /// The client id, as given.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The tenant host named by the client id, lower-cased.
    pub fn tenant_host(&self) -> &str {
        &self.tenant_host
    }

    async fn read_token(&self) -> Result<SecretString, AuthError> {
        match &self.oidc_token {
            OidcToken::Value(token) => Ok(SecretString::from(token.expose_secret().trim())),
            OidcToken::File(path) => {
                let failure = |reason: String| AuthError::OidcTokenFile { path: path.clone(), reason };
                let text = SecretString::from(
                    tokio::fs::read_to_string(path).await.map_err(|error| failure(error.to_string()))?,
                );
                let token = text.expose_secret().trim();
                if token.is_empty() {
                    return Err(failure("the file is empty".to_owned()));
                }
                Ok(SecretString::from(token))
            }
        }
    }
}

impl fmt::Debug for WorkloadFederationCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("WorkloadFederationCredentials");
        debug.field("client_id", &self.client_id);
        match &self.oidc_token {
            OidcToken::Value(_) => debug.field("oidc_token", &"[redacted]"),
            OidcToken::File(path) => debug.field("oidc_token_file", path),
        };
        debug.finish()
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

#[derive(serde::Deserialize)]
struct Jwk {
    kty: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    d: Option<String>,
    kid: Option<String>,
}

fn parse_client_secret(secret: &SecretString) -> Result<(Ed25519KeyPair, Option<String>), CredentialError> {
    let encoded = secret.expose_secret().trim().strip_prefix(SECRET_PREFIX).ok_or(CredentialError::SecretPrefix)?;
    let json = zeroize::Zeroizing::new(
        URL_SAFE_NO_PAD.decode(encoded.trim_end_matches('=')).map_err(|_| CredentialError::SecretEncoding)?,
    );
    let jwk: Jwk = serde_json::from_slice(&json).map_err(|_| CredentialError::SecretNotJwk)?;
    if jwk.kty.as_deref() != Some("OKP") || jwk.crv.as_deref() != Some("Ed25519") {
        return Err(CredentialError::SecretNotEd25519);
    }
    let decode_part =
        |part: Option<String>, name: &'static str| -> Result<zeroize::Zeroizing<Vec<u8>>, CredentialError> {
            let part = zeroize::Zeroizing::new(part.ok_or(CredentialError::SecretMissingPart(name))?);
            let bytes = zeroize::Zeroizing::new(
                URL_SAFE_NO_PAD
                    .decode(part.trim_end_matches('='))
                    .map_err(|_| CredentialError::SecretPartEncoding(name))?,
            );
            if bytes.len() == 32 { Ok(bytes) } else { Err(CredentialError::SecretPartLength(name)) }
        };
    let private = decode_part(jwk.d, "d")?;
    let public = decode_part(jwk.x, "x")?;
    let key =
        Ed25519KeyPair::from_seed_and_public_key(&private, &public).map_err(|_| CredentialError::SecretKeyMismatch)?;
    Ok((key, jwk.kid))
}

/// An access token, as the ready `Authorization` header value, and when to replace it.
#[derive(Clone)]
struct CachedToken {
    authorization: HeaderValue,
    refresh_at: Instant,
}

/// What the SDK authenticates with.
#[derive(Clone)]
pub(crate) enum Auth {
    /// A fixed access token, as the ready `Authorization` header value (marked sensitive).
    Static(HeaderValue),
    /// A credential exchanged for access tokens that are cached and refreshed.
    Exchange(Arc<TokenSource>),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Static(_) => f.write_str("Auth::AccessToken([redacted])"),
            Self::Exchange(source) => match &source.exchange {
                Exchange::PersonalClient(credentials) => {
                    f.debug_tuple("Auth::PersonalClient").field(credentials).finish()
                }
                Exchange::WorkloadFederation(credentials) => {
                    f.debug_tuple("Auth::WorkloadFederation").field(credentials).finish()
                }
            },
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
            // Boxed: a fetch's future is large, and every call's future would otherwise hold
            // (and move) its room, whether or not a token is fetched.
            Self::Exchange(source) => Box::pin(source.authorization()).await,
        }
    }

    /// Whether a rejected token can be replaced by fetching a new one.
    pub(crate) fn is_refreshable(&self) -> bool {
        matches!(self, Self::Exchange(_))
    }

    /// Forgets the cached token if it is still `used`, so that the next call fetches another.
    pub(crate) async fn invalidate(&self, used: &HeaderValue) {
        if let Self::Exchange(source) = self {
            Box::pin(source.invalidate(used)).await;
        }
    }
}

/// `Bearer <token>` as a header value that `Debug` and HTTP/2 header compression treat as sensitive.
fn bearer_header(token: &str) -> Option<HeaderValue> {
    let text = zeroize::Zeroizing::new(format!("Bearer {token}"));
    let mut value = HeaderValue::from_str(&text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The credential a [`TokenSource`] exchanges.
pub(crate) enum Exchange {
    PersonalClient(PersonalClientCredentials),
    WorkloadFederation(WorkloadFederationCredentials),
}

/// Exchanges a credential for access tokens and caches them.
///
/// One fetch runs at a time, and its outcome is shared: the callers that waited for a fetch
/// get its token or its error, and do not fetch again themselves. After a failure, calls in
/// the following backoff window get the same error at once.
pub(crate) struct TokenSource {
    exchange: Exchange,
    token_url: reqwest::Url,
    audience: String,
    http: reqwest::Client,
    clock: Arc<dyn Sleeper>,
    /// How many fetches have finished, readable without the lock.
    finished_fetches: AtomicU64,
    state: Mutex<TokenState>,
}

#[derive(Default)]
struct TokenState {
    token: Option<CachedToken>,
    failure: Option<FetchFailure>,
}

struct FetchFailure {
    error: AuthError,
    retry_at: Instant,
    consecutive: u32,
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: SecretString,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenSource {
    pub(crate) fn new(
        exchange: Exchange,
        token_url: reqwest::Url,
        http: reqwest::Client,
        clock: Arc<dyn Sleeper>,
    ) -> Self {
        let audience = token_url.host_str().unwrap_or_default().to_ascii_lowercase();
        Self {
            exchange,
            token_url,
            audience,
            http,
            clock,
            finished_fetches: AtomicU64::new(0),
            state: Mutex::new(TokenState::default()),
        }
    }

    async fn authorization(&self) -> Result<HeaderValue, AuthError> {
        let fetches_before_waiting = self.finished_fetches.load(Ordering::Acquire);
        // Holding the lock across the exchange makes concurrent callers wait for one fetch.
        let mut state = self.state.lock().await;
        let now = self.clock.now();
        if let Some(cached) = &state.token
            && now < cached.refresh_at
        {
            return Ok(cached.authorization.clone());
        }
        if let Some(failure) = &state.failure {
            // A fetch that failed while this caller waited is this caller's answer too; and
            // within the backoff window no new fetch is made.
            let failed_while_waiting = self.finished_fetches.load(Ordering::Acquire) != fetches_before_waiting;
            if failed_while_waiting || now < failure.retry_at {
                return Err(failure.error.clone());
            }
        }
        let outcome = self.fetch().await;
        self.finished_fetches.fetch_add(1, Ordering::AcqRel);
        match outcome {
            Ok(fresh) => {
                let authorization = fresh.authorization.clone();
                state.token = Some(fresh);
                state.failure = None;
                Ok(authorization)
            }
            Err(error) => {
                let consecutive = state.failure.as_ref().map_or(1, |failure| failure.consecutive.saturating_add(1));
                let backoff = FIRST_FETCH_BACKOFF.saturating_mul(2_u32.saturating_pow(consecutive - 1).min(64));
                let retry_at = self.clock.now() + backoff.min(MAX_FETCH_BACKOFF);
                state.token = None;
                state.failure = Some(FetchFailure { error: error.clone(), retry_at, consecutive });
                Err(error)
            }
        }
    }

    async fn invalidate(&self, used: &HeaderValue) {
        let mut state = self.state.lock().await;
        if state.token.as_ref().is_some_and(|cached| cached.authorization == *used) {
            state.token = None;
        }
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let request = self.http.post(self.token_url.clone()).header(reqwest::header::ACCEPT, "application/json");
        let request = match &self.exchange {
            Exchange::PersonalClient(credentials) => {
                let assertion = credentials.assertion(&self.audience, SystemTime::now())?;
                request.form(&[
                    ("client_id", credentials.client_id.as_str()),
                    ("grant_type", "client_credentials"),
                    ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                    ("client_assertion", assertion.as_str()),
                ])
            }
            Exchange::WorkloadFederation(credentials) => {
                let subject_token = credentials.read_token().await?;
                request.form(&[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange"),
                    ("subject_token", subject_token.expose_secret()),
                    ("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"),
                    ("client_id", credentials.client_id.as_str()),
                ])
            }
        };
        let transport = |error: reqwest::Error| AuthError::Transport(Arc::new(error.without_url()));
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            let body = ErrorBody::read(response).await;
            return Err(AuthError::Rejected { status, body });
        }
        let bytes = zeroize::Zeroizing::new(response.bytes().await.map_err(transport)?.to_vec());
        // serde's message names the field and the position only, never the value.
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
        let refresh_at = self.clock.now() + lifetime.saturating_sub(REFRESH_MARGIN.min(lifetime / 2));
        let authorization = bearer_header(token.access_token.expose_secret()).ok_or_else(|| {
            AuthError::InvalidResponse("the access token holds characters that cannot be sent in a header".to_owned())
        })?;
        Ok(CachedToken { authorization, refresh_at })
    }
}

#[cfg(test)]
mod tests {
    use super::{host_of_client_id, lower_hex, normalize_tenant};
    use crate::error::CredentialError;

    #[test]
    fn client_ids_are_parsed_as_the_official_sdks_do() {
        assert_eq!(host_of_client_id("abc@Acme.Conductor.One/pcc").as_deref(), Ok("acme.conductor.one"));
        assert_eq!(host_of_client_id("abc@acme/pcc").as_deref(), Ok("acme.conductor.one"));
        assert_eq!(host_of_client_id("abc@c1.example.com:8443/wfe").as_deref(), Ok("c1.example.com:8443"));
        assert_eq!(host_of_client_id("a@b@acme/pcc").as_deref(), Err(&CredentialError::ClientIdWithoutHost));
        assert_eq!(host_of_client_id("abc.acme/pcc"), Err(CredentialError::ClientIdWithoutAt));
        assert_eq!(host_of_client_id("abc@acme.conductor.one"), Err(CredentialError::ClientIdWithoutKind));
        assert_eq!(host_of_client_id("@acme/pcc"), Err(CredentialError::ClientIdWithoutName));
        assert_eq!(host_of_client_id("abc@/pcc"), Err(CredentialError::ClientIdWithoutHost));
    }

    #[test]
    fn tenants_are_normalised_to_hosts() {
        assert_eq!(normalize_tenant(" ACME ").as_deref(), Some("acme.conductor.one"));
        assert_eq!(normalize_tenant("acme.example.com").as_deref(), Some("acme.example.com"));
        for bad in ["", "a b", "acme/evil", ".acme", "acme:", "acme:99999", "acme.com:x"] {
            assert_eq!(normalize_tenant(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn nonces_are_lower_case_hex() {
        assert_eq!(lower_hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    }
}
