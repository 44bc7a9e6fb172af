//! AWS IAM policies written as Rust, checked by the compiler.
//!
//! ```
//! use iam_policy::{Policy, policy};
//!
//! const READ_LOGS: Policy = policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{
//!         "Effect": "Allow",
//!         "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
//!         "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app:*"
//!     }]
//! });
//!
//! let json = READ_LOGS.to_json();
//! assert_eq!(Policy::from_json(&json), Ok(READ_LOGS));
//! ```
//!
//! [`policy!`] validates the document with every rule of `iam-policy-core` at compile time and
//! expands into a constant [`Policy`]; [`Policy::from_json`] runs the same rules at run time.
//!
//! Many named, documented constants in one call, with the policy kind and placeholders declared
//! (`{name}` in a string; unbound, it serializes as the bare name, as AWS's documentation prints
//! it):
//!
//! ```
//! use iam_policy::policy;
//!
//! policy! {
//!     /// Lets operators start sessions on one instance.
//!     #[kind = "identity"]
//!     #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId)]
//!     pub const START_SESSION = {
//!         "Version": "2012-10-17",
//!         "Statement": [{
//!             "Effect": "Allow",
//!             "Action": "ssm:StartSession",
//!             "Resource": "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}"
//!         }]
//!     };
//! }
//!
//! assert!(START_SESSION.to_json().contains("arn:aws:ec2:region:account-id:instance/instance-id"));
//! ```
//!
//! Mistakes are compile errors at the offending literal, e.g. a `Bool` condition set to `"yes"`:
//!
//! ```compile_fail
//! const SECURE: iam_policy::Policy = iam_policy::policy!({
//!     "Version": "2012-10-17",
//!     "Statement": [{
//!         "Effect": "Deny",
//!         "Action": "s3:*",
//!         "Resource": "*",
//!         "Condition": {"Bool": {"aws:SecureTransport": "yes"}}
//!     }]
//! });
//! ```
//!
//! Findings of lower severity (security warnings, warnings, suggestions) are compiler warnings at
//! the literal (`#[allow(deprecated)]` silences them, `#[deny(deprecated)]` makes them errors);
//! `#[waive(CODE)]` or `#[waive(CODE, sid = "Sid")]` switches a check off for the policy or one
//! statement.

// Generated code names `::iam_policy::__private`, which must resolve inside this crate too.
extern crate self as iam_policy;

mod bind;
pub mod check;
mod de;
mod error;
pub mod eval;
pub mod export;
mod model;
mod ser;

pub use bind::BindError;
pub use error::{Error, LocatedFinding};
pub use iam_policy_core::{Finding, IssueCode, Severity};
pub use iam_policy_macros::policy;
pub use model::{
    ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Parameter, ParameterKind,
    Policy, PolicyKind, Principal, PrincipalEntry, Statement, Text,
};

use iam_policy_core::Options;

impl Policy {
    /// Parses a JSON policy document and validates it with every rule; the error lists every
    /// error-severity finding with its line and column. The kind is inferred: a resource policy
    /// when a statement has `Principal` or `NotPrincipal`, an identity policy otherwise.
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

    fn from_json_with(text: &str, options: &Options) -> Result<Policy, Error> {
        let document = parse_document(text)?;
        let errors = errors(&document, options);
        if !errors.is_empty() {
            return Err(Error::new(text, errors));
        }
        let mut policy =
            de::policy_from_node(&document).map_err(|finding| Error::new(text, vec![finding]))?;
        policy.kind = options.kind;
        Ok(policy)
    }

    /// Reads a JSON policy document the way IAM evaluates one it stored: only what keeps the
    /// document from being read as a policy (JSON syntax, an element of the wrong shape) is an
    /// error; the rules are not run. For simulations of policies that may have findings.
    pub fn from_json_unchecked(text: &str) -> Result<Policy, Error> {
        let document = parse_document(text)?;
        Policy::from_document(&document).map_err(|finding| Error::new(text, vec![finding]))
    }

    /// The policy a document already parsed into the core's JSON tree describes, without
    /// running the rules; the finding says what cannot be read.
    pub fn from_document(document: &iam_policy_core::Node<'_>) -> Result<Policy, Finding> {
        de::policy_from_node(document)
    }

    /// The document as minified JSON; unbound parameters print as their bare names.
    pub fn to_json(&self) -> String {
        // serde_json fails only on non-string map keys or a failing `Serialize` impl, and the
        // model has neither.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The document as JSON indented by two spaces, the way AWS's documentation prints it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The JSON tree of `text`; a syntax error is the error's only finding.
fn parse_document(text: &str) -> Result<iam_policy_core::Node<'_>, Error> {
    iam_policy_core::parse::parse(text).map_err(|error| {
        let finding = Finding {
            code: IssueCode::JsonSyntaxError,
            severity: Severity::Error,
            message: error.message,
            help: None,
            span: error.span,
            path: String::new(),
            statement: None,
        };
        Error::new(text, vec![finding])
    })
}

/// The error-severity findings of every rule.
pub(crate) fn errors(document: &iam_policy_core::Node<'_>, options: &Options) -> Vec<Finding> {
    let mut findings = iam_policy_core::validate(document, options);
    findings.retain(|finding| finding.severity == Severity::Error);
    findings
}

/// Used by the code `policy!` generates; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::model::{
        ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Parameter,
        ParameterKind, Policy, PolicyKind, Principal, PrincipalEntry, Statement,
    };
    pub use std::borrow::Cow::Borrowed;
    pub use std::option::Option::{None, Some};

    /// The fields a statement does not write.
    pub const STATEMENT: Statement = Statement {
        sid: None,
        effect: Effect::Allow,
        principal: None,
        not_principal: None,
        action: None,
        not_action: None,
        resource: None,
        not_resource: None,
        condition: None,
    };

    /// What a `policy!` call with errors expands to, so that only the real errors are reported.
    pub const PLACEHOLDER: Policy = Policy {
        version: None,
        id: None,
        statement: OneOrMany::Many(Borrowed(&[])),
        kind: None,
        parameters: Borrowed(&[]),
    };
}
