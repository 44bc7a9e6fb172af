use iam_policy::{Policy, policy};

const GRAMMAR: Policy = policy!({
    "Version": "2012-10-18",
    "Statement": [
        {
            "Sid": "Read logs",
            "Effect": "allow",
            "Action": "logs:GetLogEvents",
            "NotAction": "logs:PutLogEvents",
            "Resources": "*"
        },
        {
            "Sid": 5,
            "Effect": "Deny",
            "Action": ["s3:GetObject", 42],
            "Resource": {"arn": "*"}
        },
        {
            "Sid": "Twice",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*"
        },
        {
            "Sid": "Twice",
            "Effect": "Allow",
            "Action": "s3:PutObject"
        }
    ]
});

const NO_STATEMENT: Policy = policy!({ "Version": "2012-10-17", "Id": "Empty" });

fn main() {}
