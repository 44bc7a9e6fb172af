//! The committed `policies/` folder is what the exporter writes, and what the catalogue shows
//! holds: shared statements, a prod-only statement, a split document, a template bound per
//! account with its CloudFormation and Terraform forms.

use std::path::Path;

use iam_policy::{Policy, PolicyKind};
use iam_policy_export as export;
use infra_policies::{
    ARTIFACTS_BUCKET, AUDITOR, DEPLOYMENTS, LOGS_READ, NO_LOG_DELETION, ON_CALL, RESTART_TASKS,
    catalogue, data_readers, on_call,
};

const COMMAND: &str = "cargo run -p infra-policies --bin export";

#[test]
fn committed_policies_are_fresh() -> Result<(), String> {
    let files = export::render(&catalogue(), &[], COMMAND).map_err(|e| e.to_string())?;
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let differences = export::check(&out, &files).map_err(|e| e.to_string())?;
    assert!(differences.is_empty(), "run `{COMMAND}`: {differences:?}");
    Ok(())
}

#[test]
fn shared_statements_are_written_once_and_included() {
    assert_eq!(ON_CALL.statements()[0], LOGS_READ);
    assert_eq!(ON_CALL.statements()[2], NO_LOG_DELETION);
    assert_eq!(AUDITOR.statements(), [LOGS_READ, NO_LOG_DELETION]);
}

#[test]
fn production_adds_its_own_statement() {
    assert_eq!(on_call(false), ON_CALL);
    let production = on_call(true);
    assert_eq!(production.statements().last(), Some(&RESTART_TASKS));
    assert_eq!(production.validate(), Ok(()));
}

#[test]
fn the_data_readers_are_split_to_fit_the_quota() -> Result<(), iam_policy::ComposeError> {
    let parts = data_readers()?;
    assert!(parts.len() > 1, "one policy would do");
    let statements: usize = parts.iter().map(|part| part.statements().len()).sum();
    assert_eq!(statements, infra_policies::TEAMS.len());
    for part in &parts {
        assert!(part.size() <= PolicyKind::Identity.size_quota());
        assert_eq!(part.validate(), Ok(()));
    }
    Ok(())
}

#[test]
fn the_bucket_template_binds_per_account() -> Result<(), String> {
    for (account, values) in DEPLOYMENTS {
        let policy: Policy = ARTIFACTS_BUCKET.bind(values).map_err(|e| e.to_string())?;
        let json = policy.to_json();
        let (_, id) = values
            .iter()
            .find(|(name, _)| *name == "account-id")
            .ok_or("no account")?;
        assert!(
            json.contains(&format!("arn:aws:iam::{id}:role/deploy")),
            "{account}: {json}"
        );
        assert!(!json.contains("{bucket}"), "{account}: {json}");
    }
    // The exporter binds the same values; the forms leave them to the deployment.
    let files =
        export::render(&catalogue(), DEPLOYMENTS[1].1, "test").map_err(|e| e.to_string())?;
    let bucket = files
        .iter()
        .find(|file| file.path == "buckets/artifacts.json")
        .ok_or("the bound bucket policy is not written")?;
    assert!(bucket.contents.contains("example-artifacts-production/*"));
    let error = export::render(&catalogue(), &[("deploy-role", "deploy")], "test")
        .err()
        .ok_or("a role name was accepted as a role ARN")?;
    assert!(error.to_string().contains("IAM role ARN"), "{error}");
    Ok(())
}

#[test]
fn the_forms_take_the_account_from_the_deployment() -> Result<(), String> {
    let read = |path: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("policies")
                .join(path),
        )
        .map_err(|e| format!("{path}: {e}"))
    };
    let cloudformation = read("buckets/artifacts.cloudformation.json")?;
    assert!(
        cloudformation.contains(r#""Fn::Sub": "arn:aws:s3:::${Bucket}/*""#),
        "{cloudformation}"
    );
    assert!(
        cloudformation.contains(r#""Fn::Sub": "${AWS::AccountId}""#),
        "{cloudformation}"
    );
    let terraform = read("buckets/artifacts.terraform/main.tf.json")?;
    assert!(terraform.contains(r#""deploy_role": {"#), "{terraform}");
    assert!(terraform.contains("${var.account_id}"), "{terraform}");
    Ok(())
}
