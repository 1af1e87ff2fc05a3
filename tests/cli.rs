//! The command-line tool (`c1pc`), through its real binary, against the SDK's mock of the API on
//! loopback: every subcommand, both output formats, the secret file's mode, and the exit codes.

use std::path::Path;
use std::process::{Command, Output};

use conductorone_personal_client::mock::MockServer;
use conductorone_personal_client::types::PersonalClient;
use serde_json::{Value, json};

use crate::support::cli_binary;

const SECRET: &str = "secret-token:conductorone.com:v1:cli-test";

/// Runs `c1pc` with a static token aimed at `server` and nothing else from the environment.
fn c1pc(server: &MockServer, arguments: &[&str]) -> Output {
    command(arguments)
        .env("CONDUCTORONE_ACCESS_TOKEN", "cli-token")
        .env("CONDUCTORONE_SERVER_URL", server.base_url())
        .output()
        .expect("c1pc runs")
}

fn command(arguments: &[&str]) -> Command {
    let mut command = Command::new(cli_binary());
    command.args(arguments);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("CONDUCTORONE_") {
            command.env_remove(name);
        }
    }
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output) {
    assert!(output.status.success(), "c1pc failed ({:?}):\n{}{}", output.status.code(), stdout(output), stderr(output));
}

fn json_of(output: &Output) -> Value {
    assert_success(output);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("not JSON ({error}):\n{}", stdout(output)))
}

fn credential(id: &str, name: &str) -> PersonalClient {
    serde_json::from_value(json!({
        "id": id,
        "displayName": name,
        "userId": "user-1",
        "clientId": format!("{id}@acme.conductor.one/pcc"),
        "scopedRoles": ["role-reader"],
        "allowSourceCidr": ["10.0.0.0/8"],
        "createdAt": "2026-01-01T00:00:00Z",
    }))
    .expect("a personal client")
}

#[tokio::test]
async fn list_get_and_delete_print_tables_and_json() {
    let server = MockServer::start().await;
    server
        .expect_list()
        .times(2)
        .returns(vec![credential("pc-1", "ci runner"), credential("pc-2", "deploy")], None)
        .await;
    server.expect_get("pc-1").returns(credential("pc-1", "ci runner")).await;
    server.expect_delete("pc-2").times(1).returns().await;

    let listed = json_of(&c1pc(&server, &["list", "--output", "json"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
    assert_eq!(listed[0]["displayName"], "ci runner", "the API's field names");
    let table = c1pc(&server, &["list"]);
    assert_success(&table);
    let text = stdout(&table);
    assert!(text.starts_with("ID    NAME"), "{text}");
    assert!(text.contains("pc-2  deploy"), "{text}");

    let got = json_of(&c1pc(&server, &["get", "pc-1", "--output", "json"]));
    assert_eq!(got[0]["id"], "pc-1");
    let deleted = json_of(&c1pc(&server, &["delete", "pc-2", "--output", "json"]));
    assert_eq!(deleted, json!({ "deleted": "pc-2" }));
}

#[tokio::test]
async fn create_sends_the_apis_duration_and_prints_the_secret_once() {
    let server = MockServer::start().await;
    let expected = json!({ "displayName": "ci runner", "expires": "2592000s", "scopedRoles": ["r1", "r2"] });
    server.expect_create().with_body(&expected).times(1).returns(credential("pc-9", "ci runner"), SECRET).await;

    let created = json_of(&c1pc(
        &server,
        &[
            "create",
            "--name",
            "ci runner",
            "--expires",
            "30d",
            "--scoped-role",
            "r1",
            "--scoped-role",
            "r2",
            "--output",
            "json",
        ],
    ));
    assert_eq!(created["clientSecret"], SECRET);
    assert_eq!(created["client"]["id"], "pc-9");
}

#[cfg(unix)]
#[tokio::test]
async fn a_secret_file_is_created_with_mode_0600_and_the_secret_is_not_printed() {
    use std::os::unix::fs::PermissionsExt as _;
    let server = MockServer::start().await;
    server.expect_create().times(1).returns(credential("pc-9", "ci runner"), SECRET).await;
    let directory = tempfile::tempdir().expect("a temporary directory");
    let file = directory.path().join("runner.secret");

    let output = c1pc(&server, &["create", "--name", "ci runner", "--secret-file", file.to_str().expect("UTF-8")]);
    assert_success(&output);
    assert!(!stdout(&output).contains(SECRET) && !stderr(&output).contains(SECRET), "the secret was printed");
    assert_eq!(std::fs::read_to_string(&file).expect("the secret file").trim(), SECRET);
    let mode = std::fs::metadata(&file).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the secret file is readable by its owner only");

    let again = c1pc(&server, &["create", "--name", "x", "--secret-file", file.to_str().expect("UTF-8")]);
    assert!(!again.status.success(), "an existing secret file is never overwritten");
    assert!(stderr(&again).contains("does not exist yet"), "{}", stderr(&again));
    // The mock's `times(1)` proves the refusal came before any credential was created.
}

#[tokio::test]
async fn update_sends_only_what_changes() {
    let server = MockServer::start().await;
    let expected = json!({ "client": { "displayName": "renamed" }, "updateMask": "displayName" });
    server.expect_update("pc-1").with_body(&expected).times(1).returns(credential("pc-1", "renamed")).await;
    let updated = json_of(&c1pc(&server, &["update", "pc-1", "--name", "renamed", "--output", "json"]));
    assert_eq!(updated[0]["displayName"], "renamed");

    let nothing = c1pc(&server, &["update", "pc-1"]);
    assert!(!nothing.status.success());
    assert!(stderr(&nothing).contains("nothing to change"), "{}", stderr(&nothing));
}

#[tokio::test]
async fn search_follows_pages_and_stops_at_the_limit() {
    let server = MockServer::start().await;
    let first = json!({ "query": "ci" });
    let second = json!({ "query": "ci", "pageToken": "page-2" });
    server
        .expect_search()
        .with_body(&first)
        .times(2)
        .returns(vec![credential("pc-1", "a"), credential("pc-2", "b")], Some("page-2"))
        .await;
    server.expect_search().with_body(&second).times(1).returns(vec![credential("pc-3", "c")], None).await;

    let everything = json_of(&c1pc(&server, &["search", "--query", "ci", "--output", "json"]));
    assert_eq!(everything.as_array().map(Vec::len), Some(3), "every page");
    let limited = json_of(&c1pc(&server, &["search", "--query", "ci", "--limit", "2", "--output", "json"]));
    assert_eq!(limited.as_array().map(Vec::len), Some(2), "the first page holds the limit; no second request");
}

#[tokio::test]
async fn rotate_creates_the_replacement_before_deleting_the_old_one() {
    let server = MockServer::start().await;
    let expires = chrono::Utc::now() + chrono::Duration::days(10);
    let mut old = credential("pc-old", "ci runner");
    old.expires_time = Some(expires);
    server.expect_get("pc-old").times(1).returns(old).await;
    server.expect_create().times(1).returns(credential("pc-new", "ci runner"), SECRET).await;
    server.expect_delete("pc-old").times(1).returns().await;

    let rotated = json_of(&c1pc(&server, &["rotate", "pc-old", "--output", "json"]));
    assert_eq!(rotated["clientSecret"], SECRET);
    assert_eq!(rotated["client"]["id"], "pc-new");

    let requests = server.received_requests().await;
    let order: Vec<String> = requests.iter().map(|(method, path, _)| format!("{method} {path}")).collect();
    assert_eq!(
        order,
        [
            "GET /api/v1/iam/personal_clients/pc-old",
            "POST /api/v1/iam/personal_clients",
            "DELETE /api/v1/iam/personal_clients/pc-old"
        ]
    );
    let create_body = &requests[1].2;
    assert_eq!(create_body["displayName"], "ci runner");
    assert_eq!(create_body["scopedRoles"], json!(["role-reader"]));
    assert_eq!(create_body["allowSourceCidr"], json!(["10.0.0.0/8"]));
    let seconds: i64 = create_body["expires"]
        .as_str()
        .and_then(|text| text.strip_suffix('s'))
        .and_then(|text| text.parse().ok())
        .expect("an API duration");
    assert!((seconds - 10 * 86_400).abs() < 120, "the same expiry: {seconds} s from now");
}

#[tokio::test]
async fn rotate_keeps_the_old_credential_when_the_new_one_cannot_be_created() {
    let server = MockServer::start().await;
    server.expect_get("pc-old").returns(credential("pc-old", "ci runner")).await;
    server.expect_create().fails(403, 7, "no more credentials allowed").await;
    server.expect_delete("pc-old").times(0).returns().await;

    let output = c1pc(&server, &["rotate", "pc-old"]);
    assert_eq!(output.status.code(), Some(4), "a 403 is an authorization failure:\n{}", stderr(&output));
    assert!(stderr(&output).contains("no more credentials allowed"), "{}", stderr(&output));
}

#[tokio::test]
async fn audit_flags_every_credential_of_every_user() {
    let server = MockServer::start().await;
    let now = chrono::Utc::now();
    let with = |id: &str, expires: Option<i64>, used: Option<i64>| {
        let mut client = credential(id, id);
        client.expires_time = expires.map(|days| now + chrono::Duration::days(days));
        client.last_used_at = used.map(|days| now + chrono::Duration::days(days));
        client
    };
    let everyone = vec![
        with("expired", Some(-1), Some(-1)),
        with("soon", Some(3), Some(-1)),
        with("idle", None, Some(-200)),
        with("fresh", None, None),
        with("fine", Some(100), Some(-1)),
    ];
    server.expect_search().returns(everyone, None).await;

    let findings =
        json_of(&c1pc(&server, &["audit", "--expiring-within", "7d", "--unused-for", "90d", "--output", "json"]));
    let flags: Vec<(String, Value)> = findings
        .as_array()
        .expect("an array")
        .iter()
        .map(|finding| (finding["id"].as_str().unwrap_or_default().to_owned(), finding["flags"].clone()))
        .collect();
    assert_eq!(
        flags,
        [
            ("expired".to_owned(), json!(["expired"])),
            ("soon".to_owned(), json!(["expiring"])),
            ("idle".to_owned(), json!(["unused"])),
            ("fresh".to_owned(), json!(["never-used"])),
            ("fine".to_owned(), json!([])),
        ]
    );
}

#[tokio::test]
async fn exit_codes_say_what_kind_of_failure() {
    let server = MockServer::start().await;
    server.expect_get("pc-gone").fails(404, 5, "personal client not found").await;

    let usage = command(&["get"]).output().expect("c1pc runs");
    assert_eq!(usage.status.code(), Some(2), "a usage error");
    let api = c1pc(&server, &["get", "pc-gone"]);
    assert_eq!(api.status.code(), Some(3), "an API error:\n{}", stderr(&api));
    assert!(stderr(&api).contains("personal client not found"), "{}", stderr(&api));
    let no_credentials = command(&["list"]).output().expect("c1pc runs");
    assert_eq!(no_credentials.status.code(), Some(4), "no credentials:\n{}", stderr(&no_credentials));
    assert!(stderr(&no_credentials).contains("CONDUCTORONE_ACCESS_TOKEN"), "{}", stderr(&no_credentials));
    let bad_duration = c1pc(&server, &["create", "--name", "x", "--expires", "30"]);
    assert_eq!(bad_duration.status.code(), Some(2));
    assert!(stderr(&bad_duration).contains("without a unit"), "{}", stderr(&bad_duration));
}

#[test]
fn help_has_examples_and_completions_are_generated() {
    let help = command(&["--help"]).output().expect("c1pc runs");
    assert!(help.status.success());
    let text = stdout(&help);
    for needle in ["Examples:", "c1pc rotate", "Exit codes:", "CONDUCTORONE_OIDC_TOKEN"] {
        assert!(text.contains(needle), "--help lacks {needle:?}:\n{text}");
    }
    for shell in ["bash", "zsh", "fish"] {
        let script = command(&["completions", shell]).output().expect("c1pc runs");
        assert!(script.status.success(), "{shell}");
        assert!(stdout(&script).contains("rotate"), "{shell} completion lacks the subcommands");
    }
    assert!(Path::new(cli_binary()).is_file());
}

/// Text a hostile or broken server might send: an OSC 52 clipboard write, a screen clear, a
/// carriage return that overwrites the line, a C1 control sequence introducer, and a
/// right-to-left override that reorders what follows.
const HOSTILE_NAMES: [&str; 4] = [
    "clip\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}board",
    "wipe\u{1b}[2J\u{1b}[Hscreen",
    "over\rwritten\u{9b}31m",
    "bidi\u{202e}txt.exe",
];

/// The characters that must never reach a terminal raw: C0 controls other than a newline, DEL,
/// C1 controls, and the bidirectional overrides, embeddings and isolates.
fn raw_control_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
        })
        .collect()
}

fn assert_no_raw_controls(what: &str, output: &Output) {
    for (stream, text) in [("stdout", stdout(output)), ("stderr", stderr(output))] {
        let found = raw_control_characters(&text);
        assert!(found.is_empty(), "{what}: {stream} holds raw control characters {found:?}:\n{}", text.escape_debug());
    }
}

#[tokio::test]
async fn server_text_never_reaches_the_terminal_raw_and_json_output_stays_exact() {
    let server = MockServer::start().await;
    let clients: Vec<PersonalClient> =
        HOSTILE_NAMES.iter().enumerate().map(|(index, name)| credential(&format!("pc-{index}"), name)).collect();
    server.expect_list().returns(clients.clone(), None).await;
    server.expect_search().returns(clients.clone(), None).await;
    server.expect_get("pc-1").returns(clients[1].clone()).await;
    server.expect_get("pc-gone").fails(404, 5, "not found \u{1b}]52;c;cHduZWQ=\u{7} \u{1b}[2J\u{202e}").await;

    for arguments in [&["list"][..], &["audit"], &["get", "pc-1"], &["api", "list"]] {
        let output = c1pc(&server, arguments);
        assert_success(&output);
        assert_no_raw_controls(&arguments.join(" "), &output);
    }
    let table = stdout(&c1pc(&server, &["list"]));
    assert!(
        table.contains("\\u{1b}]52") || table.contains("\\x1b]52") || table.contains("\\e]52"),
        "shown escaped:\n{table}"
    );

    let failed = c1pc(&server, &["get", "pc-gone"]);
    assert_eq!(failed.status.code(), Some(3), "{}", stderr(&failed));
    assert_no_raw_controls("an error message", &failed);
    assert!(stderr(&failed).contains("not found"), "{}", stderr(&failed));

    // JSON keeps every character: escaped as JSON escapes, and parsed back to the same text.
    for arguments in [&["list", "--output", "json"][..], &["api", "list"]] {
        let output = c1pc(&server, arguments);
        assert_no_raw_controls(&arguments.join(" "), &output);
        let listed = json_of(&output);
        // `list` prints the clients; `api list` the answer as the API sends it, which holds them.
        let items = listed
            .as_array()
            .or_else(|| listed.as_object().and_then(|answer| answer.values().find_map(Value::as_array)))
            .expect("a list of clients");
        let names: Vec<&str> = items.iter().map(|item| item["displayName"].as_str().unwrap_or_default()).collect();
        assert_eq!(names, HOSTILE_NAMES, "{}", arguments.join(" "));
    }
}

#[tokio::test]
async fn api_lists_describes_and_calls_every_operation_by_name() {
    let server = MockServer::start().await;
    server.expect_get("pc-1").times(1).returns(credential("pc-1", "ci runner")).await;
    server.expect_create().times(1).returns(credential("pc-9", "made by api"), SECRET).await;

    let listed = json_of(&c1pc(&server, &["api", "--output", "json"]));
    let names: Vec<&str> = listed.as_array().expect("an array").iter().filter_map(|op| op["name"].as_str()).collect();
    let expected: Vec<&str> = conductorone_personal_client::Operation::ALL.iter().map(|op| op.name()).collect();
    assert_eq!(names, expected, "every operation of the SDK, in its order");

    let described = json_of(&c1pc(&server, &["api", "get", "--describe"]));
    assert_eq!(described["name"], "get");
    assert!(described["parameters"].as_array().is_some_and(|parameters| !parameters.is_empty()), "{described}");

    let got = json_of(&c1pc(&server, &["api", "get", "--param", "id=pc-1"]));
    assert_eq!(got["client"]["id"], "pc-1", "the answer as the API sends it: {got}");

    let directory = tempfile::tempdir().expect("a temporary directory");
    let file = directory.path().join("api.secret");
    let body = json!({ "displayName": "made by api" }).to_string();
    let output = c1pc(&server, &["api", "create", "--body", &body, "--secret-file", file.to_str().expect("UTF-8")]);
    let created = json_of(&output);
    assert!(!stdout(&output).contains(SECRET) && !stderr(&output).contains(SECRET), "the secret was printed");
    assert_eq!(std::fs::read_to_string(&file).expect("the secret file").trim(), SECRET);
    assert_eq!(created["client"]["id"], "pc-9", "{created}");

    let unknown = c1pc(&server, &["api", "no-such-operation"]);
    assert_eq!(unknown.status.code(), Some(2), "a usage error: {}", stderr(&unknown));
    let not_pairs = c1pc(&server, &["api", "get", "--param", "pc-1"]);
    assert_eq!(not_pairs.status.code(), Some(2), "{}", stderr(&not_pairs));
}
