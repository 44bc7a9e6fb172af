//! The sample IAM policies of AWS's "Session Manager sample IAM policies" page, as
//! compile-time-checked `policy!` constants, and the catalogue `cargo xtask export` writes to
//! `dist/`.
