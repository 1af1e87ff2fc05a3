//! A walk through the SDK: create → list → update → delete.
//!
//! `cargo run --example walkthrough` starts a local fake of the Personal Client API on
//! 127.0.0.1 and talks to it, so it runs without credentials. With credentials in the
//! environment (`CONDUCTORONE_ACCESS_TOKEN` with `CONDUCTORONE_SERVER_URL` or
//! `CONDUCTORONE_TENANT_DOMAIN`; or `CONDUCTORONE_CLIENT_ID` with `CONDUCTORONE_CLIENT_SECRET`
//! or `CONDUCTORONE_OIDC_TOKEN`), it talks to your tenant instead, and creates and deletes a
//! real (short-lived) personal client there.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use conductorone_personal_client::{Client, PersonalClientUpdate, types};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let configured = ["CONDUCTORONE_ACCESS_TOKEN", "CONDUCTORONE_CLIENT_ID", "CONDUCTORONE_OIDC_TOKEN"]
        .iter()
        .any(|name| std::env::var_os(name).is_some());
    // Keep the fake alive for the whole walk.
    let (client, _fake) = if configured {
        let client = Client::from_env()?;
        println!("talking to {} (from the CONDUCTORONE_* variables)", client.base_url());
        (client, None)
    } else {
        let fake = start_fake_server().await;
        println!("no CONDUCTORONE_* variables: talking to a local fake at {}", fake.uri());
        let client = Client::builder().base_url(fake.uri()).access_token("walkthrough-token").build()?;
        (client, Some(fake))
    };

    let created = client
        .create(&types::PersonalClientServiceCreateRequest {
            display_name: Some("sdk walkthrough".to_owned()),
            expires: Some("3600s".to_owned()),
            ..Default::default()
        })
        .await?;
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

/// A stateful fake of the six operations, on 127.0.0.1 and a free port.
async fn start_fake_server() -> MockServer {
    let server = MockServer::start().await;
    let store: Arc<Mutex<BTreeMap<String, Value>>> = Arc::default();
    let next_id = Arc::new(Mutex::new(0_u32));

    let state = Arc::clone(&store);
    Mock::given(|request: &Request| request.url.path().starts_with("/api/v1/"))
        .respond_with(move |request: &Request| handle(&state, &next_id, request))
        .mount(&server)
        .await;
    server
}

fn handle(store: &Mutex<BTreeMap<String, Value>>, next_id: &Mutex<u32>, request: &Request) -> ResponseTemplate {
    let Ok(mut clients) = store.lock() else { return ResponseTemplate::new(500) };
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let path = request.url.path();
    let now = chrono::Utc::now().to_rfc3339();
    let id_in_path = path.strip_prefix("/api/v1/iam/personal_clients/").map(str::to_owned);
    match (request.method.as_str(), path, id_in_path) {
        ("GET", "/api/v1/iam/personal_clients", _) => ResponseTemplate::new(200)
            .set_body_json(json!({ "list": clients.values().collect::<Vec<_>>(), "nextPageToken": "" })),
        ("POST", "/api/v1/iam/personal_clients", _) => {
            let Ok(mut counter) = next_id.lock() else { return ResponseTemplate::new(500) };
            *counter += 1;
            let id = format!("pc-{counter}");
            let client = json!({
                "id": id,
                "clientId": format!("{id}@example.conductor.one/pcc"),
                "displayName": body["displayName"],
                "createdAt": now,
                "updatedAt": now,
            });
            clients.insert(id, client.clone());
            ResponseTemplate::new(200)
                .set_body_json(json!({ "client": client, "clientSecret": "secret-token:conductorone.com:v1:fake" }))
        }
        ("POST", "/api/v1/search/iam/personal_clients", _) => {
            ResponseTemplate::new(200).set_body_json(json!({ "list": clients.values().collect::<Vec<_>>() }))
        }
        (method, _, Some(id)) => {
            let Some(client) = clients.get_mut(&id) else {
                return ResponseTemplate::new(404)
                    .set_body_json(json!({ "code": 5, "message": "personal client not found" }));
            };
            match method {
                "GET" => ResponseTemplate::new(200).set_body_json(json!({ "client": client })),
                "POST" => {
                    let mask = body["updateMask"].as_str().unwrap_or_default();
                    for field in mask.split(',').filter(|field| !field.is_empty()) {
                        client[field] = body["client"][field].clone();
                    }
                    client["updatedAt"] = json!(now);
                    ResponseTemplate::new(200).set_body_json(json!({ "client": client }))
                }
                "DELETE" => {
                    clients.remove(&id);
                    ResponseTemplate::new(200).set_body_json(json!({}))
                }
                _ => ResponseTemplate::new(405),
            }
        }
        _ => ResponseTemplate::new(404),
    }
}
