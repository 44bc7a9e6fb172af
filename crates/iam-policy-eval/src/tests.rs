//! One test per rule of AWS's evaluation logic; each names the AWS page it comes from.

use super::*;
use iam_policy_core::model::{Error, Policy};

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A `2012-10-17` policy with the statements written.
fn doc(statements: &str) -> Result<Policy, Error> {
    Policy::from_json_unchecked(&format!(
        r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#
    ))
}

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";
const BUCKET: &str = "arn:aws:s3:::bucket/key";

fn session(account: &str) -> Principal {
    Principal::AssumedRole {
        arn: format!("arn:aws:sts::{account}:assumed-role/app/run-1"),
        account: account.to_owned(),
        role_arn: format!("arn:aws:iam::{account}:role/app"),
    }
}

fn user(account: &str) -> Principal {
    Principal::User {
        arn: format!("arn:aws:iam::{account}:user/alice"),
        account: account.to_owned(),
    }
}

/// A request for `s3:GetObject` on an object of a bucket in `ACCOUNT`.
fn get_object(principal: Principal) -> Request {
    Request::new("s3:GetObject", BUCKET)
        .principal(principal)
        .resource_account(ACCOUNT)
}

const ALLOW_GET: &str = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#;
const DENY_GET: &str = r#"{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}"#;
const ALLOW_ALL: &str = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;

fn grant_to(principal: &str) -> String {
    format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "s3:GetObject", "Resource": "{BUCKET}"}}"#
    )
}

fn decide(request: &Request, set: &PolicySet<'_>) -> Decision {
    evaluate(request, set).decision
}

// "How AWS enforcement code logic evaluates requests to allow or deny access": by default all
// requests are implicitly denied.
#[test]
fn nothing_allows_by_default() {
    let request = get_object(session(ACCOUNT));
    assert_eq!(
        decide(&request, &PolicySet::default()),
        Decision::ImplicitDeny
    );
}

// Same page: an explicit deny in any policy overrides any allow.
#[test]
fn an_explicit_deny_in_any_policy_wins() -> Outcome {
    let allow = doc(ALLOW_ALL)?;
    let deny = doc(DENY_GET)?;
    let request = get_object(session(ACCOUNT));
    let sets = [
        PolicySet::identity(&[&allow, &deny]),
        PolicySet {
            identity: vec![&allow],
            resource: Some(&doc(
                &DENY_GET.replace("{\"Effect\"", "{\"Principal\": \"*\", \"Effect\"")
            )?),
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&allow],
            permissions_boundary: Some(&deny),
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&allow],
            session: Some(&deny),
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&allow],
            service_control: vec![vec![&allow, &deny]],
            ..PolicySet::default()
        },
        PolicySet {
            identity: vec![&allow],
            resource_control: vec![vec![&deny]],
            ..PolicySet::default()
        },
    ];
    for set in &sets {
        let evaluation = evaluate(&request, set);
        assert_eq!(
            evaluation.decision,
            Decision::ExplicitDeny,
            "{}",
            evaluation.explain(set)
        );
        assert!(!evaluation.deciding.is_empty());
    }
    Ok(())
}

// "Policy evaluation for requests within a single account": an identity-based policy alone
// allows within the account.
#[test]
fn an_identity_policy_allows_in_its_account() -> Outcome {
    let allow = doc(ALLOW_GET)?;
    let evaluation = evaluate(
        &get_object(session(ACCOUNT)),
        &PolicySet::identity(&[&allow]),
    );
    assert_eq!(evaluation.decision, Decision::Allowed);
    assert_eq!(evaluation.deciding.len(), 1);
    assert_eq!(evaluation.deciding[0].policy, PolicyRef::Identity(0));
    Ok(())
}

// "IAM JSON policy elements: Action": action names are not case sensitive; "Resource": ARNs
// are, and take `*` and `?`.
#[test]
fn actions_ignore_case_and_resources_do_not() -> Outcome {
    let policy =
        doc(r#"{"Effect": "Allow", "Action": "S3:get*", "Resource": "arn:aws:s3:::Bucket-?/*"}"#)?;
    assert!(policy.allows("s3:GetObject", "arn:aws:s3:::Bucket-1/a/b"));
    assert!(!policy.allows("s3:GetObject", "arn:aws:s3:::bucket-1/a/b"));
    assert!(!policy.allows("s3:GetObject", "arn:aws:s3:::Bucket-10/a"));
    assert!(!policy.allows("s3:PutObject", "arn:aws:s3:::Bucket-1/a"));
    Ok(())
}

// "IAM JSON policy elements: NotAction" and "NotResource": everything but the listed.
#[test]
fn not_action_and_not_resource_match_everything_else() -> Outcome {
    let policy = doc(
        r#"{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}"#,
    )?;
    assert!(policy.allows("s3:GetObject", "arn:aws:s3:::public/a"));
    assert!(!policy.allows("iam:CreateUser", "*"));
    assert!(!policy.allows("s3:GetObject", "arn:aws:s3:::secret/a"));
    Ok(())
}

// "Policy evaluation for requests within a single account": a resource-based policy that
// names the user or the role session allows without an identity-based policy, even when
// the permissions boundary or the session policy says nothing.
#[test]
fn a_resource_policy_naming_the_principal_grants_on_its_own() -> Outcome {
    let nothing = doc(r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#)?;
    for (principal, named) in [
        (user(ACCOUNT), format!("arn:aws:iam::{ACCOUNT}:user/alice")),
        (
            session(ACCOUNT),
            format!("arn:aws:sts::{ACCOUNT}:assumed-role/app/run-1"),
        ),
    ] {
        let resource = doc(&grant_to(&named))?;
        let set = PolicySet {
            resource: Some(&resource),
            permissions_boundary: Some(&nothing),
            session: Some(&nothing),
            ..PolicySet::default()
        };
        let evaluation = evaluate(&get_object(principal), &set);
        assert_eq!(
            evaluation.decision,
            Decision::Allowed,
            "{}",
            evaluation.explain(&set)
        );
    }
    Ok(())
}

// Same page and "Permissions boundaries for IAM entities": a resource-based policy that names
// the role (not the session) is limited by an implicit deny in the boundary or the session
// policy, but needs no identity-based policy.
#[test]
fn a_resource_policy_naming_the_role_is_limited_by_boundary_and_session_policy() -> Outcome {
    let resource = doc(&grant_to(&format!("arn:aws:iam::{ACCOUNT}:role/path/app")))?;
    let nothing = doc(r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#)?;
    let request = get_object(session(ACCOUNT));
    let alone = PolicySet {
        resource: Some(&resource),
        ..PolicySet::default()
    };
    assert_eq!(decide(&request, &alone), Decision::Allowed);
    let bounded = PolicySet {
        permissions_boundary: Some(&nothing),
        ..alone.clone()
    };
    let evaluation = evaluate(&request, &bounded);
    assert_eq!(evaluation.decision, Decision::ImplicitDeny);
    assert_eq!(evaluation.denied_by, Some(DeniedBy::PermissionsBoundary));
    let limited = PolicySet {
        session: Some(&nothing),
        ..alone
    };
    assert_eq!(
        evaluate(&request, &limited).denied_by,
        Some(DeniedBy::Session)
    );
    Ok(())
}

// "Policy evaluation for requests within a single account": naming the account delegates to
// the identity-based policies.
#[test]
fn a_resource_policy_naming_the_account_needs_an_identity_policy() -> Outcome {
    let resource = doc(&grant_to(&format!("arn:aws:iam::{ACCOUNT}:root")))?;
    let allow = doc(ALLOW_GET)?;
    let request = get_object(session(ACCOUNT));
    let alone = PolicySet {
        resource: Some(&resource),
        ..PolicySet::default()
    };
    assert_eq!(decide(&request, &alone), Decision::ImplicitDeny);
    let with_identity = PolicySet {
        identity: vec![&allow],
        ..alone
    };
    assert_eq!(decide(&request, &with_identity), Decision::Allowed);
    Ok(())
}

// "Cross-account policy evaluation logic": the identity-based policy of the principal's
// account and the resource-based policy of the resource's account must both allow.
#[test]
fn cross_account_requests_need_both_sides() -> Outcome {
    let identity = doc(ALLOW_GET)?;
    let resource = doc(&grant_to(OTHER))?;
    let request = get_object(session(OTHER));
    let only_identity = PolicySet::identity(&[&identity]);
    assert_eq!(
        evaluate(&request, &only_identity).denied_by,
        Some(DeniedBy::CrossAccountResourcePolicy)
    );
    let only_resource = PolicySet {
        resource: Some(&resource),
        ..PolicySet::default()
    };
    assert_eq!(
        evaluate(&request, &only_resource).denied_by,
        Some(DeniedBy::CrossAccountIdentity)
    );
    let both = PolicySet {
        identity: vec![&identity],
        resource: Some(&resource),
        ..PolicySet::default()
    };
    let evaluation = evaluate(&request, &both);
    assert_eq!(evaluation.decision, Decision::Allowed);
    assert_eq!(evaluation.deciding.len(), 2);
    Ok(())
}

// "How AWS enforcement code logic evaluates requests": IAM role trust policies and KMS key
// policies must allow the principal themselves.
#[test]
fn role_trust_and_key_policies_must_allow_themselves() -> Outcome {
    let identity = doc(ALLOW_ALL)?;
    let assume = Request::new(
        "sts:AssumeRole",
        format!("arn:aws:iam::{ACCOUNT}:role/deploy"),
    )
    .principal(session(ACCOUNT));
    let decrypt = Request::new(
        "kms:Decrypt",
        format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/1234"),
    )
    .principal(session(ACCOUNT));
    let set = PolicySet::identity(&[&identity]);
    for request in [&assume, &decrypt] {
        let evaluation = evaluate(request, &set);
        assert_eq!(evaluation.denied_by, Some(DeniedBy::ResourcePolicyRequired));
    }
    // A key policy that names the account lets IAM policies allow.
    let key_policy = doc(&format!(
        r#"{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ACCOUNT}:root"}}, "Action": "kms:*", "Resource": "*"}}"#
    ))?;
    let delegated = PolicySet {
        identity: vec![&identity],
        resource: Some(&key_policy),
        ..PolicySet::default()
    };
    assert_eq!(decide(&decrypt, &delegated), Decision::Allowed);
    // A trust policy that names the service lets it assume the role.
    let trust = doc(
        r#"{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}"#,
    )?;
    let lambda = Request::new(
        "sts:AssumeRole",
        format!("arn:aws:iam::{ACCOUNT}:role/deploy"),
    )
    .principal(Principal::parse("lambda.amazonaws.com")?);
    let trusted = PolicySet {
        resource: Some(&trust),
        ..PolicySet::default()
    };
    assert_eq!(decide(&lambda, &trusted), Decision::Allowed);
    Ok(())
}

// "Service control policies": every level from the root to the account must allow; SCPs do
// not apply to service-linked roles nor to service principals.
#[test]
fn every_scp_level_must_allow() -> Outcome {
    let allow = doc(ALLOW_ALL)?;
    let only_ec2 = doc(r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#)?;
    let request = get_object(session(ACCOUNT));
    let set = PolicySet {
        identity: vec![&allow],
        service_control: vec![vec![&allow], vec![&only_ec2, &allow], vec![&only_ec2]],
        ..PolicySet::default()
    };
    let evaluation = evaluate(&request, &set);
    assert_eq!(
        evaluation.denied_by,
        Some(DeniedBy::ServiceControl { level: 2 })
    );
    let linked = get_object(Principal::parse(&format!(
        "arn:aws:iam::{ACCOUNT}:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps"
    ))?);
    assert_eq!(decide(&linked, &set), Decision::Allowed);
    let open = PolicySet {
        service_control: vec![vec![&allow], vec![&only_ec2, &allow]],
        ..set
    };
    assert_eq!(decide(&request, &open), Decision::Allowed);
    Ok(())
}

// "Service control policies": SCPs limit the root user of a member account too.
#[test]
fn the_root_user_has_every_permission_but_scps_and_denies() -> Outcome {
    let root = Principal::parse(ACCOUNT)?;
    let request = get_object(root);
    assert_eq!(decide(&request, &PolicySet::default()), Decision::Allowed);
    let only_ec2 = doc(r#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#)?;
    let set = PolicySet {
        service_control: vec![vec![&only_ec2]],
        ..PolicySet::default()
    };
    assert_eq!(decide(&request, &set), Decision::ImplicitDeny);
    Ok(())
}

// "Resource control policies": `RCPFullAWSAccess` is attached to every level, so RCPs decide
// only through `Deny`; they apply to the services that support them.
#[test]
fn rcps_deny_but_never_fail_to_allow() -> Outcome {
    let allow = doc(ALLOW_ALL)?;
    let deny_outside = doc(&format!(
        r#"{{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {{"StringNotEqualsIfExists": {{"aws:PrincipalAccount": "{ACCOUNT}"}}}}}}"#
    ))?;
    let resource = doc(&grant_to(OTHER))?;
    let set = PolicySet {
        identity: vec![&allow],
        resource: Some(&resource),
        resource_control: vec![vec![], vec![&deny_outside]],
        ..PolicySet::default()
    };
    assert_eq!(
        decide(&get_object(session(ACCOUNT)), &set),
        Decision::Allowed
    );
    assert_eq!(
        decide(&get_object(session(OTHER)), &set),
        Decision::ExplicitDeny
    );
    // EC2 does not support RCPs.
    let deny_ec2 = doc(r#"{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}"#)?;
    let ec2 = Request::new("ec2:DescribeInstances", "*").principal(session(ACCOUNT));
    let rcp = PolicySet {
        identity: vec![&allow],
        resource_control: vec![vec![&deny_ec2]],
        ..PolicySet::default()
    };
    assert_eq!(decide(&ec2, &rcp), Decision::Allowed);
    Ok(())
}

// "Control access to VPC endpoints using endpoint policies": the endpoint policy must allow
// too; it grants nothing by itself.
#[test]
fn a_vpc_endpoint_policy_limits() -> Outcome {
    let allow = doc(ALLOW_GET)?;
    let endpoint = doc(
        r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}"#,
    )?;
    let request = get_object(session(ACCOUNT));
    let set = PolicySet {
        identity: vec![&allow],
        vpc_endpoint: Some(&endpoint),
        ..PolicySet::default()
    };
    assert_eq!(
        evaluate(&request, &set).denied_by,
        Some(DeniedBy::VpcEndpoint)
    );
    let alone = PolicySet {
        vpc_endpoint: Some(&endpoint),
        ..PolicySet::default()
    };
    let other = Request::new("s3:GetObject", "arn:aws:s3:::other/a").principal(session(ACCOUNT));
    assert_eq!(decide(&other, &alone), Decision::ImplicitDeny);
    Ok(())
}

// "AWS JSON policy elements: Principal": anonymous requests are allowed only by `"*"`.
#[test]
fn anonymous_requests_need_everyone() -> Outcome {
    let public = doc(&format!(
        r#"{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "{BUCKET}"}}"#
    ))?;
    let account_only = doc(&grant_to(ACCOUNT))?;
    let request = get_object(Principal::Anonymous);
    let set = PolicySet {
        resource: Some(&public),
        ..PolicySet::default()
    };
    assert_eq!(decide(&request, &set), Decision::Allowed);
    let set = PolicySet {
        resource: Some(&account_only),
        ..PolicySet::default()
    };
    assert_eq!(decide(&request, &set), Decision::ImplicitDeny);
    Ok(())
}

// "AWS JSON policy elements: NotPrincipal": to leave a role session out of a `Deny`, name its
// session, its role and its account.
#[test]
fn not_principal_leaves_out_only_a_fully_named_principal() -> Outcome {
    let allow = doc(ALLOW_GET)?;
    let deny_but = |names: &str| {
        doc(&format!(
            r#"{{"Effect": "Deny", "NotPrincipal": {{"AWS": [{names}]}}, "Action": "s3:*", "Resource": "*"}}"#
        ))
    };
    let request = get_object(session(ACCOUNT));
    let session_only = deny_but(&format!(
        r#""arn:aws:sts::{ACCOUNT}:assumed-role/app/run-1""#
    ))?;
    let all_three = deny_but(&format!(
        r#""arn:aws:sts::{ACCOUNT}:assumed-role/app/run-1", "arn:aws:iam::{ACCOUNT}:role/app", "arn:aws:iam::{ACCOUNT}:root""#
    ))?;
    let set = |resource| PolicySet {
        identity: vec![&allow],
        resource: Some(resource),
        ..PolicySet::default()
    };
    assert_eq!(
        decide(&request, &set(&session_only)),
        Decision::ExplicitDeny
    );
    assert_eq!(decide(&request, &set(&all_three)), Decision::Allowed);
    Ok(())
}

/// The decision of one condition block on a request with `context`.
fn with_condition(condition: &str, context: &[(&str, ContextValue)]) -> Result<bool, Error> {
    let policy = doc(&format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {condition}}}"#
    ))?;
    let mut request = get_object(session(ACCOUNT));
    for (key, value) in context {
        request.context.insert(*key, value.clone());
    }
    Ok(policy.evaluate(&request).is_allowed())
}

fn one(value: &str) -> ContextValue {
    ContextValue::One(value.to_owned())
}

fn many(values: &[&str]) -> ContextValue {
    ContextValue::Many(values.iter().map(|v| (*v).to_owned()).collect())
}

// "IAM JSON policy elements: Condition operators": a missing key fails the condition, except
// with a negated operator, `...IfExists` or `Null`.
#[test]
fn missing_keys_fail_conditions_except_negated_if_exists_and_null() -> Outcome {
    let key = "aws:SourceVpc";
    assert!(!with_condition(
        &format!(r#"{{"StringEquals": {{"{key}": "vpc-1"}}}}"#),
        &[]
    )?);
    assert!(with_condition(
        &format!(r#"{{"StringNotEquals": {{"{key}": "vpc-1"}}}}"#),
        &[]
    )?);
    assert!(with_condition(
        &format!(r#"{{"StringEqualsIfExists": {{"{key}": "vpc-1"}}}}"#),
        &[]
    )?);
    assert!(!with_condition(
        &format!(r#"{{"StringEqualsIfExists": {{"{key}": "vpc-1"}}}}"#),
        &[(key, one("vpc-2"))]
    )?);
    assert!(with_condition(
        &format!(r#"{{"Null": {{"{key}": "true"}}}}"#),
        &[]
    )?);
    assert!(!with_condition(
        &format!(r#"{{"Null": {{"{key}": "true"}}}}"#),
        &[(key, one("vpc-2"))]
    )?);
    assert!(with_condition(
        &format!(r#"{{"Null": {{"{key}": false}}}}"#),
        &[(key, one("vpc-2"))]
    )?);
    Ok(())
}

// Same page: several values of one key are ORed, several keys and operators ANDed; a negated
// operator holds when the value matches none.
#[test]
fn values_are_ored_and_keys_anded() -> Outcome {
    let condition = r#"{"StringEquals": {"aws:PrincipalTag/team": ["a", "b"], "aws:RequestedRegion": "eu-west-1"}}"#;
    let team = |t: &str| ("aws:PrincipalTag/team", one(t));
    let region = ("aws:RequestedRegion", one("eu-west-1"));
    assert!(with_condition(condition, &[team("b"), region.clone()])?);
    assert!(!with_condition(condition, &[team("c"), region.clone()])?);
    assert!(!with_condition(condition, &[team("a")])?);
    let negated = r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["a", "b"]}}"#;
    assert!(!with_condition(negated, &[team("a")])?);
    assert!(with_condition(negated, &[team("c")])?);
    Ok(())
}

// Same page: each operator family.
#[test]
fn every_operator_family_compares_its_type() -> Outcome {
    let cases: &[(&str, &str, &str, bool)] = &[
        (
            "StringEqualsIgnoreCase",
            "aws:PrincipalTag/team",
            "ADMINS",
            true,
        ),
        ("StringLike", "aws:PrincipalTag/team", "ad?in*", true),
        ("StringLike", "aws:PrincipalTag/team", "Ad*", false),
        ("StringNotLike", "aws:PrincipalTag/team", "ops*", true),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600", true),
        (
            "NumericGreaterThanEquals",
            "aws:MultiFactorAuthAge",
            "1200",
            true,
        ),
        ("NumericEquals", "aws:MultiFactorAuthAge", "1200.0", true),
        ("NumericNotEquals", "aws:MultiFactorAuthAge", "1200", false),
        (
            "DateLessThan",
            "aws:CurrentTime",
            "2030-01-01T00:00:00Z",
            true,
        ),
        ("DateGreaterThan", "aws:CurrentTime", "2026-06-01", true),
        ("DateEquals", "aws:CurrentTime", "1782864000", true),
        ("Bool", "aws:SecureTransport", "TRUE", true),
        ("Bool", "aws:SecureTransport", "false", false),
        ("IpAddress", "aws:SourceIp", "203.0.113.0/24", true),
        ("NotIpAddress", "aws:SourceIp", "203.0.113.0/24", false),
        ("IpAddress", "aws:SourceIp", "2001:db8::/32", false),
        (
            "ArnLike",
            "aws:SourceArn",
            "arn:aws:sns:*:111122223333:topic-*",
            true,
        ),
        (
            "ArnEquals",
            "aws:SourceArn",
            "arn:aws:sns:us-east-1:111122223333:topic-1",
            true,
        ),
        ("ArnNotLike", "aws:SourceArn", "arn:aws:sns:*:*:*", false),
        (
            "ArnLike",
            "aws:SourceArn",
            "arn:aws:sns:us-east-1:111122223333:*:x",
            false,
        ),
        ("BinaryEquals", "aws:PrincipalTag/team", "YWRtaW5z", false),
    ];
    let context = [
        ("aws:PrincipalTag/team", one("admins")),
        ("aws:MultiFactorAuthAge", one("1200")),
        ("aws:CurrentTime", one("2026-07-01T00:00:00Z")),
        ("aws:SecureTransport", one("true")),
        ("aws:SourceIp", one("203.0.113.7")),
        (
            "aws:SourceArn",
            one("arn:aws:sns:us-east-1:111122223333:topic-1"),
        ),
    ];
    for (operator, key, value, expected) in cases {
        let condition = format!(r#"{{"{operator}": {{"{key}": "{value}"}}}}"#);
        assert_eq!(
            with_condition(&condition, &context)?,
            *expected,
            "{condition}"
        );
    }
    Ok(())
}

// "Single-valued vs. multivalued context keys": `ForAllValues` holds when every request value
// matches (and for a missing key or an empty set); `ForAnyValue` when one does (never for a
// missing key or an empty set).
#[test]
fn set_operators_on_lists_empty_lists_and_missing_keys() -> Outcome {
    let all = r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}"#;
    let any = r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "team"]}}"#;
    let keys = |values: &[&str]| [("aws:TagKeys", many(values))];
    assert!(with_condition(all, &keys(&["env"]))?);
    assert!(!with_condition(all, &keys(&["env", "cost"]))?);
    assert!(with_condition(all, &keys(&[]))?);
    assert!(with_condition(all, &[])?);
    assert!(with_condition(any, &keys(&["env", "cost"]))?);
    assert!(!with_condition(any, &keys(&["cost"]))?);
    assert!(!with_condition(any, &keys(&[]))?);
    assert!(!with_condition(any, &[])?);
    let none_of = r#"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["secret"]}}"#;
    assert!(with_condition(none_of, &keys(&["env", "team"]))?);
    assert!(!with_condition(none_of, &keys(&["env", "secret"]))?);
    let some_not = r#"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["secret"]}}"#;
    assert!(with_condition(some_not, &keys(&["env", "secret"]))?);
    assert!(!with_condition(some_not, &keys(&["secret"]))?);
    let if_exists = r#"{"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["env"]}}"#;
    assert!(with_condition(if_exists, &[])?);
    Ok(())
}

// Issue: a request value that cannot be read as the operator's type makes the condition fail
// (AWS does not coerce it), negated operators included.
#[test]
fn unreadable_request_values_fail_the_condition() -> Outcome {
    let context = [("aws:SourceIp", one("not-an-address"))];
    assert!(!with_condition(
        r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
        &context
    )?);
    assert!(!with_condition(
        r#"{"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
        &context
    )?);
    Ok(())
}

// "IAM policy elements: Variables and tags": variables in resources and condition values, the
// default when the key is absent, and `${*}`, `${?}`, `${$}` as the characters themselves.
#[test]
fn policy_variables_resolve_from_the_request() -> Outcome {
    let home = doc(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}"#,
    )?;
    let request = |principal: Principal, key: &str| {
        Request::new("s3:GetObject", format!("arn:aws:s3:::home/{key}")).principal(principal)
    };
    assert!(
        home.evaluate(&request(user(ACCOUNT), "alice/notes"))
            .is_allowed()
    );
    assert!(
        !home
            .evaluate(&request(user(ACCOUNT), "bob/notes"))
            .is_allowed()
    );
    // A role session has no `aws:username`: the resource matches nothing.
    assert!(
        !home
            .evaluate(&request(session(ACCOUNT), "/notes"))
            .is_allowed()
    );
    let default = doc(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username, 'shared'}/*"}"#,
    )?;
    assert!(
        default
            .evaluate(&request(session(ACCOUNT), "shared/a"))
            .is_allowed()
    );
    let literal = doc(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${*}${?}${$}"}"#,
    )?;
    assert!(
        literal
            .evaluate(&request(session(ACCOUNT), "*?$"))
            .is_allowed()
    );
    assert!(
        !literal
            .evaluate(&request(session(ACCOUNT), "ab$"))
            .is_allowed()
    );
    let tagged = r#"{"StringEquals": {"aws:ResourceTag/owner": "${aws:PrincipalTag/team}"}}"#;
    let tags = |owner: &str| {
        [
            ("aws:ResourceTag/owner", one(owner)),
            ("aws:PrincipalTag/team", one("ops")),
        ]
    };
    assert!(with_condition(tagged, &tags("ops"))?);
    assert!(!with_condition(tagged, &tags("dev"))?);
    // A variable whose key is absent and has no default: the condition does not match.
    assert!(!with_condition(
        tagged,
        &[("aws:ResourceTag/owner", one(""))]
    )?);
    Ok(())
}

// "AWS global condition context keys": AWS sets the principal's keys from the request.
#[test]
fn the_principals_keys_come_from_the_request() -> Outcome {
    let condition = format!(
        r#"{{"StringEquals": {{"aws:PrincipalAccount": "{ACCOUNT}", "aws:PrincipalType": "AssumedRole"}}, "ArnLike": {{"aws:PrincipalArn": "arn:aws:iam::{ACCOUNT}:role/app"}}}}"#
    );
    assert!(with_condition(&condition, &[])?);
    Ok(())
}

#[test]
fn explanations_name_the_element_that_did_not_match() -> Outcome {
    let policy = doc(
        r#"{"Sid": "Tls", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
    )?;
    let set = PolicySet::identity(&[&policy]);
    let evaluation = evaluate(&get_object(session(ACCOUNT)), &set);
    let text = evaluation.explain(&set);
    assert!(text.contains("implicitDeny"), "{text}");
    assert!(text.contains("`Tls`"), "{text}");
    assert!(
        text.contains("condition `Bool` on `aws:SecureTransport` does not match"),
        "{text}"
    );
    let put = Request::new("s3:PutObject", BUCKET).principal(session(ACCOUNT));
    let text = evaluate(&put, &set).explain(&set);
    assert!(
        text.contains("`Action` `s3:GetObject` does not name the action"),
        "{text}"
    );
    Ok(())
}

#[test]
fn a_failed_assertion_prints_the_explanation() -> Outcome {
    let policy =
        doc(r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#)?;
    let failed = std::panic::catch_unwind(|| policy.assert_allows("s3:PutObject", BUCKET));
    let message = failed
        .err()
        .and_then(|payload| payload.downcast::<String>().ok())
        .map(|message| *message)
        .unwrap_or_default();
    assert!(
        message.contains("expected `s3:PutObject` on `arn:aws:s3:::bucket/key`"),
        "{message}"
    );
    assert!(message.contains("decision: implicitDeny"), "{message}");
    assert!(
        message.contains("statement 0 (`Read`): Allow does not apply"),
        "{message}"
    );
    assert!(std::panic::catch_unwind(|| policy.assert_denies("s3:PutObject", BUCKET)).is_ok());
    Ok(())
}

// "IAM JSON policy elements: Version": before `2012-10-17` (and without `Version`) policy
// variables are not resolved: `${aws:username}` is literal text.
#[test]
fn variables_are_literal_text_before_version_2012_10_17() -> Outcome {
    let old = Policy::from_json_unchecked(
        r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}"#,
    )?;
    let request = |key: &str| {
        Request::new("s3:GetObject", format!("arn:aws:s3:::home/{key}")).principal(user(ACCOUNT))
    };
    assert!(!old.evaluate(&request("alice/a")).is_allowed());
    assert!(old.evaluate(&request("${aws:username}/a")).is_allowed());
    Ok(())
}

// "IAM JSON policy elements: Resource" (a statement has `Resource` or `NotResource`, but in a
// role trust policy) and "Condition operators": what IAM refuses to store is read so that it
// never allows more than any reading of it (docs/simulate.md, where AWS is silent).
#[test]
fn what_iam_refuses_to_store_never_allows_more() -> Outcome {
    let allow = doc(ALLOW_GET)?;
    let request = get_object(user(ACCOUNT));
    let allow_anywhere = doc(r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#)?;
    let deny_anywhere = doc(r#"{"Effect": "Deny", "Action": "s3:GetObject"}"#)?;
    let identity = |policies: &[&Policy]| decide(&request, &PolicySet::identity(policies));
    assert_eq!(identity(&[&allow_anywhere]), Decision::ImplicitDeny);
    let unmet = evaluate(&request, &PolicySet::identity(&[&allow_anywhere]));
    let statement = &allow_anywhere.statements()[0];
    assert_eq!(
        why(statement, &unmet.statements[0].result),
        "Allow does not apply: the statement has no `Resource`"
    );
    assert_eq!(identity(&[&allow, &deny_anywhere]), Decision::ExplicitDeny);
    // The resource's own policy: a role trust policy names no resource, the role is meant.
    let trust = doc(
        r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}"#,
    )?;
    let assume = Request::new("sts:AssumeRole", "arn:aws:iam::111122223333:role/deploy")
        .principal(user(ACCOUNT));
    let trusted = PolicySet {
        resource: Some(&trust),
        ..PolicySet::default()
    };
    assert_eq!(decide(&assume, &trusted), Decision::Allowed);
    // An operator IAM does not know: an `Allow`'s condition fails, a `Deny`'s holds.
    let unknown = |effect: &str| {
        doc(&format!(
            r#"{{"Effect": "{effect}", "Action": "s3:GetObject", "Resource": "*", "Condition": {{"StringEqualz": {{"aws:username": "bob"}}}}}}"#
        ))
    };
    assert_eq!(identity(&[&unknown("Allow")?]), Decision::ImplicitDeny);
    assert_eq!(
        identity(&[&allow, &unknown("Deny")?]),
        Decision::ExplicitDeny
    );
    Ok(())
}

// Not an AWS rule: what `simulate --format json` relies on to write an applying statement's
// explanation without escaping it.
#[test]
fn applying_statements_are_explained_in_words_json_need_not_escape() -> Outcome {
    let conditional = doc(
        r#"{"Sid": "Q\"uoted", "Effect": "Deny", "Principal": "*", "Action": "s3:Get\\Object", "Resource": "*", "Condition": {"StringEquals": {"aws:username": "a\"b"}}}"#,
    )?;
    let plain = doc(ALLOW_GET)?;
    let principals = [
        None,
        Some(PrincipalMatch::Unnamed),
        Some(PrincipalMatch::Account),
        Some(PrincipalMatch::Everyone),
        Some(PrincipalMatch::Role),
        Some(PrincipalMatch::Exactly),
    ];
    for policy in [&conditional, &plain] {
        let statement = &policy.statements()[0];
        for principal in principals {
            for (action, resource, failed) in [
                (true, true, None),
                (false, true, None),
                (true, false, None),
                (
                    true,
                    true,
                    Some(FailedCondition {
                        operator: 0,
                        key: 0,
                    }),
                ),
            ] {
                let result = StatementMatch {
                    effect: statement.effect,
                    action,
                    resource,
                    principal,
                    failed_condition: failed,
                };
                let text = why(statement, &result);
                let escaped = text.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
                if why_in_own_words(&result) {
                    assert!(!escaped, "{text}");
                }
            }
        }
    }
    Ok(())
}
