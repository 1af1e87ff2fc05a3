//! `cargo xtask generate`: reads the spec, asks `codegen` for the files, then writes or checks them.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use codegen::GeneratedFile;
use codegen::freshness::{normalize_line_endings, unified_diff};

/// What the command was asked to do.
pub struct Options {
    /// The workspace root, used to show paths relative to it.
    pub root: PathBuf,
    /// The spec to read.
    pub spec: PathBuf,
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

/// The workspace root: the parent of this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// What one generated path needs.
enum Change {
    Unchanged,
    Write(GeneratedFile),
    Remove,
}

struct Planned {
    path: PathBuf,
    shown: String,
    lines: usize,
    change: Change,
    diff: String,
}

/// Generates, then writes (or checks) every file; on any error nothing under the SDK changes.
pub fn run(options: &Options) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let spec_shown = shown_path(&options.root, &options.spec);
    let spec_bytes = fs::read(&options.spec)
        .with_context(|| format!("cannot read the spec {spec_shown}; pass an existing file to --spec"))?;
    if !options.sdk.join("Cargo.toml").is_file() {
        bail!(
            "{} is not the SDK crate (it has no Cargo.toml); pass the SDK directory to --sdk",
            shown_path(&options.root, &options.sdk)
        );
    }
    let files = codegen::generate(&spec_shown, &spec_bytes)?;
    let plan = plan(options, files)?;

    if options.check {
        let stale: Vec<&Planned> = plan.iter().filter(|planned| !matches!(planned.change, Change::Unchanged)).collect();
        for planned in &stale {
            print!("{}", planned.diff);
        }
        if stale.is_empty() {
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

    apply(&plan)?;
    for planned in &plan {
        let state = match planned.change {
            Change::Unchanged => "unchanged",
            Change::Write(_) => "changed",
            Change::Remove => "removed",
        };
        println!("{:<60} {:>6} lines  {state}", planned.shown, planned.lines);
    }
    println!("generated {} files in {:.2?}", plan.len(), started.elapsed());
    Ok(Outcome::UpToDate)
}

/// Decides, file by file, what must change, and finds generated files that are no longer produced.
fn plan(options: &Options, files: Vec<GeneratedFile>) -> anyhow::Result<Vec<Planned>> {
    let mut plan = Vec::new();
    let mut produced = std::collections::BTreeSet::new();
    for file in files {
        let path = options.sdk.join(&file.path);
        let shown = shown_path(&options.root, &path);
        produced.insert(path.clone());
        let checked_in = match fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(error) => return Err(error).with_context(|| format!("cannot read {shown}")),
        };
        let diff = unified_diff(&shown, &checked_in, &file.contents);
        let lines = file.contents.lines().count();
        let change = if normalize_line_endings(&checked_in) == file.contents && path.exists() {
            Change::Unchanged
        } else {
            Change::Write(file)
        };
        plan.push(Planned { path, shown, lines, change, diff });
    }
    for path in leftover_generated_files(&options.sdk.join("docs"))? {
        if produced.contains(&path) {
            continue;
        }
        let shown = shown_path(&options.root, &path);
        let checked_in = fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
        let diff = unified_diff(&shown, &checked_in, "");
        plan.push(Planned { path, shown, lines: 0, change: Change::Remove, diff });
    }
    Ok(plan)
}

/// Generated Markdown files under `dir`, recognised by their header line.
fn leftover_generated_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error).with_context(|| format!("cannot list {}", dir.display())),
        };
        for entry in entries {
            let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "md") {
                let text = fs::read_to_string(&path).unwrap_or_default();
                if text.starts_with(codegen::MARKDOWN_HEADER_PREFIX) {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Stages every new file beside its target, then renames them into place.
///
/// A failure while staging removes the staged files and leaves the SDK as it was.
fn apply(plan: &[Planned]) -> anyhow::Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let staging = (|| -> anyhow::Result<()> {
        for planned in plan {
            let Change::Write(file) = &planned.change else { continue };
            let parent = planned.path.parent().context("a generated file has no parent directory")?;
            fs::create_dir_all(parent).with_context(|| format!("cannot create the directory of {}", planned.shown))?;
            let name = planned.path.file_name().context("a generated file has no name")?.to_string_lossy();
            let temporary = parent.join(format!(".{name}.{}.tmp", std::process::id()));
            let mut handle = fs::File::create(&temporary)
                .with_context(|| format!("cannot create a temporary file beside {}", planned.shown))?;
            staged.push((temporary, &planned.path));
            handle
                .write_all(file.contents.as_bytes())
                .and_then(|()| handle.sync_all())
                .with_context(|| format!("cannot write a temporary file beside {}", planned.shown))?;
        }
        Ok(())
    })();
    if let Err(error) = staging {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    for (temporary, target) in &staged {
        fs::rename(temporary, target)
            .with_context(|| format!("cannot move the new file into place at {}", target.display()))?;
    }
    for planned in plan {
        if matches!(planned.change, Change::Remove) {
            fs::remove_file(&planned.path)
                .with_context(|| format!("cannot remove the stale file {}", planned.shown))?;
        }
    }
    Ok(())
}

/// A path as the user would type it: relative to the workspace root where possible.
fn shown_path(root: &Path, path: &Path) -> String {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|dir| dir.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let relative = absolute.strip_prefix(root).map(Path::to_path_buf).unwrap_or(absolute);
    relative.to_string_lossy().replace('\\', "/")
}
