//! Every operation's example from the docs of tests/fixtures/valid/hostile-prose.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_hostile_prose::{Client, Error};

    async fn example(client: &Client) -> Result<(), Error> {
        let answer = client.list_notes().await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_hostile_prose::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_note(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}
