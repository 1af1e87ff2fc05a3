//! Public OpenAPI documents written by others (`tests/corpus/documents`, each under its own
//! licence: `tests/corpus/LICENSES.md`), through `generate --whole` as a new user would run it:
//! each either becomes a crate that builds and that clippy finds no error in, or is refused at its
//! nodes for a defect of the document itself.

use std::path::Path;

use crate::support::workspace_root;

/// What a document is expected to give.
enum Expected {
    /// A crate that builds, with no clippy error.
    Builds,
    /// A refusal whose message holds every one of these texts (the node and the defect).
    Refused(&'static [&'static str]),
}

/// Every document in the folder, with what it gives. A document added to the folder must be added
/// here too.
const DOCUMENTS: &[(&str, Expected)] = &[
    ("01-lakekeeper-generic-table.yaml", Expected::Builds),
    ("02-unitycatalog-control.yaml", Expected::Builds),
    // Kong publishes path items and operations that are empty YAML lists (`/targets: []`,
    // `get: []`): an OpenAPI path item and operation are objects.
    (
        "03-kong-admin.yaml",
        Expected::Refused(&["03-kong-admin.yaml:", "the spec has 16 problems", "is a list", "/targets"]),
    ),
    ("04-nessie-components.yaml", Expected::Builds),
    ("05-ory-keto.json", Expected::Builds),
    ("06-unitycatalog-delta.yaml", Expected::Builds),
    ("07-polaris-management.yaml", Expected::Builds),
    ("08-ory-polis.json", Expected::Builds),
    ("09-supabase-auth.yaml", Expected::Builds),
    ("10-ory-hydra.json", Expected::Builds),
    ("11-clerk-webhooks.yaml", Expected::Builds),
    // Line 158 closes a flow mapping (`}`) at its key's indentation, which YAML 1.2 forbids.
    (
        "12-iceberg-rest-catalog.yaml",
        Expected::Refused(&["12-iceberg-rest-catalog.yaml:158:15", "invalid indentation"]),
    ),
    ("13-resend.yaml", Expected::Builds),
];

#[test]
#[ignore = "generates and builds 13 crates (several minutes); the README's full test command and CI run it"]
fn public_documents_generate_crates_that_build_or_are_refused_at_their_nodes() {
    let folder = workspace_root().join("tests/corpus/documents");
    let mut present: Vec<String> = std::fs::read_dir(&folder)
        .expect("the corpus folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    let listed: Vec<&str> = DOCUMENTS.iter().map(|(name, _)| *name).collect();
    assert_eq!(present, listed, "every document in {} has an expectation here", folder.display());

    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut failures = Vec::new();
    for (name, expected) in DOCUMENTS {
        let out = dir.path().join(name.split('.').next().expect("a stem"));
        let spec = folder.join(name);
        let run =
            crate::support::run_xtask(&["--whole".as_ref(), out.as_os_str(), "--spec".as_ref(), spec.as_os_str()]);
        let said = format!("{}{}", run.stdout, run.stderr);
        match expected {
            Expected::Builds if !run.success => failures.push(format!("{name} was refused:\n{said}")),
            Expected::Builds => {
                if let Err(clippy) = clippy(&out) {
                    failures.push(format!("{name}: clippy found errors:\n{clippy}"));
                }
            }
            Expected::Refused(_) if run.success => failures.push(format!("{name} was generated; it should be refused")),
            Expected::Refused(texts) => {
                assert!(!out.exists(), "{name}: a refused document left {}", out.display());
                if let Some(missing) = texts.iter().find(|text| !said.contains(**text)) {
                    failures.push(format!("{name}: the refusal does not say {missing:?}:\n{said}"));
                }
                if said.contains("panicked") || said.contains("internal error") {
                    failures.push(format!("{name}: the refusal is not the document's:\n{said}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `cargo clippy` on the crate in `dir`, beside the builds `generate --whole` keeps (the same
/// lock file, so its dependencies are not built again); `Err` holds clippy's errors.
fn clippy(dir: &Path) -> Result<(), String> {
    let output = std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["clippy", "--quiet", "--offline", "--message-format", "short", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", crate::support::target_dir().join("xtask-whole/target"))
        .env_remove("RUSTC_WRAPPER")
        .output()
        .expect("cargo runs");
    if output.status.success() {
        Ok(())
    } else {
        let errors = String::from_utf8_lossy(&output.stderr);
        Err(errors.lines().filter(|line| line.contains("error")).take(20).collect::<Vec<_>>().join("\n"))
    }
}
