//! Typed Rust client for the ConductorOne Personal Client API.
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod auth;
mod client;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod paging;
mod retry;
mod runtime;
mod secret;
mod update;

/// The client and models that progenitor generated from the spec (`cargo xtask generate`).
///
/// Most code needs only [`types`] and the hand-written [`Client`]; the generated client is
/// reachable through [`Client::generated`] for calls the wrapper does not cover.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod generated;

pub use auth::{PersonalClientCredentials, WorkloadFederationCredentials};
pub use client::{
    Client, ClientBuilder, CreatedPersonalClient, Credentials, DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, USER_AGENT,
};
pub use error::{AuthError, ConfigError, CredentialError, Error, ErrorBody, MAX_ERROR_BODY_BYTES, grpc_code_name};
pub use generated::types;
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
pub use update::PersonalClientUpdate;

/// Operation docs, included so that their examples are compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/sdks/personal_client/README.md")]
pub struct OperationDocs;
