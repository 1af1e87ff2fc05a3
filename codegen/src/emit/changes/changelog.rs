//! The SDK's changelog: the API's changes added under `## [Unreleased]`.

use super::{Change, ChangeKind, Impact};

/// `changelog` (Keep a Changelog layout) with `changes` added to its `## [Unreleased]` section
/// (created above the first release when missing): each under `### Added`, `### Changed` or
/// `### Removed`, after what the subsection already lists, breaking ones marked, each naming
/// `source` (the document it came with). The rest of the file is kept as it is.
pub fn changelog_with(changelog: &str, source: &str, changes: &[Change]) -> String {
    const UNRELEASED: &str = "## [Unreleased]";
    let text = changelog.replace("\r\n", "\n");
    let (before, section, after) = match text.find(&format!("{UNRELEASED}\n")) {
        Some(at) => {
            let body = at + UNRELEASED.len() + 1;
            let end = text[body..].find("\n## ").map_or(text.len(), |next| body + next + 1);
            (&text[..at], &text[body..end], &text[end..])
        }
        None => {
            let at = text.find("\n## ").map_or(text.len(), |at| at + 1);
            (&text[..at], "", &text[at..])
        }
    };
    // The section's own text before its first subsection, then its subsections in order.
    let mut preamble = Vec::new();
    let mut subsections: Vec<(String, Vec<String>)> = Vec::new();
    for line in section.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            subsections.push((heading.to_owned(), Vec::new()));
        } else if let Some((_, lines)) = subsections.last_mut() {
            lines.push(line.to_owned());
        } else {
            preamble.push(line.to_owned());
        }
    }
    for (heading, class) in
        [("Added", ChangeClass::Added), ("Changed", ChangeClass::Changed), ("Removed", ChangeClass::Removed)]
    {
        let lines: Vec<String> = changes
            .iter()
            .filter(|change| ChangeClass::of(&change.kind) == class)
            .map(|change| {
                let mark = if change.impact == Impact::Breaking { "**Breaking:** " } else { "" };
                // The reason is the generator's own words, never the document's.
                format!(
                    "- {mark}{} ({}: {}; {source})",
                    markdown_text(&change.to_string()),
                    change.impact,
                    change.reason
                )
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        match subsections.iter_mut().find(|(existing, _)| existing == heading) {
            Some((_, existing)) => {
                while existing.last().is_some_and(|line| line.trim().is_empty()) {
                    existing.pop();
                }
                existing.extend(lines);
            }
            None => subsections.push((heading.to_owned(), lines)),
        }
    }
    let mut out = before.to_owned();
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(&format!("{UNRELEASED}\n\n"));
    let preamble = preamble.join("\n");
    if !preamble.trim().is_empty() {
        out.push_str(&format!("{}\n\n", preamble.trim()));
    }
    for (heading, lines) in subsections {
        let body = lines.join("\n");
        out.push_str(&format!("### {heading}\n\n{}\n\n", body.trim()));
    }
    out.push_str(after);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChangeClass {
    Added,
    Changed,
    Removed,
}

impl ChangeClass {
    fn of(kind: &ChangeKind) -> Self {
        match kind {
            ChangeKind::Added => Self::Added,
            ChangeKind::Removed => Self::Removed,
            ChangeKind::Changed { .. } => Self::Changed,
        }
    }
}

/// Text from a document as Markdown shows it literally: in a code span when it holds characters
/// Markdown would read, with control characters escaped.
fn markdown_text(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
        .collect();
    escaped
        .replace('\\', "\\\\")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('`', "\\`")
        .replace('<', "&lt;")
        .replace('[', "\\[")
}
