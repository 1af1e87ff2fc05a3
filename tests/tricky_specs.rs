//! Tricky but valid specs (`fixtures/valid/`): each has a golden crate in `tests/golden/<name>/`,
//! a member of the workspace, so that `cargo test --workspace` compiles it with everything else,
//! against the one dependency tree (no nested build). A golden crate is the SDK's hand-written
//! runtime (its files, by path) with what the generator makes of the spec, and an example
//! program that holds every operation's documented example, so that those compile too.
//!
//! This test checks that each golden crate is what the generator makes now: the generated files
//! through the real xtask (`generate --spec F --sdk tests/golden/<name> --check`), the crate's
//! other files (manifest, `lib.rs`, the examples) here. After a change to the generator or a
//! fixture, `GOLDEN=overwrite cargo test -p sdk-tests --test suite tricky_specs` rewrites them;
//! review the diff as a snapshot's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{run_xtask_in, workspace_root};

/// Where the golden crates live, relative to the workspace root.
const GOLDEN_DIR: &str = "tests/golden";

/// The hand-written modules of the SDK a golden crate takes by path, with their visibility.
const RUNTIME_MODULES: [(&str, &str); 9] = [
    ("auth", ""),
    ("client", ""),
    ("dynamic", "pub "),
    ("error", ""),
    ("mock", "pub "),
    ("paging", ""),
    ("retry", ""),
    ("runtime", ""),
    ("secret", ""),
];

/// The golden crate's directory name for a fixture: its file stem, lower-case, with anything but
/// letters and digits written as `-`.
fn golden_name(fixture: &Path) -> String {
    let stem = fixture.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    stem.chars()
        .map(|character| if character.is_ascii_alphanumeric() { character.to_ascii_lowercase() } else { '-' })
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let dir = workspace_root().join("tests/fixtures/valid");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the valid fixtures")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    fixtures.sort();
    fixtures
}

fn manifest(name: &str, fixture_shown: &str, whole: &codegen::progenitor::run::Crates) -> String {
    let dependencies = std::fs::read_to_string(workspace_root().join("sdk/Cargo.toml")).expect("the SDK's manifest");
    // The SDK's own dependencies, so that the golden crate builds with exactly its tree.
    let section: String = dependencies
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("the SDK's manifest has dependencies")
        .to_owned();
    // What the whole crate's code needs beyond the SDK's tree (`generate --whole` names it).
    let mut section = section.trim_end().to_owned();
    if whole.uuid {
        section.push_str("\nuuid = { version = \"1\", features = [\"serde\"] }");
    }
    if whole.regress {
        section.push_str("\nregress = \"0.12\"");
    }
    format!(
        "# Golden crate of {fixture_shown}, written by tests/tricky_specs.rs; do not edit by hand.\n\
         [package]\n\
         name = \"golden-{name}\"\n\
         version = \"0.0.0\"\n\
         publish = false\n\
         edition.workspace = true\n\
         rust-version.workspace = true\n\
         license.workspace = true\n\
         \n\
         [lib]\n\
         # The runtime's own doctests name the SDK's crate; the examples of this spec are in examples/.\n\
         doctest = false\n\
         test = false\n\
         \n\
         [[example]]\n\
         # Named after the crate: examples of workspace members share one output directory.\n\
         name = \"golden-{name}-examples\"\n\
         path = \"examples/operations.rs\"\n\
         \n\
         [dependencies]\n\
         {section}\n\
         \n\
         [features]\n\
         default = [\"mock\"]\n\
         mock = [\"dep:wiremock\"]\n"
    )
}

/// The SDK's own re-exports (`pub use ...;` of `sdk/src/lib.rs`), so that a golden crate offers
/// what the SDK does under the same names: in a module rustfmt leaves alone, with paths from
/// the crate's root (`crate::client::Client`, `::reqwest`), re-exported from there.
fn sdk_reexports() -> String {
    let library = std::fs::read_to_string(workspace_root().join("sdk/src/lib.rs")).expect("the SDK's lib.rs");
    let file = syn::parse_file(&library).expect("the SDK's lib.rs parses");
    let local: Vec<&str> =
        RUNTIME_MODULES.iter().map(|(module, _)| *module).chain(["generated", "operations"]).collect();
    let mut text = String::from("#[rustfmt::skip]\nmod exports {\n");
    for item in file.items {
        if let syn::Item::Use(mut item) = item
            && matches!(item.vis, syn::Visibility::Public(_))
        {
            item.attrs.clear();
            let mut one: syn::File = syn::parse_str("").expect("an empty file parses");
            one.items.push(syn::Item::Use(item));
            let line = prettyplease::unparse(&one).split_whitespace().collect::<Vec<_>>().join(" ");
            let line = line.replace("{ ", "{").replace(", }", "}");
            let path = line.trim().trim_start_matches("pub use ");
            let root = path.split("::").next().unwrap_or_default().trim_end_matches(';');
            let prefix = if local.contains(&root) { "crate::" } else { "::" };
            text.push_str(&format!("    pub use {prefix}{path}\n"));
        }
    }
    text.push_str("}\npub use exports::*;\n");
    text
}

fn library(fixture_shown: &str) -> String {
    let mut modules = String::new();
    for (module, visibility) in RUNTIME_MODULES {
        modules.push_str(&format!("#[path = \"../../../../sdk/src/{module}.rs\"]\n{visibility}mod {module};\n"));
    }
    format!(
        "//! Golden crate of {fixture_shown}: the SDK's hand-written runtime, by path, with the code the\n\
         //! generator makes of this spec. Written by tests/tricky_specs.rs; do not edit by hand.\n\
         #![allow(missing_docs, dead_code, unused_imports)]\n\
         \n\
         {modules}\
         \n\
         #[rustfmt::skip]\n\
         #[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]\n\
         pub mod generated;\n\
         #[rustfmt::skip]\n\
         #[allow(clippy::all, clippy::pedantic, rustdoc::all)]\n\
         mod operations;\n\
         #[rustfmt::skip]\n\
         #[allow(clippy::all, clippy::pedantic, rustdoc::all)]\n\
         mod mock_expectations;\n\
         \n\
         /// What `cargo xtask generate --whole` makes of the spec, compiled here too.\n\
         #[rustfmt::skip]\n\
         #[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]\n\
         #[path = \"whole/lib.rs\"]\n\
         pub mod whole;\n\
         \n\
         {}",
        sdk_reexports()
    )
}

/// Every operation's documented example, each in a module of its own, as one program.
fn examples(operations_page: &str, fixture_shown: &str) -> String {
    let mut text = format!(
        "//! Every operation's example from the docs of {fixture_shown}, compiled with the workspace.\n\
         //! Written by tests/tricky_specs.rs; do not edit by hand.\n\
         #![allow(dead_code, unused_imports, clippy::all)]\n\nfn main() {{}}\n"
    );
    let mut index = 0;
    let mut lines = operations_page.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```rust,no_run" {
            continue;
        }
        let code: Vec<&str> = lines.by_ref().take_while(|line| line.trim() != "```").collect();
        // As the docs show it: `cargo fmt` leaves it alone.
        text.push_str(&format!("\n#[rustfmt::skip]\nmod example_{index} {{\n"));
        for code_line in code {
            if code_line.is_empty() {
                text.push('\n');
            } else {
                text.push_str(&format!("    {code_line}\n"));
            }
        }
        text.push_str("}\n");
        index += 1;
    }
    text
}

/// Every file of a golden crate, by its path relative to the crate.
fn golden_files(fixture: &Path) -> BTreeMap<String, String> {
    let name = golden_name(fixture);
    let shown = fixture.strip_prefix(workspace_root()).unwrap_or(fixture).to_string_lossy().replace('\\', "/");
    let bytes = std::fs::read(fixture).expect("the fixture");
    let crate_name = format!("golden_{}", name.replace('-', "_"));
    let generated = codegen::generate(&shown, &bytes, &crate_name)
        .unwrap_or_else(|error| panic!("{shown}: the generator refused a valid spec:\n{error:#}"));
    let mut files: BTreeMap<String, String> = generated.into_iter().map(|file| (file.path, file.contents)).collect();
    let page = files.get(codegen::emit::docs::OPERATIONS_PAGE_PATH).cloned().unwrap_or_default();
    let whole = codegen::generate_standalone(&shown, &bytes)
        .unwrap_or_else(|error| panic!("{shown}: the generator refused a valid spec as a whole crate:\n{error:#}"));
    files.insert("src/whole/lib.rs".to_owned(), whole.lib_rs.clone());
    files.insert("src/whole/types.rs".to_owned(), whole.types_rs.clone());
    files.insert("Cargo.toml".to_owned(), manifest(&name, &shown, &whole.crates));
    files.insert("src/lib.rs".to_owned(), library(&shown));
    files.insert("examples/operations.rs".to_owned(), examples(&page, &shown));
    files
}

/// Every file under `dir`, by path relative to it.
fn files_under(dir: &Path) -> BTreeMap<String, String> {
    crate::support::tree_contents(dir)
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

#[test]
fn every_tricky_spec_has_a_golden_crate_that_the_generator_agrees_with() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 5, "the corpus is too small: {fixtures:?}");
    let overwrite = std::env::var_os("GOLDEN").is_some_and(|value| value == "overwrite");
    let golden_root = workspace_root().join(GOLDEN_DIR);
    let mut problems = Vec::new();
    for fixture in &fixtures {
        let name = golden_name(fixture);
        let dir = golden_root.join(&name);
        let expected = golden_files(fixture);
        if overwrite {
            let _ = std::fs::remove_dir_all(&dir);
            for (path, contents) in &expected {
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().expect("a parent")).expect("create a directory");
                std::fs::write(target, contents).expect("write a golden file");
            }
        }
        let found = files_under(&dir);
        for (path, contents) in &expected {
            match found.get(path) {
                Some(checked_in) if checked_in == contents => {}
                Some(checked_in) => problems.push(format!(
                    "{GOLDEN_DIR}/{name}/{path} differs:\n{}",
                    codegen::emit::freshness::unified_diff(path, checked_in, contents)
                )),
                None => problems.push(format!("{GOLDEN_DIR}/{name}/{path} is missing")),
            }
        }
        for path in found.keys().filter(|path| !expected.contains_key(*path)) {
            problems.push(format!("{GOLDEN_DIR}/{name}/{path} is not made from {}", fixture.display()));
        }
        // The real xtask agrees that the generated files are fresh.
        let checked = run_xtask_in(
            &workspace_root(),
            &[
                "generate".as_ref(),
                "--spec".as_ref(),
                fixture.as_os_str(),
                "--sdk".as_ref(),
                dir.as_os_str(),
                "--check".as_ref(),
            ],
        );
        if !checked.success {
            problems.push(format!(
                "{GOLDEN_DIR}/{name}: `cargo xtask generate --check` fails:\n{}{}",
                checked.stdout, checked.stderr
            ));
        }
    }
    let names: Vec<String> = fixtures.iter().map(|fixture| golden_name(fixture)).collect();
    for entry in std::fs::read_dir(&golden_root).expect("tests/golden") {
        let entry = entry.expect("an entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !names.contains(&name) {
            problems.push(format!("{GOLDEN_DIR}/{name} belongs to no fixture in tests/fixtures/valid; remove it"));
        }
    }
    assert!(
        problems.is_empty(),
        "golden crates are stale; rewrite them with `GOLDEN=overwrite cargo test -p sdk-tests --test suite tricky_specs` and review the diff:\n{}",
        problems.join("\n")
    );
}
