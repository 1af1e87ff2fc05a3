//! What a server sends back, good or bad, against a real loopback server: typed errors for every
//! broken answer, no panic, and the lenient parts of decoding (unknown fields, nulls, offsets).

use std::time::Duration;

use conductorone_personal_client::{Error, MAX_ERROR_BODY_BYTES, Operation};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::e2e::{ACCESS_TOKEN, builder, client};

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/pc-1"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn get_error(template: ResponseTemplate) -> Error {
    let server = server_answering(template).await;
    let error = client(&server).get("pc-1").await.expect_err("the answer is broken");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(ACCESS_TOKEN), "the token leaked into an error: {shown}");
    error
}

fn json_body(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text.as_bytes().to_vec(), "application/json")
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let error = get_error(json_body("{\"client\": {\"id\": \"pc-1\",, }")).await;
    assert!(matches!(&error, Error::Decode { operation, .. } if *operation == Operation::Get.name()), "{error:?}");
}

#[tokio::test]
async fn a_wrong_type_names_the_json_path() {
    let error = get_error(json_body(r#"{"client": {"id": "pc-1", "createdAt": 5}}"#)).await;
    match &error {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "client.createdAt");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(error.to_string().contains("client.createdAt"), "{error}");

    let error = get_error(json_body(r#"{"client": {"allowSourceCidr": ["ok", 7]}}"#)).await;
    assert!(matches!(&error, Error::Decode { path, .. } if path == "client.allowSourceCidr[1]"), "{error:?}");
}

#[tokio::test]
async fn a_truncated_body_is_a_decode_error() {
    let error = get_error(json_body(r#"{"client": {"id": "pc-1", "displayNa"#)).await;
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let error = get_error(json_body("")).await;
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn an_answer_without_the_client_is_a_decode_error_naming_the_field() {
    let error = get_error(json_body("{}")).await;
    assert!(matches!(&error, Error::Decode { path, .. } if path == "client"), "{error:?}");
}

#[tokio::test]
async fn an_html_error_page_keeps_status_and_body() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = get_error(ResponseTemplate::new(502).set_body_raw(page.as_bytes().to_vec(), "text/html")).await;
    match &error {
        Error::Api { operation, status, body, code, message, details } => {
            assert_eq!(*operation, Operation::Get.name());
            assert_eq!(status.as_u16(), 502);
            assert_eq!(body.text(), page);
            assert!(!body.is_truncated());
            assert_eq!((code, message, details.len()), (&None, &None, 0), "an HTML page is not the API's error JSON");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(error.to_string().contains("502"), "{error}");
}

#[tokio::test]
async fn html_with_a_200_status_is_a_decode_error() {
    let page = "<html>maintenance</html>";
    let error = get_error(ResponseTemplate::new(200).set_body_raw(page.as_bytes().to_vec(), "text/html")).await;
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_multi_megabyte_error_body_is_capped() {
    let body = "x".repeat(5 * 1024 * 1024);
    let error = get_error(ResponseTemplate::new(500).set_body_string(body)).await;
    match &error {
        Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body.text().len(), MAX_ERROR_BODY_BYTES);
            assert!(body.is_truncated());
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(error.to_string().len() < 1024, "the message stays short");
    assert!(format!("{error:?}").len() < 4096, "Debug stays short");
}

#[tokio::test]
async fn a_multi_megabyte_success_body_that_is_not_json_is_a_decode_error() {
    let body = format!("{{\"client\": {{\"displayName\": \"{}", "y".repeat(3 * 1024 * 1024));
    let error = get_error(json_body(&body)).await;
    match &error {
        Error::Decode { body, .. } => assert!(body.is_truncated() && body.text().len() == MAX_ERROR_BODY_BYTES),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_fields_and_explicit_nulls_are_accepted() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "client": {
            "id": "pc-1",
            "displayName": null,
            "allowSourceCidr": null,
            "scopedRoles": null,
            "createdAt": null,
            "someFutureField": { "nested": [1, 2, 3] },
        },
        "anotherNewField": true,
    })))
    .await;

    let fetched = client(&server).get("pc-1").await.expect("lenient decoding");
    assert_eq!(fetched.id.as_deref(), Some("pc-1"));
    assert_eq!(fetched.display_name, None);
    assert_eq!(fetched.allow_source_cidr, None);
    assert_eq!(fetched.created_at, None);
}

#[tokio::test]
async fn timestamps_with_offsets_and_fractional_seconds_are_parsed() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "client": {
            "createdAt": "2024-05-01T12:30:45.123456789Z",
            "updatedAt": "2024-05-02T08:00:00+02:00",
            "lastUsedAt": "2024-05-03T23:59:59.5-07:30",
            "expiresTime": "2030-01-01T00:00:00Z",
        },
    })))
    .await;

    let fetched = client(&server).get("pc-1").await.expect("timestamps parse");
    let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("a valid date").to_utc();
    assert_eq!(fetched.created_at, Some(utc("2024-05-01T12:30:45.123456789Z")));
    assert_eq!(fetched.updated_at, Some(utc("2024-05-02T06:00:00Z")));
    assert_eq!(fetched.last_used_at, Some(utc("2024-05-04T07:29:59.5Z")));
    assert_eq!(fetched.created_at.map(|at| at.timestamp_subsec_nanos()), Some(123_456_789));
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_error() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_json(json!({ "client": {} })).set_delay(Duration::from_secs(5)),
    )
    .await;
    let client = builder(&server).timeout(Duration::from_millis(200)).build().expect("builds");

    let error = client.get("pc-1").await.expect_err("times out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout { operation, attempts: 1, .. } if operation == Operation::Get.name()));
}

/// A client for a port nothing listens on (bound, then freed), and that port.
fn client_of_an_unreachable_server() -> (conductorone_personal_client::Client, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("an address").port();
    let client = conductorone_personal_client::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token(ACCESS_TOKEN)
        .retry_policy(conductorone_personal_client::RetryPolicy::disabled())
        .build()
        .expect("builds");
    (client, port)
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let (client, port) = client_of_an_unreachable_server();

    let error = client.get("pc-1").await.expect_err("nothing listens");
    assert!(matches!(&error, Error::Transport { attempts: 1, .. }), "{error:?}");
    assert!(!error.is_timeout());
    assert!(error.is_retryable());
    assert_eq!(error.operation(), Some(Operation::Get.name()));
    let message = error.to_string();
    assert!(message.contains(&format!("could not reach http://127.0.0.1:{port} (1 attempt)")), "{message}");
}

#[tokio::test]
async fn the_generated_client_authenticates_on_its_own() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients"))
        .and(wiremock::matchers::header("authorization", "Bearer test-access-token-3f9a"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "list": [] })))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server).generated().list().await.expect("the hook added the token");
    assert_eq!(response.into_inner().list, Some(Vec::new()));
}

#[tokio::test]
async fn every_status_the_server_might_send_is_an_error_not_a_panic() {
    for status in [201_u16, 204, 301, 400, 401, 403, 404, 409, 418, 429, 500, 503] {
        let server = server_answering(ResponseTemplate::new(status)).await;
        let error = client(&server).get("pc-1").await.expect_err("not a 200");
        assert_eq!(error.status().map(|status| status.as_u16()), Some(status), "{error:?}");
    }
}

#[tokio::test]
async fn the_apis_error_body_is_parsed_into_code_message_and_details() {
    let body = json!({
        "code": 5,
        "message": "personal client pc-1 not found",
        "details": [{ "@type": "type.googleapis.com/google.rpc.ResourceInfo", "resourceName": "pc-1" }],
    });
    let error = get_error(ResponseTemplate::new(404).set_body_json(body.clone())).await;
    match &error {
        Error::Api { status, code, message, details, body: raw, .. } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(*code, Some(5));
            assert_eq!(message.as_deref(), Some("personal client pc-1 not found"));
            assert_eq!(details.len(), 1);
            assert_eq!(details[0]["resourceName"], "pc-1");
            assert_eq!(serde_json::from_str::<serde_json::Value>(raw.text()).expect("the raw body is kept"), body);
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        format!(
            "{}: the server answered 404 Not Found: personal client pc-1 not found (code 5 NOT_FOUND)",
            Operation::Get
        )
    );
    assert!(!error.is_retryable());
    assert_eq!(conductorone_personal_client::grpc_code_name(16), Some("UNAUTHENTICATED"));
    assert_eq!(conductorone_personal_client::grpc_code_name(17), None);
}

#[tokio::test]
async fn what_main_prints_for_an_error_is_its_message_and_causes() {
    // `fn main() -> Result<(), Box<dyn Error>>` prints the error's `Debug`.
    let (client, _) = client_of_an_unreachable_server();
    let error = client.get("pc-1").await.expect_err("nothing listens");
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    let shown = format!("{boxed:?}");
    assert!(shown.starts_with(&format!("{}: could not reach", Operation::Get)), "{shown}");
    assert!(shown.contains("\n\nCaused by:\n    0: "), "{shown}");
    assert!(!shown.contains("Transport {"), "no struct dump: {shown}");
    assert!(!shown.contains(ACCESS_TOKEN));

    let credential = conductorone_personal_client::PersonalClientCredentials::new(
        "abc@acme/pcc",
        &conductorone_personal_client::SecretString::from("hunter2"),
    )
    .expect_err("not a secret");
    let boxed: Box<dyn std::error::Error> = Box::new(credential);
    assert_eq!(
        format!("{boxed:?}"),
        "the client secret does not start with 'secret-token:conductorone.com:v1:'; copy the whole secret"
    );
}

/// A loopback server that answers every connection with `200` and a chunked JSON body that never
/// ends (a client object whose display name goes on forever). Each connection's task stops by
/// itself when the client hangs up. Returns its URL and the number of body bytes sent so far.
async fn endless_body_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicU64>) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = vec![0u8; 16 * 1024];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let opening = "{\"client\":{\"id\":\"pc-1\",\"displayName\":\"";
                let mut chunk = format!("{:x}\r\n{opening}\r\n", opening.len()).into_bytes();
                let filler = "x".repeat(64 * 1024);
                loop {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
                    chunk = format!("{:x}\r\n{filler}\r\n", filler.len()).into_bytes();
                }
            });
        }
    });
    (url, sent)
}

/// The peak resident memory of this process so far, in bytes (Linux's `VmHWM`).
fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// The body limit the endless-body test sets.
const ENDLESS_LIMIT: u64 = 8 * 1024 * 1024;

/// The half of the endless-body test that runs in a process of its own (so that its peak memory
/// is its own): it does nothing unless the other half started it with the server's URL, then
/// calls `get` against that server and prints the error and its peak memory for the parent.
#[tokio::test]
async fn endless_body_child_process() {
    let Ok(url) = std::env::var("SDK_TESTS_ENDLESS_BODY_URL") else {
        return;
    };
    let before = peak_resident_bytes().expect("Linux reports VmHWM");
    let client = conductorone_personal_client::Client::builder()
        .base_url(url)
        .access_token(crate::support::e2e::ACCESS_TOKEN)
        .retry_policy(conductorone_personal_client::RetryPolicy::disabled())
        .max_response_bytes(ENDLESS_LIMIT)
        .call_timeout(Duration::from_secs(60))
        .build()
        .expect("the client builds");
    let error = client.get("pc-1").await.expect_err("an endless body cannot succeed");
    let after = peak_resident_bytes().expect("Linux reports VmHWM");
    println!("endless-body-result: {}", matches!(error, Error::ResponseTooLarge { limit: ENDLESS_LIMIT, .. }));
    println!("endless-body-message: {error}");
    println!("endless-body-growth: {}", after.saturating_sub(before));
}

#[tokio::test]
async fn an_endless_success_body_is_a_typed_error_under_the_limit_with_memory_near_it() {
    if std::env::var_os("SDK_TESTS_ENDLESS_BODY_URL").is_some() {
        return; // this process is the child below
    }
    let (url, sent) = endless_body_server().await;
    let child = tokio::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", "e2e_responses::endless_body_child_process", "--nocapture", "--test-threads=1"])
        .env("SDK_TESTS_ENDLESS_BODY_URL", &url)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), child)
        .await
        .expect("the child ends: the limit stops the endless body")
        .expect("the child runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the child failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let field = |name: &str| -> String {
        stdout
            .lines()
            .find_map(|line| line.split_once(name).map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("the child printed no `{name}`:\n{stdout}"))
            .trim()
            .to_string()
    };
    assert_eq!(
        field("endless-body-result:"),
        "true",
        "a ResponseTooLarge naming the limit: {}",
        field("endless-body-message:")
    );
    let message = field("endless-body-message:");
    assert!(
        message.contains("get") && message.contains(&ENDLESS_LIMIT.to_string()),
        "names the operation and limit: {message}"
    );
    let growth: u64 = field("endless-body-growth:").parse().expect("a number");
    let sent = sent.load(std::sync::atomic::Ordering::Relaxed);
    assert!(sent > ENDLESS_LIMIT, "the server sent past the limit ({sent} bytes)");
    // Reading the body whole holds it once as bytes and once growing; more than a few times the
    // limit means the bound does not hold.
    assert!(growth < 4 * ENDLESS_LIMIT, "peak memory grew by {growth} bytes for a limit of {ENDLESS_LIMIT}");
    println!("the server sent {sent} bytes; the client's peak memory grew by {growth} bytes");
}
