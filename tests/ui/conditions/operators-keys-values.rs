use iam_policy::{Policy, policy};

const CONDITIONS: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "BoolYes",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "yes"}}
        },
        {
            "Sid": "Operators",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {
                "StringEqual": {"aws:PrincipalAccount": "123456789012"},
                "NullIfExists": {"aws:TokenIssueTime": "true"}
            }
        },
        {
            "Sid": "Keys",
            "Effect": "Allow",
            "Action": "ssm:StartSession",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "aws:PrincipalTagg/team": "ops",
                    "ssm:resourceTag": "x",
                    "s3:prefix": "home/"
                }
            }
        },
        {
            "Sid": "Types",
            "Effect": "Allow",
            "Action": "ec2:RunInstances",
            "Resource": "*",
            "Condition": {
                "NumericLessThan": {"aws:SourceIp": "10"},
                "DateGreaterThan": {"aws:CurrentTime": "yesterday"},
                "IpAddress": {"aws:SourceIp": "10.0.0.300/8"},
                "NumericEquals": {"aws:MultiFactorAuthAge": "an hour"}
            }
        },
        {
            "Sid": "Qualifiers",
            "Effect": "Allow",
            "Action": "ec2:RunInstances",
            "Resource": "*",
            "Condition": {
                "ForAllValues:StringEquals": {"aws:RequestedRegion": "eu-west-1"},
                "StringEquals": {"aws:TagKeys": ["team", "cost-center"]}
            }
        }
    ]
});

fn main() {}
