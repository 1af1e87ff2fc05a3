//! A walk through the SDK: create → list → update → delete.
//!
//! `cargo run --example walkthrough --features mock` answers from the SDK's mock of the API on
//! 127.0.0.1 (each step's answer set up in advance), so it runs without credentials. With
//! credentials in the environment (`CONDUCTORONE_ACCESS_TOKEN` with `CONDUCTORONE_SERVER_URL` or
//! `CONDUCTORONE_TENANT_DOMAIN`; or `CONDUCTORONE_CLIENT_ID` with `CONDUCTORONE_CLIENT_SECRET`
//! or `CONDUCTORONE_OIDC_TOKEN`), it talks to your tenant instead, and creates and deletes a
//! real (short-lived) personal client there.

use conductorone_personal_client::mock::MockServer;
use conductorone_personal_client::{Client, PersonalClientUpdate, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let configured = ["CONDUCTORONE_ACCESS_TOKEN", "CONDUCTORONE_CLIENT_ID", "CONDUCTORONE_OIDC_TOKEN"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    // Keep the mock alive for the whole walk.
    let (client, _mock) = if configured {
        let client = Client::from_env()?;
        println!("talking to {} (from the CONDUCTORONE_* variables)", client.base_url());
        (client, None)
    } else {
        let mock = script_the_walk().await;
        println!("no CONDUCTORONE_* variables: talking to a local mock at {}", mock.base_url());
        (mock.client()?, Some(mock))
    };

    let request =
        types::PersonalClientServiceCreateRequest::default().with_display_name("sdk walkthrough").with_expires("3600s");
    let created = client.create(&request).await?;
    let id = created.client.id.clone().unwrap_or_default();
    // The secret is shown only on purpose: its `Debug` is `[redacted]` and it has no `Display`.
    println!("created  {id:?} named {:?}; its secret is {:?}", created.client.display_name, created.client_secret);

    let page = client.list().await?;
    println!("listed   {} personal client(s) of the current user", page.items.len());

    let updated = client.update(&id, &PersonalClientUpdate::new().display_name("sdk walkthrough (renamed)")).await?;
    println!("updated  {id:?} to {:?}", updated.display_name);

    client.delete(&id).await?;
    println!("deleted  {id:?}");

    let after = client.list().await?;
    println!("listed   {} personal client(s) after the delete", after.items.len());
    Ok(())
}

/// The mock's answers to the walk, in order: each expectation answers once.
async fn script_the_walk() -> MockServer {
    let mock = MockServer::start().await;
    let created = types::PersonalClient::default()
        .with_id("pc-1")
        .with_client_id("pc-1@example.conductor.one/pcc")
        .with_display_name("sdk walkthrough")
        .with_created_at(chrono::Utc::now());
    let renamed = created.clone().with_display_name("sdk walkthrough (renamed)");
    mock.expect_create().times(1).returns(created.clone(), "secret-token:conductorone.com:v1:walkthrough").await;
    mock.expect_list().times(1).returns(vec![created], None).await;
    mock.expect_update("pc-1").times(1).returns(renamed).await;
    mock.expect_delete("pc-1").times(1).returns().await;
    mock.expect_list().times(1).returns(Vec::new(), None).await;
    mock
}
