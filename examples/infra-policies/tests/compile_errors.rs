//! The compile error the README's quick start shows, kept true: `tests/ui/*.rs` must fail to
//! compile with the `.stderr` beside them (regenerate with `TRYBUILD=overwrite`).

#[test]
fn readme_compile_error() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
