//! The mock as a consumer's own tests would use it: an application function written against the
//! SDK's `Client`, tested with typed expectations from `conductorone_personal_client::mock`.

use conductorone_personal_client::mock::MockServer;
use conductorone_personal_client::types::{PersonalClient, PersonalClientSearchServiceSearchRequest};
use conductorone_personal_client::{Client, Error, PersonalClientUpdate};

/// What a consumer might write: rename every credential whose name starts with `old-`, and say
/// how many were renamed.
async fn rename_legacy_credentials(client: &Client) -> Result<usize, Error> {
    let everyone = client.search_all(PersonalClientSearchServiceSearchRequest::default()).await?;
    let mut renamed = 0;
    for credential in everyone {
        let (Some(id), Some(name)) = (&credential.id, &credential.display_name) else { continue };
        if let Some(rest) = name.strip_prefix("old-") {
            client.update(id, &PersonalClientUpdate::new().display_name(format!("new-{rest}"))).await?;
            renamed += 1;
        }
    }
    Ok(renamed)
}

fn credential(id: &str, name: &str) -> PersonalClient {
    PersonalClient::default().with_id(id).with_display_name(name)
}

#[tokio::test]
async fn a_consumer_tests_its_own_code_against_the_mock() {
    let server = MockServer::start().await;
    server
        .expect_search()
        .times(1)
        .returns(vec![credential("pc-1", "old-runner"), credential("pc-2", "deploy")], None)
        .await;
    let expected_update = serde_json::json!({ "client": { "displayName": "new-runner" }, "updateMask": "displayName" });
    server.expect_update("pc-1").with_body(&expected_update).times(1).returns(credential("pc-1", "new-runner")).await;

    let client = server.client().expect("a client for the mock");
    assert_eq!(rename_legacy_credentials(&client).await.expect("renames"), 1);
    server.verify().await;
}

#[tokio::test]
async fn a_consumer_tests_how_its_code_handles_an_api_error() {
    let server = MockServer::start().await;
    server.expect_search().fails(403, 7, "you may not search other users' credentials").await;

    let client = server.client().expect("a client for the mock");
    let error = rename_legacy_credentials(&client).await.expect_err("the API refused");
    match &error {
        Error::Api { status, code, message, .. } => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(*code, Some(7));
            assert_eq!(message.as_deref(), Some("you may not search other users' credentials"));
        }
        other => panic!("expected the API's error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_mock_answers_every_operation_in_the_apis_shapes() {
    let server = MockServer::start().await;
    server.expect_list().returns(vec![credential("pc-1", "a")], Some("next")).await;
    server.expect_create().returns(credential("pc-9", "new"), "secret-token:conductorone.com:v1:mock").await;
    server.expect_get("pc 1/x").returns(credential("pc 1/x", "odd id")).await;
    server.expect_delete("pc-9").times(1).returns().await;

    let client = server.client().expect("a client for the mock");
    let page = client.list().await.expect("list");
    assert_eq!((page.items.len(), page.next_page_token.as_deref()), (1, Some("next")));
    let created = client.create(&Default::default()).await.expect("create");
    assert_eq!(created.client_secret.expose_secret(), "secret-token:conductorone.com:v1:mock");
    assert_eq!(client.get("pc 1/x").await.expect("get").display_name.as_deref(), Some("odd id"));
    client.delete("pc-9").await.expect("delete");
    let unexpected = client.get("pc-unknown").await.expect_err("nothing expects it");
    assert_eq!(unexpected.status().map(|status| status.as_u16()), Some(404));
}
