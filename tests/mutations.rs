//! The conformance checks bite: each mutation of a source table or of the spec is reported at
//! exactly the row and column that changed, and nowhere else.

use codegen::tables::{Row, Table};

use crate::conformance::{Mismatch, Project, check_all, render_with_source_notation, source_tables};
use crate::support::spec_bytes;

fn personal_client_table() -> Table {
    let (path, text) = source_tables()
        .into_iter()
        .find(|(path, _)| path.ends_with("personalclient.md"))
        .expect("the PersonalClient source table is checked in");
    codegen::tables::parse(&path.display().to_string(), &text).expect("it parses")
}

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

#[test]
fn the_unmutated_table_passes() {
    let project = Project::checked_in();
    let mismatches = check_all(&personal_client_table(), &project);
    assert!(mismatches.is_empty(), "{mismatches:?}");
}

#[test]
fn a_changed_description_is_reported_at_its_cell() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    row_mut(&mut table, "display_name").description = Some("Something else entirely.".to_owned());
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "display_name", &["Description"], &["spec", "rust", "docs"]);
    let found = &mismatches[0];
    assert_eq!(found.row, 5);
    assert_eq!(found.expected, "Something else entirely.");
    assert_eq!(found.found, "The display name of the personal client credential.");
}

#[test]
fn a_changed_requiredness_is_reported_at_its_cell() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    row_mut(&mut table, "user_id").required = true;
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "user_id", &["Required"], &["spec", "rust", "docs"]);
}

#[test]
fn a_changed_type_is_reported_at_its_cell() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    row_mut(&mut table, "client_id").type_text = "list[*str*]".to_owned();
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "client_id", &["Type"], &["rust", "docs"]);
    assert!(
        mismatches
            .iter()
            .all(|mismatch| mismatch.expected == "Option<Vec<String>>" && mismatch.found == "Option<String>")
    );
}

#[test]
fn a_removed_row_is_reported_by_name() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    table.rows.retain(|row| row.field != "last_used_at");
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "last_used_at", &["Field"], &["spec", "rust", "docs"]);
}

#[test]
fn an_added_row_is_reported_by_name() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    table.rows.push(Row {
        field: "nickname".to_owned(),
        type_text: "*Optional[str]*".to_owned(),
        required: false,
        description: Some("A nickname.".to_owned()),
    });
    let mismatches = check_all(&table, &project);
    assert_only(&mismatches, "nickname", &["Field"], &["spec", "rust", "docs"]);
    assert!(mismatches.iter().all(|mismatch| mismatch.row == 12), "{mismatches:?}");
}

#[test]
fn swapped_rows_are_reported_at_both_positions() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    table.rows.swap(1, 2);
    let mismatches = check_all(&table, &project);
    let listing: Vec<String> = mismatches.iter().map(ToString::to_string).collect();
    assert!(!mismatches.is_empty(), "the swap went unnoticed");
    for mismatch in &mismatches {
        assert_eq!(mismatch.column, "Field", "{listing:?}");
        assert!(["client_id", "created_at"].contains(&mismatch.field.as_str()), "{listing:?}");
    }
    for check in ["spec", "rust", "docs"] {
        let rows: Vec<usize> =
            mismatches.iter().filter(|mismatch| mismatch.check == check).map(|mismatch| mismatch.row).collect();
        assert_eq!(rows, vec![2, 3], "{check}: {listing:?}");
    }
}

#[test]
fn a_changed_source_table_no_longer_renders_byte_for_byte() {
    let project = Project::checked_in();
    let mut table = personal_client_table();
    let original = codegen::tables::render(&table);
    row_mut(&mut table, "id").description = Some("Changed.".to_owned());
    assert_ne!(render_with_source_notation(&table, &project), codegen::tables::render(&table));
    assert_ne!(codegen::tables::render(&table), original);
}

#[test]
fn a_changed_spec_description_is_reported_at_its_cell() {
    let spec = String::from_utf8(spec_bytes()).expect("UTF-8");
    let original = "description: The clientID of the credential.";
    assert!(spec.contains(original), "the spec no longer has the line this test changes");
    let project = Project::generated_from(spec.replacen(original, "description: The OAuth client id.", 1).as_bytes());
    let mismatches = check_all(&personal_client_table(), &project);
    assert_only(&mismatches, "client_id", &["Description"], &["spec", "rust", "docs"]);
    assert!(mismatches.iter().all(|mismatch| mismatch.found == "The OAuth client id."), "{mismatches:?}");
}

#[test]
fn a_changed_spec_type_is_reported_at_its_cell() {
    let spec = String::from_utf8(spec_bytes()).expect("UTF-8");
    let original = "        userId:\n          type: string\n";
    assert!(spec.contains(original), "the spec no longer has the lines this test changes");
    let project = Project::generated_from(
        spec.replacen(original, "        userId:\n          type: integer\n          format: int64\n", 1).as_bytes(),
    );
    let mismatches = check_all(&personal_client_table(), &project);
    assert_only(&mismatches, "user_id", &["Type"], &["rust", "docs"]);
}

#[test]
fn a_table_for_another_model_is_checked_without_code_changes() {
    // What a second file in spec/tables/ would hold: UserRef, in the source notation.
    let text = "# UserRef\n\nA reference to a user.\n\n\n## Fields\n\n\
                | Field | Type | Required | Description |\n\
                | ----- | ---- | -------- | ----------- |\n\
                | `id` | *Optional[str]* | :heavy_minus_sign: | The ID of the user. |";
    let table = codegen::tables::parse("userref.md", text).expect("parses");
    let project = Project::checked_in();
    assert!(check_all(&table, &project).is_empty(), "{:?}", check_all(&table, &project));

    let wrong = text.replace("The ID of the user.", "The user's email.");
    let table = codegen::tables::parse("userref.md", &wrong).expect("parses");
    assert_only(&check_all(&table, &project), "id", &["Description"], &["spec", "rust", "docs"]);
}
