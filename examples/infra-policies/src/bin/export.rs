//! The repository's exporter: `cargo run -p infra-policies --bin export -- [--set NAME=VALUE]...
//! [--out DIR] [--check]` writes every policy to `policies/`.

use std::process::ExitCode;

fn main() -> ExitCode {
    iam_policy_export::main(
        &infra_policies::catalogue(),
        concat!(env!("CARGO_MANIFEST_DIR"), "/policies"),
        "cargo run -p infra-policies --bin export",
        std::env::args().skip(1),
    )
}
