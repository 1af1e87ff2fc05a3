//! What the commands print: a table for people, or JSON with the API's field names for scripts.

use std::io::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};
use conductorone_personal_client::PersonalClientWithClientSecret;
use conductorone_personal_client::types::PersonalClient;
use serde_json::{Value, json};

use crate::terminal::escape;

use crate::Failure;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    /// Aligned columns.
    Table,
    /// JSON, the API's field names (camelCase); stable for scripts.
    Json,
}

/// Writes `text` to standard output; a closed pipe (`c1pc list | head`) is not an error.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::Other(format!("cannot write to standard output: {error}"))),
    }
}

/// Writes `value` as pretty JSON, with the characters a terminal would act on escaped.
pub fn emit_json(value: &Value) -> Result<(), Failure> {
    let text = crate::terminal::json_text(value).map_err(|error| Failure::Other(error.to_string()))?;
    emit(&format!("{text}\n"))
}

fn to_json(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A table: a header row and left-aligned columns two spaces apart. Cells hold text from the
/// server, so the characters a terminal would act on are shown escaped.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> =
        rows.iter().map(|row| row.iter().map(|cell| escape(cell).into_owned()).collect()).collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = headers.iter().map(|header| header.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}", width = *width)).collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut text = line(headers.iter().map(|header| (*header).to_owned()).collect());
    for row in rows {
        text.push_str(&line(row.clone()));
    }
    text
}

fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "-".to_owned(), str::to_owned)
}

fn when(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| "-".to_owned(), |time| time.format("%Y-%m-%d %H:%M").to_string())
}

fn client_row(client: &PersonalClient) -> Vec<String> {
    vec![
        or_dash(client.id.as_deref()),
        or_dash(client.display_name.as_deref()),
        or_dash(client.user_id.as_deref()),
        when(client.created_at),
        when(client.expires_time),
        when(client.last_used_at),
    ]
}

const CLIENT_HEADERS: [&str; 6] = ["ID", "NAME", "USER", "CREATED", "EXPIRES", "LAST USED"];

/// Personal clients: a table, or a JSON array of the API's objects.
pub fn print_clients(output: Output, clients: &[PersonalClient]) -> Result<(), Failure> {
    match output {
        Output::Json => emit_json(&to_json(&clients)),
        Output::Table => emit(&table(&CLIENT_HEADERS, &clients.iter().map(client_row).collect::<Vec<_>>())),
    }
}

/// A new personal client and, unless they went to a file, its secrets.
pub fn print_created(
    output: Output,
    created: &PersonalClientWithClientSecret,
    show_secrets: bool,
) -> Result<(), Failure> {
    match output {
        Output::Json => {
            let mut value = to_json(created);
            if !show_secrets && let Value::Object(fields) = &mut value {
                for (name, _) in created.secrets() {
                    fields.remove(name);
                }
            }
            emit_json(&value)
        }
        Output::Table => {
            let mut text = table(&CLIENT_HEADERS, &[client_row(&created.client)]);
            if show_secrets {
                text.push_str(&format!("\nclient id: {}\n", escape(&or_dash(created.client.client_id.as_deref()))));
                for (_, secret) in created.secrets() {
                    text.push_str(&format!("secret:    {}\n", escape(secret.expose_secret())));
                }
                text.push_str("(shown once: the API cannot return it again)\n");
            }
            emit(&text)
        }
    }
}

/// A deleted personal client.
pub fn print_deleted(output: Output, id: &str) -> Result<(), Failure> {
    match output {
        Output::Json => emit_json(&json!({ "deleted": id })),
        Output::Table => emit(&format!("deleted {}\n", escape(id))),
    }
}

/// One personal client with what the audit found about it.
pub struct Finding {
    client: PersonalClient,
    flags: Vec<&'static str>,
}

/// Flags each personal client: `expired`, `expiring` (within `expiring_within`), `unused` (not
/// used for `unused_for`) and `never-used`.
pub fn audit(
    clients: &[PersonalClient],
    now: DateTime<Utc>,
    expiring_within: Duration,
    unused_for: Duration,
) -> Vec<Finding> {
    let span = |duration: Duration| chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX);
    let expiring_before = now.checked_add_signed(span(expiring_within)).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let used_since = now.checked_sub_signed(span(unused_for)).unwrap_or(DateTime::<Utc>::MIN_UTC);
    clients
        .iter()
        .map(|client| {
            let mut flags = Vec::new();
            match client.expires_time {
                Some(expires) if expires <= now => flags.push("expired"),
                Some(expires) if expires <= expiring_before => flags.push("expiring"),
                _ => {}
            }
            match client.last_used_at {
                None => flags.push("never-used"),
                Some(used) if used < used_since => flags.push("unused"),
                Some(_) => {}
            }
            Finding { client: client.clone(), flags }
        })
        .collect()
}

/// The audit: a table, or a JSON array of the API's personal clients, each with its `flags`.
pub fn print_audit(output: Output, findings: &[Finding]) -> Result<(), Failure> {
    match output {
        Output::Json => emit_json(&Value::Array(
            findings
                .iter()
                .map(|finding| {
                    let mut value = to_json(&finding.client);
                    if let Value::Object(fields) = &mut value {
                        fields.insert("flags".to_owned(), json!(finding.flags));
                    }
                    value
                })
                .collect(),
        )),
        Output::Table => {
            let rows: Vec<Vec<String>> = findings
                .iter()
                .map(|finding| {
                    vec![
                        or_dash(finding.client.id.as_deref()),
                        or_dash(finding.client.display_name.as_deref()),
                        or_dash(finding.client.user_id.as_deref()),
                        when(finding.client.expires_time),
                        when(finding.client.last_used_at),
                        if finding.flags.is_empty() { "ok".to_owned() } else { finding.flags.join(",") },
                    ]
                })
                .collect();
            emit(&table(&["ID", "NAME", "USER", "EXPIRES", "LAST USED", "FLAGS"], &rows))
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use conductorone_personal_client::types::PersonalClient;

    use super::{audit, table};

    #[test]
    fn every_flag_of_the_audit() {
        let now = chrono::DateTime::from_timestamp(1_000_000_000, 0).expect("a time");
        let at = |days: i64| Some(now + chrono::Duration::days(days));
        let client = |expires, used| {
            let mut client = PersonalClient::default();
            client.expires_time = expires;
            client.last_used_at = used;
            client
        };
        let clients = [client(at(-1), at(-1)), client(at(5), at(-200)), client(at(60), None), client(None, at(-2))];
        let flags: Vec<Vec<&str>> =
            audit(&clients, now, Duration::from_secs(30 * 86_400), Duration::from_secs(90 * 86_400))
                .into_iter()
                .map(|finding| finding.flags)
                .collect();
        assert_eq!(flags, [vec!["expired"], vec!["expiring", "unused"], vec!["never-used"], vec![]]);
    }

    #[test]
    fn tables_align_their_columns() {
        let text = table(&["ID", "NAME"], &[vec!["pc-1".into(), "runner".into()], vec!["pc-22".into(), "-".into()]]);
        assert_eq!(text, "ID     NAME\npc-1   runner\npc-22  -\n");
    }
}
