//! AWS IAM policies written as Rust, checked by the compiler.
