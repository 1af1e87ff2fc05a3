//! Feeds arbitrary bytes to the generator's front half, in memory (load → normalise → validate →
//! lower → progenitor → the SDK's surface and docs), with nothing written and nothing compiled.
//!
//! Findings are: a panic that escapes, a hang (libFuzzer's `-timeout`), and a refusal that does
//! not say where the spec is wrong: one located at the document root (`(at /)`) although the
//! message is not about the document itself (its version, its type, a missing top-level field),
//! or one that comes from inside progenitor
//! rather than from the validator.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Err(error) = codegen::generate("fuzz.yaml", bytes, "fuzzed_sdk") else { return };
    let Some(diagnostics) = error.downcast_ref::<codegen::diagnostic::Diagnostics>() else {
        panic!("a refusal that is not a located diagnostic: {error:#}");
    };
    for diagnostic in &diagnostics.0 {
        let at_root = diagnostic.pointer.as_deref().is_none_or(str::is_empty) && diagnostic.line.is_none_or(|line| line <= 1);
        assert!(
            !at_root || diagnostic.message.starts_with("the document") || diagnostic.pointer.is_none(),
            "a refusal located at the document root: {diagnostic}"
        );
        assert!(
            !diagnostic.message.starts_with("progenitor cannot generate this"),
            "progenitor refused what the validator passed: {diagnostic}"
        );
    }
});
