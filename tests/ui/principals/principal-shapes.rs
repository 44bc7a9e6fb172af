use iam_policy::{Policy, policy};

const BUCKET: Policy = policy!(#[kind = "resource"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {
            "Aws": "arn:aws:iam::123456789012:root",
            "Service": "ec2",
            "AWS": "arn:aws:iam::12345:root"
        },
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::example-bucket/*"
    }]
});

const TRUST: Policy = policy!(#[kind = "role-trust"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sts:AssumeRole",
        "Resource": "*"
    }]
});

const IDENTITY: Policy = policy!(#[kind = "identity"] {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "*"
    }]
});

fn main() {}
