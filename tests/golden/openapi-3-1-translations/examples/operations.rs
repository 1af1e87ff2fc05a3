//! Every operation's example from the docs of tests/fixtures/valid/openapi-3-1-translations.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_openapi_3_1_translations::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_card(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_openapi_3_1_translations::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.list_cards().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_openapi_3_1_translations::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        client.ping().await?;
        Ok(())
    }
}
