//! `cargo xtask spec update` through the real binary, on a copy of the workspace: between the
//! two real published documents in both directions, with `--dry-run`, and refusing documents it
//! cannot take with nothing changed.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{Run, copy_of_workspace, run_xtask_in, tree_contents, workspace_root};

const OLDER: &str = "tests/fixtures/upstream/openapi-2026-03-18.yaml";
const NEWER: &str = "tests/fixtures/upstream/openapi-2026-08-20.yaml";
const NEWER_SOURCE: &str = "the repository `ConductorOne/terraform-provider-conductorone`, file `openapi.yaml`, commit \
                            `be33b90fff202100af229221e676d0988ea2e516` (a copy of what a tenant serves at `/api/v1/openapi.yaml`)";
const OLDER_SHA256: &str = "8a0bdc21dd5fe39865589f11e287816d929b57683b919f94ddebbb34f232c84b";

/// The SDK's version in a workspace, from its manifest.
fn sdk_version(workspace: &Path) -> String {
    let manifest = std::fs::read_to_string(workspace.join("sdk/Cargo.toml")).expect("the SDK's manifest");
    let line = manifest.lines().find(|line| line.starts_with("version")).expect("a version line");
    line.split('"').nth(1).expect("a quoted version").to_owned()
}

fn update(workspace: &Path, from: &Path, extra: &[&str]) -> Run {
    let mut arguments: Vec<&OsStr> = vec!["spec".as_ref(), "update".as_ref(), "--from".as_ref(), from.as_os_str()];
    arguments.extend(extra.iter().map(|argument| OsStr::new(*argument)));
    run_xtask_in(workspace, &arguments)
}

/// The lines of the change summary (those that start with `+`, `-` or `~`).
fn summary(run: &Run) -> Vec<&str> {
    run.stdout
        .lines()
        .map(str::trim_start)
        .filter(|line| line.starts_with("+ ") || line.starts_with("- ") || line.starts_with("~ "))
        .collect()
}

/// Some of the real differences between the 2026-03-18 and the 2026-08-20 documents, as the
/// summary of an update from the newer to the older one states them: by the names the SDK is
/// generated from (after the overlay, which also keeps some descriptions as the source tables say).
const TOWARDS_OLDER: [&str; 8] = [
    "~ PersonalClient.createdAt: nullable true → false",
    "~ PersonalClient.expiresTime: nullable true → false",
    "~ PersonalClientServiceCreateRequest.expires: nullable true → false",
    "~ PersonalClientServiceGetResponse.client: nullable true → false",
    "~ PersonalClientServiceUpdateRequest.client: nullable true → false",
    "~ PersonalClientSearchServiceSearchRequest.pageSize: description \"The maximum number of results to return per page.\" → \"The pageSize field.\"",
    "~ GET /api/v1/iam/personal_clients/{id} parameter id (in path): description \"The human-readable name of the personal client credential to retrieve (e.g., blue-whale-12345).\" → \"The id field.\"",
    "~ GET /api/v1/iam/personal_clients/{id}: description \"Get retrieves a single personal client credential by its ID.\" → \"Invokes the c1.api.iam.v1.PersonalClientService.Get method.\"",
];

/// How many differences the summary lists between the two documents.
const DIFFERENCES: usize = 26;

/// The same change read the other way.
fn reversed(line: &str) -> String {
    let (head, change) = line.split_once(": ").expect("a change");
    let (aspect, values) = change.split_once(' ').expect("an aspect");
    let (before, after) = values.split_once(" → ").expect("two values");
    format!("{head}: {aspect} {after} → {before}")
}

#[test]
fn an_update_between_the_two_published_documents_in_both_directions() {
    let workspace = copy_of_workspace();
    // The test's own starting point, whatever document is vendored today: the 2026-08-20 one.
    let newer = workspace_root().join(NEWER);
    let start = update(workspace.path(), &newer, &["--date", "2026-08-20", "--source", NEWER_SOURCE]);
    assert!(start.success, "{}{}", start.stdout, start.stderr);
    let original = tree_contents(workspace.path());
    let older = workspace_root().join(OLDER);

    let dry = update(workspace.path(), &older, &["--dry-run"]);
    assert!(dry.success, "{}{}", dry.stdout, dry.stderr);
    let lines = summary(&dry);
    for expected in TOWARDS_OLDER {
        assert!(lines.contains(&expected), "the summary lacks {expected:?}:\n{}", dry.stdout);
    }
    assert_eq!(lines.len(), DIFFERENCES, "exactly the real differences:\n{}", dry.stdout);
    assert!(dry.stdout.contains("--dry-run: nothing was written"), "{}", dry.stdout);
    assert_eq!(original, tree_contents(workspace.path()), "--dry-run wrote something");

    // Each change classed for the Rust API: the SDK generated from the older document differs
    // from today's only in its docs (every field whose nullability changes is an `Option` either
    // way), so every change is docs only and the next release a patch.
    let classed: Vec<&str> = dry.stdout.lines().map(str::trim_start).filter(|line| line.contains(" ~ ")).collect();
    assert_eq!(classed.len(), DIFFERENCES, "{}", dry.stdout);
    assert!(classed.iter().all(|line| line.starts_with("docs only")), "{}", dry.stdout);
    let version =
        codegen::emit::changes::next_version(&sdk_version(workspace.path()), codegen::emit::changes::Impact::DocsOnly)
            .expect("the SDK's version is MAJOR.MINOR.PATCH");
    assert!(dry.stdout.contains(&format!("overall: docs only; the SDK's next release is {version}")), "{}", dry.stdout);

    let changelog_before = std::fs::read_to_string(workspace.path().join("sdk/CHANGELOG.md")).unwrap_or_default();
    let run = update(workspace.path(), &older, &["--date", "2026-03-18"]);
    assert!(run.success, "{}{}", run.stdout, run.stderr);
    let changelog = std::fs::read_to_string(workspace.path().join("sdk/CHANGELOG.md")).expect("the changelog");
    assert!(changelog.contains("## [Unreleased]"), "{changelog}");
    let entries = |text: &str| text.lines().filter(|line| line.starts_with("- ~ ")).count();
    assert_eq!(entries(&changelog) - entries(&changelog_before), DIFFERENCES, "one entry per change:\n{changelog}");
    assert!(!changelog.contains("**Breaking:**") || changelog_before.contains("**Breaking:**"), "{changelog}");
    assert!(changelog.contains("API document of 2026-03-18"), "{changelog}");
    assert_eq!(summary(&run), lines, "the same summary without --dry-run");
    let vendored = workspace.path().join("spec/upstream/openapi.yaml");
    assert_eq!(std::fs::read(&vendored).expect("read"), std::fs::read(&older).expect("read"), "vendored byte for byte");
    let provenance = std::fs::read_to_string(workspace.path().join("spec/upstream/PROVENANCE.md")).expect("read");
    assert!(provenance.contains(OLDER_SHA256) && provenance.contains("| date | 2026-03-18 |"), "{provenance}");
    let derived = std::fs::read_to_string(workspace.path().join("spec/personal-client.yaml")).expect("read");
    assert!(derived.contains(OLDER_SHA256), "the derived spec's header names the new document");
    let generated = std::fs::read_to_string(workspace.path().join("sdk/src/generated.rs")).expect("read");
    assert!(generated.contains("///The pageSize field."), "the SDK was regenerated from the older document");
    let check = run_xtask_in(workspace.path(), &["generate".as_ref(), "--check".as_ref()]);
    assert!(check.success, "everything is fresh after the update:\n{}{}", check.stdout, check.stderr);

    // And back to the newer document, with its provenance as it was: the tree is as it was.
    let back = update(workspace.path(), &newer, &["--date", "2026-08-20", "--source", NEWER_SOURCE]);
    assert!(back.success, "{}{}", back.stdout, back.stderr);
    let back_lines = summary(&back);
    for expected in TOWARDS_OLDER {
        assert!(
            back_lines.contains(&reversed(expected).as_str()),
            "the summary lacks the reverse of {expected:?}:\n{}",
            back.stdout
        );
    }
    assert_eq!(back_lines.len(), DIFFERENCES, "{}", back.stdout);
    assert!(back.stdout.contains("overall: docs only"), "the way back is docs only too:\n{}", back.stdout);
    // Everything but the changelog, which now records both updates, is as it was.
    let mut now = tree_contents(workspace.path());
    let mut was = original.clone();
    for tree in [&mut now, &mut was] {
        tree.retain(|path, _| !path.ends_with("sdk/CHANGELOG.md"));
    }
    assert_eq!(was, now, "the round trip did not restore the tree");
}

#[test]
fn documents_the_update_cannot_take_are_refused_with_nothing_changed() {
    let workspace = copy_of_workspace();
    let original = tree_contents(workspace.path());
    let current = std::fs::read_to_string(workspace_root().join(NEWER)).expect("read");
    let inputs = tempfile::tempdir().expect("a temporary directory");
    let cases: [(&str, String, &str); 6] = [
        ("swagger.yaml", "swagger: \"2.0\"\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned(), "Swagger 2.0"),
        (
            "four.yaml",
            "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_owned(),
            "4.0.0 is not supported",
        ),
        ("broken.yaml", "openapi: 3.1.0\npaths: {\n".to_owned(), "not valid YAML"),
        (
            "other-api.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get: {tags: [Other], responses: {}}\n"
                .to_owned(),
            "no operation has the tag \"Personal Client\"",
        ),
        ("renamed-field.yaml", rename_overlay_target(&current), "matches nothing"),
        (
            "dangling.yaml",
            current.replacen(
                "$ref: '#/components/schemas/c1.api.iam.v1.PersonalClientServiceGetResponse'",
                "$ref: '#/components/schemas/c1.api.iam.v1.Gone'",
                1,
            ),
            "points to nothing",
        ),
    ];
    for (name, text, expected) in cases {
        let path = inputs.path().join(name);
        std::fs::write(&path, &text).expect("write the input");
        if name == "renamed-field.yaml" || name == "dangling.yaml" {
            assert_ne!(text, current, "{name}: the fixture no longer changes the document");
        }
        let run = update(workspace.path(), &path, &[]);
        assert!(!run.success, "{name}: the update succeeded:\n{}", run.stdout);
        assert!(run.stderr.contains(expected), "{name}: expected {expected:?} in:\n{}", run.stderr);
        assert!(run.stderr.contains("help:"), "{name}: no fix named:\n{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{name}:\n{}", run.stderr);
        assert_eq!(original, tree_contents(workspace.path()), "{name}: a refused update changed the workspace");
    }
}

/// The document with the property the overlay's first action aims at renamed, as an upstream
/// rename would: the action then matches nothing.
fn rename_overlay_target(document: &str) -> String {
    let overlay = std::fs::read_to_string(workspace_root().join("spec/overlay.yaml")).expect("the overlay");
    // The action's target names a schema and one of its properties: `$.components.schemas['S'].properties.p`.
    let target = overlay.lines().find_map(|line| line.trim().strip_prefix("- target: ")).expect("an action");
    let (schema, property) = target
        .strip_prefix("$.components.schemas['")
        .and_then(|rest| rest.split_once("'].properties."))
        .expect("the first action aims at a property of a schema");
    let start = document.find(&format!("    {schema}:\n")).expect("the document has the schema");
    let field = start + document[start..].find(&format!("{property}:")).expect("the schema has the property");
    format!("{}{property}Renamed:{}", &document[..field], &document[field + property.len() + 1..])
}
