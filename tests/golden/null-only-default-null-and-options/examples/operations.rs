//! Every operation's example from the docs of tests/fixtures/valid/null-only-default-null-and-options.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_null_only_default_null_and_options::{Client, Error, types};

    async fn example(client: &Client, priority: Option<&types::Priority>) -> Result<(), Error> {
        let answer = client.list_things(priority).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_null_only_default_null_and_options::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        client.thing_options().await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_null_only_default_null_and_options::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let _body = client.trace_things().await?;
        Ok(())
    }
}
