//! `c1pc`: manage ConductorOne personal client credentials from the command line, over the SDK.

mod api;
mod duration;
mod output;
mod terminal;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, CommandFactory as _, Parser, Subcommand};
use conductorone_personal_client::types::{
    PersonalClient, PersonalClientSearchServiceSearchRequest, PersonalClientServiceCreateRequest, UserRef,
};
use conductorone_personal_client::{Client, Error, PersonalClientUpdate, PersonalClientWithClientSecret};
use futures::{StreamExt as _, TryStreamExt as _};

use crate::output::{Output, print_clients, print_created};
use crate::terminal::escape;

/// Exit codes, as `--help` lists them.
const EXIT_API: u8 = 3;
const EXIT_AUTH: u8 = 4;
const EXIT_OTHER: u8 = 1;
const EXIT_USAGE: u8 = 2;

const AFTER_HELP: &str = "\
Authentication, as the official ConductorOne tools read it (the first that is set):
  CONDUCTORONE_ACCESS_TOKEN                              a bearer token
  CONDUCTORONE_OIDC_TOKEN + CONDUCTORONE_CLIENT_ID       workload federation (a CI job's OIDC token)
  CONDUCTORONE_CLIENT_ID + CONDUCTORONE_CLIENT_SECRET    a personal client
Server: CONDUCTORONE_SERVER_URL (https://acme.conductor.one) or CONDUCTORONE_TENANT_DOMAIN (acme),
else the tenant in the client id.

Exit codes: 0 success, 1 another failure (such as a file that cannot be written), 2 usage,
3 the API failed or could not be reached, 4 authentication or configuration.

Examples:
  c1pc list
  c1pc create --name \"ci runner\" --expires 30d --secret-file runner.secret
  c1pc rotate blue-whale-12345 --secret-file runner.secret
  c1pc audit --expiring-within 14d --unused-for 90d --output json
  c1pc api                                    (every operation of the API)
  c1pc api get --param id=blue-whale-12345
  c1pc completions bash > /etc/bash_completion.d/c1pc";

/// Manage ConductorOne personal client credentials.
#[derive(Debug, Parser)]
#[command(name = "c1pc", version, about, after_help = AFTER_HELP)]
struct Cli {
    /// How to print results: a table for people, or JSON (stable field names, the API's) for scripts.
    #[arg(long, global = true, value_enum, default_value_t = Output::Table)]
    output: Output,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the current user's personal clients.
    List,
    /// Show one personal client.
    Get {
        /// The personal client's id.
        id: String,
    },
    /// Create a personal client; its secret is printed once (or written to --secret-file).
    Create {
        #[command(flatten)]
        fields: NewFields,
        #[command(flatten)]
        secret: SecretDestination,
    },
    /// Change a personal client's name, roles, allowed CIDRs or expiry.
    Update {
        /// The personal client's id.
        id: String,
        /// A new display name.
        #[arg(long)]
        name: Option<String>,
        /// The IAM roles to reduce its permissions to (repeat for several); replaces the list.
        #[arg(long = "scoped-role", value_name = "ROLE")]
        scoped_roles: Vec<String>,
        /// The CIDRs allowed to use it (repeat for several); replaces the list.
        #[arg(long = "allow-cidr", value_name = "CIDR")]
        allow_cidrs: Vec<String>,
        /// A new expiry, from now: 30d, 12h, 90m, 1w2d.
        #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
        expires: Option<std::time::Duration>,
    },
    /// Delete a personal client; it stops working at once.
    Delete {
        /// The personal client's id.
        id: String,
    },
    /// Search all users' personal clients, following every page.
    Search {
        /// Free text to match.
        #[arg(long)]
        query: Option<String>,
        /// Only these users' personal clients (repeat for several).
        #[arg(long = "user", value_name = "USER_ID")]
        users: Vec<String>,
        /// Stop after this many results.
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Replace a personal client by a new one with the same name, roles, CIDRs and expiry, then
    /// delete the old one (only once the new one exists).
    Rotate {
        /// The id of the personal client to replace.
        id: String,
        #[command(flatten)]
        secret: SecretDestination,
    },
    /// Flag every personal client of every user: expired, expiring soon, unused, never used.
    Audit {
        /// Flag those that expire within this long: 30d, 12h.
        #[arg(long, value_name = "DURATION", value_parser = duration::parse, default_value = "30d")]
        expiring_within: std::time::Duration,
        /// Flag those not used for this long.
        #[arg(long, value_name = "DURATION", value_parser = duration::parse, default_value = "90d")]
        unused_for: std::time::Duration,
    },
    /// Call any operation of the API by name and print its answer as JSON; without a name, list them.
    Api {
        /// The operation, as `c1pc api` lists it (such as `get`).
        operation: Option<String>,
        /// A path, query or header parameter: NAME=VALUE (repeat for several).
        #[arg(long = "param", value_name = "NAME=VALUE")]
        parameters: Vec<String>,
        /// The request body: JSON, @FILE, or @- to read standard input (default `{}`).
        #[arg(long, value_name = "JSON|@FILE|@-")]
        body: Option<String>,
        /// Print the operation's parameters and the JSON schemas of its body and answer.
        #[arg(long)]
        describe: bool,
        #[command(flatten)]
        secret: SecretDestination,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// The fields of a new personal client.
#[derive(Debug, Args)]
struct NewFields {
    /// Its display name.
    #[arg(long)]
    name: String,
    /// How long it stays valid: 30d, 12h, 90m, 1w2d (sent as the API's "2592000s").
    #[arg(long, value_name = "DURATION", value_parser = duration::parse)]
    expires: Option<std::time::Duration>,
    /// The IAM roles to reduce its permissions to (repeat for several).
    #[arg(long = "scoped-role", value_name = "ROLE")]
    scoped_roles: Vec<String>,
    /// The CIDRs allowed to use it (repeat for several).
    #[arg(long = "allow-cidr", value_name = "CIDR")]
    allow_cidrs: Vec<String>,
}

/// Where a new secret goes.
#[derive(Debug, Args)]
struct SecretDestination {
    /// Write the secret to this new file (mode 0600) instead of printing it.
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
}

/// A failure, with the exit code it maps to.
#[derive(Debug)]
enum Failure {
    Sdk(Error),
    Usage(String),
    Other(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Sdk(error)
    }
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Self::Sdk(Error::Config(_) | Error::Credential(_) | Error::Auth { .. }) => EXIT_AUTH,
            Self::Sdk(error) if error.status().is_some_and(|status| status == 401 || status == 403) => EXIT_AUTH,
            Self::Sdk(_) => EXIT_API,
            Self::Usage(_) => EXIT_USAGE,
            Self::Other(_) => EXIT_OTHER,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Completions { shell } = cli.command {
        clap_complete::generate(shell, &mut Cli::command(), "c1pc", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_OTHER);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            match &failure {
                // The messages may carry the server's text: shown escaped.
                Failure::Sdk(error) => {
                    eprintln!("error: {}", escape(&error.to_string()));
                    let mut source = std::error::Error::source(error);
                    while let Some(cause) = source {
                        eprintln!("  caused by: {}", escape(&cause.to_string()));
                        source = cause.source();
                    }
                }
                Failure::Usage(message) | Failure::Other(message) => eprintln!("error: {}", escape(message)),
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let output = cli.output;
    if let Command::Api { operation, parameters, body, describe, secret } = cli.command {
        let request = api::Request { operation, parameters, body, describe, secret_file: secret.secret_file };
        return api::run(Client::from_env, output, request).await;
    }
    let client = Client::from_env()?;
    match cli.command {
        Command::List => print_clients(output, &client.list().await?.items),
        Command::Get { id } => print_clients(output, &[client.get(&id).await?]),
        Command::Create { fields, secret } => {
            let mut request = PersonalClientServiceCreateRequest::default().with_display_name(fields.name);
            request.expires = fields.expires.map(duration::to_api);
            request.scoped_roles = non_empty(fields.scoped_roles);
            request.allow_source_cidr = non_empty(fields.allow_cidrs);
            // The secret file is created before the credential, so that a secret is never
            // returned by the API with nowhere to go.
            let file = SecretFile::create(secret.secret_file.as_deref())?;
            let created = file.unless_failed(client.create(&request).await)?;
            deliver(output, &created, file)
        }
        Command::Update { id, name, scoped_roles, allow_cidrs, expires } => {
            let mut update = PersonalClientUpdate::new();
            if let Some(name) = name {
                update = update.display_name(name);
            }
            if !scoped_roles.is_empty() {
                update = update.scoped_roles(scoped_roles);
            }
            if !allow_cidrs.is_empty() {
                update = update.allow_source_cidr(allow_cidrs);
            }
            if let Some(expires) = expires {
                update = update
                    .expires_time(Utc::now() + chrono::Duration::from_std(expires).unwrap_or(chrono::Duration::MAX));
            }
            if update.is_empty() {
                return Err(Failure::Other(
                    "nothing to change; pass --name, --scoped-role, --allow-cidr or --expires".to_owned(),
                ));
            }
            print_clients(output, &[client.update(&id, &update).await?])
        }
        Command::Delete { id } => {
            client.delete(&id).await?;
            output::print_deleted(output, &id)
        }
        Command::Search { query, users, limit } => {
            let mut request = PersonalClientSearchServiceSearchRequest::default();
            request.query = query;
            request.users = non_empty(users.into_iter().map(|id| UserRef::default().with_id(id)).collect());
            // `take` stops polling at the limit, so no page beyond it is fetched.
            let found: Vec<PersonalClient> =
                client.search_stream(request).take(limit.unwrap_or(usize::MAX)).try_collect().await?;
            print_clients(output, &found)
        }
        Command::Rotate { id, secret } => {
            let file = SecretFile::create(secret.secret_file.as_deref())?;
            rotate(&client, output, &id, file).await
        }
        Command::Audit { expiring_within, unused_for } => {
            let everyone = client.search_all(PersonalClientSearchServiceSearchRequest::default()).await?;
            output::print_audit(output, &output::audit(&everyone, Utc::now(), expiring_within, unused_for))
        }
        Command::Completions { .. } | Command::Api { .. } => Ok(()),
    }
}

/// Creates the replacement, hands over its secret, and only then deletes the old one.
async fn rotate(client: &Client, output: Output, id: &str, file: SecretFile) -> Result<(), Failure> {
    let old = file.unless_failed(client.get(id).await)?;
    let mut request = PersonalClientServiceCreateRequest::default();
    request.display_name = old.display_name.clone();
    request.expires = old.expires_time.and_then(|expires| remaining(expires, Utc::now()));
    request.scoped_roles = old.scoped_roles.clone().and_then(non_empty);
    request.allow_source_cidr = old.allow_source_cidr.clone().and_then(non_empty);
    if old.expires_time.is_some_and(|expires| expires <= Utc::now()) {
        file.discard();
        return Err(Failure::Other(format!("{} has already expired; create a new one with `c1pc create`", escape(id))));
    }
    let created = file.unless_failed(client.create(&request).await)?;
    deliver(output, &created, file)?;
    client.delete(id).await.map_err(|error| {
        let id = escape(id);
        Failure::Other(format!(
            "the new personal client {} exists and its secret was delivered, but deleting the old one ({id}) failed: {error}; delete it with `c1pc delete {id}`",
            escape(created.client.id.as_deref().unwrap_or("?"))
        ))
    })?;
    eprintln!("deleted the old personal client {}", escape(id));
    Ok(())
}

/// The time from `now` to `expires` as the API's duration text, whole seconds, rounded up.
fn remaining(expires: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let left = (expires - now).to_std().ok()?;
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    Some(format!("{seconds}s"))
}

/// Prints the new personal client and its secret, or writes the secret to its file.
fn deliver(output: Output, created: &PersonalClientWithClientSecret, file: SecretFile) -> Result<(), Failure> {
    if !file.is_some() {
        return print_created(output, created, true);
    }
    let secrets: Vec<String> = created.secrets().iter().map(|(_, secret)| secret.expose_secret().to_owned()).collect();
    deliver_secrets(&secrets, file, || print_created(output, created, false)).or_else(|failure| match failure {
        // The file could not hold them: print everything rather than lose the secret.
        Failure::Other(message) if message.starts_with("cannot write the secret") => {
            print_created(output, created, true)?;
            Err(Failure::Other(format!("{message}; it was printed above instead")))
        }
        other => Err(other),
    })
}

/// Writes `secrets` (one a line) to the secret file, then prints the rest with `print_rest`.
/// A file that cannot hold them is an error that says so, before anything is printed.
fn deliver_secrets(
    secrets: &[String],
    file: SecretFile,
    print_rest: impl FnOnce() -> Result<(), Failure>,
) -> Result<(), Failure> {
    let Some((path, mut handle)) = file.0 else { return print_rest() };
    let mut text = String::new();
    for secret in secrets {
        text.push_str(secret);
        text.push('\n');
    }
    let written = handle.write_all(text.as_bytes()).and_then(|()| handle.sync_all());
    if let Err(error) = written {
        return Err(Failure::Other(format!("cannot write the secret to {}: {error}", path.display())));
    }
    print_rest()?;
    eprintln!("the secret is in {} (mode 0600); it cannot be read from the API again", path.display());
    Ok(())
}

/// The file a new secret goes to: created (it must not exist, mode 0600) before the credential.
struct SecretFile(Option<(PathBuf, std::fs::File)>);

impl SecretFile {
    fn create(path: Option<&Path>) -> Result<Self, Failure> {
        let Some(path) = path else { return Ok(Self(None)) };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let handle = options.open(path).map_err(|error| {
            Failure::Other(format!(
                "cannot create the secret file {}: {error}; pass a path that does not exist yet",
                path.display()
            ))
        })?;
        Ok(Self(Some((path.to_path_buf(), handle))))
    }

    /// Removes the still-empty file when `result` is an error, and passes `result` on.
    fn unless_failed<T>(&self, result: Result<T, Error>) -> Result<T, Failure> {
        if result.is_err() {
            self.remove();
        }
        result.map_err(Failure::from)
    }

    fn discard(self) {
        self.remove();
    }

    /// Whether a file was asked for.
    fn is_some(&self) -> bool {
        self.0.is_some()
    }

    fn remove(&self) {
        if let Some((path, _)) = &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::remaining;

    #[test]
    fn the_remaining_time_is_whole_seconds_rounded_up() {
        let now = chrono::DateTime::from_timestamp(1_000, 0).expect("a time");
        let later = chrono::DateTime::from_timestamp(4_600, 500).expect("a time");
        assert_eq!(remaining(later, now).as_deref(), Some("3601s"));
        assert_eq!(remaining(now, later), None);
    }

    #[test]
    fn the_command_line_is_consistent() {
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
