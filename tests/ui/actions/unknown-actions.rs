use iam_policy::{Policy, policy};

const ACTIONS: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": [
            "ssm:StartSesion",
            "sssm:StartSession",
            "ssm:Star*Nothing",
            "StartSession",
            "ec2:describeinstances"
        ],
        "Resource": "*"
    }]
});

fn main() {}
