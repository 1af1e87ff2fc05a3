//! The generator on hostile input and a hostile file system, through the real xtask on copies of
//! the workspace: nothing is written outside the SDK or through a symbolic link, an interrupted
//! run is completed by the next one, leftovers are reported, names that would collide in Rust
//! are refused, and headers cannot be injected.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{Run, copy_of_workspace, run_xtask_in, tree_contents};

fn generate(workspace: &Path, extra: &[&OsStr]) -> Run {
    let mut arguments: Vec<&OsStr> = vec!["generate".as_ref()];
    arguments.extend_from_slice(extra);
    run_xtask_in(workspace, &arguments)
}

fn spec_file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the spec");
    path
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n";

#[test]
fn a_schema_name_with_separators_stays_inside_the_sdk() {
    let outside = tempfile::tempdir().expect("a temporary directory");
    let sdk = outside.path().join("deep/sdk");
    crate::support::stand_in_crate(&sdk);
    let spec = spec_file(
        outside.path(),
        "traversal.yaml",
        &format!("{HEAD}    ../../escape:\n      type: object\n      properties:\n        id: {{type: string}}\n"),
    );
    // The system's temporary directory is one the run does not own either.
    let temporary = outside.path().join("tmp");
    std::fs::create_dir(&temporary).expect("create tmp");
    std::fs::write(temporary.join("keep"), "").expect("write");
    let before: Vec<String> =
        tree_contents(outside.path()).into_keys().filter(|path| !path.starts_with("deep/sdk/")).collect();

    let run = crate::support::xtask_command()
        .arg("generate")
        .args(["--spec".as_ref(), spec.as_os_str(), "--sdk".as_ref(), sdk.as_os_str()])
        .current_dir(crate::support::workspace_root())
        .env_remove("CARGO_MANIFEST_DIR")
        .env("TMPDIR", &temporary)
        .output()
        .expect("the xtask runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let after: Vec<String> =
        tree_contents(outside.path()).into_keys().filter(|path| !path.starts_with("deep/sdk/")).collect();
    assert_eq!(before, after, "a file appeared outside the SDK");
    assert!(sdk.join("docs/models/escape.md").is_file(), "the page is under docs/models");
}

#[test]
/// Two operations whose method names come out the same are refused at the second one: a method
/// name is what callers type, so the generator does not invent a suffix for it. (Schemas and
/// properties whose Rust names collide are generated apart; see the `names-that-collide-in-rust`
/// golden crate.)
fn method_names_that_collide_are_refused_naming_both() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sdk = crate::support::copy_of_sdk();
    let cases = [
        (
            "operations.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a:\n    get: {operationId: getThing, responses: {\"200\": {description: ok}}}\n  /b:\n    get: {operationId: get_thing, responses: {\"200\": {description: ok}}}\n".to_owned(),
            "GET /b would both have the method `get_thing`",
        ),
        (
            "unnamed-operations.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths:\n  /a-b:\n    get: {responses: {\"200\": {description: ok}}}\n  /a_b:\n    get: {responses: {\"200\": {description: ok}}}\n".to_owned(),
            "GET /a_b would both have the method `get_a_b`",
        ),
    ];
    for (name, text, expected) in cases {
        let spec = spec_file(dir.path(), name, &text);
        let before = tree_contents(sdk.path());
        let run = generate(
            &crate::support::workspace_root(),
            &["--spec".as_ref(), spec.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()],
        );
        assert!(!run.success, "{name}: generated although two names collide");
        assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{name}:")) && run.stderr.contains("(at /"),
            "{name}: not located: {}",
            run.stderr
        );
        assert_eq!(before, tree_contents(sdk.path()), "{name}: the SDK changed");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed_or_written_through() {
    let workspace = copy_of_workspace();
    let elsewhere = tempfile::tempdir().expect("a temporary directory");
    let models = workspace.path().join("sdk/docs/models");
    // A generated-looking page elsewhere, reachable through a link where the models' pages go.
    let page = elsewhere.path().join("personalclient.md");
    std::fs::write(&page, format!("{} from elsewhere -->\n", codegen::MARKDOWN_HEADER_PREFIX)).expect("write");
    std::fs::remove_dir_all(&models).expect("remove docs/models");
    std::os::unix::fs::symlink(elsewhere.path(), &models).expect("symlink");
    // And two links that point at each other, which a scan following links would loop on.
    std::os::unix::fs::symlink("loop-b", workspace.path().join("sdk/docs/loop-a")).expect("symlink");
    std::os::unix::fs::symlink("loop-a", workspace.path().join("sdk/docs/loop-b")).expect("symlink");
    let before = tree_contents(workspace.path());
    let elsewhere_before = tree_contents(elsewhere.path());

    let run = generate(workspace.path(), &[]);
    assert!(!run.success, "generated through a symbolic link");
    assert!(run.stderr.contains("is a symbolic link") && run.stderr.contains("docs/models"), "{}", run.stderr);
    assert_eq!(before, tree_contents(workspace.path()), "the workspace changed");
    assert_eq!(elsewhere_before, tree_contents(elsewhere.path()), "a file behind the link changed");
}

#[test]
fn a_run_killed_while_moving_files_into_place_is_completed_by_the_next() {
    let workspace = copy_of_workspace();
    let sdk = workspace.path().join("sdk");
    // Make every model page stale, so that the run has many files to move into place.
    let pages: Vec<std::path::PathBuf> = std::fs::read_dir(sdk.join("docs/models"))
        .expect("the pages")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    let fresh: Vec<Vec<u8>> = pages.iter().map(|page| std::fs::read(page).expect("read")).collect();
    for page in &pages {
        std::fs::write(page, "stale\n").expect("write");
    }

    let killed = crate::support::xtask_command()
        .arg("generate")
        .current_dir(workspace.path())
        .env_remove("CARGO_MANIFEST_DIR")
        .env("XTASK_ABORT_AFTER_RENAMES", "3")
        .output()
        .expect("the xtask runs");
    assert!(!killed.status.success(), "the run was meant to be killed midway");
    let mixed = pages.iter().filter(|page| std::fs::read(page).expect("read") == b"stale\n").count();
    assert!(
        mixed > 0 && mixed < pages.len(),
        "the kill left old and new files, as a kill would ({mixed} stale):\n{}",
        String::from_utf8_lossy(&killed.stderr)
    );

    let check = generate(workspace.path(), &["--check".as_ref()]);
    assert!(!check.success, "--check passed on an interrupted generation");
    assert!(check.stderr.contains(".generate-journal"), "--check does not report the interruption:\n{}", check.stderr);

    let repaired = generate(workspace.path(), &[]);
    assert!(repaired.success, "{}", repaired.stderr);
    assert!(
        repaired.stderr.contains("the last generation was interrupted"),
        "the repair is not said:\n{}",
        repaired.stderr
    );
    for (page, fresh) in pages.iter().zip(&fresh) {
        assert_eq!(&std::fs::read(page).expect("read"), fresh, "{} is not the generated page", page.display());
    }
    assert!(!sdk.join(".generate-journal").exists());
    assert!(crate::support::leftover_temporary_files(workspace.path()).is_empty(), "temporary files remain");
    let check = generate(workspace.path(), &["--check".as_ref()]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);
}

#[test]
fn leftover_temporary_files_are_reported_by_check_and_removed_by_the_next_run() {
    let workspace = copy_of_workspace();
    let leftover = workspace.path().join("sdk/docs/models/.personalclient.md.4242.tmp");
    std::fs::write(&leftover, "half a page").expect("write");
    let check = generate(workspace.path(), &["--check".as_ref()]);
    assert!(!check.success, "--check ignored a leftover temporary file");
    assert!(check.stderr.contains(".personalclient.md.4242.tmp"), "{}", check.stderr);
    let run = generate(workspace.path(), &[]);
    assert!(run.success, "{}", run.stderr);
    assert!(!leftover.exists(), "the leftover is still there");
    assert!(run.stderr.contains("removed"), "{}", run.stderr);
}

#[test]
fn two_generators_on_one_sdk_take_turns() {
    let workspace = copy_of_workspace();
    std::fs::write(workspace.path().join("sdk/docs/models/userref.md"), "stale\n").expect("write");
    let start = || {
        crate::support::xtask_command()
            .arg("generate")
            .current_dir(workspace.path())
            .env_remove("CARGO_MANIFEST_DIR")
            .spawn()
            .expect("the xtask starts")
    };
    let (mut first, mut second) = (start(), start());
    assert!(first.wait().expect("waits").success());
    assert!(second.wait().expect("waits").success());
    let check = generate(workspace.path(), &["--check".as_ref()]);
    assert!(check.success, "{}{}", check.stdout, check.stderr);
    assert!(crate::support::leftover_temporary_files(workspace.path()).is_empty());
}

#[test]
fn a_spec_file_name_cannot_inject_into_headers() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sdk = crate::support::copy_of_sdk();
    let spec = spec_file(
        dir.path(),
        "evil --> <script>\nname.yaml",
        &std::fs::read_to_string(crate::support::workspace_root().join("spec/personal-client.yaml")).expect("the spec"),
    );
    let run = generate(
        &crate::support::workspace_root(),
        &["--spec".as_ref(), spec.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()],
    );
    assert!(run.success, "{}", run.stderr);
    let page = std::fs::read_to_string(sdk.path().join("docs/models/userref.md")).expect("a page");
    let header = page.lines().next().expect("a header");
    assert_eq!(header.matches("-->").count(), 1, "the header comment is closed once: {header}");
    let named = header.split_once(" from ").and_then(|(_, rest)| rest.split_once(';')).map(|(name, _)| name);
    assert_eq!(named, Some("evil_--___script__name.yaml"), "a relative, harmless form of the name");
    let rust = std::fs::read_to_string(sdk.path().join("src/generated.rs")).expect("the client");
    assert!(
        rust.lines().next().is_some_and(|line| line.contains("evil_--_")),
        "{}",
        rust.lines().next().unwrap_or_default()
    );
}

#[cfg(unix)]
#[test]
fn inputs_that_never_end_are_refused_at_once() {
    let sdk = crate::support::copy_of_sdk();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    for input in [Path::new("/dev/zero"), fifo.as_path(), dir.path()] {
        let run = generate(
            &crate::support::workspace_root(),
            &["--spec".as_ref(), input.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()],
        );
        assert!(!run.success, "{}: generated", input.display());
        assert!(run.stderr.contains("is not a regular file"), "{}: {}", input.display(), run.stderr);
    }
}

#[test]
fn a_spec_whose_sdk_would_not_compile_is_refused_with_nothing_written() {
    // Another API's spec into the Personal Client SDK: the generated code is fine, but the
    // hand-written client calls operations that no longer exist, so the crate would not compile.
    let sdk = crate::support::copy_of_sdk();
    let before = tree_contents(sdk.path());
    let spec = crate::support::workspace_root().join("tests/fixtures/valid/recursive-tree.yaml");
    let run = generate(
        &crate::support::workspace_root(),
        &["--spec".as_ref(), spec.as_os_str(), "--sdk".as_ref(), sdk.path().as_os_str()],
    );
    assert!(!run.success, "exit 0 for an SDK that does not compile");
    assert!(run.stderr.contains("does not compile or its doctests fail, so nothing was written"), "{}", run.stderr);
    assert!(run.stderr.contains("error[E"), "the compiler's errors are shown:\n{}", run.stderr);
    assert_eq!(before, tree_contents(sdk.path()), "the SDK changed");
}

#[test]
fn each_verification_builds_the_sdk_it_was_given() {
    // Two SDKs outside the workspace, verified one after the other, share one place for their
    // copies and one set of artifacts. The second is broken by hand: its check must build it, not
    // answer from the first one's build (as it did when each SDK had a copy of its own and cargo
    // judged freshness by the files of whichever copy had built last).
    let dir = tempfile::tempdir().expect("a temporary directory");
    let text =
        std::fs::read_to_string(crate::support::workspace_root().join("spec/personal-client.yaml")).expect("the spec");
    let good = crate::support::copy_of_sdk();
    let first = spec_file(dir.path(), "first-name.yaml", &text);
    let run = generate(
        &crate::support::workspace_root(),
        &["--spec".as_ref(), first.as_os_str(), "--sdk".as_ref(), good.path().as_os_str()],
    );
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("checking that the new SDK compiles"), "the first SDK was checked: {}", run.stderr);

    let broken = crate::support::copy_of_sdk();
    let lib = broken.path().join("src/lib.rs");
    let mut source = std::fs::read_to_string(&lib).expect("the SDK's lib.rs");
    // A type error: only compiling the library finds it (rustdoc, which runs the doctests from the
    // copy's sources, does not check function bodies).
    source.push_str("\n#[allow(dead_code)]\nfn does_not_type_check() -> u32 {\n    \"not a number\"\n}\n");
    std::fs::write(&lib, source).expect("break the SDK");
    let before = tree_contents(broken.path());
    let second = spec_file(dir.path(), "second-name.yaml", &text);
    let run = generate(
        &crate::support::workspace_root(),
        &["--spec".as_ref(), second.as_os_str(), "--sdk".as_ref(), broken.path().as_os_str()],
    );
    assert!(!run.success, "exit 0 for an SDK that does not compile");
    assert!(run.stderr.contains("error[E0308]: mismatched types"), "{}", run.stderr);
    assert_eq!(before, tree_contents(broken.path()), "the SDK changed");
}
