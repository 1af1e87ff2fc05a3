//! Field tables in the layout of the source tables: rendering them, and reading them back.
//!
//! The layout, as the source tables in `spec/tables/` use it:
//!
//! ```text
//! # Name
//!
//! Description
//!
//!
//! ## Fields
//!
//! | Field | Type | Required | Description |
//! | ----- | ---- | -------- | ----------- |
//! | `name` | ... | :heavy_minus_sign: | ... |
//! ```
//!
//! Every cell, header and separator included, is padded to one common width: the length of the
//! longest raw cell, measured before newlines in descriptions become `<br/>` (which is why a
//! multi-line description overflows its column), but never more than [`PAD_LIMIT`]: a longer
//! cell is left as it is, so that one very long description cannot make every cell of the page
//! as long. A missing description is `N/A`. There is no trailing newline.
//!
//! Prose cannot break the layout: in the Description cells and the description, `&`, `<`, `>`,
//! `|` and `\` are written as `&amp;`, `&lt;`, `&gt;`, `\|` and `\\`, and newlines as `<br/>`;
//! [`parse`] reads them back. (The Field and Type cells hold names and types the generator writes.)

use std::fmt;

/// The Required cell of a required field.
pub const REQUIRED: &str = ":heavy_check_mark:";
/// The Required cell of an optional field.
pub const OPTIONAL: &str = ":heavy_minus_sign:";
/// The Description cell of a field without a description.
pub const NO_DESCRIPTION: &str = "N/A";
/// How a newline inside a description is written in a cell.
pub const LINE_BREAK: &str = "<br/>";

const HEADERS: [&str; 4] = ["Field", "Type", "Required", "Description"];

/// The widest a cell is padded to.
pub const PAD_LIMIT: usize = 256;

/// A cell's text as written: HTML's special characters, the cell separator and the backslash
/// escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            other => out.push(other),
        }
    }
    out
}

/// The text a written cell stands for (the inverse of [`escape`]).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut characters = text.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            match characters.next() {
                Some(next @ ('\\' | '|')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(character);
        }
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// One model's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The model's name, the page's `#` heading.
    pub name: String,
    /// The model's description (may hold newlines); `None` renders as `N/A`.
    pub description: Option<String>,
    /// The rows, in order.
    pub rows: Vec<Row>,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The field name, without backticks.
    pub field: String,
    /// The Type cell exactly as written.
    pub type_text: String,
    /// Whether the field is required.
    pub required: bool,
    /// The description with real newlines; `None` is `N/A`.
    pub description: Option<String>,
}

impl Row {
    fn raw_cells(&self) -> [String; 4] {
        [
            format!("`{}`", self.field),
            self.type_text.clone(),
            if self.required { REQUIRED } else { OPTIONAL }.to_owned(),
            self.description.as_deref().map_or_else(|| NO_DESCRIPTION.to_owned(), escape),
        ]
    }
}

/// Renders a table page exactly in the source layout.
pub fn render(table: &Table) -> String {
    let rows: Vec<[String; 4]> = table.rows.iter().map(Row::raw_cells).collect();
    let width = rows
        .iter()
        .flatten()
        .map(String::as_str)
        .chain(HEADERS)
        .map(|cell| cell.chars().count())
        .max()
        .unwrap_or(0)
        .min(PAD_LIMIT);
    let line = |cells: [&str; 4]| -> String {
        let padded: Vec<String> = cells
            .iter()
            .map(|cell| {
                let pad = width.saturating_sub(cell.chars().count());
                format!("{}{}", cell.replace('\n', LINE_BREAK), " ".repeat(pad))
            })
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let description = table
        .description
        .as_deref()
        .map_or_else(|| NO_DESCRIPTION.to_owned(), |text| escape(text).replace('\n', LINE_BREAK));
    let mut out = format!("# {}\n\n{}\n\n\n## Fields\n\n", table.name, description);
    out.push_str(&line(HEADERS));
    let dashes = "-".repeat(width);
    out.push('\n');
    out.push_str(&line([dashes.as_str(); 4]));
    for row in &rows {
        out.push('\n');
        // The separator above was built from dashes, which `line` pads the same way.
        out.push_str(&line([row[0].as_str(), row[1].as_str(), row[2].as_str(), row[3].as_str()]));
    }
    out
}

/// A table that does not follow the layout, with the place where it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// The file, as the caller named it.
    pub file: String,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for TableError {}

/// Reads a table page in the source layout; `file` is used in errors.
pub fn parse(file: &str, text: &str) -> Result<Table, TableError> {
    let error =
        |line: usize, column: usize, message: String| TableError { file: file.to_owned(), line, column, message };
    let lines: Vec<&str> = text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).collect();
    let expect_line = |index: usize, expected: &str| -> Result<(), TableError> {
        match lines.get(index) {
            Some(found) if *found == expected => Ok(()),
            Some(found) => Err(error(index + 1, 1, format!("expected {expected:?}, found {found:?}"))),
            None => Err(error(index + 1, 1, format!("expected {expected:?}, found the end of the file"))),
        }
    };
    let name = lines
        .first()
        .and_then(|line| line.strip_prefix("# "))
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| error(1, 1, "expected a `# Name` heading".to_owned()))?
        .to_owned();
    expect_line(1, "")?;
    let description =
        lines.get(2).ok_or_else(|| error(3, 1, "expected the description, found the end of the file".to_owned()))?;
    let description = (*description != NO_DESCRIPTION).then(|| unescape(&description.replace(LINE_BREAK, "\n")));
    expect_line(3, "")?;
    expect_line(4, "")?;
    expect_line(5, "## Fields")?;
    expect_line(6, "")?;

    let header_index = 7;
    let header = lines.get(header_index).ok_or_else(|| error(8, 1, "expected the table header".to_owned()))?;
    let header_cells = split_row(header)
        .map_err(|column| error(header_index + 1, column, "the header row must start and end with `|`".to_owned()))?;
    let names: Vec<&str> = header_cells.iter().map(|(_, cell)| cell.trim()).collect();
    if names != HEADERS {
        return Err(error(header_index + 1, 1, format!("expected the columns {HEADERS:?}, found {names:?}")));
    }
    let separator = lines
        .get(header_index + 1)
        .ok_or_else(|| error(header_index + 2, 1, "expected the separator row".to_owned()))?;
    let separator_cells = split_row(separator).map_err(|column| {
        error(header_index + 2, column, "the separator row must start and end with `|`".to_owned())
    })?;
    for (column, cell) in &separator_cells {
        let cell = cell.trim();
        if cell.is_empty() || !cell.chars().all(|character| matches!(character, '-' | ':')) {
            return Err(error(header_index + 2, *column, format!("a separator cell must be dashes, found {cell:?}")));
        }
    }
    if separator_cells.len() != 4 {
        return Err(error(header_index + 2, 1, format!("expected 4 separator cells, found {}", separator_cells.len())));
    }

    let mut rows = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(header_index + 2) {
        let number = index + 1;
        if line.trim().is_empty() {
            if lines[index..].iter().all(|rest| rest.trim().is_empty()) {
                break;
            }
            return Err(error(number, 1, "a blank line inside the table".to_owned()));
        }
        let cells =
            split_row(line).map_err(|column| error(number, column, "a row must start and end with `|`".to_owned()))?;
        if cells.len() != 4 {
            return Err(error(number, 1, format!("expected 4 cells, found {}", cells.len())));
        }
        let (field_column, field) = (cells[0].0, cells[0].1.trim());
        let field = field
            .strip_prefix('`')
            .and_then(|rest| rest.strip_suffix('`'))
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                error(number, field_column, format!("the Field cell must be a name in backticks, found {field:?}"))
            })?;
        let type_text = cells[1].1.trim().to_owned();
        if type_text.is_empty() {
            return Err(error(number, cells[1].0, "the Type cell is empty".to_owned()));
        }
        let required = match cells[2].1.trim() {
            REQUIRED => true,
            OPTIONAL => false,
            other => {
                return Err(error(
                    number,
                    cells[2].0,
                    format!("the Required cell must be {REQUIRED} or {OPTIONAL}, found {other:?}"),
                ));
            }
        };
        let description = cells[3].1.trim();
        let description = (description != NO_DESCRIPTION).then(|| unescape(&description.replace(LINE_BREAK, "\n")));
        rows.push(Row { field: field.to_owned(), type_text, required, description });
    }
    Ok(Table { name, description, rows })
}

/// Splits `| a | b |` into cells with their 1-based starting columns; `Err(column)` when malformed.
///
/// A `|` inside backticks or escaped as `\|` does not split.
fn split_row(line: &str) -> Result<Vec<(usize, String)>, usize> {
    let trimmed = line.trim_end();
    if !trimmed.starts_with('|') {
        return Err(1);
    }
    if !trimmed.ends_with('|') || trimmed.len() < 2 {
        return Err(trimmed.chars().count());
    }
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut start = 2;
    let mut in_code = false;
    let mut escaped = false;
    let characters: Vec<char> = trimmed.chars().collect();
    for (index, character) in characters.iter().enumerate().skip(1) {
        let column = index + 1;
        match character {
            '|' if !in_code && !escaped => {
                cells.push((start, std::mem::take(&mut current)));
                start = column + 1;
            }
            '`' => {
                in_code = !in_code;
                current.push('`');
            }
            _ => current.push(*character),
        }
        escaped = *character == '\\' && !escaped;
    }
    if !current.trim().is_empty() {
        return Err(characters.len());
    }
    Ok(cells)
}

/// A source table brought in line with its model: rows for fields it lacks (in the model's
/// order, in the table's notation), and without rows for fields the model no longer has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// The table as it should be.
    pub table: Table,
    /// The fields whose rows were added.
    pub added: Vec<String>,
    /// The fields whose rows were removed.
    pub removed: Vec<String>,
    /// Fields whose Rust type the notation cannot write, with the type; they get no row.
    pub unwritable: Vec<(String, String)>,
}

/// Brings `table` in line with `model`; rows the model also has are kept exactly as written.
pub fn reconcile(table: &Table, model: &crate::progenitor::output::Model) -> Reconciled {
    let mut rows = Vec::new();
    let mut added = Vec::new();
    let mut unwritable = Vec::new();
    for field in &model.fields {
        if let Some(existing) = table.rows.iter().find(|row| row.field == field.rust_name) {
            rows.push(existing.clone());
            continue;
        }
        match crate::emit::notation::notation_for_rust_type(&field.rust_type) {
            Some(type_text) => {
                rows.push(Row {
                    field: field.rust_name.clone(),
                    type_text,
                    required: field.required,
                    description: field.description.clone(),
                });
                added.push(field.rust_name.clone());
            }
            None => unwritable.push((field.rust_name.clone(), field.rust_type.clone())),
        }
    }
    let removed = table
        .rows
        .iter()
        .filter(|row| !model.fields.iter().any(|field| field.rust_name == row.field))
        .map(|row| row.field.clone())
        .collect();
    Reconciled { table: Table { rows, ..table.clone() }, added, removed, unwritable }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        Table {
            name: "Thing".to_owned(),
            description: Some("A thing.".to_owned()),
            rows: vec![
                Row { field: "id".to_owned(), type_text: "*str*".to_owned(), required: true, description: None },
                Row {
                    field: "notes".to_owned(),
                    type_text: "list[*str*]".to_owned(),
                    required: false,
                    description: Some("first\n second".to_owned()),
                },
            ],
        }
    }

    #[test]
    fn text_cannot_break_the_layout_and_reads_back_the_same() {
        let mut table = sample();
        table.description = Some("A | B <script>\nsecond & line".to_owned());
        table.rows[0].description = Some("x | y <b>z</b> &amp; \\| end\nnext".to_owned());
        let rendered = render(&table);
        assert!(!rendered.contains("<script>") && !rendered.contains("<b>"), "{rendered}");
        assert_eq!(rendered.lines().filter(|line| line.starts_with('|')).count(), 2 + table.rows.len());
        assert_eq!(parse("t.md", &rendered).expect("parses"), table);
    }

    #[test]
    fn one_very_long_cell_does_not_widen_every_other() {
        let mut table = sample();
        table.rows[0].description = Some("x".repeat(100_000));
        let rendered = render(&table);
        assert!(rendered.len() < 100_000 + 20 * super::PAD_LIMIT, "{} bytes", rendered.len());
        assert_eq!(parse("t.md", &rendered).expect("parses"), table);
    }

    #[test]
    fn render_then_parse_gives_the_table_back() {
        let text = render(&sample());
        assert_eq!(parse("thing.md", &text).expect("parses"), sample());
        assert!(!text.ends_with('\n'));
        assert!(text.contains("first<br/> second"));
    }

    #[test]
    fn cells_share_the_width_of_the_longest_raw_cell() {
        let text = render(&sample());
        let width = "first\n second".len().max(":heavy_check_mark:".len());
        let header = text.lines().find(|line| line.starts_with("| Field")).expect("a header");
        assert_eq!(header.len(), 4 * (width + 3) + 1);
    }

    #[test]
    fn a_bad_required_cell_is_located() {
        let text = render(&sample()).replace(":heavy_check_mark:", ":yes:               ");
        let error = parse("thing.md", &text).expect_err("a bad cell");
        assert_eq!(error.line, 10);
        assert!(error.column > 1, "{error}");
        assert!(error.to_string().starts_with("thing.md:10:"), "{error}");
    }

    #[test]
    fn a_row_without_a_closing_pipe_is_located() {
        let text = format!("{}\n| `x` | y | :heavy_minus_sign: | z", render(&sample()));
        let error = parse("thing.md", &text).expect_err("a bad row");
        assert_eq!(error.line, 12);
    }
}
