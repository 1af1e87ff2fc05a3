//! Each operation against a real HTTP server on loopback: method, path, headers and JSON body.

use conductorone_personal_client::{PersonalClientUpdate, types};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::e2e::{ACCESS_TOKEN, client, personal_client_json};

const BEARER: &str = "Bearer test-access-token-3f9a";

/// The headers every call carries.
fn common(mock: wiremock::MockBuilder) -> wiremock::MockBuilder {
    mock.and(header("authorization", BEARER)).and(header("accept", "application/json"))
}

#[tokio::test]
async fn list_sends_get_with_the_token_and_reads_the_page() {
    let server = MockServer::start().await;
    common(Mock::given(method("GET")).and(path("/api/v1/iam/personal_clients")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "list": [personal_client_json("pc-1"), personal_client_json("pc-2")],
            "nextPageToken": "",
        })))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).list().await.expect("list succeeds");

    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].id.as_deref(), Some("pc-2"));
    assert_eq!(page.next_page_token, None, "an empty token means the last page");
}

#[tokio::test]
async fn create_posts_the_json_body_and_keeps_the_secret_out_of_debug() {
    let server = MockServer::start().await;
    let secret = "secret-token:conductorone.com:v1:eyJub3QiOiJyZWFsIn0";
    common(Mock::given(method("POST")).and(path("/api/v1/iam/personal_clients")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({ "displayName": "ci runner", "expires": "3600s", "scopedRoles": ["role-1"] })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "client": personal_client_json("pc-9"),
            "clientSecret": secret,
        })))
        .expect(1)
        .mount(&server)
        .await;

    let request = types::PersonalClientServiceCreateRequest::default()
        .with_display_name("ci runner")
        .with_expires("3600s")
        .with_scoped_roles(vec!["role-1".to_owned()]);
    let created = client(&server).create(&request).await.expect("create succeeds");

    assert_eq!(created.client.id.as_deref(), Some("pc-9"));
    assert_eq!(created.client_secret.expose_secret(), secret);
    let shown = format!("{created:?} {:?}", created.client_secret);
    assert!(!shown.contains(secret), "the secret leaked into Debug: {shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
}

#[tokio::test]
async fn get_reads_one_client_by_id_and_encodes_the_id_in_the_path() {
    let server = MockServer::start().await;
    common(Mock::given(method("GET")).and(path("/api/v1/iam/personal_clients/pc%2F1%20x")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc/1 x") })))
        .expect(1)
        .mount(&server)
        .await;

    let fetched = client(&server).get("pc/1 x").await.expect("get succeeds");

    assert_eq!(fetched.display_name.as_deref(), Some("client pc/1 x"));
}

#[tokio::test]
async fn update_posts_only_the_set_fields_and_their_mask() {
    let server = MockServer::start().await;
    common(Mock::given(method("POST")).and(path("/api/v1/iam/personal_clients/pc-1")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "client": { "displayName": "renamed", "allowSourceCidr": ["192.0.2.0/24"] },
            "updateMask": "allowSourceCidr,displayName",
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": personal_client_json("pc-1") })))
        .expect(1)
        .mount(&server)
        .await;

    let update = PersonalClientUpdate::new().display_name("renamed").allow_source_cidr(["192.0.2.0/24"]);
    client(&server).update("pc-1", &update).await.expect("update succeeds");
}

#[test]
fn update_bodies_and_masks_for_several_field_combinations() {
    let expires = chrono::DateTime::parse_from_rfc3339("2030-01-02T03:04:05Z").expect("a date").to_utc();
    let cases = [
        (PersonalClientUpdate::new(), json!({ "client": {}, "updateMask": "" })),
        (
            PersonalClientUpdate::new().scoped_roles(["r1", "r2"]),
            json!({ "client": { "scopedRoles": ["r1", "r2"] }, "updateMask": "scopedRoles" }),
        ),
        (
            PersonalClientUpdate::new().expires_time(expires).display_name("x"),
            json!({ "client": { "displayName": "x", "expiresTime": "2030-01-02T03:04:05Z" }, "updateMask": "displayName,expiresTime" }),
        ),
        (
            PersonalClientUpdate::new()
                .allow_source_cidr(Vec::<String>::new())
                .scoped_roles(["r"])
                .display_name("d")
                .expires_time(expires),
            json!({
                "client": { "allowSourceCidr": [], "displayName": "d", "expiresTime": "2030-01-02T03:04:05Z", "scopedRoles": ["r"] },
                "updateMask": "allowSourceCidr,displayName,expiresTime,scopedRoles",
            }),
        ),
    ];
    for (update, expected) in cases {
        let body = serde_json::to_value(update.to_request()).expect("serialises");
        assert_eq!(body, expected, "for {update:?}");
        for read_only in ["id", "clientId", "userId", "createdAt", "updatedAt", "deletedAt", "lastUsedAt"] {
            assert!(body["client"].get(read_only).is_none(), "{read_only} was sent");
        }
    }
}

#[tokio::test]
async fn delete_sends_an_empty_json_object() {
    let server = MockServer::start().await;
    common(Mock::given(method("DELETE")).and(path("/api/v1/iam/personal_clients/pc-1")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete("pc-1").await.expect("delete succeeds");
}

#[tokio::test]
async fn search_posts_the_query_and_page_size() {
    let server = MockServer::start().await;
    common(Mock::given(method("POST")).and(path("/api/v1/search/iam/personal_clients")))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({ "query": "runner", "pageSize": 25, "users": [{ "id": "user-1" }] })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "list": [personal_client_json("pc-3")], "nextPageToken": "p2" })),
        )
        .expect(1)
        .mount(&server)
        .await;

    let request = types::PersonalClientSearchServiceSearchRequest::default()
        .with_query("runner")
        .with_page_size(25)
        .with_users(vec![types::UserRef::default().with_id("user-1")]);
    let page = client(&server).search(&request).await.expect("search succeeds");

    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_page_token.as_deref(), Some("p2"));
}

#[tokio::test]
async fn every_request_names_the_sdk_in_its_user_agent() {
    let server = MockServer::start().await;
    // The SDK's own manifest, not this test crate's, says which version it is.
    let manifest = include_str!("../sdk/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("sdk/Cargo.toml has a version line");
    let expected = format!("conductorone-personal-client/{version}");
    Mock::given(method("GET"))
        .and(header("user-agent", expected.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": {} })))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).get("pc-1").await.expect("the user agent matched");
    assert_eq!(conductorone_personal_client::USER_AGENT, expected);
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-caller", "mine"))
        .and(header("authorization", BEARER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "client": {} })))
        .expect(1)
        .mount(&server)
        .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-caller", reqwest::header::HeaderValue::from_static("mine"));
    // The workspace builds reqwest without a default TLS provider, as the SDK does; a caller
    // building their own client picks one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().default_headers(headers).build().expect("a reqwest client");

    let sdk = crate::support::e2e::builder(&server).http_client(http).build().expect("builds");
    sdk.get("pc-1").await.expect("the caller's client sent the request");
    assert!(!format!("{sdk:?}").contains(ACCESS_TOKEN), "the token leaked into Debug");
}
