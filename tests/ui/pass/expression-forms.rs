//! `policy!` as an expression: in a `const`, a `static` and a `let`, with every attribute.

use iam_policy::{ParameterKind, Policy, Template, policy};

const READ_LOGS: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["logs:GetLogEvents", "logs:FilterLogEvents"],
        "Resource": "arn:aws:logs:us-east-1:123456789012:log-group:app:*"
    }]
});

/// A template: placeholders declared, checked with typical values, a policy once bound.
static START_SESSION: Template = policy!(
    #[parameters("region": Region, "account-id": AccountId, "instance-id": InstanceId)]
    {
        "Version": "2012-10-17",
        "Statement": {
            "Effect": "Allow",
            "Action": "ssm:StartSession",
            "Resource": "arn:aws:ec2:{region}:{account-id}:instance/{instance-id}"
        }
    }
);

const TRUST: Policy = policy!(#[kind = "role-trust"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"},
        "Action": "sts:AssumeRole"
    }]
});

const SCP: Policy = policy!(#[kind = "scp"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "DenyOutsideRegions",
        "Effect": "Deny",
        "NotAction": ["iam:*", "sts:*"],
        "Resource": "*",
        "Condition": {
            "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]},
            "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
            "Bool": {"aws:SecureTransport": false}
        }
    }]
});

fn main() {
    let bucket_policy = policy!({
        "Version": "2012-10-17",
        "Id": "BucketPolicy",
        "Statement": [{
            "Sid": "AllowReadFromAccount",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::example-bucket/*"
        }]
    });
    assert_eq!(bucket_policy.id.as_deref(), Some("BucketPolicy"));
    assert_eq!(READ_LOGS.statements().len(), 1);
    assert_eq!(START_SESSION.parameters[2].kind, ParameterKind::InstanceId);
    assert!(
        START_SESSION
            .to_json_pretty_with_placeholder_names()
            .contains("arn:aws:ec2:region:account-id:instance/instance-id")
    );
    let bound = START_SESSION.bind(&[
        ("region", "eu-west-1"),
        ("account-id", "111122223333"),
        ("instance-id", "i-0123456789abcdef0"),
    ]);
    assert!(bound.is_ok_and(|policy| policy
        .to_json()
        .contains("arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0")));
    assert!(TRUST.statements()[0].principal.is_some());
    assert!(SCP.to_json().contains(r#""aws:MultiFactorAuthAge":3600"#));
}
