//! Every operation's example from the docs of tests/fixtures/valid/keyword-names.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_keyword_names::{Client, Error};

    async fn example(client: &Client, type_: &str, auto: Option<bool>, fn_: Option<&str>, raw: Option<bool>, self_: Option<bool>, union: Option<&str>) -> Result<(), Error> {
        let answer = client.type_(type_, auto, fn_, raw, self_, union).await?;
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

#[rustfmt::skip]
mod example_4 {
    use golden_keyword_names::{Client, Error};

    async fn example(client: &Client, macro_rules: Option<i64>, safe: Option<&str>) -> Result<(), Error> {
        let answer = client.union(macro_rules, safe).await?;
        println!("{answer:?}");
        Ok(())
    }
}
