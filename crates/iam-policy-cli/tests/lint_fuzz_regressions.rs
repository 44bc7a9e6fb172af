//! Inputs that once crashed the linter or that fuzzing found hard (`fuzz/README.md`), kept in
//! `tests/fuzz-regressions/`: each is linted as every policy kind and must give findings and
//! exit 0 or 1, never a panic.

use std::path::Path;
use std::process::Command;

#[test]
fn fuzz_regressions_are_linted_without_a_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for kind in ["identity", "resource", "trust", "scp", "rcp"] {
        for formats in [
            ["--format", "json"],
            ["--format", "sarif"],
            ["--color", "always"],
        ] {
            let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
                .args(["lint", "--kind", kind])
                .args(formats)
                .args(&inputs)
                .output()
                .expect("the CLI runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "--kind {kind} {formats:?}: {:?}\n{stderr}",
                output.status
            );
            assert!(
                stderr.is_empty() || !stderr.contains("panicked"),
                "{stderr}"
            );
        }
    }
}
