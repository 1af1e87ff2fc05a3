//! Project automation; `cargo xtask generate [--check]` regenerates the SDK from the spec.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command, value_parser};

fn cli() -> Command {
    Command::new("xtask")
        .about("Project automation for the ConductorOne Personal Client SDK")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("generate")
                .about("Regenerate the SDK's Rust client and docs from the spec")
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
                        .help("The OpenAPI spec to read [default: spec/personal-client.yaml]"),
                )
                .arg(
                    Arg::new("sdk")
                        .long("sdk")
                        .value_name("DIR")
                        .value_parser(value_parser!(PathBuf))
                        .help("The SDK crate to write into [default: sdk]"),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let outcome = match matches.subcommand() {
        Some(("generate", arguments)) => {
            let root = generate::workspace_root();
            let options = generate::Options {
                spec: arguments
                    .get_one::<PathBuf>("spec")
                    .cloned()
                    .unwrap_or_else(|| root.join("spec/personal-client.yaml")),
                sdk: arguments.get_one::<PathBuf>("sdk").cloned().unwrap_or_else(|| root.join("sdk")),
                check: arguments.get_flag("check"),
                root,
            };
            generate::run(&options)
        }
        _ => Err(anyhow::anyhow!("unknown command; run `cargo xtask --help`")),
    };
    match outcome {
        Ok(generate::Outcome::UpToDate) => ExitCode::SUCCESS,
        Ok(generate::Outcome::Stale) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
