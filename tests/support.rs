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

/// The SDK crate's name as code writes it, taken from one of its types' paths.
pub fn sdk_crate_name() -> &'static str {
    let path = std::any::type_name::<conductorone_personal_client::Client>();
    path.split("::").next().unwrap_or(path)
}

/// Reads a file of the SDK crate as text, LF line endings.
pub fn read_sdk_file(relative: &str) -> Option<String> {
    std::fs::read_to_string(workspace_root().join("sdk").join(relative)).ok().map(|text| text.replace("\r\n", "\n"))
}

/// The SDK's generated files as the generator makes them from the checked-in spec, in memory:
/// generated once per test run, for the tests that check what the generator writes.
pub fn generated_sdk_files() -> &'static [codegen::emit::files::GeneratedFile] {
    static FILES: OnceLock<Vec<codegen::emit::files::GeneratedFile>> = OnceLock::new();
    FILES.get_or_init(|| {
        codegen::generate(SPEC_FILE, &spec_bytes(), sdk_crate_name()).expect("the checked-in spec generates")
    })
}

/// One of [`generated_sdk_files`], by its path in the SDK crate.
pub fn generated_sdk_file(relative: &str) -> Option<&'static str> {
    generated_sdk_files().iter().find(|file| file.path == relative).map(|file| file.contents.as_str())
}

/// The xtask binary, built once per test run (it is not a dependency, so cargo does not build it for us).
pub fn xtask_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary(&["--bin", "xtask"], "xtask"))
}

/// The CLI's binary (`c1pc`), built once per test run.
pub fn cli_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary(&["--bin", "c1pc"], "c1pc"))
}

/// The walkthrough example's binary, built once per test run.
pub fn walkthrough_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_binary(&["--example", "walkthrough"], "examples/walkthrough"))
}

/// A `cargo` command that sees the environment a user's shell would, not the one cargo sets for
/// this test binary (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, ...): build scripts that track those
/// variables (ring's does) would otherwise rebuild after every switch between `cargo test` and
/// `cargo run`.
pub fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_for_tests = [
            "CARGO_MANIFEST_",
            "CARGO_PKG_",
            "CARGO_CRATE_",
            "CARGO_BIN_",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix));
        if set_for_tests {
            command.env_remove(name.as_ref());
        }
    }
    // Tests reach nothing beyond loopback: a nested cargo that would fetch fails instead.
    command.env("CARGO_NET_OFFLINE", "true");
    command
}

/// Runs `cargo build` with `arguments` and returns the binary at `relative` in the profile directory.
///
/// The build selects the whole workspace (`--workspace`) and only then the one target: cargo
/// resolves the dependencies' features over the packages a command selects, so `--package X`
/// alone would build tokio, hyper, reqwest and all above them again with X's smaller feature
/// set. Selected this way, a binary reuses every dependency `cargo test --workspace` built.
fn build_binary(arguments: &[&str], relative: &str) -> PathBuf {
    let status = cargo()
        .args(["build", "--quiet", "--workspace"])
        .args(arguments)
        .current_dir(workspace_root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build {arguments:?} failed");
    let binary = profile_dir().join(format!("{relative}{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "the binary is not at {}", binary.display());
    binary
}

/// `<target>/<profile>`, where cargo puts the binaries it builds: under `CARGO_TARGET_DIR` when
/// that is set (the test binary itself may then sit in a separate build directory), else beside
/// the test binary, which lives in `<target>/<profile>/deps`.
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let beside = exe.parent().and_then(Path::parent).expect("the test binary sits in <profile>/deps").to_path_buf();
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(target) => PathBuf::from(target).join(beside.file_name().expect("a profile directory")),
        None => beside,
    }
}

/// The target directory cargo builds into for this run.
pub fn target_dir() -> PathBuf {
    profile_dir().parent().expect("the profile directory sits in the target directory").to_path_buf()
}

/// A copy of the SDK crate's files in a temporary directory, for runs that must not touch `sdk/`.
pub fn copy_of_sdk() -> tempfile::TempDir {
    let target = tempfile::tempdir().expect("a temporary directory");
    copy_tree(&workspace_root().join("sdk"), target.path());
    target
}

/// Temporary files the xtask stages (`.<name>.<pid>.tmp`) anywhere under `dir`.
pub fn leftover_temporary_files(dir: &Path) -> Vec<String> {
    tree_contents(dir)
        .into_keys()
        .filter(|path| {
            let name = path.rsplit('/').next().unwrap_or_default();
            name.starts_with('.') && name.ends_with(".tmp")
        })
        .collect()
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
    tree_contents_excluding(dir, &[])
}

/// [`tree_contents`] without the top-level directories named in `excluded`.
pub fn tree_contents_excluding(dir: &Path, excluded: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut contents = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if current == dir && path.file_name().is_some_and(|name| excluded.iter().any(|excluded| name == *excluded))
            {
                continue;
            }
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

/// A copy of the parts of the workspace the xtask reads and writes (`spec/`, `sdk/`, and the
/// manifests by which it finds the root), for runs that must not touch the checkout.
pub fn copy_of_workspace() -> tempfile::TempDir {
    let target = tempfile::tempdir().expect("a temporary directory");
    let root = workspace_root();
    copy_tree(&root.join("spec"), &target.path().join("spec"));
    copy_tree(&root.join("sdk"), &target.path().join("sdk"));
    std::fs::create_dir_all(target.path().join("xtask")).expect("create xtask/");
    std::fs::copy(root.join("Cargo.toml"), target.path().join("Cargo.toml")).expect("copy Cargo.toml");
    // The lock file too: without it, the generator's compile check in the copy would resolve the
    // newest versions (from the network) and build a second dependency tree.
    std::fs::copy(root.join("Cargo.lock"), target.path().join("Cargo.lock")).expect("copy Cargo.lock");
    std::fs::copy(root.join("xtask/Cargo.toml"), target.path().join("xtask/Cargo.toml"))
        .expect("copy xtask/Cargo.toml");
    target
}

/// The real xtask binary as a command. Its compile checks build in the workspace's target
/// directory, as a user's do, so they reuse the dependencies the test run compiled.
pub fn xtask_command() -> Command {
    let mut command = Command::new(xtask_binary());
    command.env("CARGO_TARGET_DIR", target_dir());
    // Tests reach nothing beyond loopback: a nested cargo that would fetch fails instead.
    command.env("CARGO_NET_OFFLINE", "true");
    command
}

/// A crate at `dir` that stands in for the SDK for specs other than the Personal Client one: a
/// golden crate's manifest and `lib.rs` (the SDK's hand-written runtime, by absolute path, so
/// that the crate builds wherever it is), and no generated files yet.
pub fn stand_in_crate(dir: &Path) {
    let golden = workspace_root().join("tests/golden");
    let first = std::fs::read_dir(&golden)
        .expect("tests/golden")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .min()
        .expect("a golden crate");
    std::fs::create_dir_all(dir.join("src")).expect("create src");
    // The SDK's own name (the runtime's doctests use it), and its doctests run.
    let manifest = std::fs::read_to_string(first.join("Cargo.toml")).expect("a golden manifest");
    let manifest: String = manifest
        .lines()
        .filter(|line| !line.starts_with("doctest") && !line.starts_with("test ="))
        .map(|line| {
            if line.starts_with("name = \"golden-") && !line.contains("-examples") {
                "name = \"conductorone-personal-client\""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write the manifest");
    let library = std::fs::read_to_string(first.join("src/lib.rs")).expect("a golden lib.rs");
    // The xtask writes an SDK's files, not a whole crate's: the golden crate's `whole` module goes.
    let library = match (library.find("/// What `cargo xtask generate --whole`"), library.find("pub mod whole;\n")) {
        (Some(start), Some(end)) => format!("{}{}", &library[..start], &library[end + "pub mod whole;\n".len()..]),
        _ => library,
    };
    let runtime = workspace_root().join("sdk/src").to_string_lossy().replace('\\', "/");
    std::fs::write(dir.join("src/lib.rs"), library.replace("../../../../sdk/src", &runtime)).expect("write lib.rs");
}

/// Runs the real xtask binary with `arguments` in `dir`, as a user would from a checkout there
/// (without cargo's `CARGO_MANIFEST_DIR`, so it finds its root from the current directory).
pub fn run_xtask_in(dir: &Path, arguments: &[&std::ffi::OsStr]) -> Run {
    let output = xtask_command()
        .args(arguments)
        .current_dir(dir)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .expect("the xtask runs");
    Run {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// What a run of the xtask printed and how it ended.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cargo xtask generate` (the real binary) with `arguments`, from the workspace root.
pub fn run_xtask(arguments: &[&std::ffi::OsStr]) -> Run {
    let mut all: Vec<&std::ffi::OsStr> = vec!["generate".as_ref()];
    all.extend_from_slice(arguments);
    run_xtask_in(&workspace_root(), &all)
}

/// Helpers for the end-to-end tests: a loopback server, a client pointed at it, a test key.
pub mod e2e {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use conductorone_personal_client::{Client, ClientBuilder, RetryPolicy, Sleeper};
    use wiremock::MockServer;

    /// The access token the static-token tests use.
    pub const ACCESS_TOKEN: &str = "test-access-token-3f9a";

    /// The client id the credential tests use; its tenant host is never contacted.
    pub const CLIENT_ID: &str = "quiet-otter-42@acme.conductor.one/pcc";

    /// The Ed25519 key of RFC 8037, appendix A, as a JWK.
    pub const PRIVATE_KEY_D: &str = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
    /// Its public half.
    pub const PUBLIC_KEY_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

    /// A well-formed client secret holding the test key.
    pub fn client_secret() -> String {
        let jwk = serde_json::json!({ "kty": "OKP", "crv": "Ed25519", "d": PRIVATE_KEY_D, "x": PUBLIC_KEY_X });
        format!("secret-token:conductorone.com:v1:{}", URL_SAFE_NO_PAD.encode(jwk.to_string()))
    }

    /// A builder aimed at `server`, with a static token and no retries.
    pub fn builder(server: &MockServer) -> ClientBuilder {
        Client::builder().base_url(server.uri()).access_token(ACCESS_TOKEN).retry_policy(RetryPolicy::disabled())
    }

    /// A client aimed at `server`, with a static token and no retries.
    pub fn client(server: &MockServer) -> Client {
        builder(server).build().expect("the client builds")
    }

    /// A sleeper that records the waits it is asked for and returns at once.
    #[derive(Debug, Default)]
    pub struct RecordingSleeper {
        pub waits: Mutex<Vec<Duration>>,
    }

    impl Sleeper for RecordingSleeper {
        fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            self.waits.lock().expect("not poisoned").push(duration);
            Box::pin(std::future::ready(()))
        }
    }

    /// A clock that moves only when something sleeps on it: sleeping advances it at once.
    #[derive(Debug)]
    pub struct ManualClock {
        start: std::time::Instant,
        elapsed: Mutex<Duration>,
        pub waits: Mutex<Vec<Duration>>,
    }

    impl Default for ManualClock {
        fn default() -> Self {
            Self { start: std::time::Instant::now(), elapsed: Mutex::default(), waits: Mutex::default() }
        }
    }

    impl ManualClock {
        /// Moves the clock forward without a sleep.
        pub fn advance(&self, by: Duration) {
            *self.elapsed.lock().expect("not poisoned") += by;
        }

        /// How far the clock has moved.
        pub fn elapsed(&self) -> Duration {
            *self.elapsed.lock().expect("not poisoned")
        }
    }

    impl Sleeper for ManualClock {
        fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            self.waits.lock().expect("not poisoned").push(duration);
            self.advance(duration);
            Box::pin(std::future::ready(()))
        }

        fn now(&self) -> std::time::Instant {
            self.start + self.elapsed()
        }
    }

    /// A retry policy on a manual clock.
    pub fn manual_clock_policy() -> (RetryPolicy, Arc<ManualClock>) {
        let clock = Arc::new(ManualClock::default());
        (RetryPolicy::default().sleeper(clock.clone()), clock)
    }

    /// A retry policy that records its waits instead of sleeping.
    pub fn recording_policy() -> (RetryPolicy, Arc<RecordingSleeper>) {
        let sleeper = Arc::new(RecordingSleeper::default());
        (RetryPolicy::default().sleeper(sleeper.clone()), sleeper)
    }

    /// A personal client as the server sends it.
    pub fn personal_client_json(id: &str) -> serde_json::Value {
        serde_json::json!({
            "id": id,
            "clientId": format!("{id}@acme.conductor.one/pcc"),
            "displayName": format!("client {id}"),
            "userId": "user-1",
            "allowSourceCidr": ["10.0.0.0/8"],
            "scopedRoles": null,
            "createdAt": "2024-05-01T12:30:45.123456789Z",
            "updatedAt": "2024-05-02T08:00:00+02:00",
        })
    }
}
