//! Golden crate of tests/fixtures/valid/number-with-an-integer-default.yaml: the SDK's hand-written runtime, by path, with the code the
//! generator makes of this spec. Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(missing_docs, dead_code, unused_imports)]

#[path = "../../../../sdk/src/auth.rs"]
mod auth;
#[path = "../../../../sdk/src/client.rs"]
mod client;
#[path = "../../../../sdk/src/dynamic.rs"]
pub mod dynamic;
#[path = "../../../../sdk/src/error.rs"]
mod error;
#[path = "../../../../sdk/src/mock.rs"]
pub mod mock;
#[path = "../../../../sdk/src/paging.rs"]
mod paging;
#[path = "../../../../sdk/src/retry.rs"]
mod retry;
#[path = "../../../../sdk/src/runtime.rs"]
mod runtime;
#[path = "../../../../sdk/src/secret.rs"]
mod secret;

#[rustfmt::skip]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
pub mod generated;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
mod operations;
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, rustdoc::all)]
mod mock_expectations;

/// What `cargo xtask generate --whole` makes of the spec, compiled here too.
#[rustfmt::skip]
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
#[path = "whole/lib.rs"]
pub mod whole;

#[rustfmt::skip]
mod exports {
    pub use crate::auth::{PersonalClientCredentials, WorkloadFederationCredentials};
    pub use crate::client::{Client, ClientBuilder, Credentials, DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, USER_AGENT};
    pub use crate::error::{AuthError, ConfigError, CredentialError, Error, ErrorBody, MAX_ERROR_BODY_BYTES, grpc_code_name};
    pub use crate::generated::types;
    pub use crate::operations::*;
    pub use crate::paging::Page;
    pub use crate::retry::{RetryPolicy, Sleeper, TokioSleeper};
    pub use crate::runtime::Runtime;
    pub use ::reqwest;
    pub use ::chrono;
    pub use crate::secret::SecretString;
}
pub use exports::*;
