//! Runs the core's rules on a document and turns the findings into compile errors (at the
//! literal that caused them, all of one call together) and compiler warnings.

use std::time::{Duration, Instant};

use iam_policy_core::check;
use iam_policy_core::model::{Policy, Reading, element, read};
use iam_policy_core::parameter::placeholders;
use iam_policy_core::{
    Finding, IssueCode, Member, Node, Options, Parameter, PolicyKind, Severity, Span, Value, Waiver,
};
use proc_macro::TokenStream;

use crate::code::{Code, Str, respan};
use crate::error::{Error, Errors};
use crate::input::{Document, Settings};
use crate::tokens::{self, SpanTable, StatementRef};

/// A checked document: the policy it describes and what to tell the user about it.
pub(crate) struct Checked {
    /// Every error of the call, combined; `Ok` when the document is valid.
    pub policy: Result<Policy, Error>,
    /// Items that make rustc print one warning per warning-severity finding.
    pub warnings: TokenStream,
    /// Time spent in the core's rules, for `IAM_POLICY_MACRO_TIMINGS`.
    pub validate_time: Duration,
    /// The statement constants `Statement` names, which the rules did not see.
    pub references: Vec<StatementRef>,
    /// The kind the rules held the document to.
    pub kind: Option<PolicyKind>,
}

/// Warnings that `policy!` rejects.
///
/// A condition value of the wrong type (`Bool` set to `"yes"`, a date that is no date) is a
/// warning in Access Analyzer because IAM accepts the policy; the condition then never matches, which is never
/// what the author meant. A policy over its kind's size quota is a warning there because quotas
/// of some kinds can be raised per account; `policy!` holds to the default quota (waive the code
/// where the account's quota was raised). Not a resource policy's: its quota is the service's
/// (8 KB for SQS, 32 KB for KMS key policies), which the kind alone does not tell. An operator
/// or condition key given twice in one `Condition` is a security warning in `lint` (what IAM
/// makes of it is undocumented), but the JSON that deployment tools write from a document keeps
/// only one of the two, silently dropping a restriction.
const REJECTED_WARNINGS: &[IssueCode] = &[
    IssueCode::DuplicateConditionOperator,
    IssueCode::DuplicateConditionKey,
    IssueCode::TypeMismatch,
    IssueCode::TypeMismatchBoolean,
    IssueCode::TypeMismatchDate,
    IssueCode::TypeMismatchNumber,
    IssueCode::TypeMismatchString,
    IssueCode::InvalidDateValue,
    IssueCode::PolicySizeExceedsIdentityPolicyQuota,
    IssueCode::PolicySizeExceedsRoleTrustPolicyQuota,
];

/// The severity a finding has in `policy!`.
pub(crate) fn severity(finding: &Finding) -> Severity {
    if REJECTED_WARNINGS.contains(&finding.code) {
        Severity::Error
    } else {
        finding.severity
    }
}

/// Checks a document, or with `statement` one statement (written as the only statement of an
/// identity policy, or of the declared kind).
pub(crate) fn check(document: &Document, statement: bool) -> Checked {
    let mut spans = SpanTable::default();
    let mut errors = Errors::default();
    if let Some(attribute_errors) = &document.attribute_errors {
        errors.push(attribute_errors.clone());
    }
    let (group, references) = if statement {
        (document.group.clone(), Vec::new())
    } else {
        tokens::statement_references(&document.group)
    };
    let failed = |errors: Errors, references| Checked {
        policy: Err(into_error(errors)),
        warnings: TokenStream::new(),
        validate_time: Duration::ZERO,
        references,
        kind: None,
    };
    if statement && document.settings.templated {
        errors.push(Error::new(
            document.group.span(),
            "a statement constant takes no `#[parameters]`: declare them on the policies that \
             include it",
        ));
        return failed(errors, references);
    }
    let node = match tokens::document(&group, &mut spans) {
        Ok(node) if statement => as_document(node),
        Ok(node) => node,
        Err(error) => {
            errors.push(error);
            return failed(errors, references);
        }
    };
    let mut warnings = TokenStream::new();
    check_placeholders(
        &document.settings,
        &node,
        &spans,
        &mut errors,
        &mut warnings,
    );
    let options = options(&document.settings, &node, &mut errors);
    if document.settings.parameter_errors {
        // The document's placeholders cannot be checked against a declaration that is wrong:
        // each would be reported again, by the rules, as the text it is.
        return Checked {
            warnings,
            ..failed(errors, references)
        };
    }
    let started = Instant::now();
    // Every statement from constants: the document is its other elements, read with an empty
    // `Statement` list.
    let Reading { findings, policy } = read(&node, &options);
    let validate_time = started.elapsed();
    let kind = iam_policy_core::policy_kind(&node, &options);
    for finding in findings {
        // The statements of the constants `Statement` names are not in the tree.
        if !references.is_empty() && finding.code == IssueCode::MissingStatement {
            continue;
        }
        let span = spans.get(finding.span);
        let severity = severity(&finding);
        let text = text(&finding, &options.parameters);
        if severity == Severity::Error {
            errors.push(Error::new(span, text));
        } else {
            warnings.extend(warning(severity, &text, span));
        }
    }
    custom_checks(&document.settings, &node, &spans, &mut errors);
    // Without a policy, `read` reported why among the findings: `errors` holds it.
    let policy = match policy {
        Some(policy) if errors.is_empty() => Ok(policy),
        _ => Err(into_error(errors)),
    };
    Checked {
        policy,
        warnings,
        validate_time,
        references,
        kind: Some(kind),
    }
}

/// `{"Version": "2012-10-17", "Statement": [statement]}`, the statement's spans kept.
fn as_document(statement: Node<'static>) -> Node<'static> {
    let span = statement.span;
    let member = |key: &'static str, value| Member {
        key: key.into(),
        key_span: span,
        value: Node { value, span },
    };
    Node {
        value: Value::Object(vec![
            member(element::VERSION, Value::String("2012-10-17".into())),
            member(element::STATEMENT, Value::Array(vec![statement])),
        ]),
        span,
    }
}

/// The errors of a document that has no policy; `read` says why among its findings.
fn into_error(errors: Errors) -> Error {
    errors
        .into_error()
        .unwrap_or_else(|| Error::new(proc_macro::Span::call_site(), "expected a policy"))
}

/// `unknown action `ssm:StartSesion` (INVALID_ACTION)` and the help on its own line. When the
/// message quotes the typical value a placeholder was checked with, a note says which
/// placeholder it stands for.
fn text(finding: &Finding, parameters: &[Parameter]) -> String {
    let mut text = format!("{} ({})", finding.message, finding.code.as_str());
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let quoted = |example: &str| finding.message.contains(example);
    let notes: Vec<String> = parameters
        .iter()
        .map(|parameter| (&parameter.name, parameter.kind.example()))
        .filter(|(_, example)| quoted(example))
        // The example KMS key ARN holds the example Region and account: name the longest.
        .filter(|(_, example)| {
            !parameters.iter().any(|other| {
                let other = other.kind.example();
                other.len() > example.len() && other.contains(&**example) && quoted(&other)
            })
        })
        .map(|(name, example)| format!("`{{{name}}}` as `{example}`"))
        .collect();
    if !notes.is_empty() {
        text.push_str("\nnote: placeholders are checked with a typical value: ");
        text.push_str(&notes.join(", "));
    }
    text
}

/// Stable Rust has no API for a proc macro to warn, so each warning is a call of a
/// `#[deprecated]` function at the literal: rustc prints the note there, `#[allow(deprecated)]`
/// silences it and `#[deny(deprecated)]` turns it into an error (the trick `sqlx` uses).
fn warning(severity: Severity, text: &str, span: proc_macro::Span) -> TokenStream {
    let mut code = Code::default();
    code.push(format_args!(
        "const _: () = {{ #[deprecated(note = {text})] const fn {name}() {{}} {name}(); }};",
        text = Str(text),
        name = severity.as_str(),
    ));
    respan(code.into_stream(), span)
}

/// The options for the core: kind, parameters, and waivers with `sid = "..."` resolved to the
/// statement that has that `Sid`.
fn options(settings: &Settings, node: &Node<'_>, errors: &mut Errors) -> Options {
    let mut waivers = Vec::new();
    for waiver in &settings.waivers {
        let statement = match &waiver.sid {
            None => None,
            Some(sid) => match statement_with_sid(node, &sid.value) {
                Some(index) => Some(index),
                None => {
                    errors.push(Error::new(
                        sid.span,
                        format!("no statement has `\"Sid\": \"{}\"`", sid.value),
                    ));
                    continue;
                }
            },
        };
        waivers.extend(waiver.codes.iter().map(|&code| Waiver { code, statement }));
    }
    Options {
        kind: settings.kind,
        waivers,
        parameters: settings
            .parameters
            .iter()
            .map(|declared| Parameter {
                name: declared.name.value.clone(),
                kind: declared.kind,
            })
            .collect(),
    }
}

/// Placeholders and declarations must match. A declared parameter the document never writes
/// is a mistake in the declaration (a misspelt name, or a placeholder left as literal text). A
/// `{name}` the document writes but a template does not declare would be left in the bound
/// policy: an error, with the nearest declared name. In a policy that declares no parameters
/// such text may be meant literally, so it is a warning there.
fn check_placeholders(
    settings: &Settings,
    node: &Node<'_>,
    spans: &SpanTable,
    errors: &mut Errors,
    warnings: &mut TokenStream,
) {
    let mut written = Vec::new();
    collect_placeholders(node, &mut written);
    let declared: Vec<&str> = settings
        .parameters
        .iter()
        .map(|declared| declared.name.value.as_str())
        .collect();
    for (name, span) in &written {
        if declared.iter().any(|declared| declared == name) || settings.parameter_errors {
            continue;
        }
        let span = spans.get(*span);
        if !settings.templated {
            let text = format!(
                "`{{{name}}}` looks like a placeholder, but the policy declares no parameters\n\
                 help: declare it with its kind, `#[parameters(\"{name}\": KIND)]`, or write the real value"
            );
            warnings.extend(warning(Severity::Warning, &text, span));
            continue;
        }
        let help = match iam_policy_core::suggest::nearest_name(name, declared.iter()) {
            Some(nearest) => format!("did you mean `{{{nearest}}}`?"),
            None => format!(
                "declare it in `#[parameters(...)]`; the declared parameters are `{}`",
                declared.join("`, `")
            ),
        };
        errors.push(Error::new(
            span,
            format!(
                "`{{{name}}}` is not a declared parameter: binding would leave it in the policy\nhelp: {help}"
            ),
        ));
    }
    for declared in &settings.parameters {
        let name_text = &declared.name.value;
        if !written.iter().any(|(written, _)| written == name_text) {
            errors.push(Error::new(
                declared.name.span,
                format!(
                    "parameter `{name_text}` is declared but the policy never writes `{{{name_text}}}`"
                ),
            ));
        }
    }
}

/// The placeholder names written in the strings and keys of `node`, with the literal's span.
fn collect_placeholders<'n>(node: &'n Node<'n>, written: &mut Vec<(&'n str, Span)>) {
    match &node.value {
        Value::String(text) => {
            written.extend(placeholders(text).map(|(_, name)| (name, node.span)));
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_placeholders(item, written)),
        Value::Object(members) => {
            for member in members {
                written.extend(placeholders(&member.key).map(|(_, name)| (name, member.key_span)));
                collect_placeholders(&member.value, written);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The index in `Statement` of the statement whose `Sid` is `sid`.
fn statement_with_sid(document: &Node<'_>, sid: &str) -> Option<usize> {
    let Value::Object(members) = &document.value else {
        return None;
    };
    let statement = &members.iter().find(|m| m.key == element::STATEMENT)?.value;
    let has_sid = |node: &Node<'_>| match &node.value {
        Value::Object(members) => members.iter().any(|m| {
            m.key == element::SID && matches!(&m.value.value, Value::String(text) if text == sid)
        }),
        _ => false,
    };
    match &statement.value {
        Value::Array(statements) => statements.iter().position(has_sid),
        _ => has_sid(statement).then_some(0),
    }
}

/// `#[never_grants]` and `#[no_public_access]`: each reason of a `FAIL` is an error at the
/// statement it names.
fn custom_checks(settings: &Settings, node: &Node<'_>, spans: &SpanTable, errors: &mut Errors) {
    let mut verdicts = Vec::new();
    if !settings.never_grants.is_empty() {
        let access = check::Access {
            actions: settings
                .never_grants
                .iter()
                .map(|action| action.value.clone())
                .collect(),
            resources: Vec::new(),
        };
        verdicts.push(("never_grants", check::access_not_granted(node, &access)));
    }
    if let Some(resource_type) = settings.no_public_access {
        verdicts.push((
            "no_public_access",
            check::no_public_access(node, resource_type),
        ));
    }
    for (attribute, verdict) in verdicts {
        // A document that is no policy has its errors from the rules already.
        let Ok(verdict) = verdict else { continue };
        for reason in verdict.reasons {
            let span = reason
                .span
                .map_or_else(proc_macro::Span::call_site, |span| spans.get(span));
            let sid = reason
                .statement_id
                .map(|sid| format!(" (`{sid}`)"))
                .unwrap_or_default();
            let index = reason
                .statement_index
                .map(|i| format!(" {i}"))
                .unwrap_or_default();
            errors.push(Error::new(
                span,
                format!(
                    "statement{index}{sid} {}, which `#[{attribute}]` forbids\nnote: {}",
                    reason.description, verdict.message
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_policy_core::ParameterKind;

    fn document(text: &str) -> Result<Node<'_>, String> {
        iam_policy_core::parse::parse(text).map_err(|error| error.message)
    }

    #[test]
    fn finds_the_statement_a_waiver_names() -> Result<(), String> {
        let many = document(r#"{"Statement": [{"Sid": "A"}, {"Sid": "B"}]}"#)?;
        assert_eq!(statement_with_sid(&many, "B"), Some(1));
        assert_eq!(statement_with_sid(&many, "C"), None);
        let one = document(r#"{"Statement": {"Sid": "A"}}"#)?;
        assert_eq!(statement_with_sid(&one, "A"), Some(0));
        Ok(())
    }

    #[test]
    fn names_the_placeholder_a_quoted_typical_value_stands_for() {
        let parameters: Vec<Parameter> = [
            ("region", ParameterKind::Region),
            ("account-id", ParameterKind::AccountId),
            ("key-name", ParameterKind::KmsKeyArn),
        ]
        .into_iter()
        .map(|(name, kind)| Parameter {
            name: name.to_owned(),
            kind,
        })
        .collect();
        let finding = |message: String| Finding {
            code: IssueCode::InvalidArnRegion,
            severity: Severity::Error,
            message,
            help: None,
            span: iam_policy_core::Span::default(),
            path: String::new(),
            statement: None,
        };
        let region = text(
            &finding("`123456789012` is not a Region code".into()),
            &parameters,
        );
        assert!(
            region.ends_with("value: `{account-id}` as `123456789012`"),
            "{region}"
        );
        let key = ParameterKind::KmsKeyArn.example();
        let key = text(&finding(format!("`{key}` is not an S3 ARN")), &parameters);
        assert!(key.ends_with("value: `{key-name}` as `arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`"), "{key}");
        let plain = text(&finding("`x` is not a Region code".into()), &parameters);
        assert!(!plain.contains("note"), "{plain}");
    }

    #[test]
    fn the_rejected_warnings_are_no_errors_of_access_analyzer() {
        // A code Access Analyzer already reports as an error needs no raising: listing it would
        // only hide that the list is out of date.
        // Raised as errors they are: `ui/size` and `ui/conditions` show it at the literal.
        for code in REJECTED_WARNINGS {
            assert_ne!(code.severity(), Severity::Error, "{code:?}");
        }
    }
}
