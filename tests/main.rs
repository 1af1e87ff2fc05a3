//! The project's test suite: one binary, one module per concern.

mod as_users_meet_it;
mod broken_specs;
mod build_sharing;
mod cli;
mod conformance;
mod corpus;
mod e2e_auth;
mod e2e_auth_faults;
mod e2e_operations;
mod e2e_responses;
mod e2e_retry_paging;
mod forward_compat;
mod freshness;
mod generator_safety;
mod hand_written;
mod maintainer_loop;
mod mock_consumer;
mod model_summaries;
mod mutations;
mod properties;
mod snapshots;
mod spec_update;
mod support;
mod tricky_specs;
mod whole_document;
mod wire_classes;
