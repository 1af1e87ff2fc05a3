//! The API grows, and the README's three maintainer commands are all it takes: on a copy of the
//! workspace, a next published document (the vendored one with `fixtures/next/api-grows.yaml`
//! applied: one more operation that answers with a new secret, one more writable field) goes
//! through `cargo xtask spec update`, `cargo xtask tables --write` and the snapshot-accepting
//! test run, and then `cargo test --workspace` passes with no hand edit. After them the new
//! operation is a `Client` method with the SDK's call machinery, its secret a `SecretString`,
//! the mock has its expectation, the update builder the new field's setter, the docs lead with
//! the method, and `c1pc api` calls it.
//!
//! It needs a nested build (the copy is another workspace, so its own crates compile again). It
//! cannot share this run's target directory: cargo names a member's artifacts after its path
//! relative to the workspace root, so the copy's crates would take (and overwrite) the
//! workspace's. Its target directory instead starts with hard links to this run's artifacts of
//! the dependencies (never of the workspace's crates), so the dependency tree is not compiled a
//! second time; the copy keeps its place between runs, so unchanged crates are not either.
//!
//! It takes minutes, so it is `#[ignore]`d in the quick loop (`cargo test --workspace`) and runs
//! in the full one (`cargo test --workspace -- --include-ignored`), which CI runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{cargo, target_dir, workspace_root, xtask_binary};

/// Set in the copy's own test run, where this test does not run again.
const NESTED: &str = "SDK_TESTS_MAINTAINER_LOOP_NESTED";

/// Copies `from` to `to`, rewriting only files whose bytes differ (so that cargo sees unchanged
/// files as unchanged), and removing files `from` does not have; `target/` and `.git/` stay out.
fn sync_tree(from: &Path, to: &Path) {
    let wanted = crate::support::tree_contents_excluding(from, &["target", ".git"]);
    let found = crate::support::tree_contents_excluding(to, &["target", ".git"]);
    for (relative, bytes) in &wanted {
        if found.get(relative) != Some(bytes) {
            let path = to.join(relative);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a directory");
            std::fs::write(path, bytes).expect("write a file");
        }
    }
    for relative in found.keys().filter(|relative| !wanted.contains_key(*relative)) {
        let _ = std::fs::remove_file(to.join(relative));
    }
}

/// The next published document: the fixture upstream document with the growth applied.
fn next_document(dir: &Path) -> PathBuf {
    let root = workspace_root();
    let base_file = "tests/fixtures/upstream/openapi-2026-08-20.yaml";
    let growth_file = "tests/fixtures/next/api-grows.yaml";
    let base = codegen::read::load(base_file, &std::fs::read(root.join(base_file)).expect("the fixture document"))
        .expect("the fixture document loads");
    let growth =
        codegen::read::load(growth_file, &std::fs::read(root.join(growth_file)).expect("the growth")).expect("loads");
    let overlay = codegen::derive::overlay::parse(&growth).expect("the growth is an overlay");
    let mut next = base.value.clone();
    codegen::derive::overlay::apply(&overlay, &growth, &mut next).expect("the growth applies");
    let path = dir.join("openapi-next.yaml");
    std::fs::write(&path, codegen::derive::yaml::to_yaml(&next)).expect("write the next document");
    path
}

/// The names of the workspace's packages and targets, whose artifacts are the copy's own.
fn workspace_crate_names() -> Vec<String> {
    let output = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(workspace_root())
        .output()
        .expect("cargo metadata runs");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata answers JSON");
    let mut names = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        names.extend(package["name"].as_str().map(str::to_owned));
        for target in package["targets"].as_array().into_iter().flatten() {
            names.extend(target["name"].as_str().map(str::to_owned));
        }
    }
    names.iter().flat_map(|name| [name.clone(), name.replace('-', "_")]).collect()
}

/// Links this run's dependency artifacts (`deps/`, `build/`, `.fingerprint/` entries not of a
/// workspace crate) into the copy's target directory, where they are missing.
fn seed_dependencies(from: &Path, to: &Path) {
    let own = workspace_crate_names();
    for kind in ["deps", "build", ".fingerprint"] {
        let Ok(entries) = std::fs::read_dir(from.join(kind)) else { continue };
        for entry in entries {
            let entry = entry.expect("an entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            // `libreqwest-0123abcd.rlib`, `reqwest-0123abcd.d`, `reqwest-0123abcd/`: the crate's name.
            let stem = name.strip_prefix("lib").unwrap_or(&name);
            let crate_name = stem.rsplit_once('-').map_or(stem, |(crate_name, _)| crate_name);
            // A dependency may share a name with a target of the workspace (the registry's
            // `tracing` and the suite's `tracing` test): its dep-info tells them apart.
            if own.iter().any(|own| own == crate_name) && !compiled_outside_workspace(from, kind, &name) {
                continue;
            }
            link_tree(&entry.path(), &to.join(kind).join(&name));
        }
    }
}

/// Whether the artifact `name` in `<profile>/<kind>/` was compiled from sources outside the
/// workspace: its dep-info file (`deps/<unit>.d`, or the `.d` a build script's directory holds)
/// names absolute paths outside the workspace, where its own crates are named relative to its
/// root (or, built from elsewhere, by absolute paths inside it).
fn compiled_outside_workspace(profile: &Path, kind: &str, name: &str) -> bool {
    let unit = name.strip_prefix("lib").unwrap_or(name);
    let unit = unit.split_once('.').map_or(unit, |(unit, _)| unit);
    let dep_infos: Vec<PathBuf> = if kind == "build" {
        std::fs::read_dir(profile.join(kind).join(name))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|extension| extension == "d"))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![profile.join("deps").join(format!("{unit}.d"))]
    };
    dep_infos.iter().any(|dep_info| {
        std::fs::read_to_string(dep_info).is_ok_and(|text| {
            text.lines()
                .next()
                .and_then(|line| line.split_once(": "))
                .and_then(|(_, sources)| sources.split_whitespace().next())
                .is_some_and(|source| {
                    Path::new(source).is_absolute() && !Path::new(source).starts_with(workspace_root())
                })
        })
    })
}

fn link_tree(from: &Path, to: &Path) {
    if to.exists() {
        return;
    }
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("create a directory");
        for entry in std::fs::read_dir(from).expect("list a directory") {
            let entry = entry.expect("an entry");
            link_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().expect("a parent")).expect("create a directory");
        if std::fs::hard_link(from, to).is_err() {
            std::fs::copy(from, to).expect("copy an artifact");
        }
    }
}

/// The modules of this suite that assert snapshots: the files beside this one that call insta.
fn snapshot_modules(copy: &Path) -> Vec<String> {
    let here = Path::new(file!()).parent().expect("the suite's directory");
    let mut modules: Vec<String> = std::fs::read_dir(copy.join(here))
        .expect("the suite's directory in the copy")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "rs"))
        .filter(|path| std::fs::read_to_string(path).is_ok_and(|source| source.contains("insta::assert")))
        .filter_map(|path| path.file_stem().map(|stem| stem.to_string_lossy().into_owned()))
        .collect();
    modules.sort();
    assert!(!modules.is_empty(), "no module of the suite asserts a snapshot");
    modules
}

/// Runs `command` in the copy with the copy's own target directory, and panics with its output
/// when it fails.
fn run(mut command: Command, copy: &Path, out: &Path, what: &str) -> String {
    let output = command
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", out)
        .env(NESTED, "1")
        // Incremental state would double the copy's disk use, for a build redone only when the
        // workspace's own crates change.
        .env("CARGO_INCREMENTAL", "0")
        // Nor line tables: a failure here shows the copy's output, not a backtrace. Dependencies
        // have none anyway (`[profile.dev.package."*"]`), so their builds are still shared.
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("the command runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed:\n{}", tail(&text));
    text
}

/// The last lines of a long output.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "builds and tests a second copy of the workspace (minutes); the README's full test command and CI run it"]
async fn the_three_maintainer_commands_bring_a_grown_api_to_green_with_no_hand_edit() {
    if std::env::var_os(NESTED).is_some() {
        // The copy's own run: the outer run is this test.
        return;
    }
    let base = target_dir().join("maintainer-loop");
    let copy = base.join("workspace");
    let out = base.join("target");
    sync_tree(&workspace_root(), &copy);
    let profile = crate::support::profile_dir();
    let profile_name = profile.file_name().expect("a profile directory").to_owned();
    seed_dependencies(&profile, &out.join(profile_name));
    let inputs = tempfile::tempdir().expect("a temporary directory");
    let next = next_document(inputs.path());

    // The three commands of the README.
    let mut update = Command::new(xtask_binary());
    update.args(["spec", "update", "--from"]).arg(&next).args(["--date", "2026-12-01"]);
    let summary = run(update, &copy, &out, "cargo xtask spec update");
    assert!(summary.contains("POST /api/v1/iam/personal_clients/{id}/rotate"), "{summary}");
    assert!(
        summary.lines().any(|line| line.trim_start().starts_with("additive") && line.contains("/rotate")),
        "a new operation is additive for the Rust API: {summary}"
    );
    let changelog = std::fs::read_to_string(copy.join("sdk/CHANGELOG.md")).expect("the changelog");
    assert!(changelog.contains("{id}/rotate (additive: a new Client method"), "the changelog records it:\n{changelog}");
    let mut tables = Command::new(xtask_binary());
    tables.args(["tables", "--write"]);
    run(tables, &copy, &out, "cargo xtask tables --write");
    // What `cargo insta test --accept` does, writing every changed snapshot, over the tests that
    // hold snapshots: the full run below then proves the rest (and fails on any snapshot missed).
    let mut accept = cargo();
    accept
        .args(["test", "--workspace", "--quiet", "--test", env!("CARGO_CRATE_NAME"), "--"])
        .args(snapshot_modules(&copy).iter().map(|module| format!("{module}::")))
        .env("INSTA_UPDATE", "always")
        .env("INSTA_FORCE_PASS", "1");
    run(accept, &copy, &out, "the snapshot-accepting test run");

    // Then the suite is green, as CI runs it.
    let mut test = cargo();
    test.args(["test", "--workspace", "--quiet"]).env("INSTA_UPDATE", "no");
    run(test, &copy, &out, "cargo test --workspace after the three commands");

    // What users get.
    let read = |relative: &str| std::fs::read_to_string(copy.join(relative)).expect("a generated file");
    let operations = read("sdk/src/operations.rs");
    let rotate = operations.split("pub async fn rotate(").nth(1).expect("Client::rotate exists");
    let rotate = rotate.split("\n    }\n").next().unwrap_or_default();
    assert!(rotate.contains("Result<PersonalClientWithClientSecret, Error>"), "{rotate}");
    let compact: String = rotate.split_whitespace().collect();
    assert!(compact.contains("call_operation(Operation::Rotate,"), "the call machinery: {rotate}");
    assert!(operations.contains("pub fn nickname("), "the update builder has the new field's setter");
    assert!(operations.contains("\"nickname\""), "and its wire name in the update mask");
    assert!(read("sdk/src/mock_expectations.rs").contains("pub fn expect_rotate("), "the mock expects it");
    let page = read("sdk/docs/sdks/personal_client/README.md");
    assert!(
        page.contains("| [`rotate`](#rotate) | `POST` |") && page.contains("\n## rotate\n"),
        "the docs lead with it"
    );
    assert!(
        read("tests/snapshots/suite__snapshots__secrets.snap")
            .contains("PersonalClientServiceRotateResponse.clientSecret")
    );
    assert!(read("spec/tables/personalclient.md").contains("nickname"), "the source table has the field's row");

    // The CLI calls it: the secret goes to its file, not to the terminal.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/iam/personal_clients/pc-1/rotate"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "client": { "id": "pc-1", "nickname": "runner" },
            "clientSecret": "secret-token:conductorone.com:v1:rotated",
        })))
        .expect(1)
        .mount(&server)
        .await;
    let secret_file = inputs.path().join("rotated.secret");
    let output = Command::new(out.join("debug").join(format!("c1pc{}", std::env::consts::EXE_SUFFIX)))
        .args(["api", "rotate", "--param", "id=pc-1", "--secret-file"])
        .arg(&secret_file)
        .env("CONDUCTORONE_ACCESS_TOKEN", "loop-token")
        .env("CONDUCTORONE_SERVER_URL", server.uri())
        .output()
        .expect("c1pc runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(!stdout.contains("rotated"), "the secret reached the terminal: {stdout}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(answer["client"]["nickname"], "runner");
    let stored = std::fs::read_to_string(&secret_file).expect("the secret file");
    assert_eq!(stored.trim(), "secret-token:conductorone.com:v1:rotated");
}
