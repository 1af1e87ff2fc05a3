//! Markdown docs: one page per model in the source-table layout, and one page of operations.

use std::fmt::Write as _;

use crate::emit::sdk::{MethodDoc, sentence};
use crate::emit::tables::{Row, Table, render};
use crate::model::{Api, BodyShape, ParameterLocation};
use crate::progenitor::output::Model;

/// Where a model's page goes, relative to the SDK crate: its name lower-cased, with anything but
/// ASCII letters, digits, `_` and `-` written as `_`, so that no schema name can reach outside
/// `docs/models/` (no separator, no `..`, no control character, never empty), and at most
/// [`MAX_PAGE_STEM_BYTES`] long before `.md`.
pub fn model_page_path(model_name: &str) -> String {
    format!("docs/models/{}.md", model_page_stem(model_name))
}

/// The file name of a model's page, without `.md`: see [`model_page_path`].
pub fn model_page_stem(model_name: &str) -> String {
    let mut stem: String = model_name
        .to_lowercase()
        .chars()
        .map(
            |character| {
                if character.is_ascii_alphanumeric() || matches!(character, '_' | '-') { character } else { '_' }
            },
        )
        .collect();
    if stem.is_empty() {
        stem.push('_');
    }
    if stem.len() > MAX_PAGE_STEM_BYTES {
        // A file system takes names of 255 bytes at most, and the writer adds a temporary
        // suffix; a long name keeps its start and gets a digest of the whole, so that two long
        // names sharing a start still get two pages.
        let digest = ring::digest::digest(&ring::digest::SHA256, stem.as_bytes());
        let hex: String = digest.as_ref()[..8].iter().map(|byte| format!("{byte:02x}")).collect();
        stem.truncate(MAX_PAGE_STEM_BYTES - hex.len() - 1);
        stem.push('-');
        stem.push_str(&hex);
    }
    stem
}

/// The longest file name stem of a model's page, in bytes (all ASCII).
pub const MAX_PAGE_STEM_BYTES: usize = 100;

/// Where the operations page goes, relative to the SDK crate.
pub const OPERATIONS_PAGE_PATH: &str = "docs/sdks/personal_client/README.md";

/// The model's table with Rust types in the Type column (linked to other models' pages).
pub fn model_table(model: &Model) -> Table {
    Table {
        name: model.name.clone(),
        description: model.description.clone(),
        rows: model
            .fields
            .iter()
            .map(|field| Row {
                field: field.rust_name.clone(),
                type_text: match &field.linked_model {
                    Some(linked) => format!("[`{}`]({}.md)", field.rust_type, model_page_stem(linked)),
                    None => format!("`{}`", field.rust_type),
                },
                required: field.required,
                description: field.description.clone(),
            })
            .collect(),
    }
}

/// A model's page: the header line, then the table exactly as [`render`] makes it.
pub fn model_page(header: &str, model: &Model) -> String {
    format!("{header}\n{}", render(&model_table(model)))
}

/// Prose from the spec as Markdown text: `&`, `<` and `>` written as entities, so that HTML in a
/// description is shown, not rendered.
fn html_safe(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text for one cell of a Markdown table: on one line, with `|` escaped.
fn cell(text: &str) -> String {
    html_safe(&text.replace(['\n', '\r'], " ")).replace('|', "\\|")
}

/// The operations page, from the model: per operation the `Client` method that makes it (its
/// signature, a compiled example, its parameters and errors), and the generated method as the
/// escape hatch.
pub fn operations_page(header: &str, api: &Api, methods: &[MethodDoc]) -> String {
    let mut page = format!("{header}\n# Operations\n\n");
    page.push_str(
        "Call the API through `Client`: each method below makes one operation, with typed errors\n\
         (`Error`), retries, the call timeout and paging as the crate README describes. The method\n\
         progenitor generated for each operation stays reachable through `Client::generated()` as an\n\
         escape hatch: one attempt, no retries, progenitor's error type. Every example below is\n\
         compiled by `cargo test`.\n\n",
    );
    page.push_str("| `Client` method | HTTP | path | summary |\n| --- | --- | --- | --- |\n");
    for (operation, method) in api.operations.iter().zip(methods) {
        let _ = writeln!(
            page,
            "| [`{}`](#{}) | `{}` | `{}` | {} |",
            method.name,
            method.name,
            operation.method.as_str(),
            crate::emit::code_span(&operation.path),
            operation.summary.as_deref().map(cell).unwrap_or_default()
        );
    }
    for (operation, method) in api.operations.iter().zip(methods) {
        let _ = writeln!(page, "\n## {}\n", method.name);
        let retried = if operation.read_only {
            " It only reads, so it is retried by default."
        } else {
            " It changes state, so it is retried only after `RetryPolicy::retry_writes(true)`."
        };
        let _ = writeln!(
            page,
            "`client.{}(...)` makes `{} {}`.{retried}\n",
            method.name,
            operation.method.as_str(),
            crate::emit::code_span(&operation.path)
        );
        for text in [&operation.summary, &operation.description].into_iter().flatten() {
            let _ = writeln!(page, "> {}\n", html_safe(&sentence(&text.replace('\n', " "))));
        }
        let _ = writeln!(page, "```text\n{}\n```\n", method.signature);
        let _ = writeln!(page, "Returns `{}`.\n", method.returns);
        let _ = writeln!(page, "### Example\n\n```rust,no_run\n{}\n```\n", method.example);
        page.push_str("### Parameters\n\n");
        let mut rows = Vec::new();
        for parameter in &operation.parameters {
            rows.push(format!(
                "| `{}` | {} | {} | {} |",
                parameter.rust_name,
                parameter.location.as_str(),
                if parameter.required || parameter.location == ParameterLocation::Path { "yes" } else { "no" },
                parameter.description.as_deref().map(cell).unwrap_or_default()
            ));
        }
        if let Some(body) = &operation.body {
            let taken = match (&body.shape, &method.update_builder) {
                (_, Some(builder)) => format!("`update`: a `{builder}`, which builds the body and its update mask"),
                (BodyShape::Empty, _) => "none: the body is always `{}`".to_owned(),
                _ => format!(
                    "`request`: {}",
                    body.schema.as_deref().map_or_else(
                        || format!("the {} body", body.media_type),
                        |schema| format!(
                            "[`{}`](../../models/{}.md)",
                            api.rust_name(schema),
                            model_page_stem(&api.rust_name(schema))
                        )
                    )
                ),
            };
            rows.push(format!("| body | {} | yes | {} |", cell(&body.media_type), taken));
        }
        if rows.is_empty() {
            page.push_str("None.\n\n");
        } else {
            page.push_str("| name | in | required | description |\n| --- | --- | --- | --- |\n");
            for row in rows {
                page.push_str(&row);
                page.push('\n');
            }
            page.push('\n');
        }
        if !method.helpers.is_empty() {
            page.push_str("### Also\n\n");
            for (name, signature, summary) in &method.helpers {
                let _ =
                    writeln!(page, "- `{name}`: {summary}\n\n  ```text\n  {}\n  ```", signature.replace('\n', "\n  "));
            }
            page.push('\n');
        }
        page.push_str(
            "### Errors\n\n\
             | `Error` variant | when |\n\
             | --- | --- |\n\
             | `Api` | the server answered another status: `status`, and the API's `code`, `message` and `details` when its error body says them |\n\
             | `Decode` | a success whose body is not the documented JSON, with the JSON path that failed |\n\
             | `ResponseTooLarge` | the answer's body is larger than the client's limit |\n\
             | `Transport`, `Timeout` | the server could not be reached, or an attempt took too long (after the retries the policy allows) |\n\
             | `DeadlineExceeded` | the call timeout ran out across attempts and waits |\n\
             | `Auth` | no access token could be obtained |\n\
             \n\
             `Error::is_retryable()` says whether trying again later may help.\n\n",
        );
        let _ = writeln!(
            page,
            "### Escape hatch\n\n`{}`: the generated method, one attempt, `progenitor_client::Error`.",
            method.generated_call
        );
    }
    page
}

/// The methods of the generated `impl Client` blocks.
pub fn client_methods(generated: &syn::File) -> Vec<&syn::ImplItemFn> {
    generated
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => Some(block),
            _ => None,
        })
        .flat_map(|block| block.items.iter())
        .filter_map(|item| match item {
            syn::ImplItem::Fn(method)
                if matches!(method.vis, syn::Visibility::Public(_)) && method.sig.asyncness.is_some() =>
            {
                Some(method)
            }
            _ => None,
        })
        .collect()
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.is_ident("Client"))
}

#[cfg(test)]
mod tests {
    use super::{MAX_PAGE_STEM_BYTES, model_page_path, model_page_stem};
    use crate::emit::sdk::tests::generated;

    #[test]
    fn a_long_model_name_gets_a_bounded_distinct_page_name() {
        let long = "L".repeat(300);
        let other = format!("{}x", "L".repeat(299));
        let (stem, other_stem) = (model_page_stem(&long), model_page_stem(&other));
        assert_eq!(stem.len(), MAX_PAGE_STEM_BYTES);
        assert!(stem.starts_with("lll"), "{stem}");
        assert_ne!(stem, other_stem, "names sharing a start keep distinct pages");
        assert_eq!(model_page_stem("PersonalClient"), "personalclient", "short names are unchanged");
    }

    #[test]
    fn a_model_page_is_a_table_of_its_rust_fields_linking_the_models_they_name() {
        let page = generated(&model_page_path("Widget"));
        assert!(
            page.starts_with(
                "<!-- @generated by `cargo xtask generate` from spec.yaml; do not edit by hand. -->\n# Widget\n"
            ),
            "{page}"
        );
        // Rust names and types, the secret as the SDK types it; a missing description is "N/A";
        // every cell is padded to the widest of the table, as in the source tables.
        let rows: Vec<&str> = page.lines().filter(|line| line.starts_with('|')).collect();
        assert_eq!(
            rows[0].split('|').map(str::trim).collect::<Vec<_>>(),
            ["", "Field", "Type", "Required", "Description", ""]
        );
        let cells = |row: &str| {
            row.split('|').map(str::trim).filter(|cell| !cell.is_empty()).map(str::to_owned).collect::<Vec<_>>()
        };
        assert_eq!(cells(rows[2]), ["`id`", "`Option<String>`", ":heavy_minus_sign:", "The widget's id."]);
        assert_eq!(cells(rows[4]), ["`tags`", "`Vec<String>`", ":heavy_minus_sign:", "N/A"]);
        assert_eq!(
            cells(rows[5]),
            ["`api_secret`", "`Option<SecretString>`", ":heavy_minus_sign:", "The widget's secret."]
        );
        assert!(rows.iter().all(|row| row.len() == rows[0].len()), "{page}");
        let answer = generated(&model_page_path("WidgetAnswer"));
        assert!(answer.contains("| [`Option<Widget>`](widget.md) |"), "{answer}");
    }
}
