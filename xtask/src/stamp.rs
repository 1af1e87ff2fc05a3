//! The record that lets a regeneration with nothing to do skip the work.
//!
//! After a run that leaves every generated file as generated, the xtask writes a stamp in the
//! target directory (never in the checkout): a fingerprint of its inputs (the bytes of every spec
//! it read, the SDK's manifest, and the identity of the running xtask binary, which cargo relinks
//! whenever codegen, progenitor or the xtask change) and a digest of every generated file as it
//! then was. The next run reads the same inputs and the generated files again; when all of them
//! hash as recorded, and no generated file has appeared or gone, the outputs are known to be what
//! a full run would produce, and the run stops there. Anything else, including a missing or
//! unreadable stamp, means a full run: the stamp can make a run faster, never different.

use std::fs;
use std::path::{Path, PathBuf};

use ring::digest::{Context, SHA256};

/// Hex SHA-256 of `bytes`.
fn digest(bytes: &[u8]) -> String {
    let mut context = Context::new(&SHA256);
    context.update(bytes);
    hex(context.finish().as_ref())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The fingerprint of a run's inputs: each `(name, bytes)` pair in order, the SDK directory, and
/// the running binary's path, size and modification time.
pub fn fingerprint(sdk: &Path, inputs: &[(&str, &[u8])]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let metadata = fs::metadata(&exe).ok()?;
    let modified = metadata.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut context = Context::new(&SHA256);
    let identity = format!("{}\n{}\n{}\n{}\n", exe.display(), metadata.len(), modified.as_nanos(), sdk.display());
    context.update(identity.as_bytes());
    for (name, bytes) in inputs {
        context.update(format!("{name}\n{}\n", bytes.len()).as_bytes());
        context.update(bytes);
    }
    Some(hex(context.finish().as_ref()))
}

/// Where the stamp for this checkout and SDK directory lives.
fn stamp_path(target_dir: &Path, root: &Path, sdk: &Path) -> PathBuf {
    let key = digest(format!("{}\n{}", root.display(), sdk.display()).as_bytes());
    target_dir.join("xtask").join(format!("generate-{}.stamp", &key[..16]))
}

/// What a stamp records.
struct Stamp {
    fingerprint: String,
    files: Vec<(String, PathBuf)>,
}

fn read(path: &Path) -> Option<Stamp> {
    let text = fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let fingerprint = lines.next()?.strip_prefix("inputs ")?.to_string();
    let mut files = Vec::new();
    for line in lines {
        let (hash, file) = line.strip_prefix("file ")?.split_once(' ')?;
        files.push((hash.to_string(), PathBuf::from(file)));
    }
    Some(Stamp { fingerprint, files })
}

/// When the stamp says a run over inputs with `fingerprint` produced exactly the files that are
/// there now (each recorded file with its recorded contents, and no generated file on disk,
/// `generated`, that the run did not produce), the number of files it recorded.
pub fn fresh(target_dir: &Path, root: &Path, sdk: &Path, fingerprint: &str, generated: &[PathBuf]) -> Option<usize> {
    let stamp = read(&stamp_path(target_dir, root, sdk))?;
    if stamp.fingerprint != fingerprint {
        return None;
    }
    let recorded: std::collections::BTreeSet<&PathBuf> = stamp.files.iter().map(|(_, path)| path).collect();
    if !generated.iter().all(|path| recorded.contains(path)) {
        return None;
    }
    stamp
        .files
        .iter()
        .all(|(hash, path)| fs::read(path).is_ok_and(|bytes| digest(&bytes) == *hash))
        .then_some(stamp.files.len())
}

/// Records that the files at `outputs` are what a run over inputs with `fingerprint` produces.
/// A stamp that cannot be written costs only the next run's time, so failures are ignored; the
/// stamp is written to a temporary file and renamed, so a reader never sees half of one.
pub fn record(target_dir: &Path, root: &Path, sdk: &Path, fingerprint: &str, outputs: &[PathBuf]) {
    let path = stamp_path(target_dir, root, sdk);
    let mut text = format!("inputs {fingerprint}\n");
    for output in outputs {
        let Ok(bytes) = fs::read(output) else {
            return;
        };
        text.push_str(&format!("file {} {}\n", digest(&bytes), output.display()));
    }
    let Some(dir) = path.parent() else {
        return;
    };
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let temporary = path.with_extension(format!("stamp.{}", std::process::id()));
    if fs::write(&temporary, text).is_ok() && fs::rename(&temporary, &path).is_err() {
        let _ = fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_holds_only_while_every_input_and_output_is_as_recorded() {
        let dir = std::env::temp_dir().join(format!("xtask-stamp-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let sdk = dir.join("sdk");
        fs::create_dir_all(&sdk).unwrap();
        let target = dir.join("target");
        let output = sdk.join("generated.rs");
        fs::write(&output, "one").unwrap();
        let inputs = fingerprint(&sdk, &[("spec", b"a")]).unwrap();
        let one = std::slice::from_ref(&output);
        assert_eq!(fresh(&target, &dir, &sdk, &inputs, one), None, "no stamp yet");
        record(&target, &dir, &sdk, &inputs, one);
        assert_eq!(fresh(&target, &dir, &sdk, &inputs, one), Some(1));

        let other_inputs = fingerprint(&sdk, &[("spec", b"b")]).unwrap();
        assert_eq!(fresh(&target, &dir, &sdk, &other_inputs, one), None, "a changed input");

        let extra = sdk.join("extra.rs");
        assert_eq!(fresh(&target, &dir, &sdk, &inputs, &[output.clone(), extra]), None, "a generated file appeared");

        fs::write(&output, "edited").unwrap();
        assert_eq!(fresh(&target, &dir, &sdk, &inputs, std::slice::from_ref(&output)), None, "a hand edit");

        fs::remove_file(&output).unwrap();
        assert_eq!(fresh(&target, &dir, &sdk, &inputs, &[]), None, "a generated file removed");
        let _ = fs::remove_dir_all(&dir);
    }
}
