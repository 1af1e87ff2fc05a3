//! Exit 0 means the SDK compiles: before anything is written, the new files are put into a copy
//! of the SDK crate, which is built and whose doctests are run (`cargo test --doc`). A failure
//! stops the run with the compiler's first errors, and nothing is written.
//!
//! The copy lives in `target/xtask-verify/copy/` (or under `$XTASK_VERIFY_TARGET`), one place for
//! every SDK and every run, laid out as the workspace is (a crate of the workspace keeps its
//! place, beside a copy of `sdk/`, whose runtime golden crates take by path), as a workspace of
//! that member and one that only declares the workspace's dependencies (so that their features
//! resolve as in the workspace), with the workspace's lock file. It builds in the workspace's
//! own target directory, so that the dependencies the workspace already compiled are reused;
//! only the copy itself is compiled, and only when one of its files changed since the last check.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// Where verification copies; kept between runs, so that only the SDK is rebuilt.
fn verify_root(root: &Path) -> PathBuf {
    std::env::var_os("XTASK_VERIFY_TARGET").map_or_else(|| target_dir(root).join("xtask-verify"), PathBuf::from)
}

/// The workspace's target directory, where the copy is built: `CARGO_TARGET_DIR` when set, else
/// `target/` at the root.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Builds a copy of `sdk` with `changes` (absolute path under `sdk` → new contents, or `None` to
/// remove) and runs its doctests.
pub fn verify(root: &Path, sdk: &Path, changes: &[(PathBuf, Option<&str>)]) -> anyhow::Result<()> {
    let verify_root = verify_root(root);
    fs::create_dir_all(&verify_root).with_context(|| format!("cannot create {}", verify_root.display()))?;
    // Checks share one target directory, where a check's build and its doctests must not be
    // interleaved with another's: they take turns.
    let _lock = crate::write::take_lock(&verify_root.join("check.lock"))?;
    // One copy for every SDK, rewritten in place. Cargo names a copy's artifacts after its path
    // relative to its own workspace root, so copies in different places would share one set of
    // artifacts in the shared target directory while cargo judged their freshness by the files of
    // whichever copy built them last: a later copy could be "verified" by an earlier copy's build.
    // With one place, the files cargo checks are the files being verified.
    let copy_root = verify_root.join("copy");
    remove_earlier_layouts(&verify_root);
    let canonical = fs::canonicalize(sdk).unwrap_or_else(|_| sdk.to_path_buf());
    let relative = canonical
        .strip_prefix(fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()))
        .ok()
        .filter(|relative| !relative.as_os_str().is_empty())
        .map(Path::to_path_buf);
    // The copy must not sit where the crate sits in the workspace (it would share, and overwrite
    // or wrongly reuse, the workspace's own artifacts): its first directory is renamed
    // `verify-<name>`, at the same depth, so that paths relative to it (the golden crates'
    // `../../../../sdk/src`) still lead to the copy of `sdk/`.
    let member = match &relative {
        Some(relative) => {
            let mut components = relative.components();
            let first = components.next().map(|first| first.as_os_str().to_string_lossy().into_owned());
            let mut member = PathBuf::from(format!("verify-{}", first.unwrap_or_default()));
            member.push(components.as_path());
            member
        }
        None => PathBuf::from("verify-crate"),
    };
    // Every file of the copy, by its path under the copy's root.
    let mut files = BTreeMap::new();
    if relative.as_deref() != Some(Path::new(crate::workspace::SDK_DIR))
        && root.join(crate::workspace::SDK_DIR).is_dir()
    {
        collect_tree(&root.join(crate::workspace::SDK_DIR), Path::new(crate::workspace::SDK_DIR), &mut files)?;
    }
    collect_tree(sdk, &member, &mut files)?;
    for (path, contents) in changes {
        let Ok(relative) = path.strip_prefix(sdk) else { continue };
        match contents {
            Some(contents) => files.insert(member.join(relative), contents.as_bytes().to_vec()),
            None => files.remove(&member.join(relative)),
        };
    }
    let manifest = files.get(&member.join("Cargo.toml")).context("the SDK has no Cargo.toml")?;
    let crate_dir = if String::from_utf8_lossy(manifest).lines().any(|line| line.trim() == "[workspace]") {
        // A crate of its own: built where it is.
        member.clone()
    } else {
        // A member of this workspace: a workspace of one member, with the same dependencies and lock.
        let workspace =
            fs::read_to_string(root.join("Cargo.toml")).context("cannot read the workspace's Cargo.toml")?;
        let member = member.to_string_lossy().replace('\\', "/");
        // Beside it, a member that declares what every member of the workspace declares, so that
        // the copy's dependencies resolve to the features `cargo test --workspace` gives them
        // and reuse the workspace's builds, rather than being built again with the SDK's alone.
        // The workspace's own declarations; where its members cannot be read (a partial copy of
        // the workspace, as some tests make), those of the workspace this xtask was built in.
        let home = Path::new(env!("CARGO_MANIFEST_DIR")).parent().filter(|home| *home != root);
        let features = features_member(root).or_else(|| home.and_then(features_member));
        let members = match &features {
            Some(manifest) => {
                files.insert(PathBuf::from(FEATURES_MEMBER).join("Cargo.toml"), manifest.clone().into_bytes());
                files.insert(
                    PathBuf::from(FEATURES_MEMBER).join("lib.rs"),
                    b"//! Declares dependencies only; see xtask/src/verify.rs.\n".to_vec(),
                );
                format!("members = [{member:?}, {FEATURES_MEMBER:?}]")
            }
            None => format!("members = [{member:?}]"),
        };
        let single: String = workspace
            .lines()
            .map(|line| match line.trim_start() {
                starts if starts.starts_with("members") => members.clone(),
                exclude if exclude.starts_with("exclude") => String::new(),
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        files.insert(PathBuf::from("Cargo.toml"), single.into_bytes());
        PathBuf::new()
    };
    if let Ok(lock) = fs::read(root.join("Cargo.lock")) {
        files.insert(crate_dir.join("Cargo.lock"), lock);
    }
    sync_tree(&copy_root, &files)?;
    let crate_dir = copy_root.join(crate_dir);

    eprintln!("checking that the new SDK compiles and its doctests pass (cargo test --doc)...");
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(["test", "--doc", "--workspace", "--all-features", "--quiet"]).current_dir(&crate_dir).env(
        "CARGO_TARGET_DIR",
        std::env::var_os("XTASK_VERIFY_TARGET").map_or_else(|| target_dir(root), |_| verify_root.join("target")),
    );
    // The variables cargo set for this process describe the xtask, not the copy.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if ["CARGO_MANIFEST_", "CARGO_PKG_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_PRIMARY_PACKAGE"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(name.as_ref());
        }
    }
    let output = command.output().context("cannot run cargo to check the new SDK")?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The errors, not the warnings before them: from the first line that starts one.
    let lines: Vec<&str> = stderr.lines().chain(stdout.lines()).filter(|line| !line.trim().is_empty()).collect();
    let first_error = lines.iter().position(|line| line.starts_with("error") || line.starts_with("---- ")).unwrap_or(0);
    let excerpt: Vec<&str> = lines[first_error..].iter().copied().take(40).collect();
    bail!(
        "the generated SDK does not compile or its doctests fail, so nothing was written:\n{}\n  \
         help: the spec uses something the SDK's hand-written code or progenitor cannot take; the copy that failed is in {}",
        excerpt.join("\n"),
        copy_root.display()
    )
}

/// What the workspace's members ask of one crate, together.
struct Wanted {
    name: String,
    requirement: String,
    default_features: bool,
    features: BTreeSet<String>,
}

/// The directory, in the copy's workspace, of the member that only declares dependencies.
const FEATURES_MEMBER: &str = "verify-features";

/// The manifest of a library that depends on every crates.io crate that a member of the
/// workspace at `root` depends on (normal, dev and build dependencies, with their features, on
/// their platforms), read with `cargo metadata`. Cargo resolves a dependency's features over the
/// packages a command selects, so with this member selected beside the copy, the copy's
/// dependencies get the features they have in `cargo test --workspace`, and their builds are
/// shared. It has no code and no doctests, so nothing of it is compiled that the copy does not
/// need. `None` when cargo cannot say (the copy then resolves its own features, and is still
/// checked, only with more to build).
fn features_member(root: &Path) -> Option<String> {
    const CRATES_IO: &str = "registry+https://github.com/rust-lang/crates.io-index";
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    // Per table, one entry per crate and semver-compatible range (cargo refuses the same crate
    // under two names), with the union of what the members ask of it.
    let mut sections: BTreeMap<String, BTreeMap<String, Wanted>> = BTreeMap::new();
    for package in metadata["packages"].as_array()? {
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            // Path dependencies are members of the workspace; other registries and git sources
            // are left to resolve as they do.
            if dependency["source"].as_str() != Some(CRATES_IO) {
                continue;
            }
            let (Some(name), Some(requirement)) = (dependency["name"].as_str(), dependency["req"].as_str()) else {
                continue;
            };
            let table =
                if dependency["kind"].as_str() == Some("build") { "build-dependencies" } else { "dependencies" };
            let section = match dependency["target"].as_str() {
                Some(platform) => format!("target.{platform:?}.{table}"),
                None => table.to_owned(),
            };
            // `^1.0.100` and `1.2` share `1`; `^0.4.42` is `0.4`: the part that semver keeps.
            let numbers: Vec<&str> =
                requirement.trim_start_matches(['^', '~', '=', ' ']).split(['.', ',', ' ']).take(3).collect();
            let compatible = match numbers.as_slice() {
                ["0", "0", patch, ..] => format!("0-0-{patch}"),
                ["0", minor, ..] => format!("0-{minor}"),
                [major, ..] => (*major).to_owned(),
                [] => String::new(),
            };
            let alias = format!("{name}-{compatible}");
            let wanted = sections.entry(section).or_default().entry(alias).or_insert_with(|| Wanted {
                name: name.to_owned(),
                requirement: requirement.to_owned(),
                default_features: false,
                features: BTreeSet::new(),
            });
            wanted.default_features |= dependency["uses_default_features"].as_bool().unwrap_or(true);
            wanted.features.extend(
                dependency["features"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(serde_json::Value::as_str)
                    .map(str::to_owned),
            );
        }
    }
    let mut manifest = String::from(
        "# Written by the xtask's verification (xtask/src/verify.rs): dependencies only.\n\
         [package]\nname = \"xtask-verify-features\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [lib]\npath = \"lib.rs\"\ndoctest = false\ntest = false\n",
    );
    for (section, entries) in sections {
        manifest.push_str(&format!("\n[{section}]\n"));
        for (alias, Wanted { name, requirement, default_features, features }) in entries {
            let features: Vec<String> = features.iter().map(|feature| format!("{feature:?}")).collect();
            manifest.push_str(&format!(
                "{alias:?} = {{ package = {name:?}, version = {requirement:?}, default-features = {default_features}, \
                 features = [{}] }}\n",
                features.join(", ")
            ));
        }
    }
    Some(manifest)
}

/// Adds every file under `from` (but `target/` directories) to `files`, under `to`.
fn collect_tree(from: &Path, to: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) -> anyhow::Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", from.display()))?;
        let file_type = entry.file_type().with_context(|| format!("cannot read {}", entry.path().display()))?;
        let destination = to.join(entry.file_name());
        if file_type.is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            collect_tree(&entry.path(), &destination, files)?;
        } else if file_type.is_file() {
            let contents = fs::read(entry.path()).with_context(|| format!("cannot read {}", entry.path().display()))?;
            files.insert(destination, contents);
        }
    }
    Ok(())
}

/// Makes the tree at `root` hold exactly `files`: a file whose contents are already right is left
/// alone (so an unchanged copy is not rebuilt), others are written, and files that are not in
/// `files` are removed.
fn sync_tree(root: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> anyhow::Result<()> {
    remove_extra(root, Path::new(""), files)?;
    for (relative, contents) in files {
        let path = root.join(relative);
        if fs::read(&path).is_ok_and(|existing| existing == *contents) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn remove_extra(root: &Path, relative: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> anyhow::Result<()> {
    let dir = root.join(relative);
    let Ok(entries) = fs::read_dir(&dir) else { return Ok(()) };
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = relative.join(entry.file_name());
        let file_type = entry.file_type().with_context(|| format!("cannot read {}", entry.path().display()))?;
        if file_type.is_dir() {
            remove_extra(root, &path, files)?;
            // Left empty: nothing the copy needs is in it.
            let _ = fs::remove_dir(entry.path());
        } else if !files.contains_key(&path) {
            fs::remove_file(entry.path()).with_context(|| format!("cannot remove {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Removes the per-SDK copies (`workspace-<hash>/`) that earlier versions of the xtask left.
fn remove_earlier_layouts(verify_root: &Path) {
    let Ok(entries) = fs::read_dir(verify_root) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with("workspace-") && entry.path().is_dir() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
