//! Golden tests, trybuild style: every `tests/golden/<kind>/<case>.json` is linted with
//! `--kind <kind>` and its output (text format, then the exit code) must equal
//! `<case>.expected`. `GOLDEN=overwrite cargo test -p iam-policy-cli --test lint_golden`
//! rewrites the expected files; review the diff before committing it.
//!
//! Two more checks keep the cases honest: every issue code that a rule of the core can report
//! has a case, and docs/lint.md lists exactly the codes the cases cover.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use iam_policy_core::IssueCode;

const KINDS: [&str; 5] = ["identity", "resource", "trust", "scp", "rcp"];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every case as (kind, path relative to the golden folder).
fn cases() -> Vec<(&'static str, String)> {
    let mut cases = Vec::new();
    for kind in KINDS {
        let Ok(entries) = std::fs::read_dir(golden_dir().join(kind)) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .map(|entry| entry.unwrap().file_name().into_string().unwrap())
            .filter(|name| name.ends_with(".json"))
            .collect();
        names.sort();
        cases.extend(
            names
                .into_iter()
                .map(|name| (kind, format!("{kind}/{name}"))),
        );
    }
    cases
}

fn run(kind: &str, case: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(["lint", "--color", "never", "--kind", kind, case])
        .current_dir(golden_dir())
        .output()
        .expect("the CLI runs");
    assert!(
        output.stderr.is_empty(),
        "{case}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let code = output.status.code().expect("the CLI exits normally");
    format!(
        "{}exit code: {code}\n",
        String::from_utf8(output.stdout).unwrap()
    )
}

#[test]
fn golden_cases_match_their_expected_output() {
    let overwrite = std::env::var("GOLDEN").is_ok_and(|value| value == "overwrite");
    let mut failures = Vec::new();
    let cases = cases();
    assert!(
        !cases.is_empty(),
        "no golden case found in {}",
        golden_dir().display()
    );
    for (kind, case) in &cases {
        let actual = run(kind, case);
        let expected_path = golden_dir().join(case.replace(".json", ".expected"));
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual == expected {
            continue;
        }
        if overwrite {
            std::fs::write(&expected_path, &actual).unwrap();
        } else {
            failures.push(format!(
                "--- {case}: expected ({})\n{expected}\n--- actual\n{actual}",
                expected_path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden case(s) differ (GOLDEN=overwrite rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The codes in the expected outputs: the `CODE` of each `severity[CODE]: message` title.
fn covered_codes() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for (_, case) in cases() {
        let expected = golden_dir().join(case.replace(".json", ".expected"));
        let text = std::fs::read_to_string(&expected).unwrap_or_default();
        for line in text.lines() {
            let title = ["error[", "security warning[", "warning[", "suggestion["]
                .iter()
                .find_map(|level| line.strip_prefix(level));
            if let Some((code, _)) = title.and_then(|rest| rest.split_once("]:")) {
                codes.insert(code.to_owned());
            }
        }
    }
    codes
}

/// The codes the rules can report: every `IssueCode::Variant` named in the rule files.
fn codes_in_rules() -> BTreeSet<String> {
    fn walk(dir: &Path, sources: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, sources);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                sources.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut sources = Vec::new();
    walk(
        &workspace_dir().join("crates/iam-policy-rules/src/rules"),
        &mut sources,
    );
    let mut codes = BTreeSet::new();
    for source in &sources {
        for (at, _) in source.match_indices("IssueCode::") {
            let name: String = source[at + "IssueCode::".len()..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if let Some(code) = IssueCode::ALL
                .iter()
                .find(|code| format!("{code:?}") == name)
            {
                codes.insert(code.as_str().to_owned());
            }
        }
    }
    // Reported by the CLI itself for text that does not parse.
    codes.insert(IssueCode::JsonSyntaxError.as_str().to_owned());
    codes
}

#[test]
fn every_code_the_rules_report_has_a_golden_case() {
    let covered = covered_codes();
    let missing: Vec<String> = codes_in_rules().difference(&covered).cloned().collect();
    assert!(
        missing.is_empty(),
        "codes without a golden case: {missing:?}"
    );
}

#[test]
fn the_readme_lists_exactly_the_covered_codes() {
    let readme = std::fs::read_to_string(workspace_dir().join("docs/lint.md")).unwrap();
    let section = readme
        .split_once("<!-- covered codes: start -->")
        .and_then(|(_, rest)| rest.split_once("<!-- covered codes: end -->"))
        .map(|(section, _)| section)
        .expect("docs/lint.md marks the covered codes");
    let listed: BTreeSet<String> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|word| IssueCode::from_name(word).is_some())
        .map(str::to_owned)
        .collect();
    assert_eq!(listed, covered_codes(), "docs/lint.md vs the golden cases");
}
