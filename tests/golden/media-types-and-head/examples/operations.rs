//! Every operation's example from the docs of tests/fixtures/valid/media-types-and-head.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_media_types_and_head::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        let _body = client.read_note(id).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_media_types_and_head::{Client, Error};

    async fn example(client: &Client, id: &str, request: Vec<u8>) -> Result<(), Error> {
        client.write_note(id, request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_media_types_and_head::{Client, Error};

    async fn example(client: &Client, id: &str) -> Result<(), Error> {
        client.note_exists(id).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_3 {
    use golden_media_types_and_head::{Client, Error};

    async fn example(client: &Client, request: Vec<u8>) -> Result<(), Error> {
        let _body = client.upload_blob(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_4 {
    use golden_media_types_and_head::{Client, Error, types};

    async fn example(client: &Client, request: &types::SubmitFormBody) -> Result<(), Error> {
        let answer = client.submit_form(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}
