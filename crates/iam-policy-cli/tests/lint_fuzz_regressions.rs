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

#[path = "../../../fuzz/fuzz_targets/stress.rs"]
mod stress;

/// The fuzz target's size-stress mode on the regression and golden inputs: each is amplified at
/// every nesting depth (many statements, elements, list entries, operators, keys, values, and
/// duplicated member names) and linted; no panic, and every message stays short.
#[test]
fn amplified_inputs_are_linted_with_short_messages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut inputs = Vec::new();
    for folder in [
        "fuzz-regressions",
        "golden/identity",
        "golden/resource",
        "golden/trust",
    ] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    let out = std::env::temp_dir().join(format!("iam-policy-stress-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let mut written = 0;
    for (index, input) in inputs.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(input) else {
            continue;
        };
        for depth in 0..6 {
            if let Some(amplified) = stress::amplify(&text, depth, 16 * 1024) {
                std::fs::write(out.join(format!("{index:03}-{depth}.json")), amplified).unwrap();
                written += 1;
            }
        }
    }
    assert!(written > 100, "{written} amplified inputs");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(["lint", "--kind", "resource", "--format", "json"])
        .arg(&out)
        .output()
        .expect("the CLI runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}\n{stderr}",
        output.status
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut findings = 0;
    for line in stdout.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let message = record["message"].as_str().unwrap();
        assert!(
            message.len() <= stress::MAX_MESSAGE_BYTES,
            "{} bytes: {}",
            message.len(),
            &message[..message.floor_char_boundary(300)]
        );
        findings += 1;
    }
    assert!(findings > written, "{findings} findings");
    std::fs::remove_dir_all(&out).unwrap();
}
