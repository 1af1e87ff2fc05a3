//! Every operation's example from the docs of tests/fixtures/valid/json-without-schema-and-encoding.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_json_without_schema_and_encoding::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.list_things().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_json_without_schema_and_encoding::{Client, Error};

    async fn example(client: &Client, request: &::serde_json::Value) -> Result<(), Error> {
        let answer = client.add_thing(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
