//! What changed in the API between two versions of its document, and what each change means for
//! the SDK's users.
//!
//! Both sides are what the SDK is made from and what it is: the lowered model (after the overlay
//! and naming, so a method named by a naming hint keeps its name whatever its `operationId`
//! does) and the generated Rust. The model says what changed, operation by operation and field
//! by field, in the API's words; what the change does to the Rust API and to decoding and
//! encoding decides its class. A model whose generated type is the same but for its docs has
//! changed in its documentation only, whatever the document says changed (a field that is an
//! `Option` decodes `null` as `None` whether or not the document calls it nullable), and a
//! generated type that changed where no change of the model shows it (an inline object's
//! property, say) is reported by itself.

mod changelog;
mod operations;
mod rust;
mod schemas;

use std::fmt;

pub use changelog::changelog_with;

use crate::model::Api;

/// One difference between two versions of the API, with what it means for the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where: `GET /path`, `GET /path parameter id (in path)`, `schema Name`, `Name.field`, or
    /// `type Name` for a generated type no schema of the model owns.
    pub path: String,
    /// What changed.
    pub kind: ChangeKind,
    /// What it means for the SDK's users.
    pub impact: Impact,
    /// Why, in the SDK's terms.
    pub reason: String,
}

/// The kinds of difference the summary reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Present only in the new version.
    Added,
    /// Present only in the old version.
    Removed,
    /// An aspect that differs, with its old and new values.
    Changed {
        /// The aspect: `type`, `nullable`, `readOnly`, `required`, `description`, `operationId`,
        /// `request body`, `response` and the like.
        aspect: &'static str,
        /// The old value, as shown.
        before: String,
        /// The new value, as shown.
        after: String,
    },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ChangeKind::Added => write!(f, "+ {}", self.path),
            ChangeKind::Removed => write!(f, "- {}", self.path),
            ChangeKind::Changed { aspect, before, after } => {
                write!(f, "~ {}: {aspect} {before} → {after}", self.path)
            }
        }
    }
}

/// What a change of the API means for the SDK's Rust API, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Only documentation changes (rustdoc, the docs pages).
    DocsOnly,
    /// New items, or requests written as the API now documents them; nothing a user's code
    /// relies on changes: a minor release.
    Additive,
    /// Code that compiled against the SDK may not compile, or may decode differently.
    Breaking,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DocsOnly => "docs only",
            Self::Additive => "additive",
            Self::Breaking => "breaking",
        })
    }
}

/// One version of the API as the SDK sees it: its model, and the SDK's generated Rust
/// (`src/generated.rs`, whose `types` module holds the models).
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The lowered model.
    pub api: &'a Api,
    /// The text of the generated Rust file.
    pub generated_rust: &'a str,
}

/// Every difference between `before` and `after`, each classed, in a stable order: operations
/// (in the new version's order, removed ones first), then schemas, then generated types that no
/// schema owns.
pub fn compare(before: Side<'_>, after: Side<'_>) -> anyhow::Result<Vec<Change>> {
    let old_types = rust::types(before.generated_rust)?;
    let new_types = rust::types(after.generated_rust)?;
    let mut changes = Vec::new();
    operations::compare(before.api, after.api, &mut changes);
    schemas::compare(before.api, after.api, (&old_types, &new_types), &mut changes);
    rust::unowned(before.api, after.api, (&old_types, &new_types), &mut changes);
    Ok(changes)
}

/// Adds a change.
fn push(changes: &mut Vec<Change>, path: &str, kind: ChangeKind, impact: Impact, reason: &str) {
    changes.push(Change { path: path.to_owned(), kind, impact, reason: reason.to_owned() });
}

/// Adds the change of `aspect` from `before` to `after`, when they differ.
fn changed(
    changes: &mut Vec<Change>,
    path: &str,
    aspect: &'static str,
    (before, after): (String, String),
    impact: Impact,
    reason: &str,
) {
    if before != after {
        push(changes, path, ChangeKind::Changed { aspect, before, after }, impact, reason);
    }
}

/// An optional text as the summary shows it: quoted with escapes, or `none`.
fn shown(text: Option<&str>) -> String {
    text.map_or_else(|| "none".to_owned(), |text| format!("{text:?}"))
}

/// The version an SDK at `current` (`MAJOR.MINOR.PATCH`) takes for changes of `impact`, by
/// Cargo's rules: below 1.0 the minor number is the breaking one.
pub fn next_version(current: &str, impact: Impact) -> Option<String> {
    let core = current.split(['-', '+']).next()?;
    let mut numbers = core.split('.').map(|part| part.parse::<u64>().ok());
    let (major, minor, patch) = (numbers.next()??, numbers.next()??, numbers.next()??);
    if numbers.next().is_some() {
        return None;
    }
    Some(match (major, impact) {
        (0, Impact::Breaking) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Impact::Breaking) => format!("{}.0.0", major + 1),
        (_, Impact::Additive) => format!("{major}.{}.0", minor + 1),
        (_, Impact::DocsOnly) => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests;
