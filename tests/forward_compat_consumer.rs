// A consumer of a generated SDK, written only with what the SDK offers code outside it: models
// built through `new`, `Default` and `with_<field>` setters, fields read and assigned, enums
// matched with a wildcard arm. `forward_compat.rs` compiles it against an SDK before and after
// its API grows (a field, an enum value, an operation); it must compile against both.
// It is included as a module body with `sdk` naming the SDK crate.

use sdk::types::{Job, Priority};

/// Builds a request as a consumer would.
pub fn build() -> Job {
    let mut job = Job::new("nightly build", Priority::Normal, vec!["ci".to_owned()]).with_note("from the consumer");
    job.labels.push("owned-by-test".to_owned());
    job
}

/// Reads an answer as a consumer would.
pub fn describe(job: &Job) -> String {
    let urgency = match job.priority {
        Priority::Low => "whenever",
        Priority::High => "soon",
        _ => "in turn",
    };
    format!("{} ({urgency}, {} retries)", job.name, job.retries)
}

/// Calls the API as a consumer would.
pub async fn submit(client: &sdk::Client) -> Result<String, sdk::Error> {
    let stored = client.create_job(&build()).await?;
    Ok(describe(&stored))
}
