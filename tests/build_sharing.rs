//! `cargo xtask` and `cargo test --workspace` share every dependency artifact.
//!
//! Cargo resolves a dependency's features over the packages a command selects: `cargo xtask` (the
//! xtask package alone) and `cargo test --workspace` (every member, with dev-dependencies) would
//! each build their own tokio, hyper, chrono, regex and everything above them if the xtask's
//! dependencies asked for fewer features than the rest of the workspace turns on in them. The
//! xtask's manifest lists what the workspace turns on; this test compares the two resolutions,
//! crate by crate, and names what to add when they drift apart. (Features are compared per crate
//! and version, the build-time and the run-time copies of a crate together.)

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{cargo, workspace_root};

/// Each registry crate of a `cargo tree` run (`name vX.Y.Z`) with the features it is built with.
fn resolved_features(arguments: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let output = cargo()
        .args(["tree", "--offline", "--prefix", "none", "--format", "{p} [{f}]"])
        .args(arguments)
        .current_dir(workspace_root())
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree {arguments:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let mut crates: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let line = line.trim_end_matches(" (*)").trim();
        let Some((package, features)) = line.split_once(" [") else { continue };
        // Workspace members (`name vX (/path)`) are not shared artifacts.
        if package.contains(" (") {
            continue;
        }
        let features = features.trim_end_matches(']').split(',').filter(|feature| !feature.is_empty());
        crates.entry(package.to_owned()).or_default().extend(features.map(str::to_owned));
    }
    crates
}

#[test]
fn cargo_xtask_builds_its_dependencies_with_the_features_the_workspace_test_run_uses() {
    let alone = resolved_features(&["--package", "xtask", "--edges", "normal,build"]);
    let workspace = resolved_features(&["--workspace"]);
    assert!(alone.len() > 50, "the xtask's tree was read: {} crates", alone.len());
    let mut drift = Vec::new();
    for (package, features) in &alone {
        let Some(everywhere) = workspace.get(package) else { continue };
        let missing: Vec<&str> = everywhere.difference(features).map(String::as_str).collect();
        if !missing.is_empty() {
            drift.push(format!("{package}: the workspace also turns on {missing:?}"));
        }
    }
    assert!(
        drift.is_empty(),
        "`cargo xtask` would build these crates (and all above them) a second time, with fewer \
         features than `cargo test --workspace`:\n  {}\nadd the features to the list in xtask/Cargo.toml \
         (with `default-features = false` unless \"default\" is among them)",
        drift.join("\n  ")
    );
}
