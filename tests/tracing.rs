//! The SDK's tracing: one span per call (operation, method, path template) and one event per
//! attempt (attempt, status, duration) and per retry wait, recorded by a subscriber of the
//! test's own; no field ever holds a token.
//!
//! A test binary of its own: its subscriber is the process's global one, so that no other test
//! running on another thread can leave a callsite's interest cached while nothing listened.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use conductorone_personal_client::{Client, Operation, RetryPolicy, Sleeper};

const ACCESS_TOKEN: &str = "tracing-test-token";

/// Waits for nothing: the retry happens at once.
#[derive(Debug)]
struct NoWait;

impl Sleeper for NoWait {
    fn sleep(&self, _: std::time::Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        Box::pin(std::future::ready(()))
    }
}

/// Writes every span and event as one line: its name or message, then `field=value` pairs.
#[derive(Default, Clone)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<Mutex<u64>>,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}", span.metadata().name()));
        span.record(&mut line);
        self.lines.lock().expect("not poisoned").push(line.0);
        let mut next = self.next_id.lock().expect("not poisoned");
        *next += 1;
        Id::from_u64(*next)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line("record".to_owned());
        values.record(&mut line);
        self.lines.lock().expect("not poisoned").push(line.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut line = Line("event".to_owned());
        event.record(&mut line);
        self.lines.lock().expect("not poisoned").push(line.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn a_call_is_a_span_with_an_event_per_attempt_and_per_wait_and_no_token() {
    let recorder = Recorder::default();
    tracing::subscriber::set_global_default(recorder.clone()).expect("the only subscriber of this binary");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/pc-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/iam/personal_clients/pc-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": { "id": "pc-1" } })))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token(ACCESS_TOKEN)
        .retry_policy(RetryPolicy::default().sleeper(Arc::new(NoWait)))
        .build()
        .expect("builds");

    client.get("pc-1").await.expect("the retry succeeds");

    let lines = recorder.lines.lock().expect("not poisoned").clone();
    let all = lines.join("\n");
    assert!(
        lines.iter().any(|line| line.starts_with("span conductorone_personal_client.call")
            && line.contains(&format!("operation=\"{}\"", Operation::Get))
            && line.contains("method=\"GET\"")
            && line.contains("path=\"/api/v1/iam/personal_clients/{id}\"")),
        "{all}"
    );
    let attempts: Vec<&String> = lines.iter().filter(|line| line.contains("attempt finished")).collect();
    assert_eq!(attempts.len(), 2, "{all}");
    assert!(attempts[0].contains("attempt=1") && attempts[0].contains("status=503"), "{all}");
    assert!(attempts[1].contains("attempt=2") && attempts[1].contains("status=200"), "{all}");
    assert!(attempts.iter().all(|line| line.contains("duration_ms=")), "{all}");
    assert!(lines.iter().any(|line| line.contains("retrying after a wait") && line.contains("wait_ms=")), "{all}");
    assert!(!all.contains(ACCESS_TOKEN) && !all.contains("Bearer"), "a token reached tracing:\n{all}");
}
