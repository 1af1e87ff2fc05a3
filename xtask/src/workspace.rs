//! The workspace as the xtask finds it: where the spec, the overlay and the SDK are, how inputs
//! are read, and what the SDK's manifest says.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The published document, vendored byte for byte.
pub const UPSTREAM_FILE: &str = "spec/upstream/openapi.yaml";

/// The project's deviations from it.
pub const OVERLAY_FILE: &str = "spec/overlay.yaml";

/// The spec derived from those two, which the SDK is generated from.
pub const DERIVED_SPEC_FILE: &str = "spec/personal-client.yaml";

/// The SDK crate.
pub const SDK_DIR: &str = "sdk";

/// The workspace root of the checkout the command runs in, found at run time: cargo sets
/// `CARGO_MANIFEST_DIR` to the xtask's directory for `cargo run`; otherwise the nearest
/// directory above the current one that holds `xtask/Cargo.toml`. (A root baked in at compile
/// time would be another clone's when several share one target directory.)
pub fn workspace_root() -> anyhow::Result<PathBuf> {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        let manifest_dir = PathBuf::from(manifest_dir);
        if manifest_dir.join("Cargo.toml").is_file()
            && let Some(root) = manifest_dir.parent()
            && root.join(SDK_DIR).is_dir()
        {
            return Ok(root.to_path_buf());
        }
    }
    let current = std::env::current_dir().context("cannot read the current directory")?;
    current
        .ancestors()
        .find(|dir| dir.join("xtask/Cargo.toml").is_file() && dir.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .with_context(|| {
            format!("{} is not inside the workspace; run the command from the workspace's checkout", current.display())
        })
}

/// The largest input file the xtask reads; the published document is about 3 MB.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an input file: a regular file (not a directory, a pipe or a device, which could block
/// or never end) of at most [`MAX_INPUT_BYTES`]. `shown` names it in messages.
pub fn read_file(path: &Path, shown: &str) -> anyhow::Result<Vec<u8>> {
    let metadata = fs::metadata(path).with_context(|| format!("cannot read {shown}; pass an existing file"))?;
    if !metadata.is_file() {
        bail!("{shown} is not a regular file; pass the path of an OpenAPI document");
    }
    if metadata.len() > MAX_INPUT_BYTES {
        bail!(
            "{shown} is {} MB, more than an API document can be ({} MB); pass the spec's file",
            metadata.len() / 1_000_000,
            MAX_INPUT_BYTES / 1024 / 1024
        );
    }
    let mut bytes = Vec::new();
    use std::io::Read as _;
    fs::File::open(path)
        .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {shown}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        bail!("{shown} grew past {} MB while it was read; pass the spec's file", MAX_INPUT_BYTES / 1024 / 1024);
    }
    Ok(bytes)
}

/// Reads a file of the workspace, naming it (relative to the root) when it cannot be read.
pub fn read_input(root: &Path, relative: &str, help: &str) -> anyhow::Result<Vec<u8>> {
    let path = root.join(relative);
    if !path.exists() {
        bail!("cannot read {relative}: it does not exist; {help}");
    }
    read_file(&path, relative)
}

/// The SDK crate's name as Rust code writes it (`conductorone_personal_client`), read from the
/// `name` of its manifest's `[package]` table.
pub fn sdk_crate_name(sdk: &Path) -> anyhow::Result<String> {
    Ok(package_value(sdk, "name")?.replace('-', "_"))
}

/// The SDK crate's version, from its manifest's `[package]` table.
pub fn sdk_version(sdk: &Path) -> anyhow::Result<String> {
    package_value(sdk, "version")
}

/// A plain value (letters, digits, `-`, `_`, `.`, `+`) of the SDK manifest's `[package]` table.
fn package_value(sdk: &Path, key: &str) -> anyhow::Result<String> {
    let manifest_path = sdk.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read {}; pass the SDK directory to --sdk", manifest_path.display()))?;
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if in_package
            && let Some(value) = line.strip_prefix(key).map(str::trim_start).and_then(|rest| rest.strip_prefix('='))
        {
            let value = value.trim().trim_matches('"');
            if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c)) {
                return Ok(value.to_owned());
            }
        }
    }
    bail!("{} has no plain `{key}` in its [package] table; the SDK crate needs one", manifest_path.display())
}

/// A path as the user would type it: relative to the workspace root where possible.
pub fn shown_path(root: &Path, path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|dir| dir.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let relative = absolute.strip_prefix(root).map(Path::to_path_buf).unwrap_or(absolute);
    relative.to_string_lossy().replace('\\', "/")
}
