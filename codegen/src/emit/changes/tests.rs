//! Each class of change, as a change of a document paired with the SDK generated from each side
//! and the class claimed.

use super::{Change, ChangeKind, Impact, Side, changelog_with, compare, next_version};
use crate::emit::files::GENERATED_RUST_PATH;

/// The model and generated Rust of a spec.
fn generated(spec: &str) -> (crate::model::Api, String) {
    let api = crate::load_spec("spec.yaml", spec.as_bytes()).expect("a valid spec").api;
    let files = crate::generate("spec.yaml", spec.as_bytes(), "sdk").expect("generates");
    let rust = files.into_iter().find(|file| file.path == GENERATED_RUST_PATH).expect("the generated file").contents;
    (api, rust)
}

/// Every change from `before` to `after`, as `+ path`, `- path` or `~ path aspect`, with its class.
fn classes(before: &str, after: &str) -> Vec<(String, Impact)> {
    let (old_api, old_rust) = generated(before);
    let (new_api, new_rust) = generated(after);
    let changes =
        compare(Side { api: &old_api, generated_rust: &old_rust }, Side { api: &new_api, generated_rust: &new_rust })
            .expect("compares");
    let mut shown: Vec<(String, Impact)> = changes
        .iter()
        .map(|change| {
            let what = match &change.kind {
                ChangeKind::Added => format!("+ {}", change.path),
                ChangeKind::Removed => format!("- {}", change.path),
                ChangeKind::Changed { aspect, .. } => format!("~ {} {aspect}", change.path),
            };
            (what, change.impact)
        })
        .collect();
    shown.sort();
    shown
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n";

/// A spec with one `get` operation answering `Job`, with `schemas` as the components.
fn spec(operations: &str, schemas: &str) -> String {
    format!("{HEAD}paths:\n{operations}components:\n  schemas:\n{schemas}")
}

const GET_JOB: &str = "  /jobs/{id}:\n    get:\n      operationId: GetJob\n      x-rust-name: get\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Job\"}}}}\n";

const SMALL: &str = "    Job:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n        note: {type: string, description: old words}\n        when: {type: string, format: date-time, nullable: true}\n        state: {type: string, enum: [on, off]}\n        id: {type: string, readOnly: true}\n        owner: {type: object, properties: {login: {type: string}}}\n";

const GROWN: &str = "    Job:\n      type: object\n      required: [name, boss]\n      properties:\n        name: {type: string}\n        note: {type: string, description: new words}\n        when: {type: string, format: date-time}\n        state: {type: string, enum: [on, off, paused]}\n        id: {type: string}\n        owner: {type: object, properties: {login: {type: integer}}}\n        boss: {type: string}\n        tag: {type: string}\n    Extra: {type: object, properties: {a: {type: string}}}\n";

#[test]
fn each_change_of_a_model_is_classed_by_what_the_generated_type_does_in_both_directions() {
    use Impact::{Additive, Breaking, DocsOnly};
    let (small, grown) = (spec(GET_JOB, SMALL), spec(GET_JOB, GROWN));
    let owned =
        |list: &[(&str, Impact)]| list.iter().map(|(what, impact)| ((*what).to_owned(), *impact)).collect::<Vec<_>>();
    assert_eq!(
        classes(&small, &grown),
        owned(&[
            ("+ Job.boss", Breaking),
            ("+ Job.tag", Additive),
            ("+ schema Extra", Additive),
            ("~ Job.id readOnly", DocsOnly),
            ("~ Job.note description", DocsOnly),
            // An optional field is an Option either way: null decodes as None with or without it.
            ("~ Job.when nullable", DocsOnly),
            // The inline enum grew (open and non-exhaustive); the inline object's property changed type.
            ("~ type JobOwner Rust", Breaking),
            ("~ type JobState Rust", Additive),
        ])
    );
    assert_eq!(
        classes(&grown, &small),
        owned(&[
            ("- Job.boss", Breaking),
            ("- Job.tag", Breaking),
            ("- schema Extra", Breaking),
            ("~ Job.id readOnly", DocsOnly),
            ("~ Job.note description", DocsOnly),
            ("~ Job.when nullable", DocsOnly),
            ("~ type JobOwner Rust", Breaking),
            ("~ type JobState Rust", Breaking),
        ])
    );
}

#[test]
fn changes_that_leave_the_generated_type_as_it_was_are_documentation_only() {
    // Nullability, readOnly and descriptions on optional fields: the Rust is the same but for
    // its docs, so the whole change is a patch, whatever the document's words.
    let before = "    Job:\n      type: object\n      properties:\n        at: {type: string, nullable: true, description: when}\n        id: {type: string, readOnly: true}\n";
    let after = "    Job:\n      type: object\n      description: a job\n      properties:\n        at: {type: string, description: the time}\n        id: {type: string}\n";
    let found: Vec<String> = classes(&spec(GET_JOB, before), &spec(GET_JOB, after))
        .into_iter()
        .map(|(what, impact)| format!("{what}: {impact}"))
        .collect();
    assert_eq!(
        found,
        [
            "~ Job.at description: docs only",
            "~ Job.at nullable: docs only",
            "~ Job.id readOnly: docs only",
            "~ schema Job description: docs only",
        ]
    );
}

#[test]
fn a_required_field_that_becomes_nullable_changes_its_rust_type() {
    let before = "    Job:\n      type: object\n      required: [at]\n      properties:\n        at: {type: string}\n";
    let after = "    Job:\n      type: object\n      required: [at]\n      properties:\n        at: {type: string, nullable: true}\n";
    assert_eq!(
        classes(&spec(GET_JOB, before), &spec(GET_JOB, after)),
        [("~ Job.at nullable".to_owned(), Impact::Breaking)]
    );
}

#[test]
fn operations_are_matched_by_method_name_and_classed_by_their_signature() {
    use Impact::{Additive, Breaking, DocsOnly};
    let job = "    Job:\n      type: object\n      properties:\n        name: {type: string}\n";
    // The same method under a new operationId and description, with one more query parameter,
    // and a new operation beside it.
    let renamed =
        GET_JOB.replace("operationId: GetJob", "operationId: FetchJob\n      description: Fetches a job.").replace(
            "      parameters:\n",
            "      parameters:\n        - {name: verbose, in: query, schema: {type: boolean}}\n",
        );
    let list = "  /jobs:\n    get:\n      operationId: ListJobs\n      x-rust-name: list\n      responses:\n        \"200\": {description: ok}\n";
    let found = classes(&spec(GET_JOB, job), &spec(&format!("{renamed}{list}"), job));
    assert_eq!(
        found,
        [
            ("+ GET /jobs".to_owned(), Additive),
            ("+ GET /jobs/{id} parameter verbose (in query)".to_owned(), Breaking),
            ("~ GET /jobs/{id} description".to_owned(), DocsOnly),
            ("~ GET /jobs/{id} operationId".to_owned(), DocsOnly),
        ]
    );
    let back = classes(&spec(&format!("{renamed}{list}"), job), &spec(GET_JOB, job));
    assert!(back.contains(&("- GET /jobs".to_owned(), Breaking)), "{back:?}");
}

#[test]
fn the_next_version_follows_cargos_rules() {
    assert_eq!(next_version("0.2.0", Impact::Breaking).as_deref(), Some("0.3.0"));
    assert_eq!(next_version("0.2.0", Impact::Additive).as_deref(), Some("0.2.1"));
    assert_eq!(next_version("0.2.3", Impact::DocsOnly).as_deref(), Some("0.2.4"));
    assert_eq!(next_version("1.4.2", Impact::Breaking).as_deref(), Some("2.0.0"));
    assert_eq!(next_version("1.4.2", Impact::Additive).as_deref(), Some("1.5.0"));
    assert_eq!(next_version("1.4.2", Impact::DocsOnly).as_deref(), Some("1.4.3"));
    assert_eq!(next_version("1.4.2-beta.1", Impact::Additive).as_deref(), Some("1.5.0"));
    assert_eq!(next_version("one", Impact::Additive), None);
}

fn change(path: &str, kind: ChangeKind, impact: Impact, reason: &str) -> Change {
    Change { path: path.to_owned(), kind, impact, reason: reason.to_owned() }
}

#[test]
fn changelog_entries_go_under_unreleased_and_keep_the_rest() {
    let start = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- an earlier entry\n\n## [0.1.0] - 2026-01-01\n\n- first\n";
    let text = changelog_with(
        start,
        "API document of 2026-12-01",
        &[
            change("GET /x", ChangeKind::Added, Impact::Additive, "a new method"),
            change("Job.name", ChangeKind::Removed, Impact::Breaking, "a field is removed"),
        ],
    );
    assert_eq!(
        text,
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n\n- an earlier entry\n\
         - + GET /x (additive: a new method; API document of 2026-12-01)\n\n### Removed\n\n\
         - **Breaking:** - Job.name (breaking: a field is removed; API document of 2026-12-01)\n\n\
         ## [0.1.0] - 2026-01-01\n\n- first\n"
    );
    let fresh = changelog_with("# Changelog\n", "doc", &[change("A.b", ChangeKind::Added, Impact::Additive, "r")]);
    assert_eq!(fresh, "# Changelog\n\n## [Unreleased]\n\n### Added\n\n- + A.b (additive: r; doc)\n\n");
}

/// An update operation over `Job`: its builder has a setter per writable field.
const UPDATE_JOB: &str = "  /jobs/{id}:\n    post:\n      operationId: UpdateJob\n      x-rust-name: update\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      requestBody:\n        content: {application/json: {schema: {$ref: \"#/components/schemas/UpdateJobRequest\"}}}\n      responses:\n        \"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/Job\"}}}}\n";

const UPDATE_REQUEST: &str = "    UpdateJobRequest:\n      type: object\n      properties:\n        job: {$ref: \"#/components/schemas/Job\"}\n        updateMask: {type: string}\n";

#[test]
fn read_only_changes_the_update_builder_of_an_object_that_has_one() {
    use Impact::{Additive, Breaking};
    let writable =
        format!("    Job:\n      type: object\n      properties:\n        name: {{type: string}}\n{UPDATE_REQUEST}");
    let read_only = format!(
        "    Job:\n      type: object\n      properties:\n        name: {{type: string, readOnly: true}}\n{UPDATE_REQUEST}"
    );
    let (writable, read_only) = (spec(UPDATE_JOB, &writable), spec(UPDATE_JOB, &read_only));
    assert_eq!(classes(&writable, &read_only), [("~ Job.name readOnly".to_owned(), Breaking)]);
    assert_eq!(classes(&read_only, &writable), [("~ Job.name readOnly".to_owned(), Additive)]);
}

#[test]
fn a_field_of_another_type_and_a_removed_enum_value_are_breaking() {
    use Impact::{Additive, Breaking};
    let before = "    Job:\n      type: object\n      properties:\n        count: {type: string}\n        state: {$ref: \"#/components/schemas/State\"}\n    State: {type: string, enum: [on, off]}\n";
    let after = "    Job:\n      type: object\n      properties:\n        count: {type: integer}\n        state: {$ref: \"#/components/schemas/State\"}\n    State: {type: string, enum: [on, off, paused]}\n";
    let (before, after) = (spec(GET_JOB, before), spec(GET_JOB, after));
    assert_eq!(
        classes(&before, &after),
        [("~ Job.count type".to_owned(), Breaking), ("~ schema State enum".to_owned(), Additive)]
    );
    assert_eq!(
        classes(&after, &before),
        [("~ Job.count type".to_owned(), Breaking), ("~ schema State enum".to_owned(), Breaking)]
    );
}
