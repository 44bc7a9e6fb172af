//! The committed `policies/` folder is what the exporter writes, and binding works per deployment.

use std::path::Path;

use iam_policy_export as export;
use infra_policies::POLICIES;

#[test]
fn committed_policies_are_fresh() -> Result<(), String> {
    let files = export::render(POLICIES, &[], "cargo run -p infra-policies --bin export")
        .map_err(|e| e.to_string())?;
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let differences = export::check(&out, &files).map_err(|e| e.to_string())?;
    assert!(
        differences.is_empty(),
        "run `cargo run -p infra-policies --bin export`: {differences:?}"
    );
    Ok(())
}

#[test]
fn a_deployment_binds_its_account_and_region() -> Result<(), String> {
    let bindings = [("region", "eu-west-1"), ("account-id", "111122223333")];
    let files = export::render(POLICIES, &bindings, "test").map_err(|e| e.to_string())?;
    let logs = files
        .iter()
        .find(|file| file.path == "on-call/read-logs.json")
        .ok_or("no on-call policy")?;
    let json: serde_json::Value =
        serde_json::from_str(&logs.contents).map_err(|e| e.to_string())?;
    assert_eq!(
        json["Statement"][0]["Resource"],
        "arn:aws:logs:eu-west-1:111122223333:log-group:/example/service:*"
    );
    let error = export::render(POLICIES, &[("region", "eu-west-9")], "test")
        .err()
        .ok_or("a bad region was accepted")?;
    assert!(error.to_string().contains("`region`"), "{error}");
    Ok(())
}
