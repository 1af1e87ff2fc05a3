//! Every operation's example from the docs of tests/fixtures/valid/request-bodies-that-are-not-json.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_request_bodies_that_are_not_json::{Client, Error, types};

    async fn example(client: &Client, request: &types::UploadBody) -> Result<(), Error> {
        client.upload(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_request_bodies_that_are_not_json::{Client, Error, types};

    async fn example(client: &Client, request: &Vec<types::Thing>) -> Result<(), Error> {
        client.replace_things(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_2 {
    use golden_request_bodies_that_are_not_json::{Client, Error, types};

    async fn example(client: &Client, request: &types::AddThingBody) -> Result<(), Error> {
        let answer = client.add_thing(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_3 {
    use golden_request_bodies_that_are_not_json::{Client, Error, types};

    async fn example(client: &Client, request: &Vec<types::PatchThingsBodyItem>) -> Result<(), Error> {
        client.patch_things(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_4 {
    use golden_request_bodies_that_are_not_json::{Client, Error};

    async fn example(client: &Client, request: Vec<u8>) -> Result<(), Error> {
        client.import_csv(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_5 {
    use golden_request_bodies_that_are_not_json::{Client, Error};

    async fn example(client: &Client, request: Vec<u8>) -> Result<(), Error> {
        client.import_xml(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_6 {
    use golden_request_bodies_that_are_not_json::{Client, Error, types};

    async fn example(client: &Client, request: &types::Thing) -> Result<(), Error> {
        let answer = client.create_vendor_thing(request).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_7 {
    use golden_request_bodies_that_are_not_json::{Client, Error};

    async fn example(client: &Client, request: Vec<u8>) -> Result<(), Error> {
        client.put_blob(request).await?;
        Ok(())
    }
}

#[rustfmt::skip]
mod example_8 {
    use golden_request_bodies_that_are_not_json::{Client, Error};

    async fn example(client: &Client, request: Vec<u8>) -> Result<(), Error> {
        client.put_mood(request).await?;
        Ok(())
    }
}
