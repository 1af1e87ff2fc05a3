//! Writing the generated files safely: only under the directories the run owns, never through a
//! symbolic link, one generator at a time, and all or nothing even when the process is killed.
//!
//! Every new file is first written in full beside its target (`.<name>.<pid>.tmp`) and synced.
//! Then a journal listing every rename and removal is written and synced in the SDK directory
//! (`.generate-journal`), the renames and removals are made, and the journal is deleted. A run
//! killed before the journal exists changed nothing but temporary files, which the next run
//! deletes; a run killed after it is completed by the next run, which says so. Either way the
//! generated set is wholly old or wholly new.

use std::fs;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

/// The journal of an unfinished rename phase, in the SDK directory.
pub const JOURNAL_FILE: &str = ".generate-journal";

/// One change to make.
pub struct Step {
    /// Where the file goes (absolute).
    pub target: PathBuf,
    /// Its contents, or `None` to remove it.
    pub contents: Option<String>,
}

/// Holds the lock that makes generators on one SDK directory run one after another.
pub struct Lock {
    _file: fs::File,
}

/// Takes the lock for `sdk`, waiting (and saying so) while another generator holds it. The lock
/// is a file under the workspace's target directory (`xtask/locks/`, beside the stamps), named
/// after the SDK directory: nothing appears among the SDK's files, even when a run fails, and
/// nothing is written outside the directories the build owns. The operating system releases
/// it when the process ends.
pub fn lock(root: &Path, sdk: &Path) -> anyhow::Result<Lock> {
    let canonical = fs::canonicalize(sdk).unwrap_or_else(|_| sdk.to_path_buf());
    let hash = codegen::derive::sha256_hex(canonical.to_string_lossy().as_bytes());
    let dir = crate::verify::target_dir(root).join("xtask").join("locks");
    fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{}.lock", &hash[..32]));
    let file = open_lock_file(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!("waiting for another `cargo xtask` run on {} to finish", sdk.display());
            file.lock().with_context(|| format!("cannot take the lock {}", path.display()))?;
        }
        Err(fs::TryLockError::Error(error)) => {
            return Err(error).with_context(|| format!("cannot take the lock {}", path.display()));
        }
    }
    Ok(Lock { _file: file })
}

/// Opens the lock file `path` (creating it) and takes its lock, waiting while another process
/// holds it; the lock is released when the file is dropped, or when the process ends.
pub fn take_lock(path: &Path) -> anyhow::Result<fs::File> {
    let file = open_lock_file(path)?;
    file.lock().with_context(|| format!("cannot take the lock {}", path.display()))?;
    Ok(file)
}

fn open_lock_file(path: &Path) -> anyhow::Result<fs::File> {
    fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))
}

/// Checks that `target` lies under `owner` (a directory the run writes into), with no `..`, and
/// that neither it nor any directory between `owner` and it is a symbolic link.
pub fn check_target(owner: &Path, target: &Path, shown: &str) -> anyhow::Result<()> {
    let relative = target
        .strip_prefix(owner)
        .with_context(|| format!("{shown} is outside {}; the generator writes nowhere else", owner.display()))?;
    let mut current = owner.to_path_buf();
    for component in relative.components() {
        let Component::Normal(part) = component else {
            bail!("{shown} is not a plain path under {}; the generator writes nowhere else", owner.display());
        };
        current.push(part);
        if fs::symlink_metadata(&current).is_ok_and(|metadata| metadata.file_type().is_symlink()) {
            bail!(
                "{} is a symbolic link; the generator never writes through links: replace it with a plain {}",
                current.display(),
                if current == target { "file" } else { "directory" }
            );
        }
    }
    Ok(())
}

/// Temporary files a killed run left beside generated files under `dirs` (not following links).
pub fn leftover_temporary_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in dirs {
        let mut pending = vec![dir.clone()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let Ok(file_type) = entry.file_type() else { continue };
                let path = entry.path();
                if file_type.is_dir() {
                    pending.push(path);
                } else if file_type.is_file() && is_temporary_name(&entry.file_name().to_string_lossy()) {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

/// `.<name>.<pid>.tmp`: the name a staged file has.
fn is_temporary_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(".tmp")) else { return false };
    rest.rsplit_once('.')
        .is_some_and(|(_, pid)| !pid.is_empty() && pid.chars().all(|character| character.is_ascii_digit()))
}

/// Completes a rename phase a killed run left unfinished (its journal is in `sdk`), and deletes
/// leftover temporary files under `dirs`; says what it did. Returns whether there was anything.
pub fn recover(sdk: &Path, dirs: &[PathBuf]) -> anyhow::Result<bool> {
    let journal = sdk.join(JOURNAL_FILE);
    let mut recovered = false;
    if let Ok(text) = fs::read_to_string(&journal) {
        let mut completed = 0;
        for line in text.lines() {
            let mut parts = line.splitn(3, '\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("rename"), Some(temporary), Some(target)) => {
                    if Path::new(temporary).exists() {
                        fs::rename(temporary, target)
                            .with_context(|| format!("cannot complete the interrupted write of {target}"))?;
                        completed += 1;
                    }
                }
                (Some("remove"), Some(target), None) => {
                    if fs::symlink_metadata(target).is_ok() {
                        fs::remove_file(target).with_context(|| format!("cannot complete the removal of {target}"))?;
                        completed += 1;
                    }
                }
                _ => bail!("{} is not a journal this generator wrote; delete it and run again", journal.display()),
            }
        }
        fs::remove_file(&journal).with_context(|| format!("cannot remove {}", journal.display()))?;
        eprintln!(
            "warning: the last generation was interrupted while its files were being moved into place; \
             completed it ({completed} files), so the generated files are all from that run"
        );
        recovered = true;
    }
    for leftover in leftover_temporary_files(dirs) {
        fs::remove_file(&leftover).with_context(|| format!("cannot remove the leftover {}", leftover.display()))?;
        eprintln!("warning: removed {}, left by an interrupted run", leftover.display());
        recovered = true;
    }
    Ok(recovered)
}

/// Makes every step, all or nothing (see the module's docs). `sdk` holds the journal.
pub fn apply(sdk: &Path, steps: &[Step]) -> anyhow::Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let staging = (|| -> anyhow::Result<()> {
        for step in steps {
            let Some(contents) = &step.contents else { continue };
            let parent = step.target.parent().context("a generated file has no parent directory")?;
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the directory of {}", step.target.display()))?;
            let temporary = stage(&step.target, contents)
                .with_context(|| format!("cannot write a temporary file beside {}", step.target.display()))?;
            staged.push((temporary, &step.target));
        }
        Ok(())
    })();
    if let Err(error) = staging {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }

    let mut journal_text = String::new();
    for (temporary, target) in &staged {
        journal_text.push_str(&format!("rename\t{}\t{}\n", temporary.display(), target.display()));
    }
    for step in steps.iter().filter(|step| step.contents.is_none()) {
        journal_text.push_str(&format!("remove\t{}\n", step.target.display()));
    }
    if journal_text.is_empty() {
        return Ok(());
    }
    let journal = sdk.join(JOURNAL_FILE);
    let written = fs::File::create(&journal)
        .and_then(|mut file| file.write_all(journal_text.as_bytes()).and_then(|()| file.sync_all()));
    if let Err(error) = written {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        let _ = fs::remove_file(&journal);
        return Err(error).with_context(|| format!("cannot write {}", journal.display()));
    }

    // From here on the journal lets a later run finish what a killed one started.
    let interrupt_after = interruption_for_tests();
    for (done, (temporary, target)) in staged.iter().enumerate() {
        if interrupt_after == Some(done) {
            std::process::abort();
        }
        fs::rename(temporary, target)
            .with_context(|| format!("cannot move the new file into place at {}", target.display()))?;
    }
    for step in steps.iter().filter(|step| step.contents.is_none()) {
        fs::remove_file(&step.target)
            .with_context(|| format!("cannot remove the stale file {}", step.target.display()))?;
    }
    fs::remove_file(&journal).with_context(|| format!("cannot remove {}", journal.display()))?;
    Ok(())
}

/// Writes `contents` in full to a new temporary file beside `target` (`.<name>.<pid>.tmp`) and
/// syncs it, returning its path; a temporary file that cannot be written whole is removed.
fn stage(target: &Path, contents: &str) -> std::io::Result<PathBuf> {
    let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("the path has no {what}"));
    let parent = target.parent().ok_or_else(|| invalid("parent directory"))?;
    let name = target.file_name().ok_or_else(|| invalid("file name"))?.to_string_lossy();
    let temporary = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut handle = fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
    if let Err(error) = handle.write_all(contents.as_bytes()).and_then(|()| handle.sync_all()) {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    Ok(temporary)
}

/// Replaces the one file `target` with `contents` atomically: a reader sees the old file or the
/// new one, never a part. For single files outside the generated set (tables, `--whole`).
pub fn replace_file(target: &Path, contents: &str) -> std::io::Result<()> {
    let temporary = stage(target, contents)?;
    fs::rename(&temporary, target).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// `XTASK_ABORT_AFTER_RENAMES=N` makes a run abort after N renames, as a kill would: the
/// atomicity tests use it. Nothing else reads it.
fn interruption_for_tests() -> Option<usize> {
    std::env::var("XTASK_ABORT_AFTER_RENAMES").ok().and_then(|value| value.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::is_temporary_name;

    #[test]
    fn only_staged_file_names_are_temporary() {
        assert!(is_temporary_name(".generated.rs.4242.tmp"));
        assert!(!is_temporary_name("generated.rs"));
        assert!(!is_temporary_name(".notes.tmp"));
        assert!(!is_temporary_name(".a.b.tmp"));
    }
}
