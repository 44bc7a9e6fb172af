//! Runs the core's rules on a document and turns the findings into compile errors (at the
//! literal that caused them, all of one call together) and compiler warnings.

use std::time::{Duration, Instant};

use iam_policy_core::{
    Finding, IssueCode, Node, Options, Parameter, Severity, Value, Waiver, validate,
};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote_spanned};

use crate::input::{Document, Settings};
use crate::tokens::{self, SpanTable};

/// A checked document: its tree and what to tell the user about it.
pub(crate) struct Checked {
    pub node: Option<Node>,
    pub spans: SpanTable,
    /// Every error of the call, combined; `None` when the document is valid.
    pub errors: Option<syn::Error>,
    /// Items that make rustc print one warning per warning-severity finding.
    pub warnings: TokenStream,
    /// Time spent in the core's rules, for `IAM_POLICY_MACRO_TIMINGS`.
    pub validate_time: Duration,
}

/// Warnings of Access Analyzer that `policy!` rejects.
///
/// A condition value of the wrong type (`Bool` set to `"yes"`, a date that is no date) is a
/// warning there because IAM accepts the policy; the condition then never matches, which is never
/// what the author meant. A policy over its kind's size quota is a warning there because quotas
/// of some kinds can be raised per account; `policy!` holds to the default quota (waive the code
/// where the account's quota was raised).
const REJECTED_WARNINGS: &[IssueCode] = &[
    IssueCode::TypeMismatch,
    IssueCode::TypeMismatchBoolean,
    IssueCode::TypeMismatchDate,
    IssueCode::TypeMismatchNumber,
    IssueCode::TypeMismatchString,
    IssueCode::InvalidDateValue,
    IssueCode::PolicySizeExceedsIdentityPolicyQuota,
    IssueCode::PolicySizeExceedsResourcePolicyQuota,
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

pub(crate) fn check(document: &Document) -> Checked {
    let mut spans = SpanTable::default();
    let mut errors = Errors(document.attribute_errors.clone());
    let node = match tokens::document(&document.group, &mut spans) {
        Ok(node) => node,
        Err(error) => {
            errors.push(error);
            return Checked {
                node: None,
                spans,
                errors: errors.0,
                warnings: TokenStream::new(),
                validate_time: Duration::ZERO,
            };
        }
    };
    let options = options(&document.settings, &node, &mut errors);
    let mut warnings = TokenStream::new();
    let started = Instant::now();
    let findings = validate(&node, &options);
    let validate_time = started.elapsed();
    for finding in findings {
        let span = spans.get(finding.span);
        let severity = severity(&finding);
        let text = text(&finding);
        if severity == Severity::Error {
            errors.push(syn::Error::new(span, text));
        } else {
            warnings.extend(warning(severity, &text, span));
        }
    }
    Checked {
        node: Some(node),
        spans,
        errors: errors.0,
        warnings,
        validate_time,
    }
}

struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }
}

/// `unknown action `ssm:StartSesion` (INVALID_ACTION)` and the help on its own line.
fn text(finding: &Finding) -> String {
    let mut text = format!("{} ({})", finding.message, finding.code.as_str());
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    text
}

/// Stable Rust has no API for a proc macro to warn, so each warning is a call of a
/// `#[deprecated]` function at the literal: rustc prints the note there, `#[allow(deprecated)]`
/// silences it and `#[deny(deprecated)]` turns it into an error (the trick `sqlx` uses).
fn warning(severity: Severity, text: &str, span: Span) -> TokenStream {
    let name = format_ident!("{}", severity.as_str(), span = span);
    quote_spanned! {span=>
        const _: () = {
            #[deprecated(note = #text)]
            const fn #name() {}
            #name();
        };
    }
}

/// The options for the core: kind, parameters, and waivers with `sid = "..."` resolved to the
/// statement that has that `Sid`.
fn options(settings: &Settings, node: &Node, errors: &mut Errors) -> Options {
    let mut waivers = Vec::new();
    for waiver in &settings.waivers {
        let statement = match &waiver.sid {
            None => None,
            Some(sid) => match statement_with_sid(node, &sid.value()) {
                Some(index) => Some(index),
                None => {
                    errors.push(syn::Error::new(
                        sid.span(),
                        format!("no statement has `\"Sid\": \"{}\"`", sid.value()),
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
            .map(|(name, kind)| Parameter {
                name: name.value(),
                kind: *kind,
            })
            .collect(),
    }
}

/// The index in `Statement` of the statement whose `Sid` is `sid`.
fn statement_with_sid(document: &Node, sid: &str) -> Option<usize> {
    let Value::Object(members) = &document.value else {
        return None;
    };
    let statement = &members.iter().find(|m| m.key == "Statement")?.value;
    let has_sid = |node: &Node| match &node.value {
        Value::Object(members) => members
            .iter()
            .any(|m| m.key == "Sid" && m.value.value == Value::String(sid.to_owned())),
        _ => false,
    };
    match &statement.value {
        Value::Array(statements) => statements.iter().position(has_sid),
        _ => has_sid(statement).then_some(0),
    }
}
