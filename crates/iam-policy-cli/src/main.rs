//! The `iam-policy` command.

fn main() {}
