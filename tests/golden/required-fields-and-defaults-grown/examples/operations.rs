//! Every operation's example from the docs of tests/fixtures/valid/required-fields-and-defaults-grown.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_required_fields_and_defaults_grown::{Client, Error, types};

    async fn example(client: &Client, request: &types::Job) -> Result<(), Error> {
        let answer = client.create_job(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_required_fields_and_defaults_grown::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_job(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}
