//! Project automation, run as `cargo xtask <command>` (see <https://github.com/matklad/cargo-xtask>).

use std::path::PathBuf;
use std::process::ExitCode;

mod aa_compare;
mod export;
mod reference;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  reference import [--check] PATH...   regenerate the AWS reference tables from iam-data snapshots
  export [--set NAME=VALUE]... [--out DIR] [--check]
                                       write every sample policy to dist/ (or check it is fresh)
  aa-compare CORPUS [--only DIR]       compare the rules' findings with Access Analyzer's on a
                                       corpus (e.g. ../shared/corpus/aws-managed)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.split_first() {
        Some((command, rest)) if command == "export" => return export::run(rest.iter().cloned()),
        Some((command, rest)) if command == "reference" => reference::run(rest, &root),
        Some((command, rest)) if command == "aa-compare" => aa_compare::run(rest, &root),
        Some((command, _)) if command == "-h" || command == "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        Some((command, _)) => Err(format!("unknown command `{command}`\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map_or(manifest.clone(), PathBuf::from)
}
