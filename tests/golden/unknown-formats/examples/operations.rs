//! Every operation's example from the docs of tests/fixtures/valid/unknown-formats.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}
