//! `src/imported.rs` is what `iam-policy import` makes of `legacy/`, and exporting the imported
//! constants gives back the original documents.

use std::path::Path;

use iam_policy_cli::import::{Source, import};

const LEGACY: [&str; 2] = ["legacy/ec2-trust.json", "legacy/read-reports.json"];

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .map_err(|e| format!("{path}: {e}"))
}

#[test]
fn imported_source_is_fresh() -> Result<(), String> {
    let sources = LEGACY
        .iter()
        .map(|path| {
            Ok(Source {
                path: (*path).to_owned(),
                text: read(path)?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let command = format!("iam-policy import {}", LEGACY.join(" "));
    let imported = import(&sources, &command)?;
    assert_eq!(
        imported.source,
        read("src/imported.rs")?,
        "run `cd examples/infra-policies && {command} --out src/imported.rs`"
    );
    Ok(())
}

#[test]
fn exporting_the_imported_policies_gives_the_originals() -> Result<(), String> {
    let json =
        |text: &str| serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string());
    let trust = json(&read(LEGACY[0])?)?;
    assert_eq!(json(&infra_policies::imported::EC2_TRUST.to_json())?, trust);
    let reports = json(&read(LEGACY[1])?)?;
    assert_eq!(
        json(&infra_policies::imported::READ_REPORTS.to_json())?,
        reports["PolicyVersion"]["Document"]
    );
    Ok(())
}
