//! Project automation: `cargo xtask generate [--check]` derives the spec and regenerates the SDK;
//! `cargo xtask spec update --from FILE|URL` brings in a new published API document.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod generate;
mod spec;
mod stamp;
mod tables;
mod verify;
mod whole;
mod workspace;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

fn sdk_argument() -> Arg {
    Arg::new("sdk")
        .long("sdk")
        .value_name("DIR")
        .value_parser(value_parser!(PathBuf))
        .help("The SDK crate to write into [default: sdk]")
}

fn cli() -> Command {
    Command::new("xtask")
        .about("Project automation for the ConductorOne Personal Client SDK")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("generate")
                .about(
                    "Derive spec/personal-client.yaml from spec/upstream/openapi.yaml and spec/overlay.yaml, \
                     then regenerate the SDK's Rust client and docs from it",
                )
                .arg(
                    Arg::new("check")
                        .long("check")
                        .action(ArgAction::SetTrue)
                        .help("Write nothing; fail with a diff when a checked-in file is stale"),
                )
                .arg(
                    Arg::new("spec")
                        .long("spec")
                        .value_name("FILE")
                        .value_parser(value_parser!(PathBuf))
                        .help("Generate the SDK from this OpenAPI 3.0 or 3.1 spec instead of deriving one"),
                )
                .arg(sdk_argument())
                .arg(
                    Arg::new("whole")
                        .long("whole")
                        .value_name("DIR")
                        .value_parser(value_parser!(PathBuf))
                        .conflicts_with_all(["check", "sdk"])
                        .help(
                            "Generate every operation of the published document (or of --spec) into a crate of its \
                             own at DIR, with progenitor's defaults; nothing else is written",
                        ),
                ),
        )
        .subcommand(
            Command::new("tables")
                .about(
                    "Print the rows the source tables in spec/tables/ lack against spec/personal-client.yaml, \
                     in each table's own notation and layout",
                )
                .arg(
                    Arg::new("write")
                        .long("write")
                        .action(ArgAction::SetTrue)
                        .help("Write the missing rows into the tables (and drop rows for fields the spec no longer has)"),
                ),
        )
        .subcommand(
            Command::new("spec")
                .about("Manage the vendored published API document")
                .subcommand_required(true)
                .arg_required_else_help(true)
                .subcommand(
                    Command::new("update")
                        .about(
                            "Replace spec/upstream/openapi.yaml with a new published document, print what \
                             changed in the Personal Client part, and regenerate everything",
                        )
                        .arg(
                            Arg::new("from")
                                .long("from")
                                .value_name("FILE|URL")
                                .required(true)
                                .help("The new document: a file, or an https:// URL such as https://<tenant>.conductor.one/api/v1/openapi.yaml"),
                        )
                        .arg(
                            Arg::new("dry-run")
                                .long("dry-run")
                                .action(ArgAction::SetTrue)
                                .help("Print the change summary and write nothing"),
                        )
                        .arg(Arg::new("date").long("date").value_name("YYYY-MM-DD").help(
                            "The document's date for spec/upstream/PROVENANCE.md [default: today]",
                        ))
                        .arg(Arg::new("source").long("source").value_name("TEXT").help(
                            "Where the document comes from, for spec/upstream/PROVENANCE.md [default: the URL or file name]",
                        ))
                        .arg(sdk_argument()),
                ),
        )
}

fn sdk_dir(root: &std::path::Path, arguments: &ArgMatches) -> PathBuf {
    arguments.get_one::<PathBuf>("sdk").cloned().unwrap_or_else(|| root.join(workspace::SDK_DIR))
}

fn run(matches: &ArgMatches) -> anyhow::Result<generate::Outcome> {
    let root = workspace::workspace_root()?;
    match matches.subcommand() {
        Some(("generate", arguments)) if arguments.contains_id("whole") => {
            let out = arguments.get_one::<PathBuf>("whole").cloned().unwrap_or_default();
            whole::whole(&root, arguments.get_one::<PathBuf>("spec").cloned(), &out)?;
            Ok(generate::Outcome::UpToDate)
        }
        Some(("generate", arguments)) => generate::run(&generate::Options {
            spec: arguments.get_one::<PathBuf>("spec").cloned(),
            sdk: sdk_dir(&root, arguments),
            check: arguments.get_flag("check"),
            root,
        }),
        Some(("tables", arguments)) => {
            tables::run(&root, arguments.get_flag("write"))?;
            Ok(generate::Outcome::UpToDate)
        }
        Some(("spec", spec_command)) => match spec_command.subcommand() {
            Some(("update", arguments)) => {
                spec::update(&spec::UpdateOptions {
                    sdk: sdk_dir(&root, arguments),
                    from: arguments.get_one::<String>("from").cloned().unwrap_or_default(),
                    dry_run: arguments.get_flag("dry-run"),
                    date: arguments.get_one::<String>("date").cloned(),
                    source: arguments.get_one::<String>("source").cloned(),
                    root,
                })?;
                Ok(generate::Outcome::UpToDate)
            }
            _ => Err(anyhow::anyhow!("unknown command; run `cargo xtask spec --help`")),
        },
        _ => Err(anyhow::anyhow!("unknown command; run `cargo xtask --help`")),
    }
}

/// Generation is dominated by allocation (progenitor's and syn's token trees, then syn's syntax
/// tree and the formatted text): with the system allocator, malloc and free took about 40 % of a
/// release run on a 20,000-schema spec. mimalloc halves the whole run there and takes a fifth
/// off the whole published document (BENCHMARKS.md). The codegen library leaves the allocator to
/// whoever links it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let matches = cli().get_matches();
    match run(&matches) {
        Ok(generate::Outcome::UpToDate) => ExitCode::SUCCESS,
        Ok(generate::Outcome::Stale) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {}", codegen::diagnostic::terminal_safe(&format!("{error:#}")));
            ExitCode::FAILURE
        }
    }
}
