//! `cargo xtask tables [--write]`: the rows each source table in `spec/tables/` lacks (or has
//! too many) against the derived spec, printed in the table's own notation and layout, or
//! written into the table.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::workspace::{DERIVED_SPEC_FILE, read_input};

/// The folder of source tables.
pub const TABLES_DIR: &str = "spec/tables";

/// Compares every source table with its model; prints what it would change, or writes it.
pub fn run(root: &Path, write: bool) -> anyhow::Result<()> {
    let spec = read_input(root, DERIVED_SPEC_FILE, "run `cargo xtask generate` first")?;
    let models = codegen::documented_models(DERIVED_SPEC_FILE, &spec)?;

    let mut pending = 0;
    for path in table_files(&root.join(TABLES_DIR))? {
        let shown = format!("{TABLES_DIR}/{}", path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default());
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {shown}"))?;
        let table = codegen::emit::tables::parse(&shown, &text)?;
        let Some(model) = models.iter().find(|model| model.name == table.name) else {
            bail!(
                "{shown}: the table is about {}, but {DERIVED_SPEC_FILE} has no schema of that name; \
                 rename the table's heading or add the schema with an overlay action",
                table.name
            );
        };
        let reconciled = codegen::emit::tables::reconcile(&table, model);
        for (field, rust_type) in &reconciled.unwritable {
            let message = format!(
                "{shown}: `{field}` is a `{rust_type}`, which the table's notation cannot write; \
                 add its row by hand and declare the notation in codegen/src/notation.rs"
            );
            eprintln!("{}", codegen::diagnostic::terminal_safe(&message));
        }
        if reconciled.added.is_empty() && reconciled.removed.is_empty() {
            println!("{shown}: up to date");
            continue;
        }
        let rendered = codegen::emit::tables::render(&reconciled.table);
        for field in &reconciled.removed {
            println!(
                "{shown}: `{}` is no longer in {DERIVED_SPEC_FILE}; its row goes",
                codegen::diagnostic::terminal_safe(field)
            );
        }
        for field in &reconciled.added {
            let line = rendered.lines().find(|line| line.starts_with(&format!("| `{field}` "))).unwrap_or_default();
            println!(
                "{}",
                codegen::diagnostic::terminal_safe(&format!("{shown}: `{field}` is missing; its row:\n{line}"))
            );
        }
        if write {
            crate::write::replace_file(&path, &rendered).with_context(|| format!("cannot write {shown}"))?;
            println!("{shown}: written (every row is re-padded to the table's new widest cell)");
        } else {
            pending += 1;
        }
    }
    if pending > 0 {
        println!("run `cargo xtask tables --write` to write these rows into the tables");
    }
    Ok(())
}

fn table_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("cannot list {TABLES_DIR}"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    files.sort();
    Ok(files)
}
