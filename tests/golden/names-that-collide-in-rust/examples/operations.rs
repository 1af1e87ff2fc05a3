//! Every operation's example from the docs of tests/fixtures/valid/names-that-collide-in-rust.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_names_that_collide_in_rust::{Client, Error};

    async fn example(client: &Client, user_id: Option<&str>, user_id_query: Option<&str>, user_id_header: Option<&str>) -> Result<(), Error> {
        let answer = client.get_thing(user_id, user_id_query, user_id_header).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_names_that_collide_in_rust::{Client, Error, types};

    async fn example(client: &Client, request: &types::Thing2) -> Result<(), Error> {
        let answer = client.put_thing(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
