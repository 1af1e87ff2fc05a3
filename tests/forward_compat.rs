//! The generated models can grow without breaking their users (see ARCHITECTURE.md, "Models that
//! can grow"): a consumer written with what the SDK offers outside it compiles against an SDK
//! before and after its API adds a field, an enum value and an operation; and the two forms an
//! addition would break (a struct literal, an exhaustive `match` of an enum) do not compile
//! against the SDK at all, so no user can have written them.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{SPEC_FILE, profile_dir, spec_bytes};

/// The consumer, compiled against the SDK of `fixtures/valid/required-fields-and-defaults.yaml`.
mod before {
    use golden_required_fields_and_defaults as sdk;
    include!("forward_compat_consumer.rs");
}

/// The same consumer, compiled against the SDK of the grown document.
mod after {
    use golden_required_fields_and_defaults_grown as sdk;
    include!("forward_compat_consumer.rs");
}

#[test]
fn one_consumer_compiles_against_the_sdk_before_and_after_the_api_grows() {
    // Compiling is the test; running shows the two builds behave alike.
    assert_eq!(before::describe(&before::build()), "nightly build (in turn, 3 retries)");
    assert_eq!(after::describe(&after::build()), "nightly build (in turn, 3 retries)");
    let _ = (before::submit, after::submit);
}

/// The newest `lib<name>-*.rlib` built from this workspace's own sources.
///
/// The target directory also holds rlibs of the same crate name that are not this run's
/// dependency: the generator's verification copies (`target/xtask-verify/copy/verify-<name>/`)
/// build there, and can be newer. Cargo's dep-info file beside each rlib names the sources it was
/// built from, relative to the workspace root that built it; only an rlib whose crate root is a
/// file of this workspace (not under the target directory) is one of this run's.
fn rlib(name: &str) -> PathBuf {
    let deps = profile_dir().join("deps");
    let prefix = format!("lib{name}-");
    let root = crate::support::workspace_root();
    let target = crate::support::target_dir();
    let from_this_workspace = |rlib: &Path| {
        let Some(stem) = rlib.file_stem().and_then(|stem| stem.to_str()).and_then(|stem| stem.strip_prefix("lib"))
        else {
            return false;
        };
        let Ok(dep_info) = std::fs::read_to_string(deps.join(format!("{stem}.d"))) else { return false };
        let crate_root = dep_info
            .lines()
            .next()
            .and_then(|line| line.split_once(": "))
            .and_then(|(_, sources)| sources.split_whitespace().next());
        crate_root
            .map(|crate_root| root.join(crate_root))
            .is_some_and(|path| path.is_file() && !path.starts_with(&target))
    };
    std::fs::read_dir(&deps)
        .expect("the profile's deps directory")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|file| file.to_str())
                .is_some_and(|file| file.starts_with(&prefix) && file.ends_with(".rlib"))
        })
        .filter(|path| from_this_workspace(path))
        .max_by_key(|path| std::fs::metadata(path).and_then(|metadata| metadata.modified()).ok())
        .unwrap_or_else(|| {
            panic!("no {prefix}*.rlib of this workspace in {}; the test crate depends on it", deps.display())
        })
}

/// Compiles `source` as a library against the crate `name` (its rlib from this run), and returns
/// rustc's error codes (`E0639`, …), or an empty list when it compiles.
fn error_codes(name: &str, source: &str) -> Vec<String> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("consumer.rs");
    std::fs::write(&file, source).expect("write the consumer");
    let deps = profile_dir().join("deps");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .args(["--edition", "2024", "--crate-type", "lib", "--emit", "metadata", "--error-format", "short"])
        .arg("--out-dir")
        .arg(dir.path())
        .arg("-L")
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!("{name}={}", rlib(name).display()))
        .arg(&file)
        .output()
        .expect("rustc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut codes: Vec<String> = stderr
        .lines()
        .filter_map(|line| {
            line.split_once("error[").and_then(|(_, rest)| rest.split_once(']')).map(|(code, _)| code.to_owned())
        })
        .collect();
    if !output.status.success() && codes.is_empty() {
        codes.push(format!("uncoded: {stderr}"));
    }
    codes
}

fn assert_compiles(name: &str, source: &str) {
    let codes = error_codes(name, source);
    assert!(codes.is_empty(), "the control must compile, or the harness is broken: {codes:?}\n{source}");
}

#[test]
fn no_model_of_the_sdk_can_be_built_with_a_struct_literal() {
    let spec = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the checked-in spec loads");
    let models: Vec<&str> = spec
        .api
        .schemas
        .iter()
        .filter(|schema| matches!(schema.kind, codegen::model::SchemaShape::Object) && !schema.fields.is_empty())
        .map(|schema| schema.rust_name.as_str())
        .collect();
    assert!(!models.is_empty());
    let sdk = "conductorone_personal_client";
    let control: String = models
        .iter()
        .map(|model| format!("pub fn make_{model}() -> {sdk}::types::{model} {{ {sdk}::types::{model}::default() }}\n"))
        .collect();
    assert_compiles(sdk, &format!("#![allow(non_snake_case)]\n{control}"));
    let literals: String = models
        .iter()
        .map(|model| {
            format!(
                "pub fn make_{model}() -> {sdk}::types::{model} {{ {sdk}::types::{model} {{ ..::std::default::Default::default() }} }}\n"
            )
        })
        .collect();
    let codes = error_codes(sdk, &format!("#![allow(non_snake_case)]\n{literals}"));
    assert_eq!(
        codes,
        vec!["E0639".to_owned(); models.len()],
        "every model refuses a struct literal (#[non_exhaustive])"
    );
}

#[test]
fn no_enum_of_a_generated_sdk_can_be_matched_exhaustively() {
    let golden = "golden_required_fields_and_defaults";
    let exhaustive = |arms: &str| {
        format!(
            "pub fn rank(priority: {golden}::types::Priority) -> u8 {{ use {golden}::types::Priority; match priority {{ {arms} }} }}\n"
        )
    };
    assert_compiles(golden, &exhaustive("Priority::Low => 0, Priority::Normal => 1, Priority::High => 2, _ => 3"));
    let codes = error_codes(golden, &exhaustive("Priority::Low => 0, Priority::Normal => 1, Priority::High => 2"));
    assert_eq!(codes, ["E0004"], "a match without a wildcard arm is refused (#[non_exhaustive])");
}
