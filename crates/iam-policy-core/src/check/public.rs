//! `CheckNoPublicAccess`: whether a resource policy can grant access to anyone.
//!
//! A statement grants public access when it allows an action of the resource's service to
//! everyone (`"Principal": "*"`, `{"AWS": "*"}`, an AWS principal with a wildcard, any
//! `NotPrincipal`, or a web identity or OIDC provider anyone can sign in to), and no
//! condition limits the callers to fixed values of a key that names who calls or from where:
//! the caller's account, organization or ARN, the source VPC, endpoint, ARN or account, or a
//! set of IP ranges. This is the definition of Amazon S3's "The meaning of public" page,
//! which Access Analyzer's pages on public access follow for every resource type.

use super::sets::{
    action_set_contains, actions_intersect, is_wild, resource_set_contains, unsatisfiable,
};
use super::view::{Condition, Effect, Principals, Statement};
use super::{NotAPolicy, Verdict, listed, reason, statements};
use crate::json::Node;
use crate::matching::{Family, IpRange};
use std::fmt;

/// The resource types Access Analyzer's `CheckNoPublicAccess` takes, with the service prefixes
/// whose actions reach them.
pub const PUBLIC_ACCESS_RESOURCE_TYPES: &[(&str, &[&str])] = &[
    ("AWS::DynamoDB::Table", &["dynamodb"]),
    ("AWS::DynamoDB::Stream", &["dynamodb"]),
    ("AWS::EFS::FileSystem", &["elasticfilesystem"]),
    ("AWS::OpenSearchService::Domain", &["es"]),
    ("AWS::Kinesis::Stream", &["kinesis"]),
    ("AWS::Kinesis::StreamConsumer", &["kinesis"]),
    ("AWS::KMS::Key", &["kms"]),
    ("AWS::Lambda::Function", &["lambda"]),
    ("AWS::S3::Bucket", &["s3"]),
    ("AWS::S3::AccessPoint", &["s3"]),
    ("AWS::S3Express::DirectoryBucket", &["s3express"]),
    ("AWS::S3Express::AccessPoint", &["s3express"]),
    ("AWS::S3::Glacier", &["glacier"]),
    ("AWS::S3Outposts::Bucket", &["s3-outposts"]),
    ("AWS::S3Outposts::AccessPoint", &["s3-outposts"]),
    ("AWS::S3Tables::TableBucket", &["s3tables"]),
    ("AWS::S3Tables::Table", &["s3tables"]),
    ("AWS::SecretsManager::Secret", &["secretsmanager"]),
    ("AWS::SNS::Topic", &["sns"]),
    ("AWS::SQS::Queue", &["sqs"]),
    ("AWS::IAM::AssumeRolePolicyDocument", &["sts"]),
    ("AWS::ApiGateway::RestApi", &["execute-api"]),
    ("AWS::CodeArtifact::Domain", &["codeartifact"]),
    ("AWS::Backup::BackupVault", &["backup"]),
    ("AWS::CloudTrail::Dashboard", &["cloudtrail"]),
    ("AWS::CloudTrail::EventDataStore", &["cloudtrail"]),
];

/// Keys whose fixed values name who may call, or from where: a condition on one of them with
/// fixed values limits a statement to those callers.
const LIMITING_KEYS: &[&str] = &[
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:userid",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "kms:CallerAccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/// A resource type `CheckNoPublicAccess` does not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownResourceType {
    pub resource_type: String,
}

impl fmt::Display for UnknownResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown resource type `{}`; expected one of {}",
            self.resource_type,
            PUBLIC_ACCESS_RESOURCE_TYPES
                .iter()
                .map(|(name, _)| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl std::error::Error for UnknownResourceType {}

/// A resource type of [`PUBLIC_ACCESS_RESOURCE_TYPES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicAccessResourceType {
    pub name: &'static str,
    services: &'static [&'static str],
}

impl PublicAccessResourceType {
    /// The type named `name` (any case), e.g. `AWS::S3::Bucket`.
    pub fn parse(name: &str) -> Result<PublicAccessResourceType, UnknownResourceType> {
        PUBLIC_ACCESS_RESOURCE_TYPES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|&(name, services)| PublicAccessResourceType { name, services })
            .ok_or_else(|| UnknownResourceType {
                resource_type: name.to_owned(),
            })
    }
}

/// Whether the resource policy `document`, attached to a resource of `resource_type`, can
/// grant access to the public.
pub fn no_public_access(
    document: &Node<'_>,
    resource_type: PublicAccessResourceType,
) -> Result<Verdict, NotAPolicy> {
    let statements = statements(document)?;
    let mut reasons = Vec::new();
    let limiting_denies: Vec<&Statement<'_>> =
        statements.iter().filter(|s| limiting_deny(s)).collect();
    for statement in &statements {
        if limiting_denies
            .iter()
            .any(|deny| deny_holds(deny, statement))
        {
            continue;
        }
        if let Some(why) = public(statement, resource_type.services) {
            reasons.push(reason(statement, why));
        }
    }
    Ok(Verdict::new(
        reasons,
        "The policy grants no public access to the resource type.",
        "The policy can grant public access to the resource type.",
    ))
}

/// Why the statement grants public access, or `None` when it does not.
fn public(statement: &Statement<'_>, services: &[&str]) -> Option<String> {
    if !statement.readable {
        return (statement.effect != Effect::Deny).then(|| {
            "cannot be read as IAM reads it, so it may grant access to anyone".to_owned()
        });
    }
    if statement.effect == Effect::Deny || unsatisfiable(&statement.conditions) {
        return None;
    }
    let reaches = services
        .iter()
        .any(|service| actions_intersect(&statement.actions, &format!("{service}:*")));
    if !reaches {
        return None;
    }
    let who = everyone(statement)?;
    if statement.conditions.iter().any(limits) {
        return None;
    }
    Some(format!(
        "allows {who}, and no condition limits the callers to fixed accounts, organizations, ARNs, networks or sources"
    ))
}

/// A `Deny` for everyone whose one condition denies every caller outside fixed values of a
/// limiting key: a negated operator without `IfExists` (true on an absent key, so anonymous
/// callers are denied too) on values without wildcards or variables, e.g. `StringNotEquals`
/// `aws:PrincipalOrgID`. An `Allow` it holds reaches only those callers.
fn limiting_deny(statement: &Statement<'_>) -> bool {
    let [condition] = statement.conditions.as_slice() else {
        return false;
    };
    let operator = condition.operator;
    statement.readable
        && statement.effect == Effect::Deny
        && (matches!(statement.principal, Principals::Absent) || statement.principal.is_everyone())
        && operator.negated
        && !operator.if_exists
        && operator.qualifier.is_none()
        && !condition.values.is_empty()
        && LIMITING_KEYS
            .iter()
            .any(|key| key.eq_ignore_ascii_case(condition.key))
        && condition.values.iter().all(|value| match operator.family {
            Family::IpAddress => IpRange::parse(value)
                .is_some_and(|range| range.prefix >= if range.address.is_ipv4() { 8 } else { 32 }),
            Family::String | Family::Arn => !is_wild(value) && !value.contains("${"),
            _ => false,
        })
}

/// Whether the `Deny` applies to every action and resource of the `Allow` (proved).
fn deny_holds(deny: &Statement<'_>, allow: &Statement<'_>) -> bool {
    allow.readable
        && allow.effect == Effect::Allow
        && action_set_contains(&deny.actions, &allow.actions)
        && resource_set_contains(&deny.resources, &allow.resources)
}

/// Who a statement's principal lets in when that is anyone, in words.
fn everyone(statement: &Statement<'_>) -> Option<String> {
    match &statement.principal {
        Principals::Absent => None,
        Principals::Except(_) => Some("everyone but the principals of `NotPrincipal`".to_owned()),
        Principals::Listed(entries) => {
            let open: Vec<String> = entries
                .iter()
                .filter(|&&(kind, value)| open_principal(kind, value, &statement.conditions))
                .map(|&(kind, value)| format!("{kind}: {value}"))
                .collect();
            (!open.is_empty()).then(|| format!("{} to call", listed(&open)))
        }
    }
}

/// A principal anyone can be: every AWS principal, an account wildcard, or a web identity or
/// OIDC provider without a fixed audience or subject.
fn open_principal(kind: &str, value: &str, conditions: &[Condition<'_>]) -> bool {
    match kind {
        "AWS" => is_wild(value),
        "Federated" => {
            let saml = value.starts_with("arn:") && value.contains(":saml-provider/");
            !saml
                && !conditions.iter().any(|c| {
                    let key = c.key.to_ascii_lowercase();
                    (key.ends_with(":aud") || key.ends_with(":sub")) && fixed(c)
                })
        }
        "Service" | "CanonicalUser" => is_wild(value),
        _ => true,
    }
}

/// A condition that limits a statement to fixed callers.
fn limits(condition: &Condition<'_>) -> bool {
    LIMITING_KEYS
        .iter()
        .any(|key| key.eq_ignore_ascii_case(condition.key))
        && fixed(condition)
}

/// Whether a condition holds only for fixed values of its key: a positive operator that needs
/// the key present, every value written without wildcards or variables, and IP ranges narrower
/// than a `/8` (IPv4) or `/32` (IPv6).
fn fixed(condition: &Condition<'_>) -> bool {
    let operator = condition.operator;
    if operator.negated
        || operator.if_exists
        || operator.family == Family::Null
        || operator.qualifier == Some(crate::matching::SetQualifier::ForAllValues)
        || condition.values.is_empty()
    {
        return false;
    }
    condition.values.iter().all(|value| match operator.family {
        Family::IpAddress => IpRange::parse(value)
            .is_some_and(|range| range.prefix >= if range.address.is_ipv4() { 8 } else { 32 }),
        Family::String | Family::Arn => !is_wild(value) && !value.contains("${"),
        _ => false,
    })
}
