//! The conformance checks bite: each mutation of a table or of the spec is reported at exactly
//! the row and column that changed, and nowhere else, with a fix that names the file.
//!
//! The tables here are made from the spec (`table_from_spec`), not read from `spec/tables/`, so
//! that these tests hold whatever fields the API gains or loses.

use codegen::emit::tables::{Row, Table};
use serde_json::Value;

use crate::conformance::{Mismatch, Project, check_all, fix, render_with_source_notation, table_from_spec};
use crate::support::{SPEC_FILE, spec_bytes};

const MODEL: &str = "PersonalClient";

/// Asserts that mismatches were found and that every one is about `field` in one of `columns`.
fn assert_only(mismatches: &[Mismatch], field: &str, columns: &[&str], checks: &[&str]) {
    let listing: String = mismatches.iter().map(|mismatch| format!("\n  {mismatch}")).collect();
    assert!(!mismatches.is_empty(), "the mutation of `{field}` went unnoticed");
    for mismatch in mismatches {
        assert!(
            mismatch.field == field && columns.contains(&mismatch.column),
            "a mismatch outside `{field}` {columns:?}:{listing}"
        );
    }
    for check in checks {
        assert!(mismatches.iter().any(|mismatch| mismatch.check == *check), "the {check} check missed it:{listing}");
    }
}

fn row_mut<'a>(table: &'a mut Table, field: &str) -> &'a mut Row {
    table.rows.iter_mut().find(|row| row.field == field).expect("the row exists")
}

/// The 1-based row of `field`.
fn row_of(table: &Table, field: &str) -> usize {
    table.rows.iter().position(|row| row.field == field).expect("the row exists") + 1
}

/// A field of the model that is a plain optional string, and another that holds a date.
fn string_field(table: &Table) -> String {
    table.rows.iter().find(|row| row.type_text == "*Optional[str]*").expect("a string field").field.clone()
}

fn date_field(table: &Table) -> String {
    table.rows.iter().find(|row| row.type_text.starts_with("[date](")).expect("a date field").field.clone()
}

/// The checked-in spec with `change` applied to its JSON, generated in memory.
fn project_with(change: impl FnOnce(&mut Value)) -> Project {
    let mut document = codegen::read::load(SPEC_FILE, &spec_bytes()).expect("the spec loads");
    change(&mut document.value);
    Project::generated_from(codegen::derive::yaml::to_yaml(&document.value).as_bytes())
}

fn property_mut<'a>(spec: &'a mut Value, wire: &str) -> &'a mut Value {
    spec.pointer_mut(&format!("/components/schemas/{MODEL}/properties/{wire}")).expect("the property exists")
}

#[test]
fn the_table_made_from_the_spec_passes() {
    let project = Project::checked_in();
    let mismatches = check_all(&table_from_spec(&project, MODEL), &project);
    assert!(mismatches.is_empty(), "{mismatches:?}");
}

#[test]
fn a_changed_description_is_reported_at_its_cell_with_both_ways_to_fix_it() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    let field = string_field(&table);
    let original = row_mut(&mut table, &field).description.clone();
    row_mut(&mut table, &field).description = Some("Something else entirely.".to_owned());
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Description"], &["spec", "rust", "docs"]);
    let found = &mismatches[0];
    assert_eq!(found.row, row_of(&table, &field));
    assert_eq!(found.expected, "Something else entirely.");
    assert_eq!(Some(found.found.clone()), original);
    let fix = fix(found, "spec/tables/example.md");
    assert!(fix.contains("spec/overlay.yaml") && fix.contains("description: Something else entirely."), "{fix}");
    assert!(fix.contains(&format!("row {} in spec/tables/example.md", found.row)), "{fix}");
}

#[test]
fn a_changed_requiredness_is_reported_at_its_cell() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    let field = string_field(&table);
    row_mut(&mut table, &field).required = true;
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Required"], &["spec", "rust", "docs"]);
}

#[test]
fn a_changed_type_is_reported_at_its_cell_and_the_fix_writes_the_notation() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    let field = string_field(&table);
    row_mut(&mut table, &field).type_text = "list[*str*]".to_owned();
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Type"], &["rust", "docs"]);
    assert!(
        mismatches
            .iter()
            .all(|mismatch| mismatch.expected == "Option<Vec<String>>" && mismatch.found == "Option<String>")
    );
    let fix = fix(&mismatches[0], "spec/tables/example.md");
    assert!(fix.contains("`*Optional[str]*`"), "the fix proposes the table's own notation: {fix}");
}

#[test]
fn a_removed_row_is_reported_by_name_and_the_fix_is_the_tables_command() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    let field = date_field(&table);
    table.rows.retain(|row| row.field != field);
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Field"], &["spec", "rust", "docs"]);
    assert!(fix(&mismatches[0], "spec/tables/example.md").contains("cargo xtask tables --write"));
}

#[test]
fn an_added_row_is_reported_by_name() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    table.rows.push(Row {
        field: "added_by_the_mutation_test".to_owned(),
        type_text: "*Optional[str]*".to_owned(),
        required: false,
        description: Some("A field the spec does not have.".to_owned()),
    });
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "added_by_the_mutation_test", &["Field"], &["spec", "rust", "docs"]);
    let last = table.rows.len();
    assert!(mismatches.iter().all(|mismatch| mismatch.row == last), "{mismatches:?}");
}

#[test]
fn swapped_rows_are_reported_at_both_positions() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    table.rows.swap(1, 2);
    let swapped = [table.rows[1].field.clone(), table.rows[2].field.clone()];
    let mismatches = check_all(&table, &project);
    let listing: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    assert!(!mismatches.is_empty(), "the swap went unnoticed");
    for mismatch in &mismatches {
        assert_eq!(mismatch.column, "Field", "{listing:?}");
        assert!(swapped.contains(&mismatch.field), "{listing:?}");
    }
    // The Rust struct's field order is typify's (by name), so only the spec and the docs check order.
    for check in ["spec", "docs"] {
        let rows: Vec<usize> =
            mismatches.iter().filter(|mismatch| mismatch.check == check).map(|mismatch| mismatch.row).collect();
        assert_eq!(rows, vec![2, 3], "{check}: {listing:?}");
    }
}

#[test]
fn a_changed_table_no_longer_renders_byte_for_byte() {
    let project = Project::checked_in();
    let mut table = table_from_spec(&project, MODEL);
    let original = codegen::emit::tables::render(&table);
    assert_eq!(render_with_source_notation(&table, &project), original, "the made table renders as itself");
    let field = string_field(&table);
    row_mut(&mut table, &field).description = Some("Changed.".to_owned());
    assert_ne!(render_with_source_notation(&table, &project), codegen::emit::tables::render(&table));
    assert_ne!(codegen::emit::tables::render(&table), original);
}

#[test]
fn a_changed_spec_description_is_reported_at_its_cell() {
    let before = Project::checked_in();
    let table = table_from_spec(&before, MODEL);
    let field = string_field(&table);
    let wire = crate::conformance::lower_camel(&field);
    let project = project_with(|spec| property_mut(spec, &wire)["description"] = "The OAuth client id.".into());
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Description"], &["spec", "rust", "docs"]);
    assert!(mismatches.iter().all(|mismatch| mismatch.found == "The OAuth client id."), "{mismatches:?}");
}

#[test]
fn a_changed_spec_type_is_reported_at_its_cell() {
    let before = Project::checked_in();
    let table = table_from_spec(&before, MODEL);
    let field = string_field(&table);
    let wire = crate::conformance::lower_camel(&field);
    let project = project_with(|spec| {
        let property = property_mut(spec, &wire);
        property["type"] = "integer".into();
        property["format"] = "int64".into();
    });
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, &field, &["Type"], &["rust", "docs"]);
}

#[test]
fn a_new_spec_field_is_reported_and_the_tables_command_writes_its_row() {
    let before = Project::checked_in();
    let table = table_from_spec(&before, MODEL);
    let project = project_with(|spec| {
        let properties = spec
            .pointer_mut(&format!("/components/schemas/{MODEL}/properties"))
            .and_then(Value::as_object_mut)
            .expect("properties");
        properties.insert("zoneName".to_owned(), serde_json::json!({ "type": "string", "description": "The zone." }));
    });
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "zone_name", &["Field"], &["spec", "rust", "docs"]);
    assert!(mismatches.iter().all(|mismatch| mismatch.row == 0), "{mismatches:?}");

    let models = codegen::progenitor::output::models(&project.api, &project.generated).expect("models");
    let model = models.iter().find(|model| model.name == MODEL).expect("the model");
    let reconciled = codegen::emit::tables::reconcile(&table, model);
    assert_eq!(reconciled.added, ["zone_name"]);
    let added = reconciled.table.rows.last().expect("a row");
    assert_eq!(added.type_text, "*Optional[str]*");
    assert_eq!(added.description.as_deref(), Some("The zone."));
    assert!(check_all(&reconciled.table, &project).is_empty(), "the written row passes every check");
}

#[test]
fn a_table_for_another_model_is_checked_without_code_changes() {
    let project = Project::checked_in();
    let text = codegen::emit::tables::render(&table_from_spec(&project, "UserRef"));
    let table = codegen::emit::tables::parse("userref.md", &text).expect("parses");
    assert!(check_all(&table, &project).is_empty(), "{:?}", check_all(&table, &project));

    let mut wrong = table.clone();
    wrong.rows[0].description = Some("The user's email.".to_owned());
    let field = wrong.rows[0].field.clone();
    assert_only(&check_all(&wrong, &project), &field, &["Description"], &["spec", "rust", "docs"]);
}
