//! `cargo xtask spec update`: brings in a new published API document, says what changed in the
//! Personal Client part, and regenerates the derived spec and the SDK from it, all or nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use codegen::derive::{PERSONAL_CLIENT_TAG, extract, sha256_hex};
use codegen::emit::changes::{Change, Side};
use codegen::read::{self, Document};

use crate::generate::{Output, derive_outputs, write_outputs};
use crate::workspace::{DERIVED_SPEC_FILE, MAX_INPUT_BYTES, UPSTREAM_FILE, shown_path};

/// The SDK's changelog, relative to its crate; `spec update` adds the API's changes to it.
pub const CHANGELOG_FILE: &str = "CHANGELOG.md";

/// A changelog's start, for an SDK that has none yet.
const CHANGELOG_START: &str = "# Changelog\n\nEvery change to the SDK that its users can notice. The layout follows\n[Keep a Changelog](https://keepachangelog.com/en/1.1.0/), and the versions follow\n[Semantic Versioning](https://semver.org/spec/v2.0.0.html) as Cargo reads it.\n";

/// The provenance table beside the vendored document.
pub const PROVENANCE_FILE: &str = "spec/upstream/PROVENANCE.md";

/// What `spec update` was asked to do.
pub struct UpdateOptions {
    /// The workspace root.
    pub root: PathBuf,
    /// The SDK crate directory.
    pub sdk: PathBuf,
    /// A file path, or an `https://` URL.
    pub from: String,
    /// Print the change summary and write nothing.
    pub dry_run: bool,
    /// The document's date for the provenance table (default: today, UTC).
    pub date: Option<String>,
    /// Where the document comes from, for the provenance table (default: the URL or file name).
    pub source: Option<String>,
}

/// Validates the new document, prints the change summary, and (unless `--dry-run`) replaces
/// the vendored document and its provenance and regenerates everything.
pub fn update(options: &UpdateOptions) -> anyhow::Result<()> {
    let (bytes, shown_new, default_source) = read_source(&options.root, &options.from)?;
    let new_document = read::load(&shown_new, &bytes)?;
    let Some(root) = new_document.value.as_object() else {
        bail!("{shown_new} is not an OpenAPI document (it is not a mapping); pass the published document");
    };
    codegen::check::check_version(&new_document, root)?;
    extract(&new_document, PERSONAL_CLIENT_TAG)?;
    // Derive and generate everything before saying anything: a document the overlay or the
    // generator cannot take is refused here, with nothing written.
    let mut outputs = derive_outputs(&options.root, &options.sdk, &bytes)
        .with_context(|| format!("{shown_new} cannot replace {UPSTREAM_FILE}; nothing was written"))?;
    let changes = changes_between(options, &outputs)?;
    print_summary(&shown_new, &changes);
    let version = crate::workspace::sdk_version(&options.sdk)?;
    print_impact(&changes, &version);
    if options.dry_run {
        println!("--dry-run: nothing was written");
        return Ok(());
    }

    let text = String::from_utf8(bytes.clone()).context("the document is not UTF-8")?;
    let date = match &options.date {
        Some(date) => date.clone(),
        None => today(),
    };
    let source = options.source.clone().unwrap_or(default_source);
    outputs.push(Output { path: options.root.join(UPSTREAM_FILE), contents: text });
    if !changes.is_empty() {
        let changelog_path = options.sdk.join(CHANGELOG_FILE);
        let changelog = std::fs::read_to_string(&changelog_path).unwrap_or_else(|_| CHANGELOG_START.to_owned());
        let source = format!("API document of {date}");
        outputs.push(Output {
            path: changelog_path,
            contents: codegen::emit::changes::changelog_with(&changelog, &source, &changes),
        });
    }
    outputs.push(Output {
        path: options.root.join(PROVENANCE_FILE),
        contents: provenance(&source, &date, &bytes, operation_count(&new_document)),
    });
    write_outputs(&options.root, &options.sdk, outputs)?;
    println!(
        "next: `cargo xtask tables --write` if a source table must gain or lose a row, then \
         `cargo insta test --review` to review the snapshot changes, then commit"
    );
    Ok(())
}

/// The changes from the vendored document to the new one, as the SDK sees them: the models
/// lowered from both derived specs and the Rust generated from each. The new side is `outputs`;
/// the old side is derived again from the vendored document (none when there is no readable one).
fn changes_between(options: &UpdateOptions, outputs: &[Output]) -> anyhow::Result<Vec<Change>> {
    let old_bytes = std::fs::read(options.root.join(UPSTREAM_FILE)).unwrap_or_default();
    let old_outputs = derive_outputs(&options.root, &options.sdk, &old_bytes).unwrap_or_default();
    let derived_path = options.root.join(DERIVED_SPEC_FILE);
    let rust_path = options.sdk.join(codegen::GENERATED_RUST_PATH);
    let side = |outputs: &[Output]| -> anyhow::Result<(codegen::model::Api, String)> {
        let text =
            |path: &Path| outputs.iter().find(|output| output.path == path).map(|output| output.contents.clone());
        match (text(&derived_path), text(&rust_path)) {
            (Some(derived), Some(rust)) => {
                let api = codegen::load_spec(DERIVED_SPEC_FILE, derived.as_bytes())
                    .map_err(anyhow::Error::from)
                    .context("the derived spec does not load")?
                    .api;
                Ok((api, rust))
            }
            _ => Ok((codegen::model::Api::default(), String::new())),
        }
    };
    let (old_api, old_rust) = side(&old_outputs)?;
    let (new_api, new_rust) = side(outputs)?;
    codegen::emit::changes::compare(
        Side { api: &old_api, generated_rust: &old_rust },
        Side { api: &new_api, generated_rust: &new_rust },
    )
}

/// What the changes mean for the SDK's users, and the version they imply.
fn print_impact(changes: &[Change], version: &str) {
    let Some(overall) = changes.iter().map(|change| change.impact).max() else { return };
    println!("What they mean for the SDK's Rust API:");
    for change in changes {
        println!(
            "  {:<9}  {}",
            change.impact.to_string(),
            codegen::diagnostic::terminal_safe(&format!("{change}  ({})", change.reason))
        );
    }
    match codegen::emit::changes::next_version(version, overall) {
        Some(next) => println!(
            "overall: {overall}; the SDK's next release is {next} (it is at {version}); {CHANGELOG_FILE} lists the changes"
        ),
        None => println!(
            "overall: {overall}; the SDK's version {version:?} is not MAJOR.MINOR.PATCH, so no next version is given"
        ),
    }
}

fn print_summary(shown_new: &str, changes: &[Change]) {
    println!("API changes in the operations tagged {PERSONAL_CLIENT_TAG:?} ({UPSTREAM_FILE} → {shown_new}):");
    if changes.is_empty() {
        println!("  none");
        return;
    }
    for change in changes {
        println!("  {}", codegen::diagnostic::terminal_safe(&change.to_string()));
    }
    let noun = if changes.len() == 1 { "change" } else { "changes" };
    println!("{} {noun}", changes.len());
}

/// The document's bytes, its name for messages, and its default source text.
fn read_source(root: &Path, from: &str) -> anyhow::Result<(Vec<u8>, String, String)> {
    if from.starts_with("http://") || from.starts_with("https://") {
        let bytes = fetch(from)?;
        return Ok((bytes, from.to_owned(), format!("`{from}`")));
    }
    let path = PathBuf::from(from);
    let bytes = crate::workspace::read_file(&path, from)?;
    let name = path.file_name().map_or_else(|| from.to_owned(), |name| name.to_string_lossy().into_owned());
    Ok((bytes, shown_path(root, &path), format!("a local file named `{name}`")))
}

/// Fetches a document with the SDK's HTTP stack: reqwest, rustls on ring, the platform's
/// trust store. Plain `http://` is refused except to this machine: a document fetched in clear
/// text could be swapped on the way, and it becomes code.
fn fetch(url: &str) -> anyhow::Result<Vec<u8>> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    let parsed = reqwest::Url::parse(url).with_context(|| format!("{url} is not a URL"))?;
    let loopback = parsed
        .host_str()
        .map(|host| host.trim_start_matches('[').trim_end_matches(']'))
        .is_some_and(|host| host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback()));
    if parsed.scheme() == "http" && !loopback {
        bail!("refusing to fetch {url} over plain http; use its https:// address");
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("cannot set up TLS")?
        .with_platform_verifier()
        .context("cannot load the platform's trusted certificates")?
        .with_no_client_auth();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(Duration::from_secs(120))
        .user_agent(concat!("personal-client-rs-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot build the HTTP client")?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("cannot start tokio")?;
    runtime.block_on(async {
        let mut response = client.get(parsed).send().await.with_context(|| format!("cannot fetch {url}"))?;
        if !response.status().is_success() {
            bail!(
                "{url} answered {}; check the address (a tenant serves the document at /api/v1/openapi.yaml)",
                response.status()
            );
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.with_context(|| format!("the download of {url} broke off"))? {
            if (bytes.len() + chunk.len()) as u64 > MAX_INPUT_BYTES {
                bail!("{url} is larger than {} MiB; that is not an API document", MAX_INPUT_BYTES / 1024 / 1024);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    })
}

fn operation_count(document: &Document) -> usize {
    document
        .value
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .map(|paths| {
            paths
                .values()
                .map(|item| {
                    codegen::read::openapi::HttpMethod::ALL
                        .iter()
                        .filter(|method| item.get(method.key()).is_some())
                        .count()
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The provenance table for a vendored document.
pub fn provenance(source: &str, date: &str, bytes: &[u8], operations: usize) -> String {
    format!(
        "# Provenance of the vendored API document\n\
         \n\
         `openapi.yaml` beside this file is ConductorOne's published OpenAPI document, byte for byte.\n\
         `cargo xtask spec update --from FILE|URL` replaces it and rewrites this table; nothing else\n\
         edits either.\n\
         \n\
         | field | value |\n\
         | --- | --- |\n\
         | file | `openapi.yaml` |\n\
         | source | {source} |\n\
         | date | {date} |\n\
         | sha256 | `{}` |\n\
         | operations | {operations} |\n\
         | licence | Apache-2.0, in `LICENSE` beside this file |\n",
        sha256_hex(bytes)
    )
}

/// Today's date in UTC, as `YYYY-MM-DD`.
fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let (year, month, day) = civil_from_days(i64::try_from(seconds / 86_400).unwrap_or(0));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_685), (2026, 8, 20));
    }
}
