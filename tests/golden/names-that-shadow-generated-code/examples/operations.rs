//! Every operation's example from the docs of tests/fixtures/valid/names-that-shadow-generated-code.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_names_that_shadow_generated_code::{Client, Error, types};

    async fn example(client: &Client, id: &str, code: Option<&types::NewOperationCode>) -> Result<(), Error> {
        let answer = client.new_operation(id, code).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_names_that_shadow_generated_code::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.baseurl_operation().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_names_that_shadow_generated_code::{Client, Error, types};

    async fn example(client: &Client, request: &types::ResponseValueModel) -> Result<(), Error> {
        let answer = client.client_operation(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_3 {
    use golden_names_that_shadow_generated_code::{Client, Error, types};

    async fn example(client: &Client, request: &types::DefaultModel) -> Result<(), Error> {
        let answer = client.inner_operation(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
