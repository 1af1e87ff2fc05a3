//! Every operation's example from the docs of tests/fixtures/valid/several-outcomes.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_several_outcomes::{Client, Error, types};

    async fn example(client: &Client, id: &str, request: &types::Thing) -> Result<(), Error> {
        let answer = client.put_thing(id, request).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_several_outcomes::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.create_thing(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}
