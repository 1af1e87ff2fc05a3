//! Every broken spec in `fixtures/broken/` fails through the real xtask with a located message, no
//! panic, and an SDK left exactly as it was. The messages themselves are snapshots.

use std::path::Path;

use crate::support::{copy_of_sdk, run_xtask, tree_contents};

const FIXTURE_COUNT_AT_LEAST: usize = 40;

#[test]
fn broken_spec() {
    let mut seen = 0;
    insta::glob!("fixtures/broken/*.yaml", |fixture| {
        seen += 1;
        let name = fixture.file_name().and_then(|name| name.to_str()).expect("a UTF-8 file name");
        let sdk = copy_of_sdk();
        let before = tree_contents(sdk.path());

        let run = run_xtask(&["--spec".as_ref(), fixture.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()]);

        assert!(!run.success, "{name}: the xtask succeeded on a broken spec");
        assert!(!run.stderr.contains("panicked"), "{name}: the xtask panicked:\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("tests/fixtures/broken/{name}")),
            "{name}: the message does not name the file:\n{}",
            run.stderr
        );
        assert!(has_location(&run.stderr, name), "{name}: the message names no line or JSON pointer:\n{}", run.stderr);
        assert!(run.stderr.contains("help:"), "{name}: the message says nothing about the fix:\n{}", run.stderr);
        assert!(
            !run.stderr.contains("does not compile") && !run.stderr.contains("error["),
            "{name}: a spec defect reached the compiler instead of the validator:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.lines().filter(|line| line.contains("(at /)")).all(|line| line.contains("the document is")),
            "{name}: a problem is located at the document's root, not at its node:\n{}",
            run.stderr
        );
        assert!(
            !run.stderr.contains(".cargo/registry")
                && !run.stderr.contains("/src/")
                && !run.stderr.contains("RUST_BACKTRACE"),
            "{name}: the message names a place in the generator's or a dependency's source:\n{}",
            run.stderr
        );
        let longest_problem_list = 4 * 8;
        assert!(
            run.stderr.lines().count() <= longest_problem_list
                && !run.stderr.contains(": Some(")
                && !run.stderr.contains(" {\n"),
            "{name}: the message looks like a Debug dump:\n{}",
            run.stderr
        );
        assert_eq!(before, tree_contents(sdk.path()), "{name}: the SDK changed after a failed run");
        insta::assert_snapshot!(run.stderr);
    });
    assert!(seen >= FIXTURE_COUNT_AT_LEAST, "only {seen} broken fixtures; expected at least {FIXTURE_COUNT_AT_LEAST}");
}

/// A message is located when it names `file:line` or a JSON pointer (`(at /...)`).
fn has_location(stderr: &str, name: &str) -> bool {
    let with_line = format!("{name}:");
    let line_named =
        stderr.split(&with_line).skip(1).any(|rest| rest.starts_with(|character: char| character.is_ascii_digit()));
    line_named || stderr.contains("(at /")
}

#[test]
fn a_missing_spec_file_is_reported_with_its_path() {
    let sdk = copy_of_sdk();
    let missing = Path::new("tests/fixtures/does-not-exist.yaml");
    let run = run_xtask(&["--spec".as_ref(), missing.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()]);
    assert!(!run.success);
    assert!(run.stderr.contains("does-not-exist.yaml"), "{}", run.stderr);
}
