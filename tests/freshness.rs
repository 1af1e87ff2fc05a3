//! The checked-in generated files are exactly what the generator makes from the checked-in spec.

use crate::support::{SPEC_FILE, read_sdk_file, spec_bytes};

/// Diffs of every generated file against what is checked in; empty when all are fresh.
fn stale_diffs(spec: &[u8]) -> String {
    let files = codegen::generate(SPEC_FILE, spec).expect("the checked-in spec generates");
    files
        .iter()
        .map(|file| {
            let checked_in = read_sdk_file(&file.path).unwrap_or_default();
            codegen::freshness::unified_diff(&format!("sdk/{}", file.path), &checked_in, &file.contents)
        })
        .collect()
}

#[test]
fn checked_in_sdk_matches_the_spec() {
    let diffs = stale_diffs(&spec_bytes());
    assert!(diffs.is_empty(), "generated files are stale; run `cargo xtask generate` and commit:\n{diffs}");
}

#[test]
fn generation_is_deterministic() {
    let spec = spec_bytes();
    let first = codegen::generate(SPEC_FILE, &spec).expect("generates");
    let second = codegen::generate(SPEC_FILE, &spec).expect("generates");
    assert_eq!(first, second);
    for file in &first {
        assert!(!file.contents.contains('\r'), "{} has a carriage return", file.path);
        assert!(file.contents.contains("cargo xtask generate"), "{} does not name its command", file.path);
    }
}

#[test]
fn a_changed_description_shows_up_in_the_diff() {
    let original = "The display name of the personal client credential.";
    let changed = "The name people see for this credential.";
    let spec = String::from_utf8(spec_bytes()).expect("the spec is UTF-8");
    assert!(spec.contains(original), "the spec no longer has the description this test changes");
    let diffs = stale_diffs(spec.replacen(original, changed, 1).as_bytes());
    assert!(
        diffs.lines().any(|line| line.starts_with('+') && line.contains(changed)),
        "the diff does not add the new description:\n{diffs}"
    );
    assert!(
        diffs.lines().any(|line| line.starts_with('-') && line.contains(original)),
        "the diff does not remove the old description:\n{diffs}"
    );
}

#[test]
fn xtask_check_passes_on_the_checked_in_tree() {
    let run = crate::support::run_xtask(&["--check".as_ref()]);
    assert!(run.success, "`cargo xtask generate --check` failed:\n{}{}", run.stdout, run.stderr);
}

#[test]
fn xtask_check_fails_with_a_diff_and_the_fix_when_a_file_is_stale() {
    let sdk = crate::support::copy_of_sdk();
    let generated = sdk.path().join(codegen::GENERATED_RUST_PATH);
    let text = std::fs::read_to_string(&generated).expect("the generated file is checked in");
    let original = "///The clientID of the credential.";
    assert!(text.contains(original), "the generated file no longer has the line this test edits");
    std::fs::write(&generated, text.replacen(original, "///Edited by hand.", 1)).expect("write");
    let before = crate::support::tree_contents(sdk.path());

    let run = crate::support::run_xtask(&["--check".as_ref(), "--sdk".as_ref(), sdk.path().as_os_str()]);
    assert!(!run.success, "--check passed on a stale tree");
    let removed = |needle: &str| run.stdout.lines().any(|line| line.starts_with('-') && line.contains(needle));
    let added = |needle: &str| run.stdout.lines().any(|line| line.starts_with('+') && line.contains(needle));
    assert!(removed("///Edited by hand."), "no diff line for the edit:\n{}", run.stdout);
    assert!(added(original), "no diff line for the fix:\n{}", run.stdout);
    assert!(run.stderr.contains("run `cargo xtask generate`"), "no fix named:\n{}", run.stderr);
    assert_eq!(before, crate::support::tree_contents(sdk.path()), "--check wrote to the SDK");

    let run = crate::support::run_xtask(&["--sdk".as_ref(), sdk.path().as_os_str()]);
    assert!(run.success, "generate failed:\n{}", run.stderr);
    assert!(run.stdout.contains("changed"), "the fixed file is not reported as changed:\n{}", run.stdout);
    assert!(std::fs::read_to_string(&generated).expect("read").contains(original));
    let run = crate::support::run_xtask(&["--check".as_ref(), "--sdk".as_ref(), sdk.path().as_os_str()]);
    assert!(run.success, "--check still fails after regenerating:\n{}{}", run.stdout, run.stderr);
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_sdk_as_it_was() {
    let sdk = crate::support::copy_of_sdk();
    // Files are written in path order. Make an early one stale, so that it is staged first...
    let early = sdk.path().join(codegen::docs::model_page_path("PersonalClient"));
    let text = std::fs::read_to_string(&early).expect("the page is checked in");
    std::fs::write(&early, format!("{text}\nstale")).expect("write");
    // ...and make a later directory impossible to create, so that staging fails midway: a
    // dangling symlink reads as "not found" but cannot be created as a directory.
    std::fs::remove_dir_all(sdk.path().join("docs/sdks")).expect("remove docs/sdks");
    std::os::unix::fs::symlink(sdk.path().join("nowhere"), sdk.path().join("docs/sdks")).expect("symlink");
    let before = crate::support::tree_contents(sdk.path());

    let run = crate::support::run_xtask(&["--sdk".as_ref(), sdk.path().as_os_str()]);

    assert!(!run.success, "generate succeeded although docs/sdks cannot be created");
    assert!(run.stderr.contains("docs/sdks"), "the error does not name the path:\n{}", run.stderr);
    assert_eq!(
        before,
        crate::support::tree_contents(sdk.path()),
        "a failed run changed the SDK or left temporary files"
    );
}
