//! Every operation's example from the docs of tests/fixtures/valid/references-into-schemas.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_references_into_schemas::{Client, Error, types};

    async fn example(client: &Client, sort: Option<&types::ListingSort>) -> Result<(), Error> {
        let answer = client.list_things(sort).await?;
        println!("{answer:?}");
        Ok(())
    }
}
