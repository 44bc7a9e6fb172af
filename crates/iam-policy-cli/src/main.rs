//! The `iam-policy` command; the work is in the library (`lib.rs`).

fn main() -> std::process::ExitCode {
    iam_policy_cli::run()
}
