//! Every operation's example from the docs of tests/fixtures/valid/awkward-names.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_awkward_names::{Client, Error};

    async fn example(client: &Client, thing_id: &str, match_: Option<i32>, user_id: Option<&str>) -> Result<(), Error> {
        let answer = client.type_(thing_id, match_, user_id).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_awkward_names::{Client, Error, types};

    async fn example(client: &Client, request: &types::FooBar) -> Result<(), Error> {
        client.create(request).await?;
        Ok(())
    }
}
