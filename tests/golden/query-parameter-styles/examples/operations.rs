//! Every operation's example from the docs of tests/fixtures/valid/query-parameter-styles.yaml, compiled with the workspace.
//! Written by tests/tricky_specs.rs; do not edit by hand.
#![allow(dead_code, unused_imports, clippy::all)]

fn main() {}

#[rustfmt::skip]
mod example_0 {
    use golden_query_parameter_styles::{Client, Error, types};

    async fn example(client: &Client, filter: Option<&types::Filter>, ids: Option<&Vec<i64>>, page: Option<&types::Page>, states: Option<&Vec<types::State>>, tag: Option<&Vec<String>>, where_: Option<&types::Filter>, words: Option<&Vec<String>>, x_request_ids: Option<&Vec<String>>, x_trace: Option<&str>, prefs: Option<&Vec<String>>, session: Option<&str>) -> Result<(), Error> {
        let answer = client.list_things(filter, ids, page, states, tag, where_, words, x_request_ids, x_trace, prefs, session).await?;
        println!("{answer:?}");
        Ok(())
    }
}

#[rustfmt::skip]
mod example_1 {
    use golden_query_parameter_styles::{Client, Error, types};

    async fn example(client: &Client, ids: &Vec<String>, coordinates: &types::Point) -> Result<(), Error> {
        client.get_things(ids, coordinates).await?;
        Ok(())
    }
}
