//! The SDK as users meet it: the walkthrough example runs, and a crate outside the workspace
//! that depends on the SDK by path, as a user's would, type-checks with the SDK's own features.

use std::process::Command;

use crate::support::{walkthrough_binary, workspace_root};

#[test]
fn the_walkthrough_runs_against_its_local_fake_without_credentials() {
    let mut command = Command::new(walkthrough_binary());
    for name in [
        "CONDUCTORONE_ACCESS_TOKEN",
        "CONDUCTORONE_CLIENT_ID",
        "CONDUCTORONE_CLIENT_SECRET",
        "CONDUCTORONE_OIDC_TOKEN",
        "CONDUCTORONE_SERVER_URL",
        "CONDUCTORONE_TENANT_DOMAIN",
    ] {
        command.env_remove(name);
    }
    let output = command.output().expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the walkthrough failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let expected_steps = [
        "talking to a local mock at http://127.0.0.1:",
        "created  \"pc-1\"",
        "[redacted]",
        "listed   1 personal client",
        "updated  \"pc-1\" to Some(\"sdk walkthrough (renamed)\")",
        "deleted  \"pc-1\"",
        "listed   0 personal client",
    ];
    for step in expected_steps {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("secret-token:"), "the secret was printed:\n{stdout}");
}

#[test]
fn a_crate_outside_the_workspace_depends_on_the_sdk_by_path_and_type_checks() {
    let consumer = tempfile::tempdir().expect("a temporary directory");
    let sdk_path = workspace_root().join("sdk");
    // The workspace's profiles, so that what is built with the same features (build scripts,
    // procedural macros) is shared with the workspace's build rather than built again.
    let workspace = std::fs::read_to_string(workspace_root().join("Cargo.toml")).expect("the workspace manifest");
    let mut in_profile = false;
    let profiles: String = workspace
        .lines()
        .filter(|line| {
            if line.starts_with('[') {
                in_profile = line.starts_with("[profile.");
            }
            in_profile
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let manifest = format!(
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nconductorone-personal-client = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n{profiles}",
        sdk_path.display().to_string()
    );
    std::fs::write(consumer.path().join("Cargo.toml"), manifest).expect("write the manifest");
    std::fs::create_dir(consumer.path().join("src")).expect("create src");
    std::fs::write(
        consumer.path().join("src/main.rs"),
        r#"use conductorone_personal_client::{Client, Error, PersonalClientUpdate, types};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::builder().tenant("acme").access_token("token").build()?;
    let request = types::PersonalClientSearchServiceSearchRequest::default().with_query("ci");
    if std::env::args().count() > 1 {
        let everyone: Vec<types::PersonalClient> = client.search_all(request).await?;
        let _ = client.update("id", &PersonalClientUpdate::new().display_name("x")).await?;
        println!("{}", everyone.len());
    }
    println!("{}", client.base_url());
    Ok(())
}
"#,
    )
    .expect("write main.rs");
    // A nested build on purpose: outside the workspace, cargo resolves the SDK's dependencies with
    // the features the SDK's own manifest asks for, not the workspace's union, so a feature the SDK
    // uses but does not declare fails here as it would for a user. `cargo check` is enough to find
    // that (and is cheaper than a build); the lock file pins the workspace's versions and the
    // target directory is shared, so nothing is fetched.
    std::fs::copy(workspace_root().join("Cargo.lock"), consumer.path().join("Cargo.lock")).expect("copy the lock file");
    let target_dir = crate::support::target_dir();

    let output = crate::support::cargo()
        .args(["check", "--quiet", "--offline"])
        .env("CARGO_TARGET_DIR", &target_dir)
        .current_dir(consumer.path())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "the consumer did not build:\n{}", String::from_utf8_lossy(&output.stderr));
}
