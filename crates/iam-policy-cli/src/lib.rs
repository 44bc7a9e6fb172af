//! The `iam-policy` command: look-ups in the AWS service authorization reference and lint of
//! JSON policies. A library so that its benchmark and tests call the same code; `main.rs` only
//! calls [`run`]. Parses the command line and dispatches; each subcommand lives in its own
//! module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod lint;
pub mod reference;

/// Check AWS IAM policies and look things up in the AWS service authorization reference.
#[derive(Debug, Parser)]
#[command(name = "iam-policy", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Actions(reference::ActionsArgs),
    Describe(reference::DescribeArgs),
    Reference(reference::ReferenceArgs),
    Lint(lint::LintArgs),
}

/// Parses the process's command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Actions(args) => reference::actions(&args),
        Command::Describe(args) => reference::describe(&args),
        Command::Reference(args) => reference::reference(&args),
        Command::Lint(args) => lint::run(&args),
    }
}
