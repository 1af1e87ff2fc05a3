//! The project's test suite: one binary, one module per concern.

mod broken_specs;
mod freshness;
mod support;
