//! `cargo xtask generate --whole DIR`: every operation of the published document (or of
//! `--spec`), generated into a crate of its own at a directory of the user's choice, with the
//! manifest its code needs. Exit 0 means the crate builds: it is checked (`cargo check`) in a
//! staging copy before anything is written to `DIR`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use codegen::emit::standalone::{MANIFEST_HEADER, manifest, package_name};

use crate::workspace::{UPSTREAM_FILE, shown_path};

/// How many lines of the compiler's errors a failed check shows.
const SHOWN_ERROR_LINES: usize = 40;

/// Writes `DIR/Cargo.toml`, `DIR/Cargo.lock`, `DIR/src/lib.rs` and `DIR/src/types.rs` for the
/// whole of `spec` (default: the vendored document), once they are known to build.
pub fn whole(root: &Path, spec: Option<PathBuf>, out: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let spec = spec.unwrap_or_else(|| root.join(UPSTREAM_FILE));
    let spec_shown = shown_path(root, &spec);
    let bytes = crate::workspace::read_file(&spec, &spec_shown)?;
    let manifest_path = out.join("Cargo.toml");
    if let Ok(existing) = fs::read_to_string(&manifest_path)
        && !existing.starts_with(MANIFEST_HEADER)
    {
        bail!("{} holds another crate; pass --whole a new or empty directory", shown_path(root, out));
    }
    let source = codegen::generate_standalone(&spec_shown, &bytes)?;
    let generated = started.elapsed();
    let package = package_name(&out.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default());
    let files = [
        ("Cargo.toml", manifest(&package, &source.crates)),
        ("src/lib.rs", source.lib_rs),
        ("src/types.rs", source.types_rs),
    ];
    let lock = check_builds(root, &files).context("the generated crate does not build, so nothing was written")?;
    let checked = started.elapsed();
    fs::create_dir_all(out.join("src")).with_context(|| format!("cannot create {}", shown_path(root, out)))?;
    for (relative, contents) in
        files.iter().map(|(path, text)| (*path, text.as_str())).chain([("Cargo.lock", lock.as_str())])
    {
        let path = out.join(relative);
        crate::write::replace_file(&path, contents)
            .with_context(|| format!("cannot write {}", shown_path(root, &path)))?;
    }
    println!(
        "generated {} lines into {} in {generated:.2?}, checked that they build in {:.2?}; build it with `cargo build --manifest-path {}`",
        files[1].1.lines().count() + files[2].1.lines().count(),
        shown_path(root, out),
        checked - generated,
        shown_path(root, &manifest_path),
    );
    Ok(())
}

/// Checks that the crate of `files` builds (`cargo check`), in a staging copy under the target
/// directory that keeps its builds between runs; returns its lock file. The workspace's lock
/// file is its start, so that the versions the workspace uses (and has downloaded) are taken,
/// offline; a crate the workspace does not use is then fetched.
fn check_builds(root: &Path, files: &[(&str, String)]) -> anyhow::Result<String> {
    let staging = crate::verify::target_dir(root).join("xtask-whole");
    let crate_dir = staging.join("crate");
    fs::create_dir_all(crate_dir.join("src")).with_context(|| format!("cannot create {}", crate_dir.display()))?;
    // One staging copy for every run: two runs at once take turns, so that each checks its own files.
    let _lock = crate::write::take_lock(&staging.join("check.lock"))?;
    for (relative, contents) in files {
        let path = crate_dir.join(relative);
        if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            fs::write(&path, contents).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let lock = crate_dir.join("Cargo.lock");
    if let Ok(workspace_lock) = fs::read(root.join("Cargo.lock")) {
        fs::write(&lock, workspace_lock).with_context(|| format!("cannot write {}", lock.display()))?;
    }
    let check = |offline: bool| -> anyhow::Result<std::process::Output> {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .args(["check", "--quiet", "--message-format", "short", "--manifest-path"])
            .arg(crate_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", staging.join("target"))
            .env_remove("RUSTC_WRAPPER");
        if offline {
            command.arg("--offline");
        }
        command.output().context("cannot run cargo to check the generated crate")
    };
    let mut output = check(true)?;
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("offline") {
        output = check(false)?;
    }
    if !output.status.success() {
        let errors = String::from_utf8_lossy(&output.stderr);
        let shown: Vec<&str> = errors.lines().take(SHOWN_ERROR_LINES).collect();
        bail!(
            "{}\n  help: this is a defect of the generator; the crate that failed is in {}",
            codegen::diagnostic::terminal_safe(&shown.join("\n")),
            crate_dir.display()
        );
    }
    fs::read_to_string(&lock).with_context(|| format!("cannot read {}", lock.display()))
}
