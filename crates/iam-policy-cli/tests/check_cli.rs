//! `iam-policy check` as a user runs it: the three checks, both formats and the exit statuses.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn check(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

/// A fresh folder with the given files.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iam-policy-check-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

const READ_LOGS: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}]}"#;

const PASS_ROLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"},
    {
      "Sid": "Pass",
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "*"
    }
  ]
}"#;

const PUBLIC_SITE: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Site", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}"#;

#[test]
fn access_not_granted_fails_at_the_statement_that_grants() {
    let dir = folder("access", &[("policy.json", PASS_ROLE)]);
    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "iam:PassRole,iam:Create*",
            "policy.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("error: statement 1 (`Pass`) grants `iam:PassRole` on `*`"),
        "{text}"
    );
    assert!(text.contains("--> policy.json:5:5"), "{text}");
    assert!(text.ends_with("FAIL: The policy can grant one or more of the listed actions on the listed resources.\n"), "{text}");

    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "iam:PassRole",
            "--format",
            "json",
            "policy.json",
        ],
        &dir,
    );
    assert_eq!(
        json_of(&output),
        json!({
            "result": "FAIL",
            "message": "The policy can grant one or more of the listed actions on the listed resources.",
            "reasons": [{"description": "grants `iam:PassRole` on `*`", "statementIndex": 1, "statementId": "Pass"}]
        })
    );
    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "iam:PassRole",
            "--resources",
            "arn:aws:iam::111122223333:role/x",
            "--format",
            "json",
            "policy.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn access_not_granted_passes_when_no_statement_can_grant() {
    let dir = folder("pass", &[("policy.json", READ_LOGS)]);
    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "iam:*",
            "--format",
            "json",
            "policy.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(0));
    let result = json_of(&output);
    assert_eq!(result["result"], "PASS");
    assert_eq!(result["reasons"], json!([]));
    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "s3:GetObject",
            "--resources",
            "arn:aws:s3:::secrets/*",
            "policy.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("PASS: ")
    );
}

#[test]
fn no_new_access_names_what_is_new() {
    let dir = folder("new", &[("old.json", READ_LOGS), ("new.json", PASS_ROLE)]);
    let output = check(
        &[
            "no-new-access",
            "--existing",
            "old.json",
            "--format",
            "json",
            "new.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    let result = json_of(&output);
    assert_eq!(result["reasons"][0]["statementIndex"], 1);
    assert_eq!(
        result["reasons"][0]["description"],
        "grants `iam:PassRole`, which no statement of the existing version grants"
    );
    let output = check(
        &["no-new-access", "--existing", "new.json", "old.json"],
        &dir,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn no_public_access_by_resource_type() {
    let dir = folder("public", &[("bucket.json", PUBLIC_SITE)]);
    let output = check(
        &[
            "no-public-access",
            "--resource-type",
            "AWS::S3::Bucket",
            "--format",
            "json",
            "bucket.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json_of(&output)["reasons"][0]["statementId"], "Site");
    let output = check(
        &[
            "no-public-access",
            "--resource-type",
            "AWS::SQS::Queue",
            "bucket.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(0));
    let output = check(
        &[
            "no-public-access",
            "--resource-type",
            "AWS::S3::Buckets",
            "bucket.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("unknown resource type `AWS::S3::Buckets`")
    );
}

#[test]
fn unreadable_policies_exit_2() {
    let dir = folder(
        "unreadable",
        &[
            ("broken.json", "{\"Statement\": ["),
            ("list.json", "[1]"),
            (
                "invalid.json",
                r#"{"Statement": [{"Effect": "Allow", "Action": "iam:PassRol", "Resource": "*"}]}"#,
            ),
        ],
    );
    // A policy with errors of the rules is checked all the same, with the errors shown.
    let output = check(
        &[
            "access-not-granted",
            "--actions",
            "iam:PassRole",
            "invalid.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error[INVALID_ACTION]"));
    for file in ["broken.json", "list.json", "missing.json"] {
        let output = check(
            &["access-not-granted", "--actions", "iam:PassRole", file],
            &dir,
        );
        assert_eq!(output.status.code(), Some(2), "{file}");
        assert!(output.stdout.is_empty(), "{file}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(file),
            "{file}"
        );
    }
}
