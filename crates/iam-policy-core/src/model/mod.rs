//! The policy model: one set of types for policies written with `policy!` (built in `const`
//! context from borrowed `'static` data) and for policies parsed at run time (owned data).
//! `iam-policy` re-exports it; its documentation is the user's.
//!
//! A document becomes a `Policy` in one place: [`read`] runs every rule and lowers the
//! validated tree (`lower`); [`Policy::from_json`], `Deserialize` and the `policy!` macro all
//! go through it and have no checks of their own.
//!
//! Every text and list is a `Cow<'static, _>`: `Cow::Borrowed` is what the macro writes in
//! constants, `Cow::Owned` is what the parser builds. Elements keep the shape they were written
//! in (a single value stays single, an array stays an array), so serializing gives back the
//! document as written.

mod bind;
mod compose;
mod de;
mod error;
mod json_writer;
mod lower;
mod ser;

use std::borrow::Cow;

pub use crate::{ParameterKind, PolicyKind};
pub use bind::{BindError, UnknownNames};
pub use compose::{ComposeError, check_composed, minified_size};
pub use error::{Error, LocatedFinding};
pub use iam_policy_rules::{Effect, element};

use crate::json::Node;
use crate::{Finding, IssueCode, Options, Severity};

/// A text of the policy: a borrowed literal in constants, an owned string at run time.
pub type Text = Cow<'static, str>;

/// An IAM policy document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `Version`: `2012-10-17` or `2008-10-17`.
    pub version: Option<Text>,
    /// `Id`.
    pub id: Option<Text>,
    /// `Statement`: one statement object or an array of them.
    pub statement: OneOrMany<Statement>,
    /// The declared kind (`#[kind = "..."]`), which decides the rules and the size quota that
    /// apply; `None`: the kind the statements show (see `iam_policy_core::policy_kind`). Not
    /// part of the JSON document.
    pub kind: Option<PolicyKind>,
}

/// A policy with placeholders (`{account-id}`), written with `#[parameters(...)]`: a template,
/// not a policy. It has no `Serialize` and no `to_json`, so an unbound placeholder never
/// reaches a deployed document: [`Template::bind`] gives the [`Policy`], once every parameter
/// has a value checked against its kind's rule. [`Template::to_json_pretty_with_placeholder_names`]
/// prints it the way AWS's documentation prints its samples, on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// The document, its placeholders written `{name}` in its strings.
    pub policy: Policy,
    /// The placeholders the document writes, in declaration order.
    pub parameters: Cow<'static, [Parameter]>,
}

/// A placeholder of a template, such as `{account-id}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The name as the documentation prints it, e.g. `account-id`.
    pub name: Text,
    pub kind: ParameterKind,
}

/// An element IAM accepts either as one value or as an array, kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OneOrMany<T: Clone + 'static> {
    One(T),
    Many(Cow<'static, [T]>),
}

impl<T: Clone + 'static> OneOrMany<T> {
    /// The values, one or many.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }
}

impl<'a, T: Clone + 'static> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One statement of a policy. At most one of each `X`/`NotX` pair is set in a valid policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<Text>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub action: Option<OneOrMany<Text>>,
    pub not_action: Option<OneOrMany<Text>>,
    pub resource: Option<OneOrMany<Text>>,
    pub not_resource: Option<OneOrMany<Text>>,
    /// `Condition`: condition operators in the order written.
    pub condition: Option<Cow<'static, [ConditionBlock]>>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// `{"AWS": ..., "Service": ...}`, in the order written.
    Map(Cow<'static, [PrincipalEntry]>),
}

/// One principal type of a `Principal` map and its values, e.g. `"Service": "ssm.amazonaws.com"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub principal_type: Text,
    pub values: OneOrMany<Text>,
}

/// One condition operator of `Condition` with its keys, e.g.
/// `"StringLike": {"ssm:resourceTag/Finance": ["WebServers"]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionBlock {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: Text,
    pub entries: Cow<'static, [ConditionEntry]>,
}

/// One condition key under an operator and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionEntry {
    /// The condition key as written, e.g. `aws:PrincipalTag/team`.
    pub key: Text,
    pub values: OneOrMany<ConditionValue>,
}

/// A condition value as written: IAM compares strings, but the JSON type is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConditionValue {
    String(Text),
    /// A number exactly as written, e.g. `3600` or `-1.5`.
    Number(Text),
    Bool(bool),
}

impl Policy {
    /// The statements, whether `Statement` was written as one object or as an array.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }
}

/// What the rules say about a document, and the policy it describes when it has one.
#[derive(Debug)]
pub struct Reading {
    /// Every finding that is not waived, in source order.
    pub findings: Vec<Finding>,
    /// `None` when a finding that cannot be waived (see [`IssueCode::is_waivable`]) leaves the
    /// document without a meaning; such a finding is then among `findings`.
    pub policy: Option<Policy>,
}

/// Runs every rule on `document` and lowers it into the model: the one way from a JSON tree to
/// a [`Policy`]. The policy takes its kind from `options`; placeholders of `options.parameters`
/// stay written `{name}` in its strings (see [`Template`]).
pub fn read(document: &Node<'_>, options: &Options) -> Reading {
    read_with_bound(document, options, None)
}

/// [`read`] for a document that [`parse::parse`](crate::parse::parse) read from text (see
/// [`crate::validate_parsed`]): the size rule then measures only documents whose text exceeds
/// the quota.
pub fn read_parsed(document: &Node<'_>, options: &Options) -> Reading {
    let text_length = document.span.end.saturating_sub(document.span.start);
    read_with_bound(document, options, usize::try_from(text_length).ok())
}

fn read_with_bound(document: &Node<'_>, options: &Options, text_length: Option<usize>) -> Reading {
    let mut findings = crate::rules::check(document, options, text_length);
    let refused = |finding: &Finding| !finding.code.is_waivable();
    // An empty `Statement` list is an error (Access Analyzer's `MISSING_STATEMENT`) whose
    // meaning is plain all the same: no statement applies. Read as that, it can only deny (a
    // scenario's policy is evaluated as written); the statement constants a `policy!` document
    // includes leave such a list behind too.
    let meaningless = findings
        .iter()
        .any(|finding| refused(finding) && finding.code != IssueCode::MissingStatement);
    // A meaningless document is not lowered at all. The grammar reports every shape the model
    // cannot hold with a code that cannot be waived; should one slip through the lowering, the
    // document is still refused, and said why.
    let policy = match meaningless {
        true => None,
        false => lower::policy(document, options),
    };
    if policy.is_none() && !findings.iter().any(refused) {
        findings.push(unreadable(document));
    }
    Reading { findings, policy }
}

fn unreadable(document: &Node<'_>) -> Finding {
    Finding {
        code: IssueCode::DataTypeMismatch,
        severity: Severity::Error,
        message: "the document has a shape the policy model cannot hold".to_owned(),
        help: None,
        span: document.span,
        path: String::new(),
        statement: None,
    }
}

impl Policy {
    /// Parses a JSON policy document and validates it with every rule; the error lists every
    /// error-severity finding with its line and column. The kind is inferred: an identity
    /// policy unless a statement has `Principal` or `NotPrincipal`; then a role trust policy
    /// when every action is `sts:AssumeRole*` or a companion (`sts:TagSession`,
    /// `sts:SetSourceIdentity`, `sts:SetContext`) and no statement has `Resource`, else a
    /// resource policy.
    pub fn from_json(text: &str) -> Result<Policy, Error> {
        Policy::from_json_with(text, &Options::default())
    }

    /// [`Policy::from_json`] for a declared kind of policy, which decides the rules and the size
    /// quota that apply.
    pub fn from_json_as(text: &str, kind: PolicyKind) -> Result<Policy, Error> {
        let options = Options {
            kind: Some(kind),
            ..Options::default()
        };
        Policy::from_json_with(text, &options)
    }

    pub(crate) fn from_json_with(text: &str, options: &Options) -> Result<Policy, Error> {
        let document = crate::parse::parse(text)
            .map_err(|error| Error::new(text, vec![error.into_finding()]))?;
        let Reading { findings, policy } = read_parsed(&document, options);
        let errors: Vec<Finding> = findings
            .into_iter()
            .filter(|finding| finding.severity == Severity::Error)
            .collect();
        match policy {
            Some(policy) if errors.is_empty() => Ok(policy),
            _ => Err(Error::new(text, errors)),
        }
    }

    /// Reads a JSON policy document the way IAM evaluates one it stored: the rules' findings do
    /// not keep it from being read, only what leaves it without a meaning (JSON syntax, a
    /// finding that cannot be waived) does. For evaluating policies that have findings.
    pub fn from_json_unchecked(text: &str) -> Result<Policy, Error> {
        let document = crate::parse::parse(text)
            .map_err(|error| Error::new(text, vec![error.into_finding()]))?;
        let Reading { findings, policy } = read_parsed(&document, &Options::default());
        policy.ok_or_else(|| {
            let meaningless = findings.into_iter().filter(|f| !f.code.is_waivable());
            Error::new(text, meaningless.collect())
        })
    }

    /// The document as minified JSON.
    pub fn to_json(&self) -> String {
        ser::to_json(self, false)
    }

    /// The document as JSON indented by two spaces, the way AWS's documentation prints it.
    pub fn to_json_pretty(&self) -> String {
        ser::to_json(self, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Waiver;

    fn document(text: &str) -> Node<'_> {
        crate::parse::parse(text).unwrap()
    }

    /// Every code the grammar can report on `text`, waiving each.
    fn waiving_everything() -> Options {
        Options {
            waivers: IssueCode::ALL
                .iter()
                .map(|&code| Waiver {
                    code,
                    statement: None,
                })
                .collect(),
            ..Options::default()
        }
    }

    #[test]
    fn a_waiver_never_fills_in_what_the_document_does_not_say() {
        let no_effect = document(
            r#"{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}"#,
        );
        let Reading { findings, policy } = read(&no_effect, &waiving_everything());
        assert_eq!(policy, None);
        let codes: Vec<IssueCode> = findings.iter().map(|finding| finding.code).collect();
        assert_eq!(codes, [IssueCode::MissingEffect]);
    }

    #[test]
    fn an_empty_statement_list_reads_as_no_statement_and_stays_an_error() {
        let empty = document(r#"{"Version": "2012-10-17", "Statement": []}"#);
        let Reading { findings, policy } = read(&empty, &Options::default());
        let codes: Vec<IssueCode> = findings.iter().map(|finding| finding.code).collect();
        assert_eq!(codes, [IssueCode::MissingStatement]);
        let policy = policy.unwrap();
        assert!(policy.statements().is_empty());
        assert_eq!(policy.version.as_deref(), Some("2012-10-17"));
        // Without the member there is no document to read, nor beside another error.
        for text in [
            r#"{"Version": "2012-10-17"}"#,
            r#"{"Version": "2012-10-17", "Statement": [], "Statement": []}"#,
            r#"{"Version": "2012-10-17", "Statement": [{"Action": "*", "Resource": "*"}]}"#,
        ] {
            assert_eq!(
                read(&document(text), &Options::default()).policy,
                None,
                "{text}"
            );
        }
        assert!(
            crate::model::Policy::from_json(r#"{"Version": "2012-10-17", "Statement": []}"#)
                .is_err()
        );
    }

    #[test]
    fn a_shape_the_model_cannot_hold_is_a_finding_no_waiver_hides() {
        let shapes = [
            r#"[]"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}, "Statement": []}"#,
            r#"{"Version": 2012, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
            r#"{"Id": null, "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
            r#"{"Version": "2012-10-17", "Statements": []}"#,
            r#"{"Version": "2012-10-17"}"#,
            r#"{"Statement": "Allow"}"#,
            r#"{"Statement": [1]}"#,
            r#"{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": ["Allow"], "Action": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Sid": 1, "Effect": "Allow", "Action": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Actions": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": [1], "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": {}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Principal": "me", "Action": "*", "Resource": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Principal": {"AWS": 1}, "Action": "*"}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": []}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": true}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": null}}}}"#,
            r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": [[true]]}}}}"#,
        ];
        for text in shapes {
            let document = document(text);
            assert_eq!(
                lower::policy(&document, &Options::default()),
                None,
                "{text}"
            );
            let Reading { findings, policy } = read(&document, &waiving_everything());
            assert_eq!(policy, None, "{text}");
            assert!(
                findings.iter().any(|finding| !finding.code.is_waivable()),
                "{text}: {findings:?}"
            );
        }
    }

    #[test]
    fn a_text_written_as_the_reference_spells_it_is_borrowed_and_any_other_kept_as_written() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*", "Condition": {
            "StringEquals": {"aws:PrincipalOrgID": "o-1234567"}, "stringEquals": {"AWS:SourceIp": "x"},
            "Bool": {"aws:SecureTransport": ["false", "False"]}}}]}"#;
        let policy = Policy::from_json_unchecked(text).unwrap();
        let [statement] = policy.statements() else {
            panic!("one statement");
        };
        let Some(Principal::Map(principal)) = &statement.principal else {
            panic!("a principal map");
        };
        assert!(matches!(principal[0].principal_type, Cow::Borrowed("AWS")));
        let blocks = statement.condition.as_deref().unwrap();
        let written: Vec<(&Text, &Text)> = blocks
            .iter()
            .map(|block| (&block.operator, &block.entries[0].key))
            .collect();
        assert!(matches!(
            written[..],
            [
                (
                    Cow::Borrowed("StringEquals"),
                    Cow::Borrowed("aws:PrincipalOrgID")
                ),
                (Cow::Owned(_), Cow::Owned(_)),
                (Cow::Borrowed("Bool"), Cow::Borrowed("aws:SecureTransport")),
            ]
        ));
        assert_eq!(
            written[1],
            (&Text::from("stringEquals"), &Text::from("AWS:SourceIp"))
        );
        let values = blocks[2].entries[0].values.as_slice();
        assert!(matches!(
            values,
            [
                ConditionValue::String(Cow::Borrowed("false")),
                ConditionValue::String(Cow::Owned(value)),
            ] if value == "False"
        ));
        assert_eq!(
            Policy::from_json_unchecked(&policy.to_json()).unwrap(),
            policy
        );
    }

    #[test]
    fn a_valid_document_is_lowered_as_written() {
        let text = r#"{"Version": "2012-10-17", "Id": "x", "Statement": {"Sid": "A", "Effect": "Deny",
            "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]}, "NotAction": "s3:GetObject",
            "Resource": ["*"], "Condition": {"NumericLessThan": {"s3:max-keys": [10, 5]},
            "Bool": {"aws:SecureTransport": false}}}}"#;
        let policy = Policy::from_json_as(text, PolicyKind::Resource).unwrap();
        assert_eq!(policy.kind, Some(PolicyKind::Resource));
        let [statement] = policy.statements() else {
            panic!("one statement");
        };
        assert_eq!(statement.effect, Effect::Deny);
        assert!(matches!(statement.resource, Some(OneOrMany::Many(_))));
        assert!(matches!(statement.not_action, Some(OneOrMany::One(_))));
        let reparsed = Policy::from_json_as(&policy.to_json(), PolicyKind::Resource).unwrap();
        assert_eq!(reparsed, policy);
    }
}
