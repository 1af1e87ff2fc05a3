//! Every operation's example from the docs of tests/fixtures/valid/aliases-and-integer-enums.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_aliases_and_integer_enums::{Client, Error, types};

    async fn example(client: &Client, request: &types::Setting) -> Result<(), Error> {
        client.set_level(request).await?;
        Ok(())
    }
}
