//! Each sample, exported unbound, equals the page's JSON (as JSON values, placeholders as the
//! page prints them); each variant equals its sample changed the way the page's footnote says.

use std::path::Path;

use iam_policy_samples::SAMPLES;
use serde_json::Value;

fn fixture(name: &str) -> Result<Value, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/page")
        .join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The sample exported to `path`, rendered the way `cargo xtask export` writes it.
fn exported(path: &str) -> Result<Value, String> {
    let files = iam_policy_export::render(SAMPLES, &[], "test").map_err(|e| e.to_string())?;
    let file = files
        .iter()
        .find(|file| file.path == path)
        .ok_or_else(|| format!("no sample is exported to `{path}`"))?;
    serde_json::from_str(&file.contents).map_err(|e| format!("{path}: {e}"))
}

fn statements(policy: &mut Value) -> Result<&mut Vec<Value>, String> {
    policy
        .get_mut("Statement")
        .and_then(Value::as_array_mut)
        .ok_or_else(|| "no `Statement` array".to_owned())
}

#[test]
fn the_six_samples_equal_the_page() -> Result<(), String> {
    for path in [
        "end-user/session-manager-and-fleet-manager-consoles.json",
        "end-user/ec2-console.json",
        "end-user/aws-cli.json",
        "administrator/session-manager-console-and-aws-cli.json",
        "administrator/ec2-console.json",
        "administrator/session-manager-console-aws-cli-and-ec2-console.json",
    ] {
        assert_eq!(exported(path)?, fixture(path)?, "{path}");
    }
    Ok(())
}

#[test]
fn without_kms_variants_are_the_samples_minus_the_kms_statement() -> Result<(), String> {
    let kms = fixture("footnote-3-kms-statement.json")?;
    for (sample, variant) in [
        (
            "end-user/session-manager-and-fleet-manager-consoles.json",
            "end-user/session-manager-and-fleet-manager-consoles-without-kms.json",
        ),
        ("end-user/aws-cli.json", "end-user/aws-cli-without-kms.json"),
    ] {
        let mut expected = fixture(sample)?;
        let list = statements(&mut expected)?;
        let before = list.len();
        list.retain(|statement| *statement != kms);
        assert_eq!(list.len(), before - 1, "{sample} has no KMS statement");
        assert_eq!(exported(variant)?, expected, "{variant}");
    }
    Ok(())
}

#[test]
fn ssh_variant_adds_the_aws_start_ssh_session_document() -> Result<(), String> {
    let mut expected = fixture("end-user/aws-cli.json")?;
    let start_session = statements(&mut expected)?
        .first_mut()
        .and_then(|statement| statement.get_mut("Resource"))
        .and_then(Value::as_array_mut)
        .ok_or("the AWS CLI sample's first statement has no `Resource` array")?;
    start_session.push(Value::from("arn:aws:ssm:*:*:document/AWS-StartSSHSession"));
    assert_eq!(exported("end-user/aws-cli-with-ssh.json")?, expected);
    Ok(())
}

/// Every string of a JSON value, object keys included.
fn strings(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::String(text) => found.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings(item, found)),
        Value::Object(members) => members.iter().for_each(|(key, value)| {
            found.push(key.clone());
            strings(value, found);
        }),
        _ => {}
    }
}

#[test]
fn every_sample_declares_exactly_the_placeholders_it_uses() -> Result<(), String> {
    for sample in SAMPLES {
        let mut found = Vec::new();
        strings(&exported(sample.path)?, &mut found);
        // Declared placeholders print as bare names; an undeclared `{name}` would keep its braces.
        let braces = found
            .iter()
            .find(|text| text.replace("${", "").contains('{'));
        assert_eq!(braces, None, "{}: an undeclared placeholder", sample.path);
        for parameter in sample.document.parameters().iter() {
            assert!(
                found.iter().any(|text| text.contains(&*parameter.name)),
                "{}: `{}` is declared but not printed",
                sample.path,
                parameter.name
            );
        }
    }
    Ok(())
}
