//! Every operation's example from the docs of tests/fixtures/valid/keyword-names.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_keyword_names::{Client, Error};

    async fn example(client: &Client, type_: &str, fn_: Option<&str>, self_: Option<bool>) -> Result<(), Error> {
        let answer = client.type_(type_, fn_, self_).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_keyword_names::{Client, Error, types};

    async fn example(client: &Client, request: &types::Crate) -> Result<(), Error> {
        client.fn_(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_keyword_names::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        client.self_().await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_3 {
    use golden_keyword_names::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        client.async_().await?;
        Ok(())
    }
}
