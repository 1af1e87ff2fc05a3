//! The project's test suite: one binary, one module per concern.

mod broken_specs;
mod conformance;
mod freshness;
mod mutations;
mod snapshots;
mod support;
mod e2e_operations;
mod e2e_auth;
mod e2e_responses;
mod e2e_retry_paging;
mod as_users_meet_it;
mod properties;
