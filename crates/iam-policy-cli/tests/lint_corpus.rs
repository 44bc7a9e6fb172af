//! AWS's own managed policies as the test of the rules: `iam-policy lint --format json` on the
//! dev corpus (`../shared/corpus/aws-managed-dev`) reports every file, exits 0 or 1, and its
//! error-severity findings are exactly the ones checked by hand against the reference data and
//! AWS's documentation (listed with a reason each in docs/lint.md). A new error is a
//! false positive until shown otherwise; a missing one is a rule that stopped working.
//!
//! The corpus lives in `../shared` beside the repository (CI has it, a user's clone does not), so
//! the corpus tests are ignored by default and fail, rather than pass, when asked to run without
//! it. docs/lint.md's examples run on committed copies of the two policies they show.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// (file, code, JSON path) of every error finding, in output order.
#[rustfmt::skip]
const EXPECTED_ERRORS: &[(&str, &str, &str)] = &[
    ("AWSAuditManagerServiceRolePolicy.json", "MISSING_QUALIFIER", "Statement[3].Condition.StringEquals.events:detail-type"),
    ("AmazonLaunchWizardFullaccess.json", "INVALID_ACTION", "Statement[3].Action[0]"),
    ("AmazonLaunchWizardFullaccess.json", "INVALID_ACTION", "Statement[3].Action[1]"),
    ("AmazonLaunchWizardFullaccess.json", "INVALID_ACTION", "Statement[3].Action[2]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_REGION", "Statement[11].Resource[7]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_ACCOUNT", "Statement[11].Resource[7]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_REGION", "Statement[13].Resource[1]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_ACCOUNT", "Statement[13].Resource[1]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_REGION", "Statement[16].Resource[1]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_ACCOUNT", "Statement[16].Resource[1]"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_REGION", "Statement[17].Resource"),
    ("AmazonLaunchWizardFullaccess.json", "MISSING_ARN_ACCOUNT", "Statement[17].Resource"),
];

/// The policies docs/lint.md lints, copied from the corpus.
const DOCS_EXAMPLES: &[&str] = &[
    "AmazonLaunchWizardFullaccess.json",
    "AWSAuditManagerServiceRolePolicy.json",
];

fn docs_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docs-examples")
}

/// `../shared/corpus/aws-managed-dev`; absent, the test fails and says so.
fn dev_corpus() -> PathBuf {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/aws-managed-dev");
    assert!(
        corpus.is_dir(),
        "needs ../shared: `{}` is absent; put the shared folder beside the repository",
        corpus.display()
    );
    corpus
}

#[test]
#[ignore = "needs ../shared: the AWS managed policies of corpus/aws-managed-dev"]
fn the_dev_corpus_gives_exactly_the_verified_errors() {
    let corpus = dev_corpus();
    let files = std::fs::read_dir(&corpus)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "json")
        })
        .count();
    let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(["lint", "--format", "json"])
        .arg(&corpus)
        .output()
        .expect("the CLI runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}\n{stderr}",
        output.status
    );
    assert!(
        stderr.contains(&format!("linted {files} files")),
        "every file is reported: {stderr}"
    );

    let mut errors = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let record: Value = serde_json::from_str(line).expect("a JSON line");
        if record["severity"] == "error" {
            let file = Path::new(record["file"].as_str().unwrap())
                .file_name()
                .unwrap();
            errors.push((
                file.to_string_lossy().into_owned(),
                record["code"].as_str().unwrap().to_owned(),
                record["path"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let expected: Vec<(String, String, String)> = EXPECTED_ERRORS
        .iter()
        .map(|&(file, code, path)| (file.to_owned(), code.to_owned(), path.to_owned()))
        .collect();
    let unexpected: Vec<_> = errors
        .iter()
        .filter(|error| !expected.contains(error))
        .collect();
    let missing: Vec<_> = expected
        .iter()
        .filter(|error| !errors.contains(error))
        .collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "new errors (check each by hand): {unexpected:#?}\nerrors no longer reported: {missing:#?}"
    );
    assert_eq!(errors, expected, "the same errors, in output order");
}

/// The committed copies docs/lint.md's examples run on are the corpus's files.
#[test]
#[ignore = "needs ../shared: the AWS managed policies of corpus/aws-managed-dev"]
fn the_docs_examples_are_copies_of_the_corpus() {
    let corpus = dev_corpus();
    for name in DOCS_EXAMPLES {
        let original = std::fs::read(corpus.join(name)).unwrap();
        let copy = std::fs::read(docs_examples().join(name)).unwrap();
        assert!(
            original == copy,
            "tests/docs-examples/{name} differs from the corpus; copy it again"
        );
    }
}

/// docs/lint.md shows runs on policies of the corpus; they must be the real output.
#[test]
fn the_readme_example_is_the_real_output() {
    let corpus = docs_examples();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/lint.md"))
            .unwrap();
    let command = "$ iam-policy lint AmazonLaunchWizardFullaccess.json\n";
    let shown = readme
        .split_once(command)
        .and_then(|(_, rest)| rest.split_once("$ echo $?\n"))
        .map(|(output, _)| output)
        .expect("the README shows the run");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(["lint", "AmazonLaunchWizardFullaccess.json"])
        .current_dir(&corpus)
        .output()
        .expect("the CLI runs");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), shown);
    assert_eq!(output.status.code(), Some(1));

    let command = "$ iam-policy lint --format json AWSAuditManagerServiceRolePolicy.json\n";
    let shown = readme
        .split_once(command)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(output, _)| output)
        .expect("the README shows the JSON Lines");
    let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args([
            "lint",
            "--format",
            "json",
            "AWSAuditManagerServiceRolePolicy.json",
        ])
        .current_dir(&corpus)
        .output()
        .expect("the CLI runs");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), shown);
}
