//! Retries and paging against a real loopback server. Waits are recorded by an injected sleeper
//! instead of slept, so the tests stay fast while checking the exact delays asked for.

use std::time::Duration;

use conductorone_personal_client::{Error, RetryPolicy, types};
use futures::StreamExt as _;
use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::e2e::{builder, personal_client_json, recording_policy};

const GET_PATH: &str = "/api/v1/iam/personal_clients/pc-1";

async fn mount_get_failures(server: &MockServer, template: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .respond_with(template)
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

async fn mount_get_success(server: &MockServer, expected: u64) {
    Mock::given(method("GET"))
        .and(path(GET_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": { "id": "pc-1" } })))
        .expect(expected)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_503_then_success_is_retried_with_backoff() {
    let server = MockServer::start().await;
    mount_get_failures(&server, ResponseTemplate::new(503), 2).await;
    mount_get_success(&server, 1).await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy).build().expect("builds");

    let fetched = client.get("pc-1").await.expect("the third attempt succeeds");

    assert_eq!(fetched.id.as_deref(), Some("pc-1"));
    let waits = sleeper.waits.lock().expect("not poisoned").clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    // Full jitter: each wait lies in [0, 200 ms · 2^attempt).
    assert!(waits[0] < Duration::from_millis(200), "{waits:?}");
    assert!(waits[1] < Duration::from_millis(400), "{waits:?}");
}

#[tokio::test]
async fn every_retryable_status_is_retried_and_then_reported() {
    for status in [429_u16, 502, 503, 504] {
        let server = MockServer::start().await;
        mount_get_failures(&server, ResponseTemplate::new(status), 4).await;
        let (policy, sleeper) = recording_policy();
        let client = builder(&server).retry_policy(policy).build().expect("builds");

        let error = client.get("pc-1").await.expect_err("every attempt fails");

        assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
        assert_eq!(sleeper.waits.lock().expect("not poisoned").len(), 3, "three retries after the first attempt");
    }
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = MockServer::start().await;
    mount_get_failures(&server, ResponseTemplate::new(400).set_body_string("bad id"), 1).await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy).build().expect("builds");

    let error = client.get("pc-1").await.expect_err("a client error");

    assert!(matches!(&error, Error::Api { status, .. } if status.as_u16() == 400), "{error:?}");
    assert!(sleeper.waits.lock().expect("not poisoned").is_empty());
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    mount_get_failures(&server, ResponseTemplate::new(429).insert_header("retry-after", "7"), 1).await;
    mount_get_success(&server, 1).await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy).build().expect("builds");

    client.get("pc-1").await.expect("succeeds after waiting");

    assert_eq!(*sleeper.waits.lock().expect("not poisoned"), vec![Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_limit_returns_the_answer() {
    let server = MockServer::start().await;
    mount_get_failures(&server, ResponseTemplate::new(503).insert_header("retry-after", "3600"), 1).await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy).build().expect("builds");

    let error = client.get("pc-1").await.expect_err("the server asked for an hour");

    assert_eq!(error.status().map(|status| status.as_u16()), Some(503));
    assert!(sleeper.waits.lock().expect("not poisoned").is_empty());
}

#[tokio::test]
async fn create_is_not_retried_unless_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy).build().expect("builds");
    let request = types::PersonalClientServiceCreateRequest::default();

    client.create(&request).await.expect_err("503");
    assert!(sleeper.waits.lock().expect("not poisoned").is_empty(), "create was retried");

    server.reset().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": {}, "clientSecret": "s" })))
        .expect(1)
        .mount(&server)
        .await;
    let (policy, sleeper) = recording_policy();
    let client = builder(&server).retry_policy(policy.retry_writes(true)).build().expect("builds");
    client.create(&request).await.expect("retried when asked");
    assert_eq!(sleeper.waits.lock().expect("not poisoned").len(), 1);
}

#[tokio::test]
async fn connection_failures_are_retried() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port();
    let (policy, sleeper) = recording_policy();
    let client = conductorone_personal_client::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token("t")
        .retry_policy(policy.max_retries(2))
        .build()
        .expect("builds");

    let error = client.get("pc-1").await.expect_err("nothing listens");
    assert!(matches!(error, Error::Transport { attempts: 3, .. }), "{error:?}");
    assert!(error.to_string().contains("(3 attempts)"), "{error}");
    assert_eq!(sleeper.waits.lock().expect("not poisoned").len(), 2);
}

fn search_page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let list: Vec<_> = ids.iter().map(|id| personal_client_json(id)).collect();
    let mut body = json!({ "list": list });
    if let Some(next) = next {
        body["nextPageToken"] = json!(next);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

async fn mount_search_page(server: &MockServer, token: Option<&str>, answer: ResponseTemplate) {
    let matcher = match token {
        Some(token) => body_partial_json(json!({ "pageToken": token, "pageSize": 2 })),
        None => body_partial_json(json!({ "pageSize": 2 })),
    };
    Mock::given(method("POST"))
        .and(path("/api/v1/search/iam/personal_clients"))
        .and(matcher)
        .respond_with(answer)
        .up_to_n_times(1)
        .expect(1)
        .mount(server)
        .await;
}

fn page_size_two() -> types::PersonalClientSearchServiceSearchRequest {
    types::PersonalClientSearchServiceSearchRequest::default().with_page_size(2)
}

#[tokio::test]
async fn search_stream_follows_page_tokens_across_three_pages() {
    let server = MockServer::start().await;
    // Mounted from the last page to the first: the page-one mock matches any body with pageSize 2,
    // so it must be tried after the token-specific ones.
    mount_search_page(&server, Some("t3"), search_page(&["e"], Some(""))).await;
    mount_search_page(&server, Some("t2"), search_page(&["c", "d"], Some("t3"))).await;
    mount_search_page(&server, None, search_page(&["a", "b"], Some("t2"))).await;
    let client = builder(&server).build().expect("builds");

    let all = client.search_all(page_size_two()).await.expect("three pages");

    let ids: Vec<&str> = all.iter().filter_map(|found| found.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn a_repeated_page_token_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/search/iam/personal_clients"))
        .respond_with(search_page(&["a"], Some("same")))
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server).build().expect("builds");

    let mut stream = Box::pin(client.search_stream(page_size_two()));
    let mut items = 0;
    let mut failure = None;
    while let Some(next) = stream.next().await {
        match next {
            Ok(_) => items += 1,
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
        assert!(items < 10, "the stream loops");
    }
    // The page that repeats the token is not yielded: a server that repeats a token usually
    // repeats the page too.
    assert_eq!(items, 1, "the first page's item arrives before the error");
    let failure = failure.expect("the repeated token ends the stream with an error");
    assert!(matches!(&failure, Error::RepeatedPageToken { token, .. } if token == "same"), "{failure:?}");
}

#[test]
fn the_default_policy_is_documented_as_it_is() {
    let shown = format!("{:?}", RetryPolicy::default());
    for expected in
        ["max_retries: 3", "initial_backoff: 200ms", "max_backoff: 10s", "max_retry_after: 60s", "retry_writes: false"]
    {
        assert!(shown.contains(expected), "{shown}");
    }
}
