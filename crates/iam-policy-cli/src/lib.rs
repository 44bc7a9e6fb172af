//! The `iam-policy` command: look-ups in the AWS service authorization reference, lint of JSON
//! policies, simulation of requests, Access Analyzer's custom policy checks, import of JSON
//! policies as `policy!` source and shell completions. A library so that its benchmark and tests call the same code;
//! `main.rs` only calls [`run`]. Parses the command line and dispatches; each subcommand lives in
//! its own module.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

pub mod check;
pub mod import;
mod lines;
pub mod lint;
pub mod reference;
pub mod simulate;

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
    Check(check::CheckArgs),
    Describe(reference::DescribeArgs),
    Reference(reference::ReferenceArgs),
    Lint(lint::LintArgs),
    Import(import::ImportArgs),
    Simulate(simulate::SimulateArgs),
    Completions(CompletionsArgs),
}

/// Print a completion script for a shell, from this command line's own definition
///
/// e.g. `iam-policy completions bash > ~/.local/share/bash-completion/completions/iam-policy`,
/// `iam-policy completions zsh > ~/.zfunc/_iam-policy`,
/// `iam-policy completions fish > ~/.config/fish/completions/iam-policy.fish`.
#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Parses the process's command line and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Actions(args) => reference::actions(&args),
        Command::Check(args) => check::run(&args),
        Command::Describe(args) => reference::describe(&args),
        Command::Reference(args) => reference::reference(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "iam-policy", &mut script);
            reference::emit(&script)
        }
    }
}
