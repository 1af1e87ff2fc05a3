//! Every operation's example from the docs of tests/fixtures/valid/operations-without-operation-id.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_operations_without_operation_id::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        client.get_root().await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_operations_without_operation_id::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.get_things().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_operations_without_operation_id::{Client, Error, types};

    async fn example(client: &Client, thing_id: &str, request: &types::Thing) -> Result<(), Error> {
        let answer = client.post_things_thing_id_parts(thing_id, request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
