//! Every source table in `spec/tables/` agrees, row by row, with the spec, the generated Rust
//! models and their generated docs; and rendering the model with the table's own type notation
//! gives the table back byte for byte. A mismatch names the row, the column and both values.

use std::fmt;
use std::path::PathBuf;

use codegen::emit::tables::{Row, Table};
use openapiv3::{ReferenceOr, SchemaKind, Type};

use crate::support::{SPEC_FILE, read_sdk_file, spec_bytes, workspace_root};

/// One disagreement between a source table and what the project has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Which comparison found it: `spec`, `rust` or `docs`.
    pub check: &'static str,
    /// The model.
    pub model: String,
    /// The 1-based row in the source table (0 when the row is absent from the table).
    pub row: usize,
    /// The field the row is about.
    pub field: String,
    /// The column: Field, Type, Required or Description.
    pub column: &'static str,
    pub expected: String,
    pub found: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = if self.row == 0 { "no row".to_owned() } else { format!("row {}", self.row) };
        write!(
            f,
            "{}: {} {row} (`{}`), column {}: expected {:?}, found {:?}",
            self.check, self.model, self.field, self.column, self.expected, self.found
        )
    }
}

pub use codegen::emit::notation::rust_type_for_notation;

/// `allow_source_cidr` → `allowSourceCidr`, the protobuf JSON mapping of a field name.
pub fn lower_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for character in snake.chars() {
        if character == '_' {
            upper = true;
        } else if upper {
            out.extend(character.to_uppercase());
            upper = false;
        } else {
            out.push(character);
        }
    }
    out
}

/// `allowSourceCidr` → `allow_source_cidr`, for naming a property the table lacks.
pub fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for character in camel.chars() {
        if character.is_uppercase() {
            out.push('_');
            out.extend(character.to_lowercase());
        } else {
            out.push(character);
        }
    }
    out
}

/// The source tables: every `.md` file in `spec/tables/`, with its path and text.
pub fn source_tables() -> Vec<(PathBuf, String)> {
    let dir = workspace_root().join("spec/tables");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("spec/tables exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a source table is UTF-8");
            (path, text)
        })
        .collect()
}

/// Finds a model's generated docs page by the model's name.
pub type DocsPageLookup = Box<dyn Fn(&str) -> Option<String>>;

/// Everything the checks compare a table with.
pub struct Project {
    pub spec: openapiv3::OpenAPI,
    pub api: codegen::model::Api,
    pub generated: syn::File,
    /// A model's generated docs page, by model name.
    pub docs_page: DocsPageLookup,
}

impl Project {
    /// The checked-in spec, generated code and docs.
    pub fn checked_in() -> Self {
        let codegen::Spec { spec, api, .. } = codegen::load_spec(SPEC_FILE, &spec_bytes()).expect("the spec is valid");
        let source = read_sdk_file(codegen::GENERATED_RUST_PATH).expect("the generated code is checked in");
        let generated = syn::parse_file(&source).expect("the generated code parses");
        Self {
            spec,
            api,
            generated,
            docs_page: Box::new(|name| read_sdk_file(&codegen::emit::docs::model_page_path(name))),
        }
    }

    /// Everything generated in memory from `spec` (for mutation tests).
    pub fn generated_from(spec: &[u8]) -> Self {
        let codegen::Spec { spec: parsed, api, .. } = codegen::load_spec(SPEC_FILE, spec).expect("the spec is valid");
        let files = codegen::generate(SPEC_FILE, spec, crate::support::sdk_crate_name()).expect("the spec generates");
        let find = move |path: &str| files.iter().find(|file| file.path == path).map(|file| file.contents.clone());
        let generated = syn::parse_file(&find(codegen::GENERATED_RUST_PATH).expect("generated Rust")).expect("parses");
        Self {
            spec: parsed,
            api,
            generated,
            docs_page: Box::new(move |name| find(&codegen::emit::docs::model_page_path(name))),
        }
    }
}

/// Compares the order of the fields both sides have, position by position.
fn order_mismatches(check: &'static str, table: &Table, other: &[String], out: &mut Vec<Mismatch>) {
    let from_table: Vec<&Row> = table.rows.iter().filter(|row| other.contains(&row.field)).collect();
    let from_other: Vec<&String> =
        other.iter().filter(|field| table.rows.iter().any(|row| &row.field == *field)).collect();
    for (row, expected) in from_table.iter().zip(&from_other) {
        if &row.field != *expected {
            out.push(Mismatch {
                check,
                model: table.name.clone(),
                row: row_number(table, &row.field),
                field: row.field.clone(),
                column: "Field",
                expected: (*expected).clone(),
                found: row.field.clone(),
            });
        }
    }
}

/// Rows on one side only.
fn presence_mismatches(check: &'static str, table: &Table, other: &[String], out: &mut Vec<Mismatch>) {
    for row in &table.rows {
        if !other.contains(&row.field) {
            out.push(mismatch(check, table, &row.field, "Field", "a field of that name", "none"));
        }
    }
    for field in other {
        if !table.rows.iter().any(|row| &row.field == field) {
            out.push(Mismatch {
                check,
                model: table.name.clone(),
                row: 0,
                field: field.clone(),
                column: "Field",
                expected: "no such field".to_owned(),
                found: "a field the table does not list".to_owned(),
            });
        }
    }
}

fn row_number(table: &Table, field: &str) -> usize {
    table.rows.iter().position(|row| row.field == field).map_or(0, |index| index + 1)
}

fn mismatch(
    check: &'static str,
    table: &Table,
    field: &str,
    column: &'static str,
    expected: impl Into<String>,
    found: impl Into<String>,
) -> Mismatch {
    Mismatch {
        check,
        model: table.name.clone(),
        row: row_number(table, field),
        field: field.to_owned(),
        column,
        expected: expected.into(),
        found: found.into(),
    }
}

fn required_cell(required: bool) -> String {
    if required { codegen::emit::tables::REQUIRED } else { codegen::emit::tables::OPTIONAL }.to_owned()
}

fn description_cell(description: Option<&str>) -> String {
    description.unwrap_or(codegen::emit::tables::NO_DESCRIPTION).to_owned()
}

/// The spec's schema of the table's name has exactly the table's properties, requiredness and descriptions.
pub fn check_spec(table: &Table, spec: &openapiv3::OpenAPI) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let schema = spec.components.as_ref().and_then(|components| components.schemas.get(&table.name));
    let Some(ReferenceOr::Item(schema)) = schema else {
        out.push(mismatch("spec", table, "-", "Field", format!("a schema {}", table.name), "none"));
        return out;
    };
    if schema.schema_data.description != table.description {
        out.push(mismatch(
            "spec",
            table,
            "-",
            "Description",
            description_cell(table.description.as_deref()),
            description_cell(schema.schema_data.description.as_deref()),
        ));
    }
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        out.push(mismatch("spec", table, "-", "Type", "an object schema", "another kind of schema"));
        return out;
    };
    // Wire names are the table's snake_case names in lowerCamelCase.
    let by_snake: Vec<(String, &String)> = object
        .properties
        .keys()
        .map(|wire| {
            (
                table
                    .rows
                    .iter()
                    .find(|row| lower_camel(&row.field) == *wire)
                    .map_or_else(|| snake_case(wire), |row| row.field.clone()),
                wire,
            )
        })
        .collect();
    let names: Vec<String> = by_snake.iter().map(|(snake, _)| snake.clone()).collect();
    presence_mismatches("spec", table, &names, &mut out);
    order_mismatches("spec", table, &names, &mut out);
    for row in &table.rows {
        let Some((_, wire)) = by_snake.iter().find(|(snake, _)| *snake == row.field) else { continue };
        let required = object.required.contains(wire);
        if required != row.required {
            out.push(mismatch(
                "spec",
                table,
                &row.field,
                "Required",
                required_cell(row.required),
                required_cell(required),
            ));
        }
        let description = match &object.properties[*wire] {
            ReferenceOr::Item(property) => property.schema_data.description.clone(),
            ReferenceOr::Reference { .. } => None,
        };
        if description != row.description {
            out.push(mismatch(
                "spec",
                table,
                &row.field,
                "Description",
                description_cell(row.description.as_deref()),
                description_cell(description.as_deref()),
            ));
        }
    }
    out
}

/// The generated struct has exactly the table's fields, with matching docs, wire names and types.
pub fn check_rust(table: &Table, generated: &syn::File) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let types = codegen::progenitor::output::types_module(generated).expect("a types module");
    let item = types.iter().find_map(|item| match item {
        syn::Item::Struct(item) if item.ident == table.name => Some(item),
        _ => None,
    });
    let Some(item) = item else {
        out.push(mismatch("rust", table, "-", "Field", format!("a struct {}", table.name), "none"));
        return out;
    };
    let fields: Vec<(String, &syn::Field)> = item
        .fields
        .iter()
        .filter_map(|field| {
            field.ident.as_ref().map(|ident| (ident.to_string().trim_start_matches("r#").to_owned(), field))
        })
        .collect();
    let names: Vec<String> = fields.iter().map(|(name, _)| name.clone()).collect();
    presence_mismatches("rust", table, &names, &mut out);
    // No order check here: typify orders struct fields by name whatever the spec's order, so the
    // order is the spec's and the docs' to agree on.
    for row in &table.rows {
        let Some((_, field)) = fields.iter().find(|(name, _)| *name == row.field) else { continue };
        let doc = codegen::progenitor::output::doc_comment(&field.attrs);
        if doc != row.description {
            out.push(mismatch(
                "rust",
                table,
                &row.field,
                "Description",
                description_cell(row.description.as_deref()),
                description_cell(doc.as_deref()),
            ));
        }
        let wire = codegen::progenitor::output::field_wire_name(field).unwrap_or_default();
        if wire != lower_camel(&row.field) {
            out.push(mismatch(
                "rust",
                table,
                &row.field,
                "Field",
                format!("serde name {}", lower_camel(&row.field)),
                format!("serde name {wire}"),
            ));
        }
        let found = codegen::progenitor::output::display_type(&field.ty);
        match rust_type_for_notation(&row.type_text) {
            Ok(expected) if expected != found => {
                out.push(mismatch("rust", table, &row.field, "Type", expected, found.clone()))
            }
            Ok(_) => {}
            Err(message) => out.push(mismatch("rust", table, &row.field, "Type", message, found.clone())),
        }
        let optional = found.starts_with("Option<");
        if row.required == optional {
            out.push(mismatch(
                "rust",
                table,
                &row.field,
                "Required",
                required_cell(row.required),
                required_cell(!optional),
            ));
        }
    }
    out
}

/// The generated docs page has the table's Field, Required and Description cells, and Types that correspond.
pub fn check_docs(table: &Table, page: Option<&str>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let Some(page) = page else {
        out.push(mismatch("docs", table, "-", "Field", "a docs page", "none"));
        return out;
    };
    let Some(body) = codegen::strip_markdown_header(page) else {
        out.push(mismatch(
            "docs",
            table,
            "-",
            "Field",
            "a generated header line",
            page.lines().next().unwrap_or_default(),
        ));
        return out;
    };
    let docs = match codegen::emit::tables::parse("docs page", body) {
        Ok(docs) => docs,
        Err(error) => {
            out.push(mismatch("docs", table, "-", "Field", "a table in the source layout", error.to_string()));
            return out;
        }
    };
    if docs.name != table.name {
        out.push(mismatch("docs", table, "-", "Field", table.name.clone(), docs.name.clone()));
    }
    if docs.description != table.description {
        out.push(mismatch(
            "docs",
            table,
            "-",
            "Description",
            description_cell(table.description.as_deref()),
            description_cell(docs.description.as_deref()),
        ));
    }
    let names: Vec<String> = docs.rows.iter().map(|row| row.field.clone()).collect();
    presence_mismatches("docs", table, &names, &mut out);
    order_mismatches("docs", table, &names, &mut out);
    for row in &table.rows {
        let Some(documented) = docs.rows.iter().find(|documented| documented.field == row.field) else { continue };
        if documented.required != row.required {
            out.push(mismatch(
                "docs",
                table,
                &row.field,
                "Required",
                required_cell(row.required),
                required_cell(documented.required),
            ));
        }
        if documented.description != row.description {
            out.push(mismatch(
                "docs",
                table,
                &row.field,
                "Description",
                description_cell(row.description.as_deref()),
                description_cell(documented.description.as_deref()),
            ));
        }
        let found = docs_type(&documented.type_text);
        match rust_type_for_notation(&row.type_text) {
            Ok(expected) if expected != found => out.push(mismatch("docs", table, &row.field, "Type", expected, found)),
            Ok(_) => {}
            Err(message) => out.push(mismatch("docs", table, &row.field, "Type", message, found)),
        }
    }
    out
}

/// The Rust type a docs Type cell shows: `` [`T`](page.md) `` or `` `T` `` → `T`.
fn docs_type(cell: &str) -> String {
    let cell = cell.trim();
    let linked = cell.strip_prefix('[').and_then(|rest| rest.split_once("](")).map_or(cell, |(text, _)| text);
    linked.trim_matches('`').to_owned()
}

/// The model rendered with the table's own type notation (a row the table lacks in the notation
/// `cargo xtask tables` would write), to compare with the table file byte for byte.
pub fn render_with_source_notation(table: &Table, project: &Project) -> String {
    let models =
        codegen::progenitor::output::models(&project.api, &project.generated).expect("the models are documented");
    let model = models.iter().find(|model| model.name == table.name).expect("the table's model is in the spec");
    let mut rendered = codegen::emit::docs::model_table(model);
    for row in &mut rendered.rows {
        let field = model.fields.iter().find(|field| field.rust_name == row.field);
        match table.rows.iter().find(|source| source.field == row.field) {
            Some(source) => row.type_text = source.type_text.clone(),
            None => {
                if let Some(cell) =
                    field.and_then(|field| codegen::emit::notation::notation_for_rust_type(&field.rust_type))
                {
                    row.type_text = cell;
                }
            }
        }
    }
    codegen::emit::tables::render(&rendered)
}

/// A table made from the spec alone, in the source notation: what the mutation tests change,
/// so that they never depend on the checked-in table's current rows.
pub fn table_from_spec(project: &Project, name: &str) -> Table {
    let models =
        codegen::progenitor::output::models(&project.api, &project.generated).expect("the models are documented");
    let model = models.iter().find(|model| model.name == name).expect("the model is in the spec");
    let empty = Table { name: name.to_owned(), description: model.description.clone(), rows: Vec::new() };
    let reconciled = codegen::emit::tables::reconcile(&empty, model);
    assert!(reconciled.unwritable.is_empty(), "{name}: the notation cannot write {:?}", reconciled.unwritable);
    reconciled.table
}

/// Every check of one table against a project.
pub fn check_all(table: &Table, project: &Project) -> Vec<Mismatch> {
    let page = (project.docs_page)(&table.name);
    let mut out = check_spec(table, &project.spec);
    out.extend(check_rust(table, &project.generated));
    out.extend(check_docs(table, page.as_deref()));
    out
}

/// Each mismatch on its own line, followed by the exact fix.
pub fn report(table_file: &str, mismatches: &[Mismatch]) -> String {
    mismatches.iter().map(|mismatch| format!("  {mismatch}\n{}", indent(&fix(mismatch, table_file)))).collect()
}

fn indent(text: &str) -> String {
    text.lines().map(|line| format!("      {line}\n")).collect()
}

/// What to do about a mismatch: every fix names the file to change and what to write there.
pub fn fix(mismatch: &Mismatch, table_file: &str) -> String {
    let field = &mismatch.field;
    let wire = lower_camel(field);
    let schema = format!("$.components.schemas[?@['{}'] == '{}']", codegen::derive::NAME_EXTENSION, mismatch.model);
    match mismatch.column {
        "Field" if mismatch.row == 0 => format!(
            "fix: `{field}` is in the spec but not in {table_file}: run `cargo xtask tables --write` to add its row, \
             or drop the field with an overlay action in spec/overlay.yaml (target: {schema}.properties.{wire}, remove: true)"
        ),
        "Field" if mismatch.expected == "a field of that name" => format!(
            "fix: {table_file} lists `{field}`, which the spec does not have: run `cargo xtask tables --write` to drop its row, \
             or add the field with an overlay action in spec/overlay.yaml"
        ),
        "Field" => format!("fix: run `cargo xtask tables --write` to put the rows of {table_file} in the spec's order"),
        "Description" => {
            let target = if field == "-" { schema.clone() } else { format!("{schema}.properties.{wire}") };
            let action = serde_json::json!([{
                "target": target,
                "description": format!("{table_file} is the contract for this description"),
                "update": { "description": mismatch.expected },
            }]);
            format!(
                "fix, either: add this action to spec/overlay.yaml (keeping the table's text), then run `cargo xtask generate`:\n{}\
                 or: change the Description cell of row {} in {table_file} to the spec's text (`cargo xtask tables` shows rows as the spec has them)",
                codegen::derive::yaml::to_yaml(&action),
                mismatch.row
            )
        }
        "Type" => {
            let cell = codegen::emit::notation::notation_for_rust_type(&mismatch.found).map_or_else(
                || format!("a notation for `{}` (declare it in codegen/src/notation.rs)", mismatch.found),
                |cell| format!("`{cell}`"),
            );
            format!(
                "fix, either: change the Type cell of row {} in {table_file} to {cell}, \
                 or: restore the type with an overlay action on {schema}.properties.{wire} in spec/overlay.yaml",
                mismatch.row
            )
        }
        _ => format!(
            "fix, either: change the Required cell of row {} in {table_file} to {}, \
             or: change `required` with an overlay action on {schema} in spec/overlay.yaml",
            mismatch.row, mismatch.found
        ),
    }
}

#[test]
fn there_is_at_least_one_source_table() {
    assert!(!source_tables().is_empty(), "spec/tables/ holds no .md table");
}

#[test]
fn every_source_table_agrees_with_the_spec_the_rust_models_and_the_docs() {
    let project = Project::checked_in();
    let mut failures = String::new();
    for (path, text) in source_tables() {
        let shown = path.strip_prefix(workspace_root()).unwrap_or(&path).display().to_string();
        let table = match codegen::emit::tables::parse(&shown, &text) {
            Ok(table) => table,
            Err(error) => {
                failures.push_str(&format!("{error}\n"));
                continue;
            }
        };
        let mismatches = check_all(&table, &project);
        if !mismatches.is_empty() {
            failures.push_str(&format!("{shown} disagrees:\n{}", report(&shown, &mismatches)));
        }
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn rendering_each_model_with_the_source_notation_gives_the_source_table_byte_for_byte() {
    let project = Project::checked_in();
    for (path, text) in source_tables() {
        let table = codegen::emit::tables::parse(&path.display().to_string(), &text).expect("the table parses");
        let rendered = render_with_source_notation(&table, &project);
        if rendered != text {
            let diff = codegen::emit::freshness::unified_diff(&path.display().to_string(), &text, &rendered);
            panic!(
                "rendering {} does not reproduce {}:\n{diff}\nfix: `cargo xtask tables --write` writes the rows the table lacks; \
                 for a cell that differs, the conformance test above names the fix",
                table.name,
                path.display()
            );
        }
    }
}
