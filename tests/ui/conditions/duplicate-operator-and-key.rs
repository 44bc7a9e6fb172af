use iam_policy::{Policy, policy};

// JSON readers keep one of each pair: a restriction would vanish on the way to IAM.
const ORG_ONLY: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
            "StringEquals": {"aws:username": "bob", "aws:username": "alice"}
        }
    }]
});

fn main() {
    println!("{}", ORG_ONLY.to_json_pretty());
}
