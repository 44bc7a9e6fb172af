//! The `iam-policy` command; the work is in the library (`lib.rs`).

/// Reading, linting and evaluating policies allocate many small blocks: mimalloc's path for them
/// is several times shorter than the system allocator's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    iam_policy_cli::run()
}
