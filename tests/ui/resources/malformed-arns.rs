use iam_policy::{Policy, policy};

const ARNS: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["ec2:DescribeInstances", "iam:GetRole", "s3:GetObject", "ssm:GetDocument"],
        "Resource": [
            "arn:aws:ec2:us-east-1:123456789012",
            "arn:aws-mars:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0",
            "arn:aws:EC2:us-east-1:123456789012:instance/i-0123456789abcdef0",
            "arn:aws:ec2:us-east-1:12345:instance/i-0123456789abcdef0",
            "arn:aws:iam:us-east-1:123456789012:role/Admin",
            "arn:aws:s3:::bucket/${aws:username}/*",
            "arn:aws:ssm:us-east-1:123456789012:documentation/Shell",
            "bucket/key"
        ]
    }]
});

fn main() {}
