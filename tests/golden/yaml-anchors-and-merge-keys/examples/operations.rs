//! Every operation's example from the docs of tests/fixtures/valid/yaml-anchors-and-merge-keys.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_yaml_anchors_and_merge_keys::{Client, Error};

    async fn example(client: &Client, page_size: Option<i32>, page_token: Option<&str>) -> Result<(), Error> {
        let page = client.list_widgets(page_size, page_token).await?;
        for item in &page.items {
            println!("{item:?}");
        }
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_yaml_anchors_and_merge_keys::{Client, Error};

    async fn example(client: &Client, page_size: Option<i32>, page_token: Option<&str>) -> Result<(), Error> {
        let page = client.list_gadgets(page_size, page_token).await?;
        for item in &page.items {
            println!("{item:?}");
        }
        Ok(())
    }
}
