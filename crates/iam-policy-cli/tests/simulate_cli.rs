//! `iam-policy simulate` as a user runs it: scenario files, output formats and exit codes.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn simulate(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .arg("simulate")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the CLI runs")
}

/// A fresh folder with the given files.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("iam-policy-simulate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

const ALLOW_GET: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Get", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

fn scenario(name: &str, action: &str, expect: &str) -> String {
    format!(
        r#"{{"name": "{name}", "request": {{"action": "{action}", "resource": "arn:aws:s3:::b/k", "principal": "arn:aws:iam::111122223333:user/alice"}}, "identityPolicies": [{ALLOW_GET}], "expect": "{expect}"}}"#
    )
}

#[test]
fn the_example_scenarios_get_what_they_expect() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/infra-policies");
    let output = simulate(&["scenarios/ci-publish.json"], &examples);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("4 matched, 0 did not, 0 malformed"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("denied by serviceControlPolicies[0][1] statement 0 `StayInTheOrganization`"),
        "{stdout}"
    );
}

/// `tests/scenarios/aws-documented.json`: requests whose decision AWS's pages state, each named
/// after the page it comes from (evaluation logic, single-account and cross-account evaluation,
/// SCPs, RCPs, boundaries, session policies, trust and key policies, principals, condition
/// operators, set operators, policy variables), checked end to end through the command.
#[test]
fn documented_decisions_come_out_of_the_command() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let output = simulate(
        &["--format", "json", "scenarios/aws-documented.json"],
        &tests,
    );
    let records = lines(&output);
    let missed: Vec<String> = records
        .iter()
        .filter(|record| record["matched"] != true)
        .map(|record| format!("{}: {}", record["name"], record["decision"]))
        .collect();
    assert!(missed.is_empty(), "{missed:#?}");
    assert_eq!(records.len(), 130);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn json_gives_one_object_per_scenario_in_input_order() {
    let file = format!(
        "[{}, {}]",
        scenario("get", "s3:GetObject", "allowed"),
        scenario("put", "s3:PutObject", "implicitDeny")
    );
    let dir = folder(
        "json",
        &[
            ("s.json", &file),
            ("one.json", &scenario("alone", "s3:GetObject", "allowed")),
        ],
    );
    let output = simulate(&["--format", "json", "s.json", "one.json"], &dir);
    assert_eq!(output.status.code(), Some(0));
    let records = lines(&output);
    let names: Vec<&str> = records
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["get", "put", "alone"]);
    assert_eq!(records[0]["decision"], "allowed");
    assert_eq!(records[0]["matched"], true);
    assert_eq!(records[0]["deciding"][0]["policy"], "identityPolicies[0]");
    assert_eq!(records[0]["deciding"][0]["sid"], "Get");
    assert_eq!(records[1]["decision"], "implicitDeny");
    assert_eq!(records[1]["expect"], "implicitDeny");
}

#[test]
fn a_wrong_expectation_exits_with_1() {
    let dir = folder(
        "mismatch",
        &[("s.json", &scenario("put", "s3:PutObject", "allowed"))],
    );
    let output = simulate(&["s.json"], &dir);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("implicitDeny"), "{stdout}");
    assert!(stdout.contains("expected allowed"), "{stdout}");
}

#[test]
fn malformed_scenarios_exit_with_2_and_the_others_still_run() {
    let file = format!(
        r#"[{}, {{"name": "no principal", "request": {{"action": "s3:GetObject", "resource": "*"}}}}, {}]"#,
        scenario("first", "s3:GetObject", "allowed"),
        scenario("last", "s3:PutObject", "allowed")
    );
    let dir = folder("malformed", &[("s.json", &file), ("broken.json", "{")]);
    let output = simulate(
        &["--format", "json", "s.json", "broken.json", "missing.json"],
        &dir,
    );
    assert_eq!(output.status.code(), Some(2));
    let records = lines(&output);
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["decision"], "allowed");
    assert_eq!(records[1]["index"], 1);
    assert_eq!(records[1]["error"], "`request` has no `principal`");
    assert_eq!(records[2]["matched"], false);
    assert_eq!(records[3]["file"], "broken.json");
    assert_eq!(records[4]["file"], "missing.json");
    assert!(records[4]["error"].is_string());
}

#[test]
fn the_first_member_unknown_or_written_twice_is_the_error() {
    let request =
        r#""request": {"action": "s3:GetObject", "resource": "*", "principal": "anonymous"}"#;
    let file = format!(
        r#"[{{{request}, "foo": 1}},
{{"name": "a", "bogus": 1, "name": "b", {request}}},
{{"bogus": 1, "name": "a", "name": "b", {request}}},
{{"Name": "x", {request}}}]"#
    );
    let dir = folder("members", &[("s.json", &file)]);
    let output = simulate(&["--format", "json", "s.json"], &dir);
    assert_eq!(output.status.code(), Some(2));
    let records = lines(&output);
    let errors: Vec<(&str, u64, u64)> = records
        .iter()
        .map(|r| {
            let error = r["error"].as_str().unwrap();
            (
                error,
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        errors[0]
            .0
            .starts_with("unknown member `foo`; a scenario has `name`, `request`")
    );
    // Written twice before the unknown member: named at its first writing.
    assert_eq!(errors[1], ("`name` is written twice", 2, 2));
    assert!(
        errors[2].0.starts_with("unknown member `bogus`"),
        "{}",
        errors[2].0
    );
    assert_eq!(errors[2].1, 3);
    assert_eq!(errors[3].0, "unknown member `Name`: did you mean `name`?");
}

#[test]
fn files_that_cannot_be_read_count_as_malformed_in_the_summary() {
    // More unreadable files than scenarios: the summary's arithmetic must not go below zero.
    let dir = folder(
        "unreadable",
        &[
            ("s.json", &scenario("only", "s3:GetObject", "allowed")),
            ("broken.json", "{"),
        ],
    );
    let output = simulate(&["s.json", "broken.json", "missing.json"], &dir);
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("simulated 1 scenario: 1 matched, 0 did not, 2 malformed"),
        "{stdout}"
    );
}

#[test]
fn threads_the_system_refuses_leave_the_work_to_the_others() {
    // Stacks of a terabyte each: no worker thread can be made (where memory is not
    // overcommitted), and the scenarios are still read, as with one job.
    let scenarios: Vec<String> = (0..100)
        .map(|i| scenario(&format!("s{i}"), "s3:GetObject", "allowed"))
        .collect();
    let dir = folder(
        "refused",
        &[("s.json", &format!("[{}]", scenarios.join(",")))],
    );
    let run = |jobs: &str, stack: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_iam-policy"));
        command.args(["simulate", "--jobs", jobs, "s.json"]);
        if let Some(stack) = stack {
            command.env("RUST_MIN_STACK", stack);
        }
        let output = command.current_dir(&dir).output().expect("the CLI runs");
        (output.status.code(), output.stdout)
    };
    let one = run("1", None);
    assert_eq!(one.0, Some(0));
    assert!(run("2", Some("1000000000000")) == one);
}

#[test]
fn policies_are_linted_and_still_evaluated() {
    // An action that does not exist: a lint finding, but IAM evaluates what it stored.
    let file = r#"{"request": {"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "principal": "111122223333"},
        "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}],
        "expect": "allowed"}"#;
    let dir = folder("lint", &[("s.json", file)]);
    let output = simulate(&["--format", "json", "s.json"], &dir);
    let records = lines(&output);
    assert_eq!(
        records[0]["decision"], "allowed",
        "the root user needs no identity policy"
    );
    assert!(!records[0]["findings"].as_array().unwrap().is_empty());
}

#[test]
fn an_empty_statement_list_is_reported_and_grants_nothing() {
    // The scenario of the docs (and of the issue that asked for the command): an identity
    // policy with `"Statement": []`, which the lint refuses and the engine reads as nothing.
    let file = r#"{"name": "CI role cannot create users",
        "request": {"action": "iam:CreateUser", "resource": "arn:aws:iam::111122223333:user/mallory", "principal": "arn:aws:sts::111122223333:assumed-role/ci-deploy/run-42"},
        "identityPolicies": [{"Version": "2012-10-17", "Statement": []}],
        "permissionsBoundary": {"Version": "2012-10-17", "Statement": []},
        "expect": "implicitDeny"}"#;
    let dir = folder("empty-statement", &[("s.json", file)]);
    let output = simulate(&["--format", "json", "s.json"], &dir);
    let records = lines(&output);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records[0]["decision"], "implicitDeny");
    let codes: Vec<&Value> = records[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| &finding["code"])
        .collect();
    assert_eq!(codes, ["MISSING_STATEMENT", "MISSING_STATEMENT"]);
}

#[test]
fn a_repeated_policy_reports_its_findings_where_each_copy_is() {
    let scenario = |i: usize| {
        format!(
            r#"{{"name": "{i}", "request": {{"action": "s3:GetObject", "resource": "*", "principal": "111122223333"}},
 "identityPolicies": [{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}}]}}]}}"#
        )
    };
    let file = format!("[\n{},\n{}\n]", scenario(0), scenario(1));
    let dir = folder("repeated", &[("s.json", &file)]);
    let output = simulate(&["--format", "json", "s.json"], &dir);
    let records = lines(&output);
    let line = |record: &Value| record["findings"][0]["line"].as_u64().unwrap();
    assert_eq!(line(&records[0]), 3);
    assert_eq!(line(&records[1]), 5);
    assert_eq!(
        records[0]["findings"][0]["column"],
        records[1]["findings"][0]["column"]
    );
}

#[test]
fn a_policy_repeated_as_another_kind_is_read_as_that_kind() {
    // The same text is an identity policy and an SCP in one scenario, and the next scenario's
    // copies of it are not parsed again: every copy is still read as its own kind, found where
    // it is written, and decides as itself.
    let scenario = |i: usize, action: &str| {
        format!(
            r#"{{"name": "{i}", "request": {{"action": "{action}", "resource": "*", "principal": "arn:aws:iam::111122223333:user/alice"}},
 "identityPolicies": [{ALLOW_GET}],
 "serviceControlPolicies": [[{ALLOW_GET}]]}}"#
        )
    };
    let file = format!(
        "[\n{},\n{},\n{}\n]",
        scenario(0, "s3:GetObject"),
        scenario(1, "s3:GetObject"),
        scenario(2, "s3:PutObject")
    );
    let dir = folder("another-kind", &[("s.json", &file)]);
    let output = simulate(&["--format", "json", "s.json"], &dir);
    let records = lines(&output);
    assert_eq!(records.len(), 3, "{output:?}");
    for (index, record) in records.iter().enumerate() {
        let first_line = 2 + 3 * index as u64;
        let deciding = record["deciding"].as_array().unwrap();
        if index < 2 {
            assert_eq!(record["decision"], "allowed");
            let places: Vec<(&str, u64)> = deciding
                .iter()
                .map(|d| (d["policy"].as_str().unwrap(), d["line"].as_u64().unwrap()))
                .collect();
            assert_eq!(
                places,
                [
                    ("serviceControlPolicies[0][0]", first_line + 2),
                    ("identityPolicies[0]", first_line + 1)
                ]
            );
        } else {
            assert_eq!(record["decision"], "implicitDeny");
        }
    }
}

/// Scenarios `0..count`, one per line: repeated and distinct policies, wrong expectations,
/// malformed scenarios, names with the JSON's own punctuation.
fn many(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| match i % 7 {
            0 => format!(r#"{{"name": "bad {i}", "request": {{"action": 5}}}}"#),
            1 => scenario(&format!("wrong {i}"), "s3:PutObject", "allowed"),
            2 => scenario(
                &format!("odd \\\",[{{}}]\\\\ {i}"),
                "s3:GetObject",
                "allowed",
            ),
            3 => scenario(&format!("{i}"), "s3:GetObject", "allowed").replace(
                r#""Sid": "Get""#,
                &format!(
                    r#""Sid": "Get{}", "Condition": {{"Bool": {{"aws:Foo": "x"}}}}"#,
                    i % 5
                ),
            ),
            _ => scenario(&format!("plain {i}"), "s3:GetObject", "allowed")
                .replace("b/k", &format!("b/{i}")),
        })
        .collect()
}

/// What the command prints and exits with for `args`.
fn results(args: &[&str], dir: &Path) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let output = simulate(args, dir);
    (output.stdout, output.stderr, output.status.code())
}

#[test]
fn every_number_of_jobs_prints_the_same() {
    let scenarios = many(400);
    let array = |items: &[String], separator: &str| format!("[\n{}\n]\n", items.join(separator));
    let whole = array(&scenarios, ",\n");
    // Syntax errors in the second part (a part holds 16 KiB of scenarios or more: about 50 of
    // these), in a later part, and after the array.
    let garbage = array(&scenarios[..64], ",\n") + &array(&scenarios[64..], ",\n");
    let garbage = garbage.replacen("]\n[", " x,", 1);
    let missing_comma = format!(
        "[{}\n{}]",
        scenarios[..128].join(","),
        scenarios[128..].join(",")
    );
    let truncated = whole.get(..whole.len() * 2 / 3).unwrap().to_owned();
    let trailing = whole.clone() + "extra";
    let files = [
        ("whole.json", whole.as_str()),
        ("garbage.json", &garbage),
        ("missing-comma.json", &missing_comma),
        ("truncated.json", &truncated),
        ("trailing.json", &trailing),
        ("one.json", &scenarios[1]),
        ("small.json", &array(&scenarios[..10], ",")),
    ];
    let dir = folder("jobs", &files);
    std::fs::write(dir.join("latin1.json"), b"[\xe9]").unwrap();
    // A run of small files, each read whole by the thread that opens it while the next is
    // opened by another: unreadable, truncated and long files among them.
    let mut small_files: Vec<String> = Vec::new();
    for (i, chunk) in scenarios[..90].chunks(3).enumerate() {
        let name = format!("small-{i:02}.json");
        let text = match i % 10 {
            4 => array(chunk, ",").replacen(',', " x", 1),
            7 => array(chunk, ",")[..40].to_owned(),
            _ => array(chunk, ","),
        };
        std::fs::write(dir.join(&name), text).unwrap();
        small_files.push(name);
    }
    small_files.insert(5, "missing.json".to_owned());
    small_files.insert(12, "latin1.json".to_owned());
    small_files.insert(20, "whole.json".to_owned());
    let small_files: Vec<&str> = small_files.iter().map(String::as_str).collect();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/infra-policies");
    let example = examples.join("scenarios/ci-publish.json");
    let runs: [&[&str]; 9] = [
        &["whole.json"],
        &["garbage.json"],
        &["missing-comma.json"],
        &["truncated.json"],
        &["trailing.json"],
        &[
            "one.json",
            "small.json",
            "whole.json",
            "missing.json",
            "latin1.json",
        ],
        &["whole.json", "garbage.json", "one.json", "trailing.json"],
        &[example.to_str().unwrap()],
        &small_files,
    ];
    for files in runs {
        for format in ["text", "json"] {
            let args = |jobs: &'static str| [&["--format", format, "--jobs", jobs], files].concat();
            let one = results(&args("1"), &dir);
            assert!(!one.0.is_empty(), "{files:?}");
            for jobs in ["2", "5"] {
                let many = results(&args(jobs), &dir);
                assert!(one == many, "{files:?} --format {format} --jobs {jobs}");
            }
        }
    }
    let (stdout, _, status) = results(&["whole.json", "--jobs", "2"], &dir);
    assert_eq!(status, Some(2));
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(
        stdout.contains("simulated 400 scenarios: 228 matched, 114 did not, 58 malformed"),
        "{stdout}"
    );
}
