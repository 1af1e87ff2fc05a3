//! Every operation's example from the docs of tests/fixtures/valid/emoji-names.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_emoji_names::{Client, Error, types};

    async fn example(client: &Client, request: &types::Rocket) -> Result<(), Error> {
        client.post_launch(request).await?;
        Ok(())
    }
}
