//! `cargo xtask generate`: derives the spec from the published document and the overlay, asks
//! `codegen` for the SDK's files, then writes them all, or checks them under `--check`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use codegen::emit::freshness::{normalize_line_endings, unified_diff};

use crate::workspace::{
    DERIVED_SPEC_FILE, OVERLAY_FILE, UPSTREAM_FILE, read_file, read_input, sdk_crate_name, shown_path,
};

/// What the command was asked to do.
pub struct Options {
    /// The workspace root, used to show paths relative to it.
    pub root: PathBuf,
    /// A spec to generate the SDK from instead of deriving one (then no spec file is written).
    pub spec: Option<PathBuf>,
    /// The SDK crate directory to write into.
    pub sdk: PathBuf,
    /// Compare only; write nothing.
    pub check: bool,
}

/// How a run ended when nothing went wrong.
pub enum Outcome {
    /// Every file is as generated (after writing, or found so under `--check`).
    UpToDate,
    /// `--check` found stale files.
    Stale,
}

/// One file the run produces: where, and its complete text.
pub struct Output {
    /// The absolute path.
    pub path: PathBuf,
    /// The complete text.
    pub contents: String,
}

/// What one output path needs.
enum Change {
    Unchanged,
    Write(String),
    Remove,
}

struct Planned {
    path: PathBuf,
    shown: String,
    lines: usize,
    change: Change,
    checked_in: String,
}

/// The derived spec and every SDK file, generated from the published document's bytes.
pub fn derive_outputs(root: &Path, sdk: &Path, upstream: &[u8]) -> anyhow::Result<Vec<Output>> {
    let overlay = read_input(root, OVERLAY_FILE, "restore it from version control")?;
    derive_outputs_from(root, sdk, upstream, &overlay)
}

/// The derived spec and every SDK file, from the published document's and the overlay's bytes.
fn derive_outputs_from(root: &Path, sdk: &Path, upstream: &[u8], overlay: &[u8]) -> anyhow::Result<Vec<Output>> {
    let derived = codegen::derive::derive_spec(&codegen::derive::Inputs {
        upstream_file: UPSTREAM_FILE,
        upstream,
        overlay_file: OVERLAY_FILE,
        overlay,
    })?;
    let mut outputs = sdk_outputs(sdk, DERIVED_SPEC_FILE, derived.as_bytes())?;
    outputs.push(Output { path: root.join(DERIVED_SPEC_FILE), contents: derived });
    Ok(outputs)
}

/// Every SDK file generated from a spec.
fn sdk_outputs(sdk: &Path, spec_shown: &str, spec: &[u8]) -> anyhow::Result<Vec<Output>> {
    Ok(codegen::generate(spec_shown, spec, &sdk_crate_name(sdk)?)?
        .into_iter()
        .map(|file| Output { path: sdk.join(&file.path), contents: file.contents })
        .collect())
}

/// The work of a full run, deferred until the stamp has been consulted.
type Derivation<'a> = dyn FnOnce() -> anyhow::Result<Vec<Output>> + 'a;

/// Generates, then writes (or checks) every file; on any error nothing changes.
pub fn run(options: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    if !options.sdk.join("Cargo.toml").is_file() {
        bail!(
            "{} is not the SDK crate (it has no Cargo.toml); pass the SDK directory to --sdk",
            shown_path(&options.root, &options.sdk)
        );
    }
    let manifest =
        read_file(&options.sdk.join("Cargo.toml"), &shown_path(&options.root, &options.sdk.join("Cargo.toml")))?;
    let target_dir = crate::verify::target_dir(&options.root);
    let _lock = crate::write::lock(&options.root, &options.sdk)?;
    let owned = owned_dirs(&options.root, &options.sdk);
    let journal = options.sdk.join(crate::write::JOURNAL_FILE);
    let interrupted = journal.exists() || !crate::write::leftover_temporary_files(&owned).is_empty();
    let (fingerprint, derive): (Option<String>, Box<Derivation<'_>>) = match &options.spec {
        Some(spec) => {
            let spec_shown = shown_path(&options.root, spec);
            let bytes = read_file(spec, &spec_shown)?;
            let fingerprint = crate::stamp::fingerprint(
                &options.sdk,
                &[("--spec", spec_shown.as_bytes()), ("spec", &bytes), ("manifest", &manifest)],
            );
            (fingerprint, Box::new(move || sdk_outputs(&options.sdk, &spec_shown, &bytes)))
        }
        None => {
            let upstream = read_input(
                &options.root,
                UPSTREAM_FILE,
                "restore it from version control, or bring in a document with `cargo xtask spec update --from FILE`",
            )?;
            let overlay = read_input(&options.root, OVERLAY_FILE, "restore it from version control")?;
            let fingerprint = crate::stamp::fingerprint(
                &options.sdk,
                &[("upstream", &upstream), ("overlay", &overlay), ("manifest", &manifest)],
            );
            (fingerprint, Box::new(move || derive_outputs_from(&options.root, &options.sdk, &upstream, &overlay)))
        }
    };
    if !interrupted && let Some(fingerprint) = &fingerprint {
        let mut generated = leftover_generated_files(&options.sdk.join("docs"), "md", codegen::MARKDOWN_HEADER_PREFIX)?;
        generated.extend(leftover_generated_files(&options.sdk.join("src"), "rs", codegen::RUST_HEADER_PREFIX)?);
        if let Some(files) = crate::stamp::fresh(&target_dir, &options.root, &options.sdk, fingerprint, &generated) {
            let what = if options.check { "are up to date" } else { "are as generated; nothing to do" };
            println!(
                "{files} generated files {what} (inputs and outputs unchanged since the last full run, {:.2?})",
                started.elapsed()
            );
            return Ok(Outcome::UpToDate);
        }
    }
    let outputs = derive()?;
    if options.check {
        if interrupted {
            eprintln!("error: an interrupted generation left files behind:");
            if journal.exists() {
                eprintln!("  {} (its files were being moved into place)", shown_path(&options.root, &journal));
            }
            for leftover in &crate::write::leftover_temporary_files(&owned) {
                eprintln!("  {}", shown_path(&options.root, leftover));
            }
            eprintln!("  help: run `{}`, which completes or cleans up the interrupted run", codegen::GENERATE_COMMAND);
            return Ok(Outcome::Stale);
        }
    } else {
        crate::write::recover(&options.sdk, &owned)?;
    }
    let plan = plan(&options.root, &options.sdk, outputs)?;

    if options.check {
        let stale: Vec<&Planned> = plan.iter().filter(|planned| !matches!(planned.change, Change::Unchanged)).collect();
        for planned in &stale {
            let generated = match &planned.change {
                Change::Write(contents) => contents.as_str(),
                _ => "",
            };
            print!(
                "{}",
                codegen::diagnostic::terminal_safe(&unified_diff(&planned.shown, &planned.checked_in, generated))
            );
        }
        if stale.is_empty() {
            record_stamp(&target_dir, options, fingerprint.as_deref(), &plan);
            println!("{} generated files are up to date ({:.2?})", plan.len(), started.elapsed());
            return Ok(Outcome::UpToDate);
        }
        let noun = if stale.len() == 1 { "file is" } else { "files are" };
        eprintln!("error: {} generated {noun} stale:", stale.len());
        for planned in &stale {
            eprintln!("  {}", planned.shown);
        }
        eprintln!("  help: run `{}` and commit the result", codegen::GENERATE_COMMAND);
        return Ok(Outcome::Stale);
    }

    verify_plan(&options.root, &options.sdk, &plan)?;
    apply(&options.sdk, &plan)?;
    record_stamp(&target_dir, options, fingerprint.as_deref(), &plan);
    report(&plan);
    println!("generated {} files in {:.2?}", plan.len(), started.elapsed());
    Ok(Outcome::UpToDate)
}

/// Records, after a run that left every file as generated, what the next run may skip.
fn record_stamp(target_dir: &Path, options: &Options, fingerprint: Option<&str>, plan: &[Planned]) {
    if let Some(fingerprint) = fingerprint {
        let outputs: Vec<PathBuf> = plan
            .iter()
            .filter(|planned| !matches!(planned.change, Change::Remove))
            .map(|planned| planned.path.clone())
            .collect();
        crate::stamp::record(target_dir, &options.root, &options.sdk, fingerprint, &outputs);
    }
}

/// Prints one line per file: its path, its lines, and what happened to it.
fn report(plan: &[Planned]) {
    for planned in plan {
        let state = match planned.change {
            Change::Unchanged => "unchanged",
            Change::Write(_) => "changed",
            Change::Remove => "removed",
        };
        println!("{:<60} {:>6} lines  {state}", planned.shown, planned.lines);
    }
}

/// Writes `outputs` (and removes generated docs no longer produced) all or nothing, and prints
/// what changed; used by `spec update`.
pub fn write_outputs(root: &Path, sdk: &Path, outputs: Vec<Output>) -> anyhow::Result<()> {
    let _lock = crate::write::lock(root, sdk)?;
    crate::write::recover(sdk, &owned_dirs(root, sdk))?;
    let plan = plan(root, sdk, outputs)?;
    verify_plan(root, sdk, &plan)?;
    apply(sdk, &plan)?;
    report(&plan);
    Ok(())
}

/// The directories a run writes into: the SDK, and the workspace's `spec/`.
fn owned_dirs(root: &Path, sdk: &Path) -> Vec<PathBuf> {
    vec![sdk.to_path_buf(), root.join("spec")]
}

/// Decides, file by file, what must change, and finds generated files that are no longer produced.
/// Every path is checked first: under the SDK (or, for the derived spec and the vendored document,
/// under `spec/`), and reached through no symbolic link.
fn plan(root: &Path, sdk: &Path, outputs: Vec<Output>) -> anyhow::Result<Vec<Planned>> {
    let mut plan = Vec::new();
    let mut produced = std::collections::BTreeSet::new();
    for output in outputs {
        let shown = shown_path(root, &output.path);
        let owner = if output.path.starts_with(sdk) { sdk.to_path_buf() } else { root.join("spec") };
        crate::write::check_target(&owner, &output.path, &shown)?;
        produced.insert(output.path.clone());
        let checked_in = match fs::read(&output.path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error).with_context(|| format!("cannot read {shown}")),
        };
        let lines = output.contents.lines().count();
        let change = if normalize_line_endings(&checked_in) == output.contents && output.path.exists() {
            Change::Unchanged
        } else {
            Change::Write(output.contents)
        };
        plan.push(Planned { path: output.path, shown, lines, change, checked_in });
    }
    let mut leftovers = leftover_generated_files(&sdk.join("docs"), "md", codegen::MARKDOWN_HEADER_PREFIX)?;
    leftovers.extend(leftover_generated_files(&sdk.join("src"), "rs", codegen::RUST_HEADER_PREFIX)?);
    for path in leftovers {
        if produced.contains(&path) {
            continue;
        }
        let shown = shown_path(root, &path);
        crate::write::check_target(sdk, &path, &shown)?;
        let checked_in = fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
        plan.push(Planned { path, shown, lines: 0, change: Change::Remove, checked_in });
    }
    Ok(plan)
}

/// Generated files under `dir` with the extension `extension`, recognised by their header line.
fn leftover_generated_files(dir: &Path, extension: &str, header: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let path = entry.path();
            // Links are never followed: a link to a directory could lead anywhere, or round in a loop.
            let file_type = entry.file_type().with_context(|| format!("cannot read {}", path.display()))?;
            if file_type.is_symlink() {
                continue;
            }
            if file_type.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|found| found == extension) {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if text.starts_with(header) {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Checks, when the plan changes the SDK, that the SDK it makes compiles and passes its doctests.
fn verify_plan(root: &Path, sdk: &Path, plan: &[Planned]) -> anyhow::Result<()> {
    let changes: Vec<(PathBuf, Option<&str>)> = plan
        .iter()
        .filter(|planned| planned.path.starts_with(sdk))
        .filter_map(|planned| match &planned.change {
            Change::Unchanged => None,
            Change::Write(contents) => Some((planned.path.clone(), Some(contents.as_str()))),
            Change::Remove => Some((planned.path.clone(), None)),
        })
        .collect();
    if changes.is_empty() {
        return Ok(());
    }
    crate::verify::verify(root, sdk, &changes)
}

/// Writes the plan's changes, all or nothing (see `write`).
fn apply(sdk: &Path, plan: &[Planned]) -> anyhow::Result<()> {
    let steps: Vec<crate::write::Step> = plan
        .iter()
        .filter_map(|planned| match &planned.change {
            Change::Unchanged => None,
            Change::Write(contents) => {
                Some(crate::write::Step { target: planned.path.clone(), contents: Some(contents.clone()) })
            }
            Change::Remove => Some(crate::write::Step { target: planned.path.clone(), contents: None }),
        })
        .collect();
    crate::write::apply(sdk, &steps)
}
