// An EC2 volume beside only `ssm:StartSession`: the statement grants nothing on it. The verdict
// rests on the reference's per-action resource lists, which have gaps, so it is a warning;
// `deny(deprecated)` makes it an error.
#![deny(deprecated)]

use iam_policy::{Policy, policy};

const UNREACHABLE: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "ssm:StartSession",
        "Resource": [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
            "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0"
        ]
    }]
});

fn main() {
    let _ = UNREACHABLE;
}
