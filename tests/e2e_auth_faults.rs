//! Authentication under faults and on the wire, against loopback servers: shared token fetches,
//! the refresh after a 401, the current token on every retry, the call deadline, workload
//! federation, and the exact headers each request carries.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use conductorone_personal_client::{
    AuthError, Client, Error, Operation, PersonalClientCredentials, RetryPolicy, SecretString,
    WorkloadFederationCredentials, types,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::e2e::{CLIENT_ID, client_secret, manual_clock_policy, personal_client_json};

const TOKEN_PATH: &str = "/auth/v1/token";
const GET_PATH: &str = "/api/v1/iam/personal_clients/pc-1";

fn credentials() -> PersonalClientCredentials {
    PersonalClientCredentials::new(CLIENT_ID, &SecretString::from(client_secret())).expect("the test credential parses")
}

fn token_answer(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "access_token": token, "token_type": "Bearer", "expires_in": expires_in }))
}

/// A token endpoint that hands out `token-1`, `token-2`, … and counts its requests.
async fn mount_counting_token_endpoint(server: &MockServer, expires_in: u64) -> Arc<AtomicUsize> {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(move |_: &Request| {
            let number = counter.fetch_add(1, Ordering::SeqCst) + 1;
            token_answer(&format!("token-{number}"), expires_in)
        })
        .mount(server)
        .await;
    count
}

/// Answers a get of pc-1 that carries `token` with `answer`, exactly `times` times.
async fn mount_get_with_token(server: &MockServer, token: &str, answer: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(answer)
        .expect(times)
        .mount(server)
        .await;
}

fn found_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc-1") }))
}

async fn requests_to(server: &MockServer, wanted: &str) -> usize {
    server.received_requests().await.unwrap_or_default().iter().filter(|request| request.url.path() == wanted).count()
}

async fn sixteen_gets(client: &Client) -> Vec<Result<types::PersonalClient, Error>> {
    let calls = (0..16).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get("pc-1").await })
    });
    futures::future::join_all(calls).await.into_iter().map(|outcome| outcome.expect("the task ran")).collect()
}

#[tokio::test]
async fn concurrent_callers_share_one_failing_fetch_and_then_one_slow_fetch() {
    let server = MockServer::start().await;
    let (policy, clock) = manual_clock_policy();
    let client = Client::builder()
        .base_url(server.uri())
        .personal_client(credentials())
        .retry_policy(policy.max_retries(0))
        .build()
        .expect("builds");

    // Wave 1: the token endpoint fails, slowly enough that every caller waits for the fetch.
    let failing = Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(200)))
        .mount_as_scoped(&server)
        .await;
    for outcome in sixteen_gets(&client).await {
        let error = outcome.expect_err("no token");
        assert!(
            matches!(&error, Error::Auth { source: AuthError::Rejected { status, .. }, .. } if status.as_u16() == 503),
            "{error:?}"
        );
        assert!(error.is_retryable(), "{error:?}");
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await, 1, "one token request for the whole wave");
    drop(failing);

    // Within the backoff window a new call gets the same error without a request.
    client.get("pc-1").await.expect_err("still backing off");
    assert_eq!(requests_to(&server, TOKEN_PATH).await, 1, "no request during the backoff");

    // Wave 2, after the backoff: a slow endpoint that succeeds.
    clock.advance(Duration::from_secs(5));
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer("slow-token", 3600).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .and(header("authorization", "Bearer slow-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc-1") })))
        .mount(&server)
        .await;
    for outcome in sixteen_gets(&client).await {
        outcome.expect("the shared token works");
    }
    assert_eq!(requests_to(&server, TOKEN_PATH).await, 2, "one more token request for the second wave");
    assert_eq!(requests_to(&server, GET_PATH).await, 16);
}

#[tokio::test]
async fn a_401_drops_the_token_and_repeats_the_call_once_with_a_fresh_one() {
    let server = MockServer::start().await;
    let tokens = mount_counting_token_endpoint(&server, 3600).await;
    let refused = ResponseTemplate::new(401).set_body_json(json!({ "code": 16, "message": "token revoked" }));
    mount_get_with_token(&server, "token-1", refused, 1).await;
    mount_get_with_token(&server, "token-2", found_answer(), 2).await;
    let client = Client::builder()
        .base_url(server.uri())
        .personal_client(credentials())
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("builds");

    client.get("pc-1").await.expect("the repeat with a fresh token succeeds");
    client.get("pc-1").await.expect("the fresh token is cached");
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "exactly one refresh");
}

#[tokio::test]
async fn a_401_that_persists_is_refreshed_once_and_then_reported() {
    let server = MockServer::start().await;
    let tokens = mount_counting_token_endpoint(&server, 3600).await;
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "code": 16, "message": "no access" })))
        .expect(2)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).personal_client(credentials()).build().expect("builds");

    let error = client.get("pc-1").await.expect_err("refused twice");
    assert!(matches!(&error, Error::Api { status, code: Some(16), .. } if status.as_u16() == 401), "{error:?}");
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "one refresh, no more");
}

#[tokio::test]
async fn a_401_with_a_static_token_is_not_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = crate::support::e2e::client(&server);
    let error = client.create(&types::PersonalClientServiceCreateRequest::default()).await.expect_err("refused");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(401));
}

#[tokio::test]
async fn a_retry_after_a_long_wait_carries_the_token_current_then() {
    let server = MockServer::start().await;
    // Tokens live 100 s and are replaced 50 s before they expire.
    let tokens = mount_counting_token_endpoint(&server, 100).await;
    mount_get_with_token(&server, "token-1", ResponseTemplate::new(503).insert_header("retry-after", "55"), 1).await;
    mount_get_with_token(&server, "token-2", found_answer(), 1).await;
    let (policy, clock) = manual_clock_policy();
    let client = Client::builder()
        .base_url(server.uri())
        .personal_client(credentials())
        .retry_policy(policy)
        .build()
        .expect("builds");

    client.get("pc-1").await.expect("the retry succeeds with the new token");
    assert_eq!(*clock.waits.lock().expect("not poisoned"), [Duration::from_secs(55)]);
    assert_eq!(tokens.load(Ordering::SeqCst), 2, "the token was refreshed for the retry");
}

#[tokio::test]
async fn the_call_deadline_covers_every_attempt_and_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "50"))
        .expect(3)
        .mount(&server)
        .await;
    let (policy, clock) = manual_clock_policy();
    let client = crate::support::e2e::builder(&server)
        .retry_policy(policy.max_retries(10))
        .call_timeout(Duration::from_secs(120))
        .build()
        .expect("builds");

    let error = client.get("pc-1").await.expect_err("the deadline ends it");
    match &error {
        Error::DeadlineExceeded { operation, deadline, attempts, last } => {
            assert_eq!(*operation, Operation::Get.name());
            assert_eq!(*deadline, Duration::from_secs(120));
            assert_eq!(*attempts, 3, "at 0 s, 50 s and 100 s; a fourth would start at 150 s");
            assert_eq!(last.as_ref().and_then(|last| last.status()).map(|status| status.as_u16()), Some(503));
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert_eq!(*clock.waits.lock().expect("not poisoned"), [Duration::from_secs(50), Duration::from_secs(50)]);
    assert!(error.is_timeout() && error.is_retryable());
    assert!(error.to_string().contains("gave up after 3 attempts"), "{error}");
}

#[tokio::test]
async fn the_call_deadline_also_bounds_a_slow_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let client =
        crate::support::e2e::builder(&server).call_timeout(Duration::from_millis(200)).build().expect("builds");
    let error = client.get("pc-1").await.expect_err("too slow");
    match &error {
        Error::DeadlineExceeded { attempts: 1, last: Some(last), .. } => assert!(last.is_timeout(), "{last:?}"),
        other => panic!("expected the deadline to cut the attempt, got {other:?}"),
    }
}

#[tokio::test]
async fn workload_federation_exchanges_the_oidc_token_and_rereads_its_file() {
    let server = MockServer::start().await;
    let subjects = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = subjects.clone();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(move |request: &Request| {
            let fields: Vec<(String, String)> = url::form_urlencoded::parse(&request.body).into_owned().collect();
            let names: Vec<&str> = fields.iter().map(|(name, _)| name.as_str()).collect();
            assert_eq!(names, ["grant_type", "subject_token", "subject_token_type", "client_id"]);
            let value = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
            assert_eq!(value("grant_type").as_deref(), Some("urn:ietf:params:oauth:grant-type:token-exchange"));
            assert_eq!(value("subject_token_type").as_deref(), Some("urn:ietf:params:oauth:token-type:jwt"));
            assert_eq!(value("client_id").as_deref(), Some("ci@acme.conductor.one/wfe"));
            seen.lock().expect("not poisoned").push(value("subject_token").unwrap_or_default());
            token_answer("federated", 0)
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .and(header("authorization", "Bearer federated"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc-1") })))
        .expect(2)
        .mount(&server)
        .await;
    let directory = tempfile::tempdir().expect("a temporary directory");
    let token_file = directory.path().join("oidc-token");
    std::fs::write(&token_file, "ci-jwt-1\n").expect("write the token");
    let credentials =
        WorkloadFederationCredentials::from_file("ci@acme.conductor.one/wfe", &token_file).expect("a trust");
    let client = Client::builder()
        .base_url(server.uri())
        .workload_federation(credentials)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("builds");

    client.get("pc-1").await.expect("first call");
    std::fs::write(&token_file, "ci-jwt-2").expect("the CI system rotates the token");
    client.get("pc-1").await.expect("second call, after a refresh");
    assert_eq!(*subjects.lock().expect("not poisoned"), ["ci-jwt-1", "ci-jwt-2"]);

    std::fs::remove_file(&token_file).expect("remove the token");
    let error = client.get("pc-1").await.expect_err("the file is gone");
    assert!(matches!(&error, Error::Auth { source: AuthError::OidcTokenFile { .. }, .. }), "{error:?}");
    assert!(!error.to_string().contains("ci-jwt"), "{error}");
}

/// The names of the headers a request carried.
fn header_names(request: &Request) -> BTreeSet<String> {
    request.headers.keys().map(|name| name.as_str().to_owned()).collect()
}

#[tokio::test]
async fn requests_carry_exactly_the_headers_the_official_sdks_send() {
    let server = MockServer::start().await;
    let tokens = mount_counting_token_endpoint(&server, 3600).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc-1"), "list": [] })),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/search/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "list": [] })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).personal_client(credentials()).build().expect("builds");

    client.get("pc-1").await.expect("get");
    client.list().await.expect("list");
    client.search(&types::PersonalClientSearchServiceSearchRequest::default()).await.expect("search");
    assert_eq!(tokens.load(Ordering::SeqCst), 1);

    let requests = server.received_requests().await.unwrap_or_default();
    let expected_get: BTreeSet<String> =
        ["accept", "authorization", "host", "user-agent"].into_iter().map(str::to_owned).collect();
    let mut expected_post = expected_get.clone();
    expected_post.extend(["content-length", "content-type"].map(str::to_owned));
    let mut expected_token = expected_post.clone();
    expected_token.remove("authorization");
    for request in &requests {
        let expected = match (request.method.as_str(), request.url.path()) {
            ("POST", TOKEN_PATH) => &expected_token,
            ("GET", _) => &expected_get,
            _ => &expected_post,
        };
        assert_eq!(&header_names(request), expected, "{} {}", request.method, request.url.path());
    }
    assert_eq!(requests.len(), 4);
}
