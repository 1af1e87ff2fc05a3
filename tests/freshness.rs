//! The checked-in generated files are exactly what the generator makes from the checked-in spec.

use crate::support::{SPEC_FILE, read_sdk_file, spec_bytes};

/// Diffs of every generated file against what is checked in; empty when all are fresh.
fn stale_diffs(spec: &[u8]) -> String {
    let files =
        codegen::generate(SPEC_FILE, spec, crate::support::sdk_crate_name()).expect("the checked-in spec generates");
    diffs_against_checked_in(&files)
}

fn diffs_against_checked_in(files: &[codegen::emit::files::GeneratedFile]) -> String {
    files
        .iter()
        .map(|file| {
            let checked_in = read_sdk_file(&file.path).unwrap_or_default();
            codegen::emit::freshness::unified_diff(&format!("sdk/{}", file.path), &checked_in, &file.contents)
        })
        .collect()
}

#[test]
fn checked_in_sdk_matches_the_spec() {
    let diffs = diffs_against_checked_in(crate::support::generated_sdk_files());
    assert!(diffs.is_empty(), "generated files are stale; run `cargo xtask generate` and commit:\n{diffs}");
}

#[test]
fn generation_is_deterministic() {
    let spec = spec_bytes();
    let first = codegen::generate(SPEC_FILE, &spec, crate::support::sdk_crate_name()).expect("generates");
    let second = codegen::generate(SPEC_FILE, &spec, crate::support::sdk_crate_name()).expect("generates");
    assert_eq!(first, second);
    for file in &first {
        assert!(!file.contents.contains('\r'), "{} has a carriage return", file.path);
        assert!(file.contents.contains("cargo xtask generate"), "{} does not name its command", file.path);
    }
}

#[test]
fn a_changed_description_shows_up_in_the_diff() {
    let mut document = codegen::read::load(SPEC_FILE, &spec_bytes()).expect("the spec loads");
    let description = document
        .value
        .pointer_mut("/components/schemas/PersonalClient/properties/displayName/description")
        .expect("the spec has the description this test changes");
    let original = description.as_str().expect("a string").to_owned();
    let changed = "The name people see for this credential.";
    *description = changed.into();
    let diffs = stale_diffs(codegen::derive::yaml::to_yaml(&document.value).as_bytes());
    assert!(
        diffs.lines().any(|line| line.starts_with('+') && line.contains(changed)),
        "the diff does not add the new description:\n{diffs}"
    );
    assert!(
        diffs.lines().any(|line| line.starts_with('-') && line.contains(&original)),
        "the diff does not remove the old description:\n{diffs}"
    );
}

#[test]
fn xtask_check_passes_on_the_checked_in_tree() {
    let run = crate::support::run_xtask(&["--check".as_ref()]);
    assert!(run.success, "`cargo xtask generate --check` failed:\n{}{}", run.stdout, run.stderr);
}

fn generate_in(dir: &std::path::Path, extra: &[&str]) -> crate::support::Run {
    let mut arguments: Vec<&std::ffi::OsStr> = vec!["generate".as_ref()];
    arguments.extend(extra.iter().map(|argument| std::ffi::OsStr::new(*argument)));
    crate::support::run_xtask_in(dir, &arguments)
}

#[test]
fn xtask_check_fails_with_a_diff_and_the_fix_when_a_file_is_stale() {
    let workspace = crate::support::copy_of_workspace();
    let generated = workspace.path().join("sdk").join(codegen::GENERATED_RUST_PATH);
    let text = std::fs::read_to_string(&generated).expect("the generated file is checked in");
    let original = "///The clientID of the credential.";
    assert!(text.contains(original), "the generated file no longer has the line this test edits");
    std::fs::write(&generated, text.replacen(original, "///Edited by hand.", 1)).expect("write");
    let before = crate::support::tree_contents(workspace.path());

    let run = generate_in(workspace.path(), &["--check"]);
    assert!(!run.success, "--check passed on a stale tree");
    let removed = |needle: &str| run.stdout.lines().any(|line| line.starts_with('-') && line.contains(needle));
    let added = |needle: &str| run.stdout.lines().any(|line| line.starts_with('+') && line.contains(needle));
    assert!(removed("///Edited by hand."), "no diff line for the edit:\n{}", run.stdout);
    assert!(added(original), "no diff line for the fix:\n{}", run.stdout);
    assert!(run.stderr.contains("run `cargo xtask generate`"), "no fix named:\n{}", run.stderr);
    assert_eq!(before, crate::support::tree_contents(workspace.path()), "--check wrote to the workspace");

    let run = generate_in(workspace.path(), &[]);
    assert!(run.success, "generate failed:\n{}", run.stderr);
    assert!(run.stdout.contains("changed"), "the fixed file is not reported as changed:\n{}", run.stdout);
    assert!(std::fs::read_to_string(&generated).expect("read").contains(original));
    let run = generate_in(workspace.path(), &["--check"]);
    assert!(run.success, "--check still fails after regenerating:\n{}{}", run.stdout, run.stderr);
}

#[test]
fn a_stale_derived_spec_is_reported_and_rewritten() {
    let workspace = crate::support::copy_of_workspace();
    let spec = workspace.path().join(SPEC_FILE);
    let text = std::fs::read_to_string(&spec).expect("the derived spec is checked in");
    // The first operation id, whatever it is, edited by hand.
    let line = text.lines().find(|line| line.trim_start().starts_with("operationId:")).expect("an operation id");
    let edited = format!("{}operationId: fetch_it", &line[..line.len() - line.trim_start().len()]);
    std::fs::write(&spec, text.replacen(line, &edited, 1)).expect("write");

    let run = generate_in(workspace.path(), &["--check"]);
    assert!(!run.success, "--check passed on a stale derived spec");
    assert!(run.stderr.contains(SPEC_FILE), "the stale spec is not named:\n{}", run.stderr);
    assert!(run.stdout.contains(&format!("+{line}")), "no diff for the spec:\n{}", run.stdout);
    let run = generate_in(workspace.path(), &[]);
    assert!(run.success, "generate failed:\n{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&spec).expect("read"), text);
}

#[test]
fn the_xtask_works_on_the_checkout_it_runs_in() {
    // Two checkouts and one xtask binary, as with a shared target directory: each run changes
    // only its own checkout.
    let first = crate::support::copy_of_workspace();
    let second = crate::support::copy_of_workspace();
    let page = |root: &std::path::Path| root.join("sdk").join(codegen::emit::docs::model_page_path("UserRef"));
    std::fs::write(page(first.path()), "stale").expect("write");
    std::fs::write(page(second.path()), "also stale").expect("write");
    let second_before = crate::support::tree_contents(second.path());

    let run = generate_in(first.path(), &[]);
    assert!(run.success, "generate failed:\n{}", run.stderr);
    assert_ne!(std::fs::read_to_string(page(first.path())).expect("read"), "stale", "the first checkout was fixed");
    assert_eq!(second_before, crate::support::tree_contents(second.path()), "the other checkout was touched");

    let run = generate_in(&second.path().join("sdk/src"), &["--check"]);
    assert!(!run.success, "a run from inside the second checkout checks that checkout");
    assert!(run.stderr.contains("sdk/docs/models/userref.md"), "{}", run.stderr);
}

#[test]
fn the_checked_in_spec_is_derived_from_the_published_document_and_the_overlay() {
    let root = crate::support::workspace_root();
    let read = |relative: &str| std::fs::read(root.join(relative)).expect("checked in");
    let derived = codegen::derive::derive_spec(&codegen::derive::Inputs {
        upstream_file: "spec/upstream/openapi.yaml",
        upstream: &read("spec/upstream/openapi.yaml"),
        overlay_file: "spec/overlay.yaml",
        overlay: &read("spec/overlay.yaml"),
    })
    .expect("the spec derives");
    let checked_in = String::from_utf8(read(SPEC_FILE)).expect("UTF-8").replace("\r\n", "\n");
    let diff = codegen::emit::freshness::unified_diff(SPEC_FILE, &checked_in, &derived);
    assert!(diff.is_empty(), "the derived spec is stale; run `cargo xtask generate`:\n{diff}");
}

#[test]
fn the_provenance_names_the_vendored_documents_sha256() {
    let root = crate::support::workspace_root();
    let document = std::fs::read(root.join("spec/upstream/openapi.yaml")).expect("vendored");
    let provenance = std::fs::read_to_string(root.join("spec/upstream/PROVENANCE.md")).expect("provenance");
    let sha256 = codegen::derive::sha256_hex(&document);
    assert!(
        provenance.contains(&format!("| sha256 | `{sha256}` |")),
        "spec/upstream/PROVENANCE.md does not name the sha256 {sha256} of spec/upstream/openapi.yaml; \
         bring documents in with `cargo xtask spec update`"
    );
    assert!(root.join("spec/upstream/LICENSE").is_file(), "the document's licence is vendored beside it");
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_sdk_as_it_was() {
    let workspace = crate::support::copy_of_workspace();
    let sdk = workspace.path().join("sdk");
    // Files are written in path order. Make an early one stale, so that it is staged first...
    let early = sdk.join(codegen::emit::docs::model_page_path("PersonalClient"));
    let text = std::fs::read_to_string(&early).expect("the page is checked in");
    std::fs::write(&early, format!("{text}\nstale")).expect("write");
    // ...and make a later directory impossible to create, so that staging fails midway: a
    // dangling symlink reads as "not found" but cannot be created as a directory.
    std::fs::remove_dir_all(sdk.join("docs/sdks")).expect("remove docs/sdks");
    std::os::unix::fs::symlink(sdk.join("nowhere"), sdk.join("docs/sdks")).expect("symlink");
    let before = crate::support::tree_contents(workspace.path());

    let run = generate_in(workspace.path(), &[]);

    assert!(!run.success, "generate succeeded although docs/sdks cannot be created");
    assert!(run.stderr.contains("docs/sdks"), "the error does not name the path:\n{}", run.stderr);
    assert_eq!(
        before,
        crate::support::tree_contents(workspace.path()),
        "a failed run changed the workspace or left temporary files"
    );
}
