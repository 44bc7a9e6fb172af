//! The custom policy checks are sound against the evaluation engine: generated policies and
//! requests, and whenever the engine allows a request, the checks must not `PASS` where that
//! request is a counterexample.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use iam_policy::Policy;
use iam_policy::check::PolicyChecks;
use iam_policy::eval::{PolicySet, Principal, Request, evaluate};
use proptest::prelude::*;

/// Action patterns: exact, other case, wildcards within and across services.
const ACTION_PATTERNS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "S3:getobject",
    "s3:Get*",
    "s3:*",
    "iam:PassRole",
    "iam:P?ssRole",
    "iam:Create*",
    "iam:*",
    "ec2:RunInstances",
    "*",
    "*:Get*",
];

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:PassRole",
    "iam:CreateRole",
    "iam:CreateUser",
    "ec2:RunInstances",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::logs/*",
    "arn:aws:s3:::logs/a",
    "arn:aws:s3:::log?/*",
    "arn:aws:s3:::other/*",
    "arn:aws:s3:::*/a",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:s3:::logs/${aws:PrincipalTag/team}/*",
];

const RESOURCES: &[&str] = &[
    "arn:aws:s3:::logs/a",
    "arn:aws:s3:::logs/ops/x",
    "arn:aws:s3:::other/a",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:iam::111122223333:role/dev",
];

/// Condition entries as `"Operator": {"key": values}` pieces, combined per statement.
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("StringEquals", "aws:RequestedRegion", r#""eu-west-1""#),
    ("StringNotEquals", "aws:RequestedRegion", r#"["eu-west-1"]"#),
    (
        "StringEqualsIfExists",
        "aws:RequestedRegion",
        r#""us-east-1""#,
    ),
    ("Null", "aws:RequestedRegion", r#""true""#),
    ("Null", "aws:RequestedRegion", r#""false""#),
    ("StringLike", "aws:PrincipalTag/team", r#""o*""#),
    ("Bool", "aws:SecureTransport", r#""true""#),
    ("BoolIfExists", "aws:SecureTransport", r#""false""#),
    ("ForAnyValue:StringEquals", "aws:TagKeys", r#"["a", "b"]"#),
    ("ForAllValues:StringEquals", "aws:TagKeys", r#"["a"]"#),
];

fn statement() -> impl Strategy<Value = String> {
    let list = |items: &'static [&'static str]| {
        prop::collection::vec(prop::sample::select(items), 1..3).prop_map(|items| {
            let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
            format!("[{}]", quoted.join(", "))
        })
    };
    (
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.8),
        list(ACTION_PATTERNS),
        prop::bool::weighted(0.8),
        list(RESOURCE_PATTERNS),
        prop::collection::vec(prop::sample::select(CONDITIONS), 0..3),
    )
        .prop_map(
            |(allow, action, actions, resource, resources, conditions)| {
                let mut blocks: Vec<(&str, Vec<String>)> = Vec::new();
                for (operator, key, values) in conditions {
                    let entry = format!("\"{key}\": {values}");
                    match blocks.iter_mut().find(|(op, _)| *op == operator) {
                        Some((_, entries))
                            if !entries.iter().any(|e| e.starts_with(&format!("\"{key}\""))) =>
                        {
                            entries.push(entry)
                        }
                        Some(_) => {}
                        None => blocks.push((operator, vec![entry])),
                    }
                }
                let condition = if blocks.is_empty() {
                    String::new()
                } else {
                    let blocks: Vec<String> = blocks
                        .iter()
                        .map(|(op, entries)| format!("\"{op}\": {{{}}}", entries.join(", ")))
                        .collect();
                    format!(", \"Condition\": {{{}}}", blocks.join(", "))
                };
                format!(
                    r#"{{"Effect": "{}", "{}": {actions}, "{}": {resources}{condition}}}"#,
                    if allow { "Allow" } else { "Deny" },
                    if action { "Action" } else { "NotAction" },
                    if resource { "Resource" } else { "NotResource" },
                )
            },
        )
}

fn policy() -> impl Strategy<Value = Policy> {
    prop::collection::vec(statement(), 1..4).prop_map(|statements| {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(", ")
        );
        Policy::from_json_unchecked(&text).unwrap()
    })
}

const TAG_KEYS: &[&[&str]] = &[&["a"], &["a", "c"], &[]];

fn request() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        prop::option::of(prop::sample::select(&["eu-west-1", "us-east-1"][..])),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(&["ops", "dev"][..])),
        prop::option::of(prop::sample::select(TAG_KEYS)),
    )
        .prop_map(|(action, resource, region, secure, team, tags)| {
            let mut request = Request::new(action, resource);
            if let Some(region) = region {
                request = request.context("aws:RequestedRegion", region);
            }
            if let Some(secure) = secure {
                request = request.context("aws:SecureTransport", secure);
            }
            if let Some(team) = team {
                request = request.context("aws:PrincipalTag/team", team);
            }
            if let Some(tags) = tags {
                let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
                request = request.context("aws:TagKeys", tags);
            }
            request
        })
}

fn allows(policy: &Policy, request: &Request) -> bool {
    evaluate(request, &PolicySet::identity(&[policy])).is_allowed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn an_allowed_action_is_never_proved_not_granted(policy in policy(), request in request()) {
        if allows(&policy, &request) {
            let verdict = policy.access_not_granted(&[&request.action]);
            prop_assert!(!verdict.passed(), "{}\nallows {:?} on {:?}\n{}", policy.to_json(), request.action, request.resource, verdict);
            // The same with the resource named, and through a pattern that holds the action.
            let service = request.action.split(':').next().unwrap();
            let pattern = format!("{service}:*");
            for actions in [vec![request.action.as_str()], vec![pattern.as_str()]] {
                let json = policy.to_json();
                let document = iam_policy_core::parse::parse(&json).unwrap();
                let access = iam_policy_core::check::Access {
                    actions: actions.iter().map(|a| (*a).to_owned()).collect(),
                    resources: vec![request.resource.clone()],
                };
                let verdict = iam_policy_core::check::access_not_granted(&document, &access).unwrap();
                prop_assert!(!verdict.passed(), "{}\nallows {:?} on {:?}\n{}", json, request.action, request.resource, verdict);
            }
        }
    }

}

// Comparing two versions goes over every action of the reference for `*` and `NotAction`:
// fewer cases keep the debug-build test short.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn new_access_is_never_missed(new in policy(), old in policy(), request in request()) {
        if allows(&new, &request) && !allows(&old, &request) {
            let verdict = new.no_new_access_over(&old);
            prop_assert!(!verdict.passed(), "new {}\nold {}\nonly the new allows {:?} on {:?}", new.to_json(), old.to_json(), request.action, request.resource);
        }
    }

    #[test]
    fn a_policy_grants_no_new_access_over_itself(policy in policy()) {
        let verdict = policy.no_new_access_over(&policy);
        prop_assert!(verdict.passed(), "{}\n{}", policy.to_json(), verdict);
    }
}

#[test]
fn assertions_print_the_reasons() {
    let policy = Policy::from_json(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}"#,
    )
    .unwrap();
    let failed = std::panic::catch_unwind(|| policy.assert_never_grants(&["iam:PassRole"]));
    let message = failed.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.contains("statement 0 (`Pass`): grants `iam:PassRole`"),
        "{message}"
    );
    policy.assert_never_grants(&["iam:CreateRole"]);
    assert!(!policy.grants_no_public_access("AWS::S3::Buckets"));
}

/// Principals of a bucket policy: everyone, the owner's account, a wildcard, `NotPrincipal`.
const PRINCIPALS: &[&str] = &[
    r#""Principal": "*""#,
    r#""Principal": {"AWS": "*"}"#,
    r#""Principal": {"AWS": "111122223333"}"#,
    r#""Principal": {"AWS": "arn:aws:iam::*:root"}"#,
    r#""NotPrincipal": {"AWS": "111122223333"}"#,
    r#""Principal": {"Service": "cloudtrail.amazonaws.com"}"#,
];

/// Conditions on who calls or from where, limiting or not.
const CALLER_CONDITIONS: &[&str] = &[
    "",
    r#", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
    r#", "Condition": {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
    r#", "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}}"#,
    r#", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
    r#", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
    r#", "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
    r#", "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
    r#", "Condition": {"Bool": {"aws:SecureTransport": "true"}}"#,
];

fn bucket_statement() -> impl Strategy<Value = String> {
    (
        prop::bool::weighted(0.7),
        prop::sample::select(PRINCIPALS),
        prop::sample::select(&["s3:GetObject", "s3:*", "s3:Put*", "sqs:*", "*"][..]),
        prop::sample::select(&["arn:aws:s3:::site/*", "arn:aws:s3:::site/private/*", "*"][..]),
        prop::sample::select(CALLER_CONDITIONS),
    )
        .prop_map(|(allow, principal, action, resource, condition)| {
            format!(
                r#"{{"Effect": "{}", {principal}, "Action": "{action}", "Resource": "{resource}"{condition}}}"#,
                if allow { "Allow" } else { "Deny" }
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A caller of another account, outside the organization, VPC endpoint and IP ranges the
    /// policies name: when the bucket policy lets it in, the policy is public.
    #[test]
    fn a_stranger_let_in_means_public(
        statements in prop::collection::vec(bucket_statement(), 1..4),
        action in prop::sample::select(&["s3:GetObject", "s3:PutObject"][..]),
        org in any::<bool>(),
        vpce in any::<bool>(),
        ip in any::<bool>(),
    ) {
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statements.join(", "));
        let bucket = Policy::from_json_unchecked(&text).unwrap();
        let (allowed, verdict) = stranger_request(&bucket, action, org, vpce, ip);
        if allowed {
            prop_assert!(!verdict.passed(), "{text}\nlets in {action} by a stranger\n{verdict}");
        }
    }
}

/// Whether a caller of another account (outside the organization, endpoint and ranges the
/// generated policies name) is let in by `bucket`, and the public-access verdict on it.
fn stranger_request(
    bucket: &Policy,
    action: &str,
    org: bool,
    vpce: bool,
    ip: bool,
) -> (bool, iam_policy::check::Verdict) {
    let everything = Policy::from_json(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
        )
        .unwrap();
    let stranger =
        Principal::parse("arn:aws:sts::999999999999:assumed-role/outsider/session").unwrap();
    let mut request = Request::new(action, "arn:aws:s3:::site/index.html")
        .principal(stranger)
        .resource_account("111122223333");
    if org {
        request = request.context("aws:PrincipalOrgID", "o-stranger");
    }
    if vpce {
        request = request.context("aws:SourceVpce", "vpce-stranger");
    }
    if ip {
        request = request.context("aws:SourceIp", "198.18.0.1");
    }
    let set = PolicySet {
        identity: vec![&everything],
        resource: Some(bucket),
        ..PolicySet::default()
    };
    (
        evaluate(&request, &set).is_allowed(),
        bucket.no_public_access("AWS::S3::Bucket"),
    )
}

#[test]
fn a_stranger_is_let_in_by_an_open_bucket_policy() {
    let open = Policy::from_json(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}"#,
    )
    .unwrap();
    let (allowed, verdict) = stranger_request(&open, "s3:GetObject", true, false, false);
    assert!(allowed && !verdict.passed());
}
