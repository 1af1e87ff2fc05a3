//! What is made from the model and progenitor's output: the SDK's surface, the docs and their
//! tables, the change summary, and the diffs that show a stale file.

pub mod changes;
pub mod docs;
pub mod freshness;
pub mod notation;
pub mod sdk;
pub mod tables;
