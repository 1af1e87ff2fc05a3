//! Every operation's example from the docs of tests/fixtures/valid/number-with-an-integer-default.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_number_with_an_integer_default::{Client, Error, types};

    async fn example(client: &Client, request: &types::CreateLinkBody) -> Result<(), Error> {
        let answer = client.create_link(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
