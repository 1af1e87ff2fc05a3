//! Typed Rust client for the ConductorOne Personal Client API.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod auth;
mod client;
pub mod dynamic;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
/// The mock's expectations, one per operation, generated from the spec's model.
#[cfg(feature = "mock")]
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
mod mock_expectations;
mod paging;
mod retry;
mod runtime;
mod secret;

/// The client and models that progenitor generated from the spec (`cargo xtask generate`).
///
/// Most code needs only [`types`] and [`Client`], whose methods make every operation with
/// retries and typed errors; the generated client is reachable through [`Client::generated`]
/// as an escape hatch.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
pub mod generated;

/// The operations, generated from the spec's model: [`Operation`], one [`Client`] method per
/// operation, the update builders and the answers that carry secrets.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
mod operations;

pub use auth::{PersonalClientCredentials, WorkloadFederationCredentials};
pub use client::{
    Client, ClientBuilder, Credentials, DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, USER_AGENT,
};
pub use error::{AuthError, ConfigError, CredentialError, Error, ErrorBody, MAX_ERROR_BODY_BYTES, grpc_code_name};
pub use generated::types;
pub use operations::*;
pub use paging::Page;
pub use retry::{RetryPolicy, Sleeper, TokioSleeper};
#[doc(hidden)]
pub use runtime::Runtime;

/// The HTTP client crate the SDK is built on, for [`ClientBuilder::http_client`] and
/// [`Error`]'s sources, at the version the SDK uses.
pub use reqwest;

/// The date and time crate of the models' timestamps, at the version the SDK uses.
pub use chrono;
pub use secret::SecretString;

/// Operation docs, included so that their examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/sdks/personal_client/README.md")]
pub struct OperationDocs;
