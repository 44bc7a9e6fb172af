//! Runs the trybuild UI tests: every folder of `ui/` but `pass` holds mistakes that must not
//! compile, each with the compiler's expected output beside it; `ui/pass` must compile and run.
//! The expected output is pinned to the workspace's toolchain.

use std::path::Path;

#[test]
fn ui() -> std::io::Result<()> {
    let cases = trybuild::TestCases::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut categories = std::fs::read_dir(&root)?
        .map(|entry| entry.map(|entry| entry.file_name()))
        .collect::<Result<Vec<_>, _>>()?;
    categories.sort();
    for category in categories {
        let pattern = format!("ui/{}/*.rs", category.to_string_lossy());
        if category == "pass" {
            cases.pass(pattern);
        } else {
            cases.compile_fail(pattern);
        }
    }
    Ok(())
}
