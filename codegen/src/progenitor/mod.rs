//! progenitor's part: the spec as it is given to progenitor, running it, and reading what it wrote.

pub mod enums;
pub mod format;
pub mod input;
pub mod models;
pub mod output;
pub mod run;
