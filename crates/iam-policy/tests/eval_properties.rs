//! Properties of the evaluation engine over random policy sets and requests: an explicit deny
//! wins everywhere ("How AWS enforcement code logic evaluates requests"), so adding a `Deny`
//! statement to any policy never turns a denied request into an allowed one.

use iam_policy::Policy;
use iam_policy::eval::{Decision, PolicySet, Principal, Request, evaluate};
use proptest::prelude::*;

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:Get*",
    "s3:*",
    "*",
    "iam:PassRole",
    "s3:?etObject",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/k",
    "arn:aws:s3:::c/*",
];
const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS": "111122223333"}"#,
    r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/app/s"}"#,
    r#"{"AWS": "arn:aws:iam::111122223333:role/app"}"#,
    r#"{"AWS": "arn:aws:iam::444455556666:root"}"#,
    r#"{"Service": "lambda.amazonaws.com"}"#,
];
const CONDITIONS: &[&str] = &[
    r#"{"StringEquals": {"aws:PrincipalTag/team": "a"}}"#,
    r#"{"StringNotEquals": {"aws:PrincipalTag/team": ["a", "b"]}}"#,
    r#"{"ForAnyValue:StringLike": {"aws:TagKeys": "e*"}}"#,
    r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}"#,
    r#"{"Null": {"aws:SourceIp": "true"}}"#,
    r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
    r#"{"BoolIfExists": {"aws:SecureTransport": "false"}}"#,
    r#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/${aws:PrincipalTag/team}"}}"#,
];
const REQUEST_PRINCIPALS: &[&str] = &[
    "arn:aws:sts::111122223333:assumed-role/app/s",
    "arn:aws:sts::444455556666:assumed-role/app/s",
    "arn:aws:iam::111122223333:user/alice",
    "111122223333",
    "lambda.amazonaws.com",
    "anonymous",
];

/// One statement as JSON: effect, action or `NotAction`, resource or `NotResource`, maybe a
/// principal (`with_principal`) and a condition.
fn statement(with_principal: bool) -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        0..ACTIONS.len(),
        any::<bool>(),
        0..RESOURCES.len(),
        any::<bool>(),
        0..PRINCIPALS.len(),
        proptest::option::of(0..CONDITIONS.len()),
    )
        .prop_map(
            move |(allow, action, not_action, resource, not_resource, principal, condition)| {
                let mut text = format!(
                    r#"{{"Effect": "{}", "{}": "{}", "{}": "{}""#,
                    if allow { "Allow" } else { "Deny" },
                    if not_action { "NotAction" } else { "Action" },
                    ACTIONS[action],
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    },
                    RESOURCES[resource],
                );
                if with_principal {
                    text.push_str(&format!(r#", "Principal": {}"#, PRINCIPALS[principal]));
                }
                if let Some(condition) = condition {
                    text.push_str(&format!(r#", "Condition": {}"#, CONDITIONS[condition]));
                }
                text.push('}');
                text
            },
        )
}

fn policy(with_principal: bool) -> impl Strategy<Value = String> {
    proptest::collection::vec(statement(with_principal), 1..4).prop_map(|statements| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(", ")
        )
    })
}

/// The texts of a policy set: identity policies, resource policy, boundary, session policy,
/// SCP levels, RCP levels, VPC endpoint policy.
#[derive(Clone, Debug)]
struct Texts {
    identity: Vec<String>,
    resource: Option<String>,
    boundary: Option<String>,
    session: Option<String>,
    scps: Vec<Vec<String>>,
    rcps: Vec<Vec<String>>,
    endpoint: Option<String>,
}

fn texts() -> impl Strategy<Value = Texts> {
    (
        proptest::collection::vec(policy(false), 0..3),
        proptest::option::of(policy(true)),
        proptest::option::of(policy(false)),
        proptest::option::of(policy(false)),
        proptest::collection::vec(proptest::collection::vec(policy(false), 1..3), 0..3),
        proptest::collection::vec(proptest::collection::vec(policy(true), 0..2), 0..2),
        proptest::option::of(policy(true)),
    )
        .prop_map(
            |(identity, resource, boundary, session, scps, rcps, endpoint)| Texts {
                identity,
                resource,
                boundary,
                session,
                scps,
                rcps,
                endpoint,
            },
        )
}

struct Policies {
    identity: Vec<Policy>,
    resource: Option<Policy>,
    boundary: Option<Policy>,
    session: Option<Policy>,
    scps: Vec<Vec<Policy>>,
    rcps: Vec<Vec<Policy>>,
    endpoint: Option<Policy>,
}

fn read(text: &str) -> Policy {
    Policy::from_json_unchecked(text).unwrap_or_else(|error| unreachable!("{error}"))
}

impl Policies {
    fn new(texts: &Texts) -> Self {
        let one = |text: &Option<String>| text.as_deref().map(read);
        let levels = |levels: &[Vec<String>]| -> Vec<Vec<Policy>> {
            levels
                .iter()
                .map(|level| level.iter().map(|t| read(t)).collect())
                .collect()
        };
        Policies {
            identity: texts.identity.iter().map(|t| read(t)).collect(),
            resource: one(&texts.resource),
            boundary: one(&texts.boundary),
            session: one(&texts.session),
            scps: levels(&texts.scps),
            rcps: levels(&texts.rcps),
            endpoint: one(&texts.endpoint),
        }
    }

    fn set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: self.identity.iter().collect(),
            resource: self.resource.as_ref(),
            permissions_boundary: self.boundary.as_ref(),
            session: self.session.as_ref(),
            service_control: self
                .scps
                .iter()
                .map(|level| level.iter().collect())
                .collect(),
            resource_control: self
                .rcps
                .iter()
                .map(|level| level.iter().collect())
                .collect(),
            vpc_endpoint: self.endpoint.as_ref(),
        }
    }
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop_oneof![
            Just("s3:GetObject"),
            Just("s3:PutObject"),
            Just("iam:PassRole")
        ],
        prop_oneof![
            Just("arn:aws:s3:::b/k"),
            Just("arn:aws:s3:::c/x"),
            Just("*")
        ],
        0..REQUEST_PRINCIPALS.len(),
        proptest::option::of(prop_oneof![Just("a"), Just("c")]),
        proptest::option::of(proptest::collection::vec(
            prop_oneof![Just("env"), Just("team"), Just("cost")],
            0..3,
        )),
        proptest::option::of(prop_oneof![Just("203.0.113.9"), Just("198.51.100.1")]),
    )
        .prop_map(|(action, resource, principal, team, tags, ip)| {
            let principal = Principal::parse(REQUEST_PRINCIPALS[principal])
                .unwrap_or_else(|error| unreachable!("{error}"));
            let mut request = Request::new(action, resource)
                .principal(principal)
                .resource_account("111122223333");
            if let Some(team) = team {
                request = request.context("aws:PrincipalTag/team", team);
            }
            if let Some(tags) = tags {
                request = request.context(
                    "aws:TagKeys",
                    tags.into_iter().map(str::to_owned).collect::<Vec<_>>(),
                );
            }
            if let Some(ip) = ip {
                request = request.context("aws:SourceIp", ip);
            }
            request
        })
}

/// Adds `deny` as a last statement of the policy `at` picks among those of `texts`, or as a
/// new identity policy when there are none.
fn with_deny(texts: &Texts, at: usize, deny: &str) -> Texts {
    let add = |policy: &mut String| {
        if let Some(body) = policy.strip_suffix("]}") {
            *policy = format!("{body}, {deny}]}}");
        }
    };
    let mut texts = texts.clone();
    let mut slots: Vec<&mut String> = texts.identity.iter_mut().collect();
    slots.extend(texts.resource.as_mut());
    slots.extend(texts.boundary.as_mut());
    slots.extend(texts.session.as_mut());
    slots.extend(texts.scps.iter_mut().flatten());
    slots.extend(texts.rcps.iter_mut().flatten());
    slots.extend(texts.endpoint.as_mut());
    let count = slots.len();
    match slots.into_iter().nth(at % count.max(1)) {
        Some(policy) => add(policy),
        None => texts.identity.push(format!(
            r#"{{"Version": "2012-10-17", "Statement": [{deny}]}}"#
        )),
    }
    texts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn adding_a_deny_never_turns_a_deny_into_an_allow(
        texts in texts(),
        request in request(),
        at in any::<usize>(),
        deny in statement(true),
    ) {
        let deny = deny.replacen(r#""Effect": "Allow""#, r#""Effect": "Deny""#, 1);
        let before = evaluate(&request, &Policies::new(&texts).set()).decision;
        let after = evaluate(&request, &Policies::new(&with_deny(&texts, at, &deny)).set()).decision;
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }
}
