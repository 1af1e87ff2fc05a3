//! Inputs and baselines shared by the benchmarks: response bodies, hand-written serde structs
//! with the same fields as the generated models, synthetic specs, and a minimal loopback server.

#![deny(missing_docs)]

use std::net::SocketAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The baseline for `types::PersonalClient`: the same fields, written by hand with plain serde.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct HandPersonalClient {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_source_cidr: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoped_roles: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// The baseline for `types::PersonalClientServiceListResponse`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct HandListResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<Vec<HandPersonalClient>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// The baseline for `types::PersonalClientServiceCreateRequest`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct HandCreateRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_source_cidr: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scoped_roles: Option<Vec<String>>,
}

/// One personal client as a server sends it, every field set.
pub fn personal_client_json(index: usize) -> serde_json::Value {
    serde_json::json!({
        "allowSourceCidr": ["10.0.0.0/8", "192.0.2.0/24"],
        "clientId": format!("client-{index}@acme.conductor.one/pcc"),
        "createdAt": "2024-05-01T12:30:45.123456789Z",
        "deletedAt": null,
        "displayName": format!("automation credential number {index}"),
        "expiresTime": "2025-05-01T12:30:45+02:00",
        "id": format!("2f0b7a3c-{index:08}"),
        "lastUsedAt": "2024-06-01T00:00:00.5Z",
        "scopedRoles": ["role-reader", "role-auditor"],
        "updatedAt": "2024-05-02T08:00:00Z",
        "userId": "user-7d2c",
    })
}

/// A List response body of `count` personal clients.
pub fn list_response_json(count: usize) -> Vec<u8> {
    let list: Vec<serde_json::Value> = (0..count).map(personal_client_json).collect();
    serde_json::to_vec(&serde_json::json!({ "list": list, "nextPageToken": "" })).unwrap_or_default()
}

/// A typical Create request, as the generated type and as the baseline.
pub fn create_requests() -> (conductorone_personal_client::types::PersonalClientServiceCreateRequest, HandCreateRequest)
{
    let cidrs = vec!["10.0.0.0/8".to_owned(), "192.0.2.0/24".to_owned()];
    let roles = vec!["role-reader".to_owned()];
    (
        conductorone_personal_client::types::PersonalClientServiceCreateRequest::default()
            .with_allow_source_cidr(cidrs.clone())
            .with_display_name("ci runner")
            .with_expires("86400s")
            .with_scoped_roles(roles.clone()),
        HandCreateRequest {
            allow_source_cidr: Some(cidrs),
            display_name: Some("ci runner".to_owned()),
            expires: Some("86400s".to_owned()),
            scoped_roles: Some(roles),
        },
    )
}

/// The checked-in spec with its paths repeated `copies` times under new paths and operation ids.
///
/// The spec has six operations, so the result has `6 × copies` operations sharing the schemas.
pub fn synthetic_spec(spec_yaml: &[u8], copies: usize) -> Result<Vec<u8>, String> {
    let document = codegen::read::load("spec", spec_yaml).map_err(|error| error.to_string())?;
    let mut value = document.value;
    let paths = value.get("paths").and_then(serde_json::Value::as_object).cloned().unwrap_or_default();
    let mut repeated = serde_json::Map::new();
    for copy in 0..copies {
        for (path, item) in &paths {
            let mut item = item.clone();
            if let Some(item) = item.as_object_mut() {
                for operation in item.values_mut() {
                    // Each copy gets names of its own: its id and the method name the SDK takes.
                    for key in ["operationId", codegen::model::NAME_OVERRIDE_EXTENSION] {
                        if let Some(name) = operation.get(key).and_then(serde_json::Value::as_str) {
                            operation[key] = serde_json::Value::from(format!("{name}_{copy}"));
                        }
                    }
                }
            }
            repeated.insert(format!("/copy{copy}{path}"), item);
        }
    }
    value["paths"] = serde_json::Value::Object(repeated);
    serde_json::to_vec(&value).map_err(|error| error.to_string())
}

/// Serves `body` as a 200 JSON answer to every request, over HTTP/1.1 keep-alive, on 127.0.0.1.
///
/// It does as little as an HTTP server can, so that client-side costs dominate a round trip.
/// The server runs on the current tokio runtime until that runtime shuts down.
pub async fn serve_fixed(body: Vec<u8>) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let mut response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(&body);
    let response = std::sync::Arc::new(response);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = std::sync::Arc::clone(&response);
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0_u8; 4096];
                loop {
                    // Answer each complete request head; the benchmarks send no request bodies.
                    while let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
                        buffer.drain(..end + 4);
                        if stream.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                    match stream.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                    }
                }
            });
        }
    });
    Ok(address)
}

/// A spec whose one operation answers with the first of `length` schemas, each an alias
/// (`$ref`) of the next, the last an object: the reference-chain growth axis.
pub fn alias_chain_spec(length: usize) -> Vec<u8> {
    let length = length.max(1);
    let mut schemas = serde_json::Map::new();
    for index in 0..length - 1 {
        schemas.insert(
            format!("Alias{index}"),
            serde_json::json!({ "$ref": format!("#/components/schemas/Alias{}", index + 1) }),
        );
    }
    schemas.insert(
        format!("Alias{}", length - 1),
        serde_json::json!({ "type": "object", "properties": { "name": { "type": "string" } } }),
    );
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": { "title": "alias chain", "version": "1" },
        "paths": { "/chain": { "get": {
            "operationId": "getChain",
            "responses": { "200": { "description": "the first link",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Alias0" } } } } }
        } } },
        "components": { "schemas": schemas },
    });
    serde_json::to_vec(&document).unwrap_or_default()
}

/// The growth axes of a spec, for measuring that generation costs grow linearly with each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// One schema with this many properties.
    Properties,
    /// This many schemas of five properties each.
    Schemas,
    /// This many operations sharing one schema.
    Operations,
    /// A chain of this many schema aliases ([`alias_chain_spec`]).
    AliasLinks,
}

impl Axis {
    /// Every axis.
    pub const ALL: [Axis; 4] = [Axis::Properties, Axis::Schemas, Axis::Operations, Axis::AliasLinks];

    /// The axis's name on a command line.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Properties => "properties",
            Axis::Schemas => "schemas",
            Axis::Operations => "operations",
            Axis::AliasLinks => "alias-links",
        }
    }

    /// A spec (OpenAPI 3.0.3, as JSON) of size `size` along this axis and one on the others.
    pub fn spec(self, size: usize) -> Vec<u8> {
        let size = size.max(1);
        let object = |properties: usize| {
            let properties: serde_json::Map<String, serde_json::Value> = (0..properties)
                .map(|index| {
                    let property =
                        serde_json::json!({ "type": "string", "description": format!("Field number {index}.") });
                    (format!("field{index}"), property)
                })
                .collect();
            serde_json::json!({ "type": "object", "description": "A thing.", "properties": properties })
        };
        let operation = |id: String, schema: &str| {
            serde_json::json!({ "get": {
                "operationId": id,
                "responses": { "200": { "description": "the thing",
                    "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } }
            } })
        };
        let (paths, schemas): (serde_json::Map<_, _>, serde_json::Map<_, _>) = match self {
            Axis::AliasLinks => return alias_chain_spec(size),
            Axis::Properties => (
                [("/thing".to_owned(), operation("getThing".to_owned(), "Thing"))].into_iter().collect(),
                [("Thing".to_owned(), object(size))].into_iter().collect(),
            ),
            Axis::Schemas => (
                [("/thing".to_owned(), operation("getThing".to_owned(), "Thing0"))].into_iter().collect(),
                (0..size).map(|index| (format!("Thing{index}"), object(5))).collect(),
            ),
            Axis::Operations => (
                (0..size)
                    .map(|index| (format!("/things{index}"), operation(format!("getThing{index}"), "Thing")))
                    .collect(),
                [("Thing".to_owned(), object(5))].into_iter().collect(),
            ),
        };
        let document = serde_json::json!({
            "openapi": "3.0.3",
            "info": { "title": format!("{} {size}", self.name()), "version": "1" },
            "paths": paths,
            "components": { "schemas": schemas },
        });
        serde_json::to_vec(&document).unwrap_or_default()
    }
}
