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
//! (`{name}` in a string). A document with placeholders is a [`Template`], not a policy: it has
//! no `to_json` and no `Serialize`, and [`Template::bind`] gives the [`Policy`] once every
//! placeholder has a value checked against its kind's rule:
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
//! let policy = START_SESSION.bind(&[
//!     ("region", "eu-west-1"),
//!     ("account-id", "111122223333"),
//!     ("instance-id", "i-0123456789abcdef0"),
//! ])?;
//! assert!(policy.to_json().contains("arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0"));
//! # Ok::<(), iam_policy::BindError>(())
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

pub use iam_policy_core::model::{
    BindError, ComposeError, ConditionBlock, ConditionEntry, ConditionValue, Effect, Error,
    LocatedFinding, OneOrMany, Parameter, ParameterKind, Policy, PolicyKind, Principal,
    PrincipalEntry, Statement, Template, Text, UnknownNames,
};
pub use iam_policy_core::{Finding, IssueCode, Severity};

pub mod check;
pub mod eval;

/// Writes an IAM policy document as a constant [`Policy`], checked at compile time.
///
/// The document is the IAM JSON policy language exactly as AWS documents it. Two forms:
///
/// ```text
/// // expression: a const expression of type `iam_policy::Policy`
/// const READ_LOGS: Policy = policy!(#[kind = "identity"] { "Version": "2012-10-17", ... });
///
/// // items: many named, documented constants (or statics) in one call
/// policy! {
///     /// Who it is for and what it grants.
///     #[kind = "identity"]
///     pub const READ_LOGS = { "Version": "2012-10-17", ... };
///     pub static WRITE_LOGS = { ... };
/// }
/// ```
///
/// Attributes, before the document or the item:
/// - `#[kind = "identity" | "inline" | "resource" | "role-trust" | "scp" | "rcp"]`: which rules
///   and size quota apply; without it a document with `Principal`/`NotPrincipal` is a resource
///   policy, or a role trust policy when every action is `sts:AssumeRole*` or a companion and no
///   statement has `Resource`; any other is an identity policy.
/// - `#[parameters("region": Region, "account-id": AccountId, ...)]`: placeholders written
///   `{name}` in the document's strings, which makes the constant a [`Template`]. Kinds:
///   `Region`, `AccountId`, `Partition`, `InstanceId`, `KmsKeyArn`, `TagKey`, `TagValue`,
///   `BucketName`, `RoleName`, `UserName`, `IamPath`, `RoleArn`, `UserArn`, `OrganizationId`,
///   `OrganizationalUnitId`, `RootId`, `VpcId`, `VpcEndpointId`, and
///   `Arn("service", "resource type")` for an ARN of a resource type of the service
///   authorization reference (`Arn("logs", "log-group")`). Each placeholder is checked with a
///   typical value of its kind; a `{name}` the attribute does not declare is an error, with the
///   nearest declared name.
/// - `#[waive(CODE, ...)]` waives Access Analyzer issue codes for the whole policy,
///   `#[waive(CODE, ..., sid = "Sid")]` for the statement with that `Sid`. A waiver never changes
///   what the policy says: the codes of findings that leave it without a meaning (no `Effect`,
///   an unknown or repeated element, an element of the wrong JSON type, ...) cannot be waived.
///
/// Every error-severity finding is a compile error at the literal that caused it, all of one call
/// together; type mismatches of condition values and size over the kind's default quota (but a
/// resource policy's, whose quota is the service's) are errors too. Other findings (security warnings, warnings, suggestions) are compiler warnings
/// (`#[deprecated]` lint: `#[allow(deprecated)]` silences them, `#[deny(deprecated)]` makes them
/// errors). Examples that compile are in the `iam-policy` crate's documentation.
///
/// The expansion names this crate through `$crate`, so `policy!` works under a renamed
/// dependency (`iam = { package = "iam-policy", ... }`) and re-exported from another crate.
#[macro_export]
macro_rules! policy {
    ($($input:tt)*) => {
        $crate::__private::policy! { $crate; $($input)* }
    };
}

/// Used by the code `policy!` generates; not public API.
#[doc(hidden)]
pub mod __private {
    pub use iam_policy_core::model::{
        ConditionBlock, ConditionEntry, ConditionValue, Effect, OneOrMany, Parameter,
        ParameterKind, Policy, PolicyKind, Principal, PrincipalEntry, Statement, Template,
    };
    pub use iam_policy_macros::policy;
    pub use std::borrow::Cow::Borrowed;
    pub use std::option::Option::{None, Some};

    /// A statement of each effect with no other element: a generated statement writes its
    /// elements and takes the rest from the one of its effect. Written out, not built by a
    /// `const fn`: only a literal lets the compiler see that the fields left behind need no drop.
    pub const ALLOW: Statement = Statement {
        effect: Effect::Allow,
        ..DENY
    };
    pub const DENY: Statement = Statement {
        sid: None,
        effect: Effect::Deny,
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
    };

    /// Fails the constant's evaluation, a compile error, when a policy that includes statement
    /// constants has two statements with one `Sid` (with `unique_sids`) or is over `quota`.
    #[expect(
        clippy::panic,
        reason = "evaluated at compile time only, where a panic is the compile error"
    )]
    pub const fn assert_composed(policy: &Policy, unique_sids: bool, quota: Option<usize>) {
        if let Err(reason) = iam_policy_core::model::check_composed(policy, unique_sids, quota) {
            panic!("{}", reason);
        }
    }

    /// [`PLACEHOLDER`] for a call that declares parameters.
    pub const PLACEHOLDER_TEMPLATE: Template = Template {
        policy: PLACEHOLDER,
        parameters: Borrowed(&[]),
    };
}
