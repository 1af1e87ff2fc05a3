//! Every operation's example from the docs of tests/fixtures/valid/openapi-3-1-nullable.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_openapi_3_1_nullable::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_thing(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}
