use super::*;
use crate::parse::parse;

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn not_granted(statements: &str, actions: &[&str], resources: &[&str]) -> Verdict {
    let text = policy(statements);
    let document = parse(&text).unwrap();
    let access = Access {
        actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        resources: resources.iter().map(|r| (*r).to_owned()).collect(),
    };
    access_not_granted(&document, &access).unwrap()
}

fn no_new(new: &str, old: &str) -> Verdict {
    let (new, old) = (policy(new), policy(old));
    no_new_access(&parse(&new).unwrap(), &parse(&old).unwrap()).unwrap()
}

fn public(statements: &str, resource_type: &str) -> Verdict {
    let text = policy(statements);
    let kind = PublicAccessResourceType::parse(resource_type).unwrap();
    no_public_access(&parse(&text).unwrap(), kind).unwrap()
}

const PASS_ROLE: &str =
    r#"{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#;
const READ_LOGS: &str = r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]}"#;

#[test]
fn an_allowed_action_fails_with_the_statement_named() {
    let verdict = not_granted(&format!("{READ_LOGS}, {PASS_ROLE}"), &["iam:PassRole"], &[]);
    assert_eq!(verdict.result, CheckResult::Fail);
    assert_eq!(verdict.reasons.len(), 1);
    let reason = &verdict.reasons[0];
    assert_eq!(reason.statement_index, Some(1));
    assert_eq!(reason.statement_id.as_deref(), Some("Pass"));
    assert_eq!(reason.description, "grants `iam:PassRole` on `*`");
}

#[test]
fn actions_match_ignoring_case_and_through_wildcards() {
    for written in [
        "IAM:passrole",
        "iam:Pass*",
        "iam:*",
        "*",
        "iam:P?ssRole",
        "*:PassRole",
    ] {
        let statement = format!(r#"{{"Effect": "Allow", "Action": "{written}", "Resource": "*"}}"#);
        assert!(
            !not_granted(&statement, &["iam:PassRole"], &[]).passed(),
            "{written}"
        );
    }
    assert!(not_granted(READ_LOGS, &["iam:PassRole", "iam:Create*"], &[]).passed());
}

#[test]
fn not_action_grants_everything_it_does_not_name() {
    let statement = r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#;
    assert!(not_granted(statement, &["iam:PassRole"], &[]).passed());
    assert!(!not_granted(statement, &["s3:GetObject"], &[]).passed());
    // `iam:Create*` is within `iam:*`, whatever IAM actions AWS adds.
    assert!(not_granted(statement, &["iam:Create*"], &[]).passed());
    let narrow = r#"{"Effect": "Allow", "NotAction": "iam:CreateRole", "Resource": "*"}"#;
    let verdict = not_granted(narrow, &["iam:Create*"], &[]);
    assert!(!verdict.passed());
    assert!(
        verdict.reasons[0]
            .description
            .starts_with("grants `iam:CreateAccessKey`"),
        "{verdict}"
    );
}

#[test]
fn asked_wildcards_count_actions_beyond_the_reference() {
    // No action of the reference is `iam:CreateFoo`, but `iam:Create*` may come to hold one.
    let statement = r#"{"Effect": "Allow", "Action": "iam:CreateFoo", "Resource": "*"}"#;
    assert!(!not_granted(statement, &["iam:Create*"], &[]).passed());
}

#[test]
fn resources_intersect_as_patterns() {
    assert!(!not_granted(READ_LOGS, &["s3:GetObject"], &["arn:aws:s3:::logs/2026/*"]).passed());
    assert!(!not_granted(READ_LOGS, &["s3:GetObject"], &["arn:aws:s3:::*"]).passed());
    assert!(not_granted(READ_LOGS, &["s3:GetObject"], &["arn:aws:s3:::secrets/*"]).passed());
    // Resource ARNs are compared with case.
    assert!(not_granted(READ_LOGS, &["s3:GetObject"], &["arn:aws:s3:::LOGS/x"]).passed());
    let variable = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}"#;
    assert!(
        !not_granted(
            variable,
            &["s3:GetObject"],
            &["arn:aws:s3:::home/alice/notes"]
        )
        .passed()
    );
    let except =
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secrets/*"}"#;
    assert!(not_granted(except, &["s3:GetObject"], &["arn:aws:s3:::secrets/a"]).passed());
    assert!(!not_granted(except, &["s3:GetObject"], &["arn:aws:s3:::secret*"]).passed());
}

#[test]
fn only_certain_denies_count() {
    let deny = r#"{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}"#;
    assert!(not_granted(&format!("{PASS_ROLE}, {deny}"), &["iam:PassRole"], &[]).passed());
    assert!(not_granted(&format!("{PASS_ROLE}, {deny}"), &["iam:Pass*"], &[]).passed());
    let conditional = r#"{"Effect": "Deny", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}"#;
    assert!(
        !not_granted(
            &format!("{PASS_ROLE}, {conditional}"),
            &["iam:PassRole"],
            &[]
        )
        .passed()
    );
    let some_roles =
        r#"{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/admin"}"#;
    assert!(
        !not_granted(
            &format!("{PASS_ROLE}, {some_roles}"),
            &["iam:PassRole"],
            &[]
        )
        .passed()
    );
    assert!(
        not_granted(
            &format!("{PASS_ROLE}, {some_roles}"),
            &["iam:PassRole"],
            &["arn:aws:iam::111122223333:role/admin"]
        )
        .passed()
    );
    let not_principal = r#"{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "iam:*", "Resource": "*"}"#;
    assert!(
        !not_granted(
            &format!("{PASS_ROLE}, {not_principal}"),
            &["iam:PassRole"],
            &[]
        )
        .passed()
    );
}

#[test]
fn conditions_are_satisfiable_unless_contradictory() {
    let with = |condition: &str| {
        format!(
            r#"{{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {condition}}}"#
        )
    };
    let satisfiable = with(r#"{"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#);
    assert!(!not_granted(&satisfiable, &["iam:PassRole"], &[]).passed());
    let absent = with(
        r#"{"Null": {"iam:PassedToService": "true"}, "StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
    );
    assert!(not_granted(&absent, &["iam:PassRole"], &[]).passed());
    let absent_if_exists = with(
        r#"{"Null": {"iam:PassedToService": "true"}, "StringEqualsIfExists": {"iam:PassedToService": "ec2.amazonaws.com"}}"#,
    );
    assert!(!not_granted(&absent_if_exists, &["iam:PassRole"], &[]).passed());
    let equal_and_not = with(
        r#"{"StringEquals": {"aws:RequestedRegion": "eu-west-1"}, "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}}"#,
    );
    assert!(not_granted(&equal_and_not, &["iam:PassRole"], &[]).passed());
    let overlapping = with(
        r#"{"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-north-1"]}, "StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
    );
    assert!(!not_granted(&overlapping, &["iam:PassRole"], &[]).passed());
}

#[test]
fn unreadable_statements_may_grant_anything() {
    let no_effect = r#"{"Action": "s3:GetObject", "Resource": "*"}"#;
    assert!(!not_granted(no_effect, &["iam:PassRole"], &[]).passed());
    let odd_deny = r#"{"Effect": "Deny", "Action": 7, "Resource": "*"}"#;
    assert!(!not_granted(&format!("{PASS_ROLE}, {odd_deny}"), &["iam:PassRole"], &[]).passed());
    assert!(access_not_granted(&parse("[1]").unwrap(), &Access::default()).is_err());
}

#[test]
fn no_access_asked_means_any_action_on_any_resource() {
    assert!(!not_granted(READ_LOGS, &[], &[]).passed());
    assert!(
        not_granted(
            r#"{"Effect": "Deny", "Action": "*", "Resource": "*"}"#,
            &[],
            &[]
        )
        .passed()
    );
}

#[test]
fn narrowing_a_policy_grants_nothing_new() {
    let old = r#"{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "arn:aws:s3:::logs*"}"#;
    let narrower = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/2026/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#;
    assert!(no_new(narrower, old).passed(), "{}", no_new(narrower, old));
    assert!(no_new(old, old).passed());
    assert!(
        no_new(
            r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::logs/*"}"#,
            old
        )
        .passed()
    );
}

#[test]
fn a_new_action_fails_and_is_named() {
    let verdict = no_new(&format!("{READ_LOGS}, {PASS_ROLE}"), READ_LOGS);
    assert!(!verdict.passed());
    assert_eq!(verdict.reasons.len(), 1);
    assert_eq!(verdict.reasons[0].statement_index, Some(1));
    assert!(
        verdict.reasons[0].description.contains("`iam:PassRole`"),
        "{verdict}"
    );
}

#[test]
fn a_wider_resource_or_principal_fails() {
    let wider = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"}"#;
    let verdict = no_new(wider, READ_LOGS);
    assert!(!verdict.passed());
    assert!(
        verdict.reasons[0].description.contains("on more resources"),
        "{verdict}"
    );
    let to = |principal: &str| {
        format!(
            r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}}"#
        )
    };
    let account = to(r#"{"AWS": "111122223333"}"#);
    let root = to(r#"{"AWS": "arn:aws:iam::111122223333:root"}"#);
    assert!(no_new(&root, &account).passed());
    assert!(
        !no_new(
            &to(r#"{"AWS": ["111122223333", "444455556666"]}"#),
            &account
        )
        .passed()
    );
    assert!(no_new(&account, &to(r#""*""#)).passed());
    assert!(!no_new(&to(r#""*""#), &account).passed());
}

#[test]
fn a_removed_or_weakened_condition_fails() {
    let with = |condition: &str| {
        format!(
            r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {condition}}}"#
        )
    };
    let two_ips = with(r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}"#);
    let one_ip = with(r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#);
    let none = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#;
    assert!(no_new(&one_ip, &two_ips).passed());
    assert!(!no_new(&two_ips, &one_ip).passed());
    let verdict = no_new(none, &one_ip);
    assert!(
        verdict.reasons[0].description.contains("conditions"),
        "{verdict}"
    );
    let not_in = |values: &str| {
        with(&format!(
            r#"{{"StringNotEquals": {{"aws:PrincipalTag/team": {values}}}}}"#
        ))
    };
    assert!(no_new(&not_in(r#"["a", "b"]"#), &not_in(r#""a""#)).passed());
    assert!(!no_new(&not_in(r#""a""#), &not_in(r#"["a", "b"]"#)).passed());
}

#[test]
fn a_removed_deny_fails() {
    let deny = r#"{"Sid": "NoAdmin", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}"#;
    let all = r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#;
    assert!(no_new(&format!("{all}, {deny}"), &format!("{all}, {deny}")).passed());
    let verdict = no_new(all, &format!("{all}, {deny}"));
    assert!(!verdict.passed());
    assert_eq!(verdict.reasons[0].statement_index, None);
    assert!(
        verdict.reasons[0].description.contains("`NoAdmin`"),
        "{verdict}"
    );
    let narrower_deny = r#"{"Effect": "Deny", "Action": "iam:Create*", "Resource": "*"}"#;
    assert!(
        !no_new(
            &format!("{all}, {narrower_deny}"),
            &format!("{all}, {deny}")
        )
        .passed()
    );
    let wider_deny = r#"{"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}"#;
    assert!(no_new(&format!("{all}, {wider_deny}"), &format!("{all}, {deny}")).passed());
}

#[test]
fn wildcards_are_covered_only_by_wildcards() {
    // Every `s3:Get` action of the reference, one by one, is not `s3:Get*`: AWS adds more.
    let mut names: Vec<String> = iam_policy_reference::actions_matching("s3:Get*")
        .unwrap()
        .iter()
        .map(|a| format!("\"s3:{}\"", a.name()))
        .collect();
    names.sort();
    let listed = format!(
        r#"{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}"#,
        names.join(", ")
    );
    let wild = r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#;
    assert!(no_new(&listed, wild).passed());
    let verdict = no_new(wild, &listed);
    assert!(!verdict.passed());
    assert!(
        verdict.reasons[0]
            .description
            .contains("beyond the reference"),
        "{verdict}"
    );
    // `NotAction` new versus old.
    let not_iam = r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#;
    let not_iam_or_s3 = r#"{"Effect": "Allow", "NotAction": ["iam:*", "s3:*"], "Resource": "*"}"#;
    assert!(no_new(not_iam_or_s3, not_iam).passed());
    assert!(!no_new(not_iam, not_iam_or_s3).passed());
}

#[test]
fn public_statements_are_found_per_resource_type() {
    let open = r#"{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}"#;
    let verdict = public(open, "AWS::S3::Bucket");
    assert!(!verdict.passed());
    assert_eq!(verdict.reasons[0].statement_id.as_deref(), Some("Open"));
    // Another service's actions do not reach a queue.
    assert!(public(open, "AWS::SQS::Queue").passed());
    for principal in [r#"{"AWS": "*"}"#, r#"{"AWS": ["111122223333", "*"]}"#] {
        let statement = format!(
            r#"{{"Effect": "Allow", "Principal": {principal}, "Action": "sqs:SendMessage", "Resource": "*"}}"#
        );
        assert!(
            !public(&statement, "AWS::SQS::Queue").passed(),
            "{principal}"
        );
    }
    let account = r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}"#;
    assert!(public(account, "AWS::S3::Bucket").passed());
    let not_principal = r#"{"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"}"#;
    assert!(!public(not_principal, "AWS::S3::Bucket").passed());
}

#[test]
fn fixed_conditions_on_the_caller_make_a_statement_private() {
    let with = |condition: &str| {
        format!(
            r#"{{"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {condition}}}"#
        )
    };
    for private in [
        r#"{"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}"#,
        r#"{"StringEquals": {"kms:CallerAccount": "111122223333"}}"#,
        r#"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket"}}"#,
        r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        r#"{"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}"#,
    ] {
        assert!(
            public(&with(private), "AWS::KMS::Key").passed(),
            "{private}"
        );
    }
    for still_public in [
        r#"{"StringLike": {"aws:PrincipalOrgID": "*"}}"#,
        r#"{"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}"#,
        r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-abc123"}}"#,
        r#"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#,
        r#"{"Bool": {"aws:SecureTransport": "true"}}"#,
        r#"{"StringEquals": {"aws:PrincipalArn": "${aws:username}"}}"#,
    ] {
        assert!(
            !public(&with(still_public), "AWS::KMS::Key").passed(),
            "{still_public}"
        );
    }
}

#[test]
fn a_deny_outside_fixed_callers_limits_a_public_allow() {
    let open = r#"{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}"#;
    let deny = |condition: &str, action: &str, resource: &str| {
        format!(
            r#"{{"Effect": "Deny", "Principal": "*", "Action": "{action}", "Resource": "{resource}", "Condition": {condition}}}"#
        )
    };
    let outside_org = r#"{"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#;
    let limited = format!(
        "{open}, {}",
        deny(outside_org, "s3:*", "arn:aws:s3:::site/*")
    );
    assert!(
        public(&limited, "AWS::S3::Bucket").passed(),
        "{}",
        public(&limited, "AWS::S3::Bucket")
    );
    for not_limiting in [
        deny(
            r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            "s3:*",
            "arn:aws:s3:::site/*",
        ),
        deny(
            r#"{"StringNotLike": {"aws:PrincipalOrgID": "o-*"}}"#,
            "s3:*",
            "arn:aws:s3:::site/*",
        ),
        deny(
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#,
            "s3:*",
            "arn:aws:s3:::site/*",
        ),
        deny(outside_org, "s3:PutObject", "arn:aws:s3:::site/*"),
        deny(outside_org, "s3:*", "arn:aws:s3:::site/private/*"),
        deny(
            r#"{"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}"#,
            "s3:*",
            "*",
        ),
    ] {
        let policy = format!("{open}, {not_limiting}");
        assert!(
            !public(&policy, "AWS::S3::Bucket").passed(),
            "{not_limiting}"
        );
    }
}

#[test]
fn trust_policies_are_public_when_anyone_can_assume_the_role() {
    let github = r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}"#;
    assert!(!public(github, "AWS::IAM::AssumeRolePolicyDocument").passed());
    let pinned = r#"{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:org/repo:ref:refs/heads/main"}}}"#;
    assert!(public(pinned, "AWS::IAM::AssumeRolePolicyDocument").passed());
    let service = r#"{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}"#;
    assert!(public(service, "AWS::IAM::AssumeRolePolicyDocument").passed());
    assert!(PublicAccessResourceType::parse("AWS::S3::Buckett").is_err());
}
