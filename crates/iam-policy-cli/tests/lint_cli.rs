//! `iam-policy lint` as a user runs it: inputs, output formats and exit codes.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"
    }
  ]
}
"#;

/// A syntax error on line 5, column 35: a second string where `,` or `:` belongs.
const BROKEN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow", "Action" "s3:GetObject",
      "Resource": "*"
    }
  ]
}
"#;

fn lint(args: &[&str], dir: &Path) -> Output {
    lint_stdin(args, dir, None)
}

fn lint_stdin(args: &[&str], dir: &Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("stdin is written");
    drop(input);
    child.wait_with_output().expect("the CLI runs")
}

/// A fresh folder with the given files.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iam-policy-lint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn records(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is a JSON object"))
        .collect()
}

#[test]
fn a_clean_policy_exits_0_and_a_syntax_error_is_a_located_finding_with_exit_1() {
    let dir = folder("exit", &[("clean.json", CLEAN), ("broken.json", BROKEN)]);
    let clean = lint(&["clean.json"], &dir);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean)
            .ends_with("linted 1 file: 0 errors, 0 security warnings, 0 warnings, 0 suggestions\n")
    );

    let broken = lint(&["--format", "json", "broken.json"], &dir);
    assert_eq!(broken.status.code(), Some(1));
    let records = records(&broken);
    assert_eq!(records.len(), 1, "{records:?}");
    let record = &records[0];
    assert_eq!(record["code"], "JSON_SYNTAX_ERROR");
    assert_eq!(record["severity"], "error");
    assert_eq!(
        (record["line"].as_u64(), record["column"].as_u64()),
        (Some(5), Some(35))
    );
}

#[test]
fn json_lines_follow_the_documented_schema() {
    let dir = folder("schema", &[("broken.json", BROKEN)]);
    let output = lint(&["--format", "json", "broken.json"], &dir);
    for record in records(&output) {
        let object = record.as_object().expect("an object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "code",
                "column",
                "end_column",
                "end_line",
                "file",
                "help",
                "kind",
                "line",
                "message",
                "path",
                "severity"
            ]
        );
        for key in ["code", "file", "message", "path", "severity"] {
            assert!(object[key].is_string(), "{key} is a string");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(
                object[key].as_u64().is_some_and(|n| n >= 1),
                "{key} is a 1-based number"
            );
        }
        assert!(object["help"].is_string() || object["help"].is_null());
        assert_eq!(object["file"], "broken.json");
    }
}

/// A cross-account trust policy as Terraform's role modules write it; wrong as an identity policy.
const TRUST: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
  "Action": ["sts:AssumeRole", "sts:TagSession"],
  "Condition": {"StringEquals": {"sts:ExternalId": "4a8c1e"}}}]}
"#;

/// A bucket policy: `Principal` and `Resource`.
const BUCKET: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject",
  "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}
"#;

#[test]
fn each_document_is_linted_as_the_kind_it_shows_unless_kind_is_given() {
    let dir = folder(
        "kinds",
        &[
            ("trust.json", TRUST),
            ("bucket.json", BUCKET),
            ("clean.json", CLEAN),
        ],
    );
    let inferred = lint(&["trust.json", "bucket.json", "clean.json"], &dir);
    assert_eq!(inferred.status.code(), Some(0), "{}", stdout(&inferred));
    // `--kind` overrides: as an identity policy, the trust policy's principal is an error,
    // and the text says which kind the file was held to.
    let declared = lint(&["--kind", "identity", "trust.json"], &dir);
    assert_eq!(declared.status.code(), Some(1));
    let text = stdout(&declared);
    assert!(
        text.contains("note: `trust.json` linted as an identity policy (`--kind identity`)"),
        "{text}"
    );
    let records = records(&lint(
        &["--format", "json", "--kind", "resource", "trust.json"],
        &dir,
    ));
    assert!(!records.is_empty());
    assert!(
        records.iter().all(|record| record["kind"] == "resource"),
        "{records:?}"
    );
}

#[test]
fn unreadable_inputs_exit_2_and_the_other_files_are_still_linted() {
    let dir = folder("unreadable", &[("broken.json", BROKEN)]);
    let output = lint(&["--format", "json", "missing.json", "broken.json"], &dir);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(records(&output).len(), 1, "broken.json is still reported");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot read `missing.json`"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = folder("usage", &[("clean.json", CLEAN)]);
    assert_eq!(lint(&[], &dir).status.code(), Some(2));
    assert_eq!(
        lint(&["--kind", "bucket", "clean.json"], &dir)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        lint(&["--format", "xml", "clean.json"], &dir).status.code(),
        Some(2)
    );
}

#[test]
fn deny_raises_the_failing_severity() {
    // No `Version`: Access Analyzer's MISSING_VERSION is a warning.
    let unversioned = r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}}"#;
    let dir = folder("deny", &[("unversioned.json", unversioned)]);
    let plain = lint(&["--format", "json", "unversioned.json"], &dir);
    let codes: Vec<Value> = records(&plain).iter().map(|r| r["code"].clone()).collect();
    assert_eq!(codes, ["MISSING_VERSION"]);
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(
        lint(&["--deny", "security-warnings", "unversioned.json"], &dir)
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        lint(&["--deny", "warnings", "unversioned.json"], &dir)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        lint(&["--deny", "suggestions", "unversioned.json"], &dir)
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn folders_are_searched_for_json_files_in_sorted_order() {
    let dir = folder(
        "folders",
        &[
            ("policies/b/two.json", BROKEN),
            ("policies/a.json", BROKEN),
            ("policies/readme.txt", BROKEN),
        ],
    );
    let output = lint(&["--format", "json", "policies"], &dir);
    let files: Vec<String> = records(&output)
        .iter()
        .map(|r| r["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(files, ["policies/a.json", "policies/b/two.json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("linted 2 files"), "{stderr}");
}

#[test]
fn findings_come_in_the_order_of_the_files_whatever_lints_them() {
    // Files are linted on every core, each worker taking the next file: with large and small
    // files alternating, the workers finish them out of order.
    let large = format!(
        r#"{{"Statement": [{}]}}"#,
        vec![r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#; 60].join(",")
    );
    let names: Vec<String> = (0..40)
        .map(|index| format!("many/{index:02}.json"))
        .collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .enumerate()
        .map(|(index, name)| {
            (
                name.as_str(),
                if index % 2 == 0 {
                    large.as_str()
                } else {
                    BROKEN
                },
            )
        })
        .collect();
    let dir = folder("order", &files);
    let output = lint(&["--format", "json", "many"], &dir);
    let mut linted: Vec<String> = records(&output)
        .iter()
        .map(|r| r["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    linted.dedup();
    assert_eq!(linted, names);
}

#[test]
fn standard_input_is_read_for_a_dash() {
    let dir = folder("stdin", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    let output = lint_stdin(&["--format", "json", "-"], &dir, Some(BROKEN));
    let records = records(&output);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["file"], "<stdin>");
    assert_eq!(output.status.code(), Some(1));
}

/// The output of `aws iam get-policy-version`: `Document` is an object (AWS CLI) or the
/// URL-encoded text the IAM API returns; findings point into the file either way.
#[test]
fn get_policy_version_output_is_unwrapped_and_findings_point_into_the_file() {
    let object = format!(
        "{{\n  \"PolicyVersion\": {{\n    \"Document\": {},\n    \"VersionId\": \"v2\",\n    \"IsDefaultVersion\": true\n  }}\n}}\n",
        BROKEN.trim_end().replace('\n', "\n    ")
    );
    let encoded_document: String = BROKEN
        .bytes()
        .map(|b| match b {
            b'{' | b'}' | b'"' | b':' | b',' | b'[' | b']' | b' ' | b'\n' => format!("%{b:02X}"),
            _ => char::from(b).to_string(),
        })
        .collect();
    let encoded = format!(
        "{{\"PolicyVersion\": {{\"Document\": \"{encoded_document}\", \"VersionId\": \"v1\"}}}}"
    );
    let dir = folder(
        "wrapped",
        &[("object.json", &object), ("encoded.json", &encoded)],
    );

    let output = lint(&["--format", "json", "object.json"], &dir);
    let records_object = records(&output);
    assert_eq!(records_object.len(), 1, "{records_object:?}");
    assert_eq!(records_object[0]["code"], "JSON_SYNTAX_ERROR");
    assert_eq!(
        records_object[0]["line"], 7,
        "the line inside the wrapping file"
    );

    let output = lint(&["--format", "json", "encoded.json"], &dir);
    let records_encoded = records(&output);
    assert_eq!(records_encoded.len(), 1, "{records_encoded:?}");
    let column = records_encoded[0]["column"].as_u64().unwrap() as usize;
    // The column is that of the `%22` that starts the unexpected string in the file.
    let expected = encoded.find("Action%22%20%22s3").unwrap() + "Action%22%20".len() + 1;
    assert_eq!(column, expected, "{encoded}");
}

/// The SARIF log has what SARIF 2.1.0 requires of each object (sarifLog, run, tool,
/// toolComponent, reportingDescriptor, result, message, location, artifactLocation, region,
/// invocation) and what GitHub code scanning reads.
#[test]
fn sarif_output_has_the_required_shape() {
    let dir = folder("sarif", &[("broken.json", BROKEN), ("clean.json", CLEAN)]);
    let output = lint(
        &[
            "--format",
            "sarif",
            "broken.json",
            "clean.json",
            "missing.json",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(2));
    let log: Value = serde_json::from_str(&stdout(&output)).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "iam-policy");
    let rules = driver["rules"].as_array().unwrap();
    for rule in rules {
        assert!(rule["id"].is_string());
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let artifacts: Vec<&str> = run["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        artifacts,
        ["broken.json", "clean.json"],
        "every linted file is an artifact"
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    for result in results {
        assert!(result["message"]["text"].is_string());
        let rule_id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule_id);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "broken.json");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key}");
        }
        // Code scanning tracks a finding across commits by it.
        let fingerprint = result["partialFingerprints"]["iamPolicyFinding/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fingerprint.len(), 16, "{fingerprint}");
    }
    let invocation = &run["invocations"][0];
    assert_eq!(
        invocation["executionSuccessful"], false,
        "missing.json could not be read"
    );
    let notification = &invocation["toolExecutionNotifications"][0];
    assert!(
        notification["message"]["text"]
            .as_str()
            .unwrap()
            .contains("missing.json")
    );
}

#[test]
fn a_document_that_is_one_string_is_no_policy_document() {
    let dir = folder("bare-string", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    let output = lint_stdin(&["--format", "json", "-"], &dir, Some(r#""hello""#));
    let found = records(&output);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "DATA_TYPE_MISMATCH");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("must be a JSON object, found a string")
    );
    assert_eq!(output.status.code(), Some(1));
}

/// A folder holding a FIFO, links to a device and to nothing, and a socket, all named
/// `*.json`: none is opened (a FIFO would block the run, the device never end), each is
/// reported, and the policies beside them are linted.
#[cfg(unix)]
#[test]
fn folders_yield_regular_files_only_and_report_the_other_entries() {
    let dir = folder("special", &[("a.json", BROKEN)]);
    let made = Command::new("mkfifo")
        .arg(dir.join("b.json"))
        .status()
        .is_ok_and(|status| status.success());
    assert!(made, "mkfifo is available");
    std::os::unix::fs::symlink("/dev/zero", dir.join("c.json")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("d.json")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(dir.join("e.json")).unwrap();
    std::os::unix::fs::symlink(dir.join("a.json"), dir.join("f.json")).unwrap();
    let output = lint(&["--format", "json", "."], &dir);
    let files: Vec<String> = records(&output)
        .iter()
        .map(|record| record["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files, ["./a.json", "./f.json"]);
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    for (name, kind) in [
        ("b.json", "a FIFO"),
        ("c.json", "a link to a device"),
        ("d.json", "broken symbolic link"),
        ("e.json", "a socket"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(name) && line.contains(kind)),
            "{name}: {stderr}"
        );
    }
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every read stops one byte past the limit: a device named on the command line, and standard
/// input, are reported as too large and the other inputs are still linted.
#[test]
fn inputs_past_the_size_limit_are_reported_without_reading_them_whole() {
    let dir = folder("too-large", &[("a.json", BROKEN)]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(["lint", "--format", "json", "a.json", "/dev/zero", "-"])
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The CLI stops reading at the limit: the rest of the write fails, which is expected.
    let writer = std::thread::spawn(move || {
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..17 {
            if input.write_all(&block).is_err() {
                break;
            }
        }
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    for source in ["/dev/zero", "-"] {
        assert!(
            stderr
                .lines()
                .any(|line| line.contains(&format!("`{source}`"))
                    && line.contains("larger than 16 MiB")),
            "{source}: {stderr}"
        );
    }
    assert_eq!(records(&output).len(), 1, "a.json is linted");
    assert_eq!(output.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A minified policy is one line: each finding shows a window of it, with the line and column
/// of the whole file, and quotes at most a few hundred characters of a long value.
#[test]
fn findings_on_a_long_line_show_a_window_and_a_short_quote() {
    let long_action = format!("s3:{}", "A".repeat(100_000));
    let resources: Vec<String> = (0..2_000)
        .map(|i| format!("\"arn:aws:s3:::b/k{i}\""))
        .collect();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": ["s3:GetObject", "{long_action}"], "Resource": ["arn:aws:s3:::b/*", {}]}}]}}"#,
        resources.join(", ")
    );
    let dir = folder("long-line", &[("policy.json", &policy)]);
    let output = lint(&["--color", "never", "policy.json"], &dir);
    let text = stdout(&output);
    // One finding per resource, each with a few lines of bounded length.
    assert!(text.len() < 2_100 * 1_000, "{} bytes", text.len());
    let last = policy.rfind("\"arn:aws:s3:::b/k1999\"").unwrap();
    let column = policy[..last].chars().count() + 1;
    assert!(
        text.contains(&format!("--> policy.json:1:{column}\n")),
        "column {column}"
    );
    let unknown = text
        .split("\n\n")
        .find(|finding| finding.contains("INVALID_ACTION"))
        .expect("the long action is reported");
    assert!(unknown.contains("(100003 characters)"), "{unknown}");
    assert!(unknown.len() < 2_000, "{unknown}");
    std::fs::remove_dir_all(&dir).unwrap();
}
