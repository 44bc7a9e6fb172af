//! `--format sarif`: one SARIF 2.1.0 log for the whole run, as GitHub code scanning (and other
//! SARIF viewers) read it. The object model is `serde-sarif`'s, generated from the OASIS schema,
//! so every required property is there by construction.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::{self, Write};

use fnv::FnvHasher;

use iam_policy_core::{IssueCode, Severity};
use serde_sarif::sarif::{
    Artifact, ArtifactLocation, Invocation, Location, LogicalLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use super::LintedSource;
use super::document::Diagnostic;
use super::input::InputError;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Access Analyzer's page describing its checks, which our codes follow.
const CHECK_REFERENCE: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";
/// Our `partialFingerprints` entry, versioned as SARIF names them: a new scheme is a new name.
const FINGERPRINT: &str = "iamPolicyFinding/v1";

/// Writes the log of a run over `files`; `errors` are the inputs that could not be read.
pub fn write(
    out: &mut impl Write,
    files: &[LintedSource<'_>],
    errors: &[InputError],
) -> io::Result<()> {
    let mut codes: Vec<IssueCode> = files
        .iter()
        .flat_map(|file| &file.linted.diagnostics)
        .map(|diagnostic| diagnostic.finding.code)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let rule_index = |code: IssueCode| codes.binary_search(&code).ok().map(|index| index as i64);

    let mut results = Vec::new();
    for (artifact, file) in files.iter().enumerate() {
        let uri = uri(&file.name);
        for diagnostic in &file.linted.diagnostics {
            let finding = &diagnostic.finding;
            let text = match &finding.help {
                Some(help) => format!("{}\nhelp: {help}", finding.message),
                None => finding.message.clone(),
            };
            let region = Region::builder()
                .start_line(diagnostic.start.line as i64)
                .start_column(diagnostic.start.column as i64)
                .end_line(diagnostic.end.line as i64)
                .end_column(diagnostic.end.column as i64)
                .build();
            let physical = PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(uri.clone())
                        .index(artifact as i64)
                        .build(),
                )
                .region(region)
                .build();
            let mut location = Location::builder().physical_location(physical).build();
            if !finding.path.is_empty() {
                // The JSON path inside the policy document, as Access Analyzer reports it.
                location.logical_locations = Some(vec![
                    LogicalLocation::builder()
                        .fully_qualified_name(finding.path.clone())
                        .build(),
                ]);
            }
            let mut result = SarifResult::builder()
                .rule_id(finding.code.as_str())
                .level(result_level(finding.severity))
                .message(Message::builder().text(text).build())
                .locations(vec![location])
                .build();
            result.rule_index = rule_index(finding.code);
            result.partial_fingerprints = Some(BTreeMap::from([(
                FINGERPRINT.to_owned(),
                fingerprint(&uri, &file.linted.text, diagnostic),
            )]));
            results.push(result);
        }
    }

    let rules: Vec<ReportingDescriptor> = codes.iter().map(|&code| rule(code)).collect();
    let artifacts: Vec<Artifact> = files
        .iter()
        .map(|file| {
            Artifact::builder()
                .location(ArtifactLocation::builder().uri(uri(&file.name)).build())
                .build()
        })
        .collect();
    let mut invocation = Invocation::builder()
        .execution_successful(errors.is_empty())
        .build();
    if !errors.is_empty() {
        invocation.tool_execution_notifications = Some(
            errors
                .iter()
                .map(|error| {
                    Notification::builder()
                        .level(serde_json::json!("error"))
                        .message(Message::builder().text(error.to_string()).build())
                        .build()
                })
                .collect(),
        );
    }
    let driver = ToolComponent::builder()
        .name("iam-policy")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .artifacts(artifacts)
        .results(results)
        .invocations(vec![invocation])
        // Our columns count characters, not UTF-16 code units.
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

/// Identifies a finding across commits so code scanning keeps one alert for it: FNV-1a 64 of the
/// rule, the file, the JSON path and the offending literal (when it is on one line: a statement
/// or a whole document would change with any edit inside it). No line numbers, so the finding
/// keeps its fingerprint when lines above it are added or removed.
fn fingerprint(uri: &str, text: &str, diagnostic: &Diagnostic) -> String {
    let finding = &diagnostic.finding;
    let literal = text
        .get(finding.span.start as usize..finding.span.end as usize)
        .filter(|literal| !literal.contains('\n'))
        .unwrap_or("");
    let mut hasher = FnvHasher::default();
    for part in [finding.code.as_str(), uri, &finding.path, literal] {
        hasher.write(part.as_bytes());
        // A separator, so that moving bytes from one part to the next changes the hash.
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

fn rule(code: IssueCode) -> ReportingDescriptor {
    let severity = code.severity();
    let mut tags = vec!["iam".to_owned()];
    if severity == Severity::SecurityWarning {
        tags.push("security".to_owned());
    }
    ReportingDescriptor::builder()
        .id(code.as_str())
        .short_description(
            MultiformatMessageString::builder()
                .text(format!(
                    "IAM policy check {} ({})",
                    code.as_str(),
                    severity.as_str()
                ))
                .build(),
        )
        .help_uri(CHECK_REFERENCE)
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(result_level(severity).to_string()))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(tags)
                .additional_properties(BTreeMap::new())
                .build(),
        )
        .build()
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::SecurityWarning | Severity::Warning => ResultLevel::Warning,
        Severity::Suggestion => ResultLevel::Note,
    }
}

/// A file name as a relative (or `file:`) URI reference: `/` separators, percent-encoded bytes
/// outside RFC 3986's unreserved set.
fn uri(name: &str) -> String {
    let name = name.replace('\\', "/");
    let (prefix, path) = match name.strip_prefix('/') {
        Some(rest) => ("file:///", rest),
        None => ("", name.as_str()),
    };
    let mut uri = String::from(prefix);
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    use iam_policy_core::Options;

    use super::super::document::lint_bytes;

    /// The fingerprints of every finding of `text`, in order.
    fn fingerprints(uri: &str, text: &str) -> Vec<String> {
        let linted = lint_bytes(text.as_bytes(), &Options::default());
        linted
            .diagnostics
            .iter()
            .map(|diagnostic| fingerprint(uri, &linted.text, diagnostic))
            .collect()
    }

    const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ssm:StartSesion", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}
]}"#;

    #[test]
    fn fingerprints_survive_moved_lines_and_tell_findings_apart() {
        let before = fingerprints("p.json", POLICY);
        assert_eq!(before.len(), 2, "{before:?}");
        assert_ne!(before[0], before[1]);
        // Lines added above and indentation changed: the same findings.
        let moved = format!("\n\n{}", POLICY.replace("\n  {", "\n\n      {"));
        assert_eq!(fingerprints("p.json", &moved), before);
        // Another file, or another literal at the same place, is another finding.
        assert_ne!(fingerprints("q.json", POLICY)[0], before[0]);
        let other = POLICY.replace("ssm:StartSesion", "ssm:StartSesionX");
        assert_ne!(fingerprints("p.json", &other)[0], before[0]);
        assert_eq!(fingerprints("p.json", &other)[1], before[1]);
        assert!(before.iter().all(|print| print.len() == 16));
    }

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(uri("policies/a b.json"), "policies/a%20b.json");
        assert_eq!(uri("/abs/p.json"), "file:///abs/p.json");
        assert_eq!(uri("dir\\p.json"), "dir/p.json");
    }
}
