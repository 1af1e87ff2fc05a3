//! Every operation's example from the docs of tests/fixtures/valid/enum-values-that-collide.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_enum_values_that_collide::{Client, Error, types};

    async fn example(client: &Client, order: Option<&types::Order>) -> Result<(), Error> {
        let answer = client.list_things(order).await?;
        println!("{answer:?}");
        Ok(())
    }
}
