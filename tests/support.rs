//! Helpers shared by the test modules: where things are, and how to run the real xtask.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The spec's path as the generator names it in headers and messages.
pub const SPEC_FILE: &str = "spec/personal-client.yaml";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate sits in the workspace").to_path_buf()
}

/// The checked-in spec's bytes.
pub fn spec_bytes() -> Vec<u8> {
    std::fs::read(workspace_root().join(SPEC_FILE)).expect("the spec is checked in")
}

/// Reads a file of the SDK crate as text, LF line endings.
pub fn read_sdk_file(relative: &str) -> Option<String> {
    std::fs::read_to_string(workspace_root().join("sdk").join(relative)).ok().map(|text| text.replace("\r\n", "\n"))
}

/// The xtask binary, built once per test run (it is not a dependency, so cargo does not build it for us).
pub fn xtask_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--package", "xtask"])
            .current_dir(workspace_root())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the xtask failed");
        // The test binary lives in <target>/<profile>/deps; the xtask in <target>/<profile>.
        let exe = std::env::current_exe().expect("the test binary knows its path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("the test binary sits in <target>/<profile>/deps");
        let binary = profile_dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
        assert!(binary.is_file(), "the xtask binary is not at {}", binary.display());
        binary
    })
}

/// A copy of the SDK crate's files in a temporary directory, for runs that must not touch `sdk/`.
pub fn copy_of_sdk() -> tempfile::TempDir {
    let target = tempfile::tempdir().expect("a temporary directory");
    copy_tree(&workspace_root().join("sdk"), target.path());
    target
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a directory");
    for entry in std::fs::read_dir(from).expect("list a directory") {
        let entry = entry.expect("a directory entry");
        let path = entry.path();
        let destination = to.join(entry.file_name());
        if path.is_dir() {
            copy_tree(&path, &destination);
        } else {
            std::fs::copy(&path, &destination).expect("copy a file");
        }
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn tree_contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut contents = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("list a directory") {
            let path = entry.expect("a directory entry").path();
            let relative = path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            let metadata = std::fs::symlink_metadata(&path).expect("metadata");
            if metadata.is_symlink() {
                let target = std::fs::read_link(&path).expect("a symlink target");
                contents.insert(relative, format!("symlink to {}", target.display()).into_bytes());
            } else if metadata.is_dir() {
                pending.push(path);
            } else {
                contents.insert(relative, std::fs::read(&path).expect("read a file"));
            }
        }
    }
    contents
}

/// What a run of the xtask printed and how it ended.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cargo xtask generate` (the real binary) with `arguments`, from the workspace root.
pub fn run_xtask(arguments: &[&std::ffi::OsStr]) -> Run {
    let output = Command::new(xtask_binary())
        .arg("generate")
        .args(arguments)
        .current_dir(workspace_root())
        .output()
        .expect("the xtask runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
