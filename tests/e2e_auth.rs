//! Authentication against a real loopback server: the personal-client token exchange, caching,
//! refresh, concurrency, rejection; construction from the environment; and secrets kept out of
//! every `Debug` and error string.

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use conductorone_personal_client::{
    AuthError, Client, ConfigError, CredentialError, Error, Operation, PersonalClientCredentials, RetryPolicy,
    SecretString, WorkloadFederationCredentials,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::e2e::{ACCESS_TOKEN, CLIENT_ID, PUBLIC_KEY_X, client_secret};

fn credentials() -> PersonalClientCredentials {
    PersonalClientCredentials::new(CLIENT_ID, &SecretString::from(client_secret())).expect("the test credential parses")
}

fn credential_client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .personal_client(credentials())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("builds")
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body).into_owned().collect()
}

/// Checks the token request: form fields, and an EdDSA assertion signed by the test key with the documented claims.
fn assert_valid_token_request(request: &Request) {
    assert_eq!(
        request.headers.get("content-type").and_then(|value| value.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    let fields = form(request);
    assert_eq!(fields.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert_eq!(fields.get("grant_type").map(String::as_str), Some("client_credentials"));
    assert_eq!(
        fields.get("client_assertion_type").map(String::as_str),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    let assertion = fields.get("client_assertion").expect("an assertion");
    assert_eq!(fields.len(), 4, "exactly the four documented fields: {fields:?}");
    assert_valid_assertion(assertion, "127.0.0.1");
}

/// Checks a client assertion as the official SDKs build it: header `{"alg":"EdDSA","nonce":"<32 hex>"}`,
/// claims iss/sub/aud/exp/nbf/iat with `aud` a one-element array, no `jti`, no `typ`, and the
/// signature verified with the test key's public half.
pub fn assert_valid_assertion(assertion: &str, audience: &str) {
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts");
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).expect("base64url");
    let header: Value = serde_json::from_slice(&decode(parts[0])).expect("a JSON header");
    let header = header.as_object().expect("the header is an object");
    assert_eq!(header.keys().map(String::as_str).collect::<Vec<_>>(), ["alg", "nonce"], "no typ, no kid");
    assert_eq!(header["alg"], "EdDSA");
    let nonce = header["nonce"].as_str().expect("a nonce string");
    assert_eq!(nonce.len(), 32, "16 bytes as hex");
    assert!(nonce.chars().all(|character| matches!(character, '0'..='9' | 'a'..='f')), "lower-case hex: {nonce}");
    let claims: Value = serde_json::from_slice(&decode(parts[1])).expect("JSON claims");
    let mut names: Vec<&str> = claims.as_object().expect("an object").keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["aud", "exp", "iat", "iss", "nbf", "sub"], "no jti, nothing extra");
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["sub"], CLIENT_ID);
    assert_eq!(claims["aud"], json!([audience]), "aud is a one-element array: the token host without its port");
    let iat = claims["iat"].as_i64().expect("iat");
    assert_eq!(claims["nbf"].as_i64(), Some(iat - 120));
    assert_eq!(claims["exp"].as_i64(), Some(iat + 120));
    let now = chrono::Utc::now().timestamp();
    assert!((now - iat).abs() < 60, "iat is now");
    let public_key = URL_SAFE_NO_PAD.decode(PUBLIC_KEY_X).expect("the test key");
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, public_key)
        .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &decode(parts[2]))
        .expect("the assertion is signed by the client's key");
}

#[tokio::test]
async fn every_assertion_carries_a_fresh_nonce() {
    let server = MockServer::start().await;
    let nonces = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = nonces.clone();
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(move |request: &Request| {
            let assertion = form(request).remove("client_assertion").expect("an assertion");
            let header = assertion.split('.').next().expect("a header").to_owned();
            let header: Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("base64url")).expect("json");
            seen.lock().expect("not poisoned").push(header["nonce"].as_str().expect("a nonce").to_owned());
            ResponseTemplate::new(200).set_body_json(json!({ "access_token": "t", "expires_in": 0 }))
        })
        .expect(2)
        .mount(&server)
        .await;
    mount_get(&server, "t", 2).await;
    let client = credential_client(&server);
    client.get("pc-1").await.expect("first");
    client.get("pc-1").await.expect("second, after a refresh");
    let nonces = nonces.lock().expect("not poisoned");
    assert_ne!(nonces[0], nonces[1], "a nonce is never reused");
}

async fn mount_token_endpoint(server: &MockServer, token: &str, expires_in: u64, expected_calls: u64) {
    let token = token.to_owned();
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(move |request: &Request| {
            assert_valid_token_request(request);
            ResponseTemplate::new(200)
                .set_body_json(json!({ "access_token": token, "token_type": "Bearer", "expires_in": expires_in }))
                .set_delay(Duration::from_millis(50))
        })
        .expect(expected_calls)
        .mount(server)
        .await;
}

async fn mount_get(server: &MockServer, bearer: &str, expected_calls: u64) {
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/pc-1"))
        .and(header("authorization", format!("Bearer {bearer}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": { "id": "pc-1" } })))
        .expect(expected_calls)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_credential_is_exchanged_for_a_token_that_is_cached() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "fetched-token-1", 3600, 1).await;
    mount_get(&server, "fetched-token-1", 3).await;

    let client = credential_client(&server);
    for _ in 0..3 {
        client.get("pc-1").await.expect("get succeeds with the fetched token");
    }
}

#[tokio::test]
async fn an_expired_token_is_refreshed() {
    let server = MockServer::start().await;
    // A token that lives zero seconds must be fetched again for every call.
    mount_token_endpoint(&server, "short-lived", 0, 2).await;
    mount_get(&server, "short-lived", 2).await;

    let client = credential_client(&server);
    client.get("pc-1").await.expect("first call");
    client.get("pc-1").await.expect("second call, after a refresh");
}

#[tokio::test]
async fn an_absurd_token_lifetime_is_accepted_without_overflow() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "long-lived", u64::MAX, 1).await;
    mount_get(&server, "long-lived", 2).await;

    let client = credential_client(&server);
    client.get("pc-1").await.expect("first call");
    client.get("pc-1").await.expect("second call, from the cache");
}

#[tokio::test]
async fn concurrent_calls_share_one_token_fetch() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "shared-token", 3600, 1).await;
    mount_get(&server, "shared-token", 16).await;

    let client = credential_client(&server);
    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get("pc-1").await })
    });
    for outcome in futures::future::join_all(calls).await {
        outcome.expect("the task ran").expect("the call succeeded");
    }
}

#[tokio::test]
async fn a_rejected_credential_is_a_typed_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "error": "invalid_client" })))
        .expect(1)
        .mount(&server)
        .await;
    let client = credential_client(&server);

    let error = client.get("pc-1").await.expect_err("the credential is rejected");

    match &error {
        Error::Auth { operation, source: AuthError::Rejected { status, body } } => {
            assert_eq!(*operation, Operation::Get.name());
            assert_eq!(status.as_u16(), 401);
            assert!(body.text().contains("invalid_client"));
        }
        other => panic!("expected a rejected credential, got {other:?}"),
    }
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
    assert_no_secret(&format!("{error} {error:?}"));
}

#[tokio::test]
async fn a_token_answer_without_a_token_is_a_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>login</html>"))
        .mount(&server)
        .await;

    let error = credential_client(&server).get("pc-1").await.expect_err("no token");
    assert!(matches!(error, Error::Auth { source: AuthError::InvalidResponse(_), .. }), "{error:?}");
}

/// No secret of the test setup appears in `text`.
fn assert_no_secret(text: &str) {
    let secret = client_secret();
    let key_json = secret.trim_start_matches("secret-token:conductorone.com:v1:");
    for needle in
        [secret.as_str(), key_json, crate::support::e2e::PRIVATE_KEY_D, ACCESS_TOKEN, "fetched-token", "shared-token"]
    {
        assert!(!text.contains(needle), "a secret leaked: {needle:?} in {text}");
    }
}

#[tokio::test]
async fn debug_output_of_everything_hides_the_secrets() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, "fetched-token-9", 3600, 1).await;
    mount_get(&server, "fetched-token-9", 1).await;
    let with_credentials = credential_client(&server);
    with_credentials.get("pc-1").await.expect("succeeds");
    let with_token = crate::support::e2e::client(&server);

    let shown = format!(
        "{with_credentials:?} {with_token:?} {:?} {:?} {:?}",
        credentials(),
        SecretString::from(client_secret()),
        WorkloadFederationCredentials::new(CLIENT_ID, ACCESS_TOKEN).expect("a trust")
    );
    assert_no_secret(&shown);
    assert!(shown.contains("[redacted]"));
}

#[test]
fn construction_from_a_tenant_a_base_url_and_a_client_id() {
    let from_tenant = Client::builder().tenant("acme").access_token("t").build().expect("builds");
    assert_eq!(from_tenant.base_url(), "https://acme.conductor.one");
    let from_host = Client::builder().tenant("C1.Example.com").access_token("t").build().expect("builds");
    assert_eq!(from_host.base_url(), "https://c1.example.com", "a host is kept, lower-cased");

    let from_url = Client::builder().base_url("http://127.0.0.1:8080/").access_token("t").build().expect("builds");
    assert_eq!(from_url.base_url(), "http://127.0.0.1:8080");

    let from_id = Client::from_personal_client("abc@Insulator/pcc", client_secret()).expect("builds");
    assert_eq!(from_id.base_url(), "https://insulator.conductor.one", "a bare tenant gets .conductor.one");
}

#[test]
fn construction_errors_are_typed_and_never_panic() {
    let no_credentials = Client::builder().tenant("acme").build().expect_err("no credentials");
    assert!(matches!(no_credentials, Error::Config(ConfigError::NoCredentials)), "{no_credentials:?}");
    let no_tenant = Client::builder().access_token("t").build().expect_err("no tenant");
    assert!(matches!(no_tenant, Error::Config(ConfigError::NoServer)), "{no_tenant:?}");
    for bad in ["not a url", "ftp://example.com", "http://", "https://example.com/?q=1"] {
        let error = Client::builder().base_url(bad).access_token("t").build().expect_err(bad);
        assert!(matches!(error, Error::Config(ConfigError::InvalidUrl { role: "base URL", .. })), "{bad}: {error:?}");
    }
    for bad_tenant in ["", "acme/evil", "a b", ".acme"] {
        let error = Client::builder().tenant(bad_tenant).access_token("t").build().expect_err(bad_tenant);
        assert!(matches!(&error, Error::Config(ConfigError::InvalidTenant { .. })), "{bad_tenant}: {error:?}");
        assert!(error.to_string().contains("tenant"), "{error}");
    }
    let empty_token = Client::builder().tenant("acme").access_token("").build().expect_err("empty token");
    assert!(matches!(empty_token, Error::Config(ConfigError::EmptyAccessToken)), "{empty_token:?}");
    let unsendable = Client::builder().tenant("acme").access_token("line\nbreak").build().expect_err("a newline");
    assert!(matches!(&unsendable, Error::Config(ConfigError::AccessTokenNotSendable)), "{unsendable:?}");
    assert!(!format!("{unsendable} {unsendable:?}").contains("line\nbreak"));
}

#[test]
fn plain_http_is_refused_except_to_loopback_or_when_asked_for() {
    for loopback in ["http://127.0.0.1:9", "http://127.8.9.10", "http://[::1]:8080", "http://localhost:3000"] {
        Client::builder().base_url(loopback).access_token("t").build().expect(loopback);
    }
    for remote in ["http://acme.conductor.one", "http://10.0.0.1:8080", "http://[2001:db8::1]", "http://localhost.evil"]
    {
        let error = Client::builder().base_url(remote).access_token("t").build().expect_err(remote);
        assert!(matches!(&error, Error::Config(ConfigError::InsecureUrl { role: "base URL", .. })), "{error:?}");
        assert!(error.to_string().contains("danger_accept_insecure_http"), "the message names the way out: {error}");
        Client::builder()
            .base_url(remote)
            .access_token("t")
            .danger_accept_insecure_http()
            .build()
            .expect("accepted after the explicit opt-in");
    }
    let token_url = Client::builder()
        .base_url("https://acme.conductor.one")
        .personal_client(credentials())
        .token_url("http://tokens.example.com/auth/v1/token")
        .build()
        .expect_err("a clear-text token URL");
    assert!(matches!(&token_url, Error::Config(ConfigError::InsecureUrl { role: "token URL", .. })), "{token_url:?}");
    let derived = Client::builder()
        .base_url("http://acme.example.com")
        .personal_client(credentials())
        .build()
        .expect_err("the token URL derived from a clear-text base URL");
    assert!(matches!(&derived, Error::Config(ConfigError::InsecureUrl { .. })), "{derived:?}");
}

#[test]
fn malformed_client_ids_and_secrets_say_which_part_is_wrong() {
    let good_secret = SecretString::from(client_secret());
    let id_cases = [
        ("no-at-sign.conductor.one/pcc", CredentialError::ClientIdWithoutAt),
        ("@acme.conductor.one/pcc", CredentialError::ClientIdWithoutName),
        ("abc@acme.conductor.one", CredentialError::ClientIdWithoutKind),
        ("abc@/pcc", CredentialError::ClientIdWithoutHost),
        ("abc@not a host/pcc", CredentialError::ClientIdWithoutHost),
    ];
    for (client_id, expected) in id_cases {
        assert_eq!(
            PersonalClientCredentials::new(client_id, &good_secret).expect_err(client_id),
            expected,
            "{client_id}"
        );
    }

    let encode = |jwk: Value| format!("secret-token:conductorone.com:v1:{}", URL_SAFE_NO_PAD.encode(jwk.to_string()));
    let d = crate::support::e2e::PRIVATE_KEY_D;
    let secret_cases = [
        ("hunter2-not-a-secret".to_owned(), CredentialError::SecretPrefix),
        ("secret-token:conductorone.com:v1:***".to_owned(), CredentialError::SecretEncoding),
        (
            format!("secret-token:conductorone.com:v1:{}", URL_SAFE_NO_PAD.encode("not json")),
            CredentialError::SecretNotJwk,
        ),
        (encode(json!({ "kty": "RSA", "n": "x" })), CredentialError::SecretNotEd25519),
        (encode(json!({ "kty": "OKP", "crv": "Ed25519", "x": PUBLIC_KEY_X })), CredentialError::SecretMissingPart("d")),
        (
            encode(json!({ "kty": "OKP", "crv": "Ed25519", "d": "!!", "x": PUBLIC_KEY_X })),
            CredentialError::SecretPartEncoding("d"),
        ),
        (
            encode(json!({ "kty": "OKP", "crv": "Ed25519", "d": "AAAA", "x": PUBLIC_KEY_X })),
            CredentialError::SecretPartLength("d"),
        ),
        (
            encode(json!({ "kty": "OKP", "crv": "Ed25519", "d": d, "x": URL_SAFE_NO_PAD.encode([7_u8; 32]) })),
            CredentialError::SecretKeyMismatch,
        ),
    ];
    for (secret, expected) in secret_cases {
        let error =
            PersonalClientCredentials::new(CLIENT_ID, &SecretString::from(secret.clone())).expect_err("malformed");
        assert_eq!(error, expected, "for {secret}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(&secret), "the secret was echoed: {shown}");
        assert!(!shown.contains(d), "the key was echoed: {shown}");
    }
}

/// One row of the environment table: the variables set, and what the SDK makes of them.
struct EnvironmentRow<'a> {
    set: &'a [(&'static str, &'a str)],
    expected: Result<(&'static str, &'static str), &'static str>,
}

#[test]
fn construction_from_the_environment_follows_the_official_priority() {
    let secret = client_secret();
    let secret = secret.as_str();
    let wfe_id = "ci-trust@acme.conductor.one/wfe";
    let rows = [
        // Credentials, in priority order.
        EnvironmentRow {
            set: &[("CONDUCTORONE_ACCESS_TOKEN", "t"), ("CONDUCTORONE_SERVER_URL", "http://127.0.0.1:9")],
            expected: Ok(("AccessToken", "http://127.0.0.1:9")),
        },
        EnvironmentRow {
            set: &[
                ("CONDUCTORONE_ACCESS_TOKEN", "t"),
                ("CONDUCTORONE_OIDC_TOKEN", "jwt"),
                ("CONDUCTORONE_CLIENT_ID", CLIENT_ID),
                ("CONDUCTORONE_CLIENT_SECRET", secret),
            ],
            expected: Ok(("AccessToken", "https://acme.conductor.one")),
        },
        EnvironmentRow {
            set: &[
                ("CONDUCTORONE_OIDC_TOKEN", "jwt"),
                ("CONDUCTORONE_CLIENT_ID", wfe_id),
                ("CONDUCTORONE_CLIENT_SECRET", secret),
            ],
            expected: Ok(("WorkloadFederation", "https://acme.conductor.one")),
        },
        EnvironmentRow {
            set: &[("CONDUCTORONE_CLIENT_ID", CLIENT_ID), ("CONDUCTORONE_CLIENT_SECRET", secret)],
            expected: Ok(("PersonalClient", "https://acme.conductor.one")),
        },
        // The server: a full URL first, then a tenant, then the client id's host.
        EnvironmentRow {
            set: &[
                ("CONDUCTORONE_CLIENT_ID", CLIENT_ID),
                ("CONDUCTORONE_CLIENT_SECRET", secret),
                ("CONDUCTORONE_SERVER_URL", "https://c1.example.com"),
                ("CONDUCTORONE_TENANT_DOMAIN", "other"),
            ],
            expected: Ok(("PersonalClient", "https://c1.example.com")),
        },
        EnvironmentRow {
            set: &[("CONDUCTORONE_ACCESS_TOKEN", "t"), ("CONDUCTORONE_TENANT_DOMAIN", "Insulator")],
            expected: Ok(("AccessToken", "https://insulator.conductor.one")),
        },
        EnvironmentRow {
            set: &[("CONDUCTORONE_ACCESS_TOKEN", "t"), ("CONDUCTORONE_TENANT_DOMAIN", "c1.example.com")],
            expected: Ok(("AccessToken", "https://c1.example.com")),
        },
        // What is missing is named.
        EnvironmentRow { set: &[], expected: Err("CONDUCTORONE_ACCESS_TOKEN") },
        EnvironmentRow { set: &[("CONDUCTORONE_ACCESS_TOKEN", "t")], expected: Err("CONDUCTORONE_SERVER_URL") },
        EnvironmentRow { set: &[("CONDUCTORONE_CLIENT_ID", CLIENT_ID)], expected: Err("CONDUCTORONE_CLIENT_SECRET") },
        EnvironmentRow { set: &[("CONDUCTORONE_CLIENT_SECRET", secret)], expected: Err("CONDUCTORONE_CLIENT_ID") },
        EnvironmentRow { set: &[("CONDUCTORONE_OIDC_TOKEN", "jwt")], expected: Err("CONDUCTORONE_CLIENT_ID") },
        EnvironmentRow {
            set: &[("CONDUCTORONE_ACCESS_TOKEN", "t"), ("CONDUCTORONE_SERVER_URL", "http://acme.example.com")],
            expected: Err("danger_accept_insecure_http"),
        },
        // The SDK's old variable is not read any more.
        EnvironmentRow {
            set: &[("CONDUCTORONE_ACCESS_TOKEN", "t"), ("CONDUCTORONE_BASE_URL", "http://127.0.0.1:9")],
            expected: Err("CONDUCTORONE_TENANT_DOMAIN"),
        },
    ];
    for (index, row) in rows.iter().enumerate() {
        let lookup = |name: &str| row.set.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned());
        let built = Client::builder_from_lookup(lookup).and_then(conductorone_personal_client::ClientBuilder::build);
        match (&row.expected, built) {
            (Ok((kind, base_url)), Ok(client)) => {
                assert_eq!(client.base_url(), *base_url, "row {index}");
                assert!(format!("{client:?}").contains(&format!("Auth::{kind}")), "row {index}: {client:?}");
            }
            (Err(named), Err(error)) => assert!(error.to_string().contains(named), "row {index}: {error}"),
            (expected, built) => panic!("row {index}: expected {:?}, got {built:?}", expected.is_ok()),
        }
    }
}
