//! Every operation's example from the docs of tests/fixtures/valid/recursive-tree.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_recursive_tree::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let answer = client.get_tree(id).await?;
        println!("{answer:?}");
        Ok(())
    }
}
