//! Exit 0 means the SDK compiles: before anything is written, the new files are put into a copy
//! of the SDK crate, which is built and whose doctests are run (`cargo test --doc`). A failure
//! stops the run with the compiler's first errors, and nothing is written.
//!
//! The copy lives in `target/xtask-verify/workspace-<hash of the SDK's path>/` (or under
//! `$XTASK_VERIFY_TARGET`), laid out as the workspace is (a crate of the workspace keeps its
//! place, beside a copy of `sdk/`, whose runtime golden crates take by path), as a workspace of
//! that one member with the workspace's dependencies and lock file. It builds in the workspace's
//! own target directory, so that the dependencies the workspace already compiled are reused;
//! only the copy itself is compiled.

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
    let lock_path = verify_root.join("check.lock");
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    lock.lock().with_context(|| format!("cannot take the lock {}", lock_path.display()))?;
    // One copy per SDK directory, so that generators on different SDKs never share one; the
    // target directory is shared (cargo runs its builds one at a time there).
    let canonical = fs::canonicalize(sdk).unwrap_or_else(|_| sdk.to_path_buf());
    let hash = codegen::derive::sha256_hex(canonical.to_string_lossy().as_bytes());
    let copy_root = verify_root.join(format!("workspace-{}", &hash[..16]));
    if copy_root.exists() {
        fs::remove_dir_all(&copy_root).with_context(|| format!("cannot clear {}", copy_root.display()))?;
    }
    let relative = canonical
        .strip_prefix(fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()))
        .ok()
        .filter(|relative| !relative.as_os_str().is_empty())
        .map(Path::to_path_buf);
    // Cargo names a workspace member's artifacts after its path relative to the workspace root,
    // so the copy must not sit where the crate sits in the workspace (it would share, and
    // overwrite or wrongly reuse, the workspace's artifacts in the shared target directory):
    // its first directory is renamed `verify-<name>`, at the same depth, so that paths relative
    // to it (the golden crates' `../../../../sdk/src`) still lead to the copy of `sdk/`.
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
    let copy = copy_root.join(&member);
    if relative.as_deref() != Some(Path::new(crate::generate::SDK_DIR)) && root.join(crate::generate::SDK_DIR).is_dir()
    {
        copy_tree(&root.join(crate::generate::SDK_DIR), &copy_root.join(crate::generate::SDK_DIR))?;
    }
    copy_tree(sdk, &copy)?;
    for (path, contents) in changes {
        let Ok(relative) = path.strip_prefix(sdk) else { continue };
        let target = copy.join(relative);
        match contents {
            Some(contents) => {
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
                }
                fs::write(&target, contents).with_context(|| format!("cannot write {}", target.display()))?;
            }
            None => {
                let _ = fs::remove_file(&target);
            }
        }
    }
    let manifest = fs::read_to_string(copy.join("Cargo.toml")).context("the SDK has no Cargo.toml")?;
    let crate_dir = if manifest.lines().any(|line| line.trim() == "[workspace]") {
        // A crate of its own: built where it is.
        copy.clone()
    } else {
        // A member of this workspace: a workspace of one member, with the same dependencies and lock.
        let workspace =
            fs::read_to_string(root.join("Cargo.toml")).context("cannot read the workspace's Cargo.toml")?;
        let member = copy.strip_prefix(&copy_root).unwrap_or(&copy).to_string_lossy().replace('\\', "/");
        let single: String = workspace
            .lines()
            .map(|line| match line.trim_start() {
                members if members.starts_with("members") => format!("members = [{member:?}]"),
                exclude if exclude.starts_with("exclude") => String::new(),
                _ => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(copy_root.join("Cargo.toml"), single).context("cannot write the verification workspace")?;
        copy_root.clone()
    };
    if let Ok(lock) = fs::read(root.join("Cargo.lock")) {
        fs::write(crate_dir.join("Cargo.lock"), lock).context("cannot write the verification lock file")?;
    }

    eprintln!("checking that the new SDK compiles and its doctests pass (cargo test --doc)...");
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(["test", "--doc", "--all-features", "--quiet"]).current_dir(&crate_dir).env(
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

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot list {}", from.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", from.display()))?;
        let file_type = entry.file_type().with_context(|| format!("cannot read {}", entry.path().display()))?;
        let destination = to.join(entry.file_name());
        if file_type.is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            copy_tree(&entry.path(), &destination)?;
        } else if file_type.is_file() {
            fs::copy(entry.path(), &destination).with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}
