//! What is made from the model and progenitor's output: the SDK's surface, the docs and their
//! tables, the change summary, and the diffs that show a stale file.

pub mod changes;
pub mod client;
pub mod docs;
pub mod files;
pub mod freshness;
pub mod method;
pub mod notation;
pub mod sdk;
pub mod standalone;
pub mod support;
pub mod tables;
