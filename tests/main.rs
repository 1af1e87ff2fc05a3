//! The project's test suite: one binary, one module per concern.

mod broken_specs;
mod conformance;
mod freshness;
mod mutations;
mod snapshots;
mod support;
