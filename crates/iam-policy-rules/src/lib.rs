//! The IAM policy grammar and every validation rule, written once and shared by the `policy!`
//! macro (at compile time) and the `iam-policy` CLI and runtime parser (at run time), on the
//! JSON tree alone: no serde, so it compiles beside `serde_core` rather than after it. The policy
//! model and its (de)serialization are `iam-policy-core`'s, which re-exports all of this.
//! Implementation detail of `iam-policy`; not covered by semver.

mod bytes;
pub mod element;
pub mod finding;
pub mod json;
pub mod matching;
// `iam-policy-core`'s model sorts with it; not an API.
#[doc(hidden)]
pub mod order;
pub mod parameter;
pub mod parse;
// `iam-policy-core`'s model reads a document through `rules::check`; not an API.
#[doc(hidden)]
pub mod rules;
pub mod suggest;

pub use finding::{Finding, IssueCode, Severity};
pub use json::{Member, Node, Span, Value};

/// What kind of policy a document is: it decides which rules and which size quota apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (a managed policy: 6,144 characters).
    Identity,
    /// Embedded in a role, user or group (an inline policy): the rules of an identity policy,
    /// with the quota of a role's inline policies, 10,240 characters (a user's have 2,048, a
    /// group's 5,120, each all of the identity's inline policies together).
    Inline,
    /// Attached to a resource (bucket, key, queue, ...): needs `Principal`.
    Resource,
    /// A role's trust policy (`AssumeRolePolicyDocument`): `Principal`, no `Resource`.
    RoleTrust,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
}

impl PolicyKind {
    /// True for the kinds attached to an identity: managed and inline policies.
    pub fn is_identity(self) -> bool {
        matches!(self, PolicyKind::Identity | PolicyKind::Inline)
    }

    /// The kind in words, e.g. "a role trust policy".
    pub fn description(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity policy",
            PolicyKind::Inline => "an inline policy",
            PolicyKind::Resource => "a resource policy",
            PolicyKind::RoleTrust => "a role trust policy",
            PolicyKind::Scp => "a service control policy",
            PolicyKind::Rcp => "a resource control policy",
        }
    }
}

/// How to validate a document.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The declared kind; `None` means the kind [`policy_kind`] infers.
    pub kind: Option<PolicyKind>,
    /// Checks waived on purpose, for the whole policy or one statement.
    pub waivers: Vec<Waiver>,
    /// Placeholders the policy declares, written `{name}` inside its strings.
    pub parameters: Vec<Parameter>,
}

/// A placeholder of a documented policy, such as `{account-id}`: checked with a typical value of
/// its kind at compile time, bound to a real value later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    /// The name as the documentation prints it, e.g. `account-id`.
    pub name: String,
    pub kind: ParameterKind,
}

/// What a parameter stands for, which decides the values it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterKind {
    /// An AWS Region code, e.g. `us-east-1`.
    Region,
    /// A 12-digit AWS account ID.
    AccountId,
    /// An EC2 instance ID: `i-` and 8 or 17 hex digits.
    InstanceId,
    /// A KMS key ARN or alias ARN.
    KmsKeyArn,
    /// A tag key (1 to 128 characters).
    TagKey,
    /// A tag value (0 to 256 characters).
    TagValue,
    /// An S3 general purpose bucket name, e.g. `example-artifacts`.
    BucketName,
    /// An IAM role name (1 to 64 characters), without its path.
    RoleName,
    /// An IAM user name (1 to 64 characters), without its path.
    UserName,
    /// An IAM path: `/` or `/` ... `/`, e.g. `/service-role/`.
    IamPath,
    /// An IAM role ARN, e.g. `arn:aws:iam::123456789012:role/deploy`.
    RoleArn,
    /// An IAM user ARN, e.g. `arn:aws:iam::123456789012:user/alice`.
    UserArn,
    /// An AWS Organizations organization ID: `o-` and 10 to 32 lower-case letters or digits.
    OrganizationId,
    /// An organizational unit ID, e.g. `ou-ab12-cdef3456`.
    OrganizationalUnitId,
    /// An organization's root ID: `r-` and 4 to 32 lower-case letters or digits.
    RootId,
    /// A VPC ID: `vpc-` and 8 or 17 hex digits.
    VpcId,
    /// A VPC endpoint ID: `vpce-` and 8 or 17 hex digits.
    VpcEndpointId,
    /// An AWS partition: `aws`, `aws-cn`, `aws-us-gov`, ...
    Partition,
    /// An ARN of one resource type of one service, as the service authorization reference
    /// gives its ARN format, e.g. `service: "logs", resource_type: "log-group"`.
    Arn {
        service: &'static str,
        resource_type: &'static str,
    },
}

/// `Effect`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// A check switched off on purpose, visibly, in the policy's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    pub code: IssueCode,
    /// The statement (index in `Statement`) it applies to; `None` for the whole policy.
    pub statement: Option<usize>,
}

/// The kind the rules hold `document` to: the declared one, or else the one its statements
/// show. An identity policy when no statement has `Principal` or `NotPrincipal`; else a role
/// trust policy when no statement has `Resource` or `NotResource` and every action is
/// `sts:AssumeRole*` or a companion of it (`sts:TagSession`, `sts:SetSourceIdentity`,
/// `sts:SetContext`); else a resource policy.
pub fn policy_kind(document: &Node<'_>, options: &Options) -> PolicyKind {
    options
        .kind
        .unwrap_or_else(|| rules::inferred_kind(document))
}

/// Every finding in `document`, in source order.
pub fn validate(document: &Node<'_>, options: &Options) -> Vec<Finding> {
    rules::check(document, options, None)
}

/// [`validate`] for a document that [`parse::parse`] read from text, so that its span is a
/// range of bytes: the size rule then counts only documents whose text exceeds the quota, as
/// the minified form of a shorter text is shorter still.
pub fn validate_parsed(document: &Node<'_>, options: &Options) -> Vec<Finding> {
    let text_length = document.span.end.saturating_sub(document.span.start);
    rules::check(document, options, usize::try_from(text_length).ok())
}
