//! Every operation's example from the docs of tests/fixtures/valid/default-response-is-the-error.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_default_response_is_the_error::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_thing(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_default_response_is_the_error::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.health().await?;
        println!("{answer:?}");
        Ok(())
    }
}
