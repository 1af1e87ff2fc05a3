//! Every operation's example from the docs of tests/fixtures/valid/inline-type-names-taken.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_inline_type_names_taken::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.get_thing().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_inline_type_names_taken::{Client, Error, types};

    async fn example(client: &Client, request: &types::MakeThingOperationBody) -> Result<(), Error> {
        client.make_thing(request).await?;
        Ok(())
    }
}
