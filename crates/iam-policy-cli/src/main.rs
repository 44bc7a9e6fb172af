//! The `iam-policy` command: look-ups in the AWS service authorization reference (and, later,
//! lint of JSON policies). Parses the command line and dispatches; each subcommand lives in its
//! own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod lint;
mod reference;
mod simulate;

/// Check AWS IAM policies and look things up in the AWS service authorization reference.
#[derive(Debug, Parser)]
#[command(name = "iam-policy", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Actions(reference::ActionsArgs),
    Check(check::CheckArgs),
    Describe(reference::DescribeArgs),
    Reference(reference::ReferenceArgs),
    Lint(lint::LintArgs),
    Simulate(simulate::SimulateArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Actions(args) => reference::actions(&args),
        Command::Check(args) => check::run(&args),
        Command::Describe(args) => reference::describe(&args),
        Command::Reference(args) => reference::reference(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Simulate(args) => simulate::run(&args),
    }
}
