use iam_policy::{Policy, policy};

const START_SESSION: Policy = policy!({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["ssm:StartSesion", "ssm:TerminateSession"],
        "Resource": "arn:aws:ec2:us-east-1:123456789012:instance/*",
        "Condition": {"Bool": {"aws:SecureTransport": "yes"}}
    }]
});

fn main() {
    println!("{}", START_SESSION.to_json_pretty());
}
